// SPDX-License-Identifier: GPL-2.0
/*
 * dax_mount - dax=always where DAX cannot work, and changing dax on remount
 *
 * Behaviours A2 and A3 of the daxtest spec. A2: dax=always on a device
 * without DAX, or with a block size other than PAGE_SIZE, is a mount that
 * XFS accepts and turns into dax=never with an alert in the kernel log
 * (xfs_setup_dax_always(), fs/xfs/xfs_super.c:333-360), and one that ext4
 * refuses with EINVAL (fs/ext4/super.c:4727-4745); ext4 also refuses
 * dax=always with the inline_data feature (the same lines) and with
 * data=journal (fs/ext4/super.c:4995-4999). A3: ext4 refuses to change
 * the dax mode on remount with EINVAL, and refuses an explicit dax=inode
 * unless the mount said dax=inode explicitly too
 * (fs/ext4/super.c:2818-2833), and a dax option over data=journal
 * (fs/ext4/super.c:2811-2816); XFS accepts any dax option on remount and
 * ignores it (xfs_fs_reconfigure() applies only the ro/rw and inode32/64
 * changes). The legacy bare "dax" option (ndctl's dax.sh) is dax=always
 * on both (Opt_dax, fs/xfs/xfs_super.c:1383-1385,
 * fs/ext4/super.c:2364-2367).
 *
 * Every test makes its own filesystem: the fixture only finds the device
 * and makes the mount point.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "dax_fs.h"
#include "kmsg_find.h"
#include "bare_fixture.h"

/* xfs_setup_dax_always(), fs/xfs/xfs_super.c:338-339 and :344-345. */
#define XFS_NO_DAX_MSG	"DAX unsupported by block device. Turning off DAX."
#define XFS_BSIZE_MSG	"DAX not supported for blocksize. Turning off DAX."

/* The tests below need dax=always to be possible at all on the device. */
#define NEED_DAX_DEVICE() do { \
	if (!self->dev_dax) \
		SKIP(return, "%s has no DAX (queue/dax is 0): dax=always fails there for that reason alone", \
		     self->dev); \
} while (0)

/* mount(2) of the device with an option string: 0 or -errno. */
static int mnt_mount(FIXTURE_DATA(bare) *self, enum dax_fs_type fs,
		     const char *opts)
{
	if (mount(self->dev, self->mnt, dax_fs_name(fs), 0, opts))
		return -errno;
	self->mounted = true;
	return 0;
}

/* A remount of the mount point with an option string: 0 or -errno. */
static int mnt_remount(FIXTURE_DATA(bare) *self, const char *opts)
{
	if (mount(self->dev, self->mnt, NULL, MS_REMOUNT, opts))
		return -errno;
	return 0;
}

static int mnt_umount(FIXTURE_DATA(bare) *self)
{
	if (umount(self->mnt))
		return -errno;
	self->mounted = false;
	return 0;
}

/*
 * The last option starting with prefix that /proc/self/mounts shows for
 * dir ("dax" gives "dax=never", ...) into buf, or "" if it shows none: 0,
 * or -ENOENT if dir is not mounted.
 */
static int shown_option(const char *dir, const char *prefix, char *buf,
			size_t size)
{
	char *line = NULL, *opts, *tok, *save;
	char src[256], mp[256], type[64];
	size_t cap = 0;
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/mounts", "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		opts = malloc(cap);
		if (!opts)
			break;
		if (sscanf(line, "%255s %255s %63s %s", src, mp, type, opts) == 4 &&
		    !strcmp(mp, dir)) {
			/* The last mount on dir wins, as in the kernel's view. */
			ret = 0;
			buf[0] = '\0';
			for (tok = strtok_r(opts, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save))
				if (!strncmp(tok, prefix, strlen(prefix)))
					snprintf(buf, size, "%s", tok);
		}
		free(opts);
	}
	free(line);
	fclose(f);
	return ret;
}

/* The dax option /proc/self/mounts shows for dir, as shown_option(). */
static int shown_dax_option(const char *dir, char *buf, size_t size)
{
	return shown_option(dir, "dax", buf, size);
}

