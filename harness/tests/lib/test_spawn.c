// SPDX-License-Identifier: GPL-2.0
/*
 * test_spawn.c - children never outlive daxtest nor hang it: a log that
 * cannot be written, a timeout or the user's interrupt kills the child's
 * whole process group, and a SIGKILLed daxtest takes its children along
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/interrupt.h"
#include "lib/spawn.h"
#include "tests/unit_tempdir.h"

/* Longer than any of these tests may take: past it, proc_run hung. */
#define HANG_MS	5000

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* A process that exists and is not a zombie waiting for its reaper. */
static bool alive(pid_t pid)
{
	char path[64], *stat = NULL, *paren;
	bool ret = false;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_file(path, &stat, NULL) == 0) {
		paren = strrchr(stat, ')');
		ret = paren && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
	}
	free(stat);
	return ret;
}

static bool gone_within(pid_t pid, long ms)
{
	long end = mono_ms() + ms;

	while (alive(pid)) {
		if (mono_ms() > end)
			return false;
		sleep_ms(20);
	}
	return true;
}

/* Kills what a failed test left behind (only when still there). */
static void kill_leftover(pid_t pid)
{
	if (pid > 0 && alive(pid))
		kill(pid, SIGKILL);
}

struct timed_run {
	const struct proc_spec *spec;
	int ret, err;
	long ms;
};

static void *run_thread(void *arg)
{
	struct timed_run *t = arg;
	long t0 = mono_ms();

	t->ret = proc_run(t->spec);
	t->err = errno;
	t->ms = mono_ms() - t0;
	return NULL;
}

/*
 * proc_run(spec) in a thread; false when it has not returned within
 * limit_ms (the thread is then left blocked, and *t leaked for it).
 */
static bool run_within_ms(const struct proc_spec *spec, long limit_ms, struct timed_run *out)
{
	struct timed_run *t = calloc(1, sizeof(*t));
	struct timespec deadline;
	pthread_t tid;

	assert_non_null(t);
	t->spec = spec;
	assert_int_equal(pthread_create(&tid, NULL, run_thread, t), 0);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += limit_ms / 1000;
	deadline.tv_nsec += (limit_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(tid, NULL, &deadline) != 0) {
		pthread_detach(tid);
		return false;
	}
	*out = *t;
	free(t);
	return true;
}

static bool run_within(const struct proc_spec *spec, struct timed_run *out)
{
	return run_within_ms(spec, HANG_MS, out);
}

/* Sets the interrupt flag after delay_ms: by a real signal to the
 * process (the handler of interrupt_install()), or by interrupt_raise(). */
struct raiser {
	pthread_t tid;
	long delay_ms;
	bool signal;
};

static void *raise_thread(void *arg)
{
	struct raiser *r = arg;

	sleep_ms(r->delay_ms);
	if (r->signal)
		kill(getpid(), SIGTERM);
	else
		interrupt_raise(SIGINT);
	return NULL;
}

static void raise_later(struct raiser *r, long delay_ms, bool by_signal)
{
	r->delay_ms = delay_ms;
	r->signal = by_signal;
	assert_int_equal(pthread_create(&r->tid, NULL, raise_thread, r), 0);
}

static int clear_interrupt(void **state)
{
	interrupt_clear();
	return 0;
}

/* A log on a full disk: the child, still writing, is killed and proc_run
 * fails at once, instead of waiting for a child blocked on a full pipe. */
static void log_write_failure_kills_the_child(void **state)
{
	const char *argv[] = { "yes", NULL };
	struct proc_spec spec = { .argv = argv, .log_path = "/dev/full" };
	struct timed_run t;

	if (!run_within(&spec, &t))
		fail_msg("proc_run hung after the log write failed");
	assert_int_equal(t.ret, -1);
	assert_int_equal(t.err, ENOSPC);
}

