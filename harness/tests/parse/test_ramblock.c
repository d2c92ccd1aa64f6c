// SPDX-License-Identifier: GPL-2.0
/*
 * test_ramblock.c - QEMU's RAM block table (x-query-ramblock) into entries
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "parse/ramblock.h"

/* What QEMU 7.2 (Debian 1:7.2+dfsg-7+deb12u18) answered to
 * x-query-ramblock for -machine pc,nvdimm=on -m 512M,slots=2,maxmem=2G
 * and two NVDIMMs of 256 MiB + a 128 KiB label, stopped with -S. */
static const char qemu72[] =
	"              Block Name    PSize              Offset               Used              Total\n"
	"                  pc.ram    4 KiB  0x0000000020080000 0x0000000020000000 0x0000000020000000\n"
	"                  nvmem0    4 KiB  0x0000000000000000 0x0000000010020000 0x0000000010020000\n"
	"                  nvmem1    4 KiB  0x0000000010040000 0x0000000010020000 0x0000000010020000\n"
	"    /rom@etc/acpi/tables    4 KiB  0x0000000040100000 0x0000000000020000 0x0000000000200000\n"
	"                 pc.bios    4 KiB  0x0000000040080000 0x0000000000040000 0x0000000000040000\n"
	"                  pc.rom    4 KiB  0x00000000400c0000 0x0000000000020000 0x0000000000020000\n"
	"   /rom@etc/table-loader    4 KiB  0x0000000040300000 0x0000000000001000 0x0000000000010000\n"
	"      /rom@etc/acpi/rsdp    4 KiB  0x0000000040340000 0x0000000000001000 0x0000000000001000\n";

