// SPDX-License-Identifier: GPL-2.0
/*
 * test_agent_stream.c - the host's parser of agent records and plan writer
 *
 * The plan round trip goes through the agent's own plan parser
 * (guest/plan.c), compiled in here.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "parse/agent_stream.h"
#include "proto/agent_proto.h"
#include "guest/plan.c"

#define MAX_EVENTS 64

struct recorded {
	struct agent_event ev;
	char *text;
};

struct recorder {
	struct recorded ev[MAX_EVENTS];
	size_t nr;
	size_t total;
};

static void record(const struct agent_event *ev, void *arg)
{
	struct recorder *r = arg;

	assert_non_null(ev->text);
	r->total++;
	if (r->nr == MAX_EVENTS)
		return;
	r->ev[r->nr].ev = *ev;
	r->ev[r->nr].text = strdup(ev->text);
	assert_non_null(r->ev[r->nr].text);
	r->ev[r->nr].ev.text = r->ev[r->nr].text;
	r->nr++;
}

static void recorder_clear(struct recorder *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		free(r->ev[i].text);
	memset(r, 0, sizeof(*r));
}

/* Feeds text in one go, then finishes the stream. */
static void parse_all(struct recorder *r, const char *text, size_t len)
{
	struct agent_stream *s = agent_stream_new(record, r);

	assert_non_null(s);
	agent_stream_feed(s, text, len);
	agent_stream_finish(s);
	agent_stream_free(s);
}

static void parse_str(struct recorder *r, const char *text)
{
	parse_all(r, text, strlen(text));
}

/* One line in, exactly one event of kind out. */
static const struct agent_event *parse_one(struct recorder *r, const char *line,
					   enum agent_event_kind kind)
{
	parse_str(r, line);
	assert_int_equal(r->nr, 1);
	assert_int_equal(r->ev[0].ev.kind, kind);
	return &r->ev[0].ev;
}

static void test_hello(void **state)
{
	struct recorder r = { 0 };
	const struct agent_event *ev;

	ev = parse_one(&r, "hello 1 uptime_ms=1799 release=6.12.117\n", AGENT_HELLO);
	assert_int_equal(ev->version, 1);
	assert_int_equal(ev->value, 1799);
	assert_string_equal(ev->text, "6.12.117");
	recorder_clear(&r);

	/* Unknown keys are skipped; release is optional. */
	ev = parse_one(&r, "hello 2 future=x uptime_ms=5\n", AGENT_HELLO);
	assert_int_equal(ev->version, 2);
	assert_int_equal(ev->value, 5);
	assert_string_equal(ev->text, "");
	recorder_clear(&r);
}

static void test_ready_begin_out_dmesg(void **state)
{
	struct recorder r = { 0 };
	const struct agent_event *ev;

	ev = parse_one(&r, "ready 1262\n", AGENT_READY);
	assert_int_equal(ev->value, 1262);
	recorder_clear(&r);

	ev = parse_one(&r, "begin 3 per-file-dax/dax_statx\n", AGENT_BEGIN);
	assert_int_equal(ev->index, 3);
	assert_string_equal(ev->text, "per-file-dax/dax_statx");
	recorder_clear(&r);

	ev = parse_one(&r, "out 12 ok 1 - \tmmap  works \n", AGENT_OUT);
	assert_int_equal(ev->index, 12);
	assert_string_equal(ev->text, "ok 1 - \tmmap  works ");
	recorder_clear(&r);

	/* An empty output line, as the agent sends it, and without the space. */
	ev = parse_one(&r, "out 1 \n", AGENT_OUT);
	assert_string_equal(ev->text, "");
	recorder_clear(&r);
	ev = parse_one(&r, "out 1\n", AGENT_OUT);
	assert_string_equal(ev->text, "");
	recorder_clear(&r);

	ev = parse_one(&r, "dmesg 2 [    6.554759] EXT4-fs (pmem0): mounted\n", AGENT_DMESG);
	assert_int_equal(ev->index, 2);
	assert_string_equal(ev->text, "[    6.554759] EXT4-fs (pmem0): mounted");
	recorder_clear(&r);
}

