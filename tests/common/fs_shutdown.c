// SPDX-License-Identifier: GPL-2.0
/*
 * Shutting a filesystem down from user space; see fs_shutdown.h.
 */
#include <errno.h>
#include <linux/ioctl.h>
#include <linux/types.h>
#include <sys/ioctl.h>

#include "fs_shutdown.h"

/* XFS_IOC_GOINGDOWN == EXT4_IOC_SHUTDOWN */
#define FS_IOC_GOINGDOWN	_IOR('X', 125, __u32)

int fs_shutdown(int fd, unsigned int flags)
{
	__u32 arg = flags;

	if (ioctl(fd, FS_IOC_GOINGDOWN, &arg))
		return -errno;
	return 0;
}