/* The same with output captured too, and a shell loop for a child. */
static void log_write_failure_with_capture(void **state)
{
	const char *argv[] = { "sh", "-c", "while :; do echo x; done", NULL };
	char *out = NULL;
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .log_path = "/dev/full", .capture = &out, .capture_len = &len,
	};
	struct timed_run t;

	if (!run_within(&spec, &t))
		fail_msg("proc_run hung after the log write failed");
	assert_int_equal(t.ret, -1);
	free(out);
}

/* After a failed log write the child is stopped as after an interrupt:
 * SIGTERM first, so that make can delete the target it was writing (a
 * SIGKILL left half-written objects in the cached build directory). */
static void log_write_failure_stops_gently(void **state)
{
	char dir[] = "/tmp/daxtest-unit-XXXXXX", *mark, *script;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	struct proc_spec spec = { .argv = argv, .log_path = "/dev/full" };
	struct timed_run t;

	assert_non_null(mkdtemp(dir));
	mark = path_join(dir, "cleaned-up");
	script = str_printf("trap 'touch %s; exit 1' TERM; while :; do echo x; done", mark);
	argv[2] = script;
	if (!run_within(&spec, &t))
		fail_msg("proc_run hung after the log write failed");
	assert_int_equal(t.ret, -1);
	assert_true(path_is_file(mark));
	remove_tree(dir);
	free(mark);
	free(script);
}

/* A timeout kills what the command started too (make's compilers), not
 * only the command. */
static void timeout_kills_the_whole_group(void **state)
{
	const char *argv[] = { "sh", "-c", "sleep 60 & echo $!; wait", NULL };
	char *out = NULL;
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .capture = &out, .capture_len = &len, .timeout_s = 1,
	};
	struct timed_run t;
	pid_t bg;
	bool gone;

	if (!run_within(&spec, &t))
		fail_msg("proc_run hung past its timeout");
	assert_int_equal(t.ret, 128 + SIGKILL);
	assert_non_null(out);
	bg = (pid_t)atoi(out);
	free(out);
	assert_true(bg > 0);
	gone = gone_within(bg, 2000);
	kill_leftover(bg);
	assert_true(gone);
}

/*
 * A helper process (daxtest) starts "sleep 60" and reports the sleep's
 * pid through a pipe; SIGKILLing the helper must take the sleep along
 * (PR_SET_PDEATHSIG), even though it is in another process group.
 * With proc_run (make), or with proc_start (QEMU).
 */
