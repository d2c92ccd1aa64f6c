// SPDX-License-Identifier: GPL-2.0
/*
 * run_test.c - run one test with a timeout and relay its output
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_test.h"
#include "util.h"

/* How long output may still come after the test exited: from processes
 * that left its process group. */
#define DRAIN_GRACE_MS	1000
/* How long a killed test may take to die before the agent gives up. */
#define KILL_WAIT_MS	10000
/* Without pidfd_open(), how often to look for the test's exit. */
#define EXIT_POLL_MS	50

struct relay {
	struct port *port;
	char head[32];			/* "out <index> " */
	char line[DAXTEST_LINE_MAX];
	size_t len;
	bool cut;			/* dropping the rest of an overlong line */
};

struct child {
	const char *name;
	pid_t pid;
	int pidfd;			/* -1 when pidfd_open() is missing */
	int out;			/* read end of the output pipe, -1 at EOF */
	bool exited;			/* reaped, status valid */
	int status;
	long end_ms;			/* mono_ms() when it was seen to end */
};

static int relay_flush(struct relay *r)
{
	size_t len = r->len;

	if (len && r->line[len - 1] == '\r')
		len--;
	r->len = 0;
	return port_text(r->port, r->head, r->line, len);
}

/* Splits output into "out" records; cuts lines that do not fit. */
static int relay_bytes(struct relay *r, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (buf[i] == '\n') {
			if (!r->cut && relay_flush(r) < 0)
				return -1;
			r->cut = false;
			r->len = 0;
			continue;
		}
		if (r->cut)
			continue;
		r->line[r->len++] = buf[i];
		if (r->len == sizeof(r->line)) {
			if (relay_flush(r) < 0)
				return -1;
			r->cut = true;
		}
	}
	return 0;
}

static _Noreturn void test_child(const struct plan_test *t, const char *dir,
				 char *const envp[], int out)
{
	char *argv[] = { t->path, t->run ? "-r" : NULL, t->run, NULL };
	int null;

	/* Its own session and process group, which the agent kills whole. */
	if (setsid() < 0)
		_exit(126);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(out, STDERR_FILENO) < 0)
		_exit(126);
	if (chdir(dir) < 0) {
		dprintf(STDERR_FILENO, "daxtest-agent: cannot chdir to %s: %s\n", dir,
			strerror(errno));
		_exit(126);
	}
	execve(t->path, argv, envp);
	dprintf(STDERR_FILENO, "daxtest-agent: cannot run %s: %s\n", t->path,
		strerror(errno));
	_exit(127);
}

static void kill_group(pid_t pid)
{
	/* The test itself too, in case it had not yet called setsid(). */
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Notices the child's exit. As long as it is not reaped its pid stays
 * reserved, so the group it led can still be killed safely: its leftover
 * processes die before it is reaped. Returns 1 when it exited, 0 if not,
 * -1 on error. */
static int child_check(struct child *ch)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, ch->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		return errno == EINTR ? 0 : -1;
	if (si.si_pid != ch->pid)
		return 0;
	ch->end_ms = mono_ms();
	kill_group(ch->pid);
	while (waitpid(ch->pid, &ch->status, 0) < 0)
		if (errno != EINTR)
			return -1;
	ch->exited = true;
	return 1;
}

/* Reads what the pipe has and relays it. -1 when the port failed. */
static int child_output(struct child *ch, struct relay *r)
{
	char buf[4096];
	ssize_t n;

	n = read(ch->out, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		if (r->len && !r->cut && relay_flush(r) < 0)
			return -1;
		close(ch->out);
		ch->out = -1;
		return 0;
	}
	return relay_bytes(r, buf, n);
}

/* Waits for output or the exit until until_ms. -1 when the port failed or
 * waiting did. */
static int child_wait(struct child *ch, struct relay *r, long until_ms)
{
	struct pollfd pfd[2] = {
		{ .fd = ch->out, .events = POLLIN },
		{ .fd = ch->exited ? -1 : ch->pidfd, .events = POLLIN },
	};
	long left = until_ms - mono_ms();
	int n;

	if (left < 0)
		left = 0;
	if (!ch->exited && ch->pidfd < 0 && left > EXIT_POLL_MS)
		left = EXIT_POLL_MS;
	n = poll(pfd, 2, left > 1000 ? 1000 : (int)left);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (pfd[0].revents && child_output(ch, r) < 0)
		return -1;
	if (!ch->exited && child_check(ch) < 0)
		return -1;
	return 0;
}

