// SPDX-License-Identifier: GPL-2.0
/*
 * reflink_cut - a copy-on-write fault on a reflinked DAX file, then a power cut
 *
 * Behaviours B12, C17 and C18b of the daxtest spec, with the power really
 * cut (tests/common/powerfail.h). A is a file of 16 pages, written and
 * fsync'd; B is a FICLONE of A, fsync'd too, so both files and their
 * shared blocks are on the log before the workload starts. The workload
 * stores to B through a mapping: each first store to a shared page makes
 * XFS allocate a CoW block (xfs_reflink_allocate_cow(),
 * fs/xfs/xfs_iomap.c:832), the fault copies the page into it
 * (fs/dax.c:1694), and xfs_dax_write_iomap_end() remaps it into B
 * (xfs_reflink_end_cow(), fs/xfs/xfs_iomap.c:932-948). Then the power goes.
 *
 * Whatever the cut, A is never changed: its blocks are only ever read.
 * Every page of B is either A's page (the remap was lost) or the page
 * stored (it was not), never a mix, and xfs_repair -n finds the refcounts
 * and the reverse mappings consistent. Through a MAP_SYNC mapping, the
 * stores must have survived: the fault of a MAP_SYNC mapping syncs the
 * metadata that maps the written block (dax_finish_sync_fault(),
 * fs/dax.c:1988), which for a shared page is the remap of the CoW block.
 * msync(MS_SYNC) of a plain mapping must do the same. A plain mapping with
 * no msync is the control: its outcome is recorded.
 *
 * Note on what MAP_SYNC relies on here: XFS marks the iomap IOMAP_F_DIRTY
 * (which makes the fault synchronous) when the inode is pinned in the log
 * with non-timestamp changes at iomap_begin time (fs/xfs/xfs_iomap.c:135);
 * the remap comes later, in iomap_end. A clean B whose CoW block is
 * already allocated (the CoW extent size hint, 32 blocks by default,
 * preallocates CoW blocks for the neighbouring pages) leaves nothing
 * pinned at iomap_begin; map_sync_cow_every_page is the case that shows
 * whether those remaps are synced.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/fiemap.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pf_fixture.h"
#include "fiemap.h"
#include "pmem_persist.h"

#define NR_PAGES	16UL
#define FILE_SIZE	(NR_PAGES * PAGE)
#define TAG_A		0	/* A's data, and B's before the CoW */
#define TAG_B		1	/* what is stored through B's mapping */

FIXTURE(rcut) {
	struct pf_mnt m;
};

FIXTURE_VARIANT(rcut) {
	enum dax_fs_type fs;
	const char *opts;
};

/* ext4 has no reflink (B): XFS only. */
FIXTURE_VARIANT_ADD(rcut, xfs_always) {
	.fs = DAX_FS_XFS, .opts = "dax=always",
};

FIXTURE_SETUP(rcut)
{
	pf_setup(_metadata, &self->m, variant->fs, PF_MKFS_REFLINK, variant->opts);
}

FIXTURE_TEARDOWN_PARENT(rcut)
{
	pf_teardown(_metadata, &self->m);
}

/* How a case stores to B. */
struct cow_how {
	const char *name;	/* for messages */
	int flags;		/* mmap flags */
	size_t pages;		/* the first this many pages of B are stored to */
	bool msync;		/* msync(MS_SYNC) after the stores */
	/* MAP_SYNC mappings: the stores are written back (clwb, sfence). */
};

/*
 * The prepare phase: A and B = FICLONE of A, both durable; stores
 * pattern TAG_B to the first how->pages pages of B through a mapping;
 * waits for the cut.
 */
