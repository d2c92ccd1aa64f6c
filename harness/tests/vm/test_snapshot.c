// SPDX-License-Identifier: GPL-2.0
/*
 * test_snapshot.c - snapshot keys, the files a restored guest gets, pruning
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "vm/snapshot.h"

static char *tmp_dir(void)
{
	char tmpl[] = "/tmp/daxtest-unit-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return strdup(tmpl);
}

static struct snapshot_guest guest(const struct guest_shape *shape, const char *cache)
{
	return (struct snapshot_guest){
		.shape = shape, .kernel = "/k/bzImage", .initrd = "/i/image.cpio.lz4",
		.cache_dir = cache,
	};
}

/* The same guest gets the same snapshot; another shape another one. */
static void key_follows_the_guest(void **state)
{
	struct guest_shape a = { .accel = ACCEL_TCG, .cpus = 1, .mem_mb = 1024,
				 .nr_nvdimms = 2, .nvdimm_size = 1ULL << 30 };
	struct guest_shape b = a;
	struct snapshot s1, s2, s3;
	struct snapshot_guest g;
	char want[256];

	g = guest(&a, "/c");
	assert_int_equal(snapshot_init(&s1, &g), 0);
	assert_int_equal(snapshot_init(&s2, &g), 0);
	assert_string_equal(s1.key, s2.key);
	assert_int_equal(strlen(s1.key), SNAPSHOT_KEY_LEN);
	snprintf(want, sizeof(want), "/c/snapshots/%s", s1.key);
	assert_string_equal(s1.dir, want);
	snprintf(want, sizeof(want), "/c/snapshots/%s/nvdimm1.img", s1.key);
	assert_string_equal(s1.nvdimms[1], want);
	assert_int_equal(s1.nr_nvdimms, 2);
	b.cpus = 2;
	g = guest(&b, "/c");
	assert_int_equal(snapshot_init(&s3, &g), 0);
	assert_string_not_equal(s1.key, s3.key);
	snapshot_free(&s3);
	b = a;
	b.accel = ACCEL_KVM;
	g = guest(&b, "/c");
	assert_int_equal(snapshot_init(&s3, &g), 0);
	assert_string_not_equal(s1.key, s3.key);
	snapshot_free(&s1);
	snapshot_free(&s2);
	snapshot_free(&s3);
}

static void write_at(const char *path, off_t size, off_t at, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), size), 0);
	assert_int_equal(fseeko(f, at, SEEK_SET), 0);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static bool file_has(const char *path, off_t at, const char *text)
{
	char buf[64] = "";
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fseeko(f, at, SEEK_SET) == 0 && fread(buf, 1, strlen(text), f) == strlen(text) &&
	     !memcmp(buf, text, strlen(text));
	fclose(f);
	return ok;
}

/* A restored guest gets the snapshot's files, a verify phase keeps its
 * NVDIMMs, and the disk without DAX is empty again either way. */
static void restore_files(void **state)
{
	struct guest_shape shape = { .accel = ACCEL_TCG, .cpus = 1, .mem_mb = 64,
				     .nr_nvdimms = 1, .nvdimm_size = 1 << 20 };
	char *cache = tmp_dir();
	struct snapshot_guest g = guest(&shape, cache);
	struct workdir w;
	struct snapshot s;
	struct stat st;

	assert_int_equal(snapshot_init(&s, &g), 0);
	assert_int_equal(mkdir_p(s.dir, 0700), 0);
	assert_false(snapshot_present(&s));
	write_at(s.nvdimms[0], 1 << 20, 4096, "labels of the snapshot");
	write_at(s.virtio_pmem, 1 << 20, 0, "vpmem of the snapshot");
	write_at(s.ram, 1 << 20, 0, "ram");
	write_at(s.state, 100, 0, "state");
	assert_true(snapshot_present(&s));

	assert_int_equal(guest_workdir_create(&shape, &w, "unit"), 0);
	write_at(w.nvdimm_paths[0], 1 << 20, 4096, "the cut's labels");
	write_at(w.nodax_path, NODAX_DISK_SIZE, 0, "an old file system");
	assert_int_equal(snapshot_restore_files(&s, &w, true), 0);
	assert_true(file_has(w.nvdimm_paths[0], 4096, "the cut's labels"));
	assert_true(file_has(w.virtio_pmem_path, 0, "vpmem of the snapshot"));
	assert_false(file_has(w.nodax_path, 0, "an old"));
	assert_int_equal(stat(w.nodax_path, &st), 0);
	assert_int_equal(st.st_size, NODAX_DISK_SIZE);
	assert_int_equal(snapshot_restore_files(&s, &w, false), 0);
	assert_true(file_has(w.nvdimm_paths[0], 4096, "labels of the snapshot"));
	assert_int_equal(stat(w.nvdimm_paths[0], &st), 0);
	assert_int_equal(st.st_size, 1 << 20);

	workdir_remove(&w, false);
	snapshot_free(&s);
	remove_tree(cache);
	free(cache);
}

static void make_dir_aged(const char *root, const char *name, time_t age)
{
	char *p = path_join(root, name);
	struct timespec t[2];

	assert_int_equal(mkdir_p(p, 0700), 0);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, p, t, 0), 0);
	free(p);
}

static bool exists(const char *root, const char *name)
{
	char *p = path_join(root, name);
	bool ok = path_is_dir(p);

	free(p);
	return ok;
}

/* The newest SNAPSHOT_KEEP stay, the one in use always, and one another
 * run holds until it lets go; a run's young temporary directory stays,
 * a dead run's goes. */
static void prune_keeps_the_newest(void **state)
{
	char *root = tmp_dir(), *keep, *held;
	char name[32];
	int i, fd;

	for (i = 0; i < SNAPSHOT_KEEP + 3; i++) {
		snprintf(name, sizeof(name), "%016d", i);
		make_dir_aged(root, name, 100 * (i + 1));	/* 0 is the newest */
	}
	make_dir_aged(root, "00000000000000aa.tmp-1", 10);
	make_dir_aged(root, "00000000000000bb.tmp-2", 7200);
	/* another run uses an old one */
	make_dir_aged(root, "00000000000000cc", 9000);
	held = path_join(root, "00000000000000cc/lock");
	fd = open(held, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0 && flock(fd, LOCK_SH) == 0);
	make_dir_aged(root, "00000000000000cc", 9000);	/* the lock file made it new */
	snprintf(name, sizeof(name), "%016d", SNAPSHOT_KEEP + 2);	/* the oldest */
	keep = path_join(root, name);
	snapshot_prune(root, keep);
	assert_true(exists(root, name));
	for (i = 0; i < SNAPSHOT_KEEP + 2; i++) {
		snprintf(name, sizeof(name), "%016d", i);
		assert_int_equal(exists(root, name), i < SNAPSHOT_KEEP - 1);
	}
	assert_true(exists(root, "00000000000000aa.tmp-1"));
	assert_false(exists(root, "00000000000000bb.tmp-2"));
	assert_true(exists(root, "00000000000000cc"));
	close(fd);
	snapshot_prune(root, keep);
	assert_false(exists(root, "00000000000000cc"));
	remove_tree(root);
	free(held);
	free(keep);
	free(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_follows_the_guest),
		cmocka_unit_test(restore_files),
		cmocka_unit_test(prune_keeps_the_newest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
