// SPDX-License-Identifier: GPL-2.0
/*
 * test_case_list.c - reading test cases, spec items and variants from source
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan/case_list.h"
#include "plan/catalog.h"

static const char *const demo =
	"#include \"fixture.h\"\n"
	"#include <stdio.h>\n"
	"FIXTURE_VARIANT_ADD(fsdax, xfs_always) {\n"
	"\t.fs = 1,\n"
	"};\n"
	"\n"
	"/* A1: S_DAX follows the mount mode */\n"
	"TEST_F(fsdax, generic_606)\n"
	"{\n"
	"}\n"
	"\n"
	"/*\n"
	" * C17, C18a: MAP_SYNC stores survive a shutdown. More words\n"
	" * on the next line.\n"
	" *\n"
	" * A second paragraph.\n"
	" */\n"
	"TEST_F(durable, survives)\n"
	"{\n"
	"}\n"
	"\n"
	"/* not a spec item: just words */\n"
	"static int x;\n"
	"TEST(plain)\n"
	"{\n"
	"}\n";

static void reads_cases_specs_and_variants(void **state)
{
	struct test_cases tc = { 0 };

	assert_int_equal(test_cases_parse(demo, &tc), 0);
	assert_int_equal(tc.n, 3);

	assert_string_equal(tc.v[0].fixture, "fsdax");
	assert_string_equal(tc.v[0].name, "generic_606");
	assert_string_equal(tc.v[0].spec, "A1");
	assert_string_equal(tc.v[0].summary, "S_DAX follows the mount mode");

	/* the first sentence of the first paragraph, joined */
	assert_string_equal(tc.v[1].spec, "C17, C18a");
	assert_string_equal(tc.v[1].summary, "MAP_SYNC stores survive a shutdown.");

	/* a comment that does not end right above the test is not its own */
	assert_string_equal(tc.v[2].fixture, "");
	assert_string_equal(tc.v[2].name, "plain");
	assert_string_equal(tc.v[2].spec, "");

	assert_int_equal(tc.variants.n, 1);
	assert_string_equal(tc.variants.v[0], "fsdax.xfs_always");
	assert_int_equal(tc.includes.n, 1);
	assert_string_equal(tc.includes.v[0], "fixture.h");
	test_cases_free(&tc);
}

/* Every test case of the project's own programs names a spec item (not
 * the fixtures, which test daxtest, not the kernel). */
static void project_tests_name_their_spec_items(void **state)
{
	struct test_catalog c;
	size_t i, j;

	assert_int_equal(test_catalog_load(&c, "."), 0);
	assert_true(c.nr > 0);
	for (i = 0; i < c.nr; i++) {
		const char *slash = strchr(c.tests[i].program, '/');
		struct test_cases tc = { 0 };
		char dir[256];

		if (c.tests[i].fixture)
			continue;
		snprintf(dir, sizeof(dir), "tests/%.*s", (int)(slash - c.tests[i].program),
			 c.tests[i].program);
		assert_int_equal(test_cases_read(dir, slash + 1, &tc), 0);
		if (!tc.n)
			fail_msg("%s has no TEST_F()", c.tests[i].program);
		for (j = 0; j < tc.n; j++)
			if (!*tc.v[j].spec)
				fail_msg("%s: %s.%s names no spec item in the comment above it",
					 c.tests[i].program, tc.v[j].fixture, tc.v[j].name);
		test_cases_free(&tc);
	}
	test_catalog_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_cases_specs_and_variants),
		cmocka_unit_test(project_tests_name_their_spec_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
