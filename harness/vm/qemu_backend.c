// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_backend.c - run one QEMU guest and pump its two output streams
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/spawn.h"
#include "lib/strv.h"
#include "vm/backend.h"
#include "vm/persist_start.h"
#include "vm/qmp.h"
#include "vm/qemu_backend.h"
#include "vm/session_io.h"
#include "vm/vm_migrate.h"

/* The plan goes out as QEMU reads it; a bigger pipe just means fewer
 * wake-ups. */
#define PLAN_PIPE_SIZE (1 << 20)
/* Saving a snapshot writes a few hundred KiB of device state. */
#define SNAPSHOT_SAVE_TIMEOUT_MS 60000

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

static char *last_line_of(const char *path)
{
	char *text = NULL, *line = NULL;

	if (read_file(path, &text, NULL) == 0 && *text)
		line = strdup(proc_tail(text, 1));
	free(text);
	return line ? str_rstrip(line) : NULL;
}

/* Whether QEMU exited, waiting a moment: a QEMU that dies closes its
 * QMP socket just before its pidfd turns readable. */
static bool exited_soon(int pidfd)
{
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

	return poll(&pfd, 1, 200) > 0;
}

/* QEMU could not be started as asked (err says why): r says so, with
 * the last line of QEMU's log when QEMU exited (a plugin that did not
 * load, a state it could not load). Returns -1. */
static int start_failed(const struct session_opts *o, int pidfd, struct session_result *r,
			enum guest_end end, const char *what, const char *err)
{
	char *qemu_said = NULL;

	if (*o->interrupted) {
		session_result_set(r, GUEST_INTERRUPTED, NULL);
		return -1;
	}
	if (exited_soon(pidfd))
		qemu_said = last_line_of(o->qemu_log);
	session_result_set(r, end, "%s%s%s%s", what, err, qemu_said ? "; QEMU: " : "",
			   qemu_said ? qemu_said : "");
	free(qemu_said);
	return -1;
}

/*
 * Under the persistence plugin QEMU starts paused (-S) until the
 * plugin's regions file says where the NVDIMMs are (vm/persist_start.h).
 * 0, or -1 with r set (QEMU stays paused; the caller stops it).
 */
static int start_persistence(const struct session_opts *o, int pidfd,
			     struct session_result *r)
{
	char err[512];

	if (persist_start(o->qemu, pidfd, mono_ms() + PERSIST_START_TIMEOUT_MS, err,
			  sizeof(err)) == 0)
		return 0;
	return start_failed(o, pidfd, r, GUEST_IO_ERROR, "persistence plugin: ", err);
}

/*
 * A restored guest: QEMU waits (-incoming defer) for its device state;
 * under the persistence plugin the regions file is written before the
 * guest runs, as for a boot. 0, or -1 with r set (GUEST_NOT_RESTORED
 * when QEMU refused the snapshot: the caller boots instead).
 */
static int start_restored(const struct session_opts *o, int pidfd, struct session_result *r)
{
	long deadline = mono_ms() + PERSIST_START_TIMEOUT_MS;
	char err[512];
	struct qmp *qmp;

	qmp = vm_restore_begin(o->qemu->qmp_socket, o->restore_state, pidfd, deadline, err,
			       sizeof(err));
	if (!qmp)
		return start_failed(o, pidfd, r, GUEST_NOT_RESTORED, "", err);
	/* Not resumed without its regions: the caller stops QEMU. */
	if (o->qemu->plugin &&
	    persist_regions_send(qmp, o->qemu, deadline, err, sizeof(err)) < 0) {
		qmp_close(qmp);
		return start_failed(o, pidfd, r, GUEST_IO_ERROR, "persistence plugin: ", err);
	}
	if (vm_restore_finish(qmp, deadline, err, sizeof(err)) < 0) {
		session_result_set(r, GUEST_NOT_RESTORED, "%s", err);
		return -1;
	}
	return 0;
}

