// SPDX-License-Identifier: GPL-2.0
/*
 * test_patch_fixes.c - the Daxtest-fixes: lines of kernel patches
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
#include "build/patch_fixes.h"

static const char *const mail =
	"Subject: [PATCH] xfs: a fix\n"
	"\n"
	"Daxtest-fixes: not/in-the-message\n"
	"Signed-off-by: daxtest <daxtest@localhost>\n"
	"---\n"
	"Proven by daxtest.\n"
	"Daxtest-fixes: powerfail/reflink_cut/*.two_pages@*  hwpoison/nfit_inject@*:nfitfs.*.recovery_write\n"
	"Daxtest-fixes: a/b@map=dev\n"
	"\n"
	" fs/xfs/xfs_iomap.c | 1 +\n"
	"diff --git a/fs/xfs/xfs_iomap.c b/fs/xfs/xfs_iomap.c\n"
	"+Daxtest-fixes: not/in-the-diff\n";

static void notes_only(void **state)
{
	struct patch_fixes f = { 0 };

	assert_int_equal(patch_fixes_parse(&f, "0002-xfs.patch", mail), 0);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.v[0].glob, "powerfail/reflink_cut/*.two_pages@*");
	assert_string_equal(f.v[1].glob, "hwpoison/nfit_inject@*:nfitfs.*.recovery_write");
	assert_string_equal(f.v[2].glob, "a/b@map=dev");
	assert_string_equal(f.v[2].patch, "0002-xfs.patch");
	patch_fixes_free(&f);
}

static void malformed_lines(void **state)
{
	struct patch_fixes f = { 0 };

	assert_int_equal(patch_fixes_parse(&f, "p", "x\n---\nDaxtest-fixes:\n"), -1);
	patch_fixes_free(&f);
	assert_int_equal(patch_fixes_parse(&f, "p", "x\n---\nDaxtest-fixes: no-area\n"), -1);
	patch_fixes_free(&f);
	assert_int_equal(patch_fixes_parse(&f, "p", "x\n---\nDaxtest-fixes: a/b:\n"), -1);
	patch_fixes_free(&f);
	assert_int_equal(patch_fixes_parse(&f, "p", "no notes at all\n"), 0);
	assert_int_equal(f.n, 0);
}

/* Every patch of the project's series parses; the fixes name tests. */
static void project_series(void **state)
{
	struct patch_series s = { 0 };
	struct patch_fixes f = { 0 };

	assert_int_equal(patch_series_load(&s, "kernel-patches/series"), 0);
	assert_true(s.nr >= 2);
	assert_int_equal(patch_fixes_load(&f, &s), 0);
	assert_true(f.n >= 2);
	patch_fixes_free(&f);
	patch_series_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notes_only),
		cmocka_unit_test(malformed_lines),
		cmocka_unit_test(project_series),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
