// SPDX-License-Identifier: GPL-2.0
/*
 * madv_hwpoison - MADV_HWPOISON, MADV_SOFT_OFFLINE and debugfs corrupt-pfn on an fsdax page
 *
 * Behaviours D21 to D24 of the daxtest spec (D24: fixture cpfn), on a file on the fsdax
 * namespace of the run's matrix cell ($DAXTEST_PMEM), in three variants
 * (D20): XFS -m rmapbt=1 (the filesystem finds the page's owners), XFS
 * -m rmapbt=0 and ext4 (the generic path, mf_generic_kill_procs(),
 * mm/memory-failure.c:1772, which works from the page's ->mapping and
 * ->index). A process sees the same on all three.
 *
 * D21: madvise_inject_error() (mm/madvise.c:1140-1180) needs CAP_SYS_ADMIN
 * (:1146) and calls memory_failure(pfn, MF_ACTION_REQUIRED | ...) (:1174).
 * For an fsdax page memory_failure_dev_pagemap() asks the holder: XFS with
 * rmapbt finds the file range (fs/xfs/xfs_notify_failure.c) and
 * mf_dax_kill_procs() unmaps it and signals the mappers; the caller gets
 * BUS_MCEERR_AR at once (kill_proc(), mm/memory-failure.c:350-372, "Sending
 * SIGBUS to ..." at :356) and the outcome is logged by action_result()
 * (:1353, "recovery action for dax page: Recovered"). Nothing is added to
 * the block device's badblocks, so read() of the page still works (the
 * spec marks that inferred).
 *
 * D21 early kill: mf_dax_kill_procs() collects, besides the caller, only
 * the processes for which task_early_kill() finds a PF_MCE_EARLY thread
 * (prctl PR_MCE_KILL_EARLY) or vm.memory_failure_early_kill is set
 * (mm/memory-failure.c:564-600, collect_procs_fsdax() :700-722), and of
 * those only the ones with the page in a page table (__add_to_kill(),
 * :461-482, dev_pagemap_mapping_shift()). They get BUS_MCEERR_AO at their
 * own address (kill_proc(), :359-369). unmap_and_kill() then unmaps the
 * range from every mapper (:1755-1757), but nothing marks the device
 * block bad, so the next load simply faults the page in again.
 *
 * D21/D22 reflink: with rmapbt the notification walks every rmap record
 * of the block (xfs_dax_notify_ddev_failure(), fs/xfs/xfs_notify_failure.c
 * :268-296) and calls mf_dax_kill_procs() for each in-core DAX owner
 * (:108), which suggests a clone's early-kill mapper gets BUS_MCEERR_AO;
 * 6.12.117 in the guest signals none of the clone's mappers (see
 * hwpoison_reflinked). The poisoner's own half (madvise 0, its
 * BUS_MCEERR_AR, "Recovered") does not depend on the other owner's
 * mappers and is checked apart (poisoner_through_clone), as is a
 * two-page MADV_HWPOISON over a range of which every other page is
 * reflinked (partly_reflinked_two_pages, xfs/552): madvise_inject_error()
 * calls memory_failure() once per page (mm/madvise.c:1159-1190).
 *
 * D21/D26 after the poison: nothing marks the medium bad, so a hole punch
 * of the page, a new write and a new mapping of it work as on any page
 * (hwpoison_punch_rewrite, what ndctl's test/dax-poison.c:146-163 means
 * to check).
 *
 * D23: soft_offline_page() only takes online pages; a ZONE_DEVICE page has
 * none, so MADV_SOFT_OFFLINE gives EIO (mm/memory-failure.c:2816-2820).
 *
 * Each test poisons its own page of a fresh filesystem's victim file, which
 * hwp_fs.h places where no earlier test in this guest had one: a poisoned
 * pfn stays poisoned until the guest powers off (settings: guest=own).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "hwp_fs.h"
#include "hwp_mapper.h"
#include "kmsg_find.h"
#include "pagemap.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON		100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif

/* mm/hwpoison-inject.c; the agent mounts debugfs on /sys/kernel/debug. */
#define CORRUPT_PFN	"/sys/kernel/debug/hwpoison/corrupt-pfn"
#ifndef DEBUGFS_MAGIC
#define DEBUGFS_MAGIC	0x64626720UL
#endif

#define POISON_PAGE	5
/* The pages the early-kill and reflink tests poison (window pages 12, 14). */
#define EARLY_PAGE	12
#define SHARED_PAGE	14
/* The page hwpoison_punch_rewrite poisons, punches and writes again. */
#define PUNCH_PAGE	3
/*
 * partly_reflinked_two_pages: the partial clone shares the victim's even
 * window pages; its poisoner hits PARTIAL_PAGE (shared) and the page after
 * it (the clone's own block).
 */
#define PARTIAL_PAGE	SHARED_PAGE
_Static_assert(PARTIAL_PAGE % 2 == 0 && PARTIAL_PAGE + 1 < HWP_VICTIM_PAGES,
	       "PARTIAL_PAGE must be a shared (even) window page with a page after it");

/*
 * The victim on a fresh filesystem mounted dax=always. XFS with rmapbt
 * finds the owners of a failed block itself (D20: xfs_dax_notify_failure()
 * -> mf_dax_kill_procs()); XFS without rmapbt and ext4 have the generic
 * path (mf_generic_kill_procs(), mm/memory-failure.c:1772), which works
 * from the page's ->mapping and ->index. A process that touches the page
 * must see the same either way (D21).
 */
FIXTURE(madv) {
	struct hwp_fs f;
};

FIXTURE_VARIANT(madv) {
	enum dax_fs_type fs;
	bool rmapbt;		/* XFS -m rmapbt=1: the owner walk */
};

FIXTURE_VARIANT_ADD(madv, xfs_rmapbt) {
	.fs = DAX_FS_XFS, .rmapbt = true,
};

FIXTURE_VARIANT_ADD(madv, xfs_normapbt) {
	.fs = DAX_FS_XFS, .rmapbt = false,
};

FIXTURE_VARIANT_ADD(madv, ext4) {
	.fs = DAX_FS_EXT4, .rmapbt = false,
};

/*
 * The setup of both fixtures. madvise(2) itself is CONFIG_ADVISE_SYSCALLS
 * (mm/Makefile, mm/madvise.c).
 */
#define MADV_SETUP(f, fs, rmapbt) do { \
	errno = 0; \
	if (madvise(NULL, 0, MADV_HWPOISON) && errno == ENOSYS) { \
		(f)->mnt[0] = '\0'; \
		SKIP(return, "madvise(2) gives ENOSYS: this kernel has no CONFIG_ADVISE_SYSCALLS (tinyconfig turns it off, and a tests/*/config may not add options), so MADV_HWPOISON and MADV_SOFT_OFFLINE cannot be called"); \
	} \
	hwp_fs_setup_rmapbt(_metadata, f, fs, rmapbt); \
} while (0)

FIXTURE_SETUP(madv)
{
	MADV_SETUP(&self->f, variant->fs, variant->rmapbt);
}

FIXTURE_TEARDOWN_PARENT(madv)
{
	hwp_fs_teardown(_metadata, &self->f);
}

/*
 * D24: hwpoison/corrupt-pfn in debugfs (mm/hwpoison-inject.c:14-53) calls
 * memory_failure(pfn, MF_SW_SIMULATED): a failure nobody was touching, so
 * no MF_ACTION_REQUIRED. On XFS with rmapbt (D20) the filesystem looks up
 * the block's owner (xfs_dax_notify_ddev_failure(),
 * fs/xfs/xfs_notify_failure.c:230-320): a file's page goes to
 * mf_dax_kill_procs(), which signals the early-kill mappers only
 * (BUS_MCEERR_AO) and unmaps the page; a block of filesystem metadata
 * (an owner that is no inode, xfs_dax_failure_fn() :82-89) shuts the
 * filesystem down with SHUTDOWN_CORRUPT_ONDISK (:303-307).
 */
FIXTURE(cpfn) {
	struct hwp_fs f;
};