static void helper_dies(bool start)
{
	const char *argv[] = { "sh", "-c", "echo $$; exec sleep 60", NULL };
	int fds[2];
	char buf[32] = "";
	ssize_t n;
	pid_t helper, sleeper;
	int status;
	bool gone;

	assert_int_equal(pipe(fds), 0);
	helper = fork();
	assert_true(helper >= 0);
	if (helper == 0) {
		struct proc_spec spec = { .argv = argv, .inherit_output = 1 };
		struct proc_child c;

		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		if (!start)
			proc_run(&spec);
		else if (proc_start(&spec, &c) == 0)
			pause();
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(n > 0);
	sleeper = (pid_t)atoi(buf);
	assert_true(sleeper > 0);
	assert_true(alive(sleeper));
	assert_int_equal(kill(helper, SIGKILL), 0);
	assert_int_equal(waitpid(helper, &status, 0), helper);
	gone = gone_within(sleeper, 2000);
	kill_leftover(sleeper);
	assert_true(gone);
}

static void child_dies_with_killed_parent(void **state)
{
	helper_dies(false);
}

static void started_child_dies_with_killed_parent(void **state)
{
	helper_dies(true);
}

/* SIGTERM 200 ms into a long command (output piped): PROC_INTERRUPTED
 * within a second, not when the command ends. */
static void interrupt_stops_proc_run(void **state)
{
	const char *argv[] = { "sleep", "30", NULL };
	struct proc_spec spec = { .argv = argv, .log_path = "/dev/null" };
	struct raiser r;
	struct timed_run t;

	interrupt_install();
	raise_later(&r, 200, true);
	if (!run_within(&spec, &t))
		fail_msg("proc_run ignored the interrupt");
	pthread_join(r.tid, NULL);
	assert_int_equal(t.ret, PROC_INTERRUPTED);
	assert_true(t.ms < 1500);
	assert_true(interrupt_pending());
}

/* The same for a child that writes to our stdout and stderr. */
static void interrupt_stops_inheriting_child(void **state)
{
	const char *argv[] = { "sleep", "30", NULL };
	struct proc_spec spec = { .argv = argv, .inherit_output = 1 };
	struct raiser r;
	struct timed_run t;

	raise_later(&r, 200, false);
	if (!run_within(&spec, &t))
		fail_msg("proc_run ignored the interrupt");
	pthread_join(r.tid, NULL);
	assert_int_equal(t.ret, PROC_INTERRUPTED);
	assert_true(t.ms < 1500);
}

/* After an interrupt, the next command of the caller does not start. */
static void interrupted_command_does_not_start(void **state)
{
	char *marker = path_join(*state, "ran");
	const char *argv[] = { "touch", marker, NULL };
	struct proc_spec spec = { .argv = argv };

	interrupt_raise(SIGINT);
	assert_int_equal(proc_run(&spec), PROC_INTERRUPTED);
	assert_false(path_is_file(marker));
	free(marker);
}

/* Extra environment replaces what we have, and adds to it. */
static void env_replaces_and_adds(void **state)
{
	const char *argv[] = { "sh", "-c", "echo \"$DAXTEST_T1/$DAXTEST_T2\"; env | grep -c ^DAXTEST_T1=",
			       NULL };
	const char *env[] = { "DAXTEST_T1=new", "DAXTEST_T2=added", NULL };
	char *out = NULL;
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .env = env, .capture = &out, .capture_len = &len,
	};

	setenv("DAXTEST_T1", "old", 1);
	assert_int_equal(proc_run(&spec), 0);
	assert_string_equal(out, "new/added\n1\n");
	assert_string_equal(getenv("DAXTEST_T1"), "old");
	free(out);
	unsetenv("DAXTEST_T1");
}

/* A program that is not there: 127 and why, in the output. */
static void missing_program_says_why(void **state)
{
	const char *argv[] = { "daxtest-no-such-program", NULL };
	char *out = NULL;
	size_t len;
	struct proc_spec spec = { .argv = argv, .capture = &out, .capture_len = &len };

	assert_int_equal(proc_run(&spec), 127);
	assert_non_null(strstr(out, "cannot run daxtest-no-such-program: not found"));
	free(out);
}

/* cwd, input and the exit status. */
static void cwd_input_and_status(void **state)
{
	const char *argv[] = { "sh", "-c", "pwd; cat; exit 3", NULL };
	char *out = NULL, *want = str_printf("%s\nhello\n", (char *)*state);
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .cwd = *state, .input = "hello\n", .capture = &out,
		.capture_len = &len,
	};

	assert_int_equal(proc_run(&spec), 3);
	assert_string_equal(out, want);
	free(out);
	free(want);
}

/* Cleanup after an interrupt (git bisect reset) still runs. */
static void ignore_interrupt_runs_to_the_end(void **state)
{
	const char *argv[] = { "sh", "-c", "sleep 0.3; echo done", NULL };
	char *out = NULL;
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .capture = &out, .capture_len = &len, .ignore_interrupt = 1,
	};

	interrupt_raise(SIGINT);
	assert_int_equal(proc_run(&spec), 0);
	assert_string_equal(out, "done\n");
	free(out);
}

/* On an interrupt the group gets SIGTERM first (make deletes the target
 * it was writing), then SIGKILL; what it says meanwhile is logged. */
