// SPDX-License-Identifier: GPL-2.0
/*
 * qmp.c - a minimal QMP client: connect, greeting, one command at a time
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/interrupt.h"
#include "vm/qmp.h"

/* The largest message taken; x-query-ramblock answers in about 1 KiB. */
#define QMP_MAX_MESSAGE		(4 << 20)
/* How often a socket that is not there yet is tried again. */
#define CONNECT_RETRY_MS	20

struct qmp {
	int fd;
	char *buf;		/* bytes read, not yet a whole line */
	size_t len, cap;
	bool broken;		/* a transport error: no further commands */
};

enum wait_result {
	WAIT_READY,
	WAIT_TIMEOUT,
	WAIT_INTERRUPTED,
	WAIT_ERROR,		/* poll failed: errno */
};


/* Waits for events on fd (a negative fd: only for the time to pass)
 * until deadline_ms, looking at the interrupt flag in between. */
static enum wait_result wait_fd(int fd, short events, long deadline_ms)
{
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = events };
		long left = deadline_ms - mono_ms();
		int n;

		if (interrupt_pending())
			return WAIT_INTERRUPTED;
		if (left <= 0)
			return WAIT_TIMEOUT;
		n = poll(&pfd, 1, (int)(left < INTERRUPT_POLL_MS ? left : INTERRUPT_POLL_MS));
		if (n < 0 && errno != EINTR)
			return WAIT_ERROR;
		if (n > 0)
			return WAIT_READY;
	}
}

/* A connected, non-blocking socket, or -1 with err set. */
static int connect_socket(const char *path, long deadline_ms, int stop_fd, char *err,
			  size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	long start = mono_ms();
	int fd, e;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		str_set(err, errlen, "QMP socket path %s: longer than %zu bytes", path,
			sizeof(sa.sun_path) - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	for (;;) {
		long next = mono_ms() + CONNECT_RETRY_MS;

		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			str_set(err, errlen, "socket: %s", strerror(errno));
			return -1;
		}
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return fd;
		e = errno;
		close(fd);
		/* Not there yet, not listening yet, or its backlog is full. */
		if (e != ENOENT && e != ECONNREFUSED && e != EAGAIN && e != EINTR) {
			str_set(err, errlen, "cannot connect to QMP socket %s: %s", path,
				strerror(e));
			return -1;
		}
		switch (wait_fd(stop_fd, POLLIN, next < deadline_ms ? next : deadline_ms)) {
		case WAIT_READY:
			str_set(err, errlen, "QEMU exited before its QMP socket %s answered", path);
			return -1;
		case WAIT_INTERRUPTED:
			str_set(err, errlen, "interrupted while connecting to QMP socket %s", path);
			return -1;
		case WAIT_ERROR:
			str_set(err, errlen, "poll: %s", strerror(errno));
			return -1;
		case WAIT_TIMEOUT:
			break;
		}
		if (mono_ms() >= deadline_ms) {
			str_set(err, errlen, "no QMP server on %s after %ld ms (%s)", path,
				mono_ms() - start, strerror(e));
			return -1;
		}
	}
}

/* -1 with err set after a wait that did not end in WAIT_READY. */
static int wait_failed(enum wait_result w, const char *what, long start, char *err,
		       size_t errlen)
{
	if (w == WAIT_TIMEOUT)
		str_set(err, errlen, "no QMP %s after %ld ms", what, mono_ms() - start);
	else if (w == WAIT_INTERRUPTED)
		str_set(err, errlen, "interrupted while waiting for the QMP %s", what);
	else
		str_set(err, errlen, "poll: %s", strerror(errno));
	return -1;
}

static bool blank(const char *s)
{
	return !s[strspn(s, " \t\r")];
}

/* Takes the first whole line out of the buffer as a JSON object; 1 with
 * *msg set, 0 when there is no whole line yet, -1 with err set. */
static int take_line(struct qmp *q, struct json_object **msg, char *err, size_t errlen)
{
	char *nl;

	for (;;) {
		struct json_object *obj = NULL;
		size_t used;
		int ret = 1;

		nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
		if (!nl)
			return 0;
		*nl = '\0';
		used = (size_t)(nl - q->buf) + 1;
		if (!blank(q->buf)) {
			obj = json_tokener_parse(q->buf);
			if (!obj || !json_object_is_type(obj, json_type_object)) {
				str_set(err, errlen, "QMP: not a JSON object: %.60s", q->buf);
				json_object_put(obj);
				obj = NULL;
				ret = -1;
			}
		}
		memmove(q->buf, q->buf + used, q->len - used);
		q->len -= used;
		if (ret < 0 || obj) {
			*msg = obj;
			return ret;
		}
	}
}

/* The next message, whole. 0 with *msg set, or -1 with err set. */
static int read_message(struct qmp *q, const char *what, long deadline_ms,
			struct json_object **msg, char *err, size_t errlen)
{
	long start = mono_ms();