/* S_DAX of a new regular file (FS_XFLAG_DAX clear) in the mounted root. */
static int new_file_s_dax(FIXTURE_DATA(bare) *self, const char *name)
{
	int root, ret;

	root = open(self->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	ret = dax_create_file(root, name, 'a', 4096);
	if (!ret)
		ret = dax_s_dax(root, name);
	close(root);
	return ret;
}

/*
 * A2: XFS dax=always with 1 KiB blocks mounts as dax=never and says so.
 * On a device with DAX the block size is what disables it (the alert of
 * xfs_super.c:344-345); on one without, the missing DAX is
 * (xfs_super.c:338-339). The spec names only the second message, "DAX
 * unsupported by block device": on 6.12.117 the block size has its own,
 * "DAX not supported for blocksize".
 */
TEST_F(bare, xfs_always_small_blocks_turns_off)
{
	const char *msg = self->dev_dax ? XFS_BSIZE_MSG : XFS_NO_DAX_MSG;
	char opt[64];
	int kmsg, ret;

	ret = dax_mkfs(DAX_FS_XFS, self->dev, 1024);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.xfs -b size=1024 failed (%d)", ret);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("open /dev/kmsg: %s", strerror(-kmsg));

	ret = mnt_mount(self, DAX_FS_XFS, "dax=always");
	EXPECT_EQ(0, ret)
		TH_LOG("xfs with 1 KiB blocks, dax=always: mount gave %s, expected success with DAX turned off (xfs_setup_dax_always(), fs/xfs/xfs_super.c:333-360)",
		       strerror(-ret));
	if (ret) {
		close(kmsg);
		return;
	}
	ret = kmsg_find(kmsg, msg);
	close(kmsg);
	EXPECT_EQ(1, ret)
		TH_LOG("xfs with 1 KiB blocks, dax=always: the kernel log has no \"%s\" (%d), expected it from fs/xfs/xfs_super.c:%s",
		       msg, ret, self->dev_dax ? "344-345" : "338-339");

	ret = shown_dax_option(self->mnt, opt, sizeof(opt));
	ASSERT_EQ(0, ret) TH_LOG("%s is not in /proc/self/mounts", self->mnt);
	EXPECT_STREQ("dax=never", opt)
		TH_LOG("xfs with 1 KiB blocks, dax=always: /proc/mounts shows \"%s\", expected dax=never (xfs_mount_set_dax_mode(XFS_DAX_NEVER), xfs_super.c:359)",
		       opt);
	ret = new_file_s_dax(self, "file");
	EXPECT_EQ(0, ret)
		TH_LOG("xfs with 1 KiB blocks, dax=always: a new file has S_DAX %d, expected 0", ret);
}

/* A2: control, on a device with DAX and 4 KiB blocks, XFS keeps dax=always */
TEST_F(bare, xfs_always_page_blocks_kept)
{
	char opt[64];
	int ret;

	NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkfs(DAX_FS_XFS, self->dev, 0));
	ret = mnt_mount(self, DAX_FS_XFS, "dax=always");
	ASSERT_EQ(0, ret) TH_LOG("xfs dax=always: %s", strerror(-ret));
	ASSERT_EQ(0, shown_dax_option(self->mnt, opt, sizeof(opt)));
	EXPECT_STREQ("dax=always", opt)
		TH_LOG("xfs with PAGE_SIZE blocks on a DAX device, dax=always: /proc/mounts shows \"%s\"",
		       opt);
	ret = new_file_s_dax(self, "file");
	EXPECT_EQ(1, ret)
		TH_LOG("xfs with PAGE_SIZE blocks on a DAX device, dax=always: a new file has S_DAX %d, expected 1",
		       ret);
}

