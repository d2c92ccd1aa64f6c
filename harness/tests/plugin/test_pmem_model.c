// SPDX-License-Identifier: GPL-2.0
/*
 * test_pmem_model.c - the persistence model: what a store, a flush, a
 * fence, a non-temporal store and wbinvd make persistent, what it tells
 * its line callback, and a random workload against a line-by-line
 * reference of the same rules
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plugin/pmem_model.h"

#define BASE	0x10000ULL
#define SIZE	(1ULL << 20)

struct fixture {
	struct pmem_model m;
	uint8_t *live, *shadow;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->live = calloc(1, SIZE);
	f->shadow = malloc(SIZE);
	assert_non_null(f->live);
	assert_non_null(f->shadow);
	memset(f->live, 0xaa, SIZE);
	memcpy(f->shadow, f->live, SIZE);	/* the caller's part */
	assert_int_equal(pmem_model_init(&f->m, 2), 0);
	assert_int_equal(pmem_model_add_region(&f->m, BASE, SIZE, f->live, f->shadow), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	pmem_model_free(&f->m);
	free(f->live);
	free(f->shadow);
	free(f);
	return 0;
}

/* The guest stores v at addr: the live file changes, the model hears of it. */
static void store(struct fixture *f, unsigned int vcpu, uint64_t addr, uint8_t v, size_t n)
{
	memset(f->live + (addr - BASE), v, n);
	assert_int_equal(pmem_model_store(&f->m, vcpu, addr, n, 0x1000 + addr), 0);
}

static uint8_t persisted(const struct fixture *f, uint64_t addr)
{
	return f->shadow[addr - BASE];
}

static void shadow_starts_as_the_file(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(persisted(f, BASE), 0xaa);
	assert_int_equal(persisted(f, BASE + SIZE - 1), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 0);
}

/* The shadow is the caller's copy: adding a region writes none of it
 * (a sparse shadow file would be allocated). */
static void add_region_copies_nothing(void **state)
{
	struct fixture *f = *state;
	uint8_t live[128], shadow[128];

	memset(live, 1, sizeof(live));
	memset(shadow, 2, sizeof(shadow));
	assert_int_equal(pmem_model_add_region(&f->m, 0, sizeof(live), live, shadow), 0);
	assert_int_equal(shadow[0], 2);
	assert_int_equal(shadow[127], 2);
}

static void store_alone_is_lost(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE + 128, 1, 8);
	pmem_model_fence(&f->m, 0);
	assert_int_equal(persisted(f, BASE + 128), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 1);
}

static void flush_without_fence_is_lost(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE + 128, 1, 8);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE + 130, 0x2000), 0);
	assert_int_equal(persisted(f, BASE + 128), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 1);
}

static void flush_then_fence_persists(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE + 128, 1, 8);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE + 128, 0x2000), 0);
	pmem_model_fence(&f->m, 0);
	assert_int_equal(persisted(f, BASE + 128), 1);
	assert_int_equal(persisted(f, BASE + 136), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 0);
}

/* A store after the flush is not in the flush's snapshot. */
static void store_after_flush_not_covered(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE + 128, 1, 8);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE + 128, 0x2000), 0);
	store(f, 0, BASE + 136, 2, 8);
	pmem_model_fence(&f->m, 0);
	assert_int_equal(persisted(f, BASE + 128), 1);
	assert_int_equal(persisted(f, BASE + 136), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 1);
}

/* Another vCPU's fence does not order this vCPU's flush. */
static void fence_of_another_vcpu(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE, 1, 8);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE, 0x2000), 0);
	pmem_model_fence(&f->m, 1);
	assert_int_equal(persisted(f, BASE), 0xaa);
	pmem_model_fence(&f->m, 0);
	assert_int_equal(persisted(f, BASE), 1);
}

