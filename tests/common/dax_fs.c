// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the daxtest in-guest tests; see dax_fs.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dax_fs.h"

#define DAX_IO_CHUNK	4096
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *dax_fs_name(enum dax_fs_type type)
{
	return type == DAX_FS_XFS ? "xfs" : "ext4";
}

const char *dax_mount_option(enum dax_mount_mode mode)
{
	switch (mode) {
	case DAX_MOUNT_ALWAYS:
		return "dax=always";
	case DAX_MOUNT_NEVER:
		return "dax=never";
	case DAX_MOUNT_INODE:
		return "dax=inode";
	case DAX_MOUNT_DEFAULT:
		break;
	}
	return NULL;
}

/* execvp(), then the sbin directories a minimal PATH may lack. */
static void exec_tool(char *const argv[])
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin" };
	char path[PATH_MAX];
	size_t i;

	execvp(argv[0], argv);
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], argv[0]);
		execv(path, argv);
	}
	fprintf(stderr, "# cannot run %s: %s\n", argv[0], strerror(errno));
}

int dax_run_tool(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		exec_tool(argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int dax_mkfs(enum dax_fs_type type, const char *dev, unsigned int blocksize)
{
	char bs[32], xfs_bs[48];
	char *xfs[] = { "mkfs.xfs", "-f", "-q", "-b", xfs_bs, (char *)dev, NULL };
	char *ext4[] = { "mkfs.ext4", "-F", "-q", "-b", bs, (char *)dev, NULL };

	if (!blocksize)
		blocksize = 4096;
	snprintf(bs, sizeof(bs), "%u", blocksize);
	snprintf(xfs_bs, sizeof(xfs_bs), "size=%u", blocksize);
	return dax_run_tool(type == DAX_FS_XFS ? xfs : ext4);
}

int dax_mount(enum dax_fs_type type, const char *dev, const char *dir,
	      enum dax_mount_mode mode)
{
	if (mount(dev, dir, dax_fs_name(type), 0, dax_mount_option(mode)))
		return -errno;
	return 0;
}

int dax_umount(const char *dir)
{
	if (!umount(dir))
		return 0;
	if (errno != EBUSY)
		return -errno;
	if (umount2(dir, MNT_DETACH))
		return -errno;
	return 0;
}

int dax_mount_cleanup(const char *dir, bool mounted, const char **step)
{
	int ret = mounted ? dax_umount(dir) : 0;

	*step = "umount";
	if (rmdir(dir) && !ret) {
		ret = -errno;
		*step = "rmdir";
	}
	return ret;
}

/* Reads the first byte of a sysfs attribute. */
static int read_sysfs_char(const char *path, char *c)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (read(fd, c, 1) != 1)
		ret = errno ? -errno : -EIO;
	close(fd);
	return ret;
}

int dax_bdev_has_dax(const char *dev)
{
	char path[PATH_MAX], c;
	struct stat st;
	int ret;

	if (stat(dev, &st))
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/queue/dax",
		 major(st.st_rdev), minor(st.st_rdev));
	ret = read_sysfs_char(path, &c);
	if (ret == -ENOENT) {
		/* A partition: the queue belongs to the whole disk above it. */
		snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/../queue/dax",
			 major(st.st_rdev), minor(st.st_rdev));
		ret = read_sysfs_char(path, &c);
	}
	if (ret)
		return ret;
	return c == '1';
}

int dax_cell_device(char *dev, size_t len, char *why, size_t whylen)
{
	const char *env = getenv("DAXTEST_PMEM");
	struct stat st;

	if (!env || !*env) {
		snprintf(why, whylen, "DAXTEST_PMEM is not set: no pmem block device to test on");
		return -ENODEV;
	}
	if (stat(env, &st) || !S_ISBLK(st.st_mode)) {
		snprintf(why, whylen, "DAXTEST_PMEM=%s is not a block device", env);
		return -ENODEV;
	}
	if (strlen(env) >= len) {
		snprintf(why, whylen, "DAXTEST_PMEM=%.64s... is too long", env);
		return -ENODEV;
	}
	snprintf(dev, len, "%s", env);
	return dax_bdev_has_dax(dev);
}

bool dax_cell_named(void)
{
	const char *cell = getenv("DAXTEST_CELL");

	return cell && *cell;
}

