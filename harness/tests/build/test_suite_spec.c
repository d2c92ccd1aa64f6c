// SPDX-License-Identifier: GPL-2.0
/*
 * test_suite_spec.c - "--suite ndctl=DIR" / "fstests=DIR" and their errors
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build/suite_spec.h"
#include "lib/fsutil.h"
#include "tests/unit_stderr.h"

#define DATA_DIR "harness/tests/data/suite"

/* What parsing arg printed on stderr (one error line, or nothing). */
static int parse_quietly(const char *arg, struct suite_spec *s, char **err)
{
	struct stderr_capture c;
	int ret;

	stderr_begin(&c);
	ret = suite_spec_parse(arg, s);
	*err = stderr_end(&c);
	return ret;
}

static void good_specs(void **state)
{
	char want[PATH_MAX], *err = NULL;
	struct suite_spec s;

	assert_non_null(realpath(DATA_DIR "/ndctl", want));
	assert_int_equal(parse_quietly("ndctl=" DATA_DIR "/ndctl/", &s, &err), 0);
	assert_int_equal(s.kind, SUITE_NDCTL);
	assert_string_equal(s.src, want);
	assert_string_equal(err, "");
	suite_spec_free(&s);
	free(err);

	assert_non_null(realpath(DATA_DIR "/fstests", want));
	assert_int_equal(parse_quietly("fstests=" DATA_DIR "/ndctl/../fstests", &s, &err), 0);
	assert_int_equal(s.kind, SUITE_FSTESTS);
	assert_string_equal(s.src, want);
	suite_spec_free(&s);
	free(err);

	assert_string_equal(suite_kind_name(SUITE_NDCTL), "ndctl");
	assert_string_equal(suite_kind_name(SUITE_FSTESTS), "fstests");
}

static void expect_error(const char *arg, const char *message)
{
	struct suite_spec s;
	char *err = NULL;

	assert_int_equal(parse_quietly(arg, &s, &err), -1);
	assert_null(s.src);
	if (!strstr(err, message))
		fail_msg("'%s': wanted \"%s\" in: %s", arg, message, err);
	/* one line */
	assert_non_null(strchr(err, '\n'));
	assert_ptr_equal(strchr(err, '\n') + 1, err + strlen(err));
	free(err);
}

static void unknown_kind(void **state)
{
	expect_error("foo=/tmp", "--suite: 'foo=/tmp' is not a suite: ndctl=DIR or fstests=DIR");
	expect_error("ndctl2=/tmp", "is not a suite");
	expect_error("=/tmp", "is not a suite");
}

static void missing_equals(void **state)
{
	expect_error("foo", "--suite: 'foo' is not a suite: ndctl=DIR or fstests=DIR");
	expect_error("ndctl", "--suite: 'ndctl' is not a suite");
	expect_error("ndctl=", "--suite ndctl=: no directory given: ndctl=DIR");
}

static void dir_missing(void **state)
{
	expect_error("ndctl=/nonexistent/ndctl",
		     "--suite ndctl=/nonexistent/ndctl: /nonexistent/ndctl: No such file or directory");
	expect_error("fstests=" DATA_DIR "/fstests/check", "is not a directory");
}

static void dir_not_the_suite(void **state)
{
	char fst[PATH_MAX], nd[PATH_MAX], *want;

	assert_non_null(realpath(DATA_DIR "/fstests", fst));
	assert_non_null(realpath(DATA_DIR "/ndctl", nd));
	want = str_printf("--suite ndctl=%s: %s has no meson.build: not an ndctl source tree",
			  DATA_DIR "/fstests", fst);
	expect_error("ndctl=" DATA_DIR "/fstests", want);
	free(want);
	want = str_printf("%s has no check: not an fstests source tree", nd);
	expect_error("fstests=" DATA_DIR "/ndctl", want);
	free(want);
	/* meson.build alone is not ndctl */
	want = str_printf("%s/test has no test/meson.build: not an ndctl source tree", nd);
	expect_error("ndctl=" DATA_DIR "/ndctl/test", want);
	free(want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_specs),
		cmocka_unit_test(unknown_kind),
		cmocka_unit_test(missing_equals),
		cmocka_unit_test(dir_missing),
		cmocka_unit_test(dir_not_the_suite),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
