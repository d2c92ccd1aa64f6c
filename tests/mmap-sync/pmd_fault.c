// SPDX-License-Identifier: GPL-2.0
/*
 * pmd_fault - a 2 MiB-aligned extent is mapped by one PMD fault, a misaligned one by 512 PTE faults
 *
 * The daxtest spec has no item on PMD faults; the tests are labelled with
 * C17 (what a DAX/MAP_SYNC fault does), the closest one.
 *
 * XFS and ext4 set VM_HUGEPAGE on every DAX mapping (fs/xfs/xfs_file.c:1582,
 * fs/ext4/file.c:807), and THP's sysfs switches do not apply to DAX
 * (__thp_vma_allowable_orders(), mm/huge_memory.c:174), so the first fault
 * in an empty, PMD-aligned 2 MiB of the mapping goes to ->huge_fault with
 * PMD_ORDER (create_huge_pmd(), mm/memory.c:5901-5904), that is to
 * dax_iomap_pmd_fault() (fs/dax.c:1822). It falls back to PTEs when the
 * virtual address and the file offset differ mod 2 MiB, the PMD would leave
 * the VMA or pass EOF (dax_fault_check_fallback(), fs/dax.c:1789), when the
 * filesystem's mapping of the 2 MiB is shorter than 2 MiB (fs/dax.c:1882),
 * or when the pfn of its first block is not 2 MiB-aligned or the memory is
 * not devmap (dax_iomap_direct_access(), fs/dax.c:1085-1089, turned into
 * VM_FAULT_FALLBACK at fs/dax.c:1689). A PMD over a misaligned extent would
 * map blocks that belong to something else.
 *
 * The observable is the fault count of the process (getrusage()), which
 * counts every completed handle_mm_fault() (mm_account_fault(),
 * mm/memory.c:5980-5993): touching each 4 KiB page of the 2 MiB takes 1
 * fault with a PMD and 512 without. A DAX PTE fault that allocates or
 * converts blocks (IOMAP_F_NEW) is counted as major (fs/dax.c:1766-1769),
 * so both counts are added. (Over a misaligned unwritten extent they are
 * all minor: the PMD write fault that falls back has already had the
 * filesystem convert and zero the whole 2 MiB, fs/xfs/xfs_iomap.c:906.)
 * /proc/self/pagemap then shows which pfns back the pages, and the data
 * shows whether they are the file's blocks.
 *
 * The file is laid out by the filesystem, then checked with FIEMAP: on
 * "2m" it must be one 2 MiB-aligned, physically contiguous 2 MiB (XFS:
 * mkfs -d su=2m,sw=1 and a 2 MiB extent size hint; ext4: mkfs -E
 * stride=512,stripe_width=512, which mballoc aligns stripe-sized requests
 * to), on "4k" a contiguous 2 MiB that starts 4 KiB-aligned but not 2
 * MiB-aligned in physical memory (a contiguous 2 MiB + 4 KiB, of which the
 * first 4 KiB is collapsed away if it starts aligned, else the last 4 KiB
 * truncated). When the filesystem does not give that, the test skips and
 * says what it got. Alignment is that of the physical memory address: the
 * pfn is what dax_iomap_direct_access() checks, so the namespace's own
 * start counts too; a 4 KiB probe file finds it through pagemap.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/falloc.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pmem_mnt.h"

#define PMD_BYTES	(2 * MiB)
#define FILE_SIZE	PMD_BYTES
#define PAGE		4096UL
#define NR_PAGES	(FILE_SIZE / PAGE)
#define WORDS		(PAGE / sizeof(uint32_t))
/*
 * Faults a PMD-mapped 2 MiB may take: 1, and a little room for a fault
 * that is retried (VM_FAULT_RETRY completes as a second, counted fault).
 * A PTE mapping takes NR_PAGES.
 */
#define PMD_SLACK	4
#define FIEMAP_BATCH	32

