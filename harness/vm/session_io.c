// SPDX-License-Identifier: GPL-2.0
/*
 * session_io.c - the guest's console and result bytes, and the watchdog
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/log.h"
#include "vm/session_io.h"

int session_io_open(struct session_io *io, const struct session_opts *o)
{
	memset(io, 0, sizeof(*io));
	io->o = o;
	io->last_progress = mono_ms();
	io->as = agent_stream_new(o->on_event, o->arg);
	io->console_log = open(o->console_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (io->console_log < 0) {
		log_error("cannot open %s: %s", o->console_log, strerror(errno));
		return -1;
	}
	return io->as ? 0 : -1;
}

/* Splits bytes into lines for the console callback; overlong lines are
 * cut. */
static void split_lines(struct line_splitter *ls, const char *buf, size_t n,
			const struct session_opts *o)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = buf[i];

		if (c == '\r')
			continue;
		if (c != '\n' && ls->len < sizeof(ls->buf) - 1) {
			ls->buf[ls->len++] = c;
			continue;
		}
		if (c != '\n')
			continue;
		ls->buf[ls->len] = '\0';
		if (o->on_console_line)
			o->on_console_line(ls->buf, o->arg);
		ls->len = 0;
	}
}

void session_io_console(struct session_io *io, const char *buf, size_t n)
{
	if (!n)
		return;
	io->last_progress = mono_ms();
	if (io->console_log >= 0 && write(io->console_log, buf, n) != (ssize_t)n)
		log_debug("short write to the console log");
	split_lines(&io->console, buf, n, io->o);
}

void session_io_result(struct session_io *io, const char *buf, size_t n)
{
	if (!n)
		return;
	io->last_progress = mono_ms();
	agent_stream_feed(io->as, buf, n);
}

int session_io_check(struct session_io *io, struct session_result *r, int *wait_ms)
{
	const struct session_opts *o = io->o;
	long limit = o->watchdog_s(o->arg) * 1000L;
	long now = mono_ms(), left = io->last_progress + limit - now;
	long cut = o->cut_at_ms ? o->cut_at_ms(o->arg) : 0;

	if (*o->interrupted) {
		session_result_set(r, GUEST_INTERRUPTED, NULL);
		return 1;
	}
	if (cut && cut <= now) {
		session_result_set(r, GUEST_POWER_CUT, NULL);
		return 1;
	}
	if (left <= 0) {
		session_result_set(r, GUEST_WATCHDOG, NULL);
		return 1;
	}
	if (cut && cut - now < left)
		left = cut - now;
	*wait_ms = left > 1000 ? 1000 : (int)left;
	return 0;
}

void session_io_finish(struct session_io *io)
{
	if (io->as)
		agent_stream_finish(io->as);
}

void session_io_close(struct session_io *io)
{
	if (io->console_log >= 0)
		close(io->console_log);
	if (io->as)
		agent_stream_free(io->as);
	io->console_log = -1;
	io->as = NULL;
}
