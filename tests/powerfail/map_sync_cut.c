// SPDX-License-Identifier: GPL-2.0
/*
 * map_sync_cut - MAP_SYNC stores, fsync'd write()s and msync'd stores survive a power cut
 *
 * Behaviours C17 and C18b of the daxtest spec, with the power really cut:
 * the prepare phase writes, prints its checkpoint and the host kills QEMU
 * (no unmount, no flush of anything); the verify phase mounts the same
 * pmem in a fresh guest (log recovery) and looks.
 *
 * A write fault on a MAP_SYNC mapping whose iomap is IOMAP_F_DIRTY -- the
 * block was just allocated, or the inode has other metadata not yet on
 * the log -- calls vfs_fsync_range(datasync) before it inserts the page
 * table entry (dax_fault_is_synchronous(), fs/dax.c:855;
 * dax_finish_sync_fault(), fs/dax.c:1988). XFS sets IOMAP_F_DIRTY while
 * the inode is pinned with non-timestamp changes (fs/xfs/xfs_iomap.c:135),
 * ext4 while the inode's datasync transaction is not committed
 * (fs/ext4/inode.c:3305). So once a store returns, the file, its size and
 * the block it went to are on the log, with no msync() or fsync(); and
 * DAX allocates zeroed written extents (fs/xfs/xfs_iomap.c:275-291), never
 * unwritten ones. The data itself is in the CPU cache until written back:
 * the program does that as PMDK does (clwb of every line, then sfence:
 * pmem_persist()). Under daxtest's persistence model (--crash-model
 * strict, plugin/) the verify phase sees only what was written back and
 * fenced; a control stores through MAP_SYNC without flushing and, under
 * that model, must lose its data while the file, its size and its blocks
 * survive.
 *
 * The same file written with write() and fsync(), or through a plain
 * MAP_SHARED mapping and msync(MS_SYNC), must be as intact. A plain
 * MAP_SHARED mapping with neither is the control: what survives there is
 * recorded, not checked, but the filesystem must still mount and fsck
 * clean. ext4 is mounted with commit=300 so that its journal does not
 * commit by itself during the prepare phase (the default is every 5 s);
 * XFS's log worker forces the log every 30 s (fs.xfs.xfssyncd_centisecs),
 * longer than a prepare phase lasts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pf_fixture.h"
#include "fiemap.h"
#include "pmem_persist.h"

/*
 * 2 MiB at offset 0 of a 2 MiB-aligned mapping: the first store takes a
 * PMD fault if the allocator finds 2 MiB of aligned free space, otherwise
 * 512 PTE faults, each synced when it allocates. Both must leave the same
 * file behind.
 */
#define FILE_SIZE	(2 * MiB)
#define NR_PAGES	(FILE_SIZE / PAGE)
#define TAG		0	/* the pattern every case writes */

/* What "file" looks like after the power cut. */
struct outcome {
	bool exists;
	off_t size;
	off_t allocated;	/* st_blocks * 512 */
	int state[NR_PAGES];	/* enum pf_page of every page */
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

/* Looks at "file" after the cut. */
static void inspect(struct __test_metadata *_metadata, struct pf_mnt *m,
		    struct outcome *o)
{
	struct stat st;
	size_t i;
	int fd, ret;

