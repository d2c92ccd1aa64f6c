// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the daxtest reflink tests; see reflink_fs.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "dax_fs.h"
#include "reflink_fs.h"

#define REFLINK_IO_CHUNK	4096

int reflink_mkfs_xfs(const char *dev, bool reflink)
{
	char *on[] = { "mkfs.xfs", "-f", "-q", "-b", "size=4096", "-m",
		       "reflink=1,rmapbt=1", (char *)dev, NULL };
	char *off[] = { "mkfs.xfs", "-f", "-q", "-b", "size=4096", "-m",
			"reflink=0,rmapbt=0", (char *)dev, NULL };

	return dax_run_tool(reflink ? on : off);
}

int reflink_clone(int src_fd, int dst_fd)
{
	if (ioctl(dst_fd, FICLONE, src_fd))
		return -errno;
	return 0;
}

int reflink_clone_range(int src_fd, off_t src_off, off_t len, int dst_fd,
			off_t dst_off)
{
	struct file_clone_range fcr = {
		.src_fd = src_fd,
		.src_offset = src_off,
		.src_length = len,
		.dest_offset = dst_off,
	};

	if (ioctl(dst_fd, FICLONERANGE, &fcr))
		return -errno;
	return 0;
}

int reflink_dedupe(int src_fd, off_t src_off, off_t len, int dst_fd,
		   off_t dst_off, int32_t *status, uint64_t *deduped)
{
	struct file_dedupe_range *fdr;
	int ret = 0;

	fdr = calloc(1, sizeof(*fdr) + sizeof(struct file_dedupe_range_info));
	if (!fdr)
		return -ENOMEM;
	fdr->src_offset = src_off;
	fdr->src_length = len;
	fdr->dest_count = 1;
	fdr->info[0].dest_fd = dst_fd;
	fdr->info[0].dest_offset = dst_off;
	if (ioctl(src_fd, FIDEDUPERANGE, fdr)) {
		ret = -errno;
	} else {
		*status = fdr->info[0].status;
		*deduped = fdr->info[0].bytes_deduped;
	}
	free(fdr);
	return ret;
}

unsigned char reflink_pattern(unsigned int seed, off_t pos)
{
	uint32_t x = (uint32_t)pos * 2654435761u ^ seed;

	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return x & 0xff;
}

unsigned int reflink_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned int)getpid() * 40503u ^ (unsigned int)ts.tv_nsec;
}

int reflink_write_pattern(int fd, off_t off, size_t len, unsigned int seed,
			  off_t pat_pos)
{
	unsigned char buf[REFLINK_IO_CHUNK];
	size_t done = 0, n, i;
	ssize_t w;

	while (done < len) {
		n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = reflink_pattern(seed, pat_pos + done + i);
		w = pwrite(fd, buf, n, off + done);
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		done += w;
	}
	return 0;
}

int reflink_create(int dirfd, const char *path, size_t len, unsigned int seed)
{
	int fd, ret;

	fd = openat(dirfd, path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	ret = reflink_write_pattern(fd, 0, len, seed, 0);
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

ssize_t reflink_mem_mismatch(const unsigned char *buf, size_t len,
			     unsigned int seed, off_t pat_pos)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != reflink_pattern(seed, pat_pos + i))
			return i;
	return -1;
}

int reflink_check_pattern(int fd, off_t off, size_t len, unsigned int seed,
			  off_t pat_pos, off_t *bad)
{
	unsigned char buf[REFLINK_IO_CHUNK];
	size_t done = 0, n;
	ssize_t r, i;

	while (done < len) {
		n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		r = pread(fd, buf, n, off + done);
		if (r < 0)
			return -errno;
		if (r == 0) {
			*bad = off + done;
			return 0;
		}
		i = reflink_mem_mismatch(buf, r, seed, pat_pos + done);
		if (i >= 0) {
			*bad = off + done + i;
			return 0;
		}
		done += r;
	}
	return 1;
}
