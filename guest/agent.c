// SPDX-License-Identifier: GPL-2.0
/*
 * agent.c - the daxtest guest agent: PID 1 of the test guest
 *
 * Mounts the basic filesystems, opens the result port, loads the nvdimm
 * modules, prepares the pmem namespaces, loads virtio_pmem unbound, says
 * "prepared" (where the host may snapshot the guest), reads the host's
 * plan, makes a guest restored from that snapshot fresh again
 * (restore.c), binds virtio_pmem (virtio_pmem.h), runs each
 * test and reports over the port (proto/agent_proto.h), then powers the
 * guest off. PID 1 must never exit: every way out ends in power_off().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "envv.h"
#include "nodax_disk.h"
#include "virtio_pmem.h"
#include "kmsg.h"
#include "modules.h"
#include "mounts.h"
#include "namespaces.h"
#include "plan.h"
#include "port.h"
#include "leftovers.h"
#include "proto/agent_proto.h"
#include "proto/persist_meta.h"
#include "restore.h"
#include "run_test.h"
#include "suite_root.h"
#include "console_shell.h"
#include "util.h"

#define PORT_WAIT_MS	5000
#define PLAN_WAIT_MS	60000
/* How long killed leftover processes may take to die. */
#define LEFTOVER_WAIT_MS	1000
/* Lets QEMU pass the last records on before the power goes. */
#define BYE_SETTLE_MS	100

struct agent {
	struct port port;
	struct plan plan;
	struct pmem_devs pmem;
	char virtio_pmem[64];		/* "/dev/pmemZ" on virtio-pmem, or "" */
	struct virtio_pmem_pci vpci;	/* its PCI config from before a snapshot */
	struct envv base_env;		/* helpers: modprobe, ndctl */
	struct envv test_env;
	struct utsname uts;
	long hello_ms;			/* mono_ms() when the latest hello was sent */
	bool shell;			/* daxtest.shell: no port, no plan */
};

static _Noreturn void power_off(void)
{
	reboot(RB_POWER_OFF);
	con_printf("power off failed (%s), rebooting", strerror(errno));
	/* QEMU runs with -no-reboot: a reboot ends it as well. */
	reboot(RB_AUTOBOOT);
	con_printf("reboot failed (%s); halting here", strerror(errno));
	for (;;)
		pause();
}

/* Reports why the agent cannot go on and powers off. No sync(): a test
 * stuck in the kernel could hang it, and nothing in the guest is worth
 * keeping. */
static _Noreturn __attribute__((format(printf, 2, 3)))
void fatal(struct agent *a, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		snprintf(msg, sizeof(msg), "unknown error");
	con_printf("fatal: %s", msg);
	if (a->port.fd >= 0 && !a->port.broken &&
	    port_text(&a->port, "error ", msg, strlen(msg)) == 0)
		sleep_ms(BYE_SETTLE_MS);
	power_off();
}

/* After devtmpfs hides the initramfs's /dev: stdin, stdout and stderr on
 * the console again. */
static void console_reopen(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0)
		con_printf("cannot reopen /dev/console: %s", strerror(errno));
	if (fd > STDERR_FILENO)
		close(fd);
}

static void send_or_die(struct agent *a, int ret)
{
	if (ret < 0)
		fatal(a, "the result port failed");
}

/* hello, first after boot and again after a restore (extra: " restored=1"). */
static void send_hello(struct agent *a, const char *extra)
{
	a->hello_ms = mono_ms();
	send_or_die(a, port_send(&a->port, "hello %d uptime_ms=%ld release=%s%s",
				 DAXTEST_PROTO_VERSION, boot_ms(), a->uts.release, extra));
}

