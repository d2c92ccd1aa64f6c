// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_pmem.c - load virtio_pmem and find its block device
 */
#include <stdbool.h>
#include <stdio.h>

#include "modules.h"
#include "util.h"
#include "virtio_pmem.h"

/* virtio's vendor id and 0x1040 + virtio device id 27, as modalias says */
#define VIRTIO_PMEM_MODALIAS	"pci:v00001AF4d0000105B"
#define BLOCKDEV_WAIT_MS	5000

/* The pmem block device on virtio-pmem's bus: its namespace's region's
 * bus names the provider. */
static bool find_blockdev(char *dev, size_t len)
{
	char name[64];

	if (!sysfs_find_entry("/sys/block", "pmem", "device/../../provider",
			      VIRTIO_PMEM_PROVIDER, name, sizeof(name)))
		return false;
	snprintf(dev, len, "/dev/%s", name);
	return true;
}

int virtio_pmem_prepare(char *const envp[], char *dev, size_t len, char *err, size_t errlen)
{
	char pci[64];
	long start;

	if (!sysfs_find_entry("/sys/bus/pci/devices", "", "modalias", VIRTIO_PMEM_MODALIAS,
			      pci, sizeof(pci)))
		return 0;
	if (modules_probe("virtio_pmem", envp, err, errlen) < 0)
		return -1;
	start = mono_ms();
	while (!find_blockdev(dev, len)) {
		if (mono_ms() - start > BLOCKDEV_WAIT_MS) {
			snprintf(err, errlen, "virtio_pmem loaded, but no pmem block device on a \"%s\" bus after %d ms",
				 VIRTIO_PMEM_PROVIDER, BLOCKDEV_WAIT_MS);
			return -1;
		}
		sleep_ms(20);
	}
	return 1;
}
