// SPDX-License-Identifier: GPL-2.0
/*
 * test_results_cmd.c - daxtest results: its arguments, and a run as the
 * lines scripts read
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/results_cmd.h"

#define ARGS(...)	(char *[]){ __VA_ARGS__, NULL }
#define NR_ARGS(...)	((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(req, ...)	results_parse_args(req, NR_ARGS(__VA_ARGS__), ARGS(__VA_ARGS__))

static void arguments(void **state)
{
	struct results_request req;

	assert_int_equal(PARSE(&req, "results/latest"), 0);
	assert_string_equal(req.dir, "results/latest");
	assert_int_equal(req.format, RESULTS_TESTS);
	assert_null(req.field);

	assert_int_equal(PARSE(&req, "--format", "failed", "r"), 0);
	assert_int_equal(req.format, RESULTS_FAILED);
	assert_string_equal(req.dir, "r");
	assert_int_equal(PARSE(&req, "r", "--format=subtests"), 0);
	assert_int_equal(req.format, RESULTS_SUBTESTS);
	/* --field is one key of the summary */
	assert_int_equal(PARSE(&req, "r", "--field", "boot_seconds"), 0);
	assert_int_equal(req.format, RESULTS_SUMMARY);
	assert_string_equal(req.field, "boot_seconds");
	assert_int_equal(PARSE(&req, "r", "--format", "summary", "--field=passed"), 0);
	assert_string_equal(req.field, "passed");

	assert_int_equal(results_parse_args(&req, 0, ARGS(NULL)), -1);
	assert_int_equal(PARSE(&req, "--format", "tests"), -1);
	assert_int_equal(PARSE(&req, "r", "--format"), -1);
	assert_int_equal(PARSE(&req, "r", "--format", "xml"), -1);
	assert_int_equal(PARSE(&req, "r", "--field", "nope"), -1);
	assert_int_equal(PARSE(&req, "r", "--format", "tests", "--field", "passed"), -1);
	assert_int_equal(PARSE(&req, "r", "s"), -1);
	assert_int_equal(PARSE(&req, "r", "--formats=tests"), -1);
	assert_int_equal(PARSE(&req, "r", "-v"), -1);
}

static void add_subtest(struct test_result *t, const char *name, enum ktap_status st)
{
	struct ktap_test *s;

	t->ktap.tests = realloc(t->ktap.tests, (t->ktap.nr_tests + 1) * sizeof(*t->ktap.tests));
	assert_non_null(t->ktap.tests);
	s = &t->ktap.tests[t->ktap.nr_tests++];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->status = st;
}

static struct test_result *add_test(struct run_report *r, const char *name,
				    enum test_status st, const char *reason, double seconds)
{
	struct test_result *t;

	r->tests = realloc(r->tests, (r->nr_tests + 1) * sizeof(*r->tests));
	assert_non_null(r->tests);
	t = &r->tests[r->nr_tests++];
	memset(t, 0, sizeof(*t));
	t->name = strdup(name);
	t->status = st;
	t->reason = reason ? strdup(reason) : NULL;
	t->seconds = seconds;
	t->ktap.plan = -1;
	return t;
}

/* A run: a pass, a failure with a failed, a timed-out and a passed
 * subtest, a known failure with a failed subtest, a timeout without
 * subtests. */
