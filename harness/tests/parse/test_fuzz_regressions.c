// SPDX-License-Identifier: GPL-2.0
/*
 * test_fuzz_regressions.c - the saved fuzz inputs, replayed
 *
 * Every file in DATA_DIR/fuzz/<target>/ (inputs that once crashed a
 * parser, and a few that reach deep into it) goes through the same
 * function make fuzz runs under libFuzzer (harness/tests/fuzz/fuzz_targets.c),
 * here with ASan and UBSan. A target aborts when a parser breaks a
 * promise; the file it was replaying is then named on stderr.
 *
 * Run from the repository root: inputs are read from DATA_DIR.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <sanitizer/common_interface_defs.h>

#include "lib/fsutil.h"
#include "tests/fuzz/fuzz_targets.h"

#ifndef DATA_DIR
#define DATA_DIR "harness/tests/data"
#endif

static char replaying[512];	/* the input being replayed, for a crash */

static void name_input(void)
{
	static const char what[] = "test_fuzz_regressions: while replaying ";

	if (!replaying[0])
		return;
	/* async-signal-safe: called from the SIGABRT handler */
	if (write(STDERR_FILENO, what, sizeof(what) - 1) < 0 ||
	    write(STDERR_FILENO, replaying, strlen(replaying)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0)
		return;
}

static void on_abort(int sig)
{
	name_input();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int is_input(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Replays DATA_DIR/fuzz/<target>/<each file>. */
static void test_replay(void **state)
{
	const struct fuzz_target *t = *state;
	struct dirent **names;
	struct stat st;
	char dir[256];
	size_t len;
	char *data, *exact;
	int i, n;

	snprintf(dir, sizeof(dir), "%s/fuzz/%s", DATA_DIR, t->name);
	n = scandir(dir, &names, is_input, alphasort);
	if (n < 0)
		fail_msg("cannot read %s (run from the repository root)", dir);
	if (n == 0)
		fail_msg("%s has no inputs", dir);
	for (i = 0; i < n; i++) {
		snprintf(replaying, sizeof(replaying), "%s/%s", dir, names[i]->d_name);
		assert_int_equal(stat(replaying, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(read_file(replaying, &data, &len), 0);
		/* libFuzzer's buffer ends where the input does: so does this
		 * one, for ASan to see a read past the end */
		exact = malloc(len ? len : 1);
		assert_non_null(exact);
		memcpy(exact, data, len);
		free(data);
		t->fn((const uint8_t *)exact, len);
		free(exact);
		free(names[i]);
	}
	replaying[0] = '\0';
	free(names);
}

int main(void)
{
	struct CMUnitTest *tests;
	size_t i;
	int ret;

	__sanitizer_set_death_callback(name_input);
	signal(SIGABRT, on_abort);
	tests = calloc(nr_fuzz_targets, sizeof(*tests));
	if (!tests)
		return 1;
	for (i = 0; i < nr_fuzz_targets; i++) {
		tests[i].name = fuzz_targets[i].name;
		tests[i].test_func = test_replay;
		tests[i].initial_state = (void *)&fuzz_targets[i];
	}
	ret = _cmocka_run_group_tests("fuzz_regressions", tests, nr_fuzz_targets,
				      NULL, NULL);
	free(tests);
	return ret;
}
