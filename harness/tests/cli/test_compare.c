// SPDX-License-Identifier: GPL-2.0
/*
 * test_compare.c - daxtest compare: what changed between two runs
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/compare.h"

static void add_test(struct run_report *r, const char *name, enum test_status st,
		     const char *sub, enum ktap_status sub_st)
{
	struct test_result *t;

	r->tests = realloc(r->tests, (r->nr_tests + 1) * sizeof(*r->tests));
	assert_non_null(r->tests);
	t = &r->tests[r->nr_tests++];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	t->status = st;
	if (sub) {
		t->ktap.tests = calloc(1, sizeof(*t->ktap.tests));
		assert_non_null(t->ktap.tests);
		t->ktap.nr_tests = 1;
		t->ktap.tests[0].name = strdup(sub);
		t->ktap.tests[0].status = sub_st;
	}
}

static char *compare_text(const struct run_report *a, const struct run_report *b, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*ret = compare_reports(f, a, b);
	fclose(f);
	return text;
}

static void stock_against_patched(void **state)
{
	struct run_report a = { .run_id = strdup("stock") }, b = { .run_id = strdup("patched") };
	char *text;
	int ret;

	add_test(&a, "hwpoison/nfit_inject@map=mem", TEST_XFAIL, "nfitfs.xfs.recovery_write", KTAP_FAIL);
	add_test(&b, "hwpoison/nfit_inject@map=mem", TEST_PASS, "nfitfs.xfs.recovery_write", KTAP_PASS);
	add_test(&a, "a/same@map=mem", TEST_PASS, NULL, KTAP_PASS);
	add_test(&b, "a/same@map=mem", TEST_PASS, NULL, KTAP_PASS);
	add_test(&a, "a/gone@map=mem", TEST_SKIP, NULL, KTAP_PASS);
	add_test(&b, "a/new@map=mem", TEST_FAIL, NULL, KTAP_PASS);

	text = compare_text(&a, &b, &ret);
	assert_int_equal(ret, 1);
	assert_non_null(strstr(text, "hwpoison/nfit_inject@map=mem"));
	assert_non_null(strstr(text, "xfail -> pass"));
	assert_non_null(strstr(text, "nfitfs.xfs.recovery_write"));
	assert_non_null(strstr(text, "fail -> pass"));
	assert_null(strstr(text, "a/same"));
	assert_non_null(strstr(text, "skip -> -"));
	assert_non_null(strstr(text, "- -> fail"));
	assert_non_null(strstr(text, "1 changed, 1 unchanged, 1 only in A, 1 only in B"));
	free(text);

	text = compare_text(&a, &a, &ret);
	assert_int_equal(ret, 0);
	assert_non_null(strstr(text, "0 changed, 3 unchanged, 0 only in A, 0 only in B"));
	free(text);
	run_report_free(&a);
	run_report_free(&b);
}

static void arguments(void **state)
{
	assert_null(compare_json_path("/nonexistent/run"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stock_against_patched),
		cmocka_unit_test(arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
