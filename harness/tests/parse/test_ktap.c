// SPDX-License-Identifier: GPL-2.0
/*
 * test_ktap.c - unit tests of the KTAP parser
 *
 * Run from the repository root: saved logs are read from DATA_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fsutil.h"
#include "parse/ktap.h"

#ifndef DATA_DIR
#define DATA_DIR "harness/tests/data"
#endif

static void parse_text(const char *text, size_t len, struct ktap_doc *doc)
{
	assert_int_equal(ktap_parse(text, len, doc), 0);
}

static void parse_str(const char *text, struct ktap_doc *doc)
{
	parse_text(text, strlen(text), doc);
}

static void parse_file(const char *name, struct ktap_doc *doc)
{
	char path[256];
	char *text;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	if (read_file(path, &text, &len))
		fail_msg("cannot read %s (run from the repository root)", path);
	parse_text(text, len, doc);
	free(text);
}

static bool lines_contain(char **v, size_t n, const char *needle)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strstr(v[i], needle))
			return true;
	return false;
}

static bool has_error(const struct ktap_doc *doc, const char *needle)
{
	return lines_contain(doc->errors, doc->nr_errors, needle);
}

static void assert_result(const struct ktap_test *t, int number, const char *name,
			  enum ktap_status status, const char *directive)
{
	assert_int_equal(t->number, number);
	assert_string_equal(t->name, name);
	assert_string_equal(ktap_status_name(t->status), ktap_status_name(status));
	if (directive)
		assert_string_equal(t->directive, directive);
	else
		assert_null(t->directive);
}

static void test_kselftest_pass(void **state)
{
	struct ktap_doc doc;
	struct ktap_counts c = { 0 };

	parse_file("ktap_kselftest_pass.log", &doc);
	assert_true(doc.has_version);
	assert_int_equal(doc.plan, 3);
	assert_int_equal(doc.nr_tests, 3);
	assert_int_equal(doc.nr_errors, 0);
	assert_result(&doc.tests[0], 1, "dax_statx.dax_always.new_file_inherits", KTAP_PASS, NULL);
	assert_result(&doc.tests[1], 2, "dax_statx.dax_always.statx_reports_dax", KTAP_PASS, NULL);
	assert_result(&doc.tests[2], 3, "dax_statx.dax_never.statx_reports_no_dax", KTAP_PASS, NULL);
	/* Each test's diagnostics are its own, without the "# " prefix. */
	assert_int_equal(doc.tests[1].nr_diag, 2);
	assert_string_equal(doc.tests[1].diag[0],
			    " RUN           dax_statx.dax_always.statx_reports_dax ...");
	assert_false(lines_contain(doc.tests[1].diag, doc.tests[1].nr_diag, "new_file_inherits"));
	assert_int_equal(doc.nr_trailing, 2);
	assert_string_equal(doc.trailing[1],
			    "Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0");
	ktap_count(&doc, &c);
	assert_int_equal(c.passed, 3);
	assert_int_equal(c.failed + c.skipped + c.xfailed + c.timeout + c.error, 0);
	ktap_doc_free(&doc);
	assert_null(doc.tests);
	assert_int_equal(doc.plan, -1);
}

static void test_kselftest_fail(void **state)
{
	struct ktap_doc doc;
	struct ktap_counts c = { 0 };
	const struct ktap_test *t;

	parse_file("ktap_kselftest_fail.log", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 4);
	t = doc.tests;
	assert_result(&t[0], 1, "per_file.dax_always.always_file", KTAP_FAIL, NULL);
	assert_result(&t[1], 2, "per_file.dax_always.toggle_on_empty_file", KTAP_PASS, NULL);
	assert_result(&t[2], 3, "per_file.dax_always.toggle_refused_while_mapped", KTAP_FAIL, NULL);
	assert_result(&t[3], 4, "per_file.dax_never.never_file", KTAP_PASS, NULL);
	assert_true(lines_contain(t[0].diag, t[0].nr_diag,
		"dax_statx.c:42:always_file:Expected 0x200000 (2097152) == attr & STATX_ATTR_DAX (0)"));
	assert_true(lines_contain(t[0].diag, t[0].nr_diag, "Test terminated by assertion"));
	assert_true(lines_contain(t[2].diag, t[2].nr_diag, "Expected EBUSY (16) == errno (0)"));
	assert_false(lines_contain(t[2].diag, t[2].nr_diag, "always_file"));
	ktap_count(&doc, &c);
	assert_int_equal(c.passed, 2);
	assert_int_equal(c.failed, 2);
	/* ktap_count adds to what is there. */
	ktap_count(&doc, &c);
	assert_int_equal(c.failed, 4);
	ktap_doc_free(&doc);
}

