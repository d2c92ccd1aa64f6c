/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A guest restored from a snapshot (the plan's "restored" record,
 * proto/agent_proto.h): what the snapshot left stale, made fresh before
 * the tests run.
 */
#ifndef DAXTEST_GUEST_RESTORE_H
#define DAXTEST_GUEST_RESTORE_H

#include <stddef.h>

#include "plan.h"
#include "port.h"
#include "virtio_pmem.h"

/*
 * Sets the clock to the host's, reseeds the kernel's CRNG with the host's
 * seed (a failure is logged, not fatal), when the NVDIMM backing files
 * changed disables and enables the NVDIMM regions and DIMMs so the kernel
 * reads their labels again (the caller then looks the namespaces up
 * again: their devices are new) and drops the page caches, checks that
 * nothing is mounted from a pmem or virtio disk, and writes virtio-pmem's
 * PCI config back (vpci, saved before the snapshot: virtio_pmem.h). Logs
 * each step's time on the port. 0, or -1 with the reason in err.
 */
int restore_apply(struct port *p, char *const envp[], const struct plan_restored *r,
		  const struct virtio_pmem_pci *vpci, char *err, size_t errlen);

#endif /* DAXTEST_GUEST_RESTORE_H */
