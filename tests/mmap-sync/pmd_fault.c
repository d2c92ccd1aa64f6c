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
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pmem_mnt.h"
#include "pagemap.h"
#include "fiemap.h"

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
	ret = pagemap_pfns((const void *)map, 1, &pfn);
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

/*
 * Sets a 2 MiB extent size hint on an XFS file with no blocks yet, or
 * with cow a 2 MiB CoW extent size hint: 0 or -errno.
 */
static int set_extsize(int fd, bool cow)
{
	struct fsxattr fsx;

	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx))
		return -errno;
	if (cow) {
		fsx.fsx_xflags |= FS_XFLAG_COWEXTSIZE;
		fsx.fsx_cowextsize = PMD_BYTES;
	} else {
		fsx.fsx_xflags |= FS_XFLAG_EXTSIZE;
		fsx.fsx_extsize = PMD_BYTES;
	}
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
		ret = set_extsize(pf->fd, false);
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

	ret = pagemap_pfns(map, NR_PAGES, pfns);
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

/*
 * B12 through a PMD (XFS; ext4 has no reflink): the clone's shared 2 MiB is
 * read-faulted, then one word of page COW_PAGE is stored. Over a 2 MiB-
 * aligned extent, with a 2 MiB CoW extent size hint on the clone, the
 * store is a PMD write fault on a read-only PMD (wp_huge_pmd(),
 * mm/memory.c): XFS allocates 2 MiB in the COW fork
 * (xfs_direct_write_iomap_begin(), fs/xfs/xfs_iomap.c), dax_iomap_pmd_fault()
 * copies the source's whole 2 MiB into it (dax_iomap_copy_around(),
 * fs/dax.c) and xfs_dax_write_iomap_end() remaps it into the data fork.
 * So afterwards one PMD maps a new, contiguous, unshared 2 MiB that holds
 * the source's data but the stored word, and the source keeps its blocks
 * and its data. Over a misaligned extent the fault is a PTE fault, which
 * moves COW_PAGE's block only.
 */
#define COW_PAGE	3
#define COW_WORD	0xc0ffee00u

/* Writes the pattern into the 2 MiB of pf->fd with pwrite(). */
static void write_pattern(struct __test_metadata *_metadata, struct pmd_file *pf)
{
	static uint32_t page[WORDS];
	size_t i, j;

	for (i = 0; i < NR_PAGES; i++) {
		for (j = 0; j < WORDS; j++)
			page[j] = pattern(i, j);
		ASSERT_EQ((ssize_t)PAGE, pwrite(pf->fd, page, PAGE, i * PAGE))
			TH_LOG("pwrite of page %zu: %s", i, strerror(errno));
	}
}

/*
 * Checks that fd holds the pattern, except word 0 of page `except`
 * (NR_PAGES: none), which must hold COW_WORD.
 */
static void check_pattern(struct __test_metadata *_metadata,
			  const FIXTURE_VARIANT(pmd) *variant, int fd,
			  const char *name, size_t except)
{
	static uint32_t buf[NR_PAGES * WORDS];
	struct bad_page b = { 0, 0, -1 };
	size_t bad;

	ASSERT_EQ((ssize_t)sizeof(buf), pread(fd, buf, sizeof(buf), 0))
		TH_LOG("pread of %s: %s", name, strerror(errno));
	if (except < NR_PAGES) {
		EXPECT_EQ(COW_WORD, buf[except * WORDS])
			TH_LOG(V_FMT ": word 0 of page %zu of %s reads 0x%08x, expected the stored 0x%08x",
			       V_ARGS(variant), except, name, buf[except * WORDS], COW_WORD);
		buf[except * WORDS] = pattern(except, 0);
	}
	bad = bad_pages(buf, &b);
	EXPECT_EQ(0UL, bad)
		TH_LOG(V_FMT ": %zu of %lu pages of %s do not hold the source's data: page %zu starts with 0x%08x (the pattern of page %ld, -1: none)%s",
		       V_ARGS(variant), bad, NR_PAGES, name, b.page, b.word0, b.from,
		       except < NR_PAGES ? ": the copy-on-write did not copy the rest of the extent" :
		       ": the copy-on-write wrote into the source's blocks");
}

