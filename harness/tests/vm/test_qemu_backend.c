// SPDX-License-Identifier: GPL-2.0
/*
 * test_qemu_backend.c - the QEMU backend against a fake QEMU: a shell
 * script that reads the plan from the result port's FIFO, writes to the
 * console FIFO and ends the way a test asks (exit, die by a signal,
 * fall silent). Each test runs under alarm(): a backend that blocks is
 * a failure, not a hung make unit.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "vm/backend.h"
#include "tests/unit_tempdir.h"

/* The fake QEMU: finds the pipes' base paths among its arguments, reads
 * FAKE_PLAN_BYTES of plan, says so on the console, then does FAKE_END. */
static const char fake_qemu[] =
	"#!/bin/sh\n"
	"for a; do\n"
	"  case $a in\n"
	"  pipe,id=console,path=*) console=${a#*path=} ;;\n"
	"  pipe,id=results,path=*) results=${a#*path=} ;;\n"
	"  esac\n"
	"done\n"
	"head -c \"$FAKE_PLAN_BYTES\" < \"$results.in\" > \"$FAKE_DIR/plan.got\"\n"
	"echo \"plan read\" > \"$console.out\"\n"
	"case $FAKE_END in\n"
	"exit0) exit 0 ;;\n"
	"fail) echo 'qemu-system-x86_64: -device nvdimm: no luck' >&2; exit 1 ;;\n"
	"sigkill) kill -KILL $$ ;;\n"
	"silent) echo $$ > \"$FAKE_DIR/pid\"; exec sleep 60 ;;\n"
	"esac\n";

struct fixture {
	char *dir, *script, *console_log, *qemu_log, *work;
	unsigned int watchdog_s;
	unsigned int console_lines;
	size_t plan_len;
	volatile sig_atomic_t interrupted;
};

static void on_alarm(int sig)
{
	/* Only async-signal-safe calls: the backend is stuck somewhere. */
	static const char msg[] = "test_qemu_backend: the backend blocked (alarm)\n";

	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(2);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	void *dir;

	assert_non_null(f);
	assert_int_equal(make_temp_dir(&dir), 0);
	f->dir = dir;
	f->script = path_join(f->dir, "fake-qemu");
	f->console_log = path_join(f->dir, "console.log");
	f->qemu_log = path_join(f->dir, "qemu.log");
	f->work = path_join(f->dir, "work");
	assert_int_equal(write_file_atomic(f->script, fake_qemu, strlen(fake_qemu), 0755), 0);
	assert_int_equal(mkdir(f->work, 0700), 0);
	f->watchdog_s = 30;
	setenv("FAKE_DIR", f->dir, 1);
	signal(SIGALRM, on_alarm);
	alarm(60);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	void *dir = f->dir;

	alarm(0);
	remove_temp_dir(&dir);
	free(f->script);
	free(f->console_log);
	free(f->qemu_log);
	free(f->work);
	free(f);
	return 0;
}

static unsigned int watchdog(void *arg)
{
	return ((struct fixture *)arg)->watchdog_s;
}

static void on_event(const struct agent_event *ev, void *arg)
{
}

static void on_line(const char *line, void *arg)
{
	struct fixture *f = arg;

	if (!strcmp(line, "plan read"))
		f->console_lines++;
}

/* A plan of n tests with long names: n = 9000 is about 1.7 MiB, more
 * than the FIFO holds. */
static struct agent_plan_test *make_tests(size_t n)
{
	struct agent_plan_test *t = calloc(n, sizeof(*t));
	static char name[160];
	size_t i;

	assert_non_null(t);
	memset(name, 'x', sizeof(name) - 1);
	memcpy(name, "area/", 5);
	memcpy(name + sizeof(name) - 9, "@map=mem", 8);
	for (i = 0; i < n; i++) {
		t[i].name = name;
		t[i].path = "/daxtest/tests/area/program";
		t[i].cell = "map=mem";
		t[i].timeout_s = 10;
	}
	return t;
}

