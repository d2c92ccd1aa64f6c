// SPDX-License-Identifier: GPL-2.0
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#define PM_PAGE		4096UL
#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

int pagemap_pfns(const void *addr, size_t n, uint64_t *pfns)
{
	off_t off = (off_t)((uintptr_t)addr / PM_PAGE * sizeof(uint64_t));
	ssize_t len = n * sizeof(uint64_t);
	size_t i;
	int fd, ret = 0;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, pfns, len, off) != len) {
		ret = errno ? -errno : -EIO;
		goto out;
	}
	for (i = 0; i < n; i++)
		pfns[i] = pfns[i] & PM_PRESENT ? pfns[i] & PM_PFN_MASK : 0;
out:
	close(fd);
	return ret;
}
