/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shutting a filesystem down from user space, as xfstests' godown does:
 * XFS_IOC_GOINGDOWN and EXT4_IOC_SHUTDOWN are the same ioctl number,
 * _IOR('X', 125, __u32), with the same flag values
 * (fs/xfs/libxfs/xfs_fs.h:677-679,1020; include/uapi/linux/ext4.h:37,96-98).
 */
#ifndef DAXTEST_FS_SHUTDOWN_H
#define DAXTEST_FS_SHUTDOWN_H

/* Flush the data and the log, then shut down. */
#define FS_SHUTDOWN_DEFAULT	0x0
/* Flush the log but not the data. */
#define FS_SHUTDOWN_LOGFLUSH	0x1
/* Flush neither: whatever is not committed to the log yet is lost. */
#define FS_SHUTDOWN_NOLOGFLUSH	0x2

/*
 * Shuts down the filesystem that holds fd: 0 or -errno. Needs
 * CAP_SYS_ADMIN; every later operation on the filesystem fails with EIO
 * until it is unmounted and mounted again.
 */
int fs_shutdown(int fd, unsigned int flags);

#endif /* DAXTEST_FS_SHUTDOWN_H */
