// SPDX-License-Identifier: GPL-2.0
/*
 * test_verdict.c - pass, fail, skip or timeout, and why
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run/verdict.h"

static const char pass_ktap[] =
	"TAP version 13\n"
	"1..2\n"
	"# Starting 2 tests from 1 test cases.\n"
	"ok 1 dax.statx\n"
	"ok 2 dax.mmap\n"
	"# Totals: pass:2 fail:0 xfail:0 xpass:0 skip:0 error:0\n";

static void set_output(struct test_result *t, const char *text)
{
	t->output = strdup(text);
	assert_non_null(t->output);
	t->output_len = strlen(text);
}

static const struct agent_event exited0 = { .kind = AGENT_END, .index = 1, .exit_code = 0 };

static void clean_output_passes(void **state)
{
	struct test_result t = { 0 };

	set_output(&t, pass_ktap);
	verdict_judge(&t, &exited0, 45);
	assert_int_equal(t.status, TEST_PASS);
	assert_null(t.reason);
	assert_int_equal(t.exit_code, 0);
	assert_int_equal(t.ktap.nr_tests, 2);
	test_result_free(&t);
}

/* Judged twice (a power-fail test's phases): the second parse replaces
 * the first without leaking it. */
static void judging_again_replaces_the_ktap(void **state)
{
	struct test_result t = { 0 };

	set_output(&t, pass_ktap);
	verdict_judge(&t, &exited0, 45);
	verdict_judge(&t, &exited0, 45);
	assert_int_equal(t.status, TEST_PASS);
	assert_int_equal(t.ktap.nr_tests, 2);
	test_result_free(&t);
}

/* Output that is not KTAP: a failure naming the broken KTAP, even with
 * exit status 0. */
static void garbled_output_fails(void **state)
{
	struct test_result t = { 0 };

	set_output(&t, "Segmentation fault? no: just some text\n");
	verdict_judge(&t, &exited0, 45);
	assert_int_equal(t.status, TEST_FAIL);
	assert_non_null(t.reason);
	assert_non_null(strstr(t.reason, "KTAP"));
	test_result_free(&t);
}

/* ktap_parse() failed (out of memory: t->ktap is empty). The empty doc
 * must not read as "no subtest failed": exit status 0 is no pass. */
static void unparsed_output_is_not_a_pass(void **state)
{
	struct test_result t = { 0 };

	set_output(&t, pass_ktap);
	verdict_decide(&t, &exited0, 45, false);
	assert_int_equal(t.status, TEST_FAIL);
	assert_non_null(t.reason);
	assert_non_null(strstr(t.reason, "KTAP"));
	test_result_free(&t);
}

/* Nor a skip with a made-up reason from the empty doc. */
static void unparsed_output_is_not_a_skip(void **state)
{
	struct agent_event ev = exited0;
	struct test_result t = { 0 };

	ev.exit_code = 4;
	set_output(&t, pass_ktap);
	verdict_decide(&t, &ev, 45, false);
	assert_int_equal(t.status, TEST_FAIL);
	assert_non_null(strstr(t.reason, "KTAP"));
	test_result_free(&t);
}

/* How it ended says more than the output: a timeout stays a timeout. */
static void unparsed_output_of_a_timeout(void **state)
{
	struct agent_event ev = exited0;
	struct test_result t = { 0 };

	ev.exit_code = -1;
	ev.signal = 9;
	ev.timed_out = true;
	set_output(&t, "TAP version 13\n1..2\nok 1 a\n");
	verdict_decide(&t, &ev, 45, false);
	assert_int_equal(t.status, TEST_TIMEOUT);
	assert_string_equal(t.reason, "timed out after 45 s and was killed");
	test_result_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(clean_output_passes),
		cmocka_unit_test(judging_again_replaces_the_ktap),
		cmocka_unit_test(garbled_output_fails),
		cmocka_unit_test(unparsed_output_is_not_a_pass),
		cmocka_unit_test(unparsed_output_is_not_a_skip),
		cmocka_unit_test(unparsed_output_of_a_timeout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
