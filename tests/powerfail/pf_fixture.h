/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filesystem every power-fail test runs on, across the two phases of a
 * case (tests/common/powerfail.h). In the prepare phase: mkfs on the pmem
 * block device of the run's matrix cell ($DAXTEST_PMEM), mount, and write a
 * seed file, fsync'd with its directory, so that the verify phase knows
 * the data pattern the workload wrote (mkfs does not clear data blocks: a
 * constant byte or a fixed pattern could come back from an earlier run).
 * In the verify phase: mount what the power cut left (log recovery), read
 * the seed back; the teardown unmounts and runs a read-only fsck, and the
 * case fails if the filesystem is not clean. Run without daxtest (no
 * $DAXTEST_PHASE) every case skips: nothing can cut the power.
 *
 * Include after kselftest_harness.h; call pf_setup() as the whole of a
 * FIXTURE_SETUP() and pf_teardown() from a FIXTURE_TEARDOWN_PARENT() (the
 * teardown runs in the parent, after the test process has exited and
 * closed its files, so the unmount before the fsck is a clean one).
 */
#ifndef DAXTEST_PF_FIXTURE_H
#define DAXTEST_PF_FIXTURE_H

#ifndef DAXTEST_KSFT_COMPAT_H
#error "include ksft_compat.h (after kselftest_harness.h) before pf_fixture.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dax_fs.h"
#include "powerfail.h"
#include "reflink_fs.h"

#define MiB	(1024UL * 1024UL)
#define PAGE	4096UL

/* MAP_SYNC and MAP_SHARED_VALIDATE are in glibc >= 2.28 only. */
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE	0x03
#endif
#ifndef MAP_SYNC
#define MAP_SYNC		0x80000
#endif

#define PF_NO_PHASE \
	"power-fail tests need daxtest to cut the power between the prepare and verify phases"
#define PF_SEED_FILE	"pf-seed"

enum pf_mkfs {
	PF_MKFS_PLAIN,		/* dax_mkfs(): 4 KiB blocks */
	PF_MKFS_REFLINK,	/* XFS with -m reflink=1,rmapbt=1 */
};

struct pf_mnt {
	char dev[256];		/* $DAXTEST_PMEM: the same path in both phases */
	char mnt[64];		/* the mkdtemp() mount point */
	char opts[64];		/* mount(2) data */
	enum dax_fs_type fs;
	enum powerfail_phase phase;
	int root;		/* O_DIRECTORY fd on the mounted root, or -1 */
	bool mounted;
	unsigned int seed;	/* the data pattern of this prepare phase */
};

/* "xfs dax=always on map=mem": the filesystem and the matrix cell, for messages. */
#define PF_FMT		"%s %s on %s"
#define PF_ARGS(m)	dax_fs_name((m)->fs), (m)->opts, dax_cell_name()

