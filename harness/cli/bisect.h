/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest bisect: "git bisect run" in the user's kernel tree with daxtest
 * as the step. Each step builds the step's tree incrementally (the
 * persistent worktree, build directory and ccache of --ksrc), boots and
 * runs the chosen tests, and exits as git wants: 0 good, 1 bad, 125 skip
 * for a build, boot or infrastructure failure (never blame a commit for
 * those) and for a flaky result, 130 (abort) when interrupted. At the end
 * the first bad commit, its subject, the failing tests and their logs are
 * printed, and the tree is put back where it was (also after an error or
 * Ctrl-C).
 */
#ifndef DAXTEST_BISECT_H
#define DAXTEST_BISECT_H

#include <signal.h>

#include "cli/options.h"
#include "lib/strv.h"

/* daxtest bisect. 0 when a first bad commit was found, 2 otherwise. */
int bisect_run(const struct options *o, volatile sig_atomic_t *interrupted);
/* daxtest bisect-step (what git bisect run calls). */
int bisect_step(const struct options *o, volatile sig_atomic_t *interrupted);

/* Adds "git -C <dir> <args...>" (args NULL-terminated) to argv. 0, or -1
 * when out of memory. */
int bisect_git_argv(struct strv *argv, const char *dir, const char *const *args);
/* Adds what bisect runs, "git -C <ksrc> bisect run <step...>", to argv.
 * 0, or -1 when out of memory. */
int bisect_run_argv(struct strv *argv, const char *ksrc, const struct strv *step);

#endif /* DAXTEST_BISECT_H */
