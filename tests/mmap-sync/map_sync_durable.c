// SPDX-License-Identifier: GPL-2.0
/*
 * map_sync_durable - stores through a MAP_SYNC mapping survive a log-less shutdown
 *
 * Behaviours C17 and C18a of the daxtest spec. A write fault on a
 * MAP_SYNC mapping whose iomap is IOMAP_F_DIRTY -- the block was just
 * allocated, or the inode has other metadata not yet on the log -- calls
 * vfs_fsync_range(datasync) before it inserts the page table entry
 * (dax_fault_is_synchronous(), fs/dax.c:855; dax_finish_sync_fault(),
 * fs/dax.c:1988). XFS sets IOMAP_F_DIRTY while the inode is pinned with
 * non-timestamp changes (fs/xfs/xfs_iomap.c:135), ext4 while the inode's
 * datasync transaction is not committed (fs/ext4/inode.c:3305). So once a
 * store returns, the block it went to, the file size and the extent
 * state are on the log, with no msync() or fsync(). DAX allocates zeroed
 * written extents (fs/xfs/xfs_iomap.c:275-291), never unwritten ones.
 *
 * The test: create a file, ftruncate() it to 2 MiB, map it, store a
 * pattern on every page, shut the filesystem down with NOLOGFLUSH (the
 * log in memory is thrown away), unmount, mount (log recovery), and check
 * the size, the contents, st_blocks and FIEMAP. A plain MAP_SHARED control
 * does the same and must lose something: nothing forced its file to the
 * log, so a shutdown that keeps all of it is not the crash the MAP_SYNC
 * cases need (their passing would prove nothing).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pmem_mnt.h"
#include "fiemap.h"
#include "fs_shutdown.h"

/*
 * 2 MiB at offset 0 of a 2 MiB-aligned mapping (thp_get_unmapped_area(),
 * VM_HUGEPAGE on DAX files: fs/xfs/xfs_file.c:1582,1601, fs/ext4/file.c:807,944):
 * the first store takes a PMD fault, which gets one 2 MiB extent and syncs
 * it once if the allocator finds 2 MiB of aligned free space; otherwise it
 * falls back to 512 PTE faults, each synced when it allocates. Both must
 * leave the same file behind.
 */
#define FILE_SIZE	(2 * MiB)
#define PAGE		4096UL
#define NR_PAGES	(FILE_SIZE / PAGE)

/* The byte stored on page i: never 0, which is what a lost page reads as. */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(i % 251 + 1);
}

/* What the file looks like after the remount. */
struct outcome {
	bool exists;
	off_t size;
	off_t allocated;	/* st_blocks * 512 */
	size_t pages_ok;	/* pages that hold their pattern */
	size_t extents;
	size_t unwritten;	/* extents with FIEMAP_EXTENT_UNWRITTEN */
	off_t mapped;		/* bytes covered by extents */
};

/* The extent totals of fd into o: 0 or -errno. */
static int fiemap_walk(int fd, struct outcome *o)
{
	struct fiemap_totals t;
	int ret = fiemap_totals(fd, &t);

	o->extents = t.extents;
	o->unwritten = t.unwritten;
	o->mapped = (off_t)t.mapped;
	return ret;
}

/* Counts the pages of fd that hold their pattern into o: 0 or -errno. */
static int count_pages(int fd, struct outcome *o)
{
	unsigned char buf[PAGE];
	size_t i, j;
	ssize_t n;

	for (i = 0; i < NR_PAGES; i++) {
		n = pread(fd, buf, PAGE, i * PAGE);
		if (n < 0)
			return -errno;
		if ((size_t)n < PAGE)
			return 0;
		for (j = 0; j < PAGE && buf[j] == pattern(i); j++)
			;
		o->pages_ok += j == PAGE;
	}
	return 0;
}

