/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest shell: the same guest as a run (kernel, image, NVDIMMs,
 * namespaces prepared by the agent), with an interactive shell on the
 * console instead of the tests. Ctrl-A x leaves QEMU.
 */
#ifndef DAXTEST_SHELL_H
#define DAXTEST_SHELL_H

#include "cli/options.h"

int shell_run(const struct options *o);

#endif /* DAXTEST_SHELL_H */