static void agent_setup(struct agent *a)
{
	char err[512];

	if (mounts_early(err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	console_reopen();
	/* /proc/cmdline is readable from here on. */
	a->shell = shell_requested();
	if (setenv("PATH", AGENT_PATH, 1) < 0)
		fatal(a, "setenv: %s", strerror(errno));
	if (!a->shell && port_open(&a->port, PORT_WAIT_MS, err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	if (uname(&a->uts) < 0)
		fatal(a, "uname: %s", strerror(errno));
	if (!a->shell)
		send_hello(a, "");
	if (mounts_rest(err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	if (kmsg_unlimit() < 0)
		port_log(&a->port, "cannot turn off /dev/kmsg rate limiting: %s",
			 strerror(errno));
}

static void read_plan(struct agent *a)
{
	long deadline = mono_ms() + PLAN_WAIT_MS;
	char line[DAXTEST_LINE_MAX], err[256];
	int ret = 0;

	while (ret == 0) {
		if (port_read_line(&a->port, line, sizeof(line), deadline, err, sizeof(err)) < 0)
			fatal(a, "reading the plan: %s", err);
		ret = plan_parse_line(&a->plan, line, err, sizeof(err));
		if (ret < 0)
			fatal(a, "bad plan: %s", err);
	}
}

/* What helpers (modprobe, ndctl) and tests start from. */
static void build_base_env(struct agent *a)
{
	if (envv_set(&a->base_env, "PATH=" AGENT_PATH) < 0 ||
	    envv_set(&a->base_env, "HOME=/root") < 0 ||
	    envv_set(&a->base_env, "TERM=dumb") < 0)
		fatal(a, "out of memory");
}

/* The base, then the plan's env entries, then the pmem devices: a later
 * entry replaces an earlier one with the same key. */
static void build_test_env(struct agent *a)
{
	char nodax[64];
	int ret = 0;
	size_t i;

	for (i = 0; i < a->base_env.n; i++)
		ret |= envv_set(&a->test_env, a->base_env.v[i]);
	for (i = 0; i < a->plan.nr_env; i++)
		ret |= envv_set(&a->test_env, a->plan.env[i]);
	ret |= envv_setf(&a->test_env, "DAXTEST_PMEM=%s", a->pmem.mem);
	if (a->pmem.devmap[0])
		ret |= envv_setf(&a->test_env, "DAXTEST_PMEM_DEVMAP=%s", a->pmem.devmap);
	if (a->virtio_pmem[0])
		ret |= envv_setf(&a->test_env, "DAXTEST_VIRTIO_PMEM=%s", a->virtio_pmem);
	if (nodax_disk_find(nodax, sizeof(nodax)))
		ret |= envv_setf(&a->test_env, "DAXTEST_NODAX=%s", nodax);
	if (ret)
		fatal(a, "out of memory");
}

/* The plan says the guest was restored from the snapshot taken at
 * "prepared": the host never saw the first hello, and the guest has the
 * snapshot's clock, random state and, when the NVDIMM backing files
 * changed, the snapshot's view of them. */
static void agent_restore(struct agent *a)
{
	const struct plan_restored *r = &a->plan.restored;
	char err[1024];

	send_hello(a, " restored=1");
	if (restore_apply(&a->port, a->base_env.v, r, &a->vpci, err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	if (!r->files_changed)
		return;
	/* The re-probed regions have new namespace devices: find them. */
	if (namespaces_prepare(&a->port, a->base_env.v, &a->pmem, err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	port_log(&a->port, "restored: namespaces found again, %ld ms since the restored hello",
		 mono_ms() - a->hello_ms);
}

static void agent_prepare(struct agent *a)
{
	char err[1024];

	build_base_env(a);
	if (modules_load(&a->port, a->base_env.v, err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	if (namespaces_prepare(&a->port, a->base_env.v, &a->pmem, err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	if (virtio_pmem_load(a->base_env.v, &a->vpci, err, sizeof(err)) < 0)
		fatal(a, "%s", err);
	if (!a->shell) {
		send_or_die(a, port_send(&a->port, "prepared %ld", mono_ms() - a->hello_ms));
		read_plan(a);
		if (a->plan.restored.set)
			agent_restore(a);
	}
	/* After the snapshot's point: a restored virtio-pmem's PCI config
	 * must be written back first (virtio_pmem.h). */
	if (virtio_pmem_prepare(&a->vpci, a->virtio_pmem, sizeof(a->virtio_pmem), err,
				sizeof(err)) < 0)
		fatal(a, "%s", err);
	build_test_env(a);
	if (!a->shell)
		send_or_die(a, port_send(&a->port, "ready %ld", mono_ms() - a->hello_ms));
}

struct test_ctx {
	struct agent *a;
	const struct plan_test *t;
	char head[32];			/* "dmesg <index> " */
};

static void swept(const char *target, int error, void *arg)
{
	struct test_ctx *c = arg;

	if (error)
		port_log(&c->a->port, "cannot unmount %s, left mounted by %s: %s", target,
			 c->t->name, strerror(error));
	else
		port_log(&c->a->port, "unmounted %s, left mounted by %s", target, c->t->name);
}

static void killed(int pid, const char *comm, char state, void *arg)
{
	struct test_ctx *c = arg;

	port_log(&c->a->port, "killed process %d (%s), left running by %s", pid, comm,
		 c->t->name);
}

/* A process that survived SIGKILL: a line in the test's own output, so
 * its log and KTAP diagnostics say why the guest was given up. */
static void stuck(int pid, const char *comm, char state, void *arg)
{
	struct test_ctx *c = arg;
	char line[200], head[32];
	int n;

	n = snprintf(line, sizeof(line),
		     "# daxtest-agent: process %d (%s) survived SIGKILL in state %c: stuck in the kernel",
		     pid, comm, state);
	snprintf(head, sizeof(head), "out %u ", c->t->index);
	port_text(&c->a->port, head, line, n < 0 ? 0 : (size_t)n);
}

static int dmesg_line(const char *line, size_t len, void *arg)
{
	struct test_ctx *c = arg;

	return port_text(&c->a->port, c->head, line, len);
}

/* Sends what the kernel logged while the test ran. */
static void send_dmesg(struct test_ctx *c, struct kmsg_reader *k)
{
	int lost;

	if (k->fd < 0)
		return;
	snprintf(c->head, sizeof(c->head), "dmesg %u ", c->t->index);
	lost = kmsg_read_new(k, dmesg_line, c);
	if (lost < 0)
		port_log(&c->a->port, "reading /dev/kmsg after %s failed: %s", c->t->name,
			 strerror(errno));
	else if (lost)
		port_log(&c->a->port, "the kernel log wrapped while %s ran: records lost",
			 c->t->name);
}

static int send_end(struct agent *a, const struct plan_test *t, const struct test_outcome *o)
{
	const char *timeout = o->timed_out ? " timeout" : "";

	if (o->exit_code >= 0)
		return port_send(&a->port, "end %u exit=%d ms=%ld%s", t->index, o->exit_code,
				 o->ms, timeout);
	return port_send(&a->port, "end %u signal=%d ms=%ld%s", t->index, o->signal, o->ms,
			 timeout);
}

/* Reaps the processes that were reparented to the agent, waiting up to
 * wait_ms for those still dying. */
static void reap_orphans(long wait_ms)
{
	long deadline = mono_ms() + wait_ms;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, NULL, WNOHANG);
		if (pid > 0)
			continue;
		if (pid < 0 && errno != EINTR)
			return;		/* ECHILD: none left */
		if (mono_ms() >= deadline)
			return;
		sleep_ms(10);
	}
}

/* "daxtest: begin <name>" in the kernel log: the console shows it. */
static void mark(struct agent *a, const char *what, const struct plan_test *t)
{
	if (kmsg_mark("%s %s", what, t->name) < 0)
		port_log(&a->port, "cannot write to /dev/kmsg: %s", strerror(errno));
}

/* The test's matrix cell (tests/matrix): $DAXTEST_PMEM is the namespace
 * of that cell, $DAXTEST_CELL names it; $DAXTEST_PHASE is its power-fail
 * phase, if any. */
static void set_cell_env(struct agent *a, const struct plan_test *t)
{
	const char *dev = NULL;
	int ret;

	if (!strcmp(t->cell, "map=mem"))
		dev = a->pmem.mem;
	else if (!strcmp(t->cell, "map=dev"))
		dev = a->pmem.devmap;
	if (!dev)
		fatal(a, "test %s: unknown matrix cell '%s'", t->name, t->cell);
	if (!dev[0])
		fatal(a, "test %s: cell %s needs a second NVDIMM region, the guest has one",
		      t->name, t->cell);
	ret = envv_setf(&a->test_env, "DAXTEST_PMEM=%s", dev);
	ret |= envv_setf(&a->test_env, "DAXTEST_CELL=%s", t->cell);
	ret |= envv_setf(&a->test_env, "DAXTEST_PHASE=%s", t->phase ? t->phase : "");
	if (ret)
		fatal(a, "out of memory");
}

static void run_one(struct agent *a, const struct plan_test *t)
{
	struct test_ctx c = { .a = a, .t = t };
	struct kmsg_reader k = { .fd = -1 };
	struct test_outcome o;
	char err[1024], head[32];
	int ret, leftovers, stuck_nr = 0;

	mark(a, "begin", t);
	if (kmsg_open_at_end(&k) < 0)
		port_log(&a->port, "cannot read /dev/kmsg: %s", strerror(errno));
	snprintf(head, sizeof(head), "begin %u ", t->index);
	send_or_die(a, port_text(&a->port, head, t->name, strlen(t->name)));
	set_cell_env(a, t);
	/*
	 * A power-fail case's prepare phase starts daxtest's persistence
	 * model, when QEMU runs it (a NOP otherwise): from here on, what
	 * the CPU does not write back is lost at the cut. A verify phase
	 * before it in the same guest runs without the model's cost.
	 */
	if (t->phase && !strcmp(t->phase, "prepare"))
		__asm__ __volatile__(PERSIST_ARM_ASM ::: "memory");
	ret = run_test(&a->port, t, a->test_env.v, &o, err, sizeof(err));
	if (!o.started)
		fatal(a, "%s", err);
	reap_orphans(0);
	leftovers = procs_kill_leftovers(killed, &c);
	if (leftovers < 0)
		port_log(&a->port, "cannot read /proc: %s", strerror(errno));
	else if (leftovers) {
		reap_orphans(LEFTOVER_WAIT_MS);
		stuck_nr = procs_list(stuck, &c);
	}
	if (mounts_sweep("/tmp/", swept, &c) < 0)
		port_log(&a->port, "cannot read /proc/self/mounts: %s", strerror(errno));
	send_dmesg(&c, &k);
	kmsg_close(&k);
	send_or_die(a, send_end(a, t, &o));
	mark(a, "end", t);
	if (ret < 0)
		fatal(a, "%s", err);
	if (stuck_nr > 0)
		fatal(a, "%s left %d process(es) stuck in the kernel after SIGKILL: this guest cannot run more tests",
		      t->name, stuck_nr);
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	struct agent a;
	size_t i;

	if (!strcmp(self, "daxtest-suite"))
		return suite_root_main(argc, argv);
	if (getpid() != 1) {
		fprintf(stderr, "daxtest-agent: runs only as the guest's /init (PID 1)\n");
		return 2;
	}
	memset(&a, 0, sizeof(a));
	port_init(&a.port);
	plan_init(&a.plan);
	agent_setup(&a);
	agent_prepare(&a);
	if (a.shell) {
		shell_run(a.test_env.v);
		sync();
		power_off();
	}
	for (i = 0; i < a.plan.nr_tests; i++)
		run_one(&a, &a.plan.tests[i]);
	send_or_die(&a, port_send(&a.port, "bye"));
	sleep_ms(BYE_SETTLE_MS);
	sync();
	power_off();
}
