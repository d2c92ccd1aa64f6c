// SPDX-License-Identifier: GPL-2.0
/*
 * test_report.c - unit tests of the report writers and result helpers
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

#include <json-c/json.h>

#include "tests/unit_tempdir.h"
#include "lib/fsutil.h"
#include "report/report.h"

#ifndef DATA_DIR
#define DATA_DIR "harness/tests/data"
#endif

#define WARN_TITLE "WARNING: CPU: 0 PID: 215 at fs/dax.c:1203 dax_insert_entry+0x2f1/0x330"
#define ASSERT_LINE "dax_statx.c:42:always_file:Expected 0x200000 (2097152) == attr & STATX_ATTR_DAX (0)"

static char *xstrdup(const char *s)
{
	char *copy = s ? strdup(s) : NULL;

	if (s)
		assert_non_null(copy);
	return copy;
}

static char *load(const char *name, size_t *len)
{
	char path[256];
	char *text;

	snprintf(path, sizeof(path), "%s/%s", DATA_DIR, name);
	if (read_file(path, &text, len))
		fail_msg("cannot read %s (run from the repository root)", path);
	return text;
}

/* A finished test whose output is the saved log (or the given text). */
static void set_test(struct test_result *t, const char *name, enum test_status status,
		     const char *reason, const char *log)
{
	memset(t, 0, sizeof(*t));
	t->name = xstrdup(name);
	t->status = status;
	t->reason = xstrdup(reason);
	t->exit_code = status == TEST_PASS ? 0 : 1;
	t->seconds = 1.25;
	if (log) {
		t->output = load(log, &t->output_len);
	} else {
		t->output = xstrdup("");
		t->output_len = 0;
	}
	assert_int_equal(ktap_parse(t->output, t->output_len, &t->ktap), 0);
}

static void add_finding(struct kfinding **f, size_t *nr, enum kfinding_kind kind,
			const char *title, const char *second_line)
{
	struct kfinding *grown;
	struct kfinding *k;

	grown = realloc(*f, (*nr + 1) * sizeof(**f));
	assert_non_null(grown);
	*f = grown;
	k = &grown[(*nr)++];
	k->kind = kind;
	k->title = xstrdup(title);
	k->nr_lines = 2;
	k->lines = calloc(2, sizeof(*k->lines));
	assert_non_null(k->lines);
	k->lines[0] = xstrdup(title);
	k->lines[1] = xstrdup(second_line);
}