/* /proc/self/pagemap (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_PRESENT	(1ULL << 63)
#define PM_PFN_MASK	((1ULL << 55) - 1)

/* Where the file's bytes [0, len) are. */
struct layout {
	uint64_t dev_off;	/* device (whole disk) byte address of file byte 0 */
	uint64_t phys;		/* physical memory address of file byte 0 */
	unsigned int extents;	/* FIEMAP extents over [0, len) */
	bool contiguous;	/* [0, len) is mapped, physically contiguous */
};

/* Word j of page i: distinct for every word of the file. */
static uint32_t pattern(size_t i, size_t j)
{
	return 0xda000000u | (uint32_t)(i << 12) | (uint32_t)j;
}

/* The page whose pattern a word holds, or -1 if it is no pattern word. */
static long pattern_page(uint32_t w)
{
	return (w & 0xff000000u) == 0xda000000u ? (long)((w >> 12) & 0xfff) : -1;
}

/*
 * Walks the FIEMAP extents of fd over [0, len): whether they map all of it
 * with no physical gap, where byte 0 is on the device, and how many there
 * are. 0 or -errno. (fiemap_lookup() of common/fiemap.h answers for one
 * byte, not whether a range is contiguous.)
 */
static int fiemap_layout(int fd, uint64_t len, uint64_t part_off, struct layout *l)
{
	char buf[sizeof(struct fiemap) + FIEMAP_BATCH * sizeof(struct fiemap_extent)];
	struct fiemap *fm = (struct fiemap *)buf;
	struct fiemap_extent *fe;
	uint64_t next_log = 0, next_phys = 0;
	unsigned int i;

	memset(l, 0, sizeof(*l));
	l->contiguous = true;
	while (next_log < len) {
		memset(buf, 0, sizeof(buf));
		fm->fm_start = next_log;
		fm->fm_length = len - next_log;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm))
			return -errno;
		if (!fm->fm_mapped_extents)
			break;
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			fe = &fm->fm_extents[i];
			if (fe->fe_logical != next_log ||
			    (l->extents && fe->fe_physical != next_phys))
				l->contiguous = false;
			if (!l->extents)
				l->dev_off = part_off + fe->fe_physical;
			l->extents++;
			next_log = fe->fe_logical + fe->fe_length;
			next_phys = fe->fe_physical + fe->fe_length;
		}
		fe = &fm->fm_extents[fm->fm_mapped_extents - 1];
		if (fe->fe_flags & FIEMAP_EXTENT_LAST)
			break;
	}
	if (next_log < len)
		l->contiguous = false;
	if (!l->extents)
		return -ENODATA;
	return 0;
}

/* The byte offset of the partition $DAXTEST_PMEM is (0 for a whole disk): 0 or -errno. */
static int partition_offset(const char *dev, uint64_t *off)
{
	unsigned long long sectors;
	char path[128];
	struct stat st;
	FILE *f;
	int ret;

	*off = 0;
	if (stat(dev, &st))
		return -errno;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/start",
		 major(st.st_rdev), minor(st.st_rdev));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	ret = fscanf(f, "%llu", &sectors) == 1 ? 0 : -EIO;
	fclose(f);
	*off = sectors * 512;
	return ret;
}

/* The pfns behind n pages from addr (0 for a page not present): 0 or -errno. */
static int read_pfns(const void *addr, size_t n, uint64_t *pfns)
{
	off_t off = (off_t)((uintptr_t)addr / PAGE * sizeof(uint64_t));
	ssize_t len = n * sizeof(uint64_t);
	size_t i;
	int fd, ret = 0;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pread(fd, pfns, len, off) != len) {
		ret = errno ? -errno : -EIO;
		goto out;
	}
	for (i = 0; i < n; i++)
		pfns[i] = pfns[i] & PM_PRESENT ? pfns[i] & PM_PFN_MASK : 0;
out:
	close(fd);
	return ret;
}

