/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the per-file-dax programs: for every test, a fresh
 * filesystem on the pmem block device named by $DAXTEST_PMEM, mounted on a
 * new directory under /tmp. The variants are the matrix filesystem (xfs,
 * ext4) x dax mount mode (always, never, inode, no option), each with the
 * S_DAX values generic/606 expects there. Include after kselftest_harness.h.
 */
#ifndef DAXTEST_FSDAX_FIXTURE_H
#define DAXTEST_FSDAX_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dax_fs.h"

FIXTURE(fsdax) {
	char dev[256];		/* $DAXTEST_PMEM */
	char mnt[64];		/* the mkdtemp() mount point */
	int root;		/* O_DIRECTORY fd on the mounted root, or -1 */
	bool mounted;
	bool dev_dax;		/* the device's request queue advertises DAX */
};

FIXTURE_VARIANT(fsdax) {
	enum dax_fs_type fs;
	enum dax_mount_mode mode;
	/*
	 * S_DAX of a regular file on a device with DAX and PAGE_SIZE blocks,
	 * with FS_XFLAG_DAX set and clear: generic/606's (file under a +x
	 * parent, file under a -x parent).
	 */
	int s_dax_flagged;
	int s_dax_unflagged;
};

/*
 * generic/606: always (1,1), never (0,0), inode (1,0), no option (1,0).
 *
 * "No option" is dax=inode on both filesystems, as dax.rst says ("-o
 * dax=inode means follow FS_XFLAG_DAX and is the default"). In the code:
 * XFS without a dax option has neither XFS_FEAT_DAX_ALWAYS nor
 * XFS_FEAT_DAX_NEVER, so xfs_inode_should_enable_dax() falls through to
 * XFS_DIFLAG2_DAX (fs/xfs/xfs_iops.c:1232-1245); ext4 sets neither
 * DAX_ALWAYS nor DAX_NEVER, so ext4_should_enable_dax() returns
 * EXT4_INODE_DAX (fs/ext4/inode.c:4622-4644). ext4's DAX_INODE mount bit
 * only matters to remount (fs/ext4/super.c:2829-2833), not to S_DAX.
 */
FIXTURE_VARIANT_ADD(fsdax, xfs_always) {
	.fs = DAX_FS_XFS, .mode = DAX_MOUNT_ALWAYS,
	.s_dax_flagged = 1, .s_dax_unflagged = 1,
};

FIXTURE_VARIANT_ADD(fsdax, xfs_never) {
	.fs = DAX_FS_XFS, .mode = DAX_MOUNT_NEVER,
	.s_dax_flagged = 0, .s_dax_unflagged = 0,
};

FIXTURE_VARIANT_ADD(fsdax, xfs_inode) {
	.fs = DAX_FS_XFS, .mode = DAX_MOUNT_INODE,
	.s_dax_flagged = 1, .s_dax_unflagged = 0,
};

FIXTURE_VARIANT_ADD(fsdax, xfs_default) {
	.fs = DAX_FS_XFS, .mode = DAX_MOUNT_DEFAULT,
	.s_dax_flagged = 1, .s_dax_unflagged = 0,
};

FIXTURE_VARIANT_ADD(fsdax, ext4_always) {
	.fs = DAX_FS_EXT4, .mode = DAX_MOUNT_ALWAYS,
	.s_dax_flagged = 1, .s_dax_unflagged = 1,
};

FIXTURE_VARIANT_ADD(fsdax, ext4_never) {
	.fs = DAX_FS_EXT4, .mode = DAX_MOUNT_NEVER,
	.s_dax_flagged = 0, .s_dax_unflagged = 0,
};

FIXTURE_VARIANT_ADD(fsdax, ext4_inode) {
	.fs = DAX_FS_EXT4, .mode = DAX_MOUNT_INODE,
	.s_dax_flagged = 1, .s_dax_unflagged = 0,
};

FIXTURE_VARIANT_ADD(fsdax, ext4_default) {
	.fs = DAX_FS_EXT4, .mode = DAX_MOUNT_DEFAULT,
	.s_dax_flagged = 1, .s_dax_unflagged = 0,
};

/* "dax=always", ..., "no dax option": the mount mode, for messages. */
static inline const char *fsdax_mode_name(const FIXTURE_VARIANT(fsdax) *v)
{
	const char *opt = dax_mount_option(v->mode);

	return opt ? opt : "no dax option";
}

/* "xfs dax=always", "ext4 no dax option", ...: the matrix cell, for messages. */
#define FSDAX_CELL_FMT	"%s %s"
#define FSDAX_CELL(v)	dax_fs_name((v)->fs), fsdax_mode_name(v)

