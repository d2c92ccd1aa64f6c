// SPDX-License-Identifier: GPL-2.0
/*
 * test_catalog.c - finding, describing and selecting the guest tests
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "plan/catalog.h"

static void put(const char *root, const char *name, const char *text)
{
	char *p = path_join(root, name), *dir = strdup(p);

	*strrchr(dir, '/') = '\0';
	assert_int_equal(mkdir_p(dir, 0755), 0);
	assert_int_equal(write_file_atomic(p, text, strlen(text), 0644), 0);
	free(p);
	free(dir);
}

static int setup(void **state)
{
	char *root = strdup("/tmp/daxtest-catalog-XXXXXX");

	if (!root || !mkdtemp(root))
		return -1;
	put(root, "tests/alpha/Makefile",
	    "CFLAGS += -Wall\nTEST_GEN_PROGS := one \\\n\ttwo\nTEST_GEN_PROGS += three\n"
	    "include ../lib.mk\n");
	put(root, "tests/alpha/settings", "# kselftest settings\ntimeout=120\nguest=own\n");
	put(root, "tests/alpha/one.c",
	    "// SPDX-License-Identifier: GPL-2.0\n/*\n * one - checks the first thing\n */\n");
	put(root, "tests/alpha/two.c", "int x;\n");
	put(root, "tests/beta/Makefile", "TEST_GEN_PROGS = solo\n");
	put(root, "tests/beta/settings", "xtimeout=5\nguest=shared\n");
	*state = root;
	return 0;
}

static int teardown(void **state)
{
	remove_tree(*state);
	free(*state);
	return 0;
}

static void reads_programs_descriptions_and_timeouts(void **state)
{
	struct test_catalog c;

	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(c.nr, 4);
	assert_string_equal(c.tests[0].name, "alpha/one");
	assert_string_equal(c.tests[1].name, "alpha/two");
	assert_string_equal(c.tests[2].name, "alpha/three");
	assert_string_equal(c.tests[3].name, "beta/solo");
	assert_string_equal(c.tests[0].description, "checks the first thing");
	assert_non_null(strstr(c.tests[1].description, "no description"));
	assert_int_equal(c.tests[0].timeout_s, 120);
	/* only a key at the start of a line counts */
	assert_int_equal(c.tests[3].timeout_s, TEST_DEFAULT_TIMEOUT);
	assert_true(c.tests[0].own_guest);
	assert_false(c.tests[3].own_guest);
	test_catalog_free(&c);
}

static void filters_by_glob_and_area(void **state)
{
	struct test_catalog c;

	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "beta,alpha/t*"), 0);
	assert_int_equal(c.nr, 3);
	assert_string_equal(c.tests[0].name, "alpha/two");
	assert_string_equal(c.tests[2].name, "beta/solo");
	test_catalog_free(&c);
}

static void unknown_pattern_is_an_error(void **state)
{
	struct test_catalog c;

	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "alpha/one,gamma"), -1);
	test_catalog_free(&c);
}

/* Every program once per cell, in program order, named after its cell;
 * the program path stays what the image holds. */
static void expands_by_matrix_cell(void **state)
{
	struct matrix m = { 0 };
	struct test_catalog c;

	strv_add(&m.cells, "map=mem");
	strv_add(&m.cells, "map=dev");
	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "alpha/one,beta"), 0);
	assert_int_equal(test_catalog_expand(&c, *state, &m, 1, 0), 0);
	assert_int_equal(c.nr, 4);
	assert_string_equal(c.tests[0].name, "alpha/one@map=mem");
	assert_string_equal(c.tests[1].name, "alpha/one@map=dev");
	assert_string_equal(c.tests[2].name, "beta/solo@map=mem");
	assert_string_equal(c.tests[3].name, "beta/solo@map=dev");
	assert_string_equal(c.tests[1].program, "alpha/one");
	assert_string_equal(c.tests[1].cell, "map=dev");
	assert_string_equal(c.tests[1].description, "checks the first thing");
	assert_int_equal(c.tests[1].timeout_s, 120);
	assert_true(c.tests[1].own_guest);
	assert_null(c.tests[1].run);
	test_catalog_free(&c);
	matrix_free(&m);
}

