// SPDX-License-Identifier: GPL-2.0
/*
 * reflink_cow - copy-on-write of a reflinked DAX file, by a write fault and by write()
 *
 * Behaviours B12 and B13 of the daxtest spec. B is a FICLONE of A, so both
 * map the same pmem blocks. A store to a MAP_SHARED mapping of B makes XFS
 * allocate a CoW block (xfs_reflink_allocate_cow(), fs/xfs/xfs_iomap.c:832),
 * the fault copies the whole page from the shared block into it
 * (dax_iomap_copy_around(), fs/dax.c:1694) and xfs_dax_write_iomap_end()
 * (fs/xfs/xfs_iomap.c:932-948) remaps it into B. A pwrite() to B does the
 * same through dax_iomap_iter(), which also invalidates B's existing
 * mapping of the old block (fs/dax.c:1471-1482), so a mapping faulted in
 * before the write shows the new data. Either way A keeps its data and its
 * block, B's block gets a new address, and neither block is shared any more.
 * The pages of B that were not written stay shared with A.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "reflink_fixture.h"

#define NBLK		4
#define FILE_SIZE	(NBLK * BLK)

/* A and B, B a clone of A, both open read-write. */
struct cow_pair {
	int a, b;
	unsigned long long phys_a0, phys_a1;	/* A's blocks 0 and 1 before the CoW */
};

/* Makes A (FILE_SIZE bytes of the pattern) and B = FICLONE of A; checks they share. */
static void make_pair(struct __test_metadata *_metadata,
		      FIXTURE_DATA(reflink) *self,
		      const FIXTURE_VARIANT(reflink) *variant,
		      struct cow_pair *p)
{
	int ret;

	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	p->a = reflink_open(self->root, "A");
	ASSERT_LE(0, p->a) TH_LOG("open A: %s", strerror(-p->a));
	p->b = reflink_open(self->root, "B");
	ASSERT_LE(0, p->b) TH_LOG("open B: %s", strerror(-p->b));
	ret = reflink_clone(p->a, p->b);
	ASSERT_EQ(0, ret) TH_LOG(REFLINK_CELL_FMT ": FICLONE B from A: %s",
				 REFLINK_CELL(variant), strerror(-ret));
	p->phys_a0 = reflink_phys(p->a, 0);
	p->phys_a1 = reflink_phys(p->a, BLK);
	ASSERT_NE(0ULL, p->phys_a0) TH_LOG("FIEMAP finds no block 0 in A");
	ASSERT_EQ(p->phys_a0, reflink_phys(p->b, 0))
		TH_LOG("precondition: after FICLONE, B's block 0 is not A's block 0");
	ASSERT_EQ(1, fiemap_shared(p->b, 0))
		TH_LOG("precondition: after FICLONE, B's block 0 is not FIEMAP_EXTENT_SHARED");
}

/* Reopens A and B after a remount and checks they still share and have S_DAX. */
static void reopen_pair(struct __test_metadata *_metadata,
			FIXTURE_DATA(reflink) *self, struct cow_pair *p)
{
	p->a = reflink_open(self->root, "A");
	ASSERT_LE(0, p->a) TH_LOG("open A: %s", strerror(-p->a));
	p->b = reflink_open(self->root, "B");
	ASSERT_LE(0, p->b) TH_LOG("open B: %s", strerror(-p->b));
	ASSERT_EQ(p->phys_a0, reflink_phys(p->a, 0))
		TH_LOG("A's block 0 moved across the remount");
	ASSERT_EQ(p->phys_a0, reflink_phys(p->b, 0))
		TH_LOG("precondition: after the remount, B's block 0 is not A's block 0");
}

/*
 * The result of a CoW of B's block 0, where B's byte 0 now holds c and the
 * rest of B is still A's data: checks the data through read(), the blocks
 * through FIEMAP. how says what caused the CoW, for messages.
 */