/* Kills the test that ran past its deadline and reaps it. -1 when it does
 * not die. */
static int child_timeout(struct child *ch)
{
	long deadline = mono_ms() + KILL_WAIT_MS;

	kill_group(ch->pid);
	while (!ch->exited) {
		if (child_check(ch) < 0 || mono_ms() >= deadline)
			return -1;
		if (!ch->exited)
			sleep_ms(EXIT_POLL_MS);
	}
	return 0;
}

/* Relays output until the test exited and its pipe closed (or the grace
 * after its exit ran out); kills it at the deadline. */
static int child_watch(struct child *ch, struct relay *r, long deadline,
		       struct test_outcome *o, char *err, size_t errlen)
{
	long grace_end = 0;

	while (!ch->exited || ch->out >= 0) {
		if (!ch->exited && mono_ms() >= deadline) {
			o->timed_out = true;
			if (child_timeout(ch) < 0) {
				snprintf(err, errlen,
					 "%s did not die within %d s of SIGKILL (stuck in the kernel?)",
					 ch->name, KILL_WAIT_MS / 1000);
				return -1;
			}
			continue;
		}
		if (ch->exited) {
			if (!grace_end)
				grace_end = mono_ms() + DRAIN_GRACE_MS;
			if (mono_ms() >= grace_end)
				break;
		}
		if (child_wait(ch, r, ch->exited ? grace_end : deadline) < 0) {
			snprintf(err, errlen, "relaying the output of %s failed: %s", ch->name,
				 r->port->broken ? "the result port broke" : strerror(errno));
			return -1;
		}
	}
	if (r->len && !r->cut && relay_flush(r) < 0) {
		snprintf(err, errlen, "relaying the output of %s failed: the result port broke",
			 ch->name);
		return -1;
	}
	return 0;
}

static void fill_outcome(const struct child *ch, long start, struct test_outcome *o)
{
	o->ms = (ch->exited ? ch->end_ms : mono_ms()) - start;
	if (!ch->exited) {
		/* Killed but not dead: report the kill. */
		o->signal = SIGKILL;
	} else if (WIFEXITED(ch->status)) {
		o->exit_code = WEXITSTATUS(ch->status);
	} else if (WIFSIGNALED(ch->status)) {
		o->exit_code = -1;
		o->signal = WTERMSIG(ch->status);
	}
}

/* The directory part of an absolute path. */
static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash && slash != path ? (size_t)(slash - path) : 1;

	if (len >= size)
		len = size - 1;
	memcpy(dir, path, len);
	dir[len] = '\0';
}

int run_test(struct port *p, const struct plan_test *t, char *const envp[],
	     struct test_outcome *o, char *err, size_t errlen)
{
	struct child ch = { .name = t->name, .pidfd = -1, .out = -1 };
	struct relay r = { .port = p };
	char dir[DAXTEST_LINE_MAX];
	int pipefd[2], ret = -1;
	long start;

	memset(o, 0, sizeof(*o));
	o->exit_code = -1;
	snprintf(r.head, sizeof(r.head), "out %u ", t->index);
	dir_of(t->path, dir, sizeof(dir));
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	start = mono_ms();
	ch.pid = fork();
	if (ch.pid == 0)
		test_child(t, dir, envp, pipefd[1]);
	close(pipefd[1]);
	ch.out = pipefd[0];
	if (ch.pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	ch.pidfd = syscall(SYS_pidfd_open, ch.pid, 0);
	o->started = true;
	ret = child_watch(&ch, &r, start + t->timeout_s * 1000L, o, err, errlen);
	fill_outcome(&ch, start, o);
out:
	/* The agent gives up on this test: leave nothing of it running. */
	if (ch.pid > 0 && !ch.exited)
		kill_group(ch.pid);
	if (ch.out >= 0)
		close(ch.out);
	if (ch.pidfd >= 0)
		close(ch.pidfd);
	return ret;
}
