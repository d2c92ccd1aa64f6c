// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - daxtest list: programs, test cases, spec items, variants, cells;
 * with --coverage, the mutants that claim each test case instead
 */
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "cli/list.h"
#include "lib/log.h"
#include "plan/matrix.h"
#include "plan/mutant_claims.h"
#include "plan/case_list.h"
#include "plan/catalog.h"

static void print_variants(const struct strv *variants, FILE *f)
{
	size_t i;

	if (!variants->n)
		return;
	fputs("    variants:", f);
	for (i = 0; i < variants->n; i++)
		fprintf(f, " %s", variants->v[i]);
	fputc('\n', f);
}

/* --coverage: the claims, and what the listing found. */
struct coverage {
	struct mutant_claims claims;
	size_t cases;
	size_t proven;
	struct strv unproven;	/* "<program>:<fixture>.<test>" */
};

/* "killed by a, b" or "UNPROVEN" for one case. 0, or -1 (out of memory). */
static int print_killers(struct coverage *cov, const struct test_def *t,
			 const struct test_case *c, FILE *f)
{
	struct strv killers = { 0 };
	size_t i;
	int n = mutant_claims_killers(&cov->claims, t->program, c->fixture, c->name, &killers);

	if (n < 0) {
		strv_free(&killers);
		return -1;
	}
	cov->cases++;
	if (!n) {
		strv_addf(&cov->unproven, "%s:%s.%s", t->program, c->fixture, c->name);
		fputs("UNPROVEN\n", f);
		return cov->unproven.err ? -1 : 0;
	}
	cov->proven++;
	fputs("killed by", f);
	for (i = 0; i < killers.n; i++)
		fprintf(f, "%s %s", i ? "," : "", killers.v[i]);
	fputc('\n', f);
	strv_free(&killers);
	return 0;
}

static int list_program(const struct options *o, const struct test_def *t,
			struct coverage *cov, FILE *f)
{
	char *area_dir = str_printf("%s/tests/%.*s", o->project_dir,
				    (int)(strchr(t->program, '/') - t->program), t->program);
	struct test_cases tc = { 0 };
	size_t i, width = 0, spec_width = 1;
	int ret;

	if (!area_dir)
		return -1;
	fprintf(f, "%s - %s (timeout %u s)\n", t->program, t->description, t->timeout_s);
	ret = test_cases_read(area_dir, strchr(t->program, '/') + 1, &tc);
	if (ret < 0) {
		log_error("cannot read the source of %s: %s", t->program, strerror(-ret));
		goto out;
	}
	print_variants(&tc.variants, f);
	for (i = 0; i < tc.n; i++) {
		size_t w = strlen(tc.v[i].fixture) + 1 + strlen(tc.v[i].name);

		if (w > width)
			width = w;
		if (strlen(tc.v[i].spec) > spec_width)
			spec_width = strlen(tc.v[i].spec);
	}
	for (i = 0; i < tc.n; i++) {
		char *full = str_printf("%s%s%s", tc.v[i].fixture, *tc.v[i].fixture ? "." : "",
					tc.v[i].name);

		if (!full) {
			ret = -1;
			goto out;
		}
		fprintf(f, "    %-*s  %-*s  ", (int)spec_width,
			*tc.v[i].spec ? tc.v[i].spec : "-", (int)width, full);
		free(full);
		if (!cov) {
			fprintf(f, "%s\n", tc.v[i].summary);
		} else if (print_killers(cov, t, &tc.v[i], f) < 0) {
			ret = -1;
			goto out;
		}
	}
out:
	test_cases_free(&tc);
	free(area_dir);
	return ret < 0 ? -1 : 0;
}

/* "quick: map=mem; full: map=mem map=dev" */
static void print_matrices(const struct options *o, FILE *f)
{
	static const char *const names[] = { "quick", "full" };
	size_t i, j;

	fputs("matrix cells (tests/matrix; each program runs once per cell):", f);
	for (i = 0; i < 2; i++) {
		struct matrix m = { 0 };

		if (matrix_load(o->project_dir, names[i], &m) == 0) {
			fprintf(f, "%s %s:", i ? ";" : "", names[i]);
			for (j = 0; j < m.cells.n; j++)
				fprintf(f, " %s", m.cells.v[j]);
			if (m.random_cuts)
				fputs(" +random-cuts", f);
		}
		matrix_free(&m);
	}
	fputc('\n', f);
}

/*
 * The end of a coverage listing: the totals, the unproven cases, and a
 * claim that names no test case (a renamed test, a typo) as an error.
 */
static int coverage_summary(struct coverage *cov, bool filtered, FILE *f)
{
	size_t i;
	int ret = 0;

	fprintf(f, "\ncoverage: %zu of %zu test cases killed by at least one of %zu mutants; %zu unproven\n",
		cov->proven, cov->cases, cov->claims.nr_mutants, cov->cases - cov->proven);
	for (i = 0; i < cov->unproven.n; i++)
		fprintf(f, "    unproven: %s\n", cov->unproven.v[i]);
	for (i = 0; i < cov->claims.n && !filtered; i++) {
		if (cov->claims.v[i].matched)
			continue;
		log_error("tests/mutants/%s.patch: Must-fail: %s:%s names no test case",
			  cov->claims.v[i].mutant, cov->claims.v[i].program, cov->claims.v[i].test);
		ret = -1;
	}
	return ret;
}

int list_tests(const struct options *o, FILE *f)
{
	struct coverage cov = { 0 };
	struct test_catalog c;
	size_t i;
	int ret = 0;

	if (test_catalog_load(&c, o->project_dir) < 0 ||
	    test_catalog_filter(&c, o->tests) < 0 ||
	    (o->coverage && mutant_claims_load(&cov.claims, o->project_dir) < 0)) {
		ret = -1;
		goto out;
	}
	if (!o->coverage)
		print_matrices(o, f);
	for (i = 0; i < c.nr && !ret; i++) {
		if (i || !o->coverage)
			fputc('\n', f);
		ret = list_program(o, &c.tests[i], o->coverage ? &cov : NULL, f);
	}
	if (!ret && o->coverage)
		ret = coverage_summary(&cov, o->tests && *o->tests, f);
out:
	mutant_claims_free(&cov.claims);
	strv_free(&cov.unproven);
	test_catalog_free(&c);
	return ret;
}
