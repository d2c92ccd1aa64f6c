// SPDX-License-Identifier: GPL-2.0
/*
 * test_kernel_build.c - the make command lines of the kernel build
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build/kernel_build.h"
#include "lib/strv.h"

static void make_argv_in_order(void **state)
{
	const char *targets[] = { "bzImage", "modules", NULL };
	static const char *const want[] = {
		"make", "-C/w/src", "O=/w/build", "-j3", "DEPMOD=/sbin/depmod",
		"CC=/usr/bin/ccache gcc", "bzImage", "modules",
	};
	struct strv argv = { 0 };
	size_t i;

	assert_int_equal(kernel_build_make_argv(&argv, "/w/src", "/w/build", "-j3",
						"DEPMOD=/sbin/depmod", "CC=/usr/bin/ccache gcc",
						targets), 0);
	assert_int_equal(argv.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < argv.n; i++)
		assert_string_equal(argv.v[i], want[i]);
	assert_null(argv.v[argv.n]);
	strv_free(&argv);

	/* Without ccache there is no CC= */
	assert_int_equal(kernel_build_make_argv(&argv, "/w/src", "/w/build", "-j3",
						"DEPMOD=/sbin/depmod", NULL, targets), 0);
	assert_int_equal(argv.n, 7);
	assert_string_equal(argv.v[5], "bzImage");
	strv_free(&argv);
}

/* More targets than the old argv[24] held: every one reaches make. */
static void make_argv_keeps_every_target(void **state)
{
	enum { NR = 40 };
	const char *targets[NR + 1];
	char names[NR][16];
	struct strv argv = { 0 };
	size_t i;

	for (i = 0; i < NR; i++) {
		snprintf(names[i], sizeof(names[i]), "target%zu", i);
		targets[i] = names[i];
	}
	targets[NR] = NULL;
	assert_int_equal(kernel_build_make_argv(&argv, "/w/src", "/w/build", "-j3",
						"DEPMOD=/sbin/depmod", "CC=ccache gcc",
						targets), 0);
	assert_int_equal(argv.n, 6 + NR);
	for (i = 0; i < NR; i++)
		assert_string_equal(argv.v[6 + i], names[i]);
	assert_null(argv.v[argv.n]);
	strv_free(&argv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(make_argv_in_order),
		cmocka_unit_test(make_argv_keeps_every_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
