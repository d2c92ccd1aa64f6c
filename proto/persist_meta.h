/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The persistence plugin's journal (plugin/persist_plugin.c writes it,
 * the harness reads it after a power cut): a file the plugin maps
 * shared, so that it is as current as the last store when QEMU is
 * SIGKILLed. It holds the plugin's counters and, for every 64-byte line
 * of every modelled region, who stored it last and who flushed it, so
 * that a line the crash image loses can be explained ("stored by
 * __memcpy_flushcache+0x4e, never flushed").
 *
 * Layout: struct persist_meta_header at offset 0, then for each region
 * r, at header.region[r].lines_offset (a multiple of 4096), size / 64
 * struct persist_meta_line, one per line from the region's base. The
 * file is sparse: only lines the guest touched take space. Host byte
 * order; plugin and harness run on the same host.
 */
#ifndef DAXTEST_PERSIST_META_H
#define DAXTEST_PERSIST_META_H

#include <stdint.h>

#define PERSIST_META_MAGIC	0x314154454d505844ULL	/* "DXPMETA1" */
#define PERSIST_META_VERSION	1
#define PERSIST_META_MAX_REGIONS 8
#define PERSIST_META_LINE	64

/* persist_meta_line.state */
#define PERSIST_LINE_DIRTY	0x1	/* stored to since its last flush snapshot */
#define PERSIST_LINE_PENDING	0x2	/* a flush (or NT store) waits for a fence */
#define PERSIST_LINE_NT		0x4	/* its last store was non-temporal */

/*
 * The instruction that starts the model (the plugin's arm=marker): a
 * multi-byte NOP, "nopl 0x54584144(%rax)" ("DAXT"), which the guest
 * agent executes right before a power-fail case's prepare phase. Until
 * then the plugin instruments nothing, so the boot (and a verify phase
 * before the prepare phase in the same guest) costs what it costs
 * without it; what was stored before counts as persistent.
 */
#define PERSIST_ARM_BYTES	{ 0x0f, 0x1f, 0x80, 0x44, 0x41, 0x58, 0x54 }
#define PERSIST_ARM_ASM		".byte 0x0f, 0x1f, 0x80, 0x44, 0x41, 0x58, 0x54"

struct persist_meta_region {
	uint64_t base;		/* RAM-block offset (plugin address space) */
	uint64_t size;		/* modelled bytes, line-aligned */
	uint64_t lines_offset;	/* of its line array in the file */
	char live[200];		/* the backing file, for messages */
};

struct persist_meta_header {
	uint64_t magic;
	uint32_t version;
	uint32_t nr_regions;	/* set once the regions are loaded */
	/* counters, updated as the guest runs */
	uint64_t stores;		/* stores to a modelled region */
	uint64_t nt_stores;
	uint64_t flushes;		/* flush instructions executed (any address) */
	uint64_t flushes_placed;	/* followed by the marker load: line known */
	uint64_t clwb_unplaced;		/* clwb with no marker load after it */
	uint64_t other_unplaced;	/* clflush/clflushopt with no marker */
	uint64_t fences;
	uint64_t persisted_lines;
	struct persist_meta_region region[PERSIST_META_MAX_REGIONS];
};

struct persist_meta_line {
	uint64_t store_pc;	/* guest PC of the last store; 0: none seen */
	uint64_t flush_pc;	/* guest PC of the last flush of it; 0: none */
	uint64_t state;		/* PERSIST_LINE_* at the last change */
};

#endif /* DAXTEST_PERSIST_META_H */