/* Minor plus major faults of this process so far. */
static long faults_now(long *major)
{
	struct rusage ru;

	*major = 0;
	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	*major = ru.ru_majflt;
	return ru.ru_minflt + ru.ru_majflt;
}

/*
 * Maps FILE_SIZE of fd at a 2 MiB-aligned address (2 * FILE_SIZE of
 * PROT_NONE reserved first, the file MAP_FIXED at the aligned 2 MiB in
 * it): the mapping, or MAP_FAILED with errno. *resv: what to munmap().
 */
static char *map_aligned(int fd, int prot, int flags, char **resv)
{
	char *r, *a;
	int err;

	r = mmap(NULL, 2 * FILE_SIZE, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r == MAP_FAILED)
		return MAP_FAILED;
	a = (char *)(((uintptr_t)r + PMD_BYTES - 1) & ~(uintptr_t)(PMD_BYTES - 1));
	if (mmap(a, FILE_SIZE, prot, flags | MAP_FIXED, fd, 0) == MAP_FAILED) {
		err = errno;
		munmap(r, 2 * FILE_SIZE);
		errno = err;
		return MAP_FAILED;
	}
	*resv = r;
	return a;
}

FIXTURE(pmd) {
	struct pmem_mnt m;
};

FIXTURE_VARIANT(pmd) {
	enum dax_fs_type fs;
	bool aligned;		/* "2m": the file's extent is 2 MiB-aligned */
};

FIXTURE_VARIANT_ADD(pmd, xfs_2m) {
	.fs = DAX_FS_XFS, .aligned = true,
};

FIXTURE_VARIANT_ADD(pmd, xfs_4k) {
	.fs = DAX_FS_XFS, .aligned = false,
};

FIXTURE_VARIANT_ADD(pmd, ext4_2m) {
	.fs = DAX_FS_EXT4, .aligned = true,
};

FIXTURE_VARIANT_ADD(pmd, ext4_4k) {
	.fs = DAX_FS_EXT4, .aligned = false,
};

/* mkfs with a 2 MiB stripe, so that the allocators align 2 MiB extents. */
static int mkfs_striped(enum dax_fs_type fs, const char *dev)
{
	char *xfs[] = { "mkfs.xfs", "-f", "-q", "-b", "size=4096",
			"-d", "su=2m,sw=1", (char *)dev, NULL };
	char *ext4[] = { "mkfs.ext4", "-F", "-q", "-b", "4096",
			 "-E", "stride=512,stripe_width=512", (char *)dev, NULL };

	return dax_run_tool(fs == DAX_FS_XFS ? xfs : ext4);
}

FIXTURE_SETUP(pmd)
{
	struct pmem_mnt *m = &self->m;
	int ret, status = 0;

	pmem_mnt_setup(_metadata, m, variant->fs, "dax=always", true);
	if (ksft_test_stopped(_metadata))
		return;
	/*
	 * pmem_mnt_setup() made a filesystem with default options: make it
	 * again with the stripe. A failed setup gets no teardown, so clean
	 * up here before asserting.
	 */
	ret = pmem_mnt_umount(m);
	if (!ret) {
		status = mkfs_striped(variant->fs, m->dev);
		ret = status > 0 ? -ECHILD : status;
		if (!ret)
			ret = pmem_mnt_mount(m);
	}
	if (ret) {
		if (m->mounted)
			pmem_mnt_umount(m);
		rmdir(m->mnt);
	}
	ASSERT_EQ(0, ret)
		TH_LOG("making %s on %s again with a 2 MiB stripe (%s) and mounting it -o dax=always: %s (mkfs exit status %d)",
		       dax_fs_name(variant->fs), m->dev,
		       variant->fs == DAX_FS_XFS ? "-d su=2m,sw=1" : "-E stride=512,stripe_width=512",
		       ret == -ECHILD ? "mkfs failed" : strerror(-ret), status);
}