static void interrupt_terminates_gently(void **state)
{
	char *marker = path_join(*state, "terminated"), *log = path_join(*state, "term.log");
	char *script = str_printf("trap 'echo cleaning up; touch %s; exit 5' TERM; "
				  "while :; do sleep 0.05; done", marker);
	const char *argv[] = { "sh", "-c", script, NULL };
	struct proc_spec spec = { .argv = argv, .log_path = log };
	struct raiser r;
	struct timed_run t;
	char *text = NULL;

	raise_later(&r, 300, false);
	if (!run_within(&spec, &t))
		fail_msg("proc_run ignored the interrupt");
	pthread_join(r.tid, NULL);
	assert_int_equal(t.ret, PROC_INTERRUPTED);
	assert_true(path_is_file(marker));
	assert_int_equal(read_file(log, &text, NULL), 0);
	assert_non_null(strstr(text, "cleaning up\n"));
	free(text);
	free(marker);
	free(log);
	free(script);
}

/* A child that ignores SIGTERM is killed after the grace time. */
static void interrupt_kills_what_ignores_sigterm(void **state)
{
	const char *argv[] = { "sh", "-c", "trap '' TERM; exec sleep 30", NULL };
	struct proc_spec spec = { .argv = argv, .inherit_output = 1 };
	struct raiser r;
	struct timed_run t;

	raise_later(&r, 200, false);
	if (!run_within_ms(&spec, 10000, &t))
		fail_msg("proc_run hung on a child that ignores SIGTERM");
	pthread_join(r.tid, NULL);
	assert_int_equal(t.ret, PROC_INTERRUPTED);
}

static bool readable_within(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms) > 0;
}

/* proc_start: its own group, a pidfd to poll; proc_stop kills it. */
static void start_and_stop(void **state)
{
	const char *argv[] = { "sleep", "60", NULL };
	struct proc_spec spec = { .argv = argv, .log_path = "/dev/null" };
	struct proc_child c = PROC_CHILD_INIT;
	struct proc_exit e;
	pid_t pid;

	assert_int_equal(proc_stop(&c, NULL), -1);
	assert_int_equal(proc_start(&spec, &c), 0);
	pid = c.pid;
	assert_true(pid > 0);
	assert_int_equal(c.pgid, pid);
	assert_int_equal(getpgid(pid), pid);
	assert_true(c.pidfd >= 0);
	assert_false(readable_within(c.pidfd, 100));
	assert_int_equal(proc_stop(&c, &e), 128 + SIGKILL);
	assert_int_equal(e.signal, SIGKILL);
	assert_int_equal(c.pid, 0);
	assert_int_equal(c.pidfd, -1);
	assert_false(alive(pid));
}

/* The child writes the log itself; the pidfd says when to reap. */
static void start_logs_and_reaps(void **state)
{
	char *log = path_join(*state, "start.log"), *text = NULL;
	const char *argv[] = { "sh", "-c", "echo out; cat; echo err >&2; exit 3", NULL };
	struct proc_spec spec = { .argv = argv, .log_path = log };
	struct proc_child c;
	struct proc_exit e = { 0 };

	assert_int_equal(proc_start(&spec, &c), 0);
	assert_true(readable_within(c.pidfd, HANG_MS));
	assert_int_equal(proc_reap(&c, &e), 3);
	assert_int_equal(e.code, 3);
	assert_int_equal(e.signal, 0);
	assert_true(e.max_rss_kb > 0);
	assert_int_equal(read_file(log, &text, NULL), 0);
	assert_string_equal(text, "out\nerr\n");
	free(text);
	free(log);
}

/* QEMU's isa-debug-exit codes go up to 255: an exit is not a signal. */
static void high_exit_code_is_not_a_signal(void **state)
{
	const char *argv[] = { "sh", "-c", "exit 137", NULL };
	struct proc_spec spec = { .argv = argv };
	struct proc_child c;
	struct proc_exit e;

	assert_int_equal(proc_start(&spec, &c), 0);
	assert_int_equal(proc_reap(&c, &e), 137);
	assert_int_equal(e.signal, 0);
	assert_int_equal(proc_reap(&c, &e), -1);
}

