// SPDX-License-Identifier: GPL-2.0
/*
 * FS_IOC_FIEMAP helpers for the daxtest in-guest tests; see fiemap.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fiemap.h"

#define FIEMAP_MAX_EXTENTS	256

/* FS_IOC_FIEMAP over [start, start + len), room for count extents: the reply or NULL. */
static struct fiemap *fiemap_get(int fd, uint64_t start, uint64_t len,
				 unsigned int count, int *err)
{
	struct fiemap *fm;

	fm = calloc(1, sizeof(*fm) + count * sizeof(struct fiemap_extent));
	if (!fm) {
		*err = -ENOMEM;
		return NULL;
	}
	fm->fm_start = start;
	fm->fm_length = len;
	fm->fm_flags = FIEMAP_FLAG_SYNC;
	fm->fm_extent_count = count;
	if (ioctl(fd, FS_IOC_FIEMAP, fm)) {
		*err = -errno;
		free(fm);
		return NULL;
	}
	return fm;
}

int fiemap_lookup(int fd, uint64_t off, struct fiemap_at *at)
{
	struct fiemap_extent *fe;
	struct fiemap *fm;
	int ret = -ENODATA;
	unsigned int i;

	fm = fiemap_get(fd, off, 1, FIEMAP_MAX_EXTENTS, &ret);
	if (!fm)
		return ret;
	for (i = 0; i < fm->fm_mapped_extents; i++) {
		fe = &fm->fm_extents[i];
		if (off < fe->fe_logical || off >= fe->fe_logical + fe->fe_length)
			continue;
		at->physical = fe->fe_physical + (off - fe->fe_logical);
		at->flags = fe->fe_flags;
		ret = 0;
		break;
	}
	free(fm);
	return ret;
}

int fiemap_shared(int fd, uint64_t off)
{
	struct fiemap_at at;
	int ret;

	ret = fiemap_lookup(fd, off, &at);
	if (ret)
		return ret;
	return !!(at.flags & FIEMAP_EXTENT_SHARED);
}

int fiemap_count(int fd, uint64_t len)
{
	struct fiemap *fm;
	int ret = 0;

	/* fm_extent_count 0: the kernel only counts the extents. */
	fm = fiemap_get(fd, 0, len, 0, &ret);
	if (!fm)
		return ret;
	ret = fm->fm_mapped_extents;
	free(fm);
	return ret;
}

int fiemap_any_shared(int fd)
{
	struct fiemap *fm;
	unsigned int i;
	int ret = 0;

	fm = fiemap_get(fd, 0, FIEMAP_MAX_OFFSET, FIEMAP_MAX_EXTENTS, &ret);
	if (!fm)
		return ret;
	for (i = 0; i < fm->fm_mapped_extents; i++)
		if (fm->fm_extents[i].fe_flags & FIEMAP_EXTENT_SHARED)
			ret = 1;
	free(fm);
	return ret;
}

#define TOTALS_BATCH	32

int fiemap_totals(int fd, struct fiemap_totals *t)
{
	char buf[sizeof(struct fiemap) + TOTALS_BATCH * sizeof(struct fiemap_extent)];
	struct fiemap *fm = (struct fiemap *)buf;
	struct fiemap_extent *fe;
	uint64_t start = 0;
	unsigned int i;

	memset(t, 0, sizeof(*t));
	for (;;) {
		memset(buf, 0, sizeof(buf));
		fm->fm_start = start;
		fm->fm_length = FIEMAP_MAX_OFFSET - start;
		fm->fm_extent_count = TOTALS_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm))
			return -errno;
		if (!fm->fm_mapped_extents)
			return 0;
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			fe = &fm->fm_extents[i];
			t->extents++;
			t->mapped += fe->fe_length;
			if (fe->fe_flags & FIEMAP_EXTENT_UNWRITTEN)
				t->unwritten++;
			if (fe->fe_flags & FIEMAP_EXTENT_LAST)
				return 0;
		}
		start = fe->fe_logical + fe->fe_length;
	}
}
