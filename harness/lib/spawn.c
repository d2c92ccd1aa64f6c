// SPDX-License-Identifier: GPL-2.0
/*
 * spawn.c - run host commands with fork+exec, capture or log their output
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

#include "lib/clock.h"
#include "lib/host_tools.h"
#include "lib/spawn.h"

/* path: argv[0] found by host_tool_find(), NULL when it was not. */
static void child_exec(const struct proc_spec *spec, const char *path, int in_fd,
		       int out_fd)
{
	const char *const *e;

	if (spec->cwd && chdir(spec->cwd) < 0) {
		dprintf(out_fd, "cannot chdir to %s: %s\n", spec->cwd, strerror(errno));
		_exit(127);
	}
	for (e = spec->env; e && *e; e++)
		putenv((char *)*e);
	dup2(in_fd, STDIN_FILENO);
	if (out_fd >= 0) {
		dup2(out_fd, STDOUT_FILENO);
		dup2(out_fd, STDERR_FILENO);
	}
	if (!path) {
		const char *package = host_tool_package(spec->argv[0]);

		dprintf(STDERR_FILENO, "cannot run %s: not found in PATH, /usr/local/sbin, "
			"/usr/sbin or /sbin%s%s%s\n", spec->argv[0],
			package ? " (Debian package " : "", package ? package : "",
			package ? ")" : "");
		_exit(127);
	}
	execv(path, (char *const *)spec->argv);
	dprintf(STDERR_FILENO, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

static int append_capture(const struct proc_spec *spec, size_t *cap,
			  const char *buf, size_t n)
{
	char *p;

	if (!spec->capture)
		return 0;
	if (*spec->capture_len + n + 1 > *cap) {
		size_t ncap = (*cap ? *cap * 2 : 4096) + n;

		p = realloc(*spec->capture, ncap);
		if (!p)
			return -1;
		*spec->capture = p;
		*cap = ncap;
	}
	memcpy(*spec->capture + *spec->capture_len, buf, n);
	*spec->capture_len += n;
	(*spec->capture)[*spec->capture_len] = '\0';
	return 0;
}

/* Copies the child's output to the log and capture until EOF or timeout. */
static int pump_output(const struct proc_spec *spec, int fd, int log_fd, pid_t pid)
{
	long deadline = spec->timeout_s ? mono_ms() + spec->timeout_s * 1000L : 0;
	size_t cap = 0;
	char buf[8192];

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int wait_ms = -1;
		ssize_t n;

		if (deadline) {
			wait_ms = (int)(deadline - mono_ms());
			if (wait_ms <= 0) {
				kill(pid, SIGKILL);
				return 1;
			}
		}
		if (poll(&pfd, 1, wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!pfd.revents)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (log_fd >= 0 && write(log_fd, buf, n) != n)
			return -1;
		if (append_capture(spec, &cap, buf, n) < 0)
			return -1;
	}
}

static int wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int open_input(const struct proc_spec *spec)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];
	size_t len;
	int fd;

	if (!spec->input)
		return open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/daxtest-input.XXXXXX", dir) >= sizeof(tmpl))
		return -1;
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd < 0)
		return -1;
	unlink(tmpl);
	len = strlen(spec->input);
	if (write(fd, spec->input, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* A child that writes to our own stdout and stderr. */
static int run_inheriting(const struct proc_spec *spec, const char *path, int in_fd)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		child_exec(spec, path, in_fd, -1);
	return wait_status(pid);
}

int proc_run(const struct proc_spec *spec)
{
	int pipefd[2] = { -1, -1 }, in_fd, log_fd = -1, ret = -1, pumped;
	char *path;
	pid_t pid;

	if (spec->capture) {
		*spec->capture = NULL;
		*spec->capture_len = 0;
	}
	/* Before fork: the lookup allocates, and lanes are threads. */
	path = host_tool_find(spec->argv[0]);
	in_fd = open_input(spec);
	if (in_fd < 0) {
		free(path);
		return -1;
	}
	if (spec->inherit_output) {
		ret = run_inheriting(spec, path, in_fd);
		goto out_in;
	}
	if (spec->log_path) {
		log_fd = open(spec->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (log_fd < 0)
			goto out_in;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		goto out_log;
	pid = fork();
	if (pid < 0)
		goto out_pipe;
	if (pid == 0)
		child_exec(spec, path, in_fd, pipefd[1]);
	close(pipefd[1]);
	pipefd[1] = -1;
	pumped = pump_output(spec, pipefd[0], log_fd, pid);
	ret = wait_status(pid);
	if (pumped < 0)
		ret = -1;
out_pipe:
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
out_log:
	if (log_fd >= 0)
		close(log_fd);
out_in:
	close(in_fd);
	free(path);
	return ret;
}

int proc_capture(const char *const *argv, const char *cwd, char **out)
{
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .cwd = cwd, .capture = out, .capture_len = &len,
	};

	return proc_run(&spec);
}

const char *proc_tail(const char *text, unsigned int n)
{
	const char *p;

	if (!text || !*text)
		return "";
	p = text + strlen(text);
	if (p > text && p[-1] == '\n')
		p--;
	while (p > text) {
		if (p[-1] == '\n' && --n == 0)
			break;
		p--;
	}
	return p;
}
