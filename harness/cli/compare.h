/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest compare A B: which tests changed between two runs, from their
 * results.json, e.g. the stock kernel (SERIES=none) against the kernel
 * with kernel-patches/series. Each program whose status differs is one
 * line "name  A -> B", followed by its subtests that differ; then the
 * totals. Exit status as diff(1): 0 nothing changed, 1 something did,
 * 2 a run could not be read.
 */
#ifndef DAXTEST_COMPARE_H
#define DAXTEST_COMPARE_H

#include <stdio.h>

#include "report/result.h"

/* A results directory (results/<id>, or a --results root holding
 * latest/) or a results.json path -> the results.json to read; malloc'd. */
char *compare_json_path(const char *arg);
/* Prints the differences of b against a; returns 0 (same) or 1. */
int compare_reports(FILE *f, const struct run_report *a, const struct run_report *b);
/* daxtest compare: 0, 1, or 2 after logging. */
int compare_runs(const char *a, const char *b);

#endif /* DAXTEST_COMPARE_H */
