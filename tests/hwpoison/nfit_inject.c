// SPDX-License-Identifier: GPL-2.0
/*
 * nfit_inject - ndctl inject-error, scrub, badblocks, EIO and clearing on nfit_test
 *
 * Behaviours D27, D25 and D26 of the daxtest spec, on the nfit_test.0 bus
 * of the kernel's tools/testing/nvdimm (not on QEMU's NVDIMM, which has no
 * ARS or error injection; see badblocks.c).
 *
 * nfit_test's _DSM emulation keeps injected ranges in its own list
 * (tools/testing/nvdimm/test/nfit.c:828 nfit_test_cmd_ars_error_inject(),
 * :859 ..._inject_clear(), :885 ..._inject_status()) and reports them as
 * ARS records; a scrub (ndctl start-scrub, acpi_nfit_ars_rescan()) adds them
 * to the bus's badrange list and nvdimm_badblocks_populate()
 * (drivers/nvdimm/badrange.c) copies them into pmem->bb, which
 * /sys/block/pmemX/badblocks shows. ndctl's --block counts 512-byte blocks
 * from the start of the data area: for an fsdax namespace ndctl adds the
 * pfn device's "resource" (ndctl/lib/inject.c
 * ndctl_namespace_get_injection_bounds()), which is the namespace start plus
 * start_pad plus dataoff (drivers/nvdimm/pfn_devs.c:198-213), and pmem->bb
 * counts sectors from the same place (drivers/nvdimm/pmem.c:545,566). So
 * the badblocks sector is the injected block in both raw and fsdax mode;
 * ndctl's test/inject-error.sh checks exactly that.
 *
 * A read of a bad sector fails with EIO (pmem_do_read(), pmem.c:154-160).
 * A write of it clears the poison through the bus's CLEAR_ERROR command
 * (pmem_clear_poison(), pmem.c:111-122; nvdimm_clear_poison(),
 * drivers/nvdimm/bus.c:217; nfit_test answers it in nfit.c:625 by dropping
 * the range from its list) and drops the badblocks entry (pmem_clear_bb()).
 *
 * A write through a DAX file over poisoned blocks clears them too, by the
 * recovery write (dax_iomap_iter() in DAX_RECOVERY_WRITE mode,
 * pmem_recovery_write(), pmem.c:337-377): nfitfs mounts XFS and ext4 with
 * dax=always on an fsdax namespace of the bus for it.
 *
 * Three cases follow ndctl's own tests (test/clear.sh, test/inject-error.sh):
 * a cleared error stays cleared across a region disable/enable (the bus
 * forgets it, bus.c:207-215), an error injected with --no-notify reaches
 * badblocks only with a scrub (nfit.c:848), and a scrubbed error moves by
 * the pfn device's reservation when the namespace changes between raw and
 * fsdax (pmem.c:530-537).
 *
 * Every case that looks at badblocks injects with --no-notify and then
 * scrubs itself, so its own scrub is what finds the error; notify_scrubs
 * checks the other path: without --no-notify nfit_test's UC memory error
 * notification starts a scrub (nfit.c:848, core.c:3480-3491), which
 * ndctl inject-error waits for before it returns.
 *
 * The fixture loads nfit_test and makes sure the wrapped libnvdimm and nfit
 * modules (out-of-tree: taint "O") are the ones in use, then resets
 * nfit_test.0 the way ndctl's test/common reset() does (disable-region,
 * init-labels -f, enable-region) and creates one pmem
 * namespace. Each test uses its own block, since nfit_test's list and the
 * bus's badrange list outlive the namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "dax_fs.h"
#include "fiemap.h"
#include "hwp_util.h"

#define BUS		"nfit_test.0"
#define ERR_COUNT	8		/* sectors: one 4 KiB page */

/* A pmem namespace on nfit_test.0, in raw or fsdax mode. */
FIXTURE(nfit) {
	char ns[64];		/* "namespace3.0" */
	char disk[64];		/* "pmem3" */
	unsigned long long block;	/* the block this test injected, or 0 */
	bool rewrite;		/* the teardown writes over block (see forget_injected()) */
};

FIXTURE_VARIANT(nfit) {
	const char *mode;
};

FIXTURE_VARIANT_ADD(nfit, raw) {
	.mode = "raw",
};

FIXTURE_VARIANT_ADD(nfit, fsdax) {
	.mode = "fsdax",
};

/* 1 if the sysfs file path contains c, 0 if not, -errno. */
static int file_has_char(const char *path, char c, char *buf, size_t len)
{
	ssize_t n = hwp_read_small(path, buf, len);

	return n < 0 ? (int)n : strchr(buf, c) != NULL;
}

/*
 * Loads nfit_test (the wrapped libnvdimm stack), resets nfit_test.0 the
 * way ndctl's test/common reset() does, and creates one pmem namespace in
 * mode: its name into ns, its block device's into disk.
 */