static void make_run(struct run_report *r)
{
	struct test_result *t;

	memset(r, 0, sizeof(*r));
	r->run_id = strdup("20261204-120000-1");
	r->kernel_release = strdup("6.12.118");
	r->kernel_source = strdup("linux-source-6.12\t6.12.118-1");
	r->accel = strdup("tcg");
	r->boot_seconds = 1.8;
	r->total_seconds = 111.25;
	r->qemu_peak_rss_mib = 1014.5;
	r->guests = 2;

	t = add_test(r, "per-file-dax/dax_statx@map=mem", TEST_PASS, NULL, 3.5);
	add_subtest(t, "fsdax.xfs_always.generic_606", KTAP_PASS);
	t = add_test(r, "per-file-dax/dax_mount@map=mem", TEST_FAIL, "exit status 1\nand more", 2);
	add_subtest(t, "bare.ext4_remount", KTAP_FAIL);
	add_subtest(t, "bare.xfs_remount", KTAP_PASS);
	add_subtest(t, "bare.slow", KTAP_TIMEOUT);
	add_subtest(t, "bare.skipped", KTAP_SKIP);
	t = add_test(r, "hwpoison/madv_hwpoison@map=mem", TEST_XFAIL, "known failure: 6.1", 4);
	add_subtest(t, "shared.xfs_normapbt.hwpoison_reflinked", KTAP_FAIL);
	add_test(r, "fixtures/spin@map=mem", TEST_TIMEOUT, "timeout after 45 s", 45);
}

static char *print_text(const struct run_report *r, const struct report_totals *t,
			const struct results_request *req, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	*ret = results_print(f, r, t, req);
	fclose(f);
	return text;
}

static void formats(void **state)
{
	struct results_request req = { .dir = "r" };
	struct report_totals t = { .passed = 4, .failed = 3, .skipped = 1, .xfailed = 1 };
	struct run_report r;
	char *text;
	int ret;

	make_run(&r);

	req.format = RESULTS_TESTS;
	text = print_text(&r, &t, &req, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"per-file-dax/dax_statx@map=mem\tpass\t3.500\t\n"
		"per-file-dax/dax_mount@map=mem\tfail\t2.000\texit status 1 and more\n"
		"hwpoison/madv_hwpoison@map=mem\txfail\t4.000\tknown failure: 6.1\n"
		"fixtures/spin@map=mem\ttimeout\t45.000\ttimeout after 45 s\n");
	free(text);

	req.format = RESULTS_SUBTESTS;
	text = print_text(&r, &t, &req, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"per-file-dax/dax_statx@map=mem\tfsdax.xfs_always.generic_606\tpass\n"
		"per-file-dax/dax_mount@map=mem\tbare.ext4_remount\tfail\n"
		"per-file-dax/dax_mount@map=mem\tbare.xfs_remount\tpass\n"
		"per-file-dax/dax_mount@map=mem\tbare.slow\ttimeout\n"
		"per-file-dax/dax_mount@map=mem\tbare.skipped\tskip\n"
		"hwpoison/madv_hwpoison@map=mem\tshared.xfs_normapbt.hwpoison_reflinked\tfail\n");
	free(text);

	/* What KTAP marks "not ok": the known failure is not among them. */
	req.format = RESULTS_FAILED;
	text = print_text(&r, &t, &req, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"per-file-dax/dax_mount@map=mem\tbare.ext4_remount\tbare.slow\n"
		"fixtures/spin@map=mem\n");
	free(text);

	req.format = RESULTS_SUMMARY;
	text = print_text(&r, &t, &req, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
		"run_id=20261204-120000-1\n"
		"kernel_release=6.12.118\n"
		"kernel_source=linux-source-6.12 6.12.118-1\n"
		"accel=tcg\n"
		"boot_seconds=1.800\n"
		"total_seconds=111.250\n"
		"qemu_peak_rss_mib=1014.500\n"
		"guests=2\n"
		"guests_restored=0\n"
		"guests_booted=0\n"
		"infra_error=\n"
		"tests=4\n"
		"passed=4\n"
		"failed=3\n"
		"skipped=1\n"
		"xfailed=1\n");
	free(text);

	req.field = "qemu_peak_rss_mib";
	text = print_text(&r, &t, &req, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "1014.500\n");
	free(text);
	req.field = "infra_error";
	text = print_text(&r, &t, &req, &ret);
	assert_string_equal(text, "\n");
	free(text);
	req.field = "nope";
	text = print_text(&r, &t, &req, &ret);
	assert_int_equal(ret, -1);
	assert_string_equal(text, "");
	free(text);

	run_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arguments),
		cmocka_unit_test(formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
