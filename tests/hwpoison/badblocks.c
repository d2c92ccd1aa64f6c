// SPDX-License-Identifier: GPL-2.0
/*
 * badblocks - known bad blocks on QEMU's NVDIMM: EIO, SIGBUS, and no clearing
 *
 * Behaviours D25, D26 and D27 of the daxtest spec, on the fsdax namespace of
 * the run's matrix cell ($DAXTEST_PMEM, QEMU's emulated NVDIMM).
 *
 * D25: a range written to /sys/block/pmemX/badblocks (block/genhd.c:780,
 * badblocks_store()) is in pmem->bb, so __pmem_direct_access() returns
 * -EHWPOISON for any page that touches it (drivers/nvdimm/pmem.c:252-283).
 * A DAX read turns that into EIO (dax_mem2blk_err(), fs/dax.c:1511) and
 * stops at the bad page (fs/dax.c:1540-1547: done ? done : ret); a DAX
 * fault turns it into VM_FAULT_HWPOISON (vmf_error(), include/linux/mm.h:3633)
 * and the x86 fault handler sends SIGBUS with BUS_MCEERR_AR, lsb PAGE_SHIFT
 * and logs "MCE: Killing" (do_sigbus(), arch/x86/mm/fault.c:909-945).
 *
 * D26: a write over the bad page takes the recovery path (fs/dax.c:1503,
 * pmem_recovery_write(), drivers/nvdimm/pmem.c:335-371), whose
 * nvdimm_clear_poison() (drivers/nvdimm/bus.c:217) needs ARS_CAP and
 * CLEAR_ERROR from the NFIT _DSM; QEMU implements neither, so nothing is
 * cleared, the copy is skipped and the write fails with EFAULT
 * (fs/dax.c:1542); a write smaller than a page cannot be recovered at all
 * (pmem.c:349-353).
 *
 * D26 hole punch: FALLOC_FL_PUNCH_HOLE of a whole page frees its block
 * without reading or zeroing it (xfs_free_file_space(), ext4_punch_hole():
 * only partial blocks are zeroed), a hole reads as zeros without
 * dax_direct_access(), and the rewrite allocates a new block away from the
 * freed one, which is still busy (XFS: xfs_extent_busy_trim()) or not yet
 * committed (ext4: ext4_mb_free_metadata()). Nothing clears the bad range.
 *
 * D27: ndctl inject-error needs the ARS_INJECT commands (ndctl
 * ndctl/lib/inject.c, ndctl_bus_has_error_injection()), which QEMU lacks.
 *
 * A range added here cannot be removed again (badblocks_store() only
 * sets): each test marks its own pages, on a fresh filesystem whose victim
 * file hwp_fs.h places on pages no earlier test used.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "hwp_fs.h"
#include "kmsg_find.h"

/* The page each test makes bad, and its neighbours. */
#define BAD_PAGE	8
/* The page punch_rewrite makes bad. */
#define PUNCH_PAGE	12

/* The victim on XFS (rmapbt) or ext4, mounted dax=always. */
FIXTURE(qbb) {
	struct hwp_fs f;
};

FIXTURE_VARIANT(qbb) {
	enum dax_fs_type fs;
};

FIXTURE_VARIANT_ADD(qbb, xfs) {
	.fs = DAX_FS_XFS,
};

FIXTURE_VARIANT_ADD(qbb, ext4) {
	.fs = DAX_FS_EXT4,
};

FIXTURE_SETUP(qbb)
{
	hwp_fs_setup(_metadata, &self->f, variant->fs);
}

FIXTURE_TEARDOWN_PARENT(qbb)
{
	hwp_fs_teardown(_metadata, &self->f);
}

