// SPDX-License-Identifier: GPL-2.0
/*
 * report_html.c - report.html: the run on one self-contained page
 *
 *	summary		kernel, accel, leaf totals, boot and total time
 *	matrix		<table id="matrix">: filesystem rows, namespace cell x
 *			dax mount mode columns; each <td class="cell pass|fail|
 *			skip|xfail|empty" data-fs data-mode data-ns> holds the
 *			counts of the leaves in it (report_grid_build())
 *	tests		<table id="tests">: every program, its status and time
 *	failures	<details class="failure" id="fail-<n>" data-test>: the
 *			reason, failed subtests with their KTAP diagnostics
 *			(class "subtest-failure", "diag"), kernel findings
 *			("finding"), the kernel log ("dmesg")
 *
 * No network: the style sheet is inline and there is no script. All text
 * is cleaned with result_text_clean() and escaped: it came from the guest.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "report/report.h"

struct page {
	FILE *f;
	int err;		/* sticky: an allocation failed */
	unsigned int failures;	/* fail-<n> ids handed out */
};

static const char style[] =
	"body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}\n"
	"h1{font-size:1.4em}h2{font-size:1.2em;margin-top:1.5em}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{border:1px solid #bbb;padding:3px 8px;text-align:left;vertical-align:top}\n"
	"caption{text-align:left;font-weight:bold;padding:4px 0}\n"
	"td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"#matrix td.cell{text-align:center;min-width:5.5em;font-size:.9em}\n"
	".cell.pass,.status-pass{background:#2e9e44;color:#fff}\n"
	".cell.fail,.status-fail{background:#d32f2f;color:#fff}\n"
	".cell.skip,.status-skip{background:#9e9e9e;color:#fff}\n"
	".cell.xfail,.status-xfail{background:#f2a900;color:#222}\n"
	".cell.empty{background:#f4f4f4;color:#999}\n"
	"#tests{width:100%}#tests td.name{overflow-wrap:anywhere;min-width:18em}\n"
	"#tests td.reason{word-break:break-word;min-width:20em}\n"
	"td[class^=status-] a{color:inherit}\n"
	".infra{background:#d32f2f;color:#fff;padding:.5em;font-weight:bold}\n"
	"details.failure{border:1px solid #d32f2f;margin:.5em 0;padding:.3em .6em}\n"
	"details.failure>summary{font-weight:bold;cursor:pointer}\n"
	"details details{margin:.3em 0 .3em 1em}\n"
	"pre{background:#f6f6f6;padding:.4em;overflow-x:auto;white-space:pre-wrap;"
	"word-break:break-all;font-size:.85em}\n"
	".legend span{display:inline-block;padding:1px 8px;margin-right:4px}\n";

/* Text from the guest: cleaned to valid UTF-8 without control
 * characters, then escaped for both element content and attributes. */
static void put_text_len(struct page *p, const char *s, size_t len)
{
	char *clean, *c;

	if (p->err)
		return;
	clean = result_text_clean(s, len);
	if (!clean) {
		p->err = -ENOMEM;
		return;
	}
	for (c = clean; *c; c++) {
		switch (*c) {
		case '&':
			fputs("&amp;", p->f);
			break;
		case '<':
			fputs("&lt;", p->f);
			break;
		case '>':
			fputs("&gt;", p->f);
			break;
		case '"':
			fputs("&quot;", p->f);
			break;
		case '\'':
			fputs("&#39;", p->f);
			break;
		default:
			fputc(*c, p->f);
		}
	}
	free(clean);
}

static void put_text(struct page *p, const char *s)
{
	put_text_len(p, s ? s : "", s ? strlen(s) : 0);
}

/* A relative link to a file under the results directory. */
static void put_href(struct page *p, const char *path)
{
	const char *c;

	for (c = path; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || strchr("/._-~", *c))
			fputc(*c, p->f);
		else
			fprintf(p->f, "%%%02X", (unsigned char)*c);
	}
}

static double secs(double s)
{
	return isfinite(s) ? s : 0;
}

static const char *cell_class(const struct report_totals *t)
{
	if (t->failed)
		return "fail";
	if (t->xfailed)
		return "xfail";
	if (t->passed)
		return "pass";
	if (t->skipped)
		return "skip";
	return "empty";
}

static unsigned int cell_total(const struct report_totals *t)
{
	return t->passed + t->failed + t->skipped + t->xfailed;
}

static void put_counts(struct page *p, const struct report_totals *t)
{
	fprintf(p->f, "%u passed, %u failed, %u skipped", t->passed, t->failed, t->skipped);
	if (t->xfailed)
		fprintf(p->f, ", %u xfailed", t->xfailed);
}

