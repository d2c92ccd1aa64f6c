// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_pmem.c - load virtio_pmem and find its block device
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "modules.h"
#include "util.h"
#include "virtio_pmem.h"

#define VIRTIO_VENDOR		"0x1af4"
#define VIRTIO_PMEM_PCI_ID	"0x105b"	/* 0x1040 + virtio device id 27 */
#define BLOCKDEV_WAIT_MS	5000

static bool has_virtio_pmem_pci(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	char path[300], id[16];
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		if (read_text_file(path, id, sizeof(id)) < 0 || strcmp(id, VIRTIO_VENDOR))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
		found = read_text_file(path, id, sizeof(id)) >= 0 && !strcmp(id, VIRTIO_PMEM_PCI_ID);
	}
	closedir(d);
	return found;
}

/* The pmem block device on virtio-pmem's bus: its namespace's region's
 * bus names the provider. */
static bool find_blockdev(char *dev, size_t len)
{
	DIR *d = opendir("/sys/block");
	struct dirent *e;
	char path[300], provider[64];
	bool found = false;

	if (!d)
		return false;
	while (!found && (e = readdir(d))) {
		if (strncmp(e->d_name, "pmem", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/device/../../provider", e->d_name);
		if (read_text_file(path, provider, sizeof(provider)) < 0 ||
		    strcmp(provider, VIRTIO_PMEM_PROVIDER))
			continue;
		snprintf(dev, len, "/dev/%s", e->d_name);
		found = true;
	}
	closedir(d);
	return found;
}

int virtio_pmem_prepare(char *const envp[], char *dev, size_t len, char *err, size_t errlen)
{
	long start;

	if (!has_virtio_pmem_pci())
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