static void nt_store_needs_a_fence(void **state)
{
	struct fixture *f = *state;

	memset(f->live + 4096, 3, 256);
	assert_int_equal(pmem_model_nt_store(&f->m, 1, BASE + 4096, 256, 0x3000), 0);
	assert_int_equal(persisted(f, BASE + 4096), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 4);
	pmem_model_fence(&f->m, 1);
	assert_int_equal(persisted(f, BASE + 4096), 3);
	assert_int_equal(persisted(f, BASE + 4096 + 255), 3);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 0);
}

static void wbinvd_persists_everything(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE, 1, 8);
	store(f, 1, BASE + 8192, 2, 8);
	assert_int_equal(pmem_model_flush(&f->m, 1, BASE + 8192, 0x2000), 0);
	store(f, 1, BASE + 8192, 4, 1);
	pmem_model_wbinvd(&f->m);
	assert_int_equal(persisted(f, BASE), 1);
	assert_int_equal(persisted(f, BASE + 8192), 4);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 0);
	/* the stale pending entry of vCPU 1 does nothing */
	pmem_model_fence(&f->m, 1);
	assert_int_equal(persisted(f, BASE + 8192), 4);
}

static void store_across_lines(void **state)
{
	struct fixture *f = *state;

	store(f, 0, BASE + 60, 5, 8);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 2);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE, 0x2000), 0);
	pmem_model_fence(&f->m, 0);
	assert_int_equal(persisted(f, BASE + 60), 5);
	assert_int_equal(persisted(f, BASE + 64), 0xaa);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 1);
}

static void outside_and_bad_regions(void **state)
{
	struct fixture *f = *state;
	uint8_t other[128];

	assert_int_equal(pmem_model_store(&f->m, 0, BASE - 64, 8, 0), 0);
	assert_int_equal(pmem_model_store(&f->m, 0, BASE + SIZE, 8, 0), 0);
	assert_int_equal(pmem_model_flush(&f->m, 0, 0, 0), 0);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 0);
	assert_false(pmem_model_covers(&f->m, BASE + SIZE));
	assert_true(pmem_model_covers(&f->m, BASE + SIZE - 1));
	assert_int_equal(pmem_model_add_region(&f->m, BASE + 64, 64, other, other + 64), -1);
	assert_int_equal(pmem_model_add_region(&f->m, 8, 64, other, other + 64), -1);
	assert_int_equal(pmem_model_add_region(&f->m, 0, 60, other, other + 64), -1);
	assert_int_equal(pmem_model_add_region(&f->m, 0, 64, other, other + 64), 0);
}

/* What the line callback heard: the last call, and how many. */
struct heard {
	size_t calls;
	struct pmem_line last;
};

static void hear(const struct pmem_line *l, void *arg)
{
	struct heard *h = arg;

	h->calls++;
	h->last = *l;
}

static struct heard *listen(struct fixture *f)
{
	static struct heard h;

	memset(&h, 0, sizeof(h));
	f->m.on_line = hear;
	f->m.on_line_arg = &h;
	return &h;
}

static void expect_line(const struct heard *h, uint64_t addr, bool dirty, bool pending, bool nt)
{
	if (h->last.addr != addr || h->last.dirty != dirty || h->last.pending != pending ||
	    h->last.nt != nt)
		fail_msg("line %#llx: dirty %d pending %d nt %d, want %#llx: %d %d %d",
			 (unsigned long long)h->last.addr, h->last.dirty, h->last.pending,
			 h->last.nt, (unsigned long long)addr, dirty, pending, nt);
}

/* A store dirties; a flush takes the snapshot (pending, clean); a
 * fence persists it; each change is heard once, after it happened. */
