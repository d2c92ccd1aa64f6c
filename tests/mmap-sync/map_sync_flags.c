// SPDX-License-Identifier: GPL-2.0
/*
 * map_sync_flags - which mmap() flag combinations with MAP_SYNC the kernel accepts
 *
 * Behaviour C16 of the daxtest spec. do_mmap() computes VM_SYNC from the
 * raw flags (calc_vm_flag_bits(), mm/mmap.c:348, include/linux/mman.h:159)
 * before it validates them. MAP_SHARED_VALIDATE refuses every bit outside
 * LEGACY_MAP_MASK, and MAP_SYNC too unless the file_operations have
 * FOP_MMAP_SYNC (mm/mmap.c:378-395). MAP_SHARED then drops the unknown
 * bits silently, but VM_SYNC is already set, so the filesystem's ->mmap
 * sees it: XFS and ext4 refuse VM_SYNC on a file without S_DAX
 * (daxdev_mapping_supported(), include/linux/dax.h:74-82, called from
 * fs/xfs/xfs_file.c:1576 and fs/ext4/file.c:801), for MAP_SHARED and
 * MAP_PRIVATE alike -- contrary to mmap(2), which says MAP_SHARED ignores
 * MAP_SYNC. tmpfs has no FOP_MMAP_SYNC and no such check: it refuses
 * VALIDATE|SYNC but takes SHARED|SYNC, and the mapping carries VM_SYNC.
 * A mapping with VM_SYNC shows "sf" in its smaps VmFlags
 * (fs/proc/task_mmu.c:961).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pmem_mnt.h"

#define MAP_LEN		(2 * MiB)
/* A flag bit that neither LEGACY_MAP_MASK nor any filesystem knows. */
#define MAP_UNKNOWN_BIT	0x200000

/*
 * 1 if the VmFlags of the smaps entry starting at addr hold the
 * two-letter flag, 0 if not, -errno if there is no such entry.
 */
static int vma_has_flag(const void *addr, const char *flag)
{
	char line[512], start[32];
	bool ours = false;
	int ret = -ENOENT;
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -errno;
	snprintf(start, sizeof(start), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, start, strlen(start))) {
			ours = true;
		} else if (ours && !strncmp(line, "VmFlags:", 8)) {
			char want[8];

			snprintf(want, sizeof(want), " %s", flag);
			ret = strstr(line + 8, want) != NULL;
			break;
		}
	}
	fclose(f);
	return ret;
}

/* "MAP_SHARED_VALIDATE|MAP_SYNC" and so on, for messages. */
static const char *flags_name(int flags)
{
	switch (flags) {
	case MAP_SHARED_VALIDATE | MAP_SYNC:
		return "MAP_SHARED_VALIDATE|MAP_SYNC";
	case MAP_SHARED | MAP_SYNC:
		return "MAP_SHARED|MAP_SYNC";
	case MAP_PRIVATE | MAP_SYNC:
		return "MAP_PRIVATE|MAP_SYNC";
	case MAP_SHARED_VALIDATE | MAP_UNKNOWN_BIT:
		return "MAP_SHARED_VALIDATE|0x200000";
	case MAP_SHARED_VALIDATE:
		return "MAP_SHARED_VALIDATE";
	}
	return "?";
}

/*
 * mmap()s fd with flags and checks the result: err 0 means it must
 * succeed and then carry VM_SYNC exactly if sync; otherwise mmap() must
 * fail with err. where: the file, for messages; why: the source of the rule.
 */
