// SPDX-License-Identifier: GPL-2.0
/*
 * unbind - the pmem driver unbound under a mounted, mapped DAX filesystem
 *
 * Behaviour D28 of the daxtest spec on 6.12. Unbinding nd_pmem from the
 * cell's device releases its disk (pmem_release_disk(),
 * drivers/nvdimm/pmem.c:431-440), and kill_dax() first tells the holder
 * of the DAX device that all of it is going away (drivers/dax/super.c
 * :337-345: MF_MEM_PRE_REMOVE over [0, U64_MAX]). XFS with rmapbt (D20)
 * freezes, walks every rmap record and, for each in-core DAX file, calls
 * mf_dax_kill_procs() (fs/xfs/xfs_notify_failure.c:230-320), which with
 * MF_MEM_PRE_REMOVE collects every process that maps the file, early kill
 * or not (collect_procs_fsdax(), mm/memory-failure.c:700-722), unmaps the
 * range and sends BUS_MCEERR_AO; then XFS shuts itself down with
 * SHUTDOWN_FORCE_UMOUNT. Nothing may hang: the unbind returns, the
 * mapper's next load gets SIGBUS instead of reaching memory that is gone,
 * the filesystem answers EIO and still unmounts. The teardown binds the
 * driver again and waits for the disk to come back.
 *
 * It takes the namespace away, so it is a program of its own, and the
 * hwpoison area has a guest per program (settings: guest=own).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "hwp_fs.h"
#include "hwp_mapper.h"
#include "kmsg_find.h"

#define MAPPED_PAGE	7

FIXTURE(unbind) {
	struct hwp_fs f;
	char driver[PATH_MAX];	/* /sys/bus/nd/drivers/nd_pmem */
	char device[NAME_MAX + 1];	/* the device it drives: "pfn0.1" */
	bool unbound;
};

/*
 * The driver and the device behind the disk holding dev (the parent
 * disk for a partition): 0 or -errno.
 */
static int find_driver(const char *dev, char driver[PATH_MAX], char *device, size_t len)
{
	char path[PATH_MAX + 16], real[PATH_MAX];
	struct stat st;
	const char *name;

	if (stat(dev, &st))
		return -errno;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/partition", major(st.st_rdev),
		 minor(st.st_rdev));
	snprintf(path, sizeof(path), access(path, F_OK) ? "/sys/dev/block/%u:%u/device" :
		 "/sys/dev/block/%u:%u/../device", major(st.st_rdev), minor(st.st_rdev));
	if (!realpath(path, real))
		return -errno;
	name = strrchr(real, '/');
	snprintf(device, len, "%.*s", NAME_MAX, name ? name + 1 : real);
	snprintf(path, sizeof(path), "%s/driver", real);
	if (!realpath(path, driver))
		return -errno;
	return 0;
}

/* Writes device to driver's file ("bind", "unbind"): 0 or -errno. */
static int driver_write(const char *driver, const char *file, const char *device)
{
	char path[PATH_MAX + 16];
	int fd, ret = 0;
	ssize_t n = strlen(device);

	snprintf(path, sizeof(path), "%s/%s", driver, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, device, n) != n)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

FIXTURE_SETUP(unbind)
{
	int ret;

	self->unbound = false;
	hwp_fs_setup_rmapbt(_metadata, &self->f, DAX_FS_XFS, true);
	ret = find_driver(self->f.dev, self->driver, self->device, sizeof(self->device));
	ASSERT_EQ(0, ret) TH_LOG("finding the driver of %s in sysfs: %s", self->f.dev,
				 strerror(-ret));
	TH_LOG("%s is %s, driven by %s", self->f.dev, self->device, self->driver);
}

FIXTURE_TEARDOWN_PARENT(unbind)
{
	struct stat st;
	int ret, i;

	hwp_fs_teardown(_metadata, &self->f);
	if (!self->unbound)
		return;
	ret = driver_write(self->driver, "bind", self->device);
	EXPECT_EQ(0, ret) TH_LOG("binding %s to %s again: %s", self->device, self->driver,
				 strerror(-ret));
	for (i = 0; i < 50 && stat(self->f.dev, &st); i++)
		usleep(100000);
	EXPECT_EQ(0, stat(self->f.dev, &st))
		TH_LOG("%s did not come back within 5 s of binding %s again: %s", self->f.dev,
		       self->device, strerror(errno));
}

/*
 * D28: unbinding nd_pmem under a mounted XFS whose file a process (without
 * early kill) maps: the unbind returns, the mapper gets BUS_MCEERR_AO at
 * its address before it, its next load SIGBUS, the kernel logs "Device is
 * about to be removed!", and the filesystem is shut down (EIO).
 */
