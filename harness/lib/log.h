/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages to the user. Everything daxtest itself says goes to stderr,
 * prefixed "daxtest: ", so stdout carries only KTAP.
 */
#ifndef DAXTEST_LOG_H
#define DAXTEST_LOG_H

#include <stdbool.h>

/* One line naming what went wrong. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress and notices ("kernel: cached (key 3f2a...)"). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with -v. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_set_verbose(bool verbose);
void log_set_quiet(bool quiet);
/* hide() before and show() after each message (a live progress line);
 * NULLs to stop. */
void log_set_hooks(void (*hide)(void *), void (*show)(void *), void *arg);

#endif /* DAXTEST_LOG_H */