/* Marks victim page p bad (8 sectors) and checks the list shows it. */
static void mark_bad(struct __test_metadata *_metadata, struct hwp_fs *f, unsigned int p)
{
	unsigned long long sector = hwp_sector(f, p);
	char bb[4096];
	int ret;

	ret = hwp_badblocks_add(f->disk, sector, 8);
	ASSERT_EQ(0, ret) TH_LOG("echo \"%llu 8\" > /sys/block/%s/badblocks: %s",
				 sector, f->disk, strerror(-ret));
	ret = hwp_badblocks_read(f->disk, bb, sizeof(bb));
	ASSERT_LE(0, ret);
	TH_LOG("victim page %u (file offset %lld) is sector %llu; /sys/block/%s/badblocks now:",
	       p, (long long)hwp_off(f, p), sector, f->disk);
	HWP_LOG_LINES(bb);
	ASSERT_EQ(1, hwp_badblocks_covers(bb, sector, 8, false))
		TH_LOG("the badblocks list does not show \"%llu 8\" after writing it (block/badblocks.c badblocks_set())",
		       sector);
}

/* Checks that victim page p reads back whole and unchanged with pread(). */
static void expect_page_reads(struct __test_metadata *_metadata, struct hwp_fs *f,
			      unsigned int p, const char *why)
{
	char buf[HWP_PAGE];
	ssize_t n;

	n = pread(f->fd, buf, sizeof(buf), hwp_off(f, p));
	EXPECT_EQ((ssize_t)sizeof(buf), n)
		TH_LOG("pread of victim page %u (%s) returned %zd (%s), expected %lu: only the bad page may fail",
		       p, why, n, n < 0 ? strerror(errno) : "short", HWP_PAGE);
	if (n == (ssize_t)sizeof(buf))
		EXPECT_TRUE(hwp_all(buf, sizeof(buf), hwp_fill(p)))
			TH_LOG("victim page %u (%s) does not hold its '%c' bytes", p, why,
			       hwp_fill(p));
}

/*
 * D25: pread() of a known bad page gives EIO, for the whole page, and the
 * neighbours read fine. A read that starts on the good page before it and
 * covers the bad one fails with EIO as a whole, not with the short count
 * the spec says: dax_iomap_iter() asks dax_direct_access() for the whole
 * range of the extent at once (fs/dax.c:1495-1500), __pmem_direct_access()
 * fails it if any sector in it is bad (drivers/nvdimm/pmem.c:266-275; only
 * DAX_RECOVERY_WRITE gets the good prefix), and nothing was copied yet
 * (fs/dax.c:1509-1512, :1547).
 */
TEST_F(qbb, pread_eio)
{
	struct hwp_fs *f = &self->f;
	char buf[2 * HWP_PAGE];
	ssize_t n;

	mark_bad(_metadata, f, BAD_PAGE);

	errno = 0;
	n = pread(f->fd, buf, HWP_PAGE, hwp_off(f, BAD_PAGE));
	EXPECT_EQ(-1, n) TH_LOG("pread of the bad page returned %zd, expected -1 EIO (pmem.c:275 -EHWPOISON, dax_mem2blk_err() fs/dax.c:1511)", n);
	EXPECT_EQ(EIO, errno) TH_LOG("pread of the bad page failed with %s, expected EIO", strerror(errno));

	/* 512 bytes from the middle of the page: the whole page is bad. */
	errno = 0;
	n = pread(f->fd, buf, 512, hwp_off(f, BAD_PAGE) + 2048);
	EXPECT_EQ(-1, n) TH_LOG("pread of 512 bytes inside the bad page returned %zd, expected -1 EIO: DAX reads whole pages (pmem.c:258-260)", n);
	EXPECT_EQ(EIO, errno) TH_LOG("pread of 512 bytes inside the bad page: %s, expected EIO", strerror(errno));

	/* Two pages from the good page before it. */
	errno = 0;
	n = pread(f->fd, buf, sizeof(buf), hwp_off(f, BAD_PAGE - 1));
	TH_LOG("pread of pages %u-%u (good, bad): %zd (%s)", BAD_PAGE - 1, BAD_PAGE, n,
	       n < 0 ? strerror(errno) : "bytes");
	EXPECT_EQ(-1, n)
		TH_LOG("pread of pages %u-%u returned %zd, expected -1 EIO: one dax_direct_access() covers both pages and fails (fs/dax.c:1495-1512, pmem.c:266-275); D25's \"short count\" would need the good page mapped by a call of its own",
		       BAD_PAGE - 1, BAD_PAGE, n);
	EXPECT_EQ(EIO, errno);

	expect_page_reads(_metadata, f, BAD_PAGE - 1, "before the bad page");
	expect_page_reads(_metadata, f, BAD_PAGE + 1, "after the bad page");
}

