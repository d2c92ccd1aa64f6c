// SPDX-License-Identifier: GPL-2.0
/*
 * util.c - console messages, clocks and I/O helpers for the guest agent
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void con_printf(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int prefix, n;

	prefix = snprintf(line, sizeof(line), "daxtest-agent: ");
	va_start(ap, fmt);
	n = vsnprintf(line + prefix, sizeof(line) - prefix - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n += prefix;
	if ((size_t)n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	/* Nowhere to report a failing console. */
	if (write_all(STDERR_FILENO, line, n) < 0)
		return;
}

static long clock_ms(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) < 0)
		return 0;
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

long mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

long boot_ms(void)
{
	return clock_ms(CLOCK_BOOTTIME);
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

ssize_t read_text_file(const char *path, char *buf, size_t size)
{
	ssize_t n = 0, len = 0;
	int fd, saved;

	if (!size) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	saved = errno;
	close(fd);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	while (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = '\0';
	return len;
}

void sanitise(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c != '\t' && (c < 0x20 || c > 0x7e))
			s[i] = '?';
	}
}

void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int sysfs_find_entry(const char *dir, const char *prefix, const char *attr,
		     const char *want, char *name, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512], value[256];
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", dir, e->d_name, attr);
		if (read_text_file(path, value, sizeof(value)) < 0 ||
		    strncmp(value, want, strlen(want)))
			continue;
		snprintf(name, len, "%s", e->d_name);
		found = 1;
	}
	closedir(d);
	return found;
}

int write_text_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret, e;

	if (fd < 0)
		return -1;
	ret = write_all(fd, text, strlen(text));
	e = errno;
	close(fd);
	errno = e;
	return ret < 0 ? -1 : 0;
}
