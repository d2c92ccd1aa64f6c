// SPDX-License-Identifier: GPL-2.0
/*
 * test_fsutil.c - copy_sparse: the same bytes and size, holes kept
 * holes, and always a new inode (a QEMU may still map the old one)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "tests/unit_tempdir.h"

#define MiB		(1 << 20)
/* Not a multiple of a page nor of a block. */
#define SPARSE_SIZE	(16 * MiB + 4097)
/* What a copy may allocate beyond its source: a few blocks of 4 KiB
 * where an extent edge falls inside a block (st_blocks counts 512). */
#define SLACK_BLOCKS	64

struct piece {
	off_t off;
	size_t len;
	char fill;
};

/* Data at the start, in the middle (across a MiB boundary) and at the
 * end, of lengths that are not whole blocks; holes in between. */
static const struct piece pieces[] = {
	{ 0, 1000, 'a' },
	{ 8 * MiB - 77, 5003, 'b' },
	{ SPARSE_SIZE - 300, 300, 'c' },
};

static char *path_in(void **state, const char *name)
{
	char *p = path_join(*state, name);

	assert_non_null(p);
	return p;
}

static void write_at(int fd, off_t off, size_t len, char fill)
{
	char *buf = malloc(len);
	size_t i;

	assert_non_null(buf);
	/* not one byte repeated: a shifted copy would show */
	for (i = 0; i < len; i++)
		buf[i] = (char)(fill + (char)(i % 7));
	assert_int_equal(pwrite(fd, buf, len, off), (ssize_t)len);
	free(buf);
}

/* A file of size bytes holding pieces, holes elsewhere. */
static void make_sparse(const char *path, off_t size, const struct piece *p, size_t n)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t i;

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	for (i = 0; i < n; i++)
		write_at(fd, p[i].off, p[i].len, p[i].fill);
	assert_int_equal(fsync(fd), 0);
	assert_int_equal(close(fd), 0);
}

static void stat_of(const char *path, struct stat *st)
{
	assert_int_equal(stat(path, st), 0);
}

/* Whether a and b hold the same bytes (and are as long). */
static void assert_same_bytes(const char *a, const char *b)
{
	struct stat sa, sb;
	void *ma, *mb;
	int fa, fb;

	stat_of(a, &sa);
	stat_of(b, &sb);
	assert_int_equal(sa.st_size, sb.st_size);
	if (!sa.st_size)
		return;
	fa = open(a, O_RDONLY | O_CLOEXEC);
	fb = open(b, O_RDONLY | O_CLOEXEC);
	assert_true(fa >= 0 && fb >= 0);
	ma = mmap(NULL, (size_t)sa.st_size, PROT_READ, MAP_PRIVATE, fa, 0);
	mb = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fb, 0);
	assert_true(ma != MAP_FAILED && mb != MAP_FAILED);
	assert_memory_equal(ma, mb, (size_t)sa.st_size);
	munmap(ma, (size_t)sa.st_size);
	munmap(mb, (size_t)sb.st_size);
	close(fa);
	close(fb);
}

