// SPDX-License-Identifier: GPL-2.0
/*
 * reflink_clone - FICLONE, FICLONERANGE, FIDEDUPERANGE and UNSHARE between DAX files
 *
 * Behaviours B10, B11, B14 and B15 of the daxtest spec. On XFS the remap
 * ioctls between two S_DAX files share the blocks (dax_remap_file_range_prep(),
 * fs/dax.c:2076, compares for dedupe); a DAX file against a non-DAX one is
 * refused with EINVAL (xfs_reflink_remap_prep(), fs/xfs/xfs_reflink.c:1510-1512),
 * which FIDEDUPERANGE reports per destination as status -EINVAL.
 * FALLOC_FL_UNSHARE_RANGE gives the file private copies
 * (dax_file_unshare(), fs/dax.c:1313). A reflinked inode read back from
 * disk keeps S_DAX on 6.12; 6.1 dropped it (6.1 xfs_iops.c:1189). ext4 has
 * no ->remap_file_range: FICLONE/FICLONERANGE give EOPNOTSUPP
 * (fs/remap_range.c:391-392), FIDEDUPERANGE too (fs/remap_range.c:518-519),
 * and ext4_fallocate() refuses UNSHARE (fs/ext4/extents.c:4794-4797).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "reflink_fixture.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif

#define NBLK		4
#define FILE_SIZE	(NBLK * BLK)

/* Opens path under the root read-write, creating it; ASSERTs it worked. */
#define OPEN_RW(fd, path) do { \
	(fd) = reflink_open(self->root, (path)); \
	ASSERT_LE(0, (fd)) TH_LOG("open %s: %s", (path), strerror(-(fd))); \
} while (0)

/* Checks that fd holds len bytes of the pattern from pat_pos at off. */
static void check_data(struct __test_metadata *_metadata,
		       FIXTURE_DATA(reflink) *self,
		       const FIXTURE_VARIANT(reflink) *variant,
		       int fd, off_t off, size_t len, off_t pat_pos,
		       const char *what)
{
	off_t bad = -1;
	int ret;

	ret = reflink_check_pattern(fd, off, len, self->seed, pat_pos, &bad);
	EXPECT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": %s: read() differs from the expected data at offset %jd (%d)",
		       REFLINK_CELL(variant), what, (intmax_t)bad, ret);
}

/* Checks that block dst_blk of dst is block src_blk of src, and shared in both. */
static void check_shared(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(reflink) *variant,
			 int src, int src_blk, int dst, int dst_blk,
			 const char *what)
{
	unsigned long long ps = reflink_phys(src, (off_t)src_blk * BLK);
	unsigned long long pd = reflink_phys(dst, (off_t)dst_blk * BLK);

	EXPECT_NE(0ULL, ps) TH_LOG("%s: FIEMAP finds no source block %d", what, src_blk);
	EXPECT_EQ(ps, pd)
		TH_LOG(REFLINK_CELL_FMT ": %s: destination block %d is at 0x%llx, source block %d at 0x%llx: not shared",
		       REFLINK_CELL(variant), what, dst_blk, pd, src_blk, ps);
	EXPECT_EQ(1, fiemap_shared(src, (off_t)src_blk * BLK))
		TH_LOG(REFLINK_CELL_FMT ": %s: source block %d lacks FIEMAP_EXTENT_SHARED",
		       REFLINK_CELL(variant), what, src_blk);
	EXPECT_EQ(1, fiemap_shared(dst, (off_t)dst_blk * BLK))
		TH_LOG(REFLINK_CELL_FMT ": %s: destination block %d lacks FIEMAP_EXTENT_SHARED",
		       REFLINK_CELL(variant), what, dst_blk);
}

/* B10: FICLONE between two S_DAX files shares every block (ext4: EOPNOTSUPP) */
TEST_F(reflink, ficlone)
{
	int a, b, i, ret;

	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	OPEN_RW(a, "A");
	OPEN_RW(b, "B");
	ret = reflink_clone(a, b);
	if (!variant->reflink) {
		EXPECT_EQ(-EOPNOTSUPP, ret)
			TH_LOG(REFLINK_CELL_FMT ": FICLONE gave %s, expected EOPNOTSUPP: ext4 has no ->remap_file_range (fs/remap_range.c:391-392)",
			       REFLINK_CELL(variant), strerror(-ret));
		goto out;
	}
	ASSERT_EQ(0, ret)
		TH_LOG(REFLINK_CELL_FMT ": FICLONE between two S_DAX files: %s, expected success",
		       REFLINK_CELL(variant), strerror(-ret));
	EXPECT_EQ(1, dax_s_dax(self->root, "B"))
		TH_LOG(REFLINK_CELL_FMT ": the clone lost S_DAX", REFLINK_CELL(variant));
	check_data(_metadata, self, variant, b, 0, FILE_SIZE, 0, "the clone B");
	for (i = 0; i < NBLK; i++)
		check_shared(_metadata, variant, a, i, b, i, "after FICLONE");
out:
	close(a);
	close(b);
}

