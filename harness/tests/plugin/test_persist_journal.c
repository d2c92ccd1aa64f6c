// SPDX-License-Identifier: GPL-2.0
/*
 * test_persist_journal.c - the persistence plugin's journal: the layout
 * proto/persist_meta.h promises (read back from the file, not from the
 * plugin's mapping), nr_regions set last, and the records the model's
 * line callback leaves for a store, a flush, a fence and an NT store
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "plugin/persist_journal.h"
#include "plugin/pmem_model.h"

#define BASE0	0x0ULL
#define SIZE0	(1ULL << 20)
#define BASE1	0x100000000ULL
#define SIZE1	(64ULL << 10)
#define REC	sizeof(struct persist_meta_line)

struct fixture {
	char path[512];
	struct persist_journal j;
	struct pmem_model m;
	uint8_t *live, *shadow;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *dir = getenv("TMPDIR");
	int fd;

	assert_non_null(f);
	snprintf(f->path, sizeof(f->path), "%s/test_persist_journal.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	f->live = calloc(1, SIZE0);
	f->shadow = calloc(1, SIZE0);
	assert_non_null(f->live);
	assert_non_null(f->shadow);
	assert_int_equal(pmem_model_init(&f->m, 2), 0);
	assert_int_equal(pmem_model_add_region(&f->m, BASE0, SIZE0, f->live, f->shadow), 0);
	persist_journal_init(&f->j);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	persist_journal_close(&f->j);
	pmem_model_free(&f->m);
	unlink(f->path);
	free(f->live);
	free(f->shadow);
	free(f);
	return 0;
}

/* What a reader of the file sees: n bytes at off. */
static void read_at(const struct fixture *f, uint64_t off, void *buf, size_t n)
{
	FILE *file = fopen(f->path, "r");

	assert_non_null(file);
	assert_int_equal(fseeko(file, (off_t)off, SEEK_SET), 0);
	assert_int_equal(fread(buf, 1, n, file), n);
	fclose(file);
}

static struct persist_meta_header header(const struct fixture *f)
{
	struct persist_meta_header h;

	read_at(f, 0, &h, sizeof(h));
	return h;
}

static struct persist_meta_line record(const struct fixture *f, int region, uint64_t addr)
{
	struct persist_meta_header h = header(f);
	struct persist_meta_line l;

	read_at(f, h.region[region].lines_offset +
		(addr - h.region[region].base) / PERSIST_META_LINE * REC, &l, sizeof(l));
	return l;
}

static void open_two_regions(struct fixture *f)
{
	char live[300];

	memset(live, 'x', sizeof(live) - 1);
	live[0] = '/';
	live[sizeof(live) - 1] = '\0';
	assert_int_equal(persist_journal_open(&f->j, f->path), 0);
	assert_int_equal(persist_journal_add_region(&f->j, BASE0, SIZE0, "/w/pmem0.img"), 0);
	assert_int_equal(persist_journal_add_region(&f->j, BASE1, SIZE1, live), 0);
}

static void layout_as_promised(void **state)
{
	struct fixture *f = *state;
	struct persist_meta_header h;
	struct stat s;

	open_two_regions(f);
	h = header(f);
	assert_true(h.magic == PERSIST_META_MAGIC);
	assert_int_equal(h.version, PERSIST_META_VERSION);
	assert_int_equal(h.nr_regions, 0);	/* not yet published */
	assert_true(h.region[0].base == BASE0 && h.region[0].size == SIZE0);
	assert_true(h.region[1].base == BASE1 && h.region[1].size == SIZE1);
	assert_string_equal(h.region[0].live, "/w/pmem0.img");
	assert_int_equal(strlen(h.region[1].live), sizeof(h.region[1].live) - 1);
	assert_int_equal(h.region[0].lines_offset % 4096, 0);
	assert_true(h.region[0].lines_offset >= sizeof(h));
	assert_int_equal(h.region[1].lines_offset % 4096, 0);
	assert_true(h.region[1].lines_offset >= h.region[0].lines_offset + SIZE0 / 64 * REC);
	assert_int_equal(stat(f->path, &s), 0);
	assert_true((uint64_t)s.st_size >= h.region[1].lines_offset + SIZE1 / 64 * REC);
	assert_true((uint64_t)s.st_blocks * 512 < 64 * 1024);	/* sparse */
	persist_journal_publish(&f->j);
	assert_int_equal(header(f).nr_regions, 2);
}