static void cow_and_cut(struct __test_metadata *_metadata, struct pf_mnt *m,
			const struct cow_how *how)
{
	unsigned char buf[PAGE], *map;
	size_t i;
	int a, b, ret;

	a = openat(m->root, "A", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, a) TH_LOG("creating A: %s", strerror(errno));
	for (i = 0; i < NR_PAGES; i++) {
		pf_fill(m, TAG_A, buf, PAGE, i * PAGE);
		ASSERT_EQ((ssize_t)PAGE, pwrite(a, buf, PAGE, i * PAGE))
			TH_LOG("pwrite of A's page %zu: %s", i, strerror(errno));
	}
	ASSERT_EQ(0, fsync(a)) TH_LOG("fsync of A: %s", strerror(errno));
	ASSERT_EQ(1, dax_s_dax(m->root, "A"))
		TH_LOG(PF_FMT ": precondition: the new file A has no S_DAX", PF_ARGS(m));

	b = openat(m->root, "B", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, b) TH_LOG("creating B: %s", strerror(errno));
	ret = reflink_clone(a, b);
	ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": FICLONE B from A: %s", PF_ARGS(m), strerror(-ret));
	ASSERT_EQ(0, fsync(b)) TH_LOG("fsync of B: %s", strerror(errno));
	ASSERT_EQ(0, fsync(m->root)) TH_LOG("fsync of the root: %s", strerror(errno));
	ASSERT_EQ(1, fiemap_shared(b, 0))
		TH_LOG(PF_FMT ": precondition: after FICLONE, B's block 0 is not FIEMAP_EXTENT_SHARED",
		       PF_ARGS(m));

	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, how->flags, b, 0);
	ASSERT_NE(MAP_FAILED, map)
		TH_LOG(PF_FMT ": mmap of the clone B for %s: %s", PF_ARGS(m), how->name,
		       strerror(errno));
	for (i = 0; i < how->pages; i++)
		pf_fill(m, TAG_B, map + i * PAGE, PAGE, i * PAGE);
	if (how->msync)
		ASSERT_EQ(0, msync(map, FILE_SIZE, MS_SYNC))
			TH_LOG(PF_FMT ": msync(MS_SYNC) of B: %s", PF_ARGS(m), strerror(errno));
	if (how->flags & MAP_SYNC)
		pmem_persist(map, how->pages * PAGE);
	/* Precondition: the CoW happened before the cut. */
	ASSERT_EQ(0, fiemap_shared(b, 0))
		TH_LOG(PF_FMT ": precondition: after %s, B's block 0 is still FIEMAP_EXTENT_SHARED: no CoW",
		       PF_ARGS(m), how->name);
	pf_cut(_metadata, how->name);
}

/* What the pair looks like after the cut. */
struct cow_outcome {
	int a[NR_PAGES], b[NR_PAGES];	/* enum pf_page of every page */
	size_t b_stored;		/* pages of B holding TAG_B */
};

/*
 * The verify phase: A intact, every page of B A's or the stored one,
 * and a page of B that holds the stored data no longer shared with A.
 */
