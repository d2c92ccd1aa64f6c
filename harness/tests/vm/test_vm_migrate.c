// SPDX-License-Identifier: GPL-2.0
/*
 * test_vm_migrate.c - snapshot save and restore over QMP against a
 * scripted server: the commands in order with their arguments, QEMU's
 * own reason for a failed migration, a QEMU that exits half-way, and
 * the exec: URI quoting, checked through /bin/sh as QEMU runs it
 */
#include <errno.h>
#include <fcntl.h>
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/interrupt.h"
#include "tests/unit_tempdir.h"
#include "tests/vm/fake_qmp.h"
#include "vm/qmp.h"
#include "vm/vm_migrate.h"

#define DEADLINE_MS	5000
#define OK		"{\"return\": {}}\r\n"
#define CAPS_LINE	"{\"execute\":\"migrate-set-capabilities\",\"arguments\":{\"capabilities\":" \
			"[{\"capability\":\"x-ignore-shared\",\"state\":true}]}}"
#define SET_CAPS	{ CAPS_LINE, OK }
#define MIGRATE_STATUS(s) \
	"{\"return\": {\"status\": \"" s "\"}}\r\n"
#define QUERY_MIGRATE(s) \
	{ "{\"execute\":\"query-migrate\"}", MIGRATE_STATUS(s) }
#define QUERY_STATUS(s) \
	{ "{\"execute\":\"query-status\"}", \
	  "{\"return\": {\"status\": \"" s "\", \"singlestep\": false, \"running\": false}}\r\n" }
/* What QEMU 7.2 said when cat could not create the file. */
#define BROKEN_PIPE \
	"{\"return\": {\"status\": \"failed\", \"error-desc\": " \
	"\"Unable to write to command: Broken pipe\"}}\r\n"

struct fixture {
	char *dir;
	char state[256];		/* a state file, "QEVM..." */
	char save_line[1024];		/* migrate with its uri */
	char load_line[1024];		/* migrate-incoming with its uri */
	int exited[2];			/* a pipe: [0] readable = "QEMU exited" */
	struct fake_qmp f;
	char err[1024];
};

