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

static int add(struct known *k, const char *glob, size_t glob_len, const char *reason)
{
	struct known_entry *grown = realloc(k->v, (k->n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	k->v = grown;
	k->v[k->n].glob = strndup(glob, glob_len);
	k->v[k->n].reason = strdup(reason);
	if (!k->v[k->n].glob || !k->v[k->n].reason) {
		free(k->v[k->n].glob);
		free(k->v[k->n].reason);
		return -1;
	}
	k->n++;
	return 0;
}

int known_parse(struct known *k, const char *text, const char *source)
{
	char *copy = strdup(text), *line, *next;
	unsigned int lineno = 0;
	int ret = 0;

	if (!copy)
		return -1;
	for (line = copy; line && !ret; line = next) {
		char *hash, *p, *reason;

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
		reason = p + strcspn(p, " \t");
		if (!*reason) {
			log_error("%s:%u: '%s' has no reason: a known failure must say why", source,
				  lineno, p);
			ret = -1;
			break;
		}
		*reason++ = '\0';
		while (isspace((unsigned char)*reason))
			reason++;
		ret = add(k, p, strlen(p), reason);
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

void known_apply(const struct known *k, struct test_result *t)
{
	const struct known_entry *e;
	char *reason;

	if (!t->name || (t->status != TEST_FAIL && t->status != TEST_PASS))
		return;
	e = find(k, t->name, NULL);
	if (!e)
		e = find_by_subtests(k, t);
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
		free(k->v[i].reason);
	}
	free(k->v);
	free(k->path);
	memset(k, 0, sizeof(*k));
}
