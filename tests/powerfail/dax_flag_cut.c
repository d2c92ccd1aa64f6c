// SPDX-License-Identifier: GPL-2.0
/*
 * dax_flag_cut - per-file DAX flags made durable with fsync or syncfs survive a power cut
 *
 * Behaviours A4, A5, A6 and C18b of the daxtest spec, with the power really
 * cut (tests/common/powerfail.h), under dax=inode, where S_DAX follows the
 * persistent flag. FS_XFLAG_DAX set through FS_IOC_FSSETXATTR is inode
 * metadata: XFS logs it in xfs_ioctl_setattr_xflags() (fs/xfs/xfs_ioctl.c),
 * ext4 journals it in ext4_ioctl_setflags() (fs/ext4/ioctl.c), so an
 * fsync() of the file or a syncfs() afterwards makes it durable. A file
 * created in a directory that has the flag inherits it at creation (A5).
 * S_DAX itself is in-core state: it changes only when the inode is
 * evicted and read again (A6), and a fresh guest mounting the filesystem
 * after the cut reads every inode again, so S_DAX must follow whatever
 * flag is on disk: set where it was set and synced, clear where it was
 * cleared and synced. A flag set with no sync at all is the control: it
 * may or may not survive (recorded), but S_DAX must agree with what did.
 *
 * ext4 is mounted with commit=300 so that its journal does not commit by
 * itself during the prepare phase.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pf_fixture.h"

#define NR_PAGES	4UL
#define FILE_SIZE	(NR_PAGES * PAGE)
#define TAG		0

FIXTURE(fcut) {
	struct pf_mnt m;
};

FIXTURE_VARIANT(fcut) {
	enum dax_fs_type fs;
	const char *opts;
};

FIXTURE_VARIANT_ADD(fcut, xfs_inode) {
	.fs = DAX_FS_XFS, .opts = "dax=inode",
};

FIXTURE_VARIANT_ADD(fcut, ext4_inode) {
	.fs = DAX_FS_EXT4, .opts = "dax=inode,commit=300",
};

FIXTURE_SETUP(fcut)
{
	pf_setup(_metadata, &self->m, variant->fs, PF_MKFS_PLAIN, variant->opts);
}

FIXTURE_TEARDOWN_PARENT(fcut)
{
	pf_teardown(_metadata, &self->m);
}

/* Creates dirfd/path with FILE_SIZE bytes of the pattern, fsync'd: the fd (read-write). */
static int make_file(struct __test_metadata *_metadata, struct pf_mnt *m, int dirfd,
		     const char *path)
{
	unsigned char buf[PAGE];
	size_t i;
	int fd;

	fd = openat(dirfd, path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd) TH_LOG("creating %s: %s", path, strerror(errno));
	for (i = 0; i < NR_PAGES; i++) {
		pf_fill(m, TAG, buf, PAGE, i * PAGE);
		ASSERT_EQ((ssize_t)PAGE, pwrite(fd, buf, PAGE, i * PAGE))
			TH_LOG("pwrite of page %zu of %s: %s", i, path, strerror(errno));
	}
	ASSERT_EQ(0, fsync(fd)) TH_LOG("fsync of %s: %s", path, strerror(errno));
	ASSERT_EQ(0, fsync(dirfd)) TH_LOG("fsync of the directory of %s: %s", path,
					  strerror(errno));
	return fd;
}

/* Checks that dirfd/path still holds its data after the cut (it was fsync'd). */
static void check_data(struct __test_metadata *_metadata, struct pf_mnt *m, int dirfd,
		       const char *path)
{
	int fd, st = PF_PAGE_TAG;
	size_t i;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd)
		TH_LOG(PF_FMT ": after the power cut, %s (written and fsync'd with its directory) cannot be opened: %s",
		       PF_ARGS(m), path, strerror(errno));
	for (i = 0; i < NR_PAGES && st == PF_PAGE_TAG; i++) {
		st = pf_page_state(m, fd, i, TAG, TAG);
		ASSERT_LE(0, st) TH_LOG("reading page %zu of %s: %s", i, path, strerror(-st));
	}
	EXPECT_EQ(PF_PAGE_TAG, st)
		TH_LOG(PF_FMT ": after the power cut, page %zu of %s (written and fsync'd) is %s, not the data written",
		       PF_ARGS(m), i - 1, path,
		       st == PF_PAGE_ZERO ? "zeros" : st == PF_PAGE_SHORT ? "beyond EOF" : "other data");
	close(fd);
}