static void callback_store_flush_fence(void **state)
{
	struct fixture *f = *state;
	struct heard *h = listen(f);

	store(f, 0, BASE + 200, 1, 8);
	assert_int_equal(h->calls, 1);
	expect_line(h, BASE + 192, true, false, false);
	assert_int_equal(h->last.store_pc, 0x1000 + BASE + 200);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE + 250, 0x2000), 0);
	assert_int_equal(h->calls, 2);
	expect_line(h, BASE + 192, false, true, false);
	assert_int_equal(h->last.flush_pc, 0x2000);
	pmem_model_fence(&f->m, 0);
	assert_int_equal(h->calls, 3);
	expect_line(h, BASE + 192, false, false, false);
}

/* A store after the flush: dirty and pending at once; the fence
 * leaves it dirty. */
static void callback_dirty_and_pending(void **state)
{
	struct fixture *f = *state;
	struct heard *h = listen(f);

	store(f, 1, BASE, 1, 8);
	assert_int_equal(pmem_model_flush(&f->m, 1, BASE, 0x2000), 0);
	store(f, 1, BASE + 8, 2, 8);
	expect_line(h, BASE, true, true, false);
	pmem_model_fence(&f->m, 1);
	expect_line(h, BASE, true, false, false);
	assert_int_equal(h->calls, 4);
}

/* An NT store is pending and NT at once, for each line it touches; a
 * plain store after it clears NT. */
static void callback_nt_store(void **state)
{
	struct fixture *f = *state;
	struct heard *h = listen(f);

	assert_int_equal(pmem_model_nt_store(&f->m, 0, BASE + 4096 + 32, 64, 0x3000), 0);
	assert_int_equal(h->calls, 2);
	expect_line(h, BASE + 4096 + 64, false, true, true);
	assert_int_equal(h->last.store_pc, 0x3000);
	store(f, 0, BASE + 4096 + 64, 1, 1);
	expect_line(h, BASE + 4096 + 64, true, true, false);
	assert_int_equal(f->m.nt_stores, 1);
	assert_int_equal(f->m.stores, 1);
}

/* Nothing is heard of a flush of a clean line, of a second flush, or of
 * accesses outside the regions; those are not counted as stores. */
static void callback_silent_without_change(void **state)
{
	struct fixture *f = *state;
	struct heard *h = listen(f);

	assert_int_equal(pmem_model_flush(&f->m, 0, BASE, 0x2000), 0);
	assert_int_equal(pmem_model_store(&f->m, 0, BASE - 64, 8, 0), 0);
	assert_int_equal(pmem_model_nt_store(&f->m, 0, BASE + SIZE, 8, 0), 0);
	assert_int_equal(h->calls, 0);
	assert_int_equal(f->m.stores + f->m.nt_stores, 0);
	store(f, 0, BASE, 1, 8);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE, 0x2000), 0);
	assert_int_equal(pmem_model_flush(&f->m, 0, BASE, 0x2000), 0);
	assert_int_equal(h->calls, 2);
	/* a store that ends in the region counts */
	assert_int_equal(pmem_model_store(&f->m, 0, BASE - 4, 8, 0), 0);
	assert_int_equal(f->m.stores, 2);
}

/* wbinvd makes every line clean, and says so for each. */
static void callback_wbinvd(void **state)
{
	struct fixture *f = *state;
	struct heard *h = listen(f);

	store(f, 0, BASE, 1, 8);
	assert_int_equal(pmem_model_nt_store(&f->m, 1, BASE + 64, 8, 0x3000), 0);
	pmem_model_wbinvd(&f->m);
	assert_int_equal(h->calls, 4);
	assert_false(h->last.dirty);
	assert_false(h->last.pending);
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), 0);
}

struct counter {
	size_t n, dirty, pending;
};

static void count_line(const struct pmem_line *l, void *arg)
{
	struct counter *c = arg;

	c->n++;
	c->dirty += l->dirty;
	c->pending += l->pending;
}

/* The reference: the same rules, one array slot per line. */
struct ref {
	uint8_t dirty[SIZE / PMEM_LINE], pending[SIZE / PMEM_LINE], owner[SIZE / PMEM_LINE];
	uint8_t snap[SIZE];
	uint8_t shadow[SIZE];
};