static void check_mmap(struct __test_metadata *_metadata, int fd, int flags,
		       int err, bool sync, const char *where, const char *why)
{
	void *map;
	int ret;

	errno = 0;
	map = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (err) {
		EXPECT_EQ(MAP_FAILED, map)
			TH_LOG("%s: mmap(%s) succeeded, expected %s (%s)", where,
			       flags_name(flags), strerror(err), why);
		if (map != MAP_FAILED) {
			munmap(map, MAP_LEN);
			return;
		}
		EXPECT_EQ(err, errno)
			TH_LOG("%s: mmap(%s) failed with %s, expected %s (%s)",
			       where, flags_name(flags), strerror(errno),
			       strerror(err), why);
		return;
	}
	ASSERT_NE(MAP_FAILED, map)
		TH_LOG("%s: mmap(%s) failed with %s, expected success (%s)", where,
		       flags_name(flags), strerror(errno), why);
	ret = vma_has_flag(map, "sf");
	EXPECT_EQ(sync, ret)
		TH_LOG("%s: the %s mapping has VM_SYNC (\"sf\" in VmFlags) %d, expected %d: VM_SYNC comes from the raw flags (mm/mmap.c:348)",
		       where, flags_name(flags), ret, sync);
	munmap(map, MAP_LEN);
}

/* XFS or ext4 on the pmem device, with a dax mount option. */
FIXTURE(fsflags) {
	struct pmem_mnt m;
};

FIXTURE_VARIANT(fsflags) {
	enum dax_fs_type fs;
	const char *opts;
	bool dax;	/* a new regular file gets S_DAX */
};

FIXTURE_VARIANT_ADD(fsflags, xfs_always) {
	.fs = DAX_FS_XFS, .opts = "dax=always", .dax = true,
};

FIXTURE_VARIANT_ADD(fsflags, xfs_never) {
	.fs = DAX_FS_XFS, .opts = "dax=never", .dax = false,
};

FIXTURE_VARIANT_ADD(fsflags, ext4_always) {
	.fs = DAX_FS_EXT4, .opts = "dax=always", .dax = true,
};

FIXTURE_VARIANT_ADD(fsflags, ext4_never) {
	.fs = DAX_FS_EXT4, .opts = "dax=never", .dax = false,
};

FIXTURE_SETUP(fsflags)
{
	int fd, ret;

	/* Only a DAX file needs a device with DAX; dax=never works on any. */
	pmem_mnt_setup(_metadata, &self->m, variant->fs,
		       variant->opts, variant->dax);
	if (ksft_test_stopped(_metadata))
		return;
	fd = pmem_create_sized(self->m.root, "file", MAP_LEN);
	ASSERT_LE(0, fd) TH_LOG("creating a 2 MiB file: %s", strerror(-fd));
	close(fd);
	ret = dax_s_dax(self->m.root, "file");
	ASSERT_EQ(variant->dax, ret)
		TH_LOG("precondition: a new file under %s %s has S_DAX %d, expected %d (A1)",
		       dax_fs_name(variant->fs), variant->opts, ret, variant->dax);
}

FIXTURE_TEARDOWN_PARENT(fsflags)
{
	pmem_mnt_teardown(_metadata, &self->m);
}

/* "xfs dax=always", for messages */
#define CELL_FMT	"%s %s file"
#define CELL(v)		dax_fs_name((v)->fs), (v)->opts

static int open_file(FIXTURE_DATA(fsflags) *self)
{
	return openat(self->m.root, "file", O_RDWR | O_CLOEXEC);
}

/* C16: VALIDATE|SYNC is OK on a DAX file, EOPNOTSUPP on a non-DAX one */
TEST_F(fsflags, validate_sync)
{
	char where[64];
	int fd;

	snprintf(where, sizeof(where), CELL_FMT, CELL(variant));
	fd = open_file(self);
	ASSERT_LE(0, fd);
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE | MAP_SYNC,
		   variant->dax ? 0 : EOPNOTSUPP, true, where,
		   variant->dax ? "FOP_MMAP_SYNC (mm/mmap.c:378-380) and S_DAX on a synchronous pmem device (include/linux/dax.h:74-82)" :
		   "daxdev_mapping_supported() refuses VM_SYNC without S_DAX (include/linux/dax.h:78)");
	close(fd);
}

