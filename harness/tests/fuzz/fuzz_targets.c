// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_targets.c - the parsers of guest output, fed arbitrary bytes
 *
 * Each target drives its parser the way the runner does (vm/session_io.c
 * and lane.c), frees everything it got, and checks what the parser's
 * header promises: stored text is cut and cleaned, results are numbered
 * in order, every finding has a title, events do not depend on how the
 * bytes were split into reads. Where a target needs a choice (where reads
 * end, when findings are taken), a generator seeded from the input makes
 * it, so an input always replays the same way.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/agent_stream.h"
#include "parse/console_watch.h"
#include "tests/fuzz/fuzz_targets.h"
#include "parse/ktap.h"
#include "proto/agent_proto.h"
#include "report/report.h"

#define KTAP_KEPT_ERRORS	65	/* ktap.c keeps 64, then "more errors" */
#define CONSOLE_SPLIT_MAX	8192	/* vm/session_io.c's console line buffer */
#define FINDING_MAX_LINES	(2 * CONSOLE_REPORT_LINES) /* "cut here" lines too */

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			check_failed(__FILE__, __LINE__, #cond);	\
	} while (0)

static void check_failed(const char *file, int line, const char *what)
	__attribute__((noreturn));

static void check_failed(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
	abort();
}

/* xorshift32, seeded with an FNV-1a hash of the input. */
static uint32_t rng_seed(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h ? h : 1;
}

