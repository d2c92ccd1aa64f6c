// SPDX-License-Identifier: GPL-2.0
/*
 * console_watch.c - recognise kernel bug reports in the kernel log
 *
 * A report starts at a line the kernel prints only when something went
 * wrong ("BUG: ", "WARNING: ", "Kernel panic - not syncing", ...), matched
 * at the start of the message so that ordinary lines that merely mention
 * a warning do not count. "------------[ cut here ]------------" opens a
 * report whose title is the line that follows it and says what it is.
 * The report then takes lines until its end marker or the line budget.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parse/console_watch.h"

#define CUT_HERE_LINES	8	/* lines from "cut here" to the report's title */
#define RULE_MIN	20	/* "=====" lines around sanitizer reports */

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *skip_digits(const char *s)
{
	while (is_digit(*s))
		s++;
	return s;
}

/* "<4>": the printk level, as dmesg -r and the raw console print it. */
static const char *skip_level(const char *s)
{
	const char *p;

	if (*s != '<' || !is_digit(s[1]))
		return s;
	p = skip_digits(s + 1);
	return *p == '>' ? p + 1 : s;
}

/* "6,339,5140900,-;": the header of a /dev/kmsg record. */
static const char *skip_kmsg_header(const char *s)
{
	const char *p = s;
	int field;

	for (field = 0; field < 3; field++) {
		if (!is_digit(*p))
			return s;
		p = skip_digits(p);
		if (*p++ != ',')
			return s;
	}
	while (*p && *p != ';' && *p != ' ')
		p++;
	return *p == ';' ? p + 1 : s;
}

/* "[   12.345678] ", possibly followed by a caller id "[    T1] ". */
static const char *skip_timestamp(const char *s)
{
	const char *p = s;

	if (*p++ != '[')
		return s;
	while (*p == ' ')
		p++;
	if (!is_digit(*p))
		return s;
	p = skip_digits(p);
	if (*p++ != '.' || !is_digit(*p))
		return s;
	p = skip_digits(p);
	if (*p++ != ']')
		return s;
	if (*p == '[') {
		const char *c = p + 1;

		while (*c == ' ')
			c++;
		if ((*c == 'T' || *c == 'C') && is_digit(c[1])) {
			c = skip_digits(c + 1);
			if (*c == ']')
				p = c + 1;
		}
	}
	return *p == ' ' ? p + 1 : p;
}

static const char *strip_prefixes(const char *s)
{
	s = skip_level(s);
	s = skip_kmsg_header(s);
	s = skip_timestamp(s);
	return skip_level(s);
}

/* Copies the message, cut at CONSOLE_LINE_MAX, control bytes made '?'. */
static void clean_line(char *out, const char *s)
{
	size_t len = strnlen(s, CONSOLE_LINE_MAX), i;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\r' || s[len - 1] == '\n'))
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		out[i] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
	}
	out[len] = '\0';
}

static bool is_cut_here(const char *s)
{
	return strcmp(s, "------------[ cut here ]------------") == 0;
}

static bool is_end_marker(const char *s)
{
	return starts_with(s, "---[ end trace") || starts_with(s, "---[ end Kernel panic");
}

/* The "=====" line KASAN and old UBSAN put around their reports. */
static bool is_rule(const char *s)
{
	size_t n = strspn(s, "=");

	return n >= RULE_MIN && s[n] == '\0';
}

/*
 * The die() header of an oops: "Oops: 0002 [#1] ...", "Oops: Oops: 0002
 * [#1] ..." (6.12), "general protection fault, ...: 0000 [#1] ...",
 * "invalid opcode: 0000 [#1] ...", "Internal error: Oops: ... [#1] ...":
 * ": <hex> [#<n>]" somewhere in the line.
 */
static bool is_oops_header(const char *s)
{
	const char *p, *q, *h;

	if (starts_with(s, "Oops") || starts_with(s, "Internal error: "))
		return true;
	for (p = strstr(s, " [#"); p; p = strstr(p + 1, " [#")) {
		q = p + 3;
		if (!is_digit(*q) || *skip_digits(q) != ']')
			continue;
		for (h = p; h > s && is_xdigit(h[-1]); h--)
			;
		if (p - h >= 4 && h - s >= 2 && h[-2] == ':' && h[-1] == ' ')
			return true;
	}
	return false;
}

static bool is_soft_lockup(const char *s)
{
	if (starts_with(s, "NMI watchdog: "))
		s += strlen("NMI watchdog: ");
	else if (starts_with(s, "watchdog: "))
		s += strlen("watchdog: ");
	return starts_with(s, "BUG: soft lockup");
}

static bool is_hung_task(const char *s)
{
	return starts_with(s, "INFO: task ") && strstr(s, " blocked for more than ");
}

/* "rcu: INFO: rcu_preempt self-detected stall on CPU",
 * "rcu: INFO: rcu_sched detected stalls on CPUs/tasks:" */
static bool is_rcu_stall(const char *s)
{
	if (starts_with(s, "rcu: "))
		s += strlen("rcu: ");
	return starts_with(s, "INFO: rcu") && strstr(s, " stall");
}

/* The kind of report the line starts, or -1. */
static int report_kind(const char *s)
{
	if (starts_with(s, "BUG: KASAN: "))
		return KF_KASAN;
	if (is_soft_lockup(s))
		return KF_SOFT_LOCKUP;
	if (starts_with(s, "BUG: ") || starts_with(s, "kernel BUG at ") ||
	    starts_with(s, "Unable to handle kernel ") ||
	    starts_with(s, "watchdog: Watchdog detected hard LOCKUP"))
		return KF_BUG;
	if (starts_with(s, "UBSAN: "))
		return KF_UBSAN;
	if (starts_with(s, "WARNING: "))
		return KF_WARNING;
	if (starts_with(s, "Kernel panic - not syncing"))
		return KF_PANIC;
	if (is_hung_task(s))
		return KF_HUNG_TASK;
	if (is_rcu_stall(s))
		return KF_RCU_STALL;
	if (is_oops_header(s))
		return KF_OOPS;
	return -1;
}