static void test_kselftest_skip(void **state)
{
	struct ktap_doc doc;
	struct ktap_counts c = { 0 };
	const char *reason = "no devdax namespace (DAXTEST_PMEM_DEVMAP unset)";

	parse_file("ktap_kselftest_skip.log", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 3);
	assert_result(&doc.tests[0], 1, "mmap_sync.fsdax.map_sync_write", KTAP_PASS, NULL);
	assert_result(&doc.tests[1], 2, "mmap_sync.devdax.map_sync_write", KTAP_SKIP, reason);
	assert_result(&doc.tests[2], 3, "mmap_sync.devdax.map_sync_private_refused",
		      KTAP_SKIP, reason);
	ktap_count(&doc, &c);
	assert_int_equal(c.passed, 1);
	assert_int_equal(c.skipped, 2);
	ktap_doc_free(&doc);
}

static void test_kselftest_truncated(void **state)
{
	struct ktap_doc doc;

	parse_file("ktap_kselftest_truncated.log", &doc);
	assert_int_equal(doc.plan, 5);
	assert_int_equal(doc.nr_tests, 3);
	assert_int_equal(doc.nr_errors, 1);
	assert_string_equal(doc.errors[0], "planned 5, got 3 results");
	/* Where it stopped: the test that was running when it was killed. */
	assert_int_equal(doc.nr_trailing, 2);
	assert_string_equal(doc.trailing[0],
			    " RUN           truncate.fsdax.truncate_while_faulting ...");
	assert_true(strstr(doc.trailing[1], "faulting thread started"));
	ktap_doc_free(&doc);
}

static void test_nested_spec_example(void **state)
{
	struct ktap_doc doc;
	struct ktap_counts c = { 0 };
	const struct ktap_test *main_test, *ex;

	parse_file("ktap_nested.log", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 1);
	main_test = &doc.tests[0];
	assert_result(main_test, 1, "main_test", KTAP_FAIL, NULL);
	assert_int_equal(main_test->nr_subtests, 3);
	ex = main_test->subtests;
	assert_result(&ex[0], 1, "example_test_1", KTAP_PASS, NULL);
	assert_result(&ex[1], 2, "example_test_2", KTAP_PASS, NULL);
	assert_result(&ex[2], 3, "example_test_3", KTAP_FAIL, NULL);

	assert_int_equal(ex[0].nr_subtests, 1);
	assert_result(&ex[0].subtests[0], 1, "test_1", KTAP_PASS, NULL);
	assert_int_equal(ex[0].subtests[0].nr_diag, 1);
	assert_string_equal(ex[0].subtests[0].diag[0], "test_1: initializing test_1");

	assert_int_equal(ex[1].nr_subtests, 2);
	assert_result(&ex[1].subtests[0], 1, "test_1", KTAP_SKIP, "test_1 skipped");
	assert_result(&ex[1].subtests[1], 2, "test_2", KTAP_PASS, NULL);

	assert_int_equal(ex[2].nr_subtests, 3);
	assert_result(&ex[2].subtests[1], 2, "test_2", KTAP_FAIL, NULL);
	assert_string_equal(ex[2].subtests[1].diag[0], "test_2: FAIL");
	assert_result(&ex[2].subtests[2], 3, "test_3", KTAP_SKIP, "test_3 skipped");

	/* Leaves only: the suites and main_test are not counted. */
	ktap_count(&doc, &c);
	assert_int_equal(c.passed, 3);
	assert_int_equal(c.failed, 1);
	assert_int_equal(c.skipped, 2);
	ktap_doc_free(&doc);
}

static void test_nested_parent_diag(void **state)
{
	struct ktap_doc doc;

	/* ktap.rst: an unindented diagnostic before the parent's result. */
	parse_str("KTAP version 1\n"
		  "1..1\n"
		  "  KTAP version 1\n"
		  "  1..2\n"
		  "  ok 1 test_1\n"
		  "  not ok 2 test_2\n"
		  "# example failed\n"
		  "not ok 1 example\n", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 1);
	assert_result(&doc.tests[0], 1, "example", KTAP_FAIL, NULL);
	assert_int_equal(doc.tests[0].nr_subtests, 2);
	assert_result(&doc.tests[0].subtests[1], 2, "test_2", KTAP_FAIL, NULL);
	assert_int_equal(doc.tests[0].nr_diag, 1);
	assert_string_equal(doc.tests[0].diag[0], "example failed");
	ktap_doc_free(&doc);
}