FIXTURE_TEARDOWN_PARENT(pmd)
{
	pmem_mnt_teardown(_metadata, &self->m);
}

/* What a test works on: the file and where its blocks are. */
struct pmd_file {
	int fd;
	uint64_t part_off;	/* the partition's offset on its disk */
	uint64_t base;		/* physical memory address of device byte 0 */
	struct layout l;	/* of [0, FILE_SIZE) */
};

/*
 * Finds the physical memory address of the device's byte 0: a 4 KiB probe
 * file, mapped (a PTE: the file is smaller than a PMD), gives the pfn of
 * its block through /proc/self/pagemap, and FIEMAP its device offset.
 */
static void probe_base(struct __test_metadata *_metadata,
		       FIXTURE_DATA(pmd) *self, struct pmd_file *pf)
{
	volatile unsigned char *map;
	struct layout l;
	uint64_t pfn;
	int c, fd, ret;

	ret = dax_create_file(self->m.root, "probe", 'p', PAGE);
	ASSERT_EQ(0, ret) TH_LOG("creating a 4 KiB probe file: %s", strerror(-ret));
	fd = openat(self->m.root, "probe", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) TH_LOG("opening the probe file: %s", strerror(errno));
	map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap of the probe file: %s", strerror(errno));
	c = map[0];
	ASSERT_EQ('p', c) TH_LOG("the probe file reads 0x%02x through its mapping, expected 'p'", c);
	ret = read_pfns((const void *)map, 1, &pfn);
	munmap((void *)map, PAGE);
	ASSERT_EQ(0, ret) TH_LOG("reading /proc/self/pagemap: %s", strerror(-ret));
	/* pagemap hides pfns from a reader without CAP_SYS_ADMIN
	 * (fs/proc/task_mmu.c pagemap_open()); with it, a mapped DAX page
	 * has one. */
	if (!pfn && dax_has_cap(CAP_SYS_ADMIN) != 1)
		SKIP(close(fd); return,
		     "/proc/self/pagemap shows no pfn for a mapped DAX page (it needs CAP_SYS_ADMIN, which this process lacks): cannot tell where the file is in memory");
	ASSERT_NE(0UL, pfn) TH_LOG("/proc/self/pagemap shows pfn 0 for a mapped DAX page although this process has CAP_SYS_ADMIN");
	ret = fiemap_layout(fd, PAGE, pf->part_off, &l);
	close(fd);
	ASSERT_EQ(0, ret) TH_LOG("FS_IOC_FIEMAP of the probe file: %s", strerror(-ret));
	ASSERT_LE(l.dev_off, pfn * PAGE)
		TH_LOG("the probe file's block is at device offset 0x%" PRIx64 " but in memory at pfn 0x%" PRIx64,
		       l.dev_off, pfn);
	pf->base = pfn * PAGE - l.dev_off;
}

/* FIEMAP of [0, len) of pf->fd into l, with the memory address of byte 0. */
static void get_layout(struct __test_metadata *_metadata, struct pmd_file *pf,
		       uint64_t len, struct layout *l)
{
	int ret;

	ret = fiemap_layout(pf->fd, len, pf->part_off, l);
	ASSERT_EQ(0, ret) TH_LOG("FS_IOC_FIEMAP over [0, %" PRIu64 "): %s", len,
				 strerror(-ret));
	l->phys = pf->base + l->dev_off;
}

/* Sets a 2 MiB extent size hint on an XFS file with no blocks yet. */
static int set_extsize(int fd)
{
	struct fsxattr fsx;

	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx))
		return -errno;
	fsx.fsx_xflags |= FS_XFLAG_EXTSIZE;
	fsx.fsx_extsize = PMD_BYTES;
	if (ioctl(fd, FS_IOC_FSSETXATTR, &fsx))
		return -errno;
	return 0;
}

