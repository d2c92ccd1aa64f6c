// SPDX-License-Identifier: GPL-2.0
/*
 * compare.c - daxtest compare: the tests whose result changed between runs
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli/compare.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "report/report.h"

char *compare_json_path(const char *arg)
{
	static const char *const tries[] = { "%s/results.json", "%s/latest/results.json" };
	size_t i;

	if (path_is_file(arg))
		return strdup(arg);
	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		char *p = str_printf(tries[i], arg);

		if (!p || path_is_file(p))
			return p;
		free(p);
	}
	log_error("%s: no results.json there (give results/<run-id> or its results.json)", arg);
	return NULL;
}

static const struct test_result *find_test(const struct run_report *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nr_tests; i++)
		if (!strcmp(r->tests[i].name, name))
			return &r->tests[i];
	return NULL;
}

static const struct ktap_test *find_subtest(const struct test_result *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ktap.nr_tests; i++)
		if (t->ktap.tests[i].name && !strcmp(t->ktap.tests[i].name, name))
			return &t->ktap.tests[i];
	return NULL;
}

/* The subtests of b whose status differs from a's (or that only one has). */
static void print_subtests(FILE *f, const struct test_result *a, const struct test_result *b)
{
	const struct ktap_test *s, *o;
	size_t i;

	for (i = 0; i < b->ktap.nr_tests; i++) {
		s = &b->ktap.tests[i];
		if (!s->name)
			continue;
		o = find_subtest(a, s->name);
		if (!o || o->status != s->status)
			fprintf(f, "    %-60s %s -> %s\n", s->name,
				o ? ktap_status_name(o->status) : "-", ktap_status_name(s->status));
	}
	for (i = 0; i < a->ktap.nr_tests; i++) {
		s = &a->ktap.tests[i];
		if (s->name && !find_subtest(b, s->name))
			fprintf(f, "    %-60s %s -> -\n", s->name, ktap_status_name(s->status));
	}
}

int compare_reports(FILE *f, const struct run_report *a, const struct run_report *b)
{
	unsigned int changed = 0, same = 0, only_a = 0, only_b = 0;
	const struct test_result *t, *o;
	size_t i;

	fprintf(f, "A: %s (%s)\nB: %s (%s)\n", a->run_id ? a->run_id : "?",
		a->kernel_source ? a->kernel_source : "?", b->run_id ? b->run_id : "?",
		b->kernel_source ? b->kernel_source : "?");
	for (i = 0; i < b->nr_tests; i++) {
		t = &b->tests[i];
		o = find_test(a, t->name);
		if (!o) {
			only_b++;
			fprintf(f, "  %-62s - -> %s\n", t->name, test_status_name(t->status));
			continue;
		}
		if (o->status == t->status) {
			same++;
			continue;
		}
		changed++;
		fprintf(f, "  %-62s %s -> %s\n", t->name, test_status_name(o->status),
			test_status_name(t->status));
		print_subtests(f, o, t);
	}
	for (i = 0; i < a->nr_tests; i++) {
		t = &a->tests[i];
		if (!find_test(b, t->name)) {
			only_a++;
			fprintf(f, "  %-62s %s -> -\n", t->name, test_status_name(t->status));
		}
	}
	fprintf(f, "%u changed, %u unchanged, %u only in A, %u only in B\n", changed, same,
		only_a, only_b);
	return changed || only_a || only_b ? 1 : 0;
}

int compare_runs(const char *a, const char *b)
{
	struct run_report ra = { 0 }, rb = { 0 };
	char *pa = compare_json_path(a), *pb = pa ? compare_json_path(b) : NULL;
	int ret = 2;

	if (!pa || !pb)
		goto out;
	if (report_json_read(pa, &ra) < 0 || report_json_read(pb, &rb) < 0)
		goto out;
	ret = compare_reports(stdout, &ra, &rb);
out:
	run_report_free(&ra);
	run_report_free(&rb);
	free(pa);
	free(pb);
	return ret;
}