/* Checks FS_XFLAG_DAX and S_DAX of dirfd/path after the cut; is_dir: S_DAX is always 0. */
static void check_flag(struct __test_metadata *_metadata, struct pf_mnt *m, int dirfd,
		       const char *path, bool flag, bool is_dir, const char *why)
{
	int ret;

	ret = dax_xflag_get_at(dirfd, path);
	ASSERT_LE(0, ret) TH_LOG("FS_IOC_FSGETXATTR on %s: %s", path, strerror(-ret));
	EXPECT_EQ(flag, ret)
		TH_LOG(PF_FMT ": after the power cut, %s has FS_XFLAG_DAX %d, expected %d: %s",
		       PF_ARGS(m), path, ret, flag, why);
	ret = dax_s_dax(dirfd, path);
	ASSERT_LE(0, ret) TH_LOG("statx of %s: %s", path, strerror(-ret));
	EXPECT_EQ(flag && !is_dir, ret)
		TH_LOG(PF_FMT ": after the power cut, %s has S_DAX (STATX_ATTR_DAX) %d, expected %d: %s",
		       PF_ARGS(m), path, ret, flag && !is_dir,
		       is_dir ? "directories never report DAX (A1)" :
		       "under dax=inode S_DAX follows the flag of the inode read from disk (A1, A6)");
}

/*
 * A4, A6, C18b: FS_XFLAG_DAX set on a file and fsync'd survives a power cut; S_DAX follows after the remount.
 *
 * S_DAX does not change while the file is open (A6); the fresh mount
 * reads the inode with the flag.
 */
TEST_F(fcut, file_flag_fsync)
{
	int fd, ret;

	if (self->m.phase == POWERFAIL_PREPARE) {
		fd = make_file(_metadata, &self->m, self->m.root, "f");
		ASSERT_EQ(0, dax_s_dax(self->m.root, "f"))
			TH_LOG(PF_FMT ": precondition: a new file in a root without the flag has S_DAX",
			       PF_ARGS(&self->m));
		ret = dax_xflag_set(fd, true);
		ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": setting FS_XFLAG_DAX on f: %s",
					 PF_ARGS(&self->m), strerror(-ret));
		ASSERT_EQ(1, dax_xflag_get(fd));
		ASSERT_EQ(0, fsync(fd)) TH_LOG("fsync of f: %s", strerror(errno));
		TH_LOG(PF_FMT ": recorded: S_DAX of f with the flag set and the file open: %d",
		       PF_ARGS(&self->m), dax_s_dax(self->m.root, "f"));
		pf_cut(_metadata, "flag set on f, fsync");
		return;
	}
	check_flag(_metadata, &self->m, self->m.root, "f", true, false,
		   "fsync() after FS_IOC_FSSETXATTR returned 0, so the flag must be on stable storage");
	check_data(_metadata, &self->m, self->m.root, "f");
}

/*
 * A4, A5, C18b: FS_XFLAG_DAX on a directory, and on a file created in it, survive a power cut after syncfs.
 *
 * The directory's flag, set after mkdir, and the flag its new file
 * inherited are made durable by syncfs(); after the cut a file created
 * in the directory inherits the flag again, from the inode read from disk.
 */
TEST_F(fcut, dir_flag_syncfs)
{
	int d, fd, ret;

	if (self->m.phase == POWERFAIL_PREPARE) {
		ret = dax_mkdir(self->m.root, "d", true);
		ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": mkdir d and setting FS_XFLAG_DAX on it: %s",
					 PF_ARGS(&self->m), strerror(-ret));
		d = openat(self->m.root, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ASSERT_LE(0, d) TH_LOG("open d: %s", strerror(errno));
		fd = make_file(_metadata, &self->m, d, "f");
		ASSERT_EQ(1, dax_xflag_get(fd))
			TH_LOG(PF_FMT ": precondition: d/f did not inherit FS_XFLAG_DAX from d (A5)",
			       PF_ARGS(&self->m));
		ASSERT_EQ(1, dax_s_dax(d, "f"))
			TH_LOG(PF_FMT ": precondition: d/f, created with the flag, has no S_DAX",
			       PF_ARGS(&self->m));
		ASSERT_EQ(0, syncfs(self->m.root)) TH_LOG("syncfs: %s", strerror(errno));
		pf_cut(_metadata, "flag on d and d/f, syncfs");
		return;
	}
	d = openat(self->m.root, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, d)
		TH_LOG(PF_FMT ": after the power cut, the directory d (synced with syncfs) cannot be opened: %s",
		       PF_ARGS(&self->m), strerror(errno));
	check_flag(_metadata, &self->m, self->m.root, "d", true, true,
		   "syncfs() after FS_IOC_FSSETXATTR returned 0, so the directory's flag must be on stable storage");
	check_flag(_metadata, &self->m, d, "f", true, false,
		   "the file inherited the flag at creation (A5) and syncfs() returned 0");
	check_data(_metadata, &self->m, d, "f");

	fd = openat(d, "g", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd) TH_LOG("creating d/g after the power cut: %s", strerror(errno));
	EXPECT_EQ(1, dax_xflag_get(fd))
		TH_LOG(PF_FMT ": after the power cut, a new file in d does not inherit FS_XFLAG_DAX from it (A5)",
		       PF_ARGS(&self->m));
	EXPECT_EQ(1, dax_s_dax(d, "g"))
		TH_LOG(PF_FMT ": after the power cut, a new file in d has no S_DAX though d has the flag (A1, A5)",
		       PF_ARGS(&self->m));
	close(fd);
	close(d);
}

