// SPDX-License-Identifier: GPL-2.0
/*
 * immutable - what FS_IMMUTABLE_FL stops, and what fds and mappings from before it still do
 *
 * Behaviour C19 of the daxtest spec. Setting or clearing the flag needs
 * CAP_LINUX_IMMUTABLE (fileattr_set_prepare(), fs/ioctl.c:591-595;
 * generic/545, generic/555). Once it is set, open() for writing fails
 * with EPERM (inode_permission(), fs/namei.c:528), and so do
 * copy_file_range() and a clone into the file (fs/read_write.c:1540,
 * fs/remap_range.c:288; generic/553).
 *
 * An fd or mapping opened before the flag was set is checked only where
 * the filesystem checks: ext4 refuses writes (ext4_generic_write_checks(),
 * fs/ext4/file.c:249) and truncation (ext4_setattr(), fs/ext4/inode.c:5463)
 * with EPERM, and a store through a mapping of a page-cache file gets
 * SIGBUS with BUS_ADRERR from ext4_page_mkwrite() (fs/ext4/inode.c:6271).
 * Those checks came together ("ext4: don't allow any modifications to an
 * immutable file"): ext4 promises that nothing modifies an immutable
 * file, so the test expects the same SIGBUS with DAX. ext4's DAX fault
 * handler (ext4_dax_huge_fault(), fs/ext4/file.c:709) has no such check
 * and 6.12 lets the store through: a known failure (tests/known/6.12.txt)
 * of old_mapping_store alone, so the other checks still run. XFS checks
 * nothing of the kind: pwrite, ftruncate and stores all succeed, DAX or
 * not. A new shared writable mapping of the old fd succeeds everywhere:
 * do_mmap() checks only IS_APPEND (mm/mmap.c:407-408).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "pmem_mnt.h"

#define FILE_SIZE	(2 * MiB)
#define PAGE		4096UL

/* Exit codes of the forked children. */
#define CHILD_OK	0
#define CHILD_SETUP	90	/* the child could not do its preparation */
#define CHILD_SIGBUS	100	/* + si_code */

FIXTURE(immut) {
	struct pmem_mnt m;
};

FIXTURE_VARIANT(immut) {
	enum dax_fs_type fs;
	const char *opts;
	bool dax;		/* a new file gets S_DAX */
	bool old_fd_eperm;	/* pwrite/ftruncate on an fd from before +i fail */
	bool store_sigbus;	/* a store through a mapping from before +i faults */
	int clone_err;		/* FICLONE into the +i file */
};

/* XFS: no immutable checks on an open fd or a mapping; clone reaches the check. */
FIXTURE_VARIANT_ADD(immut, xfs_never) {
	.fs = DAX_FS_XFS, .opts = "dax=never", .dax = false,
	.old_fd_eperm = false, .store_sigbus = false, .clone_err = EPERM,
};

FIXTURE_VARIANT_ADD(immut, xfs_always) {
	.fs = DAX_FS_XFS, .opts = "dax=always", .dax = true,
	.old_fd_eperm = false, .store_sigbus = false, .clone_err = EPERM,
};

/*
 * ext4 has no ->remap_file_range: a clone fails with EOPNOTSUPP before any
 * immutable check (vfs_clone_file_range(), fs/remap_range.c:391-392).
 */
FIXTURE_VARIANT_ADD(immut, ext4_never) {
	.fs = DAX_FS_EXT4, .opts = "dax=never", .dax = false,
	.old_fd_eperm = true, .store_sigbus = true, .clone_err = EOPNOTSUPP,
};

/* ext4 with DAX: as without (6.12 lets the store through, see above). */
FIXTURE_VARIANT_ADD(immut, ext4_always) {
	.fs = DAX_FS_EXT4, .opts = "dax=always", .dax = true,
	.old_fd_eperm = true, .store_sigbus = true, .clone_err = EOPNOTSUPP,
};

FIXTURE_SETUP(immut)
{
	int fd, ret;

	pmem_mnt_setup(_metadata, &self->m, variant->fs,
		       variant->opts, variant->dax);
	if (ksft_test_stopped(_metadata))
		return;
	fd = pmem_create_sized(self->m.root, "file", FILE_SIZE);
	ASSERT_LE(0, fd) TH_LOG("creating the file: %s", strerror(-fd));
	close(fd);
	ret = dax_s_dax(self->m.root, "file");
	ASSERT_EQ(variant->dax, ret)
		TH_LOG("precondition: a new file under %s %s has S_DAX %d, expected %d",
		       dax_fs_name(variant->fs), variant->opts, ret, variant->dax);
}

/* Sets or clears FS_IMMUTABLE_FL on fd: 0 or -errno. */
static int set_immutable(int fd, bool on)
{
	int flags;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		return -errno;
	flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags))
		return -errno;
	return 0;
}