static void run_fake(struct fixture *f, size_t nr_tests, const char *end,
		     struct session_result *r)
{
	struct agent_plan_test *tests = make_tests(nr_tests);
	struct agent_plan plan = { .tests = tests, .nr_tests = nr_tests };
	struct qemu_config q = { .qemu = f->script, .accel = ACCEL_TCG, .cpus = 1,
				 .mem_mb = 256, .kernel = "/nonexistent/bzImage",
				 .initrd = "/nonexistent/initrd",
				 .append = "console=ttyS0" };
	struct session_opts o = {
		.qemu = &q, .work_dir = f->work, .console_log = f->console_log,
		.qemu_log = f->qemu_log, .plan = &plan, .watchdog_s = watchdog,
		.on_event = on_event, .on_console_line = on_line, .arg = f,
		.interrupted = &f->interrupted,
	};
	char *text = NULL, bytes[32];
	size_t len = 0;

	assert_int_equal(agent_plan_text(&plan, &text, &len), 0);
	f->plan_len = len;
	snprintf(bytes, sizeof(bytes), "%zu", len);
	setenv("FAKE_PLAN_BYTES", bytes, 1);
	setenv("FAKE_END", end, 1);
	qemu_backend.run(&o, r);
	free(text);
	free(tests);
}

static off_t plan_got(const struct fixture *f)
{
	char *path = path_join(f->dir, "plan.got");
	struct stat st;
	off_t size = stat(path, &st) == 0 ? st.st_size : -1;

	free(path);
	return size;
}

/* The plan used to be written whole into the FIFO before QEMU existed:
 * a plan bigger than the FIFO blocked daxtest for ever. */
static void test_big_plan_sent_from_the_loop(void **state)
{
	struct fixture *f = *state;
	struct session_result r;

	run_fake(f, 9000, "exit0", &r);
	assert_true(f->plan_len > (3 << 19));
	assert_int_equal(r.end, GUEST_EXITED);
	assert_int_equal(r.exit_status, 0);
	assert_int_equal(plan_got(f), (off_t)f->plan_len);
	assert_int_equal(f->console_lines, 1);
	session_result_free(&r);
}

static void test_exit_status_and_error_line(void **state)
{
	struct fixture *f = *state;
	struct session_result r;

	run_fake(f, 3, "fail", &r);
	assert_int_equal(r.end, GUEST_EXITED);
	assert_int_equal(r.exit_status, 1);
	assert_non_null(r.error);
	assert_string_equal(r.error, "qemu-system-x86_64: -device nvdimm: no luck");
	session_result_free(&r);
}

/* A signal daxtest did not send: the host's doing, named as such. */
static void test_killed_from_outside(void **state)
{
	struct fixture *f = *state;
	struct session_result r;

	run_fake(f, 3, "sigkill", &r);
	assert_int_equal(r.end, GUEST_KILLED);
	assert_int_equal(r.signal, SIGKILL);
	session_result_free(&r);
}

/* daxtest's own SIGKILL after the watchdog is not "killed from outside",
 * and QEMU is gone when the call returns. */
static void test_watchdog_is_not_blamed_on_qemu(void **state)
{
	struct fixture *f = *state;
	struct session_result r;
	char *pidfile = path_join(f->dir, "pid"), *text = NULL;
	pid_t pid;

	f->watchdog_s = 1;
	run_fake(f, 3, "silent", &r);
	assert_int_equal(r.end, GUEST_WATCHDOG);
	assert_null(r.error);
	assert_int_equal(read_file(pidfile, &text, NULL), 0);
	pid = (pid_t)atoi(text);
	assert_true(pid > 0);
	assert_int_equal(kill(pid, 0), -1);
	free(text);
	free(pidfile);
	session_result_free(&r);
}

static void test_interrupt_ends_the_session(void **state)
{
	struct fixture *f = *state;
	struct session_result r;

	f->interrupted = 1;
	run_fake(f, 3, "silent", &r);
	assert_int_equal(r.end, GUEST_INTERRUPTED);
	session_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_big_plan_sent_from_the_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_status_and_error_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_killed_from_outside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_is_not_blamed_on_qemu, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_ends_the_session, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