/*
 * A4, A6, C18b: FS_XFLAG_DAX cleared on a file and fsync'd stays cleared after a power cut.
 *
 * The file inherited the flag from its directory and had S_DAX; the
 * clear, not the creation, is the last thing synced.
 */
TEST_F(fcut, file_flag_clear_fsync)
{
	int d, fd, ret;

	if (self->m.phase == POWERFAIL_PREPARE) {
		ret = dax_mkdir(self->m.root, "d", true);
		ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": mkdir d and setting FS_XFLAG_DAX on it: %s",
					 PF_ARGS(&self->m), strerror(-ret));
		ASSERT_EQ(0, fsync(self->m.root)) TH_LOG("fsync of the root: %s", strerror(errno));
		d = openat(self->m.root, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ASSERT_LE(0, d) TH_LOG("open d: %s", strerror(errno));
		fd = make_file(_metadata, &self->m, d, "f");
		ASSERT_EQ(1, dax_s_dax(d, "f"))
			TH_LOG(PF_FMT ": precondition: d/f, created in a directory with the flag, has no S_DAX",
			       PF_ARGS(&self->m));
		ret = dax_xflag_set(fd, false);
		ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": clearing FS_XFLAG_DAX on d/f: %s",
					 PF_ARGS(&self->m), strerror(-ret));
		ASSERT_EQ(0, dax_xflag_get(fd));
		ASSERT_EQ(0, fsync(fd)) TH_LOG("fsync of d/f: %s", strerror(errno));
		pf_cut(_metadata, "flag cleared on d/f, fsync");
		return;
	}
	d = openat(self->m.root, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, d)
		TH_LOG(PF_FMT ": after the power cut, the directory d (fsync'd) cannot be opened: %s",
		       PF_ARGS(&self->m), strerror(errno));
	check_flag(_metadata, &self->m, d, "f", false, false,
		   "fsync() after clearing the flag returned 0, so the clear must be on stable storage");
	check_data(_metadata, &self->m, d, "f");
	close(d);
}

/*
 * A4, A6, C18b: negative control, FS_XFLAG_DAX set on a file with no sync.
 *
 * The flag may or may not survive (recorded); S_DAX must agree with the
 * flag that did, and the data, fsync'd before, must be intact.
 */
TEST_F(fcut, flag_control)
{
	int fd, ret;

	if (self->m.phase == POWERFAIL_PREPARE) {
		fd = make_file(_metadata, &self->m, self->m.root, "f");
		ret = dax_xflag_set(fd, true);
		ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": setting FS_XFLAG_DAX on f: %s",
					 PF_ARGS(&self->m), strerror(-ret));
		pf_cut(_metadata, "flag set on f, no sync");
		return;
	}
	ret = dax_xflag_get_at(self->m.root, "f");
	ASSERT_LE(0, ret) TH_LOG("FS_IOC_FSGETXATTR on f: %s", strerror(-ret));
	TH_LOG(PF_FMT ": recorded: FS_XFLAG_DAX set with no sync is %s after the power cut (either is allowed)",
	       PF_ARGS(&self->m), ret ? "set" : "lost");
	check_flag(_metadata, &self->m, self->m.root, "f", ret, false,
		   "S_DAX must follow the flag that survived");
	check_data(_metadata, &self->m, self->m.root, "f");
}

TEST_HARNESS_MAIN