/* {"execute":cmd,"arguments":{"uri":URI}} as the client writes it. */
static void uri_line(char *buf, size_t size, const char *cmd, const char *path, bool save)
{
	struct json_object *v;
	char uri[1024];

	assert_int_equal(vm_migrate_uri(path, save, uri, sizeof(uri)), 0);
	v = json_object_new_string(uri);
	snprintf(buf, size, "{\"execute\":\"%s\",\"arguments\":{\"uri\":%s}}", cmd,
		 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	json_object_put(v);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	void *dir;

	if (!fx || make_temp_dir(&dir) < 0)
		return -1;
	fx->dir = dir;
	snprintf(fx->state, sizeof(fx->state), "%s/state.bin", fx->dir);
	if (write_file_atomic(fx->state, "QEVM\0\0\0\3", 8, 0600) < 0)
		return -1;
	uri_line(fx->save_line, sizeof(fx->save_line), "migrate", fx->state, true);
	uri_line(fx->load_line, sizeof(fx->load_line), "migrate-incoming", fx->state, false);
	fx->exited[0] = fx->exited[1] = -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	void *dir = fx->dir;
	int ret = remove_temp_dir(&dir);

	if (fx->exited[0] >= 0)
		close(fx->exited[0]);
	if (fx->exited[1] >= 0)
		close(fx->exited[1]);
	free(fx);
	return ret;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The server on fx->dir/qmp.sock, listening by the time this returns
 * (a client connecting before would look at the "pidfd" at once). */
static void start_fake(struct fixture *fx, const struct fake_qmp_step *steps, size_t n,
		       bool hang_up)
{
	long until = mono_ms() + FAKE_QMP_WAIT_MS;

	memset(&fx->f, 0, sizeof(fx->f));
	fx->f.steps = steps;
	fx->f.nr_steps = n;
	fx->f.hang_up = hang_up;
	assert_int_equal(fake_qmp_start(&fx->f, fx->dir), 0);
	while (access(fx->f.path, F_OK) < 0 && mono_ms() < until)
		sleep_ms(1);
	sleep_ms(10);
}

static void join_fake(struct fixture *fx)
{
	if (*fake_qmp_join(&fx->f))
		fail_msg("the fake QMP server: %s", fx->f.why);
}

/* A "pidfd" that says QEMU exited: a pipe whose writer is gone. */
static int exited_fd(struct fixture *fx)
{
	assert_int_equal(pipe(fx->exited), 0);
	close(fx->exited[1]);
	fx->exited[1] = -1;
	return fx->exited[0];
}

static int save(struct fixture *fx, int pidfd)
{
	return vm_snapshot_save(fx->f.path, fx->state, pidfd, mono_ms() + DEADLINE_MS, fx->err,
				sizeof(fx->err));
}

static struct qmp *restore(struct fixture *fx, int pidfd)
{
	return vm_restore_begin(fx->f.path, fx->state, pidfd, mono_ms() + DEADLINE_MS, fx->err,
				sizeof(fx->err));
}

static void uri_quoting(void **state)
{
	static const struct {
		const char *path;
		bool save;
		const char *uri;
	} ok[] = {
		{ "/var/cache/daxtest/snap/state", true, "exec:cat > '/var/cache/daxtest/snap/state'" },
		{ "/var/cache/daxtest/snap/state", false, "exec:cat < '/var/cache/daxtest/snap/state'" },
		{ "/home/o'brien/it's", true, "exec:cat > '/home/o'\\''brien/it'\\''s'" },
		{ "'", false, "exec:cat < ''\\'''" },
		{ "/a b/$HOME/`id`/$(id)/\"q\"/\\/*?;&|<>", true,
		  "exec:cat > '/a b/$HOME/`id`/$(id)/\"q\"/\\/*?;&|<>'" },
		/* no option of cat: the shell opens it */
		{ "-n", false, "exec:cat < '-n'" },
		{ "/tmp/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x90\xa7", true,
		  "exec:cat > '/tmp/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x90\xa7'" },
	};
	static const char *const refused[] = {
		"", "/a\nb", "/a\rb", "/a\tb", "/a\x1b[0m", "/a\x7f", "/caf\xe9", "/\xc3",
		"/\xc0\xaf", "/\xed\xa0\x80", "/\xf4\x90\x80\x80", "/\xff",
	};
	char buf[256];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(vm_migrate_uri(ok[i].path, ok[i].save, buf, sizeof(buf)), 0);
		assert_string_equal(buf, ok[i].uri);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		if (vm_migrate_uri(refused[i], true, buf, sizeof(buf)) != -EINVAL)
			fail_msg("refused[%zu] was taken: %s", i, buf);
	assert_int_equal(vm_migrate_uri(NULL, true, buf, sizeof(buf)), -EINVAL);

	/* exactly as long as the buffer, and one byte longer */
	assert_int_equal(vm_migrate_uri("/it's", true, buf, sizeof("exec:cat > '/it'\\''s'")), 0);
	assert_string_equal(buf, "exec:cat > '/it'\\''s'");
	assert_int_equal(vm_migrate_uri("/it's", true, buf, sizeof("exec:cat > '/it'\\''s'") - 1),
			 -ENAMETOOLONG);
	assert_int_equal(vm_migrate_uri("/x", true, buf, 5), -ENAMETOOLONG);
	assert_int_equal(vm_migrate_uri("/x", true, buf, 0), -ENAMETOOLONG);
}

/* What QEMU runs, /bin/sh -c "<uri without exec:>", writes and reads
 * back the file of a path full of what the shell would interpret. */
static void uri_through_the_shell(void **state)
{
	struct fixture *fx = *state;
	char path[512], uri[2048], got[64] = "", *text;
	FILE *p;

	snprintf(path, sizeof(path), "%s/it's a \"state\" $HOME `false` $(false) \\ * ; | & "
		 "caf\xc3\xa9.bin", fx->dir);
	assert_int_equal(vm_migrate_uri(path, true, uri, sizeof(uri)), 0);
	p = popen(uri + strlen("exec:"), "w");
	assert_non_null(p);
	assert_true(fputs("device state", p) >= 0);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(read_file(path, &text, NULL), 0);
	assert_string_equal(text, "device state");
	free(text);

	assert_int_equal(vm_migrate_uri(path, false, uri, sizeof(uri)), 0);
	p = popen(uri + strlen("exec:"), "r");
	assert_non_null(p);
	assert_non_null(fgets(got, sizeof(got), p));
	assert_int_equal(pclose(p), 0);
	assert_string_equal(got, "device state");
	assert_int_equal(unlink(path), 0);
}

/* Capability, stop, migrate to the file, polled until completed
 * (events in between), quit; nothing else. */
static void save_sequence(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		SET_CAPS,
		{ "{\"execute\":\"stop\"}",
		  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}\r\n" OK },
		{ fx->save_line, OK },
		QUERY_MIGRATE("setup"),
		{ "{\"execute\":\"query-migrate\"}",
		  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 3}, \"event\": \"MIGRATION\", "
		  "\"data\": {\"status\": \"active\"}}\r\n"
		  "{\"return\": {\"status\": \"active\", \"ram\": {\"transferred\": 4096}}}\r\n" },
		{ "{\"execute\":\"query-migrate\"}",
		  "{\"return\": {\"status\": \"completed\", \"total-time\": 17, "
		  "\"ram\": {\"total\": 17637376, \"transferred\": 604015}}}\r\n" },
		{ "{\"execute\":\"quit\"}",
		  OK "{\"timestamp\": {\"seconds\": 2, \"microseconds\": 0}, \"event\": \"SHUTDOWN\", "
		  "\"data\": {\"guest\": false, \"reason\": \"host-qmp-quit\"}}\r\n" },
	};
	char want[4096];

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	assert_int_equal(save(fx, -1), 0);
	join_fake(fx);
	snprintf(want, sizeof(want), "{\"execute\":\"qmp_capabilities\"}\n" CAPS_LINE "\n"
		 "{\"execute\":\"stop\"}\n%s\n{\"execute\":\"query-migrate\"}\n"
		 "{\"execute\":\"query-migrate\"}\n{\"execute\":\"query-migrate\"}\n"
		 "{\"execute\":\"quit\"}\n", fx->save_line);
	assert_string_equal(fx->f.received, want);
}

