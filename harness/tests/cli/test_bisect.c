// SPDX-License-Identifier: GPL-2.0
/*
 * test_bisect.c - the git command lines of daxtest bisect
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/bisect.h"
#include "lib/strv.h"

static void git_argv_in_order(void **state)
{
	const char *args[] = { "rev-parse", "--verify", "-q", "HEAD", NULL };
	static const char *const want[] = { "git", "-C", "/k", "rev-parse", "--verify", "-q",
					    "HEAD" };
	struct strv argv = { 0 };
	size_t i;

	assert_int_equal(bisect_git_argv(&argv, "/k", args), 0);
	assert_int_equal(argv.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < argv.n; i++)
		assert_string_equal(argv.v[i], want[i]);
	assert_null(argv.v[argv.n]);
	strv_free(&argv);
}

/* More arguments than the old argv[16] held: none is cut. */
static void git_argv_keeps_every_argument(void **state)
{
	enum { NR = 30 };
	const char *args[NR + 1];
	char names[NR][16];
	struct strv argv = { 0 };
	size_t i;

	for (i = 0; i < NR; i++) {
		snprintf(names[i], sizeof(names[i]), "arg%zu", i);
		args[i] = names[i];
	}
	args[NR] = NULL;
	assert_int_equal(bisect_git_argv(&argv, "/k", args), 0);
	assert_int_equal(argv.n, 3 + NR);
	for (i = 0; i < NR; i++)
		assert_string_equal(argv.v[3 + i], names[i]);
	strv_free(&argv);
}

/* A step with more arguments (--config/--patches, ...) than the old
 * argv[64] held: git bisect run gets all of them, in order. */
static void run_argv_keeps_every_step_argument(void **state)
{
	enum { NR = 100 };
	struct strv step = { 0 }, argv = { 0 };
	size_t i;

	strv_add(&step, "/usr/bin/daxtest");
	strv_add(&step, "bisect-step");
	for (i = 2; i < NR; i++)
		strv_addf(&step, "--config=/cfg/%zu.config", i);
	assert_false(step.err);
	assert_int_equal(bisect_run_argv(&argv, "/k", &step), 0);
	assert_int_equal(argv.n, 5 + NR);
	assert_string_equal(argv.v[0], "git");
	assert_string_equal(argv.v[2], "/k");
	assert_string_equal(argv.v[3], "bisect");
	assert_string_equal(argv.v[4], "run");
	for (i = 0; i < NR; i++)
		assert_string_equal(argv.v[5 + i], step.v[i]);
	assert_null(argv.v[argv.n]);
	strv_free(&step);
	strv_free(&argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(git_argv_in_order),
		cmocka_unit_test(git_argv_keeps_every_argument),
		cmocka_unit_test(run_argv_keeps_every_step_argument),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
