// SPDX-License-Identifier: GPL-2.0
/*
 * dax_ext4 - ext4's per-inode DAX restrictions: flags, inline data, defrag
 *
 * Behaviour A8 of the daxtest spec (ext4/047 and more). EXT4_DAX_FL cannot
 * be combined with VERITY, ENCRYPT, JOURNAL_DATA or INLINE_DATA
 * (EXT4_DAX_MUT_EXCL, fs/ext4/ext4.h:550): dax_compatible() makes
 * FS_IOC_SETFLAGS fail with EOPNOTSUPP both ways round
 * (fs/ext4/ioctl.c:563-613). Setting JOURNAL_DATA on an inode that has
 * S_DAX without the flag (dax=always) gives EBUSY (fs/ext4/ioctl.c:684-692).
 * A new inode with EXT4_DAX_FL never gets inline data
 * (fs/ext4/ialloc.c:1307-1311), and online defrag refuses an S_DAX inode
 * (EXT4_IOC_MOVE_EXT, fs/ext4/ioctl.c:1368-1371). Enabling verity on a DAX
 * inode gives EINVAL (fs/ext4/verity.c:109) and an encryption policy on a
 * DAX_FL directory EOPNOTSUPP (fs/ext4/crypto.c:156).
 *
 * The flag checks look at the stored flags only (i_flags), so they need no
 * device with DAX. ext4 honours a per-inode JOURNAL_DATA flag only under
 * nodelalloc (ext4_inode_journal_mode(), fs/ext4/ext4_jbd2.c:15-19): the
 * tests that set it mount with nodelalloc, so the inode really is in
 * journal mode and not only flagged.
 *
 * Each refusal has a positive control on the same filesystem: the same
 * request on an inode without the DAX side of the conflict succeeds, so
 * a refusal for another reason (a kernel without the feature, a missing
 * capability) cannot pass.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "dax_fs.h"
#include "bare_fixture.h"

#define FILE_SIZE	(16 * 4096)
#define SMALL_SIZE	32	/* fits in the inode: inline with inline_data */

/* EXT4_IOC_MOVE_EXT and its argument (include/uapi/linux/ext4.h:25,84). */
struct daxtest_move_extent {
	__u32 reserved;
	__u32 donor_fd;
	__u64 orig_start;
	__u64 donor_start;
	__u64 len;
	__u64 moved_len;
};
#define DAXTEST_IOC_MOVE_EXT	_IOWR('f', 15, struct daxtest_move_extent)

#define NEED_DAX_DEVICE() do { \
	if (!self->dev_dax) \
		SKIP(return, "%s has no DAX (queue/dax is 0): no inode can get S_DAX there", \
		     self->dev); \
} while (0)

/*
 * mkfs.ext4 with 4 KiB blocks and the feature (or none), then a mount with
 * opts and the root opened: 0, or the tool's status or -errno.
 */
static int ext4_setup(FIXTURE_DATA(bare) *self, const char *feature,
		      const char *opts)
{
	char *mkfs[] = { "mkfs.ext4", "-F", "-q", "-b", "4096", "-O",
			 (char *)feature, self->dev, NULL };
	int ret;

	if (feature)
		ret = dax_run_tool(mkfs);
	else
		ret = dax_mkfs(DAX_FS_EXT4, self->dev, 0);
	if (ret)
		return ret;
	if (mount(self->dev, self->mnt, "ext4", 0, opts))
		return -errno;
	self->mounted = true;
	self->root = open(self->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return self->root < 0 ? -errno : 0;
}

#define EXT4_SETUP(feature, opts) do { \
	int _ret = ext4_setup(self, feature, opts); \
	ASSERT_EQ(0, _ret) TH_LOG("mkfs.ext4%s%s and mount -o %s: %d (%s)", \
				  feature ? " -O " : "", feature ?: "", opts, \
				  _ret, _ret < 0 ? strerror(-_ret) : "tool failed"); \
} while (0)

/* FS_IOC_GETFLAGS of dirfd/path into *flags: 0 or -errno. */
static int get_flags_at(int dirfd, const char *path, int *flags)
{
	int fd, ret = 0;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, FS_IOC_GETFLAGS, flags))
		ret = -errno;
	close(fd);
	return ret;
}