FIXTURE_SETUP(cpfn)
{
	struct statfs sfs;

	self->f.mnt[0] = '\0';
	/* The agent mounts debugfs: its absence is a guest failure, not a feature gone. */
	ASSERT_EQ(0, statfs("/sys/kernel/debug", &sfs)) TH_LOG("statfs /sys/kernel/debug: %s", strerror(errno));
	ASSERT_EQ(DEBUGFS_MAGIC, (unsigned long)sfs.f_type)
		TH_LOG("/sys/kernel/debug is no debugfs (f_type %#lx)", (unsigned long)sfs.f_type);
	if (access(CORRUPT_PFN, W_OK) && errno == ENOENT)
		SKIP(return, "no %s: this kernel has no CONFIG_HWPOISON_INJECT (or hwpoison_inject is a module not loaded)",
		     CORRUPT_PFN);
	ASSERT_EQ(0, access(CORRUPT_PFN, W_OK)) TH_LOG("%s: %s", CORRUPT_PFN, strerror(errno));
	hwp_fs_setup_rmapbt(_metadata, &self->f, DAX_FS_XFS, true);
}

FIXTURE_TEARDOWN_PARENT(cpfn)
{
	hwp_fs_teardown(_metadata, &self->f);
}

/*
 * A block two files share (D22): reflink needs XFS. With rmapbt the
 * filesystem finds both owners; without it the generic path must refuse
 * the page (stock 6.12 oopses there: this fixture's xfs_normapbt variant
 * runs last in the program).
 */
FIXTURE(shared) {
	struct hwp_fs f;
};

FIXTURE_VARIANT(shared) {
	bool rmapbt;
};

FIXTURE_VARIANT_ADD(shared, xfs_rmapbt) {
	.rmapbt = true,
};

FIXTURE_VARIANT_ADD(shared, xfs_normapbt) {
	.rmapbt = false,
};

FIXTURE_SETUP(shared)
{
	MADV_SETUP(&self->f, DAX_FS_XFS, variant->rmapbt);
}

FIXTURE_TEARDOWN_PARENT(shared)
{
	hwp_fs_teardown(_metadata, &self->f);
}

