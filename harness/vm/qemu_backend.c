// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_backend.c - run one QEMU guest and pump its two output streams
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "vm/backend.h"
#include "vm/qemu_backend.h"
#include "lib/host_tools.h"
#include "lib/log.h"
#include "lib/spawn.h"
#include "vm/session_io.h"
#include "lib/strv.h"

/* The plan goes out as QEMU reads it; a bigger pipe just means fewer
 * wake-ups. */
#define PLAN_PIPE_SIZE (1 << 20)

struct pipes {
	char *console_base, *result_base;
	int console_out, console_in, result_out, result_in;
};

/* The test plan, sent from the event loop as the pipe takes it. */
struct plan_out {
	char *text;
	size_t len, sent;
};

static int make_fifo(const char *base, const char *suffix, int flags)
{
	char *path = str_printf("%s%s", base, suffix);
	int fd = -1;

	if (!path)
		return -1;
	if (mkfifo(path, 0600) == 0 || errno == EEXIST)
		fd = open(path, flags | O_CLOEXEC);
	free(path);
	return fd;
}

/* QEMU's "pipe" chardev uses <base>.in and <base>.out. We hold every
 * FIFO open read-write, so neither side ever blocks in open() and QEMU
 * exiting shows up on the pidfd, not as EOF. */
static int pipes_open(struct pipes *p, const char *work_dir)
{
	memset(p, 0, sizeof(*p));
	p->console_out = p->console_in = p->result_out = p->result_in = -1;
	p->console_base = path_join(work_dir, "console");
	p->result_base = path_join(work_dir, "results");
	if (!p->console_base || !p->result_base)
		return -1;
	p->console_in = make_fifo(p->console_base, ".in", O_RDWR);
	p->console_out = make_fifo(p->console_base, ".out", O_RDWR | O_NONBLOCK);
	p->result_in = make_fifo(p->result_base, ".in", O_RDWR | O_NONBLOCK);
	p->result_out = make_fifo(p->result_base, ".out", O_RDWR | O_NONBLOCK);
	if (p->console_in < 0 || p->console_out < 0 || p->result_in < 0 ||
	    p->result_out < 0) {
		log_error("cannot create the guest's FIFOs in %s: %s", work_dir, strerror(errno));
		return -1;
	}
	if (fcntl(p->result_in, F_SETPIPE_SZ, PLAN_PIPE_SIZE) < 0)
		log_debug("cannot grow the plan FIFO: %s", strerror(errno));
	return 0;
}

static void unlink_fifo(const char *base, const char *suffix)
{
	char *path = base ? str_printf("%s%s", base, suffix) : NULL;

	if (path)
		unlink(path);
	free(path);
}

