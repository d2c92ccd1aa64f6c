// SPDX-License-Identifier: GPL-2.0
/*
 * report_junit.c - results.xml in the JUnit format CI systems read
 *
 *	<testsuites name="daxtest" tests failures errors skipped time>
 *	  <testsuite name="<area>/<program>" tests failures errors skipped time>
 *	    <properties> status, exit_code, signal, kernel_release </properties>
 *	    <testcase classname="<area>.<program>" name="<subtest>">
 *	      <failure message type>diagnostics</failure> or <skipped message/>
 *	    </testcase>
 *	    <system-out>the program's output</system-out>
 *	    <system-err>the kernel log while it ran</system-err>
 *	  </testsuite>
 *	  <testsuite name="kernel">	kernel problems outside any test
 *	</testsuites>
 *
 * A run with peer suites (--suite) also gets one file per suite,
 * results-<suite>.xml (report_junit_write_suite()), holding that suite's
 * tests alone, as CI systems want one report per suite.
 *
 * One testcase per leaf, counted as report_totals() counts them; nested
 * subtests are named "<parent>.<subtest>". Text is cleaned to what XML
 * 1.0 allows, then escaped.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "report/report.h"

struct xml {
	FILE *f;
	int err;		/* sticky: an allocation failed */
};

static void put_escaped(struct xml *x, const char *s, size_t len, bool attr)
{
	char *clean, *p;

	if (x->err)
		return;
	clean = result_text_clean(s, len);
	if (!clean) {
		x->err = -ENOMEM;
		return;
	}
	for (p = clean; *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", x->f);
			break;
		case '<':
			fputs("&lt;", x->f);
			break;
		case '>':
			fputs("&gt;", x->f);
			break;
		case '"':
			fputs("&quot;", x->f);
			break;
		case '\n':
			fputs(attr ? "&#10;" : "\n", x->f);
			break;
		case '\t':
			fputs(attr ? "&#9;" : "\t", x->f);
			break;
		default:
			fputc(*p, x->f);
		}
	}
	free(clean);
}

static void put_text(struct xml *x, const char *s)
{
	put_escaped(x, s, strlen(s), false);
}

static void put_attr(struct xml *x, const char *name, const char *value)
{
	fprintf(x->f, " %s=\"", name);
	put_escaped(x, value, strlen(value), true);
	fputc('"', x->f);
}

static void put_counts(struct xml *x, const struct report_totals *t, double seconds)
{
	/* Expected failures are reported as skipped ("xfail: <reason>"). */
	fprintf(x->f, " tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" time=\"%.3f\"",
		t->passed + t->failed + t->skipped + t->xfailed, t->failed,
		t->skipped + t->xfailed, isfinite(seconds) ? seconds : 0);
}

static void put_property(struct xml *x, const char *name, const char *value)
{
	fputs("      <property", x->f);
	put_attr(x, "name", name);
	put_attr(x, "value", value);
	fputs("/>\n", x->f);
}

static void put_lines(struct xml *x, char *const *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		put_text(x, lines[i]);
		fputc('\n', x->f);
	}
}

static void put_findings(struct xml *x, const struct kfinding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put_lines(x, f[i].lines, f[i].nr_lines);
}

/* What a testcase element holds, besides its name. */
struct outcome {
	const char *element;	/* "failure", "skipped", or NULL for a pass */
	const char *type;
	const char *message;
};

static void testcase_begin(struct xml *x, const char *classname, const char *name,
			   const struct outcome *o)
{
	fputs("    <testcase", x->f);
	put_attr(x, "classname", classname);
	put_attr(x, "name", name);
	if (!o->element) {
		fputs("/>\n", x->f);
		return;
	}
	fprintf(x->f, ">\n      <%s", o->element);
	if (o->message)
		put_attr(x, "message", o->message);
	if (o->type)
		put_attr(x, "type", o->type);
}

static void testcase_end(struct xml *x, const struct outcome *o)
{
	if (o->element)
		fputs("    </testcase>\n", x->f);
}