static void test_prepared(void **state)
{
	struct recorder r = { 0 };
	const struct agent_event *ev;

	ev = parse_one(&r, "prepared 840\n", AGENT_PREPARED);
	assert_int_equal(ev->value, 840);
	recorder_clear(&r);

	ev = parse_one(&r, "prepared 0\n", AGENT_PREPARED);
	assert_int_equal(ev->value, 0);
	recorder_clear(&r);

	/* The hello of a restored guest. */
	ev = parse_one(&r, "hello 3 uptime_ms=5012 release=6.12.117 restored=1\n", AGENT_HELLO);
	assert_int_equal(ev->version, 3);
	assert_int_equal(ev->value, 5012);
	assert_string_equal(ev->text, "6.12.117");
	recorder_clear(&r);
}

static void test_end(void **state)
{
	struct recorder r = { 0 };
	const struct agent_event *ev;

	ev = parse_one(&r, "end 1 exit=0 ms=57\n", AGENT_END);
	assert_int_equal(ev->index, 1);
	assert_int_equal(ev->exit_code, 0);
	assert_int_equal(ev->signal, 0);
	assert_int_equal(ev->value, 57);
	assert_false(ev->timed_out);
	recorder_clear(&r);

	ev = parse_one(&r, "end 2 exit=4 ms=0\n", AGENT_END);
	assert_int_equal(ev->exit_code, 4);
	recorder_clear(&r);

	ev = parse_one(&r, "end 5 signal=11 ms=6\n", AGENT_END);
	assert_int_equal(ev->exit_code, -1);
	assert_int_equal(ev->signal, 11);
	assert_false(ev->timed_out);
	recorder_clear(&r);

	ev = parse_one(&r, "end 3 signal=9 ms=3059 timeout\n", AGENT_END);
	assert_int_equal(ev->index, 3);
	assert_int_equal(ev->signal, 9);
	assert_int_equal(ev->value, 3059);
	assert_true(ev->timed_out);
	recorder_clear(&r);
}

static void test_log_error_bye(void **state)
{
	struct recorder r = { 0 };
	const struct agent_event *ev;

	ev = parse_one(&r, "log unmounted /tmp/a, left mounted by x/y\n", AGENT_LOG);
	assert_string_equal(ev->text, "unmounted /tmp/a, left mounted by x/y");
	recorder_clear(&r);

	ev = parse_one(&r, "error modprobe bogus failed (exit 1)\n", AGENT_ERROR);
	assert_string_equal(ev->text, "modprobe bogus failed (exit 1)");
	recorder_clear(&r);

	ev = parse_one(&r, "bye\n", AGENT_BYE);
	assert_string_equal(ev->text, "");
	recorder_clear(&r);
}

/* Lines that are no valid record: each is exactly one AGENT_BAD event
 * carrying the line. */
static void test_bad_records(void **state)
{
	static const char *const bad[] = {
		"",
		"hello",
		"hello 1",
		"hello x uptime_ms=1",
		"hello 1 uptime_ms=",
		"hello 1 uptime_ms=12a",
		"hello 1 uptime_ms=1 =x",
		"hello 1 uptime_ms=1 noequals",
		"hello 1  uptime_ms=1",
		"hello 1 uptime_ms=99999999999999999999999",
		"ready",
		"ready -1",
		"ready +1",
		"ready 1 2",
		"ready 1 ",
		"prepared",
		"prepared ",
		"prepared -1",
		"prepared x",
		"prepared 1 2",
		"prepared 1 ",
		"prepare 1",
		"preparedx 1",
		"begin",
		"begin 1",
		"begin 1 ",
		"begin 0 name",
		"begin -1 name",
		"begin x name",
		"out",
		"out x text",
		"out 0 text",
		"out 99999999999 text",
		"dmesg",
		"end",
		"end 1",
		"end 1 exit=0",
		"end 1 exit=0 ms=",
		"end 1 exit=256 ms=1",
		"end 1 exit=-1 ms=1",
		"end 1 signal=0 ms=1",
		"end 1 signal=128 ms=1",
		"end 1 exit=0 ms=1 ",
		"end 1 exit=0 ms=1 timeout ",
		"end 1 exit=0 ms=1 timedout",
		"end 1 exit=0 ms=1 timeout extra",
		"end 1 ms=1 exit=0",
		"end 1 status=0 ms=1",
		"end 1  exit=0 ms=1",
		"bye ",
		"bye now",
		"BYE",
		"goodbye",
		" bye",
		"bye\r",
		"out 1 caf\xc3\xa9",
		"log \x1b[31mred",
	};
	struct recorder r = { 0 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char line[256];
		size_t k;

		snprintf(line, sizeof(line), "%s\n", bad[i]);
		parse_str(&r, line);
		if (r.nr != 1 || r.ev[0].ev.kind != AGENT_BAD)
			fail_msg("\"%s\" was not reported as bad", bad[i]);
		assert_int_equal(strlen(r.ev[0].text), strlen(bad[i]));
		for (k = 0; bad[i][k]; k++) {
			unsigned char c = bad[i][k];

			assert_int_equal(r.ev[0].text[k],
					 c == '\t' || (c >= 0x20 && c < 0x7f) ? c : '?');
		}
		recorder_clear(&r);
	}
}

