// SPDX-License-Identifier: GPL-2.0
/*
 * crash_image.c - the NVDIMM backing files after a power cut
 *
 * The journal and every file are checked first, then each region is
 * scanned: SEEK_DATA on both files skips what is a hole in both (the
 * files are 1 GiB and sparse), the rest is read 1 MiB at a time and
 * compared a page, then a line at a time. A line that differs is lost
 * (the shadow's bytes are written over the live ones, consecutive lines
 * in one pwrite) or kept, and joins the range of the line before it
 * when the journal says the same about both.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "proto/persist_meta.h"
#include "run/crash_image.h"

#define LINE		PERSIST_META_LINE
#define PAGE		4096
#define CHUNK		(1u << 20)
#define CHUNK_LINES	(CHUNK / LINE)
#define NO_DATA		UINT64_MAX

struct applier {
	const struct crash_request *req;
	struct crash_summary *sum;
	struct persist_meta_header head;
	int journal_fd;
	int *live_fd, *shadow_fd;
	char (*names)[32];		/* regions without a name of their own */
	uint8_t *live, *shadow;		/* the chunk being compared */
	struct persist_meta_line *rec;	/* its journal records */
	bool have_rec;
	size_t cap_ranges, max_ranges;
	struct crash_range cur;		/* the range of the last line */
	bool have_cur, cur_listed;	/* cur is the last of sum->ranges */
	/* lost lines waiting for one pwrite: [w_start, w_end) */
	uint64_t w_start, w_end;
};

static int fail(struct applier *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct applier *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->sum->error, sizeof(a->sum->error), fmt, ap);
	va_end(ap);
	log_error("crash image: %s", a->sum->error);
	return -1;
}

static const char *region_name(const struct applier *a, size_t i)
{
	return a->req->regions[i].name ? a->req->regions[i].name : a->names[i];
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

bool crash_line_lost(uint64_t seed, unsigned int image, unsigned int journal_index,
		     uint64_t offset)
{
	uint64_t h = splitmix64(seed);

	h = splitmix64(h ^ image);
	h = splitmix64(h ^ journal_index);
	h = splitmix64(h ^ (offset / LINE));
	return h >> 63;
}

/* Reads len bytes at off; past the end of the file reads zeros. */
static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			memset((char *)buf + done, 0, len - done);
			break;
		}
		done += (size_t)n;
	}
	return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* The first offset at or after off where fd has data; NO_DATA if none. */
static uint64_t next_data(int fd, uint64_t off)
{
	off_t at = lseek(fd, (off_t)off, SEEK_DATA);

	if (at >= 0)
		return (uint64_t)at;
	/* ENXIO: only a hole after off. Otherwise SEEK_DATA is not
	 * supported: take everything as data. */
	return errno == ENXIO ? NO_DATA : off;
}

/* ---- checks, before anything is written ---- */

static int check_request(struct applier *a)
{
	const struct crash_request *req = a->req;
	size_t i, j;

	if (!req->nr_regions)
		return fail(a, "no NVDIMM to make a crash image of");
	for (i = 0; i < req->nr_regions; i++) {
		const struct crash_region *r = &req->regions[i];

		if (!r->size || r->size % LINE)
			return fail(a, "%s: modelled size %" PRIu64
				    " is not a positive multiple of %d", region_name(a, i),
				    r->size, LINE);
		for (j = 0; j < i; j++)
			if (req->regions[j].journal_index == r->journal_index)
				return fail(a, "%s and %s are both region %u of the journal",
					    region_name(a, j), region_name(a, i), r->journal_index);
	}
	return 0;
}

