// SPDX-License-Identifier: GPL-2.0
/*
 * preflight.c - disk and memory for the guests, checked before booting
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "lib/log.h"
#include "vm/preflight.h"
#include "vm/qemu_cmd.h"
#include "vm/workdir.h"

const char *preflight_tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

unsigned long long preflight_guest_disk(const struct guest_shape *g)
{
	return (g->nvdimm_size + NVDIMM_LABEL_SIZE) * g->nr_nvdimms + NODAX_DISK_SIZE +
	       VIRTIO_PMEM_SIZE;
}

/* MemAvailable in MiB, or -1 when meminfo does not say. */
static long mem_available_mib(const char *meminfo)
{
	const char *p = meminfo ? strstr(meminfo, "MemAvailable:") : NULL;
	unsigned long kib;

	if (!p || sscanf(p, "MemAvailable: %lu kB", &kib) != 1)
		return -1;
	return (long)(kib >> 10);
}

int preflight_check(const struct guest_shape *g, unsigned int lanes, const char *tmp_dir,
		    const char *meminfo)
{
	unsigned long long need = preflight_guest_disk(g) * lanes, avail;
	unsigned long need_mib = (unsigned long)(g->mem_mb + QEMU_OVERHEAD_MIB) * lanes;
	long have_mib = mem_available_mib(meminfo);
	struct statvfs sv;

	/* The files are sparse, but the guests may fill them: insist on room. */
	if (statvfs(tmp_dir, &sv) == 0) {
		avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
		if (avail < need) {
			log_error("%s has %llu MiB free, the backing files of %u guest(s) need %llu MiB (use --nvdimms/--nvdimm-size, -j or TMPDIR)",
				  tmp_dir, avail >> 20, lanes, need >> 20);
			return -1;
		}
	}
	if (have_mib >= 0 && (unsigned long)have_mib < need_mib) {
		log_error("the host has %ld MiB of memory available, %u guest(s) of --mem %u MiB need %lu MiB with QEMU's own (use --mem or -j)",
			  have_mib, lanes, g->mem_mb, need_mib);
		return -1;
	}
	return 0;
}
