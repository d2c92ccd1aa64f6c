/* SPDX-License-Identifier: GPL-2.0 */
/*
 * FS_IOC_FIEMAP for the daxtest in-guest tests: where a byte of a file
 * lives on the device and whether its block is shared (reflinked).
 *
 * Functions return 0 (or the value documented next to them) on success and
 * a negative errno on failure.
 */
#ifndef DAXTEST_FIEMAP_H
#define DAXTEST_FIEMAP_H

#include <stddef.h>
#include <stdint.h>

struct fiemap_at {
	uint64_t physical;	/* device byte address of the byte asked for */
	uint32_t flags;		/* FIEMAP_EXTENT_* of the extent holding it */
};

/*
 * The extent holding byte off of fd, with FIEMAP_FLAG_SYNC: 0, or -ENODATA
 * if off is in a hole or beyond the last extent.
 */
int fiemap_lookup(int fd, uint64_t off, struct fiemap_at *at);
/* 1 if the extent holding byte off has FIEMAP_EXTENT_SHARED, 0 if not. */
int fiemap_shared(int fd, uint64_t off);
/* The number of extents fd has in [0, len). */
int fiemap_count(int fd, uint64_t len);
/* 1 if any extent of fd has FIEMAP_EXTENT_SHARED, 0 if none. */
int fiemap_any_shared(int fd);

struct fiemap_totals {
	size_t extents;
	size_t unwritten;	/* extents with FIEMAP_EXTENT_UNWRITTEN */
	uint64_t mapped;	/* bytes the extents cover */
};

/* Adds up every extent of fd, without FIEMAP_FLAG_SYNC (what is on
 * disk now): 0 or -errno. */
int fiemap_totals(int fd, struct fiemap_totals *t);

#endif /* DAXTEST_FIEMAP_H */
