// SPDX-License-Identifier: GPL-2.0
/*
 * spawn.c - start host programs, pump their output to a log or a buffer,
 * stop them on a timeout, an error or the user's interrupt
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/host_tools.h"
#include "lib/interrupt.h"
#include "lib/spawn.h"

/* After SIGTERM on an interrupt: time to clean up (make deletes the
 * half-written target, a nested daxtest stops its guests), then SIGKILL. */
#define STOP_GRACE_MS	5000

/* Everything the child needs, made before the fork: between fork and
 * exec a child of a threaded process may only make async-signal-safe
 * calls (no malloc, no stdio, no strerror). */
struct launch {
	const struct proc_spec *spec;
	char *path;		/* argv[0] found; NULL: not found */
	const char *package;	/* that would install it, or NULL */
	char **envp;		/* environ with spec->env; the strings are not ours */
	pid_t parent;
	int in_fd, out_fd;	/* -1: the child keeps ours */
};

/* Writes the strings (up to a NULL) to stderr: no stdio in the child. */
static void child_say(const char *const *parts)
{
	for (; *parts; parts++)
		if (write(STDERR_FILENO, *parts, strlen(*parts)) < 0)
			return;
}

/* strerror() is not async-signal-safe; strerrordesc_np() (glibc 2.32) is. */
static const char *child_strerror(int err)
{
	const char *desc = strerrordesc_np(err);

	return desc ? desc : "unknown error";
}

/* Gives the child from as its fd to (from < 0: leaves to as it is). */
static int child_fd(int from, int to)
{
	if (from < 0)
		return 0;
	if (from == to)		/* ours are O_CLOEXEC */
		return fcntl(to, F_SETFD, 0);
	return dup2(from, to) < 0 ? -1 : 0;
}

static void child_signals(const struct proc_spec *spec)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (spec->foreground) {
		sigemptyset(&dfl.sa_mask);
		sigaction(SIGINT, &dfl, NULL);
		sigaction(SIGQUIT, &dfl, NULL);
	}
}

static void __attribute__((noreturn)) child_exec(const struct launch *l)
{
	const struct proc_spec *spec = l->spec;

	if (!spec->foreground)
		setpgid(0, 0);
	/* Dies with the thread that forked; if that is already gone, the
	 * death signal will never come: give up. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != l->parent)
		_exit(127);
	child_signals(spec);
	if (child_fd(l->in_fd, STDIN_FILENO) < 0 || child_fd(l->out_fd, STDOUT_FILENO) < 0 ||
	    child_fd(l->out_fd, STDERR_FILENO) < 0)
		_exit(127);
	if (spec->cwd && chdir(spec->cwd) < 0) {
		child_say((const char *const[]){ "cannot chdir to ", spec->cwd, ": ",
						 child_strerror(errno), "\n", NULL });
		_exit(127);
	}
	if (!l->path) {
		child_say((const char *const[]){ "cannot run ", spec->argv[0],
			": not found in PATH, /usr/local/sbin, /usr/sbin or /sbin", NULL });
		if (l->package)
			child_say((const char *const[]){ " (Debian package ", l->package, ")",
							 NULL });
		child_say((const char *const[]){ "\n", NULL });
		_exit(127);
	}
	execve(l->path, (char *const *)spec->argv, l->envp);
	child_say((const char *const[]){ "cannot run ", l->path, ": ", child_strerror(errno),
					 "\n", NULL });
	_exit(127);
}

/* The one fork of the host runner. */
static int launch(const struct launch *l, struct proc_child *c)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		child_exec(l);
	/* The child does it too; here as well, so that a kill of the group
	 * right after this returns cannot miss it. EACCES once it exec'd. */
	if (!l->spec->foreground)
		setpgid(pid, pid);
	c->pid = pid;
	c->pgid = l->spec->foreground ? 0 : pid;
	c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	return 0;
}

/* Whether entry ("KEY=value") is one of extra's keys. */
static bool env_replaced(const char *entry, const char *const *extra)
{
	size_t len = strcspn(entry, "=");

	for (; extra && *extra; extra++)
		if (!strncmp(*extra, entry, len) && (*extra)[len] == '=')
			return true;
	return false;
}

