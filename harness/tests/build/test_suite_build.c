// SPDX-License-Identifier: GPL-2.0
/*
 * test_suite_build.c - suite_build around the build: support files, a
 * build found in the cache, binds; nothing here runs meson or make (the
 * cached builds are faked: a "built" stamp and what the build leaves)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build/suite_build.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "tests/unit_stderr.h"
#include "tests/unit_tempdir.h"

#define DATA_DIR "harness/tests/data/suite"

static void put(const char *dir, const char *name, const char *text)
{
	char *p = path_join(dir, name), *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(mkdir_p(p, 0755), 0);
	*slash = '/';
	assert_int_equal(write_file_atomic(p, text, strlen(text), 0644), 0);
	free(p);
}

static char *text_of(const char *dir, const char *name)
{
	char *p = path_join(dir, name), *text = NULL;

	assert_int_equal(read_file(p, &text, NULL), 0);
	free(p);
	return text;
}

static void spec_of(const char *arg, struct suite_spec *s)
{
	assert_int_equal(suite_spec_parse(arg, s), 0);
}

/* Makes the cache hold a complete build of s: the stamp with its key. */
static char *fake_build(const struct suite_spec *s, const char *cache)
{
	char key[HASH_HEX_LEN + 1], *dir = NULL, *stamp;

	assert_int_equal(suite_build_dir(s, cache, &dir, key), 0);
	stamp = str_printf("key=%s\nsrc=%s\n", key, s->src);
	put(dir, "built", stamp);
	free(stamp);
	return dir;
}

static void missing_support_files(void **state)
{
	char *cache = path_join(*state, "cache1"), *support = path_join(*state, "support1");
	struct suite_built b;
	struct suite_spec s;
	struct stderr_capture q;
	char *err;
	int ret;

	assert_int_equal(mkdir_p(support, 0755), 0);
	spec_of("ndctl=" DATA_DIR "/ndctl", &s);
	stderr_begin(&q);
	ret = suite_build(&s, cache, support, NULL, &b);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "/support1/suite-lib.sh is missing"));
	assert_null(b.dir);
	free(err);
	suite_spec_free(&s);

	put(support, "suite-lib.sh", "# lib\n");
	spec_of("fstests=" DATA_DIR "/fstests", &s);
	stderr_begin(&q);
	ret = suite_build(&s, cache, support, "generic/605", &b);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "/support1/fstests.config is missing"));
	free(err);
	suite_spec_free(&s);
	/* nothing was built */
	assert_false(path_is_dir(cache));
	free(cache);
	free(support);
}

static void ndctl_from_the_cache(void **state)
{
	char *cache = path_join(*state, "cache2"), *support = path_join(*state, "support2");
	char *dir, *json = NULL, *text, *want;
	struct suite_built b;
	struct suite_spec s;

	spec_of("ndctl=" DATA_DIR "/ndctl", &s);
	dir = fake_build(&s, cache);
	assert_int_equal(read_file(DATA_DIR "/ndctl-tests.json", &json, NULL), 0);
	put(dir, "tests.json", json);
	put(support, "suite-lib.sh", "# lib 1\n");

	assert_int_equal(suite_build(&s, cache, support, "dax.sh", &b), 0);
	assert_int_equal(b.kind, SUITE_NDCTL);
	assert_string_equal(b.dir, dir);
	want = str_printf("%s/suites/ndctl-", cache);
	assert_memory_equal(b.dir, want, strlen(want));
	assert_int_equal(strlen(b.dir), strlen(want) + 16);
	free(want);
	assert_int_equal(b.binds.n, 2);
	assert_string_equal(b.binds.v[0], dir);
	assert_string_equal(b.binds.v[1], s.src);
	assert_int_equal(b.nr, 1);
	assert_string_equal(b.cases[0].name, "ndctl/dax.sh");
	text = text_of(dir, "suite-lib.sh");
	assert_string_equal(text, "# lib 1\n");
	free(text);
	suite_built_free(&b);

	/* a changed support file is copied again, the build stays */
	put(support, "suite-lib.sh", "# lib 2\n");
	assert_int_equal(suite_build(&s, cache, support, NULL, &b), 0);
	assert_int_equal(b.nr, 3);
	text = text_of(dir, "suite-lib.sh");
	assert_string_equal(text, "# lib 2\n");
	free(text);
	suite_built_free(&b);

	free(json);
	free(dir);
	free(cache);
	free(support);
	suite_spec_free(&s);
}

