// SPDX-License-Identifier: GPL-2.0
/*
 * results_dir.c - lay out a run's results on disk
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "report/report.h"
#include "report/results_dir.h"

void results_dir_make_id(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	char stamp[32];

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "%s-%d", stamp, (int)getpid());
}

int results_dir_create(struct results_dir *d, const char *root, const char *run_id)
{
	char *latest = NULL, *tmp;

	memset(d, 0, sizeof(*d));
	d->path = path_join(root, run_id);
	d->console_log = d->path ? path_join(d->path, "console.log") : NULL;
	d->qemu_log = d->path ? path_join(d->path, "qemu.log") : NULL;
	latest = path_join(root, "latest");
	if (!d->path || !d->console_log || !d->qemu_log || !latest)
		goto fail;
	if (mkdir_p(d->path, 0755) < 0) {
		log_error("cannot create the results directory %s: %s", d->path, strerror(errno));
		goto fail;
	}
	/* Another run may point it elsewhere at the same time: a new link
	 * renamed over the old one, never a moment without. */
	tmp = str_printf("%s.%d", latest, (int)getpid());
	if (!tmp || symlink(run_id, tmp) < 0 || rename(tmp, latest) < 0) {
		log_debug("cannot point %s at %s: %s", latest, run_id, strerror(errno));
		if (tmp)
			unlink(tmp);
	}
	free(tmp);
	free(latest);
	return 0;
fail:
	free(latest);
	return -1;
}

static void write_text(const char *dir, const char *name, const char *suffix,
		       const char *text, size_t len)
{
	char *path = str_printf("%s/tests/%s%s", dir, name, suffix);
	char *parent = path ? strdup(path) : NULL;

	if (!path || !parent)
		goto out;
	*strrchr(parent, '/') = '\0';
	if (mkdir_p(parent, 0755) < 0 || write_file_atomic(path, text, len, 0644) < 0)
		log_error("cannot write %s", path);
out:
	free(path);
	free(parent);
}

void results_dir_write_test(const struct results_dir *d, const struct test_result *t)
{
	char *dmesg = NULL;
	size_t len = 0, i;
	FILE *f;

	write_text(d->path, t->name, ".log", t->output ? t->output : "", t->output_len);
	f = open_memstream(&dmesg, &len);
	if (!f)
		return;
	for (i = 0; i < t->nr_dmesg; i++)
		fprintf(f, "%s\n", t->dmesg[i]);
	if (fclose(f) == 0)
		write_text(d->path, t->name, ".dmesg", dmesg, len);
	free(dmesg);
}

/* results-<suite>.xml for each peer suite the run has. */
static int write_suite_reports(const struct results_dir *d, const struct run_report *r)
{
	static const char *const suites[] = { "ndctl", "fstests" };
	size_t i, j;
	int ret = 0;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]) && !ret; i++) {
		char *path;

		for (j = 0; j < r->nr_tests; j++)
			if (!strcmp(result_suite(r->tests[j].name), suites[i]))
				break;
		if (j == r->nr_tests)
			continue;
		path = str_printf("%s/results-%s.xml", d->path, suites[i]);
		ret = path ? report_junit_write_suite(path, r, suites[i]) : -1;
		if (ret < 0)
			log_error("cannot write %s", path ? path : "a suite's JUnit file");
		free(path);
	}
	return ret < 0 ? -1 : 0;
}

int results_dir_write_reports(const struct results_dir *d, const struct run_report *r)
{
	char *json = path_join(d->path, "results.json");
	char *xml = path_join(d->path, "results.xml");
	char *html = path_join(d->path, "report.html");
	char *summary = path_join(d->path, "summary.txt"), *text = NULL;
	struct report_totals t;
	int ret = -1;

	if (!json || !xml || !html || !summary)
		goto out;
	report_totals(r, &t);
	text = str_printf("passed=%u\nfailed=%u\nskipped=%u\nxfailed=%u\ninfra_error=%s\n",
			  t.passed, t.failed, t.skipped, t.xfailed,
			  r->infra_error ? r->infra_error : "");
	if (!text)
		goto out;
	if (report_json_write(json, r) < 0 || report_junit_write(xml, r) < 0 ||
	    report_html_write(html, r) < 0 ||
	    write_file_atomic(summary, text, strlen(text), 0644) < 0) {
		log_error("cannot write the reports in %s", d->path);
		goto out;
	}
	ret = write_suite_reports(d, r);
out:
	free(json);
	free(xml);
	free(html);
	free(summary);
	free(text);
	return ret;
}

void results_dir_free(struct results_dir *d)
{
	free(d->path);
	free(d->console_log);
	free(d->qemu_log);
	memset(d, 0, sizeof(*d));
}
