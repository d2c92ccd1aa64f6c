// SPDX-License-Identifier: GPL-2.0
/*
 * insn_table.c - one insn_info per guest instruction, across translations
 */
#include <stdlib.h>
#include <string.h>

#include "plugin/insn_table.h"

#define MIN_CAP 4096

static size_t slot_of(size_t cap, uint64_t pc)
{
	uint64_t h = pc * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

void insn_table_init(struct insn_table *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
}

static int grow(struct insn_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : MIN_CAP, i;
	struct insn_info **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (i = 0; i < t->cap; i++) {
		size_t j;

		if (!t->slots[i])
			continue;
		j = slot_of(cap, t->slots[i]->pc);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

/* Under the lock: the entry, found or made. */
static struct insn_info *intern(struct insn_table *t, uint64_t pc, uint64_t next_pc,
				enum x86_persist_op op)
{
	struct insn_info *in;
	size_t i;

	if (t->freed || ((t->used + 1) * 2 > t->cap && grow(t) < 0))
		return NULL;
	for (i = slot_of(t->cap, pc); (in = t->slots[i]); i = (i + 1) & (t->cap - 1)) {
		if (in->pc == pc && in->next_pc == next_pc && in->op == op)
			return in;
	}
	in = malloc(sizeof(*in));
	if (!in)
		return NULL;
	*in = (struct insn_info){ .pc = pc, .next_pc = next_pc, .op = op };
	t->slots[i] = in;
	t->used++;
	return in;
}

struct insn_info *insn_table_intern(struct insn_table *t, uint64_t pc, uint64_t next_pc,
				    enum x86_persist_op op)
{
	struct insn_info *in;

	pthread_mutex_lock(&t->lock);
	in = intern(t, pc, next_pc, op);
	pthread_mutex_unlock(&t->lock);
	return in;
}

size_t insn_table_size(struct insn_table *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->used;
	pthread_mutex_unlock(&t->lock);
	return n;
}

void insn_table_free(struct insn_table *t)
{
	size_t i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < t->cap; i++)
		free(t->slots[i]);
	free(t->slots);
	t->slots = NULL;
	t->cap = t->used = 0;
	t->freed = true;
	pthread_mutex_unlock(&t->lock);
}
