/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtio-pmem device the host adds: pmem with DAX whose region is
 * asynchronous (ND_REGION_ASYNC), so MAP_SYNC is refused on it. Its driver
 * is loaded only after the NVDIMM namespaces exist, so its region never
 * takes the place of theirs.
 */
#ifndef DAXTEST_GUEST_VIRTIO_PMEM_H
#define DAXTEST_GUEST_VIRTIO_PMEM_H

#include <stddef.h>

/* The provider name of virtio-pmem's nvdimm bus (drivers/nvdimm/virtio_pmem.c). */
#define VIRTIO_PMEM_PROVIDER	"virtio-pmem"

/* Loads virtio_pmem when the guest has a virtio-pmem PCI device and waits
 * for its block device. 1 with "/dev/pmemN" in dev, 0 when the guest has
 * no such device, -1 with the reason in err. */
int virtio_pmem_prepare(char *const envp[], char *dev, size_t len, char *err, size_t errlen);

#endif /* DAXTEST_GUEST_VIRTIO_PMEM_H */