/* Drops CAP_SYS_ADMIN from the effective set: 0 or -errno. */
static int drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* Writes pfn to CORRUPT_PFN: 0 or -errno. */
static int corrupt_pfn(unsigned long long pfn)
{
	char line[32];
	int fd, n, ret = 0;

	fd = open(CORRUPT_PFN, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(line, sizeof(line), "%llu\n", pfn);
	if (write(fd, line, n) != n)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/*
 * In a child: maps the window of fd (the victim, or a clone of it), faults
 * in window pages p to p + n - 1 (page p must hold the victim's data),
 * then madvise(advice) on them (without CAP_SYS_ADMIN if drop). sb->ret is
 * madvise's return value, sb->err its errno, sb->step 3 once madvise
 * returned. The SIGBUS handler returns: madvise's signal comes at the end
 * of the system call.
 */
static pid_t madvise_range_child(struct hwp_fs *f, int fd, struct hwp_sigbus *sb,
				 unsigned int p, unsigned int n, int advice, bool drop)
{
	volatile char *map;
	unsigned int i;
	pid_t pid;

	pid = fork();
	if (pid)
		return pid;
	if (hwp_sigbus_catch(sb, false))
		_exit(10);
	map = mmap(NULL, HWP_VICTIM_PAGES * HWP_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, hwp_off(f, 0));
	if (map == MAP_FAILED) {
		sb->err = errno;
		_exit(11);
	}
	sb->base = (void *)map;
	sb->step = 1;
	if (map[p * HWP_PAGE] != hwp_fill(p))
		_exit(12);
	for (i = 1; i < n; i++)
		(void)map[(p + i) * HWP_PAGE];
	if (drop && drop_sys_admin()) {
		sb->err = errno;
		_exit(13);
	}
	sb->step = 2;
	errno = 0;
	sb->ret = madvise((void *)(map + p * HWP_PAGE), n * HWP_PAGE, advice);
	sb->err = errno;
	sb->step = 3;
	_exit(0);
}

/* madvise_range_child() of window page p alone. */
static pid_t madvise_child(struct hwp_fs *f, int fd, struct hwp_sigbus *sb, unsigned int p,
			   int advice, bool drop)
{
	return madvise_range_child(f, fd, sb, p, 1, advice, drop);
}

/* Logs what the child saw and checks it got as far as madvise's return. */
static void check_child(struct __test_metadata *_metadata, struct hwp_sigbus *sb,
			int status, const char *what)
{
	TH_LOG("%s: child exit %d, step %d, madvise returned %ld (%s); SIGBUS count %d: si_code %d (%s), si_addr %p (page at %p), si_addr_lsb %d",
	       what, status, sb->step, sb->ret, sb->ret ? strerror(sb->err) : "ok", sb->count,
	       sb->code, hwp_si_code_name(sb->code), sb->addr,
	       sb->base ? (char *)sb->base + POISON_PAGE * HWP_PAGE : NULL, sb->lsb);
	ASSERT_NE(11, status) TH_LOG("mmap of the victim failed: %s", strerror(sb->err));
	ASSERT_NE(12, status) TH_LOG("the victim page does not hold its data before madvise");
	ASSERT_NE(13, status) TH_LOG("dropping CAP_SYS_ADMIN: %s", strerror(sb->err));
	ASSERT_EQ(0, status) TH_LOG("the child died at step %d (exit/signal %d)", sb->step, status);
	ASSERT_EQ(3, sb->step);
}

/*
 * D21: what the poisoner of window pages p to p + n - 1 (madvise_range_child())
 * must have seen: madvise 0 and one SIGBUS BUS_MCEERR_AR at page p with
 * lsb 12. Each page's memory_failure() sends its own (kill_proc(),
 * mm/memory-failure.c:359); the caller has SIGBUS pending from the first
 * page when the next one is sent, and a non-realtime signal is queued
 * once (legacy_queue(), kernel/signal.c:1094), so it sees page p's.
 */
static void expect_action_required(struct __test_metadata *_metadata,
				   const struct hwp_sigbus *sb, unsigned int p, unsigned int n,
				   const char *what)
{
	char *page = (char *)sb->base + p * HWP_PAGE;

	EXPECT_EQ(0, sb->ret)
		TH_LOG("madvise(MADV_HWPOISON) of %u page(s) %s returned %ld (%s), expected 0: memory_failure() of each page recovers it (memory_failure_dev_pagemap(), mm/memory-failure.c:2185-2215; madvise_inject_error() stops at the first error, mm/madvise.c:1188-1189)",
		       n, what, sb->ret, strerror(sb->err));
	EXPECT_EQ(1, sb->count)
		TH_LOG("the poisoner %s got %d SIGBUS, expected one: MF_ACTION_REQUIRED signals current (kill_proc(), mm/memory-failure.c:359-361), once while one is pending (kernel/signal.c:1094)",
		       what, sb->count);
	EXPECT_EQ(BUS_MCEERR_AR, sb->code)
		TH_LOG("the poisoner %s got si_code %d (%s), expected BUS_MCEERR_AR: madvise_inject_error() passes MF_ACTION_REQUIRED (mm/madvise.c:1183) and the poisoner is current (mm/memory-failure.c:359)",
		       what, sb->code, hwp_si_code_name(sb->code));
	EXPECT_EQ(page, (char *)sb->addr)
		TH_LOG("the poisoner %s got si_addr %p, expected its page %u at %p: the first page poisoned, and the address of its own mapping (add_to_kill_fsdax(), mm/memory-failure.c:683-689)",
		       what, sb->addr, p, page);
	EXPECT_EQ(12, sb->lsb)
		TH_LOG("the poisoner %s got si_addr_lsb %d, expected 12: a PTE mapping (dev_pagemap_mapping_shift(), mm/memory-failure.c:401-437)",
		       what, sb->lsb);
}

/*
 * What a window reader (reader_child()) saw, in a shared page; the SIGBUS
 * record first, so hwp_sigbus_handler() fills it.
 */
struct reader {
	struct hwp_sigbus sb;
	int page;		/* the window page being loaded */
	size_t at;		/* the offset in it of a byte that was wrong */
	char seen;		/* that byte */
};

/* A shared page for struct reader: the pointer or NULL. */
static struct reader *reader_new(void)
{
	void *p = mmap(NULL, HWP_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * In a child: maps the window of fd anew and loads every byte of each
 * window page i with want[i] != 0 (HWP_VICTIM_PAGES entries), comparing
 * it with want[i]. Exits 0; 11 if mmap failed, 12 at a wrong byte
 * (r->page, r->at, r->seen), 15 on a SIGBUS while loading r->page.
 */
static pid_t reader_child(const struct hwp_fs *f, int fd, const char *want, struct reader *r)
{
	volatile const char *map;
	unsigned int i;
	size_t j;
	pid_t pid;
	char c;

	pid = fork();
	if (pid)
		return pid;
	r->page = -1;
	if (hwp_sigbus_catch(&r->sb, true))
		_exit(10);
	if (sigsetjmp(hwp_jmp, 1))
		_exit(15);
	map = mmap(NULL, HWP_VICTIM_PAGES * HWP_PAGE, PROT_READ, MAP_SHARED, fd, hwp_off(f, 0));
	if (map == MAP_FAILED) {
		r->sb.err = errno;
		_exit(11);
	}
	r->sb.base = (void *)map;
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		if (!want[i])
			continue;
		r->page = i;
		for (j = 0; j < HWP_PAGE; j++) {
			c = map[i * HWP_PAGE + j];
			if (c != want[i]) {
				r->at = j;
				r->seen = c;
				_exit(12);
			}
		}
	}
	_exit(0);
}

/*
 * Checks what reader_child() of file saw (status: hwp_wait()): every page
 * it loaded held its bytes, with no SIGBUS; why names the behaviour.
 */
static void expect_reader(struct __test_metadata *_metadata, const struct reader *r,
			  int status, const char *want, const char *file, const char *why)
{
	int p = r->page;

	TH_LOG("new mapping of %s (window at %p): exit %d, last page loaded %d; SIGBUS count %d: %s (si_code %d), si_addr %p",
	       file, r->sb.base, status, p, r->sb.count, hwp_si_code_name(r->sb.code),
	       r->sb.code, r->sb.addr);
	switch (status) {
	case 0:
		break;
	case 11:
		EXPECT_EQ(0, status) TH_LOG("mmap of %s failed: %s", file, strerror(r->sb.err));
		break;
	case 12:
		EXPECT_EQ(0, status)
			TH_LOG("%s window page %d read %#x at byte %zu through a new mapping, expected '%c': %s",
			       file, p, (unsigned char)r->seen, r->at,
			       p >= 0 && p < HWP_VICTIM_PAGES ? want[p] : '?', why);
		break;
	case 15:
		EXPECT_EQ(0, status)
			TH_LOG("loading %s window page %d through a new mapping raised SIGBUS %s at %p: %s",
			       file, p, hwp_si_code_name(r->sb.code), r->sb.addr, why);
		break;
	default:
		EXPECT_EQ(0, status) TH_LOG("the reader of %s exited %d", file, status);
	}
	EXPECT_EQ(0, r->sb.count)
		TH_LOG("the reader of %s got %d SIGBUS (%s at %p): %s", file, r->sb.count,
		       hwp_si_code_name(r->sb.code), r->sb.addr, why);
}

/*
 * D21: MADV_HWPOISON on a faulted-in fsdax page returns 0 and the caller
 * gets SIGBUS BUS_MCEERR_AR at the page address with lsb 12; the kernel
 * logs the SIGBUS and "recovery action for dax page: Recovered"; no
 * badblocks entry is made, so read() still works.
 */
TEST_F(madv, hwpoison_sigbus)
{
	struct hwp_fs *f = &self->f;
	char *page = NULL, bb[4096], buf[HWP_PAGE];
	struct hwp_sigbus *sb;
	int kmsg, status, ret;
	ssize_t n;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	status = hwp_wait(madvise_child(f, f->fd, sb, POISON_PAGE, MADV_HWPOISON, false));
	check_child(_metadata, sb, status, "MADV_HWPOISON");
	page = (char *)sb->base + POISON_PAGE * HWP_PAGE;

	EXPECT_EQ(0, sb->ret) TH_LOG("madvise(MADV_HWPOISON) returned %ld (%s), expected 0 (mm/madvise.c:1174-1177)",
				     sb->ret, strerror(sb->err));
	EXPECT_EQ(1, sb->count) TH_LOG("the caller got %d SIGBUS, expected one: MF_ACTION_REQUIRED signals current (mm/memory-failure.c:359)",
				       sb->count);
	EXPECT_EQ(BUS_MCEERR_AR, sb->code)
		TH_LOG("si_code %d (%s), expected BUS_MCEERR_AR (6.12 passes MF_ACTION_REQUIRED, mm/madvise.c:1174)",
		       sb->code, hwp_si_code_name(sb->code));
	EXPECT_EQ(page, (char *)sb->addr) TH_LOG("si_addr %p, expected the page address %p",
						    sb->addr, page);
	EXPECT_EQ(12, sb->lsb) TH_LOG("si_addr_lsb %d, expected 12 for a PTE-mapped page",
					      sb->lsb);

	ret = kmsg_find(kmsg, "due to hardware memory corruption");
	EXPECT_EQ(1, ret) TH_LOG("no \"Sending SIGBUS to <comm>:<pid> due to hardware memory corruption\" in the kernel log (mm/memory-failure.c:356): %d",
				 ret);
	close(kmsg);

	ret = hwp_badblocks_read(f->disk, bb, sizeof(bb));
	ASSERT_LE(0, ret);
	EXPECT_EQ(0, hwp_badblocks_covers(bb, hwp_sector(f, POISON_PAGE), 8, true))
		TH_LOG("MADV_HWPOISON added sector %llu to /sys/block/%s/badblocks (%s): D21 says it does not",
		       hwp_sector(f, POISON_PAGE), f->disk, bb);
	n = pread(f->fd, buf, sizeof(buf), hwp_off(f, POISON_PAGE));
	EXPECT_EQ((ssize_t)sizeof(buf), n)
		TH_LOG("read() of the page after MADV_HWPOISON returned %zd (%s): D21 (inferred) says it succeeds since no badblocks entry exists",
		       n, n < 0 ? strerror(errno) : "bytes");
	munmap(sb, HWP_PAGE);
}

/*
 * D21: the recovery lines: "Sending SIGBUS to ..." and "recovery action
 * for dax page: Recovered" (what xfs/550 greps).
 */
TEST_F(madv, hwpoison_dmesg)
{
	struct hwp_fs *f = &self->f;
	struct hwp_sigbus *sb;
	int kmsg, kmsg2, status, ret;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	kmsg2 = kmsg_open_at_end();
	ASSERT_LE(0, kmsg2);
	status = hwp_wait(madvise_child(f, f->fd, sb, POISON_PAGE + 2, MADV_HWPOISON, false));
	check_child(_metadata, sb, status, "MADV_HWPOISON");
	EXPECT_EQ(0, sb->ret);
	ret = kmsg_find(kmsg, "Sending SIGBUS to madv_hwpoison:");
	EXPECT_EQ(1, ret) TH_LOG("no \"Sending SIGBUS to madv_hwpoison:<pid> due to hardware memory corruption\" (mm/memory-failure.c:356): %d",
				 ret);
	ret = kmsg_find(kmsg2, "recovery action for dax page: Recovered");
	EXPECT_EQ(1, ret) TH_LOG("no \"recovery action for dax page: Recovered\" (action_result(), mm/memory-failure.c:1353): %d",
				 ret);
	close(kmsg);
	close(kmsg2);
	munmap(sb, HWP_PAGE);
}

/* D21: without CAP_SYS_ADMIN MADV_HWPOISON fails with EPERM and nothing is signalled */
TEST_F(madv, hwpoison_eperm)
{
	struct hwp_fs *f = &self->f;
	struct hwp_sigbus *sb;
	int status;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	status = hwp_wait(madvise_child(f, f->fd, sb, POISON_PAGE + 4, MADV_HWPOISON, true));
	check_child(_metadata, sb, status, "MADV_HWPOISON without CAP_SYS_ADMIN");
	EXPECT_EQ(-1, sb->ret) TH_LOG("madvise(MADV_HWPOISON) without CAP_SYS_ADMIN returned %ld, expected -1 EPERM (mm/madvise.c:1146)",
				      sb->ret);
	EXPECT_EQ(EPERM, sb->err) TH_LOG("failed with %s, expected EPERM", strerror(sb->err));
	EXPECT_EQ(0, sb->count) TH_LOG("got SIGBUS (%s) although the injection was refused",
				       hwp_si_code_name(sb->code));
	munmap(sb, HWP_PAGE);
}

/* D23: MADV_SOFT_OFFLINE on an fsdax page gives EIO: ZONE_DEVICE pages are not online */
TEST_F(madv, soft_offline_eio)
{
	struct hwp_fs *f = &self->f;
	struct hwp_sigbus *sb;
	int status;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	status = hwp_wait(madvise_child(f, f->fd, sb, POISON_PAGE + 6, MADV_SOFT_OFFLINE, false));
	check_child(_metadata, sb, status, "MADV_SOFT_OFFLINE");
	EXPECT_EQ(-1, sb->ret) TH_LOG("madvise(MADV_SOFT_OFFLINE) on an fsdax page returned %ld, expected -1 EIO (pfn_to_online_page() is NULL for ZONE_DEVICE, mm/memory-failure.c:2817-2820)",
				      sb->ret);
	EXPECT_EQ(EIO, sb->err) TH_LOG("failed with %s, expected EIO", strerror(sb->err));
	EXPECT_EQ(0, sb->count) TH_LOG("got SIGBUS (%s) from a soft offline", hwp_si_code_name(sb->code));
	munmap(sb, HWP_PAGE);
}

/* vm.memory_failure_early_kill: 0, 1, or -errno. */
static int sysctl_early_kill(void)
{
	char buf[16];
	ssize_t n = hwp_read_small("/proc/sys/vm/memory_failure_early_kill", buf, sizeof(buf));

	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	return atoi(buf);
}

#define N_MAPPERS	2	/* [0] early kill, [1] not */

/*
 * Starts the two mappers of fd, one after the other (the one with
 * PR_MCE_KILL_EARLY loads page p first, then the one without), poisons
 * page p, then lets the mappers load page p again; logs what every child
 * saw. The poison: with pfn 0, a third child maps poison_fd and
 * MADV_HWPOISONs its window page p (sb: its record, checked here); with a
 * pfn, the test process, which maps nothing, writes it to debugfs
 * hwpoison/corrupt-pfn (D24; sb->ret: 0 or -1 with sb->err). m[] gets the
 * two mappers.
 */
static void poison_with_mappers(struct __test_metadata *_metadata, struct hwp_fs *f,
				int poison_fd, unsigned long long pfn, int fd,
				const char *what, unsigned int p,
				struct mapper *m[N_MAPPERS], struct hwp_sigbus *sb)
{
	static const char *const names[N_MAPPERS] = { "PR_MCE_KILL_EARLY", "no early kill" };
	int ready[2], go[2], status[N_MAPPERS], i, n, ret;
	pid_t pid[N_MAPPERS];
	char b = 1;

	ret = sysctl_early_kill();
	ASSERT_EQ(0, ret)
		TH_LOG("precondition: vm.memory_failure_early_kill is %d: with it the mapper without PR_MCE_KILL_EARLY would be early-killed too",
		       ret);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	/* One after the other: the early-kill mapper has its page first. */
	for (i = 0; i < N_MAPPERS; i++) {
		m[i] = mapper_new();
		ASSERT_NE(NULL, m[i]);
		pid[i] = mapper_child(fd, hwp_off(f, 0), p, hwp_fill(p), i == 0, m[i],
				      ready, go);
		ASSERT_LE(0, pid[i]) TH_LOG("fork: %s", strerror(errno));
		if (wait_byte(ready[0]))
			break;
	}
	close(ready[1]);
	close(go[0]);
	if (i < N_MAPPERS) {
		close(go[1]);
		for (n = i + 1, i = 0; i < n; i++)
			TH_LOG("%s mapper of %s: exit %d, step %d (%s)", names[i], what,
			       hwp_wait(pid[i]), m[i]->sb.step, strerror(m[i]->sb.err));
		ASSERT_TRUE(false) TH_LOG("a mapper did not get its page mapped (exit 11: mmap, 12: wrong data, 13: prctl)");
	}

	if (pfn) {
		ret = corrupt_pfn(pfn);
		sb->ret = ret ? -1 : 0;
		sb->err = -ret;
		TH_LOG("wrote pfn %#llx to %s: %s", pfn, CORRUPT_PFN, ret ? strerror(-ret) : "ok");
	} else {
		ret = hwp_wait(madvise_child(f, poison_fd, sb, p, MADV_HWPOISON, false));
		check_child(_metadata, sb, ret, "MADV_HWPOISON by a third process");
		TH_LOG("poisoner (maps the victim at %p): madvise %ld, SIGBUS count %d: %s (si_code %d), si_addr %p, si_addr_lsb %d",
		       sb->base, sb->ret, sb->count, hwp_si_code_name(sb->code), sb->code,
		       sb->addr, sb->lsb);
	}

	/* The mappers' signals were sent before madvise returned. */
	for (i = 0; i < N_MAPPERS; i++)
		if (write(go[1], &b, 1) != 1)
			break;
	close(go[1]);
	close(ready[0]);
	for (i = 0; i < N_MAPPERS; i++) {
		status[i] = hwp_wait(pid[i]);
		TH_LOG("%s mapper of %s (page at %p): exit %d, step %d; SIGBUS count %d before loading the page again, %d in all: %s (si_code %d), si_addr %p, si_addr_lsb %d; the load %s '%c'",
		       names[i], what, (char *)m[i]->sb.base + p * HWP_PAGE, status[i],
		       m[i]->sb.step, m[i]->before, m[i]->sb.count,
		       hwp_si_code_name(m[i]->sb.code), m[i]->sb.code, m[i]->sb.addr,
		       m[i]->sb.lsb, m[i]->loaded ? "read" : "did not return",
		       m[i]->loaded ? m[i]->seen : '-');
	}
	EXPECT_EQ(0, sb->ret) TH_LOG("%s returned %ld (%s), expected 0",
				     pfn ? "the write to " CORRUPT_PFN : "madvise(MADV_HWPOISON)",
				     sb->ret, strerror(sb->err));
	if (!pfn) {
		EXPECT_EQ(1, sb->count) TH_LOG("the poisoner got %d SIGBUS, expected one", sb->count);
		EXPECT_EQ(BUS_MCEERR_AR, sb->code)
			TH_LOG("the poisoner got si_code %d (%s), expected BUS_MCEERR_AR (kill_proc(), mm/memory-failure.c:359)",
			       sb->code, hwp_si_code_name(sb->code));
		EXPECT_EQ((char *)sb->base + p * HWP_PAGE, (char *)sb->addr)
			TH_LOG("the poisoner's si_addr %p, expected its page address %p", sb->addr,
			       (char *)sb->base + p * HWP_PAGE);
	}
	for (i = 0; i < N_MAPPERS; i++) {
		EXPECT_EQ(0, status[i])
			TH_LOG("the %s mapper of %s exited %d at step %d (15: SIGBUS on loading the page again; 14: never told to load it)",
			       names[i], what, status[i], m[i]->sb.step);
		EXPECT_EQ(1, m[i]->loaded);
		EXPECT_EQ(hwp_fill(p), m[i]->seen)
			TH_LOG("the %s mapper of %s read '%c' from the page after the poison, expected its data '%c': MADV_HWPOISON does not touch the medium (no badblocks entry, D21)",
			       names[i], what, m[i]->seen, hwp_fill(p));
		EXPECT_EQ(m[i]->before, m[i]->sb.count)
			TH_LOG("the %s mapper of %s got a SIGBUS (%s) when it loaded the page again: the range was only unmapped (mm/memory-failure.c:1757) and nothing makes a DAX fault check PageHWPoison (fs/dax.c dax_fault_iter())",
			       names[i], what, hwp_si_code_name(m[i]->sb.code));
	}
}

/*
 * D21, D24: the mapper with PR_MCE_KILL_EARLY got one SIGBUS BUS_MCEERR_AO
 * at its own address of page p with lsb 12 by the time the poison was
 * done; the one without early kill got none.
 */
static void check_early_kill(struct __test_metadata *_metadata, struct mapper *m[N_MAPPERS],
			     unsigned int p)
{
	char *addr = (char *)m[0]->sb.base + p * HWP_PAGE;

	EXPECT_EQ(1, m[0]->before)
		TH_LOG("the early-kill mapper got %d SIGBUS by the time the poison was done, expected one (collect_procs_fsdax() + kill_proc(), mm/memory-failure.c:700-722, :359-369)",
		       m[0]->before);
	EXPECT_EQ(BUS_MCEERR_AO, m[0]->sb.code)
		TH_LOG("the early-kill mapper got si_code %d (%s), expected BUS_MCEERR_AO: it is not the current task, or nothing asked for action required (send_sig_mceerr(), mm/memory-failure.c:369)",
		       m[0]->sb.code, hwp_si_code_name(m[0]->sb.code));
	EXPECT_EQ(addr, (char *)m[0]->sb.addr)
		TH_LOG("the early-kill mapper got si_addr %p, expected its own mapping of the page, %p (vma_address() in add_to_kill_fsdax())",
		       m[0]->sb.addr, addr);
	EXPECT_EQ(12, m[0]->sb.lsb)
		TH_LOG("the early-kill mapper got si_addr_lsb %d, expected 12: a PTE mapping (dev_pagemap_mapping_shift())",
		       m[0]->sb.lsb);
	EXPECT_EQ(0, m[1]->sb.count)
		TH_LOG("the mapper without early kill got %d SIGBUS (%s), expected none: task_early_kill() finds no PF_MCE_EARLY thread (mm/memory-failure.c:564-600)",
		       m[1]->sb.count, hwp_si_code_name(m[1]->sb.code));
}

/*
 * D21: a second process that maps the poisoned page with PR_MCE_KILL_EARLY
 * gets SIGBUS BUS_MCEERR_AO at its own address with lsb 12; one without
 * early kill gets no signal, and loading the page afterwards works.
 */
TEST_F(madv, hwpoison_early_kill)
{
	struct hwp_fs *f = &self->f;
	struct mapper *m[N_MAPPERS] = { NULL };
	struct hwp_sigbus *sb;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	poison_with_mappers(_metadata, f, f->fd, 0, f->fd, "the victim", EARLY_PAGE, m, sb);
	if (!m[0] || !m[1])
		return;
	check_early_kill(_metadata, m, EARLY_PAGE);
	munmap(m[0], HWP_PAGE);
	munmap(m[1], HWP_PAGE);
	munmap(sb, HWP_PAGE);
}

/*
 * D21, D26: after MADV_HWPOISON of an fsdax page, a hole punch of the
 * page, a new write and fsync succeed, and a new mapping of the offset
 * reads the new data without SIGBUS (ndctl test/dax-poison.c:146-163).
 */
TEST_F(madv, hwpoison_punch_rewrite)
{
	struct hwp_fs *f = &self->f;
	char want[HWP_VICTIM_PAGES], *buf;
	struct fiemap_at at = { 0 };
	struct hwp_sigbus *sb;
	struct reader *r;
	int status, ret;
	unsigned int i;
	ssize_t n;

	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	status = hwp_wait(madvise_child(f, f->fd, sb, PUNCH_PAGE, MADV_HWPOISON, false));
	check_child(_metadata, sb, status, "MADV_HWPOISON");
	ASSERT_EQ(0, sb->ret) TH_LOG("precondition: madvise(MADV_HWPOISON) returned %ld (%s), expected 0 (D21, mm/madvise.c:1183)",
				     sb->ret, strerror(sb->err));
	ASSERT_EQ(1, sb->count) TH_LOG("precondition: the poisoner got %d SIGBUS, expected one (D21, mm/memory-failure.c:359)",
				       sb->count);
	ASSERT_EQ(BUS_MCEERR_AR, sb->code) TH_LOG("precondition: the poisoner got %s, expected BUS_MCEERR_AR (D21)",
						  hwp_si_code_name(sb->code));
	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));

	ret = fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			hwp_off(f, PUNCH_PAGE), HWP_PAGE);
	ASSERT_EQ(0, ret)
		TH_LOG("fallocate(PUNCH_HOLE|KEEP_SIZE) of the poisoned page failed: %s, expected 0: memory_failure() dropped madvise's page reference (put_ref_page(), mm/memory-failure.c:2177-2183, :2280), so the punch's wait for an idle DAX page (xfs_break_dax_layouts(), fs/xfs/xfs_inode.c:2980-2996; ext4_break_layouts(), fs/ext4/inode.c:3982) ends",
		       strerror(errno));
	ret = fiemap_lookup(f->fd, hwp_off(f, PUNCH_PAGE), &at);
	EXPECT_EQ(-ENODATA, ret)
		TH_LOG("after the punch FIEMAP still finds an extent at the page (%d, device byte %llu), expected a hole (D26)",
		       ret, (unsigned long long)at.physical);
	memset(buf, 'X', HWP_PAGE);
	errno = 0;
	n = pread(f->fd, buf, HWP_PAGE, hwp_off(f, PUNCH_PAGE));
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("pread of the punched page returned %zd (%s), expected %lu zeros: a hole has no block to access (dax_iomap_iter(), fs/dax.c: IOMAP_HOLE reads zeros)",
		       n, n < 0 ? strerror(errno) : "short", HWP_PAGE);
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_TRUE(hwp_all(buf, HWP_PAGE, 0))
			TH_LOG("the punched page does not read as zeros (first byte %#x): D26",
			       (unsigned char)buf[0]);

	memset(buf, 'Z', HWP_PAGE);
	errno = 0;
	n = pwrite(f->fd, buf, HWP_PAGE, hwp_off(f, PUNCH_PAGE));
	ASSERT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("writing 'Z' over the punched page returned %zd (%s), expected %lu: the write allocates a block and MADV_HWPOISON left no badblocks entry for dax_direct_access() to refuse (D21; drivers/nvdimm/pmem.c:266-275)",
		       n, n < 0 ? strerror(errno) : "short", HWP_PAGE);
	ret = fsync(f->fd);
	ASSERT_EQ(0, ret) TH_LOG("fsync after the rewrite of the poisoned page: %s, expected 0 (ndctl test/dax-poison.c:160)",
				 strerror(errno));
	ret = fiemap_lookup(f->fd, hwp_off(f, PUNCH_PAGE), &at);
	EXPECT_EQ(0, ret) TH_LOG("FIEMAP of the rewritten page: %s, expected an extent", strerror(-ret));
	TH_LOG("the rewritten page is at device byte %llu; the poisoned block was at %llu (%s)",
	       (unsigned long long)at.physical, f->phys[PUNCH_PAGE],
	       at.physical == f->phys[PUNCH_PAGE] ? "the same block" : "a new block");

	memset(buf, 0, HWP_PAGE);
	errno = 0;
	n = pread(f->fd, buf, HWP_PAGE, hwp_off(f, PUNCH_PAGE));
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("pread of the rewritten page returned %zd (%s), expected %lu", n,
		       n < 0 ? strerror(errno) : "short", HWP_PAGE);
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_TRUE(hwp_all(buf, HWP_PAGE, 'Z'))
			TH_LOG("pread of the rewritten page does not return its 'Z' bytes (first byte %#x)",
			       (unsigned char)buf[0]);
	free(buf);

	/* A new mapping of the window: the new data at the page, the old around it. */
	for (i = 0; i < HWP_VICTIM_PAGES; i++)
		want[i] = hwp_fill(i);
	want[PUNCH_PAGE] = 'Z';
	r = reader_new();
	ASSERT_NE(NULL, r);
	status = hwp_wait(reader_child(f, f->fd, want, r));
	expect_reader(_metadata, r, status, want, "the victim",
		      "a new mapping of the rewritten page must fault in its new block; nothing in the DAX fault path checks PageHWPoison (dax_fault_iter(), fs/dax.c) and no badblocks entry exists (D21, D26)");
	munmap(r, HWP_PAGE);
	munmap(sb, HWP_PAGE);
}