static void put_summary(struct page *p, const struct run_report *r)
{
	struct report_totals t;

	report_totals(r, &t);
	fputs("<h1>daxtest run ", p->f);
	put_text(p, r->run_id);
	fputs("</h1>\n", p->f);
	if (r->infra_error) {
		fputs("<p class=\"infra\" id=\"infra-error\">Infrastructure error: ", p->f);
		put_text(p, r->infra_error);
		fputs("</p>\n", p->f);
	}
	fputs("<table id=\"summary\">\n<tr><th>kernel</th><td>", p->f);
	put_text(p, r->kernel_release);
	fputs("</td></tr>\n<tr><th>kernel source</th><td>", p->f);
	put_text(p, r->kernel_source);
	fputs("</td></tr>\n<tr><th>accel</th><td>", p->f);
	put_text(p, r->accel);
	fprintf(p->f, "</td></tr>\n<tr><th>leaves</th><td id=\"totals\" class=\"status-%s\""
		" data-passed=\"%u\" data-failed=\"%u\" data-skipped=\"%u\" data-xfailed=\"%u\">",
		cell_class(&t), t.passed, t.failed, t.skipped, t.xfailed);
	put_counts(p, &t);
	fprintf(p->f, "</td></tr>\n<tr><th>boot</th><td>%.2f s</td></tr>\n"
		"<tr><th>total</th><td>%.2f s</td></tr>\n",
		secs(r->boot_seconds), secs(r->total_seconds));
	if (r->infra_error) {
		fputs("<tr><th>infra_error</th><td>", p->f);
		put_text(p, r->infra_error);
		fputs("</td></tr>\n", p->f);
	}
	fputs("</table>\n", p->f);
}

/* Whether any leaf fell in row fs, or column mode, of any namespace cell. */
static bool row_used(const struct report_grid *g, size_t fs)
{
	size_t ns, mode;

	for (ns = 0; ns < g->nr_ns; ns++)
		for (mode = 0; mode < g->nr_modes; mode++)
			if (cell_total(report_grid_cell(g, ns, fs, mode)))
				return true;
	return false;
}

static bool column_used(const struct report_grid *g, size_t mode)
{
	size_t ns, fs;

	for (ns = 0; ns < g->nr_ns; ns++)
		for (fs = 0; fs < g->nr_fs; fs++)
			if (cell_total(report_grid_cell(g, ns, fs, mode)))
				return true;
	return false;
}

/* Namespace cells in order of appearance, "other" last. */
static size_t ns_order(const struct report_grid *g, size_t i)
{
	size_t other = g->nr_ns, k, n = 0;

	for (k = 0; k < g->nr_ns; k++) {
		if (!strcmp(g->ns[k], REPORT_OTHER)) {
			other = k;
			continue;
		}
		if (n++ == i)
			return k;
	}
	return other;
}

static void put_cell(struct page *p, const struct report_grid *g, size_t ns, size_t fs,
		     size_t mode)
{
	const struct report_totals *c = report_grid_cell(g, ns, fs, mode);

	fprintf(p->f, "<td class=\"cell %s\" data-fs=\"%s\" data-mode=\"%s\" data-ns=\"",
		cell_class(c), report_grid_fs_name(fs), report_grid_mode_name(mode));
	put_text(p, g->ns[ns]);
	fprintf(p->f, "\" data-passed=\"%u\" data-failed=\"%u\" data-skipped=\"%u\""
		" data-xfailed=\"%u\">", c->passed, c->failed, c->skipped, c->xfailed);
	if (cell_total(c)) {
		fprintf(p->f, "%u&#10003; %u&#10007; %u&#8631;", c->passed, c->failed, c->skipped);
		if (c->xfailed)
			fprintf(p->f, " %ux", c->xfailed);
	} else {
		fputs("&ndash;", p->f);
	}
	fputs("</td>", p->f);
}

