// SPDX-License-Identifier: GPL-2.0
/*
 * agent_stream.c - parse the guest agent's records; write its plan
 *
 * The port carries whatever the guest wrote, so nothing here trusts it:
 * a line is at most DAXTEST_LINE_MAX bytes with its newline, every byte
 * printable ASCII or tab, and every field checked. Anything else is one
 * AGENT_BAD event carrying the line with bad bytes shown as '?'.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse/agent_stream.h"
#include "proto/agent_proto.h"

struct agent_stream {
	agent_event_fn fn;
	void *arg;
	char line[DAXTEST_LINE_MAX];	/* up to DAXTEST_LINE_MAX - 1 bytes + NUL */
	size_t len;
	bool skipping;			/* dropping the rest of an overlong line */
};

struct agent_stream *agent_stream_new(agent_event_fn fn, void *arg)
{
	struct agent_stream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fn = fn;
	s->arg = arg;
	return s;
}

void agent_stream_free(struct agent_stream *s)
{
	free(s);
}

static bool printable(char c)
{
	return c == '\t' || (c >= 0x20 && c <= 0x7e);
}

static void event_init(struct agent_event *ev, enum agent_event_kind kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->text = "";
	ev->exit_code = -1;
}

/* Reports line (len bytes, NUL-terminated in a buffer we own) as bad. */
static void emit_bad(struct agent_stream *s, char *line, size_t len)
{
	struct agent_event ev;
	size_t i;

	for (i = 0; i < len; i++)
		if (!printable(line[i]))
			line[i] = '?';
	event_init(&ev, AGENT_BAD);
	ev.text = line;
	s->fn(&ev, s->arg);
}

/* Takes the next field off *p, splitting at a space; *p becomes NULL at
 * the end of the line. NULL for no field or an empty one (two spaces in
 * a row, a trailing space). */
static char *next_field(char **p)
{
	char *f = *p, *sp;

	if (!f)
		return NULL;
	sp = strchr(f, ' ');
	if (sp)
		*sp = '\0';
	*p = sp ? sp + 1 : NULL;
	return *f ? f : NULL;
}