static void test_kunit_subtest_header_and_tabs(void **state)
{
	struct ktap_doc doc;
	const struct ktap_test *t;

	parse_str("KTAP version 1\n"
		  "1..2\n"
		  "    KTAP version 1\n"
		  "    # Subtest: dax_kunit\n"
		  "    # module: dax_kunit\n"
		  "    1..2\n"
		  "    ok 1 dax_iomap_basic\n"
		  "    not ok 2 dax_iomap_holes\n"
		  "# dax_kunit: pass:1 fail:1 skip:0 total:2\n"
		  "not ok 1 dax_kunit\n"
		  "    # Subtest: old_style\n"
		  "    1..1\n"
		  "    ok 1 old_case\n"
		  "ok 2 old_style\n", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 2);
	t = doc.tests;
	assert_result(&t[0], 1, "dax_kunit", KTAP_FAIL, NULL);
	assert_int_equal(t[0].nr_subtests, 2);
	assert_result(&t[0].subtests[1], 2, "dax_iomap_holes", KTAP_FAIL, NULL);
	assert_true(lines_contain(t[0].diag, t[0].nr_diag, "pass:1 fail:1"));
	assert_result(&t[1], 2, "old_style", KTAP_PASS, NULL);
	assert_int_equal(t[1].nr_subtests, 1);
	ktap_doc_free(&doc);

	/* Old KUnit: tab indentation and "ok N - name". */
	parse_str("TAP version 14\n"
		  "1..1\n"
		  "\t# Subtest: sysctl_test\n"
		  "\t1..2\n"
		  "\tok 1 - sysctl_test_dointvec_null_tbl_data\n"
		  "\tok 2 - sysctl_test_dointvec_table_len_is_zero\n"
		  "ok 1 - sysctl_test\n", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_result(&doc.tests[0], 1, "sysctl_test", KTAP_PASS, NULL);
	assert_int_equal(doc.tests[0].nr_subtests, 2);
	assert_string_equal(doc.tests[0].subtests[0].name, "sysctl_test_dointvec_null_tbl_data");
	ktap_doc_free(&doc);
}

static void test_directives(void **state)
{
	struct ktap_doc doc;
	const struct ktap_test *t;

	parse_str("TAP version 13\n"
		  "1..10\n"
		  "ok 1 a # SKIP\n"
		  "not ok 2 b # skip lower case reason\n"
		  "ok 3 c # TODO not yet\n"
		  "not ok 4 d # XFAIL known broken\n"
		  "not ok 5 e # TIMEOUT 30 seconds\n"
		  "not ok 6 # error could not open /dev/pmem0\n"
		  "ok 7 f # XPASS unexpectedly passed\n"
		  "ok 8 check return code # rcode=0\n"
		  "not ok 9 - g #  reason after two spaces\n"
		  "ok 10 h # SKIPPED is not SKIP\n", &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 10);
	t = doc.tests;
	assert_result(&t[0], 1, "a", KTAP_SKIP, NULL);
	assert_result(&t[1], 2, "b", KTAP_SKIP, "lower case reason");
	assert_result(&t[2], 3, "c", KTAP_XFAIL, "not yet");
	assert_result(&t[3], 4, "d", KTAP_XFAIL, "known broken");
	assert_result(&t[4], 5, "e", KTAP_TIMEOUT, "30 seconds");
	assert_result(&t[5], 6, "", KTAP_ERROR, "could not open /dev/pmem0");
	assert_result(&t[6], 7, "f", KTAP_FAIL, "XPASS unexpectedly passed");
	assert_result(&t[7], 8, "check return code", KTAP_PASS, "rcode=0");
	assert_result(&t[8], 9, "g", KTAP_FAIL, "reason after two spaces");
	assert_result(&t[9], 10, "h", KTAP_PASS, "SKIPPED is not SKIP");
	ktap_doc_free(&doc);
}

static void test_fake_results_after_plan(void **state)
{
	static const char extra[] = "ok 4 fake\nnot ok 5 another\n";
	struct ktap_doc doc;
	char path[256], *text, *all;
	size_t len;

	snprintf(path, sizeof(path), "%s/ktap_kselftest_pass.log", DATA_DIR);
	assert_int_equal(read_file(path, &text, &len), 0);
	all = malloc(len + sizeof(extra));
	assert_non_null(all);
	memcpy(all, text, len);
	memcpy(all + len, extra, sizeof(extra));
	parse_str(all, &doc);
	free(text);
	free(all);

	assert_int_equal(doc.nr_tests, 3);
	assert_int_equal(doc.nr_errors, 2);
	assert_string_equal(doc.errors[0], "line 15: result after all 3 planned results: ok 4 fake");
	assert_true(has_error(&doc, "line 16: result after all 3 planned results"));
	/* Not counted, but visible. */
	assert_true(lines_contain(doc.trailing, doc.nr_trailing, "ok 4 fake"));
	ktap_doc_free(&doc);
}

static void test_out_of_order(void **state)
{
	struct ktap_doc doc;

	parse_str("TAP version 13\n1..3\nok 1 a\nok 3 c\nok 2 b\nok 3 c\nok 3 again\n", &doc);
	assert_int_equal(doc.nr_tests, 3);
	assert_string_equal(doc.tests[1].name, "b");
	assert_true(lines_contain(doc.tests[1].diag, doc.tests[1].nr_diag, "ok 3 c"));
	assert_int_equal(doc.nr_errors, 2);
	assert_string_equal(doc.errors[0], "line 4: result 3 out of order, expected 2: ok 3 c");
	assert_string_equal(doc.errors[1],
			    "line 7: result after all 3 planned results: ok 3 again");
	ktap_doc_free(&doc);
}

static void test_missing_version_and_plan(void **state)
{
	struct ktap_doc doc;

	parse_str("ok 1 a\nok 2 b\n", &doc);
	assert_false(doc.has_version);
	assert_int_equal(doc.plan, -1);
	assert_int_equal(doc.nr_tests, 2);
	assert_int_equal(doc.nr_errors, 2);
	assert_string_equal(doc.errors[0], "no version line");
	assert_string_equal(doc.errors[1], "no plan line");
	ktap_doc_free(&doc);

	parse_text("", 0, &doc);
	assert_int_equal(doc.nr_tests, 0);
	assert_int_equal(doc.nr_errors, 2);
	ktap_doc_free(&doc);

	/* A program that skips everything: "1..0 # SKIP reason". */
	parse_str("TAP version 13\n1..0 # SKIP no pmem device\n", &doc);
	assert_int_equal(doc.plan, 0);
	assert_int_equal(doc.nr_errors, 0);
	ktap_doc_free(&doc);
}

static void test_result_without_open_subtest(void **state)
{
	struct ktap_doc doc;

	parse_str("KTAP version 1\n1..1\n    ok 1 stray\nok 1 a\n", &doc);
	assert_int_equal(doc.nr_tests, 1);
	assert_int_equal(doc.tests[0].nr_subtests, 0);
	assert_int_equal(doc.nr_errors, 1);
	assert_string_equal(doc.errors[0],
			    "line 3: result at indentation 4 has no open subtest: ok 1 stray");
	assert_true(lines_contain(doc.tests[0].diag, doc.tests[0].nr_diag, "ok 1 stray"));
	ktap_doc_free(&doc);

	/* The subtest block at indentation 2 was closed by "ok 1 a". */
	parse_str("KTAP version 1\n1..2\n"
		  "  KTAP version 1\n  1..1\n  ok 1 x\n"
		  "ok 1 a\n"
		  "  ok 2 stray\n"
		  "ok 2 b\n", &doc);
	assert_int_equal(doc.nr_tests, 2);
	assert_int_equal(doc.tests[0].nr_subtests, 1);
	assert_int_equal(doc.tests[1].nr_subtests, 0);
	assert_int_equal(doc.nr_errors, 1);
	assert_true(has_error(&doc, "line 7: result at indentation 2 has no open subtest"));
	ktap_doc_free(&doc);
}

static void test_unfinished_subtests(void **state)
{
	struct ktap_doc doc;

	parse_str("KTAP version 1\n1..1\n  KTAP version 1\n  1..2\n  ok 1 a\n  # dying\n", &doc);
	assert_int_equal(doc.nr_tests, 0);
	assert_int_equal(doc.nr_errors, 2);
	assert_string_equal(doc.errors[0],
			    "1 results at indentation 2 have no parent result (the output ends)");
	assert_string_equal(doc.errors[1], "planned 1, got 0 results");
	assert_true(lines_contain(doc.trailing, doc.nr_trailing, "dying"));
	ktap_doc_free(&doc);

	parse_str("KTAP version 1\n1..1\n  KTAP version 1\n  1..3\n  ok 1 a\nok 1 parent\n", &doc);
	assert_int_equal(doc.tests[0].nr_subtests, 1);
	assert_int_equal(doc.nr_errors, 1);
	assert_string_equal(doc.errors[0], "line 6: planned 3, got 1 subtests");
	ktap_doc_free(&doc);
}

static void test_bail_out(void **state)
{
	struct ktap_doc doc;

	parse_str("TAP version 13\n1..3\nok 1 a\nBail out! cannot mount /dev/pmem0\n"
		  "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:0 error:0\n", &doc);
	assert_int_equal(doc.nr_tests, 1);
	assert_int_equal(doc.nr_errors, 2);
	assert_string_equal(doc.errors[0], "line 4: Bail out! cannot mount /dev/pmem0");
	assert_string_equal(doc.errors[1], "planned 3, got 1 results");
	assert_string_equal(doc.trailing[0], "Bail out! cannot mount /dev/pmem0");
	ktap_doc_free(&doc);
}

static void test_nul_crlf_and_no_final_newline(void **state)
{
	static const char text[] = "TAP version 13\r\n1..2\r\nok 1 a\0b\r\n# \033[31mred\r\nnot ok 2 last";
	struct ktap_doc doc;

	parse_text(text, sizeof(text) - 1, &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 2);
	assert_string_equal(doc.tests[0].name, "a?b");
	assert_string_equal(doc.tests[1].name, "last");
	assert_string_equal(doc.tests[1].diag[0], "?[31mred");
	ktap_doc_free(&doc);
}

static void test_very_long_lines(void **state)
{
	size_t big = 1 << 20, len;
	struct ktap_doc doc;
	char *text;

	text = malloc(2 * big + 64);
	assert_non_null(text);
	len = sprintf(text, "TAP version 13\n1..1\n# ");
	memset(text + len, 'd', big);
	len += big;
	len += sprintf(text + len, "\nok 1 ");
	memset(text + len, 'x', big);
	len += big;

	parse_text(text, len, &doc);
	assert_int_equal(doc.nr_errors, 0);
	assert_int_equal(doc.nr_tests, 1);
	assert_int_equal(strlen(doc.tests[0].name), KTAP_MAX_TEXT - strlen("ok 1 "));
	assert_int_equal(strlen(doc.tests[0].diag[0]), KTAP_MAX_TEXT - strlen("# "));
	ktap_doc_free(&doc);
	free(text);
}

static size_t tree_depth(const struct ktap_test *tests, size_t n)
{
	size_t i, d, max = 0;

	for (i = 0; i < n; i++) {
		d = 1 + tree_depth(tests[i].subtests, tests[i].nr_subtests);
		if (d > max)
			max = d;
	}
	return max;
}

static void test_nesting_limit(void **state)
{
	enum { LEVELS = 40 };
	struct ktap_doc doc;
	char *text, *p;
	int i;

	text = malloc(LEVELS * (2 * LEVELS + 32) * 2);
	assert_non_null(text);
	p = text;
	for (i = 0; i < LEVELS; i++)
		p += sprintf(p, "%*sKTAP version 1\n%*s1..1\n", 2 * i, "", 2 * i, "");
	for (i = LEVELS - 1; i >= 0; i--)
		p += sprintf(p, "%*sok 1 level%d\n", 2 * i, "", i);
	parse_text(text, p - text, &doc);
	free(text);

	assert_true(has_error(&doc, "subtests nested deeper than 16 levels"));
	assert_int_equal(doc.nr_tests, 1);
	assert_string_equal(doc.tests[0].name, "level0");
	assert_int_equal(tree_depth(doc.tests, doc.nr_tests), KTAP_MAX_DEPTH);
	ktap_doc_free(&doc);
}

static void test_error_limit(void **state)
{
	struct ktap_doc doc;
	char *text, *p;
	int i;

	text = malloc(200 * 16 + 32);
	assert_non_null(text);
	p = text + sprintf(text, "TAP version 13\n1..1\nok 1 a\n");
	for (i = 0; i < 200; i++)
		p += sprintf(p, "ok 9 x\n");
	parse_text(text, p - text, &doc);
	free(text);
	assert_int_equal(doc.nr_tests, 1);
	assert_int_equal(doc.nr_errors, 65);
	assert_string_equal(doc.errors[64], "more errors, not shown");
	ktap_doc_free(&doc);
}

static void check_text(const char *s)
{
	const unsigned char *p;

	assert_non_null(s);
	assert_true(strlen(s) <= KTAP_MAX_TEXT);
	for (p = (const unsigned char *)s; *p; p++)
		assert_true(*p >= 0x20 ? *p != 0x7f : *p == '\t');
}

/* What any parse must give: sane text, results numbered 1..n. */
static void check_tree(const struct ktap_test *tests, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		assert_int_equal(tests[i].number, i + 1);
		assert_true(tests[i].status <= KTAP_ERROR);
		check_text(tests[i].name);
		if (tests[i].directive)
			check_text(tests[i].directive);
		for (j = 0; j < tests[i].nr_diag; j++)
			check_text(tests[i].diag[j]);
		check_tree(tests[i].subtests, tests[i].nr_subtests);
	}
}