/* Sets (or clears) the bits of mask with FS_IOC_GETFLAGS/SETFLAGS: 0 or -errno. */
static int change_flags(int fd, int mask, bool on)
{
	int flags;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		return -errno;
	if (on)
		flags |= mask;
	else
		flags &= ~mask;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags))
		return -errno;
	return 0;
}

/* Sets FS_JOURNAL_DATA_FL (chattr +j); skips when the process really
 * lacks CAP_SYS_RESOURCE (an EPERM with it is a failure). */
#define SET_JOURNAL_DATA(fd, expected, why) do { \
	int _ret = change_flags(fd, FS_JOURNAL_DATA_FL, true); \
	if (_ret == -EPERM && dax_has_cap(CAP_SYS_RESOURCE) == 0) \
		SKIP(return, "no CAP_SYS_RESOURCE: FS_JOURNAL_DATA_FL cannot be changed (fs/ext4/ioctl.c:605-607)"); \
	ASSERT_EQ(expected, _ret) \
		TH_LOG("FS_IOC_SETFLAGS +FS_JOURNAL_DATA_FL %s: %s, expected %s", why, \
		       _ret ? strerror(-_ret) : "success", \
		       expected ? strerror(-(expected)) : "success"); \
} while (0)

/* A8: +x on a journal-data inode gives EOPNOTSUPP (dax_compatible(), ioctl.c:572-577, 610-613) */
TEST_F(bare, dax_on_journal_data_eopnotsupp)
{
	int fd, flags, ret;

	EXT4_SETUP(NULL, "dax=inode,nodelalloc");
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	SET_JOURNAL_DATA(fd, 0, "on a new regular file");
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	ASSERT_TRUE(flags & FS_JOURNAL_DATA_FL)
		TH_LOG("precondition: FS_JOURNAL_DATA_FL does not read back after +j");

	ret = dax_fl_set(fd, true);
	EXPECT_EQ(-EOPNOTSUPP, ret)
		TH_LOG("FS_IOC_SETFLAGS +FS_DAX_FL on a journal-data inode: %s, expected EOPNOTSUPP (EXT4_DAX_MUT_EXCL, fs/ext4/ioctl.c:572-577, 610-613)",
		       ret ? strerror(-ret) : "success");
	ret = dax_xflag_set(fd, true);
	EXPECT_EQ(-EOPNOTSUPP, ret)
		TH_LOG("FS_IOC_FSSETXATTR +FS_XFLAG_DAX on a journal-data inode: %s, expected EOPNOTSUPP (the same check through ext4_fileattr_set())",
		       ret ? strerror(-ret) : "success");
	EXPECT_EQ(0, dax_fl_get(fd))
		TH_LOG("FS_DAX_FL is set on a journal-data inode after the refused ioctls");
	close(fd);

	/* Control: +x on a file of the same filesystem without +j works. */
	ASSERT_EQ(0, dax_create_file(self->root, "plain", 'a', FILE_SIZE));
	fd = openat(self->root, "plain", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ret = dax_fl_set(fd, true);
	EXPECT_EQ(0, ret)
		TH_LOG("control: FS_IOC_SETFLAGS +FS_DAX_FL on a file without +j: %s; the refusal above may not be about journalled data",
		       strerror(-ret));
	close(fd);
}

/* A8: +j on a DAX_FL inode gives EOPNOTSUPP (dax_compatible(), ioctl.c:580-581) */
TEST_F(bare, journal_data_on_dax_fl_eopnotsupp)
{
	int fd, flags, ret;

	EXT4_SETUP(NULL, "dax=inode,nodelalloc");
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ret = dax_fl_set(fd, true);
	ASSERT_EQ(0, ret) TH_LOG("precondition: +FS_DAX_FL on a new file: %s", strerror(-ret));

	SET_JOURNAL_DATA(fd, -EOPNOTSUPP,
			 "on a DAX_FL inode (EXT4_DAX_MUT_EXCL, fs/ext4/ioctl.c:580-581, 610-613)");
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	EXPECT_FALSE(flags & FS_JOURNAL_DATA_FL)
		TH_LOG("FS_JOURNAL_DATA_FL is set on a DAX_FL inode after the refused ioctl");
	EXPECT_TRUE(flags & FS_DAX_FL)
		TH_LOG("FS_DAX_FL went away after the refused +j");
	close(fd);

	/* Control: +j on a file of the same filesystem without +x works. */
	ASSERT_EQ(0, dax_create_file(self->root, "plain", 'a', FILE_SIZE));
	fd = openat(self->root, "plain", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	SET_JOURNAL_DATA(fd, 0, "control: on a file without FS_DAX_FL");
	close(fd);
}

/* A8: +x on an inline-data inode gives EOPNOTSUPP (ext4/047) */
TEST_F(bare, dax_on_inline_data_eopnotsupp)
{
	int fd, flags, ret;

	EXT4_SETUP("inline_data", "dax=inode");
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'i', SMALL_SIZE));
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	ASSERT_TRUE(flags & FS_INLINE_DATA_FL)
		TH_LOG("precondition: a %d-byte file on an inline_data filesystem is not inline (flags %#x)",
		       SMALL_SIZE, flags);

	ret = dax_fl_set(fd, true);
	EXPECT_EQ(-EOPNOTSUPP, ret)
		TH_LOG("FS_IOC_SETFLAGS +FS_DAX_FL on an inline-data file: %s, expected EOPNOTSUPP (EXT4_DAX_MUT_EXCL, fs/ext4/ioctl.c:572-577, 610-613)",
		       ret ? strerror(-ret) : "success");
	EXPECT_EQ(0, dax_fl_get(fd));
	close(fd);
	EXPECT_EQ(1, dax_file_has(self->root, "file", 'i', SMALL_SIZE));

	/* Control: +x on a file too big to be inline, on the same filesystem, works. */
	ASSERT_EQ(0, dax_create_file(self->root, "big", 'b', FILE_SIZE));
	fd = openat(self->root, "big", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	ASSERT_FALSE(flags & FS_INLINE_DATA_FL)
		TH_LOG("control: a %d-byte file is inline (flags %#x)", FILE_SIZE, flags);
	ret = dax_fl_set(fd, true);
	EXPECT_EQ(0, ret)
		TH_LOG("control: FS_IOC_SETFLAGS +FS_DAX_FL on a file that is not inline: %s; the refusal above may not be about inline data",
		       strerror(-ret));
	close(fd);
}

/* A8: a new file under a +x directory is never inline (ialloc.c:1307-1311) */
TEST_F(bare, new_dax_file_not_inline)
{
	int flags, ret;

	EXT4_SETUP("inline_data", "dax=inode");
	ret = dax_mkdir(self->root, "plain", false);
	ASSERT_EQ(0, ret) TH_LOG("mkdir plain: %s", strerror(-ret));
	ret = dax_mkdir(self->root, "dax", true);
	ASSERT_EQ(0, ret)
		TH_LOG("mkdir dax and +FS_XFLAG_DAX on it: %s (directories may change the flag even when inline, fs/ext4/ioctl.c:566-570)",
		       strerror(-ret));

	/* Control: the same small file under a -x directory is inline. */
	ASSERT_EQ(0, dax_create_file(self->root, "plain/file", 'p', SMALL_SIZE));
	ASSERT_EQ(0, get_flags_at(self->root, "plain/file", &flags));
	ASSERT_TRUE(flags & FS_INLINE_DATA_FL)
		TH_LOG("control: a %d-byte file under a -x directory is not inline (flags %#x): the check below would prove nothing",
		       SMALL_SIZE, flags);

	ASSERT_EQ(0, dax_create_file(self->root, "dax/file", 'd', SMALL_SIZE));
	ASSERT_EQ(0, get_flags_at(self->root, "dax/file", &flags));
	EXPECT_TRUE(flags & FS_DAX_FL)
		TH_LOG("a new file under a +x directory did not inherit FS_DAX_FL (flags %#x, EXT4_FL_INHERITED, fs/ext4/ext4.h:532)",
		       flags);
	EXPECT_FALSE(flags & FS_INLINE_DATA_FL)
		TH_LOG("a new DAX_FL file of %d bytes is inline (flags %#x): __ext4_new_inode() must not set EXT4_STATE_MAY_INLINE_DATA for it (fs/ext4/ialloc.c:1307-1311)",
		       SMALL_SIZE, flags);
	EXPECT_EQ(1, dax_file_has(self->root, "dax/file", 'd', SMALL_SIZE));
}

/* A8: +j on an S_DAX inode without DAX_FL (dax=always) gives EBUSY (ioctl.c:684-692) */
TEST_F(bare, journal_data_on_s_dax_ebusy)
{
	int fd, flags, ret;

	NEED_DAX_DEVICE();
	EXT4_SETUP(NULL, "dax=always,nodelalloc");
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	ret = dax_s_dax(self->root, "file");
	ASSERT_EQ(1, ret) TH_LOG("precondition: a new file under dax=always has S_DAX %d", ret);
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, dax_fl_get(fd)) TH_LOG("precondition: dax=always set FS_DAX_FL");

	SET_JOURNAL_DATA(fd, -EBUSY,
			 "on an S_DAX inode without FS_DAX_FL (\"Changes to the journaling mode can cause unsafe changes to S_DAX\", fs/ext4/ioctl.c:684-692)");
	ASSERT_EQ(0, ioctl(fd, FS_IOC_GETFLAGS, &flags));
	EXPECT_FALSE(flags & FS_JOURNAL_DATA_FL)
		TH_LOG("FS_JOURNAL_DATA_FL is set after the refused +j (flags %#x)", flags);
	close(fd);
	ret = dax_s_dax(self->root, "file");
	EXPECT_EQ(1, ret) TH_LOG("S_DAX is %d after the refused +j, expected 1", ret);

	/* Control: under dax=inode, +j on a file without S_DAX works. */
	close(self->root);
	self->root = -1;
	ASSERT_EQ(0, umount(self->mnt));
	self->mounted = false;
	EXT4_SETUP(NULL, "dax=inode,nodelalloc");
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_s_dax(self->root, "file"))
		TH_LOG("control: a new file under dax=inode has S_DAX");
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	SET_JOURNAL_DATA(fd, 0, "control: on a file without S_DAX, dax=inode");
	close(fd);
}

