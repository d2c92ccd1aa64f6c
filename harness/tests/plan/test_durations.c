// SPDX-License-Identifier: GPL-2.0
/*
 * test_durations.c - the tests' last durations, kept in the cache
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "plan/durations.h"

static void known_and_unknown(void **state)
{
	const struct test_def t[] = {
		{ .name = "hw/nfit@map=mem" }, { .name = "a/b@map=mem" }, { .name = "new/one@map=mem" },
	};
	double s[3];

	durations_parse("136.5\thw/nfit@map=mem\n3.5\ta/b@map=mem\n", t, 3, s);
	assert_true(s[0] == 136.5);
	assert_true(s[1] == 3.5);
	assert_true(s[2] == 70.0);	/* the mean of the known */
}

/* A name that is a prefix of another, junk lines and no file at all. */
static void exact_names_and_junk(void **state)
{
	const struct test_def t[] = { { .name = "a/b" }, { .name = "a/bc" } };
	double s[2];

	durations_parse("9\ta/bc\nx\ta/b\n-1\ta/b\n\n\t\n7 a/b\n", t, 2, s);
	assert_true(s[1] == 9);
	assert_true(s[0] == 9);		/* unknown: the mean */
	durations_parse(NULL, t, 2, s);
	assert_true(s[0] == DURATION_UNKNOWN_S && s[1] == DURATION_UNKNOWN_S);
}

/* A run's tests replace their lines; tests it did not run keep theirs. */
static void save_merges(void **state)
{
	char dir[] = "/tmp/daxtest-unit-XXXXXX", *path, *text = NULL;
	struct test_result tr[2] = {
		{ .name = (char *)"a/b", .status = TEST_PASS, .seconds = 1.25 },
		{ .name = (char *)"c/d", .status = TEST_NOT_RUN, .seconds = 0 },
	};
	struct run_report r = { .tests = tr, .nr_tests = 2 };
	const struct test_def t[] = { { .name = "a/b" }, { .name = "c/d" }, { .name = "e/f" } };
	double s[3];

	assert_non_null(mkdtemp(dir));
	path = path_join(dir, "durations.tsv");
	assert_int_equal(write_file_atomic(path, "4\ta/b\n6\tc/d\n8\te/f\n", 18, 0600), 0);
	assert_int_equal(durations_save(path, &r), 0);
	durations_load(path, t, 3, s);
	assert_true(s[0] == 1.25);
	assert_true(s[1] == 6);
	assert_true(s[2] == 8);
	assert_int_equal(read_file(path, &text, NULL), 0);
	assert_string_equal(text, "1.250\ta/b\n6\tc/d\n8\te/f\n");
	free(text);
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_and_unknown),
		cmocka_unit_test(exact_names_and_junk),
		cmocka_unit_test(save_merges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