/* B12: a store to a reflinked file read-faulted through a PMD copies all 2 MiB on write (PTE: one page) */
TEST_F(pmd, cow_fault_2m)
{
	long before, mid, after, major0, major1, major2;
	uint64_t pfns[NR_PAGES];
	struct layout src, cl;
	struct pmd_file pf;
	struct fiemap_at at;
	unsigned long sum = 0;
	char *map, *resv;
	size_t i, moved;
	int clone = -1, ret;

	if (variant->fs != DAX_FS_XFS)
		SKIP(return, "%s has no reflink (FICLONE): copy-on-write is an XFS test",
		     dax_fs_name(variant->fs));
	prepare(_metadata, self, variant, &pf);
	if (ksft_test_stopped(_metadata))
		goto out;
	write_pattern(_metadata, &pf);
	get_layout(_metadata, &pf, FILE_SIZE, &src);
	clone = openat(self->m.root, "clone", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, clone) TH_LOG("creating the clone: %s", strerror(errno));
	ret = set_extsize(clone, true);
	ASSERT_EQ(0, ret) TH_LOG("setting a 2 MiB CoW extent size hint on the clone: %s",
				 strerror(-ret));
	ASSERT_EQ(0, ioctl(clone, FICLONE, pf.fd))
		TH_LOG("precondition: FICLONE of the 2 MiB file: %s (mkfs.xfs defaults to reflink=1)",
		       strerror(errno));
	ret = fiemap_layout(clone, FILE_SIZE, pf.part_off, &cl);
	ASSERT_EQ(0, ret) TH_LOG("FIEMAP of the clone: %s", strerror(-ret));
	ASSERT_TRUE(cl.contiguous && cl.dev_off == src.dev_off && fiemap_any_shared(clone) == 1)
		TH_LOG("precondition: after FICLONE the clone is not the source's shared extent at device offset 0x%" PRIx64 " (it is at 0x%" PRIx64 ")",
		       src.dev_off, cl.dev_off);

	map = map_aligned(clone, PROT_READ | PROT_WRITE, MAP_SHARED, &resv);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap(MAP_SHARED) of the clone: %s", strerror(errno));
	before = faults_now(&major0);
	for (i = 0; i < NR_PAGES; i++)
		sum += ((volatile unsigned char *)map)[i * PAGE];
	mid = faults_now(&major1);
	if (variant->aligned)
		ASSERT_GE(PMD_SLACK, mid - before)
			TH_LOG(V_FMT ": precondition (C17): reading the clone's 2 MiB-aligned shared extent took %ld faults, expected one PMD fault",
			       V_ARGS(variant), mid - before);
	((volatile uint32_t *)map)[COW_PAGE * WORDS] = COW_WORD;
	for (i = 0; i < NR_PAGES; i++)
		sum += ((volatile unsigned char *)map)[i * PAGE];
	after = faults_now(&major2);
	TH_LOG(V_FMT ": recorded: the read faults took %ld, the store and the second read %ld (%ld major)",
	       V_ARGS(variant), mid - before, after - mid, major2 - major1);
	ret = pagemap_pfns(map, NR_PAGES, pfns);
	munmap(resv, 2 * FILE_SIZE);
	ASSERT_EQ(0, ret) TH_LOG("reading /proc/self/pagemap: %s", strerror(-ret));
	(void)sum;

	/* The source: its blocks, its data, no longer shared. */
	check_pattern(_metadata, variant, pf.fd, "the source", NR_PAGES);
	get_layout(_metadata, &pf, FILE_SIZE, &pf.l);
	EXPECT_TRUE(pf.l.contiguous && pf.l.dev_off == src.dev_off)
		TH_LOG(V_FMT ": the source moved from device offset 0x%" PRIx64 " to 0x%" PRIx64 " (%u extents): copy-on-write must move the clone's blocks only",
		       V_ARGS(variant), src.dev_off, pf.l.dev_off, pf.l.extents);
	check_pattern(_metadata, variant, clone, "the clone", COW_PAGE);

	if (variant->aligned) {
		EXPECT_GE(PMD_SLACK, after - mid)
			TH_LOG(V_FMT ": the store and a read of every page took %ld faults after the PMD read fault, expected one PMD write fault: the copy-on-write fell back to PTEs",
			       V_ARGS(variant), after - mid);
		ret = fiemap_layout(clone, FILE_SIZE, pf.part_off, &cl);
		ASSERT_EQ(0, ret) TH_LOG("FIEMAP of the clone: %s", strerror(-ret));
		cl.phys = pf.base + cl.dev_off;
		EXPECT_TRUE(cl.contiguous && cl.dev_off != src.dev_off && cl.phys % PMD_BYTES == 0)
			TH_LOG(V_FMT ": after the PMD copy-on-write the clone is %scontiguous in %u extents at device offset 0x%" PRIx64 " (physical 0x%" PRIx64 "), the source at 0x%" PRIx64 ": expected a new 2 MiB-aligned extent",
			       V_ARGS(variant), cl.contiguous ? "" : "not ", cl.extents, cl.dev_off,
			       cl.phys, src.dev_off);
		EXPECT_EQ(0, fiemap_any_shared(clone))
			TH_LOG(V_FMT ": the clone still has a FIEMAP_EXTENT_SHARED extent after its whole 2 MiB was copied",
			       V_ARGS(variant));
		EXPECT_EQ(0, fiemap_any_shared(pf.fd))
			TH_LOG(V_FMT ": the source still has a FIEMAP_EXTENT_SHARED extent after the clone's copy-on-write",
			       V_ARGS(variant));
		for (i = moved = 0; i < NR_PAGES; i++)
			moved += pfns[i] == cl.phys / PAGE + i;
		EXPECT_EQ(NR_PAGES, moved)
			TH_LOG(V_FMT ": %zu of %lu pages of the clone's mapping are backed by the new extent's pfns (page 0 by pfn 0x%" PRIx64 ", expected 0x%" PRIx64 ")",
			       V_ARGS(variant), moved, NR_PAGES, pfns[0], cl.phys / PAGE);
	} else {
		ret = fiemap_lookup(clone, COW_PAGE * PAGE, &at);
		ASSERT_EQ(0, ret) TH_LOG("FIEMAP of the clone's page %d: %s", COW_PAGE, strerror(-ret));
		EXPECT_NE(src.dev_off - pf.part_off + COW_PAGE * PAGE, at.physical)
			TH_LOG(V_FMT ": the clone's page %d is still the source's block after the store",
			       V_ARGS(variant), COW_PAGE);
		EXPECT_EQ(1, fiemap_shared(clone, 0))
			TH_LOG(V_FMT ": the clone's page 0 is no longer shared: a PTE copy-on-write must move the stored page only",
			       V_ARGS(variant));
	}
out:
	if (clone >= 0)
		close(clone);
	if (pf.fd >= 0)
		close(pf.fd);
}

