/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the daxtest in-guest tests: making and mounting a
 * filesystem on the pmem device, and the two views of per-file DAX that
 * Documentation/filesystems/dax.rst describes -- the persistent flag
 * (FS_XFLAG_DAX, or FS_DAX_FL through FS_IOC_[GS]ETFLAGS) and the in-core
 * S_DAX state, which statx() reports as STATX_ATTR_DAX.
 *
 * Functions return 0 (or the value documented next to them) on success and
 * a negative errno on failure, so a test can print what the kernel said.
 */
#ifndef DAXTEST_DAX_FS_H
#define DAXTEST_DAX_FS_H

#include <stdbool.h>
#include <stddef.h>

enum dax_fs_type {
	DAX_FS_XFS,
	DAX_FS_EXT4,
};

enum dax_mount_mode {
	DAX_MOUNT_DEFAULT,	/* no dax option on the mount at all */
	DAX_MOUNT_ALWAYS,
	DAX_MOUNT_NEVER,
	DAX_MOUNT_INODE,
};

/* "xfs" or "ext4", as mount(2) wants it. */
const char *dax_fs_name(enum dax_fs_type type);
/* "dax=always", "dax=never", "dax=inode", or NULL for DAX_MOUNT_DEFAULT. */
const char *dax_mount_option(enum dax_mount_mode mode);

/*
 * Makes a filesystem on dev with "mkfs.xfs -f -q -b size=N" or
 * "mkfs.ext4 -F -q -b N". blocksize 0 means 4096: mkfs.ext4 would pick
 * 1 KiB blocks on a small device, and a block size other than PAGE_SIZE
 * disables DAX. Returns 0, the tool's non-zero exit status, or -errno.
 */
int dax_mkfs(enum dax_fs_type type, const char *dev, unsigned int blocksize);
/* Runs a tool (mkfs.*, ...) to completion, looking in the sbin
 * directories a minimal PATH may lack: its exit status, 128 + signal,
 * or -errno. */
int dax_run_tool(char *const argv[]);
int dax_mount(enum dax_fs_type type, const char *dev, const char *dir,
	      enum dax_mount_mode mode);
/* Unmounts dir; if it is busy (a failed test left a file open), detaches it. */
int dax_umount(const char *dir);
/* A fixture's teardown: unmounts dir when mounted (dax_umount()), then
 * removes it, both attempted. 0, or the first -errno with *step set to
 * "umount" or "rmdir". */
int dax_mount_cleanup(const char *dir, bool mounted, const char **step);

/* 1 if the block device's request queue advertises DAX, 0 if not. */
int dax_bdev_has_dax(const char *dev);
/*
 * The fsdax device a test runs on: $DAXTEST_PMEM, which the guest agent
 * points at the namespace of the run's matrix cell (tests/matrix). Copies
 * its path into dev and returns dax_bdev_has_dax() of it; returns -ENODEV
 * with the reason in why when there is no device to test on (the variable
 * unset, not a block device, a path longer than len).
 */
int dax_cell_device(char *dev, size_t len, char *why, size_t whylen);
/* The matrix cell ($DAXTEST_CELL: "map=mem", ...), for messages. */
const char *dax_cell_name(void);
/* Whether $DAXTEST_CELL names a cell: the agent made the device fsdax. */
bool dax_cell_named(void);
/* 1 if the running kernel's release (uname) is major.minor or later,
 * 0 if older, -errno if it cannot be read. For behaviour that changed
 * in a known release, where the kernel advertises nothing to probe. */
int dax_kernel_at_least(unsigned int major, unsigned int minor);
/* 1 if capability cap (CAP_SYS_ADMIN, ...) is in this process's
 * effective set (CapEff of /proc/self/status), 0 if not, or -errno. */
int dax_has_cap(unsigned int cap);

/*
 * For a fixture's setup (kselftest_harness.h's SKIP, ASSERT_* and
 * TH_LOG at the place of use). Inside a matrix cell the guest agent has
 * just made $DAXTEST_PMEM an fsdax namespace for the cell, so a missing
 * device, or one whose queue does not advertise DAX, is a failure of the
 * kernel under test (or of the agent), never an absent feature: the
 * setup fails with what was found. Only a program started by hand,
 * outside any cell, skips, saying why.
 *
 * DAX_CELL_NEED_DEVICE(ret, why): ret and why from dax_cell_device().
 * DAX_CELL_NEED_DAX(dev, has_dax, consequence): has_dax 1 or 0 from
 * dax_bdev_has_dax(); consequence says what cannot be tested without.
 */
#define DAX_CELL_NEED_DEVICE(ret, why) do { \
	if ((ret) == -ENODEV && !dax_cell_named()) \
		SKIP(return, "%s", why); \
	ASSERT_NE(-ENODEV, (ret)) \
		TH_LOG("matrix cell %s: %s", dax_cell_name(), why); \
} while (0)

#define DAX_CELL_NEED_DAX(dev, has_dax, consequence) do { \
	if (!(has_dax) && !dax_cell_named()) \
		SKIP(return, "%s has no DAX (queue/dax is 0) and no matrix cell names it: %s", \
		     dev, consequence); \
	ASSERT_EQ(1, (has_dax)) \
		TH_LOG("%s, the fsdax namespace of matrix cell %s, has no DAX (queue/dax is 0): the kernel does not advertise DAX on a namespace the agent made fsdax", \
		       dev, dax_cell_name()); \
} while (0)

/* STATX_ATTR_DAX in stx_attributes of dirfd/path, symlinks not followed: 1 or 0. */
int dax_s_dax(int dirfd, const char *path);
/* STATX_ATTR_DAX in stx_attributes_mask of dirfd/path: 1 or 0. */
int dax_s_dax_in_mask(int dirfd, const char *path);

/* FS_XFLAG_DAX through FS_IOC_FSGETXATTR: 1 or 0. */
int dax_xflag_get(int fd);
/* Sets or clears FS_XFLAG_DAX: FS_IOC_FSGETXATTR, then FS_IOC_FSSETXATTR. */
int dax_xflag_set(int fd, bool on);
/* FS_DAX_FL through FS_IOC_GETFLAGS: 1 or 0. */
int dax_fl_get(int fd);
/* Sets or clears FS_DAX_FL: FS_IOC_GETFLAGS, then FS_IOC_SETFLAGS. */
int dax_fl_set(int fd, bool on);
/* dax_xflag_get() and dax_xflag_set() on dirfd/path, opened read-only. */
int dax_xflag_get_at(int dirfd, const char *path);
int dax_xflag_set_at(int dirfd, const char *path, bool on);

/* Creates the directory dirfd/path (0755), then sets FS_XFLAG_DAX on it if flag. */
int dax_mkdir(int dirfd, const char *path, bool flag);
/* Creates dirfd/path with len bytes of the byte c (mode 0644, O_EXCL). */
int dax_create_file(int dirfd, const char *path, char c, size_t len);
/* 1 if dirfd/path holds exactly len bytes of c, 0 if not. */
int dax_file_has(int dirfd, const char *path, char c, size_t len);

/* Writes 2 to /proc/sys/vm/drop_caches: reclaims unused dentries and inodes. */
int dax_drop_inodes(void);

#endif /* DAXTEST_DAX_FS_H */
