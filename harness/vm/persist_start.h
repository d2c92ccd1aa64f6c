/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting a guest under the persistence plugin (plugin/persist_plugin.c).
 *
 * QEMU 7.2's plugin API names guest memory by RAM-block offset
 * (ram_addr), not by guest-physical address, and only QEMU knows where
 * it put each NVDIMM's block. So QEMU starts paused (-S, vm/qemu_cmd.c),
 * and persist_start() asks it over QMP (x-query-ramblock,
 * parse/ramblock.h), writes the regions file the plugin reads at its
 * first translation (plugin/persist_regions.h), one line per NVDIMM i:
 *
 *	BASE SIZE LIVE SHADOW
 *
 * BASE the offset of RAM block "nvmem<i>" (hex), SIZE the NVDIMM's size
 * less the label area at the end of its backing file (decimal: QEMU
 * writes the labels, not guest stores, so they are not modelled), LIVE
 * the backing file and SHADOW plugin_shadows[i]; and then resumes QEMU
 * (cont). The QMP connection is closed again: the socket stays QEMU's,
 * for the next client.
 */
#ifndef DAXTEST_PERSIST_START_H
#define DAXTEST_PERSIST_START_H

#include <stddef.h>

#include "vm/qemu_cmd.h"

/* From QEMU's start to "cont": QEMU makes its socket within a second,
 * even with a few guests starting at once. */
#define PERSIST_START_TIMEOUT_MS	30000

/*
 * For the QEMU started from q (q->plugin set, paused): queries its RAM
 * blocks on q->qmp_socket, checks that block nvmem<i> is as large as
 * q->nvdimms[i], writes q->plugin_regions (a temporary file renamed) and
 * lets the guest run. Gives up at deadline_ms (mono_ms()), on the user's
 * interrupt, or as soon as qemu_pidfd (>= 0; -1: none) says QEMU exited.
 * 0, or -1 with one line in err saying what failed (nothing logged).
 */
int persist_start(const struct qemu_config *q, int qemu_pidfd, long deadline_ms, char *err,
		  size_t errlen);

/*
 * The same without connecting or resuming, on an open QMP connection to
 * a QEMU that has not run the guest yet (a guest being restored from a
 * snapshot, vm/vm_migrate.h, whose caller then resumes it). 0, or -1
 * with err set.
 */
struct qmp;
int persist_regions_send(struct qmp *qmp, const struct qemu_config *q, long deadline_ms,
			 char *err, size_t errlen);

#endif /* DAXTEST_PERSIST_START_H */