int dax_kernel_at_least(unsigned int major, unsigned int minor)
{
	unsigned int ma, mi;
	struct utsname u;

	if (uname(&u))
		return -errno;
	if (sscanf(u.release, "%u.%u", &ma, &mi) != 2)
		return -EINVAL;
	return ma > major || (ma == major && mi >= minor);
}

int dax_has_cap(unsigned int cap)
{
	unsigned long long eff = 0;
	char line[256];
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &eff) == 1;
	fclose(f);
	if (!found || cap >= 64)
		return -EINVAL;
	return !!(eff & (1ULL << cap));
}

const char *dax_cell_name(void)
{
	const char *cell = getenv("DAXTEST_CELL");

	return cell && *cell ? cell : "no matrix cell";
}

static int statx_attrs(int dirfd, const char *path, struct statx *stx)
{
	if (statx(dirfd, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, stx))
		return -errno;
	return 0;
}

int dax_s_dax(int dirfd, const char *path)
{
	struct statx stx;
	int ret;

	ret = statx_attrs(dirfd, path, &stx);
	if (ret)
		return ret;
	return !!(stx.stx_attributes & STATX_ATTR_DAX);
}

int dax_s_dax_in_mask(int dirfd, const char *path)
{
	struct statx stx;
	int ret;

	ret = statx_attrs(dirfd, path, &stx);
	if (ret)
		return ret;
	return !!(stx.stx_attributes_mask & STATX_ATTR_DAX);
}

int dax_xflag_get(int fd)
{
	struct fsxattr fsx;

	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx))
		return -errno;
	return !!(fsx.fsx_xflags & FS_XFLAG_DAX);
}

int dax_xflag_set(int fd, bool on)
{
	struct fsxattr fsx;

	if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx))
		return -errno;
	if (on)
		fsx.fsx_xflags |= FS_XFLAG_DAX;
	else
		fsx.fsx_xflags &= ~FS_XFLAG_DAX;
	if (ioctl(fd, FS_IOC_FSSETXATTR, &fsx))
		return -errno;
	return 0;
}

int dax_fl_get(int fd)
{
	int flags;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		return -errno;
	return !!(flags & FS_DAX_FL);
}

int dax_fl_set(int fd, bool on)
{
	int flags;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		return -errno;
	if (on)
		flags |= FS_DAX_FL;
	else
		flags &= ~FS_DAX_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags))
		return -errno;
	return 0;
}

int dax_xflag_get_at(int dirfd, const char *path)
{
	int fd, ret;

	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = dax_xflag_get(fd);
	close(fd);
	return ret;
}

int dax_xflag_set_at(int dirfd, const char *path, bool on)
{
	int fd, ret;

	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = dax_xflag_set(fd, on);
	close(fd);
	return ret;
}

int dax_mkdir(int dirfd, const char *path, bool flag)
{
	if (mkdirat(dirfd, path, 0755))
		return -errno;
	return flag ? dax_xflag_set_at(dirfd, path, true) : 0;
}

int dax_create_file(int dirfd, const char *path, char c, size_t len)
{
	char buf[DAX_IO_CHUNK];
	size_t done = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	memset(buf, c, sizeof(buf));
	while (done < len) {
		n = write(fd, buf, len - done < sizeof(buf) ? len - done : sizeof(buf));
		if (n <= 0) {
			ret = n < 0 ? -errno : -EIO;
			goto out;
		}
		done += n;
	}
out:
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* 1 if the next len bytes of fd are all c, 0 if not (or the file is short). */
static int fd_has(int fd, char c, size_t len)
{
	char buf[DAX_IO_CHUNK];
	size_t done = 0, i;
	ssize_t n;

	while (done < len) {
		n = read(fd, buf, len - done < sizeof(buf) ? len - done : sizeof(buf));
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (i = 0; i < (size_t)n; i++)
			if (buf[i] != c)
				return 0;
		done += n;
	}
	return 1;
}

int dax_file_has(int dirfd, const char *path, char c, size_t len)
{
	struct stat st;
	int fd, ret;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	ret = (size_t)st.st_size == len ? fd_has(fd, c, len) : 0;
out:
	close(fd);
	return ret;
}

int dax_drop_inodes(void)
{
	int fd, ret = 0;

	fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, "2", 1) != 1)
		ret = -errno;
	close(fd);
	return ret;
}