static void pipes_close(struct pipes *p)
{
	int *fds[] = { &p->console_in, &p->console_out, &p->result_in, &p->result_out };
	size_t i;

	for (i = 0; i < 4; i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	unlink_fifo(p->console_base, ".in");
	unlink_fifo(p->console_base, ".out");
	unlink_fifo(p->result_base, ".in");
	unlink_fifo(p->result_base, ".out");
	free(p->console_base);
	free(p->result_base);
}

static pid_t spawn_qemu(const struct strv *argv, const char *qemu_log)
{
	char *path = host_tool_find(argv->v[0]);
	int log_fd, null_fd;
	pid_t pid;

	if (!path) {
		log_error("cannot run %s: not found in PATH, /usr/local/sbin, /usr/sbin or /sbin",
			  argv->v[0]);
		return -1;
	}
	log_fd = open(qemu_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (log_fd < 0 || null_fd < 0) {
		log_error("cannot open %s: %s", qemu_log, strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid == 0) {
		/* Its own process group: a terminal's Ctrl-C reaches daxtest,
		 * which then stops QEMU itself. */
		setpgid(0, 0);
		dup2(null_fd, STDIN_FILENO);
		dup2(log_fd, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
		execv(path, argv->v);
		dprintf(STDERR_FILENO, "cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(path);
	close(log_fd);
	close(null_fd);
	return pid;
fail:
	free(path);
	if (log_fd >= 0)
		close(log_fd);
	if (null_fd >= 0)
		close(null_fd);
	return -1;
}

/* Reads what is there into the console (console true) or the result
 * stream; returns bytes read (0 when nothing). */
static ssize_t drain(int fd, struct session_io *io, bool console)
{
	char buf[16384];
	ssize_t n, total = 0;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		total += n;
		if (console)
			session_io_console(io, buf, n);
		else
			session_io_result(io, buf, n);
	}
	return total;
}

static int pidfd_open_compat(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

static char *last_line_of(const char *path)
{
	char *text = NULL, *line = NULL;

	if (read_file(path, &text, NULL) == 0 && *text)
		line = strdup(proc_tail(text, 1));
	free(text);
	return line ? str_rstrip(line) : NULL;
}

/* Writes what the plan FIFO takes now. 0, or -1 with r set. */
static int send_plan(struct plan_out *plan, int fd, struct session_result *r)
{
	while (plan->sent < plan->len) {
		ssize_t n = write(fd, plan->text + plan->sent, plan->len - plan->sent);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0) {
			session_result_set(r, GUEST_IO_ERROR, "cannot send the test plan: %s",
					   strerror(errno));
			return -1;
		}
		plan->sent += (size_t)n;
	}
	return 0;
}

/* Returns when QEMU exited (0), or when it must be stopped (-1, r->end
 * says why: the watchdog, a power cut, an interrupt or an I/O error of
 * daxtest's own). */
static int pump_until_exit(struct session_io *io, struct pipes *p, struct plan_out *plan,
			   int pidfd, struct session_result *r)
{
	for (;;) {
		struct pollfd pfd[4] = {
			{ .fd = p->console_out, .events = POLLIN },
			{ .fd = p->result_out, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
			{ .fd = p->result_in, .events = POLLOUT },
		};
		nfds_t nfds = plan->sent < plan->len ? 4 : 3;
		int wait_ms, n;

		if (session_io_check(io, r, &wait_ms))
			return -1;
		if (send_plan(plan, p->result_in, r) < 0)
			return -1;
		n = poll(pfd, nfds, wait_ms);
		if (n < 0 && errno != EINTR) {
			session_result_set(r, GUEST_IO_ERROR, "poll: %s", strerror(errno));
			return -1;
		}
		if (n <= 0)
			continue;
		drain(p->console_out, io, true);
		drain(p->result_out, io, false);
		if (pfd[2].revents)
			return 0;
	}
}

/* Waits for QEMU; its end (exited or killed) into r unless daxtest
 * already said why it stopped it, its peak RSS into r->max_rss_kb. */
static void reap(pid_t pid, struct session_result *r)
{
	struct rusage ru;
	int status;

	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			session_result_set(r, GUEST_IO_ERROR, "wait4: %s", strerror(errno));
			return;
		}
	}
	r->max_rss_kb = ru.ru_maxrss;
	if (r->end != GUEST_NOT_STARTED)
		return;
	if (WIFEXITED(status)) {
		r->end = GUEST_EXITED;
		r->exit_status = WEXITSTATUS(status);
	} else {
		r->end = GUEST_KILLED;
		r->signal = WTERMSIG(status);
	}
}

static void qemu_backend_run(const struct session_opts *o, struct session_result *r)
{
	struct session_io io = { .console_log = -1 };
	struct plan_out plan = { 0 };
	struct pipes p;
	struct strv argv = { 0 };
	char *qmp = NULL, *cmdline = NULL;
	pid_t pid = -1;
	int pidfd = -1, err;

	memset(r, 0, sizeof(*r));
	r->end = GUEST_NOT_STARTED;
	if (pipes_open(&p, o->work_dir) < 0)
		goto out;
	qmp = path_join(o->work_dir, "qmp.sock");
	if (!qmp)
		goto out;
	o->qemu->console_pipe = p.console_base;
	o->qemu->result_pipe = p.result_base;
	o->qemu->qmp_socket = qmp;
	if (qemu_cmd_build(o->qemu, &argv) < 0) {
		log_error("invalid guest description (paths must not contain ',')");
		goto out;
	}
	cmdline = strv_join(&argv);
	log_debug("qemu: %s", cmdline ? cmdline : "?");
	err = agent_plan_text(o->plan, &plan.text, &plan.len);
	if (err < 0) {
		log_error("cannot write the test plan for the guest: %s", strerror(-err));
		goto out;
	}
	if (session_io_open(&io, o) < 0)
		goto out;
	pid = spawn_qemu(&argv, o->qemu_log);
	if (pid < 0)
		goto out;
	pidfd = pidfd_open_compat(pid);
	if (pidfd < 0) {
		session_result_set(r, GUEST_IO_ERROR, "pidfd_open: %s", strerror(errno));
		goto out;
	}
	if (pump_until_exit(&io, &p, &plan, pidfd, r) < 0)
		goto out;
	reap(pid, r);
	pid = -1;
	/* What the guest wrote before QEMU exited is still in the FIFOs. */
	drain(p.console_out, &io, true);
	drain(p.result_out, &io, false);
	session_io_finish(&io);
	if (r->end == GUEST_EXITED && r->exit_status != 0)
		r->error = last_line_of(o->qemu_log);
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		reap(pid, r);
	}
	if (pidfd >= 0)
		close(pidfd);
	session_io_close(&io);
	pipes_close(&p);
	if (qmp)
		unlink(qmp);
	o->qemu->console_pipe = o->qemu->result_pipe = o->qemu->qmp_socket = NULL;
	free(plan.text);
	free(qmp);
	free(cmdline);
	strv_free(&argv);
}

const struct guest_backend qemu_backend = {
	.name = "qemu",
	.run = qemu_backend_run,
};