static void nfit_namespace(struct __test_metadata *_metadata, const char *mode,
			   char *ns, size_t ns_len, char *disk, size_t disk_len)
{
	static const char *const wrapped[] = { "libnvdimm", "nfit", "nd_pmem" };
	/* The in-tree stack the guest drives its QEMU NVDIMMs with goes first:
	 * the wrapped builds have the same module names. */
	char *quiesce[] = { "ndctl", "disable-region", "all", NULL };
	char *unload[] = { "modprobe", "-r", "-a", "dax_pmem", "nd_pmem", "nd_btt",
			   "virtio_pmem", "nfit", "libnvdimm", NULL };
	char *refs[] = { "sh", "-c", "for m in virtio_pmem nfit libnvdimm nd_pmem dax_pmem; do "
			 "echo $m $(cat /sys/module/$m/refcnt 2>&1) holders: $(ls /sys/module/$m/holders 2>&1); done", NULL };
	char release[128];
	char *modprobe[] = { "modprobe", "-S", release, "nfit_test", NULL };
	struct utsname u;
	char *disable[] = { "ndctl", "disable-region", "-b", BUS, "all", NULL };
	char *init[] = { "ndctl", "init-labels", "-f", "-b", BUS, "all", NULL };
	char *enable[] = { "ndctl", "enable-region", "-b", BUS, "all", NULL };
	char *create_raw[] = { "ndctl", "create-namespace", "-b", BUS, "-t", "pmem",
			       "-m", "raw", NULL };
	char *create_fsdax[] = { "ndctl", "create-namespace", "-b", BUS, "-t", "pmem",
				 "-m", "fsdax", "--align=4k", NULL };
	char out[HWP_OUT_MAX], path[128], taint[64], got[32];
	size_t i;
	int ret;

	ASSERT_EQ(0, uname(&u));
	snprintf(release, sizeof(release), "%.100s-nfit_test", u.release);
	if (access("/sys/module/nfit_test", F_OK)) {
		ret = HWP_RUN(quiesce, out);
		ASSERT_EQ(0, ret) TH_LOG("ndctl disable-region all failed: %s", out);
		ret = HWP_RUN(unload, out);
		if (ret)
			HWP_RUN(refs, out);
		ASSERT_EQ(0, ret) TH_LOG("unloading the in-tree nvdimm drivers failed");
		ret = HWP_RUN(modprobe, out);
		ASSERT_EQ(0, ret) TH_LOG("modprobe -S %s nfit_test failed: the guest must carry tools/testing/nvdimm's modules in /lib/modules/%s: %s",
					 release, release, out);
	}
	ASSERT_EQ(0, access("/sys/module/nfit_test", F_OK))
		TH_LOG("/sys/module/nfit_test is missing after modprobe nfit_test: %s", strerror(errno));
	for (i = 0; i < sizeof(wrapped) / sizeof(wrapped[0]); i++) {
		snprintf(path, sizeof(path), "/sys/module/%s/taint", wrapped[i]);
		ret = file_has_char(path, 'O', taint, sizeof(taint));
		ASSERT_EQ(1, ret)
			TH_LOG("%s is the in-tree module (taint \"%.*s\", %d), not tools/testing/nvdimm's wrapped build (taint O): nfit_test's resource and ioremap wrappers are not in use, so its buses do not behave as tested",
			       wrapped[i], (int)strcspn(taint, "\n"), taint, ret);
	}

	/* ndctl's test/common reset(). */
	ASSERT_EQ(0, HWP_RUN(disable, out));
	ASSERT_EQ(0, HWP_RUN(init, out));
	ASSERT_EQ(0, HWP_RUN(enable, out));

	ret = HWP_RUN(strcmp(mode, "raw") ? create_fsdax : create_raw, out);
	ASSERT_EQ(0, ret) TH_LOG("ndctl create-namespace -m %s on %s failed", mode, BUS);
	ASSERT_EQ(0, hwp_json_str(out, "dev", ns, ns_len))
		TH_LOG("no \"dev\" in the output of create-namespace");
	ASSERT_EQ(0, hwp_json_str(out, "blockdev", disk, disk_len))
		TH_LOG("no \"blockdev\" in the output of create-namespace");
	ASSERT_EQ(0, hwp_json_str(out, "mode", got, sizeof(got)));
	ASSERT_STREQ(mode, got);
}

FIXTURE_SETUP(nfit)
{
	nfit_namespace(_metadata, variant->mode, self->ns, sizeof(self->ns),
		       self->disk, sizeof(self->disk));
}

/*
 * Leaves nothing in nfit_test's list for a later scrub to find. A test
 * that sets rewrite also clears its block by a write (CLEAR_ERROR drops it
 * from nfit_test's list and from the bus's badrange list, bus.c:207-215),
 * which --uninject alone leaves in the bus's list for every namespace
 * probed later over the same addresses.
 */
static void forget_injected(FIXTURE_DATA(nfit) *n)
{
	char block[32], count[32], out[HWP_OUT_MAX], path[96];
	char *uninject[] = { "ndctl", "inject-error", "--uninject", block, count,
			     n->ns, NULL };
	void *zero;
	int fd;

	if (!n->block || !n->ns[0])
		return;
	if (n->rewrite && n->disk[0] && !posix_memalign(&zero, HWP_PAGE, HWP_PAGE)) {
		memset(zero, 0, HWP_PAGE);
		snprintf(path, sizeof(path), "/dev/%s", n->disk);
		fd = open(path, O_WRONLY | O_DIRECT | O_CLOEXEC);
		if (fd >= 0) {
			if (pwrite(fd, zero, HWP_PAGE, n->block * 512) != (ssize_t)HWP_PAGE)
				ksft_print_msg("teardown: rewriting sectors %llu-%llu of %s: %s\n",
					       n->block, n->block + ERR_COUNT - 1, path, strerror(errno));
			close(fd);
		}
		free(zero);
	}
	snprintf(block, sizeof(block), "--block=%llu", n->block);
	snprintf(count, sizeof(count), "--count=%d", ERR_COUNT);
	hwp_run(uninject, out, sizeof(out));
}

FIXTURE_TEARDOWN(nfit)
{
	forget_injected(self);
}

/* ndctl inject-error --block=<block> --count=8 [extra] <ns>: exit status. */
static int inject(struct __test_metadata *_metadata, FIXTURE_DATA(nfit) *self,
		  unsigned long long block, const char *extra)
{
	char b[32], c[32], out[HWP_OUT_MAX];
	char *argv[] = { "ndctl", "inject-error", b, c, self->ns, NULL, NULL };

	snprintf(b, sizeof(b), "--block=%llu", block);
	snprintf(c, sizeof(c), "--count=%d", ERR_COUNT);
	if (extra) {
		argv[4] = (char *)extra;
		argv[5] = self->ns;
	}
	self->block = block;
	return HWP_RUN(argv, out);
}

/* ndctl inject-error --status <ns>: 1 if it lists {block, 8}, 0 if not, -1 on failure. */
static int status_lists(struct __test_metadata *_metadata, FIXTURE_DATA(nfit) *self,
			unsigned long long block)
{
	char *argv[] = { "ndctl", "inject-error", "--status", self->ns, NULL };
	char out[HWP_OUT_MAX];

	if (HWP_RUN(argv, out))
		return -1;
	return hwp_json_has_bb(out, block, ERR_COUNT);
}

/*
 * ndctl wait-scrub, start-scrub and wait-scrub nfit_test.0: 0 or the
 * failing exit status. The first wait lets a scrub already requested
 * finish, such as the one loading nfit_test starts (ars_register(),
 * core.c:2755-2800): while every range has one pending, start-scrub fails
 * with EBUSY (acpi_nfit_ars_rescan(), core.c:3221-3257).
 */
static int scrub(struct __test_metadata *_metadata)
{
	char *start[] = { "ndctl", "start-scrub", BUS, NULL };
	char *wait[] = { "ndctl", "wait-scrub", BUS, NULL };
	char out[HWP_OUT_MAX];
	int ret;

	ret = HWP_RUN(wait, out);
	if (ret)
		return ret;
	ret = HWP_RUN(start, out);
	if (ret)
		return ret;
	return HWP_RUN(wait, out);
}

