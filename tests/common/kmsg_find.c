// SPDX-License-Identifier: GPL-2.0
/*
 * kmsg_find.c - search the kernel log records logged since a point
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "kmsg_find.h"

#define KMSG_RECORD_MAX	8192

int kmsg_open_at_end(void)
{
	int fd;

	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

int kmsg_find(int fd, const char *needle)
{
	char rec[KMSG_RECORD_MAX];
	ssize_t n;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on with the next */
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		if (n == 0)
			return 0;
		rec[n] = '\0';
		if (strstr(rec, needle))
			return 1;
	}
}
