// SPDX-License-Identifier: GPL-2.0
/*
 * report_rerender.c - daxtest report DIR: DIR/report.html again, from
 * DIR/results.json (an old run's, or one a test edited)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "report/report.h"

int report_rerender(const char *dir)
{
	char *json = path_join(dir, "results.json");
	char *html = path_join(dir, "report.html");
	struct run_report r;
	int ret = -1;

	if (!json || !html) {
		log_error("out of memory");
		goto out;
	}
	if (!path_is_dir(dir)) {
		log_error("%s is not a results directory (results/<run-id>)", dir);
		goto out;
	}
	if (!path_is_file(json)) {
		log_error("%s has no results.json: not a results directory (results/<run-id>)", dir);
		goto out;
	}
	if (report_json_read(json, &r) < 0)
		goto out;
	ret = report_html_write(html, &r);
	if (ret < 0)
		log_error("cannot write %s: %s", html, strerror(-ret));
	else
		printf("%s\n", html);
	run_report_free(&r);
out:
	free(json);
	free(html);
	return ret < 0 ? -1 : 0;
}