/* "2m": fallocate 2 MiB and check it is one aligned, contiguous 2 MiB. */
static void make_aligned(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(pmd) *variant, struct pmd_file *pf)
{
	const char *fs = dax_fs_name(variant->fs);
	int ret;

	if (variant->fs == DAX_FS_XFS) {
		ret = set_extsize(pf->fd);
		ASSERT_EQ(0, ret) TH_LOG("setting a 2 MiB extent size hint (FS_XFLAG_EXTSIZE): %s",
					 strerror(-ret));
	}
	ASSERT_EQ(0, fallocate(pf->fd, 0, 0, FILE_SIZE))
		TH_LOG("fallocate 2 MiB: %s", strerror(errno));
	get_layout(_metadata, pf, FILE_SIZE, &pf->l);
	if (!pf->l.contiguous)
		SKIP(return, "%s allocated the 2 MiB file in %u extents that are not physically contiguous: no 2 MiB-aligned extent to test on",
		     fs, pf->l.extents);
	if (pf->l.dev_off % PMD_BYTES)
		SKIP(return, "%s did not give a 2 MiB-aligned extent (%s): the file starts at device offset 0x%" PRIx64,
		     fs, variant->fs == DAX_FS_XFS ? "su=2m,sw=1, extsize 2m" :
		     "stride=512,stripe_width=512", pf->l.dev_off);
	/* The agent made the cell's namespace with -a 2M: its data start
	 * (the pfn superblock's dataoff) is 2 MiB-aligned. */
	if (pf->l.phys % PMD_BYTES && !dax_cell_named())
		SKIP(return, "the namespace's data starts at physical 0x%" PRIx64 ", not 2 MiB-aligned: no extent on it is 2 MiB-aligned in memory (file at 0x%" PRIx64 ")",
		     pf->base, pf->l.phys);
	ASSERT_EQ(0UL, pf->l.phys % PMD_BYTES)
		TH_LOG("matrix cell %s: the namespace was made with 2 MiB alignment, yet its data starts at physical 0x%" PRIx64 " (the 2 MiB-aligned extent at device offset 0x%" PRIx64 " is at 0x%" PRIx64 ")",
		       dax_cell_name(), pf->base, pf->l.dev_off, pf->l.phys);
}

/*
 * "4k": fallocate 2 MiB + 4 KiB contiguously; if it starts 2 MiB-aligned in
 * memory, collapse its first 4 KiB away, else drop its last 4 KiB. Either
 * way the 2 MiB left is contiguous and not 2 MiB-aligned.
 */
static void make_misaligned(struct __test_metadata *_metadata,
			    const FIXTURE_VARIANT(pmd) *variant, struct pmd_file *pf)
{
	const char *fs = dax_fs_name(variant->fs);
	struct layout l;

	ASSERT_EQ(0, fallocate(pf->fd, 0, 0, FILE_SIZE + PAGE))
		TH_LOG("fallocate 2 MiB + 4 KiB: %s", strerror(errno));
	get_layout(_metadata, pf, FILE_SIZE + PAGE, &l);
	if (!l.contiguous)
		SKIP(return, "%s allocated 2 MiB + 4 KiB in %u extents that are not physically contiguous: cannot make a contiguous misaligned 2 MiB",
		     fs, l.extents);
	if (l.phys % PMD_BYTES) {
		ASSERT_EQ(0, ftruncate(pf->fd, FILE_SIZE))
			TH_LOG("ftruncate to 2 MiB: %s", strerror(errno));
	} else if (fallocate(pf->fd, FALLOC_FL_COLLAPSE_RANGE, 0, PAGE)) {
		if (errno == EOPNOTSUPP)
			SKIP(return, "%s refuses FALLOC_FL_COLLAPSE_RANGE on a DAX file: cannot shift the aligned extent by 4 KiB",
			     fs);
		ASSERT_TRUE(false) TH_LOG("FALLOC_FL_COLLAPSE_RANGE of the first 4 KiB: %s",
					  strerror(errno));
	}
	get_layout(_metadata, pf, FILE_SIZE, &pf->l);
	if (!pf->l.contiguous || pf->l.phys % PMD_BYTES == 0)
		SKIP(return, "after the collapse or truncate the 2 MiB file is %s in %u extents at physical 0x%" PRIx64 ": not the contiguous misaligned extent wanted",
		     pf->l.contiguous ? "contiguous" : "not contiguous",
		     pf->l.extents, pf->l.phys);
}

