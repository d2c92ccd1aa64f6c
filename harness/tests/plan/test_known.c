// SPDX-License-Identifier: GPL-2.0
/*
 * test_known.c - known failures turn FAIL into XFAIL and PASS into XPASS
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
#include "plan/known.h"

static const char *const demo =
	"# comment\n"
	"\n"
	"powerfail/reflink_cut/*.map_sync_cow_two_pages@*  XFS loses the second CoW remap  # trailing\n"
	"a/b@map=dev\tfails on map=dev only\n";

static void parses_globs_and_reasons(void **state)
{
	struct known k = { 0 };

	assert_int_equal(known_parse(&k, demo, "k"), 0);
	assert_int_equal(k.n, 2);
	assert_string_equal(k.v[0].glob, "powerfail/reflink_cut/*.map_sync_cow_two_pages@*");
	assert_string_equal(k.v[0].reason, "XFS loses the second CoW remap");
	assert_string_equal(k.v[1].reason, "fails on map=dev only");
	known_free(&k);

	/* an entry must say why */
	assert_int_equal(known_parse(&k, "a/b@map=mem\n", "k"), -1);
	known_free(&k);
}

static void fail_becomes_xfail_pass_becomes_xpass(void **state)
{
	struct known k = { 0 };
	struct test_result fail = { .name = strdup("powerfail/reflink_cut/r.xfs.map_sync_cow_two_pages@map=mem"),
				    .status = TEST_FAIL, .reason = strdup("exit status 1") };
	struct test_result pass = { .name = strdup("a/b@map=dev"), .status = TEST_PASS };
	struct test_result other = { .name = strdup("a/b@map=mem"), .status = TEST_FAIL };
	struct test_result timeout = { .name = strdup("a/b@map=dev"), .status = TEST_TIMEOUT };

	assert_int_equal(known_parse(&k, demo, "k"), 0);
	known_apply(&k, &fail);
	assert_int_equal(fail.status, TEST_XFAIL);
	assert_string_equal(fail.reason, "known failure: XFS loses the second CoW remap (exit status 1)");
	known_apply(&k, &pass);
	assert_int_equal(pass.status, TEST_XPASS);
	assert_non_null(strstr(pass.reason, "the entry can go"));
	known_apply(&k, &other);
	assert_int_equal(other.status, TEST_FAIL);
	known_apply(&k, &timeout);
	assert_int_equal(timeout.status, TEST_TIMEOUT);
	assert_false(test_status_failed(TEST_XFAIL));
	assert_true(test_status_failed(TEST_XPASS));
	assert_true(test_status_failed(TEST_TIMEOUT));
	test_result_free(&fail);
	test_result_free(&pass);
	test_result_free(&other);
	test_result_free(&timeout);
	known_free(&k);
}

static void set_subtests(struct test_result *t, const char *const *names,
			 const enum ktap_status *st, size_t n)
{
	size_t i;

	t->ktap.tests = calloc(n, sizeof(*t->ktap.tests));
	assert_non_null(t->ktap.tests);
	t->ktap.nr_tests = n;
	for (i = 0; i < n; i++) {
		t->ktap.tests[i].name = strdup(names[i]);
		t->ktap.tests[i].status = st[i];
	}
}

/* Subtest entries: XFAIL only when every failed subtest is listed. */
static void subtest_entries(void **state)
{
	static const char *const names[] = { "qbb.xfs.pread_eio", "qbb.xfs.mmap_sigbus",
					     "qbb.ext4.mmap_sigbus" };
	static const enum ktap_status one_bad[] = { KTAP_PASS, KTAP_FAIL, KTAP_FAIL };
	static const enum ktap_status two_bad[] = { KTAP_FAIL, KTAP_FAIL, KTAP_PASS };
	static const enum ktap_status all_good[] = { KTAP_PASS, KTAP_PASS, KTAP_PASS };
	struct known k = { 0 };
	struct test_result a = { .name = strdup("hwpoison/badblocks@map=mem"), .status = TEST_FAIL };
	struct test_result b = { .name = strdup("hwpoison/badblocks@map=mem"), .status = TEST_FAIL };
	struct test_result c = { .name = strdup("hwpoison/badblocks@map=mem"), .status = TEST_PASS };

	assert_int_equal(known_parse(&k, "hwpoison/badblocks@*:qbb.*.mmap_sigbus BUS_ADRERR\n", "k"), 0);
	set_subtests(&a, names, one_bad, 3);
	set_subtests(&b, names, two_bad, 3);
	set_subtests(&c, names, all_good, 3);
	known_apply(&k, &a);
	assert_int_equal(a.status, TEST_XFAIL);
	known_apply(&k, &b);
	assert_int_equal(b.status, TEST_FAIL);	/* pread_eio was not expected to fail */
	known_apply(&k, &c);
	assert_int_equal(c.status, TEST_XPASS);
	test_result_free(&a);
	test_result_free(&b);
	test_result_free(&c);
	known_free(&k);
}

