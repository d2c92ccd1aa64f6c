// SPDX-License-Identifier: GPL-2.0
/*
 * test_suite_fstests.c - fstests: tests and groups to cases, the two
 * sections, descriptions and guest scripts, on a small fake tree
 * (harness/tests/data/suite/fstests: group.list files as fstests' make
 * writes them)
 */
#include <limits.h>
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

#include "build/suite_fstests.h"
#include "build/suite_script.h"
#include "lib/fsutil.h"
#include "lib/strv.h"
#include "tests/unit_stderr.h"
#include "tests/unit_tempdir.h"

#define DATA_DIR "harness/tests/data/suite"

struct fixture {
	char *dir;		/* a temporary <dir>: the scripts */
	char tree[PATH_MAX];	/* the fake built tree */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	void *dir;

	if (!f || make_temp_dir(&dir) < 0 || !realpath(DATA_DIR "/fstests", f->tree))
		return -1;
	f->dir = dir;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	void *dir = f->dir;

	remove_temp_dir(&dir);
	free(f);
	return 0;
}

/* Redirects stderr into a file while fn runs; its text in *err. */
static void assert_tests(const struct strv *tests, const char *const *want)
{
	size_t i;

	for (i = 0; want[i]; i++) {
		if (i >= tests->n)
			fail_msg("only %zu tests, wanted %s next", tests->n, want[i]);
		assert_string_equal(tests->v[i], want[i]);
	}
	assert_int_equal(tests->n, i);
}

static void select_ok(const char *tree, const char *selection, const char *const *want)
{
	struct strv tests = { 0 };

	assert_int_equal(suite_fstests_select(tree, selection, &tests), 0);
	assert_tests(&tests, want);
	strv_free(&tests);
}

static void sections_by_directory(void **state)
{
	assert_int_equal(suite_fstests_sections("generic/605"),
			 SUITE_SECTION_XFS | SUITE_SECTION_EXT4);
	assert_int_equal(suite_fstests_sections("shared/001"),
			 SUITE_SECTION_XFS | SUITE_SECTION_EXT4);
	assert_int_equal(suite_fstests_sections("xfs/550"), SUITE_SECTION_XFS);
	assert_int_equal(suite_fstests_sections("ext4/001"), SUITE_SECTION_EXT4);
	assert_int_equal(suite_fstests_sections("btrfs/001"), 0);
	assert_int_equal(suite_fstests_sections("xfsx/001"), 0);
	assert_int_equal(suite_fstests_sections("605"), 0);
}

static void tests_by_name(void **state)
{
	struct fixture *f = *state;
	static const char *const want[] = { "xfs/550", "generic/605", "ext4/001", NULL };

	select_ok(f->tree, "xfs/550, generic/605\text4/001\n# a comment generic/470\n", want);
}

static void groups_expand_in_order(void **state)
{
	struct fixture *f = *state;
	static const char *const dax[] = { "generic/470", "generic/605", "xfs/550", "xfs/551",
					   NULL };
	static const char *const quick[] = { "generic/470", "generic/605", "xfs/550",
					     "ext4/001", NULL };
	static const char *const xfs_quick[] = { "xfs/550", NULL };
	static const char *const mixed[] = { "xfs/551", "generic/470", "generic/605",
					     "xfs/550", "generic/700", NULL };

	select_ok(f->tree, "dax", dax);
	/* btrfs/ is not a directory of the two sections */
	select_ok(f->tree, "quick", quick);
	select_ok(f->tree, "xfs/quick", xfs_quick);
	/* each test once, where it came first */
	select_ok(f->tree, "xfs/551 dax,generic/605 rw", mixed);
}

static void select_error(const char *tree, const char *selection, const char *message)
{
	struct strv tests = { 0 };
	struct stderr_capture q;
	char *err;
	int ret;

	stderr_begin(&q);
	ret = suite_fstests_select(tree, selection, &tests);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	if (!strstr(err, message))
		fail_msg("'%s': wanted \"%s\" in: %s", selection, message, err);
	free(err);
	strv_free(&tests);
}

static void unknown_names_are_errors(void **state)
{
	struct fixture *f = *state;

	select_error(f->tree, "generic/605 nosuch", "'nosuch' is neither a test");
	select_error(f->tree, "generic/999", "'generic/999' is neither a test");
	/* the output file is no test */
	select_error(f->tree, "generic/605.out", "'generic/605.out' is neither a test");
	select_error(f->tree, "xfs/nosuch", "'xfs/nosuch' is neither a test");
	select_error(f->tree, "nodir/quick", "'nodir/quick' is neither a test");
	select_error(f->tree, "../fstests/quick", "is neither a test");
	/* a group of another file system only */
	select_error(f->tree, "subvol", "'subvol' is neither a test");
}

