// SPDX-License-Identifier: GPL-2.0
/*
 * test_crash_image.c - the backing files after a power cut: which lines
 * are lost, what is written, and why each was lost
 *
 * Each test builds its own NVDIMMs in the group's temporary directory:
 * sparse live and shadow files of a few MiB (the live one with a label
 * area after the modelled bytes) and a journal as the plugin writes it.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "parse/sysmap.h"
#include "proto/persist_meta.h"
#include "run/crash_image.h"
#include "tests/unit_tempdir.h"

#define SIZE		(2u << 20)	/* modelled: two scan chunks */
#define LABEL		(128u << 10)
#define MAX_NV		2
#define LINES_BYTES	(SIZE / 64 * sizeof(struct persist_meta_line))
#define LINES_AT(r)	(4096 + (uint64_t)(r) * LINES_BYTES)

static const char small_map[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81376f00 t memcpy_flushcache\n"
	"ffffffff81377008 T __memcpy_flushcache\n"
	"ffffffff81400000 T pmem_do_write\n"
	"ffffffff81600000 T _etext\n"
	"ffffffff81c18000 B _end\n";

#define PC_MEMCPY_FC	0xffffffff81377056ULL	/* __memcpy_flushcache+0x4e */
#define PC_NT		0xffffffff81376f9aULL	/* memcpy_flushcache+0x9a */
#define PC_FLUSH	0xffffffff81400010ULL	/* pmem_do_write+0x10 */

struct fixture {
	char dir[256];
	char journal[300];
	char live[MAX_NV][300], shadow[MAX_NV][300];
	struct crash_region regions[MAX_NV];
	size_t nr;
};

static int fd_of(const char *path)
{
	int fd = open(path, O_RDWR);

	assert_true(fd >= 0);
	return fd;
}

static void put_bytes(const char *path, uint64_t off, const void *data, size_t len)
{
	int fd = fd_of(path);

	assert_int_equal(pwrite(fd, data, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void fill(const char *path, uint64_t off, size_t len, uint8_t byte)
{
	uint8_t *buf = malloc(len);

	assert_non_null(buf);
	memset(buf, byte, len);
	put_bytes(path, off, buf, len);
	free(buf);
}

static void make_sparse(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

static void write_header(struct fixture *f, const struct persist_meta_header *h)
{
	put_bytes(f->journal, 0, h, sizeof(*h));
}

static struct persist_meta_header read_header(struct fixture *f)
{
	struct persist_meta_header h;
	int fd = fd_of(f->journal);

	assert_int_equal(pread(fd, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	close(fd);
	return h;
}

/* nr NVDIMMs named nvdimm0.. in dir/tag, with a valid journal listing
 * them; the live files' label areas hold 0xab. */
static void fixture_init(struct fixture *f, void **state, const char *tag, size_t nr)
{
	struct persist_meta_header h = {
		.magic = PERSIST_META_MAGIC, .version = PERSIST_META_VERSION,
		.nr_regions = (uint32_t)nr, .stores = 100, .flushes = 10, .fences = 3,
	};
	size_t i;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/%s", (const char *)*state, tag);
	assert_int_equal(mkdir(f->dir, 0700), 0);
	snprintf(f->journal, sizeof(f->journal), "%s/journal", f->dir);
	f->nr = nr;
	for (i = 0; i < nr; i++) {
		snprintf(f->live[i], sizeof(f->live[i]), "%s/nvdimm%zu.img", f->dir, i);
		snprintf(f->shadow[i], sizeof(f->shadow[i]), "%s/nvdimm%zu.shadow", f->dir, i);
		make_sparse(f->live[i], SIZE + LABEL);
		make_sparse(f->shadow[i], SIZE);
		fill(f->live[i], SIZE, LABEL, 0xab);
		f->regions[i] = (struct crash_region){
			.live = f->live[i], .shadow = f->shadow[i], .size = SIZE,
			.journal_index = (unsigned int)i,
		};
		h.region[i] = (struct persist_meta_region){
			.base = (uint64_t)i << 32, .size = SIZE, .lines_offset = LINES_AT(i),
		};
		snprintf(h.region[i].live, sizeof(h.region[i].live), "%s", f->live[i]);
	}
	make_sparse(f->journal, LINES_AT(nr));
	write_header(f, &h);
}

static void set_record(struct fixture *f, size_t r, uint64_t off, uint64_t store_pc,
		       uint64_t flush_pc, uint64_t state)
{
	struct persist_meta_line l = { store_pc, flush_pc, state };

	put_bytes(f->journal, LINES_AT(r) + off / 64 * sizeof(l), &l, sizeof(l));
}

/* len bytes at off of NVDIMM r that the guest stored (live) but that did
 * not persist (the shadow keeps byte old), with their journal record. */
static void unpersisted(struct fixture *f, size_t r, uint64_t off, size_t len, uint8_t old,
			uint64_t store_pc, uint64_t flush_pc, uint64_t state)
{
	uint64_t l;

	fill(f->live[r], off, len, (uint8_t)(0xc0 | (off >> 6 & 0x3f)));
	if (old)
		fill(f->shadow[r], off, len, old);
	for (l = off; l < off + len; l += 64)
		set_record(f, r, l, store_pc, flush_pc, state);
}

static struct crash_request strict_request(struct fixture *f, const struct sysmap *map)
{
	return (struct crash_request){
		.regions = f->regions, .nr_regions = f->nr, .journal = f->journal,
		.mode = CRASH_STRICT, .sysmap = map,
	};
}

static char *slurp(const char *path, size_t *len)
{
	char *data;

	assert_int_equal(read_file(path, &data, len), 0);
	return data;
}

static void assert_same_file(const char *path, const char *data, size_t len)
{
	size_t now_len;
	char *now = slurp(path, &now_len);

	assert_int_equal(now_len, len);
	assert_memory_equal(now, data, len);
	free(now);
}

/* Strict: every differing line takes the shadow's bytes, and nothing
 * else changes: not the equal data, not the label area. */
static void strict_writes_exactly_the_lost_lines(void **state)
{
	struct fixture f;
	struct crash_summary sum;
	struct crash_request req;
	size_t len, slen, i;
	char *before, *after, *shadow;

	fixture_init(&f, state, "strict", 2);
	/* data both files hold alike: no loss */
	fill(f.live[0], 0x1c0000, 8192, 0x5a);
	fill(f.shadow[0], 0x1c0000, 8192, 0x5a);
	unpersisted(&f, 0, 0x40, 64, 0, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	unpersisted(&f, 0, 0x1234c0, 192, 0x11, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	/* across a scan chunk (1 MiB) */
	unpersisted(&f, 0, 0xfffc0, 128, 0, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	/* the last modelled line; the label after it differs from the shadow too */
	unpersisted(&f, 0, SIZE - 64, 64, 0x22, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	/* the shadow has data where live is a hole (zeroed by the guest) */
	fill(f.shadow[1], 0x180000, 64, 0x33);
	set_record(&f, 1, 0x180000, 0x401a3c, 0, PERSIST_LINE_DIRTY);

	before = slurp(f.live[0], &len);
	req = strict_request(&f, NULL);
	assert_int_equal(crash_image_apply(&req, &sum), 0);
	assert_int_equal(sum.lines_lost, 1 + 3 + 2 + 1 + 1);
	assert_int_equal(sum.bytes_lost, 8 * 64);
	assert_int_equal(sum.lines_kept, 0);
	assert_int_equal(sum.nr_ranges, 5);

	after = slurp(f.live[0], &len);
	shadow = slurp(f.shadow[0], &slen);
	assert_int_equal(len, SIZE + LABEL);
	assert_memory_equal(after, shadow, SIZE);
	/* only the lost lines changed */
	for (i = 0; i < SIZE; i += 64) {
		bool lost = i == 0x40 || (i >= 0x1234c0 && i < 0x123580) ||
			    (i >= 0xfffc0 && i < 0x100040) || i == SIZE - 64;

		assert_int_equal(memcmp(after + i, before + i, 64) != 0, lost);
	}
	assert_memory_equal(after + SIZE, before + SIZE, LABEL);
	free(before);
	free(after);
	free(shadow);

	after = slurp(f.live[1], &len);
	shadow = slurp(f.shadow[1], &slen);
	assert_memory_equal(after, shadow, SIZE);
	free(after);
	free(shadow);
	assert_int_equal(sum.counters.stores, 100);
	assert_int_equal(sum.counters.fences, 3);
	crash_summary_free(&sum);

	/* a second pass finds nothing left */
	assert_int_equal(crash_image_apply(&req, &sum), 0);
	assert_int_equal(sum.lines_lost, 0);
	assert_int_equal(sum.nr_ranges, 0);
	crash_summary_free(&sum);
}

static void assert_range(const struct crash_summary *sum, size_t i, const char *text)
{
	assert_true(i < sum->nr_ranges);
	assert_string_equal(sum->ranges[i].text, text);
}

/* One line per range, the journal's story of it, PCs named. */
static void lost_ranges_are_explained(void **state)
{
	struct fixture f;
	struct crash_summary sum;
	struct crash_request req;
	struct sysmap map;

	assert_int_equal(sysmap_parse(&map, small_map, strlen(small_map), "map"), 0);
	fixture_init(&f, state, "explained", 2);
	unpersisted(&f, 0, 0x80, 64, 0, PC_NT, 0, PERSIST_LINE_PENDING | PERSIST_LINE_NT);
	/* three lines, one record: one range; the next line another story */
	unpersisted(&f, 0, 0x1234c0, 192, 0, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	unpersisted(&f, 0, 0x123580, 64, 0, PC_MEMCPY_FC, PC_FLUSH, PERSIST_LINE_DIRTY);
	/* same record after a gap: a range of its own */
	unpersisted(&f, 0, 0x180000, 64, 0, PC_MEMCPY_FC, PC_FLUSH, PERSIST_LINE_DIRTY);
	unpersisted(&f, 0, 0x180080, 64, 0, PC_MEMCPY_FC, PC_FLUSH, PERSIST_LINE_DIRTY);
	/* a store the model never saw */
	fill(f.live[0], 0x1c0000, 64, 0x77);
	unpersisted(&f, 1, 0x40, 64, 0, 0x401a3c, 0x401a50, PERSIST_LINE_PENDING);
	unpersisted(&f, 1, 0x1000, 64, 0, 0xffffffffa0012345ULL, 0, PERSIST_LINE_DIRTY);
	unpersisted(&f, 1, 0x2000, 64, 0, PC_MEMCPY_FC, 0, 0);

	req = strict_request(&f, &map);
	assert_int_equal(crash_image_apply(&req, &sum), 0);
	assert_int_equal(sum.nr_ranges, 9);
	assert_range(&sum, 0, "nvdimm0 +0x80, 64 bytes lost: non-temporal store by "
		     "memcpy_flushcache+0x9a, no fence before the cut");
	assert_range(&sum, 1, "nvdimm0 +0x1234c0, 192 bytes lost: stored by "
		     "__memcpy_flushcache+0x4e, never flushed");
	assert_range(&sum, 2, "nvdimm0 +0x123580, 64 bytes lost: stored by "
		     "__memcpy_flushcache+0x4e after its last flush by pmem_do_write+0x10");
	assert_range(&sum, 3, "nvdimm0 +0x180000, 64 bytes lost: stored by "
		     "__memcpy_flushcache+0x4e after its last flush by pmem_do_write+0x10");
	assert_range(&sum, 4, "nvdimm0 +0x180080, 64 bytes lost: stored by "
		     "__memcpy_flushcache+0x4e after its last flush by pmem_do_write+0x10");
	assert_range(&sum, 5, "nvdimm0 +0x1c0000, 64 bytes lost: stored by an instruction "
		     "the model did not see (the journal has no record of the line)");
	assert_range(&sum, 6, "nvdimm1 +0x40, 64 bytes lost: stored by user space 0x401a3c, "
		     "flushed by user space 0x401a50, but no fence before the cut");
	assert_range(&sum, 7, "nvdimm1 +0x1000, 64 bytes lost: stored by module text "
		     "0xffffffffa0012345, never flushed");
	assert_range(&sum, 8, "nvdimm1 +0x2000, 64 bytes lost: stored by "
		     "__memcpy_flushcache+0x4e, but the journal has the line persistent");
	assert_int_equal(sum.ranges[1].offset, 0x1234c0);
	assert_int_equal(sum.ranges[1].len, 192);
	assert_int_equal(sum.ranges[6].region, 1);
	crash_summary_free(&sum);
	sysmap_free(&map);
}

/* A region's own name, and the journal index that differs from its
 * place in the request. */
static void named_regions_and_journal_index(void **state)
{
	struct fixture f;
	struct crash_summary sum;
	struct crash_request req;
	struct crash_region only;

	fixture_init(&f, state, "named", 2);
	unpersisted(&f, 1, 0x100, 64, 0, 0x401000, 0, PERSIST_LINE_DIRTY);
	only = f.regions[1];
	only.name = "pmem-b";
	req = strict_request(&f, NULL);
	req.regions = &only;
	req.nr_regions = 1;
	assert_int_equal(crash_image_apply(&req, &sum), 0);
	assert_int_equal(sum.nr_ranges, 1);
	assert_range(&sum, 0, "pmem-b +0x100, 64 bytes lost: stored by user space 0x401000, "
		     "never flushed");
	crash_summary_free(&sum);
}

#define SAMPLED_LINES	256

/* NVDIMM 0 of a fixture with SAMPLED_LINES unpersisted lines spread
 * over the region. */
static void sampled_fixture(struct fixture *f, void **state, const char *tag)
{
	size_t i;

	fixture_init(f, state, tag, 1);
	for (i = 0; i < SAMPLED_LINES; i++)
		unpersisted(f, 0, (uint64_t)i * 8192 + (i % 4) * 64, 64, 0x44, PC_MEMCPY_FC, 0,
			    PERSIST_LINE_DIRTY);
}

static char *sampled_image(void **state, const char *tag, uint64_t seed, unsigned int image,
			   struct crash_summary *sum)
{
	struct fixture f;
	struct crash_request req;
	char *live, *shadow;
	size_t len, i;

	sampled_fixture(&f, state, tag);
	live = slurp(f.live[0], &len);
	req = strict_request(&f, NULL);
	req.mode = CRASH_SAMPLED;
	req.seed = seed;
	req.image = image;
	assert_int_equal(crash_image_apply(&req, sum), 0);
	assert_int_equal(sum->lines_lost + sum->lines_kept, SAMPLED_LINES);
	assert_int_equal(sum->bytes_lost, sum->lines_lost * 64);

	/* each line holds the live bytes or the shadow's, as the coin says */
	shadow = slurp(f.shadow[0], &len);
	{
		char *now = slurp(f.live[0], &len);

		for (i = 0; i < SAMPLED_LINES; i++) {
			uint64_t off = (uint64_t)i * 8192 + (i % 4) * 64;
			const char *want = crash_line_lost(seed, image, 0, off) ? shadow : live;

			assert_memory_equal(now + off, want + off, 64);
		}
		assert_memory_equal(now + SIZE, live + SIZE, LABEL);
		free(live);
		live = now;
	}
	free(shadow);
	return live;
}

/* The same seed and image give the same image; another seed or image
 * another choice. About half the lines are lost. */
static void sampled_is_reproducible(void **state)
{
	struct crash_summary a, b, c, d;
	char *ia = sampled_image(state, "sampled-a", 42, 1, &a);
	char *ib = sampled_image(state, "sampled-b", 42, 1, &b);
	char *ic = sampled_image(state, "sampled-c", 43, 1, &c);
	char *id = sampled_image(state, "sampled-d", 42, 2, &d);

	assert_memory_equal(ia, ib, SIZE + LABEL);
	assert_int_equal(a.lines_lost, b.lines_lost);
	assert_true(memcmp(ia, ic, SIZE) != 0);
	assert_true(memcmp(ia, id, SIZE) != 0);
	assert_in_range(a.lines_lost, SAMPLED_LINES / 4, SAMPLED_LINES * 3 / 4);
	assert_in_range(c.lines_lost, SAMPLED_LINES / 4, SAMPLED_LINES * 3 / 4);
	free(ia);
	free(ib);
	free(ic);
	free(id);
	crash_summary_free(&a);
	crash_summary_free(&b);
	crash_summary_free(&c);
	crash_summary_free(&d);
}

/* Kept lines are listed as kept, after the lost ones in a report. */
static void sampled_lists_kept_ranges(void **state)
{
	struct crash_summary sum;
	char *img = sampled_image(state, "sampled-kept", 7, 0, &sum);
	char buf[1 << 16];
	size_t i, kept = 0, lost = 0;
	char *first_kept;

	free(img);
	for (i = 0; i < sum.nr_ranges; i++) {
		const char *want = sum.ranges[i].kept ? "bytes kept (written back before the cut): "
						      : "bytes lost: ";

		assert_non_null(strstr(sum.ranges[i].text, want));
		if (sum.ranges[i].kept)
			kept += sum.ranges[i].len / 64;
		else
			lost += sum.ranges[i].len / 64;
	}
	assert_int_equal(sum.ranges_lost + sum.ranges_kept, sum.nr_ranges);
	assert_int_equal(kept, sum.lines_kept);
	assert_int_equal(lost, sum.lines_lost);
	crash_summary_format(&sum, SIZE, buf, sizeof(buf));
	first_kept = strstr(buf, "kept (written");
	assert_non_null(first_kept);
	assert_null(strstr(first_kept, "bytes lost"));
	assert_non_null(strstr(buf, "crash image (sampled, seed 0x7, image 0): "));
	crash_summary_free(&sum);
}

static void format_limits_the_ranges(void **state)
{
	struct fixture f;
	struct crash_summary sum;
	struct crash_request req;
	char buf[4096], small[40];
	size_t n, i;

	fixture_init(&f, state, "format", 1);
	for (i = 0; i < 5; i++)
		unpersisted(&f, 0, 0x10000 * (i + 1), 128, 0, 0x401000 + i, 0,
			    PERSIST_LINE_DIRTY);
	req = strict_request(&f, NULL);
	assert_int_equal(crash_image_apply(&req, &sum), 0);
	n = crash_summary_format(&sum, 2, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_string_equal(buf,
		"crash image (strict): 10 lines lost (640 bytes), in 5 ranges\n"
		"nvdimm0 +0x10000, 128 bytes lost: stored by user space 0x401000, never flushed\n"
		"nvdimm0 +0x20000, 128 bytes lost: stored by user space 0x401001, never flushed\n"
		"and 3 more ranges\n");
	/* cut to the buffer, the length of the whole */
	assert_int_equal(crash_summary_format(&sum, 2, small, sizeof(small)), n);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, buf, sizeof(small) - 1);

	/* the flushes the model could not place are called out */
	sum.counters.clwb_unplaced = 12;
	crash_summary_format(&sum, 0, buf, sizeof(buf));
	assert_non_null(strstr(buf, "warning: 12 clwb and 0 clflush/clflushopt the model could "
				    "not place"));
	assert_non_null(strstr(buf, "and 5 more ranges\n"));
	crash_summary_free(&sum);
}

/* Past max_ranges, ranges are counted, not listed; the lines all are. */
static void ranges_past_the_limit_are_counted(void **state)
{
	struct fixture f;
	struct crash_summary sum;
	struct crash_request req;
	char buf[4096];
	size_t i;

	fixture_init(&f, state, "limit", 1);
	for (i = 0; i < 5; i++)
		unpersisted(&f, 0, 0x10000 * (i + 1), 192, 0, 0x401000 + i, 0,
			    PERSIST_LINE_DIRTY);
	req = strict_request(&f, NULL);
	req.max_ranges = 2;
	assert_int_equal(crash_image_apply(&req, &sum), 0);
	assert_int_equal(sum.nr_ranges, 2);
	assert_int_equal(sum.ranges_lost, 5);
	assert_int_equal(sum.ranges_kept, 0);
	assert_int_equal(sum.lines_lost, 15);
	/* the listed ones whole */
	assert_int_equal(sum.ranges[1].offset, 0x20000);
	assert_int_equal(sum.ranges[1].len, 192);
	crash_summary_format(&sum, 10, buf, sizeof(buf));
	assert_non_null(strstr(buf, "15 lines lost (960 bytes), in 5 ranges\n"));
	assert_non_null(strstr(buf, "0x401001, never flushed\nand 3 more ranges\n"));
	crash_summary_free(&sum);
}

/* Applies req, which must fail with a message holding want, and checks
 * that the live file did not change. */
static void assert_refused(struct fixture *f, const struct crash_request *req, const char *want)
{
	struct crash_summary sum;
	size_t len;
	char *before = slurp(f->live[0], &len);

	assert_int_equal(crash_image_apply(req, &sum), -1);
	if (!strstr(sum.error, want))
		fail_msg("error \"%s\" does not say \"%s\"", sum.error, want);
	assert_int_equal(sum.nr_ranges, 0);
	assert_null(sum.ranges);
	assert_same_file(f->live[0], before, len);
	free(before);
	crash_summary_free(&sum);
}

static void journal_is_checked_first(void **state)
{
	struct fixture f;
	struct crash_request req;
	struct persist_meta_header h, good;

	fixture_init(&f, state, "journal", 2);
	unpersisted(&f, 0, 0x40, 64, 0, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	/* a region that is fine, the other one wrong: nothing written */
	unpersisted(&f, 1, 0x40, 64, 0, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	req = strict_request(&f, NULL);
	good = read_header(&f);

	h = good;
	h.nr_regions = 0;
	write_header(&f, &h);
	assert_refused(&f, &req, "the persistence model did not start: journal");

	h = good;
	h.nr_regions = 1;
	write_header(&f, &h);
	assert_refused(&f, &req, "the journal has 1 regions, nvdimm1 is region 1");

	h = good;
	h.magic ^= 1;
	write_header(&f, &h);
	assert_refused(&f, &req, "is not a persistence journal");

	h = good;
	h.version = 2;
	write_header(&f, &h);
	assert_refused(&f, &req, "journal version 2, this daxtest reads version 1");

	h = good;
	h.region[1].size = SIZE / 2;
	write_header(&f, &h);
	assert_refused(&f, &req, "region 1 (");
	assert_refused(&f, &req, "is 1048576 bytes, but nvdimm1 models 2097152");

	h = good;
	h.region[1].lines_offset = LINES_AT(2);
	write_header(&f, &h);
	assert_refused(&f, &req, "are not inside the journal");

	memset(&h, 0, sizeof(h));
	write_header(&f, &h);
	assert_refused(&f, &req, "the persistence model did not start: journal");

	make_sparse(f.journal, 100);
	assert_refused(&f, &req, "shorter than its header");

	unlink(f.journal);
	assert_refused(&f, &req, "the persistence model did not start: no journal");
}

static void bad_requests_are_refused(void **state)
{
	struct fixture f;
	struct crash_request req;
	struct crash_region r[2];

	fixture_init(&f, state, "request", 2);
	unpersisted(&f, 0, 0x40, 64, 0, PC_MEMCPY_FC, 0, PERSIST_LINE_DIRTY);
	memcpy(r, f.regions, sizeof(r));
	req = strict_request(&f, NULL);
	req.regions = r;

	r[1].size = SIZE - 1;
	assert_refused(&f, &req, "nvdimm1: modelled size 2097151 is not a positive multiple");
	r[1] = f.regions[1];

	r[1].journal_index = 0;
	assert_refused(&f, &req, "nvdimm0 and nvdimm1 are both region 0");
	r[1] = f.regions[1];

	r[1].shadow = "/nonexistent/shadow";
	assert_refused(&f, &req, "nvdimm1: /nonexistent/shadow: No such file");
	r[1] = f.regions[1];

	make_sparse(f.shadow[1], SIZE - 4096);
	assert_refused(&f, &req, "shorter than the 2097152 modelled");

	req.nr_regions = 0;
	assert_refused(&f, &req, "no NVDIMM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strict_writes_exactly_the_lost_lines),
		cmocka_unit_test(lost_ranges_are_explained),
		cmocka_unit_test(named_regions_and_journal_index),
		cmocka_unit_test(sampled_is_reproducible),
		cmocka_unit_test(sampled_lists_kept_ranges),
		cmocka_unit_test(format_limits_the_ranges),
		cmocka_unit_test(ranges_past_the_limit_are_counted),
		cmocka_unit_test(journal_is_checked_first),
		cmocka_unit_test(bad_requests_are_refused),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