/*
 * D25: an mmap load of a bad page that is not mapped yet gives SIGBUS
 * BUS_MCEERR_AR at the page address with lsb 12 on 6.12; a page mapped
 * before its range turned bad stays readable.
 */
TEST_F(qbb, mmap_sigbus)
{
	const unsigned int mapped = BAD_PAGE + 2;
	struct hwp_fs *f = &self->f;
	struct hwp_sigbus *sb;
	int kmsg, ret, status;
	pid_t pid;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	mark_bad(_metadata, f, BAD_PAGE);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		volatile const char *map;
		char c;

		if (hwp_sigbus_catch(sb, true))
			_exit(10);
		map = mmap(NULL, HWP_VICTIM_PAGES * HWP_PAGE, PROT_READ, MAP_SHARED, f->fd,
			   hwp_off(f, 0));
		if (map == MAP_FAILED) {
			sb->err = errno;
			_exit(11);
		}
		sb->base = (void *)map;
		/* Fault in one page, then make it bad: it stays mapped. */
		sb->step = 1;
		if (sigsetjmp(hwp_jmp, 1))
			_exit(12);
		c = map[mapped * HWP_PAGE];
		if (c != hwp_fill(mapped))
			_exit(13);
		ret = hwp_badblocks_add(f->disk, hwp_sector(f, mapped), 8);
		if (ret) {
			sb->err = -ret;
			_exit(14);
		}
		sb->step = 2;
		c = map[mapped * HWP_PAGE + 100];
		sb->ret = c;
		if (c != hwp_fill(mapped))
			_exit(15);
		/* The bad page, never mapped. */
		sb->step = 3;
		if (sigsetjmp(hwp_jmp, 1))
			_exit(0);
		c = map[BAD_PAGE * HWP_PAGE];
		sb->ret = c;
		sb->step = 4;	/* no SIGBUS */
		_exit(0);
	}
	status = hwp_wait(pid);
	TH_LOG("child: exit %d, step %d, SIGBUS count %d: si_code %d (%s), si_addr %p (bad page at %p), si_addr_lsb %d",
	       status, sb->step, sb->count, sb->code, hwp_si_code_name(sb->code),
	       sb->addr, sb->base ? (char *)sb->base + BAD_PAGE * HWP_PAGE : NULL,
	       sb->lsb);
	ASSERT_NE(11, status) TH_LOG("mmap of the victim failed: %s", strerror(sb->err));
	EXPECT_NE(12, status)
		TH_LOG("reading victim page %u (good then) gave SIGBUS: si_code %s", mapped,
		       hwp_si_code_name(sb->code));
	EXPECT_NE(14, status) TH_LOG("marking page %u bad in the child: %s", mapped,
				     strerror(sb->err));
	EXPECT_NE(15, status)
		TH_LOG("page %u, mapped before it was marked bad, read back '%c' instead of '%c' after",
		       mapped, (char)sb->ret, hwp_fill(mapped));
	EXPECT_EQ(0, status) TH_LOG("the child failed at step %d", sb->step);
	EXPECT_EQ(3, sb->step)
		TH_LOG("loading the bad page through the mapping did not raise SIGBUS (step %d, read '%c'): the DAX fault must fail with VM_FAULT_HWPOISON (fs/dax.c:1346, mm.h:3633)",
		       sb->step, (char)sb->ret);
	EXPECT_EQ(1, sb->count) TH_LOG("SIGBUS came %d times, expected once", sb->count);
	EXPECT_EQ((char *)sb->base + BAD_PAGE * HWP_PAGE, (char *)sb->addr)
		TH_LOG("si_addr %p, expected the address loaded, %p (force_sig_mceerr(..., address, ...))",
		       sb->addr, (char *)sb->base + BAD_PAGE * HWP_PAGE);
	EXPECT_EQ(BUS_MCEERR_AR, sb->code)
		TH_LOG("SIGBUS si_code %d (%s), expected BUS_MCEERR_AR: -EHWPOISON (pmem.c:275) -> VM_FAULT_HWPOISON (mm.h:3633) -> arch/x86/mm/fault.c:942 (6.1 gave BUS_ADRERR)",
		       sb->code, hwp_si_code_name(sb->code));
	EXPECT_EQ(12, sb->lsb)
		TH_LOG("si_addr_lsb %d, expected PAGE_SHIFT 12 for VM_FAULT_HWPOISON (fault.c:940)",
		       sb->lsb);
	ret = kmsg_find(kmsg, "MCE: Killing");
	EXPECT_EQ(1, ret) TH_LOG("no \"MCE: Killing <comm>:<pid> due to hardware memory corruption fault\" in the kernel log (arch/x86/mm/fault.c:936), kmsg_find %d",
				 ret);
	close(kmsg);
	munmap(sb, HWP_PAGE);
}