static void check_doc(const struct ktap_doc *doc)
{
	size_t i;

	check_tree(doc->tests, doc->nr_tests);
	if (doc->plan >= 0)
		assert_true(doc->nr_tests <= (size_t)doc->plan);
	assert_true(doc->nr_errors <= 65);
	for (i = 0; i < doc->nr_errors; i++)
		check_text(doc->errors[i]);
	for (i = 0; i < doc->nr_trailing; i++)
		check_text(doc->trailing[i]);
}

static void test_garbage_file(void **state)
{
	struct ktap_doc doc;

	parse_file("ktap_garbage.log", &doc);
	check_doc(&doc);
	/* "KTAP version 1" comes after results: no version at the top. */
	assert_true(has_error(&doc, "no version line"));
	assert_true(has_error(&doc, "has no open subtest"));
	assert_int_equal(doc.nr_tests, 3);
	assert_string_equal(doc.tests[0].name, "looks real");
	assert_string_equal(doc.tests[1].name, "?nul in name");
	assert_string_equal(doc.tests[2].name, "last line without newline");
	assert_int_equal(doc.tests[2].status, KTAP_SKIP);
	ktap_doc_free(&doc);
}

static void test_random_input(void **state)
{
	static const char *const pieces[] = {
		"ok ", "not ok ", "1..", "1", "2", "3", "99999999999", " ", "  ",
		"    ", "\t", "\n", "\n", "\n", "# ", "#", "KTAP version 1",
		"TAP version 13", "- ", "# SKIP", " # TODO", "# Subtest: s",
		"Bail out!", "x", "\r", "\xff\xfe", "\xc3\x28", "\0",
	};
	const size_t nr_pieces = sizeof(pieces) / sizeof(pieces[0]);
	char buf[4096];
	unsigned int seed = 12345;
	struct ktap_doc doc;
	size_t len, k;
	int round;

	for (round = 0; round < 3000; round++) {
		len = 0;
		while (len < sizeof(buf) - 64) {
			const char *piece = pieces[rand_r(&seed) % nr_pieces];
			size_t plen = *piece ? strlen(piece) : 1;

			memcpy(buf + len, piece, plen);
			len += plen;
			if (rand_r(&seed) % 200 == 0)
				break;
		}
		for (k = 0; k < len / 64; k++)
			if (rand_r(&seed) % 8 == 0)
				buf[rand_r(&seed) % len] = (char)rand_r(&seed);
		parse_text(buf, len, &doc);
		check_doc(&doc);
		ktap_doc_free(&doc);
	}
}