/* The namespace's badblocks list, logged: 1 if it has exactly [block, block + 8) bad. */
static int badblocks_shows(struct __test_metadata *_metadata, FIXTURE_DATA(nfit) *self,
			   unsigned long long block)
{
	char bb[4096];
	int ret;

	ret = hwp_badblocks_read(self->disk, bb, sizeof(bb));
	if (ret < 0) {
		TH_LOG("reading /sys/block/%s/badblocks: %s", self->disk, strerror(-ret));
		return ret;
	}
	TH_LOG("/sys/block/%s/badblocks:%s", self->disk, ret ? "" : " (empty)");
	HWP_LOG_LINES(bb);
	if (hwp_badblocks_covers(bb, block - ERR_COUNT, ERR_COUNT, true) ||
	    hwp_badblocks_covers(bb, block + ERR_COUNT, ERR_COUNT, true))
		return 2;	/* the neighbours are bad too: an offset is wrong */
	return hwp_badblocks_covers(bb, block, ERR_COUNT, false) ? 1 :
	       hwp_badblocks_covers(bb, block, ERR_COUNT, true) ? 3 : 0;
}

/* Opens the namespace's block device O_DIRECT: fd or -errno. */
static int open_disk(FIXTURE_DATA(nfit) *self)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", self->disk);
	fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* pread() of the 4 KiB at sector: the return value, errno in *err. */
static ssize_t read_page(int fd, unsigned long long sector, char *buf, int *err)
{
	ssize_t n;

	errno = 0;
	n = pread(fd, buf, HWP_PAGE, sector * 512);
	*err = errno;
	return n;
}

/*
 * ndctl inject-error --status <ns>: how many records it lists (it prints
 * nothing when nfit_test holds none in the namespace), -1 on failure.
 */
static int status_records(struct __test_metadata *_metadata, FIXTURE_DATA(nfit) *self)
{
	char *argv[] = { "ndctl", "inject-error", "--status", self->ns, NULL };
	char out[HWP_OUT_MAX];
	unsigned long long b;
	const char *p;
	int n = 0;

	if (HWP_RUN(argv, out))
		return -1;
	p = hwp_json_find(out, "badblocks");
	if (!p)
		return 0;
	while (!hwp_json_u64(&p, "block", &b))
		n++;
	return n;
}

/*
 * ndctl list -n <ns>: its "size" (bytes of data: the pfn device's size
 * in fsdax mode, pfn_devs.c:219-240) and, when uuid is not NULL, its
 * "uuid". 0, or -1 after logging.
 */
static int ns_size(struct __test_metadata *_metadata, const char *ns,
		   unsigned long long *size, char *uuid, size_t uuid_len)
{
	char *argv[] = { "ndctl", "list", "-n", (char *)ns, NULL };
	char out[HWP_OUT_MAX];
	const char *p = out;

	if (HWP_RUN(argv, out))
		return -1;
	if (hwp_json_u64(&p, "size", size)) {
		TH_LOG("no \"size\" in the output of ndctl list -n %s", ns);
		return -1;
	}
	if (uuid && hwp_json_str(out, "uuid", uuid, uuid_len)) {
		TH_LOG("no \"uuid\" in the output of ndctl list -n %s", ns);
		return -1;
	}
	return 0;
}

/*
 * The namespace of nfit_test.0 whose uuid is uuid, from ndctl list -N
 * (flat objects, one per namespace): its "dev" into ns and its
 * "blockdev" into disk. 0, or -1 after logging.
 */
static int ns_by_uuid(struct __test_metadata *_metadata, const char *uuid,
		      char *ns, size_t ns_len, char *disk, size_t disk_len)
{
	char *argv[] = { "ndctl", "list", "-b", BUS, "-N", NULL };
	char out[HWP_OUT_MAX], pat[80], obj[1024];
	const char *hit, *start, *end;

	if (HWP_RUN(argv, out))
		return -1;
	snprintf(pat, sizeof(pat), "\"%s\"", uuid);
	hit = strstr(out, pat);
	if (!hit) {
		TH_LOG("no namespace of %s has the uuid %s", BUS, uuid);
		return -1;
	}
	for (start = hit; start > out && *start != '{'; start--)
		;
	end = strchr(hit, '}');
	if (*start != '{' || !end || (size_t)(end - start) >= sizeof(obj)) {
		TH_LOG("cannot find the JSON object of the namespace %s", uuid);
		return -1;
	}
	memcpy(obj, start, end - start);
	obj[end - start] = '\0';
	if (hwp_json_str(obj, "dev", ns, ns_len) ||
	    hwp_json_str(obj, "blockdev", disk, disk_len)) {
		TH_LOG("the namespace %s has no \"dev\" or no \"blockdev\" (not enabled?)", uuid);
		return -1;
	}
	return 0;
}

/*
 * The number of scrubs nfit_test.0's bus has completed since it was
 * loaded, from /sys/bus/nd/devices/ndbusN/nfit/scrub (scrub_show(),
 * drivers/acpi/nfit/core.c:1269-1299: "<count>", "+" while one runs):
 * the count with *busy set, or -errno.
 */
static long bus_scrubs(bool *busy)
{
	char path[PATH_MAX], buf[64];
	long ret = -ENOENT;
	glob_t g;
	size_t i;

	if (glob("/sys/bus/nd/devices/ndbus*/provider", 0, NULL, &g))
		return -ENOENT;
	for (i = 0; i < g.gl_pathc; i++) {
		if (hwp_read_small(g.gl_pathv[i], buf, sizeof(buf)) < 0 ||
		    strncmp(buf, BUS "\n", sizeof(BUS)))
			continue;
		snprintf(path, sizeof(path), "%.*s/nfit/scrub",
			 (int)(strrchr(g.gl_pathv[i], '/') - g.gl_pathv[i]), g.gl_pathv[i]);
		ret = hwp_read_small(path, buf, sizeof(buf));
		if (ret >= 0) {
			*busy = strchr(buf, '+') != NULL;
			ret = strtol(buf, NULL, 10);
		}
		break;
	}
	globfree(&g);
	return ret;
}

/* Waits for the bus's scrubs to end; how many have run: the count
 * before an injection. */
static long scrubs_when_idle(struct __test_metadata *_metadata)
{
	char *wait[] = { "ndctl", "wait-scrub", BUS, NULL };
	char out[HWP_OUT_MAX];
	bool busy = false;
	long n;

	ASSERT_EQ(0, HWP_RUN(wait, out)) TH_LOG("ndctl wait-scrub %s failed", BUS);
	n = bus_scrubs(&busy);
	ASSERT_LE(0, n) TH_LOG("reading the scrub count of %s's bus (nfit/scrub): %s", BUS,
			       strerror((int)-n));
	ASSERT_FALSE(busy) TH_LOG("precondition: no scrub of %s runs before the injection", BUS);
	return n;
}

