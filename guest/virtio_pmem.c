// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_pmem.c - load virtio_pmem and find its block device
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "modules.h"
#include "util.h"
#include "virtio_pmem.h"

/* virtio's vendor id and 0x1040 + virtio device id 27, as modalias says */
#define VIRTIO_PMEM_MODALIAS	"pci:v00001AF4d0000105B"
#define BLOCKDEV_WAIT_MS	5000
#define VIRTIO_AUTOPROBE	"/sys/bus/virtio/drivers_autoprobe"
#define VIRTIO_PMEM_BIND	"/sys/bus/virtio/drivers/virtio_pmem/bind"

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

/* The header's BARs, then its command register (decoding on). */
#define PCI_COMMAND_OFF		0x04
#define PCI_BARS_OFF		0x10
#define PCI_BARS_END		0x28

static int config_path(const struct virtio_pmem_pci *s, char *path, size_t size)
{
	return snprintf(path, size, "/sys/bus/pci/devices/%s/config", s->dev) < (int)size ? 0 : -1;
}

static int virtio_pmem_save_pci(struct virtio_pmem_pci *s, char *err, size_t errlen)
{
	char path[128];
	ssize_t n;
	int fd;

	memset(s, 0, sizeof(*s));
	if (!sysfs_find_entry("/sys/bus/pci/devices", "", "modalias", VIRTIO_PMEM_MODALIAS,
			      s->dev, sizeof(s->dev)))
		return 0;
	fd = config_path(s, path, sizeof(path)) ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : pread(fd, s->header, sizeof(s->header), 0);
	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(s->header)) {
		snprintf(err, errlen, "cannot read the PCI config of virtio-pmem (%s): %s", s->dev,
			 n < 0 ? strerror(errno) : "short read");
		s->dev[0] = '\0';
		return -1;
	}
	return 0;
}

int virtio_pmem_restore_pci(const struct virtio_pmem_pci *s, char *err, size_t errlen)
{
	char path[128];
	int fd, ok;

	if (!s->dev[0])
		return 0;
	errno = 0;
	fd = config_path(s, path, sizeof(path)) ? -1 : open(path, O_WRONLY | O_CLOEXEC);
	ok = fd >= 0 &&
	     pwrite(fd, s->header + PCI_BARS_OFF, PCI_BARS_END - PCI_BARS_OFF, PCI_BARS_OFF) ==
	     PCI_BARS_END - PCI_BARS_OFF &&
	     pwrite(fd, s->header + PCI_COMMAND_OFF, 2, PCI_COMMAND_OFF) == 2;
	if (!ok)
		snprintf(err, errlen, "cannot write the PCI config of virtio-pmem (%s) back: %s",
			 s->dev, errno ? strerror(errno) : "short write");
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

int virtio_pmem_load(char *const envp[], struct virtio_pmem_pci *s, char *err,
		     size_t errlen)
{
	if (virtio_pmem_save_pci(s, err, errlen) < 0)
		return -1;
	if (!s->dev[0])
		return 0;
	if (write_text_file(VIRTIO_AUTOPROBE, "0") < 0) {
		snprintf(err, errlen, "cannot write %s: %s", VIRTIO_AUTOPROBE, strerror(errno));
		return -1;
	}
	return modules_probe("virtio_pmem", envp, err, errlen);
}

int virtio_pmem_prepare(const struct virtio_pmem_pci *s, char *dev, size_t len, char *err,
			size_t errlen)
{
	char pci_dir[128], vdev[64];
	long start;

	if (!s->dev[0])
		return 0;
	snprintf(pci_dir, sizeof(pci_dir), "/sys/bus/pci/devices/%s", s->dev);
	if (!sysfs_find_entry(pci_dir, "virtio", "modalias", "virtio:", vdev, sizeof(vdev))) {
		snprintf(err, errlen, "no virtio device under %s", pci_dir);
		return -1;
	}
	if (write_text_file(VIRTIO_PMEM_BIND, vdev) < 0 ||
	    write_text_file(VIRTIO_AUTOPROBE, "1") < 0) {
		snprintf(err, errlen, "cannot bind %s to virtio_pmem: %s", vdev, strerror(errno));
		return -1;
	}
	start = mono_ms();
	while (!find_blockdev(dev, len)) {
		if (mono_ms() - start > BLOCKDEV_WAIT_MS) {
			snprintf(err, errlen, "virtio_pmem bound to %s, but no pmem block device on a \"%s\" bus after %d ms",
				 vdev, VIRTIO_PMEM_PROVIDER, BLOCKDEV_WAIT_MS);
			return -1;
		}
		sleep_ms(20);
	}
	return 1;
}