/*
 * A patch of the series that fixes a known failure voids its entry: the
 * test must pass (no XPASS), and its failure is a FAIL naming the patch.
 */
static void fixed_by_the_series(void **state)
{
	static const char *const names[] = { "qbb.xfs.pread_eio", "qbb.xfs.mmap_sigbus",
					     "qbb.ext4.mmap_sigbus" };
	static const enum ktap_status xfs_bad[] = { KTAP_PASS, KTAP_FAIL, KTAP_PASS };
	static const enum ktap_status ext4_bad[] = { KTAP_PASS, KTAP_PASS, KTAP_FAIL };
	static const enum ktap_status all_good[] = { KTAP_PASS, KTAP_PASS, KTAP_PASS };
	struct known k = { 0 };
	struct test_result whole_pass = { .name = strdup("powerfail/reflink_cut/r.xfs.map_sync_cow_two_pages@map=mem"),
					  .status = TEST_PASS };
	struct test_result whole_fail = { .name = strdup("powerfail/reflink_cut/r.xfs.map_sync_cow_two_pages@map=dev"),
					  .status = TEST_FAIL, .reason = strdup("exit status 1") };
	struct test_result xfs = { .name = strdup("hwpoison/badblocks@map=mem"), .status = TEST_FAIL };
	struct test_result ext4 = { .name = strdup("hwpoison/badblocks@map=mem"), .status = TEST_FAIL };
	struct test_result good = { .name = strdup("hwpoison/badblocks@map=mem"), .status = TEST_PASS };

	assert_int_equal(known_parse(&k, demo, "k"), 0);
	assert_int_equal(known_parse(&k, "hwpoison/badblocks@*:qbb.*.mmap_sigbus BUS_ADRERR\n", "k"), 0);
	assert_int_equal(known_add_fix(&k, "powerfail/reflink_cut/*.map_sync_cow_two_pages@*", "0002-xfs.patch"), 0);
	assert_int_equal(known_add_fix(&k, "hwpoison/badblocks@*:qbb.xfs.mmap_sigbus", "0003-x.patch"), 0);

	known_apply(&k, &whole_pass);
	assert_int_equal(whole_pass.status, TEST_PASS);
	known_apply(&k, &whole_fail);
	assert_int_equal(whole_fail.status, TEST_FAIL);
	assert_string_equal(whole_fail.reason,
			    "exit status 1; 0002-xfs.patch is applied and should have fixed it");

	set_subtests(&xfs, names, xfs_bad, 3);
	set_subtests(&ext4, names, ext4_bad, 3);
	set_subtests(&good, names, all_good, 3);
	known_apply(&k, &xfs);		/* the fixed subtest */
	assert_int_equal(xfs.status, TEST_FAIL);
	assert_non_null(strstr(xfs.reason, "0003-x.patch is applied"));
	known_apply(&k, &ext4);		/* the entry still holds for ext4 */
	assert_int_equal(ext4.status, TEST_XFAIL);
	known_apply(&k, &good);		/* ext4's entry passing is still an XPASS */
	assert_int_equal(good.status, TEST_XPASS);

	/* an entry for a kernel the patch does not fix holds despite it */
	assert_int_equal(known_parse(&k, "a/c@* despite=0002-* the fix was written for 6.12\n", "k"), 0);
	assert_int_equal(known_add_fix(&k, "a/c@*", "0002-xfs.patch"), 0);
	assert_string_equal(k.v[k.n - 1].despite, "0002-*");
	free(whole_pass.name);
	whole_pass.name = strdup("a/c@map=mem");
	whole_pass.status = TEST_FAIL;
	known_apply(&k, &whole_pass);
	assert_int_equal(whole_pass.status, TEST_XFAIL);

	test_result_free(&whole_pass);
	test_result_free(&whole_fail);
	test_result_free(&xfs);
	test_result_free(&ext4);
	test_result_free(&good);
	known_free(&k);
}