/* A2: ext4 refuses dax=always with 1 KiB blocks (EINVAL), mounts without it */
TEST_F(bare, ext4_always_small_blocks_einval)
{
	int ret;

	NEED_DAX_DEVICE();
	ret = dax_mkfs(DAX_FS_EXT4, self->dev, 1024);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.ext4 -b 1024 failed (%d)", ret);
	ret = mnt_mount(self, DAX_FS_EXT4, "dax=always");
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("ext4 with 1 KiB blocks, dax=always: mount gave %s, expected EINVAL (EXT4_FLAGS_BDEV_IS_DAX is not set, fs/ext4/super.c:4727-4745)",
		       strerror(-ret));
	if (!ret)
		ASSERT_EQ(0, mnt_umount(self));
	ret = mnt_mount(self, DAX_FS_EXT4, NULL);
	EXPECT_EQ(0, ret)
		TH_LOG("control: ext4 with 1 KiB blocks and no dax option does not mount: %s",
		       strerror(-ret));
}

/* A2: ext4 refuses dax=always with the inline_data feature (EINVAL) */
TEST_F(bare, ext4_always_inline_data_einval)
{
	char *mkfs[] = { "mkfs.ext4", "-F", "-q", "-b", "4096", "-O", "inline_data",
			 self->dev, NULL };
	int ret;

	NEED_DAX_DEVICE();
	ret = dax_run_tool(mkfs);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.ext4 -O inline_data failed (%d)", ret);
	ret = mnt_mount(self, DAX_FS_EXT4, "dax=always");
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("ext4 with inline_data, dax=always: mount gave %s, expected EINVAL (\"Cannot use DAX on a filesystem that may contain inline data\", fs/ext4/super.c:4734-4739)",
		       strerror(-ret));
	if (!ret)
		ASSERT_EQ(0, mnt_umount(self));
	ret = mnt_mount(self, DAX_FS_EXT4, "dax=inode");
	EXPECT_EQ(0, ret)
		TH_LOG("control: ext4 with inline_data and dax=inode does not mount: %s",
		       strerror(-ret));
}

/* A2: ext4 refuses dax=always together with data=journal (EINVAL) */
TEST_F(bare, ext4_always_data_journal_einval)
{
	int ret;

	NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkfs(DAX_FS_EXT4, self->dev, 0));
	ret = mnt_mount(self, DAX_FS_EXT4, "dax=always,data=journal");
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("ext4 dax=always,data=journal: mount gave %s, expected EINVAL (\"can't mount with both data=journal and dax\", fs/ext4/super.c:4995-4999)",
		       strerror(-ret));
	if (!ret)
		ASSERT_EQ(0, mnt_umount(self));

	/* Controls: each option alone mounts. */
	ret = mnt_mount(self, DAX_FS_EXT4, "data=journal");
	EXPECT_EQ(0, ret) TH_LOG("control: ext4 data=journal: %s", strerror(-ret));
	if (!ret)
		ASSERT_EQ(0, mnt_umount(self));
	ret = mnt_mount(self, DAX_FS_EXT4, "dax=always");
	EXPECT_EQ(0, ret) TH_LOG("control: ext4 dax=always: %s", strerror(-ret));
}

struct remount_case {
	const char *mount;	/* the options of the first mount, or NULL */
	const char *remount;	/* the options of the remount */
	int ext4_err;		/* what ext4 gives: 0 or -EINVAL */
	const char *shown;	/* the dax option /proc/mounts shows on ext4 */
	int xfs_s_dax;		/* S_DAX of a new -x file on XFS, mode unchanged */
	const char *xfs_shown;	/* the dax option /proc/mounts shows on XFS */
};

/*
 * ext4_check_opt_consistency(), fs/ext4/super.c:2818-2833: a dax option on
 * remount must name the mode the mount already has; for dax=inode, that
 * mode must have been asked for explicitly (EXT4_MOUNT2_DAX_INODE), which
 * mounting with no dax option does not do. ext4 shows dax=inode only when
 * it was explicit (fs/ext4/super.c:3044-3050); XFS shows only always and
 * never (xfs_super.c:179-180).
 */
