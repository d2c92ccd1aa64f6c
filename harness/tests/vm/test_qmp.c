// SPDX-License-Identifier: GPL-2.0
/*
 * test_qmp.c - the QMP client against a scripted server: greeting,
 * capabilities, events skipped, answers and errors, bounded waits
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/clock.h"
#include "tests/unit_tempdir.h"
#include "tests/vm/fake_qmp.h"
#include "vm/qmp.h"

#define DEADLINE_MS	5000

static const char *dir_of(void **state)
{
	return *state;
}

static struct qmp *connect_to(struct fake_qmp *f, char *err, size_t errlen)
{
	return qmp_connect(f->path, mono_ms() + DEADLINE_MS, -1, err, errlen);
}

/* The greeting, qmp_capabilities, a command with arguments whose answer
 * comes after two events, an error that leaves the connection usable. */
static void answers_events_and_errors(void **state)
{
	static const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		{ "{\"execute\":\"query-status\"}",
		  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}\r\n"
		  "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 3}, \"event\": \"STOP\"}\r\n"
		  "{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}\r\n" },
		{ "{\"execute\":\"nope\"}",
		  "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"}}\r\n" },
		{ "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"info ramblock\"}}",
		  "\r\n{\"return\": \"text\\r\\n\"}\r\n" },
	};
	struct fake_qmp f = { .steps = steps, .nr_steps = 4 };
	struct json_object *ret, *args, *v;
	struct qmp *q;
	char err[256] = "";

	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	q = connect_to(&f, err, sizeof(err));
	assert_non_null(q);
	assert_int_equal(qmp_execute(q, "query-status", NULL, mono_ms() + DEADLINE_MS, &ret,
				     err, sizeof(err)), 0);
	assert_true(json_object_object_get_ex(ret, "status", &v));
	assert_string_equal(json_object_get_string(v), "prelaunch");
	json_object_put(ret);

	assert_int_equal(qmp_execute(q, "nope", NULL, mono_ms() + DEADLINE_MS, &ret, err,
				     sizeof(err)), -1);
	assert_null(ret);
	assert_string_equal(err, "nope: The command nope has not been found");

	args = json_object_new_object();
	json_object_object_add(args, "command-line", json_object_new_string("info ramblock"));
	assert_int_equal(qmp_execute(q, "human-monitor-command", args, mono_ms() + DEADLINE_MS,
				     &ret, err, sizeof(err)), 0);
	assert_string_equal(json_object_get_string(ret), "text\r\n");
	json_object_put(ret);
	/* args is the caller's still */
	assert_true(json_object_object_get_ex(args, "command-line", NULL));
	json_object_put(args);
	qmp_close(q);
	assert_string_equal(fake_qmp_join(&f), "");
}

/* QEMU creates its socket a moment after it starts: the client retries;
 * replies that come a byte at a time are put together. */
static void waits_for_the_socket_and_whole_lines(void **state)
{
	static const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		{ "\"cont\"", "{\"event\": \"RESUME\", \"data\": {}}\r\n{\"return\": {}}\r\n" },
	};
	struct fake_qmp f = {
		.steps = steps, .nr_steps = 2, .listen_delay_ms = 300, .dribble = true,
	};
	struct json_object *ret;
	struct qmp *q;
	char err[256] = "";

	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	q = connect_to(&f, err, sizeof(err));
	if (!q)
		fail_msg("%s", err);
	assert_int_equal(qmp_execute(q, "cont", NULL, mono_ms() + DEADLINE_MS, &ret, err,
				     sizeof(err)), 0);
	assert_true(json_object_is_type(ret, json_type_object));
	json_object_put(ret);
	qmp_close(q);
	assert_string_equal(fake_qmp_join(&f), "");
	assert_string_equal(f.received, "{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"cont\"}\n");
}

static void no_server_until_the_deadline(void **state)
{
	char path[256], err[256] = "";
	long start = mono_ms();

	snprintf(path, sizeof(path), "%s/absent.sock", dir_of(state));
	assert_null(qmp_connect(path, start + 200, -1, err, sizeof(err)));
	assert_true(mono_ms() - start >= 200);
	assert_true(mono_ms() - start < 2000);
	assert_non_null(strstr(err, "no QMP server on"));
	assert_non_null(strstr(err, "No such file or directory"));
}

/* QEMU died before it made its socket: its pidfd turns readable. */
static void gives_up_when_qemu_is_gone(void **state)
{
	char path[256], err[256] = "";
	long start = mono_ms();
	int p[2];

	snprintf(path, sizeof(path), "%s/absent.sock", dir_of(state));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	assert_null(qmp_connect(path, start + DEADLINE_MS, p[0], err, sizeof(err)));
	assert_true(mono_ms() - start < 1000);
	assert_non_null(strstr(err, "QEMU exited before its QMP socket"));
	close(p[0]);
	close(p[1]);
}

