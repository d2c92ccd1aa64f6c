/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers the agent's parts share: console messages, clocks, I/O.
 */
#ifndef DAXTEST_GUEST_UTIL_H
#define DAXTEST_GUEST_UTIL_H

#include <stddef.h>
#include <sys/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The environment the agent runs helpers and tests with. */
#define AGENT_PATH	"/usr/sbin:/usr/bin:/sbin:/bin"

/* One line on the console (the agent's stderr), "daxtest-agent: " first. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Milliseconds of CLOCK_MONOTONIC and of CLOCK_BOOTTIME (since boot). */
long mono_ms(void);
long boot_ms(void);

/* Writes all of buf, retrying on EINTR and short writes. 0, or -1 and
 * errno. */
int write_all(int fd, const void *buf, size_t len);

/* Reads a small text file (procfs, sysfs) into buf, NUL-terminated, without
 * the trailing newline. Returns the length, or -1 and errno. */
ssize_t read_text_file(const char *path, char *buf, size_t size);
/* Writes text to path (a sysfs or procfs file). 0, or -1 with errno set. */
int write_text_file(const char *path, const char *text);

/* Looks in dir (a sysfs directory) for an entry whose name starts with
 * prefix and whose file <entry>/<attr> starts with want; copies the
 * entry's name to name. 1 if found, 0 if not. */
int sysfs_find_entry(const char *dir, const char *prefix, const char *attr,
		     const char *want, char *name, size_t len);

/* Replaces every byte that is not printable ASCII or tab by '?'. */
void sanitise(char *s, size_t len);

/* Sleeps for ms milliseconds. */
void sleep_ms(long ms);

#endif /* DAXTEST_GUEST_UTIL_H */