/* C16: SHARED|SYNC is refused without S_DAX, contrary to mmap(2); with DAX it is a sync mapping */
TEST_F(fsflags, shared_sync)
{
	char where[64];
	int fd;

	snprintf(where, sizeof(where), CELL_FMT, CELL(variant));
	fd = open_file(self);
	ASSERT_LE(0, fd);
	check_mmap(_metadata, fd, MAP_SHARED | MAP_SYNC,
		   variant->dax ? 0 : EOPNOTSUPP, true, where,
		   variant->dax ? "MAP_SHARED drops MAP_SYNC from the flags only after VM_SYNC was computed (mm/mmap.c:348,391)" :
		   "VM_SYNC is set from the raw flags (mm/mmap.c:348) and ->mmap refuses it without S_DAX (include/linux/dax.h:78)");
	close(fd);
}

/*
 * C16: PRIVATE|SYNC is refused without S_DAX, contrary to mmap(2). With
 * S_DAX it is accepted and the private mapping carries VM_SYNC too: the
 * spec's table has no row for it, this is what 6.12 does
 * (mm/mmap.c:348,414; include/linux/dax.h:74-82).
 */
TEST_F(fsflags, private_sync)
{
	char where[64];
	int fd;

	snprintf(where, sizeof(where), CELL_FMT, CELL(variant));
	fd = open_file(self);
	ASSERT_LE(0, fd);
	check_mmap(_metadata, fd, MAP_PRIVATE | MAP_SYNC,
		   variant->dax ? 0 : EOPNOTSUPP, true, where,
		   variant->dax ? "MAP_PRIVATE validates no flags (mm/mmap.c:414) and the file is DAX" :
		   "VM_SYNC is set from the raw flags (mm/mmap.c:348) and ->mmap refuses it without S_DAX (include/linux/dax.h:78)");
	close(fd);
}

/* C16: VALIDATE refuses a flag bit it does not know, even on a DAX file; without it, it maps */
TEST_F(fsflags, validate_unknown_bit)
{
	char where[64];
	int fd;

	snprintf(where, sizeof(where), CELL_FMT, CELL(variant));
	fd = open_file(self);
	ASSERT_LE(0, fd);
	/* The control: VALIDATE alone is MAP_SHARED, on any file. */
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE, 0, false, where,
		   "MAP_SHARED_VALIDATE without extension flags is MAP_SHARED (mm/mmap.c:394)");
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE | MAP_UNKNOWN_BIT, EOPNOTSUPP,
		   false, where, "flags & ~flags_mask (mm/mmap.c:394-395)");
	close(fd);
}

/*
 * A DAX filesystem on virtio-pmem: its region is ND_REGION_ASYNC (writes
 * reach the host only on a flush request), so pmem_attach_disk() does not
 * mark the dax_device synchronous and daxdev_mapping_supported() refuses
 * VM_SYNC although the file has S_DAX.
 */
FIXTURE(vpmem) {
	struct pmem_mnt m;
};

FIXTURE_VARIANT(vpmem) {
	enum dax_fs_type fs;
	const char *opts;
};

FIXTURE_VARIANT_ADD(vpmem, xfs_always) {
	.fs = DAX_FS_XFS, .opts = "dax=always",
};

FIXTURE_VARIANT_ADD(vpmem, ext4_always) {
	.fs = DAX_FS_EXT4, .opts = "dax=always",
};

FIXTURE_SETUP(vpmem)
{
	const char *dev = getenv("DAXTEST_VIRTIO_PMEM");
	int fd, ret;

	self->m.root = -1;
	if (!dev || !*dev)
		SKIP(return, "DAXTEST_VIRTIO_PMEM is not set: the guest has no virtio-pmem device");
	ASSERT_GT(sizeof(self->m.dev), strlen(dev));
	snprintf(self->m.dev, sizeof(self->m.dev), "%s", dev);
	ret = dax_bdev_has_dax(dev);
	ASSERT_EQ(1, ret)
		TH_LOG("precondition: virtio-pmem (%s) supports DAX (ND_REGION_PAGEMAP, drivers/nvdimm/virtio_pmem.c:121), queue/dax gave %d",
		       dev, ret);
	pmem_mnt_make(_metadata, &self->m, variant->fs, variant->opts, true);
	if (ksft_test_stopped(_metadata))
		return;
	fd = pmem_create_sized(self->m.root, "file", MAP_LEN);
	ASSERT_LE(0, fd) TH_LOG("creating a 2 MiB file: %s", strerror(-fd));
	close(fd);
	ret = dax_s_dax(self->m.root, "file");
	ASSERT_EQ(1, ret)
		TH_LOG("precondition: a new file under %s %s on virtio-pmem has S_DAX %d, expected 1 (A1)",
		       dax_fs_name(variant->fs), variant->opts, ret);
}