static void check_cow(struct __test_metadata *_metadata,
		      FIXTURE_DATA(reflink) *self,
		      const FIXTURE_VARIANT(reflink) *variant,
		      const struct cow_pair *p, unsigned char c, const char *how)
{
	unsigned long long phys;
	off_t bad = -1;
	unsigned char got = 0;
	int ret;

	ret = reflink_check_pattern(p->a, 0, FILE_SIZE, self->seed, 0, &bad);
	EXPECT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": after %s, read() of the source A differs from A's data at offset %jd: the CoW wrote into the shared block",
		       REFLINK_CELL(variant), how, (intmax_t)bad);
	EXPECT_EQ(1, pread(p->b, &got, 1, 0));
	EXPECT_EQ(c, got)
		TH_LOG(REFLINK_CELL_FMT ": after %s, read() of B's byte 0 is 0x%02x, expected the 0x%02x written",
		       REFLINK_CELL(variant), how, got, c);
	ret = reflink_check_pattern(p->b, 1, FILE_SIZE - 1, self->seed, 1, &bad);
	EXPECT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": after %s, read() of B differs from A's data at offset %jd: the rest of the page must be copied from the source block (dax_iomap_copy_around(), fs/dax.c:1119) and other pages left alone",
		       REFLINK_CELL(variant), how, (intmax_t)bad);

	phys = reflink_phys(p->b, 0);
	EXPECT_NE(p->phys_a0, phys)
		TH_LOG(REFLINK_CELL_FMT ": after %s, B's block 0 is still A's block 0 at 0x%jx: no CoW block was remapped into B (xfs_reflink_end_cow(), fs/xfs/xfs_iomap.c:948)",
		       REFLINK_CELL(variant), how, (uintmax_t)phys);
	EXPECT_NE(0ULL, phys) TH_LOG("FIEMAP finds no block 0 in B after %s", how);
	EXPECT_EQ(p->phys_a0, reflink_phys(p->a, 0))
		TH_LOG(REFLINK_CELL_FMT ": after %s, the source A's block 0 moved: only the destination gets a new block",
		       REFLINK_CELL(variant), how);
	EXPECT_EQ(0, fiemap_shared(p->b, 0))
		TH_LOG(REFLINK_CELL_FMT ": after %s, B's block 0 is still FIEMAP_EXTENT_SHARED",
		       REFLINK_CELL(variant), how);
	EXPECT_EQ(0, fiemap_shared(p->a, 0))
		TH_LOG(REFLINK_CELL_FMT ": after %s, A's block 0 is still FIEMAP_EXTENT_SHARED though B no longer maps it: its refcount was not dropped",
		       REFLINK_CELL(variant), how);
	/* The CoW covers the page written, not the whole file. */
	EXPECT_EQ(p->phys_a1, reflink_phys(p->b, BLK))
		TH_LOG(REFLINK_CELL_FMT ": after %s of block 0 only, B's block 1 is no longer A's block 1",
		       REFLINK_CELL(variant), how);
	EXPECT_EQ(1, fiemap_shared(p->b, BLK))
		TH_LOG(REFLINK_CELL_FMT ": after %s of block 0 only, B's block 1 is not FIEMAP_EXTENT_SHARED any more",
		       REFLINK_CELL(variant), how);
}

/* Checks the first page of A's mapping still holds A's data. */
static void check_source_map(struct __test_metadata *_metadata,
			     FIXTURE_DATA(reflink) *self,
			     const FIXTURE_VARIANT(reflink) *variant,
			     const unsigned char *map_a, const char *how)
{
	ssize_t bad = reflink_mem_mismatch(map_a, BLK, self->seed, 0);

	EXPECT_EQ(-1, bad)
		TH_LOG(REFLINK_CELL_FMT ": after %s, A's own mapping differs from A's data at offset %zd: the CoW changed the shared page in place",
		       REFLINK_CELL(variant), how, bad);
}

/*
 * Faults A in read-only and B read-write, stores a byte at B's offset 0,
 * and checks both mappings and check_cow(). With read_first, B's page is
 * read through the mapping before the store: the read fault maps the
 * shared block read-only, and the store takes the write-protect fault
 * (do_wp_page() -> ->pfn_mkwrite(), xfs_filemap_pfn_mkwrite()), which
 * must copy the page and replace the read-only mapping of the shared
 * block with the new one (dax_insert_entry(), fs/dax.c:882-891).
 */