static int check_journal_region(struct applier *a, size_t i, uint64_t file_size)
{
	const struct crash_region *r = &a->req->regions[i];
	const struct persist_meta_region *jr;
	uint64_t end;

	if (r->journal_index >= a->head.nr_regions)
		return fail(a, "%s: the journal has %u regions, %s is region %u",
			    a->req->journal, a->head.nr_regions, region_name(a, i),
			    r->journal_index);
	jr = &a->head.region[r->journal_index];
	if (jr->size != r->size)
		return fail(a, "%s: region %u (%.*s) is %" PRIu64 " bytes, but %s models %" PRIu64,
			    a->req->journal, r->journal_index, (int)sizeof(jr->live), jr->live,
			    jr->size, region_name(a, i), r->size);
	end = jr->lines_offset + r->size / LINE * sizeof(struct persist_meta_line);
	if (jr->lines_offset % PAGE || jr->lines_offset < sizeof(a->head) || end > file_size)
		return fail(a, "%s: the line records of region %u (at %" PRIu64
			    ") are not inside the journal (%" PRIu64 " bytes)",
			    a->req->journal, r->journal_index, jr->lines_offset, file_size);
	return 0;
}

static void take_counters(struct crash_counters *c, const struct persist_meta_header *h)
{
	c->stores = h->stores;
	c->nt_stores = h->nt_stores;
	c->flushes = h->flushes;
	c->flushes_placed = h->flushes_placed;
	c->clwb_unplaced = h->clwb_unplaced;
	c->other_unplaced = h->other_unplaced;
	c->fences = h->fences;
	c->persisted_lines = h->persisted_lines;
}

static int open_journal(struct applier *a)
{
	const char *path = a->req->journal;
	struct stat st;
	int ret;
	size_t i;

	a->journal_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (a->journal_fd < 0 && errno == ENOENT)
		return fail(a, "the persistence model did not start: no journal %s", path);
	if (a->journal_fd < 0)
		return fail(a, "%s: %s", path, strerror(errno));
	if (fstat(a->journal_fd, &st) < 0)
		return fail(a, "%s: %s", path, strerror(errno));
	if ((uint64_t)st.st_size < sizeof(a->head))
		return fail(a, "the persistence model did not start: journal %s is %lld bytes, "
			    "shorter than its header", path, (long long)st.st_size);
	ret = pread_full(a->journal_fd, &a->head, sizeof(a->head), 0);
	if (ret < 0)
		return fail(a, "%s: %s", path, strerror(-ret));
	if (!a->head.magic && !a->head.nr_regions)
		return fail(a, "the persistence model did not start: journal %s is empty", path);
	if (a->head.magic != PERSIST_META_MAGIC)
		return fail(a, "%s is not a persistence journal (magic 0x%016" PRIx64 ")", path,
			    a->head.magic);
	if (a->head.version != PERSIST_META_VERSION)
		return fail(a, "%s: journal version %u, this daxtest reads version %d", path,
			    a->head.version, PERSIST_META_VERSION);
	if (!a->head.nr_regions)
		return fail(a, "the persistence model did not start: journal %s lists no regions "
			    "(the plugin did not load its NVDIMMs)", path);
	if (a->head.nr_regions > PERSIST_META_MAX_REGIONS)
		return fail(a, "%s: journal lists %u regions, at most %d", path,
			    a->head.nr_regions, PERSIST_META_MAX_REGIONS);
	for (i = 0; i < a->req->nr_regions; i++)
		if (check_journal_region(a, i, (uint64_t)st.st_size) < 0)
			return -1;
	take_counters(&a->sum->counters, &a->head);
	return 0;
}

static int open_file(struct applier *a, size_t i, const char *path, int flags, int *fd)
{
	const struct crash_region *r = &a->req->regions[i];
	struct stat st;

	*fd = open(path, flags | O_CLOEXEC);
	if (*fd < 0)
		return fail(a, "%s: %s: %s", region_name(a, i), path, strerror(errno));
	if (fstat(*fd, &st) < 0)
		return fail(a, "%s: %s: %s", region_name(a, i), path, strerror(errno));
	if ((uint64_t)st.st_size < r->size)
		return fail(a, "%s: %s is %lld bytes, shorter than the %" PRIu64 " modelled",
			    region_name(a, i), path, (long long)st.st_size, r->size);
	return 0;
}