/*
 * The pfn behind window page p of the victim: mapped here, read from
 * /proc/self/pagemap, unmapped again, so this process maps nothing.
 */
static unsigned long long victim_pfn(struct __test_metadata *_metadata, struct hwp_fs *f,
				     unsigned int p)
{
	volatile char *map;
	uint64_t pfn = 0;
	int ret;

	map = mmap(NULL, HWP_PAGE, PROT_READ, MAP_SHARED, f->fd, hwp_off(f, p));
	if (map == MAP_FAILED) {
		TH_LOG("mmap of victim page %u: %s", p, strerror(errno));
		return 0;
	}
	if (map[0] != hwp_fill(p))
		TH_LOG("victim page %u does not hold its data", p);
	ret = pagemap_pfns((const void *)map, 1, &pfn);
	munmap((void *)map, HWP_PAGE);
	if (ret)
		TH_LOG("reading /proc/self/pagemap: %s", strerror(-ret));
	return pfn;
}

/*
 * D24: corrupt-pfn of a file's page: the mapper with PR_MCE_KILL_EARLY gets
 * BUS_MCEERR_AO at its address with lsb 12, the one without nothing, both
 * load the page again, and the filesystem stays up.
 */
TEST_F(cpfn, file_page_early_kill)
{
	struct hwp_fs *f = &self->f;
	struct mapper *m[N_MAPPERS] = { NULL };
	unsigned long long pfn;
	struct hwp_sigbus *sb;
	char page[HWP_PAGE];

	pfn = victim_pfn(_metadata, f, EARLY_PAGE);
	ASSERT_NE(0ULL, pfn) TH_LOG("precondition: no pfn for a mapped DAX page");
	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	poison_with_mappers(_metadata, f, -1, pfn, f->fd, "the victim", EARLY_PAGE, m, sb);
	if (!m[0] || !m[1])
		return;
	check_early_kill(_metadata, m, EARLY_PAGE);
	memset(page, 'z', sizeof(page));
	EXPECT_EQ((ssize_t)sizeof(page), pwrite(f->fd, page, sizeof(page), hwp_off(f, 0)))
		TH_LOG("pwrite to the victim after corrupt-pfn of a file page: %s: a data page must not shut XFS down",
		       strerror(errno));
	EXPECT_EQ(0, fsync(f->fd)) TH_LOG("fsync: %s", strerror(errno));
	munmap(m[0], HWP_PAGE);
	munmap(m[1], HWP_PAGE);
	munmap(sb, HWP_PAGE);
}