#define MOVE_BLOCKS	(FILE_SIZE / 4096)

/* Creates orig and donor, opens both O_RDWR and asks to swap all their blocks. */
static int move_ext(int root, int *moved)
{
	struct daxtest_move_extent me = { 0 };
	int orig, donor, ret;

	if (dax_create_file(root, "orig", 'o', FILE_SIZE) ||
	    dax_create_file(root, "donor", 'd', FILE_SIZE))
		return -EIO;
	sync();
	orig = openat(root, "orig", O_RDWR | O_CLOEXEC);
	donor = openat(root, "donor", O_RDWR | O_CLOEXEC);
	ret = orig < 0 || donor < 0 ? -errno : 0;
	if (!ret) {
		me.donor_fd = donor;
		me.len = MOVE_BLOCKS;
		if (ioctl(orig, DAXTEST_IOC_MOVE_EXT, &me))
			ret = -errno;
	}
	*moved = (int)me.moved_len;
	if (orig >= 0)
		close(orig);
	if (donor >= 0)
		close(donor);
	return ret;
}

/* A8: online defrag (EXT4_IOC_MOVE_EXT) of an S_DAX inode gives EOPNOTSUPP (ioctl.c:1368) */
TEST_F(bare, move_ext_eopnotsupp)
{
	int moved, ret;

	NEED_DAX_DEVICE();
	/* Control: the same move works on the same device under dax=never. */
	EXT4_SETUP(NULL, "dax=never");
	ret = move_ext(self->root, &moved);
	ASSERT_EQ(0, ret)
		TH_LOG("control: EXT4_IOC_MOVE_EXT under dax=never: %s, expected success",
		       strerror(-ret));
	EXPECT_EQ(MOVE_BLOCKS, moved);
	/* The move swaps blocks, not contents: orig keeps its data. */
	EXPECT_EQ(1, dax_file_has(self->root, "orig", 'o', FILE_SIZE))
		TH_LOG("control: orig's data changed in the move");
	close(self->root);
	self->root = -1;
	ASSERT_EQ(0, umount(self->mnt));
	self->mounted = false;

	EXT4_SETUP(NULL, "dax=always");
	ret = move_ext(self->root, &moved);
	ASSERT_EQ(1, dax_s_dax(self->root, "orig"))
		TH_LOG("precondition: a new file under dax=always has no S_DAX");
	EXPECT_EQ(-EOPNOTSUPP, ret)
		TH_LOG("EXT4_IOC_MOVE_EXT of an S_DAX file: %s, expected EOPNOTSUPP (\"Online defrag not supported with DAX\", fs/ext4/ioctl.c:1368-1371)",
		       ret ? strerror(-ret) : "success");
	EXPECT_EQ(0, moved);
	EXPECT_EQ(1, dax_file_has(self->root, "orig", 'o', FILE_SIZE))
		TH_LOG("the S_DAX file's data changed although the move was refused");
}

