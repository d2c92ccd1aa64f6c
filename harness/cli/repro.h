/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest repro NAME: reproduce a reported bug from its repro case,
 * tests/repro/NAME.repro, "key: value" lines ('#' comments):
 *
 *	summary:   what goes wrong, one line
 *	reference: the fix (commit, subject, link)
 *	affected:  a kernel that has the bug (--kernel name, e.g. debian-6.1)
 *	fixed:     a kernel that does not
 *	tests:     the programs to run (--tests globs)
 *	fails:     the subtests that fail where the bug is (globs, space-separated)
 *	patches:   optional quilt series (relative to the .repro file) stacked on top
 *	config:    optional config fragment (relative to the .repro file)
 *
 * It runs the tests on --kernel, or the affected kernel, and says whether
 * the bug reproduced: one of the "fails" subtests failed.
 */
#ifndef DAXTEST_REPRO_H
#define DAXTEST_REPRO_H

#include <signal.h>

#include "cli/options.h"

/* 0 reproduced, 1 not reproduced, 2 the run failed or bad input. */
int repro_run(const struct options *o, volatile sig_atomic_t *interrupted);

#endif /* DAXTEST_REPRO_H */
