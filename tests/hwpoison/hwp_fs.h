/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filesystem the hwpoison tests on QEMU's NVDIMM use: a fresh XFS
 * (-m rmapbt=1, D20) or ext4 on $DAXTEST_PMEM mounted dax=always, holding
 * a victim "window" of HWP_VICTIM_PAGES pages, window page i filled with
 * the byte 'a' + i, whose device addresses are known (FIEMAP).
 *
 * Neither badblocks nor poisoned pages go away while the guest runs (that
 * is why settings says guest=own), and a fresh mkfs lays the filesystem out
 * the same way each time. So each setup takes a sequence number (counted
 * in HWP_SEQ_FILE, one more per setup in this guest): a "filler" of
 * HWP_FILLER_BASE plus seq times HWP_FILLER_STEP is fallocated first (on
 * XFS that moves the victim), and the victim is fallocated with seq
 * windows of unused pages in front of the one the test uses (on ext4,
 * whose allocator puts the victim in another group regardless of the
 * filler). The setup checks that no page of the window is on a known bad
 * block before it writes it.
 *
 * Include after kselftest_harness.h.
 */
#ifndef DAXTEST_HWP_FS_H
#define DAXTEST_HWP_FS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "dax_fs.h"
#include "fiemap.h"
#include "hwp_util.h"

#define HWP_VICTIM_PAGES	16
#define HWP_FILLER_BASE		(48UL << 20)
#define HWP_FILLER_STEP		(2UL << 20)
#define HWP_SEQ_FILE		"/tmp/daxtest-hwpoison.seq"

struct hwp_fs {
	char dev[256];		/* $DAXTEST_PMEM */
	char disk[64];		/* "pmem0" */
	char mnt[64];		/* the mkdtemp() mount point */
	enum dax_fs_type fs;
	int root;		/* O_DIRECTORY fd on the mounted root, or -1 */
	int fd;			/* the victim, O_RDWR, or -1 */
	bool mounted;
	unsigned int seq;	/* hwp_next_seq() of this setup */
	unsigned int base;	/* the victim's window starts at this file page */
	unsigned long long phys[HWP_VICTIM_PAGES];	/* device byte address of window page i */
};

/* This setup's number in the guest: 0, 1, ... (HWP_SEQ_FILE). */
static inline unsigned int hwp_next_seq(void)
{
	unsigned int seq = 0;
	FILE *f;

	f = fopen(HWP_SEQ_FILE, "re");
	if (f) {
		if (fscanf(f, "%u", &seq) != 1)
			seq = 0;
		fclose(f);
	}
	f = fopen(HWP_SEQ_FILE, "we");
	if (f) {
		fprintf(f, "%u\n", seq + 1);
		fclose(f);
	}
	return seq;
}

/* The byte page i of the victim holds. */
static inline char hwp_fill(unsigned int page)
{
	return 'a' + page;
}

/* 1 if buf (len bytes) is all c. */
static inline int hwp_all(const char *buf, size_t len, char c)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != c)
			return 0;
	return 1;
}

/* The 512-byte sector of the block device holding page i of the victim. */
static inline unsigned long long hwp_sector(const struct hwp_fs *f, unsigned int page)
{
	return f->phys[page] >> 9;
}

/*
 * 1 if the loaded nd_pmem is tools/testing/nvdimm's wrapped build (taint
 * "O"), 0 if it is the in-tree one, -errno.
 */
static inline int hwp_pmem_wrapped(void)
{
	char buf[32];
	ssize_t n = hwp_read_small("/sys/module/nd_pmem/taint", buf, sizeof(buf));

	return n < 0 ? (int)n : strchr(buf, 'O') != NULL;
}

/*
 * Creates the filler and the victim and writes the victim's window: 0, or
 * -1 with the reason in why.
 */
static inline int hwp_fs_fill(struct hwp_fs *f, char *why, size_t len)
{
	char bb[4096], page[HWP_PAGE];
	struct fiemap_at at;
	unsigned int i;
	off_t size;
	int ret, fd;

	f->seq = hwp_next_seq();
	f->base = f->seq * HWP_VICTIM_PAGES;
	fd = openat(f->root, "filler", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 || fallocate(fd, 0, 0, HWP_FILLER_BASE + f->seq * HWP_FILLER_STEP)) {
		snprintf(why, len, "creating the filler: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	f->fd = openat(f->root, "victim", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size = (f->base + HWP_VICTIM_PAGES) * HWP_PAGE;
	if (f->fd < 0 || fallocate(f->fd, 0, 0, size)) {
		snprintf(why, len, "creating the victim (%lld bytes): %s", (long long)size,
			 strerror(errno));
		return -1;
	}
	ret = hwp_badblocks_read(f->disk, bb, sizeof(bb));
	if (ret < 0) {
		snprintf(why, len, "reading /sys/block/%s/badblocks: %s", f->disk, strerror(-ret));
		return -1;
	}
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		ret = fiemap_lookup(f->fd, (f->base + i) * HWP_PAGE, &at);
		if (ret || at.physical % HWP_PAGE) {
			snprintf(why, len, "FIEMAP of victim page %u: %s, device byte %llu",
				 i, strerror(-ret), (unsigned long long)at.physical);
			return -1;
		}
		if (hwp_badblocks_covers(bb, at.physical >> 9, 8, true)) {
			snprintf(why, len, "precondition: victim page %u landed on a known bad block (sector %llu; badblocks: %.400s)",
				 i, (unsigned long long)at.physical >> 9, bb);
			return -1;
		}
	}
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		memset(page, hwp_fill(i), sizeof(page));
		ret = pwrite(f->fd, page, sizeof(page), (f->base + i) * HWP_PAGE);
		if (ret != (int)sizeof(page)) {
			snprintf(why, len, "writing victim page %u: %s", i,
				 ret < 0 ? strerror(errno) : "short");
			return -1;
		}
	}
	if (fsync(f->fd)) {
		snprintf(why, len, "fsync(victim): %s", strerror(errno));
		return -1;
	}
	if (dax_s_dax(f->root, "victim") != 1) {
		snprintf(why, len, "precondition: the victim on %s dax=always has no S_DAX (A1)",
			 dax_fs_name(f->fs));
		return -1;
	}
	/* The writes may have converted unwritten extents: look again. */
	for (i = 0; i < HWP_VICTIM_PAGES; i++) {
		ret = fiemap_lookup(f->fd, (f->base + i) * HWP_PAGE, &at);
		if (ret) {
			snprintf(why, len, "FIEMAP of victim page %u: %s", i, strerror(-ret));
			return -1;
		}
		f->phys[i] = at.physical;
	}
	return 0;
}