/* Looks at "file" after the remount. */
static void inspect(struct __test_metadata *_metadata, int root, struct outcome *o)
{
	struct stat st;
	int fd, ret;

	memset(o, 0, sizeof(*o));
	fd = openat(root, "file", O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return;
	ASSERT_LE(0, fd) TH_LOG("opening the file after the remount: %s", strerror(errno));
	o->exists = true;
	ASSERT_EQ(0, fstat(fd, &st));
	o->size = st.st_size;
	o->allocated = (off_t)st.st_blocks * 512;
	ret = count_pages(fd, o);
	EXPECT_EQ(0, ret) TH_LOG("reading the file back: %s", strerror(-ret));
	ret = fiemap_walk(fd, o);
	EXPECT_EQ(0, ret) TH_LOG("FS_IOC_FIEMAP: %s", strerror(-ret));
	close(fd);
}

FIXTURE(durable) {
	struct pmem_mnt m;
};

FIXTURE_VARIANT(durable) {
	enum dax_fs_type fs;
	const char *opts;
};

/*
 * ext4 commits its journal every 5 s by default; under TCG the stores can
 * take that long, and a commit before the shutdown would make the
 * MAP_SHARED control (and a kernel that forgot the MAP_SYNC fsync) look
 * durable. commit=300 leaves only what the fault itself commits. XFS
 * forces its log from the log worker every 30 s (fs.xfs.xfssyncd_centisecs).
 */
FIXTURE_VARIANT_ADD(durable, xfs_always) {
	.fs = DAX_FS_XFS, .opts = "dax=always",
};

FIXTURE_VARIANT_ADD(durable, ext4_always) {
	.fs = DAX_FS_EXT4, .opts = "dax=always,commit=300",
};

FIXTURE_SETUP(durable)
{
	pmem_mnt_setup(_metadata, &self->m, variant->fs, variant->opts, true);
}

FIXTURE_TEARDOWN_PARENT(durable)
{
	pmem_mnt_teardown(_metadata, &self->m);
}

/* What the file is before the stores. */
enum before_stores {
	SIZED,			/* created and ftruncate()d, nothing synced */
	SIZED_SYNCED,		/* the same, then fsync of the file and the root */
	FALLOCATED_SYNCED,	/* sized, fallocate()d (unwritten extents), synced */
};

/*
 * Steps 1-3 of C18a: create, size, map with flags, store the pattern on
 * every page, shut down with NOLOGFLUSH, unmount, mount again. With
 * SIZED_SYNCED the new file and its directory are fsync'd before the
 * mapping, so that only the block allocations of the stores are left for
 * the faults to commit; with FALLOCATED_SYNCED the blocks are allocated
 * too, as unwritten extents, and only their conversion is left.
 */
static void store_and_crash(struct __test_metadata *_metadata,
			    FIXTURE_DATA(durable) *self,
			    const FIXTURE_VARIANT(durable) *variant,
			    int flags, const char *flags_name, enum before_stores before)
{
	struct fiemap_totals t;
	unsigned char *map;
	size_t i;
	int fd, ret;

	fd = pmem_create_sized(self->m.root, "file", FILE_SIZE);
	ASSERT_LE(0, fd) TH_LOG("creating a 2 MiB file: %s", strerror(-fd));
	ret = dax_s_dax(self->m.root, "file");
	ASSERT_EQ(1, ret) TH_LOG("precondition: a new file under %s %s has no S_DAX",
				 dax_fs_name(variant->fs), variant->opts);
	if (before == FALLOCATED_SYNCED) {
		ASSERT_EQ(0, fallocate(fd, 0, 0, FILE_SIZE))
			TH_LOG("fallocate of 2 MiB: %s", strerror(errno));
		ret = fiemap_totals(fd, &t);
		ASSERT_EQ(0, ret) TH_LOG("FS_IOC_FIEMAP: %s", strerror(-ret));
		ASSERT_LT(0UL, t.unwritten)
			TH_LOG("precondition: after fallocate, FIEMAP shows no UNWRITTEN extent (%zu extents)",
			       t.extents);
	}
	if (before != SIZED) {
		ASSERT_EQ(0, fsync(fd)) TH_LOG("fsync: %s", strerror(errno));
		ASSERT_EQ(0, fsync(self->m.root)) TH_LOG("fsync of the root: %s",
							  strerror(errno));
	}

	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, flags, fd, 0);
	ASSERT_NE(MAP_FAILED, map)
		TH_LOG("mmap(%s) of a DAX file on %s: %s", flags_name, self->m.dev,
		       strerror(errno));
	for (i = 0; i < NR_PAGES; i++)
		memset(map + i * PAGE, pattern(i), PAGE);

	ret = fs_shutdown(fd, FS_SHUTDOWN_NOLOGFLUSH);
	ASSERT_EQ(0, ret) TH_LOG("shutdown ioctl _IOR('X',125,__u32) with NOLOGFLUSH: %s",
				 strerror(-ret));
	/* The shutdown took: writes fail (xfs_file_write_iter, ext4_file_write_iter). */
	errno = 0;
	EXPECT_EQ(-1, pwrite(fd, "x", 1, 0))
		TH_LOG("pwrite after the shutdown succeeded: the filesystem is not shut down");
	EXPECT_EQ(EIO, errno) TH_LOG("pwrite after the shutdown: %s, expected EIO",
				     strerror(errno));
	ASSERT_EQ(0, munmap(map, FILE_SIZE));
	close(fd);

	ret = pmem_mnt_umount(&self->m);
	ASSERT_EQ(0, ret) TH_LOG("umount after the shutdown: %s", strerror(-ret));
	ret = pmem_mnt_mount(&self->m);
	ASSERT_EQ(0, ret) TH_LOG("mount after the shutdown (log recovery): %s",
				 strerror(-ret));
}