/* B10: FICLONERANGE shares just the range, at another offset (ext4: EOPNOTSUPP) */
TEST_F(reflink, ficlonerange)
{
	unsigned int other = self->seed ^ 0x5a5a5a5a;
	unsigned char c = 0;
	int a, b, ret;

	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	reflink_make(_metadata, self, variant, "B", FILE_SIZE, other);
	OPEN_RW(a, "A");
	OPEN_RW(b, "B");
	/* A's blocks 1 and 2 to B's blocks 2 and 3. */
	ret = reflink_clone_range(a, BLK, 2 * BLK, b, 2 * BLK);
	if (!variant->reflink) {
		EXPECT_EQ(-EOPNOTSUPP, ret)
			TH_LOG(REFLINK_CELL_FMT ": FICLONERANGE gave %s, expected EOPNOTSUPP (fs/remap_range.c:391-392)",
			       REFLINK_CELL(variant), strerror(-ret));
		goto out;
	}
	ASSERT_EQ(0, ret)
		TH_LOG(REFLINK_CELL_FMT ": FICLONERANGE between two S_DAX files: %s, expected success",
		       REFLINK_CELL(variant), strerror(-ret));
	check_data(_metadata, self, variant, b, 2 * BLK, 2 * BLK, BLK,
		   "B's blocks 2-3 after FICLONERANGE of A's blocks 1-2");
	check_data(_metadata, self, variant, a, 0, FILE_SIZE, 0,
		   "the source A after FICLONERANGE");
	check_shared(_metadata, variant, a, 1, b, 2, "after FICLONERANGE");
	check_shared(_metadata, variant, a, 2, b, 3, "after FICLONERANGE");
	EXPECT_EQ(0, fiemap_shared(b, 0))
		TH_LOG(REFLINK_CELL_FMT ": B's block 0, outside the cloned range, is FIEMAP_EXTENT_SHARED",
		       REFLINK_CELL(variant));
	EXPECT_EQ(0, fiemap_shared(a, 0))
		TH_LOG(REFLINK_CELL_FMT ": A's block 0, outside the cloned range, is FIEMAP_EXTENT_SHARED",
		       REFLINK_CELL(variant));
	EXPECT_EQ(1, pread(b, &c, 1, 0));
	EXPECT_EQ(reflink_pattern(other, 0), c)
		TH_LOG(REFLINK_CELL_FMT ": B's block 0, outside the cloned range, changed",
		       REFLINK_CELL(variant));
out:
	close(a);
	close(b);
}

/* B15: FIDEDUPERANGE of identical data: bytes_deduped = len, blocks shared (ext4: EOPNOTSUPP) */
TEST_F(reflink, dedupe_same)
{
	uint64_t deduped = 0;
	int32_t status = 1;
	int a, b, i, ret;

	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	reflink_make(_metadata, self, variant, "B", FILE_SIZE, self->seed);
	OPEN_RW(a, "A");
	OPEN_RW(b, "B");
	ret = reflink_dedupe(a, 0, FILE_SIZE, b, 0, &status, &deduped);
	if (!variant->reflink) {
		EXPECT_EQ(-EOPNOTSUPP, ret)
			TH_LOG(REFLINK_CELL_FMT ": FIDEDUPERANGE gave %s, expected EOPNOTSUPP: ext4 has no ->remap_file_range (fs/remap_range.c:518-519)",
			       REFLINK_CELL(variant), strerror(-ret));
		goto out;
	}
	ASSERT_EQ(0, ret) TH_LOG("FIDEDUPERANGE: %s", strerror(-ret));
	EXPECT_EQ(FILE_DEDUPE_RANGE_SAME, status)
		TH_LOG(REFLINK_CELL_FMT ": dedupe of identical DAX files: status %d, expected FILE_DEDUPE_RANGE_SAME (dax_dedupe_file_range_compare(), fs/dax.c)",
		       REFLINK_CELL(variant), status);
	EXPECT_EQ((uint64_t)FILE_SIZE, deduped)
		TH_LOG(REFLINK_CELL_FMT ": bytes_deduped %ju, expected %d",
		       REFLINK_CELL(variant), (uintmax_t)deduped, FILE_SIZE);
	for (i = 0; i < NBLK; i++)
		check_shared(_metadata, variant, a, i, b, i, "after FIDEDUPERANGE");
	check_data(_metadata, self, variant, b, 0, FILE_SIZE, 0, "B after dedupe");
out:
	close(a);
	close(b);
}

