/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Report writers. KTAP goes to stdout as each test ends (the guest
 * programs' own KTAP as subtests); JUnit XML and JSON are written into
 * the run's results directory at the end.
 */
#ifndef DAXTEST_REPORT_H
#define DAXTEST_REPORT_H

#include <stdio.h>

#include "result.h"

/* "KTAP version 1" and the plan line. */
void report_ktap_begin(FILE *f, size_t nr_tests);
/* One test: its output's KTAP re-indented as subtests, kernel findings
 * as diagnostics, then "ok/not ok <index> <name> [# directive reason]". */
void report_ktap_test(FILE *f, size_t index, const struct test_result *t);
int report_junit_write(const char *path, const struct run_report *r);
int report_json_write(const char *path, const struct run_report *r);

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

#endif /* DAXTEST_REPORT_H */