/* A whole field that is a decimal number in [min, max], digits only. */
static bool parse_num(const char *f, long min, long max, long *out)
{
	long v = 0;

	if (!f || !*f)
		return false;
	for (; *f; f++) {
		int d = *f - '0';

		if (d < 0 || d > 9 || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v < min)
		return false;
	*out = v;
	return true;
}

/* A field "<key>=<number>". */
static bool parse_kv(const char *f, const char *key, long min, long max, long *out)
{
	size_t klen = strlen(key);

	return f && !strncmp(f, key, klen) && f[klen] == '=' &&
	       parse_num(f + klen + 1, min, max, out);
}

/* hello <version> uptime_ms=<ms> [<key>=<value> ...]: release=<text> is
 * the event's text, other keys are skipped. */
static bool parse_hello(char *p, struct agent_event *ev)
{
	bool have_uptime = false;
	long version;

	if (!parse_num(next_field(&p), 0, INT_MAX, &version))
		return false;
	ev->version = version;
	while (p) {
		char *f = next_field(&p);
		char *eq = f ? strchr(f, '=') : NULL;

		if (!eq || eq == f)
			return false;
		if (!strncmp(f, "uptime_ms=", 10)) {
			if (!parse_num(eq + 1, 0, LONG_MAX, &ev->value))
				return false;
			have_uptime = true;
		} else if (!strncmp(f, "release=", 8)) {
			ev->text = eq + 1;
		}
	}
	return have_uptime;
}

/* ready <ms>, prepared <ms> */
static bool parse_ms(char *p, struct agent_event *ev)
{
	return parse_num(next_field(&p), 0, LONG_MAX, &ev->value) && !p;
}

/* <index> <text>, for begin (text required), out and dmesg (text may be
 * empty, with or without the space before it). */
static bool parse_index_text(char *p, struct agent_event *ev, bool need_text)
{
	long index;

	if (!parse_num(next_field(&p), 1, INT_MAX, &index))
		return false;
	ev->index = index;
	ev->text = p ? p : "";
	return !need_text || *ev->text;
}

/* end <index> exit=<code>|signal=<signo> ms=<duration> [timeout] */
static bool parse_end(char *p, struct agent_event *ev)
{
	long index, code;
	char *f;

	if (!parse_num(next_field(&p), 1, INT_MAX, &index))
		return false;
	ev->index = index;
	f = next_field(&p);
	if (parse_kv(f, "exit", 0, 255, &code))
		ev->exit_code = code;
	else if (parse_kv(f, "signal", 1, 127, &code))
		ev->signal = code;
	else
		return false;
	if (!parse_kv(next_field(&p), "ms", 0, LONG_MAX, &ev->value))
		return false;
	if (!p)
		return true;
	f = next_field(&p);
	ev->timed_out = f && !strcmp(f, "timeout");
	return ev->timed_out && !p;
}

static const struct {
	const char *tag;
	enum agent_event_kind kind;
} agent_tags[] = {
	{ "hello", AGENT_HELLO },
	{ "prepared", AGENT_PREPARED },
	{ "ready", AGENT_READY },
	{ "begin", AGENT_BEGIN },
	{ "out", AGENT_OUT },
	{ "dmesg", AGENT_DMESG },
	{ "end", AGENT_END },
	{ "log", AGENT_LOG },
	{ "error", AGENT_ERROR },
	{ "bye", AGENT_BYE },
};

/* Fills ev from line, which it cuts up. false for no valid record. */
static bool parse_record(char *line, struct agent_event *ev)
{
	char *sp = strchr(line, ' ');
	char *args = sp ? sp + 1 : NULL;
	size_t i;

	if (sp)
		*sp = '\0';
	for (i = 0; i < sizeof(agent_tags) / sizeof(agent_tags[0]); i++)
		if (!strcmp(line, agent_tags[i].tag))
			break;
	if (i == sizeof(agent_tags) / sizeof(agent_tags[0]))
		return false;
	event_init(ev, agent_tags[i].kind);
	switch (ev->kind) {
	case AGENT_HELLO:
		return args && parse_hello(args, ev);
	case AGENT_PREPARED:
	case AGENT_READY:
		return args && parse_ms(args, ev);
	case AGENT_BEGIN:
		return args && parse_index_text(args, ev, true);
	case AGENT_OUT:
	case AGENT_DMESG:
		return args && parse_index_text(args, ev, false);
	case AGENT_END:
		return args && parse_end(args, ev);
	case AGENT_LOG:
	case AGENT_ERROR:
		ev->text = args ? args : "";
		return true;
	case AGENT_BYE:
		return !args;
	default:
		return false;
	}
}

static void handle_line(struct agent_stream *s, char *line, size_t len)
{
	char copy[DAXTEST_LINE_MAX];
	struct agent_event ev;
	size_t i;

	line[len] = '\0';
	for (i = 0; i < len; i++)
		if (!printable(line[i]))
			break;
	/* Parsing writes into the line; keep the original for a bad one. */
	memcpy(copy, line, len + 1);
	if (i == len && len && parse_record(line, &ev)) {
		s->fn(&ev, s->arg);
		return;
	}
	emit_bad(s, copy, len);
}

void agent_stream_feed(struct agent_stream *s, const char *buf, size_t len)
{
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) : len;
		size_t room = sizeof(s->line) - 1 - s->len;

		if (s->skipping) {
			s->skipping = !nl;
		} else if (n > room) {
			/* Overlong: report what fits once, drop the rest. */
			memcpy(s->line + s->len, buf, room);
			s->line[sizeof(s->line) - 1] = '\0';
			emit_bad(s, s->line, sizeof(s->line) - 1);
			s->len = 0;
			s->skipping = !nl;
		} else {
			memcpy(s->line + s->len, buf, n);
			s->len += n;
			if (nl) {
				handle_line(s, s->line, s->len);
				s->len = 0;
			}
		}
		if (!nl)
			return;
		len -= n + 1;
		buf = nl + 1;
	}
}

void agent_stream_finish(struct agent_stream *s)
{
	if (s->len && !s->skipping) {
		s->line[s->len] = '\0';
		emit_bad(s, s->line, s->len);
	}
	s->len = 0;
	s->skipping = false;
}

/* Plan writing. */