static void start_missing_program(void **state)
{
	char *log = path_join(*state, "missing.log"), *text = NULL;
	const char *argv[] = { "daxtest-no-such-program", NULL };
	struct proc_spec spec = { .argv = argv, .log_path = log };
	struct proc_child c;

	assert_int_equal(proc_start(&spec, &c), 0);
	assert_true(readable_within(c.pidfd, HANG_MS));
	assert_int_equal(proc_reap(&c, NULL), 127);
	assert_int_equal(read_file(log, &text, NULL), 0);
	assert_non_null(strstr(text, "cannot run daxtest-no-such-program: not found"));
	free(text);
	free(log);
}

/* A foreground child stays in our process group (the terminal's), and
 * stopping it stops it alone. */
static void foreground_keeps_our_group(void **state)
{
	const char *argv[] = { "sleep", "60", NULL };
	struct proc_spec spec = { .argv = argv, .foreground = 1 };
	struct proc_child c;

	assert_int_equal(proc_start(&spec, &c), 0);
	assert_int_equal(c.pgid, 0);
	assert_int_equal(getpgid(c.pid), getpgrp());
	assert_int_equal(proc_stop(&c, NULL), 128 + SIGKILL);
}

/* As system(3): we ignore SIGINT while it runs; the child gets it. */
static void foreground_child_gets_sigint(void **state)
{
	const char *argv[] = { "sh", "-c", "kill -INT $$; exit 0", NULL };
	struct proc_spec spec = { .argv = argv, .foreground = 1 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old);
	assert_int_equal(proc_run(&spec), 128 + SIGINT);
	sigaction(SIGINT, &old, NULL);
}

/* A foreground child has our terminal: no log, capture or input. */
static void foreground_rejects_redirections(void **state)
{
	const char *argv[] = { "true", NULL };
	struct proc_spec spec = { .argv = argv, .foreground = 1, .log_path = "/dev/null" };
	struct proc_child c;

	errno = 0;
	assert_int_equal(proc_start(&spec, &c), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(c.pid, 0);
	assert_int_equal(proc_run(&spec), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_write_failure_kills_the_child),
		cmocka_unit_test(log_write_failure_with_capture),
		cmocka_unit_test(log_write_failure_stops_gently),
		cmocka_unit_test(timeout_kills_the_whole_group),
		cmocka_unit_test(child_dies_with_killed_parent),
		cmocka_unit_test(started_child_dies_with_killed_parent),
		cmocka_unit_test_teardown(interrupt_stops_proc_run, clear_interrupt),
		cmocka_unit_test_teardown(interrupt_stops_inheriting_child, clear_interrupt),
		cmocka_unit_test_teardown(interrupted_command_does_not_start, clear_interrupt),
		cmocka_unit_test(env_replaces_and_adds),
		cmocka_unit_test(missing_program_says_why),
		cmocka_unit_test(cwd_input_and_status),
		cmocka_unit_test_teardown(ignore_interrupt_runs_to_the_end, clear_interrupt),
		cmocka_unit_test_teardown(interrupt_terminates_gently, clear_interrupt),
		cmocka_unit_test_teardown(interrupt_kills_what_ignores_sigterm, clear_interrupt),
		cmocka_unit_test(start_and_stop),
		cmocka_unit_test(start_logs_and_reaps),
		cmocka_unit_test(high_exit_code_is_not_a_signal),
		cmocka_unit_test(start_missing_program),
		cmocka_unit_test(foreground_keeps_our_group),
		cmocka_unit_test(foreground_child_gets_sigint),
		cmocka_unit_test(foreground_rejects_redirections),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
