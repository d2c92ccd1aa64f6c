// SPDX-License-Identifier: GPL-2.0
/*
 * list.c - daxtest list: programs, test cases, spec items, variants, cells
 */
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "list.h"
#include "log.h"
#include "matrix.h"
#include "test_cases.h"
#include "test_catalog.h"

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

static int list_program(const struct options *o, const struct test_def *t, FILE *f)
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
		fprintf(f, "    %-*s  %-*s  %s\n", (int)spec_width,
			*tc.v[i].spec ? tc.v[i].spec : "-", (int)width, full, tc.v[i].summary);
		free(full);
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

int list_tests(const struct options *o, FILE *f)
{
	struct test_catalog c;
	size_t i;
	int ret = 0;

	if (test_catalog_load(&c, o->project_dir) < 0 ||
	    test_catalog_filter(&c, o->tests) < 0) {
		test_catalog_free(&c);
		return -1;
	}
	print_matrices(o, f);
	for (i = 0; i < c.nr && !ret; i++) {
		fputc('\n', f);
		ret = list_program(o, &c.tests[i], f);
	}
	test_catalog_free(&c);
	return ret;
}
