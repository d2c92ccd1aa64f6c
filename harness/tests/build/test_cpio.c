// SPDX-License-Identifier: GPL-2.0
/*
 * test_cpio.c - the newc writer, checked against cpio(1)'s reading
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

#include "build/cpio.h"
#include "lib/fsutil.h"
#include "lib/spawn.h"

static char *write_archive(char *tmpl)
{
	struct cpio_writer w;
	FILE *f;
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	cpio_init(&w, f);
	cpio_add_dir(&w, "/bin", 0755);
	cpio_add_data(&w, "/bin/hello", 0755, "hi\n", 3);
	cpio_add_symlink(&w, "/bin/sh", "busybox");
	cpio_add_data(&w, "odd", 0600, "12345", 5);
	assert_int_equal(cpio_finish(&w), 0);
	fclose(f);
	return tmpl;
}

static void cpio_tool_lists_what_was_written(void **state)
{
	char tmpl[] = "/tmp/daxtest-cpio-XXXXXX";
	char *path = write_archive(tmpl), *out = NULL;
	const char *argv[] = { "cpio", "-itv", "-F", path, NULL };

	assert_int_equal(proc_capture(argv, NULL, &out), 0);
	assert_non_null(strstr(out, "drwxr-xr-x"));
	assert_non_null(strstr(out, "bin/hello"));
	assert_non_null(strstr(out, "bin/sh -> busybox"));
	assert_non_null(strstr(out, "-rw-------"));
	free(out);
	unlink(path);
}

static void same_input_same_bytes(void **state)
{
	char t1[] = "/tmp/daxtest-cpio-XXXXXX", t2[] = "/tmp/daxtest-cpio-XXXXXX";
	char *a = NULL, *b = NULL;
	size_t la, lb;

	write_archive(t1);
	write_archive(t2);
	assert_int_equal(read_file(t1, &a, &la), 0);
	assert_int_equal(read_file(t2, &b, &lb), 0);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	/* newc pads every header and body to 4 bytes. */
	assert_int_equal(la % 4, 0);
	assert_memory_equal(a, "070701", 6);
	free(a);
	free(b);
	unlink(t1);
	unlink(t2);
}

static void missing_host_file_is_an_error(void **state)
{
	struct cpio_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cpio_init(&w, f);
	cpio_add_file(&w, "x", 0644, "/nonexistent/daxtest");
	assert_int_not_equal(cpio_finish(&w), 0);
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpio_tool_lists_what_was_written),
		cmocka_unit_test(same_input_same_bytes),
		cmocka_unit_test(missing_host_file_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