static int open_files(struct applier *a)
{
	size_t i;

	for (i = 0; i < a->req->nr_regions; i++) {
		const struct crash_region *r = &a->req->regions[i];

		if (open_file(a, i, r->shadow, O_RDONLY, &a->shadow_fd[i]) < 0 ||
		    open_file(a, i, r->live, O_RDWR, &a->live_fd[i]) < 0)
			return -1;
	}
	return 0;
}

/* ---- explanations ---- */

static char *explain(const struct applier *a, const struct crash_range *r)
{
	const struct sysmap *map = a->req->sysmap;
	char store[192], flush[192], why[448];
	char *text;

	sysmap_describe(map, r->store_pc, store, sizeof(store));
	sysmap_describe(map, r->flush_pc, flush, sizeof(flush));
	if (r->state & PERSIST_LINE_DIRTY) {
		if (r->flush_pc)
			snprintf(why, sizeof(why), "stored by %s after its last flush by %s", store,
				 flush);
		else
			snprintf(why, sizeof(why), "stored by %s, never flushed", store);
	} else if (r->state & PERSIST_LINE_PENDING) {
		if (r->state & PERSIST_LINE_NT)
			snprintf(why, sizeof(why),
				 "non-temporal store by %s, no fence before the cut", store);
		else
			snprintf(why, sizeof(why),
				 "stored by %s, flushed by %s, but no fence before the cut", store,
				 flush);
	} else if (r->store_pc) {
		snprintf(why, sizeof(why), "stored by %s, but the journal has the line persistent",
			 store);
	} else {
		snprintf(why, sizeof(why), "stored by %s (the journal has no record of the line)",
			 store);
	}
	if (asprintf(&text, "%s +0x%" PRIx64 ", %" PRIu64 " bytes %s: %s",
		     region_name(a, r->region), r->offset, r->len,
		     r->kept ? "kept (written back before the cut)" : "lost", why) < 0)
		return NULL;
	return text;
}

static int finish_ranges(struct applier *a)
{
	size_t i;

	for (i = 0; i < a->sum->nr_ranges; i++) {
		a->sum->ranges[i].text = explain(a, &a->sum->ranges[i]);
		if (!a->sum->ranges[i].text)
			return fail(a, "out of memory");
	}
	return 0;
}

/* ---- the scan ---- */

static int add_line(struct applier *a, size_t ri, uint64_t off, const struct persist_meta_line *rec,
		    bool kept)
{
	struct crash_summary *sum = a->sum;
	struct crash_range *c = &a->cur;
	size_t *count = kept ? &sum->ranges_kept : &sum->ranges_lost;

	if (a->have_cur && c->region == ri && c->offset + c->len == off && c->kept == kept &&
	    c->store_pc == rec->store_pc && c->flush_pc == rec->flush_pc &&
	    c->state == rec->state) {
		c->len += LINE;
		if (a->cur_listed)
			sum->ranges[sum->nr_ranges - 1].len += LINE;
		return 0;
	}
	*c = (struct crash_range){
		.region = ri, .offset = off, .len = LINE, .store_pc = rec->store_pc,
		.flush_pc = rec->flush_pc, .state = rec->state, .kept = kept,
	};
	a->have_cur = true;
	a->cur_listed = ++*count <= a->max_ranges;
	if (!a->cur_listed)
		return 0;
	if (sum->nr_ranges == a->cap_ranges) {
		size_t cap = a->cap_ranges ? a->cap_ranges * 2 : 64;
		struct crash_range *v = realloc(sum->ranges, cap * sizeof(*v));

		if (!v)
			return fail(a, "out of memory");
		sum->ranges = v;
		a->cap_ranges = cap;
	}
	sum->ranges[sum->nr_ranges++] = *c;
	return 0;
}

/* Writes the waiting lost lines (their shadow bytes, in a->shadow from
 * chunk offset start). */
static int write_lost(struct applier *a, size_t ri, uint64_t start)
{
	int ret;

	if (a->w_end == a->w_start)
		return 0;
	ret = pwrite_full(a->live_fd[ri], a->shadow + (a->w_start - start), a->w_end - a->w_start,
			  a->w_start);
	if (ret < 0)
		return fail(a, "%s: writing %s: %s", region_name(a, ri), a->req->regions[ri].live,
			    strerror(-ret));
	a->w_start = a->w_end;
	return 0;
}

