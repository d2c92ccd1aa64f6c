/* SPDX-License-Identifier: GPL-2.0 */
/*
 * results/<run-id>/: console.log, qemu.log, tests/<area>/<program>.log
 * (the test's output) and .dmesg (kernel log while it ran), results.json,
 * results.xml (JUnit), report.html and summary.txt; results/latest
 * points at it.
 */
#ifndef DAXTEST_RESULTS_DIR_H
#define DAXTEST_RESULTS_DIR_H

#include <stddef.h>

#include "report/result.h"

struct results_dir {
	char *path;
	char *console_log;
	char *qemu_log;
};

/* "YYYYmmdd-HHMMSS-<pid>" */
void results_dir_make_id(char *buf, size_t len);
int results_dir_create(struct results_dir *d, const char *root, const char *run_id);
void results_dir_write_test(const struct results_dir *d, const struct test_result *t);
int results_dir_write_reports(const struct results_dir *d, const struct run_report *r);
void results_dir_free(struct results_dir *d);

#endif /* DAXTEST_RESULTS_DIR_H */
