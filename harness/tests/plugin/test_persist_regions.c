// SPDX-License-Identifier: GPL-2.0
/*
 * test_persist_regions.c - the persistence plugin's region= arguments
 * and regions file: what is a region, what is a comment, and every bad
 * line refused with its number and nothing half-added
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

#include "plugin/persist_regions.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int setup(void **state)
{
	struct persist_regions *rs = calloc(1, sizeof(*rs));

	assert_non_null(rs);
	*state = rs;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void expect_region(const struct persist_regions *rs, size_t i, uint64_t base,
			  uint64_t size, const char *live, const char *shadow)
{
	assert_true(i < rs->n);
	assert_int_equal(rs->r[i].base, base);
	assert_int_equal(rs->r[i].size, size);
	assert_string_equal(rs->r[i].live, live);
	assert_string_equal(rs->r[i].shadow, shadow);
}

static void file_with_comments_and_blanks(void **state)
{
	struct persist_regions *rs = *state;
	char err[256] = "";
	const char *text =
		"# BASE SIZE LIVE SHADOW\n"
		"\n"
		"0x80000000 268304384 /w/pmem0.img /w/shadow0.img\n"
		"   \t# indented comment\n"
		"\t0x0\t64 /w/a#b /w/c   # trailing comment\r\n"
		"1024 0X40 rel/live rel/shadow";	/* no newline at the end */

	assert_int_equal(persist_regions_parse(rs, text, err, sizeof(err)), 0);
	assert_int_equal(rs->n, 3);
	expect_region(rs, 0, 0x80000000, 268304384, "/w/pmem0.img", "/w/shadow0.img");
	expect_region(rs, 1, 0, 64, "/w/a#b", "/w/c");
	expect_region(rs, 2, 1024, 64, "rel/live", "rel/shadow");
}

/* Each bad file: refused, naming the line, and rs left as it was. */
static void bad_lines_refused(void **state)
{
	struct persist_regions *rs = *state;
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "0 64 /a\n", "line 1: 3 fields" },
		{ "# c\n0 64 /a /b /c\n", "line 2: more than 4 fields" },
		{ "0 64 /a #/b\n", "line 1: 3 fields" },
		{ "zero 64 /a /b\n", "line 1: BASE 'zero'" },
		{ "0 -64 /a /b\n", "line 1: SIZE '-64'" },
		{ "0 +64 /a /b\n", "line 1: SIZE '+64'" },
		{ "0 0x /a /b\n", "line 1: SIZE '0x'" },
		{ "0 64k /a /b\n", "line 1: SIZE '64k'" },
		{ "0 99999999999999999999 /a /b\n", "line 1: SIZE '99999999999999999999'" },
		{ "0 0 /a /b\n", "line 1: BASE and SIZE must be multiples of 64" },
		{ "32 64 /a /b\n", "line 1: BASE and SIZE must be multiples of 64" },
		{ "0 100 /a /b\n", "line 1: BASE and SIZE must be multiples of 64" },
		{ "0 64 /a /b\n64 64 /c /d\n0x 64 /e /f\n", "line 3: BASE '0x'" },
		{ "", "no region in 0 lines" },
		{ "# nothing\n\n", "no region in 2 lines" },
	};
	size_t i;

	for (i = 0; i < N(bad); i++) {
		char err[256] = "";

		rs->n = 0;
		if (persist_regions_parse(rs, bad[i].text, err, sizeof(err)) != -1)
			fail_msg("accepted '%s'", bad[i].text);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)))
			fail_msg("'%s': said '%s', want '%s...'", bad[i].text, err, bad[i].want);
		assert_int_equal(rs->n, 0);
	}
}

static void at_most_eight_regions(void **state)
{
	struct persist_regions *rs = *state;
	char text[1024] = "", err[256] = "";
	int i;

	for (i = 0; i <= PMEM_MAX_REGIONS; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%d 64 /l%d /s%d\n",
			 i * 64, i, i);
	assert_int_equal(persist_regions_parse(rs, text, err, sizeof(err)), -1);
	assert_string_equal(err, "line 9: more than 8 regions");
	assert_int_equal(rs->n, 0);
}

static void path_too_long(void **state)
{
	struct persist_regions *rs = *state;
	char *text = malloc(PERSIST_REGION_PATH + 64), err[256] = "";

	assert_non_null(text);
	strcpy(text, "0 64 /a /");
	memset(text + strlen(text), 'x', PERSIST_REGION_PATH - 1);
	text[9 + PERSIST_REGION_PATH - 1] = '\0';
	assert_int_equal(persist_regions_parse(rs, text, err, sizeof(err)), -1);
	assert_string_equal(err, "line 1: LIVE and SHADOW must be 1 to 4095 bytes");
	text[9 + PERSIST_REGION_PATH - 2] = '\0';
	assert_int_equal(persist_regions_parse(rs, text, err, sizeof(err)), 0);
	assert_int_equal(strlen(rs->r[0].shadow), PERSIST_REGION_PATH - 1);
	free(text);
}

/* region= arguments, and a file after them appends. */
static void spec_then_file(void **state)
{
	struct persist_regions *rs = *state;
	char err[256] = "";

	assert_int_equal(persist_regions_add_spec(rs, "0x1000:4096:/l:/s:x", err,
						  sizeof(err)), 0);
	expect_region(rs, 0, 0x1000, 4096, "/l", "/s:x");
	assert_int_equal(persist_regions_add_spec(rs, "0:64:/l", err, sizeof(err)), -1);
	assert_string_equal(err, "'0:64:/l': want BASE:SIZE:LIVE:SHADOW");
	assert_int_equal(persist_regions_add_spec(rs, "0:64::/s", err, sizeof(err)), -1);
	assert_int_equal(persist_regions_add_spec(rs, "0:63:/l:/s", err, sizeof(err)), -1);
	assert_int_equal(rs->n, 1);
	assert_int_equal(persist_regions_parse(rs, "0 64 /a /b\n", err, sizeof(err)), 0);
	assert_int_equal(rs->n, 2);
	expect_region(rs, 1, 0, 64, "/a", "/b");
}

static void read_file(void **state)
{
	struct persist_regions *rs = *state;
	char path[] = "/tmp/test_persist_regions.XXXXXX", err[512] = "";
	const char *text = "# regions\n0x100000000 1073741824 /live /shadow\n";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(persist_regions_read(rs, path, err, sizeof(err)), 0);
	expect_region(rs, 0, 0x100000000ULL, 1ULL << 30, "/live", "/shadow");
	unlink(path);
	assert_int_equal(persist_regions_read(rs, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(strncmp(err, path, strlen(path)), 0);
	assert_int_equal(rs->n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(file_with_comments_and_blanks, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_lines_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(at_most_eight_regions, setup, teardown),
		cmocka_unit_test_setup_teardown(path_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(spec_then_file, setup, teardown),
		cmocka_unit_test_setup_teardown(read_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
