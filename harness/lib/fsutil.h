/* SPDX-License-Identifier: GPL-2.0 */
/*
 * File and path helpers used across the runner.
 */
#ifndef DAXTEST_FSUTIL_H
#define DAXTEST_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* malloc'd "a/b"; NULL on allocation failure. */
char *path_join(const char *a, const char *b);
/* malloc'd printf result, or NULL. */
char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf into buf of size bytes (an error message for a caller); none
 * when size is 0. */
void str_set(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int mkdir_p(const char *path, mode_t mode);
bool path_is_dir(const char *path);
bool path_is_file(const char *path);
bool path_is_executable(const char *path);
/* Reads a whole file, NUL-terminated. Returns 0 or -errno. */
int read_file(const char *path, char **data, size_t *len);
/* Writes data to path via a temporary file and rename. 0 or -errno. */
int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode);
int copy_file(const char *src, const char *dst, mode_t mode);
/*
 * dst as a copy of src that keeps src's holes: a reflink where the file
 * system has them (btrfs, XFS), else only src's data extents
 * (SEEK_DATA/SEEK_HOLE, copy_file_range or read/write; plugin/shadow_file.h).
 * Made under a temporary name in dst's directory (mode, less the umask)
 * and renamed over dst: always a new inode, so a QEMU still mapping the
 * old dst keeps what it had. 0 or -errno (-EINVAL: src is not a regular
 * file); no temporary file is left behind.
 */
int copy_sparse(const char *src, const char *dst, mode_t mode);
/* rm -rf; 0 or -errno. */
int remove_tree(const char *path);
/* Strips trailing whitespace in place, returns s. */
char *str_rstrip(char *s);

#endif /* DAXTEST_FSUTIL_H */