static void put_matrix(struct page *p, const struct run_report *r)
{
	size_t nr_modes = 0, fs, mode, i;
	struct report_grid g;

	if (report_grid_build(r, &g)) {
		p->err = -ENOMEM;
		return;
	}
	for (mode = 0; mode < g.nr_modes; mode++)
		nr_modes += column_used(&g, mode);
	fputs("<h2>Matrix</h2>\n<table id=\"matrix\">\n<caption>kernel ", p->f);
	put_text(p, r->kernel_release ? r->kernel_release : "(unknown)");
	fputs(": filesystem &times; dax mount mode &times; namespace cell</caption>\n"
	      "<tr><th rowspan=\"2\">fs</th>", p->f);
	for (i = 0; i < g.nr_ns; i++) {
		fprintf(p->f, "<th class=\"ns\" colspan=\"%zu\">", nr_modes);
		put_text(p, g.ns[ns_order(&g, i)]);
		fputs("</th>", p->f);
	}
	fputs("</tr>\n<tr>", p->f);
	for (i = 0; i < g.nr_ns; i++)
		for (mode = 0; mode < g.nr_modes; mode++)
			if (column_used(&g, mode))
				fprintf(p->f, "<th class=\"mode\">%s%s</th>",
					mode + 1 < g.nr_modes ? "dax=" : "",
					report_grid_mode_name(mode));
	fputs("</tr>\n", p->f);
	for (fs = 0; fs < g.nr_fs; fs++) {
		if (!row_used(&g, fs))
			continue;
		fprintf(p->f, "<tr data-fs=\"%s\"><th>%s</th>", report_grid_fs_name(fs),
			report_grid_fs_name(fs));
		for (i = 0; i < g.nr_ns; i++)
			for (mode = 0; mode < g.nr_modes; mode++)
				if (column_used(&g, mode))
					put_cell(p, &g, ns_order(&g, i), fs, mode);
		fputs("</tr>\n", p->f);
	}
	fputs("</table>\n<p class=\"legend\"><span class=\"cell pass\">all passed</span>"
	      "<span class=\"cell fail\">a failure</span><span class=\"cell xfail\">known failure"
	      "</span><span class=\"cell skip\">all skipped</span> &#10003; passed &#10007; failed"
	      " &#8631; skipped, x xfailed</p>\n", p->f);
	report_grid_free(&g);
}

static void put_test_row(struct page *p, const struct test_result *t, unsigned int *failure)
{
	struct report_totals c = { 0 };
	char *log;

	report_test_totals(t, &c);
	fputs("<tr class=\"test\"><td class=\"name\">", p->f);
	put_text(p, t->name);
	fprintf(p->f, "</td><td class=\"status-%s\">", cell_class(&c));
	if (test_status_failed(t->status))
		fprintf(p->f, "<a href=\"#fail-%u\">%s</a>", ++*failure,
			test_status_name(t->status));
	else
		fputs(test_status_name(t->status), p->f);
	fprintf(p->f, "</td><td class=\"num\">%u</td><td class=\"num\">%u</td>"
		"<td class=\"num\">%u</td><td class=\"num\">%u</td><td class=\"num\">%.2f</td>"
		"<td class=\"reason\">",
		c.passed, c.failed, c.skipped, c.xfailed, secs(t->seconds));
	put_text(p, t->reason);
	fputs("</td><td>", p->f);
	log = t->name ? str_printf("tests/%s.log", t->name) : NULL;
	if (log) {
		fputs("<a href=\"", p->f);
		put_href(p, log);
		fputs("\">log</a>", p->f);
		free(log);
	}
	fputs("</td></tr>\n", p->f);
}

static void put_tests(struct page *p, const struct run_report *r)
{
	unsigned int failure = 0;
	size_t i;

	fputs("<h2>Tests</h2>\n<table id=\"tests\">\n<tr><th>test</th><th>status</th>"
	      "<th>passed</th><th>failed</th><th>skipped</th><th>xfailed</th><th>seconds</th>"
	      "<th>reason</th><th>output</th></tr>\n", p->f);
	fprintf(p->f, "<tr class=\"boot\"><td>(boot: QEMU start to the agent ready)</td><td></td>"
		"<td></td><td></td><td></td><td></td><td class=\"num\">%.2f</td><td></td><td>",
		secs(r->boot_seconds));
	if (r->guests > 1) {
		unsigned int g;

		/* -j N: a console log per guest */
		for (g = 1; g <= r->guests; g++)
			fprintf(p->f, "<a href=\"console-%u.log\">console %u</a> ", g, g);
	} else {
		fputs("<a href=\"console.log\">console</a>", p->f);
	}
	fputs("</td></tr>\n", p->f);
	for (i = 0; i < r->nr_tests && !p->err; i++)
		put_test_row(p, &r->tests[i], &failure);
	fprintf(p->f, "<tr class=\"total\"><td>(total)</td><td></td><td></td><td></td><td></td>"
		"<td></td><td class=\"num\">%.2f</td><td></td><td></td></tr>\n</table>\n",
		secs(r->total_seconds));
}

static void put_lines(struct page *p, const char *class, char *const *lines, size_t n)
{
	size_t i;

	fprintf(p->f, "<pre class=\"%s\">", class);
	for (i = 0; i < n; i++) {
		put_text(p, lines[i]);
		fputc('\n', p->f);
	}
	fputs("</pre>\n", p->f);
}

static void put_findings(struct page *p, const struct kfinding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fprintf(p->f, "<details class=\"finding\" open><summary>kernel %s: ",
			kfinding_kind_name(f[i].kind));
		put_text(p, f[i].title);
		fputs("</summary>\n", p->f);
		put_lines(p, "finding-lines", f[i].lines, f[i].nr_lines);
		fputs("</details>\n", p->f);
	}
}

