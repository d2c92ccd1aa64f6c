// SPDX-License-Identifier: GPL-2.0
/*
 * reflink_mount - XFS with reflink mounts dax=always on a whole pmem disk, not on a partition
 *
 * Behaviour B9 of the daxtest spec. xfs_setup_dax_always()
 * (fs/xfs/xfs_super.c:333-361) refuses a dax=always mount of a
 * filesystem with reflink on a partition, with EINVAL and "DAX and
 * reflink cannot work with multi-partitions!" (xfs_super.c:350-355): the
 * dax_device belongs to the whole disk, and its notify_failure holder
 * cannot tell partitions apart. On the whole disk the mount works and the
 * files get S_DAX. dax=inode does no such check, and without reflink the
 * same partition mounts dax=always, so the refusal is about reflink.
 *
 * The partition is made here: an MBR written to sector 0 with pwrite() and
 * BLKRRPART (CONFIG_MSDOS_PARTITION); the partition starts at sector 2048,
 * so fs_dax_get_by_bdev() accepts its alignment (drivers/dax/super.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "dax_fs.h"
#include "kmsg_find.h"
#include "reflink_fs.h"

#define SECTOR		512
#define PART_START	2048ULL			/* sectors: 1 MiB, page aligned */
#define PART_MAX	(1024ULL * 1024)	/* sectors: 512 MiB, above mkfs.xfs's minimum */
#define PART_WAIT_MS	5000
#define MULTI_PART_MSG	"DAX and reflink cannot work with multi-partitions!"

FIXTURE(rlmount) {
	char dev[256];		/* the whole disk */
	char part[272];		/* its first partition, once made */
	char mnt[64];
	bool mounted;
	bool partitioned;	/* this test wrote an MBR to dev */
};

FIXTURE_SETUP(rlmount)
{
	const char *dev = self->dev;
	char why[128];
	int ret;

	ret = dax_cell_device(self->dev, sizeof(self->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	ASSERT_LE(0, ret) TH_LOG("cannot read queue/dax of %s: %s", dev, strerror(-ret));
	DAX_CELL_NEED_DAX(dev, ret, "dax=always is turned off there, not refused");
	snprintf(self->mnt, sizeof(self->mnt), "/tmp/daxtest-rlm.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));
}

/* Writes sector 0 of fd: zeros, plus one Linux partition [start, start + count) if count. */
static int write_mbr(int fd, uint32_t start, uint32_t count)
{
	unsigned char mbr[SECTOR] = { 0 };
	unsigned char *e = mbr + 446;	/* the first partition entry */
	int i;

	if (count) {
		e[1] = 0xfe; e[2] = 0xff; e[3] = 0xff;	/* CHS: use the LBA fields */
		e[4] = 0x83;				/* Linux */
		e[5] = 0xfe; e[6] = 0xff; e[7] = 0xff;
		for (i = 0; i < 4; i++) {
			e[8 + i] = start >> (8 * i);
			e[12 + i] = count >> (8 * i);
		}
		mbr[510] = 0x55;
		mbr[511] = 0xaa;
	}
	if (pwrite(fd, mbr, SECTOR, 0) != SECTOR)
		return -errno;
	if (fsync(fd))
		return -errno;
	if (ioctl(fd, BLKRRPART))
		return -errno;
	return 0;
}

/* Writes an MBR with one partition over the whole disk dev: 0 or -errno. */
static int make_partition(const char *dev)
{
	unsigned long long bytes, count;
	int fd, ret;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, BLKGETSIZE64, &bytes)) {
		ret = -errno;
		goto out;
	}
	count = (bytes / SECTOR - PART_START) & ~7ULL;
	if (count > PART_MAX)
		count = PART_MAX;
	ret = write_mbr(fd, PART_START, count);
out:
	close(fd);
	return ret;
}

/* Zeros the MBR and rereads it: the disk has no partitions any more. */
static int remove_partitions(const char *dev)
{
	int fd, ret;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write_mbr(fd, 0, 0);
	close(fd);
	return ret;
}

/* Waits for the node of path to appear (devtmpfs): 0 or -ENOENT. */
static int wait_for_node(const char *path)
{
	struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
	struct stat st;
	int i;

	for (i = 0; i < PART_WAIT_MS / 10; i++) {
		if (!stat(path, &st) && S_ISBLK(st.st_mode))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ENOENT;
}

/*
 * Makes partition 1 on the fixture's disk and an XFS on it, with or
 * without reflink; skips if the kernel does not make the partition.
 */
#define MAKE_PARTITION_FS(reflink) do { \
	int _ret = make_partition(self->dev); \
	self->partitioned = true; \
	if (_ret == -EINVAL || _ret == -ENOTTY) \
		SKIP(return, "BLKRRPART on %s gave %s: this disk takes no partitions", \
		     self->dev, strerror(-_ret)); \
	ASSERT_EQ(0, _ret) TH_LOG("writing an MBR to %s and rereading it: %s", \
				  self->dev, strerror(-_ret)); \
	snprintf(self->part, sizeof(self->part), "%sp1", self->dev); \
	if (wait_for_node(self->part)) \
		SKIP(return, "no %s after writing an MBR and BLKRRPART: the kernel found no msdos partition table (CONFIG_MSDOS_PARTITION?)", \
		     self->part); \
	_ret = reflink_mkfs_xfs(self->part, (reflink)); \
	ASSERT_EQ(0, _ret) TH_LOG("mkfs.xfs -m reflink=%d on %s failed (%d)", \
				  (reflink), self->part, _ret); \
} while (0)

/* Mounts dev as XFS with mode on the fixture's directory: 0 or -errno. */
static int mount_xfs(FIXTURE_DATA(rlmount) *self, const char *dev,
		     enum dax_mount_mode mode)
{
	int ret = dax_mount(DAX_FS_XFS, dev, self->mnt, mode);

	self->mounted = !ret;
	return ret;
}

/* Creates "file" on the mounted filesystem: its S_DAX, or -errno. */
static int new_file_s_dax(FIXTURE_DATA(rlmount) *self)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/file", self->mnt);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return dax_s_dax(AT_FDCWD, path);
}

