/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running host programs (make, patch, rsync, tar, git, QEMU): fork+exec
 * with an argv, never a shell string. This is the one place the host
 * runner starts processes.
 *
 * Every child
 *  - is the leader of its own process group (unless ->foreground), so
 *    that stopping it stops what it started too (make's compilers, a
 *    shell's pipeline), and the terminal's Ctrl-C reaches daxtest alone,
 *    which then stops its children itself;
 *  - is SIGKILLed by the kernel when its parent dies (PR_SET_PDEATHSIG),
 *    so a SIGKILLed or crashed daxtest leaves no QEMU or make behind.
 *    The "parent" is the *thread* that started the child: wait for a
 *    child in the thread that started it (proc_run does; lanes start and
 *    reap their QEMU in their own thread), and start none from a thread
 *    that may end before the child;
 *  - starts with no signal blocked; exec resets the signals daxtest
 *    catches, and ignored ones stay ignored.
 */
#ifndef DAXTEST_PROC_H
#define DAXTEST_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* proc_run: the user interrupted (lib/interrupt.h); the child is gone. */
#define PROC_INTERRUPTED	(-2)

struct proc_spec {
	const char *const *argv;	/* argv[0]: found by host_tool_find() */
	const char *cwd;		/* NULL: current directory */
	const char *const *env;		/* extra "KEY=value", NULL-terminated */
	const char *log_path;		/* append stdout+stderr here */
	char **capture;			/* if set: malloc'd stdout+stderr */
	size_t *capture_len;
	const char *input;		/* fed to stdin; NULL: /dev/null */
	unsigned int timeout_s;		/* 0: none; on overrun its group is SIGKILLed */
	int inherit_output;		/* stdout+stderr are ours (no log, no capture) */
	/*
	 * The child keeps the terminal: it stays in daxtest's process group
	 * (the terminal's foreground group) and has our stdin, stdout and
	 * stderr; SIGINT and SIGQUIT are reset to their default in it. As
	 * with system(3), the caller ignores SIGINT and SIGQUIT while it
	 * waits, so the terminal's Ctrl-C is the child's. Stopping it
	 * signals the child alone. No log_path, capture or input.
	 */
	int foreground;
	/* Runs to its end even when the user interrupted (a timeout still
	 * applies): cleanup such as "git bisect reset". */
	int ignore_interrupt;
};

/*
 * Runs the command to its end. Returns the exit status (0-255), 128+signal
 * when killed (128+SIGKILL after a timeout), PROC_INTERRUPTED when the
 * user interrupted (before it started, or while it ran: then its group
 * got SIGTERM, and SIGKILL a few seconds later), or -1 with errno set
 * when it could not be started or its output could not be written to
 * the log or captured (the group is then stopped as after an interrupt,
 * its output dropped).
 */
int proc_run(const struct proc_spec *spec);
/* Runs argv and captures its stdout+stderr; returns as proc_run. */
int proc_capture(const char *const *argv, const char *cwd, char **out);
/* The last n lines of text, for error messages (points into text). */
const char *proc_tail(const char *text, unsigned int n);

/* A started child that its starter waits for (QEMU, an interactive shell). */
struct proc_child {
	pid_t pid;	/* 0: none (not started, or reaped) */
	pid_t pgid;	/* its process group (== pid); 0 for a foreground child */
	int pidfd;	/* POLLIN once it exited; -1 without pidfd_open (Linux < 5.3) */
};

#define PROC_CHILD_INIT	{ .pid = 0, .pgid = 0, .pidfd = -1 }

/*
 * Starts spec->argv and returns at once: 0, or -1 with errno set (then
 * c->pid is 0). stdin: spec->input or /dev/null; stdout+stderr: appended
 * to spec->log_path (the child writes there itself), else ours. No
 * capture or timeout_s: the caller polls c->pidfd and decides. A program
 * that cannot be run exits 127 saying why (in the log). Does not look at
 * the interrupt flag. c is initialised even on failure; the child must
 * be ended with proc_reap() or proc_stop(), in this thread.
 */
int proc_start(const struct proc_spec *spec, struct proc_child *c);

/* How a child ended. */
struct proc_exit {
	int code;		/* exit status (0-255), or 128+signal */
	int signal;		/* the signal that killed it; 0: it exited */
	long max_rss_kb;	/* its peak RSS */
};

/*
 * Waits for the child to exit and reaps it (closes the pidfd, resets *c
 * to PROC_CHILD_INIT). Returns e->code, or -1 with errno set when there
 * is no child or wait4 failed; e may be NULL. Blocks: call it once the
 * pidfd is readable, or to wait for the child's end.
 */
int proc_reap(struct proc_child *c, struct proc_exit *e);
/* SIGKILLs the child's process group (the child alone when foreground)
 * and reaps it: returns as proc_reap. Does nothing (-1) without a child. */
int proc_stop(struct proc_child *c, struct proc_exit *e);

#endif /* DAXTEST_PROC_H */
