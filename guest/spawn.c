// SPDX-License-Identifier: GPL-2.0
/*
 * spawn.c - run a helper program and capture its output
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"
#include "util.h"

struct capture {
	int fd;
	char *buf;
	size_t len, cap;
};

static _Noreturn void spawn_child(char *const argv[], char *const envp[], int out, int err)
{
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
	    dup2(err, STDERR_FILENO) < 0)
		_exit(126);
	execvpe(argv[0], argv, envp);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Reads what the pipe has. 1 while it is open, 0 at end of file, -1 on
 * error. Bytes beyond SPAWN_CAPTURE_MAX are read and dropped. */
static int capture_read(struct capture *c)
{
	char chunk[4096];
	ssize_t n;

	n = read(c->fd, chunk, sizeof(chunk));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : -1;
	if (n == 0)
		return 0;
	if (c->len + n + 1 > c->cap && c->cap < SPAWN_CAPTURE_MAX + 1) {
		size_t cap = c->cap ? 2 * c->cap : 8192;
		char *buf;

		if (cap > SPAWN_CAPTURE_MAX + 1)
			cap = SPAWN_CAPTURE_MAX + 1;
		buf = realloc(c->buf, cap);
		if (!buf)
			return -1;
		c->buf = buf;
		c->cap = cap;
	}
	if ((size_t)n > c->cap - 1 - c->len)
		n = c->cap - 1 - c->len;
	memcpy(c->buf + c->len, chunk, n);
	c->len += n;
	c->buf[c->len] = '\0';
	return 1;
}

/* Collects both streams until both are closed or the deadline passes. 0,
 * 1 on timeout, -1 on error. */
static int capture_both(struct capture c[2], long deadline)
{
	while (c[0].fd >= 0 || c[1].fd >= 0) {
		struct pollfd pfd[2];
		long left = deadline - mono_ms();
		int i, n;

		if (left <= 0)
			return 1;
		for (i = 0; i < 2; i++)
			pfd[i] = (struct pollfd){ .fd = c[i].fd, .events = POLLIN };
		n = poll(pfd, 2, left > 1000 ? 1000 : (int)left);
		if (n < 0 && errno != EINTR)
			return -1;
		for (i = 0; n > 0 && i < 2; i++) {
			int ret;

			if (c[i].fd < 0 || !pfd[i].revents)
				continue;
			ret = capture_read(&c[i]);
			if (ret < 0)
				return -1;
			if (ret == 0) {
				close(c[i].fd);
				c[i].fd = -1;
			}
		}
	}
	return 0;
}

/* Reaps the child; kills it when it is still running at the deadline.
 * 0, or -1 and errno. */
static int wait_child(pid_t pid, long deadline, struct spawn_result *r)
{
	pid_t got;

	for (;;) {
		got = waitpid(pid, &r->status, r->timed_out ? 0 : WNOHANG);
		if (got == pid)
			return 0;
		if (got < 0 && errno != EINTR)
			return -1;
		if (got == 0 && mono_ms() >= deadline) {
			kill(pid, SIGKILL);
			r->timed_out = true;
		} else if (got == 0) {
			sleep_ms(10);
		}
	}
}

static void close_pipe(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

int spawn_capture(char *const argv[], char *const envp[], long timeout_ms,
		  struct spawn_result *r)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 };
	struct capture c[2] = { { .fd = -1 }, { .fd = -1 } };
	int ret = -1, saved, got;
	long deadline;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		goto fail;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0)
		spawn_child(argv, envp, out[1], err[1]);
	close(out[1]);
	close(err[1]);
	out[1] = err[1] = -1;
	c[0].fd = out[0];
	c[1].fd = err[0];
	out[0] = err[0] = -1;
	deadline = mono_ms() + timeout_ms;
	got = capture_both(c, deadline);
	if (got != 0)
		kill(pid, SIGKILL);
	r->timed_out = got == 1;
	if (wait_child(pid, deadline, r) < 0)
		goto fail;
	ret = got < 0 ? -1 : 0;
	goto out;
fail:
	saved = errno;
	close_pipe(out);
	close_pipe(err);
	errno = saved;
out:
	if (c[0].fd >= 0)
		close(c[0].fd);
	if (c[1].fd >= 0)
		close(c[1].fd);
	r->out = c[0].buf;
	r->out_len = c[0].len;
	r->err = c[1].buf;
	r->err_len = c[1].len;
	return ret;
}

bool spawn_ok(const struct spawn_result *r)
{
	return !r->timed_out && WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

/* The first non-empty line of s, at most size - 1 bytes of it. */
static void first_line(const char *s, char *buf, size_t size)
{
	size_t len;

	buf[0] = '\0';
	if (!s)
		return;
	s += strspn(s, "\n");
	len = strcspn(s, "\n");
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

void spawn_describe(const struct spawn_result *r, char *buf, size_t size)
{
	char line[512];

	first_line(r->err_len ? r->err : r->out, line, sizeof(line));
	if (r->timed_out)
		snprintf(buf, size, "timed out%s%s", *line ? ": " : "", line);
	else if (WIFSIGNALED(r->status))
		snprintf(buf, size, "signal %d%s%s", WTERMSIG(r->status), *line ? ": " : "", line);
	else
		snprintf(buf, size, "exit %d%s%s", WEXITSTATUS(r->status), *line ? ": " : "", line);
}

void spawn_result_free(struct spawn_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
	r->out_len = r->err_len = 0;
}