/* B15: FIDEDUPERANGE where the last byte differs: FILE_DEDUPE_RANGE_DIFFERS, nothing shared */
TEST_F(reflink, dedupe_differs)
{
	unsigned char c = ~reflink_pattern(self->seed, FILE_SIZE - 1);
	uint64_t deduped = 1;
	int32_t status = 0;
	int a, b, ret;

	REFLINK_NEED_REFLINK();
	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	reflink_make(_metadata, self, variant, "B", FILE_SIZE, self->seed);
	OPEN_RW(a, "A");
	OPEN_RW(b, "B");
	ASSERT_EQ(1, pwrite(b, &c, 1, FILE_SIZE - 1));
	ret = reflink_dedupe(a, 0, FILE_SIZE, b, 0, &status, &deduped);
	ASSERT_EQ(0, ret) TH_LOG("FIDEDUPERANGE: %s", strerror(-ret));
	EXPECT_EQ(FILE_DEDUPE_RANGE_DIFFERS, status)
		TH_LOG(REFLINK_CELL_FMT ": dedupe of DAX files whose last byte differs: status %d, expected FILE_DEDUPE_RANGE_DIFFERS",
		       REFLINK_CELL(variant), status);
	EXPECT_EQ(0ULL, (unsigned long long)deduped)
		TH_LOG(REFLINK_CELL_FMT ": bytes_deduped %ju of differing data",
		       REFLINK_CELL(variant), (uintmax_t)deduped);
	EXPECT_EQ(0, fiemap_any_shared(b))
		TH_LOG(REFLINK_CELL_FMT ": after a dedupe that differs, B has a shared extent",
		       REFLINK_CELL(variant));
	check_data(_metadata, self, variant, b, 0, FILE_SIZE - 1, 0, "B after a refused dedupe");
	close(a);
	close(b);
}

/*
 * Makes D: block 0 written with pattern bytes [0, BLK), block 1 cloned from
 * a scratch file holding pattern bytes [BLK, 2 BLK) -- the same data as A's
 * first two blocks, in two extents at unrelated addresses. If last differs,
 * D's last byte is changed.
 */
static void make_two_extents(struct __test_metadata *_metadata,
			     FIXTURE_DATA(reflink) *self,
			     const FIXTURE_VARIANT(reflink) *variant,
			     int *d, bool last_differs)
{
	unsigned char c = ~reflink_pattern(self->seed, 2 * BLK - 1);
	int s, ret;

	OPEN_RW(s, "S");
	ASSERT_EQ(0, reflink_write_pattern(s, 0, BLK, self->seed, BLK));
	OPEN_RW(*d, "D");
	ASSERT_EQ(0, reflink_write_pattern(*d, 0, BLK, self->seed, 0));
	ret = reflink_clone_range(s, 0, BLK, *d, BLK);
	ASSERT_EQ(0, ret) TH_LOG("FICLONERANGE S to D's block 1: %s", strerror(-ret));
	close(s);
	ASSERT_EQ(0, unlinkat(self->root, "S", 0));
	if (last_differs)
		ASSERT_EQ(1, pwrite(*d, &c, 1, 2 * BLK - 1));
	ret = fiemap_count(*d, 2 * BLK);
	ASSERT_EQ(2, ret)
		TH_LOG(REFLINK_CELL_FMT ": precondition: D should have two extents, FIEMAP counts %d",
		       REFLINK_CELL(variant), ret);
	ASSERT_NE(reflink_phys(*d, 0) + BLK, reflink_phys(*d, BLK))
		TH_LOG("precondition: D's two blocks should not be adjacent");
}

/*
 * B15: dedupe against a destination of two extents compares each against
 * the right part of the source; 6.1 never advanced the source (6.1 fs/dax.c:1996)
 */