/*
 * D24: corrupt-pfn of the first block of the filesystem (AG 0's headers,
 * rmap owner XFS_RMAP_OWN_FS) shuts XFS down: the kernel logs "Corruption
 * of on-disk metadata", the write to debugfs fails, and later calls on the
 * filesystem fail with EIO.
 */
TEST_F(cpfn, metadata_shuts_down)
{
	struct hwp_fs *f = &self->f;
	unsigned long long pfn, base;
	char page[HWP_PAGE];
	int kmsg, ret;

	pfn = victim_pfn(_metadata, f, 0);
	ASSERT_NE(0ULL, pfn) TH_LOG("precondition: no pfn for a mapped DAX page");
	ASSERT_LE(f->phys[0] / HWP_PAGE, pfn);
	base = pfn - f->phys[0] / HWP_PAGE;
	TH_LOG("victim page 0: pfn %#llx, device byte %llu: the filesystem's block 0 is pfn %#llx",
	       pfn, f->phys[0], base);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	ret = corrupt_pfn(base);
	TH_LOG("wrote pfn %#llx to %s: %s", base, CORRUPT_PFN, ret ? strerror(-ret) : "ok");
	EXPECT_NE(0, ret)
		TH_LOG("the write to corrupt-pfn succeeded: memory_failure() must fail for a page nothing recovers (xfs_dax_notify_ddev_failure() returns -EFSCORRUPTED)");
	ret = kmsg_find(kmsg, "Corruption of on-disk metadata");
	EXPECT_EQ(1, ret)
		TH_LOG("no \"Corruption of on-disk metadata\" shutdown in the kernel log (xfs_do_force_shutdown(), fs/xfs/xfs_fsops.c:502-518): %d",
		       ret);
	close(kmsg);
	memset(page, 'z', sizeof(page));
	errno = 0;
	EXPECT_EQ(-1, pwrite(f->fd, page, sizeof(page), hwp_off(f, 1)))
		TH_LOG("pwrite to the victim succeeded after its filesystem's metadata block was poisoned: XFS must be shut down");
	EXPECT_EQ(EIO, errno) TH_LOG("pwrite failed with %s, expected EIO (shut down)", strerror(errno));
}

