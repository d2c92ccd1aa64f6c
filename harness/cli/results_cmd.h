/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest results DIR [--format tests|subtests|failed|summary] [--field KEY]:
 * what a run's results.json holds, as lines a script reads with cut, read
 * or awk, so that no script parses KTAP or JSON itself. DIR is a results
 * directory, a --results root (its latest/) or a results.json. Fields are
 * separated by one tab; tabs and line breaks inside a field become spaces.
 *
 *	tests     (the default) one line per test program:
 *		  name, status, seconds, reason (empty when there is none)
 *	subtests  one line per result of a program's own KTAP (its top level):
 *		  program, subtest, status (pass, fail, skip, xfail, timeout, error)
 *	failed    one line per program that failed the run (fail, timeout,
 *		  crash, not-run, xpass): its name, then its subtests that failed
 *		  (fail, timeout, error), as KTAP marks them "not ok"
 *	summary   "key=value" lines: run_id, kernel_release, kernel_source,
 *		  accel, boot_seconds, total_seconds, qemu_peak_rss_mib, guests,
 *		  infra_error, tests (programs), and the leaf totals passed,
 *		  failed, skipped, xfailed (those the run wrote)
 *	--field KEY  the value of one summary key alone
 *
 * daxtest cache-dir: the cache directory every daxtest command uses
 * (--cache, $DAXTEST_CACHE, $XDG_CACHE_HOME/daxtest, ~/.cache/daxtest),
 * as lib/cache.c computes it, for the scripts that keep things there.
 */
#ifndef DAXTEST_RESULTS_CMD_H
#define DAXTEST_RESULTS_CMD_H

#include <stdio.h>

#include "cli/options.h"
#include "report/report.h"

enum results_format {
	RESULTS_TESTS,
	RESULTS_SUBTESTS,
	RESULTS_FAILED,
	RESULTS_SUMMARY,
};

struct results_request {
	const char *dir;		/* as given: directory, root or file */
	enum results_format format;
	const char *field;		/* --field KEY, or NULL */
};

/* The arguments after "results". 0, or -1 after one log_error() line. */
int results_parse_args(struct results_request *req, int argc, char *const *argv);
/* Prints r (its leaf totals in *t) as req asks. 0, or -1 after logging
 * (an unknown --field). */
int results_print(FILE *f, const struct run_report *r, const struct report_totals *t,
		  const struct results_request *req);
/* daxtest results: 0, or 2 after logging. */
int results_cmd(int argc, char *const *argv);
/* daxtest cache-dir: prints it (created as the stages create it): 0, or 2. */
int cache_dir_cmd(const struct options *o);

#endif /* DAXTEST_RESULTS_CMD_H */
