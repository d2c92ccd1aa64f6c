// SPDX-License-Identifier: GPL-2.0
/*
 * catalog.c - find, describe, select and build the in-guest tests
 */
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cache.h"
#include "lib/fsutil.h"
#include "build/kernel_build.h"
#include "lib/log.h"
#include "lib/spawn.h"
#include "plan/case_list.h"
#include "plan/catalog.h"

/* Joins backslash-continued lines in place. */
static void join_continuations(char *text)
{
	char *p;

	while ((p = strstr(text, "\\\n"))) {
		p[0] = ' ';
		p[1] = ' ';
	}
}

/* The words assigned to TEST_GEN_PROGS (":=", "=" or "+="). */
static int makefile_programs(const char *makefile, char ***progs, size_t *nr)
{
	char *text = NULL, *line, *next;
	int ret;

	ret = read_file(makefile, &text, NULL);
	if (ret < 0)
		return ret;
	join_continuations(text);
	for (line = text; line; line = next) {
		char *val, *word, *save = NULL;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (strncmp(line, "TEST_GEN_PROGS", 14) != 0)
			continue;
		val = line + 14;
		val += strspn(val, " \t");
		if (*val == '+' || *val == ':')
			val++;
		if (*val != '=')
			continue;
		for (word = strtok_r(val + 1, " \t", &save); word;
		     word = strtok_r(NULL, " \t", &save)) {
			char **grown = realloc(*progs, (*nr + 1) * sizeof(*grown));

			if (!grown) {
				free(text);
				return -ENOMEM;
			}
			*progs = grown;
			(*progs)[(*nr)++] = strdup(word);
		}
	}
	free(text);
	return 0;
}

/* " * <program> - <description>" on line 3 of the source. */
static char *program_description(const char *area_dir, const char *prog)
{
	char *src = str_printf("%s/%s.c", area_dir, prog), *text = NULL, *line;
	char *desc = NULL, *sep;
	int i;

	if (!src || read_file(src, &text, NULL) < 0)
		goto out;
	line = text;
	for (i = 0; i < 2 && line; i++) {
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	if (!line)
		goto out;
	*strchrnul(line, '\n') = '\0';
	sep = strstr(line, " - ");
	if (sep)
		desc = strdup(sep + 3);
out:
	free(src);
	free(text);
	return desc ? desc : strdup("(no description on line 3 of the source)");
}

/* The value of "key=" at the start of a line of a kselftest settings
 * file, up to the end of that line; NULL when absent. */
static char *settings_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (!strncmp(line, key, klen) && line[klen] == '=')
			return strndup(line + klen + 1, strcspn(line + klen + 1, "\n"));
	}
	return NULL;
}

/* "key=1" in settings text. */
static bool settings_flag(const char *text, const char *key)
{
	char *v = settings_value(text, key);
	bool set = v && !strcmp(v, "1");

	free(v);
	return set;
}

/* The area's settings: kselftest's timeout=, and daxtest's guest=own
 * (each program runs in a guest of its own: it leaves the guest in a
 * state later tests must not see, such as poisoned memory), powerfail=1
 * and fixture=1 (misbehaving programs that test daxtest itself: run only
 * when --tests names the area). */
static void area_settings(const char *area_dir, unsigned int *timeout, bool *own_guest,
			  bool *powerfail, bool *fixture)
{
	char *path = path_join(area_dir, "settings"), *text = NULL, *v;

	*timeout = TEST_DEFAULT_TIMEOUT;
	*own_guest = false;
	*powerfail = false;
	*fixture = false;
	if (!path || read_file(path, &text, NULL) != 0)
		goto out;
	v = settings_value(text, "timeout");
	if (v) {
		long t = strtol(v, NULL, 10);

		if (t > 0 && t < 86400)
			*timeout = (unsigned int)t;
		free(v);
	}
	v = settings_value(text, "guest");
	if (v) {
		*own_guest = !strcmp(v, "own");
		free(v);
	}
	*powerfail = settings_flag(text, "powerfail");
	*fixture = settings_flag(text, "fixture");
out:
	free(path);
	free(text);
}