TEST_F(unbind, unbind_while_mapped)
{
	struct hwp_fs *f = &self->f;
	struct mapper *m;
	int ready[2], go[2], kmsg, ret, status, i;
	struct hwp_sigbus first;
	char b = 1, page[HWP_PAGE];
	struct timespec t0, t1;
	pid_t pid;

	m = mapper_new();
	ASSERT_NE(NULL, m);
	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = mapper_child(f->fd, hwp_off(f, 0), MAPPED_PAGE, hwp_fill(MAPPED_PAGE), false, m,
			   ready, go);
	ASSERT_LE(0, pid) TH_LOG("fork: %s", strerror(errno));
	close(ready[1]);
	close(go[0]);
	if (wait_byte(ready[0])) {
		close(go[1]);
		ASSERT_TRUE(false) TH_LOG("the mapper did not get its page mapped: exit %d, step %d (%s)",
					  hwp_wait(pid), m->sb.step, strerror(m->sb.err));
	}

	kmsg = kmsg_open_at_end();
	ASSERT_LE(0, kmsg) TH_LOG("opening /dev/kmsg: %s", strerror(-kmsg));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = driver_write(self->driver, "unbind", self->device);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	self->unbound = ret == 0;
	TH_LOG("unbinding %s took %.3f s: %s", self->device,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       ret ? strerror(-ret) : "ok");
	/* The signal is on its way to a child blocked in read(): let it land. */
	for (i = 0; i < 200 && !m->sb.count; i++)
		usleep(10000);
	first = m->sb;
	if (write(go[1], &b, 1) != 1)
		TH_LOG("telling the mapper to load again: %s", strerror(errno));
	close(go[1]);
	close(ready[0]);
	status = hwp_wait(pid);
	TH_LOG("mapper (page at %p): after the unbind SIGBUS count %d, %s (si_code %d), si_addr %p, si_addr_lsb %d; exit %d, step %d; %d SIGBUS before loading again, %d in all; last: %s (si_code %d)",
	       (char *)m->sb.base + MAPPED_PAGE * HWP_PAGE, first.count,
	       hwp_si_code_name(first.code), first.code, first.addr, first.lsb, status,
	       m->sb.step, m->before, m->sb.count, hwp_si_code_name(m->sb.code), m->sb.code);
	ASSERT_EQ(0, ret) TH_LOG("writing %s to %s/unbind: %s", self->device, self->driver,
				 strerror(-ret));

	ret = kmsg_find(kmsg, "Device is about to be removed!");
	EXPECT_EQ(1, ret)
		TH_LOG("no \"Device is about to be removed!\" in the kernel log: kill_dax() did not send MF_MEM_PRE_REMOVE to XFS (drivers/dax/super.c:342, fs/xfs/xfs_notify_failure.c:244): %d",
		       ret);
	close(kmsg);
	EXPECT_EQ(1, m->before)
		TH_LOG("the mapper got %d SIGBUS by the time the unbind returned, expected one BUS_MCEERR_AO: with MF_MEM_PRE_REMOVE every mapper is collected, early kill or not (collect_procs_fsdax())",
		       m->before);
	EXPECT_EQ(BUS_MCEERR_AO, first.code)
		TH_LOG("the mapper's signal has si_code %s, expected BUS_MCEERR_AO", hwp_si_code_name(first.code));
	EXPECT_EQ((char *)m->sb.base + MAPPED_PAGE * HWP_PAGE, (char *)first.addr)
		TH_LOG("si_addr %p, expected the mapper's page %p", first.addr,
		       (char *)m->sb.base + MAPPED_PAGE * HWP_PAGE);
	EXPECT_EQ(15, status)
		TH_LOG("the mapper's load after the unbind %s (exit %d, step %d), expected SIGBUS: the page must be unmapped, and the shut-down filesystem cannot map it again",
		       status == 0 ? "read the page" : "did something else", status, m->sb.step);
	EXPECT_EQ(m->before + 1, m->sb.count);
	memset(page, 'z', sizeof(page));
	errno = 0;
	EXPECT_EQ(-1, pwrite(f->fd, page, sizeof(page), hwp_off(f, 0)))
		TH_LOG("pwrite to a file of the filesystem whose device was unbound succeeded");
	EXPECT_EQ(EIO, errno) TH_LOG("pwrite failed with %s, expected EIO: XFS must be shut down (SHUTDOWN_FORCE_UMOUNT)",
				     strerror(errno));
	munmap(m, HWP_PAGE);
}

TEST_HARNESS_MAIN