static struct outcome ktap_outcome(const struct ktap_test *t)
{
	const char *message = t->directive ? t->directive : ktap_status_name(t->status);

	switch (t->status) {
	case KTAP_PASS:
	case KTAP_XFAIL:
		break;
	case KTAP_SKIP:
		return (struct outcome){ "skipped", NULL, t->directive };
	case KTAP_FAIL:
	case KTAP_TIMEOUT:
	case KTAP_ERROR:
		return (struct outcome){ "failure", ktap_status_name(t->status), message };
	}
	return (struct outcome){ NULL, NULL, NULL };
}

static void put_subtest(struct xml *x, const char *classname, const char *name,
			const struct ktap_test *t)
{
	struct outcome o = ktap_outcome(t);

	testcase_begin(x, classname, name, &o);
	if (!o.element)
		return;
	if (!strcmp(o.element, "skipped")) {
		fputs("/>\n", x->f);
	} else {
		fputc('>', x->f);
		put_lines(x, t->diag, t->nr_diag);
		fprintf(x->f, "</%s>\n", o.element);
	}
	testcase_end(x, &o);
}

/* The leaves under tests, named "<prefix>.<name>" below the top. */
static void put_subtests(struct xml *x, const char *classname, const char *prefix,
			 const struct ktap_test *tests, size_t n)
{
	size_t i;
	char *name;

	for (i = 0; i < n && !x->err; i++) {
		name = prefix ? str_printf("%s.%s", prefix, tests[i].name) : strdup(tests[i].name);
		if (!name) {
			x->err = -ENOMEM;
			return;
		}
		if (tests[i].nr_subtests)
			put_subtests(x, classname, name, tests[i].subtests, tests[i].nr_subtests);
		else
			put_subtest(x, classname, name, &tests[i]);
		free(name);
	}
}

static bool has_failed_leaf(const struct test_result *t)
{
	struct ktap_counts c = { 0 };

	ktap_count(&t->ktap, &c);
	return c.failed || c.timeout || c.error;
}

/*
 * The program as a testcase of its own: when it printed no results, or
 * when it failed although none of its subtests did.
 */
static void put_program_case(struct xml *x, const char *classname, const char *name,
			     const struct test_result *t)
{
	struct outcome o = { NULL, NULL, t->reason };
	size_t i;

	if (t->status == TEST_SKIP || t->status == TEST_XFAIL) {
		o.element = "skipped";
	} else if (t->status != TEST_PASS) {
		o.element = "failure";
		o.type = test_status_name(t->status);
		if (!o.message)
			o.message = test_status_name(t->status);
	}
	testcase_begin(x, classname, name, &o);
	if (!o.element)
		return;
	if (t->status == TEST_SKIP || t->status == TEST_XFAIL) {
		fputs("/>\n", x->f);
	} else {
		fputc('>', x->f);
		for (i = 0; i < t->nr_findings; i++) {
			fputs("kernel: ", x->f);
			put_text(x, t->findings[i].title ? t->findings[i].title : "");
			fputc('\n', x->f);
		}
		put_lines(x, t->ktap.errors, t->ktap.nr_errors);
		put_lines(x, t->ktap.trailing, t->ktap.nr_trailing);
		fputs("</failure>\n", x->f);
	}
	testcase_end(x, &o);
}

static char *classname_of(const char *name)
{
	char *c = strdup(name), *p;

	if (!c)
		return NULL;
	for (p = c; *p; p++)
		if (*p == '/')
			*p = '.';
	return c;
}