/* 1 if ext4 lists the feature in /sys/fs/ext4/features (fs/ext4/sysfs.c:316-345). */
static bool ext4_feature_built(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/fs/ext4/features/%s", name);
	return access(path, F_OK) == 0;
}

/* A8: FS_IOC_ENABLE_VERITY on a DAX_FL file gives EINVAL (verity.c:109) */
TEST_F(bare, verity_on_dax_einval)
{
	struct fsverity_enable_arg arg = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.block_size = 4096,
	};
	int fd, ret;

	/*
	 * Without CONFIG_FS_VERITY, fsverity_ioctl_enable() is a stub that
	 * gives EOPNOTSUPP: the check below could not fail. ext4 lists
	 * "verity" in /sys/fs/ext4/features only when it is built in.
	 */
	if (!ext4_feature_built("verity"))
		SKIP(return, "kernel built without CONFIG_FS_VERITY (/sys/fs/ext4/features/verity is absent): FS_IOC_ENABLE_VERITY never reaches ext4_begin_enable_verity()");
	EXT4_SETUP("verity", "dax=inode");
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'v', FILE_SIZE));
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "file", true));
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ret = ioctl(fd, FS_IOC_ENABLE_VERITY, &arg) ? -errno : 0;
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("FS_IOC_ENABLE_VERITY on a DAX_FL file: %s, expected EINVAL (ext4_begin_enable_verity(), fs/ext4/verity.c:109)",
		       ret ? strerror(-ret) : "success");
	close(fd);

	/* Control: the same request on a file without the flag works. */
	ASSERT_EQ(0, dax_create_file(self->root, "plain", 'v', FILE_SIZE));
	fd = openat(self->root, "plain", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ret = ioctl(fd, FS_IOC_ENABLE_VERITY, &arg) ? -errno : 0;
	EXPECT_EQ(0, ret)
		TH_LOG("control: FS_IOC_ENABLE_VERITY on a file without FS_DAX_FL: %s; the refusal above may not be about DAX",
		       strerror(-ret));
	close(fd);
}