/* D27: inject-error succeeds and --status lists the injected blocks */
TEST_F(nfit, inject_status)
{
	const unsigned long long block = 64;
	int ret;

	ret = inject(_metadata, self, block, "--no-notify");
	ASSERT_EQ(0, ret) TH_LOG("ndctl inject-error on %s (%s) failed: nfit_test implements ARS_INJECT_SET (nfit.c:828)",
				 self->ns, variant->mode);
	ret = status_lists(_metadata, self, block);
	EXPECT_EQ(1, ret) TH_LOG("ndctl inject-error --status does not list {\"block\":%llu,\"count\":%d} (%d): ARS_INJECT_GET (nfit.c:885)",
				 block, ERR_COUNT, ret);
}

/* D27: --uninject removes the injected blocks from --status */
TEST_F(nfit, uninject)
{
	char b[32], c[32], out[HWP_OUT_MAX];
	char *argv[] = { "ndctl", "inject-error", "--uninject", b, c, self->ns, NULL };
	const unsigned long long block = 128;
	int ret;

	ASSERT_EQ(0, inject(_metadata, self, block, "--no-notify"));
	ASSERT_EQ(1, status_lists(_metadata, self, block))
		TH_LOG("precondition: --status lists the injected blocks (inject_status)");
	snprintf(b, sizeof(b), "--block=%llu", block);
	snprintf(c, sizeof(c), "--count=%d", ERR_COUNT);
	ret = HWP_RUN(argv, out);
	ASSERT_EQ(0, ret) TH_LOG("ndctl inject-error --uninject failed: ARS_INJECT_CLEAR (nfit.c:859)");
	ret = status_lists(_metadata, self, block);
	EXPECT_EQ(0, ret) TH_LOG("--status still lists {%llu, %d} after --uninject (%d)", block,
				 ERR_COUNT, ret);
}

/*
 * D27, D25: after a scrub the block device's badblocks lists the injected
 * sectors (the same numbers in raw and fsdax mode); reading them gives EIO
 * while the neighbouring pages read fine.
 */
TEST_F(nfit, scrub_badblocks_eio)
{
	const unsigned long long block = 192;
	char *buf = NULL;
	int fd, ret, err;
	ssize_t n;

	ASSERT_EQ(0, inject(_metadata, self, block, "--no-notify"));
	ASSERT_EQ(0, scrub(_metadata)) TH_LOG("ndctl start-scrub/wait-scrub %s failed", BUS);
	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(1, ret)
		TH_LOG("/sys/block/%s/badblocks (%s) does not show exactly sectors %llu-%llu after the scrub (%d; 2: a neighbouring page instead, 3: only part): ndctl's --block and pmem->bb both count from the data area (ndctl/lib/inject.c, pfn_devs.c:212, pmem.c:545)",
		       self->disk, variant->mode, block, block + ERR_COUNT - 1, ret);

	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	fd = open_disk(self);
	ASSERT_LE(0, fd) TH_LOG("open /dev/%s O_DIRECT: %s", self->disk, strerror(-fd));
	n = read_page(fd, block, buf, &err);
	EXPECT_EQ(-1, n) TH_LOG("pread of the injected sectors %llu-%llu returned %zd, expected -1 EIO (pmem_do_read(), pmem.c:154-160)",
				block, block + ERR_COUNT - 1, n);
	EXPECT_EQ(EIO, err) TH_LOG("pread of the injected sectors: %s, expected EIO", strerror(err));
	n = read_page(fd, block - ERR_COUNT, buf, &err);
	EXPECT_EQ((ssize_t)HWP_PAGE, n) TH_LOG("pread of the page before the injected one: %zd (%s)",
					     n, strerror(err));
	n = read_page(fd, block + ERR_COUNT, buf, &err);
	EXPECT_EQ((ssize_t)HWP_PAGE, n) TH_LOG("pread of the page after the injected one: %zd (%s)",
					     n, strerror(err));
	close(fd);
	free(buf);
}

/*
 * D26: on nfit_test a page-aligned write over the bad sectors clears them:
 * the write succeeds, the badblocks entry goes, the data reads back.
 */
TEST_F(nfit, write_clears)
{
	const unsigned long long block = 256;
	char *buf = NULL, *back = NULL;
	int fd, ret, err;
	ssize_t n;

	ASSERT_EQ(0, inject(_metadata, self, block, "--no-notify"));
	ASSERT_EQ(0, scrub(_metadata));
	ASSERT_EQ(1, badblocks_shows(_metadata, self, block))
		TH_LOG("precondition: the scrub put sectors %llu-%llu in badblocks (scrub_badblocks_eio)",
		       block, block + ERR_COUNT - 1);

	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	ASSERT_EQ(0, posix_memalign((void **)&back, HWP_PAGE, HWP_PAGE));
	memset(buf, 'W', HWP_PAGE);
	fd = open_disk(self);
	ASSERT_LE(0, fd) TH_LOG("open /dev/%s O_DIRECT: %s", self->disk, strerror(-fd));
	errno = 0;
	n = pwrite(fd, buf, HWP_PAGE, block * 512);
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("O_DIRECT pwrite of 4 KiB over the bad sectors returned %zd (%s), expected 4096: nfit_test's CLEAR_ERROR (nfit.c:625) clears them (pmem_clear_poison(), pmem.c:111)",
		       n, strerror(errno));
	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(0, ret) TH_LOG("after the write, /sys/block/%s/badblocks still shows sectors of %llu-%llu (%d): pmem_clear_bb() (pmem.c:89) should have dropped them",
				 self->disk, block, block + ERR_COUNT - 1, ret);
	n = read_page(fd, block, back, &err);
	EXPECT_EQ((ssize_t)HWP_PAGE, n) TH_LOG("reading the cleared page: %zd (%s)", n, strerror(err));
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_EQ(0, memcmp(buf, back, HWP_PAGE))
			TH_LOG("the cleared page does not read back what was written");
	ret = status_lists(_metadata, self, block);
	EXPECT_EQ(0, ret) TH_LOG("inject-error --status still lists the cleared blocks (%d): nfit_test forgets a cleared range (nfit.c:625)",
				 ret);
	close(fd);
	free(buf);
	free(back);
}

/*
 * D26: on nfit_test "ndctl clear-errors" clears the bad sectors: the
 * badblocks entry goes and the page reads again.
 */