static char *ktap_of(size_t index, const struct test_result *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_ktap_test(f, index, t);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *summary_of(const struct run_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_summary(f, r);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_ktap_passing_program(void **state)
{
	struct test_result t;
	char *out;

	set_test(&t, "per-file-dax/dax_statx", TEST_PASS, NULL, "ktap_kselftest_pass.log");
	out = ktap_of(1, &t);
	assert_string_equal(out,
			    "  KTAP version 1\n"
			    "  1..3\n"
			    "  ok 1 dax_statx.dax_always.new_file_inherits\n"
			    "  ok 2 dax_statx.dax_always.statx_reports_dax\n"
			    "  ok 3 dax_statx.dax_never.statx_reports_no_dax\n"
			    "ok 1 per-file-dax/dax_statx\n");
	free(out);
	test_result_free(&t);
}

static void test_ktap_failing_program(void **state)
{
	struct test_result t;
	char *out;

	set_test(&t, "per-file-dax/dax_statx", TEST_FAIL, "exit status 1", "ktap_kselftest_fail.log");
	out = ktap_of(2, &t);
	/* The failed subtest keeps its diagnostics, passing ones do not. */
	assert_non_null(strstr(out,
		"  #  RUN           per_file.dax_always.always_file ...\n"
		"  # " ASSERT_LINE "\n"
		"  # always_file: Test terminated by assertion\n"
		"  #          FAIL  per_file.dax_always.always_file\n"
		"  not ok 1 per_file.dax_always.always_file\n"
		"  ok 2 per_file.dax_always.toggle_on_empty_file\n"));
	assert_non_null(strstr(out, "  # toggle_refused_while_mapped: Test failed\n"
				    "  #          FAIL  per_file.dax_always.toggle_refused_while_mapped\n"
				    "  not ok 3 per_file.dax_always.toggle_refused_while_mapped\n"));
	assert_null(strstr(out, "RUN           per_file.dax_always.toggle_on_empty_file"));
	/* After the last result: how the program ended. */
	assert_non_null(strstr(out, "  ok 4 per_file.dax_never.never_file\n"
				    "  # FAILED: 2 / 4 tests passed.\n"));
	assert_non_null(strstr(out, "\nnot ok 2 per-file-dax/dax_statx # exit status 1\n"));
	free(out);
	test_result_free(&t);
}

static void test_ktap_timeout_with_kernel_findings(void **state)
{
	struct test_result t;
	char *out;

	set_test(&t, "per-file-dax/truncate", TEST_TIMEOUT, "killed after 45 s",
		 "ktap_kselftest_truncated.log");
	add_finding(&t.findings, &t.nr_findings, KF_WARNING, WARN_TITLE, "Modules linked in:");
	out = ktap_of(3, &t);
	assert_non_null(strstr(out, "  1..3\n"));
	assert_non_null(strstr(out,
		"  ok 3 truncate.fsdax.extend_reads_zero\n"
		"  #  RUN           truncate.fsdax.truncate_while_faulting ...\n"
		"  # truncate.c:201:truncate_while_faulting:faulting thread started, 1000 iterations\n"
		"# ktap: planned 5, got 3 results\n"
		"# kernel: " WARN_TITLE "\n"
		"not ok 3 per-file-dax/truncate # TIMEOUT killed after 45 s\n"));
	free(out);
	test_result_free(&t);
}

static void test_ktap_result_lines(void **state)
{
	static const struct {
		enum test_status status;
		const char *name, *reason, *line;
	} cases[] = {
		{ TEST_SKIP, "a/skip", "no pmem", "ok 4 a/skip # SKIP no pmem\n" },
		{ TEST_SKIP, "a/skip", NULL, "ok 4 a/skip # SKIP\n" },
		{ TEST_CRASH, "a/crash", NULL, "not ok 4 a/crash # the guest crashed\n" },
		{ TEST_CRASH, "a/crash", "Kernel panic - not syncing: Fatal exception",
		  "not ok 4 a/crash # Kernel panic - not syncing: Fatal exception\n" },
		{ TEST_NOT_RUN, "a/later", NULL, "not ok 4 a/later # ERROR not run\n" },
		{ TEST_TIMEOUT, "a/slow", NULL, "not ok 4 a/slow # TIMEOUT\n" },
		{ TEST_XFAIL, "a/known", "known failure: x (exit status 1)",
		  "ok 4 a/known # XFAIL known failure: x (exit status 1)\n" },
		{ TEST_XPASS, "a/fixed", "known failure passed, the entry can go: x",
		  "not ok 4 a/fixed # XPASS known failure passed, the entry can go: x\n" },
		{ TEST_FAIL, "a/fail", NULL, "not ok 4 a/fail\n" },
		/* Neither a directive in the reason nor a '#' in the name. */
		{ TEST_FAIL, "a/fail", "skip count wrong",
		  "not ok 4 a/fail # reason: skip count wrong\n" },
		{ TEST_FAIL, "a/odd#name", "two\nlines", "not ok 4 a/odd_name # two lines\n" },
	};
	/* A program without output: what is wrong with it, then its result. */
	static const char errors[] = "# ktap: no version line\n# ktap: no plan line\n";
	struct test_result t;
	size_t i;
	char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set_test(&t, cases[i].name, cases[i].status, cases[i].reason, NULL);
		out = ktap_of(4, &t);
		assert_memory_equal(out, errors, sizeof(errors) - 1);
		assert_string_equal(out + sizeof(errors) - 1, cases[i].line);
		free(out);
		test_result_free(&t);
	}
}

static void build_run(struct run_report *r)
{
	memset(r, 0, sizeof(*r));
	r->run_id = xstrdup("20251122-035100-a1b2c3");
	r->kernel_release = xstrdup("6.12.117");
	r->kernel_source = xstrdup("linux-source-6.12 6.12.117-1");
	r->accel = xstrdup("tcg");
	r->boot_seconds = 1.523;
	r->total_seconds = 34.1;
	r->nr_tests = 10;
	r->tests = calloc(r->nr_tests, sizeof(*r->tests));
	assert_non_null(r->tests);
	set_test(&r->tests[0], "per-file-dax/dax_statx", TEST_PASS, NULL, "ktap_kselftest_pass.log");
	set_test(&r->tests[1], "per-file-dax/dax_toggle", TEST_FAIL, "exit status 1",
		 "ktap_kselftest_fail.log");
	set_test(&r->tests[2], "mmap/mmap_sync", TEST_PASS, NULL, "ktap_kselftest_skip.log");
	/* Every subtest passed, but the kernel warned. */
	set_test(&r->tests[3], "per-file-dax/dax_statx_warn", TEST_FAIL,
		 "the kernel reported: " WARN_TITLE, "ktap_kselftest_pass.log");
	add_finding(&r->tests[3].findings, &r->tests[3].nr_findings, KF_WARNING, WARN_TITLE,
		    "Modules linked in:");
	set_test(&r->tests[4], "truncate/truncate", TEST_TIMEOUT, "killed after 45 s",
		 "ktap_kselftest_truncated.log");
	set_test(&r->tests[5], "common/hang", TEST_TIMEOUT, "killed after 45 s", NULL);
	set_test(&r->tests[6], "common/nodax", TEST_SKIP, "no DAX support", NULL);
	set_test(&r->tests[7], "common/script", TEST_PASS, NULL, NULL);
	set_test(&r->tests[8], "common/later", TEST_NOT_RUN, NULL, NULL);
	set_test(&r->tests[9], "kunit/nested", TEST_FAIL, "exit status 1", "ktap_nested.log");
	add_finding(&r->findings, &r->nr_findings, KF_BUG,
		    "BUG: sleeping function called from invalid context at fs/dax.c:99",
		    "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: swapper/0");
}

static void test_totals_count_leaves(void **state)
{
	struct report_totals t;
	struct run_report r;

	build_run(&r);
	report_totals(&r, &t);
	/*
	 * passed: 3 + 2 + 1 + 3 + 3 + 1 (script) + 3 (nested leaves)
	 * failed: 2 + 1 (warned) + 1 (timed out after its last result)
	 *	   + 1 (hang) + 1 (not run) + 1 (nested) + 1 (outside tests)
	 * skipped: 2 + 1 (nodax) + 2 (nested)
	 */
	assert_int_equal(t.passed, 16);
	assert_int_equal(t.failed, 8);
	assert_int_equal(t.skipped, 5);

	/* Without the kernel problem outside tests, one failure less. */
	r.nr_findings = 0;
	report_totals(&r, &t);
	assert_int_equal(t.failed, 7);
	r.nr_findings = 1;
	run_report_free(&r);
	assert_null(r.tests);
	assert_int_equal(r.nr_tests, 0);
}

/* Results a test faked on its stdout (out of order, a second plan) are
 * not counted: the program is one failure. A stream cut short keeps the
 * results it has. */
static void test_totals_ignore_fake_results(void **state)
{
	static const char fake[] = "KTAP version 1\n1..2\nok 1 reflink/reflink_cow@map=mem\n"
				   "ok 99 per-file-dax/dax_statx@map=mem\n1..999\n\x01\xffnot o";
	static const char cut[] = "KTAP version 1\n1..3\nok 1 a\nok 2 b\n# killed";
	struct test_result t = { .status = TEST_FAIL };
	struct report_totals tot = { 0 };

	assert_int_equal(ktap_parse(fake, sizeof(fake) - 1, &t.ktap), 0);
	assert_true(t.ktap.disordered);
	report_test_totals(&t, &tot);
	assert_int_equal(tot.passed, 0);
	assert_int_equal(tot.failed, 1);
	ktap_doc_free(&t.ktap);

	memset(&tot, 0, sizeof(tot));
	t.status = TEST_TIMEOUT;
	assert_int_equal(ktap_parse(cut, sizeof(cut) - 1, &t.ktap), 0);
	assert_false(t.ktap.disordered);
	assert_true(t.ktap.nr_errors > 0);
	report_test_totals(&t, &tot);
	assert_int_equal(tot.passed, 2);
	assert_int_equal(tot.failed, 1);
	ktap_doc_free(&t.ktap);
}

static void test_summary_lines(void **state)
{
	struct run_report r;
	char *out;

	build_run(&r);
	out = summary_of(&r);
	assert_string_equal(out,
		"16 passed, 8 failed, 5 skipped\n"
		"# boot 1.52 s, total 34.10 s, accel tcg, kernel 6.12.117\n"
		"# fail per-file-dax/dax_toggle: exit status 1\n"
		"# fail per-file-dax/dax_statx_warn: the kernel reported: " WARN_TITLE "\n"
		"# timeout truncate/truncate: killed after 45 s\n"
		"# timeout common/hang: killed after 45 s\n"
		"# not-run common/later\n"
		"# fail kunit/nested: exit status 1\n"
		"# kernel (outside any test): BUG: sleeping function called from invalid context at fs/dax.c:99\n");
	free(out);
	run_report_free(&r);

	/* No skips: the count line ends after "failed". */
	memset(&r, 0, sizeof(r));
	r.nr_tests = 1;
	r.tests = calloc(1, sizeof(*r.tests));
	assert_non_null(r.tests);
	set_test(&r.tests[0], "per-file-dax/dax_statx", TEST_PASS, NULL, "ktap_kselftest_pass.log");
	r.infra_error = xstrdup("qemu exited with status 1");
	out = summary_of(&r);
	assert_string_equal(out, "3 passed, 0 failed\n"
				 "# boot 0.00 s, total 0.00 s\n"
				 "# infrastructure error: qemu exited with status 1\n");
	free(out);
	run_report_free(&r);
}

static enum ktap_status expected_ktap_status(enum test_status s)
{
	switch (s) {
	case TEST_PASS:
		return KTAP_PASS;
	case TEST_SKIP:
		return KTAP_SKIP;
	case TEST_TIMEOUT:
		return KTAP_TIMEOUT;
	case TEST_NOT_RUN:
		return KTAP_ERROR;
	case TEST_XFAIL:
		return KTAP_XFAIL;
	case TEST_FAIL:
	case TEST_CRASH:
	case TEST_XPASS:
		break;
	}
	return KTAP_FAIL;
}

static void assert_same_tests(const struct ktap_test *a, size_t na,
			      const struct ktap_test *b, size_t nb)
{
	size_t i, j;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_string_equal(a[i].name, b[i].name);
		assert_int_equal(a[i].number, b[i].number);
		assert_int_equal(a[i].status, b[i].status);
		if (a[i].directive)
			assert_string_equal(a[i].directive, b[i].directive);
		else
			assert_null(b[i].directive);
		if (a[i].status == KTAP_FAIL) {
			assert_true(b[i].nr_diag >= a[i].nr_diag);
			for (j = 0; j < a[i].nr_diag; j++)
				assert_string_equal(a[i].diag[j], b[i].diag[j]);
		}
		assert_same_tests(a[i].subtests, a[i].nr_subtests, b[i].subtests, b[i].nr_subtests);
	}
}

