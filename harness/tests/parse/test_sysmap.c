// SPDX-License-Identifier: GPL-2.0
/*
 * test_sysmap.c - guest PCs named from a small System.map
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

#include "lib/fsutil.h"
#include "parse/sysmap.h"

/* Out of order on purpose (System.map is sorted, the parser must not
 * rely on it), with data symbols and markers in between. */
static const char small_map[] =
	"0000000000000000 D __per_cpu_start\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81377008 T __memcpy_flushcache\n"
	"ffffffff81376f00 t memcpy_flushcache\n"
	"ffffffff81377200 W arch_wb_cache_pmem\n"
	"ffffffff81400000 T pmem_do_write\n"
	"ffffffff81600000 T _etext\n"
	"ffffffff81600000 D __start_rodata\n"
	"ffffffff81700000 r __func__.1\n"
	"ffffffff81901000 T _sinittext\n"
	"ffffffff81901000 t set_reset_devices\n"
	"ffffffff81934e97 T _einittext\n"
	"ffffffff81a00000 b some_bss\n"
	"ffffffff81c18000 B _end\n";

static struct sysmap load_small(void)
{
	struct sysmap m;

	assert_int_equal(sysmap_parse(&m, small_map, strlen(small_map), "small"), 0);
	return m;
}

static void assert_names(const struct sysmap *m, uint64_t pc, enum sysmap_where where,
			 const char *text)
{
	char buf[128];

	assert_int_equal(sysmap_describe(m, pc, buf, sizeof(buf)), where);
	assert_string_equal(buf, text);
}

static void text_symbol_and_offset(void **state)
{
	struct sysmap m = load_small();

	assert_names(&m, 0xffffffff81377056, SYSMAP_KERNEL_TEXT, "__memcpy_flushcache+0x4e");
	assert_names(&m, 0xffffffff81376f9a, SYSMAP_KERNEL_TEXT, "memcpy_flushcache+0x9a");
	assert_names(&m, 0xffffffff81377200, SYSMAP_KERNEL_TEXT, "arch_wb_cache_pmem+0x0");
	/* the last symbol before _etext runs up to it */
	assert_names(&m, 0xffffffff815fffff, SYSMAP_KERNEL_TEXT, "pmem_do_write+0x1fffff");
	/* init text is text too */
	assert_names(&m, 0xffffffff81901010, SYSMAP_KERNEL_TEXT, "set_reset_devices+0x10");
	sysmap_free(&m);
}

/* startup_64 shares its address with _text and _stext: the markers name
 * no code. */
static void markers_name_no_code(void **state)
{
	struct sysmap m = load_small();
	uint64_t off = 1;

	assert_string_equal(sysmap_lookup(&m, 0xffffffff81000000, &off), "startup_64");
	assert_int_equal(off, 0);
	assert_int_equal(m.text_start, 0xffffffff81000000);
	assert_int_equal(m.text_end, 0xffffffff81600000);
	assert_int_equal(m.kernel_end, 0xffffffff81c18000);
	assert_int_equal(m.nr_syms, 6);
	sysmap_free(&m);
}

/* Past _etext (rodata, bss) is the kernel but not its text; past _end in
 * the module area are modules. */
static void past_the_text(void **state)
{
	struct sysmap m = load_small();
	uint64_t off;

	assert_null(sysmap_lookup(&m, 0xffffffff81600000, &off));
	assert_names(&m, 0xffffffff81700010, SYSMAP_KERNEL_OTHER,
		     "kernel address 0xffffffff81700010 (not kernel text)");
	assert_names(&m, 0xffffffff81a00000, SYSMAP_KERNEL_OTHER,
		     "kernel address 0xffffffff81a00000 (not kernel text)");
	assert_names(&m, 0xffffffffa0012345, SYSMAP_MODULE, "module text 0xffffffffa0012345");
	/* below _text: the direct map, vmalloc */
	assert_names(&m, 0xffff888012345678, SYSMAP_KERNEL_OTHER,
		     "kernel address 0xffff888012345678 (not kernel text)");
	sysmap_free(&m);
}

