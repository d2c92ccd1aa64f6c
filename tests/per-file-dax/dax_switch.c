// SPDX-License-Identifier: GPL-2.0
/*
 * dax_switch - S_DAX of an open file changes only after its last reference goes
 *
 * Behaviours A6 and A7 of the daxtest spec (generic/608). Changing
 * FS_XFLAG_DAX on a regular file under dax=inode (or no dax option) calls
 * d_mark_dontcache() (fs/xfs/xfs_ioctl.c:534-551,
 * fs/ext4/ioctl.c:548-561, fs/dcache.c:745): the ioctl succeeds at once,
 * never with EBUSY, and the stored flag changes at once, but S_DAX stays
 * as it is until the last reference to the inode goes. iput_final() then
 * writes the inode back and evicts it instead of caching it
 * (fs/inode.c:1848-1861), and the next lookup computes S_DAX afresh. A
 * mapping holds the file, so an mmap keeps the old mode until munmap.
 * Under dax=always and dax=never the flag changes but S_DAX never does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "fsdax_fixture.h"

#define FILE_SIZE	4096
#define DATA_SIZE	(16 * 4096)

/* Reclaims unused inodes as generic/608 does; skips if this process may not. */
#define DROP_INODES() do { \
	int _ret = dax_drop_inodes(); \
	if (_ret == -EACCES || _ret == -EPERM) \
		SKIP(return, "cannot write /proc/sys/vm/drop_caches: %s", \
		     strerror(-_ret)); \
	ASSERT_EQ(0, _ret) TH_LOG("drop_caches: %s", strerror(-_ret)); \
} while (0)

/* Sets FS_XFLAG_DAX to on while holder keeps the inode in use; checks S_DAX stays. */
static void set_flag_while_held(struct __test_metadata *_metadata,
				const FIXTURE_VARIANT(fsdax) *variant,
				int root, const char *path, bool on,
				const char *holder)
{
	int ret;

	ret = dax_xflag_set_at(root, path, on);
	ASSERT_EQ(0, ret)
		TH_LOG(FSDAX_CELL_FMT ": setting FS_XFLAG_DAX=%d while %s: %s; the ioctl never fails, it only marks the inode I_DONTCACHE",
		       FSDAX_CELL(variant), on, holder, strerror(-ret));
	ret = dax_s_dax(root, path);
	EXPECT_EQ(fsdax_expected(variant, !on), ret)
		TH_LOG(FSDAX_CELL_FMT ": FS_XFLAG_DAX set to %d while %s: S_DAX is already %d, expected the old %d until the last reference goes (d_mark_dontcache(), fs/dcache.c:745)",
		       FSDAX_CELL(variant), on, holder, ret, fsdax_expected(variant, !on));
}

/* Checks S_DAX after the last reference went, with FS_XFLAG_DAX now on. */
static void check_switched(struct __test_metadata *_metadata,
			   const FIXTURE_VARIANT(fsdax) *variant,
			   int root, const char *path, bool on, const char *released)
{
	int ret;

	ret = dax_s_dax(root, path);
	EXPECT_EQ(fsdax_expected(variant, on), ret)
		TH_LOG(FSDAX_CELL_FMT ": after %s, S_DAX with FS_XFLAG_DAX=%d is %d, expected %d: the inode is evicted (iput_final(), fs/inode.c:1848-1852) and %s decides again",
		       FSDAX_CELL(variant), released, on, ret, fsdax_expected(variant, on),
		       fsdax_s_dax_rule(variant));
}

/* A6: S_DAX flips only after the last reference goes (generic/608) */
TEST_F(fsdax, deferred_until_last_close)
{
	bool on;
	int fd, i, ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	ret = dax_s_dax(self->root, "file");
	ASSERT_EQ(variant->s_dax_unflagged, ret)
		TH_LOG("precondition: a new -x file has S_DAX %d, expected %d (A1)",
		       ret, variant->s_dax_unflagged);

	/* Set the flag, then clear it again: both directions are deferred. */
	for (i = 0; i < 2; i++) {
		on = i == 0;
		fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, fd);
		set_flag_while_held(_metadata, variant, self->root, "file", on,
				    "another fd has the file open");
		close(fd);
		check_switched(_metadata, variant, self->root, "file", on,
			       "the last close");
	}
}

