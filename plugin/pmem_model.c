// SPDX-License-Identifier: GPL-2.0
/*
 * pmem_model.c - which bytes of the emulated NVDIMMs would survive a power cut
 */
#include <stdlib.h>
#include <string.h>

#include "plugin/pmem_model.h"

#define MIN_CAP 1024

static uint64_t line_of(uint64_t addr)
{
	return addr & ~(uint64_t)(PMEM_LINE - 1);
}

static size_t slot_of(const struct pmem_model *m, uint64_t line)
{
	return (size_t)(((line / PMEM_LINE) * 0x9e3779b97f4a7c15ULL) >> 17) & (m->cap - 1);
}

int pmem_model_init(struct pmem_model *m, unsigned int nr_vcpus)
{
	memset(m, 0, sizeof(*m));
	m->cap = MIN_CAP;
	m->lines = calloc(m->cap, sizeof(*m->lines));
	m->pending = calloc(nr_vcpus ? nr_vcpus : 1, sizeof(*m->pending));
	m->nr_vcpus = nr_vcpus ? nr_vcpus : 1;
	if (!m->lines || !m->pending) {
		pmem_model_free(m);
		return -1;
	}
	return 0;
}

void pmem_model_free(struct pmem_model *m)
{
	unsigned int i;

	for (i = 0; m->pending && i < m->nr_vcpus; i++)
		free(m->pending[i].addr);
	free(m->pending);
	free(m->lines);
	memset(m, 0, sizeof(*m));
}

int pmem_model_add_region(struct pmem_model *m, uint64_t base, uint64_t size,
			  const uint8_t *live, uint8_t *shadow)
{
	size_t i;

	if (m->nr_regions == PMEM_MAX_REGIONS || !size || base % PMEM_LINE ||
	    size % PMEM_LINE || base + size < base)
		return -1;
	for (i = 0; i < m->nr_regions; i++) {
		const struct pmem_region *r = &m->regions[i];

		if (base < r->base + r->size && r->base < base + size)
			return -1;
	}
	m->regions[m->nr_regions++] = (struct pmem_region){
		.base = base, .size = size, .live = live, .shadow = shadow,
	};
	return 0;
}

static const struct pmem_region *region_of(const struct pmem_model *m, uint64_t addr)
{
	size_t i;

	for (i = 0; i < m->nr_regions; i++) {
		const struct pmem_region *r = &m->regions[i];

		if (addr >= r->base && addr - r->base < r->size)
			return r;
	}
	return NULL;
}

bool pmem_model_covers(const struct pmem_model *m, uint64_t addr)
{
	return region_of(m, addr) != NULL;
}

static struct pmem_line *find(const struct pmem_model *m, uint64_t line)
{
	size_t i = slot_of(m, line);

	while (m->lines[i].used) {
		if (m->lines[i].addr == line)
			return &m->lines[i];
		i = (i + 1) & (m->cap - 1);
	}
	return NULL;
}

static int grow(struct pmem_model *m)
{
	struct pmem_line *old = m->lines;
	size_t old_cap = m->cap, i;

	m->lines = calloc(old_cap * 2, sizeof(*m->lines));
	if (!m->lines) {
		m->lines = old;
		return -1;
	}
	m->cap = old_cap * 2;
	for (i = 0; i < old_cap; i++) {
		size_t j;

		if (!old[i].used)
			continue;
		j = slot_of(m, old[i].addr);
		while (m->lines[j].used)
			j = (j + 1) & (m->cap - 1);
		m->lines[j] = old[i];
	}
	free(old);
	return 0;
}

/* The entry of line, made (clean) when it has none; NULL without memory. */
static struct pmem_line *get(struct pmem_model *m, uint64_t line)
{
	struct pmem_line *l = find(m, line);
	size_t i;

	if (l)
		return l;
	if ((m->used + 1) * 2 > m->cap && grow(m) < 0)
		return NULL;
	i = slot_of(m, line);
	while (m->lines[i].used)
		i = (i + 1) & (m->cap - 1);
	l = &m->lines[i];
	memset(l, 0, sizeof(*l));
	l->used = true;
	l->addr = line;
	m->used++;
	return l;
}

/* Removes a line whose bytes are all persistent (linear probing: the
 * entries after it that hash before the hole move back). */
static void drop(struct pmem_model *m, struct pmem_line *l)
{
	size_t hole = (size_t)(l - m->lines), i = hole;

	m->lines[hole].used = false;
	m->used--;
	for (;;) {
		size_t want;

		i = (i + 1) & (m->cap - 1);
		if (!m->lines[i].used)
			return;
		want = slot_of(m, m->lines[i].addr);
		/* Stays unless its home slot is cyclically outside (hole, i]. */
		if (hole <= i ? (want > hole && want <= i) : (want > hole || want <= i))
			continue;
		m->lines[hole] = m->lines[i];
		m->lines[i].used = false;
		hole = i;
	}
}

static const uint8_t *live_line(const struct pmem_model *m, uint64_t line)
{
	const struct pmem_region *r = region_of(m, line);

	return r->live + (line - r->base);
}

static void persist_bytes(struct pmem_model *m, uint64_t line, const uint8_t *bytes)
{
	const struct pmem_region *r = region_of(m, line);

	memcpy(r->shadow + (line - r->base), bytes, PMEM_LINE);
	m->persisted_lines++;
}

