// SPDX-License-Identifier: GPL-2.0
/*
 * test_shadow_file.c - the shadow of an NVDIMM backing file starts as
 * an exact copy of its first SIZE bytes, and the holes of the file stay
 * holes (a fresh 1 GiB NVDIMM must not cost a gigabyte of disk)
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "plugin/shadow_file.h"

#define MiB	(1ULL << 20)
#define SIZE	(64 * MiB)		/* modelled */
#define LABEL	(128 * 1024ULL)		/* after it, not copied */

struct fixture {
	char src_path[512], dst_path[512];
	int src, dst;
};

static int make_temp(char *path, size_t len, const char *what)
{
	const char *dir = getenv("TMPDIR");

	snprintf(path, len, "%s/test_shadow_%s.XXXXXX", dir && *dir ? dir : "/tmp", what);
	return mkstemp(path);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->src = make_temp(f->src_path, sizeof(f->src_path), "src");
	f->dst = make_temp(f->dst_path, sizeof(f->dst_path), "dst");
	assert_true(f->src >= 0 && f->dst >= 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->src);
	close(f->dst);
	unlink(f->src_path);
	unlink(f->dst_path);
	free(f);
	return 0;
}

static void put(int fd, uint64_t off, uint8_t v, size_t n)
{
	uint8_t *buf = malloc(n);

	assert_non_null(buf);
	memset(buf, v, n);
	assert_int_equal(pwrite(fd, buf, n, (off_t)off), (ssize_t)n);
	free(buf);
}

static uint64_t allocated(int fd)
{
	struct stat s;

	assert_int_equal(fstat(fd, &s), 0);
	return (uint64_t)s.st_blocks * 512;
}

static uint64_t file_size(int fd)
{
	struct stat s;

	assert_int_equal(fstat(fd, &s), 0);
	return (uint64_t)s.st_size;
}

/* dst holds exactly the first size bytes of src. */
static void expect_equal(const struct fixture *f, uint64_t size)
{
	uint8_t *a = malloc(MiB), *b = malloc(MiB);
	uint64_t off;

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(file_size(f->dst), size);
	for (off = 0; off < size; off += MiB) {
		size_t n = size - off < MiB ? (size_t)(size - off) : MiB;

		assert_int_equal(pread(f->src, a, n, (off_t)off), (ssize_t)n);
		assert_int_equal(pread(f->dst, b, n, (off_t)off), (ssize_t)n);
		if (memcmp(a, b, n))
			fail_msg("the copy differs in the MiB at %#llx", (unsigned long long)off);
	}
	free(a);
	free(b);
}

/* A few data blocks in a large hole, and a label area after SIZE. */
static void make_sparse_source(struct fixture *f)
{
	assert_int_equal(ftruncate(f->src, (off_t)(SIZE + LABEL)), 0);
	put(f->src, 0, 'A', 4096);
	put(f->src, 32 * MiB - 100, 'B', 200);		/* across a block boundary */
	put(f->src, SIZE - 4096, 'C', 4096);
	put(f->src, SIZE, 'L', LABEL);			/* the label area */
	if (allocated(f->src) > MiB)
		skip();		/* no holes on this file system: nothing to check */
}

static void copy_keeps_holes(void **state)
{
	struct fixture *f = *state;

	make_sparse_source(f);
	assert_int_equal(shadow_file_copy(f->src, f->dst, SIZE), 0);
	expect_equal(f, SIZE);
	if (allocated(f->dst) > MiB)
		fail_msg("the copy of %llu bytes of data allocates %llu bytes: a hole was filled",
			 16384ULL, (unsigned long long)allocated(f->dst));
}

/* SIZE need not be a multiple of the file system's block. */
static void copy_unaligned_size(void **state)
{
	struct fixture *f = *state;

	make_sparse_source(f);
	assert_int_equal(shadow_file_copy(f->src, f->dst, SIZE - 64), 0);
	expect_equal(f, SIZE - 64);
	assert_true(allocated(f->dst) <= MiB);
}

static void copy_of_a_hole(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(ftruncate(f->src, (off_t)SIZE), 0);
	assert_int_equal(shadow_file_copy(f->src, f->dst, SIZE), 0);
	expect_equal(f, SIZE);
	assert_int_equal(allocated(f->dst), 0);
}

static void copy_of_full_data(void **state)
{
	struct fixture *f = *state;
	uint64_t off;

	for (off = 0; off < 4 * MiB; off += MiB)
		put(f->src, off, (uint8_t)(off / MiB + 1), MiB);
	assert_int_equal(shadow_file_copy(f->src, f->dst, 3 * MiB), 0);
	expect_equal(f, 3 * MiB);
}

/* To another file system (/dev/shm): no copy_file_range, pread and
 * pwrite of the data extents, their blocks of zeros left holes. */
static void copy_across_file_systems(void **state)
{
	struct fixture *f = *state;
	char path[] = "/dev/shm/test_shadow_dst.XXXXXX";
	struct stat a, b;
	int dst = mkstemp(path);

	if (dst < 0)
		skip();
	unlink(path);
	assert_int_equal(fstat(dst, &b), 0);
	assert_int_equal(fstat(f->src, &a), 0);
	if (a.st_dev == b.st_dev) {
		close(dst);
		skip();
	}
	close(f->dst);
	f->dst = dst;
	make_sparse_source(f);
	put(f->src, 8 * MiB, 0, 4 * MiB);		/* data, but zeros */
	assert_int_equal(shadow_file_copy(f->src, f->dst, SIZE), 0);
	expect_equal(f, SIZE);
	assert_true(allocated(f->dst) <= MiB);
}

static void source_shorter_than_size(void **state)
{
	struct fixture *f = *state;

	put(f->src, 0, 'A', 4096);
	errno = 0;
	assert_int_equal(shadow_file_copy(f->src, f->dst, 8192), -1);
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(copy_keeps_holes, setup, teardown),
		cmocka_unit_test_setup_teardown(copy_unaligned_size, setup, teardown),
		cmocka_unit_test_setup_teardown(copy_of_a_hole, setup, teardown),
		cmocka_unit_test_setup_teardown(copy_of_full_data, setup, teardown),
		cmocka_unit_test_setup_teardown(copy_across_file_systems, setup, teardown),
		cmocka_unit_test_setup_teardown(source_shorter_than_size, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
