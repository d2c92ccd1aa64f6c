/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The shadow of an NVDIMM backing file (the strict crash image) starts
 * as a copy of the file's first SIZE bytes: what it held when the guest
 * started is persistent. The backing file is mostly holes (a fresh
 * 1 GiB NVDIMM is one hole), so the copy keeps them holes instead of
 * writing a gigabyte of zeros: a reflink of the range where the file
 * system can (FICLONERANGE, else FICLONE of the whole file cut to
 * SIZE), else only the data extents (SEEK_DATA/SEEK_HOLE, each copied
 * with copy_file_range or, where that fails, pread/pwrite of the
 * blocks that are not all zeros).
 */
#ifndef DAXTEST_SHADOW_FILE_H
#define DAXTEST_SHADOW_FILE_H

#include <stdint.h>

/*
 * Makes dst, an empty file open for writing, size bytes long and equal
 * to the first size bytes of src. 0, or -1 with errno set (EINVAL: src
 * is shorter than size).
 */
int shadow_file_copy(int src, int dst, uint64_t size);

#endif /* DAXTEST_SHADOW_FILE_H */