static int add_area(struct test_catalog *c, const char *area_dir)
{
	char *makefile = path_join(area_dir, "Makefile"), **progs = NULL;
	const char *area = strrchr(area_dir, '/') + 1;
	unsigned int timeout;
	bool own_guest, powerfail, fixture;
	size_t nr = 0, i;
	int ret;

	if (!makefile)
		return -1;
	area_settings(area_dir, &timeout, &own_guest, &powerfail, &fixture);
	ret = makefile_programs(makefile, &progs, &nr);
	free(makefile);
	if (ret < 0) {
		log_error("cannot read %s/Makefile: %s", area_dir, strerror(-ret));
		return -1;
	}
	for (i = 0; i < nr; i++) {
		struct test_def *grown = realloc(c->tests, (c->nr + 1) * sizeof(*grown));

		if (!grown || !progs[i]) {
			ret = -1;
			break;
		}
		c->tests = grown;
		memset(&c->tests[c->nr], 0, sizeof(c->tests[c->nr]));
		c->tests[c->nr].name = str_printf("%s/%s", area, progs[i]);
		c->tests[c->nr].program = str_printf("%s/%s", area, progs[i]);
		c->tests[c->nr].description = program_description(area_dir, progs[i]);
		c->tests[c->nr].timeout_s = timeout;
		c->tests[c->nr].own_guest = own_guest;
		c->tests[c->nr].powerfail = powerfail;
		c->tests[c->nr].fixture = fixture;
		c->nr++;
		if (!c->tests[c->nr - 1].name || !c->tests[c->nr - 1].program) {
			ret = -1;
			break;
		}
	}
	for (i = 0; i < nr; i++)
		free(progs[i]);
	free(progs);
	return ret;
}

int test_catalog_load(struct test_catalog *c, const char *project_dir)
{
	char *pattern = path_join(project_dir, "tests/*/Makefile");
	glob_t g;
	size_t i;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	if (!pattern)
		return -1;
	if (glob(pattern, 0, NULL, &g) != 0) {
		log_error("no tests found (%s)", pattern);
		free(pattern);
		return -1;
	}
	for (i = 0; i < g.gl_pathc && !ret; i++) {
		char *dir = strdup(g.gl_pathv[i]);

		if (!dir) {
			ret = -1;
			break;
		}
		*strrchr(dir, '/') = '\0';
		ret = add_area(c, dir);
		free(dir);
	}
	globfree(&g);
	free(pattern);
	return ret;
}

void test_def_free(struct test_def *t)
{
	free(t->suite);
	free(t->exec);
	free(t->name);
	free(t->program);
	free(t->cell);
	free(t->run);
	free(t->description);
}

struct expansion {
	struct test_def *v;
	size_t n, cap;
};

/* A power-fail case: its cut and its crash image. */
struct case_tag {
	bool random_cut;
	unsigned int iteration;		/* of a random_ case, from 1; else 0 */
	unsigned int image;		/* sampled crash image, from 1; 0: strict */
};

/* "<program>[/<run>]@<cell>[,iter=<n>][,image=sampled<k>]". */
static char *expanded_name(const struct test_def *t, const char *cell, const char *run,
			   const struct case_tag *tag)
{
	char iter[32] = "", image[32] = "";

	if (!run)
		return str_printf("%s@%s", t->program, cell);
	if (tag->iteration)
		snprintf(iter, sizeof(iter), ",iter=%u", tag->iteration);
	if (tag->image)
		snprintf(image, sizeof(image), ",image=sampled%u", tag->image);
	return str_printf("%s/%s@%s%s%s", t->program, run, cell, iter, image);
}

/* Appends a copy of t for cell (a power-fail case: run and tag). */
static int add_expanded(struct expansion *e, const struct test_def *t, const char *cell,
			const char *run, const struct case_tag *tag)
{
	static const struct case_tag plain;
	struct test_def *d;

	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 64;
		struct test_def *grown = realloc(e->v, cap * sizeof(*grown));

		if (!grown)
			return -1;
		e->v = grown;
		e->cap = cap;
	}
	d = &e->v[e->n++];
	memset(d, 0, sizeof(*d));
	if (!tag)
		tag = &plain;
	d->name = expanded_name(t, cell, run, tag);
	d->program = strdup(t->program);
	d->cell = strdup(cell);
	d->description = t->description ? strdup(t->description) : NULL;
	d->run = run ? strdup(run) : NULL;
	d->timeout_s = t->timeout_s;
	d->own_guest = t->own_guest;
	d->powerfail = t->powerfail;
	d->fixture = t->fixture;
	d->random_cut = tag->random_cut;
	d->iteration = tag->iteration;
	d->crash_image = tag->image;
	if (!d->name || !d->program || !d->cell || (t->description && !d->description) ||
	    (run && !d->run))
		return -1;
	return 0;
}

