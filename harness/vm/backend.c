// SPDX-License-Identifier: GPL-2.0
/*
 * backend.c - choosing a guest backend, and how a guest ended
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "vm/backend.h"

const struct guest_backend *guest_backend(enum backend b)
{
	return b == BACKEND_LIBVIRT ? &libvirt_backend : &qemu_backend;
}

const char *guest_end_name(enum guest_end e)
{
	switch (e) {
	case GUEST_NOT_STARTED: return "not started";
	case GUEST_EXITED: return "exited";
	case GUEST_WATCHDOG: return "watchdog";
	case GUEST_POWER_CUT: return "power cut";
	case GUEST_INTERRUPTED: return "interrupted";
	case GUEST_KILLED: return "killed from outside";
	case GUEST_IO_ERROR: return "I/O error";
	case GUEST_NOT_RESTORED: return "not restored";
	}
	return "?";
}

void session_result_set(struct session_result *r, enum guest_end e, const char *fmt, ...)
{
	va_list ap;

	r->end = e;
	if (!fmt || r->error)
		return;
	va_start(ap, fmt);
	if (vasprintf(&r->error, fmt, ap) < 0)
		r->error = NULL;
	va_end(ap);
}

void session_result_free(struct session_result *r)
{
	free(r->error);
	r->error = NULL;
}