static void test_nul_byte(void **state)
{
	static const char text[] = "log a\0b\nbye\n";
	struct recorder r = { 0 };

	parse_all(&r, text, sizeof(text) - 1);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.ev[0].ev.kind, AGENT_BAD);
	assert_string_equal(r.ev[0].text, "log a?b");
	assert_int_equal(r.ev[1].ev.kind, AGENT_BYE);
	recorder_clear(&r);
}

static const char stream_text[] =
	"hello 1 uptime_ms=2172 release=6.12.117\n"
	"log loaded modules nfit nd_pmem dax_pmem in 752 ms\n"
	"prepared 1190\n"
	"ready 1262\n"
	"begin 1 demo/ok\n"
	"out 1 hello\n"
	"out 1 \n"
	"dmesg 1 [    3.145517] ok-test: kernel message\n"
	"end 1 exit=0 ms=57\n"
	"begin 2 demo/hang\n"
	"end 2 signal=9 ms=3059 timeout\n"
	"bye\n";

static void check_stream(const struct recorder *r)
{
	static const enum agent_event_kind kinds[] = {
		AGENT_HELLO, AGENT_LOG, AGENT_PREPARED, AGENT_READY, AGENT_BEGIN, AGENT_OUT,
		AGENT_OUT, AGENT_DMESG, AGENT_END, AGENT_BEGIN, AGENT_END, AGENT_BYE,
	};
	size_t i;

	assert_int_equal(r->nr, sizeof(kinds) / sizeof(kinds[0]));
	for (i = 0; i < r->nr; i++)
		assert_int_equal(r->ev[i].ev.kind, kinds[i]);
	assert_int_equal(r->ev[2].ev.value, 1190);
	assert_string_equal(r->ev[5].text, "hello");
	assert_string_equal(r->ev[6].text, "");
	assert_true(r->ev[10].ev.timed_out);
}

static void test_whole_stream(void **state)
{
	struct recorder r = { 0 };

	parse_str(&r, stream_text);
	check_stream(&r);
	recorder_clear(&r);
}

/* Byte at a time, and in every split into two pieces: same events. */
static void test_split_feeds(void **state)
{
	size_t len = strlen(stream_text), cut, i;
	struct recorder r = { 0 };
	struct agent_stream *s;

	s = agent_stream_new(record, &r);
	assert_non_null(s);
	for (i = 0; i < len; i++)
		agent_stream_feed(s, stream_text + i, 1);
	agent_stream_finish(s);
	agent_stream_free(s);
	check_stream(&r);
	recorder_clear(&r);

	for (cut = 0; cut <= len; cut++) {
		s = agent_stream_new(record, &r);
		assert_non_null(s);
		agent_stream_feed(s, stream_text, cut);
		agent_stream_feed(s, stream_text + cut, len - cut);
		agent_stream_feed(s, "", 0);
		agent_stream_finish(s);
		agent_stream_free(s);
		check_stream(&r);
		recorder_clear(&r);
	}
}

static void test_partial_last_line(void **state)
{
	struct recorder r = { 0 };

	parse_str(&r, "bye\nout 1 no newline");
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.ev[0].ev.kind, AGENT_BYE);
	assert_int_equal(r.ev[1].ev.kind, AGENT_BAD);
	assert_string_equal(r.ev[1].text, "out 1 no newline");
	recorder_clear(&r);

	/* Nothing pending: finish reports nothing. */
	parse_str(&r, "bye\n");
	assert_int_equal(r.nr, 1);
	recorder_clear(&r);
	parse_str(&r, "");
	assert_int_equal(r.nr, 0);
	recorder_clear(&r);
}

