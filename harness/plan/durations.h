/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How long each test took when it last ran, kept in the cache
 * (<cache>/durations.tsv, one "<seconds>\t<name>" line per test), so the
 * shards of the next run can be ordered longest first (plan/shard.h):
 * a long test that starts last makes the whole run wait for it.
 */
#ifndef DAXTEST_DURATIONS_H
#define DAXTEST_DURATIONS_H

#include <stddef.h>

#include "plan/catalog.h"
#include "report/result.h"

/*
 * seconds[i] for tests[i]: its last duration in the file at path, or,
 * for a test the file does not have (or no file), the mean of those it
 * has (DURATION_UNKNOWN_S when it has none). Never fails: a missing or
 * malformed file is a run without history.
 */
#define DURATION_UNKNOWN_S	5.0
void durations_load(const char *path, const struct test_def *tests, size_t nr,
		    double *seconds);
/* Parses text (the file's content) the same way; for the unit tests. */
void durations_parse(const char *text, const struct test_def *tests, size_t nr,
		     double *seconds);
/*
 * The file at path with the tests of r that ran replacing their lines
 * (the others kept). 0, or -errno.
 */
int durations_save(const char *path, const struct run_report *r);

#endif /* DAXTEST_DURATIONS_H */
