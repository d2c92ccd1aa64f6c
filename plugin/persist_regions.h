/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The NVDIMM regions the persistence plugin models, as its arguments
 * and the harness's regions file give them:
 *  - region=BASE:SIZE:LIVE:SHADOW, one plugin argument per region (LIVE
 *    holds no ':');
 *  - regions=PATH, a file the harness writes once QEMU, started paused,
 *    has told it the RAM-block offsets: one region a line,
 *	BASE SIZE LIVE SHADOW
 *    separated by blanks, paths without blanks; a field that starts
 *    with '#' starts a comment to the end of the line; blank lines are
 *    ignored; at least one region.
 * BASE is the RAM-block offset (pmem_model.h), SIZE the bytes modelled
 * from the start of the backing file LIVE (it may be shorter: the
 * NVDIMM label area at its end is not modelled), both in decimal or
 * 0x hex and multiples of 64, SIZE not 0. SHADOW is the file to create
 * as the crash image.
 *
 * The functions append to rs and return 0, or -1 with the reason in
 * err (NUL-terminated, cut to errlen) and rs as it was; nothing is
 * logged.
 */
#ifndef DAXTEST_PERSIST_REGIONS_H
#define DAXTEST_PERSIST_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#include "plugin/pmem_model.h"

#define PERSIST_REGION_PATH	4096	/* bytes for a path, NUL included */

struct persist_region_spec {
	uint64_t base, size;
	char live[PERSIST_REGION_PATH];
	char shadow[PERSIST_REGION_PATH];
};

struct persist_regions {
	struct persist_region_spec r[PMEM_MAX_REGIONS];
	size_t n;
};

/* One region= argument: BASE:SIZE:LIVE:SHADOW. */
int persist_regions_add_spec(struct persist_regions *rs, const char *spec, char *err,
			     size_t errlen);
/* The text of a regions file; err names the line. */
int persist_regions_parse(struct persist_regions *rs, const char *text, char *err,
			  size_t errlen);
/* A regions file; err names the file and the line. */
int persist_regions_read(struct persist_regions *rs, const char *path, char *err,
			 size_t errlen);

#endif /* DAXTEST_PERSIST_REGIONS_H */