/*
 * Makes the cell's device a fresh fs (XFS with the reverse-mapping btree
 * when rmapbt, without it otherwise), mounts it dax=always and fills the
 * victim file.
 */
static inline void hwp_fs_setup_rmapbt(struct __test_metadata *_metadata,
				       struct hwp_fs *f, enum dax_fs_type fs, bool rmapbt)
{
	char *xfs[] = { "mkfs.xfs", "-f", "-q", "-b", "size=4096", "-m",
			rmapbt ? "rmapbt=1" : "rmapbt=0", f->dev, NULL };
	char why[1024];
	const char *step;
	int ret;

	f->root = f->fd = -1;
	f->fs = fs;
	ret = dax_cell_device(f->dev, sizeof(f->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	snprintf(f->disk, sizeof(f->disk), "%.63s", hwp_disk_name(f->dev));
	/*
	 * tools/testing/nvdimm's wrapped nd_pmem returns -EIO for a bad block
	 * where the in-tree one returns -EHWPOISON (pmem-dax.c:17-19 against
	 * drivers/nvdimm/pmem.c:271-275) and has no DAX_RECOVERY_WRITE: with
	 * it neither D25's BUS_MCEERR_AR nor D26's recovery write can happen.
	 * The guest's default module tree prefers the in-tree drivers.
	 */
	ret = hwp_pmem_wrapped();
	ASSERT_EQ(0, ret)
		TH_LOG("the loaded nd_pmem is %s: the QEMU NVDIMMs must be driven by the in-tree driver (/lib/modules/<release>/kernel), nfit_test's builds belong to /lib/modules/<release>-nfit_test",
		       ret == 1 ? "tools/testing/nvdimm's wrapped build (taint O)" : "unknown");
	ret = dax_bdev_has_dax(f->dev);
	ASSERT_LE(0, ret) TH_LOG("reading queue/dax of %s: %s", f->dev, strerror(-ret));
	DAX_CELL_NEED_DAX(f->dev, ret, "no file there is DAX");

	ret = fs == DAX_FS_XFS ? dax_run_tool(xfs) : dax_mkfs(fs, f->dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s on %s failed (%d)", dax_fs_name(fs), f->dev, ret);

	snprintf(f->mnt, sizeof(f->mnt), "/tmp/daxtest-hwp.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(f->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));
	ret = dax_mount(fs, f->dev, f->mnt, DAX_MOUNT_ALWAYS);
	if (ret)
		rmdir(f->mnt);
	ASSERT_EQ(0, ret) TH_LOG("mounting %s (%s) dax=always on %s: %s", f->dev,
				 dax_fs_name(fs), f->mnt, strerror(-ret));
	f->mounted = true;
	f->root = open(f->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ret = f->root < 0 ? snprintf(why, sizeof(why), "open %s: %s", f->mnt, strerror(errno)), -1 :
	      hwp_fs_fill(f, why, sizeof(why));
	if (ret) {
		/* Teardown only runs after a completed setup: clean up here. */
		if (f->fd >= 0)
			close(f->fd);
		if (f->root >= 0)
			close(f->root);
		f->fd = f->root = -1;
		dax_mount_cleanup(f->mnt, true, &step);
		f->mnt[0] = '\0';
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
	TH_LOG("%s on %s, setup %u: victim window from file page %u, its page 0 at device byte %llu (sector %llu)",
	       dax_fs_name(fs), f->dev, f->seq, f->base, f->phys[0], f->phys[0] >> 9);
}

/* XFS with rmapbt=1: the owner walk of D20. */
static inline void hwp_fs_setup(struct __test_metadata *_metadata,
				struct hwp_fs *f, enum dax_fs_type fs)
{
	hwp_fs_setup_rmapbt(_metadata, f, fs, true);
}

/* File offset of window page p of the victim. */
static inline off_t hwp_off(const struct hwp_fs *f, unsigned int p)
{
	return (off_t)(f->base + p) * HWP_PAGE;
}

static inline void hwp_fs_teardown(struct __test_metadata *_metadata, struct hwp_fs *f)
{
	const char *step;
	int ret;

	/*
	 * A failed ASSERT leaves the harness's trigger set: clear it so
	 * the TH_LOG below prints only when its own check fails. This runs
	 * in the parent, after the test process (and its fds) are gone.
	 */
	_metadata->trigger = 0;
	if (!f->mnt[0])
		return;
	ret = dax_mount_cleanup(f->mnt, f->mounted, &step);
	EXPECT_EQ(0, ret) TH_LOG("%s %s: %s", step, f->mnt, strerror(-ret));
}

#endif /* DAXTEST_HWP_FS_H */