/*
 * The victim and a FICLONE of it sharing every block, on XFS with rmapbt;
 * the clone's fd, or -1 after a failed assertion.
 */
static int make_clone(struct __test_metadata *_metadata, struct hwp_fs *f)
{
	struct fiemap_at a, b;
	int clone, ret;

	clone = openat(f->root, "clone", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, clone) TH_LOG("creating the clone: %s", strerror(errno));
	ret = ioctl(clone, FICLONE, f->fd);
	ASSERT_EQ(0, ret) TH_LOG("precondition: FICLONE of the victim failed: %s (mkfs.xfs must default to reflink=1, B)",
				 strerror(errno));
	ASSERT_EQ(0, fiemap_lookup(f->fd, hwp_off(f, SHARED_PAGE), &a));
	ASSERT_EQ(0, fiemap_lookup(clone, hwp_off(f, SHARED_PAGE), &b));
	TH_LOG("victim page %u at device byte %llu (flags %#x), the clone's at %llu (flags %#x)",
	       SHARED_PAGE, (unsigned long long)a.physical, a.flags,
	       (unsigned long long)b.physical, b.flags);
	ASSERT_EQ(a.physical, b.physical) TH_LOG("precondition: after FICLONE the clone's page is not the victim's block");
	ASSERT_NE(0U, a.flags & FIEMAP_EXTENT_SHARED)
		TH_LOG("precondition: the victim's extent is not FIEMAP_EXTENT_SHARED after FICLONE");
	ASSERT_EQ(1, dax_s_dax(f->root, "clone")) TH_LOG("precondition: the clone has no S_DAX");
	return clone;
}

/*
 * D22: the mappers of the file that was not poisoned: the early-kill one
 * gets BUS_MCEERR_AO at its own address with lsb 12, the other nothing.
 */
static void check_other_owner(struct __test_metadata *_metadata, struct mapper *m[N_MAPPERS],
			      const char *file)
{
	EXPECT_EQ(0, m[1]->sb.count)
		TH_LOG("%s's mapper without early kill got %d SIGBUS (%s), expected none: task_early_kill() finds no PF_MCE_EARLY thread (mm/memory-failure.c:564-600)",
		       file, m[1]->sb.count, hwp_si_code_name(m[1]->sb.code));
	EXPECT_EQ(1, m[0]->sb.count)
		TH_LOG("%s's PR_MCE_KILL_EARLY mapper got %d SIGBUS, expected one BUS_MCEERR_AO: xfs_dax_notify_ddev_failure() walks every rmap owner of the block (fs/xfs/xfs_notify_failure.c:268-296) and mf_dax_kill_procs() collects each owner's early-kill mappers (mm/memory-failure.c:1864); a mapper is signalled only while the page is in its page table (__add_to_kill()), and a later read fault of the shared page by another process unmapped it (dax_insert_entry(), fs/dax.c:882-890)",
		       file, m[0]->sb.count);
	if (m[0]->sb.count) {
		EXPECT_EQ(BUS_MCEERR_AO, m[0]->sb.code)
			TH_LOG("%s's early-kill mapper is not the poisoning task: expected BUS_MCEERR_AO, got %s (mm/memory-failure.c:369)",
			       file, hwp_si_code_name(m[0]->sb.code));
		EXPECT_EQ((char *)m[0]->sb.base + SHARED_PAGE * HWP_PAGE, (char *)m[0]->sb.addr)
			TH_LOG("si_addr %p must be the mapper's own page %p", m[0]->sb.addr,
			       (char *)m[0]->sb.base + SHARED_PAGE * HWP_PAGE);
		EXPECT_EQ(12, m[0]->sb.lsb) TH_LOG("a PTE mapping: lsb 12, not %d", m[0]->sb.lsb);
	}
}