/* A line of exactly DAXTEST_LINE_MAX bytes with its newline is valid; one
 * byte more is reported once, cut, and the stream goes on. */
static void test_line_limit(void **state)
{
	size_t text_len = DAXTEST_LINE_MAX - 1 - strlen("out 1 ");
	struct recorder r = { 0 };
	struct agent_stream *s;
	char *buf;
	size_t i;

	buf = malloc(DAXTEST_LINE_MAX * 4);
	assert_non_null(buf);
	memcpy(buf, "out 1 ", 6);
	memset(buf + 6, 'x', text_len);
	buf[6 + text_len] = '\n';
	parse_all(&r, buf, DAXTEST_LINE_MAX);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.ev[0].ev.kind, AGENT_OUT);
	assert_int_equal(strlen(r.ev[0].text), text_len);
	recorder_clear(&r);

	/* One more byte, then a valid record. */
	memset(buf + 6, 'y', text_len + 1);
	memcpy(buf + 6 + text_len + 1, "\nbye\n", 5);
	parse_all(&r, buf, DAXTEST_LINE_MAX + 5);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.ev[0].ev.kind, AGENT_BAD);
	assert_int_equal(strlen(r.ev[0].text), DAXTEST_LINE_MAX - 1);
	assert_int_equal(r.ev[1].ev.kind, AGENT_BYE);
	recorder_clear(&r);

	/* Far too long, fed in pieces, never a newline: one event only. */
	memset(buf, 'z', DAXTEST_LINE_MAX * 4);
	s = agent_stream_new(record, &r);
	assert_non_null(s);
	for (i = 0; i < 10; i++)
		agent_stream_feed(s, buf, DAXTEST_LINE_MAX * 4);
	agent_stream_feed(s, "\nready 7\n", 9);
	agent_stream_finish(s);
	agent_stream_free(s);
	assert_int_equal(r.nr, 2);
	assert_int_equal(r.ev[0].ev.kind, AGENT_BAD);
	assert_int_equal(r.ev[1].ev.kind, AGENT_READY);
	assert_int_equal(r.ev[1].ev.value, 7);
	recorder_clear(&r);

	/* Overlong at the end of the stream: reported once, not again. */
	s = agent_stream_new(record, &r);
	assert_non_null(s);
	agent_stream_feed(s, buf, DAXTEST_LINE_MAX * 2);
	agent_stream_finish(s);
	agent_stream_free(s);
	assert_int_equal(r.nr, 1);
	assert_int_equal(r.ev[0].ev.kind, AGENT_BAD);
	recorder_clear(&r);
	free(buf);
}

/* Random bytes: no crash (the sanitizers watch), and every event is
 * either BAD or a record whose text is printable. */
static void test_noise(void **state)
{
	unsigned int seed = 12345;
	struct recorder r = { 0 };
	struct agent_stream *s;
	char buf[997];
	int round;

	s = agent_stream_new(record, &r);
	assert_non_null(s);
	for (round = 0; round < 2000; round++) {
		size_t i, n = rand_r(&seed) % sizeof(buf);

		for (i = 0; i < n; i++) {
			int pick = rand_r(&seed) % 8;

			/* Mostly record-like bytes, so some lines parse. */
			if (pick == 0)
				buf[i] = rand_r(&seed) % 256;
			else if (pick == 1)
				buf[i] = '\n';
			else if (pick == 2)
				buf[i] = ' ';
			else
				buf[i] = "outbegin0123456789=msexitsignal"[rand_r(&seed) % 31];
		}
		agent_stream_feed(s, buf, n);
		for (i = 0; i < r.nr; i++) {
			const char *t;

			for (t = r.ev[i].text; *t; t++)
				assert_true(*t == '\t' || (*t >= 0x20 && *t < 0x7f));
		}
		recorder_clear(&r);
	}
	agent_stream_finish(s);
	agent_stream_free(s);
	recorder_clear(&r);
}

/* Plans. */

/* The plan as agent_plan_write() writes it; through a file, since a
 * large plan does not fit in a pipe nobody reads. */