/*
 * The start of every test: a new 2 MiB DAX file "file", fallocated
 * (unwritten), laid out as the variant says. Skips if the filesystem
 * cannot be made to lay it out so.
 */
static void prepare(struct __test_metadata *_metadata, FIXTURE_DATA(pmd) *self,
		    const FIXTURE_VARIANT(pmd) *variant, struct pmd_file *pf)
{
	int ret;

	pf->fd = -1;
	ret = partition_offset(self->m.dev, &pf->part_off);
	ASSERT_EQ(0, ret) TH_LOG("reading the partition start of %s: %s", self->m.dev,
				 strerror(-ret));
	probe_base(_metadata, self, pf);
	if (ksft_test_stopped(_metadata))
		return;
	pf->fd = openat(self->m.root, "file", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, pf->fd) TH_LOG("creating the file: %s", strerror(errno));
	ret = dax_s_dax(self->m.root, "file");
	ASSERT_EQ(1, ret) TH_LOG("precondition: a new file under %s dax=always has no S_DAX",
				 dax_fs_name(variant->fs));
	if (variant->aligned)
		make_aligned(_metadata, variant, pf);
	else
		make_misaligned(_metadata, variant, pf);
}

/* "xfs_2m: ..." in messages */
#define V_FMT		"%s_%s"
#define V_ARGS(v)	dax_fs_name((v)->fs), (v)->aligned ? "2m" : "4k"

/*
 * Checks the fault count of touching the 2 MiB against the variant: at
 * most PMD_SLACK over an aligned extent, one per page over a misaligned
 * one. how: "read", "write", "MAP_SYNC write".
 */
static void check_faults(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(pmd) *variant,
			 const struct pmd_file *pf, const char *how,
			 long faults, long major)
{
	TH_LOG(V_FMT ": recorded: %s-touching %lu pages at physical 0x%" PRIx64 " (device offset 0x%" PRIx64 ") took %ld faults (%ld minor, %ld major)",
	       V_ARGS(variant), how, NR_PAGES, pf->l.phys, pf->l.dev_off, faults,
	       faults - major, major);
	if (variant->aligned) {
		EXPECT_GE(PMD_SLACK, faults)
			TH_LOG(V_FMT ": %s-touching %lu pages of a 2 MiB-aligned extent (physical 0x%" PRIx64 ") took %ld faults (%ld major), expected 1 PMD fault (dax_iomap_pmd_fault(), fs/dax.c:1822)",
			       V_ARGS(variant), how, NR_PAGES, pf->l.phys, faults, major);
	} else {
		EXPECT_LE((long)NR_PAGES, faults)
			TH_LOG(V_FMT ": %s-touching %lu pages of an extent at physical 0x%" PRIx64 " (not 2 MiB-aligned) took %ld faults, expected %lu PTE faults: dax_iomap_direct_access() refuses a misaligned pfn (fs/dax.c:1085) and the PMD fault falls back (fs/dax.c:1689)",
			       V_ARGS(variant), how, NR_PAGES, pf->l.phys, faults, NR_PAGES);
	}
}