struct buf {
	char *p;
	size_t len, cap;
	bool err;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->err)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_num(struct buf *b, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	do {
		digits[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	buf_add(b, digits + i, sizeof(digits) - i);
}

/* A plan field: non-empty, printable, no blanks. */
static bool plan_word(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!printable(*s) || *s == ' ' || *s == '\t')
			return false;
	return true;
}

static bool plan_env(const char *s)
{
	const char *p;

	if (!s || !(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
		return false;
	for (p = s + 1; *p != '='; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9')))
			return false;
	for (p++; *p; p++)
		if (!printable(*p))
			return false;
	return true;
}

/* restored <sec> <nsec> same|changed <seed>. false for a time out of
 * range. */
static bool plan_restored(struct buf *b, const struct agent_plan_restore *r)
{
	static const char hex[] = "0123456789abcdef";
	char seed[2 * sizeof(r->seed)];
	size_t i;

	if (r->sec < 0 || r->nsec < 0 || r->nsec > 999999999)
		return false;
	for (i = 0; i < sizeof(r->seed); i++) {
		seed[2 * i] = hex[r->seed[i] >> 4];
		seed[2 * i + 1] = hex[r->seed[i] & 0xf];
	}
	buf_str(b, "restored ");
	buf_num(b, r->sec);
	buf_str(b, " ");
	buf_num(b, r->nsec);
	buf_str(b, r->files_changed ? " changed " : " same ");
	buf_add(b, seed, sizeof(seed));
	buf_add(b, "\n", 1);
	return true;
}

/* Appends one line; false when it is longer than a record may be. */
static bool plan_line_end(struct buf *b, size_t start)
{
	buf_add(b, "\n", 1);
	return b->err || b->len - start <= DAXTEST_LINE_MAX;
}

static int plan_build(const struct agent_plan *plan, struct buf *b)
{
	size_t i, start;

	if (!plan || plan->nr_tests > DAXTEST_PLAN_MAX_TESTS || plan->nr_env > DAXTEST_PLAN_MAX_ENV ||
	    (plan->nr_tests && !plan->tests) || (plan->nr_env && !plan->env))
		return -EINVAL;
	buf_str(b, "plan ");
	buf_num(b, plan->nr_tests);
	buf_add(b, "\n", 1);
	if (plan->restore && !plan_restored(b, plan->restore))
		return -EINVAL;
	for (i = 0; i < plan->nr_env; i++) {
		start = b->len;
		if (!plan_env(plan->env[i]))
			return -EINVAL;
		buf_str(b, "env ");
		buf_str(b, plan->env[i]);
		if (!plan_line_end(b, start))
			return -EINVAL;
	}
	for (i = 0; i < plan->nr_tests; i++) {
		const struct agent_plan_test *t = &plan->tests[i];

		start = b->len;
		if (!plan_word(t->name) || !plan_word(t->path) || t->path[0] != '/' ||
		    !t->cell || !plan_word(t->cell) || !t->timeout_s ||
		    (t->run && !plan_word(t->run)) || (t->phase && !plan_word(t->phase)))
			return -EINVAL;
		buf_str(b, "test ");
		buf_num(b, i + 1);
		buf_str(b, " ");
		buf_num(b, t->timeout_s);
		buf_str(b, " ");
		buf_str(b, t->path);
		buf_str(b, " ");
		buf_str(b, t->name);
		buf_str(b, " ");
		buf_str(b, t->cell);
		if (t->run) {
			buf_str(b, " run=");
			buf_str(b, t->run);
		}
		if (t->phase) {
			buf_str(b, " phase=");
			buf_str(b, t->phase);
		}
		if (!plan_line_end(b, start))
			return -EINVAL;
	}
	buf_str(b, "go\n");
	return b->err ? -ENOMEM : 0;
}

int agent_plan_text(const struct agent_plan *plan, char **text, size_t *len)
{
	struct buf b = { 0 };
	int ret = plan_build(plan, &b);

	if (ret) {
		free(b.p);
		return ret;
	}
	*text = b.p;
	*len = b.len;
	return 0;
}

int agent_plan_write(int fd, const struct agent_plan *plan)
{
	char *text;
	size_t len, done = 0;
	int ret;

	ret = agent_plan_text(plan, &text, &len);
	if (ret)
		return ret;
	while (!ret && done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			ret = -errno;
		else if (n == 0)
			ret = -EIO;
		else
			done += n;
	}
	free(text);
	return ret;
}