static char *plan_text(const struct agent_plan *plan, int *ret)
{
	FILE *f = tmpfile();
	char *text;
	long len;

	assert_non_null(f);
	*ret = agent_plan_write(fileno(f), plan);
	len = lseek(fileno(f), 0, SEEK_END);
	assert_true(len >= 0);
	text = calloc(1, len + 1);
	assert_non_null(text);
	assert_int_equal(pread(fileno(f), text, len, 0), len);
	fclose(f);
	return text;
}

static const char *const demo_env[] = { "FOO=bar baz", "_X1=", "EMPTYISH=a=b" };

static const struct agent_plan_test demo_tests[] = {
	{ .name = "demo/ok@map=mem", .path = "/daxtest/tests/demo/ok", .cell = "map=mem",
	  .timeout_s = 30 },
	{ .name = "per-file-dax/dax_statx@map=dev", .path = "/daxtest/tests/per-file-dax/dax_statx",
	  .cell = "map=dev", .timeout_s = 45 },
	{ .name = "x", .path = "/x", .cell = "c", .run = "f.v.t", .phase = "prepare",
	  .timeout_s = 1 },
};

static void test_plan_text(void **state)
{
	struct agent_plan plan = {
		.tests = demo_tests, .nr_tests = 3, .env = demo_env, .nr_env = 3,
	};
	char *text;
	int ret;

	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
			    "plan 3\n"
			    "env FOO=bar baz\n"
			    "env _X1=\n"
			    "env EMPTYISH=a=b\n"
			    "test 1 30 /daxtest/tests/demo/ok demo/ok@map=mem map=mem\n"
			    "test 2 45 /daxtest/tests/per-file-dax/dax_statx per-file-dax/dax_statx@map=dev map=dev\n"
			    "test 3 1 /x x c run=f.v.t phase=prepare\n"
			    "go\n");
	free(text);

	plan = (struct agent_plan){ 0 };
	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text, "plan 0\ngo\n");
	free(text);
}

/* What the host writes, the agent reads back unchanged. */
static void test_plan_round_trip(void **state)
{
	struct agent_plan plan = {
		.tests = demo_tests, .nr_tests = 3, .env = demo_env, .nr_env = 3,
	};
	char *text, *line, *save = NULL, err[256];
	struct plan got;
	int ret = 0, parsed = 0;
	size_t i;

	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	plan_init(&got);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_int_equal(parsed, 0);
		parsed = plan_parse_line(&got, line, err, sizeof(err));
		if (parsed < 0)
			fail_msg("agent refused \"%s\": %s", line, err);
	}
	assert_int_equal(parsed, 1);
	assert_int_equal(got.nr_tests, 3);
	assert_int_equal(got.nr_env, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(got.tests[i].index, i + 1);
		assert_int_equal(got.tests[i].timeout_s, demo_tests[i].timeout_s);
		assert_string_equal(got.tests[i].name, demo_tests[i].name);
		assert_string_equal(got.tests[i].path, demo_tests[i].path);
		assert_string_equal(got.tests[i].cell, demo_tests[i].cell);
		if (demo_tests[i].run)
			assert_string_equal(got.tests[i].run, demo_tests[i].run);
		else
			assert_null(got.tests[i].run);
		if (demo_tests[i].phase)
			assert_string_equal(got.tests[i].phase, demo_tests[i].phase);
		else
			assert_null(got.tests[i].phase);
		assert_string_equal(got.env[i], demo_env[i]);
	}
	plan_free(&got);
	free(text);
}

/* A plan as large as the agent takes still round-trips. */
static void test_plan_many_tests(void **state)
{
	struct agent_plan_test *tests = calloc(DAXTEST_PLAN_MAX_TESTS, sizeof(*tests));
	struct agent_plan plan = { .tests = tests, .nr_tests = DAXTEST_PLAN_MAX_TESTS };
	char *text, *line, *save = NULL, err[256];
	int ret = 0, parsed = 0;
	struct plan got;
	size_t i;

	assert_non_null(tests);
	for (i = 0; i < DAXTEST_PLAN_MAX_TESTS; i++)
		tests[i] = (struct agent_plan_test){ .name = "a/b", .path = "/a/b",
						   .cell = "map=mem", .timeout_s = 9 };
	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	plan_init(&got);
	for (line = strtok_r(text, "\n", &save); line && parsed == 0;
	     line = strtok_r(NULL, "\n", &save))
		parsed = plan_parse_line(&got, line, err, sizeof(err));
	assert_int_equal(parsed, 1);
	assert_int_equal(got.nr_tests, DAXTEST_PLAN_MAX_TESTS);
	plan_free(&got);
	free(text);

	plan.nr_tests = DAXTEST_PLAN_MAX_TESTS + 1;
	assert_int_equal(agent_plan_write(-1, &plan), -EINVAL);
	free(tests);
}