TEST_F(nfit, clear_errors)
{
	char *argv[] = { "ndctl", "clear-errors", self->ns, NULL };
	const unsigned long long block = 320;
	char out[HWP_OUT_MAX], *buf = NULL;
	int fd, ret, err;
	ssize_t n;

	ASSERT_EQ(0, inject(_metadata, self, block, "--no-notify"));
	ASSERT_EQ(0, scrub(_metadata));
	ASSERT_EQ(1, badblocks_shows(_metadata, self, block))
		TH_LOG("precondition: the scrub put sectors %llu-%llu in badblocks (scrub_badblocks_eio)",
		       block, block + ERR_COUNT - 1);
	ret = HWP_RUN(argv, out);
	EXPECT_EQ(0, ret) TH_LOG("ndctl clear-errors %s (%s) failed on nfit_test", self->ns,
				 variant->mode);
	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(0, ret) TH_LOG("after ndctl clear-errors, /sys/block/%s/badblocks still shows sectors of %llu-%llu (%d)",
				 self->disk, block, block + ERR_COUNT - 1, ret);
	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	fd = open_disk(self);
	ASSERT_LE(0, fd) TH_LOG("open /dev/%s O_DIRECT: %s", self->disk, strerror(-fd));
	n = read_page(fd, block, buf, &err);
	EXPECT_EQ((ssize_t)HWP_PAGE, n) TH_LOG("reading the cleared page after clear-errors: %zd (%s)",
					     n, strerror(err));
	close(fd);
	free(buf);
}

/*
 * D26: poison cleared by a write stays cleared when the region is
 * disabled and enabled again (ndctl test/clear.sh): the re-probed
 * namespace lists no bad sectors there and nfit_test no injected error.
 *
 * The write's CLEAR_ERROR drops the range from nfit_test's list
 * (nfit.c:623) and from the bus's badrange list
 * (nvdimm_account_cleared_poison(), drivers/nvdimm/bus.c:207-215); the
 * re-probed region and namespace fill their badblocks from that list
 * (region.c:44, pmem.c:566, nvdimm_badblocks_populate(), badrange.c:269),
 * so a range the bus kept would come back as stale bad sectors.
 */
TEST_F(nfit, clear_survives_reenable)
{
	char *disable[] = { "ndctl", "disable-region", "-b", BUS, "all", NULL };
	char *enable[] = { "ndctl", "enable-region", "-b", BUS, "all", NULL };
	const unsigned long long block = 384;
	char out[HWP_OUT_MAX], uuid[64], *buf = NULL, *back = NULL;
	unsigned long long size;
	int fd, ret, err;
	ssize_t n;

	ASSERT_EQ(0, ns_size(_metadata, self->ns, &size, uuid, sizeof(uuid)))
		TH_LOG("ndctl list -n %s: no size or uuid of the namespace", self->ns);
	ASSERT_EQ(0, inject(_metadata, self, block, "--no-notify"))
		TH_LOG("ndctl inject-error --no-notify on %s (%s) failed: ARS_INJECT_SET (nfit.c:828)",
		       self->ns, variant->mode);
	ASSERT_EQ(0, scrub(_metadata)) TH_LOG("ndctl start-scrub/wait-scrub %s failed", BUS);
	ASSERT_EQ(1, badblocks_shows(_metadata, self, block))
		TH_LOG("precondition: the scrub put sectors %llu-%llu in badblocks (scrub_badblocks_eio)",
		       block, block + ERR_COUNT - 1);

	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	ASSERT_EQ(0, posix_memalign((void **)&back, HWP_PAGE, HWP_PAGE));
	memset(buf, 'R', HWP_PAGE);
	fd = open_disk(self);
	ASSERT_LE(0, fd) TH_LOG("open /dev/%s O_DIRECT: %s", self->disk, strerror(-fd));
	errno = 0;
	n = pwrite(fd, buf, HWP_PAGE, block * 512);
	err = errno;
	close(fd);
	ASSERT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("precondition: the O_DIRECT write over the bad sectors clears them (write_clears): %zd (%s)",
		       n, strerror(err));
	ASSERT_EQ(0, badblocks_shows(_metadata, self, block))
		TH_LOG("precondition: the write dropped sectors %llu-%llu from badblocks (write_clears)",
		       block, block + ERR_COUNT - 1);

	ret = HWP_RUN(disable, out);
	ASSERT_EQ(0, ret) TH_LOG("ndctl disable-region -b %s all failed", BUS);
	ret = HWP_RUN(enable, out);
	ASSERT_EQ(0, ret) TH_LOG("ndctl enable-region -b %s all failed", BUS);
	/* The labels bring the namespace back; its name and disk may differ. */
	ret = ns_by_uuid(_metadata, uuid, self->ns, sizeof(self->ns), self->disk,
			 sizeof(self->disk));
	ASSERT_EQ(0, ret)
		TH_LOG("the %s namespace %s (labelled by init-labels) is not enabled with a block device after enable-region",
		       variant->mode, uuid);

	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(0, ret)
		TH_LOG("after disable-region/enable-region, /sys/block/%s/badblocks shows the cleared sectors %llu-%llu again (%d): the re-probed namespace fills badblocks from the bus's badrange list (pmem.c:566, badrange.c:269), which the write's clear should have left without them (nvdimm_account_cleared_poison() -> badrange_forget(), bus.c:207-215)",
		       self->disk, block, block + ERR_COUNT - 1, ret);
	ret = status_records(_metadata, self);
	EXPECT_EQ(0, ret)
		TH_LOG("after the clear and the region cycle, ndctl inject-error --status %s lists %d records, expected none: nfit_test's CLEAR_ERROR forgets the cleared range (badrange_forget(), tools/testing/nvdimm/test/nfit.c:623)",
		       self->ns, ret);
	fd = open_disk(self);
	ASSERT_LE(0, fd) TH_LOG("open /dev/%s O_DIRECT: %s", self->disk, strerror(-fd));
	n = read_page(fd, block, back, &err);
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("reading the cleared page after the region cycle: %zd (%s), expected 4096: pmem_do_read() fails only sectors in pmem->bb (pmem.c:154-160)",
		       n, strerror(err));
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_EQ(0, memcmp(buf, back, HWP_PAGE))
			TH_LOG("the cleared page does not read back what was written before the region cycle");
	close(fd);
	free(buf);
	free(back);
}

