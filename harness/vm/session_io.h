/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every guest backend (QEMU directly, libvirt) does with a running
 * guest's bytes, and when it must stop the guest: console bytes go to the
 * console log and, line by line, to the caller; result-port bytes go to
 * the agent stream parser; the watchdog, a power cut or an interrupt end
 * the session.
 */
#ifndef DAXTEST_SESSION_IO_H
#define DAXTEST_SESSION_IO_H

#include <stddef.h>

#include "vm/backend.h"

#define SESSION_LINE_BUF 8192

struct line_splitter {
	char buf[SESSION_LINE_BUF];
	size_t len;
};

struct session_io {
	const struct session_opts *o;
	struct agent_stream *as;
	struct line_splitter console;
	int console_log;
	long last_progress;	/* mono_ms() of the last byte from the guest */
};

/* Opens the console log and the agent stream. 0 or -1. */
int session_io_open(struct session_io *io, const struct session_opts *o);
void session_io_console(struct session_io *io, const char *buf, size_t n);
void session_io_result(struct session_io *io, const char *buf, size_t n);
/* 1 when the guest must be stopped now (r->end says why: watchdog,
 * power cut or interrupted), else 0 and *wait_ms: how long the caller
 * may wait for the guest before asking again. */
int session_io_check(struct session_io *io, struct session_result *r, int *wait_ms);
/* The guest is gone: a partial last record is reported. */
void session_io_finish(struct session_io *io);
void session_io_close(struct session_io *io);

#endif /* DAXTEST_SESSION_IO_H */
