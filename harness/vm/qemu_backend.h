/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The QEMU backend (vm/backend.h): daxtest starts QEMU itself, talks to
 * the guest through FIFOs in the work directory (the console, and the
 * result port that also carries the plan in) and watches QEMU through a
 * pidfd. QEMU is in its own process group and dies with daxtest.
 */
#ifndef DAXTEST_QEMU_BACKEND_H
#define DAXTEST_QEMU_BACKEND_H

#include "vm/backend.h"

#endif /* DAXTEST_QEMU_BACKEND_H */