/*
 * D27: an error injected with --no-notify stays out of the namespace's
 * badblocks until a scrub (ndctl test/inject-error.sh): --status lists
 * it at once, no scrub runs, and the scrub then adds it to badblocks.
 *
 * nfit_test queues the UC memory error notification, whose handler
 * starts a scrub (acpi_nfit_uc_error_notify(), drivers/acpi/nfit/core.c:
 * 3480-3491), only with ND_ARS_ERR_INJ_OPT_NOTIFY (nfit.c:848), which
 * ndctl leaves out for --no-notify (ndctl/lib/inject.c); the bus learns of
 * errors only from ARS records (ars_status_process_records(),
 * core.c:2507) and the region's "revalidate poison" that follows
 * (ars_complete(), core.c:2472) refills badblocks.
 */
TEST_F(nfit, no_notify_until_scrub)
{
	char *wait[] = { "ndctl", "wait-scrub", BUS, NULL };
	const unsigned long long block = 448;
	char out[HWP_OUT_MAX];
	long before, after;
	bool busy = false;
	int ret;

	before = scrubs_when_idle(_metadata);
	self->rewrite = true;
	ret = inject(_metadata, self, block, "--no-notify");
	ASSERT_EQ(0, ret) TH_LOG("ndctl inject-error --no-notify on %s (%s) failed: ARS_INJECT_SET (nfit.c:828)",
				 self->ns, variant->mode);
	ret = status_lists(_metadata, self, block);
	EXPECT_EQ(1, ret)
		TH_LOG("ndctl inject-error --status does not list {\"block\":%llu,\"count\":%d} after --no-notify (%d): nfit_test keeps every injected range in its list (badrange_add(), nfit.c:843; ARS_INJECT_GET, nfit.c:885)",
		       block, ERR_COUNT, ret);

	/* A notification would have started a scrub by now: let it finish. */
	sleep(2);
	ASSERT_EQ(0, HWP_RUN(wait, out)) TH_LOG("ndctl wait-scrub %s failed", BUS);
	after = bus_scrubs(&busy);
	ASSERT_LE(0, after) TH_LOG("reading the scrub count of %s's bus (nfit/scrub): %s", BUS,
				   strerror((int)-after));
	TH_LOG("scrubs of %s's bus: %ld before the injection, %ld after it%s", BUS, before,
	       after, busy ? " (one running)" : "");
	EXPECT_EQ(before, after)
		TH_LOG("%ld scrubs of %s ran after an injection with --no-notify: nfit_test queued the UC memory error notification (uc_error_notify(), nfit.c:820-826) although ND_ARS_ERR_INJ_OPT_NOTIFY was clear (nfit.c:848)",
		       after - before, BUS);
	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(0, ret)
		TH_LOG("/sys/block/%s/badblocks shows sectors of %llu-%llu after an injection with --no-notify and before any scrub (%d): only an ARS record puts an error in the bus's badrange list (nvdimm_bus_add_badrange(), core.c:2507) and a notification starts that ARS (core.c:3480, nfit.c:848)",
		       self->disk, block, block + ERR_COUNT - 1, ret);

	ASSERT_EQ(0, scrub(_metadata)) TH_LOG("ndctl start-scrub/wait-scrub %s failed", BUS);
	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(1, ret)
		TH_LOG("after the scrub /sys/block/%s/badblocks does not show exactly sectors %llu-%llu (%d; 2: a neighbouring page instead, 3: only part): nfit_test reports the injected range as an ARS record (post_ars_status(), nfit.c:529), the bus adds it (core.c:2507) and the region notification refills pmem->bb (ars_complete(), core.c:2472; badrange.c:239)",
		       self->disk, block, block + ERR_COUNT - 1, ret);
}

/*
 * D27: an error injected without --no-notify is in the namespace's
 * badblocks when ndctl inject-error returns, with no scrub started by the
 * test: the injection's notification scrubs the bus.
 *
 * With ND_ARS_ERR_INJ_OPT_NOTIFY nfit_test queues the UC memory error
 * notification (uc_error_notify(), nfit.c:821-826,848), whose handler
 * starts a scrub (acpi_nfit_uc_error_notify(), drivers/acpi/nfit/core.c:
 * 3480-3491). ndctl waits, after a notifying injection, until the bus's
 * scrub count rises and no scrub runs (ns_errors_to_json() in
 * ndctl/inject-error.c; it gives up waiting for the count after 30 s).
 * The scrub adds nfit_test's ARS records to the bus (core.c:2507) and
 * ars_complete() (core.c:2472) refills pmem->bb before notify_ars_done()
 * raises the count (core.c:2915-2922).
 */
TEST_F(nfit, notify_scrubs)
{
	const unsigned long long block = 512;
	long before, after;
	bool busy = false;
	int ret;

	before = scrubs_when_idle(_metadata);
	/* The notification's scrub puts the range in the bus's badrange list,
	 * which --uninject leaves there (forget_injected()). */
	self->rewrite = true;
	ret = inject(_metadata, self, block, NULL);
	ASSERT_EQ(0, ret) TH_LOG("ndctl inject-error (with notification) on %s (%s) failed: ARS_INJECT_SET (nfit.c:828), then ndctl waits for the scrub",
				 self->ns, variant->mode);
	after = bus_scrubs(&busy);
	ASSERT_LE(0, after) TH_LOG("reading the scrub count of %s's bus (nfit/scrub): %s", BUS,
				   strerror((int)-after));
	TH_LOG("scrubs of %s's bus: %ld before the injection, %ld when inject-error returned%s",
	       BUS, before, after, busy ? " (one running)" : "");
	EXPECT_LT(before, after)
		TH_LOG("no scrub of %s completed while ndctl inject-error waited (up to 30 s) after an injection without --no-notify: nfit_test queues the UC memory error notification when ND_ARS_ERR_INJ_OPT_NOTIFY is set (uc_error_notify(), nfit.c:821-826,848) and its handler starts a scrub (acpi_nfit_uc_error_notify(), core.c:3480-3491)",
		       BUS);
	ret = badblocks_shows(_metadata, self, block);
	EXPECT_EQ(1, ret)
		TH_LOG("when ndctl inject-error without --no-notify returned, and with no scrub started by the test, /sys/block/%s/badblocks does not show exactly sectors %llu-%llu (%d; 0: none of them, 2: a neighbouring page instead, 3: only part): the notification's scrub (core.c:3480-3491) reports nfit_test's range as an ARS record (post_ars_status(), nfit.c:529), the bus adds it (core.c:2507) and ars_complete() refills pmem->bb (core.c:2472; badrange.c:239) before the scrub count ndctl waits on rises (notify_ars_done(), core.c:2915-2922)",
		       self->disk, block, block + ERR_COUNT - 1, ret);
}