static const struct remount_case remount_cases[] = {
	{ "dax=always", "dax=never",  -EINVAL, "dax=always", 1, "dax=always" },
	{ "dax=always", "dax=inode",  -EINVAL, "dax=always", 1, "dax=always" },
	{ "dax=always", "dax=always", 0,       "dax=always", 1, "dax=always" },
	{ "dax=never",  "dax=always", -EINVAL, "dax=never",  0, "dax=never" },
	{ "dax=never",  "dax=inode",  -EINVAL, "dax=never",  0, "dax=never" },
	{ "dax=never",  "dax=never",  0,       "dax=never",  0, "dax=never" },
	{ "dax=inode",  "dax=always", -EINVAL, "dax=inode",  0, "" },
	{ "dax=inode",  "dax=never",  -EINVAL, "dax=inode",  0, "" },
	{ "dax=inode",  "dax=inode",  0,       "dax=inode",  0, "" },
	{ NULL,         "dax=inode",  -EINVAL, "",           0, "" },
	{ NULL,         "dax=always", -EINVAL, "",           0, "" },
	{ NULL,         "dax=never",  -EINVAL, "",           0, "" },
};

/* A3: ext4 refuses a dax change on remount (EINVAL), even dax=inode over an implicit dax=inode */
TEST_F(bare, ext4_remount)
{
	const struct remount_case *c;
	char opt[64];
	size_t i;
	int ret;

	NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkfs(DAX_FS_EXT4, self->dev, 0));
	for (i = 0; i < sizeof(remount_cases) / sizeof(remount_cases[0]); i++) {
		c = &remount_cases[i];
		ret = mnt_mount(self, DAX_FS_EXT4, c->mount);
		ASSERT_EQ(0, ret) TH_LOG("ext4 %s: %s", c->mount ?: "no dax option",
					 strerror(-ret));
		ret = mnt_remount(self, c->remount);
		EXPECT_EQ(c->ext4_err, ret)
			TH_LOG("ext4 mounted with %s, remount with %s: %s, expected %s (ext4_check_opt_consistency(), fs/ext4/super.c:2818-2833)",
			       c->mount ?: "no dax option", c->remount,
			       ret ? strerror(-ret) : "success",
			       c->ext4_err ? strerror(-c->ext4_err) : "success");
		ASSERT_EQ(0, shown_dax_option(self->mnt, opt, sizeof(opt)));
		EXPECT_STREQ(c->shown, opt)
			TH_LOG("ext4 mounted with %s, after remount with %s /proc/mounts shows \"%s\", expected \"%s\"",
			       c->mount ?: "no dax option", c->remount, opt, c->shown);
		ASSERT_EQ(0, mnt_umount(self));
	}
}

/* A3: XFS accepts any dax option on remount (0) and keeps the mode it had */
TEST_F(bare, xfs_remount)
{
	const struct remount_case *c;
	char opt[64], name[32];
	size_t i;
	int ret;

	NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkfs(DAX_FS_XFS, self->dev, 0));
	for (i = 0; i < sizeof(remount_cases) / sizeof(remount_cases[0]); i++) {
		c = &remount_cases[i];
		ret = mnt_mount(self, DAX_FS_XFS, c->mount);
		ASSERT_EQ(0, ret) TH_LOG("xfs %s: %s", c->mount ?: "no dax option",
					 strerror(-ret));
		ret = mnt_remount(self, c->remount);
		EXPECT_EQ(0, ret)
			TH_LOG("xfs mounted with %s, remount with %s: %s, expected success (xfs_fs_reconfigure() ignores dax)",
			       c->mount ?: "no dax option", c->remount, strerror(-ret));
		ASSERT_EQ(0, shown_dax_option(self->mnt, opt, sizeof(opt)));
		EXPECT_STREQ(c->xfs_shown, opt)
			TH_LOG("xfs mounted with %s, after remount with %s /proc/mounts shows \"%s\", expected the old \"%s\"",
			       c->mount ?: "no dax option", c->remount, opt, c->xfs_shown);
		snprintf(name, sizeof(name), "file%zu", i);
		ret = new_file_s_dax(self, name);
		EXPECT_EQ(c->xfs_s_dax, ret)
			TH_LOG("xfs mounted with %s, after remount with %s a new -x file has S_DAX %d, expected %d: the mode must not change",
			       c->mount ?: "no dax option", c->remount, ret, c->xfs_s_dax);
		ASSERT_EQ(0, mnt_umount(self));
	}
}

