// SPDX-License-Identifier: GPL-2.0
/*
 * fresh_after_cut - a guest restored for a verify phase uses the NVDIMM as
 * the power cut left it, not as its snapshot's kernel knew it
 *
 * A restored guest's kernel is the snapshot's: it had probed the NVDIMMs
 * of the moment it was saved. A verify phase runs on other backing files,
 * those the cut left, so the agent re-reads the NVDIMMs before the first
 * test (guest/restore.c). What would go wrong without that is worst on a
 * map=dev namespace, whose struct pages live on the NVDIMM itself: the
 * prepare phase's kernel leaves its own there (pages of a mapped DAX file
 * with their mapping and refcount), and a kernel that does not initialise
 * them again (memremap_pages() on enable) takes them as in use. The block
 * device's page cache cannot be stale: the kernel drops it when its last
 * opener closes it (blkdev_flush_mapping()), and a restored guest starts
 * with nothing open or mounted.
 *
 * The prepare phase makes an ext4 file system on $DAXTEST_PMEM_DEVMAP
 * (the map=dev namespace), maps a file of 64 pages MAP_SHARED under
 * dax=always, stores a pattern in every page through the mapping, syncs
 * it, and waits for the cut with the pages still mapped. The verify phase
 * mounts it again, maps the file and reads every page through the
 * mapping, then writes it with write(): the data must be there, and the
 * kernel must log no warning about the pages (the run fails a test during
 * which the kernel warned). Nothing may be mounted from a pmem device
 * when the verify phase starts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "dax_fs.h"
#include "powerfail.h"

#define PAGE		4096UL
#define NR_PAGES	64UL
#define FILE_SIZE	(NR_PAGES * PAGE)
#define MNT		"/tmp/fresh_after_cut"
#define FILE_PATH	MNT "/mapped"

static unsigned char pattern(size_t off)
{
	return (unsigned char)(off / PAGE * 7 + off % 251 + 1);
}

/* Whether /proc/self/mounts names a /dev/pmem device; its line in line. */
static bool pmem_mounted(char *line, size_t size)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, (int)size, f))
		found = !strncmp(line, "/dev/pmem", 9);
	fclose(f);
	return found;
}

FIXTURE(devmap) {
	const char *dev;
	bool mounted;
};

FIXTURE_SETUP(devmap)
{
	self->dev = getenv("DAXTEST_PMEM_DEVMAP");
	if (!self->dev || !*self->dev)
		SKIP(return, "no $DAXTEST_PMEM_DEVMAP: the guest has no map=dev namespace");
	ASSERT_EQ(0, mkdir(MNT, 0755) < 0 && errno != EEXIST ? -errno : 0);
}

FIXTURE_TEARDOWN(devmap)
{
	if (self->mounted)
		dax_umount(MNT);
	rmdir(MNT);
}

/* The prepare phase: the file mapped and written, the pages in use at the cut. */
static void prepare(struct __test_metadata *_metadata, FIXTURE_DATA(devmap) *self)
{
	unsigned char *p;
	size_t i;
	int fd;

	ASSERT_EQ(0, dax_mkfs(DAX_FS_EXT4, self->dev, 0)) TH_LOG("mkfs.ext4 on %s", self->dev);
	ASSERT_EQ(0, dax_mount(DAX_FS_EXT4, self->dev, MNT, DAX_MOUNT_ALWAYS))
		TH_LOG("mounting %s with dax=always", self->dev);
	self->mounted = true;
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd) TH_LOG("creating %s: %s", FILE_PATH, strerror(errno));
	ASSERT_EQ(0, ftruncate(fd, FILE_SIZE));
	ASSERT_EQ(0, fsync(fd));
	p = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", strerror(errno));
	for (i = 0; i < FILE_SIZE; i++)
		p[i] = pattern(i);
	ASSERT_EQ(0, msync(p, FILE_SIZE, MS_SYNC)) TH_LOG("msync: %s", strerror(errno));
	ASSERT_EQ(0, fsync(fd));
	powerfail_checkpoint("64 DAX pages mapped and written");
}

TEST_F(devmap, mapped_pages_after_cut)
{
	unsigned char *p, buf[PAGE];
	char line[512];
	size_t i, bad = 0;
	int fd;

	if (powerfail_phase() == POWERFAIL_PREPARE) {
		prepare(_metadata, self);
		return;
	}
	ASSERT_EQ((int)POWERFAIL_VERIFY, (int)powerfail_phase()) TH_LOG("run without a power cut");
	ASSERT_FALSE(pmem_mounted(line, sizeof(line)))
		TH_LOG("a pmem device is mounted when the verify phase starts: %s", line);
	ASSERT_EQ(0, dax_mount(DAX_FS_EXT4, self->dev, MNT, DAX_MOUNT_ALWAYS))
		TH_LOG("mounting %s after the cut", self->dev);
	self->mounted = true;
	fd = open(FILE_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("%s after the cut: %s", FILE_PATH, strerror(errno));
	p = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", strerror(errno));
	for (i = 0; i < FILE_SIZE; i++)
		bad += p[i] != pattern(i);
	EXPECT_EQ(0UL, bad) TH_LOG("%zu bytes of the file differ from what was synced before the cut", bad);
	ASSERT_EQ(0, munmap(p, FILE_SIZE));
	for (i = 0; i < NR_PAGES; i++) {
		memset(buf, (int)i, sizeof(buf));
		ASSERT_EQ((ssize_t)PAGE, pwrite(fd, buf, PAGE, (off_t)(i * PAGE)))
			TH_LOG("pwrite of page %zu: %s", i, strerror(errno));
	}
	ASSERT_EQ(0, fsync(fd));
	close(fd);
}

TEST_HARNESS_MAIN