static void check_pair(struct __test_metadata *_metadata, struct pf_mnt *m,
		       const struct cow_how *how, struct cow_outcome *o)
{
	char r1[96], r2[96], r3[96];
	struct fiemap_at at_a, at_b;
	struct stat st;
	size_t i;
	int a, b, ret;

	memset(o, 0, sizeof(*o));
	a = openat(m->root, "A", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, a)
		TH_LOG(PF_FMT ", %s: after the power cut, the source A (fsync'd) cannot be opened: %s",
		       PF_ARGS(m), how->name, strerror(errno));
	b = openat(m->root, "B", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, b)
		TH_LOG(PF_FMT ", %s: after the power cut, the clone B (fsync'd after FICLONE) cannot be opened: %s",
		       PF_ARGS(m), how->name, strerror(errno));
	for (i = 0; i < NR_PAGES; i++) {
		ret = pf_page_state(m, a, i, TAG_A, TAG_B);
		ASSERT_LE(0, ret) TH_LOG("reading A's page %zu: %s", i, strerror(-ret));
		o->a[i] = ret;
		ret = pf_page_state(m, b, i, TAG_B, TAG_A);
		ASSERT_LE(0, ret) TH_LOG("reading B's page %zu: %s", i, strerror(-ret));
		o->b[i] = ret;
		o->b_stored += ret == PF_PAGE_TAG;
	}

	ASSERT_EQ(0, fstat(a, &st));
	EXPECT_EQ((off_t)FILE_SIZE, st.st_size)
		TH_LOG(PF_FMT ", %s: the source A has size %jd after the power cut, expected %lu",
		       PF_ARGS(m), how->name, (intmax_t)st.st_size, FILE_SIZE);
	for (i = 0; i < NR_PAGES && o->a[i] == PF_PAGE_TAG; i++)
		;
	EXPECT_EQ(NR_PAGES, i)
		TH_LOG(PF_FMT ", %s: after the power cut, the source A no longer holds its data: pages with B's stores: %s; other data: %s; zero or beyond EOF: %s. A CoW must never write to the shared block",
		       PF_ARGS(m), how->name,
		       pf_page_ranges(o->a, NR_PAGES, PF_PAGE_OTHER_TAG, r1, sizeof(r1)),
		       pf_page_ranges(o->a, NR_PAGES, PF_PAGE_MIXED, r2, sizeof(r2)),
		       pf_page_ranges(o->a, NR_PAGES, PF_PAGE_ZERO, r3, sizeof(r3)));

	ASSERT_EQ(0, fstat(b, &st));
	EXPECT_EQ((off_t)FILE_SIZE, st.st_size)
		TH_LOG(PF_FMT ", %s: the clone B has size %jd after the power cut, expected %lu (it was fsync'd after FICLONE)",
		       PF_ARGS(m), how->name, (intmax_t)st.st_size, FILE_SIZE);
	for (i = 0; i < NR_PAGES; i++) {
		if (o->b[i] == PF_PAGE_TAG || o->b[i] == PF_PAGE_OTHER_TAG)
			continue;
		EXPECT_TRUE(false)
			TH_LOG(PF_FMT ", %s: after the power cut, B's page %zu is %s, neither A's data nor the data stored: a CoW page must be copied whole before it is remapped (fs/dax.c:1694)",
			       PF_ARGS(m), how->name, i,
			       o->b[i] == PF_PAGE_ZERO ? "zeros" :
			       o->b[i] == PF_PAGE_SHORT ? "beyond EOF" : "other data");
	}
	for (i = how->pages; i < NR_PAGES; i++)
		EXPECT_EQ(PF_PAGE_OTHER_TAG, o->b[i])
			TH_LOG(PF_FMT ", %s: after the power cut, B's page %zu, which was never stored to, does not hold A's data",
			       PF_ARGS(m), how->name, i);

	/* A page of B that holds the stored data is in a block of its own. */
	for (i = 0; i < NR_PAGES; i++) {
		if (o->b[i] != PF_PAGE_TAG)
			continue;
		ret = fiemap_lookup(b, i * PAGE, &at_b);
		EXPECT_EQ(0, ret) TH_LOG("FIEMAP of B's page %zu: %s", i, strerror(-ret));
		ret = fiemap_lookup(a, i * PAGE, &at_a);
		EXPECT_EQ(0, ret) TH_LOG("FIEMAP of A's page %zu: %s", i, strerror(-ret));
		EXPECT_NE(at_a.physical, at_b.physical)
			TH_LOG(PF_FMT ", %s: after the power cut, B's page %zu holds the stored data but FIEMAP puts it in A's block 0x%jx",
			       PF_ARGS(m), how->name, i, (uintmax_t)at_a.physical);
		EXPECT_EQ(0u, at_b.flags & FIEMAP_EXTENT_SHARED)
			TH_LOG(PF_FMT ", %s: after the power cut, B's page %zu holds the stored data in a block FIEMAP still calls SHARED",
			       PF_ARGS(m), how->name, i);
	}
	close(a);
	close(b);
}

/* TH_LOGs which pages of B came back as what. */
static void log_b(struct __test_metadata *_metadata, struct pf_mnt *m,
		  const struct cow_how *how, const struct cow_outcome *o)
{
	char stored[96], old[96];

	TH_LOG(PF_FMT ", %s: after the power cut, B's pages holding the stores: %s; holding A's data: %s",
	       PF_ARGS(m), how->name,
	       pf_page_ranges(o->b, NR_PAGES, PF_PAGE_TAG, stored, sizeof(stored)),
	       pf_page_ranges(o->b, NR_PAGES, PF_PAGE_OTHER_TAG, old, sizeof(old)));
}

/* Runs a case whose stores must all survive. */
static void cow_durable(struct __test_metadata *_metadata, struct pf_mnt *m,
			const struct cow_how *how, const char *why)
{
	struct cow_outcome o;

	if (m->phase == POWERFAIL_PREPARE) {
		cow_and_cut(_metadata, m, how);
		return;
	}
	check_pair(_metadata, m, how, &o);
	EXPECT_EQ(how->pages, o.b_stored)
		TH_LOG(PF_FMT ", %s: after the power cut, %zu of the %zu pages stored to in the clone B hold the stores, the others A's data: the CoW remap was lost; %s",
		       PF_ARGS(m), how->name, o.b_stored, how->pages, why);
	log_b(_metadata, m, how, &o);
}