static void write_fault_cow(struct __test_metadata *_metadata,
			    FIXTURE_DATA(reflink) *self,
			    const FIXTURE_VARIANT(reflink) *variant,
			    const struct cow_pair *p, const char *how, bool read_first)
{
	unsigned char *map_a, *map_b, c = ~reflink_pattern(self->seed, 0);
	ssize_t bad;

	map_a = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, p->a, 0);
	ASSERT_NE(MAP_FAILED, map_a) TH_LOG("mmap A: %s", strerror(errno));
	map_b = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, p->b, 0);
	ASSERT_NE(MAP_FAILED, map_b) TH_LOG("mmap B: %s", strerror(errno));
	ASSERT_EQ(reflink_pattern(self->seed, 0), map_a[0]);
	if (read_first)
		ASSERT_EQ(reflink_pattern(self->seed, 0), ((volatile unsigned char *)map_b)[0])
			TH_LOG(REFLINK_CELL_FMT ": before any store, B's mapping does not show A's data",
			       REFLINK_CELL(variant));

	map_b[0] = c;

	EXPECT_EQ(c, map_b[0])
		TH_LOG(REFLINK_CELL_FMT ": after %s, B's mapping shows 0x%02x at byte 0, expected the 0x%02x stored",
		       REFLINK_CELL(variant), how, map_b[0], c);
	bad = reflink_mem_mismatch(map_b + 1, BLK - 1, self->seed, 1);
	EXPECT_EQ(-1, bad)
		TH_LOG(REFLINK_CELL_FMT ": after %s, B's mapping differs from A's data at offset %zd: the fault must copy the whole page from the shared block (fs/dax.c:1694)",
		       REFLINK_CELL(variant), how, bad + 1);
	check_source_map(_metadata, self, variant, map_a, how);
	check_cow(_metadata, self, variant, p, c, how);
	munmap(map_a, FILE_SIZE);
	munmap(map_b, FILE_SIZE);
}

/* B12: a store to a MAP_SHARED mapping of a clone copies the page and leaves the source alone */
TEST_F(reflink, write_fault)
{
	struct cow_pair p;
	off_t bad = -1;
	int ret;

	REFLINK_NEED_REFLINK();
	make_pair(_metadata, self, variant, &p);
	write_fault_cow(_metadata, self, variant, &p, "a store through B's mapping", false);
	close(p.a);
	close(p.b);

	/* The remap is on disk: both files read back the same after a remount. */
	ret = reflink_remount(self, variant);
	ASSERT_EQ(0, ret) TH_LOG("remount: %s", strerror(-ret));
	p.a = reflink_open(self->root, "A");
	ASSERT_LE(0, p.a);
	p.b = reflink_open(self->root, "B");
	ASSERT_LE(0, p.b);
	ret = reflink_check_pattern(p.a, 0, FILE_SIZE, self->seed, 0, &bad);
	EXPECT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": after the CoW fault and a remount, A differs from its data at offset %jd",
		       REFLINK_CELL(variant), (intmax_t)bad);
	ret = reflink_check_pattern(p.b, 1, FILE_SIZE - 1, self->seed, 1, &bad);
	EXPECT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": after the CoW fault and a remount, B differs from A's data at offset %jd",
		       REFLINK_CELL(variant), (intmax_t)bad);
	EXPECT_EQ(0, fiemap_shared(p.b, 0))
		TH_LOG(REFLINK_CELL_FMT ": after a remount, B's block 0 is FIEMAP_EXTENT_SHARED again: the CoW remap was not persisted",
		       REFLINK_CELL(variant));
	close(p.a);
	close(p.b);
}

/* B12: a read fault on a clone's page, then a store to it: the write-protect fault copies the page */
TEST_F(reflink, read_then_write_fault)
{
	struct cow_pair p;

	REFLINK_NEED_REFLINK();
	make_pair(_metadata, self, variant, &p);
	write_fault_cow(_metadata, self, variant, &p,
			"a read of B's page through its mapping, then a store to it", true);
	close(p.a);
	close(p.b);
}