/* Saving when the last query-migrate is answered by last_reply (or
 * migrate by migrate_reply): -1 with err want, and no quit (the caller
 * stops QEMU). */
static void save_fails_with(struct fixture *fx, const char *migrate_reply,
			    const char *last_reply, const char *want)
{
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { "{\"execute\":\"stop\"}", OK },
		{ fx->save_line, migrate_reply },
		QUERY_MIGRATE("active"),
		{ "{\"execute\":\"query-migrate\"}", last_reply },
	};

	start_fake(fx, steps, last_reply ? 6 : 4, false);
	assert_int_equal(save(fx, -1), -1);
	join_fake(fx);
	assert_string_equal(fx->err, want);
	assert_null(strstr(fx->f.received, "quit"));
}

/* A failed migration says QEMU's error-desc. */
static void save_failed(void **state)
{
	struct fixture *fx = *state;
	char want[512];

	snprintf(want, sizeof(want), "saving to %s failed: Unable to write to command: Broken pipe",
		 fx->state);
	save_fails_with(fx, OK, BROKEN_PIPE, want);
	snprintf(want, sizeof(want), "saving to %s failed: QEMU gave no reason", fx->state);
	save_fails_with(fx, OK, MIGRATE_STATUS("failed"), want);
	snprintf(want, sizeof(want), "saving to %s: the migration was cancelled", fx->state);
	save_fails_with(fx, OK, MIGRATE_STATUS("cancelled"), want);
	save_fails_with(fx, "{\"error\": {\"class\": \"GenericError\", \"desc\": "
			"\"There's a migration process in progress\"}}\r\n", NULL,
			"migrate: There's a migration process in progress");
}

