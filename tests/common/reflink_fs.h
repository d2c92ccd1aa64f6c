/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the daxtest reflink tests: an XFS with reflink and rmapbt,
 * the three remap ioctls (FICLONE, FICLONERANGE, FIDEDUPERANGE), file
 * data in a position-dependent pattern, and the kernel log.
 *
 * The pattern, not a constant byte, is what the tests write and compare:
 * mkfs does not clear data blocks, so a block a buggy kernel hands out
 * may still hold a constant byte some earlier test wrote there; a pattern
 * keyed by a per-test seed cannot come back by accident.
 *
 * Functions return 0 (or the value documented next to them) on success and
 * a negative errno on failure.
 */
#ifndef DAXTEST_REFLINK_FS_H
#define DAXTEST_REFLINK_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * XFS keeps S_DAX on reflinked inodes since "xfs: remove restrictions for
 * fsdax and reflink" (v6.2); before, xfs_inode_supports_dax() refused
 * them (6.1 xfs_iops.c:1189), so a reflinked file read back from disk
 * lost DAX. 1 when the running kernel keeps it, 0 when it drops it.
 */
#define REFLINK_DAX_KEPT_SINCE_MAJOR	6
#define REFLINK_DAX_KEPT_SINCE_MINOR	2

/*
 * "mkfs.xfs -f -q -b size=4096 -m reflink=R,rmapbt=R dev", R = 1 or 0:
 * 0, the tool's non-zero exit status, or -errno.
 */
int reflink_mkfs_xfs(const char *dev, bool reflink);

/* FICLONE: dst_fd gets all of src_fd's blocks. */
int reflink_clone(int src_fd, int dst_fd);
/* FICLONERANGE: [src_off, src_off + len) of src_fd at dst_off of dst_fd. */
int reflink_clone_range(int src_fd, off_t src_off, off_t len, int dst_fd,
			off_t dst_off);
/*
 * FIDEDUPERANGE with one destination: 0 if the ioctl succeeded, with the
 * kernel's status (FILE_DEDUPE_RANGE_SAME, _DIFFERS or -errno) in *status
 * and bytes_deduped in *deduped; or the ioctl's -errno.
 */
int reflink_dedupe(int src_fd, off_t src_off, off_t len, int dst_fd,
		   off_t dst_off, int32_t *status, uint64_t *deduped);

/* Byte pos of the test pattern with this seed. */
unsigned char reflink_pattern(unsigned int seed, off_t pos);
/* A seed for this test process's pattern. */
unsigned int reflink_seed(void);
/* Writes pattern bytes [pat_pos, pat_pos + len) at offset off of fd. */
int reflink_write_pattern(int fd, off_t off, size_t len, unsigned int seed,
			  off_t pat_pos);
/* Creates dirfd/path (O_EXCL, 0644) holding pattern bytes [0, len). */
int reflink_create(int dirfd, const char *path, size_t len, unsigned int seed);
/*
 * Compares len bytes at offset off of fd with pattern bytes starting at
 * pat_pos: 1 if they match, 0 if not, with the first offset of fd that
 * differs (or is beyond the end) in *bad.
 */
int reflink_check_pattern(int fd, off_t off, size_t len, unsigned int seed,
			  off_t pat_pos, off_t *bad);
/* As reflink_check_pattern() on memory: -1 if buf matches, else the first index that differs. */
ssize_t reflink_mem_mismatch(const unsigned char *buf, size_t len,
			     unsigned int seed, off_t pat_pos);


#endif /* DAXTEST_REFLINK_FS_H */