/* Checks that page i of map is backed by the pfn of the file's block i. */
static void check_pfns(struct __test_metadata *_metadata,
		       const FIXTURE_VARIANT(pmd) *variant,
		       const struct pmd_file *pf, const char *map)
{
	uint64_t pfns[NR_PAGES], want;
	size_t i, bad = 0, first = 0;
	int ret;

	ret = read_pfns(map, NR_PAGES, pfns);
	ASSERT_EQ(0, ret) TH_LOG("reading /proc/self/pagemap: %s", strerror(-ret));
	for (i = 0; i < NR_PAGES; i++) {
		if (pfns[i] != pf->l.phys / PAGE + i && !bad++)
			first = i;
	}
	want = pf->l.phys / PAGE + first;
	EXPECT_EQ(0UL, bad)
		TH_LOG(V_FMT ": %zu of %lu pages are backed by another pfn than the file's block: page %zu by pfn 0x%" PRIx64 ", expected 0x%" PRIx64 " (FIEMAP)",
		       V_ARGS(variant), bad, NR_PAGES, first, pfns[first], want);
}

/* What the first bad page of buf holds, for messages. */
struct bad_page {
	size_t page;
	uint32_t word0;		/* its first word */
	long from;		/* the page whose pattern that is, or -1 */
};

/* Counts the pages of buf (NR_PAGES of them) that do not hold their pattern. */
static size_t bad_pages(const uint32_t *buf, struct bad_page *b)
{
	size_t i, j, bad = 0;

	for (i = 0; i < NR_PAGES; i++) {
		for (j = 0; j < WORDS; j++)
			if (buf[i * WORDS + j] != pattern(i, j))
				break;
		if (j < WORDS && !bad++) {
			b->page = i;
			b->word0 = buf[i * WORDS];
			b->from = pattern_page(b->word0);
		}
	}
	return bad;
}

/* C17: read faults map an aligned extent with one PMD, a misaligned one with 512 PTEs */
TEST_F(pmd, read_fault_2m)
{
	static uint32_t buf[NR_PAGES * WORDS];
	long before, after, major0, major1;
	struct bad_page b = { 0, 0, -1 };
	struct pmd_file pf;
	struct layout l;
	size_t i, j, bad;
	char *map, *resv;
	unsigned long sum = 0;

	prepare(_metadata, self, variant, &pf);
	if (ksft_test_stopped(_metadata))
		goto out;
	for (i = 0; i < NR_PAGES; i++)
		for (j = 0; j < WORDS; j++)
			buf[i * WORDS + j] = pattern(i, j);
	for (i = 0; i < NR_PAGES; i++)
		ASSERT_EQ((ssize_t)PAGE, pwrite(pf.fd, buf + i * WORDS, PAGE, i * PAGE))
			TH_LOG("pwrite of page %zu: %s", i, strerror(errno));
	/* Writing the unwritten extent converts it where it is. */
	get_layout(_metadata, &pf, FILE_SIZE, &l);
	ASSERT_TRUE(l.contiguous && l.phys == pf.l.phys)
		TH_LOG(V_FMT ": precondition: after pwrite() the file is %scontiguous at physical 0x%" PRIx64 ", it was at 0x%" PRIx64,
		       V_ARGS(variant), l.contiguous ? "" : "not ", l.phys, pf.l.phys);

	map = map_aligned(pf.fd, PROT_READ, MAP_SHARED, &resv);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap(MAP_SHARED) of the file: %s", strerror(errno));
	memset(buf, 0, sizeof(buf));	/* resolves memset() and faults buf in */
	before = faults_now(&major0);
	for (i = 0; i < NR_PAGES; i++)
		sum += ((volatile unsigned char *)map)[i * PAGE];
	after = faults_now(&major1);
	check_faults(_metadata, variant, &pf, "read", after - before, major1 - major0);
	check_pfns(_metadata, variant, &pf, map);
	bad = bad_pages((const uint32_t *)map, &b);
	EXPECT_EQ(0UL, bad)
		TH_LOG(V_FMT ": %zu of %lu pages read through the mapping differ from what pwrite() wrote: page %zu starts with 0x%08x (the pattern of page %ld, -1: none): the mapping shows the wrong blocks",
		       V_ARGS(variant), bad, NR_PAGES, b.page, b.word0, b.from);
	munmap(resv, 2 * FILE_SIZE);
	(void)sum;
out:
	if (pf.fd >= 0)
		close(pf.fd);
}

