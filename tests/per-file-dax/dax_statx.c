// SPDX-License-Identifier: GPL-2.0
/*
 * dax_statx - how XFS and ext4 decide S_DAX, as statx() reports it in STATX_ATTR_DAX
 *
 * Behaviour A1 of the daxtest spec. S_DAX is computed when an inode is
 * instantiated (xfs_diflags_to_iflags(), fs/xfs/xfs_iops.c:1267;
 * ext4_set_inode_flags(), fs/ext4/inode.c:4667): dax=never gives 0; a file
 * that is not regular, a block size other than PAGE_SIZE or a device
 * without DAX gives 0; otherwise dax=always gives 1 and dax=inode (the
 * default) follows the inode's FS_XFLAG_DAX. statx() copies it to
 * STATX_ATTR_DAX (fs/stat.c:158-159).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "fsdax_fixture.h"

#define FILE_SIZE	4096

/* A1: S_DAX of a new file follows the mount mode and the FS_XFLAG_DAX it inherited (generic/606) */
TEST_F(fsdax, generic_606)
{
	int ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox", false));
	ASSERT_EQ(0, dax_create_file(self->root, "x/file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_create_file(self->root, "nox/file", 'a', FILE_SIZE));
	ASSERT_EQ(1, dax_xflag_get_at(self->root, "x/file"))
		TH_LOG("precondition: a file created in a +x directory must inherit FS_XFLAG_DAX (A5)");

	ret = dax_s_dax(self->root, "x/file");
	EXPECT_EQ(variant->s_dax_flagged, ret)
		TH_LOG(FSDAX_CELL_FMT ": a file under a +x directory has S_DAX %d, generic/606 expects %d (%s)",
		       FSDAX_CELL(variant), ret, variant->s_dax_flagged,
		       fsdax_s_dax_rule(variant));
	ret = dax_s_dax(self->root, "nox/file");
	EXPECT_EQ(variant->s_dax_unflagged, ret)
		TH_LOG(FSDAX_CELL_FMT ": a file under a -x directory has S_DAX %d, generic/606 expects %d (%s)",
		       FSDAX_CELL(variant), ret, variant->s_dax_unflagged,
		       fsdax_s_dax_rule(variant));
}

/* A1: STATX_ATTR_DAX is always in stx_attributes_mask, for every file type (fs/stat.c:164-166) */
TEST_F(fsdax, dax_in_attributes_mask)
{
	static const char *const paths[] = { ".", "dir", "file", "fifo", "link" };
	size_t i;
	int ret;

	ASSERT_EQ(0, dax_mkdir(self->root, "dir", false));
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	ASSERT_EQ(0, mkfifoat(self->root, "fifo", 0644));
	ASSERT_EQ(0, symlinkat("file", self->root, "link"));

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		ret = dax_s_dax_in_mask(self->root, paths[i]);
		EXPECT_EQ(1, ret)
			TH_LOG(FSDAX_CELL_FMT ": statx(\"%s\") gave %d for STATX_ATTR_DAX in stx_attributes_mask; vfs_getattr_nosec() always adds it (fs/stat.c:164-166)",
			       FSDAX_CELL(variant), paths[i], ret);
	}
}

/* A1: directories never report S_DAX, whatever their FS_XFLAG_DAX and the mount mode (dax.rst) */
TEST_F(fsdax, directory_never_dax)
{
	static const char *const dirs[] = { ".", "x", "x/sub", "nox" };
	size_t i;
	int ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "x/sub", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox", false));
	ASSERT_EQ(1, dax_xflag_get_at(self->root, "x/sub"))
		TH_LOG("precondition: a directory created in a +x directory must inherit FS_XFLAG_DAX (A5)");

	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		ret = dax_s_dax(self->root, dirs[i]);
		EXPECT_EQ(0, ret)
			TH_LOG(FSDAX_CELL_FMT ": directory \"%s\" reports S_DAX %d; only regular files can get it (xfs_iops.c:1220, ext4/inode.c:4628)",
			       FSDAX_CELL(variant), dirs[i], ret);
	}
	/* Control: a regular file in the same +x directory follows the table. */
	ASSERT_EQ(0, dax_create_file(self->root, "x/file", 'a', FILE_SIZE));
	ret = dax_s_dax(self->root, "x/file");
	EXPECT_EQ(variant->s_dax_flagged, ret)
		TH_LOG(FSDAX_CELL_FMT ": control file under the +x directory has S_DAX %d, expected %d (%s)",
		       FSDAX_CELL(variant), ret, variant->s_dax_flagged,
		       fsdax_s_dax_rule(variant));
}

