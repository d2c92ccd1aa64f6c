// SPDX-License-Identifier: GPL-2.0
/*
 * mutant_claims.c - the "Must-fail:" lines of the mutants in tests/mutants/
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "plan/mutant_claims.h"

#define MUST_FAIL "Must-fail:"

/* [a-z0-9_-]+ "/" [a-z0-9_]+ ":" [a-z0-9_]+ "." [a-z0-9_]+ */
static size_t word_len(const char *s, bool dash)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
	       s[n] == '_' || (dash && s[n] == '-'))
		n++;
	return n;
}

static bool entry_valid(const char *e)
{
	static const char seps[] = "/:.";
	size_t i, n;

	for (i = 0; i < sizeof(seps); i++) {
		n = word_len(e, i == 0);
		if (!n || e[n] != seps[i])
			return false;
		e += n + (seps[i] != '\0');
	}
	return true;
}

static int add_claim(struct mutant_claims *c, const char *mutant, const char *entry)
{
	const char *colon = strchr(entry, ':');
	struct mutant_claim *v = realloc(c->v, (c->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	c->v = v;
	v += c->n;
	memset(v, 0, sizeof(*v));
	v->mutant = strdup(mutant);
	v->program = strndup(entry, colon - entry);
	v->test = strdup(colon + 1);
	if (!v->mutant || !v->program || !v->test) {
		free(v->mutant);
		free(v->program);
		free(v->test);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

int mutant_claims_parse(struct mutant_claims *c, const char *mutant, const char *text)
{
	size_t before = c->n;
	const char *line;
	char *copy, *entry, *save;
	int ret = 0;

	for (line = text; line && *line && !ret; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		size_t len = strcspn(line, "\n");

		if (strncmp(line, MUST_FAIL, strlen(MUST_FAIL)))
			continue;
		copy = strndup(line + strlen(MUST_FAIL), len - strlen(MUST_FAIL));
		if (!copy)
			return -ENOMEM;
		for (entry = strtok_r(copy, " \t", &save); entry && !ret;
		     entry = strtok_r(NULL, " \t", &save)) {
			if (!entry_valid(entry)) {
				log_error("tests/mutants/%s.patch: Must-fail: entry '%s' is not <area>/<program>:<fixture>.<test>",
					  mutant, entry);
				ret = -EINVAL;
			} else {
				ret = add_claim(c, mutant, entry);
			}
		}
		free(copy);
	}
	if (!ret && c->n == before) {
		log_error("tests/mutants/%s.patch has no Must-fail: line naming the tests it must fail",
			  mutant);
		ret = -EINVAL;
	}
	if (!ret)
		c->nr_mutants++;
	return ret;
}

int mutant_claims_load(struct mutant_claims *c, const char *project_dir)
{
	char *pattern = path_join(project_dir, "tests/mutants/*.patch");
	glob_t g = { 0 };
	size_t i;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	if (!pattern)
		return -ENOMEM;
	if (glob(pattern, 0, NULL, &g) == GLOB_NOSPACE)
		ret = -ENOMEM;
	for (i = 0; i < g.gl_pathc && !ret; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		char *mutant = strndup(base, strlen(base) - strlen(".patch"));
		char *text = NULL;
		size_t len;

		if (!mutant) {
			ret = -ENOMEM;
			break;
		}
		ret = read_file(g.gl_pathv[i], &text, &len);
		if (ret < 0)
			log_error("cannot read %s: %s", g.gl_pathv[i], strerror(-ret));
		else
			ret = mutant_claims_parse(c, mutant, text);
		free(text);
		free(mutant);
	}
	globfree(&g);
	free(pattern);
	return ret;
}

int mutant_claims_killers(struct mutant_claims *c, const char *program,
			  const char *fixture, const char *test, struct strv *out)
{
	size_t flen = strlen(fixture), i;
	int added = 0;

	for (i = 0; i < c->n; i++) {
		struct mutant_claim *m = &c->v[i];

		if (strcmp(m->program, program) || strncmp(m->test, fixture, flen) ||
		    m->test[flen] != '.' || strcmp(m->test + flen + 1, test))
			continue;
		m->matched = true;
		strv_add(out, m->mutant);
		added++;
	}
	return out->err ? -1 : added;
}

void mutant_claims_free(struct mutant_claims *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].mutant);
		free(c->v[i].program);
		free(c->v[i].test);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
