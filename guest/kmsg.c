// SPDX-License-Identifier: GPL-2.0
/*
 * kmsg.c - mark test boundaries in the kernel log and read what tests logged
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kmsg.h"
#include "util.h"

/* A record is at most about 1 KiB (PRINTKRB_RECORD_MAX) plus its
 * dictionary; read() fails with EINVAL for a too small buffer. */
#define KMSG_RECORD_MAX	8192

int kmsg_unlimit(void)
{
	int fd, ret;

	fd = open("/proc/sys/kernel/printk_devkmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = write_all(fd, "on\n", 3);
	close(fd);
	return ret;
}

int kmsg_mark(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int fd, n, ret, prefix;

	prefix = snprintf(line, sizeof(line), "<5>daxtest: ");
	va_start(ap, fmt);
	n = vsnprintf(line + prefix, sizeof(line) - prefix - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	n += prefix;
	if ((size_t)n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	/* Without the newline the record stays open for a continuation: it
	 * would be neither on the console nor behind a SEEK_END yet. */
	line[n++] = '\n';
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* One write() is one record. */
	ret = write(fd, line, n) == n ? 0 : -1;
	close(fd);
	return ret;
}

int kmsg_open_at_end(struct kmsg_reader *k)
{
	k->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (k->fd < 0)
		return -1;
	if (lseek(k->fd, 0, SEEK_END) < 0) {
		close(k->fd);
		k->fd = -1;
		return -1;
	}
	return 0;
}

void kmsg_close(struct kmsg_reader *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

int kmsg_format(const char *rec, size_t len, char *out, size_t size)
{
	const char *semi, *msg, *nl;
	unsigned long long usec;
	char head[128];
	int n;

	semi = memchr(rec, ';', len);
	if (!semi || (size_t)(semi - rec) >= sizeof(head))
		return -1;
	/* prio,seq,usec,flags[,more] */
	memcpy(head, rec, semi - rec);
	head[semi - rec] = '\0';
	if (sscanf(head, "%*u,%*u,%llu,", &usec) != 1)
		return -1;
	msg = semi + 1;
	nl = memchr(msg, '\n', rec + len - msg);
	if (!nl)
		nl = rec + len;
	n = snprintf(out, size, "[%5llu.%06llu] %.*s", usec / 1000000, usec % 1000000,
		     (int)(nl - msg), msg);
	if (n < 0)
		return -1;
	return (size_t)n >= size ? (int)size - 1 : n;
}

int kmsg_read_new(struct kmsg_reader *k, int (*fn)(const char *line, size_t len, void *arg),
		  void *arg)
{
	char *rec, line[KMSG_RECORD_MAX];
	int lost = 0, ret = -1;

	rec = malloc(KMSG_RECORD_MAX);
	if (!rec)
		return -1;
	for (;;) {
		ssize_t n = read(k->fd, rec, KMSG_RECORD_MAX - 1);
		int len;

		if (n < 0 && errno == EPIPE) {
			/* Overwritten before we read it; the next read goes on. */
			lost++;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			goto out;
		len = kmsg_format(rec, n, line, sizeof(line));
		if (len >= 0 && fn(line, len, arg))
			break;
	}
	ret = lost;
out:
	free(rec);
	return ret;
}
