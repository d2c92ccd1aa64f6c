// SPDX-License-Identifier: GPL-2.0
/*
 * test_matrix.c - reading the namespace cells of a --matrix
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan/matrix.h"

/* Run from the repository root, as make unit does. */
#ifndef PROJECT_DIR
#define PROJECT_DIR "."
#endif

static const char *const demo =
	"# comment line\n"
	"\n"
	"quick   map=mem   # trailing comment\n"
	"full\tmap=mem map=dev +random-cuts\n";

static void picks_the_named_matrix(void **state)
{
	struct matrix m = { 0 };

	assert_int_equal(matrix_parse(demo, "m", "quick", &m), 0);
	assert_int_equal(m.cells.n, 1);
	assert_string_equal(m.cells.v[0], "map=mem");
	assert_false(m.random_cuts);
	matrix_free(&m);

	assert_int_equal(matrix_parse(demo, "m", "full", &m), 0);
	assert_int_equal(m.cells.n, 2);
	assert_string_equal(m.cells.v[0], "map=mem");
	assert_string_equal(m.cells.v[1], "map=dev");
	assert_true(m.random_cuts);
	matrix_free(&m);
}

static void refuses_what_it_cannot_run(void **state)
{
	static const char *const bad[] = {
		"quick map=mem\nquick map=dev\n",	/* defined twice */
		"quick\n",				/* no cells */
		"quick map=mem map=raw\n",		/* a cell the agent lacks */
		"quick map=mem +fast\n",		/* an unknown option */
	};
	struct matrix cells = { 0 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (matrix_parse(bad[i], "m", "quick", &cells) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
		matrix_free(&cells);
	}
	/* an unknown matrix name */
	assert_int_equal(matrix_parse(demo, "m", "nightly", &cells), -1);
	matrix_free(&cells);
}

/* The project's own file defines the two matrices the README names. */
static void project_file_has_quick_and_full(void **state)
{
	struct matrix m = { 0 };

	assert_int_equal(matrix_load(PROJECT_DIR, "quick", &m), 0);
	assert_true(m.cells.n >= 1);
	matrix_free(&m);
	assert_int_equal(matrix_load(PROJECT_DIR, "full", &m), 0);
	assert_true(m.cells.n >= 2);
	matrix_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(picks_the_named_matrix),
		cmocka_unit_test(refuses_what_it_cannot_run),
		cmocka_unit_test(project_file_has_quick_and_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
