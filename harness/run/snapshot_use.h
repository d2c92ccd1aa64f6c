/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether the guests of a run are restored from a snapshot
 * (vm/snapshot.h), and the snapshot they restore: found in the cache or
 * made now. Restoring needs QEMU started by daxtest (not libvirt), TCG
 * (the accelerator restores are made and checked with) and no host
 * share (--suite: QEMU cannot migrate a guest with a virtio-9p mount).
 * Every other case boots, with one line saying why, unless the user
 * asked for that (--no-snapshot).
 */
#ifndef DAXTEST_SNAPSHOT_USE_H
#define DAXTEST_SNAPSHOT_USE_H

#include "run/run_state.h"

/* Sets s->snapshot and s->snapshot_on. 0, or -1 when the run cannot go
 * on (interrupted, out of memory). */
int snapshot_use_choose(struct run_state *s);

#endif /* DAXTEST_SNAPSHOT_USE_H */