/*
 * D22 on the generic path (XFS without rmapbt): the ->mapping of a page
 * two files share is PAGE_MAPPING_DAX_SHARED, a marker, not an
 * address_space (dax_page_share_get(), fs/dax.c:329-345), and without
 * rmapbt nothing finds the page's owners. memory_failure() must refuse
 * the page cleanly: mf_generic_kill_procs() cannot lock a mapping
 * (mm/memory-failure.c:1787-1789), so madvise fails with EBUSY, nobody is
 * signalled, the kernel logs "recovery action for dax page: Failed", and
 * the other file still reads. Stock 6.12's dax_lock_folio()
 * (fs/dax.c:431-434) takes the marker for a mapping and dereferences it:
 * the guest oopses ("BUG: kernel NULL pointer dereference, address:
 * 0000000000000001").
 */
static void poison_refused(struct __test_metadata *_metadata, struct hwp_fs *f,
			   int poison_fd, int other_fd, const char *other)
{
	struct hwp_sigbus *sb;
	char buf[HWP_PAGE];
	volatile char *map;
	int kmsg, status, ret;
	ssize_t n;

	/* The other file maps the page too: it is associated as shared. */
	map = mmap(NULL, HWP_VICTIM_PAGES * HWP_PAGE, PROT_READ, MAP_SHARED, other_fd,
		   hwp_off(f, 0));
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap of %s: %s", other, strerror(errno));
	ASSERT_EQ(hwp_fill(SHARED_PAGE), map[SHARED_PAGE * HWP_PAGE])
		TH_LOG("precondition: %s's page does not hold the shared data", other);
	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	status = hwp_wait(madvise_child(f, poison_fd, sb, SHARED_PAGE, MADV_HWPOISON, false));
	check_child(_metadata, sb, status, "MADV_HWPOISON of a shared page without rmapbt");
	EXPECT_EQ(-1, sb->ret)
		TH_LOG("madvise(MADV_HWPOISON) of a page two files share returned %ld on XFS without rmapbt, expected -1 EBUSY: the generic path cannot find a shared page's owners",
		       sb->ret);
	EXPECT_EQ(EBUSY, sb->err) TH_LOG("madvise failed with %s, expected EBUSY (mf_generic_kill_procs(), mm/memory-failure.c:1789)",
					 strerror(sb->err));
	EXPECT_EQ(0, sb->count) TH_LOG("the poisoner got %d SIGBUS (%s) for a failure nobody handled",
				       sb->count, hwp_si_code_name(sb->code));
	ret = kmsg_find(kmsg, "recovery action for dax page: Failed");
	EXPECT_EQ(1, ret) TH_LOG("no \"recovery action for dax page: Failed\" in the kernel log (action_result(), mm/memory-failure.c:2213): %d",
				 ret);
	close(kmsg);
	EXPECT_EQ(hwp_fill(SHARED_PAGE), map[SHARED_PAGE * HWP_PAGE])
		TH_LOG("%s's mapping no longer reads the page's data", other);
	n = pread(other_fd, buf, sizeof(buf), hwp_off(f, SHARED_PAGE));
	EXPECT_EQ((ssize_t)sizeof(buf), n) TH_LOG("read() of %s's page: %zd (%s)", other, n,
						  n < 0 ? strerror(errno) : "bytes");
	munmap((void *)map, HWP_VICTIM_PAGES * HWP_PAGE);
	munmap(sb, HWP_PAGE);
}

/*
 * D22: MADV_HWPOISON on a page of poison_fd that other_fd shares. With
 * rmapbt: the poisoner gets BUS_MCEERR_AR (checked in
 * poison_with_mappers()); the other file's PR_MCE_KILL_EARLY mapper gets
 * BUS_MCEERR_AO through that file's rmap record, its mapper without early
 * kill nothing, and both read the page again afterwards; the early-kill
 * mapper loads the page before the other one does. Without rmapbt the
 * page is refused (poison_refused()).
 */
static void poison_shared(struct __test_metadata *_metadata, struct hwp_fs *f, bool rmapbt,
			  int poison_fd, int other_fd, const char *other)
{
	struct mapper *m[N_MAPPERS] = { NULL };
	struct hwp_sigbus *sb;

	if (!rmapbt) {
		poison_refused(_metadata, f, poison_fd, other_fd, other);
		return;
	}
	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	poison_with_mappers(_metadata, f, poison_fd, 0, other_fd, other, SHARED_PAGE, m, sb);
	if (!m[0] || !m[1])
		return;
	check_other_owner(_metadata, m, other);
	munmap(m[0], HWP_PAGE);
	munmap(m[1], HWP_PAGE);
	munmap(sb, HWP_PAGE);
}

/* D22: the victim is poisoned; the clone is the other owner. */
TEST_F(shared, hwpoison_reflinked)
{
	int clone = make_clone(_metadata, &self->f);

	poison_shared(_metadata, &self->f, variant->rmapbt, self->f.fd, clone, "the clone");
	close(clone);
}

/* D22: the clone is poisoned; the victim is the other owner. */
TEST_F(shared, hwpoison_through_clone)
{
	int clone = make_clone(_metadata, &self->f);

	poison_shared(_metadata, &self->f, variant->rmapbt, clone, self->f.fd, "the victim");
	close(clone);
}

/* Why the shared cases of the poisoner alone need rmapbt. */
#define NEEDS_RMAPBT \
	"XFS without rmapbt has no reverse mapping to find the owners of a shared block (D20: xfs_dax_notify_failure() gives -EOPNOTSUPP, fs/xfs/xfs_notify_failure.c:359-361); what the poisoner gets on the generic path instead (EBUSY, no SIGBUS) is shared.xfs_normapbt.hwpoison_through_clone"

/*
 * D22: the poisoner's half of a shared page's poison, without the other
 * owner's mappers: MADV_HWPOISON of a page the clone shares with the
 * victim, through the clone, returns 0, the poisoner gets one SIGBUS
 * BUS_MCEERR_AR at its page with lsb 12, and the kernel logs "recovery
 * action for dax page: Recovered".
 */
TEST_F(shared, poisoner_through_clone)
{
	struct hwp_fs *f = &self->f;
	unsigned long long pfn;
	struct hwp_sigbus *sb;
	int clone, kmsg, status, ret;

	if (!variant->rmapbt)
		SKIP(return, NEEDS_RMAPBT);
	clone = make_clone(_metadata, f);
	/*
	 * The victim's page is in the victim's mapping, so the owner walk has
	 * an entry to lock there too (dax_lock_mapping_entry()), but nobody
	 * maps it: no expectation about the other owner's mappers here.
	 */
	pfn = victim_pfn(_metadata, f, SHARED_PAGE);
	ASSERT_NE(0ULL, pfn) TH_LOG("precondition: no pfn for the victim's mapped page %u", SHARED_PAGE);
	TH_LOG("the shared page is pfn %#llx", pfn);
	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	status = hwp_wait(madvise_child(f, clone, sb, SHARED_PAGE, MADV_HWPOISON, false));
	check_child(_metadata, sb, status, "MADV_HWPOISON of a shared page through the clone");
	expect_action_required(_metadata, sb, SHARED_PAGE, 1, "of a shared page through the clone");
	ret = kmsg_find(kmsg, "recovery action for dax page: Recovered");
	EXPECT_EQ(1, ret)
		TH_LOG("no \"recovery action for dax page: Recovered\" after poisoning a shared page through the clone (action_result(), mm/memory-failure.c:2213): xfs_dax_notify_ddev_failure() walks the block's rmap records (fs/xfs/xfs_notify_failure.c:268-296) and mf_dax_kill_procs() must handle each in-core owner (:108-110, mm/memory-failure.c:1838-1871): %d",
		       ret);
	close(kmsg);
	close(clone);
	munmap(sb, HWP_PAGE);
}