static void fstests_from_the_cache(void **state)
{
	char *cache = path_join(*state, "cache3"), *support = path_join(*state, "support3");
	char *dir, *tree, *link, *text;
	struct suite_built b;
	struct suite_spec s;
	struct stderr_capture q;
	char *err;
	int ret;

	spec_of("fstests=" DATA_DIR "/fstests", &s);
	dir = fake_build(&s, cache);
	/* the built copy of the tree: the fixture itself */
	tree = realpath(DATA_DIR "/fstests", NULL);
	link = path_join(dir, "src");
	assert_int_equal(symlink(tree, link), 0);
	put(support, "suite-lib.sh", "# lib\n");
	put(support, "fstests.config", "[xfs]\n");

	/* no default selection */
	stderr_begin(&q);
	ret = suite_build(&s, cache, support, "", &b);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "no selection given and no default: "));
	assert_non_null(strstr(err, "/support3/fstests.default"));
	free(err);

	assert_int_equal(suite_build(&s, cache, support, "xfs/550", &b), 0);
	assert_int_equal(b.nr, 1);
	assert_string_equal(b.cases[0].name, "fstests-xfs/xfs/550");
	assert_int_equal(b.binds.n, 1);
	assert_string_equal(b.binds.v[0], dir);
	text = text_of(dir, "fstests.config");
	assert_string_equal(text, "[xfs]\n");
	free(text);
	suite_built_free(&b);

	put(support, "fstests.default", "# the default\ndax\n");
	assert_int_equal(suite_build(&s, cache, support, NULL, &b), 0);
	/* generic/470 generic/605 xfs/550 xfs/551 in xfs, the generic ones in ext4 */
	assert_int_equal(b.nr, 6);
	assert_string_equal(b.cases[4].name, "fstests-ext4/generic/470");
	text = text_of(dir, "fstests.default");
	assert_string_equal(text, "# the default\ndax\n");
	free(text);
	suite_built_free(&b);

	free(link);
	free(tree);
	free(dir);
	free(cache);
	free(support);
	suite_spec_free(&s);
}

/* The cache directory follows the tree's content. */
static void build_dir_follows_the_tree(void **state)
{
	char *src = path_join(*state, "ndctl-tree"), *arg = str_printf("ndctl=%s", src);
	char k1[HASH_HEX_LEN + 1], k2[HASH_HEX_LEN + 1], *d1, *d2;
	struct suite_spec s;

	put(src, "meson.build", "project('ndctl')\n");
	put(src, "test/meson.build", "\n");
	spec_of(arg, &s);
	assert_int_equal(suite_build_dir(&s, "/c", &d1, k1), 0);
	assert_int_equal(suite_build_dir(&s, "/c", &d2, k2), 0);
	assert_string_equal(d1, d2);
	assert_string_equal(k1, k2);
	free(d2);
	put(src, "test/meson.build", "# changed\n");
	assert_int_equal(suite_build_dir(&s, "/c", &d2, k2), 0);
	assert_string_not_equal(d1, d2);
	free(d1);
	free(d2);
	suite_spec_free(&s);
	free(arg);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(missing_support_files),
		cmocka_unit_test(ndctl_from_the_cache),
		cmocka_unit_test(fstests_from_the_cache),
		cmocka_unit_test(build_dir_follows_the_tree),
	};

	log_set_quiet(true);
	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