/* The cases of a power-fail program, "<fixture>.<variant>.<test>", from its source. */
static int powerfail_cases(const char *project_dir, const struct test_def *t,
			   struct strv *runs)
{
	const char *slash = strchr(t->program, '/');
	char *area_dir = str_printf("%s/tests/%.*s", project_dir, (int)(slash - t->program),
				    t->program);
	struct test_cases tc = { 0 };
	size_t i, j;
	int ret;

	if (!area_dir)
		return -1;
	ret = test_cases_read(area_dir, slash + 1, &tc);
	free(area_dir);
	if (ret < 0) {
		log_error("cannot read the source of %s: %s", t->program, strerror(-ret));
		test_cases_free(&tc);
		return -1;
	}
	for (i = 0; i < tc.n; i++) {
		const char *fixture = *tc.v[i].fixture ? tc.v[i].fixture : "global";
		size_t flen = strlen(fixture);
		bool any = false;

		for (j = 0; j < tc.variants.n; j++) {
			const char *v = tc.variants.v[j];

			if (!strncmp(v, fixture, flen) && v[flen] == '.') {
				strv_addf(runs, "%s.%s", v, tc.v[i].name);
				any = true;
			}
		}
		if (!any)
			strv_addf(runs, "%s.%s", fixture, tc.v[i].name);
	}
	test_cases_free(&tc);
	if (!runs->n)
		log_error("%s is a power-fail program without a TEST_F()", t->program);
	return runs->err || !runs->n ? -1 : 0;
}

/* The random_ cases: "<fixture>.<variant>.random_<name>". */
static bool is_random_case(const char *run)
{
	const char *test = strrchr(run, '.');

	return test && !strncmp(test + 1, "random_", 7);
}

/* A case in a cell: its strict image, then its sampled ones. */
static int add_images(struct expansion *e, const struct test_def *t, const char *cell,
		      const char *run, struct case_tag tag, unsigned int samples)
{
	int ret = 0;

	for (tag.image = 0; !ret && tag.image <= samples; tag.image++)
		ret = add_expanded(e, t, cell, run, &tag);
	return ret;
}

static int expand_powerfail(struct expansion *e, const char *project_dir,
			    const struct test_def *t, const struct matrix *m,
			    unsigned int iterations, unsigned int samples)
{
	struct strv runs = { 0 };
	struct case_tag tag = { 0 };
	size_t i, j;
	int ret = powerfail_cases(project_dir, t, &runs);

	for (i = 0; !ret && i < runs.n; i++) {
		tag.random_cut = is_random_case(runs.v[i]);
		if (tag.random_cut && !m->random_cuts)
			continue;
		for (j = 0; !ret && j < m->cells.n; j++) {
			if (!tag.random_cut) {
				ret = add_images(e, t, m->cells.v[j], runs.v[i], tag, samples);
				continue;
			}
			for (tag.iteration = 1; !ret && tag.iteration <= iterations; tag.iteration++)
				ret = add_images(e, t, m->cells.v[j], runs.v[i], tag, samples);
			tag.iteration = 0;
		}
	}
	strv_free(&runs);
	return ret;
}

int test_catalog_expand(struct test_catalog *c, const char *project_dir,
			const struct matrix *m, unsigned int iterations, unsigned int samples)
{
	struct expansion e = { 0 };
	size_t i, j;
	int ret = 0;

	for (i = 0; !ret && i < c->nr; i++) {
		const struct test_def *t = &c->tests[i];

		if (t->powerfail) {
			ret = expand_powerfail(&e, project_dir, t, m, iterations, samples);
			continue;
		}
		for (j = 0; !ret && j < m->cells.n; j++)
			ret = add_expanded(&e, t, m->cells.v[j], NULL, NULL);
	}
	if (ret) {
		for (i = 0; i < e.n; i++)
			test_def_free(&e.v[i]);
		free(e.v);
		return -1;
	}
	test_catalog_free(c);
	c->tests = e.v;
	c->nr = e.n;
	return 0;
}

/* The pattern names t's area literally: "fixtures/..." or "fixtures". */
static bool names_area(const struct test_def *t, const char *glob_pat)
{
	size_t n = strcspn(t->program, "/");

	return !strncmp(glob_pat, t->program, n) && (glob_pat[n] == '/' || !glob_pat[n]);
}