/* Sets a v1 policy on dirfd/path: 0 or -errno. */
static int set_policy_at(int dirfd, const char *path)
{
	struct fscrypt_policy_v1 pol = {
		.version = FSCRYPT_POLICY_V1,
		.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS,
		.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS,
		.flags = FSCRYPT_POLICY_FLAGS_PAD_32,
		.master_key_descriptor = "daxtest",
	};
	int fd, ret = 0;

	fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &pol))
		ret = -errno;
	close(fd);
	return ret;
}

/* A8: an encryption policy on a DAX_FL directory gives EOPNOTSUPP (crypto.c:156) */
TEST_F(bare, encrypt_on_dax_dir_eopnotsupp)
{
	int ret;

	/*
	 * Without CONFIG_FS_ENCRYPTION, FS_IOC_SET_ENCRYPTION_POLICY gives
	 * EOPNOTSUPP whatever the directory: the very errno expected here.
	 */
	if (!ext4_feature_built("encryption"))
		SKIP(return, "kernel built without CONFIG_FS_ENCRYPTION (/sys/fs/ext4/features/encryption is absent): FS_IOC_SET_ENCRYPTION_POLICY gives EOPNOTSUPP for every directory");
	EXT4_SETUP("encrypt", "dax=inode");
	ASSERT_EQ(0, dax_mkdir(self->root, "plain", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "dax", true));
	ret = set_policy_at(self->root, "plain");
	ASSERT_EQ(0, ret)
		TH_LOG("control: a v1 policy on an empty -x directory: %s", strerror(-ret));
	ret = set_policy_at(self->root, "dax");
	EXPECT_EQ(-EOPNOTSUPP, ret)
		TH_LOG("a v1 encryption policy on an empty DAX_FL directory: %s, expected EOPNOTSUPP (ext4_set_context(), fs/ext4/crypto.c:156)",
		       ret ? strerror(-ret) : "success");
}

TEST_HARNESS_MAIN