static int finding_add_line(struct kfinding *f, const char *s)
{
	char **lines;
	char *copy;

	copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	lines = reallocarray(f->lines, f->nr_lines + 1, sizeof(*lines));
	if (!lines) {
		free(copy);
		return -ENOMEM;
	}
	lines[f->nr_lines++] = copy;
	f->lines = lines;
	return 0;
}

static void discard_open(struct console_watch *w)
{
	if (!w->open)
		return;
	kfinding_free(w->open);
	free(w->open);
	w->open = NULL;
}

/* Files the open report, unless it never got a title. */
static int close_open(struct console_watch *w)
{
	struct kfinding *findings;

	if (!w->open || !w->open->title) {
		discard_open(w);
		return 0;
	}
	findings = reallocarray(w->findings, w->nr_findings + 1, sizeof(*findings));
	if (!findings) {
		discard_open(w);
		return -ENOMEM;
	}
	findings[w->nr_findings++] = *w->open;
	w->findings = findings;
	free(w->open);
	w->open = NULL;
	return 0;
}

/*
 * Opens a report at line s. Without a kind (kind < 0) it has no title
 * yet: a "cut here" report, named by one of the lines that follow.
 */
static int open_report(struct console_watch *w, int kind, const char *s)
{
	struct kfinding *f;
	int ret;

	ret = close_open(w);
	if (ret)
		return ret;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	w->open = f;
	if (kind >= 0) {
		f->kind = kind;
		f->title = strdup(s);
		if (!f->title)
			goto nomem;
	}
	if (finding_add_line(f, s))
		goto nomem;
	w->open_budget = f->title ? CONSOLE_REPORT_LINES - 1 : CUT_HERE_LINES;
	return f->title ? 1 : 0;
nomem:
	discard_open(w);
	return -ENOMEM;
}

/* The line after "cut here" that says what the report is. */
static int name_open_report(struct console_watch *w, int kind, const char *s)
{
	struct kfinding *f = w->open;

	f->title = strdup(s);
	if (!f->title || finding_add_line(f, s)) {
		discard_open(w);
		return -ENOMEM;
	}
	f->kind = kind;
	w->open_budget = CONSOLE_REPORT_LINES - 1;
	return 1;
}

static int add_to_open_report(struct console_watch *w, const char *s)
{
	struct kfinding *f = w->open;

	if (is_rule(s) && f->title) {
		/* The end of a sanitizer report, or the start of the next. */
		if ((f->kind == KF_KASAN || f->kind == KF_UBSAN || f->kind == KF_BUG) &&
		    finding_add_line(f, s))
			return -ENOMEM;
		return close_open(w);
	}
	if (finding_add_line(f, s))
		return -ENOMEM;
	if (--w->open_budget == 0)
		return close_open(w);
	if (f->title && is_end_marker(s))
		return close_open(w);
	return 0;
}

static int watch_message(struct console_watch *w, const char *s)
{
	int kind;

	if (is_cut_here(s))
		return open_report(w, -1, s);
	kind = report_kind(s);
	if (w->open && !w->open->title) {
		if (kind >= 0)
			return name_open_report(w, kind, s);
		return add_to_open_report(w, s);
	}
	/* "BUG: ..." or "kernel BUG at ...", then die(): one report. */
	if (kind == KF_OOPS && w->open && w->open->kind == KF_BUG) {
		w->open->kind = KF_OOPS;
		return add_to_open_report(w, s);
	}
	if (kind >= 0)
		return open_report(w, kind, s);
	if (w->open)
		return add_to_open_report(w, s);
	return 0;
}

int console_watch_flush(struct console_watch *w)
{
	return close_open(w);
}

void console_watch_init(struct console_watch *w)
{
	memset(w, 0, sizeof(*w));
}

int console_watch_line(struct console_watch *w, const char *line)
{
	char msg[CONSOLE_LINE_MAX + 1];
	int ret;

	clean_line(msg, strip_prefixes(line));
	ret = watch_message(w, msg);
	return ret < 0 ? -1 : ret;
}

struct kfinding *console_watch_take(struct console_watch *w, size_t *nr)
{
	struct kfinding *findings;

	/* Without memory for it, the open report is lost; the rest is not. */
	close_open(w);
	findings = w->findings;
	*nr = w->nr_findings;
	w->findings = NULL;
	w->nr_findings = 0;
	return findings;
}

void console_watch_free(struct console_watch *w)
{
	size_t i;

	discard_open(w);
	for (i = 0; i < w->nr_findings; i++)
		kfinding_free(&w->findings[i]);
	free(w->findings);
	memset(w, 0, sizeof(*w));
}

void kfinding_free(struct kfinding *f)
{
	size_t i;

	for (i = 0; i < f->nr_lines; i++)
		free(f->lines[i]);
	free(f->lines);
	free(f->title);
	memset(f, 0, sizeof(*f));
}

const char *kfinding_kind_name(enum kfinding_kind k)
{
	switch (k) {
	case KF_OOPS:
		return "oops";
	case KF_BUG:
		return "bug";
	case KF_WARNING:
		return "warning";
	case KF_KASAN:
		return "kasan";
	case KF_UBSAN:
		return "ubsan";
	case KF_PANIC:
		return "panic";
	case KF_HUNG_TASK:
		return "hung-task";
	case KF_RCU_STALL:
		return "rcu-stall";
	case KF_SOFT_LOCKUP:
		return "soft-lockup";
	}
	return "unknown";
}
