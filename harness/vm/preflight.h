/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Before any guest boots: does the host have the disk space for every
 * guest's backing files and the memory for every guest? One line naming
 * what is short, so a run never dies half way for want of either.
 */
#ifndef DAXTEST_PREFLIGHT_H
#define DAXTEST_PREFLIGHT_H

#include "vm/guest.h"

/* What QEMU itself takes on top of the guest's RAM (TCG translation
 * cache, device state), measured: peak RSS minus guest RAM. */
#define QEMU_OVERHEAD_MIB 256

/* Bytes of backing files one guest needs in its work directory. */
unsigned long long preflight_guest_disk(const struct guest_shape *g);
/* 0 when tmp_dir has room for lanes guests' files and the host's
 * MemAvailable (from meminfo, the text of /proc/meminfo) holds their
 * RAM; -1 after one line naming what is short. */
int preflight_check(const struct guest_shape *g, unsigned int lanes, const char *tmp_dir,
		    const char *meminfo);
/* The work directories' parent: $TMPDIR or /tmp. */
const char *preflight_tmp_dir(void);

#endif /* DAXTEST_PREFLIGHT_H */
