/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the reflink_clone and reflink_cow programs: for every
 * test, a fresh filesystem on the pmem block device of the run's matrix
 * cell ($DAXTEST_PMEM: map=mem or map=dev, tests/matrix), mounted with DAX
 * on a new directory under /tmp. The variants are the rest of the matrix:
 * XFS made with "-m reflink=1,rmapbt=1" under dax=always, XFS under
 * dax=inode with FS_XFLAG_DAX on the root directory (new files inherit it),
 * and ext4 under dax=always, which has no reflink at all. Include after
 * kselftest_harness.h.
 */
#ifndef DAXTEST_REFLINK_FIXTURE_H
#define DAXTEST_REFLINK_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dax_fs.h"
#include "fiemap.h"
#include "reflink_fs.h"

#define BLK		4096

FIXTURE(reflink) {
	char dev[256];		/* $DAXTEST_PMEM */
	char mnt[64];		/* the mkdtemp() mount point */
	int root;		/* O_DIRECTORY fd on the mounted root, or -1 */
	bool mounted;
	unsigned int seed;	/* this test's data pattern */
};

FIXTURE_VARIANT(reflink) {
	enum dax_fs_type fs;
	enum dax_mount_mode mode;
	bool reflink;		/* the filesystem can share blocks */
	bool flag_root;		/* set FS_XFLAG_DAX on the root directory */
};

FIXTURE_VARIANT_ADD(reflink, xfs_always) {
	.fs = DAX_FS_XFS, .mode = DAX_MOUNT_ALWAYS, .reflink = true,
};

FIXTURE_VARIANT_ADD(reflink, xfs_inode) {
	.fs = DAX_FS_XFS, .mode = DAX_MOUNT_INODE, .reflink = true, .flag_root = true,
};

FIXTURE_VARIANT_ADD(reflink, ext4_always) {
	.fs = DAX_FS_EXT4, .mode = DAX_MOUNT_ALWAYS, .reflink = false,
};

/* "xfs dax=always on map=mem", ...: the matrix cell, for messages. */
#define REFLINK_CELL_FMT	"%s %s on %s"
#define REFLINK_CELL(v)	dax_fs_name((v)->fs), dax_mount_option((v)->mode), dax_cell_name()

/* Tests of block sharing itself cannot run where there is none. */
#define REFLINK_NEED_REFLINK() do { \
	if (!variant->reflink) \
		SKIP(return, "%s has no reflink (no ->remap_file_range); reflink_clone's ficlone, ficlonerange, dedupe_same and unshare check its EOPNOTSUPP", \
		     dax_fs_name(variant->fs)); \
} while (0)

/* Mounts the fixture's filesystem and opens its root: 0 or -errno. */
static inline int reflink_mount(FIXTURE_DATA(reflink) *self,
				const FIXTURE_VARIANT(reflink) *variant)
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
 * Closes the root, unmounts (a plain umount: the next mount reads every
 * inode from disk again) and mounts again: 0 or -errno. The test's own
 * files must be closed and unmapped.
 */
static inline int reflink_remount(FIXTURE_DATA(reflink) *self,
				  const FIXTURE_VARIANT(reflink) *variant)
{
	if (self->root >= 0)
		close(self->root);
	self->root = -1;
	if (umount(self->mnt))
		return -errno;
	self->mounted = false;
	return reflink_mount(self, variant);
}

/* Opens dirfd/path read-write, creating it empty if needed: a fd or -errno. */
static inline int reflink_open(int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	return fd < 0 ? -errno : fd;
}

/* Physical address of byte off of fd; 0 where there is none (the test then fails on it). */
static inline uint64_t reflink_phys(int fd, off_t off)
{
	struct fiemap_at at;

	return fiemap_lookup(fd, off, &at) ? 0 : at.physical;
}

FIXTURE_SETUP(reflink)
{
	const char *dev = self->dev;
	char why[128];
	int ret;

	self->root = -1;
	self->seed = reflink_seed();
	ret = dax_cell_device(self->dev, sizeof(self->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	ASSERT_LE(0, ret) TH_LOG("cannot read queue/dax of %s from sysfs: %s",
				 dev, strerror(-ret));
	DAX_CELL_NEED_DAX(dev, ret, "nothing here is reflink on DAX");

	if (variant->fs == DAX_FS_XFS)
		ret = reflink_mkfs_xfs(dev, variant->reflink);
	else
		ret = dax_mkfs(variant->fs, dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s on %s failed (%d)",
				 dax_fs_name(variant->fs), dev, ret);

	snprintf(self->mnt, sizeof(self->mnt), "/tmp/daxtest-rl.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));

	ret = reflink_mount(self, variant);
	if (!ret && variant->flag_root)
		ret = dax_xflag_set(self->root, true);
	if (ret) {
		/* Teardown only runs after a completed setup: clean up here. */
		if (self->mounted)
			dax_umount(self->mnt);
		rmdir(self->mnt);
	}
	ASSERT_EQ(0, ret) TH_LOG("mounting %s as " REFLINK_CELL_FMT " on %s: %s",
				 dev, REFLINK_CELL(variant), self->mnt, strerror(-ret));
}

/*
 * A parent teardown, for the reason fsdax_fixture.h gives: after a failed
 * ASSERT, the 6.12 harness runs no FIXTURE_TEARDOWN() but does run this,
 * possibly in the test process with its files still open (dax_umount()
 * then detaches).
 */
FIXTURE_TEARDOWN_PARENT(reflink)
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

/*
 * Creates path under the root with len bytes of pattern seed, and checks
 * the precondition of every test here: the new file has S_DAX.
 */
static inline void reflink_make(struct __test_metadata *_metadata,
				FIXTURE_DATA(reflink) *self,
				const FIXTURE_VARIANT(reflink) *variant,
				const char *path, size_t len, unsigned int seed)
{
	int ret;

	ret = reflink_create(self->root, path, len, seed);
	ASSERT_EQ(0, ret) TH_LOG("creating %s (%zu bytes): %s", path, len,
				 strerror(-ret));
	ret = dax_s_dax(self->root, path);
	ASSERT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": precondition: the new file %s has S_DAX %d, expected 1 (A1)",
		       REFLINK_CELL(variant), path, ret);
}

#endif /* DAXTEST_REFLINK_FIXTURE_H */