/* A fixture area's tests match only a pattern that names the area. */
static bool test_matches(const struct test_def *t, const char *glob_pat)
{
	const char *slash = strchr(t->program, '/');
	char area[256];

	if (t->fixture && !names_area(t, glob_pat))
		return false;
	if (fnmatch(glob_pat, t->program, 0) == 0)
		return true;
	snprintf(area, sizeof(area), "%.*s", (int)(slash - t->program), t->program);
	return fnmatch(glob_pat, area, 0) == 0;
}

/* No patterns: everything but the fixtures. */
static void drop_fixtures(struct test_catalog *c)
{
	size_t i, n = 0;

	for (i = 0; i < c->nr; i++) {
		if (!c->tests[i].fixture)
			c->tests[n++] = c->tests[i];
		else
			test_def_free(&c->tests[i]);
	}
	c->nr = n;
}

int test_catalog_filter(struct test_catalog *c, const char *patterns)
{
	char *copy, *pat, *save = NULL;
	bool *keep;
	size_t i, n = 0;
	int ret = 0;

	if (!patterns || !*patterns) {
		drop_fixtures(c);
		return 0;
	}
	copy = strdup(patterns);
	keep = calloc(c->nr + 1, sizeof(*keep));
	if (!copy || !keep) {
		ret = -1;
		goto out;
	}
	for (pat = strtok_r(copy, ",", &save); pat; pat = strtok_r(NULL, ",", &save)) {
		bool any = false;

		for (i = 0; i < c->nr; i++) {
			if (test_matches(&c->tests[i], pat)) {
				keep[i] = true;
				any = true;
			}
		}
		if (!any) {
			log_error("unknown test '%s' ('daxtest list' shows the tests)", pat);
			ret = -1;
			goto out;
		}
	}
	for (i = 0; i < c->nr; i++) {
		if (keep[i]) {
			c->tests[n++] = c->tests[i];
		} else {
			test_def_free(&c->tests[i]);
		}
	}
	c->nr = n;
out:
	free(copy);
	free(keep);
	return ret;
}

int test_catalog_build(const char *project_dir, const struct kernel_artifact *k,
		       const char *out_dir)
{
	char *tests = path_join(project_dir, "tests"), *log = NULL, *lock_path = NULL;
	char *output = str_printf("OUTPUT=%s", out_dir);
	char *ksft = str_printf("KSFT_DIR=%s", k->ksft);
	char *khdr = str_printf("KHDR_INCLUDES=-isystem %s/include", k->headers);
	int lock = -1, ret = -1;

	log = str_printf("%s/build.log", out_dir);
	lock_path = str_printf("%s.lock", out_dir);
	if (!tests || !output || !ksft || !khdr || !log || !lock_path ||
	    mkdir_p(out_dir, 0755) < 0)
		goto out;
	lock = cache_lock(lock_path, "test build directory");
	if (lock < 0)
		goto out;
	{
		const char *argv[] = { "make", "-s", "-C", tests, output, ksft, khdr, NULL };
		struct proc_spec spec = { .argv = argv, .log_path = log };

		if (truncate(log, 0) < 0 && errno != ENOENT)
			goto out;
		if (proc_run(&spec) != 0) {
			char *text = NULL;

			log_error("building the tests failed; last lines of %s:", log);
			if (read_file(log, &text, NULL) == 0)
				fprintf(stderr, "%s\n", proc_tail(text, 15));
			free(text);
			goto out;
		}
	}
	ret = 0;
out:
	cache_unlock(lock);
	free(tests);
	free(log);
	free(lock_path);
	free(output);
	free(ksft);
	free(khdr);
	return ret;
}

bool test_def_same_suite(const struct test_def *a, const struct test_def *b)
{
	return a->suite && b->suite ? !strcmp(a->suite, b->suite) : a->suite == b->suite;
}

int test_catalog_add(struct test_catalog *c, struct test_def *t)
{
	struct test_def *v = realloc(c->tests, (c->nr + 1) * sizeof(*v));

	if (!v) {
		test_def_free(t);
		return -1;
	}
	c->tests = v;
	c->tests[c->nr++] = *t;
	return 0;
}

void test_catalog_free(struct test_catalog *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		test_def_free(&c->tests[i]);
	free(c->tests);
	memset(c, 0, sizeof(*c));
}