static int line_differs(struct applier *a, size_t ri, uint64_t start, uint64_t off)
{
	const struct crash_region *r = &a->req->regions[ri];
	const struct persist_meta_line *rec;
	bool lost = true;
	int ret;

	if (!a->have_rec) {
		uint64_t at = a->head.region[r->journal_index].lines_offset +
			      start / LINE * sizeof(*a->rec);
		size_t n = (size_t)((r->size - start) / LINE);

		if (n > CHUNK_LINES)
			n = CHUNK_LINES;
		ret = pread_full(a->journal_fd, a->rec, n * sizeof(*a->rec), at);
		if (ret < 0)
			return fail(a, "%s: %s", a->req->journal, strerror(-ret));
		a->have_rec = true;
	}
	rec = &a->rec[(off - start) / LINE];
	if (a->req->mode == CRASH_SAMPLED)
		lost = crash_line_lost(a->req->seed, a->req->image, r->journal_index, off);
	if (lost) {
		a->sum->lines_lost++;
		a->sum->bytes_lost += LINE;
		if (a->w_end != off && write_lost(a, ri, start) < 0)
			return -1;
		if (a->w_end != off)
			a->w_start = off;
		a->w_end = off + LINE;
	} else {
		a->sum->lines_kept++;
	}
	return add_line(a, ri, off, rec, !lost);
}

/* Compares the chunk [start, start + len) of region ri, read into
 * a->live and a->shadow. */
static int compare_chunk(struct applier *a, size_t ri, uint64_t start, size_t len)
{
	size_t p, l;

	a->have_rec = false;
	a->w_start = a->w_end = start;
	for (p = 0; p < len; p += PAGE) {
		size_t plen = len - p < PAGE ? len - p : PAGE;

		if (!memcmp(a->live + p, a->shadow + p, plen))
			continue;
		for (l = p; l < p + plen; l += LINE)
			if (memcmp(a->live + l, a->shadow + l, LINE) &&
			    line_differs(a, ri, start, start + l) < 0)
				return -1;
	}
	return write_lost(a, ri, start);
}

static int scan_region(struct applier *a, size_t ri)
{
	const struct crash_region *r = &a->req->regions[ri];
	uint64_t pos = 0;
	int ret;

	while (pos < r->size) {
		uint64_t start = next_data(a->live_fd[ri], pos);
		uint64_t s = next_data(a->shadow_fd[ri], pos);
		size_t len;

		if (s < start)
			start = s;
		if (start >= r->size)
			break;
		start &= ~(uint64_t)(PAGE - 1);
		if (start < pos)
			start = pos;
		len = r->size - start < CHUNK ? (size_t)(r->size - start) : CHUNK;
		ret = pread_full(a->live_fd[ri], a->live, len, start);
		if (!ret)
			ret = pread_full(a->shadow_fd[ri], a->shadow, len, start);
		if (ret < 0)
			return fail(a, "%s: reading: %s", region_name(a, ri), strerror(-ret));
		if (compare_chunk(a, ri, start, len) < 0)
			return -1;
		pos = start + len;
	}
	if (fsync(a->live_fd[ri]) < 0)
		return fail(a, "%s: fsync %s: %s", region_name(a, ri), r->live, strerror(errno));
	return 0;
}

/* ---- the whole ---- */

static int applier_init(struct applier *a, const struct crash_request *req,
			struct crash_summary *sum)
{
	size_t i, n = req->nr_regions ? req->nr_regions : 1;

