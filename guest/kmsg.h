/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log through /dev/kmsg: markers the agent writes, and the
 * records logged while a test ran.
 */
#ifndef DAXTEST_GUEST_KMSG_H
#define DAXTEST_GUEST_KMSG_H

#include <stddef.h>

struct kmsg_reader {
	int fd;
};

/* Lifts the rate limit on writes to /dev/kmsg (kernel.printk_devkmsg=on):
 * two markers per test would soon hit it. 0, or -1 and errno. */
int kmsg_unlimit(void);

/* Writes "daxtest: <text>" to the kernel log at notice level, so the
 * console shows it. 0, or -1 and errno. */
int kmsg_mark(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens /dev/kmsg positioned after the last record. 0, or -1 and errno. */
int kmsg_open_at_end(struct kmsg_reader *k);

/* Calls fn with each record logged since kmsg_open_at_end() (or the last
 * call), formatted like dmesg: "[%5lu.%06lu] message". Stops early when fn
 * returns non-zero. Returns the number of records lost because the log
 * wrapped, or -1 and errno. */
int kmsg_read_new(struct kmsg_reader *k, int (*fn)(const char *line, size_t len, void *arg),
		  void *arg);

void kmsg_close(struct kmsg_reader *k);

/* Formats one /dev/kmsg record ("prio,seq,usec,flags;message\n" plus
 * " KEY=value" lines) as "[sec.usec] message" into out. Returns the
 * length, or -1 when rec is not a record. */
int kmsg_format(const char *rec, size_t len, char *out, size_t size);

#endif /* DAXTEST_GUEST_KMSG_H */