static void test_ktap_round_trip(void **state)
{
	struct run_report r;
	struct ktap_doc doc;
	const struct ktap_test *t;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	build_run(&r);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	report_ktap_begin(f, r.nr_tests);
	for (i = 0; i < r.nr_tests; i++)
		report_ktap_test(f, i + 1, &r.tests[i]);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(ktap_parse(buf, len, &doc), 0);
	for (i = 0; i < doc.nr_errors; i++)
		print_error("%s\n", doc.errors[i]);
	assert_int_equal(doc.nr_errors, 0);
	assert_true(doc.has_version);
	assert_int_equal(doc.plan, r.nr_tests);
	assert_int_equal(doc.nr_tests, r.nr_tests);
	for (i = 0; i < r.nr_tests; i++) {
		t = &doc.tests[i];
		assert_string_equal(t->name, r.tests[i].name);
		assert_int_equal(t->status, expected_ktap_status(r.tests[i].status));
		assert_same_tests(r.tests[i].ktap.tests, r.tests[i].ktap.nr_tests,
				  t->subtests, t->nr_subtests);
	}
	assert_string_equal(doc.tests[3].diag[0], "kernel: " WARN_TITLE);
	assert_string_equal(doc.tests[4].directive, "killed after 45 s");
	ktap_doc_free(&doc);
	free(buf);
	run_report_free(&r);
}