static char **merge_env(const char *const *extra)
{
	size_t n = 0, i = 0, j;
	char **envp;

	for (j = 0; environ && environ[j]; j++)
		n++;
	for (j = 0; extra && extra[j]; j++)
		n++;
	envp = malloc((n + 1) * sizeof(*envp));
	if (!envp)
		return NULL;
	for (j = 0; environ && environ[j]; j++)
		if (!env_replaced(environ[j], extra))
			envp[i++] = environ[j];
	for (j = 0; extra && extra[j]; j++)
		envp[i++] = (char *)extra[j];
	envp[i] = NULL;
	return envp;
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

static void launch_free(struct launch *l)
{
	int err = errno;

	if (l->in_fd >= 0)
		close(l->in_fd);
	free(l->path);
	free(l->envp);
	errno = err;
}

/* Looks argv[0] up (it allocates: before the fork), builds the
 * environment and opens stdin. Output is the caller's to set. */
static int launch_prepare(const struct proc_spec *spec, struct launch *l)
{
	memset(l, 0, sizeof(*l));
	l->spec = spec;
	l->in_fd = l->out_fd = -1;
	l->parent = getpid();
	if (!spec->argv || !spec->argv[0] ||
	    (spec->foreground && (spec->log_path || spec->capture || spec->input))) {
		errno = EINVAL;
		return -1;
	}
	l->path = host_tool_find(spec->argv[0]);
	if (!l->path)
		l->package = host_tool_package(spec->argv[0]);
	l->envp = merge_env(spec->env);
	if (!l->envp)
		goto fail;
	if (!spec->foreground) {
		l->in_fd = open_input(spec);
		if (l->in_fd < 0)
			goto fail;
	}
	return 0;
fail:
	launch_free(l);
	return -1;
}

static int open_log(const char *path)
{
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

int proc_start(const struct proc_spec *spec, struct proc_child *c)
{
	struct launch l;
	int ret = -1;

	*c = (struct proc_child)PROC_CHILD_INIT;
	if (spec->capture || spec->timeout_s) {
		errno = EINVAL;
		return -1;
	}
	if (launch_prepare(spec, &l) < 0)
		return -1;
	if (spec->log_path && !spec->inherit_output) {
		l.out_fd = open_log(spec->log_path);
		if (l.out_fd < 0)
			goto out;
	}
	ret = launch(&l, c);
out:
	if (l.out_fd >= 0) {
		int err = errno;

		close(l.out_fd);
		errno = err;
	}
	launch_free(&l);
	return ret;
}

static void signal_child(const struct proc_child *c, int sig)
{
	/* Not reaped yet, so neither id can have been reused. */
	kill(c->pgid > 0 ? -c->pgid : c->pid, sig);
}

/* Whether the child exited (it stays a zombie, not reaped) within ms. */
static bool child_exited(const struct proc_child *c, int ms)
{
	long end = mono_ms() + ms;
	siginfo_t si;

	if (c->pidfd >= 0) {
		struct pollfd pfd = { .fd = c->pidfd, .events = POLLIN };

		return poll(&pfd, 1, ms) > 0;
	}
	for (;;) {
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, c->pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0 && errno != EINTR)
			return true;	/* ECHILD: nothing to wait for */
		if (si.si_pid)
			return true;
		if (mono_ms() >= end)
			return false;
		poll(NULL, 0, 10);
	}
}

int proc_reap(struct proc_child *c, struct proc_exit *e)
{
	struct proc_exit ignored;
	struct rusage ru;
	int status, err;
	pid_t r;

	if (c->pid <= 0) {
		errno = ECHILD;
		return -1;
	}
	while ((r = wait4(c->pid, &status, 0, &ru)) < 0 && errno == EINTR)
		;
	err = errno;
	if (c->pidfd >= 0)
		close(c->pidfd);
	*c = (struct proc_child)PROC_CHILD_INIT;
	if (r < 0) {
		errno = err;
		return -1;
	}
	if (!e)
		e = &ignored;
	e->max_rss_kb = ru.ru_maxrss;
	e->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	e->code = e->signal ? 128 + e->signal : WEXITSTATUS(status);
	return e->code;
}

int proc_stop(struct proc_child *c, struct proc_exit *e)
{
	if (c->pid <= 0) {
		errno = ECHILD;
		return -1;
	}
	signal_child(c, SIGKILL);
	return proc_reap(c, e);
}

struct output {
	int fd;		/* the pipe from the child; -1: none, or at EOF */
	int log_fd;
	size_t cap;	/* of *spec->capture */
	bool discard;	/* the output could not be kept: read and drop it */
};

static int append_capture(const struct proc_spec *spec, size_t *cap,
			  const char *buf, size_t n)
{
	char *p;

	if (!spec->capture)
		return 0;
	if (*spec->capture_len + n + 1 > *cap) {
		size_t ncap = (*cap ? *cap * 2 : 4096) + n;

		p = realloc(*spec->capture, ncap);
		if (!p) {
			errno = ENOMEM;
			return -1;
		}
		*spec->capture = p;
		*cap = ncap;
	}
	memcpy(*spec->capture + *spec->capture_len, buf, n);
	*spec->capture_len += n;
	(*spec->capture)[*spec->capture_len] = '\0';
	return 0;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!w)
				errno = EIO;
			return -1;
		}
		buf += w;
		n -= w;
	}
	return 0;
}