static void descriptions_from_the_header(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *test, *want;
	} cases[] = {
		{ "generic/470", "Use dm-log-writes to verify that MAP_SYNC actually syncs metadata during" },
		{ "generic/605", "Test per-inode DAX flag by mmap direct/buffered IO." },
		{ "xfs/550", "Test memory failure mechanism when dax enabled" },
		/* no "FS QA Test" line */
		{ "xfs/551", "Test memory failure mechanism when dax and reflink working together" },
		/* "FSQA Test", and nothing but a ruler after it */
		{ "generic/700", "fstests generic/700" },
		{ "generic/999", "fstests generic/999" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *desc = suite_fstests_description(f->tree, cases[i].test);

		assert_string_equal(desc, cases[i].want);
		free(desc);
	}
}

static void cases_in_both_sections(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {
		"fstests-xfs/generic/605", "fstests-xfs/xfs/550",
		"fstests-ext4/generic/605", "fstests-ext4/ext4/001",
	};
	struct suite_built b = { .kind = SUITE_FSTESTS };
	char *text = NULL, *want;
	struct stat st;
	size_t i;

	b.dir = strdup(f->dir);
	assert_int_equal(suite_fstests_cases(f->tree, "generic/605 xfs/550 ext4/001", &b), 0);
	assert_int_equal(b.nr, 4);
	for (i = 0; i < b.nr; i++) {
		assert_string_equal(b.cases[i].name, names[i]);
		assert_int_equal(b.cases[i].timeout_s, 900);
	}
	assert_string_equal(b.cases[1].description,
			    "Test memory failure mechanism when dax enabled");
	want = str_printf("%s/cases/ext4-generic-605.sh", f->dir);
	assert_string_equal(b.cases[2].script, want);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0111, 0111);
	free(want);

	assert_int_equal(read_file(b.cases[0].script, &text, NULL), 0);
	want = str_printf("#!/bin/bash\n"
			  "# daxtest: fstests generic/605 in section xfs\n"
			  ". '%s/suite-lib.sh'\n"
			  "fstests_case '%s' '%s/fstests.config' 'xfs' 'generic/605'\n",
			  f->dir, f->tree, f->dir);
	assert_string_equal(text, want);
	free(text);
	free(want);
	suite_built_free(&b);
}

static void cases_errors(void **state)
{
	struct fixture *f = *state;
	struct suite_built b = { .kind = SUITE_FSTESTS };
	struct stderr_capture q;
	char *err;
	int ret;

	b.dir = strdup(f->dir);
	stderr_begin(&q);
	ret = suite_fstests_cases(f->tree, "generic/605 btrfs/001", &b);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "btrfs/001 runs in neither section (xfs, ext4)"));
	free(err);

	stderr_begin(&q);
	ret = suite_fstests_cases(f->tree, " # nothing\n", &b);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_non_null(strstr(err, "the selection names no test"));
	free(err);
	assert_int_equal(b.nr, 0);
	suite_built_free(&b);
}

/* The project's default selection parses, every name a test of the DAX
 * tests' directories. */
static void the_default_selection(void **state)
{
	/* fstests' dax group and the quick fsx tests */
	static const char *const want[] = {
		"dax", "generic/075", "generic/091", "generic/112", "generic/263", NULL,
	};
	struct strv words = { 0 };
	char *text = NULL;
	size_t i;

	assert_int_equal(read_file("tests/suites/fstests.default", &text, NULL), 0);
	assert_int_equal(suite_words(text, &words), 0);
	for (i = 0; want[i]; i++) {
		assert_true(i < words.n);
		assert_string_equal(words.v[i], want[i]);
	}
	assert_int_equal(words.n, i);
	strv_free(&words);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sections_by_directory),
		cmocka_unit_test(tests_by_name),
		cmocka_unit_test(groups_expand_in_order),
		cmocka_unit_test(unknown_names_are_errors),
		cmocka_unit_test(descriptions_from_the_header),
		cmocka_unit_test(cases_in_both_sections),
		cmocka_unit_test(cases_errors),
		cmocka_unit_test(the_default_selection),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
