// SPDX-License-Identifier: GPL-2.0
/*
 * suite_step.c - one logged step of a suite build
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build/suite_step.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/spawn.h"

#define TAIL_LINES 15

static void print_log_tail(const char *log)
{
	char *text = NULL;

	if (read_file(log, &text, NULL) < 0)
		return;
	fprintf(stderr, "%s\n", proc_tail(text, TAIL_LINES));
	free(text);
}

int suite_step_run(const char *suite, const char *what, const char *const *argv,
		   const char *cwd, const char *const *env, const char *log)
{
	struct proc_spec spec = { .argv = argv, .cwd = cwd, .env = env, .log_path = log };
	FILE *f;
	int ret;

	/* Each step says what it is in the log, like make does. */
	f = fopen(log, "ae");
	if (f) {
		fprintf(f, "daxtest: %s: %s\n", suite, what);
		fclose(f);
	}
	ret = proc_run(&spec);
	if (ret == 0)
		return 0;
	if (ret == PROC_INTERRUPTED)
		log_error("suite %s: interrupted at '%s'", suite, what);
	else if (ret < 0)
		log_error("suite %s: cannot run '%s': %s (log: %s)", suite, what, strerror(errno),
			  log);
	else if (ret == 127)
		log_error("suite %s: '%s' could not run %s (exit 127); last lines of %s:", suite,
			  what, argv[0], log);
	else
		log_error("suite %s: '%s' failed (exit %d); last lines of %s:", suite, what, ret,
			  log);
	if (ret > 0)
		print_log_tail(log);
	return -1;
}
