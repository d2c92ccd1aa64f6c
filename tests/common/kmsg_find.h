/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Looking for a kernel message a test expects (e.g. the reason a mount
 * was refused) among the records logged since a point in time.
 */
#ifndef DAXTEST_KMSG_FIND_H
#define DAXTEST_KMSG_FIND_H

/* Opens /dev/kmsg positioned after the last record: a fd or -errno. */
int kmsg_open_at_end(void);
/* 1 if a record logged since kmsg_open_at_end() contains needle, 0 if
 * not, or -errno. */
int kmsg_find(int fd, const char *needle);

#endif /* DAXTEST_KMSG_FIND_H */