static void put_suite(struct xml *x, const struct run_report *r, const struct test_result *t)
{
	const char *name = t->name ? t->name : "(unnamed)";
	struct report_totals counts = { 0 };
	char *classname;
	char num[16];

	classname = classname_of(name);
	if (!classname) {
		x->err = -ENOMEM;
		return;
	}
	report_test_totals(t, &counts);
	fputs("  <testsuite", x->f);
	put_attr(x, "name", name);
	put_counts(x, &counts, t->seconds);
	fputs(">\n    <properties>\n", x->f);
	put_property(x, "status", test_status_name(t->status));
	snprintf(num, sizeof(num), "%d", t->exit_code);
	put_property(x, "exit_code", num);
	snprintf(num, sizeof(num), "%d", t->signal);
	put_property(x, "signal", num);
	if (r->kernel_release)
		put_property(x, "kernel_release", r->kernel_release);
	fputs("    </properties>\n", x->f);

	/* A known failure is one skipped testcase ("xfail: <reason>"): its
	 * failed subtests are what tests/known/ expects. */
	if (t->status != TEST_XFAIL)
		put_subtests(x, classname, NULL, t->ktap.tests, t->ktap.nr_tests);
	if (t->status == TEST_XFAIL || !t->ktap.nr_tests ||
	    (test_status_failed(t->status) && !has_failed_leaf(t)))
		put_program_case(x, classname, name, t);

	fputs("    <system-out>", x->f);
	if (t->output)
		put_escaped(x, t->output, t->output_len, false);
	fputs("</system-out>\n    <system-err>", x->f);
	if (t->nr_dmesg)
		put_lines(x, t->dmesg, t->nr_dmesg);
	else
		put_findings(x, t->findings, t->nr_findings);
	fputs("</system-err>\n  </testsuite>\n", x->f);
	free(classname);
}

/* Kernel problems outside any test fail one testcase of their own. */
static void put_kernel_suite(struct xml *x, const struct run_report *r)
{
	struct report_totals one_failure = { .failed = 1 };
	char message[64];

	snprintf(message, sizeof(message), "%zu kernel problem%s outside any test",
		 r->nr_findings, r->nr_findings == 1 ? "" : "s");
	fputs("  <testsuite name=\"kernel\"", x->f);
	put_counts(x, &one_failure, 0);
	fputs(">\n    <testcase classname=\"kernel\" name=\"kernel log\">\n      <failure", x->f);
	put_attr(x, "message", message);
	fputs(" type=\"kernel\">", x->f);
	put_findings(x, r->findings, r->nr_findings);
	fputs("</failure>\n    </testcase>\n  </testsuite>\n", x->f);
}

static void put_run(struct xml *x, const struct run_report *r)
{
	struct report_totals totals;
	size_t i;

	report_totals(r, &totals);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"daxtest\"", x->f);
	put_counts(x, &totals, r->total_seconds);
	fputs(">\n", x->f);
	for (i = 0; i < r->nr_tests && !x->err; i++)
		put_suite(x, r, &r->tests[i]);
	if (r->nr_findings)
		put_kernel_suite(x, r);
	fputs("</testsuites>\n", x->f);
}

static int write_run(const char *path, const struct run_report *r)
{
	struct xml x = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int ret;

	x.f = open_memstream(&buf, &len);
	if (!x.f)
		return -ENOMEM;
	put_run(&x, r);
	if (fclose(x.f) && !x.err)
		x.err = -ENOMEM;
	ret = x.err;
	if (!ret)
		ret = write_file_atomic(path, buf, len, 0644);
	free(buf);
	return ret;
}

int report_junit_write(const char *path, const struct run_report *r)
{
	return write_run(path, r);
}

int report_junit_write_suite(const char *path, const struct run_report *r, const char *suite)
{
	struct run_report sub = *r;
	size_t i;
	int ret;

	sub.tests = calloc(r->nr_tests + 1, sizeof(*sub.tests));
	if (!sub.tests)
		return -ENOMEM;
	sub.nr_tests = 0;
	sub.total_seconds = 0;
	/* Kernel reports outside any test are the run's, in results.xml. */
	sub.findings = NULL;
	sub.nr_findings = 0;
	for (i = 0; i < r->nr_tests; i++) {
		if (strcmp(result_suite(r->tests[i].name), suite))
			continue;
		sub.tests[sub.nr_tests++] = r->tests[i];
		sub.total_seconds += r->tests[i].seconds;
	}
	ret = write_run(path, &sub);
	free(sub.tests);
	return ret;
}
