/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Choosing the accelerator. /dev/kvm existing is not enough (a nested
 * paravirtual host answers the API but cannot run a guest), so KVM is
 * used only when a probe guest really runs under it: a 64 KiB firmware
 * whose reset vector writes to QEMU's isa-debug-exit port.
 */
#ifndef DAXTEST_ACCEL_H
#define DAXTEST_ACCEL_H

enum accel {
	ACCEL_AUTO,
	ACCEL_KVM,
	ACCEL_TCG,
};

/* Parses "auto", "kvm" or "tcg"; -1 otherwise. */
int accel_parse(const char *s, enum accel *a);
const char *accel_name(enum accel a);
/* ACCEL_KVM if the probe guest ran, else ACCEL_TCG with *why set to a
 * static string saying what failed. work_dir holds the probe firmware. */
enum accel accel_probe(const char *qemu, const char *work_dir, const char **why);
/* accel_probe, remembered in cache_dir for this host boot (the answer
 * cannot change before a reboot, and a hanging probe costs seconds). */
enum accel accel_probe_cached(const char *qemu, const char *work_dir,
			      const char *cache_dir, const char **why);

#endif /* DAXTEST_ACCEL_H */
