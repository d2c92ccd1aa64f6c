// SPDX-License-Identifier: GPL-2.0
/*
 * shadow_file.c - a copy of a sparse file's first bytes that keeps its holes
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include "plugin/shadow_file.h"

#define CHUNK	(1 << 20)	/* bytes per pread/pwrite */

/* A reflink of [0, size): shares the blocks, holes stay holes. */
static int clone_range(int src, int dst, uint64_t size, uint64_t src_size)
{
	struct file_clone_range r = {
		.src_fd = src, .src_offset = 0, .src_length = size, .dest_offset = 0,
	};

	if (!ioctl(dst, FICLONERANGE, &r))
		return ftruncate(dst, (off_t)size);
	/* SIZE not block-aligned: the whole file, then cut (the blocks stay
	 * shared); not when the file system has no reflinks at all. */
	if (errno == EINVAL && size < src_size && !ioctl(dst, FICLONE, src))
		return ftruncate(dst, (off_t)size);
	return -1;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

static int pwrite_all(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!w)
				errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

/* [off, off + len) by hand; blocks of zeros are left as dst's hole. */
static int copy_by_hand(int src, int dst, uint64_t off, uint64_t len)
{
	uint8_t *buf = malloc(CHUNK);
	int ret = -1;

	if (!buf)
		return -1;
	while (len) {
		ssize_t n = pread(src, buf, len < CHUNK ? len : CHUNK, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;	/* src shrank under us */
			goto out;
		}
		if (!all_zero(buf, (size_t)n) && pwrite_all(dst, buf, (size_t)n, off) < 0)
			goto out;
		off += (uint64_t)n;
		len -= (uint64_t)n;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

/* One data extent, [off, off + len), at the same offset in dst. */
static int copy_extent(int src, int dst, uint64_t off, uint64_t len)
{
	loff_t in = (loff_t)off, out = (loff_t)off;

	while (len) {
		ssize_t n = copy_file_range(src, &in, dst, &out, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			/* EXDEV, ENOSYS, EOPNOTSUPP...: the rest by hand. */
			return copy_by_hand(src, dst, (uint64_t)in, len);
		len -= (uint64_t)n;
	}
	return 0;
}

/* The data extents of [0, size) (all of it where SEEK_DATA is unknown). */
static int copy_extents(int src, int dst, uint64_t size)
{
	uint64_t off = 0;

	if (ftruncate(dst, (off_t)size) < 0)
		return -1;
	while (off < size) {
		off_t data = lseek(src, (off_t)off, SEEK_DATA), hole;

		if (data < 0 && errno == ENXIO)
			return 0;	/* only a hole from off on */
		if (data < 0)
			return errno == EINVAL ? copy_extent(src, dst, off, size - off) : -1;
		if ((uint64_t)data >= size)
			return 0;
		hole = lseek(src, data, SEEK_HOLE);
		if (hole < 0 || (uint64_t)hole > size)
			hole = (off_t)size;
		if (copy_extent(src, dst, (uint64_t)data, (uint64_t)(hole - data)) < 0)
			return -1;
		off = (uint64_t)hole;
	}
	return 0;
}

int shadow_file_copy(int src, int dst, uint64_t size)
{
	struct stat s;

	if (fstat(src, &s) < 0)
		return -1;
	if ((uint64_t)s.st_size < size) {
		errno = EINVAL;
		return -1;
	}
	if (!clone_range(src, dst, size, (uint64_t)s.st_size))
		return 0;
	return copy_extents(src, dst, size);
}
