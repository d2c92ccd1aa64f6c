// SPDX-License-Identifier: GPL-2.0
/*
 * port.c - the agent's end of the result port
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "port.h"
#include "util.h"

#define PORT_CLASS	"/sys/class/virtio-ports"
#define PORT_POLL_MS	50

void port_init(struct port *p)
{
	p->fd = -1;
	p->broken = false;
	p->rlen = 0;
}

/* Looks for the port once. 1 and the device path when found, else 0. */
static int port_find(char *dev, size_t size)
{
	char path[512], name[128];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int found = 0;

	dir = opendir(PORT_CLASS);
	if (!dir)
		return 0;
	while (!found && (de = readdir(dir))) {
		if (strncmp(de->d_name, "vport", 5))
			continue;
		snprintf(path, sizeof(path), PORT_CLASS "/%s/name", de->d_name);
		if (read_text_file(path, name, sizeof(name)) < 0 ||
		    strcmp(name, DAXTEST_PORT_NAME))
			continue;
		snprintf(dev, size, "/dev/%s", de->d_name);
		found = stat(dev, &st) == 0 && S_ISCHR(st.st_mode);
	}
	closedir(dir);
	return found;
}

int port_open(struct port *p, long timeout_ms, char *err, size_t errlen)
{
	long deadline = mono_ms() + timeout_ms;
	char dev[300];

	while (!port_find(dev, sizeof(dev))) {
		if (mono_ms() >= deadline) {
			snprintf(err, errlen,
				 "no virtio-serial port named %s after %ld ms (needs CONFIG_VIRTIO_CONSOLE and QEMU's -device virtserialport,name=%s)",
				 DAXTEST_PORT_NAME, timeout_ms, DAXTEST_PORT_NAME);
			return -1;
		}
		sleep_ms(PORT_POLL_MS);
	}
	p->fd = open(dev, O_RDWR | O_CLOEXEC);
	if (p->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", dev, strerror(errno));
		return -1;
	}
	return 0;
}

static int port_write(struct port *p, const char *rec, size_t len)
{
	if (p->fd < 0 || p->broken)
		return -1;
	if (write_all(p->fd, rec, len) < 0) {
		con_printf("writing to the result port failed: %s", strerror(errno));
		p->broken = true;
		return -1;
	}
	return 0;
}

int port_send(struct port *p, const char *fmt, ...)
{
	char rec[DAXTEST_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(rec, sizeof(rec) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(rec) - 1) {
		con_printf("record too long for the result port: %.40s...", rec);
		return -1;
	}
	rec[n++] = '\n';
	return port_write(p, rec, n);
}

int port_text(struct port *p, const char *head, const char *text, size_t len)
{
	char rec[DAXTEST_LINE_MAX];
	size_t hlen = strlen(head);

	if (hlen >= sizeof(rec) - 1)
		return -1;
	if (len > sizeof(rec) - 1 - hlen)
		len = sizeof(rec) - 1 - hlen;
	memcpy(rec, head, hlen);
	memcpy(rec + hlen, text, len);
	sanitise(rec + hlen, len);
	rec[hlen + len] = '\n';
	return port_write(p, rec, hlen + len + 1);
}

void port_log(struct port *p, const char *fmt, ...)
{
	char text[DAXTEST_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(text))
		n = sizeof(text) - 1;
	port_text(p, "log ", text, n);
}

/* Takes a complete line out of the read buffer. Returns its length, -1
 * when there is none yet, -2 when it is too long for line or holds a NUL. */
static int port_take_line(struct port *p, char *line, size_t size)
{
	char *nl = memchr(p->rbuf, '\n', p->rlen);
	size_t len;

	if (!nl)
		return p->rlen == sizeof(p->rbuf) ? -2 : -1;
	len = nl - p->rbuf;
	if (len >= size || memchr(p->rbuf, '\0', len))
		return -2;
	memcpy(line, p->rbuf, len);
	line[len] = '\0';
	p->rlen -= len + 1;
	memmove(p->rbuf, nl + 1, p->rlen);
	return len;
}

/* Waits up to left_ms for more bytes and reads them. 0 on progress or
 * nothing yet, -1 when the port failed. */
static int port_fill(struct port *p, long left_ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	ssize_t n;
	int ret;

	if (left_ms < 0)
		left_ms = 0;
	ret = poll(&pfd, 1, left_ms > 1000 ? 1000 : (int)left_ms);
	if (ret < 0)
		return errno == EINTR ? 0 : -1;
	if (ret == 0)
		return 0;
	if (!(pfd.revents & POLLIN)) {
		/* POLLHUP: the host end is not connected (yet). */
		sleep_ms(PORT_POLL_MS);
		return 0;
	}
	n = read(p->fd, p->rbuf + p->rlen, sizeof(p->rbuf) - p->rlen);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		/* End of file: the same, the host end went away for now. */
		sleep_ms(PORT_POLL_MS);
		return 0;
	}
	p->rlen += n;
	return 0;
}

int port_read_line(struct port *p, char *line, size_t size, long deadline_ms,
		   char *err, size_t errlen)
{
	for (;;) {
		int ret = port_take_line(p, line, size);

		if (ret >= 0)
			return ret;
		if (ret == -2) {
			snprintf(err, errlen,
				 "a line from the host is longer than %zu bytes or holds a NUL",
				 size - 1);
			return -1;
		}
		if (mono_ms() >= deadline_ms) {
			snprintf(err, errlen, "timed out waiting for the host");
			return -1;
		}
		if (port_fill(p, deadline_ms - mono_ms()) < 0) {
			snprintf(err, errlen, "reading the result port failed: %s",
				 strerror(errno));
			return -1;
		}
	}
}