TEST_F(reflink, dedupe_two_extents)
{
	uint64_t deduped;
	int32_t status;
	int a, d, i, ret;

	REFLINK_NEED_REFLINK();
	for (i = 0; i < 2; i++) {
		bool differs = i == 1;

		reflink_make(_metadata, self, variant, "A", 2 * BLK, self->seed);
		OPEN_RW(a, "A");
		make_two_extents(_metadata, self, variant, &d, differs);
		status = 1;
		deduped = 1;
		ret = reflink_dedupe(a, 0, 2 * BLK, d, 0, &status, &deduped);
		ASSERT_EQ(0, ret) TH_LOG("FIDEDUPERANGE: %s", strerror(-ret));
		EXPECT_EQ(differs ? FILE_DEDUPE_RANGE_DIFFERS : FILE_DEDUPE_RANGE_SAME, status)
			TH_LOG(REFLINK_CELL_FMT ": dedupe of a one-extent source against a two-extent destination %s: status %d, expected %s: the compare must advance through both files (dax_dedupe_file_range_compare(), fs/dax.c)",
			       REFLINK_CELL(variant),
			       differs ? "whose last byte differs" : "with the same data",
			       status, differs ? "FILE_DEDUPE_RANGE_DIFFERS" : "FILE_DEDUPE_RANGE_SAME");
		EXPECT_EQ(differs ? 0ULL : 2ULL * BLK, (unsigned long long)deduped)
			TH_LOG(REFLINK_CELL_FMT ": bytes_deduped %ju", REFLINK_CELL(variant),
			       (uintmax_t)deduped);
		if (!differs) {
			check_shared(_metadata, variant, a, 0, d, 0, "after dedupe");
			check_shared(_metadata, variant, a, 1, d, 1, "after dedupe");
		}
		close(a);
		close(d);
		ASSERT_EQ(0, unlinkat(self->root, "A", 0));
		ASSERT_EQ(0, unlinkat(self->root, "D", 0));
	}
}

/* B10: a DAX file against a non-DAX one: EINVAL, and status -EINVAL for dedupe */
TEST_F(reflink, dax_with_non_dax)
{
	uint64_t deduped = 1;
	int32_t status = 0;
	int a, p, ret;

	REFLINK_NEED_REFLINK();
	if (variant->mode != DAX_MOUNT_INODE)
		SKIP(return, "under %s every regular file has S_DAX: no non-DAX file to pair with",
		     dax_mount_option(variant->mode));
	ASSERT_EQ(0, dax_mkdir(self->root, "plain", false));
	/* The new directory inherited the root's flag (A4): clear it. */
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "plain", false));
	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	ASSERT_EQ(0, reflink_create(self->root, "plain/P", FILE_SIZE, self->seed));
	ASSERT_EQ(0, dax_s_dax(self->root, "plain/P"))
		TH_LOG("precondition: plain/P, under a directory without FS_XFLAG_DAX, has S_DAX");
	OPEN_RW(a, "A");
	OPEN_RW(p, "plain/P");

	ret = reflink_clone(a, p);
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG(REFLINK_CELL_FMT ": FICLONE from a DAX file to a non-DAX file gave %s, expected EINVAL (fs/xfs/xfs_reflink.c:1510-1512)",
		       REFLINK_CELL(variant), ret ? strerror(-ret) : "success");
	ret = reflink_clone(p, a);
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG(REFLINK_CELL_FMT ": FICLONE from a non-DAX file to a DAX file gave %s, expected EINVAL (fs/xfs/xfs_reflink.c:1510-1512)",
		       REFLINK_CELL(variant), ret ? strerror(-ret) : "success");
	ret = reflink_clone_range(a, 0, BLK, p, 0);
	EXPECT_EQ(-EINVAL, ret)
		TH_LOG(REFLINK_CELL_FMT ": FICLONERANGE DAX to non-DAX gave %s, expected EINVAL",
		       REFLINK_CELL(variant), ret ? strerror(-ret) : "success");
	ret = reflink_dedupe(a, 0, FILE_SIZE, p, 0, &status, &deduped);
	EXPECT_EQ(0, ret)
		TH_LOG(REFLINK_CELL_FMT ": FIDEDUPERANGE itself failed with %s; the error belongs in the destination's status",
		       REFLINK_CELL(variant), strerror(-ret));
	EXPECT_EQ(-EINVAL, status)
		TH_LOG(REFLINK_CELL_FMT ": dedupe of identical data, DAX to non-DAX: status %d, expected -EINVAL (%d) (fs/xfs/xfs_reflink.c:1510-1512)",
		       REFLINK_CELL(variant), status, -EINVAL);
	EXPECT_EQ(0ULL, (unsigned long long)deduped);
	EXPECT_EQ(0, fiemap_any_shared(a))
		TH_LOG(REFLINK_CELL_FMT ": after the refused remaps, the DAX file A has a shared extent",
		       REFLINK_CELL(variant));
	close(a);
	close(p);
}