/*
 * D26: on QEMU a page-aligned write() over the bad page cannot clear it:
 * 6.12 fails it with EFAULT and the entry stays; a write smaller than a
 * page gives EFAULT too.
 */
TEST_F(qbb, write_does_not_clear)
{
	struct hwp_fs *f = &self->f;
	unsigned long long sector = hwp_sector(f, BAD_PAGE);
	char *buf, bb[4096];
	int ret, want;
	ssize_t n;

	mark_bad(_metadata, f, BAD_PAGE);
	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	memset(buf, 'Z', HWP_PAGE);

	want = EFAULT;
	errno = 0;
	n = pwrite(f->fd, buf, HWP_PAGE, hwp_off(f, BAD_PAGE));
	TH_LOG("pwrite of the whole bad page: %zd (%s)", n, n < 0 ? strerror(errno) : "bytes");
	EXPECT_EQ(-1, n)
		TH_LOG("a page-aligned write over the bad page returned %zd, expected -1 %s: QEMU's _DSM has no ARS_CAP/CLEAR_ERROR, so nvdimm_clear_poison() (drivers/nvdimm/bus.c:217) fails and pmem_recovery_write() copies nothing (pmem.c:360-366, fs/dax.c:1542)",
		       n, strerror(want));
	EXPECT_EQ(want, errno) TH_LOG("the write failed with %s, expected %s", strerror(errno),
				      strerror(want));

	errno = 0;
	n = pwrite(f->fd, buf, 512, hwp_off(f, BAD_PAGE));
	TH_LOG("pwrite of 512 bytes at the start of the bad page: %zd (%s)", n,
	       n < 0 ? strerror(errno) : "bytes");
	EXPECT_EQ(-1, n) TH_LOG("a 512-byte write into the bad page returned %zd, expected -1 %s (pmem.c:349-353: not page aligned, not recoverable)",
				n, strerror(want));
	EXPECT_EQ(want, errno) TH_LOG("the 512-byte write failed with %s, expected %s",
				      strerror(errno), strerror(want));

	ret = hwp_badblocks_read(f->disk, bb, sizeof(bb));
	ASSERT_LE(0, ret);
	EXPECT_EQ(1, hwp_badblocks_covers(bb, sector, 8, false))
		TH_LOG("after the failed writes, \"%llu 8\" is no longer in /sys/block/%s/badblocks (%s): nothing can clear it on QEMU",
		       sector, f->disk, bb);
	errno = 0;
	n = pread(f->fd, buf, HWP_PAGE, hwp_off(f, BAD_PAGE));
	EXPECT_EQ(-1, n) TH_LOG("after the failed writes the bad page reads (%zd), expected EIO still", n);
	EXPECT_EQ(EIO, errno);
	expect_page_reads(_metadata, f, BAD_PAGE - 1, "before the bad page");
	expect_page_reads(_metadata, f, BAD_PAGE + 1, "after the bad page");
	free(buf);
}