/*
 * D21 on a PMD mapping: what the child in hwpoison_2m saw, in a shared
 * page.
 */
struct mce_seen {
	int count;		/* SIGBUS deliveries */
	int code;		/* si_code */
	void *addr;		/* si_addr */
	short lsb;		/* si_addr_lsb */
	char *map;		/* the child's mapping */
	long faults;		/* of reading the 2 MiB */
	int step;		/* 1 mapped, 2 read, 3 madvise returned */
	long ret;		/* madvise's return value */
	int err;		/* its errno, or that of a failed step */
	size_t present_before;	/* pages with a pfn before madvise */
	size_t present_after;	/* and after */
};

static struct mce_seen *mce_seen;

static void mce_handler(int sig, siginfo_t *si, void *uc)
{
	mce_seen->count++;
	mce_seen->code = si->si_code;
	mce_seen->addr = si->si_addr;
	mce_seen->lsb = si->si_addr_lsb;
}

#define HWP_PAGE_NR	100
#ifndef MADV_HWPOISON
#define MADV_HWPOISON	100
#endif
#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR	4
#endif

static size_t count_present(const char *map)
{
	uint64_t pfns[NR_PAGES];
	size_t i, n = 0;

	if (pagemap_pfns(map, NR_PAGES, pfns))
		return (size_t)-1;
	for (i = 0; i < NR_PAGES; i++)
		n += pfns[i] != 0;
	return n;
}

/* In a child: reads the 2 MiB of fd through a mapping, then MADV_HWPOISONs page HWP_PAGE_NR. */
static void hwpoison_child(int fd, struct mce_seen *seen)
{
	struct sigaction sa = { .sa_sigaction = mce_handler, .sa_flags = SA_SIGINFO };
	long before, after, major;
	unsigned long sum = 0;
	char *map, *resv;
	size_t i;

	mce_seen = seen;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL))
		_exit(10);
	map = map_aligned(fd, PROT_READ, MAP_SHARED, &resv);
	if (map == MAP_FAILED) {
		seen->err = errno;
		_exit(11);
	}
	seen->map = map;
	seen->step = 1;
	before = faults_now(&major);
	for (i = 0; i < NR_PAGES; i++)
		sum += ((volatile unsigned char *)map)[i * PAGE];
	after = faults_now(&major);
	seen->faults = after - before;
	seen->present_before = count_present(map);
	seen->step = 2;
	errno = 0;
	seen->ret = madvise(map + HWP_PAGE_NR * PAGE, PAGE, MADV_HWPOISON);
	seen->err = errno;
	seen->step = 3;
	seen->present_after = count_present(map);
	(void)sum;
	_exit(0);
}