/* B14: FALLOC_FL_UNSHARE_RANGE gives the clone its own blocks, data unchanged (ext4: EOPNOTSUPP) */
TEST_F(reflink, unshare)
{
	int a, b, i, ret;

	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	OPEN_RW(a, "A");
	if (!variant->reflink) {
		ret = fallocate(a, FALLOC_FL_UNSHARE_RANGE, 0, FILE_SIZE) ? -errno : 0;
		EXPECT_EQ(-EOPNOTSUPP, ret)
			TH_LOG(REFLINK_CELL_FMT ": FALLOC_FL_UNSHARE_RANGE gave %s, expected EOPNOTSUPP (ext4_fallocate(), fs/ext4/extents.c:4794-4797)",
			       REFLINK_CELL(variant), ret ? strerror(-ret) : "success");
		close(a);
		return;
	}
	OPEN_RW(b, "B");
	ASSERT_EQ(0, reflink_clone(a, b));
	ASSERT_EQ(1, fiemap_any_shared(b))
		TH_LOG("precondition: after FICLONE, B has no shared extent");

	ret = fallocate(b, FALLOC_FL_UNSHARE_RANGE, 0, FILE_SIZE) ? -errno : 0;
	ASSERT_EQ(0, ret)
		TH_LOG(REFLINK_CELL_FMT ": FALLOC_FL_UNSHARE_RANGE of the whole clone: %s",
		       REFLINK_CELL(variant), strerror(-ret));
	check_data(_metadata, self, variant, b, 0, FILE_SIZE, 0,
		   "B after unshare (dax_file_unshare() copies, fs/dax.c:1313)");
	check_data(_metadata, self, variant, a, 0, FILE_SIZE, 0, "A after B's unshare");
	EXPECT_EQ(0, fiemap_any_shared(b))
		TH_LOG(REFLINK_CELL_FMT ": after a whole-file unshare, B still has a FIEMAP_EXTENT_SHARED extent",
		       REFLINK_CELL(variant));
	EXPECT_EQ(0, fiemap_any_shared(a))
		TH_LOG(REFLINK_CELL_FMT ": after B's whole-file unshare, A still has a FIEMAP_EXTENT_SHARED extent",
		       REFLINK_CELL(variant));
	for (i = 0; i < NBLK; i++)
		EXPECT_NE(reflink_phys(a, (off_t)i * BLK), reflink_phys(b, (off_t)i * BLK))
			TH_LOG(REFLINK_CELL_FMT ": after unshare, B's block %d is still A's",
			       REFLINK_CELL(variant), i);
	close(a);
	close(b);
}

