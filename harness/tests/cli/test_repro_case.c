// SPDX-License-Identifier: GPL-2.0
/*
 * test_repro_case.c - reading repro cases, and the project's own
 */
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "cli/repro_case.h"

static void reads_every_key(void **state)
{
	static const char *const text =
		"# comment\n"
		"summary:   a thing breaks\n"
		"reference: \"fix: it\" (Linux 6.4)\n"
		"affected:  debian-6.1\n"
		"fixed:     debian-6.12\n"
		"tests:     hwpoison/badblocks\n"
		"fails:     qbb.*.mmap_sigbus qbb.*.pread_eio\n"
		"patches:   x/series\n";
	struct repro_case r;

	assert_int_equal(repro_case_parse(&r, text, "r"), 0);
	assert_string_equal(r.summary, "a thing breaks");
	assert_string_equal(r.affected, "debian-6.1");
	assert_string_equal(r.fixed, "debian-6.12");
	assert_string_equal(r.tests, "hwpoison/badblocks");
	assert_string_equal(r.patches, "x/series");
	assert_int_equal(r.fails.n, 2);
	assert_string_equal(r.fails.v[1], "qbb.*.pread_eio");
	repro_case_free(&r);
}

static void refuses_incomplete_or_unknown(void **state)
{
	static const char *const bad[] = {
		"summary: s\naffected: debian-6.1\ntests: a/b\n",		/* no fails */
		"summary: s\naffected: debian-6.1\nfails: x\n",		/* no tests */
		"summary: s\naffected: debian-6.1\ntests: a\nfails: x\ncolour: red\n",
		"summary s\n",						/* no colon */
	};
	struct repro_case r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (repro_case_parse(&r, bad[i], "r") != -1)
			fail_msg("accepted repro case %zu", i);
		repro_case_free(&r);
	}
}

/* Every shipped repro case parses. */
static void project_repro_cases_parse(void **state)
{
	glob_t g;
	size_t i;

	assert_int_equal(glob("tests/repro/*.repro", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 3);
	for (i = 0; i < g.gl_pathc; i++) {
		struct repro_case r;
		char *text = NULL;

		assert_int_equal(read_file(g.gl_pathv[i], &text, NULL), 0);
		if (repro_case_parse(&r, text, g.gl_pathv[i]) < 0)
			fail_msg("%s does not parse", g.gl_pathv[i]);
		assert_non_null(r.fixed);
		repro_case_free(&r);
		free(text);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_every_key),
		cmocka_unit_test(refuses_incomplete_or_unknown),
		cmocka_unit_test(project_repro_cases_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