/* QEMU exits while it saves: its pidfd says so between two polls, or
 * it closes the connection and then the pidfd says so. */
static void save_qemu_exits(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { "{\"execute\":\"stop\"}", OK }, { fx->save_line, OK },
		QUERY_MIGRATE("active"),
	};
	char want[512];

	snprintf(want, sizeof(want), "QEMU exited while saving to %s", fx->state);
	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	assert_int_equal(save(fx, exited_fd(fx)), -1);
	join_fake(fx);
	assert_string_equal(fx->err, want);

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]) - 1, true);
	assert_int_equal(save(fx, fx->exited[0]), -1);
	join_fake(fx);
	assert_string_equal(fx->err, want);
}

/* QEMU quits before it answers quit: that is the quit asked for, when
 * its pidfd says it exited; with no pidfd the lost answer is an error. */
static void save_quit_unanswered(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { "{\"execute\":\"stop\"}", OK }, { fx->save_line, OK },
		QUERY_MIGRATE("completed"),
		{ "{\"execute\":\"quit\"}", NULL },
	};

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), true);
	assert_int_equal(save(fx, exited_fd(fx)), 0);
	join_fake(fx);

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), true);
	assert_int_equal(save(fx, -1), -1);
	join_fake(fx);
	assert_string_equal(fx->err, "QEMU closed the QMP connection before its answer to quit");
}

/* A path the shell command cannot carry is refused before QEMU is asked. */
static void save_refuses_path(void **state)
{
	struct fixture *fx = *state;
	char path[] = "/tmp/a\nb";

	assert_int_equal(vm_snapshot_save("/nonexistent/qmp.sock", path, -1,
					  mono_ms() + DEADLINE_MS, fx->err, sizeof(fx->err)), -1);
	assert_string_equal(fx->err, "cannot save to /tmp/a\nb: not a path QEMU's exec: "
			    "migration can take (empty, a control character or not UTF-8)");
}

/* Capability, migrate-incoming from the file, polled until completed,
 * paused; the caller's own commands, then cont, and nothing before. */
static void restore_sequence(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		SET_CAPS,
		{ fx->load_line,
		  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"MIGRATION\", "
		  "\"data\": {\"status\": \"setup\"}}\r\n" OK },
		{ "{\"execute\":\"query-migrate\"}", OK },	/* not started yet */
		QUERY_MIGRATE("active"),
		QUERY_MIGRATE("completed"),
		QUERY_STATUS("paused"),
		{ "{\"execute\":\"x-query-ramblock\"}",
		  "{\"return\": {\"human-readable-text\": \"Block Name\"}}\r\n" },
		{ "{\"execute\":\"cont\"}",
		  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 9}, \"event\": \"RESUME\"}\r\n" OK },
	};
	struct json_object *ret;
	struct qmp *qmp;
	char want[4096];

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	qmp = restore(fx, -1);
	if (!qmp)
		fail_msg("vm_restore_begin: %s", fx->err);
	assert_int_equal(qmp_execute(qmp, "x-query-ramblock", NULL, mono_ms() + DEADLINE_MS,
				     &ret, fx->err, sizeof(fx->err)), 0);
	json_object_put(ret);
	assert_int_equal(vm_restore_finish(qmp, mono_ms() + DEADLINE_MS, fx->err,
					   sizeof(fx->err)), 0);
	join_fake(fx);
	snprintf(want, sizeof(want), "{\"execute\":\"qmp_capabilities\"}\n" CAPS_LINE "\n%s\n"
		 "{\"execute\":\"query-migrate\"}\n{\"execute\":\"query-migrate\"}\n"
		 "{\"execute\":\"query-migrate\"}\n{\"execute\":\"query-status\"}\n"
		 "{\"execute\":\"x-query-ramblock\"}\n{\"execute\":\"cont\"}\n", fx->load_line);
	assert_string_equal(fx->f.received, want);
}

