// SPDX-License-Identifier: GPL-2.0
/*
 * guest.c - the guest description, as backing files and a QEMU configuration
 */
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "vm/guest.h"

#define QBOOT "/usr/share/qemu/qboot.rom"

int guest_workdir_create(const struct guest_shape *s, struct workdir *w, const char *id)
{
	return workdir_create(w, id, s->nr_nvdimms, s->nvdimm_size + NVDIMM_LABEL_SIZE);
}

void guest_qemu_config(const struct guest_shape *s, const struct workdir *w,
		       const char *kernel, const char *initrd, const char *cmdline,
		       struct qemu_config *q)
{
	unsigned int i;

	memset(q, 0, sizeof(*q));
	q->qemu = "qemu-system-x86_64";
	q->accel = s->accel == ACCEL_KVM ? ACCEL_KVM : ACCEL_TCG;
	q->cpus = s->cpus;
	q->mem_mb = s->mem_mb;
	q->bios = path_is_file(QBOOT) ? QBOOT : NULL;
	q->kernel = kernel;
	q->initrd = initrd;
	q->append = cmdline;
	q->label_size = NVDIMM_LABEL_SIZE;
	q->nodax_disk = w->nodax_path;
	q->virtio_pmem.path = w->virtio_pmem_path;
	q->virtio_pmem.size = VIRTIO_PMEM_SIZE;
	q->nr_nvdimms = w->nr_nvdimms;
	for (i = 0; i < w->nr_nvdimms; i++) {
		q->nvdimms[i].path = w->nvdimm_paths[i];
		q->nvdimms[i].size = s->nvdimm_size + NVDIMM_LABEL_SIZE;
	}
}

enum accel guest_choose_accel(enum accel want, const char *work_dir, const char *cache_dir)
{
	const char *why = NULL;

	if (want == ACCEL_TCG)
		return ACCEL_TCG;
	if (accel_probe_cached("qemu-system-x86_64", work_dir, cache_dir, &why) == ACCEL_KVM)
		return ACCEL_KVM;
	if (want == ACCEL_KVM)
		log_info("KVM was asked for but %s; using TCG", why);
	else
		log_info("KVM unavailable (%s): using TCG (software emulation)", why);
	return ACCEL_TCG;
}