static void test_status_names(void **state)
{
	assert_string_equal(ktap_status_name(KTAP_PASS), "pass");
	assert_string_equal(ktap_status_name(KTAP_FAIL), "fail");
	assert_string_equal(ktap_status_name(KTAP_SKIP), "skip");
	assert_string_equal(ktap_status_name(KTAP_XFAIL), "xfail");
	assert_string_equal(ktap_status_name(KTAP_TIMEOUT), "timeout");
	assert_string_equal(ktap_status_name(KTAP_ERROR), "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kselftest_pass),
		cmocka_unit_test(test_kselftest_fail),
		cmocka_unit_test(test_kselftest_skip),
		cmocka_unit_test(test_kselftest_truncated),
		cmocka_unit_test(test_nested_spec_example),
		cmocka_unit_test(test_nested_parent_diag),
		cmocka_unit_test(test_kunit_subtest_header_and_tabs),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_fake_results_after_plan),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_missing_version_and_plan),
		cmocka_unit_test(test_result_without_open_subtest),
		cmocka_unit_test(test_unfinished_subtests),
		cmocka_unit_test(test_bail_out),
		cmocka_unit_test(test_nul_crlf_and_no_final_newline),
		cmocka_unit_test(test_very_long_lines),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_error_limit),
		cmocka_unit_test(test_garbage_file),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