/*
 * D25, D27: poison found by a scrub moves with the data area when the
 * namespace changes mode (ndctl test/clear.sh): after raw -> fsdax its
 * badblocks sector is the raw one minus the pfn device's reservation,
 * (raw size - fsdax size) / 512; after fsdax -> raw plus it.
 *
 * The bad range stays in the bus's badrange list across the
 * reconfiguration, and the new block device fills badblocks from it
 * counting from its own data area (nvdimm_badblocks_populate(),
 * badrange.c:239): in fsdax mode from the namespace start plus start_pad
 * and dataoff (pmem.c:530-537), the space the pfn device's size leaves
 * out (pfn_devs.c:219-240; end_trunc is 0 for a 2 MiB-aligned namespace).
 */
TEST_F(nfit, mode_change_moves_badblocks)
{
	const char *to = strcmp(variant->mode, "raw") ? "raw" : "fsdax";
	char *convert[] = { "ndctl", "create-namespace", "-f", "-e", self->ns, "-m",
			    (char *)to, NULL };
	unsigned long long old_size, new_size, block, expect, shift;
	char out[HWP_OUT_MAX], got[32], *buf = NULL;
	int fd, ret, err;
	ssize_t n;

	ASSERT_EQ(0, ns_size(_metadata, self->ns, &old_size, NULL, 0))
		TH_LOG("ndctl list -n %s: no size of the %s namespace", self->ns, variant->mode);
	/* The middle of the data area, a whole page, as clear.sh injects. */
	block = old_size / 512 / 2 / ERR_COUNT * ERR_COUNT;
	ASSERT_EQ(0, inject(_metadata, self, block, "--no-notify"))
		TH_LOG("ndctl inject-error --no-notify on %s (%s) failed: ARS_INJECT_SET (nfit.c:828)",
		       self->ns, variant->mode);
	ASSERT_EQ(0, scrub(_metadata)) TH_LOG("ndctl start-scrub/wait-scrub %s failed", BUS);
	ASSERT_EQ(1, badblocks_shows(_metadata, self, block))
		TH_LOG("precondition: the scrub put sectors %llu-%llu in badblocks of the %s namespace (scrub_badblocks_eio)",
		       block, block + ERR_COUNT - 1, variant->mode);

	ret = HWP_RUN(convert, out);
	ASSERT_EQ(0, ret) TH_LOG("ndctl create-namespace -f -e %s -m %s failed", self->ns, to);
	ASSERT_EQ(0, hwp_json_str(out, "mode", got, sizeof(got)))
		TH_LOG("no \"mode\" in the output of create-namespace -m %s", to);
	ASSERT_STREQ(to, got) TH_LOG("create-namespace -m %s made a %s namespace", to, got);
	ASSERT_EQ(0, hwp_json_str(out, "dev", self->ns, sizeof(self->ns)))
		TH_LOG("no \"dev\" in the output of create-namespace -m %s", to);
	ASSERT_EQ(0, hwp_json_str(out, "blockdev", self->disk, sizeof(self->disk)))
		TH_LOG("no \"blockdev\" in the output of create-namespace -m %s: the %s namespace has no block device (nd_pmem did not bind)",
		       to, to);
	ASSERT_EQ(0, ns_size(_metadata, self->ns, &new_size, NULL, 0))
		TH_LOG("ndctl list -n %s: no size of the %s namespace", self->ns, to);
	ASSERT_NE(old_size, new_size)
		TH_LOG("precondition: the fsdax namespace reserves room for its pfn device (both sizes %llu)",
		       old_size);
	if (!strcmp(to, "fsdax")) {
		shift = (old_size - new_size) / 512;
		expect = block - shift;
	} else {
		shift = (new_size - old_size) / 512;
		expect = block + shift;
	}
	/* The same bytes of the bus: the teardown finds and clears them there. */
	self->block = expect;
	self->rewrite = true;
	TH_LOG("%s -> %s: size %llu -> %llu, sector %llu expected at %llu",
	       variant->mode, to, old_size, new_size, block, expect);

	ret = badblocks_shows(_metadata, self, expect);
	EXPECT_EQ(1, ret)
		TH_LOG("after %s -> %s, /sys/block/%s/badblocks does not show exactly sectors %llu-%llu, the old %llu %s the %llu sectors between the two data areas (%d; 0: gone or elsewhere, 2: a neighbouring page, 3: only part): the new block device counts the bus's bad range from its own data area (pmem.c:530-537,566; badrange.c:239)",
		       variant->mode, to, self->disk, expect, expect + ERR_COUNT - 1, block,
		       strcmp(to, "fsdax") ? "plus" : "minus", shift, ret);
	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	fd = open_disk(self);
	ASSERT_LE(0, fd) TH_LOG("open /dev/%s O_DIRECT: %s", self->disk, strerror(-fd));
	n = read_page(fd, expect, buf, &err);
	EXPECT_EQ(-1, n)
		TH_LOG("pread of sectors %llu-%llu in %s mode returned %zd, expected -1 EIO: the poison is still in the platform (nfit_test's list) and pmem_do_read() fails sectors in pmem->bb (pmem.c:154-160)",
		       expect, expect + ERR_COUNT - 1, to, n);
	EXPECT_EQ(EIO, err) TH_LOG("pread of the moved bad sectors: %s, expected EIO", strerror(err));
	close(fd);
	free(buf);
}

/*
 * A DAX file system on an fsdax namespace of nfit_test.0: the recovery
 * write of D26 goes through the file system, not the block device.
 */
FIXTURE(nfitfs) {
	FIXTURE_DATA(nfit) n;
	char mnt[64];
	bool mounted;
};

FIXTURE_VARIANT(nfitfs) {
	enum dax_fs_type fs;
};

FIXTURE_VARIANT_ADD(nfitfs, xfs) {
	.fs = DAX_FS_XFS,
};

FIXTURE_VARIANT_ADD(nfitfs, ext4) {
	.fs = DAX_FS_EXT4,
};

