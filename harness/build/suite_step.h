/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One step of a suite build (meson setup, make, cp): a host program
 * whose output goes to the build's log, and one error line when it fails.
 */
#ifndef DAXTEST_SUITE_STEP_H
#define DAXTEST_SUITE_STEP_H

/*
 * Runs argv in cwd (NULL: ours) with env (extra "KEY=value", may be
 * NULL), its stdout and stderr appended to log. 0, or -1 after one
 * log_error line naming the suite, the step, how it ended and the log,
 * followed on stderr by the log's last lines.
 */
int suite_step_run(const char *suite, const char *what, const char *const *argv,
		   const char *cwd, const char *const *env, const char *log);

#endif /* DAXTEST_SUITE_STEP_H */