#define DURABLE_FMT	"%s %s on %s, %s"
#define DURABLE_ARGS(v, self, f)	dax_fs_name((v)->fs), (v)->opts, (self)->m.dev, f

/* Checks that everything stored through the MAP_SYNC mapping is there. */
static void check_survived(struct __test_metadata *_metadata,
			   FIXTURE_DATA(durable) *self,
			   const FIXTURE_VARIANT(durable) *variant)
{
	const char *f = "MAP_SHARED_VALIDATE|MAP_SYNC";
	struct outcome o;

	inspect(_metadata, self->m.root, &o);
	ASSERT_TRUE(o.exists)
		TH_LOG(DURABLE_FMT ": the file is gone after the shutdown; the first MAP_SYNC write fault should have committed its creation (fs/dax.c:1988)",
		       DURABLE_ARGS(variant, self, f));
	EXPECT_EQ((off_t)FILE_SIZE, o.size)
		TH_LOG(DURABLE_FMT ": size %lld after the shutdown, expected %lu: the size is inode metadata the synchronous fault commits (IOMAP_F_DIRTY, %s)",
		       DURABLE_ARGS(variant, self, f), (long long)o.size, FILE_SIZE,
		       variant->fs == DAX_FS_XFS ? "fs/xfs/xfs_iomap.c:135" : "fs/ext4/inode.c:3305");
	EXPECT_EQ(NR_PAGES, o.pages_ok)
		TH_LOG(DURABLE_FMT ": %zu of %lu pages hold what was stored: a store through a MAP_SYNC mapping must be durable once it returns (dax_finish_sync_fault(), fs/dax.c:1988)",
		       DURABLE_ARGS(variant, self, f), o.pages_ok, NR_PAGES);
	EXPECT_LE((off_t)FILE_SIZE, o.allocated)
		TH_LOG(DURABLE_FMT ": st_blocks covers %lld bytes, expected at least %lu: the allocations were not committed",
		       DURABLE_ARGS(variant, self, f), (long long)o.allocated, FILE_SIZE);
	EXPECT_LE((off_t)FILE_SIZE, o.mapped)
		TH_LOG(DURABLE_FMT ": FIEMAP maps %lld bytes in %zu extents, expected at least %lu",
		       DURABLE_ARGS(variant, self, f), (long long)o.mapped, o.extents, FILE_SIZE);
	/* One 2 MiB extent suggests PMD faults, 512 small ones PTE faults. */
	TH_LOG(DURABLE_FMT ": recorded: %zu extent(s) after the remount",
	       DURABLE_ARGS(variant, self, f), o.extents);
	EXPECT_EQ(0UL, o.unwritten)
		TH_LOG(DURABLE_FMT ": %zu of %zu extents are UNWRITTEN: DAX faults allocate zeroed written extents (fs/xfs/xfs_iomap.c:275-291)",
		       DURABLE_ARGS(variant, self, f), o.unwritten, o.extents);
}

