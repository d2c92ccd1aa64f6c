/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The libvirt backend (vm/backend.h): QEMU started by the libvirt
 * daemon at o->uri as a transient domain, named after o->work_dir
 * (daxtest-<run-id>-<suffix>). The domain never outlives a session: it
 * is destroyed at the end (also on errors and interrupts), and libvirt
 * destroys it by itself if daxtest dies first
 * (VIR_DOMAIN_START_AUTODESTROY).
 */
#ifndef DAXTEST_LIBVIRT_BACKEND_H
#define DAXTEST_LIBVIRT_BACKEND_H

#include "vm/backend.h"

#define LIBVIRT_DEFAULT_URI "qemu:///system"

#endif /* DAXTEST_LIBVIRT_BACKEND_H */
