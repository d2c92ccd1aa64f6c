/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result port (proto.h): finding and opening the virtio-serial port,
 * writing records, reading the host's lines.
 */
#ifndef DAXTEST_GUEST_PORT_H
#define DAXTEST_GUEST_PORT_H

#include <stdbool.h>
#include <stddef.h>

#include "proto/agent_proto.h"

struct port {
	int fd;			/* -1 while not open */
	bool broken;		/* a write failed; nothing more is sent */
	char rbuf[DAXTEST_LINE_MAX];
	size_t rlen;
};

void port_init(struct port *p);

/* Waits up to timeout_ms for the virtio-serial port DAXTEST_PORT_NAME and
 * opens its device. 0, or -1 with the reason in err. */
int port_open(struct port *p, long timeout_ms, char *err, size_t errlen);

/* Sends a record whose fields are all known to fit (numbers, fixed words).
 * 0, or -1 when the port is broken. */
int port_send(struct port *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sends head (e.g. "out 3 ") followed by len bytes of text, sanitised and
 * cut to fit DAXTEST_LINE_MAX. 0, or -1 when the port is broken. */
int port_text(struct port *p, const char *head, const char *text, size_t len);

/* Sends a "log" record. A failure marks the port broken, which the next
 * port_send() or port_text() reports. */
void port_log(struct port *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads one line from the host into line (no newline, NUL-terminated).
 * Returns its length, or -1 with err set: the deadline (mono_ms()) passed,
 * a read failed, or the line is longer than size - 1. */
int port_read_line(struct port *p, char *line, size_t size, long deadline_ms,
		   char *err, size_t errlen);

#endif /* DAXTEST_GUEST_PORT_H */