/* Plans the format cannot carry are refused whole: nothing written. */
static void test_plan_refused(void **state)
{
	static const struct agent_plan_test bad_tests[] = {
		{ .name = "has space", .path = "/a", .cell = "m", .timeout_s = 1 },
		{ .name = "nl\n", .path = "/a", .cell = "m", .timeout_s = 1 },
		{ .name = "", .path = "/a", .cell = "m", .timeout_s = 1 },
		{ .name = NULL, .path = "/a", .cell = "m", .timeout_s = 1 },
		{ .name = "a", .path = "relative/a", .cell = "m", .timeout_s = 1 },
		{ .name = "a", .path = "/with space", .cell = "m", .timeout_s = 1 },
		{ .name = "a", .path = "/tab\there", .cell = "m", .timeout_s = 1 },
		{ .name = "a", .path = NULL, .cell = "m", .timeout_s = 1 },
		{ .name = "a", .path = "/a", .cell = "m", .timeout_s = 0 },
		{ .name = "caf\xc3\xa9", .path = "/a", .cell = "m", .timeout_s = 1 },
		{ .name = "a", .path = "/a", .cell = NULL, .timeout_s = 1 },
		{ .name = "a", .path = "/a", .cell = "", .timeout_s = 1 },
		{ .name = "a", .path = "/a", .cell = "map mem", .timeout_s = 1 },
		{ .name = "a", .path = "/a", .cell = "m", .run = "f v", .timeout_s = 1 },
		{ .name = "a", .path = "/a", .cell = "m", .phase = "", .timeout_s = 1 },
	};
	static const char *const bad_env[] = {
		"NOEQUALS", "=value", "1ABC=x", "A-B=x", "A=line\nbreak", "A=\x01", NULL,
	};
	static const struct agent_plan_test good = { .name = "a", .path = "/a", .cell = "m", .timeout_s = 1 };
	struct agent_plan plan;
	char *text, *long_path;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(bad_tests) / sizeof(bad_tests[0]); i++) {
		plan = (struct agent_plan){ .tests = &bad_tests[i], .nr_tests = 1 };
		text = plan_text(&plan, &ret);
		if (ret != -EINVAL)
			fail_msg("test %zu accepted", i);
		assert_string_equal(text, "");
		free(text);
	}
	for (i = 0; i < sizeof(bad_env) / sizeof(bad_env[0]); i++) {
		plan = (struct agent_plan){ .tests = &good, .nr_tests = 1,
					    .env = &bad_env[i], .nr_env = 1 };
		text = plan_text(&plan, &ret);
		if (ret != -EINVAL)
			fail_msg("env %zu accepted", i);
		assert_string_equal(text, "");
		free(text);
	}

	/* A test line longer than a record. */
	long_path = malloc(DAXTEST_LINE_MAX + 1);
	assert_non_null(long_path);
	long_path[0] = '/';
	memset(long_path + 1, 'p', DAXTEST_LINE_MAX - 1);
	long_path[DAXTEST_LINE_MAX] = '\0';
	{
		struct agent_plan_test t = { .name = "a", .path = long_path, .cell = "m", .timeout_s = 1 };

		plan = (struct agent_plan){ .tests = &t, .nr_tests = 1 };
		text = plan_text(&plan, &ret);
		assert_int_equal(ret, -EINVAL);
		free(text);
	}
	free(long_path);
}

/* The agent refuses test records it cannot run as meant. */
static void test_plan_agent_refuses_options(void **state)
{
	static const char *const bad[] = {
		"test 1 1 /a a",				/* no cell */
		"test 1 1 /a a c bogus=1",			/* unknown option */
		"test 1 1 /a a c run=x run=y",			/* repeated */
		"test 1 1 /a a c run=",				/* empty */
		"test 1 1 /a a c run=x phase=p extra",		/* too many fields */
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct plan p;

		plan_init(&p);
		assert_int_equal(plan_parse_line(&p, "plan 1", err, sizeof(err)), 0);
		if (plan_parse_line(&p, bad[i], err, sizeof(err)) != -1)
			fail_msg("agent accepted \"%s\"", bad[i]);
		plan_free(&p);
	}
}