/* What the plugin hands the model as its line callback. */
static void journal_line(const struct pmem_line *l, void *arg)
{
	persist_journal_line(arg, l);
}

/* The model's callback writes each change of a line to its record. */
static void records_follow_the_model(void **state)
{
	struct fixture *f = *state;
	struct persist_meta_line l;

	open_two_regions(f);
	f->m.on_line = journal_line;
	f->m.on_line_arg = &f->j;

	assert_int_equal(pmem_model_store(&f->m, 0, BASE0 + 4096 + 8, 8, 0x1111), 0);
	l = record(f, 0, BASE0 + 4096);
	assert_true(l.store_pc == 0x1111 && l.flush_pc == 0 && l.state == PERSIST_LINE_DIRTY);

	assert_int_equal(pmem_model_flush(&f->m, 0, BASE0 + 4096, 0x2222), 0);
	persist_journal_flush(&f->j, BASE0 + 4096 + 63, 0x2222);
	l = record(f, 0, BASE0 + 4096);
	assert_true(l.store_pc == 0x1111 && l.flush_pc == 0x2222 &&
		    l.state == PERSIST_LINE_PENDING);

	pmem_model_fence(&f->m, 0);
	l = record(f, 0, BASE0 + 4096);
	assert_true(l.store_pc == 0x1111 && l.flush_pc == 0x2222 && l.state == 0);

	assert_int_equal(pmem_model_nt_store(&f->m, 1, BASE0 + 8192, 16, 0x3333), 0);
	l = record(f, 0, BASE0 + 8192);
	assert_true(l.store_pc == 0x3333 && l.flush_pc == 0 &&
		    l.state == (PERSIST_LINE_PENDING | PERSIST_LINE_NT));

	/* untouched lines and the other region: no record */
	l = record(f, 0, BASE0 + 4096 + 64);
	assert_true(!l.store_pc && !l.flush_pc && !l.state);
	persist_journal_flush(&f->j, BASE1 + SIZE1, 0x4444);	/* outside: ignored */
	persist_journal_flush(&f->j, BASE1 + SIZE1 - 1, 0x5555);
	l = record(f, 1, BASE1 + SIZE1 - 64);
	assert_true(l.flush_pc == 0x5555 && !l.store_pc && !l.state);
}

static void state_bits(void **state)
{
	struct pmem_line l = { .dirty = true };

	assert_int_equal(persist_journal_line_state(&l), PERSIST_LINE_DIRTY);
	l.pending = true;
	assert_int_equal(persist_journal_line_state(&l), PERSIST_LINE_DIRTY | PERSIST_LINE_PENDING);
	l = (struct pmem_line){ .pending = true, .nt = true };
	assert_int_equal(persist_journal_line_state(&l), PERSIST_LINE_PENDING | PERSIST_LINE_NT);
	l = (struct pmem_line){ 0 };
	assert_int_equal(persist_journal_line_state(&l), 0);
}

/* Without meta=, the journal is never opened: every call is a no-op. */
static void closed_journal_does_nothing(void **state)
{
	struct fixture *f = *state;
	struct pmem_line l = { .addr = 0, .dirty = true, .store_pc = 1 };

	assert_int_equal(persist_journal_add_region(&f->j, BASE0, SIZE0, "/x"), 0);
	persist_journal_publish(&f->j);
	persist_journal_line(&f->j, &l);
	persist_journal_flush(&f->j, 0, 1);
	persist_journal_close(&f->j);
	assert_null(f->j.hdr);
}

static void too_many_regions(void **state)
{
	struct fixture *f = *state;
	uint64_t i;

	assert_int_equal(persist_journal_open(&f->j, f->path), 0);
	for (i = 0; i < PERSIST_META_MAX_REGIONS; i++)
		assert_int_equal(persist_journal_add_region(&f->j, i << 20, 4096, "/l"), 0);
	assert_int_equal(persist_journal_add_region(&f->j, i << 20, 4096, "/l"), -1);
	persist_journal_publish(&f->j);
	assert_int_equal(header(f).nr_regions, PERSIST_META_MAX_REGIONS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(layout_as_promised, setup, teardown),
		cmocka_unit_test_setup_teardown(records_follow_the_model, setup, teardown),
		cmocka_unit_test(state_bits),
		cmocka_unit_test_setup_teardown(closed_journal_does_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(too_many_regions, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