/* Where the filesystem decides S_DAX for an inode it instantiates. */
static inline const char *fsdax_s_dax_rule(const FIXTURE_VARIANT(fsdax) *v)
{
	return v->fs == DAX_FS_XFS ?
		"xfs_inode_should_enable_dax(), fs/xfs/xfs_iops.c:1232-1245" :
		"ext4_should_enable_dax(), fs/ext4/inode.c:4622-4644";
}

/* S_DAX that generic/606 expects of a regular file with the flag on or off. */
static inline int fsdax_expected(const FIXTURE_VARIANT(fsdax) *v, bool flag)
{
	return flag ? v->s_dax_flagged : v->s_dax_unflagged;
}

/*
 * S_DAX is only ever set on a device with DAX (xfs_iops.c:1228,
 * ext4/inode.c:4638): a test that expects to see it set, or to see it
 * change, cannot be checked on any other device.
 */
#define FSDAX_NEED_DAX_DEVICE() do { \
	if (!self->dev_dax) \
		SKIP(return, "%s has no DAX (queue/dax is 0): no inode can get S_DAX there", \
		     self->dev); \
} while (0)

/* Mounts the fixture's filesystem and opens its root: 0 or -errno. */
static inline int fsdax_mount(FIXTURE_DATA(fsdax) *self,
			      const FIXTURE_VARIANT(fsdax) *variant)
{
	int ret;

	ret = dax_mount(variant->fs, self->dev, self->mnt, variant->mode);
	if (ret)
		return ret;
	self->mounted = true;
	self->root = open(self->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return self->root < 0 ? -errno : 0;
}

/*
 * Closes the root and unmounts: 0 or -errno. A plain umount, never a lazy
 * one: the next mount of the device must read every inode from disk again.
 */
static inline int fsdax_umount(FIXTURE_DATA(fsdax) *self)
{
	if (self->root >= 0)
		close(self->root);
	self->root = -1;
	if (umount(self->mnt))
		return -errno;
	self->mounted = false;
	return 0;
}

/* Unmounts and mounts again, so every inode is read back from disk. */
static inline int fsdax_remount(FIXTURE_DATA(fsdax) *self,
				const FIXTURE_VARIANT(fsdax) *variant)
{
	int ret;

	ret = fsdax_umount(self);
	return ret ? ret : fsdax_mount(self, variant);
}

FIXTURE_SETUP(fsdax)
{
	const char *dev = self->dev;
	char why[128];
	int ret;

	self->root = -1;
	ret = dax_cell_device(self->dev, sizeof(self->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	ASSERT_LE(0, ret) TH_LOG("cannot read queue/dax of %s from sysfs: %s",
				 dev, strerror(-ret));
	/* Outside a cell, the tests that need DAX skip one by one. */
	if (dax_cell_named())
		DAX_CELL_NEED_DAX(dev, ret, "");
	self->dev_dax = ret;

	ret = dax_mkfs(variant->fs, dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s on %s failed (%d)",
				 dax_fs_name(variant->fs), dev, ret);

	snprintf(self->mnt, sizeof(self->mnt), "/tmp/daxtest-pfd.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));

	ret = fsdax_mount(self, variant);
	if (ret) {
		/* Teardown only runs after a completed setup: clean up here. */
		if (self->mounted)
			fsdax_umount(self);
		rmdir(self->mnt);
	}
	if (ret == -EINVAL && variant->fs == DAX_FS_EXT4 &&
	    variant->mode == DAX_MOUNT_ALWAYS && !self->dev_dax)
		SKIP(return, "%s has no DAX and ext4 refuses dax=always there (fs/ext4/super.c:4740-4744)",
		     dev);
	ASSERT_EQ(0, ret) TH_LOG("mounting %s as " FSDAX_CELL_FMT " on %s: %s",
				 dev, FSDAX_CELL(variant), self->mnt, strerror(-ret));
}

/*
 * A parent teardown (self is shared): it normally runs after the test
 * process has exited, and so closed its files and mappings. It is also the
 * only teardown that runs at all after a failed ASSERT with the 6.12
 * harness: the ASSERT longjmps back into the TEST_F() wrapper in the test
 * process, whose "pid_t child" is not volatile and, built with gcc -O2,
 * reads back non-zero there (-Wclobbered warns about it); the test process
 * then takes the parent's path, which skips a FIXTURE_TEARDOWN() and so
 * would leave the filesystem mounted for the next test, but runs this one,
 * in the test process with its files still open: dax_umount() detaches.
 */
FIXTURE_TEARDOWN_PARENT(fsdax)
{
	const char *step;
	int ret;

	/* A failed ASSERT leaves the harness's trigger set (__bail()
	 * longjmps before clearing it): the TH_LOG below would print
	 * although its check passed. */
	_metadata->trigger = 0;
	ret = dax_mount_cleanup(self->mnt, self->mounted, &step);
	EXPECT_EQ(0, ret) TH_LOG("%s %s: %s", step, self->mnt, strerror(-ret));
}

#endif /* DAXTEST_FSDAX_FIXTURE_H */