/*
 * D21: MADV_HWPOISON of a page that a PMD maps: memory_failure() sizes the
 * failure by the mapping (dev_pagemap_mapping_shift(),
 * mm/memory-failure.c:402-430, PMD_SHIFT for a devmap PMD), so the caller's
 * BUS_MCEERR_AR has si_addr_lsb 21 and an si_addr in the poisoned 2 MiB,
 * and unmap_and_kill() unmaps the whole 2 MiB (:1744-1757). Under PTEs
 * (the misaligned extent): lsb 12, si_addr the page, one page unmapped.
 */
TEST_F(pmd, hwpoison_2m)
{
	unsigned int lsb = variant->aligned ? 21 : 12;
	size_t left = variant->aligned ? 0 : NR_PAGES - 1;
	struct mce_seen *seen;
	struct pmd_file pf;
	uintptr_t page;
	int status;
	pid_t pid;

	errno = 0;
	if (madvise(NULL, 0, MADV_HWPOISON) && errno == ENOSYS)
		SKIP(return, "madvise(2) gives ENOSYS: no CONFIG_ADVISE_SYSCALLS");
	prepare(_metadata, self, variant, &pf);
	if (ksft_test_stopped(_metadata))
		goto out;
	write_pattern(_metadata, &pf);
	seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);
	memset(seen, 0, sizeof(*seen));
	pid = fork();
	ASSERT_LE(0, pid) TH_LOG("fork: %s", strerror(errno));
	if (!pid)
		hwpoison_child(pf.fd, seen);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	page = (uintptr_t)seen->map + HWP_PAGE_NR * PAGE;
	TH_LOG(V_FMT ": child %s %d at step %d; read faults %ld, pages present %zu; madvise %ld (%s); SIGBUS count %d: si_code %d, si_addr %p (page at %#lx), si_addr_lsb %d; pages present after %zu",
	       V_ARGS(variant), WIFSIGNALED(status) ? "killed by signal" : "exit",
	       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), seen->step,
	       seen->faults, seen->present_before, seen->ret, seen->ret ? strerror(seen->err) : "ok",
	       seen->count, seen->code, seen->addr, (unsigned long)page, seen->lsb,
	       seen->present_after);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0 && seen->step == 3)
		TH_LOG("the child did not get to madvise's return (exit 11: mmap failed: %s)",
		       strerror(seen->err));
	ASSERT_EQ(NR_PAGES, seen->present_before)
		TH_LOG("precondition: %zu of %lu pages mapped after reading them all", seen->present_before,
		       NR_PAGES);
	if (variant->aligned)
		ASSERT_GE(PMD_SLACK, seen->faults)
			TH_LOG(V_FMT ": precondition (C17): reading the 2 MiB-aligned extent took %ld faults, expected one PMD fault",
			       V_ARGS(variant), seen->faults);
	EXPECT_EQ(0, seen->ret) TH_LOG("madvise(MADV_HWPOISON) failed: %s", strerror(seen->err));
	EXPECT_EQ(1, seen->count) TH_LOG("the caller got %d SIGBUS, expected one", seen->count);
	EXPECT_EQ(BUS_MCEERR_AR, seen->code)
		TH_LOG("si_code %d, expected BUS_MCEERR_AR (the caller, kill_proc(), mm/memory-failure.c:359)",
		       seen->code);
	EXPECT_EQ(lsb, (unsigned int)seen->lsb)
		TH_LOG(V_FMT ": si_addr_lsb %d, expected %u: the page is mapped by a %s (dev_pagemap_mapping_shift())",
		       V_ARGS(variant), seen->lsb, lsb, variant->aligned ? "PMD" : "PTE");
	EXPECT_EQ(page >> lsb, (uintptr_t)seen->addr >> lsb)
		TH_LOG(V_FMT ": si_addr %p is not in the %u-bit range of the poisoned page %#lx",
		       V_ARGS(variant), seen->addr, lsb, (unsigned long)page);
	EXPECT_EQ(left, seen->present_after)
		TH_LOG(V_FMT ": %zu of %lu pages still mapped after the poison, expected %zu: unmap_and_kill() unmaps the %s (mm/memory-failure.c:1755-1757)",
		       V_ARGS(variant), seen->present_after, NR_PAGES, left,
		       variant->aligned ? "whole PMD" : "poisoned page only");
	munmap(seen, sizeof(*seen));
out:
	if (pf.fd >= 0)
		close(pf.fd);
}

TEST_HARNESS_MAIN
