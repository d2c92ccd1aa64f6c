// SPDX-License-Identifier: GPL-2.0
/*
 * madv_hwpoison - MADV_HWPOISON and MADV_SOFT_OFFLINE on a mapped fsdax page
 *
 * Behaviours D21 and D23 of the daxtest spec, on an XFS (-m rmapbt=1, D20)
 * file on the fsdax namespace of the run's matrix cell ($DAXTEST_PMEM).
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
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hwp_fs.h"
#include "kmsg_find.h"

#ifndef MADV_HWPOISON
#define MADV_HWPOISON		100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif

#define POISON_PAGE	5

/* The victim on XFS with rmapbt, mounted dax=always. */
FIXTURE(madv) {
	struct hwp_fs f;
};

FIXTURE_SETUP(madv)
{
	/* madvise(2) itself is CONFIG_ADVISE_SYSCALLS (mm/Makefile, mm/madvise.c). */
	errno = 0;
	if (madvise(NULL, 0, MADV_HWPOISON) && errno == ENOSYS) {
		self->f.mnt[0] = '\0';
		SKIP(return, "madvise(2) gives ENOSYS: this kernel has no CONFIG_ADVISE_SYSCALLS (tinyconfig turns it off, and a tests/*/config may not add options), so MADV_HWPOISON and MADV_SOFT_OFFLINE cannot be called");
	}
	hwp_fs_setup(_metadata, &self->f, DAX_FS_XFS);
}

FIXTURE_TEARDOWN_PARENT(madv)
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

/*
 * In a child: maps the victim, faults in page p, then madvise(advice) on
 * it (without CAP_SYS_ADMIN if drop). sb->ret is madvise's return value,
 * sb->err its errno, sb->step 3 once madvise returned. The SIGBUS handler
 * returns: madvise's signal comes at the end of the system call.
 */
static pid_t madvise_child(struct hwp_fs *f, struct hwp_sigbus *sb, unsigned int p,
			   int advice, bool drop)
{
	volatile char *map;
	pid_t pid;

	pid = fork();
	if (pid)
		return pid;
	if (hwp_sigbus_catch(sb, false))
		_exit(10);
	map = mmap(NULL, HWP_VICTIM_PAGES * HWP_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   f->fd, hwp_off(f, 0));
	if (map == MAP_FAILED) {
		sb->err = errno;
		_exit(11);
	}
	sb->base = (void *)map;
	sb->step = 1;
	if (map[p * HWP_PAGE] != hwp_fill(p))
		_exit(12);
	if (drop && drop_sys_admin()) {
		sb->err = errno;
		_exit(13);
	}
	sb->step = 2;
	errno = 0;
	sb->ret = madvise((void *)(map + p * HWP_PAGE), HWP_PAGE, advice);
	sb->err = errno;
	sb->step = 3;
	_exit(0);
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
	status = hwp_wait(madvise_child(f, sb, POISON_PAGE, MADV_HWPOISON, false));
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
	status = hwp_wait(madvise_child(f, sb, POISON_PAGE + 2, MADV_HWPOISON, false));
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
	status = hwp_wait(madvise_child(f, sb, POISON_PAGE + 4, MADV_HWPOISON, true));
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
	status = hwp_wait(madvise_child(f, sb, POISON_PAGE + 6, MADV_SOFT_OFFLINE, false));
	check_child(_metadata, sb, status, "MADV_SOFT_OFFLINE");
	EXPECT_EQ(-1, sb->ret) TH_LOG("madvise(MADV_SOFT_OFFLINE) on an fsdax page returned %ld, expected -1 EIO (pfn_to_online_page() is NULL for ZONE_DEVICE, mm/memory-failure.c:2817-2820)",
				      sb->ret);
	EXPECT_EQ(EIO, sb->err) TH_LOG("failed with %s, expected EIO", strerror(sb->err));
	EXPECT_EQ(0, sb->count) TH_LOG("got SIGBUS (%s) from a soft offline", hwp_si_code_name(sb->code));
	munmap(sb, HWP_PAGE);
}

TEST_HARNESS_MAIN