/* A1: FIFOs and symlinks never report S_DAX, even in a +x directory (xfs_iops.c:1220) */
TEST_F(fsdax, special_files_never_dax)
{
	static const char *const paths[] = { "x/fifo", "x/link" };
	size_t i;
	int ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_create_file(self->root, "x/file", 'a', FILE_SIZE));
	ASSERT_EQ(0, mkfifoat(self->root, "x/fifo", 0644));
	ASSERT_EQ(0, symlinkat("file", self->root, "x/link"));

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		ret = dax_s_dax(self->root, paths[i]);
		EXPECT_EQ(0, ret)
			TH_LOG(FSDAX_CELL_FMT ": \"%s\" reports S_DAX %d; only regular files can get it",
			       FSDAX_CELL(variant), paths[i], ret);
	}
	ret = dax_s_dax(self->root, "x/file");
	EXPECT_EQ(variant->s_dax_flagged, ret)
		TH_LOG(FSDAX_CELL_FMT ": control file under the +x directory has S_DAX %d, expected %d (%s)",
		       FSDAX_CELL(variant), ret, variant->s_dax_flagged,
		       fsdax_s_dax_rule(variant));
}

struct stored_case {
	const char *path;
	bool flag;		/* FS_XFLAG_DAX as stored on disk */
};

/* A1: after umount and mount, S_DAX is decided again from the FS_XFLAG_DAX stored on disk */
TEST_F(fsdax, decided_at_instantiation)
{
	static const struct stored_case cases[] = {
		{ "x/inherited", true },	/* inherited at creation */
		{ "x/cleared", false },		/* inherited, then cleared */
		{ "set", true },		/* set on a -x file */
		{ "plain", false },
	};
	size_t i;
	int ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		ASSERT_EQ(0, dax_create_file(self->root, cases[i].path, 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "x/cleared", false));
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "set", true));

	ret = fsdax_remount(self, variant);
	ASSERT_EQ(0, ret) TH_LOG("umount and mount again: %s", strerror(-ret));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = dax_xflag_get_at(self->root, cases[i].path);
		ASSERT_EQ(cases[i].flag, ret)
			TH_LOG("precondition: FS_XFLAG_DAX of \"%s\" after remount is %d, expected %d (A4)",
			       cases[i].path, ret, cases[i].flag);
		ret = dax_s_dax(self->root, cases[i].path);
		EXPECT_EQ(fsdax_expected(variant, cases[i].flag), ret)
			TH_LOG(FSDAX_CELL_FMT ": \"%s\" read from disk with FS_XFLAG_DAX=%d has S_DAX %d, expected %d (%s)",
			       FSDAX_CELL(variant), cases[i].path, cases[i].flag, ret,
			       fsdax_expected(variant, cases[i].flag),
			       fsdax_s_dax_rule(variant));
	}
}

/* A1: a block size other than PAGE_SIZE gives no S_DAX, whatever the flag and the mount mode */
TEST_F(fsdax, small_blocks_no_dax)
{
	unsigned int bs = sysconf(_SC_PAGESIZE) / 4;
	int ret;

	FSDAX_NEED_DAX_DEVICE();
	ret = fsdax_umount(self);
	ASSERT_EQ(0, ret) TH_LOG("umount: %s", strerror(-ret));
	ret = dax_mkfs(variant->fs, self->dev, bs);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s with %u-byte blocks failed (%d)",
				 dax_fs_name(variant->fs), bs, ret);
	ret = fsdax_mount(self, variant);
	if (variant->fs == DAX_FS_EXT4 && variant->mode == DAX_MOUNT_ALWAYS) {
		/* ext4 refuses dax=always when it cannot do DAX (A2). */
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("ext4 dax=always with %u-byte blocks: mount gave %d, expected -EINVAL (fs/ext4/super.c:4727-4744)",
			       bs, ret);
		return;
	}
	ASSERT_EQ(0, ret) TH_LOG("mounting with %u-byte blocks: %s", bs, strerror(-ret));

	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_create_file(self->root, "x/file", 'a', FILE_SIZE));
	ASSERT_EQ(1, dax_xflag_get_at(self->root, "x/file"))
		TH_LOG("precondition: a file created in a +x directory must inherit FS_XFLAG_DAX (A5)");
	ret = dax_s_dax(self->root, "x/file");
	EXPECT_EQ(0, ret)
		TH_LOG(FSDAX_CELL_FMT ": with %u-byte blocks a file under a +x directory has S_DAX %d, expected 0 (%s)",
		       FSDAX_CELL(variant), bs, ret,
		       variant->fs == DAX_FS_XFS ?
		       "xfs_inode_supports_dax(), fs/xfs/xfs_iops.c:1224; dax=always is turned off, xfs_super.c:343-346" :
		       "EXT4_FLAGS_BDEV_IS_DAX needs PAGE_SIZE blocks, fs/ext4/super.c:4727-4732");
}