#define SEED_HEX \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

static const struct agent_plan_restore demo_restore = {
	.sec = 1767225600, .nsec = 5, .files_changed = true,
	.seed = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
		  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 },
};

/* "restored" comes right after "plan", before the env and test lines. */
static void test_plan_restored_text(void **state)
{
	struct agent_plan_restore same = { .sec = 0, .nsec = 999999999 };
	struct agent_plan plan = {
		.tests = demo_tests, .nr_tests = 1, .env = demo_env, .nr_env = 1,
		.restore = &demo_restore,
	};
	char *text;
	int ret;

	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
			    "plan 1\n"
			    "restored 1767225600 5 changed " SEED_HEX "\n"
			    "env FOO=bar baz\n"
			    "test 1 30 /daxtest/tests/demo/ok demo/ok@map=mem map=mem\n"
			    "go\n");
	free(text);

	memset(same.seed, 0xab, sizeof(same.seed));
	plan = (struct agent_plan){ .restore = &same };
	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_string_equal(text,
			    "plan 0\n"
			    "restored 0 999999999 same "
			    "abababababababababababababababababababababababababababababababab\n"
			    "go\n");
	free(text);
}

/* A time the guest could not set is refused, nothing written. */
static void test_plan_restored_refused(void **state)
{
	static const struct agent_plan_restore bad[] = {
		{ .sec = -1, .nsec = 0 },
		{ .sec = 1, .nsec = -1 },
		{ .sec = 1, .nsec = 1000000000 },
	};
	struct agent_plan plan;
	char *text;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		plan = (struct agent_plan){ .restore = &bad[i] };
		text = plan_text(&plan, &ret);
		if (ret != -EINVAL)
			fail_msg("restore %zu accepted", i);
		assert_string_equal(text, "");
		free(text);
	}
}

/* Feeds text line by line to the agent's parser; returns its last answer. */
static int agent_parse(struct plan *got, char *text)
{
	char *line, *save = NULL, err[256];
	int parsed = 0;

	plan_init(got);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		assert_int_equal(parsed, 0);
		parsed = plan_parse_line(got, line, err, sizeof(err));
		if (parsed < 0)
			fail_msg("agent refused \"%s\": %s", line, err);
	}
	return parsed;
}

/* What the host writes, the agent reads back unchanged; without the
 * record, the agent's plan says "not restored". */
