/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Booted-guest snapshots: a guest is booted once per (kernel, image,
 * guest shape, QEMU) to where its agent waits for a plan (modules
 * loaded, namespaces prepared, nothing mounted), and the guests after it
 * are restored from there instead of booting.
 *
 * A snapshot is a directory of the cache, <cache>/snapshots/<key>/:
 *
 *	ram.img		the guest's RAM. The snapshot's guest runs with it as
 *			a shared file-backed RAM, so the file is the RAM at
 *			the save; a restored guest maps it copy-on-write
 *			(share=off): nothing is read at the start, and the
 *			pages it never writes stay shared in the page cache
 *	vm.state	the device state, saved by migration with the
 *			x-ignore-shared capability: the shared RAM blocks
 *			(the RAM file, the NVDIMMs and virtio-pmem) stay
 *			out of it
 *	nvdimm<i>.img, virtio-pmem.img
 *			the backing files as the save left them (labels and
 *			namespaces made); each restored guest gets a copy
 *	boot-console.log, qemu.log
 *			the snapshot's boot, which restored guests never show
 *
 * The key is a hash of the QEMU command line with the per-guest paths
 * left out (kernel and image are content-keyed paths, the shape is in
 * the options) and of the QEMU binary and firmware files, so a snapshot
 * is only ever restored by the QEMU and into the guest it was made for.
 * A directory appears whole (made under a temporary name, its files
 * synced, renamed) and is never written again: restored guests map its
 * RAM file. A run holds a shared lock on its snapshot; pruning skips
 * the ones held.
 */
#ifndef DAXTEST_SNAPSHOT_H
#define DAXTEST_SNAPSHOT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "vm/guest.h"

#define SNAPSHOT_KEY_LEN	16
/* Snapshots kept in the cache: each is about 100 MiB of disk. */
#define SNAPSHOT_KEEP		6

struct snapshot {
	char key[SNAPSHOT_KEY_LEN + 1];
	char *dir;
	char *ram, *state, *virtio_pmem;
	char *nvdimms[QEMU_MAX_NVDIMMS];
	unsigned int nr_nvdimms;
	int lock_fd;		/* <dir>/lock, held shared while in use; -1 */
};

/* What a snapshot is made for: the guests of a run. */
struct snapshot_guest {
	const struct guest_shape *shape;
	const char *kernel, *initrd;	/* content-keyed cache paths */
	const char *cache_dir;
	/* The snapshot boot's console goes here (the run's results); a
	 * copy of it is kept in the snapshot. */
	const char *console_log;
	unsigned int boot_timeout_s;
	volatile sig_atomic_t *interrupted;
};

/* Fills s (paths only) for the guests of g. 0, or -1 (logged). */
int snapshot_init(struct snapshot *s, const struct snapshot_guest *g);
/* Whether s exists whole in the cache. */
bool snapshot_present(const struct snapshot *s);
/* Marks s in use (a shared lock on <dir>/lock until snapshot_free()):
 * snapshot_prune() in another run leaves it alone. 0, or -1 when s is
 * gone or going. */
int snapshot_hold(struct snapshot *s);
/* Removes s from the cache (QEMU refused it). Guests that map its RAM
 * keep their mapping. */
void snapshot_discard(struct snapshot *s);
/*
 * Boots a guest of g with fresh backing files and saves it as s. 0; 1
 * when the snapshot cannot be made, with why in err (the guests boot
 * then); -1 when the run cannot go on (interrupted; logged).
 */
int snapshot_make(struct snapshot *s, const struct snapshot_guest *g, char *err,
		  size_t errlen);
/*
 * The backing files of w as a guest restored from s must find them:
 * copies of the snapshot's NVDIMM files (unless keep_nvdimms: a power
 * cut's verify phase keeps the cut's) and virtio-pmem file, and an
 * empty disk without DAX. 0, or -errno.
 */
int snapshot_restore_files(const struct snapshot *s, const struct workdir *w,
			   bool keep_nvdimms);
/* q, as guest_qemu_config() made it, restores s instead of booting. */
void snapshot_restore_config(const struct snapshot *s, struct qemu_config *q);
/* In root (<cache>/snapshots), keeps keep and the SNAPSHOT_KEEP - 1
 * newest others (by mtime: a run touches the one it uses), those a run
 * holds, and the temporary directories of runs that may still be making
 * one (younger than an hour); removes the rest. */
void snapshot_prune(const char *root, const char *keep);
void snapshot_free(struct snapshot *s);

#endif /* DAXTEST_SNAPSHOT_H */
