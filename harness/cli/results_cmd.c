// SPDX-License-Identifier: GPL-2.0
/*
 * results_cmd.c - daxtest results: a run's results.json as lines for
 * scripts; daxtest cache-dir: where the cache is
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli/compare.h"
#include "cli/results_cmd.h"
#include "lib/cache.h"
#include "lib/log.h"

enum summary_key {
	SK_RUN_ID,
	SK_KERNEL_RELEASE,
	SK_KERNEL_SOURCE,
	SK_ACCEL,
	SK_BOOT_SECONDS,
	SK_TOTAL_SECONDS,
	SK_QEMU_PEAK_RSS_MIB,
	SK_GUESTS,
	SK_GUESTS_RESTORED,
	SK_GUESTS_BOOTED,
	SK_INFRA_ERROR,
	SK_TESTS,
	SK_PASSED,
	SK_FAILED,
	SK_SKIPPED,
	SK_XFAILED,
	NR_SUMMARY_KEYS,
};

static const char *const summary_keys[NR_SUMMARY_KEYS] = {
	[SK_RUN_ID] = "run_id",
	[SK_KERNEL_RELEASE] = "kernel_release",
	[SK_KERNEL_SOURCE] = "kernel_source",
	[SK_ACCEL] = "accel",
	[SK_BOOT_SECONDS] = "boot_seconds",
	[SK_TOTAL_SECONDS] = "total_seconds",
	[SK_QEMU_PEAK_RSS_MIB] = "qemu_peak_rss_mib",
	[SK_GUESTS] = "guests",
	[SK_GUESTS_RESTORED] = "guests_restored",
	[SK_GUESTS_BOOTED] = "guests_booted",
	[SK_INFRA_ERROR] = "infra_error",
	[SK_TESTS] = "tests",
	[SK_PASSED] = "passed",
	[SK_FAILED] = "failed",
	[SK_SKIPPED] = "skipped",
	[SK_XFAILED] = "xfailed",
};

static const char *const format_names[] = {
	[RESULTS_TESTS] = "tests",
	[RESULTS_SUBTESTS] = "subtests",
	[RESULTS_FAILED] = "failed",
	[RESULTS_SUMMARY] = "summary",
};

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static int summary_key(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(summary_keys); i++)
		if (!strcmp(name, summary_keys[i]))
			return (int)i;
	return -1;
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]: 1 with *value (NULL
 * when it is missing), or 0 when argv[*i] is another argument. */
static int option(const char *name, int argc, char *const *argv, int *i, const char **value)
{
	const char *arg = argv[*i];
	size_t len = strlen(name);

	if (strncmp(arg, name, len))
		return 0;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return 1;
	}
	if (arg[len])
		return 0;
	*value = *i + 1 < argc ? argv[++*i] : NULL;
	return 1;
}

static int parse_format(const char *arg, enum results_format *format)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(format_names); i++) {
		if (!strcmp(arg, format_names[i])) {
			*format = (enum results_format)i;
			return 0;
		}
	}
	log_error("--format: '%s' is not tests, subtests, failed or summary", arg);
	return -1;
}

int results_parse_args(struct results_request *req, int argc, char *const *argv)
{
	const char *value;
	bool format_given = false;
	int i;

	memset(req, 0, sizeof(*req));
	req->format = RESULTS_TESTS;
	for (i = 0; i < argc; i++) {
		if (option("--format", argc, argv, &i, &value)) {
			if (!value) {
				log_error("option '--format' needs a value");
				return -1;
			}
			if (parse_format(value, &req->format) < 0)
				return -1;
			format_given = true;
		} else if (option("--field", argc, argv, &i, &value)) {
			if (!value) {
				log_error("option '--field' needs a value");
				return -1;
			}
			if (summary_key(value) < 0) {
				log_error("--field: '%s' is not a key of --format summary", value);
				return -1;
			}
			req->field = value;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			log_error("unknown option '%s' (daxtest help lists them)", argv[i]);
			return -1;
		} else if (req->dir) {
			log_error("unexpected argument '%s'", argv[i]);
			return -1;
		} else {
			req->dir = argv[i];
		}
	}
	if (!req->dir) {
		log_error("results needs a results directory (results/<run-id>, a --results root or results.json)");
		return -1;
	}
	if (req->field && format_given && req->format != RESULTS_SUMMARY) {
		log_error("--field %s is a key of --format summary, not --format %s", req->field,
			  format_names[req->format]);
		return -1;
	}
	if (req->field)
		req->format = RESULTS_SUMMARY;
	return 0;
}

/* One field: a tab or line break in it would split the line. */
static void put_field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static bool subtest_failed(enum ktap_status s)
{
	return s == KTAP_FAIL || s == KTAP_TIMEOUT || s == KTAP_ERROR;
}

