// SPDX-License-Identifier: GPL-2.0
/*
 * test_suite_tree.c - the stat-only key of a suite's source tree: stable,
 * and changed by what changes a file
 */
#include <fcntl.h>
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

#include "build/suite_tree.h"
#include "lib/fsutil.h"
#include "tests/unit_tempdir.h"

static void put(const char *dir, const char *name, const char *text)
{
	char *p = path_join(dir, name), *slash;

	slash = strrchr(p, '/');
	*slash = '\0';
	assert_int_equal(mkdir_p(p, 0755), 0);
	*slash = '/';
	assert_int_equal(write_file_atomic(p, text, strlen(text), 0644), 0);
	free(p);
}

static void set_mtime(const char *dir, const char *name, long sec, long nsec)
{
	struct timespec ts[2] = { { sec, nsec }, { sec, nsec } };
	char *p = path_join(dir, name);

	assert_int_equal(utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW), 0);
	free(p);
}

static void key_of(const char *dir, const char *options, char key[HASH_HEX_LEN + 1])
{
	assert_int_equal(suite_tree_key(dir, options, key), 0);
	assert_int_equal(strlen(key), HASH_HEX_LEN);
}

/* A tree of three files, each with a fixed mtime. */
static int setup(void **state)
{
	char *dir;

	if (make_temp_dir(state) < 0)
		return -1;
	dir = *state;
	put(dir, "meson.build", "project('x')\n");
	put(dir, "test/meson.build", "test('a', find_program('a.sh'))\n");
	put(dir, "test/a.sh", "exit 0\n");
	set_mtime(dir, "meson.build", 1700000000, 1);
	set_mtime(dir, "test/meson.build", 1700000000, 2);
	set_mtime(dir, "test/a.sh", 1700000000, 3);
	return 0;
}

static void stable(void **state)
{
	char a[HASH_HEX_LEN + 1], b[HASH_HEX_LEN + 1], c[HASH_HEX_LEN + 1];
	struct hash *h = hash_new();
	size_t nr = 0;

	key_of(*state, "opts", a);
	key_of(*state, "opts", b);
	assert_string_equal(a, b);
	/* the options are part of it */
	key_of(*state, "other opts", c);
	assert_string_not_equal(a, c);
	assert_int_equal(suite_tree_hash(h, *state, &nr), 0);
	hash_finish(h, c);
	assert_int_equal(nr, 3);
}

static void changes(void **state, void (*change)(const char *dir), void (*undo)(const char *dir))
{
	char before[HASH_HEX_LEN + 1], after[HASH_HEX_LEN + 1], back[HASH_HEX_LEN + 1];

	key_of(*state, "opts", before);
	change(*state);
	key_of(*state, "opts", after);
	assert_string_not_equal(before, after);
	undo(*state);
	key_of(*state, "opts", back);
	assert_string_equal(before, back);
}

static void grow_a(const char *dir)
{
	put(dir, "test/a.sh", "exit 0 \n");
	set_mtime(dir, "test/a.sh", 1700000000, 3);
}

static void restore_a(const char *dir)
{
	put(dir, "test/a.sh", "exit 0\n");
	set_mtime(dir, "test/a.sh", 1700000000, 3);
}

static void touch_a(const char *dir)
{
	set_mtime(dir, "test/a.sh", 1700000000, 4);	/* one nanosecond on */
}

static void untouch_a(const char *dir)
{
	set_mtime(dir, "test/a.sh", 1700000000, 3);
}

static void chmod_a(const char *dir)
{
	char *p = path_join(dir, "test/a.sh");

	assert_int_equal(chmod(p, 0755), 0);
	free(p);
}

static void unchmod_a(const char *dir)
{
	char *p = path_join(dir, "test/a.sh");

	assert_int_equal(chmod(p, 0644), 0);
	free(p);
}

static void add_b(const char *dir)
{
	put(dir, "test/b.sh", "");
}

static void remove_b(const char *dir)
{
	char *p = path_join(dir, "test/b.sh");

	assert_int_equal(unlink(p), 0);
	free(p);
}

static void rename_a(const char *dir)
{
	char *from = path_join(dir, "test/a.sh"), *to = path_join(dir, "test/c.sh");

	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);
}

static void unrename_a(const char *dir)
{
	char *from = path_join(dir, "test/c.sh"), *to = path_join(dir, "test/a.sh");

	assert_int_equal(rename(from, to), 0);
	free(from);
	free(to);
}

static void size_changes_it(void **state)
{
	changes(state, grow_a, restore_a);
}

static void mtime_changes_it(void **state)
{
	changes(state, touch_a, untouch_a);
}

static void mode_changes_it(void **state)
{
	changes(state, chmod_a, unchmod_a);
}

static void new_file_changes_it(void **state)
{
	changes(state, add_b, remove_b);
}

static void rename_changes_it(void **state)
{
	changes(state, rename_a, unrename_a);
}

/* .git and a meson build directory inside the tree are not its content. */
static void git_and_builds_do_not_count(void **state)
{
	char before[HASH_HEX_LEN + 1], after[HASH_HEX_LEN + 1], *p;

	key_of(*state, "opts", before);
	put(*state, ".git/HEAD", "ref: refs/heads/main\n");
	put(*state, ".git/objects/ab/cdef", "x");
	put(*state, "build/meson-private/coredata.dat", "x");
	put(*state, "build/test/a", "binary");
	put(*state, "test/sub/build/meson-private/cmd_line.txt", "x");
	key_of(*state, "opts", after);
	assert_string_equal(before, after);
	/* a directory named build is content when meson did not make it */
	p = path_join(*state, "build/meson-private");
	assert_int_equal(remove_tree(p), 0);
	free(p);
	key_of(*state, "opts", after);
	assert_string_not_equal(before, after);
	p = path_join(*state, "build");
	remove_tree(p);
	free(p);
	p = path_join(*state, "test/sub");
	remove_tree(p);
	free(p);
	p = path_join(*state, ".git");
	remove_tree(p);
	free(p);
}

static void missing_tree(void **state)
{
	char key[HASH_HEX_LEN + 1], *p = path_join(*state, "nonexistent");
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);

	fflush(stderr);
	dup2(null, STDERR_FILENO);
	assert_int_equal(suite_tree_key(p, "opts", key), -1);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(null);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stable),
		cmocka_unit_test(size_changes_it),
		cmocka_unit_test(mtime_changes_it),
		cmocka_unit_test(mode_changes_it),
		cmocka_unit_test(new_file_changes_it),
		cmocka_unit_test(rename_changes_it),
		cmocka_unit_test(git_and_builds_do_not_count),
		cmocka_unit_test(missing_tree),
	};

	return cmocka_run_group_tests(tests, setup, remove_temp_dir);
}
