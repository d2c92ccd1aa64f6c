// SPDX-License-Identifier: GPL-2.0
/*
 * test_progress.c - the live progress line and the plain lines
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "run/progress.h"

static void line_counts_failures_and_time(void **state)
{
	struct progress p;
	char buf[256];

	progress_init(&p, stderr, false, 39);
	p.t0 = 100;
	progress_format(&p, 100.5, buf, sizeof(buf));
	assert_string_equal(buf, "[0/39, 0:00]");
	p.done = 3;
	p.failed = 1;
	snprintf(p.current, sizeof(p.current), "%s", "reflink/reflink_cow@map=mem");
	progress_format(&p, 100 + 62, buf, sizeof(buf));
	assert_string_equal(buf, "[3/39, 1 failed, 1:02] reflink/reflink_cow@map=mem");
	p.running = 2;
	progress_format(&p, 100 + 62, buf, sizeof(buf));
	assert_string_equal(buf, "[3/39, 1 failed, 1:02] reflink/reflink_cow@map=mem +1");
}

/* What a progress on a memory stream printed for a test that began and
 * failed: a malloc'd string. */
static char *one_failed_test(bool live, bool done)
{
	struct progress p;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	progress_init(&p, f, live, 2);
	progress_test_begins(&p, "a/b@map=mem");
	if (done)
		progress_test_done(&p, "a/b@map=mem", "fail", true, 1.25);
	progress_tick(&p);
	progress_hide(&p);
	progress_show(&p);
	progress_end(&p);
	fclose(f);
	return text;
}

/* Not on a terminal: one plain line per test, no escape sequences. */
static void plain_lines_without_a_terminal(void **state)
{
	char *text = one_failed_test(false, true);

	assert_string_equal(text, "daxtest: [1/2] a/b@map=mem: fail (1.2 s)\n");
	free(text);
}

/* On a terminal: the line is redrawn in place and cleared at the end. */
static void live_line_is_cleared(void **state)
{
	char *text = one_failed_test(true, false);

	assert_non_null(strstr(text, "\r\033[Kdaxtest: [0/2, 0:00] a/b@map=mem"));
	assert_null(strchr(text, '\n'));
	assert_int_equal(strcmp(text + strlen(text) - 4, "\r\033[K"), 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_counts_failures_and_time),
		cmocka_unit_test(plain_lines_without_a_terminal),
		cmocka_unit_test(live_line_is_cleared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
