/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running host commands (make, patch, rsync, tar, ldd, git): fork+exec
 * with an argv, never a shell string.
 */
#ifndef DAXTEST_PROC_H
#define DAXTEST_PROC_H

#include <stddef.h>

struct proc_spec {
	const char *const *argv;	/* argv[0]: found by host_tool_find() */
	const char *cwd;		/* NULL: current directory */
	const char *const *env;		/* extra "KEY=value", NULL-terminated */
	const char *log_path;		/* append stdout+stderr here */
	char **capture;			/* if set: malloc'd stdout+stderr */
	size_t *capture_len;
	const char *input;		/* fed to stdin; NULL: /dev/null */
	unsigned int timeout_s;		/* 0: none; on overrun SIGKILL */
	int inherit_output;		/* stdout+stderr are ours (no log, no capture) */
};

/*
 * Returns the exit status (0-255), 128+signal when killed, or -1 with
 * errno set when the command could not be started.
 */
int proc_run(const struct proc_spec *spec);
/* Runs argv and captures its stdout+stderr; returns as proc_run. */
int proc_capture(const char *const *argv, const char *cwd, char **out);
/* The last n lines of text, for error messages (points into text). */
const char *proc_tail(const char *text, unsigned int n);

#endif /* DAXTEST_PROC_H */