static void test_ktap_round_trip_directives(void **state)
{
	static const char output[] =
		"TAP version 13\n1..7\n"
		"ok 1 a # SKIP\n"
		"ok 2 c # TODO not yet\n"
		"not ok 3 e # TIMEOUT 30 seconds\n"
		"# could not open it\n"
		"not ok 4 # error could not open /dev/pmem0\n"
		"ok 5 f # XPASS unexpectedly passed\n"
		"ok 6 check return code # rcode=0\n"
		"ok 7 h # SKIPPED is not SKIP\n";
	struct test_result t;
	struct ktap_doc doc;
	char *out;

	set_test(&t, "a/directives", TEST_FAIL, "exit status 1", NULL);
	ktap_doc_free(&t.ktap);
	assert_int_equal(ktap_parse(output, sizeof(output) - 1, &t.ktap), 0);
	out = ktap_of(1, &t);
	assert_non_null(strstr(out, "  ok 2 c # XFAIL not yet\n"));
	assert_non_null(strstr(out, "  # could not open it\n  not ok 4 # ERROR could not open /dev/pmem0\n"));
	assert_non_null(strstr(out, "  not ok 5 f # XPASS unexpectedly passed\n"));

	assert_int_equal(ktap_parse(out, strlen(out), &doc), 0);
	assert_int_equal(doc.nr_tests, 1);
	assert_same_tests(t.ktap.tests, t.ktap.nr_tests, doc.tests[0].subtests,
			  doc.tests[0].nr_subtests);
	ktap_doc_free(&doc);
	free(out);
	test_result_free(&t);
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no key \"%s\"", key);
	return v;
}