/* A power-fail program: one test per case (fixture x variant x test) and
 * cell; random_ cases only with +random-cuts, once per iteration. */
static void expands_power_fail_cases(void **state)
{
	struct matrix m = { 0 };
	struct test_catalog c;

	put(*state, "tests/pf/Makefile", "TEST_GEN_PROGS := cut\n");
	put(*state, "tests/pf/settings", "timeout=300\npowerfail=1\n");
	put(*state, "tests/pf/cut.c",
	    "// SPDX-License-Identifier: GPL-2.0\n/*\n * cut - power cuts\n */\n"
	    "FIXTURE_VARIANT_ADD(f, xfs) {\n};\n"
	    "FIXTURE_VARIANT_ADD(f, ext4) {\n};\n"
	    "/* C18: kept */\nTEST_F(f, kept)\n{\n}\n"
	    "/* C18: random */\nTEST_F(f, random_cow)\n{\n}\n");
	strv_add(&m.cells, "map=mem");
	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "pf"), 0);
	assert_int_equal(test_catalog_expand(&c, *state, &m, 3, 0), 0);
	assert_int_equal(c.nr, 2);
	assert_string_equal(c.tests[0].name, "pf/cut/f.xfs.kept@map=mem");
	assert_string_equal(c.tests[0].run, "f.xfs.kept");
	assert_true(c.tests[0].powerfail);
	assert_false(c.tests[0].random_cut);
	assert_string_equal(c.tests[1].name, "pf/cut/f.ext4.kept@map=mem");
	test_catalog_free(&c);

	m.random_cuts = true;
	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "pf"), 0);
	assert_int_equal(test_catalog_expand(&c, *state, &m, 3, 0), 0);
	assert_int_equal(c.nr, 8);
	assert_string_equal(c.tests[2].name, "pf/cut/f.xfs.random_cow@map=mem,iter=1");
	assert_string_equal(c.tests[4].name, "pf/cut/f.xfs.random_cow@map=mem,iter=3");
	assert_true(c.tests[4].random_cut);
	assert_int_equal(c.tests[4].iteration, 3);
	test_catalog_free(&c);

	/* --crash-model sampled:2: each case, then 2 sampled images of it. */
	m.random_cuts = false;
	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "pf"), 0);
	assert_int_equal(test_catalog_expand(&c, *state, &m, 3, 2), 0);
	assert_int_equal(c.nr, 6);
	assert_string_equal(c.tests[0].name, "pf/cut/f.xfs.kept@map=mem");
	assert_int_equal(c.tests[0].crash_image, 0);
	assert_string_equal(c.tests[2].name, "pf/cut/f.xfs.kept@map=mem,image=sampled2");
	assert_int_equal(c.tests[2].crash_image, 2);
	assert_string_equal(c.tests[2].run, "f.xfs.kept");
	test_catalog_free(&c);

	m.random_cuts = true;
	assert_int_equal(test_catalog_load(&c, *state), 0);
	assert_int_equal(test_catalog_filter(&c, "pf"), 0);
	assert_int_equal(test_catalog_expand(&c, *state, &m, 1, 1), 0);
	assert_int_equal(c.nr, 8);
	assert_string_equal(c.tests[5].name, "pf/cut/f.xfs.random_cow@map=mem,iter=1,image=sampled1");
	test_catalog_free(&c);
	matrix_free(&m);
}

static void no_areas_is_an_error(void **state)
{
	struct test_catalog c;

	assert_int_equal(test_catalog_load(&c, "/nonexistent"), -1);
	test_catalog_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reads_programs_descriptions_and_timeouts, setup, teardown),
		cmocka_unit_test_setup_teardown(filters_by_glob_and_area, setup, teardown),
		cmocka_unit_test_setup_teardown(unknown_pattern_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(expands_by_matrix_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(expands_power_fail_cases, setup, teardown),
		cmocka_unit_test(no_areas_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