/* A command the server never answers: -1 at the deadline, and the
 * connection is not used again (a late answer would be taken for the
 * next command's). */
static void silent_server_times_out(void **state)
{
	static const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		{ "\"x-query-ramblock\"", NULL },
	};
	struct fake_qmp f = { .steps = steps, .nr_steps = 2 };
	struct json_object *ret;
	struct qmp *q;
	char err[256] = "";
	long start;

	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	q = connect_to(&f, err, sizeof(err));
	assert_non_null(q);
	start = mono_ms();
	assert_int_equal(qmp_execute(q, "x-query-ramblock", NULL, start + 300, &ret, err,
				     sizeof(err)), -1);
	assert_true(mono_ms() - start >= 300);
	assert_non_null(strstr(err, "no QMP answer to x-query-ramblock after"));
	assert_int_equal(qmp_execute(q, "cont", NULL, mono_ms() + DEADLINE_MS, &ret, err,
				     sizeof(err)), -1);
	assert_non_null(strstr(err, "failed before"));
	qmp_close(q);
	assert_string_equal(fake_qmp_join(&f), "");
}

static void server_hangs_up_mid_answer(void **state)
{
	static const struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		{ "\"cont\"", "{\"return\": " },
	};
	struct fake_qmp f = { .steps = steps, .nr_steps = 2, .hang_up = true };
	struct json_object *ret;
	struct qmp *q;
	char err[256] = "";

	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	q = connect_to(&f, err, sizeof(err));
	assert_non_null(q);
	assert_int_equal(qmp_execute(q, "cont", NULL, mono_ms() + DEADLINE_MS, &ret, err,
				     sizeof(err)), -1);
	assert_string_equal(err, "QEMU closed the QMP connection before its answer to cont");
	qmp_close(q);
	assert_string_equal(fake_qmp_join(&f), "");
}

static void not_qmp(void **state)
{
	static const struct fake_qmp_step caps_garbled[] = {
		{ "\"qmp_capabilities\"", "{\"return\": {}\r\n" },
	};
	static const struct fake_qmp_step caps_odd[] = {
		{ "\"qmp_capabilities\"", "[1, 2]\r\n" },
	};
	static const struct fake_qmp_step caps_other[] = {
		{ "\"qmp_capabilities\"", "{\"id\": 3}\r\n" },
	};
	struct fake_qmp f = { .greeting = "{\"hello\": 1}\n", .hang_up = true };
	char err[256] = "";

	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	assert_null(connect_to(&f, err, sizeof(err)));
	assert_non_null(strstr(err, "not a QMP greeting: {\"hello\":1}"));
	assert_string_equal(fake_qmp_join(&f), "");

	f = (struct fake_qmp){ .steps = caps_garbled, .nr_steps = 1 };
	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	assert_null(connect_to(&f, err, sizeof(err)));
	assert_string_equal(err, "QMP: not a JSON object: {\"return\": {}\r");
	assert_string_equal(fake_qmp_join(&f), "");

	f = (struct fake_qmp){ .steps = caps_odd, .nr_steps = 1 };
	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	assert_null(connect_to(&f, err, sizeof(err)));
	assert_non_null(strstr(err, "not a JSON object: [1, 2]"));
	assert_string_equal(fake_qmp_join(&f), "");

	f = (struct fake_qmp){ .steps = caps_other, .nr_steps = 1 };
	assert_int_equal(fake_qmp_start(&f, dir_of(state)), 0);
	assert_null(connect_to(&f, err, sizeof(err)));
	assert_string_equal(err, "QMP: qmp_capabilities answered by {\"id\":3}");
	assert_string_equal(fake_qmp_join(&f), "");
}

static void path_too_long(void **state)
{
	char path[200], err[256] = "";

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	assert_null(qmp_connect(path, mono_ms() + DEADLINE_MS, -1, err, sizeof(err)));
	assert_non_null(strstr(err, "longer than 107 bytes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers_events_and_errors),
		cmocka_unit_test(waits_for_the_socket_and_whole_lines),
		cmocka_unit_test(no_server_until_the_deadline),
		cmocka_unit_test(gives_up_when_qemu_is_gone),
		cmocka_unit_test(silent_server_times_out),
		cmocka_unit_test(server_hangs_up_mid_answer),
		cmocka_unit_test(not_qmp),
		cmocka_unit_test(path_too_long),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
