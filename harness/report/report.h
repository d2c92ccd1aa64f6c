/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Report writers. KTAP goes to stdout as each test ends (the guest
 * programs' own KTAP as subtests); JUnit XML, JSON and the HTML page are
 * written into the run's results directory at the end.
 */
#ifndef DAXTEST_REPORT_H
#define DAXTEST_REPORT_H

#include <stdio.h>

#include "report/result.h"

/* "KTAP version 1" and the plan line. */
void report_ktap_begin(FILE *f, size_t nr_tests);
/* One test: its output's KTAP re-indented as subtests, kernel findings
 * as diagnostics, then "ok/not ok <index> <name> [# directive reason]". */
void report_ktap_test(FILE *f, size_t index, const struct test_result *t);
int report_junit_write(const char *path, const struct run_report *r);
/* The same for the tests of one suite (result_suite()) alone. */
int report_junit_write_suite(const char *path, const struct run_report *r, const char *suite);
int report_json_write(const char *path, const struct run_report *r);
/* The run as one self-contained HTML page (no network). 0 or -errno. */
int report_html_write(const char *path, const struct run_report *r);
/*
 * Reads what report_json_write() wrote back into *r (freed with
 * run_report_free(); the tests' output is not in the JSON and stays
 * NULL). 0, or -1 after one log_error() line naming the problem.
 */
int report_json_read(const char *path, struct run_report *r);
/* daxtest report DIR: DIR/report.html from DIR/results.json. 0 or -1
 * after logging. */
int report_rerender(const char *dir);

struct report_totals {
	unsigned int passed, failed, skipped;
	unsigned int xfailed;	/* failed as tests/known/ or kselftest XFAIL expects */
};
/* Leaf-level totals: subtests of each program, or the program itself
 * when it produced no KTAP results (timeouts, crashes, errors). */
void report_totals(const struct run_report *r, struct report_totals *t);
/* Adds one program's leaves to *t, as report_totals() counts them. */
void report_test_totals(const struct test_result *test, struct report_totals *t);
/* "N passed, N failed[, N skipped]" plus boot and total time. */
void report_summary(FILE *f, const struct run_report *r);

/*
 * The matrix grid of report.html: every leaf, counted as report_totals()
 * counts them, in one cell of filesystem x dax mount mode x namespace
 * cell. The filesystem and mode come from the leaf's name: the first
 * dotted component whose "_"-separated words start with a filesystem
 * ("xfs_always" in "fsdax.xfs_always.generic_606", "xfs" in
 * "qbb.xfs.pread_eio"), the mode being the word after it when it is one;
 * failing that, the same in the last part of the program's name (a
 * power-fail case is a program of its own: "powerfail/map_sync_cut/
 * cut.xfs_always.map_sync_stores@map=mem"). The namespace cell is what
 * follows '@' in the program's name ("map=mem"). What has none of them
 * is "other".
 */
#define REPORT_OTHER	"other"

struct report_place {
	size_t fs;		/* a report_grid_fs_name() index */
	size_t mode;		/* a report_grid_mode_name() index */
	const char *ns;		/* into the program's name, or REPORT_OTHER */
	size_t ns_len;
};
void report_place(const char *program, const char *leaf, struct report_place *p);

struct report_grid {
	char **ns;		/* namespace cells in order of appearance */
	size_t nr_ns;
	size_t nr_fs, nr_modes;	/* the names below, "other" last */
	struct report_totals *cells; /* [ns][fs][mode] */
};
/* 0 or -ENOMEM; free with report_grid_free(). */
int report_grid_build(const struct run_report *r, struct report_grid *g);
struct report_totals *report_grid_cell(const struct report_grid *g, size_t ns,
				       size_t fs, size_t mode);
void report_grid_free(struct report_grid *g);
/* "xfs", "ext4", ...; "always", "never", ...; REPORT_OTHER last. */
const char *report_grid_fs_name(size_t i);
const char *report_grid_mode_name(size_t i);

#endif /* DAXTEST_REPORT_H */