static bool ktap_failed(enum ktap_status s)
{
	return s == KTAP_FAIL || s == KTAP_TIMEOUT || s == KTAP_ERROR;
}

/* The failed leaves under tests, named as report_grid_build() names them. */
static void put_failed_subtests(struct page *p, const char *prefix,
				const struct ktap_test *tests, size_t n)
{
	char *name;
	size_t i;

	for (i = 0; i < n && !p->err; i++) {
		name = prefix ? str_printf("%s.%s", prefix, tests[i].name) : strdup(tests[i].name);
		if (!name) {
			p->err = -ENOMEM;
			return;
		}
		if (tests[i].nr_subtests) {
			put_failed_subtests(p, name, tests[i].subtests, tests[i].nr_subtests);
		} else if (ktap_failed(tests[i].status)) {
			fputs("<div class=\"subtest-failure\" data-subtest=\"", p->f);
			put_text(p, name);
			fputs("\"><h4>", p->f);
			put_text(p, name);
			fprintf(p->f, ": %s", ktap_status_name(tests[i].status));
			if (tests[i].directive) {
				fputs(" # ", p->f);
				put_text(p, tests[i].directive);
			}
			fputs("</h4>\n", p->f);
			put_lines(p, "diag", tests[i].diag, tests[i].nr_diag);
			fputs("</div>\n", p->f);
		}
		free(name);
	}
}

static void put_failure(struct page *p, const struct test_result *t)
{
	fprintf(p->f, "<details class=\"failure\" id=\"fail-%u\" data-status=\"%s\" "
		"data-test=\"", ++p->failures, test_status_name(t->status));
	put_text(p, t->name);
	fprintf(p->f, "\" open>\n<summary>%s ", test_status_name(t->status));
	put_text(p, t->name);
	if (t->reason) {
		fputs(": ", p->f);
		put_text(p, t->reason);
	}
	fputs("</summary>\n", p->f);
	if (t->reason) {
		fputs("<p class=\"reason\">", p->f);
		put_text(p, t->reason);
		fputs("</p>\n", p->f);
	}
	fprintf(p->f, "<p>exit code %d, signal %d, %.2f s</p>\n", t->exit_code, t->signal,
		secs(t->seconds));
	put_failed_subtests(p, NULL, t->ktap.tests, t->ktap.nr_tests);
	if (t->ktap.nr_errors) {
		fputs("<p>malformed KTAP:</p>\n", p->f);
		put_lines(p, "ktap-errors", t->ktap.errors, t->ktap.nr_errors);
	}
	if (t->ktap.nr_trailing) {
		fputs("<p>after the last result (where it stopped):</p>\n", p->f);
		put_lines(p, "trailing", t->ktap.trailing, t->ktap.nr_trailing);
	}
	put_findings(p, t->findings, t->nr_findings);
	fprintf(p->f, "<details class=\"dmesg\"><summary>kernel log while it ran (%zu lines)"
		"</summary>\n", t->nr_dmesg);
	put_lines(p, "dmesg-lines", t->dmesg, t->nr_dmesg);
	fputs("</details>\n</details>\n", p->f);
}

static void put_failures(struct page *p, const struct run_report *r)
{
	size_t i;

	fputs("<h2>Failures</h2>\n", p->f);
	for (i = 0; i < r->nr_tests && !p->err; i++)
		if (test_status_failed(r->tests[i].status))
			put_failure(p, &r->tests[i]);
	if (r->nr_findings) {
		fprintf(p->f, "<details class=\"failure kernel\" id=\"fail-%u\" data-status=\"kernel\""
			" open>\n<summary>kernel: %zu problem%s outside any test</summary>\n",
			++p->failures, r->nr_findings, r->nr_findings == 1 ? "" : "s");
		put_findings(p, r->findings, r->nr_findings);
		fputs("</details>\n", p->f);
	}
	if (!p->failures)
		fputs("<p id=\"no-failures\">None.</p>\n", p->f);
}

static void put_page(struct page *p, const struct run_report *r)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>daxtest ", p->f);
	put_text(p, r->run_id);
	fputs(" on ", p->f);
	put_text(p, r->kernel_release);
	fprintf(p->f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", style);
	put_summary(p, r);
	put_matrix(p, r);
	put_tests(p, r);
	put_failures(p, r);
	fputs("</body>\n</html>\n", p->f);
}

int report_html_write(const char *path, const struct run_report *r)
{
	struct page p = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int ret;

	p.f = open_memstream(&buf, &len);
	if (!p.f)
		return -ENOMEM;
	put_page(&p, r);
	if (fclose(p.f) && !p.err)
		p.err = -ENOMEM;
	ret = p.err;
	if (!ret)
		ret = write_file_atomic(path, buf, len, 0644);
	free(buf);
	return ret;
}