/*
 * D26: PUNCH_HOLE over a bad page and a rewrite recover the file: the hole
 * reads zeros, the rewritten page is on a new block (FIEMAP) and reads back;
 * the badblocks entry stays.
 */
TEST_F(qbb, punch_rewrite)
{
	struct hwp_fs *f = &self->f;
	unsigned long long sector = hwp_sector(f, PUNCH_PAGE), now;
	struct fiemap_at at;
	char *buf, bb[4096];
	int ret;
	ssize_t n;

	mark_bad(_metadata, f, PUNCH_PAGE);
	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));

	ret = fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			hwp_off(f, PUNCH_PAGE), HWP_PAGE);
	ASSERT_EQ(0, ret)
		TH_LOG("fallocate(PUNCH_HOLE|KEEP_SIZE) of the bad page failed: %s, expected 0: a whole-page punch only frees the block, it reads nothing",
		       strerror(errno));
	ret = fiemap_lookup(f->fd, hwp_off(f, PUNCH_PAGE), &at);
	EXPECT_EQ(-ENODATA, ret)
		TH_LOG("after the punch FIEMAP still finds an extent at the page (%d, device byte %llu): expected a hole",
		       ret, (unsigned long long)at.physical);

	memset(buf, 'X', HWP_PAGE);
	errno = 0;
	n = pread(f->fd, buf, HWP_PAGE, hwp_off(f, PUNCH_PAGE));
	TH_LOG("pread of the punched page: %zd (%s)", n, n < 0 ? strerror(errno) : "bytes");
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("pread of the hole over the bad block returned %zd (%s), expected %lu: a hole has no block to access (fs/dax.c dax_iomap_iter(): IOMAP_HOLE reads zeros)",
		       n, n < 0 ? strerror(errno) : "short", HWP_PAGE);
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_TRUE(hwp_all(buf, HWP_PAGE, 0))
			TH_LOG("the punched page does not read as zeros (first byte %#x)",
			       (unsigned char)buf[0]);

	memset(buf, 'Q', HWP_PAGE);
	errno = 0;
	n = pwrite(f->fd, buf, HWP_PAGE, hwp_off(f, PUNCH_PAGE));
	TH_LOG("pwrite of 'Q' over the hole: %zd (%s)", n, n < 0 ? strerror(errno) : "bytes");
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("rewriting the punched page returned %zd (%s), expected %lu: the write allocates (and zeroes) a new block",
		       n, n < 0 ? strerror(errno) : "short", HWP_PAGE);
	EXPECT_EQ(0, fsync(f->fd)) TH_LOG("fsync after the rewrite: %s", strerror(errno));
	ret = fiemap_lookup(f->fd, hwp_off(f, PUNCH_PAGE), &at);
	ASSERT_EQ(0, ret) TH_LOG("FIEMAP of the rewritten page: %s, expected an extent",
				 strerror(-ret));
	now = at.physical >> 9;
	TH_LOG("the rewritten page is at device byte %llu (sector %llu); the bad page was sector %llu",
	       (unsigned long long)at.physical, now, sector);
	EXPECT_TRUE(now + 8 <= sector || sector + 8 <= now)
		TH_LOG("the rewrite was allocated on the bad block again (sector %llu, bad %llu-%llu): the freed block should still be busy (XFS xfs_extent_busy_trim(), ext4 ext4_mb_free_metadata())",
		       now, sector, sector + 7);

	memset(buf, 0, HWP_PAGE);
	errno = 0;
	n = pread(f->fd, buf, HWP_PAGE, hwp_off(f, PUNCH_PAGE));
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("pread of the rewritten page returned %zd (%s), expected %lu", n,
		       n < 0 ? strerror(errno) : "short", HWP_PAGE);
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_TRUE(hwp_all(buf, HWP_PAGE, 'Q'))
			TH_LOG("the rewritten page does not read back its 'Q' bytes (first byte '%c')",
			       buf[0]);

	ret = hwp_badblocks_read(f->disk, bb, sizeof(bb));
	ASSERT_LE(0, ret);
	ret = hwp_badblocks_covers(bb, sector, 8, false);
	TH_LOG("after punch and rewrite, \"%llu 8\" is %s /sys/block/%s/badblocks", sector,
	       ret ? "still in" : "gone from", f->disk);
	EXPECT_EQ(1, ret)
		TH_LOG("the badblocks entry \"%llu 8\" went away although its block was not written (%s): D26 says it stays until the block is reallocated and zeroed",
		       sector, bb);
	expect_page_reads(_metadata, f, PUNCH_PAGE - 1, "before the punched page");
	expect_page_reads(_metadata, f, PUNCH_PAGE + 1, "after the punched page");
	free(buf);
}