/* ext4_check_opt_consistency(), fs/ext4/super.c:2813-2814 and :2822-2823. */
#define EXT4_DATAJ_DAX_MSG	"can't mount with both data=journal and dax"
#define EXT4_DAX_CHANGE_MSG	"can't change dax mount option while remounting"

struct other_remount_case {
	const char *mount;	/* a first mount with no dax option */
	const char *remount;	/* the dax option of the remount */
	int ext4_err;		/* what ext4 gives */
	const char *ext4_msg;	/* the kernel log line of ext4's refusal */
	const char *ext4_where;	/* the check of ext4 that refuses it */
	bool xfs;		/* the row runs on XFS too (XFS knows the option) */
};

/*
 * fstests ext4/053 (mnt_then_not_remount): a mount with another option and
 * no dax option, remounted with a dax option alone. The bare "dax" is
 * dax=always (Opt_dax, fs/ext4/super.c:2364-2367). Over data=journal,
 * "dax" and "dax=always" meet the data=journal check first
 * (fs/ext4/super.c:2811-2816); every other row is a dax change
 * (fs/ext4/super.c:2818-2833): the first mount's dax mode is the implicit
 * inode mode, which only an explicit dax=inode may repeat. XFS has no
 * data=journal; "lazytime" is a VFS flag (fs/fs_context.c:43).
 */
static const struct other_remount_case other_remount_cases[] = {
	{ "data=journal", "dax",        -EINVAL, EXT4_DATAJ_DAX_MSG,
	  "fs/ext4/super.c:2811-2816", false },
	{ "data=journal", "dax=always", -EINVAL, EXT4_DATAJ_DAX_MSG,
	  "fs/ext4/super.c:2811-2816", false },
	{ "data=journal", "dax=never",  -EINVAL, EXT4_DAX_CHANGE_MSG,
	  "fs/ext4/super.c:2825-2828", false },
	{ "data=journal", "dax=inode",  -EINVAL, EXT4_DAX_CHANGE_MSG,
	  "fs/ext4/super.c:2829-2833", false },
	{ "lazytime",     "dax",        -EINVAL, EXT4_DAX_CHANGE_MSG,
	  "fs/ext4/super.c:2818-2824", true },
};

/* A3: ext4 refuses a dax option on remount over data=journal or lazytime (EINVAL), and the mount stays as it was */
TEST_F(bare, ext4_remount_other_option)
{
	const struct other_remount_case *c;
	char opt[64], name[32];
	size_t i;
	int kmsg, ret;

	NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkfs(DAX_FS_EXT4, self->dev, 0));
	for (i = 0; i < sizeof(other_remount_cases) / sizeof(other_remount_cases[0]); i++) {
		c = &other_remount_cases[i];
		ret = mnt_mount(self, DAX_FS_EXT4, c->mount);
		ASSERT_EQ(0, ret) TH_LOG("ext4 %s: %s", c->mount, strerror(-ret));
		ASSERT_EQ(0, shown_option(self->mnt, c->mount, opt, sizeof(opt)));
		EXPECT_STREQ(c->mount, opt)
			TH_LOG("control: ext4 mounted with %s, /proc/mounts shows \"%s\" for it",
			       c->mount, opt);

		kmsg = kmsg_open_at_end();
		ASSERT_LE(0, kmsg) TH_LOG("open /dev/kmsg: %s", strerror(-kmsg));
		ret = mnt_remount(self, c->remount);
		EXPECT_EQ(c->ext4_err, ret)
			TH_LOG("ext4 mounted with %s, remount with %s: %s, expected %s (ext4_check_opt_consistency(), %s)",
			       c->mount, c->remount, ret ? strerror(-ret) : "success",
			       strerror(-c->ext4_err), c->ext4_where);
		ret = kmsg_find(kmsg, c->ext4_msg);
		close(kmsg);
		EXPECT_EQ(1, ret)
			TH_LOG("ext4 mounted with %s, remount with %s: the kernel log has no \"%s\" (%d), expected the refusal of ext4_check_opt_consistency(), %s",
			       c->mount, c->remount, c->ext4_msg, ret, c->ext4_where);

		ASSERT_EQ(0, shown_dax_option(self->mnt, opt, sizeof(opt)));
		EXPECT_STREQ("", opt)
			TH_LOG("ext4 mounted with %s, after remount with %s /proc/mounts shows \"%s\", expected no dax option: a refused remount changes nothing",
			       c->mount, c->remount, opt);
		ASSERT_EQ(0, shown_option(self->mnt, c->mount, opt, sizeof(opt)));
		EXPECT_STREQ(c->mount, opt)
			TH_LOG("ext4 mounted with %s, after remount with %s /proc/mounts shows \"%s\" for it: a refused remount changes nothing",
			       c->mount, c->remount, opt);
		snprintf(name, sizeof(name), "file%zu", i);
		ret = new_file_s_dax(self, name);
		EXPECT_EQ(0, ret)
			TH_LOG("ext4 mounted with %s, after remount with %s a new -x file has S_DAX %d, expected 0: the implicit dax=inode mode stays (ext4_should_enable_dax(), fs/ext4/inode.c:4622-4644)",
			       c->mount, c->remount, ret);
		ASSERT_EQ(0, mnt_umount(self));
	}
}