/*
 * The S_DAX of a file under a +x directory and of a plain file, and the
 * FS_XFLAG_DAX the first inherited, on the filesystem mounted at mnt.
 * 0 or -errno.
 */
static int nodax_probe(const char *mnt, int *xflag, int *flagged, int *plain)
{
	int root = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	if (root < 0)
		return -errno;
	ret = dax_mkdir(root, "x", true);
	if (!ret)
		ret = dax_create_file(root, "x/file", 'a', FILE_SIZE);
	if (!ret)
		ret = dax_create_file(root, "file", 'a', FILE_SIZE);
	if (!ret) {
		*xflag = dax_xflag_get_at(root, "x/file");
		*flagged = dax_s_dax(root, "x/file");
		*plain = dax_s_dax(root, "file");
	}
	close(root);
	return ret;
}

/*
 * A1: a device without DAX gives no S_DAX, whatever the flag and the mount
 * mode. The device is the guest's virtio disk ($DAXTEST_NODAX), not the
 * fixture's pmem; ext4 refuses dax=always there outright.
 */
TEST_F(fsdax, no_dax_device)
{
	const char *dev = getenv("DAXTEST_NODAX"), *step;
	int ret, umount_ret, xflag = -1, flagged = -1, plain = -1;
	char mnt[] = "/tmp/daxtest-nodax.XXXXXX";

	if (!dev || !*dev)
		SKIP(return, "DAXTEST_NODAX is not set: the guest has no disk without DAX");
	ret = dax_bdev_has_dax(dev);
	ASSERT_EQ(0, ret)
		TH_LOG("precondition: DAXTEST_NODAX=%s must be a block device without DAX (dax_bdev_has_dax: %d)",
		       dev, ret);
	ret = dax_mkfs(variant->fs, dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s on %s failed (%d)", dax_fs_name(variant->fs), dev, ret);
	ASSERT_NE(NULL, mkdtemp(mnt)) TH_LOG("mkdtemp: %s", strerror(errno));

	ret = dax_mount(variant->fs, dev, mnt, variant->mode);
	if (variant->fs == DAX_FS_EXT4 && variant->mode == DAX_MOUNT_ALWAYS) {
		if (!ret)
			dax_umount(mnt);
		rmdir(mnt);
		ASSERT_EQ(-EINVAL, ret)
			TH_LOG("ext4 dax=always on %s, a disk without DAX: mount gave %s, expected EINVAL (\"DAX unsupported by block device\", fs/ext4/super.c:4740-4744)",
			       dev, ret ? strerror(-ret) : "success");
		return;
	}
	if (ret)
		rmdir(mnt);
	ASSERT_EQ(0, ret) TH_LOG("mounting %s as " FSDAX_CELL_FMT " on %s: %s", dev,
				 FSDAX_CELL(variant), mnt, strerror(-ret));
	ret = nodax_probe(mnt, &xflag, &flagged, &plain);
	umount_ret = dax_mount_cleanup(mnt, true, &step);
	ASSERT_EQ(0, ret) TH_LOG("making a +x directory and two files on %s: %s", dev, strerror(-ret));
	EXPECT_EQ(0, umount_ret) TH_LOG("%s %s: %s", step, mnt, strerror(-umount_ret));
	EXPECT_EQ(1, xflag)
		TH_LOG("precondition: a file created in a +x directory must inherit FS_XFLAG_DAX (A5), got %d",
		       xflag);
	EXPECT_EQ(0, flagged)
		TH_LOG(FSDAX_CELL_FMT ": on a disk without DAX a file under a +x directory has S_DAX %d, expected 0 (%s)",
		       FSDAX_CELL(variant), flagged,
		       variant->fs == DAX_FS_XFS ? "fs/xfs/xfs_iops.c:1228" : "fs/ext4/inode.c:4638");
	EXPECT_EQ(0, plain)
		TH_LOG(FSDAX_CELL_FMT ": on a disk without DAX a plain file has S_DAX %d, expected 0",
		       FSDAX_CELL(variant), plain);
}

TEST_HARNESS_MAIN
