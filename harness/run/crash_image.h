/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The crash image after a power cut: the NVDIMM backing files as they
 * would be had the power really failed, for the verify guest to boot on.
 *
 * While the guest runs, the persistence plugin (plugin/persist_plugin.c)
 * keeps, for each NVDIMM backing file ("live": every store the guest
 * made), a shadow file holding only what reached persistence, and a
 * journal (proto/persist_meta.h) saying who stored and flushed each
 * 64-byte line. After QEMU was SIGKILLed, a line whose live bytes differ
 * from the shadow's is a line the cut may lose: it was stored but not
 * (yet) flushed and fenced.
 *
 *  - CRASH_STRICT: every such line is lost: the shadow's bytes are
 *    written over the live ones (the plugin's strict crash image);
 *  - CRASH_SAMPLED: each is lost or kept (its live bytes stay, as if the
 *    CPU had written it back before the cut) with probability 1/2, from
 *    a hash of (seed, image, journal region, line offset): the same seed
 *    and image give the same image again.
 *
 * Only bytes [0, size) of each file are modelled; the label area after
 * them is never touched. The live file is rewritten in place and
 * fsync'd. Each lost range is explained from the journal:
 *   nvdimm0 +0x1234c0, 192 bytes lost: stored by __memcpy_flushcache+0x4e, never flushed
 */
#ifndef DAXTEST_CRASH_IMAGE_H
#define DAXTEST_CRASH_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse/sysmap.h"

enum crash_mode {
	CRASH_STRICT,		/* every unpersisted line lost */
	CRASH_SAMPLED,		/* each lost or kept, from (seed, image) */
};

/* One NVDIMM. */
struct crash_region {
	const char *name;	/* in explanations; NULL: "nvdimm<its index here>" */
	const char *live;	/* the backing file QEMU wrote: rewritten in place */
	const char *shadow;	/* what reached persistence (the plugin's) */
	uint64_t size;		/* modelled bytes from 0: the file minus its
				 * label area; a multiple of 64 */
	unsigned int journal_index;	/* its region in the journal */
};

struct crash_request {
	const struct crash_region *regions;
	size_t nr_regions;
	const char *journal;		/* the plugin's persist_meta file */
	enum crash_mode mode;
	uint64_t seed;			/* CRASH_SAMPLED: with image, which */
	unsigned int image;		/* lines are kept */
	const struct sysmap *sysmap;	/* names the PCs; NULL: addresses */
	size_t max_ranges;		/* listed of each kind (lost, kept);
					 * 0: CRASH_RANGES_MAX */
};

/* Ranges listed with their explanation, of each kind; the others are
 * counted (a sampled image of a region the guest never flushed has a
 * range every few lines). */
#define CRASH_RANGES_MAX	4096

/* The plugin's counters (persist_meta_header), as the cut left them. */
struct crash_counters {
	uint64_t stores, nt_stores;
	uint64_t flushes, flushes_placed;
	uint64_t clwb_unplaced;		/* > 0: flushes the model could not place
					 * (a kernel without the flush marker) */
	uint64_t other_unplaced;
	uint64_t fences, persisted_lines;
};

/* Consecutive lines of one region, all lost or all kept, with the same
 * journal record. */
struct crash_range {
	size_t region;			/* index in crash_request.regions */
	uint64_t offset, len;		/* bytes, line-aligned */
	uint64_t store_pc, flush_pc, state;	/* PERSIST_LINE_* */
	bool kept;			/* CRASH_SAMPLED: its live bytes stayed */
	char *text;			/* the explanation, one line */
};

struct crash_summary {
	enum crash_mode mode;
	uint64_t seed;
	unsigned int image;
	uint64_t lines_lost, lines_kept;	/* lines_kept: CRASH_SAMPLED only */
	uint64_t bytes_lost;
	struct crash_counters counters;
	struct crash_range *ranges;	/* by region and offset: the first
					 * max_ranges lost and kept ones */
	size_t nr_ranges;
	size_t ranges_lost, ranges_kept;	/* all of them, listed or not */
	char error[512];		/* after a failure, what went wrong */
};

/*
 * Turns the live files of req into a crash image and says what was lost
 * in *sum (crash_summary_free() it, also after a failure). The journal
 * and every file are checked before anything is written: a missing
 * journal, or one that lists no regions, means the persistence model
 * did not start, and no live file is changed. 0, or -1 after logging,
 * the message also in sum->error (for a test's reason); an I/O error
 * while writing can leave a live file partly rewritten.
 */
int crash_image_apply(const struct crash_request *req, struct crash_summary *sum);
void crash_summary_free(struct crash_summary *sum);
/*
 * Writes a report of sum into buf (NUL-terminated, cut to size): a line
 * of totals, a warning when flushes went unplaced, then up to
 * max_ranges ranges, the lost before the kept, and "and K more ranges".
 * Returns the length of the whole text, as snprintf() does.
 */
size_t crash_summary_format(const struct crash_summary *sum, size_t max_ranges, char *buf,
			    size_t size);
/* CRASH_SAMPLED's choice: true when the line at offset (bytes) of the
 * journal region is lost in image of seed. */
bool crash_line_lost(uint64_t seed, unsigned int image, unsigned int journal_index,
		     uint64_t offset);

#endif /* DAXTEST_CRASH_IMAGE_H */