	for (;;) {
		enum wait_result w;
		ssize_t n;
		int got = take_line(q, msg, err, errlen);

		if (got)
			return got > 0 ? 0 : -1;
		if (q->len >= QMP_MAX_MESSAGE) {
			str_set(err, errlen, "QMP: a message longer than %d bytes", QMP_MAX_MESSAGE);
			return -1;
		}
		if (q->cap - q->len < 4096) {
			size_t cap = q->cap ? q->cap * 2 : 16384;
			char *buf = realloc(q->buf, cap);

			if (!buf) {
				str_set(err, errlen, "QMP: %s", strerror(ENOMEM));
				return -1;
			}
			q->buf = buf;
			q->cap = cap;
		}
		n = read(q->fd, q->buf + q->len, q->cap - q->len - 1);
		if (n > 0) {
			q->len += (size_t)n;
			continue;
		}
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			str_set(err, errlen, "QEMU closed the QMP connection before its %s", what);
			return -1;
		}
		if (errno != EAGAIN && errno != EINTR) {
			str_set(err, errlen, "QMP read: %s", strerror(errno));
			return -1;
		}
		w = wait_fd(q->fd, POLLIN, deadline_ms);
		if (w != WAIT_READY)
			return wait_failed(w, what, start, err, errlen);
	}
}

static int send_all(struct qmp *q, const char *text, long deadline_ms, char *err,
		    size_t errlen)
{
	size_t len = strlen(text), sent = 0;
	long start = mono_ms();

	while (sent < len) {
		enum wait_result w;
		ssize_t n = send(q->fd, text + sent, len - sent, MSG_NOSIGNAL);

		if (n > 0) {
			sent += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			str_set(err, errlen, "QMP write: %s", strerror(errno));
			return -1;
		}
		w = wait_fd(q->fd, POLLOUT, deadline_ms);
		if (w != WAIT_READY)
			return wait_failed(w, "socket room", start, err, errlen);
	}
	return 0;
}

/* The answer to cmd, events skipped: 0 with *ret, or -1 with err set
 * (*server_error true when it is the server's error answer). */
static int read_answer(struct qmp *q, const char *cmd, long deadline_ms,
		       struct json_object **ret, bool *server_error, char *err, size_t errlen)
{
	struct json_object *msg, *v, *desc;
	char what[96];

	snprintf(what, sizeof(what), "answer to %s", cmd);
	for (;;) {
		if (read_message(q, what, deadline_ms, &msg, err, errlen) < 0)
			return -1;
		if (json_object_object_get_ex(msg, "event", NULL)) {
			json_object_put(msg);
			continue;
		}
		break;
	}
	if (json_object_object_get_ex(msg, "return", &v)) {
		*ret = json_object_get(v);
		json_object_put(msg);
		return 0;
	}
	if (json_object_object_get_ex(msg, "error", &v)) {
		*server_error = true;
		if (json_object_object_get_ex(v, "desc", &desc))
			str_set(err, errlen, "%s: %s", cmd, json_object_get_string(desc));
		else
			str_set(err, errlen, "%s: %s", cmd, json_object_to_json_string(v));
		json_object_put(msg);
		return -1;
	}
	str_set(err, errlen, "QMP: %s answered by %.80s", cmd,
		json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN));
	json_object_put(msg);
	return -1;
}

int qmp_execute(struct qmp *q, const char *cmd, struct json_object *args, long deadline_ms,
		struct json_object **ret, char *err, size_t errlen)
{
	struct json_object *req;
	bool server_error = false;
	char *line = NULL;
	int rc = -1;

	*ret = NULL;
	if (q->broken) {
		str_set(err, errlen, "QMP: %s on a connection that failed before", cmd);
		return -1;
	}
	req = json_object_new_object();
	if (!req || json_object_object_add(req, "execute", json_object_new_string(cmd)) ||
	    (args && json_object_object_add(req, "arguments", json_object_get(args))))
		goto nomem;
	line = str_printf("%s\n", json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
	if (!line)
		goto nomem;
	if (send_all(q, line, deadline_ms, err, errlen) < 0)
		goto out;
	rc = read_answer(q, cmd, deadline_ms, ret, &server_error, err, errlen);
	goto out;
nomem:
	str_set(err, errlen, "QMP: %s", strerror(ENOMEM));
out:
	if (rc < 0 && !server_error)
		q->broken = true;
	json_object_put(req);
	free(line);
	return rc;
}

struct qmp *qmp_connect(const char *path, long deadline_ms, int stop_fd, char *err,
			size_t errlen)
{
	struct json_object *greeting = NULL, *ret = NULL;
	struct qmp *q = calloc(1, sizeof(*q));

	if (!q) {
		str_set(err, errlen, "QMP: %s", strerror(ENOMEM));
		return NULL;
	}
	q->fd = connect_socket(path, deadline_ms, stop_fd, err, errlen);
	if (q->fd < 0)
		goto fail;
	if (read_message(q, "greeting", deadline_ms, &greeting, err, errlen) < 0)
		goto fail;
	if (!json_object_object_get_ex(greeting, "QMP", NULL)) {
		str_set(err, errlen, "%s: not a QMP greeting: %.80s", path,
			json_object_to_json_string_ext(greeting, JSON_C_TO_STRING_PLAIN));
		goto fail;
	}
	if (qmp_execute(q, "qmp_capabilities", NULL, deadline_ms, &ret, err, errlen) < 0)
		goto fail;
	json_object_put(greeting);
	json_object_put(ret);
	return q;
fail:
	json_object_put(greeting);
	qmp_close(q);
	return NULL;
}

void qmp_close(struct qmp *q)
{
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	free(q->buf);
	free(q);
}
