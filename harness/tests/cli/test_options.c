// SPDX-License-Identifier: GPL-2.0
/*
 * test_options.c - parsing the command line has no side effects on disk,
 * and the run request carries what the options said
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/options.h"
#include "lib/fsutil.h"
#include "tests/unit_tempdir.h"

/* options_parse used to create the cache directory (and its parents):
 * even 'daxtest list' or a rejected command line left one behind. */
static void parse_creates_no_directory(void **state)
{
	const char *dir = *state;
	char *xdg = path_join(dir, "xdg"), *want = path_join(dir, "xdg/daxtest");
	char *argv[] = { "daxtest", "list", NULL };
	struct options o;

	unsetenv("DAXTEST_CACHE");
	setenv("XDG_CACHE_HOME", xdg, 1);
	assert_int_equal(options_parse(&o, 2, argv), 0);
	assert_string_equal(o.cache_dir, want);
	assert_int_equal(access(xdg, F_OK), -1);
	options_free(&o);
	free(xdg);
	free(want);
}

static void run_request_from_options(void **state)
{
	char *argv[] = { "daxtest", "run", "--tests", "reflink/*", "--cpus", "3",
			 "--nvdimms", "2", "--seed", "7", "--cache", "/nonexistent/c", NULL };
	struct options o;
	struct run_request req;

	assert_int_equal(options_parse(&o, 12, argv), 0);
	options_run_request(&o, &req);
	assert_string_equal(req.tests, "reflink/*");
	assert_int_equal(req.guest.cpus, 3);
	assert_true(req.cpus_given);
	assert_int_equal(req.guest.nr_nvdimms, 2);
	assert_true(req.seed_given);
	assert_int_equal(req.seed, 7);
	assert_string_equal(req.cache_dir, "/nonexistent/c");
	assert_string_equal(req.kernel.cache_dir, "/nonexistent/c");
	assert_int_equal(access("/nonexistent/c", F_OK), -1);
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_creates_no_directory),
		cmocka_unit_test(run_request_from_options),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
