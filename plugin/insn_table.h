/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instructions the persistence plugin instruments, one struct
 * insn_info per guest instruction, kept for the plugin's lifetime: QEMU
 * retranslates a block whenever its translation is dropped, and each
 * translation hands the instruction's insn_info to the callbacks as
 * userdata, so an insn_info is made once and found again by its PC.
 *
 * Guest PCs are virtual: two processes may run different code at one
 * PC. An insn_info is therefore found by PC, length and class together,
 * and one PC may have several (one per distinct instruction seen
 * there), each immutable once made. Thread-safe: translations run in
 * vCPU threads (MTTCG); the table's own lock guards it, and the
 * insn_infos it returns stay valid until insn_table_free().
 */
#ifndef DAXTEST_INSN_TABLE_H
#define DAXTEST_INSN_TABLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plugin/x86_persist.h"

/* What an instrumented instruction is, for its callbacks. */
struct insn_info {
	uint64_t pc, next_pc;
	enum x86_persist_op op;
};

struct insn_table {
	pthread_mutex_t lock;
	struct insn_info **slots;	/* open addressing, linear probing; NULL: free */
	size_t cap, used;
	bool freed;			/* insn_table_free() ran: no more entries */
};

void insn_table_init(struct insn_table *t);
/* The insn_info of (pc, next_pc, op), made when it is the first. NULL
 * without memory or once the table is freed. */
struct insn_info *insn_table_intern(struct insn_table *t, uint64_t pc, uint64_t next_pc,
				    enum x86_persist_op op);
/* How many insn_infos the table holds. */
size_t insn_table_size(struct insn_table *t);
/* Frees every insn_info: for the end of QEMU, when no callback runs. */
void insn_table_free(struct insn_table *t);

#endif /* DAXTEST_INSN_TABLE_H */