static void qemu_7_2_table(void **state)
{
	struct ramblock_table t;
	const struct ramblock *b;
	char err[256];

	assert_int_equal(ramblock_parse(qemu72, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 8);
	assert_string_equal(t.v[0].name, "pc.ram");
	b = ramblock_find(&t, "nvmem0");
	assert_non_null(b);
	assert_int_equal(b->offset, 0);
	assert_int_equal(b->used, (256ULL << 20) + (128 << 10));
	assert_int_equal(b->total, (256ULL << 20) + (128 << 10));
	b = ramblock_find(&t, "nvmem1");
	assert_non_null(b);
	assert_int_equal(b->offset, 0x10040000);
	b = ramblock_find(&t, "/rom@etc/acpi/tables");
	assert_non_null(b);
	assert_int_equal(b->used, 0x20000);
	assert_int_equal(b->total, 0x200000);
	assert_null(ramblock_find(&t, "nvmem2"));
	assert_null(ramblock_find(&t, "/objects/nvmem0"));
	ramblock_table_free(&t);
	assert_int_equal(t.n, 0);
}

/* A backend without an id -- virtio-pmem's, in QEMU 7.2 -- has an empty
 * name: five columns, and a block that no name finds. */
static void unnamed_block(void **state)
{
	static const char text[] =
		"              Block Name    PSize              Offset               Used              Total\n"
		"                  nvmem0    4 KiB  0x0000000000000000 0x0000000040000000 0x0000000040000000\n"
		"                            4 KiB  0x0000000040000000 0x0000000020000000 0x0000000020000000\n"
		"                  pc.ram    4 KiB  0x0000000060000000 0x0000000040000000 0x0000000040000000\n";
	struct ramblock_table t;
	char err[256];

	assert_int_equal(ramblock_parse(text, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[1].name, "");
	assert_int_equal(t.v[1].offset, 0x40000000);
	assert_int_equal(ramblock_find(&t, "pc.ram")->offset, 0x60000000);
	ramblock_table_free(&t);
}

/* Older machine types name a backend's block by its QOM path; names
 * longer than the column push it right; a name may hold a blank; huge
 * pages and CRLF line ends. */
static void qom_paths_long_names_and_huge_pages(void **state)
{
	static const char text[] =
		"\r\n              Block Name    PSize              Offset               Used              Total\r\n"
		"         /objects/nvmem0    2 MiB  0x0000000000000000 0x0000000040000000 0x0000000040000000\r\n"
		"0000:00:02.0/virtio-net-pci.rom   64 KiB  0x0000000040400000 0x0000000000040000 0x0000000000040000\r\n"
		"              odd name    1 GiB  0xFFFFFFFFC0000000 0x0000000040000000 0x0000000040000000\r\n"
		"\r\n";
	struct ramblock_table t;
	char err[256];

	assert_int_equal(ramblock_parse(text, &t, err, sizeof(err)), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(ramblock_find(&t, "/objects/nvmem0")->used, 1ULL << 30);
	assert_int_equal(ramblock_find(&t, "0000:00:02.0/virtio-net-pci.rom")->offset,
			 0x40400000);
	assert_int_equal(ramblock_find(&t, "odd name")->offset, 0xffffffffc0000000ULL);
	ramblock_table_free(&t);
}

static void header_only_is_an_empty_table(void **state)
{
	struct ramblock_table t;
	char err[256];

	assert_int_equal(ramblock_parse("  Block Name PSize Offset Used Total\n", &t, err,
					sizeof(err)), 0);
	assert_int_equal(t.n, 0);
	ramblock_table_free(&t);
}

/* Each bad text is refused with a line naming what is wrong. */
static void bad_input(void **state)
{
	static const struct {
		const char *text;
		const char *why;
	} bad[] = {
		{ "", "no header" },
		{ "\n\n", "no header" },
		{ "  nvmem0 4 KiB 0x0 0x1000 0x1000\n", "line 1 is not the header" },
		{ "Block Name PSize Offset Used\n", "line 1 is not the header" },
		{ "Block Name PSize Offset Used Total\n nvmem0 0x0 0x1000 0x1000\n",
		  "line 2: 4 columns" },
		/* five columns are an unnamed block: "nvmem0" is no page size */
		{ "Block Name PSize Offset Used Total\nnvmem0 4 KiB 0x0 0x1000\n",
		  "line 2: no page size" },
		{ "Block Name PSize Offset Used Total\nnvmem0 4 Kb 0x0 0x1000 0x1000\n",
		  "line 2: no page size" },
		{ "Block Name PSize Offset Used Total\nnvmem0 4 KiB 0 0x1000 0x1000\n",
		  "line 2: offset, used and total" },
		{ "Block Name PSize Offset Used Total\nnvmem0 4 KiB 0x0 0x10g0 0x1000\n",
		  "line 2: offset, used and total" },
		{ "Block Name PSize Offset Used Total\nnvmem0 4 KiB 0x0 0x1000 0x10000000000000000\n",
		  "line 2: offset, used and total" },
		{ "Block Name PSize Offset Used Total\nnvmem0 4 KiB 0x0 0x1000 0x1000\n"
		  "nvmem0 4 KiB 0x1000 0x1000 0x1000\n", "line 3: block nvmem0 listed twice" },
	};
	struct ramblock_table t;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(ramblock_parse(bad[i].text, &t, err, sizeof(err)), -1);
		assert_int_equal(t.n, 0);
		assert_null(t.v);
		if (!strstr(err, bad[i].why))
			fail_msg("case %zu: error '%s' does not say '%s'", i, err, bad[i].why);
	}
}

static void overlong_name_and_line(void **state)
{
	char text[2048], name[300];
	struct ramblock_table t;
	char err[256];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	snprintf(text, sizeof(text), "Block Name PSize Offset Used Total\n%s 4 KiB 0x0 0x1 0x1\n",
		 name);
	assert_int_equal(ramblock_parse(text, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "a name of 299 bytes"));

	memset(text, ' ', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "Block Name PSize Offset Used Total\n", 35);
	assert_int_equal(ramblock_parse(text, &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 2: 2012 bytes long"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_7_2_table),
		cmocka_unit_test(unnamed_block),
		cmocka_unit_test(qom_paths_long_names_and_huge_pages),
		cmocka_unit_test(header_only_is_an_empty_table),
		cmocka_unit_test(bad_input),
		cmocka_unit_test(overlong_name_and_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