static uint32_t rng_next(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* The length of the next read: mostly a few bytes, sometimes past the
 * end of a record. */
static size_t chunk_len(uint32_t *rng)
{
	uint32_t r = rng_next(rng);

	switch (r & 3) {
	case 0:
	case 1:
		return 1 + (r >> 8) % 16;
	case 2:
		return 1 + (r >> 8) % 512;
	default:
		return 1 + (r >> 8) % (2 * DAXTEST_LINE_MAX);
	}
}

/* At most max bytes, no control bytes but tab; with ascii, no bytes
 * above '~' either. */
static void check_text(const char *s, size_t max, bool ascii)
{
	size_t i;

	CHECK(s);
	for (i = 0; s[i]; i++) {
		unsigned char c = s[i];

		CHECK(i < max);
		CHECK(c == '\t' || (c >= 0x20 && c != 0x7f));
		CHECK(!ascii || c < 0x7f);
	}
}

/* KTAP */

/* Returns the number of leaf results; *deepest: the deepest level seen. */
static size_t check_ktap_tests(const struct ktap_test *tests, size_t n, int depth,
			       int *deepest)
{
	size_t i, j, leaves = 0;

	CHECK(depth < KTAP_MAX_DEPTH);
	if (n && depth > *deepest)
		*deepest = depth;
	CHECK(!n || tests);
	for (i = 0; i < n; i++) {
		const struct ktap_test *t = &tests[i];

		CHECK(t->number >= 1 && (size_t)t->number == i + 1);
		CHECK(strcmp(ktap_status_name(t->status), "unknown"));
		check_text(t->name, KTAP_MAX_TEXT, false);
		if (t->directive)
			check_text(t->directive, KTAP_MAX_TEXT, false);
		for (j = 0; j < t->nr_diag; j++) {
			check_text(t->diag[j], KTAP_MAX_TEXT, false);
			CHECK(t->diag[j][0]);
		}
		if (t->nr_subtests)
			leaves += check_ktap_tests(t->subtests, t->nr_subtests, depth + 1,
						   deepest);
		else
			leaves++;
	}
	return leaves;
}

/*
 * report_ktap.c promises that what it prints of a program's results
 * parses back without errors: the program's result, with the parsed
 * results as its subtests, the same leaves with the same statuses
 * (unless the deepest level had to be left out).
 */
static void check_ktap_report(const struct ktap_doc *doc, int deepest)
{
	struct ktap_counts before = { 0 }, after = { 0 };
	struct test_result t = { 0 };
	struct ktap_doc back;
	size_t len, i;
	char *text;
	FILE *f;

	t.name = "area/program";
	t.status = TEST_FAIL;
	t.reason = doc->nr_trailing ? doc->trailing[doc->nr_trailing - 1] : NULL;
	t.ktap = *doc;
	f = open_memstream(&text, &len);
	CHECK(f);
	report_ktap_begin(f, 1);
	report_ktap_test(f, 1, &t);
	CHECK(fclose(f) == 0);
	CHECK(ktap_parse(text, len, &back) == 0);
	for (i = 0; i < back.nr_errors; i++)
		fprintf(stderr, "report KTAP: %s\n", back.errors[i]);
	CHECK(!back.nr_errors);
	CHECK(back.nr_tests == 1);
	if (doc->nr_tests && deepest < KTAP_MAX_DEPTH - 1) {
		ktap_count(doc, &before);
		ktap_count(&back, &after);
		CHECK(!memcmp(&before, &after, sizeof(before)));
	}
	ktap_doc_free(&back);
	free(text);
}

void fuzz_ktap(const uint8_t *data, size_t size)
{
	struct ktap_counts c = { 0 };
	struct ktap_doc doc;
	int deepest = 0;
	size_t i, leaves;

	CHECK(ktap_parse((const char *)data, size, &doc) == 0);
	leaves = check_ktap_tests(doc.tests, doc.nr_tests, 0, &deepest);
	ktap_count(&doc, &c);
	CHECK(c.passed + c.failed + c.skipped + c.xfailed + c.timeout + c.error == leaves);
	CHECK(doc.plan >= -1);
	CHECK(doc.nr_errors <= KTAP_KEPT_ERRORS);
	for (i = 0; i < doc.nr_errors; i++)
		check_text(doc.errors[i], KTAP_MAX_TEXT, false);
	for (i = 0; i < doc.nr_trailing; i++)
		check_text(doc.trailing[i], KTAP_MAX_TEXT, false);
	/* A stream without a version, a plan, or with results missing
	 * always says so. */
	if (!doc.nr_errors)
		CHECK(doc.has_version && doc.plan >= 0 && (size_t)doc.plan == doc.nr_tests);
	CHECK(!doc.disordered || doc.nr_errors);
	check_ktap_report(&doc, deepest);
	ktap_doc_free(&doc);
}

/* Console watcher */

struct console_run {
	struct console_watch w;
	size_t started;		/* lines that said they started a finding */
	size_t taken;		/* findings taken */
};

/* Checks the findings and frees them. */
static void check_findings(struct kfinding *f, size_t nr)
{
	bool title_seen;
	size_t i, j;

	CHECK(!nr == !f);
	for (i = 0; i < nr; i++) {
		CHECK(strcmp(kfinding_kind_name(f[i].kind), "unknown"));
		check_text(f[i].title, CONSOLE_LINE_MAX, false);
		CHECK(f[i].nr_lines >= 1 && f[i].nr_lines <= FINDING_MAX_LINES);
		title_seen = false;
		for (j = 0; j < f[i].nr_lines; j++) {
			check_text(f[i].lines[j], CONSOLE_LINE_MAX, false);
			title_seen = title_seen || !strcmp(f[i].lines[j], f[i].title);
		}
		CHECK(title_seen);
		kfinding_free(&f[i]);
	}
	free(f);
}

static void console_feed(struct console_run *r, const char *line)
{
	int ret = console_watch_line(&r->w, line);

	CHECK(ret == 0 || ret == 1);
	r->started += ret;
}

static void console_take(struct console_run *r)
{
	struct kfinding *f;
	size_t nr;

	f = console_watch_take(&r->w, &nr);
	r->taken += nr;
	check_findings(f, nr);
}

/* Takes what is left: every finding started was filed. */
static void console_end(struct console_run *r)
{
	console_take(r);
	CHECK(r->started == r->taken);
	console_watch_free(&r->w);
}

void fuzz_console_watch(const uint8_t *data, size_t size)
{
	uint32_t rng = rng_seed(data, size);
	struct console_run r = { 0 };
	char line[CONSOLE_SPLIT_MAX];
	size_t len = 0, i;

	console_watch_init(&r.w);
	for (i = 0; i < size; i++) {
		char c = data[i];

		/* vm/session_io.c: CR dropped, overlong lines cut */
		if (c == '\r')
			continue;
		if (c != '\n') {
			if (len < sizeof(line) - 1)
				line[len++] = c;
			continue;
		}
		line[len] = '\0';
		len = 0;
		console_feed(&r, line);
		switch (rng_next(&rng) % 64) {
		case 0:		/* a test ended: lane.c takes its findings */
			console_take(&r);
			break;
		case 1:		/* and starts the next test's watcher afresh */
			console_take(&r);
			console_watch_free(&r.w);
			console_watch_init(&r.w);
			break;
		case 2:		/* a guest ended */
			CHECK(console_watch_flush(&r.w) == 0);
			break;
		}
	}
	if (len) {
		line[len] = '\0';
		console_feed(&r, line);
	}
	console_end(&r);
}

/* Agent stream */

struct agent_run {
	uint64_t hash;		/* of every event, in order */
	size_t nr_events;
	struct console_run dmesg;
};

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static void check_event(const struct agent_event *ev)
{
	check_text(ev->text, DAXTEST_LINE_MAX - 1, true);
	switch (ev->kind) {
	case AGENT_HELLO:
		CHECK(ev->version >= 0 && ev->value >= 0);
		break;
	case AGENT_PREPARED:
	case AGENT_READY:
		CHECK(ev->value >= 0);
		break;
	case AGENT_BEGIN:
		CHECK(ev->index >= 1 && ev->text[0]);
		break;
	case AGENT_OUT:
	case AGENT_DMESG:
		CHECK(ev->index >= 1);
		break;
	case AGENT_END:
		CHECK(ev->index >= 1 && ev->value >= 0);
		CHECK((ev->exit_code >= 0 && ev->exit_code <= 255 && !ev->signal) ||
		      (ev->exit_code == -1 && ev->signal >= 1 && ev->signal <= 127));
		break;
	case AGENT_LOG:
	case AGENT_ERROR:
	case AGENT_BYE:
	case AGENT_BAD:
		break;
	default:
		CHECK(!"an event of no known kind");
	}
	CHECK(ev->kind == AGENT_END || !ev->timed_out);
}

static void on_agent_event(const struct agent_event *ev, void *arg)
{
	struct agent_run *r = arg;
	const long fields[] = {
		ev->kind, ev->version, ev->index, ev->value, ev->exit_code,
		ev->signal, ev->timed_out,
	};

	check_event(ev);
	r->hash = hash_bytes(r->hash, fields, sizeof(fields));
	r->hash = hash_bytes(r->hash, ev->text, strlen(ev->text) + 1);
	r->nr_events++;
	/* lane.c: the test's kernel log goes to its console watcher */
	if (ev->kind == AGENT_DMESG)
		console_feed(&r->dmesg, ev->text);
}

/* Feeds the bytes in one piece, or in reads of the lengths rng picks. */
static void agent_run(struct agent_run *r, const uint8_t *data, size_t size,
		      uint32_t *rng)
{
	struct agent_stream *s;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->hash = 14695981039346656037ull;
	console_watch_init(&r->dmesg.w);
	s = agent_stream_new(on_agent_event, r);
	CHECK(s);
	while (size) {
		n = rng ? chunk_len(rng) : size;
		if (n > size)
			n = size;
		agent_stream_feed(s, (const char *)data, n);
		data += n;
		size -= n;
	}
	agent_stream_finish(s);
	agent_stream_free(s);
	console_end(&r->dmesg);
}

void fuzz_agent_stream(const uint8_t *data, size_t size)
{
	struct agent_run whole, chunked;
	uint32_t rng = rng_seed(data, size);

	agent_run(&whole, data, size, NULL);
	agent_run(&chunked, data, size, &rng);
	CHECK(whole.nr_events == chunked.nr_events);
	CHECK(whole.hash == chunked.hash);
}

const struct fuzz_target fuzz_targets[] = {
	{ "ktap", fuzz_ktap },
	{ "console_watch", fuzz_console_watch },
	{ "agent_stream", fuzz_agent_stream },
};
const size_t nr_fuzz_targets = sizeof(fuzz_targets) / sizeof(fuzz_targets[0]);
