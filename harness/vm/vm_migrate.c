// SPDX-License-Identifier: GPL-2.0
/*
 * vm_migrate.c - save a guest's device state to a file and restore it, over QMP
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/interrupt.h"
#include "vm/qmp.h"
#include "vm/vm_migrate.h"

/* A QEMU that dies closes its QMP socket just before its pidfd turns
 * readable: how long a closed connection waits for the pidfd. */
#define EXIT_GRACE_MS		200
/* Room for the exec: URI of the longest path (PATH_MAX, every byte a '). */
#define URI_MAX			(16 + 4 * 4096)

static const char ignore_shared[] =
	"{\"capabilities\":[{\"capability\":\"x-ignore-shared\",\"state\":true}]}";

/* Length of the UTF-8 sequence at s (1 to 4), or 0 when s starts with
 * a control character or bytes that are not UTF-8. */
static size_t char_len(const unsigned char *s)
{
	size_t n, i;

	if (*s < 0x20 || *s == 0x7f)
		return 0;
	if (*s < 0x80)
		return 1;
	if (*s >= 0xc2 && *s <= 0xdf)
		n = 2;
	else if (*s >= 0xe0 && *s <= 0xef)
		n = 3;
	else if (*s >= 0xf0 && *s <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong forms, UTF-16 surrogates, past U+10FFFF */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

int vm_migrate_uri(const char *path, bool save, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t used;
	int n;

	if (!path || !*path)
		return -EINVAL;
	n = snprintf(buf, size, "exec:cat %c '", save ? '>' : '<');
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	used = (size_t)n;
	while (*p) {
		size_t len = char_len(p);
		/* In single quotes sh takes every byte as it is but ': end
		 * the quotes, a quoted ', quotes again. */
		const char *text = *p == '\'' ? "'\\''" : (const char *)p;
		size_t tlen = *p == '\'' ? 4 : len;

		if (!len)
			return -EINVAL;
		if (used + tlen + 2 > size)	/* and the closing ', the NUL */
			return -ENAMETOOLONG;
		memcpy(buf + used, text, tlen);
		used += tlen;
		p += len;
	}
	buf[used++] = '\'';
	buf[used] = '\0';
	return 0;
}

/* The URI for path into buf, or -1 with err set ("cannot <what> PATH"). */
static int uri_for(const char *path, bool save, char *buf, size_t size, char *err,
		   size_t errlen)
{
	int e = vm_migrate_uri(path, save, buf, size);

	if (!e)
		return 0;
	str_set(err, errlen, "cannot %s %s: %s", save ? "save to" : "restore from",
		path ? path : "(none)",
		e == -EINVAL ? "not a path QEMU's exec: migration can take (empty, a control "
			       "character or not UTF-8)" : strerror(-e));
	return -1;
}

enum pause_end {
	PAUSE_DONE,
	PAUSE_EXITED,
	PAUSE_INTERRUPTED,
	PAUSE_DEADLINE,
};

/* Waits VM_MIGRATE_POLL_MS (less near the deadline), or until QEMU
 * exits. */
static enum pause_end pause_poll(int qemu_pidfd, long deadline_ms)
{
	struct pollfd pfd = { .fd = qemu_pidfd, .events = POLLIN };
	long left = deadline_ms - mono_ms();

	if (interrupt_pending())
		return PAUSE_INTERRUPTED;
	if (left <= 0)
		return PAUSE_DEADLINE;
	/* a negative fd is not polled: then only the time passes */
	if (poll(&pfd, 1, (int)(left < VM_MIGRATE_POLL_MS ? left : VM_MIGRATE_POLL_MS)) > 0)
		return PAUSE_EXITED;
	if (interrupt_pending())
		return PAUSE_INTERRUPTED;
	/* no question asked that could not be answered in time */
	return mono_ms() >= deadline_ms ? PAUSE_DEADLINE : PAUSE_DONE;
}

/* Whether QEMU exited, waiting EXIT_GRACE_MS at most (and not past the
 * deadline): after its QMP connection failed. */
static bool exited_soon(int qemu_pidfd, long deadline_ms)
{
	struct pollfd pfd = { .fd = qemu_pidfd, .events = POLLIN };
	long left = deadline_ms - mono_ms();

	if (qemu_pidfd < 0)
		return false;
	if (left > EXIT_GRACE_MS)
		left = EXIT_GRACE_MS;
	return poll(&pfd, 1, left > 0 ? (int)left : 0) > 0;
}

/* cmd with the JSON object text as arguments (NULL: none); the answer
 * is dropped. 0, or -1 with err set. */
static int execute_json(struct qmp *qmp, const char *cmd, const char *json, long deadline_ms,
			char *err, size_t errlen)
{
	struct json_object *args = NULL, *ret = NULL;
	int rc;

	if (json && !(args = json_tokener_parse(json))) {
		str_set(err, errlen, "%s: %s", cmd, strerror(ENOMEM));
		return -1;
	}
	rc = qmp_execute(qmp, cmd, args, deadline_ms, &ret, err, errlen);
	json_object_put(args);
	json_object_put(ret);
	return rc;
}

/* cmd with the one argument {"uri": uri}. 0, or -1 with err set. */
static int execute_uri(struct qmp *qmp, const char *cmd, const char *uri, long deadline_ms,
		       char *err, size_t errlen)
{
	struct json_object *args = json_object_new_object(), *ret = NULL;
	struct json_object *v = json_object_new_string(uri);
	int rc = -1;

	if (!args || !v || json_object_object_add(args, "uri", v)) {
		json_object_put(v);
		str_set(err, errlen, "%s: %s", cmd, strerror(ENOMEM));
		goto out;
	}
	rc = qmp_execute(qmp, cmd, args, deadline_ms, &ret, err, errlen);
out:
	json_object_put(args);
	json_object_put(ret);
	return rc;
}

/* The string member key of the answer to cmd into buf ("" when there is
 * none), and its "error-desc" into desc (when desc). 0, or -1 with err
 * set. */
static int query(struct qmp *qmp, const char *cmd, const char *key, long deadline_ms,
		 char *buf, size_t size, char *desc, size_t dsize, char *err, size_t errlen)
{
	struct json_object *ret = NULL, *v;

	if (qmp_execute(qmp, cmd, NULL, deadline_ms, &ret, err, errlen) < 0)
		return -1;
	str_set(buf, size, "%s", json_object_object_get_ex(ret, key, &v) &&
		json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "");
	if (desc)
		str_set(desc, dsize, "%s", json_object_object_get_ex(ret, "error-desc", &v) ?
			json_object_get_string(v) : "");
	json_object_put(ret);
	return 0;
}

/* query-migrate until the save ended. 0, or -1 with err set. */
static int wait_saved(struct qmp *qmp, const char *path, int qemu_pidfd, long deadline_ms,
		      char *err, size_t errlen)
{
	char status[64], desc[512];
	long start = mono_ms();

	for (;;) {
		if (query(qmp, "query-migrate", "status", deadline_ms, status, sizeof(status),
			  desc, sizeof(desc), err, errlen) < 0) {
			if (exited_soon(qemu_pidfd, deadline_ms))
				str_set(err, errlen, "QEMU exited while saving to %s", path);
			return -1;
		}
		if (!strcmp(status, "completed"))
			return 0;
		if (!strcmp(status, "failed")) {
			str_set(err, errlen, "saving to %s failed: %s", path,
				*desc ? desc : "QEMU gave no reason");
			return -1;
		}
		if (!strcmp(status, "cancelling") || !strcmp(status, "cancelled")) {
			str_set(err, errlen, "saving to %s: the migration was cancelled", path);
			return -1;
		}
		switch (pause_poll(qemu_pidfd, deadline_ms)) {
		case PAUSE_DONE:
			break;
		case PAUSE_EXITED:
			str_set(err, errlen, "QEMU exited while saving to %s", path);
			return -1;
		case PAUSE_INTERRUPTED:
			str_set(err, errlen, "interrupted while saving to %s", path);
			return -1;
		case PAUSE_DEADLINE:
			str_set(err, errlen, "saving to %s: still \"%s\" after %ld ms", path,
				status, mono_ms() - start);
			return -1;
		}
	}
}

int vm_snapshot_save(const char *qmp_socket, const char *state_path, int qemu_pidfd,
		     long deadline_ms, char *err, size_t errlen)
{
	char uri[URI_MAX];
	struct qmp *qmp;
	int rc = -1;

	if (uri_for(state_path, true, uri, sizeof(uri), err, errlen) < 0)
		return -1;
	qmp = qmp_connect(qmp_socket, deadline_ms, qemu_pidfd, err, errlen);
	if (!qmp)
		return -1;
	if (execute_json(qmp, "migrate-set-capabilities", ignore_shared, deadline_ms, err,
			 errlen) < 0 ||
	    execute_json(qmp, "stop", NULL, deadline_ms, err, errlen) < 0 ||
	    execute_uri(qmp, "migrate", uri, deadline_ms, err, errlen) < 0 ||
	    wait_saved(qmp, state_path, qemu_pidfd, deadline_ms, err, errlen) < 0)
		goto out;
	/* A QEMU that exits before its answer to quit did quit. */
	if (execute_json(qmp, "quit", NULL, deadline_ms, err, errlen) < 0 &&
	    !exited_soon(qemu_pidfd, deadline_ms))
		goto out;
	rc = 0;
out:
	qmp_close(qmp);
	return rc;
}

/* Refuses a state file QEMU 7.2 would wait for forever: one that is not
 * there or is empty. 0, or -1 with err set. */
static int check_state_file(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		str_set(err, errlen, "cannot restore from %s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !st.st_size) {
		str_set(err, errlen, "cannot restore from %s: %s", path,
			S_ISREG(st.st_mode) ? "an empty file" : "not a regular file");
		return -1;
	}
	return 0;
}

/* query-migrate until the load ended, then the guest must be paused.
 * 0, or -1 with err set. */
static int wait_loaded(struct qmp *qmp, const char *path, int qemu_pidfd, long deadline_ms,
		       char *err, size_t errlen)
{
	char status[64], desc[512], why[512];
	long start = mono_ms();

	for (;;) {
		if (query(qmp, "query-migrate", "status", deadline_ms, status, sizeof(status),
			  desc, sizeof(desc), why, sizeof(why)) < 0)
			goto qmp_failed;
		if (!strcmp(status, "completed"))
			break;
		if (!strcmp(status, "failed")) {
			str_set(err, errlen, "incoming migration failed: %s",
				*desc ? desc : "QEMU gave no reason");
			return -1;
		}
		/* none yet (no "status"), "setup", "active" */
		switch (pause_poll(qemu_pidfd, deadline_ms)) {
		case PAUSE_DONE:
			break;
		case PAUSE_EXITED:
			str_set(err, errlen, "incoming migration failed: QEMU exited while "
				"loading %s", path);
			return -1;
		case PAUSE_INTERRUPTED:
			str_set(err, errlen, "interrupted while loading %s", path);
			return -1;
		case PAUSE_DEADLINE:
			str_set(err, errlen, "incoming migration failed: still loading %s "
				"after %ld ms (%s)", path, mono_ms() - start,
				*status ? status : "not started");
			return -1;
		}
	}
	/* QEMU sets the run state before the migration's "completed". */
	if (query(qmp, "query-status", "status", deadline_ms, status, sizeof(status), NULL, 0,
		  why, sizeof(why)) < 0)
		goto qmp_failed;
	if (strcmp(status, "paused")) {
		str_set(err, errlen, "incoming migration failed: the guest is %s after loading %s, "
			"not paused", *status ? status : "in no state", path);
		return -1;
	}
	return 0;
qmp_failed:
	if (exited_soon(qemu_pidfd, deadline_ms))
		str_set(err, errlen, "incoming migration failed: QEMU exited while loading %s",
			path);
	else
		str_set(err, errlen, "incoming migration failed: %s", why);
	return -1;
}

struct qmp *vm_restore_begin(const char *qmp_socket, const char *state_path, int qemu_pidfd,
			     long deadline_ms, char *err, size_t errlen)
{
	char uri[URI_MAX];
	struct qmp *qmp;

	if (uri_for(state_path, false, uri, sizeof(uri), err, errlen) < 0 ||
	    check_state_file(state_path, err, errlen) < 0)
		return NULL;
	qmp = qmp_connect(qmp_socket, deadline_ms, qemu_pidfd, err, errlen);
	if (!qmp)
		return NULL;
	if (execute_json(qmp, "migrate-set-capabilities", ignore_shared, deadline_ms, err,
			 errlen) < 0 ||
	    execute_uri(qmp, "migrate-incoming", uri, deadline_ms, err, errlen) < 0 ||
	    wait_loaded(qmp, state_path, qemu_pidfd, deadline_ms, err, errlen) < 0) {
		qmp_close(qmp);
		return NULL;
	}
	return qmp;
}

int vm_restore_finish(struct qmp *qmp, long deadline_ms, char *err, size_t errlen)
{
	int rc;

	if (!qmp) {
		str_set(err, errlen, "cont: no QMP connection");
		return -1;
	}
	rc = execute_json(qmp, "cont", NULL, deadline_ms, err, errlen);
	qmp_close(qmp);
	return rc;
}
