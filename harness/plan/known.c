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

#include "lib/fsutil.h"
#include "plan/known.h"
#include "lib/log.h"

static int add(struct known *k, const char *glob, const char *report, const char *despite,
	       const char *reason)
{
	struct known_entry *grown = realloc(k->v, (k->n + 1) * sizeof(*grown));
	struct known_entry *e;

	if (!grown)
		return -1;
	k->v = grown;
	e = &k->v[k->n];
	e->glob = strdup(glob);
	e->report = report ? strdup(report) : NULL;
	e->despite = despite ? strdup(despite) : NULL;
	e->reason = strdup(reason);
	if (!e->glob || !e->reason || (report && !e->report) || (despite && !e->despite)) {
		free(e->glob);
		free(e->report);
		free(e->despite);
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
		char *hash, *p, *reason, *glob, *report, *despite;

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
		report = despite = NULL;
		while (!strncmp(reason, "report=", 7) || !strncmp(reason, "despite=", 8)) {
			bool is_report = reason[0] == 'r';
			char *word = next_word(&reason);

			word = strchr(word, '=') + 1;
			if (!*word) {
				log_error("%s:%u: '%s' names nothing", source, lineno,
					  is_report ? "report=" : "despite=");
				ret = -1;
				break;
			}
			*(is_report ? &report : &despite) = word;
		}
		if (ret)
			break;
		if (!*reason) {
			log_error("%s:%u: '%s' has no reason: a known failure must say why", source,
				  lineno, glob);
			ret = -1;
			break;
		}
		ret = add(k, glob, report, despite, reason);
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

int known_add_fix(struct known *k, const char *glob, const char *by)
{
	struct known_fix *grown = realloc(k->fixes, (k->nr_fixes + 1) * sizeof(*grown));
	struct known_fix *f;

	if (!grown)
		return -1;
	k->fixes = grown;
	f = &k->fixes[k->nr_fixes];
	f->glob = strdup(glob);
	f->by = strdup(by);
	if (!f->glob || !f->by) {
		free(f->glob);
		free(f->by);
		return -1;
	}
	k->nr_fixes++;
	return 0;
}

/* Whether glob ("<test glob>[:<subtest glob>]") names test name: its
 * test part matches. */
static bool glob_names_test(const char *glob, const char *name)
{
	const char *colon = strchr(glob, ':');
	char test_glob[1024];

	if (!colon)
		return fnmatch(glob, name, 0) == 0;
	snprintf(test_glob, sizeof(test_glob), "%.*s", (int)(colon - glob), glob);
	return fnmatch(test_glob, name, 0) == 0;
}

/*
 * The patch that fixes test name (sub NULL: the whole test or any of its
 * subtests) or its subtest sub, or NULL.
 */
static const struct known_fix *fixed_by(const struct known *k, const char *name,
					const char *sub)
{
	char key[1024];
	size_t i;

	if (sub)
		snprintf(key, sizeof(key), "%s:%s", name, sub);
	for (i = 0; i < k->nr_fixes; i++) {
		const char *glob = k->fixes[i].glob;

		if (!strchr(glob, ':') ? fnmatch(glob, name, 0) == 0 :
		    sub ? fnmatch(glob, key, 0) == 0 : glob_names_test(glob, name))
			return &k->fixes[i];
	}
	return NULL;
}

/* The entry for a whole test (no ':' in its glob) or, with sub, for one
 * of its subtests ("<test glob>:<subtest glob>", matched against
 * "<test>:<subtest>"), unless a patch of the series fixes that and the
 * entry does not hold despite that patch. */
static const struct known_entry *find(const struct known *k, const char *name,
				      const char *sub)
{
	const struct known_fix *fix = fixed_by(k, name, sub);
	const struct known_entry *e;
	char key[1024];
	size_t i;

	if (sub)
		snprintf(key, sizeof(key), "%s:%s", name, sub);
	for (i = 0; i < k->n; i++) {
		e = &k->v[i];
		if (!strchr(e->glob, ':') == !!sub)
			continue;
		if (fnmatch(e->glob, sub ? key : name, 0) != 0)
			continue;
		if (!fix || (e->despite && fnmatch(e->despite, fix->by, 0) == 0))
			return e;
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
	return glob_names_test(e->glob, name);
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

/* The patch that fixes a subtest that failed (or the whole test), unless
 * an entry holds despite it, or NULL. */
static const struct known_fix *fix_failed(const struct known *k, const struct test_result *t)
{
	const struct known_fix *f;
	const char *sub;
	size_t i;

	if (t->status != TEST_FAIL)
		return NULL;
	for (i = 0; i < t->ktap.nr_tests; i++) {
		if (!subtest_failed(t->ktap.tests[i].status))
			continue;
		sub = t->ktap.tests[i].name;
		f = fixed_by(k, t->name, sub);
		if (f && !find(k, t->name, sub) && !find(k, t->name, NULL))
			return f;
	}
	for (i = 0; i < k->nr_fixes; i++)
		if (!strchr(k->fixes[i].glob, ':') && fnmatch(k->fixes[i].glob, t->name, 0) == 0 &&
		    !find(k, t->name, NULL))
			return &k->fixes[i];
	return NULL;
}

/* A failure of what a patch of the series fixes: the reason says so. */
static void note_fix_failed(const struct known_fix *f, struct test_result *t)
{
	char *reason = str_printf("%s; %s is applied and should have fixed it",
				  t->reason ? t->reason : "failed", f->by);

	if (!reason)
		return;
	free(t->reason);
	t->reason = reason;
}

void known_apply(const struct known *k, struct test_result *t)
{
	const struct known_entry *e, *by_report;
	const struct known_fix *fix;
	bool reports_excused;
	char *reason;

	if (!t->name || (t->status != TEST_FAIL && t->status != TEST_PASS))
		return;
	fix = fix_failed(k, t);
	if (fix) {
		note_fix_failed(fix, t);
		return;
	}
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
		free(k->v[i].despite);
		free(k->v[i].reason);
	}
	free(k->v);
	for (i = 0; i < k->nr_fixes; i++) {
		free(k->fixes[i].glob);
		free(k->fixes[i].by);
	}
	free(k->fixes);
	free(k->path);
	memset(k, 0, sizeof(*k));
}
