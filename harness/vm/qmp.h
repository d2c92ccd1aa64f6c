/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal QMP client (QEMU's machine protocol, docs/interop/qmp-spec):
 * one unix-socket connection, one command at a time. The server greets
 * with {"QMP": ...}, the client answers qmp_capabilities, then each
 * {"execute": CMD, "arguments": ARGS} gets {"return": VALUE} or
 * {"error": {"class": ..., "desc": ...}}; {"event": ...} messages come
 * in between at any time and are skipped. One JSON object a line.
 *
 * Every wait is bounded: by the caller's deadline (mono_ms(), lib/clock.h),
 * and it looks at the user's interrupt (lib/interrupt.h) at least every
 * INTERRUPT_POLL_MS. Errors are one line in the caller's err buffer.
 */
#ifndef DAXTEST_QMP_H
#define DAXTEST_QMP_H

#include <stddef.h>

#include <json-c/json.h>

struct qmp;

/*
 * Connects to the server listening on the unix socket path, retrying
 * while the socket is not there yet or refuses (QEMU creates it shortly
 * after it starts) until deadline_ms; gives up at once when stop_fd
 * (>= 0, e.g. QEMU's pidfd) becomes readable. Then reads the greeting
 * and negotiates capabilities (none), within the same deadline.
 * The connection, or NULL with err set.
 */
struct qmp *qmp_connect(const char *path, long deadline_ms, int stop_fd, char *err,
			size_t errlen);
/*
 * Runs cmd with args (a JSON object, or NULL; not consumed) and waits
 * for its answer until deadline_ms. 0 with *ret set to the "return"
 * value (the caller puts it), or -1 with err set: the server's error
 * ("<cmd>: <desc>"), or why no answer came (the connection is then of
 * no further use).
 */
int qmp_execute(struct qmp *q, const char *cmd, struct json_object *args, long deadline_ms,
		struct json_object **ret, char *err, size_t errlen);
void qmp_close(struct qmp *q);

#endif /* DAXTEST_QMP_H */