/*
 * ndctl's name ("namespace0.0") of the namespace whose block device is
 * disk, from "ndctl list -N" output: the last "dev" before its "blockdev"
 * (ndctl prints "dev" first in each object).
 */
static int namespace_of(const char *disk, char *out, size_t len, const char *json)
{
	const char *p = json, *v, *last = NULL, *hit;
	char want[300];

	snprintf(want, sizeof(want), "\"blockdev\":\"%s\"", disk);
	hit = strstr(json, want);
	if (!hit)
		return -ENOENT;
	while ((v = hwp_json_find(p, "dev")) && v < hit) {
		last = v;
		p = v;
	}
	return hwp_json_str_at(last, out, len);
}

/* The namespace behind $DAXTEST_PMEM, found with "ndctl list -N". */
FIXTURE(qinject) {
	char dev[256];
	char ns[64];
};

FIXTURE_SETUP(qinject)
{
	char *list[] = { "ndctl", "list", "-N", NULL };
	char why[128], out[HWP_OUT_MAX];
	int ret;

	ret = dax_cell_device(self->dev, sizeof(self->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	ret = HWP_RUN(list, out);
	ASSERT_EQ(0, ret) TH_LOG("ndctl list -N failed");
	ret = namespace_of(hwp_disk_name(self->dev), self->ns, sizeof(self->ns), out);
	ASSERT_EQ(0, ret) TH_LOG("no namespace with \"blockdev\":\"%s\" in ndctl list -N",
				 hwp_disk_name(self->dev));
	TH_LOG("%s is %s", self->dev, self->ns);
}

FIXTURE_TEARDOWN(qinject)
{
}

/*
 * D27: ndctl inject-error on QEMU's NVDIMM says "error injection not
 * supported" and fails: a skip, with QEMU's firmware as the reason.
 */
TEST_F(qinject, inject_unsupported)
{
	char *inject[] = { "ndctl", "inject-error", "--block=0", "--count=1", self->ns, NULL };
	char *uninject[] = { "ndctl", "inject-error", "--uninject", "--block=0", "--count=1",
			     self->ns, NULL };
	char out[HWP_OUT_MAX], again[HWP_OUT_MAX];
	int ret;

	ret = HWP_RUN(inject, out);
	if (ret == 0) {
		HWP_RUN(uninject, again);
		ASSERT_NE(0, ret)
			TH_LOG("notice: ndctl inject-error succeeded on QEMU's NVDIMM (%s): this QEMU implements ARS_INJECT, which D27 and platform-notes.md say it does not",
			       self->ns);
	}
	ASSERT_NE(NULL, strstr(out, "error injection not supported"))
		TH_LOG("ndctl inject-error failed (exit %d) without saying \"error injection not supported\" (ndctl_bus_has_error_injection(): no ARS_INJECT_SET/GET/CLEAR on the bus): %s",
		       ret, out);
	SKIP(return, "QEMU's NVDIMM firmware (NFIT _DSM) has no ARS_INJECT commands: ndctl inject-error on %s said \"error injection not supported\" (exit %d)",
	     self->ns, ret);
}

TEST_HARNESS_MAIN