/* A failed load says QEMU's reason; never a cont. */
static void restore_failed(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
		QUERY_MIGRATE("active"),
		{ "{\"execute\":\"query-migrate\"}",
		  "{\"return\": {\"status\": \"failed\", \"error-desc\": "
		  "\"load of migration failed: Invalid argument\"}}\r\n" },
	};

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	assert_null(restore(fx, -1));
	join_fake(fx);
	assert_string_equal(fx->err, "incoming migration failed: load of migration failed: "
			    "Invalid argument");
	assert_null(strstr(fx->f.received, "cont"));
}

/* QEMU refuses migrate-incoming (not started with -incoming defer). */
static void restore_refused(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS,
		{ fx->load_line, "{\"error\": {\"class\": \"GenericError\", \"desc\": "
		  "\"'-incoming' was not specified on the command line\"}}\r\n" },
	};

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	assert_null(restore(fx, -1));
	join_fake(fx);
	assert_string_equal(fx->err, "migrate-incoming: '-incoming' was not specified on the "
			    "command line");
}

/* Loaded, but the guest runs (or is in some other state): not what the
 * caller can still prepare. */
static void restore_not_paused(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
		QUERY_MIGRATE("completed"),
		QUERY_STATUS("running"),
	};
	char want[512];

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	assert_null(restore(fx, -1));
	join_fake(fx);
	snprintf(want, sizeof(want), "incoming migration failed: the guest is running after "
		 "loading %s, not paused", fx->state);
	assert_string_equal(fx->err, want);
}

/* QEMU 7.2 exits when it cannot load the stream: the pidfd says so
 * between two polls, or after the connection closed; without a pidfd
 * the closed connection is the reason. */
static void restore_qemu_exits(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
		QUERY_MIGRATE("active"),
	};
	const struct fake_qmp_step unanswered[] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
		QUERY_MIGRATE("active"),
		{ "{\"execute\":\"query-migrate\"}", NULL },
	};
	char want[512];

	snprintf(want, sizeof(want), "incoming migration failed: QEMU exited while loading %s",
		 fx->state);
	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	assert_null(restore(fx, exited_fd(fx)));
	join_fake(fx);
	assert_string_equal(fx->err, want);

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]) - 1, true);
	assert_null(restore(fx, fx->exited[0]));
	join_fake(fx);
	assert_string_equal(fx->err, want);

	start_fake(fx, unanswered, sizeof(unanswered) / sizeof(unanswered[0]), true);
	assert_null(restore(fx, -1));
	join_fake(fx);
	assert_string_equal(fx->err, "incoming migration failed: QEMU closed the QMP "
			    "connection before its answer to query-migrate");
}

/* A state file that is not there or empty is refused before QEMU is
 * asked: QEMU 7.2 would wait for the stream forever. */
static void restore_refuses_state_file(void **state)
{
	struct fixture *fx = *state;
	char path[512], want[1024];

	snprintf(path, sizeof(path), "%s/absent.bin", fx->dir);
	assert_null(vm_restore_begin("/nonexistent/qmp.sock", path, -1, mono_ms() + DEADLINE_MS,
				     fx->err, sizeof(fx->err)));
	snprintf(want, sizeof(want), "cannot restore from %s: No such file or directory", path);
	assert_string_equal(fx->err, want);

	snprintf(path, sizeof(path), "%s/empty.bin", fx->dir);
	assert_int_equal(write_file_atomic(path, "", 0, 0600), 0);
	assert_null(vm_restore_begin("/nonexistent/qmp.sock", path, -1, mono_ms() + DEADLINE_MS,
				     fx->err, sizeof(fx->err)));
	snprintf(want, sizeof(want), "cannot restore from %s: an empty file", path);
	assert_string_equal(fx->err, want);

	assert_null(vm_restore_begin("/nonexistent/qmp.sock", fx->dir, -1,
				     mono_ms() + DEADLINE_MS, fx->err, sizeof(fx->err)));
	snprintf(want, sizeof(want), "cannot restore from %s: not a regular file", fx->dir);
	assert_string_equal(fx->err, want);
}

