/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The persistence model of the emulated NVDIMMs: for every byte of
 * their backing files, whether it would survive a power cut now.
 *
 * QEMU maps the backing files share=on, so every store the guest makes
 * is in the file at once: the emulated machine has no CPU cache. This
 * model puts one back. It follows the guest's stores, cache-line
 * flushes and fences (the TCG plugin feeds it; plugin/x86_persist.h
 * says how they are recognised) and keeps a shadow of each backing
 * file that holds only what reached persistence. The x86 rules it
 * models:
 *  - a store dirties the 64-byte lines it touches (they are in the CPU
 *    cache, not in persistent memory);
 *  - clwb, clflushopt or clflush of a dirty line takes a snapshot of the
 *    line: the snapshot is pending, owned by the flushing vCPU; stores
 *    after the flush dirty the line again and are not in the snapshot;
 *  - a non-temporal store makes the lines it touches pending at once
 *    (write-combining buffers, bypassing the cache), with their bytes
 *    after the store;
 *  - a fence of a vCPU (sfence, mfence, a locked instruction) makes that
 *    vCPU's pending snapshots persistent: they are copied to the shadow.
 *    lfence orders loads only and persists nothing;
 *  - wbinvd writes back every line of every vCPU: the live bytes of
 *    every dirty or pending line become persistent;
 *  - a line has at most one pending snapshot: a flush of a line that
 *    is pending and not dirty again changes nothing (the first
 *    flusher's fence persists it: another vCPU's fence does not wait
 *    for its clwb); a flush after new stores takes a new snapshot for
 *    the flushing vCPU.
 * So the shadow is, at every moment, what survives if the power fails
 * now (the strict crash image: every unpersisted line lost).
 *
 * Addresses are in one space for the regions and the accesses: QEMU
 * 7.2's plugin API reports RAM-block offsets (ram_addr), not guest
 * physical addresses, so the regions are given in that space. The
 * model does no I/O: the caller maps the backing file (live) and the
 * shadow, and may follow every change of a line's state through
 * on_line (to journal it). Not thread-safe: the caller serialises calls.
 */
#ifndef DAXTEST_PMEM_MODEL_H
#define DAXTEST_PMEM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMEM_LINE		64
#define PMEM_MAX_REGIONS	8

struct pmem_region {
	uint64_t base, size;	/* line-aligned */
	const uint8_t *live;	/* the backing file as the guest sees it */
	uint8_t *shadow;	/* its persistent contents */
};

/* A line whose live bytes are not all persistent. */
struct pmem_line {
	uint64_t addr;		/* of the line */
	bool used;
	bool dirty;		/* stores since its snapshot (or since clean) */
	bool pending;		/* a snapshot waits for vcpu's fence */
	bool nt;		/* its last store was non-temporal */
	unsigned int vcpu;
	uint64_t store_pc;	/* guest PC of its last store */
	uint64_t flush_pc;	/* guest PC of the flush (or NT store) of its
				 * pending snapshot; 0: none */
	uint8_t snapshot[PMEM_LINE];
};

/* The lines a vCPU's next fence persists (may hold stale entries). */
struct pmem_pending {
	uint64_t *addr;
	size_t n, cap;
};

struct pmem_model {
	struct pmem_region regions[PMEM_MAX_REGIONS];
	size_t nr_regions;
	struct pmem_line *lines;	/* open addressing, linear probing */
	size_t cap, used;
	struct pmem_pending *pending;	/* per vCPU */
	unsigned int nr_vcpus;
	/*
	 * Called after a line's state changed: a store or NT store to it, a
	 * flush that took its snapshot, a fence or wbinvd that persisted it
	 * (then with dirty and pending as they are after the event, before
	 * a clean line is forgotten). NULL: nobody listens. l is valid only
	 * during the call.
	 */
	void (*on_line)(const struct pmem_line *l, void *arg);
	void *on_line_arg;
	/* counts, for the report and the tests: stores and nt_stores touch
	 * a region; flushes are the calls of pmem_model_flush() */
	uint64_t stores, nt_stores, flushes, fences, persisted_lines;
};

/* 0, or -1 without memory. */
int pmem_model_init(struct pmem_model *m, unsigned int nr_vcpus);
void pmem_model_free(struct pmem_model *m);
/* Adds a region. shadow must hold what live holds on entry (what the
 * file held when the guest started is persistent); the model copies
 * nothing here, so that a sparse shadow file stays sparse. 0, or -1
 * when base or size is not line-aligned, regions overlap or there are
 * too many. */
int pmem_model_add_region(struct pmem_model *m, uint64_t base, uint64_t size,
			  const uint8_t *live, uint8_t *shadow);
/* True when addr is in a region. */
bool pmem_model_covers(const struct pmem_model *m, uint64_t addr);

/* The guest's accesses, after they happened (live holds the new bytes).
 * Accesses outside the regions are ignored. 0, or -1 without memory. */
int pmem_model_store(struct pmem_model *m, unsigned int vcpu, uint64_t addr, size_t size,
		     uint64_t pc);
int pmem_model_nt_store(struct pmem_model *m, unsigned int vcpu, uint64_t addr, size_t size,
			uint64_t pc);
int pmem_model_flush(struct pmem_model *m, unsigned int vcpu, uint64_t addr, uint64_t pc);
void pmem_model_fence(struct pmem_model *m, unsigned int vcpu);
void pmem_model_wbinvd(struct pmem_model *m);

/* Calls fn for each line not (entirely) persistent, in no order. */
void pmem_model_for_each_unpersisted(const struct pmem_model *m,
				     void (*fn)(const struct pmem_line *l, void *arg), void *arg);
size_t pmem_model_nr_unpersisted(const struct pmem_model *m);

#endif /* DAXTEST_PMEM_MODEL_H */