FIXTURE_SETUP(nfitfs)
{
	char dev[96];
	int ret;

	snprintf(self->mnt, sizeof(self->mnt), "/tmp/daxtest-nfitfs.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));
	nfit_namespace(_metadata, "fsdax", self->n.ns, sizeof(self->n.ns),
		       self->n.disk, sizeof(self->n.disk));
	if (ksft_test_stopped(_metadata))
		return;
	snprintf(dev, sizeof(dev), "/dev/%s", self->n.disk);
	ASSERT_EQ(1, dax_bdev_has_dax(dev))
		TH_LOG("the fsdax namespace %s on %s has no DAX (queue/dax)", self->n.ns, BUS);
	/*
	 * The namespace is 62 MiB; mkfs.xfs refuses file systems under
	 * 300 MB unless it runs under fstests, which it recognises by these
	 * three variables (xfsprogs mkfs/xfs_mkfs.c).
	 */
	ASSERT_EQ(0, setenv("TEST_DIR", self->mnt, 1));
	ASSERT_EQ(0, setenv("TEST_DEV", dev, 1));
	ASSERT_EQ(0, setenv("QA_CHECK_FS", "1", 1));
	ret = dax_mkfs(variant->fs, dev, 0);
	ASSERT_EQ(0, ret) TH_LOG("mkfs.%s on %s failed (%d)", dax_fs_name(variant->fs), dev, ret);
	ret = dax_mount(variant->fs, dev, self->mnt, DAX_MOUNT_ALWAYS);
	ASSERT_EQ(0, ret) TH_LOG("mounting %s dax=always on %s: %s", dax_fs_name(variant->fs),
				 dev, strerror(-ret));
	self->mounted = true;
}

FIXTURE_TEARDOWN(nfitfs)
{
	const char *step;

	dax_mount_cleanup(self->mnt, self->mounted, &step);
	forget_injected(&self->n);
}

#define FS_PAGES	16
#define POISON_PAGE	5

/*
 * D26: pwrite() of a whole page over poison under a DAX file clears it.
 *
 * The write reaches pmem through dax_iomap_iter(): dax_direct_access()
 * refuses the poisoned page with -EHWPOISON, the iterator asks again in
 * DAX_RECOVERY_WRITE mode and dax_recovery_write() -> pmem_recovery_write()
 * (drivers/nvdimm/pmem.c:337-377) clears the poison through the bus
 * (nfit_test's CLEAR_ERROR), writes the page and drops the badblocks
 * entry. No block-device write is involved.
 */
TEST_F(nfitfs, recovery_write)
{
	char *buf = NULL, *back = NULL;
	const off_t off = POISON_PAGE * HWP_PAGE;
	unsigned long long sector;
	struct fiemap_at at;
	int root, fd, ret, err;
	ssize_t n;

	root = open(self->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, root) TH_LOG("open %s: %s", self->mnt, strerror(errno));
	ret = dax_create_file(root, "f", 'a', FS_PAGES * HWP_PAGE);
	ASSERT_EQ(0, ret) TH_LOG("creating a %lu-byte file: %s", FS_PAGES * HWP_PAGE,
				 strerror(-ret));
	ASSERT_EQ(1, dax_s_dax(root, "f"))
		TH_LOG("precondition: a new file on %s dax=always has no S_DAX",
		       dax_fs_name(variant->fs));
	fd = openat(root, "f", O_RDWR | O_CLOEXEC);
	close(root);
	ASSERT_LE(0, fd);
	ret = fiemap_lookup(fd, off, &at);
	ASSERT_EQ(0, ret) TH_LOG("FIEMAP of page %d: %s", POISON_PAGE, strerror(-ret));
	ASSERT_EQ(0ULL, at.physical % HWP_PAGE);
	/* The file system's byte address is the namespace's, which is ndctl's
	 * --block and pmem->bb's sector, all from the data area. */
	sector = at.physical / 512;

	ASSERT_EQ(0, inject(_metadata, &self->n, sector, "--no-notify"));
	ASSERT_EQ(0, scrub(_metadata)) TH_LOG("ndctl start-scrub/wait-scrub %s failed", BUS);
	ASSERT_EQ(1, badblocks_shows(_metadata, &self->n, sector))
		TH_LOG("precondition: the scrub put sectors %llu-%llu, page %d of the file, in badblocks",
		       sector, sector + ERR_COUNT - 1, POISON_PAGE);

	ASSERT_EQ(0, posix_memalign((void **)&buf, HWP_PAGE, HWP_PAGE));
	ASSERT_EQ(0, posix_memalign((void **)&back, HWP_PAGE, HWP_PAGE));
	/* Control: the poison is seen through the file before the write. */
	errno = 0;
	n = pread(fd, back, HWP_PAGE, off);
	err = errno;
	ASSERT_EQ(-1, n)
		TH_LOG("precondition: pread() of the poisoned page %d of the file returned %zd, expected EIO: the injected sectors are not under it",
		       POISON_PAGE, n);
	ASSERT_EQ(EIO, err);

	memset(buf, 'W', HWP_PAGE);
	errno = 0;
	n = pwrite(fd, buf, HWP_PAGE, off);
	EXPECT_EQ((ssize_t)HWP_PAGE, n)
		TH_LOG("%s dax=always: pwrite() of the whole poisoned page returned %zd (%s), expected 4096: the DAX recovery write (dax_iomap_iter() DAX_RECOVERY_WRITE, pmem_recovery_write(), pmem.c:337-377) clears poison on a page-aligned write; on nfit_test only with kernel-patches/0001, before which tools/testing/nvdimm/pmem-dax.c fails every access to a poisoned page with EIO",
		       dax_fs_name(variant->fs), n, strerror(errno));
	ret = badblocks_shows(_metadata, &self->n, sector);
	EXPECT_EQ(0, ret)
		TH_LOG("after the recovery write, /sys/block/%s/badblocks still shows sectors of %llu-%llu (%d): pmem_recovery_write() drops them (pmem_clear_bb())",
		       self->n.disk, sector, sector + ERR_COUNT - 1, ret);
	ret = status_lists(_metadata, &self->n, sector);
	EXPECT_EQ(0, ret)
		TH_LOG("inject-error --status still lists the written blocks (%d): the recovery write did not clear the poison in the platform (__pmem_clear_poison())",
		       ret);
	errno = 0;
	n = pread(fd, back, HWP_PAGE, off);
	EXPECT_EQ((ssize_t)HWP_PAGE, n) TH_LOG("reading the rewritten page: %zd (%s)", n, strerror(errno));
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_EQ(0, memcmp(buf, back, HWP_PAGE))
			TH_LOG("the rewritten page does not read back what pwrite() wrote");
	n = pread(fd, back, HWP_PAGE, off + HWP_PAGE);
	EXPECT_EQ((ssize_t)HWP_PAGE, n);
	if (n == (ssize_t)HWP_PAGE)
		EXPECT_EQ('a', back[0]) TH_LOG("the page after the rewritten one changed");
	close(fd);
	free(buf);
	free(back);
}

TEST_HARNESS_MAIN