static void test_plan_restored_round_trip(void **state)
{
	struct agent_plan_restore same = { .sec = 0, .nsec = 999999999 };
	struct agent_plan plan = {
		.tests = demo_tests, .nr_tests = 3, .env = demo_env, .nr_env = 3,
		.restore = &demo_restore,
	};
	struct plan got;
	char *text;
	int ret;

	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(agent_parse(&got, text), 1);
	assert_true(got.restored.set);
	assert_int_equal(got.restored.sec, demo_restore.sec);
	assert_int_equal(got.restored.nsec, demo_restore.nsec);
	assert_true(got.restored.files_changed);
	assert_memory_equal(got.restored.seed, demo_restore.seed, sizeof(demo_restore.seed));
	assert_int_equal(got.nr_tests, 3);
	assert_int_equal(got.nr_env, 3);
	plan_free(&got);
	free(text);

	memset(same.seed, 0xff, sizeof(same.seed));
	plan.restore = &same;
	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(agent_parse(&got, text), 1);
	assert_true(got.restored.set);
	assert_int_equal(got.restored.sec, 0);
	assert_int_equal(got.restored.nsec, 999999999);
	assert_false(got.restored.files_changed);
	assert_memory_equal(got.restored.seed, same.seed, sizeof(same.seed));
	plan_free(&got);
	free(text);

	plan.restore = NULL;
	text = plan_text(&plan, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(agent_parse(&got, text), 1);
	assert_false(got.restored.set);
	plan_free(&got);
	free(text);
}

/* The agent's own checks of "restored": each plan's last line is
 * refused, with a reason naming the record. */
static void test_plan_agent_restored(void **state)
{
	static const struct {
		const char *lines[4];
		const char *why;	/* in the error */
	} bad[] = {
		{ { "restored 1 0 same " SEED_HEX }, "right after \"plan\"" },
		{ { "plan 1", "env A=b", "restored 1 0 same " SEED_HEX }, "right after" },
		{ { "plan 1", "test 1 1 /a a c", "restored 1 0 same " SEED_HEX }, "right after" },
		{ { "plan 0", "restored 1 0 same " SEED_HEX, "restored 1 0 same " SEED_HEX },
		  "second \"restored\"" },
		{ { "plan 0", "go", "restored 1 0 same " SEED_HEX }, "after \"go\"" },
		{ { "plan 0", "restored" }, "needs" },
		{ { "plan 0", "restored " }, "needs" },
		{ { "plan 0", "restored 1 0 same" }, "needs" },
		{ { "plan 0", "restored 1 0 same " SEED_HEX " x" }, "needs" },
		{ { "plan 0", "restored 1  0 same " SEED_HEX }, "needs" },
		{ { "plan 0", "restored 1 0 same " SEED_HEX " " }, "needs" },
		{ { "plan 0", "restored -1 0 same " SEED_HEX }, "time" },
		{ { "plan 0", "restored +1 0 same " SEED_HEX }, "time" },
		{ { "plan 0", "restored x 0 same " SEED_HEX }, "time" },
		{ { "plan 0", "restored 99999999999999999999 0 same " SEED_HEX }, "time" },
		{ { "plan 0", "restored 1 1000000000 same " SEED_HEX }, "time" },
		{ { "plan 0", "restored 1 -1 same " SEED_HEX }, "time" },
		{ { "plan 0", "restored 1 0 Same " SEED_HEX }, "files" },
		{ { "plan 0", "restored 1 0 maybe " SEED_HEX }, "files" },
		{ { "plan 0", "restored 1 0 same " "0" SEED_HEX }, "seed" },
		{ { "plan 0", "restored 1 0 same " "0102" }, "seed" },
		{ { "plan 0", "restored 1 0 same "
		    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1" }, "seed" },
		{ { "plan 0", "restored 1 0 same "
		    "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F" }, "seed" },
		{ { "plan 0", "restored 1 0 same "
		    "000102030405060708090g0b0c0d0e0f101112131415161718191a1b1c1d1e1f" }, "seed" },
	};
	char err[256];
	size_t i, k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct plan p;

		plan_init(&p);
		/* lines[] ends with a NULL: at most three lines each. */
		for (k = 0; bad[i].lines[k + 1]; k++)
			if (plan_parse_line(&p, bad[i].lines[k], err, sizeof(err)) < 0)
				fail_msg("plan %zu: \"%s\" refused: %s", i, bad[i].lines[k], err);
		if (plan_parse_line(&p, bad[i].lines[k], err, sizeof(err)) != -1)
			fail_msg("plan %zu: \"%s\" was not refused", i, bad[i].lines[k]);
		if (!strstr(err, bad[i].why))
			fail_msg("plan %zu: \"%s\" does not say \"%s\"", i, err, bad[i].why);
		plan_free(&p);
	}
}

static void test_plan_write_error(void **state)
{
	struct agent_plan plan = { .tests = demo_tests, .nr_tests = 1 };
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	close(fds[1]);
	/* Writing to a closed descriptor. */
	assert_int_equal(agent_plan_write(fds[1], &plan), -EBADF);
	close(fds[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_ready_begin_out_dmesg),
		cmocka_unit_test(test_prepared),
		cmocka_unit_test(test_end),
		cmocka_unit_test(test_log_error_bye),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_whole_stream),
		cmocka_unit_test(test_split_feeds),
		cmocka_unit_test(test_partial_last_line),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_plan_text),
		cmocka_unit_test(test_plan_round_trip),
		cmocka_unit_test(test_plan_many_tests),
		cmocka_unit_test(test_plan_refused),
		cmocka_unit_test(test_plan_agent_refuses_options),
		cmocka_unit_test(test_plan_restored_text),
		cmocka_unit_test(test_plan_restored_refused),
		cmocka_unit_test(test_plan_restored_round_trip),
		cmocka_unit_test(test_plan_agent_restored),
		cmocka_unit_test(test_plan_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