	memset(o, 0, sizeof(*o));
	fd = openat(m->root, "file", O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return;
	ASSERT_LE(0, fd) TH_LOG("opening the file after the power cut: %s", strerror(errno));
	o->exists = true;
	ASSERT_EQ(0, fstat(fd, &st));
	o->size = st.st_size;
	o->allocated = (off_t)st.st_blocks * 512;
	for (i = 0; i < NR_PAGES; i++) {
		ret = pf_page_state(m, fd, i, TAG, TAG);
		ASSERT_LE(0, ret) TH_LOG("reading page %zu back: %s", i, strerror(-ret));
		o->state[i] = ret;
		o->pages_ok += ret == PF_PAGE_TAG;
	}
	ret = fiemap_walk(fd, o);
	EXPECT_EQ(0, ret) TH_LOG("FS_IOC_FIEMAP: %s", strerror(-ret));
	close(fd);
}

/* TH_LOGs which pages came back as what. */
static void log_pages(struct __test_metadata *_metadata, struct pf_mnt *m,
		      const struct outcome *o, const char *how)
{
	char ok[128], zero[128], mixed[128], gone[128];

	TH_LOG(PF_FMT ", %s: pages holding what was stored: %s; zero: %s; other data: %s; beyond EOF: %s",
	       PF_ARGS(m), how,
	       pf_page_ranges(o->state, NR_PAGES, PF_PAGE_TAG, ok, sizeof(ok)),
	       pf_page_ranges(o->state, NR_PAGES, PF_PAGE_ZERO, zero, sizeof(zero)),
	       pf_page_ranges(o->state, NR_PAGES, PF_PAGE_MIXED, mixed, sizeof(mixed)),
	       pf_page_ranges(o->state, NR_PAGES, PF_PAGE_SHORT, gone, sizeof(gone)));
}

FIXTURE(cut) {
	struct pf_mnt m;
};

FIXTURE_VARIANT(cut) {
	enum dax_fs_type fs;
	const char *opts;
};

FIXTURE_VARIANT_ADD(cut, xfs_always) {
	.fs = DAX_FS_XFS, .opts = "dax=always",
};

FIXTURE_VARIANT_ADD(cut, ext4_always) {
	.fs = DAX_FS_EXT4, .opts = "dax=always,commit=300",
};

FIXTURE_SETUP(cut)
{
	pf_setup(_metadata, &self->m, variant->fs, PF_MKFS_PLAIN, variant->opts);
}

FIXTURE_TEARDOWN_PARENT(cut)
{
	pf_teardown(_metadata, &self->m);
}

/*
 * Creates "file" (presync: and makes its name durable with an fsync of
 * the root, so that only the size and the blocks are left to the
 * workload), sizes it to FILE_SIZE and checks it has S_DAX: the fd.
 */
static int create_file(struct __test_metadata *_metadata, struct pf_mnt *m,
		       bool presync, bool sized)
{
	int fd, ret;

	fd = openat(m->root, "file", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd) TH_LOG("creating the file: %s", strerror(errno));
	if (presync)
		ASSERT_EQ(0, fsync(m->root)) TH_LOG("fsync of the root: %s", strerror(errno));
	if (sized)
		ASSERT_EQ(0, ftruncate(fd, FILE_SIZE))
			TH_LOG("ftruncate to 2 MiB: %s", strerror(errno));
	ret = dax_s_dax(m->root, "file");
	ASSERT_EQ(1, ret) TH_LOG(PF_FMT ": precondition: the new file has S_DAX %d, expected 1",
				 PF_ARGS(m), ret);
	return fd;
}

/* What the prepare phase does after its stores. */
enum after_stores {
	STORES_ONLY,		/* nothing */
	STORES_MSYNC,		/* msync(MS_SYNC) of the whole mapping */
	STORES_PERSIST,		/* clwb of every line, then sfence */
};

/*
 * The prepare phase of the mmap cases: creates and sizes the file, maps it
 * with flags, stores the pattern on every page, then what after says, and
 * waits for the cut with the mapping still there.
 */
static void store_and_cut(struct __test_metadata *_metadata, struct pf_mnt *m,
			  int flags, const char *flags_name, bool presync,
			  enum after_stores after)
{
	unsigned char *map;
	size_t i;
	int fd;

