// SPDX-License-Identifier: GPL-2.0
/*
 * test_cache.c - the cache directory daxtest creates is its owner's alone
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "lib/cache.h"
#include "lib/fsutil.h"

static char root[] = "/tmp/daxtest-test-cache.XXXXXX";

static int setup(void **state)
{
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	return remove_tree(root);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void new_cache_is_private(void **state)
{
	char *want = str_printf("%s/a/b/daxtest", root), *parent = str_printf("%s/a/b", root);
	char *dir;

	setenv("DAXTEST_CACHE", want, 1);
	dir = cache_dir();
	assert_non_null(dir);
	assert_string_equal(dir, want);
	assert_int_equal(mode_of(dir), 0700);
	/* parents it had to create are ordinary directories (umask 022) */
	assert_int_equal(mode_of(parent), 0755);
	free(dir);
	free(want);
	free(parent);
}

static void existing_cache_keeps_its_mode(void **state)
{
	char *want = str_printf("%s/shared", root);
	char *dir;

	assert_int_equal(mkdir(want, 0755), 0);
	assert_int_equal(chmod(want, 0750), 0);
	setenv("DAXTEST_CACHE", want, 1);
	dir = cache_dir();
	assert_non_null(dir);
	assert_int_equal(mode_of(dir), 0750);
	free(dir);
	free(want);
}

static void xdg_cache_home_is_used(void **state)
{
	char *xdg = str_printf("%s/xdg", root), *want = str_printf("%s/xdg/daxtest", root);
	char *dir;

	unsetenv("DAXTEST_CACHE");
	setenv("XDG_CACHE_HOME", xdg, 1);
	dir = cache_dir();
	assert_non_null(dir);
	assert_string_equal(dir, want);
	assert_int_equal(mode_of(dir), 0700);
	free(dir);
	free(xdg);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_cache_is_private),
		cmocka_unit_test(existing_cache_keeps_its_mode),
		cmocka_unit_test(xdg_cache_home_is_used),
	};

	umask(022);
	return cmocka_run_group_tests(tests, setup, teardown);
}
