/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one description of a daxtest guest: its size (CPUs, memory,
 * NVDIMMs) and accelerator, turned into a QEMU configuration here and
 * nowhere else. The lanes of a run and daxtest shell boot the same
 * guest from it.
 */
#ifndef DAXTEST_GUEST_H
#define DAXTEST_GUEST_H

#include "vm/accel.h"
#include "vm/qemu_cmd.h"
#include "vm/workdir.h"

/* The kernel command line of every guest; the shell adds its flag. */
#define GUEST_CMDLINE "console=ttyS0 panic=-1 rdinit=/init"

struct guest_shape {
	enum accel accel;		/* ACCEL_AUTO until guest_choose_accel() */
	unsigned int cpus;
	unsigned int mem_mb;
	unsigned int nr_nvdimms;
	unsigned long long nvdimm_size;	/* per NVDIMM, without its label area */
};

/* The backing files of shape s in a new private work directory named
 * after id (see workdir.h). 0, or -1 after logging. */
int guest_workdir_create(const struct guest_shape *s, struct workdir *w, const char *id);

/* q for a guest of shape s on the files of w, booting kernel and initrd
 * with cmdline. The pipes and the QMP socket are the backend's. The
 * strings are borrowed: they must outlive q. */
void guest_qemu_config(const struct guest_shape *s, const struct workdir *w,
		       const char *kernel, const char *initrd, const char *cmdline,
		       struct qemu_config *q);

/* KVM when asked for or automatic and a probe guest really runs there
 * (cached per user), else TCG, saying why once. */
enum accel guest_choose_accel(enum accel want, const char *work_dir, const char *cache_dir);

#endif /* DAXTEST_GUEST_H */