#define MAP_SYNC_WHY \
	"a store through a MAP_SYNC mapping must be durable once it returns, and for a shared page that takes the remap of its CoW block (dax_finish_sync_fault(), fs/dax.c:1988)"

/*
 * B12, C17, C18b: a MAP_SYNC store to one page of a clone survives a power cut; the source is untouched.
 *
 * The first CoW of a clean B allocates its CoW extent in a transaction
 * that pins B, so the fault is synchronous.
 */
TEST_F(rcut, map_sync_cow_first_page)
{
	static const struct cow_how how = {
		.name = "a MAP_SYNC store to B's page 0",
		.flags = MAP_SHARED_VALIDATE | MAP_SYNC, .pages = 1,
	};

	cow_durable(_metadata, &self->m, &how, MAP_SYNC_WHY);
}

/*
 * B12, C17, C18b: MAP_SYNC stores to every page of a clone survive a power cut; the source is untouched.
 *
 * After the first page, the CoW blocks of the others are already
 * preallocated (CoW extent size hint) and the log was forced by the first
 * fault: whether their remaps are synced is what this case shows.
 */
TEST_F(rcut, map_sync_cow_every_page)
{
	static const struct cow_how how = {
		.name = "MAP_SYNC stores to all 16 pages of B",
		.flags = MAP_SHARED_VALIDATE | MAP_SYNC, .pages = NR_PAGES,
	};

	cow_durable(_metadata, &self->m, &how, MAP_SYNC_WHY);
}

/*
 * B12, C17, C18b: MAP_SYNC stores to the first two pages of a clone survive a power cut.
 *
 * The smallest case of map_sync_cow_every_page: the first fault
 * allocates the CoW extent (and is synchronous), the second finds its
 * CoW block preallocated in a clean inode. On 6.12.117 the second store
 * is lost (B's page 1 reads A's data after the cut), in both matrix
 * cells: its fault was not synchronous. With three pages all survive
 * (the third fault finds B pinned by the second remap and syncs both),
 * and with sixteen page 15 is lost: every other remap is left to the
 * next fault to sync.
 */
TEST_F(rcut, map_sync_cow_two_pages)
{
	static const struct cow_how how = {
		.name = "MAP_SYNC stores to B's pages 0 and 1",
		.flags = MAP_SHARED_VALIDATE | MAP_SYNC, .pages = 2,
	};

	cow_durable(_metadata, &self->m, &how, MAP_SYNC_WHY);
}

/* B12, C18b: MAP_SHARED stores to every page of a clone, then msync(MS_SYNC), survive a power cut. */
TEST_F(rcut, msync_cow)
{
	static const struct cow_how how = {
		.name = "MAP_SHARED stores to all 16 pages of B + msync(MS_SYNC)",
		.flags = MAP_SHARED, .pages = NR_PAGES, .msync = true,
	};

	cow_durable(_metadata, &self->m, &how,
		    "msync(MS_SYNC) returned 0, so the CoW remaps must be on stable storage");
}

/*
 * B12, C18b: negative control, MAP_SHARED stores to a clone with no sync.
 *
 * Any page may keep the store or fall back to A's data; the source must
 * be intact, every page of B whole, and the filesystem clean.
 */
TEST_F(rcut, cow_control)
{
	static const struct cow_how how = {
		.name = "MAP_SHARED stores to all 16 pages of B, no sync",
		.flags = MAP_SHARED, .pages = NR_PAGES,
	};
	struct cow_outcome o;

	if (self->m.phase == POWERFAIL_PREPARE) {
		cow_and_cut(_metadata, &self->m, &how);
		return;
	}
	check_pair(_metadata, &self->m, &how, &o);
	TH_LOG(PF_FMT ", %s: recorded: %zu of %lu stored pages survived (any number is allowed)",
	       PF_ARGS(&self->m), how.name, o.b_stored, NR_PAGES);
	log_b(_metadata, &self->m, &how, &o);
}

#define RANDOM_MAX	100000UL
#define RANDOM_KEEP	4	/* clones kept before the oldest is unlinked */

/*
 * The first byte of fd that holds neither A's data nor pattern tag, or
 * -1: a store cut in the middle of a page may leave both in one page,
 * but nothing else may appear.
 */
