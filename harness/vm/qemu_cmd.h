/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The QEMU command line for a daxtest guest, built from a description
 * and nothing else (no I/O), so it can be checked in unit tests.
 */
#ifndef DAXTEST_QEMU_CMD_H
#define DAXTEST_QEMU_CMD_H

#include <stdbool.h>

#include "vm/accel.h"
#include "lib/strv.h"

#define QEMU_MAX_NVDIMMS 8
/* The label area comes on top of the namespace capacity: ndctl wants the
 * capacity itself aligned, so a backing file is capacity + label. */
#define NVDIMM_LABEL_SIZE (128ULL << 10)

struct qemu_nvdimm {
	const char *path;		/* backing file, memory-backend-file share=on */
	unsigned long long size;	/* bytes, including the label area */
};

struct qemu_config {
	const char *qemu;		/* "qemu-system-x86_64" */
	enum accel accel;		/* ACCEL_KVM or ACCEL_TCG */
	unsigned int cpus;
	unsigned int mem_mb;
	const char *bios;		/* qboot, or NULL for QEMU's default */
	const char *kernel;
	const char *initrd;
	const char *append;		/* kernel command line */
	struct qemu_nvdimm nvdimms[QEMU_MAX_NVDIMMS];
	unsigned int nr_nvdimms;
	unsigned long long label_size;
	const char *nodax_disk;		/* raw image for a virtio-blk disk, or NULL */
	struct qemu_nvdimm virtio_pmem;	/* a virtio-pmem device; path NULL: none */
	/* A host directory the guest mounts read-only over virtio-9p, tag
	 * DAXTEST_HOST_SHARE_TAG (the peer suites' root); NULL: none. */
	const char *host_share;
	/*
	 * The guest's RAM as a file (vm/snapshot.h), or NULL for QEMU's
	 * anonymous RAM: shared (MAP_SHARED, what the guest writes lands
	 * in the file) while a snapshot is taken, private (copy-on-write
	 * over the file) when a guest is restored from it.
	 */
	const char *ram_path;
	bool ram_shared;
	/* Restored, not booted: -incoming defer; the state comes over QMP
	 * (vm/vm_migrate.h). */
	bool incoming;
	const char *console_pipe;	/* -chardev pipe base path; NULL: stdio */
	const char *result_pipe;	/* the agent's result port */
	const char *qmp_socket;		/* unix socket path */
	/*
	 * The persistence plugin (plugin/persist_plugin.c): the whole
	 * -plugin argument ("daxtest-persist.so,regions=FILE,meta=FILE,
	 * arm=marker"),
	 * or NULL. QEMU then starts paused (-S), and persist_start()
	 * (vm/persist_start.h) writes plugin_regions, one line per NVDIMM
	 * with its RAM-block offset and plugin_shadows[i], its crash image,
	 * before it lets the guest run. TCG only; needs qmp_socket.
	 */
	const char *plugin;
	const char *plugin_regions;
	const char *plugin_shadows[QEMU_MAX_NVDIMMS];
};

/* Appends the full argv to out. 0, or -1 for an invalid description. */
int qemu_cmd_build(const struct qemu_config *c, struct strv *out);

#endif /* DAXTEST_QEMU_CMD_H */
