/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest run: prepare, boot guests until every selected test ran, and
 * report. A test that crashes or hangs the guest is reported as such
 * and the remaining tests go on in a fresh guest.
 */
#ifndef DAXTEST_RUNNER_H
#define DAXTEST_RUNNER_H

#include <signal.h>

#include "run/run_request.h"

/* Exit status: 0 passed, 1 a test failed or the kernel warned, 2 the
 * run failed, 130 interrupted. */
int runner_run(const struct run_request *req, volatile sig_atomic_t *interrupted);

#endif /* DAXTEST_RUNNER_H */