static off_t foreign_byte(const struct pf_mnt *m, int fd, unsigned int tag)
{
	unsigned char buf[PAGE];
	ssize_t n, j;
	off_t off;

	for (off = 0; (n = pread(fd, buf, PAGE, off)) > 0; off += n)
		for (j = 0; j < n; j++)
			if (buf[j] != pf_byte(m, TAG_A, off + j) &&
			    buf[j] != pf_byte(m, tag, off + j))
				return off + j;
	return -1;
}

/*
 * Checks clone B<k> after the cut. must_exist: its unlink had not
 * started; msynced: its stores had been msync'd, so all must be there;
 * otherwise (the clone in flight) every byte is A's or the store's.
 */
static void check_clone(struct __test_metadata *_metadata, struct pf_mnt *m,
			uint64_t k, bool must_exist, bool msynced, size_t *stored)
{
	char name[32], r1[96], r2[96];
	int state[NR_PAGES];
	struct stat st;
	off_t bad;
	size_t i;
	int fd, ret;

	snprintf(name, sizeof(name), "B%" PRIu64, k);
	*stored = 0;
	fd = openat(m->root, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !must_exist)
		return;
	ASSERT_LE(0, fd)
		TH_LOG(PF_FMT ": after the power cut, the clone %s, whose stores had been msync'd and which was not unlinked, cannot be opened: %s",
		       PF_ARGS(m), name, strerror(errno));
	ASSERT_EQ(0, fstat(fd, &st));
	for (i = 0; i < NR_PAGES; i++) {
		ret = pf_page_state(m, fd, i, TAG_B + k, TAG_A);
		ASSERT_LE(0, ret) TH_LOG("reading %s: %s", name, strerror(-ret));
		state[i] = ret;
		*stored += ret == PF_PAGE_TAG;
	}
	if (!msynced) {
		/* A clone cut before its FICLONE is empty. */
		EXPECT_TRUE(st.st_size == 0 || st.st_size == (off_t)FILE_SIZE)
			TH_LOG(PF_FMT ": after the power cut, the clone in flight %s has size %jd: neither empty nor the source's %lu",
			       PF_ARGS(m), name, (intmax_t)st.st_size, FILE_SIZE);
		bad = foreign_byte(m, fd, TAG_B + k);
		EXPECT_EQ(-1, bad)
			TH_LOG(PF_FMT ": after the power cut, byte %jd of the clone in flight %s is neither the source's nor the one stored: a CoW page must be copied whole before it is remapped (fs/dax.c:1694)",
			       PF_ARGS(m), (intmax_t)bad, name);
		close(fd);
		return;
	}
	close(fd);
	EXPECT_EQ((off_t)FILE_SIZE, st.st_size)
		TH_LOG(PF_FMT ": after the power cut, the clone %s, msync'd, has size %jd, expected %lu",
		       PF_ARGS(m), name, (intmax_t)st.st_size, FILE_SIZE);
	EXPECT_EQ(NR_PAGES, *stored)
		TH_LOG(PF_FMT ": after the power cut, %zu of %lu pages of the clone %s hold the stores, which msync(MS_SYNC) had made durable (stores: %s, source's data: %s)",
		       PF_ARGS(m), *stored, NR_PAGES, name,
		       pf_page_ranges(state, NR_PAGES, PF_PAGE_TAG, r1, sizeof(r1)),
		       pf_page_ranges(state, NR_PAGES, PF_PAGE_OTHER_TAG, r2, sizeof(r2)));
}

/*
 * B12, C18b: at any cut point the source of a stream of clones is intact, msync'd CoWs are kept, refcounts are clean.
 *
 * A loop clones A into B<k>, stores pattern k + 1 on every page of B<k>
 * through a plain mapping, msync()s it, counts k + 1 in a progress page
 * (pf_progress_create(), written back with pmem_persist()) and unlinks B<k-4>, so that CoW blocks are
 * allocated and remapped and shared blocks freed all the time. The power
 * goes at a random point. A must be intact; every clone below the
 * progress count and not yet due for unlinking must hold its stores;
 * every page of any other clone left must be A's data or its stores; and
 * xfs_repair -n must find the refcount and rmap btrees consistent.
 */
