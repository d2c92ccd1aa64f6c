// SPDX-License-Identifier: GPL-2.0
/*
 * test_known.c - known failures turn FAIL into XFAIL and PASS into XPASS
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "known.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_globs_and_reasons),
		cmocka_unit_test(fail_becomes_xfail_pass_becomes_xpass),
		cmocka_unit_test(subtest_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
