// SPDX-License-Identifier: GPL-2.0
/*
 * test_mutant_claims.c - the Must-fail: lines of the mutants, and that
 * every claim of tests/mutants/ names a test case that exists
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "plan/mutant_claims.h"
#include "plan/case_list.h"

static const char *const mail =
	"Subject: [PATCH] MUTANT: fs/dax: break something\n"
	"\n"
	"Must-fail: in the body is a claim too\n"
	"---\n"
	"Must-fail: mmap-sync/pmd_fault:pmd.read_fault_2m\tmmap-sync/pmd_fault:pmd.write_fault_2m\n"
	"Must-fail: per-file-dax/dax_mount:bare.ext4_remount\n"
	" Must-fail: indented lines are diff context, not claims\n";

static void parses_every_line(void **state)
{
	struct mutant_claims c = { 0 };
	int ret;

	(void)state;
	ret = mutant_claims_parse(&c, "m", strstr(mail, "---"));
	assert_int_equal(ret, 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.nr_mutants, 1);
	assert_string_equal(c.v[0].mutant, "m");
	assert_string_equal(c.v[0].program, "mmap-sync/pmd_fault");
	assert_string_equal(c.v[0].test, "pmd.read_fault_2m");
	assert_string_equal(c.v[2].program, "per-file-dax/dax_mount");
	assert_string_equal(c.v[2].test, "bare.ext4_remount");
	mutant_claims_free(&c);
}

static void refuses_what_names_no_test_case(void **state)
{
	static const char *const bad[] = {
		"Must-fail: reflink/reflink_cow\n",		/* a whole program */
		"Must-fail: reflink/reflink_cow:write_fault\n",	/* no fixture */
		"Must-fail: a/b:fix.variant.test\n",		/* a variant, not a TEST_F */
		"Must-fail: a/b/c:fix.test\n",
		"Must-fail: a/b:fix.test*\n",
		"no claim at all\n",
		"Must-fail:\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mutant_claims c = { 0 };

		if (mutant_claims_parse(&c, "m", bad[i]) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(c.nr_mutants, 0);
		mutant_claims_free(&c);
	}
}

static void killers_match_fixture_and_test_exactly(void **state)
{
	struct mutant_claims c = { 0 };
	struct strv out = { 0 };

	(void)state;
	assert_int_equal(mutant_claims_parse(&c, "one", "Must-fail: a/p:fix.t a/p:fix.t2\n"), 0);
	assert_int_equal(mutant_claims_parse(&c, "two", "Must-fail: a/p:fix.t b/p:fix.t\n"), 0);
	assert_int_equal(mutant_claims_killers(&c, "a/p", "fix", "t", &out), 2);
	assert_string_equal(out.v[0], "one");
	assert_string_equal(out.v[1], "two");
	assert_int_equal(mutant_claims_killers(&c, "a/p", "fi", "x.t", &out), 0);
	assert_int_equal(mutant_claims_killers(&c, "a/p", "fix", "t3", &out), 0);
	assert_int_equal(mutant_claims_killers(&c, "a/pp", "fix", "t", &out), 0);
	assert_true(c.v[0].matched && !c.v[1].matched && c.v[2].matched && !c.v[3].matched);
	strv_free(&out);
	mutant_claims_free(&c);
}

/* A renamed TEST_F must not leave a mutant claiming a test that is gone. */
static void project_claims_name_real_test_cases(void **state)
{
	struct mutant_claims c = { 0 };
	size_t i, j;

	(void)state;
	assert_int_equal(mutant_claims_load(&c, "."), 0);
	assert_true(c.nr_mutants >= 9);
	for (i = 0; i < c.n; i++) {
		const struct mutant_claim *m = &c.v[i];
		const char *slash = strchr(m->program, '/');
		size_t flen = strcspn(m->test, ".");
		char *area = strndup(m->program, slash - m->program);
		char *dir = str_printf("tests/%s", area);
		struct test_cases tc = { 0 };
		bool found = false;

		assert_int_equal(test_cases_read(dir, slash + 1, &tc), 0);
		for (j = 0; j < tc.n; j++)
			found |= strlen(tc.v[j].fixture) == flen &&
				 !strncmp(tc.v[j].fixture, m->test, flen) &&
				 !strcmp(tc.v[j].name, m->test + flen + 1);
		if (!found)
			fail_msg("%s.patch claims %s:%s, which has no such TEST_F",
				 m->mutant, m->program, m->test);
		test_cases_free(&tc);
		free(dir);
		free(area);
	}
	mutant_claims_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_line),
		cmocka_unit_test(refuses_what_names_no_test_case),
		cmocka_unit_test(killers_match_fixture_and_test_exactly),
		cmocka_unit_test(project_claims_name_real_test_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