/* FS_IMMUTABLE_FL of dirfd/path: 1, 0, or -errno. */
static int get_immutable_at(int dirfd, const char *path)
{
	int fd, flags, ret = 0;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		ret = -errno;
	close(fd);
	return ret ? ret : !!(flags & FS_IMMUTABLE_FL);
}

static int set_immutable_at(int dirfd, const char *path, bool on)
{
	int fd, ret;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = set_immutable(fd, on);
	close(fd);
	return ret;
}

/*
 * Clears +i again, or the file could never be removed or written. This
 * runs in the harness's parent process, which does not share the test
 * process's root fd: go by the path.
 */
FIXTURE_TEARDOWN_PARENT(immut)
{
	char path[sizeof(self->m.mnt) + 8];
	int ret;

	_metadata->trigger = 0;		/* as in pmem_mnt_teardown() */
	if (self->m.mounted) {
		snprintf(path, sizeof(path), "%s/file", self->m.mnt);
		ret = set_immutable_at(AT_FDCWD, path, false);
		EXPECT_TRUE(ret == 0 || ret == -ENOENT)
			TH_LOG("clearing FS_IMMUTABLE_FL of %s: %s", path, strerror(-ret));
	}
	pmem_mnt_teardown(_metadata, &self->m);
}

#define SET_IMMUTABLE(fd) do { \
	int _ret = set_immutable(fd, true); \
	ASSERT_EQ(0, _ret) TH_LOG("setting FS_IMMUTABLE_FL as root: %s", strerror(-_ret)); \
} while (0)

/* In a child: drops CAP_LINUX_IMMUTABLE from the effective set, then sets +i. */
static int child_set_without_cap(int fd)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	int ret;

	if (syscall(SYS_capget, &hdr, data))
		return CHILD_SETUP;
	data[CAP_TO_INDEX(CAP_LINUX_IMMUTABLE)].effective &= ~CAP_TO_MASK(CAP_LINUX_IMMUTABLE);
	if (syscall(SYS_capset, &hdr, data))
		return CHILD_SETUP;
	ret = set_immutable(fd, true);
	return ret ? -ret : CHILD_OK;
}

/* C19: +i needs CAP_LINUX_IMMUTABLE; with it, the flag is set */
TEST_F(immut, needs_cap_linux_immutable)
{
	int fd, status, ret;
	pid_t pid;

	fd = openat(self->m.root, "file", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_set_without_cap(fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == CHILD_SETUP)
		SKIP(goto out, "cannot drop CAP_LINUX_IMMUTABLE with capset(): %s",
		     "not root, or capabilities are not supported");
	EXPECT_EQ(EPERM, WEXITSTATUS(status))
		TH_LOG("FS_IOC_SETFLAGS +i without CAP_LINUX_IMMUTABLE: %s, expected EPERM (fs/ioctl.c:591-595)",
		       WEXITSTATUS(status) ? strerror(WEXITSTATUS(status)) : "success");
	ret = get_immutable_at(self->m.root, "file");
	EXPECT_EQ(0, ret) TH_LOG("the refused FS_IOC_SETFLAGS left FS_IMMUTABLE_FL %d", ret);

	SET_IMMUTABLE(fd);
	ret = get_immutable_at(self->m.root, "file");
	EXPECT_EQ(1, ret) TH_LOG("FS_IMMUTABLE_FL reads %d after setting it", ret);
out:
	close(fd);
}

/* Expects the syscall result ret (-1 with errno, or not) to be a failure with err. */
#define EXPECT_ERRNO(err, ret, what, why) do { \
	int _e = errno; \
	EXPECT_EQ(-1, (long)(ret)) \
		TH_LOG("%s %s on the +i file succeeded, expected %s (%s)", \
		       dax_fs_name(variant->fs), what, strerror(err), why); \
	if ((ret) == -1) { \
		EXPECT_EQ(err, _e) \
			TH_LOG("%s %s on the +i file: %s, expected %s (%s)", \
			       dax_fs_name(variant->fs), what, strerror(_e), \
			       strerror(err), why); \
	} \
} while (0)

/* C19: after +i, no new writer: open for write, copy_file_range and FICLONE into it fail */
TEST_F(immut, no_new_writers)
{
	int fd, src, dst;
	long ret;

	ASSERT_EQ(0, dax_create_file(self->m.root, "src", 's', PAGE));
	src = openat(self->m.root, "src", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, src);
	/* The destination fd is opened for writing while that is still allowed. */
	dst = openat(self->m.root, "file", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, dst);
	SET_IMMUTABLE(dst);

	errno = 0;
	fd = openat(self->m.root, "file", O_WRONLY | O_CLOEXEC);
	EXPECT_ERRNO(EPERM, fd, "open(O_WRONLY)", "fs/namei.c:528");
	if (fd >= 0)
		close(fd);
	errno = 0;
	fd = openat(self->m.root, "file", O_RDWR | O_CLOEXEC);
	EXPECT_ERRNO(EPERM, fd, "open(O_RDWR)", "fs/namei.c:528");
	if (fd >= 0)
		close(fd);

	errno = 0;
	ret = copy_file_range(src, NULL, dst, NULL, PAGE, 0);
	EXPECT_ERRNO(EPERM, ret, "copy_file_range()", "fs/read_write.c:1540");

	errno = 0;
	ret = ioctl(dst, FICLONE, src);
	EXPECT_ERRNO(variant->clone_err, ret, "FICLONE",
		     variant->clone_err == EPERM ? "fs/remap_range.c:288" :
		     "ext4 has no ->remap_file_range, fs/remap_range.c:391-392");
	close(dst);
	close(src);
}

