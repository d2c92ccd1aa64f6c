/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's filesystems: what the agent mounts as PID 1, and the sweep
 * of mounts a test left behind.
 */
#ifndef DAXTEST_GUEST_MOUNTS_H
#define DAXTEST_GUEST_MOUNTS_H

#include <stddef.h>

/* proc, sysfs and devtmpfs on /dev: what finding the port needs. 0, or -1
 * with the reason in err. */
int mounts_early(char *err, size_t errlen);

/* debugfs on /sys/kernel/debug, tmpfs on /tmp and /run. */
int mounts_rest(char *err, size_t errlen);

/* Lazily unmounts every mount strictly below the directory prefix (e.g.
 * "/tmp/"), deepest first, and calls fn for each with 0 or the errno of
 * the failed umount2(). Returns the number of mounts found, or -1 when
 * /proc/self/mounts cannot be read. */
int mounts_sweep(const char *prefix, void (*fn)(const char *target, int error, void *arg),
		 void *arg);

#endif /* DAXTEST_GUEST_MOUNTS_H */
