/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pmem namespaces the tests use: one fsdax namespace on each of the
 * first two NVDIMM regions of QEMU's ACPI.NFIT bus, struct pages in memory
 * (map=mem) on the lowest region id and on the device (map=dev) on the
 * next. A namespace of the right kind left from an earlier boot on the
 * same backing files is reused; anything else in the region is destroyed
 * first.
 */
#ifndef DAXTEST_GUEST_NAMESPACES_H
#define DAXTEST_GUEST_NAMESPACES_H

#include <stddef.h>

#include "port.h"

#define NVDIMM_BUS	"ACPI.NFIT"

struct pmem_devs {
	char mem[64];		/* "/dev/pmemX", map=mem */
	char devmap[64];	/* "/dev/pmemY", map=dev; "" without a second region */
};

/* Prepares the namespaces with ndctl, logging each on the port. 0, or -1
 * with the reason in err. */
int namespaces_prepare(struct port *p, char *const envp[], struct pmem_devs *devs,
		       char *err, size_t errlen);

#endif /* DAXTEST_GUEST_NAMESPACES_H */
