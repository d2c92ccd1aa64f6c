/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shell mode ("daxtest.shell" on the kernel command line, used by
 * daxtest shell): the guest is prepared as for a run, then an
 * interactive shell runs on the console instead of the tests.
 */
#ifndef DAXTEST_GUEST_SHELL_H
#define DAXTEST_GUEST_SHELL_H

#include <stdbool.h>

/* True when the kernel command line asks for shell mode. */
bool shell_requested(void);
/* Runs /bin/sh on the console with envp; returns when it exits. */
void shell_run(char *const envp[]);

#endif /* DAXTEST_GUEST_SHELL_H */
