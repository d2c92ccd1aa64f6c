/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running a helper program (modprobe, ndctl) to completion and capturing
 * its stdout and stderr.
 */
#ifndef DAXTEST_GUEST_SPAWN_H
#define DAXTEST_GUEST_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#define SPAWN_CAPTURE_MAX	(1024 * 1024)	/* per stream; the rest is dropped */

struct spawn_result {
	int status;		/* from waitpid() */
	bool timed_out;		/* killed after the timeout */
	char *out, *err;	/* NUL-terminated */
	size_t out_len, err_len;
};

/* Runs argv[0] (searched in PATH) with envp and stdin on /dev/null. 0 when
 * it ran (see r for how it ended), -1 and errno when it could not be
 * started. r must be freed either way. */
int spawn_capture(char *const argv[], char *const envp[], long timeout_ms,
		  struct spawn_result *r);

/* True when the program exited with status 0. */
bool spawn_ok(const struct spawn_result *r);

/* "exit 1: <first line of stderr, else of stdout>", "signal 11: ...",
 * "timed out: ...", for messages. */
void spawn_describe(const struct spawn_result *r, char *buf, size_t size);

void spawn_result_free(struct spawn_result *r);

#endif /* DAXTEST_GUEST_SPAWN_H */