	memset(a, 0, sizeof(*a));
	a->req = req;
	a->sum = sum;
	a->journal_fd = -1;
	a->max_ranges = req->max_ranges ? req->max_ranges : CRASH_RANGES_MAX;
	a->live_fd = malloc(2 * n * sizeof(int));
	if (!a->live_fd)
		return fail(a, "out of memory");
	a->shadow_fd = a->live_fd + n;
	for (i = 0; i < 2 * n; i++)
		a->live_fd[i] = -1;
	a->names = calloc(n, sizeof(*a->names));
	a->live = malloc(CHUNK);
	a->shadow = malloc(CHUNK);
	a->rec = malloc(CHUNK_LINES * sizeof(*a->rec));
	if (!a->names || !a->live || !a->shadow || !a->rec)
		return fail(a, "out of memory");
	for (i = 0; i < req->nr_regions; i++)
		snprintf(a->names[i], sizeof(a->names[i]), "nvdimm%zu", i);
	return 0;
}

static void applier_free(struct applier *a)
{
	size_t i;

	for (i = 0; a->live_fd && i < a->req->nr_regions; i++) {
		if (a->live_fd[i] >= 0)
			close(a->live_fd[i]);
		if (a->shadow_fd[i] >= 0)
			close(a->shadow_fd[i]);
	}
	if (a->journal_fd >= 0)
		close(a->journal_fd);
	free(a->live_fd);		/* and shadow_fd, its second half */
	free(a->names);
	free(a->live);
	free(a->shadow);
	free(a->rec);
}

int crash_image_apply(const struct crash_request *req, struct crash_summary *sum)
{
	struct applier a;
	size_t i;
	int ret = -1;

	memset(sum, 0, sizeof(*sum));
	sum->mode = req->mode;
	sum->seed = req->seed;
	sum->image = req->image;
	if (applier_init(&a, req, sum) < 0 || check_request(&a) < 0 || open_journal(&a) < 0 ||
	    open_files(&a) < 0)
		goto out;
	for (i = 0; i < req->nr_regions; i++)
		if (scan_region(&a, i) < 0)
			goto out;
	ret = finish_ranges(&a);
out:
	applier_free(&a);
	if (ret < 0) {
		char error[sizeof(sum->error)];

		memcpy(error, sum->error, sizeof(error));
		crash_summary_free(sum);
		memcpy(sum->error, error, sizeof(error));
	}
	return ret;
}

void crash_summary_free(struct crash_summary *sum)
{
	size_t i;

	for (i = 0; i < sum->nr_ranges; i++)
		free(sum->ranges[i].text);
	free(sum->ranges);
	memset(sum, 0, sizeof(*sum));
}

/* ---- the report ---- */

struct out {
	char *buf;
	size_t size, len;	/* len: of the whole text, may pass size */
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

size_t crash_summary_format(const struct crash_summary *sum, size_t max_ranges, char *buf,
			    size_t size)
{
	struct out o = { .buf = buf, .size = size };
	const struct crash_counters *c = &sum->counters;
	size_t shown = 0, i;
	int pass;

	if (size)
		buf[0] = '\0';
	if (sum->mode == CRASH_SAMPLED)
		put(&o, "crash image (sampled, seed 0x%" PRIx64 ", image %u): ", sum->seed,
		    sum->image);
	else
		put(&o, "crash image (strict): ");
	put(&o, "%" PRIu64 " lines lost (%" PRIu64 " bytes)", sum->lines_lost, sum->bytes_lost);
	if (sum->mode == CRASH_SAMPLED)
		put(&o, ", %" PRIu64 " kept", sum->lines_kept);
	put(&o, ", in %zu ranges\n", sum->ranges_lost + sum->ranges_kept);
	if (c->clwb_unplaced || c->other_unplaced)
		put(&o, "warning: %" PRIu64 " clwb and %" PRIu64 " clflush/clflushopt the model "
		    "could not place (no marker load after them): their lines count as never "
		    "flushed\n", c->clwb_unplaced, c->other_unplaced);
	/* the lost first: they are what a test must survive */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < sum->nr_ranges; i++) {
			if (sum->ranges[i].kept != (pass == 1))
				continue;
			if (shown == max_ranges)
				break;
			put(&o, "%s\n", sum->ranges[i].text ? sum->ranges[i].text : "?");
			shown++;
		}
	if (sum->ranges_lost + sum->ranges_kept > shown)
		put(&o, "and %zu more ranges\n", sum->ranges_lost + sum->ranges_kept - shown);
	return o.len;
}