	fd = create_file(_metadata, m, presync, true);
	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, flags, fd, 0);
	ASSERT_NE(MAP_FAILED, map)
		TH_LOG(PF_FMT ": mmap(%s) of a DAX file: %s", PF_ARGS(m), flags_name,
		       strerror(errno));
	for (i = 0; i < NR_PAGES; i++)
		pf_fill(m, TAG, map + i * PAGE, PAGE, i * PAGE);
	if (after == STORES_MSYNC)
		ASSERT_EQ(0, msync(map, FILE_SIZE, MS_SYNC))
			TH_LOG(PF_FMT ": msync(MS_SYNC): %s", PF_ARGS(m), strerror(errno));
	if (after == STORES_PERSIST)
		pmem_persist(map, FILE_SIZE);
	pf_cut(_metadata, flags_name);
}

/* The verify phase of every case but the control: all of the file is there. */
static void check_intact(struct __test_metadata *_metadata, struct pf_mnt *m,
			 const char *how, const char *why)
{
	struct outcome o;

	inspect(_metadata, m, &o);
	ASSERT_TRUE(o.exists)
		TH_LOG(PF_FMT ", %s: the file is gone after the power cut; %s",
		       PF_ARGS(m), how, why);
	EXPECT_EQ((off_t)FILE_SIZE, o.size)
		TH_LOG(PF_FMT ", %s: size %jd after the power cut, expected %lu; %s",
		       PF_ARGS(m), how, (intmax_t)o.size, FILE_SIZE, why);
	EXPECT_EQ(NR_PAGES, o.pages_ok)
		TH_LOG(PF_FMT ", %s: %zu of %lu pages hold what was stored after the power cut; %s",
		       PF_ARGS(m), how, o.pages_ok, NR_PAGES, why);
	if (o.pages_ok != NR_PAGES)
		log_pages(_metadata, m, &o, how);
	EXPECT_LE((off_t)FILE_SIZE, o.allocated)
		TH_LOG(PF_FMT ", %s: st_blocks covers %jd bytes after the power cut, expected at least %lu: the allocations were not committed",
		       PF_ARGS(m), how, (intmax_t)o.allocated, FILE_SIZE);
	EXPECT_LE((off_t)FILE_SIZE, o.mapped)
		TH_LOG(PF_FMT ", %s: FIEMAP maps %jd bytes in %zu extents after the power cut, expected at least %lu",
		       PF_ARGS(m), how, (intmax_t)o.mapped, o.extents, FILE_SIZE);
	EXPECT_EQ(0UL, o.unwritten)
		TH_LOG(PF_FMT ", %s: %zu of %zu extents are UNWRITTEN after the power cut: DAX allocates zeroed written extents (fs/xfs/xfs_iomap.c:275-291, EXT4_GET_BLOCKS_CREATE_ZERO), and unwritten ones read as zeros",
		       PF_ARGS(m), how, o.unwritten, o.extents);
	/* One 2 MiB extent suggests a PMD fault, many small ones PTE faults. */
	TH_LOG(PF_FMT ", %s: recorded: %zu extent(s) after the power cut",
	       PF_ARGS(m), how, o.extents);
}

/*
 * C17, C18b: MAP_SYNC stores to newly allocated blocks, written back from the CPU cache with no msync or fsync, survive a power cut.
 *
 * The file is not even fsync'd after its creation: the first synchronous
 * fault commits the creation along with the size and its block. The
 * stores are written back with clwb and sfence, as PMDK does.
 */
TEST_F(cut, map_sync_stores)
{
	const char *how = "MAP_SHARED_VALIDATE|MAP_SYNC stores, clwb + sfence";

	if (self->m.phase == POWERFAIL_PREPARE) {
		store_and_cut(_metadata, &self->m, MAP_SHARED_VALIDATE | MAP_SYNC,
			      "MAP_SHARED_VALIDATE|MAP_SYNC", false, STORES_PERSIST);
		return;
	}
	check_intact(_metadata, &self->m, how,
		     "a store through a MAP_SYNC mapping, written back and fenced, must be durable: its write fault syncs the allocation, the size and the file's creation (dax_finish_sync_fault(), fs/dax.c:1988)");
}

/*
 * C17, C18b: control, MAP_SYNC stores never written back from the CPU cache: under the persistence model their data is lost, their file is not.
 *
 * The same as map_sync_stores without clwb and sfence. The synchronous
 * faults still commit the file, its size and its blocks, so those must
 * survive. The data never left the CPU cache: under --crash-model strict
 * no page may hold it (a model that kept it would hide every missing
 * flush); without the model QEMU's shared file keeps every store and the
 * data is only recorded.
 */
TEST_F(cut, map_sync_unflushed)
{
	const char *how = "MAP_SHARED_VALIDATE|MAP_SYNC stores, never flushed";
	struct outcome o;

	if (self->m.phase == POWERFAIL_PREPARE) {
		store_and_cut(_metadata, &self->m, MAP_SHARED_VALIDATE | MAP_SYNC,
			      "MAP_SHARED_VALIDATE|MAP_SYNC, no flush", false, STORES_ONLY);
		return;
	}
	inspect(_metadata, &self->m, &o);
	ASSERT_TRUE(o.exists)
		TH_LOG(PF_FMT ", %s: the file is gone after the power cut; its first synchronous write fault commits its creation (fs/dax.c:1988)",
		       PF_ARGS(&self->m), how);
	EXPECT_EQ((off_t)FILE_SIZE, o.size)
		TH_LOG(PF_FMT ", %s: size %jd after the power cut, expected %lu",
		       PF_ARGS(&self->m), how, (intmax_t)o.size, FILE_SIZE);
	log_pages(_metadata, &self->m, &o, how);
	if (powerfail_crash_model() != POWERFAIL_CRASH_STRICT) {
		TH_LOG(PF_FMT ", %s: recorded: %zu of %lu pages hold the unflushed stores (no strict crash model: allowed)",
		       PF_ARGS(&self->m), how, o.pages_ok, NR_PAGES);
		return;
	}
	EXPECT_EQ(0UL, o.pages_ok)
		TH_LOG(PF_FMT ", %s: %zu of %lu pages hold stores that never left the CPU cache, under the strict crash model: the model kept lines it must lose",
		       PF_ARGS(&self->m), how, o.pages_ok, NR_PAGES);
}

/*
 * C18b: write() of the whole file, then fsync(), survives a power cut.
 *
 * The name is made durable first (fsync of the root), so the fsync of the
 * file is what has to commit its size and blocks.
 */
TEST_F(cut, write_fsync)
{
	const char *how = "write() + fsync()";
	unsigned char buf[PAGE];
	size_t i;
	int fd;

	if (self->m.phase == POWERFAIL_PREPARE) {
		fd = create_file(_metadata, &self->m, true, false);
		for (i = 0; i < NR_PAGES; i++) {
			pf_fill(&self->m, TAG, buf, PAGE, i * PAGE);
			ASSERT_EQ((ssize_t)PAGE, pwrite(fd, buf, PAGE, i * PAGE))
				TH_LOG("pwrite of page %zu: %s", i, strerror(errno));
		}
		ASSERT_EQ(0, fsync(fd)) TH_LOG(PF_FMT ": fsync: %s", PF_ARGS(&self->m),
					       strerror(errno));
		pf_cut(_metadata, how);
		return;
	}
	check_intact(_metadata, &self->m, how,
		     "fsync() returned 0, so the data, the size and the blocks must be on stable storage");
}

/*
 * C18b: stores through a plain MAP_SHARED mapping, then msync(MS_SYNC), survive a power cut.
 *
 * The name is made durable first: msync() syncs the file's data range
 * (vfs_fsync_range(datasync)), which must commit the size and the blocks.
 */
TEST_F(cut, msync_shared)
{
	const char *how = "MAP_SHARED stores + msync(MS_SYNC)";

	if (self->m.phase == POWERFAIL_PREPARE) {
		store_and_cut(_metadata, &self->m, MAP_SHARED, "MAP_SHARED + msync", true,
			      STORES_MSYNC);
		return;
	}
	check_intact(_metadata, &self->m, how,
		     "msync(MS_SYNC) returned 0, so the stores and the metadata needed to read them back must be on stable storage");
}

/* The verify phase of the controls: records what survived, checks nothing. */
static void record(struct __test_metadata *_metadata, struct pf_mnt *m, const char *how)
{
	struct outcome o;

	inspect(_metadata, m, &o);
	if (!o.exists) {
		TH_LOG(PF_FMT ", %s: recorded: the file did not survive the power cut (allowed)",
		       PF_ARGS(m), how);
		return;
	}
	TH_LOG(PF_FMT ", %s: recorded: size %jd, %zu of %lu pages intact, %jd bytes allocated, %zu extents (%zu unwritten) mapping %jd bytes (any outcome is allowed)",
	       PF_ARGS(m), how, (intmax_t)o.size, o.pages_ok, NR_PAGES,
	       (intmax_t)o.allocated, o.extents, o.unwritten, (intmax_t)o.mapped);
	log_pages(_metadata, m, &o, "recorded");
}

/*
 * C18b: negative control, plain MAP_SHARED stores with no msync or fsync, on a file whose name is durable.
 *
 * The same as msync_shared without the msync(): the size and the blocks
 * may or may not survive. The outcome is recorded, and the case only
 * needs the filesystem to mount and fsck clean.
 */
TEST_F(cut, shared_control)
{
	const char *how = "MAP_SHARED stores, no sync";

	if (self->m.phase == POWERFAIL_PREPARE) {
		store_and_cut(_metadata, &self->m, MAP_SHARED, how, true, STORES_ONLY);
		return;
	}
	record(_metadata, &self->m, how);
}

/*
 * C18b: negative control, plain MAP_SHARED stores with no sync at all, not even of the name.
 *
 * The same as map_sync_stores without MAP_SYNC: the file itself may or
 * may not survive. Recorded only.
 */
TEST_F(cut, shared_control_new_name)
{
	const char *how = "MAP_SHARED stores to a new file, no sync";

	if (self->m.phase == POWERFAIL_PREPARE) {
		store_and_cut(_metadata, &self->m, MAP_SHARED, how, false, STORES_ONLY);
		return;
	}
	record(_metadata, &self->m, how);
}

#define RANDOM_SIZE	(64 * 1024UL)
#define RANDOM_PAGES	(RANDOM_SIZE / PAGE)
#define RANDOM_MAX	100000UL

/* The first byte of dirfd/path that is neither pattern tag nor zero, or -1. */
static int stale_byte(const struct pf_mnt *m, int dirfd, const char *path, unsigned int tag)
{
	unsigned char buf[PAGE];
	ssize_t n, j;
	off_t off;
	int fd;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	for (off = 0; (n = pread(fd, buf, PAGE, off)) > 0; off += n)
		for (j = 0; j < n; j++)
			if (buf[j] && buf[j] != pf_byte(m, tag, off + j)) {
				close(fd);
				return off + j;
			}
	close(fd);
	return -1;
}

/*
 * C17, C18b: at any cut point, every file whose MAP_SYNC stores had returned is intact.
 *
 * A loop creates f<k>, sizes it to 64 KiB, stores pattern k + 1 on every
 * page through a MAP_SYNC mapping and writes the stores back (clwb,
 * sfence; no msync, no fsync), then counts k + 1 in a progress page
 * (pf_progress_create()), written back the same way. The power goes at a random
 * point of that loop. Every file below the progress count must be whole;
 * the one being written may be missing, short, or have pages that are
 * zero, but none that hold anything else.
 */
TEST_F(cut, random_map_sync_files)
{
	volatile uint64_t *progress;
	unsigned char *map;
	char name[32], r1[96], r2[96];
	int state[RANDOM_PAGES];
	uint64_t k, done;
	struct stat st;
	size_t i, ok;
	double end;
	int fd, ret;

	if (self->m.phase == POWERFAIL_PREPARE) {
		progress = pf_progress_create(&self->m);
		ASSERT_NE(NULL, progress) TH_LOG("the progress page: %s", strerror(errno));
		powerfail_checkpoint_continue("MAP_SYNC files");
		end = pf_now() + PF_RANDOM_WORK_S;
		for (k = 0; k < RANDOM_MAX && pf_now() < end; k++) {
			snprintf(name, sizeof(name), "f%" PRIu64, k);
			fd = openat(self->m.root, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			ASSERT_LE(0, fd) TH_LOG("creating %s: %s", name, strerror(errno));
			ASSERT_EQ(0, ftruncate(fd, RANDOM_SIZE))
				TH_LOG("ftruncate %s: %s", name, strerror(errno));
			map = mmap(NULL, RANDOM_SIZE, PROT_READ | PROT_WRITE,
				   MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
			ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap(MAP_SYNC) of %s: %s", name,
							  strerror(errno));
			for (i = 0; i < RANDOM_PAGES; i++)
				pf_fill(&self->m, k + 1, map + i * PAGE, PAGE, i * PAGE);
			pmem_persist(map, RANDOM_SIZE);
			munmap(map, RANDOM_SIZE);
			close(fd);
			*progress = k + 1;
			pmem_persist(progress, sizeof(*progress));
		}
		pf_wait_for_cut(_metadata, "MAP_SYNC files");
		return;
	}

	ret = pf_progress_read(&self->m, &done);
	ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": the progress page (written and fsync'd before the workload) cannot be read after the power cut: %s",
				 PF_ARGS(&self->m), strerror(-ret));
	ASSERT_GE(RANDOM_MAX, done) TH_LOG("garbled progress count %" PRIu64, done);
	TH_LOG(PF_FMT ": recorded: the MAP_SYNC stores of %" PRIu64 " files had returned when the power was cut",
	       PF_ARGS(&self->m), done);
	for (k = 0; k <= done; k++) {
		snprintf(name, sizeof(name), "f%" PRIu64, k);
		fd = openat(self->m.root, name, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && k == done)
			break;
		ASSERT_LE(0, fd)
			TH_LOG(PF_FMT ": after the power cut, %s, whose MAP_SYNC stores had all returned, cannot be opened: %s; the first synchronous fault commits the file's creation (fs/dax.c:1988)",
			       PF_ARGS(&self->m), name, strerror(errno));
		ASSERT_EQ(0, fstat(fd, &st));
		for (i = 0, ok = 0; i < RANDOM_PAGES; i++) {
			ret = pf_page_state(&self->m, fd, i, k + 1, k + 1);
			ASSERT_LE(0, ret) TH_LOG("reading %s: %s", name, strerror(-ret));
			state[i] = ret;
			ok += ret == PF_PAGE_TAG;
		}
		close(fd);
		if (k == done) {
			/*
			 * In flight: a store may have been cut in the middle
			 * of a page, but no byte may hold anything but what
			 * was stored there or zero (DAX allocates zeroed
			 * blocks): nothing stale from the device.
			 */
			ret = stale_byte(&self->m, self->m.root, name, k + 1);
			EXPECT_GT(0, ret)
				TH_LOG(PF_FMT ": after the power cut, byte %d of %s, being written when the power went, is neither zero nor what was stored there: stale data",
				       PF_ARGS(&self->m), ret, name);
			TH_LOG(PF_FMT ": recorded: %s, in flight: size %jd, %zu of %lu pages whole",
			       PF_ARGS(&self->m), name, (intmax_t)st.st_size, ok, RANDOM_PAGES);
			continue;
		}
		EXPECT_EQ((off_t)RANDOM_SIZE, st.st_size)
			TH_LOG(PF_FMT ": after the power cut, %s, whose MAP_SYNC stores had all returned, has size %jd, expected %lu",
			       PF_ARGS(&self->m), name, (intmax_t)st.st_size, RANDOM_SIZE);
		EXPECT_EQ(RANDOM_PAGES, ok)
			TH_LOG(PF_FMT ": after the power cut, %s, whose MAP_SYNC stores had all returned, has %zu of %lu pages: stored ones %s, zero %s; a store through a MAP_SYNC mapping must be durable once it returns (fs/dax.c:1988)",
			       PF_ARGS(&self->m), name, ok, RANDOM_PAGES,
			       pf_page_ranges(state, RANDOM_PAGES, PF_PAGE_TAG, r1, sizeof(r1)),
			       pf_page_ranges(state, RANDOM_PAGES, PF_PAGE_ZERO, r2, sizeof(r2)));
		if (ok != RANDOM_PAGES)
			break;
	}
}

TEST_HARNESS_MAIN