static void add_finding(struct test_result *t, const char *title)
{
	struct kfinding *grown = realloc(t->findings, (t->nr_findings + 1) * sizeof(*grown));

	assert_non_null(grown);
	t->findings = grown;
	memset(&grown[t->nr_findings], 0, sizeof(*grown));
	grown[t->nr_findings].kind = KF_WARNING;
	grown[t->nr_findings].title = strdup(title);
	t->nr_findings++;
}

/* A kernel report fails a test even when its failed subtests are all
 * listed, unless an entry about that test names the report. */
static void reports_fail_unless_named(void **state)
{
	static const char *const names[] = { "qbb.xfs.pread_eio", "qbb.xfs.mmap_sigbus" };
	static const enum ktap_status one_bad[] = { KTAP_PASS, KTAP_FAIL };
	static const enum ktap_status all_good[] = { KTAP_PASS, KTAP_PASS };
	static const char *const text =
		"hwpoison/badblocks@*:qbb.*.mmap_sigbus  BUS_ADRERR\n"
		"hwpoison/madv@*:madv.reflinked report=WARNING:*fs/dax.c:380*  dax_associate_entry\n"
		"other/prog@*  report=BUG:*  something else\n";
	const char *warn = "WARNING: CPU: 0 PID: 81 at fs/dax.c:380 dax_associate_entry+0x5e/0x80";
	struct known k = { 0 };
	struct test_result listed = { .name = strdup("hwpoison/badblocks@map=mem"),
				      .status = TEST_FAIL };
	struct test_result named = { .name = strdup("hwpoison/madv@map=mem"), .status = TEST_FAIL };
	struct test_result unnamed = { .name = strdup("hwpoison/madv@map=mem"), .status = TEST_FAIL };
	struct test_result elsewhere = { .name = strdup("a/b@map=mem"), .status = TEST_FAIL };

	assert_int_equal(known_parse(&k, text, "k"), 0);
	assert_null(k.v[0].report);
	assert_string_equal(k.v[1].report, "WARNING:*fs/dax.c:380*");
	assert_string_equal(k.v[1].reason, "dax_associate_entry");
	assert_string_equal(k.v[2].report, "BUG:*");

	/* Every failed subtest listed, and a WARNING no entry names. */
	set_subtests(&listed, names, one_bad, 2);
	add_finding(&listed, warn);
	known_apply(&k, &listed);
	assert_int_equal(listed.status, TEST_FAIL);

	/* Only the named report went wrong: XFAIL. */
	set_subtests(&named, names, all_good, 2);
	add_finding(&named, warn);
	known_apply(&k, &named);
	assert_int_equal(named.status, TEST_XFAIL);
	assert_non_null(strstr(named.reason, "dax_associate_entry"));

	/* The named report and another one. */
	set_subtests(&unnamed, names, all_good, 2);
	add_finding(&unnamed, warn);
	add_finding(&unnamed, "BUG: KASAN: use-after-free in dax_iomap_rw+0x10/0x20");
	known_apply(&k, &unnamed);
	assert_int_equal(unnamed.status, TEST_FAIL);

	/* An entry of another test excuses nothing here. */
	add_finding(&elsewhere, "BUG: unable to handle page fault");
	known_apply(&k, &elsewhere);
	assert_int_equal(elsewhere.status, TEST_FAIL);

	test_result_free(&listed);
	test_result_free(&named);
	test_result_free(&unnamed);
	test_result_free(&elsewhere);
	known_free(&k);

	assert_int_equal(known_parse(&k, "a/b@* report= why\n", "k"), -1);
	known_free(&k);
}

/* The project's own files parse. */
static void project_files_parse(void **state)
{
	glob_t g;
	size_t i;

	assert_int_equal(glob("tests/known/*.txt", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 2);
	for (i = 0; i < g.gl_pathc; i++) {
		struct known k = { 0 };
		char *text = NULL;

		assert_int_equal(read_file(g.gl_pathv[i], &text, NULL), 0);
		if (known_parse(&k, text, g.gl_pathv[i]) < 0)
			fail_msg("%s does not parse", g.gl_pathv[i]);
		assert_true(k.n > 0);
		free(text);
		known_free(&k);
	}
	globfree(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_globs_and_reasons),
		cmocka_unit_test(fail_becomes_xfail_pass_becomes_xpass),
		cmocka_unit_test(subtest_entries),
		cmocka_unit_test(fixed_by_the_series),
		cmocka_unit_test(reports_fail_unless_named),
		cmocka_unit_test(project_files_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