/* A6: a mapping holds the file: S_DAX keeps the old mode after close until munmap */
TEST_F(fsdax, deferred_while_mapped)
{
	bool on;
	char *map;
	int fd, i;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));

	for (i = 0; i < 2; i++) {
		on = i == 0;
		fd = openat(self->root, "file", O_RDWR | O_CLOEXEC);
		ASSERT_LE(0, fd);
		map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
		close(fd);
		ASSERT_EQ('a', map[0]);

		set_flag_while_held(_metadata, variant, self->root, "file", on,
				    "the only user is a MAP_SHARED mapping of a closed fd");
		ASSERT_EQ(0, munmap(map, FILE_SIZE));
		check_switched(_metadata, variant, self->root, "file", on, "munmap");
	}
}

/* A6: in use, the flag changes at once and the ioctl never gives EBUSY; S_DAX waits */
TEST_F(fsdax, flag_changes_at_once)
{
	bool on, use_fl;
	char *map, c = 0;
	int fd, i, ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', FILE_SIZE));
	fd = openat(self->root, "file", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	map[0] = 'b';

	/* on, off, on, off, on; through FS_IOC_FSSETXATTR, then FS_IOC_SETFLAGS. */
	for (i = 0; i < 5; i++) {
		on = !(i % 2);
		use_fl = i >= 2;
		ret = use_fl ? dax_fl_set(fd, on) : dax_xflag_set(fd, on);
		ASSERT_EQ(0, ret)
			TH_LOG(FSDAX_CELL_FMT ": %s to %d on an open, mapped file: %s; expected success, never EBUSY",
			       FSDAX_CELL(variant),
			       use_fl ? "FS_IOC_SETFLAGS" : "FS_IOC_FSSETXATTR", on,
			       strerror(-ret));
		ret = dax_xflag_get(fd);
		EXPECT_EQ(on, ret)
			TH_LOG(FSDAX_CELL_FMT ": the stored flag reads %d right after setting it to %d",
			       FSDAX_CELL(variant), ret, on);
		ret = dax_s_dax(self->root, "file");
		EXPECT_EQ(variant->s_dax_unflagged, ret)
			TH_LOG(FSDAX_CELL_FMT ": S_DAX changed to %d while the file is open and mapped, expected %d until the last reference goes",
			       FSDAX_CELL(variant), ret, variant->s_dax_unflagged);
	}
	ASSERT_EQ(0, munmap(map, FILE_SIZE));
	close(fd);
	check_switched(_metadata, variant, self->root, "file", true,
		       "munmap and the last close");
	fd = openat(self->root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, pread(fd, &c, 1, 0));
	close(fd);
	EXPECT_EQ('b', c) TH_LOG("the store of 'b' through the mapping reads back as '%c'", c);
}

/* A7: unwritten buffered data survives the switch to DAX and drop_caches (generic/608) */
TEST_F(fsdax, buffered_data_survives_switch)
{
	int ret;

	FSDAX_NEED_DAX_DEVICE();
	/* write() without fsync: under dax=inode the data sits in the page cache. */
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'd', DATA_SIZE));
	ret = dax_xflag_set_at(self->root, "file", true);
	ASSERT_EQ(0, ret) TH_LOG("setting FS_XFLAG_DAX: %s", strerror(-ret));
	DROP_INODES();

	ret = dax_file_has(self->root, "file", 'd', DATA_SIZE);
	EXPECT_EQ(1, ret)
		TH_LOG(FSDAX_CELL_FMT ": data written before the switch is not all there after eviction and drop_caches (%d); iput_final() must write the inode back before evicting it (fs/inode.c:1861)",
		       FSDAX_CELL(variant), ret);
	check_switched(_metadata, variant, self->root, "file", true,
		       "close and drop_caches");
}

/* A7: data stored through a shared mapping survives the switch to DAX and drop_caches */
TEST_F(fsdax, mapped_data_survives_switch)
{
	char *map;
	int fd, ret;

	FSDAX_NEED_DAX_DEVICE();
	ASSERT_EQ(0, dax_create_file(self->root, "file", 'a', DATA_SIZE));
	fd = openat(self->root, "file", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, DATA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	memset(map, 'm', DATA_SIZE);
	ASSERT_EQ(0, munmap(map, DATA_SIZE));
	ret = dax_xflag_set(fd, true);
	ASSERT_EQ(0, ret) TH_LOG("setting FS_XFLAG_DAX: %s", strerror(-ret));
	close(fd);
	DROP_INODES();

	ret = dax_file_has(self->root, "file", 'm', DATA_SIZE);
	EXPECT_EQ(1, ret)
		TH_LOG(FSDAX_CELL_FMT ": stores made through a shared mapping before the switch are not all there after eviction and drop_caches (%d)",
		       FSDAX_CELL(variant), ret);
	check_switched(_metadata, variant, self->root, "file", true,
		       "munmap, close and drop_caches");
}

TEST_HARNESS_MAIN