/* Mounts m and opens its root: 0 or -errno. */
static inline int pf_mount(struct pf_mnt *m)
{
	if (mount(m->dev, m->mnt, dax_fs_name(m->fs), 0, m->opts))
		return -errno;
	m->mounted = true;
	m->root = open(m->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return m->root < 0 ? -errno : 0;
}

/* Writes the seed file and makes it and its name durable: 0 or -errno. */
static inline int pf_seed_write(struct pf_mnt *m)
{
	char buf[32];
	int fd, len, ret = 0;

	fd = openat(m->root, PF_SEED_FILE, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%u\n", m->seed);
	if (write(fd, buf, len) != len || fsync(fd))
		ret = errno ? -errno : -EIO;
	close(fd);
	if (!ret && fsync(m->root))
		ret = -errno;
	return ret;
}

/* Reads the seed the prepare phase wrote: 0 or -errno (-EBADMSG: garbled). */
static inline int pf_seed_read(struct pf_mnt *m)
{
	char buf[32] = "";
	char *end;
	ssize_t n;
	int fd;

	fd = openat(m->root, PF_SEED_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n > 0 ? n : 0] = '\0';
	m->seed = (unsigned int)strtoul(buf, &end, 10);
	return end == buf || *end != '\n' ? -EBADMSG : 0;
}

/*
 * The setup of every power-fail fixture: skips outside daxtest and on a
 * device without DAX; prepare: mkfs, mount, seed file; verify: mount
 * (log recovery), seed file.
 */
static inline void pf_setup(struct __test_metadata *_metadata, struct pf_mnt *m,
			    enum dax_fs_type fs, enum pf_mkfs mkfs, const char *opts)
{
	const char *dev = m->dev;
	char why[128];
	int ret;

	m->root = -1;
	m->fs = fs;
	m->phase = powerfail_phase();
	if (m->phase == POWERFAIL_NONE)
		SKIP(return, PF_NO_PHASE);
	ret = dax_cell_device(m->dev, sizeof(m->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	ASSERT_LE(0, ret) TH_LOG("cannot read queue/dax of %s from sysfs: %s",
				 dev, strerror(-ret));
	DAX_CELL_NEED_DAX(dev, ret, "no file there can be DAX");
	ASSERT_GT(sizeof(m->opts), strlen(opts));
	snprintf(m->opts, sizeof(m->opts), "%s", opts);

	if (m->phase == POWERFAIL_PREPARE) {
		if (mkfs == PF_MKFS_REFLINK)
			ret = reflink_mkfs_xfs(dev, true);
		else
			ret = dax_mkfs(fs, dev, 0);
		ASSERT_EQ(0, ret) TH_LOG("mkfs.%s%s on %s failed (%d)", dax_fs_name(fs),
					 mkfs == PF_MKFS_REFLINK ? " -m reflink=1,rmapbt=1" : "",
					 dev, ret);
	}

	snprintf(m->mnt, sizeof(m->mnt), "/tmp/daxtest-pf.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(m->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));
	ret = pf_mount(m);
	if (ret) {
		/* Teardown only runs after a completed setup: clean up here. */
		if (m->mounted)
			dax_umount(m->mnt);
		rmdir(m->mnt);
	}
	ASSERT_EQ(0, ret)
		TH_LOG("%s: mounting %s as " PF_FMT " on %s: %s", m->phase == POWERFAIL_VERIFY ?
		       "after the power cut, the filesystem does not mount (log recovery failed)" :
		       "the new filesystem does not mount", dev, PF_ARGS(m), m->mnt,
		       strerror(-ret));

	if (m->phase == POWERFAIL_PREPARE) {
		m->seed = reflink_seed();
		ret = pf_seed_write(m);
		ASSERT_EQ(0, ret) TH_LOG("writing and fsyncing %s: %s", PF_SEED_FILE,
					 strerror(-ret));
		return;
	}
	ret = pf_seed_read(m);
	ASSERT_EQ(0, ret)
		TH_LOG(PF_FMT ": after the power cut, %s (written, fsync'd with its directory before the workload) cannot be read back: %s",
		       PF_ARGS(m), PF_SEED_FILE, strerror(-ret));
}

/*
 * The teardown: in the verify phase, unmounts and runs the read-only fsck
 * (its output is in the log); a dirty filesystem fails the case. Only a
 * setup that completed gets here, so in the prepare phase only a case
 * that failed before its checkpoint does.
 */
static inline void pf_teardown(struct __test_metadata *_metadata, struct pf_mnt *m)
{
	bool clean_umount = false;
	int ret;

	/*
	 * After a failed ASSERT, the harness's _metadata->trigger is still
	 * set (__bail() longjmp'd before clearing it), and the next TH_LOG
	 * would print although its check passed.
	 */
	_metadata->trigger = 0;
	if (m->root >= 0)
		close(m->root);
	m->root = -1;
	if (m->mounted) {
		clean_umount = !umount(m->mnt);
		ret = clean_umount ? 0 : dax_umount(m->mnt);
		EXPECT_EQ(0, ret) TH_LOG("umount %s: %s", m->mnt, strerror(-ret));
		m->mounted = false;
	}
	rmdir(m->mnt);
	if (m->phase != POWERFAIL_VERIFY)
		return;
	EXPECT_TRUE(clean_umount)
		TH_LOG(PF_FMT ": %s was busy and had to be detached: the read-only fsck cannot run",
		       PF_ARGS(m), m->mnt);
	if (!clean_umount)
		return;
	ret = powerfail_fsck(dax_fs_name(m->fs), m->dev);
	EXPECT_EQ(0, ret)
		TH_LOG(PF_FMT ": after the power cut, log recovery and a clean unmount, %s on %s exits with %d: the filesystem the cut left is inconsistent (its report is above)",
		       PF_ARGS(m), m->fs == DAX_FS_XFS ? "xfs_repair -n" : "e2fsck -fn",
		       m->dev, ret);
}

/*
 * The end of a prepare phase: prints the checkpoint line and waits for
 * the power cut, which never lets it return under daxtest.
 */
static inline void pf_cut(struct __test_metadata *_metadata, const char *label)
{
	powerfail_checkpoint(label);
	ASSERT_TRUE(false)
		TH_LOG("checkpoint \"%s\": the power was not cut within 60 s of it", label);
}

/*
 * For the random_ cases, which work on until a random cut: how long the
 * workload goes on before it stops and just waits (daxtest cuts at most
 * POWERCUT_MAX_DELAY_MS, 2 s, after the checkpoint line; the harness
 * kills a case after 30 s).
 */
#define PF_RANDOM_WORK_S	10

/* Seconds on CLOCK_MONOTONIC. */
static inline double pf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits for the cut after the workload of a random_ case ran out. */
static inline void pf_wait_for_cut(struct __test_metadata *_metadata, const char *label)
{
	unsigned int left = 60;

	while (left)
		left = sleep(left);
	ASSERT_TRUE(false)
		TH_LOG("checkpoint \"%s\": the power was not cut within %d s of it", label,
		       PF_RANDOM_WORK_S + 60);
}

/*
 * The progress counter of a random_ case: a one-page file, written and
 * fsync'd (so its block is allocated and written), mapped with MAP_SYNC.
 * A store to it overwrites a block already on the log: it needs no
 * metadata, so what the case stores there is durable once written back
 * from the CPU cache (pmem_persist()), and tells the verify phase how
 * far the workload got.
 * Returns the mapping, or NULL with errno set.
 */
static inline volatile uint64_t *pf_progress_create(struct pf_mnt *m)
{
	static const char zero[PAGE];
	void *map;
	int fd;

	fd = openat(m->root, "pf-progress", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	if (pwrite(fd, zero, PAGE, 0) != (ssize_t)PAGE || fsync(fd) || fsync(m->root)) {
		close(fd);
		return NULL;
	}
	map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
	close(fd);
	return map == MAP_FAILED ? NULL : map;
}

/* The progress counter after the cut: 0 or -errno. */
static inline int pf_progress_read(struct pf_mnt *m, uint64_t *value)
{
	int fd, ret = 0;

	fd = openat(m->root, "pf-progress", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, value, sizeof(*value), 0) != (ssize_t)sizeof(*value))
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

/* Byte pos of the data a test writes with tag (0, 1, ...): the seed's pattern. */
static inline unsigned char pf_byte(const struct pf_mnt *m, unsigned int tag, off_t pos)
{
	return reflink_pattern(m->seed + tag * 0x9e3779b9u, pos);
}

/* Fills len bytes at buf with pattern tag from position pos. */
static inline void pf_fill(const struct pf_mnt *m, unsigned int tag, unsigned char *buf,
			   size_t len, off_t pos)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = pf_byte(m, tag, pos + i);
}

/* -1 if buf holds pattern tag from position pos, else the first index that differs. */
static inline ssize_t pf_mismatch(const struct pf_mnt *m, unsigned int tag,
				  const unsigned char *buf, size_t len, off_t pos)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != pf_byte(m, tag, pos + i))
			return i;
	return -1;
}

/* What one page of a file read back as after the cut. */
enum pf_page {
	PF_PAGE_TAG,		/* pattern tag, whole */
	PF_PAGE_OTHER_TAG,	/* the other pattern asked about, whole */
	PF_PAGE_ZERO,		/* all zero bytes */
	PF_PAGE_SHORT,		/* beyond the end of the file */
	PF_PAGE_MIXED,		/* anything else */
};

/*
 * Reads page i of fd and says which of pattern tag, pattern other (pass
 * the same value as tag for none), zeros, or neither it holds: an
 * enum pf_page, or -errno.
 */
static inline int pf_page_state(const struct pf_mnt *m, int fd, size_t i,
				unsigned int tag, unsigned int other)
{
	unsigned char buf[PAGE];
	ssize_t n;
	size_t j;

	n = pread(fd, buf, PAGE, i * PAGE);
	if (n < 0)
		return -errno;
	if ((size_t)n < PAGE)
		return PF_PAGE_SHORT;
	if (pf_mismatch(m, tag, buf, PAGE, i * PAGE) < 0)
		return PF_PAGE_TAG;
	if (other != tag && pf_mismatch(m, other, buf, PAGE, i * PAGE) < 0)
		return PF_PAGE_OTHER_TAG;
	for (j = 0; j < PAGE && !buf[j]; j++)
		;
	return j == PAGE ? PF_PAGE_ZERO : PF_PAGE_MIXED;
}

/*
 * "0-3,7": the pages i < nr with state[i] == want, as ranges, into buf
 * (truncated with "..." if it does not fit); "none" if there are none.
 */
static inline const char *pf_page_ranges(const int *state, size_t nr, int want,
					 char *buf, size_t len)
{
	size_t i, start, used = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < nr; i++) {
		if (state[i] != want)
			continue;
		for (start = i; i + 1 < nr && state[i + 1] == want; i++)
			;
		n = start == i ?
			snprintf(buf + used, len - used, "%s%zu", used ? "," : "", start) :
			snprintf(buf + used, len - used, "%s%zu-%zu", used ? "," : "", start, i);
		if (n < 0 || (size_t)n >= len - used) {
			snprintf(buf + (len > 4 ? len - 4 : 0), len > 4 ? 4 : len, "...");
			return buf;
		}
		used += n;
	}
	return used ? buf : "none";
}

#endif /* DAXTEST_PF_FIXTURE_H */
