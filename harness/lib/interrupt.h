/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user's interrupt: SIGINT (Ctrl-C), SIGTERM or SIGHUP asks daxtest
 * to stop what it is doing, kill what it started, write what it has and
 * exit 130.
 *
 * This is the one piece of process-wide mutable state of the host runner,
 * and it has to be: a signal handler can reach nothing but a global, and
 * every wait (a child in proc_run, a cache lock, a guest in a lane
 * thread) must see the same flag. The handler only stores the signal
 * number; sig_atomic_t is an aligned int, so lane threads read it whole.
 *
 * A signal interrupts a blocking call only in the thread it happens to
 * be delivered to, and not at all when it comes just before the call: a
 * wait must therefore never block longer than INTERRUPT_POLL_MS without
 * looking at interrupt_pending().
 */
#ifndef DAXTEST_INTERRUPT_H
#define DAXTEST_INTERRUPT_H

#include <signal.h>
#include <stdbool.h>

/* The longest a wait may block before it looks at the flag again. */
#define INTERRUPT_POLL_MS	100

/* Handlers for SIGINT, SIGTERM and SIGHUP that set the flag; without
 * SA_RESTART, so the blocking call the signal lands in returns EINTR. */
void interrupt_install(void);
/* Whether the user asked to stop. */
bool interrupt_pending(void);
/* The flag itself (the signal number, 0 until one came), for the code
 * that takes a volatile sig_atomic_t * (runner_run, bisect_run, ...). */
volatile sig_atomic_t *interrupt_flag(void);
/* For tests: what the handler does on sig, and undoing it. */
void interrupt_raise(int sig);
void interrupt_clear(void);

#endif /* DAXTEST_INTERRUPT_H */
