// SPDX-License-Identifier: GPL-2.0
/*
 * known.c - expected failures per kernel, from tests/known/
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "known.h"
#include "log.h"

static int add(struct known *k, const char *glob, const char *report, const char *reason)
{
	struct known_entry *grown = realloc(k->v, (k->n + 1) * sizeof(*grown));
	struct known_entry *e;

	if (!grown)
		return -1;
	k->v = grown;
	e = &k->v[k->n];
	e->glob = strdup(glob);
	e->report = report ? strdup(report) : NULL;
	e->reason = strdup(reason);
	if (!e->glob || !e->reason || (report && !e->report)) {
		free(e->glob);
		free(e->report);
		free(e->reason);
		return -1;
	}
	k->n++;
	return 0;
}

/* Cuts the first word off *p (which then points past its blanks). */
static char *next_word(char **p)
{
	char *word = *p, *end = word + strcspn(word, " \t");

	*p = end;
	if (*end) {
		*end = '\0';
		for (*p = end + 1; isspace((unsigned char)**p); (*p)++)
			;
	}
	return word;
}

int known_parse(struct known *k, const char *text, const char *source)
{
	char *copy = strdup(text), *line, *next;
	unsigned int lineno = 0;
	int ret = 0;

	if (!copy)
		return -1;
	for (line = copy; line && !ret; line = next) {
		char *hash, *p, *reason, *glob, *report;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		str_rstrip(line);
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (!*p)
			continue;
		reason = p;
		glob = next_word(&reason);
		report = NULL;
		if (!strncmp(reason, "report=", 7)) {
			report = next_word(&reason) + 7;
			if (!*report) {
				log_error("%s:%u: 'report=' names no kernel report", source, lineno);
				ret = -1;
				break;
			}
		}
		if (!*reason) {
			log_error("%s:%u: '%s' has no reason: a known failure must say why", source,
				  lineno, glob);
			ret = -1;
			break;
		}
		ret = add(k, glob, report, reason);
	}
	free(copy);
	return ret;
}

int known_load(struct known *k, const char *project_dir, const char *release)
{
	size_t major_minor = strspn(release, "0123456789.");
	const char *second = strchr(release, '.');
	char *text = NULL;
	int ret;

	memset(k, 0, sizeof(*k));
	if (!second)
		return 0;
	second = strchr(second + 1, '.');
	if (second && (size_t)(second - release) < major_minor)
		major_minor = second - release;
	k->path = str_printf("%s/tests/known/%.*s.txt", project_dir, (int)major_minor, release);
	if (!k->path)
		return -1;
	ret = read_file(k->path, &text, NULL);
	if (ret == -ENOENT) {
		free(k->path);
		k->path = NULL;
		return 0;
	}
	if (ret < 0) {
		log_error("cannot read %s: %s", k->path, strerror(-ret));
		return -1;
	}
	ret = known_parse(k, text, k->path);
	free(text);
	return ret;
}

/* The entry for a whole test (no ':' in its glob) or, with sub, for one
 * of its subtests ("<test glob>:<subtest glob>", matched against
 * "<test>:<subtest>"). */
static const struct known_entry *find(const struct known *k, const char *name,
				      const char *sub)
{
	char key[1024];
	size_t i;

	if (sub)
		snprintf(key, sizeof(key), "%s:%s", name, sub);
	for (i = 0; i < k->n; i++) {
		if (!strchr(k->v[i].glob, ':') == !!sub)
			continue;
		if (fnmatch(k->v[i].glob, sub ? key : name, 0) == 0)
			return &k->v[i];
	}
	return NULL;
}

static bool subtest_failed(enum ktap_status s)
{
	return s == KTAP_FAIL || s == KTAP_TIMEOUT || s == KTAP_ERROR;
}

/* Subtest entries: a failed test whose failed subtests are all known is
 * a known failure; a test with a known subtest that passed is an XPASS. */
static const struct known_entry *find_by_subtests(const struct known *k,
						  const struct test_result *t)
{
	const struct known_entry *first = NULL, *e;
	size_t i;

	for (i = 0; i < t->ktap.nr_tests; i++) {
		const struct ktap_test *s = &t->ktap.tests[i];

		e = find(k, t->name, s->name);
		if (t->status == TEST_PASS && e && s->status == KTAP_PASS)
			return e;
		if (t->status != TEST_FAIL || !subtest_failed(s->status))
			continue;
		if (!e)
			return NULL;	/* a failure nobody expected */
		if (!first)
			first = e;
	}
	return first;
}

/* Whether entry e is about test name: its glob, or the test part of a
 * "<test glob>:<subtest glob>". */
static bool entry_names_test(const struct known_entry *e, const char *name)
{
	const char *colon = strchr(e->glob, ':');
	char test_glob[1024];

	if (!colon)
		return fnmatch(e->glob, name, 0) == 0;
	snprintf(test_glob, sizeof(test_glob), "%.*s", (int)(colon - e->glob), e->glob);
	return fnmatch(test_glob, name, 0) == 0;
}

/*
 * A kernel report (WARNING, BUG, KASAN, ...) attributed to t is expected
 * only when an entry about t names it (report=<glob of its title>); an
 * entry without report= excuses no report, so a new WARNING in a test
 * with a known failure still fails it. Returns the entry that excuses
 * the first report, or NULL when a report is not excused (or there is
 * none: *all_excused says which).
 */
static const struct known_entry *excuse_reports(const struct known *k,
						const struct test_result *t,
						bool *all_excused)
{
	const struct known_entry *first = NULL;
	size_t f, i;

	*all_excused = true;
	for (f = 0; f < t->nr_findings; f++) {
		const struct known_entry *e = NULL;

		for (i = 0; i < k->n && !e; i++)
			if (k->v[i].report && entry_names_test(&k->v[i], t->name) &&
			    fnmatch(k->v[i].report, t->findings[f].title, 0) == 0)
				e = &k->v[i];
		if (!e) {
			*all_excused = false;
			return NULL;
		}
		if (!first)
			first = e;
	}
	return first;
}

static bool any_subtest_failed(const struct test_result *t)
{
	size_t i;

	for (i = 0; i < t->ktap.nr_tests; i++)
		if (subtest_failed(t->ktap.tests[i].status))
			return true;
	return false;
}

void known_apply(const struct known *k, struct test_result *t)
{
	const struct known_entry *e, *by_report;
	bool reports_excused;
	char *reason;

	if (!t->name || (t->status != TEST_FAIL && t->status != TEST_PASS))
		return;
	by_report = excuse_reports(k, t, &reports_excused);
	if (!reports_excused)
		return;		/* a kernel report nobody named */
	e = find(k, t->name, NULL);
	if (!e)
		e = find_by_subtests(k, t);
	/* Failed only for reports the entries name (no subtest failed). */
	if (!e && by_report && t->status == TEST_FAIL && !any_subtest_failed(t))
		e = by_report;
	if (!e)
		return;
	if (t->status == TEST_FAIL)
		reason = str_printf("known failure: %s (%s)", e->reason,
				    t->reason ? t->reason : "failed");
	else
		reason = str_printf("known failure passed, the entry can go: %s", e->reason);
	if (!reason)
		return;
	t->status = t->status == TEST_FAIL ? TEST_XFAIL : TEST_XPASS;
	free(t->reason);
	t->reason = reason;
}

void known_free(struct known *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].glob);
		free(k->v[i].report);
		free(k->v[i].reason);
	}
	free(k->v);
	free(k->path);
	memset(k, 0, sizeof(*k));
}
