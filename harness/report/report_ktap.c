// SPDX-License-Identifier: GPL-2.0
/*
 * report_ktap.c - the run as KTAP, one test program at a time
 *
 * Each program is one result of the top-level plan. Its own KTAP results,
 * renumbered and indented two more spaces per level, are its subtests;
 * kernel findings and problems with its output are diagnostics before
 * its result line. Whatever is printed here parses back with ktap_parse()
 * without errors.
 */
#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

#define KTAP_INDENT		2
#define TRAILING_SHOWN		30	/* last lines of a failed program's output */
/* The program's results are one level below the run's, and ktap_parse()
 * takes KTAP_MAX_DEPTH levels: subtests nested deeper are left out. */
#define KTAP_MAX_INDENT		((KTAP_MAX_DEPTH - 1) * KTAP_INDENT)

static bool ktap_failed(enum ktap_status s)
{
	return s == KTAP_FAIL || s == KTAP_TIMEOUT || s == KTAP_ERROR;
}

/* One line of text: a newline in it would end the KTAP line early. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* A '#' in a name would start the directive. */
static void put_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '#' || *s == '\n' || *s == '\r' ? '_' : *s, f);
}

static void emit_diag(FILE *f, int indent, const char *prefix, const char *text)
{
	fprintf(f, "%*s# %s", indent, "", prefix);
	put_text(f, text);
	fputc('\n', f);
}

static void emit_result(FILE *f, int indent, bool ok, size_t number, const char *name,
			const char *keyword, const char *text)
{
	fprintf(f, "%*s%s %zu", indent, "", ok ? "ok" : "not ok", number);
	if (*name) {
		fputc(' ', f);
		put_name(f, name);
	}
	if (keyword || text)
		fputs(" #", f);
	if (keyword)
		fprintf(f, " %s", keyword);
	if (text) {
		fputc(' ', f);
		put_text(f, text);
	}
	fputc('\n', f);
}

static const char *ktap_keyword(enum ktap_status s)
{
	switch (s) {
	case KTAP_SKIP:
		return "SKIP";
	case KTAP_XFAIL:
		return "XFAIL";
	case KTAP_TIMEOUT:
		return "TIMEOUT";
	case KTAP_ERROR:
		return "ERROR";
	case KTAP_PASS:
	case KTAP_FAIL:
		break;
	}
	return NULL;
}

static void emit_block(FILE *f, int indent, const struct ktap_test *tests, size_t n);

/* Diagnostics are kept for the subtests that failed. */
static void emit_subtests(FILE *f, int indent, const struct ktap_test *tests, size_t n)
{
	const struct ktap_test *t;
	size_t i, j;

	for (i = 0; i < n; i++) {
		t = &tests[i];
		if (ktap_failed(t->status))
			for (j = 0; j < t->nr_diag; j++)
				emit_diag(f, indent, "", t->diag[j]);
		if (t->nr_subtests && indent + KTAP_INDENT > KTAP_MAX_INDENT)
			fprintf(f, "%*s# (%zu subtests nested too deep to show)\n", indent, "",
				t->nr_subtests);
		else if (t->nr_subtests)
			emit_block(f, indent + KTAP_INDENT, t->subtests, t->nr_subtests);
		emit_result(f, indent, !ktap_failed(t->status), i + 1, t->name,
			    ktap_keyword(t->status), t->directive);
	}
}

static void emit_block(FILE *f, int indent, const struct ktap_test *tests, size_t n)
{
	fprintf(f, "%*sKTAP version 1\n%*s1..%zu\n", indent, "", indent, "", n);
	emit_subtests(f, indent, tests, n);
}

/* Where a failed program stopped: the end of its output after the last
 * result. The whole output is in the results directory. */
static void emit_trailing(FILE *f, int indent, const struct ktap_doc *doc)
{
	size_t first = 0, i;

	if (doc->nr_trailing > TRAILING_SHOWN) {
		first = doc->nr_trailing - TRAILING_SHOWN;
		fprintf(f, "%*s# (%zu earlier lines of output not shown)\n", indent, "", first);
	}
	for (i = first; i < doc->nr_trailing; i++)
		emit_diag(f, indent, "", doc->trailing[i]);
}

static void emit_test_result(FILE *f, size_t index, const struct test_result *t)
{
	const char *name = t->name ? t->name : "(unnamed)";
	const char *reason = t->reason, *prefix;

	switch (t->status) {
	case TEST_PASS:
		emit_result(f, 0, true, index, name, NULL, NULL);
		return;
	case TEST_SKIP:
		emit_result(f, 0, true, index, name, "SKIP", reason);
		return;
	case TEST_XFAIL:
		emit_result(f, 0, true, index, name, "XFAIL", reason);
		return;
	case TEST_XPASS:
		emit_result(f, 0, false, index, name, "XPASS", reason);
		return;
	case TEST_TIMEOUT:
		emit_result(f, 0, false, index, name, "TIMEOUT", reason);
		return;
	case TEST_NOT_RUN:
		emit_result(f, 0, false, index, name, "ERROR", reason ? reason : "not run");
		return;
	case TEST_CRASH:
		if (!reason)
			reason = "the guest crashed";
		break;
	case TEST_FAIL:
		break;
	}
	if (!reason) {
		emit_result(f, 0, false, index, name, NULL, NULL);
		return;
	}
	/* A reason starting "skip ..." must not read as a SKIP directive. */
	prefix = ktap_starts_with_directive(reason) ? "reason: " : "";
	fprintf(f, "not ok %zu ", index);
	put_name(f, name);
	fprintf(f, " # %s", prefix);
	put_text(f, reason);
	fputc('\n', f);
}

void report_ktap_begin(FILE *f, size_t nr_tests)
{
	fprintf(f, "KTAP version 1\n1..%zu\n", nr_tests);
}

void report_ktap_test(FILE *f, size_t index, const struct test_result *t)
{
	const struct ktap_doc *doc = &t->ktap;
	size_t i;

	if (doc->nr_tests)
		emit_block(f, KTAP_INDENT, doc->tests, doc->nr_tests);
	if (test_status_failed(t->status))
		emit_trailing(f, doc->nr_tests ? KTAP_INDENT : 0, doc);
	for (i = 0; i < doc->nr_errors; i++)
		emit_diag(f, 0, "ktap: ", doc->errors[i]);
	for (i = 0; i < t->nr_findings; i++)
		emit_diag(f, 0, "kernel: ", t->findings[i].title ? t->findings[i].title :
			  kfinding_kind_name(t->findings[i].kind));
	emit_test_result(f, index, t);
	fflush(f);
}