/* Waits up to ms for output and copies what came to the log and the
 * capture; closes o->fd at EOF. -1 (errno set) when that failed. */
static int pump_once(const struct proc_spec *spec, struct output *o, int ms)
{
	struct pollfd pfd = { .fd = o->fd, .events = POLLIN };
	char buf[8192];
	ssize_t n;

	n = poll(&pfd, 1, ms);
	if (n <= 0)
		return n < 0 && errno != EINTR ? -1 : 0;
	n = read(o->fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (n == 0) {
		close(o->fd);
		o->fd = -1;
		return 0;
	}
	if (o->discard)
		return 0;
	if (o->log_fd >= 0 && write_all(o->log_fd, buf, n) < 0)
		return -1;
	return append_capture(spec, &o->cap, buf, n);
}

enum watch { WATCH_EXITED, WATCH_TIMEOUT, WATCH_INTERRUPTED, WATCH_FAILED };

/*
 * Until the output ended and the child exited, the deadline (0: none)
 * passed, the user interrupted (when interruptible) or the output could
 * not be kept. Never blocks longer than INTERRUPT_POLL_MS without
 * looking at the interrupt flag.
 */
static enum watch watch_child(const struct proc_spec *spec, struct proc_child *c,
			      struct output *o, long deadline, bool interruptible)
{
	for (;;) {
		int wait_ms = INTERRUPT_POLL_MS;

		if (interruptible && interrupt_pending())
			return WATCH_INTERRUPTED;
		if (deadline) {
			long left = deadline - mono_ms();

			if (left <= 0)
				return WATCH_TIMEOUT;
			if (left < wait_ms)
				wait_ms = (int)left;
		}
		if (o->fd >= 0) {
			if (pump_once(spec, o, wait_ms) < 0)
				return WATCH_FAILED;
		} else if (child_exited(c, wait_ms)) {
			return WATCH_EXITED;
		}
	}
}

static void close_output(struct output *o)
{
	int err = errno;

	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	errno = err;
}

/*
 * SIGTERM, then SIGKILL for whatever of the group is left after the
 * grace time. Meanwhile its output is still read and logged: a child
 * that says what it cleans up ("Deleting file") must not die of SIGPIPE
 * before it did.
 */
static void stop_gently(const struct proc_spec *spec, struct proc_child *c,
			struct output *o)
{
	signal_child(c, SIGTERM);
	watch_child(spec, c, o, mono_ms() + STOP_GRACE_MS, false);
	close_output(o);
	proc_stop(c, NULL);
}

static int finish(const struct proc_spec *spec, struct proc_child *c, struct output *o,
		  enum watch w)
{
	int err = errno;

	switch (w) {
	case WATCH_EXITED:
		return proc_reap(c, NULL);
	case WATCH_TIMEOUT:
		close_output(o);
		return proc_stop(c, NULL);
	case WATCH_INTERRUPTED:
		stop_gently(spec, c, o);
		errno = EINTR;
		return PROC_INTERRUPTED;
	case WATCH_FAILED:
	default:
		/* Stopped as after an interrupt (make deletes the target it
		 * was writing), its output read and dropped meanwhile. */
		o->discard = true;
		stop_gently(spec, c, o);
		errno = err;
		return -1;
	}
}

int proc_run(const struct proc_spec *spec)
{
	struct output o = { .fd = -1, .log_fd = -1 };
	struct proc_child c = PROC_CHILD_INIT;
	int pipefd[2] = { -1, -1 }, ret = -1, err;
	struct launch l;
	long deadline;

	if (spec->capture) {
		*spec->capture = NULL;
		*spec->capture_len = 0;
	}
	if (!spec->ignore_interrupt && interrupt_pending()) {
		errno = EINTR;
		return PROC_INTERRUPTED;
	}
	if (launch_prepare(spec, &l) < 0)
		return -1;
	if (!spec->inherit_output && !spec->foreground) {
		if (spec->log_path && (o.log_fd = open_log(spec->log_path)) < 0)
			goto out;
		if (pipe2(pipefd, O_CLOEXEC) < 0)
			goto out;
		l.out_fd = pipefd[1];
	}
	if (launch(&l, &c) < 0)
		goto out;
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	o.fd = pipefd[0];
	pipefd[0] = pipefd[1] = -1;
	deadline = spec->timeout_s ? mono_ms() + spec->timeout_s * 1000L : 0;
	ret = finish(spec, &c, &o, watch_child(spec, &c, &o, deadline, !spec->ignore_interrupt));
out:
	err = errno;
	close_output(&o);
	if (pipefd[0] >= 0)
		close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (o.log_fd >= 0)
		close(o.log_fd);
	launch_free(&l);
	errno = err;
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