/* In a child: stores to map; CHILD_OK, or CHILD_SIGBUS + si_code. */
static void sigbus_exit(int sig, siginfo_t *si, void *uc)
{
	_exit(CHILD_SIGBUS + si->si_code);
}

static int child_store(volatile char *map)
{
	struct sigaction sa = { .sa_sigaction = sigbus_exit, .sa_flags = SA_SIGINFO };

	if (sigaction(SIGBUS, &sa, NULL))
		return CHILD_SETUP;
	map[0] = 'w';
	return CHILD_OK;
}

/*
 * C19: a store through a mapping made (and read-faulted) before +i. It
 * runs in a child this test owns, so a SIGBUS is the child's and can be
 * checked.
 */
TEST_F(immut, old_mapping_store)
{
	int fd, status;
	char *map, c;
	pid_t pid;

	fd = openat(self->m.root, "file", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map) TH_LOG("mmap: %s", strerror(errno));
	/* A read fault only: the first write fault comes after +i. */
	c = map[0];
	ASSERT_EQ(0, c);
	SET_IMMUTABLE(fd);

	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(child_store(map));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status)) TH_LOG("the storing child died of signal %d",
					      WTERMSIG(status));
	ASSERT_NE(CHILD_SETUP, WEXITSTATUS(status))
		TH_LOG("the storing child could not install its SIGBUS handler");
	if (variant->store_sigbus) {
		EXPECT_EQ(CHILD_SIGBUS + BUS_ADRERR, WEXITSTATUS(status))
			TH_LOG("%s %s: a store through a mapping from before +i %s, expected SIGBUS with BUS_ADRERR (ext4_page_mkwrite(), fs/ext4/inode.c:6271%s)",
			       dax_fs_name(variant->fs), variant->opts,
			       WEXITSTATUS(status) == CHILD_OK ? "succeeded" : "got SIGBUS with another si_code",
			       variant->dax ? "; ext4_dax_huge_fault(), fs/ext4/file.c:709, has no immutable check" : "");
		EXPECT_EQ(0, map[0]) TH_LOG("the refused store is in the shared mapping");
	} else {
		EXPECT_EQ(CHILD_OK, WEXITSTATUS(status))
			TH_LOG("%s %s: a store through a mapping from before +i got SIGBUS (si_code %d), expected success: %s",
			       dax_fs_name(variant->fs), variant->opts,
			       WEXITSTATUS(status) - CHILD_SIGBUS,
			       variant->fs == DAX_FS_XFS ? "XFS has no immutable check in its fault path" :
			       "ext4_dax_huge_fault() has no immutable check (fs/ext4/file.c:709)");
		EXPECT_EQ('w', map[0]) TH_LOG("the child's store is not in the shared mapping");
	}
	munmap(map, FILE_SIZE);
	close(fd);
}

/* C19: writes, truncation and a new mapping through an fd from before +i. */
TEST_F(immut, old_fd)
{
	char *map2;
	int fd, ret;

	fd = openat(self->m.root, "file", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	SET_IMMUTABLE(fd);

	errno = 0;
	ret = pwrite(fd, "p", 1, PAGE);
	if (variant->old_fd_eperm) {
		EXPECT_ERRNO(EPERM, ret, "pwrite() on an fd from before +i",
			     "ext4_generic_write_checks(), fs/ext4/file.c:249");
	} else {
		EXPECT_EQ(1, ret) TH_LOG("xfs pwrite() on an fd from before +i: %s, expected success: XFS does not check",
					 strerror(errno));
	}

	errno = 0;
	ret = ftruncate(fd, FILE_SIZE + PAGE);
	if (variant->old_fd_eperm) {
		EXPECT_ERRNO(EPERM, ret, "ftruncate() on an fd from before +i",
			     "ext4_setattr(), fs/ext4/inode.c:5463");
	} else {
		EXPECT_EQ(0, ret) TH_LOG("xfs ftruncate() on an fd from before +i: %s, expected success: XFS does not check",
					 strerror(errno));
	}

	/* do_mmap() checks IS_APPEND only (mm/mmap.c:407-408). */
	map2 = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, map2)
		TH_LOG("%s: a new shared writable mmap of an fd from before +i: %s, expected success",
		       dax_fs_name(variant->fs), strerror(errno));
	if (map2 != MAP_FAILED)
		munmap(map2, PAGE);
	close(fd);
}

TEST_HARNESS_MAIN