static void put_summary_value(FILE *f, const struct run_report *r,
			      const struct report_totals *t, enum summary_key k)
{
	switch (k) {
	case SK_RUN_ID: put_field(f, r->run_id); break;
	case SK_KERNEL_RELEASE: put_field(f, r->kernel_release); break;
	case SK_KERNEL_SOURCE: put_field(f, r->kernel_source); break;
	case SK_ACCEL: put_field(f, r->accel); break;
	case SK_BOOT_SECONDS: fprintf(f, "%.3f", r->boot_seconds); break;
	case SK_TOTAL_SECONDS: fprintf(f, "%.3f", r->total_seconds); break;
	case SK_QEMU_PEAK_RSS_MIB: fprintf(f, "%.3f", r->qemu_peak_rss_mib); break;
	case SK_GUESTS: fprintf(f, "%u", r->guests); break;
	case SK_GUESTS_RESTORED: fprintf(f, "%u", r->guests_restored); break;
	case SK_GUESTS_BOOTED: fprintf(f, "%u", r->guests_booted); break;
	case SK_INFRA_ERROR: put_field(f, r->infra_error); break;
	case SK_TESTS: fprintf(f, "%zu", r->nr_tests); break;
	case SK_PASSED: fprintf(f, "%u", t->passed); break;
	case SK_FAILED: fprintf(f, "%u", t->failed); break;
	case SK_SKIPPED: fprintf(f, "%u", t->skipped); break;
	case SK_XFAILED: fprintf(f, "%u", t->xfailed); break;
	case NR_SUMMARY_KEYS: break;
	}
}

static int print_summary(FILE *f, const struct run_report *r, const struct report_totals *t,
			 const char *field)
{
	int k;

	if (field) {
		k = summary_key(field);
		if (k < 0) {
			log_error("--field: '%s' is not a key of --format summary", field);
			return -1;
		}
		put_summary_value(f, r, t, (enum summary_key)k);
		fputc('\n', f);
		return 0;
	}
	for (k = 0; k < NR_SUMMARY_KEYS; k++) {
		fprintf(f, "%s=", summary_keys[k]);
		put_summary_value(f, r, t, (enum summary_key)k);
		fputc('\n', f);
	}
	return 0;
}

static void print_test(FILE *f, const struct test_result *t, enum results_format format)
{
	const struct ktap_test *s;
	size_t i;

	switch (format) {
	case RESULTS_TESTS:
		put_field(f, t->name);
		fprintf(f, "\t%s\t%.3f\t", test_status_name(t->status), t->seconds);
		put_field(f, t->reason);
		fputc('\n', f);
		break;
	case RESULTS_SUBTESTS:
		for (i = 0; i < t->ktap.nr_tests; i++) {
			s = &t->ktap.tests[i];
			put_field(f, t->name);
			fputc('\t', f);
			put_field(f, s->name);
			fprintf(f, "\t%s\n", ktap_status_name(s->status));
		}
		break;
	case RESULTS_FAILED:
		if (!test_status_failed(t->status))
			break;
		put_field(f, t->name);
		for (i = 0; i < t->ktap.nr_tests; i++) {
			s = &t->ktap.tests[i];
			if (!subtest_failed(s->status))
				continue;
			fputc('\t', f);
			put_field(f, s->name);
		}
		fputc('\n', f);
		break;
	case RESULTS_SUMMARY:
		break;
	}
}

int results_print(FILE *f, const struct run_report *r, const struct report_totals *t,
		  const struct results_request *req)
{
	size_t i;

	if (req->format == RESULTS_SUMMARY)
		return print_summary(f, r, t, req->field);
	for (i = 0; i < r->nr_tests; i++)
		print_test(f, &r->tests[i], req->format);
	return 0;
}

/* The totals the run wrote (results.json's "totals"): they count what
 * the file no longer says (KTAP a test printed out of order). 0, or -1
 * when there are none (then they are counted again). */
static int stored_totals(const char *path, struct report_totals *t)
{
	struct json_object *root = json_object_from_file(path), *totals, *v;
	unsigned int *dst[] = { &t->passed, &t->failed, &t->skipped, &t->xfailed };
	const char *keys[] = { "passed", "failed", "skipped", "xfailed" };
	int ret = -1;
	size_t i;

	if (!root || !json_object_object_get_ex(root, "totals", &totals) ||
	    !json_object_is_type(totals, json_type_object))
		goto out;
	for (i = 0; i < ARRAY_LEN(keys); i++) {
		if (!json_object_object_get_ex(totals, keys[i], &v) ||
		    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
			goto out;
		*dst[i] = (unsigned int)json_object_get_int64(v);
	}
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

int results_cmd(int argc, char *const *argv)
{
	struct results_request req;
	struct report_totals t = { 0 };
	struct run_report r;
	char *path;
	int ret = 2;

	if (results_parse_args(&req, argc, argv) < 0)
		return 2;
	path = compare_json_path(req.dir);
	if (!path)
		return 2;
	if (report_json_read(path, &r) < 0)
		goto out;
	if (req.format == RESULTS_SUMMARY && stored_totals(path, &t) < 0)
		report_totals(&r, &t);
	if (results_print(stdout, &r, &t, &req) == 0 && fflush(stdout) == 0)
		ret = 0;
	run_report_free(&r);
out:
	free(path);
	return ret;
}

int cache_dir_cmd(const struct options *o)
{
	/* Scripts write below it (bisect-selftest's repository): it exists,
	 * private, as every stage makes it. */
	if (cache_dir_create(o->cache_dir) < 0)
		return 2;
	printf("%s\n", o->cache_dir);
	return fflush(stdout) == 0 ? 0 : 2;
}