/* A3: XFS accepts the bare dax option on remount over lazytime (0) and keeps the mode it had */
TEST_F(bare, xfs_remount_other_option)
{
	const struct other_remount_case *c;
	char opt[64], name[32];
	size_t i;
	int ret;

	NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_mkfs(DAX_FS_XFS, self->dev, 0));
	for (i = 0; i < sizeof(other_remount_cases) / sizeof(other_remount_cases[0]); i++) {
		c = &other_remount_cases[i];
		if (!c->xfs)
			continue;
		ret = mnt_mount(self, DAX_FS_XFS, c->mount);
		ASSERT_EQ(0, ret) TH_LOG("xfs %s: %s", c->mount, strerror(-ret));
		ASSERT_EQ(0, shown_option(self->mnt, c->mount, opt, sizeof(opt)));
		EXPECT_STREQ(c->mount, opt)
			TH_LOG("control: xfs mounted with %s, /proc/mounts shows \"%s\" for it",
			       c->mount, opt);
		ret = mnt_remount(self, c->remount);
		EXPECT_EQ(0, ret)
			TH_LOG("xfs mounted with %s, remount with %s: %s, expected success (xfs_fs_reconfigure(), fs/xfs/xfs_super.c:1953-1996, ignores dax)",
			       c->mount, c->remount, strerror(-ret));
		ASSERT_EQ(0, shown_dax_option(self->mnt, opt, sizeof(opt)));
		EXPECT_STREQ("", opt)
			TH_LOG("xfs mounted with %s, after remount with %s /proc/mounts shows \"%s\", expected no dax option: the mode must not change",
			       c->mount, c->remount, opt);
		snprintf(name, sizeof(name), "file%zu", i);
		ret = new_file_s_dax(self, name);
		EXPECT_EQ(0, ret)
			TH_LOG("xfs mounted with %s, after remount with %s a new -x file has S_DAX %d, expected 0: the mode must not change (xfs_inode_should_enable_dax(), fs/xfs/xfs_iops.c:1232-1246)",
			       c->mount, c->remount, ret);
		ASSERT_EQ(0, mnt_umount(self));
	}
}

/*
 * The legacy bare "dax" option (ndctl's dax.sh mounts with -o dax) on a
 * filesystem with PAGE_SIZE blocks: the mount succeeds, /proc/mounts shows
 * dax=always and a new regular file without FS_XFLAG_DAX has S_DAX.
 * parse_where, show_where and s_dax_where name the kernel code of each
 * step, for the messages.
 */
