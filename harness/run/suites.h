/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The peer suites of a run (--suite ndctl=DIR, --suite fstests=DIR):
 * built on the host (build/suite_build.h), each of their tests one entry
 * of the run's catalog, run in the guest by DAXTEST_SUITE_RUNNER.
 */
#ifndef DAXTEST_RUN_SUITES_H
#define DAXTEST_RUN_SUITES_H

#include "plan/catalog.h"
#include "run/run_request.h"

/* Builds each of req's suites and appends their selected tests to c;
 * *env: "DAXTEST_SUITE_BINDS=<host paths the guest must see>", for the
 * plans. 0, or -1 after logging. */
int suites_prepare(const struct run_request *req, struct test_catalog *c, char **env);

#endif /* DAXTEST_RUN_SUITES_H */