FIXTURE_TEARDOWN_PARENT(vpmem)
{
	pmem_mnt_teardown(_metadata, &self->m);
}

/* C16: a DAX file on virtio-pmem (not synchronous) refuses MAP_SYNC, and maps without it */
TEST_F(vpmem, map_sync_refused)
{
	int fd = openat(self->m.root, "file", O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE | MAP_SYNC, EOPNOTSUPP, true,
		   "DAX file on virtio-pmem",
		   "dax_synchronous() is false: ND_REGION_ASYNC, drivers/nvdimm/pmem.c:577; daxdev_mapping_supported(), include/linux/dax.h:74-82");
	check_mmap(_metadata, fd, MAP_SHARED | MAP_SYNC, EOPNOTSUPP, true,
		   "DAX file on virtio-pmem",
		   "VM_SYNC comes from the raw flags (mm/mmap.c:348) and daxdev_mapping_supported() refuses it");
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE, 0, false, "DAX file on virtio-pmem",
		   "a plain shared DAX mapping needs no synchronous faults");
	close(fd);
}

/* tmpfs: no DAX, no FOP_MMAP_SYNC, and a ->mmap that never looks at VM_SYNC. */
FIXTURE(tmpfs) {
	char mnt[64];
	int fd;
	bool mounted;
};

FIXTURE_SETUP(tmpfs)
{
	snprintf(self->mnt, sizeof(self->mnt), "/tmp/daxtest-msync.XXXXXX");
	self->fd = -1;
	ASSERT_NE(NULL, mkdtemp(self->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));
	if (mount("tmpfs", self->mnt, "tmpfs", 0, "size=8m")) {
		rmdir(self->mnt);
		ASSERT_TRUE(false) TH_LOG("mounting tmpfs on %s: %s", self->mnt,
					  strerror(errno));
	}
	self->mounted = true;
}

FIXTURE_TEARDOWN_PARENT(tmpfs)
{
	const char *step;
	int ret;

	/* A failed ASSERT leaves the harness's trigger set (__bail()
	 * longjmps before clearing it): the TH_LOG below would print
	 * although its check passed. */
	_metadata->trigger = 0;
	ret = dax_mount_cleanup(self->mnt, self->mounted, &step);
	EXPECT_EQ(0, ret) TH_LOG("%s %s: %s", step, self->mnt, strerror(-ret));
}

/* C16: tmpfs refuses VALIDATE|SYNC, takes SHARED|SYNC, and that mapping has VM_SYNC */
TEST_F(tmpfs, validate_and_shared_sync)
{
	int dirfd, fd;

	dirfd = open(self->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dirfd);
	fd = pmem_create_sized(dirfd, "file", MAP_LEN);
	close(dirfd);
	ASSERT_LE(0, fd) TH_LOG("creating a 2 MiB tmpfs file: %s", strerror(-fd));
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE | MAP_SYNC, EOPNOTSUPP, true,
		   "tmpfs file", "shmem_file_operations have no FOP_MMAP_SYNC (mm/mmap.c:378-380,394-395)");
	check_mmap(_metadata, fd, MAP_SHARED | MAP_SYNC, 0, true, "tmpfs file",
		   "MAP_SHARED drops MAP_SYNC silently (mm/mmap.c:391) after VM_SYNC was set (mm/mmap.c:348), and shmem_mmap() does not check it");
	check_mmap(_metadata, fd, MAP_SHARED_VALIDATE | MAP_UNKNOWN_BIT, EOPNOTSUPP,
		   false, "tmpfs file", "flags & ~flags_mask (mm/mmap.c:394-395)");
	close(fd);
}

TEST_HARNESS_MAIN