/* C17, C18a: MAP_SYNC stores with no msync survive a NOLOGFLUSH shutdown, as written extents */
TEST_F(durable, map_sync_survives_shutdown)
{
	store_and_crash(_metadata, self, variant, MAP_SHARED_VALIDATE | MAP_SYNC,
			"MAP_SHARED_VALIDATE|MAP_SYNC", SIZED);
	check_survived(_metadata, self, variant);
}

/*
 * C17: the same with the file and its size made durable first: then the
 * faults' own block allocations are all that is left for MAP_SYNC to
 * commit, and the contents, st_blocks and FIEMAP checks carry the test.
 */
TEST_F(durable, map_sync_allocations_survive)
{
	store_and_crash(_metadata, self, variant, MAP_SHARED_VALIDATE | MAP_SYNC,
			"MAP_SHARED_VALIDATE|MAP_SYNC", SIZED_SYNCED);
	check_survived(_metadata, self, variant);
}

/*
 * C17, C18a: MAP_SYNC stores into fallocated (unwritten) space survive a NOLOGFLUSH shutdown, as written extents.
 *
 * The file's blocks exist before the stores, as unwritten extents, and
 * are durable. A DAX write fault does not write into an unwritten extent:
 * XFS allocates over it as zeroed written blocks (imap_needs_alloc(),
 * fs/xfs/xfs_iomap.c:701-703), ext4 zeroes and converts it
 * (EXT4_GET_BLOCKS_CREATE_ZERO, ext4_iomap_alloc(), fs/ext4/inode.c:3380);
 * either is a metadata change the synchronous fault must commit. An
 * extent still unwritten after the remount reads as zeros.
 */
TEST_F(durable, map_sync_fallocated_survives)
{
	store_and_crash(_metadata, self, variant, MAP_SHARED_VALIDATE | MAP_SYNC,
			"MAP_SHARED_VALIDATE|MAP_SYNC", FALLOCATED_SYNCED);
	check_survived(_metadata, self, variant);
}

/*
 * C18a: negative control, plain MAP_SHARED. Nothing syncs the new file,
 * its size or its blocks, and nothing forces the log before the
 * NOLOGFLUSH shutdown (ext4 is mounted with commit=300; XFS's log worker
 * first runs 30 s after the mount), so the shutdown must lose some of it:
 * the file, or some of its pages. What survived is recorded.
 */
TEST_F(durable, map_shared_control)
{
	const char *f = "MAP_SHARED";
	struct outcome o;

	store_and_crash(_metadata, self, variant, MAP_SHARED, f, SIZED);
	inspect(_metadata, self->m.root, &o);
	if (!o.exists) {
		TH_LOG(DURABLE_FMT ": recorded: the file did not survive the shutdown",
		       DURABLE_ARGS(variant, self, f));
		return;
	}
	TH_LOG(DURABLE_FMT ": recorded: size %lld, %zu of %lu pages intact, %lld bytes allocated, %zu extents (%zu unwritten) mapping %lld bytes",
	       DURABLE_ARGS(variant, self, f), (long long)o.size, o.pages_ok, NR_PAGES,
	       (long long)o.allocated, o.extents, o.unwritten, (long long)o.mapped);
	EXPECT_GT(NR_PAGES, o.pages_ok)
		TH_LOG(DURABLE_FMT ": every page of a file nobody synced survived a NOLOGFLUSH shutdown: the shutdown flushed the log (XFS xfs_fs_goingdown(), ext4 ext4_shutdown()), so it is no crash and the MAP_SYNC cases prove nothing",
		       DURABLE_ARGS(variant, self, f));
}

TEST_HARNESS_MAIN