/* 1 if a MAP_SYNC mapping of dirfd/path can be made, 0 if EOPNOTSUPP. */
static int map_sync_works(int dirfd, const char *path)
{
	void *map;
	int fd, ret;

	fd = openat(dirfd, path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	map = mmap(NULL, BLK, PROT_READ | PROT_WRITE,
		   MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
	if (map == MAP_FAILED) {
		ret = errno == EOPNOTSUPP ? 0 : -errno;
	} else {
		munmap(map, BLK);
		ret = 1;
	}
	close(fd);
	return ret;
}

/*
 * The 6.1 behaviour of B11, checked for consistency on a kernel that drops
 * S_DAX from reflinked inodes: MAP_SYNC is refused, and a whole-file
 * unshare of both files clears the reflink flag so DAX comes back.
 */
static void check_dax_dropped(struct __test_metadata *_metadata,
			      FIXTURE_DATA(reflink) *self,
			      const FIXTURE_VARIANT(reflink) *variant)
{
	int a, b, ret;

	ret = map_sync_works(self->root, "B");
	EXPECT_EQ(0, ret)
		TH_LOG(REFLINK_CELL_FMT ": B has no S_DAX, but MAP_SYNC gave %d, expected EOPNOTSUPP",
		       REFLINK_CELL(variant), ret);
	OPEN_RW(a, "A");
	OPEN_RW(b, "B");
	EXPECT_EQ(0, fallocate(a, FALLOC_FL_UNSHARE_RANGE, 0, FILE_SIZE));
	EXPECT_EQ(0, fallocate(b, FALLOC_FL_UNSHARE_RANGE, 0, FILE_SIZE));
	close(a);
	close(b);
	ret = reflink_remount(self, variant);
	ASSERT_EQ(0, ret) TH_LOG("remount: %s", strerror(-ret));
	EXPECT_EQ(1, dax_s_dax(self->root, "A"))
		TH_LOG(REFLINK_CELL_FMT ": after a whole-file unshare and a remount, A still has no S_DAX: unshare should clear the reflink flag",
		       REFLINK_CELL(variant));
	EXPECT_EQ(1, dax_s_dax(self->root, "B"))
		TH_LOG(REFLINK_CELL_FMT ": after a whole-file unshare and a remount, B still has no S_DAX",
		       REFLINK_CELL(variant));
}

/*
 * B11: reflinked files read back from disk keep S_DAX on 6.12 (6.1 dropped
 * it until a whole-file unshare); either way both files agree and the
 * outcome is consistent with MAP_SYNC
 */
TEST_F(reflink, dax_after_remount)
{
	int a, b, ret, dax_a, dax_b, kept;

	REFLINK_NEED_REFLINK();
	reflink_make(_metadata, self, variant, "A", FILE_SIZE, self->seed);
	reflink_make(_metadata, self, variant, "C", FILE_SIZE, self->seed);
	OPEN_RW(a, "A");
	OPEN_RW(b, "B");
	ASSERT_EQ(0, reflink_clone(a, b));
	close(a);
	close(b);
	ret = reflink_remount(self, variant);
	ASSERT_EQ(0, ret) TH_LOG("remount: %s", strerror(-ret));

	ASSERT_EQ(1, dax_s_dax(self->root, "C"))
		TH_LOG(REFLINK_CELL_FMT ": precondition: the file C, never reflinked, has no S_DAX after a remount",
		       REFLINK_CELL(variant));
	dax_a = dax_s_dax(self->root, "A");
	dax_b = dax_s_dax(self->root, "B");
	ASSERT_EQ(dax_a, dax_b)
		TH_LOG(REFLINK_CELL_FMT ": after a remount, S_DAX of the source is %d and of the clone %d: both have the reflink flag and must agree",
		       REFLINK_CELL(variant), dax_a, dax_b);
	kept = dax_kernel_at_least(REFLINK_DAX_KEPT_SINCE_MAJOR, REFLINK_DAX_KEPT_SINCE_MINOR);
	ASSERT_LE(0, kept) TH_LOG("uname: %s", strerror(-kept));
	if (!kept) {
		/* Before 6.2 xfs_inode_supports_dax() refuses reflinked inodes. */
		ASSERT_EQ(0, dax_b)
			TH_LOG(REFLINK_CELL_FMT ": a kernel before 6.2 refuses DAX to reflinked inodes (6.1 xfs_iops.c:1189), yet the clone read back from disk has S_DAX",
			       REFLINK_CELL(variant));
		check_dax_dropped(_metadata, self, variant);
		return;
	}
	ASSERT_EQ(1, dax_b)
		TH_LOG(REFLINK_CELL_FMT ": after a remount the reflinked files lost S_DAX; since 6.2 (\"xfs: remove restrictions for fsdax and reflink\") xfs_inode_supports_dax() keeps DAX on reflinked inodes",
		       REFLINK_CELL(variant));
	ret = map_sync_works(self->root, "B");
	EXPECT_EQ(1, ret)
		TH_LOG(REFLINK_CELL_FMT ": the clone has S_DAX after a remount but MAP_SYNC gave %d, expected a mapping",
		       REFLINK_CELL(variant), ret);
	OPEN_RW(b, "B");
	check_data(_metadata, self, variant, b, 0, FILE_SIZE, 0, "the clone B after a remount");
	EXPECT_EQ(1, fiemap_shared(b, 0))
		TH_LOG(REFLINK_CELL_FMT ": after a remount, B's block 0 lost FIEMAP_EXTENT_SHARED",
		       REFLINK_CELL(variant));
	close(b);
}

TEST_HARNESS_MAIN