static const char *get_str(struct json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

static void test_json_report(void **state)
{
	struct json_object *root, *tests, *t, *sub, *f;
	struct run_report r;
	char *path, *text;

	build_run(&r);
	/* Bytes from the guest that are not text. */
	r.tests[1].nr_dmesg = 1;
	r.tests[1].dmesg = calloc(1, sizeof(char *));
	assert_non_null(r.tests[1].dmesg);
	r.tests[1].dmesg[0] = xstrdup("pmem0: \xff\xfe bad \x01 bytes \"quoted\"");

	path = str_printf("%s/results.json", (const char *)*state);
	assert_non_null(path);
	assert_int_equal(report_json_write(path, &r), 0);
	assert_int_equal(read_file(path, &text, NULL), 0);
	root = json_tokener_parse(text);
	assert_non_null(root);

	assert_string_equal(get_str(root, "run_id"), "20251122-035100-a1b2c3");
	assert_string_equal(get_str(root, "kernel_release"), "6.12.117");
	assert_string_equal(get_str(root, "accel"), "tcg");
	assert_true(json_object_is_type(get(root, "infra_error"), json_type_null));
	assert_non_null(strstr(text, "\"boot_seconds\": 1.523,"));
	assert_int_equal(json_object_get_int(get(get(root, "totals"), "passed")), 16);
	assert_int_equal(json_object_get_int(get(get(root, "totals"), "failed")), 8);
	assert_int_equal(json_object_get_int(get(get(root, "totals"), "skipped")), 5);
	f = json_object_array_get_idx(get(root, "findings"), 0);
	assert_string_equal(get_str(f, "kind"), "bug");

	tests = get(root, "tests");
	assert_int_equal(json_object_array_length(tests), 10);
	t = json_object_array_get_idx(tests, 1);
	assert_string_equal(get_str(t, "name"), "per-file-dax/dax_toggle");
	assert_string_equal(get_str(t, "status"), "fail");
	assert_string_equal(get_str(t, "reason"), "exit status 1");
	assert_int_equal(json_object_get_int(get(t, "exit_code")), 1);
	assert_int_equal(json_object_get_int(get(t, "signal")), 0);
	assert_true(json_object_get_double(get(t, "seconds")) == 1.25);
	sub = json_object_array_get_idx(get(t, "subtests"), 0);
	assert_string_equal(get_str(sub, "name"), "per_file.dax_always.always_file");
	assert_string_equal(get_str(sub, "status"), "fail");
	assert_true(json_object_is_type(get(sub, "directive"), json_type_null));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(get(sub, "diag"), 2)),
			    ASSERT_LINE);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(get(t, "dmesg"), 0)),
			    "pmem0: \xef\xbf\xbd\xef\xbf\xbd bad  bytes \"quoted\"");

	t = json_object_array_get_idx(tests, 3);
	f = json_object_array_get_idx(get(t, "findings"), 0);
	assert_string_equal(get_str(f, "kind"), "warning");
	assert_string_equal(get_str(f, "title"), WARN_TITLE);
	assert_int_equal(json_object_array_length(get(f, "lines")), 2);

	t = json_object_array_get_idx(tests, 4);
	f = json_object_array_get_idx(get(t, "ktap_errors"), 0);
	assert_string_equal(json_object_get_string(f), "planned 5, got 3 results");

	/* Nested subtests nest in the JSON too. */
	t = json_object_array_get_idx(tests, 9);
	sub = json_object_array_get_idx(get(t, "subtests"), 0);
	sub = json_object_array_get_idx(get(sub, "subtests"), 1);
	assert_string_equal(get_str(sub, "name"), "example_test_2");
	sub = json_object_array_get_idx(get(sub, "subtests"), 0);
	assert_string_equal(get_str(sub, "status"), "skip");
	assert_string_equal(get_str(sub, "directive"), "test_1 skipped");

	json_object_put(root);
	free(text);
	free(path);
	run_report_free(&r);
}