/* A load that does not end by the deadline. */
static void restore_deadline(void **state)
{
	struct fixture *fx = *state;
	struct fake_qmp_step steps[3 + 200] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
	};
	const struct fake_qmp_step active = QUERY_MIGRATE("active");
	long start;
	size_t i;

	for (i = 3; i < sizeof(steps) / sizeof(steps[0]); i++)
		steps[i] = active;
	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	start = mono_ms();
	assert_null(vm_restore_begin(fx->f.path, fx->state, -1, start + 100, fx->err,
				     sizeof(fx->err)));
	assert_true(mono_ms() - start < 1000);
	/* the server still expected polls: its complaint is no error here */
	fake_qmp_join(&fx->f);
	if (!strstr(fx->err, "incoming migration failed: still loading ") ||
	    !strstr(fx->err, " ms (active)"))
		fail_msg("%s", fx->err);
}

static void *interrupt_later(void *arg)
{
	sleep_ms(50);
	interrupt_raise(SIGINT);
	return NULL;
}

/* The user's interrupt ends the wait. */
static void restore_interrupted(void **state)
{
	struct fixture *fx = *state;
	struct fake_qmp_step steps[3 + 1000] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
	};
	const struct fake_qmp_step active = QUERY_MIGRATE("active");
	pthread_t t;
	long start;
	size_t i;

	for (i = 3; i < sizeof(steps) / sizeof(steps[0]); i++)
		steps[i] = active;
	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	start = mono_ms();
	assert_int_equal(pthread_create(&t, NULL, interrupt_later, NULL), 0);
	assert_null(restore(fx, -1));
	pthread_join(t, NULL);
	interrupt_clear();
	fake_qmp_join(&fx->f);
	assert_true(mono_ms() - start < 2000);
	/* between two polls (ours) or while an answer was awaited (qmp.c's) */
	if (!strstr(fx->err, "interrupted"))
		fail_msg("%s", fx->err);
}

/* cont's error is the caller's; the connection is closed either way. */
static void finish_errors(void **state)
{
	struct fixture *fx = *state;
	const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS, SET_CAPS, { fx->load_line, OK },
		QUERY_MIGRATE("completed"), QUERY_STATUS("paused"),
		{ "{\"execute\":\"cont\"}", "{\"error\": {\"class\": \"GenericError\", "
		  "\"desc\": \"oops\"}}\r\n" },
	};
	struct qmp *qmp;

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	qmp = restore(fx, -1);
	assert_non_null(qmp);
	assert_int_equal(vm_restore_finish(qmp, mono_ms() + DEADLINE_MS, fx->err,
					   sizeof(fx->err)), -1);
	join_fake(fx);
	assert_string_equal(fx->err, "cont: oops");

	start_fake(fx, steps, sizeof(steps) / sizeof(steps[0]), false);
	qmp = restore(fx, -1);
	assert_non_null(qmp);
	assert_int_equal(vm_restore_finish(qmp, mono_ms() + DEADLINE_MS, NULL, 0), -1);
	join_fake(fx);
	assert_int_equal(vm_restore_finish(NULL, mono_ms(), NULL, 0), -1);
}

#define TEST(f)	cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(uri_quoting),
		TEST(uri_through_the_shell),
		TEST(save_sequence),
		TEST(save_failed),
		TEST(save_qemu_exits),
		TEST(save_quit_unanswered),
		TEST(save_refuses_path),
		TEST(restore_sequence),
		TEST(restore_failed),
		TEST(restore_refused),
		TEST(restore_not_paused),
		TEST(restore_qemu_exits),
		TEST(restore_refuses_state_file),
		TEST(restore_deadline),
		TEST(restore_interrupted),
		TEST(finish_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
