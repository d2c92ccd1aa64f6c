/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run's private work directory (0700, under $TMPDIR): FIFOs, the QMP
 * socket, the NVDIMM backing files, the virtio-pmem backing file and the
 * no-DAX disk (sparse, 0600). Removed at the end
 * of the run unless --keep-work.
 */
#ifndef DAXTEST_WORKDIR_H
#define DAXTEST_WORKDIR_H

#include "vm/qemu_cmd.h"

struct workdir {
	char *path;
	char *nvdimm_paths[QEMU_MAX_NVDIMMS];
	unsigned int nr_nvdimms;
	char *nodax_path;	/* a plain virtio disk: a block device without DAX */
	char *virtio_pmem_path;	/* backing file of the virtio-pmem device */
};

/* mkfs.xfs wants 300 MiB at least */
#define NODAX_DISK_SIZE (512ULL << 20)
#define VIRTIO_PMEM_SIZE (512ULL << 20)

/* 0, or -1 after logging. The space is checked before (preflight.h). */
int workdir_create(struct workdir *w, const char *run_id, unsigned int nr_nvdimms,
		   unsigned long long nvdimm_size);
void workdir_remove(struct workdir *w, bool keep);

#endif /* DAXTEST_WORKDIR_H */