/*
 * The byte window page i of the partial clone holds: the victim's on the
 * pages it shares (the even ones), its own on the others.
 */
static char partial_fill(unsigned int i)
{
	return i % 2 ? (char)('A' + i) : hwp_fill(i);
}

/*
 * "partial": window pages of its own holding 'A' + i, then every even one
 * replaced by a FICLONERANGE of the victim's (xfs/552), on XFS with
 * rmapbt; its fd, or -1 after a failed assertion.
 */
static int make_partial_clone(struct __test_metadata *_metadata, struct hwp_fs *f)
{
	struct file_clone_range fcr = { .src_fd = f->fd, .src_length = HWP_PAGE };
	char page[HWP_PAGE];
	struct fiemap_at at;
	unsigned int i, j;
	int fd, ret;
	ssize_t n;

	fd = openat(f->root, "partial", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd) TH_LOG("creating the partial clone: %s", strerror(errno));
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		memset(page, 'A' + i, sizeof(page));
		n = pwrite(fd, page, sizeof(page), hwp_off(f, i));
		ASSERT_EQ((ssize_t)sizeof(page), n)
			TH_LOG("writing page %u of the partial clone: %s", i, n < 0 ? strerror(errno) : "short");
	}
	ASSERT_EQ(0, fsync(fd)) TH_LOG("fsync of the partial clone: %s", strerror(errno));
	for (i = 0; i < HWP_VICTIM_PAGES; i += 2) {
		fcr.src_offset = fcr.dest_offset = hwp_off(f, i);
		ret = ioctl(fd, FICLONERANGE, &fcr);
		ASSERT_EQ(0, ret) TH_LOG("precondition: FICLONERANGE of victim page %u into the partial clone: %s (B10)",
					 i, strerror(errno));
	}
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		ret = fiemap_lookup(fd, hwp_off(f, i), &at);
		ASSERT_EQ(0, ret) TH_LOG("FIEMAP of partial clone page %u: %s", i, strerror(-ret));
		if (i % 2 == 0) {
			ASSERT_EQ(f->phys[i], at.physical)
				TH_LOG("precondition: partial clone page %u is at device byte %llu, not on the victim's block %llu after FICLONERANGE",
				       i, (unsigned long long)at.physical, f->phys[i]);
			ASSERT_NE(0U, at.flags & FIEMAP_EXTENT_SHARED)
				TH_LOG("precondition: partial clone page %u is not FIEMAP_EXTENT_SHARED after FICLONERANGE", i);
			continue;
		}
		for (j = 0; j < HWP_VICTIM_PAGES && f->phys[j] != at.physical; j++)
			;
		ASSERT_EQ((unsigned int)HWP_VICTIM_PAGES, j)
			TH_LOG("precondition: partial clone page %u is on victim page %u's block (device byte %llu), which it did not clone",
			       i, j, (unsigned long long)at.physical);
		ASSERT_EQ(0U, at.flags & FIEMAP_EXTENT_SHARED)
			TH_LOG("precondition: partial clone page %u (its own block) is FIEMAP_EXTENT_SHARED", i);
	}
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		n = pread(fd, page, sizeof(page), hwp_off(f, i));
		ASSERT_EQ((ssize_t)sizeof(page), n)
			TH_LOG("reading page %u of the partial clone: %s", i, n < 0 ? strerror(errno) : "short");
		ASSERT_TRUE(hwp_all(page, sizeof(page), partial_fill(i)))
			TH_LOG("precondition: partial clone page %u does not hold '%c' (first byte %#x)",
			       i, partial_fill(i), (unsigned char)page[0]);
	}
	ASSERT_EQ(1, dax_s_dax(f->root, "partial")) TH_LOG("precondition: the partial clone has no S_DAX");
	TH_LOG("partial clone: even window pages on the victim's blocks, page %u at device byte %llu, page %u on its own block",
	       PARTIAL_PAGE, f->phys[PARTIAL_PAGE], PARTIAL_PAGE + 1);
	return fd;
}

/*
 * D22: a two-page MADV_HWPOISON through a file of which every other page
 * is reflinked from the victim (xfs/552), over a shared page and the
 * file's own next one: madvise returns 0, the poisoner gets SIGBUS
 * BUS_MCEERR_AR at the first page, each page's recovery is logged
 * "Recovered", and the victim's pages that were not poisoned still read.
 */
TEST_F(shared, partly_reflinked_two_pages)
{
	struct hwp_fs *f = &self->f;
	char want[HWP_VICTIM_PAGES], buf[HWP_PAGE];
	int partial, kmsg, status, ret;
	struct hwp_sigbus *sb;
	struct reader *r;
	unsigned int i;
	ssize_t n;

	if (!variant->rmapbt)
		SKIP(return, NEEDS_RMAPBT);
	partial = make_partial_clone(_metadata, f);
	sb = hwp_sigbus_new();
	ASSERT_NE(NULL, sb);
	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	status = hwp_wait(madvise_range_child(f, partial, sb, PARTIAL_PAGE, 2, MADV_HWPOISON, false));
	check_child(_metadata, sb, status, "MADV_HWPOISON of a shared and an own page of the partial clone");
	expect_action_required(_metadata, sb, PARTIAL_PAGE, 2,
			       "of a shared and an own page of the partial clone");
	ret = kmsg_find(kmsg, "recovery action for dax page: Recovered");
	EXPECT_EQ(1, ret)
		TH_LOG("no \"recovery action for dax page: Recovered\" for the shared page %u (action_result(), mm/memory-failure.c:2213): its block has two rmap owners, the victim and the partial clone (fs/xfs/xfs_notify_failure.c:268-296): %d",
		       PARTIAL_PAGE, ret);
	ret = kmsg_find(kmsg, "recovery action for dax page: Recovered");
	EXPECT_EQ(1, ret)
		TH_LOG("no second \"recovery action for dax page: Recovered\", for the partial clone's own page %u: madvise_inject_error() calls memory_failure() for every page of the range (mm/madvise.c:1159-1190): %d",
		       PARTIAL_PAGE + 1, ret);
	close(kmsg);

	/* The victim: every page but the one whose block was poisoned. */
	for (i = 0; i < HWP_VICTIM_PAGES; i++)
		want[i] = i == PARTIAL_PAGE ? 0 : hwp_fill(i);
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		if (!want[i])
			continue;
		errno = 0;
		n = pread(f->fd, buf, sizeof(buf), hwp_off(f, i));
		EXPECT_EQ((ssize_t)sizeof(buf), n)
			TH_LOG("pread of victim page %u after the poison returned %zd (%s), expected %lu: a file page's poison leaves the filesystem up (only a metadata owner shuts it down, xfs_dax_failure_fn(), fs/xfs/xfs_notify_failure.c:82-89) and marks nothing bad on the medium (D21)",
			       i, n, n < 0 ? strerror(errno) : "short", HWP_PAGE);
		if (n == (ssize_t)sizeof(buf))
			EXPECT_TRUE(hwp_all(buf, sizeof(buf), want[i]))
				TH_LOG("victim page %u does not read its '%c' bytes after the partial clone's pages %u-%u were poisoned (first byte %#x)",
				       i, want[i], PARTIAL_PAGE, PARTIAL_PAGE + 1, (unsigned char)buf[0]);
	}
	r = reader_new();
	ASSERT_NE(NULL, r);
	status = hwp_wait(reader_child(f, f->fd, want, r));
	expect_reader(_metadata, r, status, want, "the victim",
		      "only the poisoned block's pages of each owner are unmapped and marked (xfs_failure_pgoff(), xfs_failure_pgcnt(), fs/xfs/xfs_notify_failure.c:34-66; mf_dax_kill_procs(), mm/memory-failure.c:1838-1871), and a DAX fault of a page not poisoned maps it again");
	munmap(r, HWP_PAGE);
	close(partial);
	munmap(sb, HWP_PAGE);
}

TEST_HARNESS_MAIN