static int push_pending(struct pmem_model *m, unsigned int vcpu, uint64_t line)
{
	struct pmem_pending *p = &m->pending[vcpu % m->nr_vcpus];

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		uint64_t *v = realloc(p->addr, cap * sizeof(*v));

		if (!v)
			return -1;
		p->addr = v;
		p->cap = cap;
	}
	p->addr[p->n++] = line;
	return 0;
}

/* Calls fn on each line [addr, addr + size) touches in a region. */
static int each_line(struct pmem_model *m, uint64_t addr, size_t size,
		     int (*fn)(struct pmem_model *m, uint64_t line, void *arg), void *arg)
{
	uint64_t line, end = addr + (size ? size : 1);

	for (line = line_of(addr); line < end; line += PMEM_LINE) {
		if (!region_of(m, line))
			continue;
		if (fn(m, line, arg) < 0)
			return -1;
	}
	return 0;
}

struct access {
	unsigned int vcpu;
	uint64_t pc;
};

/* True when [addr, addr + size) touches a region (an access is never
 * larger than a region, so its ends tell). */
static bool touches(const struct pmem_model *m, uint64_t addr, size_t size)
{
	return region_of(m, addr) || (size > 1 && region_of(m, addr + size - 1));
}

static void notify(const struct pmem_model *m, const struct pmem_line *l)
{
	if (m->on_line)
		m->on_line(l, m->on_line_arg);
}

static int store_line(struct pmem_model *m, uint64_t line, void *arg)
{
	const struct access *a = arg;
	struct pmem_line *l = get(m, line);

	if (!l)
		return -1;
	l->dirty = true;
	l->nt = false;
	l->store_pc = a->pc;
	notify(m, l);
	return 0;
}

int pmem_model_store(struct pmem_model *m, unsigned int vcpu, uint64_t addr, size_t size,
		     uint64_t pc)
{
	struct access a = { .vcpu = vcpu, .pc = pc };

	if (!touches(m, addr, size))
		return 0;
	m->stores++;
	return each_line(m, addr, size, store_line, &a);
}

/* The line's bytes now become its pending snapshot, owned by vcpu. */
static int snapshot(struct pmem_model *m, struct pmem_line *l, unsigned int vcpu, uint64_t pc)
{
	memcpy(l->snapshot, live_line(m, l->addr), PMEM_LINE);
	l->dirty = false;
	l->flush_pc = pc;
	if (l->pending && l->vcpu == vcpu % m->nr_vcpus)
		return 0;
	l->pending = true;
	l->vcpu = vcpu % m->nr_vcpus;
	return push_pending(m, vcpu, l->addr);
}

static int nt_store_line(struct pmem_model *m, uint64_t line, void *arg)
{
	const struct access *a = arg;
	struct pmem_line *l = get(m, line);
	int ret;

	if (!l)
		return -1;
	l->store_pc = a->pc;
	l->nt = true;
	ret = snapshot(m, l, a->vcpu, a->pc);
	notify(m, l);
	return ret;
}

int pmem_model_nt_store(struct pmem_model *m, unsigned int vcpu, uint64_t addr, size_t size,
			uint64_t pc)
{
	struct access a = { .vcpu = vcpu, .pc = pc };

	if (!touches(m, addr, size))
		return 0;
	m->nt_stores++;
	return each_line(m, addr, size, nt_store_line, &a);
}

int pmem_model_flush(struct pmem_model *m, unsigned int vcpu, uint64_t addr, uint64_t pc)
{
	struct pmem_line *l;
	int ret;

	m->flushes++;
	if (!region_of(m, addr))
		return 0;
	l = find(m, line_of(addr));
	/* A clean line, or one whose snapshot is already its bytes. */
	if (!l || !l->dirty)
		return 0;
	ret = snapshot(m, l, vcpu, pc);
	notify(m, l);
	return ret;
}

void pmem_model_fence(struct pmem_model *m, unsigned int vcpu)
{
	struct pmem_pending *p = &m->pending[vcpu % m->nr_vcpus];
	size_t i;

	m->fences++;
	for (i = 0; i < p->n; i++) {
		struct pmem_line *l = find(m, p->addr[i]);

		/* Stale: persisted by wbinvd, or taken over by a vCPU's newer flush. */
		if (!l || !l->pending || l->vcpu != vcpu % m->nr_vcpus)
			continue;
		persist_bytes(m, l->addr, l->snapshot);
		l->pending = false;
		l->flush_pc = 0;
		notify(m, l);
		if (!l->dirty)
			drop(m, l);
	}
	p->n = 0;
}

void pmem_model_wbinvd(struct pmem_model *m)
{
	size_t i;
	unsigned int v;

	m->fences++;
	for (i = 0; i < m->cap; i++) {
		struct pmem_line *l = &m->lines[i];

		if (!l->used)
			continue;
		persist_bytes(m, l->addr, live_line(m, l->addr));
		l->dirty = l->pending = false;
		l->flush_pc = 0;
		notify(m, l);
	}
	memset(m->lines, 0, m->cap * sizeof(*m->lines));
	m->used = 0;
	for (v = 0; v < m->nr_vcpus; v++)
		m->pending[v].n = 0;
}

void pmem_model_for_each_unpersisted(const struct pmem_model *m,
				     void (*fn)(const struct pmem_line *l, void *arg), void *arg)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		if (m->lines[i].used)
			fn(&m->lines[i], arg);
}

size_t pmem_model_nr_unpersisted(const struct pmem_model *m)
{
	return m->used;
}