static void user_space_zero_and_noncanonical(void **state)
{
	struct sysmap m = load_small();

	assert_names(&m, 0x401a3c, SYSMAP_USER, "user space 0x401a3c");
	assert_names(&m, 0x00007fffffffe000, SYSMAP_USER, "user space 0x7fffffffe000");
	assert_names(&m, 0, SYSMAP_UNSEEN, "an instruction the model did not see");
	assert_names(&m, 0x0000800000000000, SYSMAP_NONCANONICAL,
		     "non-canonical address 0x800000000000");
	sysmap_free(&m);
}

/* No System.map at hand: user space and modules are still told apart. */
static void without_a_map(void **state)
{
	uint64_t off;

	assert_null(sysmap_lookup(NULL, 0xffffffff81377056, &off));
	assert_names(NULL, 0xffffffff81377056, SYSMAP_KERNEL_OTHER,
		     "kernel address 0xffffffff81377056");
	assert_names(NULL, 0xffffffffa0000000, SYSMAP_MODULE, "module text 0xffffffffa0000000");
	assert_names(NULL, 0x401a50, SYSMAP_USER, "user space 0x401a50");

	/* a map that failed to load is no map */
	struct sysmap empty = { 0 };

	assert_names(&empty, 0xffffffff81377056, SYSMAP_KERNEL_OTHER,
		     "kernel address 0xffffffff81377056");
	assert_names(&empty, 0xffffffffa0000000, SYSMAP_MODULE, "module text 0xffffffffa0000000");
}

/* A map without markers: bounds from the symbols, modules from their
 * area. */
static void map_without_markers(void **state)
{
	static const char map[] =
		"ffffffff81000000 T startup_64\n"
		"\n"
		"ffffffff81000100 t helper\r\n";
	struct sysmap m;

	assert_int_equal(sysmap_parse(&m, map, strlen(map), "bare"), 0);
	assert_names(&m, 0xffffffff81000104, SYSMAP_KERNEL_TEXT, "helper+0x4");
	assert_names(&m, 0xffffffff80ffffff, SYSMAP_KERNEL_OTHER,
		     "kernel address 0xffffffff80ffffff (not kernel text)");
	assert_names(&m, 0xffffffffa0000040, SYSMAP_MODULE, "module text 0xffffffffa0000040");
	sysmap_free(&m);
}

static void broken_maps_are_refused(void **state)
{
	static const char *bad[] = {
		"ffffffff81000000 T\n",
		"ffffffff81000000T startup_64\n",
		"not a map at all\n",
		"ffffffff81000000 T startup_64\nffffffff8100zz00 t x\n",
		"fffffffffffffffff1 T too_long\n",
		"ffffffff81600000 D data_only\n",	/* no text */
		"",
	};
	struct sysmap m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(sysmap_parse(&m, bad[i], strlen(bad[i]), "bad"), -1);
		assert_null(m.syms);
		assert_null(m.text);
	}
}

static void load_from_a_file(void **state)
{
	char path[] = "/tmp/daxtest-sysmap-XXXXXX";
	struct sysmap m;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, small_map, strlen(small_map)), (ssize_t)strlen(small_map));
	close(fd);
	assert_int_equal(sysmap_load(&m, path), 0);
	assert_names(&m, 0xffffffff81400001, SYSMAP_KERNEL_TEXT, "pmem_do_write+0x1");
	sysmap_free(&m);
	unlink(path);
	assert_int_equal(sysmap_load(&m, path), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_symbol_and_offset),
		cmocka_unit_test(markers_name_no_code),
		cmocka_unit_test(past_the_text),
		cmocka_unit_test(user_space_zero_and_noncanonical),
		cmocka_unit_test(without_a_map),
		cmocka_unit_test(map_without_markers),
		cmocka_unit_test(broken_maps_are_refused),
		cmocka_unit_test(load_from_a_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
