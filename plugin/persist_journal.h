/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The persistence plugin's journal (proto/persist_meta.h says what it
 * holds and where): a file mapped shared, written as the guest runs, so
 * that it is as current as the last event when QEMU is SIGKILLed.
 *
 * Order of use: persist_journal_open() (magic and version, no region
 * yet), persist_journal_add_region() for each region, then
 * persist_journal_publish() sets nr_regions: a reader that sees
 * nr_regions > 0 sees the regions filled in. Counters are written by
 * the caller straight into hdr. Not thread-safe: the caller serialises
 * calls (the plugin's lock).
 */
#ifndef DAXTEST_PERSIST_JOURNAL_H
#define DAXTEST_PERSIST_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "plugin/pmem_model.h"
#include "proto/persist_meta.h"

struct persist_journal_region {
	uint64_t base, size;
	struct persist_meta_line *lines;	/* size / 64 records, mapped */
};

struct persist_journal {
	int fd;					/* -1: no journal */
	struct persist_meta_header *hdr;	/* mapped at offset 0 */
	struct persist_journal_region region[PERSIST_META_MAX_REGIONS];
	size_t nr_regions;
	uint64_t end;				/* the file's size */
};

/* A journal that is not open: every call below does nothing on it. */
void persist_journal_init(struct persist_journal *j);
/* Creates (truncates) path and maps its header. 0, or -1 with errno set. */
int persist_journal_open(struct persist_journal *j, const char *path);
/* Appends a region's line array (sparse) and its header entry; live is
 * truncated to fit. 0, or -1 with errno set (EINVAL: too many regions). */
int persist_journal_add_region(struct persist_journal *j, uint64_t base, uint64_t size,
			       const char *live);
/* Sets the header's nr_regions to the regions added: done last. */
void persist_journal_publish(struct persist_journal *j);
/* Unmaps and closes; the file stays. */
void persist_journal_close(struct persist_journal *j);

/* PERSIST_LINE_* of a line of the model, as it is now. */
uint64_t persist_journal_line_state(const struct pmem_line *l);
/* Writes the record of l's line: its state, and its store_pc when it
 * has one. Lines outside the regions are ignored. */
void persist_journal_line(struct persist_journal *j, const struct pmem_line *l);
/* A placed flush of the line of addr at guest PC pc. */
void persist_journal_flush(struct persist_journal *j, uint64_t addr, uint64_t pc);

#endif /* DAXTEST_PERSIST_JOURNAL_H */
