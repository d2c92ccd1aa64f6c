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



/*
 * QEMU 7.2 migrates none of virtio-pmem's state (the device has no
 * vmstate, and its PCI function's config space goes with it): in a
 * guest restored from a snapshot the device is fresh from reset, its
 * BARs unprogrammed and its decoding off, while the kernel took it as
 * set up. So before the snapshot's point the agent keeps the function's
 * config header and loads virtio_pmem without letting it bind
 * (virtio_pmem_load(): virtio's drivers_autoprobe off); a restored guest
 * writes the header back (virtio_pmem_restore_pci(), BARs first, then
 * the command register); then virtio_pmem_prepare() binds the driver,
 * whose probe resets and sets up the device as in a boot.
 */
struct virtio_pmem_pci {
	char dev[64];			/* "0000:00:02.2", "" when none */
	unsigned char header[64];	/* config space 0x00-0x3f */
};

/* Each: 0 (also when the guest has no virtio-pmem device), or -1 with err set. */
int virtio_pmem_load(char *const envp[], struct virtio_pmem_pci *s, char *err,
		     size_t errlen);
int virtio_pmem_restore_pci(const struct virtio_pmem_pci *s, char *err, size_t errlen);
/* Binds virtio_pmem to the device and waits for its block device. 1 with
 * "/dev/pmemN" in dev, 0 when the guest has no virtio-pmem device, -1
 * with the reason in err. */
int virtio_pmem_prepare(const struct virtio_pmem_pci *s, char *dev, size_t len, char *err,
			size_t errlen);

#endif /* DAXTEST_GUEST_VIRTIO_PMEM_H */