/* A parent teardown, for the reason tests/per-file-dax/fsdax_fixture.h gives. */
FIXTURE_TEARDOWN_PARENT(rlmount)
{
	int ret = 0;

	if (self->mounted)
		ret = dax_umount(self->mnt);
	EXPECT_EQ(0, ret) TH_LOG("umount %s: %s", self->mnt, strerror(-ret));
	if (self->partitioned) {
		ret = remove_partitions(self->dev);
		EXPECT_EQ(0, ret) TH_LOG("removing the partition table of %s: %s",
					 self->dev, strerror(-ret));
	}
	ret = rmdir(self->mnt) ? -errno : 0;
	EXPECT_EQ(0, ret) TH_LOG("rmdir %s: %s", self->mnt, strerror(-ret));
}

/* B9: reflink + dax=always on a whole pmem disk mounts, files get S_DAX and clone */
TEST_F(rlmount, whole_disk_always)
{
	char a[128], b[128];
	int fa, fb, ret;

	ret = reflink_mkfs_xfs(self->dev, true);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.xfs -m reflink=1 on %s failed (%d)", self->dev, ret);
	ret = mount_xfs(self, self->dev, DAX_MOUNT_ALWAYS);
	ASSERT_EQ(0, ret)
		TH_LOG("mounting XFS with reflink dax=always on the whole disk %s: %s, expected success (the partition check of xfs_super.c:350-355 is not met)",
		       self->dev, strerror(-ret));
	ret = new_file_s_dax(self);
	EXPECT_EQ(1, ret)
		TH_LOG("a new file on XFS with reflink, dax=always, whole disk: S_DAX %d, expected 1 (DAX is not turned off for reflink since 6.1's \"xfs: remove restrictions for fsdax and reflink\")",
		       ret);
	snprintf(a, sizeof(a), "%s/file", self->mnt);
	snprintf(b, sizeof(b), "%s/clone", self->mnt);
	fa = open(a, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fa);
	fb = open(b, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, reflink_write_pattern(fa, 0, 4096, 1, 0));
	ret = reflink_clone(fa, fb);
	EXPECT_EQ(0, ret) TH_LOG("FICLONE on the mounted filesystem: %s", strerror(-ret));
	close(fa);
	close(fb);
}

/* B9: reflink + dax=always on a partition: EINVAL and "cannot work with multi-partitions" */
TEST_F(rlmount, partition_always_refused)
{
	int kmsg, ret;

	MAKE_PARTITION_FS(true);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("open /dev/kmsg: %s", strerror(-kmsg));
	ret = mount_xfs(self, self->part, DAX_MOUNT_ALWAYS);
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG("mounting XFS with reflink dax=always on the partition %s: %s, expected EINVAL (xfs_setup_dax_always(), fs/xfs/xfs_super.c:350-355)",
		       self->part, ret ? strerror(-ret) : "success");
	ret = kmsg_find(kmsg, MULTI_PART_MSG);
	EXPECT_EQ(1, ret)
		TH_LOG("the kernel log has no \"%s\" from the refused mount (%d): it was refused for another reason",
		       MULTI_PART_MSG, ret);
	close(kmsg);
}

/* B9: dax=inode does no partition check: reflink on a partition mounts */
TEST_F(rlmount, partition_inode_mounts)
{
	int ret;

	MAKE_PARTITION_FS(true);
	ret = mount_xfs(self, self->part, DAX_MOUNT_INODE);
	EXPECT_EQ(0, ret)
		TH_LOG("mounting XFS with reflink dax=inode on the partition %s: %s, expected success: only dax=always checks for partitions (xfs_super.c:1736-1737)",
		       self->part, strerror(-ret));
}

/* B9: control, without reflink the same partition mounts dax=always and files get S_DAX */
TEST_F(rlmount, partition_no_reflink_always)
{
	int ret;

	MAKE_PARTITION_FS(false);
	ret = mount_xfs(self, self->part, DAX_MOUNT_ALWAYS);
	ASSERT_EQ(0, ret)
		TH_LOG("mounting XFS without reflink dax=always on the partition %s: %s, expected success",
		       self->part, strerror(-ret));
	ret = new_file_s_dax(self);
	EXPECT_EQ(1, ret)
		TH_LOG("a new file on XFS without reflink, dax=always, on the partition %s: S_DAX %d, expected 1: the partition is page aligned, so it has DAX",
		       self->part, ret);
}

TEST_HARNESS_MAIN