/* Element nesting, entities and characters of an XML document. */
static void assert_well_formed_xml(const char *xml)
{
	static const char *const entities[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#10;", "&#9;",
	};
	const char *stack[32], *p, *end;
	size_t depth = 0, n, i;
	char *clean;

	clean = result_text_clean(xml, strlen(xml));
	assert_non_null(clean);
	assert_string_equal(clean, xml);
	free(clean);
	for (p = xml; *p; p++) {
		if (*p == '&') {
			for (i = 0; i < sizeof(entities) / sizeof(entities[0]); i++)
				if (!strncmp(p, entities[i], strlen(entities[i])))
					break;
			assert_true(i < sizeof(entities) / sizeof(entities[0]));
		}
		if (*p != '<')
			continue;
		end = strchr(p, '>');
		assert_non_null(end);
		if (p[1] == '?') {
			p = end;
			continue;
		}
		if (p[1] == '/') {
			assert_true(depth > 0);
			depth--;
			n = strcspn(stack[depth], " />");
			assert_int_equal(strcspn(p + 2, ">"), n);
			assert_memory_equal(p + 2, stack[depth], n);
		} else if (end[-1] != '/') {
			assert_true(depth < 32);
			stack[depth++] = p + 1;
		}
		assert_null(memchr(p + 1, '<', end - p - 1));
		p = end;
	}
	assert_int_equal(depth, 0);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (s = strstr(s, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

static void test_junit_report(void **state)
{
	static const char evil[] = "<script>&\"x\"]]>\x1b[0m\xc3\x28\0tail";
	struct run_report r;
	char *path, *xml;

	build_run(&r);
	free(r.tests[7].output);
	r.tests[7].output = malloc(sizeof(evil));
	assert_non_null(r.tests[7].output);
	memcpy(r.tests[7].output, evil, sizeof(evil));
	r.tests[7].output_len = sizeof(evil) - 1;

	path = str_printf("%s/results.xml", (const char *)*state);
	assert_non_null(path);
	assert_int_equal(report_junit_write(path, &r), 0);
	assert_int_equal(read_file(path, &xml, NULL), 0);

	assert_well_formed_xml(xml);
	assert_true(!strncmp(xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<testsuites name=\"daxtest\" tests=\"29\" failures=\"8\" errors=\"0\" skipped=\"5\" time=\"34.100\">\n",
			     strlen("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				    "<testsuites name=\"daxtest\" tests=\"29\" failures=\"8\" errors=\"0\" skipped=\"5\" time=\"34.100\">\n")));
	/* One testcase per counted leaf, the kernel's own included. */
	assert_int_equal(count(xml, "<testcase "), 29);
	assert_int_equal(count(xml, "<failure "), 8);
	assert_int_equal(count(xml, "<skipped"), 5);

	assert_non_null(strstr(xml,
		"  <testsuite name=\"per-file-dax/dax_toggle\" tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"0\" time=\"1.250\">"));
	assert_non_null(strstr(xml,
		"<testcase classname=\"per-file-dax.dax_toggle\" name=\"per_file.dax_always.always_file\">\n"
		"      <failure message=\"fail\" type=\"fail\">"));
	assert_non_null(strstr(xml, "dax_statx.c:42:always_file:Expected 0x200000 (2097152) == attr &amp; STATX_ATTR_DAX (0)\n"));
	assert_non_null(strstr(xml, "<skipped message=\"no devdax namespace (DAXTEST_PMEM_DEVMAP unset)\"/>"));
	/* The warned program fails as a testcase of its own. */
	assert_non_null(strstr(xml,
		"<testcase classname=\"per-file-dax.dax_statx_warn\" name=\"per-file-dax/dax_statx_warn\">\n"
		"      <failure message=\"the kernel reported: " WARN_TITLE "\" type=\"fail\">kernel: " WARN_TITLE "\n"));
	assert_non_null(strstr(xml, "<testcase classname=\"kunit.nested\" name=\"main_test.example_test_3.test_2\">"));
	assert_non_null(strstr(xml, "<testsuite name=\"kernel\" tests=\"1\" failures=\"1\""));
	assert_non_null(strstr(xml, "<failure message=\"1 kernel problem outside any test\" type=\"kernel\">"));
	assert_non_null(strstr(xml, "<system-out>&lt;script&gt;&amp;&quot;x&quot;]]&gt;[0m\xef\xbf\xbd(tail</system-out>"));

	free(xml);
	free(path);
	run_report_free(&r);
}

/* A peer suite's file holds its tests alone, with their own totals and
 * none of the run's kernel findings. */
static void test_junit_per_suite(void **state)
{
	struct run_report r;
	char *path, *xml;

	build_run(&r);
	free(r.tests[6].name);
	r.tests[6].name = xstrdup("fstests-xfs/generic/605@map=mem");
	free(r.tests[7].name);
	r.tests[7].name = xstrdup("ndctl/dax.sh");
	assert_string_equal(result_suite(r.tests[0].name), "daxtest");
	assert_string_equal(result_suite(r.tests[6].name), "fstests");
	assert_string_equal(result_suite(r.tests[7].name), "ndctl");

	path = str_printf("%s/results-fstests.xml", (const char *)*state);
	assert_non_null(path);
	assert_int_equal(report_junit_write_suite(path, &r, "fstests"), 0);
	assert_int_equal(read_file(path, &xml, NULL), 0);
	assert_well_formed_xml(xml);
	assert_non_null(strstr(xml, "<testsuites name=\"daxtest\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"1\" time=\"1.250\">"));
	assert_int_equal(count(xml, "<testsuite "), 1);
	assert_non_null(strstr(xml, "<testsuite name=\"fstests-xfs/generic/605@map=mem\""));
	assert_null(strstr(xml, "name=\"kernel\""));
	free(xml);
	free(path);
	run_report_free(&r);
}

static void test_writers_report_errors(void **state)
{
	struct run_report r;

	build_run(&r);
	assert_true(report_json_write("/nonexistent-dir/results.json", &r) < 0);
	assert_true(report_junit_write("/nonexistent-dir/results.xml", &r) < 0);
	run_report_free(&r);
}

static void assert_clean(const char *in, size_t len, const char *expected)
{
	char *out = result_text_clean(in, len);

	assert_non_null(out);
	assert_string_equal(out, expected);
	free(out);
}

#define U_FFFD "\xef\xbf\xbd"

static void test_text_clean(void **state)
{
	assert_clean("plain\ttext\n", 11, "plain\ttext\n");
	assert_clean("cr\r bell\a nul\0 esc\033.", 20, "cr bell nul esc.");
	assert_clean("caf\xc3\xa9 \xf0\x9f\x98\x80", 10, "caf\xc3\xa9 \xf0\x9f\x98\x80");
	assert_clean("bad \xff byte", 10, "bad " U_FFFD " byte");
	assert_clean("overlong \xc0\xaf", 11, "overlong " U_FFFD U_FFFD);
	assert_clean("surrogate \xed\xa0\x80", 13, "surrogate " U_FFFD U_FFFD U_FFFD);
	assert_clean("nonchar \xef\xbf\xbf", 11, "nonchar " U_FFFD);
	assert_clean("past max \xf4\x90\x80\x80", 13, "past max " U_FFFD U_FFFD U_FFFD U_FFFD);
	assert_clean("cut \xe2\x82", 6, "cut " U_FFFD U_FFFD);
	assert_clean("", 0, "");
}

static void test_status_names(void **state)
{
	assert_string_equal(test_status_name(TEST_PASS), "pass");
	assert_string_equal(test_status_name(TEST_FAIL), "fail");
	assert_string_equal(test_status_name(TEST_SKIP), "skip");
	assert_string_equal(test_status_name(TEST_TIMEOUT), "timeout");
	assert_string_equal(test_status_name(TEST_CRASH), "crash");
	assert_string_equal(test_status_name(TEST_NOT_RUN), "not-run");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ktap_passing_program),
		cmocka_unit_test(test_ktap_failing_program),
		cmocka_unit_test(test_ktap_timeout_with_kernel_findings),
		cmocka_unit_test(test_ktap_result_lines),
		cmocka_unit_test(test_totals_count_leaves),
		cmocka_unit_test(test_totals_ignore_fake_results),
		cmocka_unit_test(test_summary_lines),
		cmocka_unit_test(test_ktap_round_trip),
		cmocka_unit_test(test_ktap_round_trip_directives),
		cmocka_unit_test_setup_teardown(test_json_report, make_temp_dir, remove_temp_dir),
		cmocka_unit_test_setup_teardown(test_junit_report, make_temp_dir, remove_temp_dir),
		cmocka_unit_test_setup_teardown(test_junit_per_suite, make_temp_dir, remove_temp_dir),
		cmocka_unit_test(test_writers_report_errors),
		cmocka_unit_test(test_text_clean),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