/* The guest is where its snapshot is taken (the agent said so): its
 * device state goes to o->save_state, and QEMU quits. 0, or -1 with r
 * set. */
static int save_snapshot(const struct session_opts *o, int pidfd, struct session_result *r)
{
	char err[512];

	if (vm_snapshot_save(o->qemu->qmp_socket, o->save_state, pidfd,
			     mono_ms() + SNAPSHOT_SAVE_TIMEOUT_MS, err, sizeof(err)) < 0) {
		session_result_set(r, GUEST_IO_ERROR, "snapshot: %s", err);
		return -1;
	}
	r->saved = true;
	return 0;
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
static int pump_until_exit(const struct session_opts *o, struct session_io *io,
			   struct pipes *p, struct plan_out *plan, int pidfd,
			   struct session_result *r)
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
		if (o->save_state && !r->saved && o->save_now(o->arg) &&
		    save_snapshot(o, pidfd, r) < 0)
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

/* Waits for QEMU (after a SIGKILL to its process group when stop): its
 * end (exited or killed) into r unless daxtest already said why it
 * stopped it, its peak RSS into r->max_rss_kb. */
static void reap(struct proc_child *qemu, bool stop, struct session_result *r)
{
	struct proc_exit e;

	if ((stop ? proc_stop(qemu, &e) : proc_reap(qemu, &e)) < 0) {
		session_result_set(r, GUEST_IO_ERROR, "wait4: %s", strerror(errno));
		return;
	}
	r->max_rss_kb = e.max_rss_kb;
	if (r->end != GUEST_NOT_STARTED)
		return;
	if (e.signal) {
		r->end = GUEST_KILLED;
		r->signal = e.signal;
	} else {
		r->end = GUEST_EXITED;
		r->exit_status = e.code;
	}
}

static void qemu_backend_run(const struct session_opts *o, struct session_result *r)
{
	struct session_io io = { .console_log = -1 };
	struct plan_out plan = { 0 };
	struct proc_child qemu = PROC_CHILD_INIT;
	struct proc_spec spec = { .log_path = o->qemu_log };
	struct pipes p;
	struct strv argv = { 0 };
	char *qmp = NULL, *cmdline = NULL;
	int err;

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
		log_error("invalid guest description (paths must not contain ','; the "
			  "persistence plugin needs TCG and a crash image per NVDIMM)");
		goto out;
	}
	cmdline = strv_join(&argv);
	log_debug("qemu: %s", cmdline ? cmdline : "?");
	err = o->plan ? agent_plan_text(o->plan, &plan.text, &plan.len) : 0;
	if (err < 0) {
		log_error("cannot write the test plan for the guest: %s", strerror(-err));
		goto out;
	}
	if (session_io_open(&io, o) < 0)
		goto out;
	/* Its own process group, and SIGKILLed by the kernel if daxtest
	 * dies: QEMU never outlives this lane's thread. */
	spec.argv = (const char *const *)argv.v;
	if (proc_start(&spec, &qemu) < 0) {
		log_error("cannot start %s: %s", argv.v[0], strerror(errno));
		goto out;
	}
	if (qemu.pidfd < 0) {
		session_result_set(r, GUEST_IO_ERROR, "pidfd_open: %s", strerror(errno));
		goto out;
	}
	if (o->restore_state) {
		if (start_restored(o, qemu.pidfd, r) < 0)
			goto out;
	} else if (o->qemu->plugin && start_persistence(o, qemu.pidfd, r) < 0) {
		goto out;
	}
	if (pump_until_exit(o, &io, &p, &plan, qemu.pidfd, r) < 0)
		goto out;
	reap(&qemu, false, r);
	/* What the guest wrote before QEMU exited is still in the FIFOs. */
	drain(p.console_out, &io, true);
	drain(p.result_out, &io, false);
	session_io_finish(&io);
	if (r->end == GUEST_EXITED && r->exit_status != 0)
		r->error = last_line_of(o->qemu_log);
out:
	if (qemu.pid > 0)
		reap(&qemu, true, r);
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