static void ref_fence(struct ref *r, unsigned int vcpu)
{
	size_t i;

	for (i = 0; i < SIZE / PMEM_LINE; i++) {
		if (r->pending[i] && r->owner[i] == vcpu) {
			memcpy(r->shadow + i * PMEM_LINE, r->snap + i * PMEM_LINE, PMEM_LINE);
			r->pending[i] = 0;
		}
	}
}

static void ref_snapshot(struct ref *r, const uint8_t *live, size_t i, unsigned int vcpu)
{
	memcpy(r->snap + i * PMEM_LINE, live + i * PMEM_LINE, PMEM_LINE);
	r->dirty[i] = 0;
	r->pending[i] = 1;
	r->owner[i] = (uint8_t)vcpu;
}

static void random_workload_matches_reference(void **state)
{
	struct fixture *f = *state;
	struct ref *r = calloc(1, sizeof(*r));
	unsigned int seed = 12345, op;
	size_t i, unpersisted;
	struct counter c = { 0 };

	assert_non_null(r);
	memcpy(r->shadow, f->live, SIZE);
	for (op = 0; op < 200000; op++) {
		unsigned int kind = rand_r(&seed) % 16, vcpu = rand_r(&seed) % 2;
		size_t line = (size_t)rand_r(&seed) % (SIZE / PMEM_LINE);
		uint64_t addr = BASE + line * PMEM_LINE + (uint64_t)(rand_r(&seed) % 56);

		if (kind < 9) {
			store(f, vcpu, addr, (uint8_t)rand_r(&seed), 8);
			r->dirty[line] = 1;
		} else if (kind < 13) {
			assert_int_equal(pmem_model_flush(&f->m, vcpu, addr, 1), 0);
			if (r->dirty[line])
				ref_snapshot(r, f->live, line, vcpu);
		} else if (kind < 14) {
			memset(f->live + (addr - BASE), (uint8_t)rand_r(&seed), 8);
			assert_int_equal(pmem_model_nt_store(&f->m, vcpu, addr, 8, 1), 0);
			ref_snapshot(r, f->live, line, vcpu);
		} else if (op % 101 == 0) {
			pmem_model_wbinvd(&f->m);
			memcpy(r->shadow, f->live, SIZE);
			memset(r->dirty, 0, sizeof(r->dirty));
			memset(r->pending, 0, sizeof(r->pending));
		} else {
			pmem_model_fence(&f->m, vcpu);
			ref_fence(r, vcpu);
		}
	}
	assert_memory_equal(f->shadow, r->shadow, SIZE);
	for (i = 0, unpersisted = 0; i < SIZE / PMEM_LINE; i++)
		unpersisted += r->dirty[i] || r->pending[i];
	assert_int_equal(pmem_model_nr_unpersisted(&f->m), unpersisted);
	pmem_model_for_each_unpersisted(&f->m, count_line, &c);
	assert_int_equal(c.n, unpersisted);
	assert_true(c.n > 1000);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(shadow_starts_as_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(add_region_copies_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(store_alone_is_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(flush_without_fence_is_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(flush_then_fence_persists, setup, teardown),
		cmocka_unit_test_setup_teardown(store_after_flush_not_covered, setup, teardown),
		cmocka_unit_test_setup_teardown(fence_of_another_vcpu, setup, teardown),
		cmocka_unit_test_setup_teardown(nt_store_needs_a_fence, setup, teardown),
		cmocka_unit_test_setup_teardown(wbinvd_persists_everything, setup, teardown),
		cmocka_unit_test_setup_teardown(store_across_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(outside_and_bad_regions, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_store_flush_fence, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_dirty_and_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_nt_store, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_silent_without_change, setup, teardown),
		cmocka_unit_test_setup_teardown(callback_wbinvd, setup, teardown),
		cmocka_unit_test_setup_teardown(random_workload_matches_reference, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