/* Files in dir whose name starts with prefix. */
static int count_named(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

static void copy_keeps_bytes_and_holes(void **state)
{
	char *src = path_in(state, "sparse.img"), *dst = path_in(state, "copy.img");
	struct stat ss, sd;

	make_sparse(src, SPARSE_SIZE, pieces, sizeof(pieces) / sizeof(pieces[0]));
	assert_int_equal(copy_sparse(src, dst, 0600), 0);
	assert_same_bytes(src, dst);
	stat_of(src, &ss);
	stat_of(dst, &sd);
	/* the source is mostly hole: a copy that wrote its zeros would be
	 * 16 MiB (32768 blocks of 512) */
	assert_true(ss.st_blocks < 256);
	if (sd.st_blocks > ss.st_blocks + SLACK_BLOCKS)
		fail_msg("the copy has %lld blocks, its source %lld: holes were filled",
			 (long long)sd.st_blocks, (long long)ss.st_blocks);
	assert_int_equal(sd.st_mode & 07777, 0600);
	/* nothing left of the temporary file */
	assert_int_equal(count_named(*state, "copy.img"), 1);
	unlink(src);
	unlink(dst);
	free(src);
	free(dst);
}

/* A file of data only, one of holes only, an empty one. */
static void dense_hole_only_and_empty(void **state)
{
	const struct piece dense[] = { { 0, 3 * MiB + 5, 'd' } };
	char *src = path_in(state, "src.img"), *dst = path_in(state, "dst.img");
	struct stat st;

	make_sparse(src, 3 * MiB + 5, dense, 1);
	assert_int_equal(copy_sparse(src, dst, 0644), 0);
	assert_same_bytes(src, dst);

	make_sparse(src, 64 * MiB + 1, NULL, 0);
	assert_int_equal(copy_sparse(src, dst, 0644), 0);
	stat_of(dst, &st);
	assert_int_equal(st.st_size, 64 * MiB + 1);
	assert_true(st.st_blocks <= SLACK_BLOCKS);
	assert_same_bytes(src, dst);

	make_sparse(src, 0, NULL, 0);
	assert_int_equal(copy_sparse(src, dst, 0644), 0);
	stat_of(dst, &st);
	assert_int_equal(st.st_size, 0);
	unlink(src);
	unlink(dst);
	free(src);
	free(dst);
}

/* A dst that exists becomes a new inode; a process that holds the old
 * one (mapped, as QEMU maps an NVDIMM) still sees what it held. */
static void existing_dst_gets_new_inode(void **state)
{
	const struct piece old_data[] = { { 4096, 100, 'o' } };
	char *src = path_in(state, "src.img"), *dst = path_in(state, "dst.img");
	struct stat before, after;
	const char *m;
	int fd;

	make_sparse(src, SPARSE_SIZE, pieces, sizeof(pieces) / sizeof(pieces[0]));
	make_sparse(dst, 8192, old_data, 1);
	stat_of(dst, &before);
	fd = open(dst, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	m = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(m != MAP_FAILED);

	assert_int_equal(copy_sparse(src, dst, 0600), 0);
	stat_of(dst, &after);
	assert_true(after.st_ino != before.st_ino);
	assert_same_bytes(src, dst);
	/* the old inode is untouched */
	assert_int_equal(m[0], 0);
	assert_int_equal(m[4096], 'o');
	assert_int_equal(m[4096 + 99], (char)('o' + 99 % 7));
	munmap((void *)m, 8192);
	close(fd);
	unlink(src);
	unlink(dst);
	free(src);
	free(dst);
}

/* Across file systems copy_file_range cannot (EXDEV): read/write, and
 * still no holes filled. /dev/shm is tmpfs where it exists. */
static char shm[] = "/dev/shm/daxtest-unit-XXXXXX";
static bool shm_made;

static int remove_shm(void **state)
{
	return shm_made ? remove_tree(shm) : 0;
}

static void across_file_systems(void **state)
{
	char *src = path_in(state, "sparse.img"), *dst;
	struct stat ss, sd;

	if (!mkdtemp(shm)) {
		free(src);
		skip();
	}
	shm_made = true;
	dst = path_join(shm, "copy.img");
	assert_non_null(dst);
	make_sparse(src, SPARSE_SIZE, pieces, sizeof(pieces) / sizeof(pieces[0]));
	assert_int_equal(copy_sparse(src, dst, 0600), 0);
	/* blocks first: a fault on a hole of tmpfs allocates a page */
	stat_of(src, &ss);
	stat_of(dst, &sd);
	if (sd.st_blocks > ss.st_blocks + SLACK_BLOCKS)
		fail_msg("the copy has %lld blocks, its source %lld: holes were filled",
			 (long long)sd.st_blocks, (long long)ss.st_blocks);
	assert_same_bytes(src, dst);
	unlink(src);
	free(src);
	free(dst);
}

/* Failures say which errno and leave nothing behind. */
static void failures(void **state)
{
	char *src = path_in(state, "src.img"), *absent = path_in(state, "absent.img");
	char *nodir = path_in(state, "no/such/dir.img"), *dst = path_in(state, "dst.img");

	assert_int_equal(copy_sparse(absent, dst, 0600), -ENOENT);
	assert_false(path_is_file(dst));
	make_sparse(src, 4096, NULL, 0);
	assert_int_equal(copy_sparse(src, nodir, 0600), -ENOENT);
	assert_int_equal(copy_sparse(*state, dst, 0600), -EINVAL);
	assert_int_equal(count_named(*state, "dst.img"), 0);
	unlink(src);
	free(src);
	free(absent);
	free(nodir);
	free(dst);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copy_keeps_bytes_and_holes),
		cmocka_unit_test(dense_hole_only_and_empty),
		cmocka_unit_test(existing_dst_gets_new_inode),
		cmocka_unit_test_teardown(across_file_systems, remove_shm),
		cmocka_unit_test(failures),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
