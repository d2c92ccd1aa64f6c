/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's RAM blocks, as x-query-ramblock (QMP) and "info ramblock" (HMP)
 * print them: a header line, then one line per block,
 *
 *               Block Name    PSize              Offset               Used              Total
 *                   nvmem0    4 KiB  0x0000000000000000 0x0000000010020000 0x0000000010020000
 *
 * The offset is the block's ram_addr, the address space of QEMU's TCG
 * plugin API (plugin/pmem_model.h). A memory backend's block is named by
 * its id ("nvmem0"), or by its QOM path ("/objects/nvmem0") on machine
 * types older than 4.0. Text in, a table out; no I/O.
 */
#ifndef DAXTEST_RAMBLOCK_H
#define DAXTEST_RAMBLOCK_H

#include <stddef.h>
#include <stdint.h>

#define RAMBLOCK_NAME_MAX	256	/* QEMU's RAMBlock.idstr, with its NUL */

struct ramblock {
	char name[RAMBLOCK_NAME_MAX];
	uint64_t offset;	/* ram_addr of its first byte */
	uint64_t used;		/* bytes in use (the backend's size) */
	uint64_t total;		/* bytes reserved (max_length) */
};

struct ramblock_table {
	struct ramblock *v;
	size_t n;
};

/* Parses the whole text into t (emptied first). 0, or -1 with a line in
 * err saying which line is wrong and how; t is then empty. */
int ramblock_parse(const char *text, struct ramblock_table *t, char *err, size_t errlen);
/* The block named name, or NULL. */
const struct ramblock *ramblock_find(const struct ramblock_table *t, const char *name);
void ramblock_table_free(struct ramblock_table *t);

#endif /* DAXTEST_RAMBLOCK_H */