TEST_F(rcut, random_cow_loop)
{
	static const struct cow_how how = { .name = "a stream of clones, CoW'd and msync'd" };
	volatile uint64_t *progress;
	unsigned char *map;
	struct cow_outcome o;
	uint64_t k, done;
	size_t i, stored;
	char name[32];
	double end;
	int a, b, ret;

	if (self->m.phase == POWERFAIL_PREPARE) {
		unsigned char buf[PAGE];

		a = openat(self->m.root, "A", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		ASSERT_LE(0, a) TH_LOG("creating A: %s", strerror(errno));
		for (i = 0; i < NR_PAGES; i++) {
			pf_fill(&self->m, TAG_A, buf, PAGE, i * PAGE);
			ASSERT_EQ((ssize_t)PAGE, pwrite(a, buf, PAGE, i * PAGE));
		}
		ASSERT_EQ(0, fsync(a)) TH_LOG("fsync of A: %s", strerror(errno));
		/* B is A's twin for check_pair(): a clone never written. */
		b = openat(self->m.root, "B", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		ASSERT_LE(0, b) TH_LOG("creating B: %s", strerror(errno));
		ret = reflink_clone(a, b);
		ASSERT_EQ(0, ret) TH_LOG("FICLONE B from A: %s", strerror(-ret));
		ASSERT_EQ(0, fsync(b)) TH_LOG("fsync of B: %s", strerror(errno));
		close(b);
		progress = pf_progress_create(&self->m);
		ASSERT_NE(NULL, progress) TH_LOG("the progress page: %s", strerror(errno));
		powerfail_checkpoint_continue(how.name);
		end = pf_now() + PF_RANDOM_WORK_S;
		for (k = 0; k < RANDOM_MAX && pf_now() < end; k++) {
			snprintf(name, sizeof(name), "B%" PRIu64, k);
			b = openat(self->m.root, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			ASSERT_LE(0, b) TH_LOG("creating %s: %s", name, strerror(errno));
			ret = reflink_clone(a, b);
			ASSERT_EQ(0, ret) TH_LOG("FICLONE %s from A: %s", name, strerror(-ret));
			map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0);
			ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap %s: %s", name, strerror(errno));
			for (i = 0; i < NR_PAGES; i++)
				pf_fill(&self->m, TAG_B + k, map + i * PAGE, PAGE, i * PAGE);
			ASSERT_EQ(0, msync(map, FILE_SIZE, MS_SYNC))
				TH_LOG("msync of %s: %s", name, strerror(errno));
			munmap(map, FILE_SIZE);
			close(b);
			*progress = k + 1;
			pmem_persist(progress, sizeof(*progress));
			if (k >= RANDOM_KEEP) {
				snprintf(name, sizeof(name), "B%" PRIu64, k - RANDOM_KEEP);
				ASSERT_EQ(0, unlinkat(self->m.root, name, 0))
					TH_LOG("unlink %s: %s", name, strerror(errno));
			}
		}
		pf_wait_for_cut(_metadata, how.name);
		return;
	}

	/* A intact, B (never written) still A's data in every page. */
	check_pair(_metadata, &self->m, &how, &o);
	ret = pf_progress_read(&self->m, &done);
	ASSERT_EQ(0, ret) TH_LOG(PF_FMT ": the progress page (written and fsync'd before the workload) cannot be read after the power cut: %s",
				 PF_ARGS(&self->m), strerror(-ret));
	ASSERT_GE(RANDOM_MAX, done) TH_LOG("garbled progress count %" PRIu64, done);
	TH_LOG(PF_FMT ": recorded: %" PRIu64 " clones had been CoW'd and msync'd when the power was cut",
	       PF_ARGS(&self->m), done);
	/*
	 * B<k> for k < done was msync'd; its unlink started once the progress
	 * count reached k + RANDOM_KEEP + 1, and an older clone found is checked
	 * like the others. B<done> was in flight.
	 */
	for (k = done > RANDOM_KEEP + 1 ? done - RANDOM_KEEP - 1 : 0; k <= done; k++) {
		check_clone(_metadata, &self->m, k, k < done && done < k + RANDOM_KEEP + 1,
			    k < done, &stored);
		if (k == done)
			TH_LOG(PF_FMT ": recorded: the clone in flight, B%" PRIu64 ", kept %zu of %lu stored pages whole",
			       PF_ARGS(&self->m), k, stored, NR_PAGES);
	}
}

TEST_HARNESS_MAIN
