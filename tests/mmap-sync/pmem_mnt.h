/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filesystem every mmap-sync test runs on: a fresh XFS or ext4 on the
 * pmem block device of the run's matrix cell ($DAXTEST_PMEM), mounted on a new
 * directory under /tmp with the mount options the variant gives. Include
 * after kselftest_harness.h; call pmem_mnt_setup() as the whole of a
 * FIXTURE_SETUP() and pmem_mnt_teardown() from a FIXTURE_TEARDOWN_PARENT()
 * (why a parent teardown: see tests/per-file-dax/fsdax_fixture.h).
 */
#ifndef DAXTEST_PMEM_MNT_H
#define DAXTEST_PMEM_MNT_H

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

#define MiB	(1024UL * 1024UL)

/* MAP_SYNC and MAP_SHARED_VALIDATE are in glibc >= 2.28 only. */
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif

struct pmem_mnt {
	char dev[256];		/* $DAXTEST_PMEM */
	char mnt[64];		/* the mkdtemp() mount point */
	char opts[64];		/* mount(2) data */
	enum dax_fs_type fs;
	int root;		/* O_DIRECTORY fd on the mounted root, or -1 */
	bool mounted;
	bool dev_dax;		/* the device's request queue advertises DAX */
};

/* Mounts m and opens its root: 0 or -errno. */
static inline int pmem_mnt_mount(struct pmem_mnt *m)
{
	if (mount(m->dev, m->mnt, dax_fs_name(m->fs), 0, m->opts))
		return -errno;
	m->mounted = true;
	m->root = open(m->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return m->root < 0 ? -errno : 0;
}

/* Closes the root and unmounts (never lazily): 0 or -errno. */
static inline int pmem_mnt_umount(struct pmem_mnt *m)
{
	if (m->root >= 0)
		close(m->root);
	m->root = -1;
	if (umount(m->mnt))
		return -errno;
	m->mounted = false;
	return 0;
}

/*
 * mkfs on m->dev (already filled in), mount with opts on a new directory.
 * A device without DAX fails inside a matrix cell (DAX_CELL_NEED_DAX);
 * outside one it skips if need_dax (then no inode can get S_DAX and
 * there is nothing to test).
 */
static inline void pmem_mnt_make(struct __test_metadata *_metadata,
				 struct pmem_mnt *m, enum dax_fs_type fs,
				 const char *opts, bool need_dax)
{
	const char *dev = m->dev;
	int ret;

	m->root = -1;
	m->fs = fs;
	ret = dax_bdev_has_dax(dev);
	ASSERT_LE(0, ret) TH_LOG("cannot read queue/dax of %s from sysfs: %s",
				 dev, strerror(-ret));
	m->dev_dax = ret;
	if (need_dax || dax_cell_named())
		DAX_CELL_NEED_DAX(dev, m->dev_dax, "no file there can be DAX");
	ASSERT_GT(sizeof(m->opts), strlen(opts));
	snprintf(m->opts, sizeof(m->opts), "%s", opts);

	ret = dax_mkfs(fs, dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s on %s failed (%d)", dax_fs_name(fs), dev, ret);

	snprintf(m->mnt, sizeof(m->mnt), "/tmp/daxtest-msync.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(m->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));

	ret = pmem_mnt_mount(m);
	if (ret) {
		/* Teardown only runs after a completed setup: clean up here. */
		if (m->mounted)
			pmem_mnt_umount(m);
		rmdir(m->mnt);
	}
	ASSERT_EQ(0, ret) TH_LOG("mounting %s as %s -o %s on %s: %s", dev,
				 dax_fs_name(fs), opts, m->mnt, strerror(-ret));
}

/* The setup: pmem_mnt_make() on $DAXTEST_PMEM, the matrix cell's device. */
static inline void pmem_mnt_setup(struct __test_metadata *_metadata,
				  struct pmem_mnt *m, enum dax_fs_type fs,
				  const char *opts, bool need_dax)
{
	char why[128];
	int ret;

	m->root = -1;
	ret = dax_cell_device(m->dev, sizeof(m->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	pmem_mnt_make(_metadata, m, fs, opts, need_dax);
}

/* The teardown: unmounts (detaching if a failed test left files open). */
static inline void pmem_mnt_teardown(struct __test_metadata *_metadata,
				     struct pmem_mnt *m)
{
	const char *step;
	int ret;

	/*
	 * After a failed ASSERT, the harness's _metadata->trigger is still
	 * set (__bail() longjmp'd before clearing it), and the next TH_LOG
	 * would print although its check passed. SKIP() clears it the same way.
	 */
	_metadata->trigger = 0;
	ret = dax_mount_cleanup(m->mnt, m->mounted, &step);
	EXPECT_EQ(0, ret) TH_LOG("%s %s: %s", step, m->mnt, strerror(-ret));
}

/* Creates (O_EXCL) and opens dirfd/path read-write with size bytes: fd or -errno. */
static inline int pmem_create_sized(int dirfd, const char *path, off_t size)
{
	int fd, ret;

	fd = openat(dirfd, path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, size)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

#endif /* DAXTEST_PMEM_MNT_H */
