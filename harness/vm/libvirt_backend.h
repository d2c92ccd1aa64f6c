/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guest boot through libvirt: the same contract as guest_session_run
 * (vm/qemu_backend.h), with QEMU started by the libvirt daemon at uri as a
 * transient domain. The domain never outlives this call: it is destroyed
 * at the end (also on errors and interrupts), and libvirt destroys it by
 * itself if daxtest dies first (VIR_DOMAIN_START_AUTODESTROY).
 */
#ifndef DAXTEST_LIBVIRT_SESSION_H
#define DAXTEST_LIBVIRT_SESSION_H

#include "vm/qemu_backend.h"

#define LIBVIRT_DEFAULT_URI "qemu:///system"

/* 0 when the guest ran and stopped by itself, -1 otherwise (see r). The
 * domain is named after o->work_dir (daxtest-<run-id>-<suffix>). */
int libvirt_session_run(const struct session_opts *o, const char *uri,
			struct session_result *r);

#endif /* DAXTEST_LIBVIRT_SESSION_H */
