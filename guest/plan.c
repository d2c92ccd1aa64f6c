// SPDX-License-Identifier: GPL-2.0
/*
 * plan.c - parse and check the plan records the host sends
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "proto/agent_proto.h"

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
	p->state = PLAN_WANT_PLAN;
}

void plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nr_tests; i++) {
		free(p->tests[i].path);
		free(p->tests[i].name);
		free(p->tests[i].cell);
		free(p->tests[i].run);
		free(p->tests[i].phase);
	}
	for (i = 0; i < p->nr_env; i++)
		free(p->env[i]);
	free(p->tests);
	free(p->env);
	plan_init(p);
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (*s != '\t' && (*s < 0x20 || *s > 0x7e))
			return false;
	return true;
}

/* A plan field: non-empty, printable, no blanks. */
static bool word(const char *s)
{
	return *s && printable(s) && !strpbrk(s, " \t");
}

static bool env_key_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (!first && c >= '0' && c <= '9');
}

static bool env_entry(const char *s)
{
	const char *eq = strchr(s, '=');
	const char *k;

	if (!eq || eq == s)
		return false;
	for (k = s; k < eq; k++)
		if (!env_key_char(*k, k == s))
			return false;
	return true;
}

/* A decimal number in [min, max] and nothing else. */
static bool number(const char *s, unsigned long min, unsigned long max,
		   unsigned int *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Splits "tag rest" at the first space. */
static const char *split_tag(const char *line, char *tag, size_t size)
{
	const char *sp = strchr(line, ' ');
	size_t len = sp ? (size_t)(sp - line) : strlen(line);

	if (len >= size)
		len = size - 1;
	memcpy(tag, line, len);
	tag[len] = '\0';
	return sp ? sp + 1 : NULL;
}

static int parse_plan(struct plan *p, const char *arg, char *err, size_t errlen)
{
	if (p->state != PLAN_WANT_PLAN) {
		snprintf(err, errlen, "a second \"plan\" record");
		return -1;
	}
	if (!arg || !number(arg, 0, DAXTEST_PLAN_MAX_TESTS, &p->count)) {
		snprintf(err, errlen, "\"plan\" needs a test count from 0 to %d",
			 DAXTEST_PLAN_MAX_TESTS);
		return -1;
	}
	p->tests = calloc(p->count ? p->count : 1, sizeof(*p->tests));
	if (!p->tests) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->state = PLAN_WANT_ENV;
	return 0;
}

/* A decimal number in [0, max], digits only. */
static bool number_ll(const char *s, long long max, long long *out)
{
	long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		int d = *s - '0';

		if (d < 0 || d > 9 || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly 2 * len lowercase hex digits into bytes. */
static bool hex_bytes(const char *s, unsigned char *bytes, size_t len)
{
	size_t i;

	if (strlen(s) != 2 * len)
		return false;
	for (i = 0; i < len; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		bytes[i] = hi << 4 | lo;
	}
	return true;
}

#define RESTORED_FIELDS	4	/* <sec> <nsec> same|changed <seed> */
#define RESTORED_USAGE	"\"restored\" needs <sec> <nsec> same|changed <seed>"

/* Splits s at its spaces into exactly n fields; false for more or fewer. */
static bool split_exact(char *s, char **field, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *sp = strchr(s, ' ');

		field[i] = s;
		if (!sp)
			return i == n - 1;
		*sp = '\0';
		s = sp + 1;
	}
	return false;
}

/* restored <sec> <nsec> same|changed <seed>, only right after "plan". */
static int parse_restored(struct plan *p, const char *arg, char *err, size_t errlen)
{
	char buf[DAXTEST_LINE_MAX], *f[RESTORED_FIELDS];
	struct plan_restored *r = &p->restored;
	long long nsec;

	if (r->set) {
		snprintf(err, errlen, "a second \"restored\" record");
		return -1;
	}
	if (p->state != PLAN_WANT_ENV || p->nr_env) {
		snprintf(err, errlen, "\"restored\" not right after \"plan\"");
		return -1;
	}
	if (!arg || strlen(arg) >= sizeof(buf)) {
		snprintf(err, errlen, RESTORED_USAGE);
		return -1;
	}
	strcpy(buf, arg);
	if (!split_exact(buf, f, RESTORED_FIELDS)) {
		snprintf(err, errlen, RESTORED_USAGE);
		return -1;
	}
	if (!number_ll(f[0], LLONG_MAX, &r->sec) || !number_ll(f[1], 999999999, &nsec)) {
		snprintf(err, errlen, "\"restored\" time %.30s %.30s is not <sec> <nsec> (0 to 999999999)",
			 f[0], f[1]);
		return -1;
	}
	r->nsec = nsec;
	if (strcmp(f[2], "same") && strcmp(f[2], "changed")) {
		snprintf(err, errlen, "\"restored\" files %.30s is neither \"same\" nor \"changed\"",
			 f[2]);
		return -1;
	}
	r->files_changed = !strcmp(f[2], "changed");
	if (!hex_bytes(f[3], r->seed, sizeof(r->seed))) {
		snprintf(err, errlen, "\"restored\" seed is not %zu lowercase hex digits",
			 2 * sizeof(r->seed));
		return -1;
	}
	r->set = true;
	return 0;
}

static int parse_env(struct plan *p, const char *arg, char *err, size_t errlen)
{
	char **env;

	if (p->state != PLAN_WANT_ENV) {
		snprintf(err, errlen, "\"env\" after a \"test\" record or before \"plan\"");
		return -1;
	}
	if (!arg || !env_entry(arg)) {
		snprintf(err, errlen, "\"env\" needs KEY=value, KEY of [A-Za-z0-9_]");
		return -1;
	}
	if (p->nr_env == DAXTEST_PLAN_MAX_ENV) {
		snprintf(err, errlen, "more than %d \"env\" records", DAXTEST_PLAN_MAX_ENV);
		return -1;
	}
	env = realloc(p->env, (p->nr_env + 1) * sizeof(*env));
	if (!env) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->env = env;
	env[p->nr_env] = strdup(arg);
	if (!env[p->nr_env]) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->nr_env++;
	return 0;
}

#define TEST_FIELDS	5	/* <index> <timeout_s> <path> <name> <cell> */
#define TEST_OPTIONS	2	/* run=, phase= */

/* Splits "<index> <timeout_s> <path> <name> <cell> [<key>=<value>...]" at
 * its spaces; returns the number of fields, or -1 for too few or too
 * many. The fields are checked by the caller. */
static int split_test(char *s, char *field[TEST_FIELDS + TEST_OPTIONS])
{
	int n = 0;

	for (;;) {
		char *sp = strchr(s, ' ');

		if (n == TEST_FIELDS + TEST_OPTIONS)
			return -1;
		field[n++] = s;
		if (!sp)
			break;
		*sp = '\0';
		s = sp + 1;
	}
	return n < TEST_FIELDS ? -1 : n;
}

/* run=<case> and phase=<phase>, each at most once. */
static int parse_test_options(struct plan_test *t, char **f, int n, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < n; i++) {
		char **slot = NULL;
		const char *v = NULL;

		if (!strncmp(f[i], "run=", 4)) {
			slot = &t->run;
			v = f[i] + 4;
		} else if (!strncmp(f[i], "phase=", 6)) {
			slot = &t->phase;
			v = f[i] + 6;
		}
		if (!slot || *slot || !word(v)) {
			snprintf(err, errlen, "\"test\" option %s is unknown, repeated or empty", f[i]);
			return -1;
		}
		*slot = strdup(v);
		if (!*slot) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int parse_test(struct plan *p, const char *arg, char *err, size_t errlen)
{
	char buf[DAXTEST_LINE_MAX], *f[TEST_FIELDS + TEST_OPTIONS];
	struct plan_test *t;
	int nf;

	if (p->state != PLAN_WANT_ENV && p->state != PLAN_WANT_TEST) {
		snprintf(err, errlen, "\"test\" before \"plan\"");
		return -1;
	}
	if (p->nr_tests == p->count) {
		snprintf(err, errlen, "more \"test\" records than the %u planned", p->count);
		return -1;
	}
	if (!arg || strlen(arg) >= sizeof(buf)) {
		snprintf(err, errlen, "\"test\" needs <index> <timeout_s> <path> <name> <cell>");
		return -1;
	}
	strcpy(buf, arg);
	t = &p->tests[p->nr_tests];
	nf = split_test(buf, f);
	if (nf < 0 || !number(f[0], 1, UINT_MAX, &t->index) ||
	    !number(f[1], 1, UINT_MAX, &t->timeout_s) || !word(f[2]) || !word(f[3]) || !word(f[4])) {
		snprintf(err, errlen, "\"test\" needs <index> <timeout_s> <path> <name> <cell>");
		return -1;
	}
	if (t->index != p->nr_tests + 1) {
		snprintf(err, errlen, "test index %u where %zu was due", t->index,
			 p->nr_tests + 1);
		return -1;
	}
	if (f[2][0] != '/') {
		snprintf(err, errlen, "test path %s is not absolute", f[2]);
		return -1;
	}
	t->path = strdup(f[2]);
	t->name = strdup(f[3]);
	t->cell = strdup(f[4]);
	p->nr_tests++;
	if (!t->path || !t->name || !t->cell) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (parse_test_options(t, f + TEST_FIELDS, nf - TEST_FIELDS, err, errlen) < 0)
		return -1;
	p->state = PLAN_WANT_TEST;
	return 0;
}

static int parse_go(struct plan *p, const char *arg, char *err, size_t errlen)
{
	if (p->state == PLAN_WANT_PLAN || arg) {
		snprintf(err, errlen, "\"go\" before \"plan\" or with arguments");
		return -1;
	}
	if (p->nr_tests != p->count) {
		snprintf(err, errlen, "\"go\" after %zu of %u tests", p->nr_tests, p->count);
		return -1;
	}
	p->state = PLAN_DONE;
	return 1;
}

int plan_parse_line(struct plan *p, const char *line, char *err, size_t errlen)
{
	const char *arg;
	char tag[16];

	if (p->state == PLAN_DONE) {
		snprintf(err, errlen, "a record after \"go\"");
		return -1;
	}
	if (strlen(line) >= DAXTEST_LINE_MAX || !printable(line)) {
		snprintf(err, errlen, "a plan line is too long or not printable ASCII");
		return -1;
	}
	arg = split_tag(line, tag, sizeof(tag));
	if (!strcmp(tag, "plan"))
		return parse_plan(p, arg, err, errlen);
	if (!strcmp(tag, "restored"))
		return parse_restored(p, arg, err, errlen);
	if (!strcmp(tag, "env"))
		return parse_env(p, arg, err, errlen);
	if (!strcmp(tag, "test"))
		return parse_test(p, arg, err, errlen);
	if (!strcmp(tag, "go"))
		return parse_go(p, arg, err, errlen);
	snprintf(err, errlen, "unknown plan record \"%.40s\"", line);
	return -1;
}
