/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A run's private work directory (0700, under $TMPDIR): FIFOs, the QMP
 * socket and the NVDIMM backing files (sparse, 0600). Removed at the end
 * of the run unless --keep-work.
 */
#ifndef DAXTEST_WORKDIR_H
#define DAXTEST_WORKDIR_H

#include "qemu_cmd.h"

struct workdir {
	char *path;
	char *nvdimm_paths[QEMU_MAX_NVDIMMS];
	unsigned int nr_nvdimms;
};

/* 0, or -1 after logging (e.g. not enough free space for the files). */
int workdir_create(struct workdir *w, const char *run_id, unsigned int nr_nvdimms,
		   unsigned long long nvdimm_size);
void workdir_remove(struct workdir *w, bool keep);

#endif /* DAXTEST_WORKDIR_H */