/*
 * Write faults over the fresh (fallocated, unwritten) file through a
 * mapping with flags, then the data back through pread().
 */
static void write_faults(struct __test_metadata *_metadata,
			 const FIXTURE_VARIANT(pmd) *variant,
			 struct pmd_file *pf, int flags, const char *how)
{
	static uint32_t buf[NR_PAGES * WORDS];
	long before, after, major0, major1;
	struct bad_page b = { 0, 0, -1 };
	size_t i, j, bad;
	struct layout l;
	char *map, *resv;
	uint32_t *w;

	map = map_aligned(pf->fd, PROT_READ | PROT_WRITE, flags, &resv);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap(%s) of the file: %s", how, strerror(errno));
	memset(buf, 0, sizeof(buf));	/* resolves memset() and faults buf in */
	before = faults_now(&major0);
	for (i = 0; i < NR_PAGES; i++) {
		w = (uint32_t *)(map + i * PAGE);
		for (j = 0; j < WORDS; j++)
			w[j] = pattern(i, j);
	}
	after = faults_now(&major1);
	check_faults(_metadata, variant, pf, how, after - before, major1 - major0);
	check_pfns(_metadata, variant, pf, map);
	munmap(resv, 2 * FILE_SIZE);

	ASSERT_EQ((ssize_t)sizeof(buf), pread(pf->fd, buf, sizeof(buf), 0))
		TH_LOG("pread of the 2 MiB: %s", strerror(errno));
	bad = bad_pages(buf, &b);
	EXPECT_EQ(0UL, bad)
		TH_LOG(V_FMT ": %zu of %lu pages read with pread() differ from what was stored through the %s mapping: page %zu starts with 0x%08x (the pattern of page %ld, -1: none): the faults mapped the wrong blocks",
		       V_ARGS(variant), bad, NR_PAGES, how, b.page, b.word0, b.from);
	/* The faults convert the unwritten extent where it is. */
	get_layout(_metadata, pf, FILE_SIZE, &l);
	EXPECT_TRUE(l.contiguous && l.phys == pf->l.phys)
		TH_LOG(V_FMT ": after the %s faults the file is %scontiguous at physical 0x%" PRIx64 ", it was at 0x%" PRIx64 " before: the faults should convert the unwritten extent in place",
		       V_ARGS(variant), how, l.contiguous ? "" : "not ", l.phys, pf->l.phys);
}

/* C17: write faults on unwritten blocks map an aligned extent with one PMD, a misaligned one with 512 PTEs */
TEST_F(pmd, write_fault_2m)
{
	struct pmd_file pf;

	prepare(_metadata, self, variant, &pf);
	if (!ksft_test_stopped(_metadata))
		write_faults(_metadata, variant, &pf, MAP_SHARED, "write");
	if (pf.fd >= 0)
		close(pf.fd);
}

/*
 * C17: a MAP_SYNC write fault over an aligned extent is one PMD fault too:
 * dax_fault_iter() returns VM_FAULT_NEEDDSYNC for the PMD (fs/dax.c:1699),
 * the filesystem syncs 2 MiB and inserts the PMD (dax_finish_sync_fault(),
 * fs/dax.c:1988; dax_insert_pfn_mkwrite(), fs/dax.c:1969); misaligned, 512.
 */
TEST_F(pmd, map_sync_pmd)
{
	struct pmd_file pf;

	prepare(_metadata, self, variant, &pf);
	if (!ksft_test_stopped(_metadata))
		write_faults(_metadata, variant, &pf, MAP_SHARED_VALIDATE | MAP_SYNC,
			     "MAP_SYNC write");
	if (pf.fd >= 0)
		close(pf.fd);
}

TEST_HARNESS_MAIN
