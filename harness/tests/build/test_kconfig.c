// SPDX-License-Identifier: GPL-2.0
/*
 * test_kconfig.c - config fragment parsing, merging and verification
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "build/kconfig.h"

static void parses_values_and_not_set(void **state)
{
	struct kconfig c = { 0 };

	assert_int_equal(kconfig_parse(&c, "CONFIG_A=y\n# CONFIG_B is not set\n"
				       "# a comment\n\nCONFIG_C=\"str\"\nCONFIG_D=64\n", "f"), 0);
	assert_int_equal(c.nr, 4);
	assert_string_equal(kconfig_find(&c, "CONFIG_A")->value, "y");
	assert_string_equal(kconfig_find(&c, "CONFIG_B")->value, "n");
	assert_string_equal(kconfig_find(&c, "CONFIG_C")->value, "\"str\"");
	assert_string_equal(kconfig_find(&c, "CONFIG_D")->origin, "f:6");
	assert_null(kconfig_find(&c, "CONFIG_E"));
	kconfig_free(&c);
}

static void later_assignment_wins(void **state)
{
	struct kconfig c = { 0 };

	assert_int_equal(kconfig_parse(&c, "CONFIG_PMEM=y\n", "tests/config"), 0);
	assert_int_equal(kconfig_parse(&c, "CONFIG_PMEM=m\n", "dax.config"), 0);
	assert_int_equal(c.nr, 1);
	assert_string_equal(kconfig_find(&c, "CONFIG_PMEM")->value, "m");
	assert_string_equal(kconfig_find(&c, "CONFIG_PMEM")->origin, "dax.config:1");
	kconfig_free(&c);
}

static void rejects_malformed_lines(void **state)
{
	struct kconfig c = { 0 };

	assert_int_equal(kconfig_parse(&c, "CONFIG_A=y\nXFS=y\n", "f"), -1);
	kconfig_free(&c);
	assert_int_equal(kconfig_parse(&c, "CONFIG_A=\n", "f"), -1);
	kconfig_free(&c);
	assert_int_equal(kconfig_parse(&c, "CONFIG_A B=y\n", "f"), -1);
	kconfig_free(&c);
}

static void verify_counts_every_mismatch(void **state)
{
	struct kconfig want = { 0 }, have = { 0 };

	assert_int_equal(kconfig_parse(&want, "CONFIG_FS_DAX=y\nCONFIG_LIBNVDIMM=m\n"
				       "CONFIG_NFS_FS=y\n# CONFIG_KASAN is not set\n", "w"), 0);
	/* What olddefconfig left: LIBNVDIMM built in, NFS dropped. */
	assert_int_equal(kconfig_parse(&have, "CONFIG_FS_DAX=y\nCONFIG_LIBNVDIMM=y\n"
				       "# CONFIG_NFS_FS is not set\n", "have"), 0);
	assert_int_equal(kconfig_verify(&want, &have), 2);
	kconfig_free(&have);
	assert_int_equal(kconfig_parse(&have, "CONFIG_FS_DAX=y\nCONFIG_LIBNVDIMM=m\n"
				       "CONFIG_NFS_FS=y\n", "have"), 0);
	/* An option asked to be unset and absent from .config is fine. */
	assert_int_equal(kconfig_verify(&want, &have), 0);
	kconfig_free(&want);
	kconfig_free(&have);
}

static void format_ignores_fragment_order(void **state)
{
	struct kconfig a = { 0 }, b = { 0 };
	char *ta, *tb;

	assert_int_equal(kconfig_parse(&a, "CONFIG_XFS_FS=y\nCONFIG_EXT4_FS=y\n", "a"), 0);
	assert_int_equal(kconfig_parse(&b, "CONFIG_EXT4_FS=y\nCONFIG_XFS_FS=y\n", "b"), 0);
	ta = kconfig_format(&a);
	tb = kconfig_format(&b);
	assert_string_equal(ta, tb);
	assert_string_equal(ta, "CONFIG_EXT4_FS=y\nCONFIG_XFS_FS=y\n");
	free(ta);
	free(tb);
	kconfig_free(&a);
	kconfig_free(&b);
}

static void format_round_trips(void **state)
{
	struct kconfig c = { 0 }, again = { 0 };
	char *text;

	assert_int_equal(kconfig_parse(&c, "CONFIG_A=y\n# CONFIG_B is not set\n", "f"), 0);
	text = kconfig_format(&c);
	assert_non_null(text);
	assert_string_equal(text, "CONFIG_A=y\n# CONFIG_B is not set\n");
	assert_int_equal(kconfig_parse(&again, text, "g"), 0);
	assert_int_equal(kconfig_verify(&c, &again), 0);
	free(text);
	kconfig_free(&c);
	kconfig_free(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_values_and_not_set),
		cmocka_unit_test(later_assignment_wins),
		cmocka_unit_test(rejects_malformed_lines),
		cmocka_unit_test(verify_counts_every_mismatch),
		cmocka_unit_test(format_ignores_fragment_order),
		cmocka_unit_test(format_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