/* B13: pwrite() to a clone with a mapping faulted in: the mapping shows the new data */
TEST_F(reflink, pwrite_with_mapping)
{
	unsigned char *map_a, *map_b, c = ~reflink_pattern(self->seed, 0);
	struct cow_pair p;
	ssize_t bad;

	REFLINK_NEED_REFLINK();
	make_pair(_metadata, self, variant, &p);
	map_a = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, p.a, 0);
	ASSERT_NE(MAP_FAILED, map_a) TH_LOG("mmap A: %s", strerror(errno));
	map_b = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, p.b, 0);
	ASSERT_NE(MAP_FAILED, map_b) TH_LOG("mmap B: %s", strerror(errno));
	/* Fault both in: B's page table now maps the shared block. */
	ASSERT_EQ(reflink_pattern(self->seed, 0), map_a[0]);
	ASSERT_EQ(reflink_pattern(self->seed, 0), map_b[0]);

	ASSERT_EQ(1, pwrite(p.b, &c, 1, 0)) TH_LOG("pwrite B: %s", strerror(errno));

	/*
	 * 6.12 invalidates B's mapping of the old block on a CoW write
	 * (fs/dax.c:1471-1482); 6.1 only did so for IOMAP_F_NEW and would
	 * still show the source's byte here (6.1 fs/dax.c:1426).
	 */
	EXPECT_EQ(c, map_b[0])
		TH_LOG(REFLINK_CELL_FMT ": after pwrite() of 0x%02x to B, B's existing mapping still shows 0x%02x: the mapping of the old shared block was not invalidated (dax_iomap_iter(), fs/dax.c:1471-1482)",
		       REFLINK_CELL(variant), c, map_b[0]);
	bad = reflink_mem_mismatch(map_b + 1, FILE_SIZE - 1, self->seed, 1);
	EXPECT_EQ(-1, bad)
		TH_LOG(REFLINK_CELL_FMT ": after pwrite() to B, B's mapping differs from A's data at offset %zd",
		       REFLINK_CELL(variant), bad + 1);
	check_source_map(_metadata, self, variant, map_a, "pwrite() of one byte to B");
	check_cow(_metadata, self, variant, &p, c, "pwrite() of one byte to B");
	munmap(map_a, FILE_SIZE);
	munmap(map_b, FILE_SIZE);
	close(p.a);
	close(p.b);
}

/* B11, B12: after a remount, a reflinked file still has S_DAX and CoWs on a write fault */
TEST_F(reflink, write_fault_after_remount)
{
	struct cow_pair p;
	int ret;

	REFLINK_NEED_REFLINK();
	make_pair(_metadata, self, variant, &p);
	close(p.a);
	close(p.b);
	ret = reflink_remount(self, variant);
	ASSERT_EQ(0, ret) TH_LOG("remount: %s", strerror(-ret));

	ret = dax_kernel_at_least(REFLINK_DAX_KEPT_SINCE_MAJOR, REFLINK_DAX_KEPT_SINCE_MINOR);
	ASSERT_LE(0, ret) TH_LOG("uname: %s", strerror(-ret));
	if (!ret)
		SKIP(return, "a kernel before 6.2 drops S_DAX from reflinked inodes when it reads them back (6.1 xfs_inode_supports_dax(), xfs_iops.c:1189); reflink_clone's dax_after_remount checks that; here no DAX CoW fault can happen");
	ret = dax_s_dax(self->root, "B");
	ASSERT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": the clone B read back from disk has no S_DAX (%d); since 6.2 XFS keeps DAX on reflinked inodes",
		       REFLINK_CELL(variant), ret);
	reopen_pair(_metadata, self, &p);
	write_fault_cow(_metadata, self, variant, &p,
			"a store through B's mapping, B and A read back from disk", false);
	close(p.a);
	close(p.b);
}

TEST_HARNESS_MAIN