static void check_bare_dax(struct __test_metadata *_metadata,
			   FIXTURE_DATA(bare) *self, enum dax_fs_type fs,
			   const char *parse_where, const char *show_where,
			   const char *s_dax_where)
{
	const char *name = dax_fs_name(fs);
	char opt[64];
	int ret;

	ret = dax_mkfs(fs, self->dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s with 4 KiB blocks failed (%d)", name, ret);
	ret = mnt_mount(self, fs, "dax");
	ASSERT_EQ(0, ret)
		TH_LOG("%s with PAGE_SIZE blocks on a DAX device, bare dax: mount gave %s, expected success as dax=always (%s)",
		       name, strerror(-ret), parse_where);
	ASSERT_EQ(0, shown_dax_option(self->mnt, opt, sizeof(opt)));
	EXPECT_STREQ("dax=always", opt)
		TH_LOG("%s, bare dax: /proc/mounts shows \"%s\", expected dax=always (%s)",
		       name, opt, show_where);
	ret = new_file_s_dax(self, "file");
	EXPECT_EQ(1, ret)
		TH_LOG("%s with PAGE_SIZE blocks on a DAX device, bare dax: a new -x file has S_DAX %d, expected 1 (%s; STATX_ATTR_DAX, fs/stat.c:158-159)",
		       name, ret, s_dax_where);
}

/* A1, A2: the legacy bare dax option on XFS is dax=always: it mounts, shows dax=always, new files get S_DAX */
TEST_F(bare, xfs_bare_dax_is_always)
{
	NEED_DAX_DEVICE();
	check_bare_dax(_metadata, self, DAX_FS_XFS,
		       "Opt_dax, xfs_fs_parse_param(), fs/xfs/xfs_super.c:1383-1385",
		       "xfs_fs_show_options(), fs/xfs/xfs_super.c:179",
		       "xfs_inode_should_enable_dax(), fs/xfs/xfs_iops.c:1241-1242");
}

/* A1, A2: the legacy bare dax option on ext4 is dax=always: it mounts, shows dax=always, new files get S_DAX */
TEST_F(bare, ext4_bare_dax_is_always)
{
	NEED_DAX_DEVICE();
	check_bare_dax(_metadata, self, DAX_FS_EXT4,
		       "Opt_dax, ext4_parse_param(), fs/ext4/super.c:2364-2367",
		       "_ext4_show_options(), fs/ext4/super.c:3042-3046, \"dax\" only for ext2",
		       "ext4_should_enable_dax(), fs/ext4/inode.c:4638-4641");
}

/* A2: ext4 refuses the bare dax option with 1 KiB blocks (EINVAL), as it refuses dax=always */
TEST_F(bare, ext4_bare_dax_small_blocks_einval)
{
	int kmsg, ret;

	NEED_DAX_DEVICE();
	ret = dax_mkfs(DAX_FS_EXT4, self->dev, 1024);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.ext4 -b 1024 failed (%d)", ret);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("open /dev/kmsg: %s", strerror(-kmsg));
	ret = mnt_mount(self, DAX_FS_EXT4, "dax");
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("ext4 with 1 KiB blocks, bare dax: mount gave %s, expected EINVAL as for dax=always (Opt_dax sets EXT4_MOUNT_DAX_ALWAYS, fs/ext4/super.c:2364-2367; EXT4_FLAGS_BDEV_IS_DAX is not set, fs/ext4/super.c:4727-4745)",
		       ret ? strerror(-ret) : "success");
	if (!ret)
		ASSERT_EQ(0, mnt_umount(self));
	ret = kmsg_find(kmsg, "DAX unsupported by block device.");
	close(kmsg);
	EXPECT_EQ(1, ret)
		TH_LOG("ext4 with 1 KiB blocks, bare dax: the kernel log has no \"DAX unsupported by block device.\" (%d), expected the refusal of fs/ext4/super.c:4740-4744",
		       ret);
	ret = mnt_mount(self, DAX_FS_EXT4, NULL);
	EXPECT_EQ(0, ret)
		TH_LOG("control: ext4 with 1 KiB blocks and no dax option does not mount: %s",
		       strerror(-ret));
}

TEST_HARNESS_MAIN
