/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A mapper: a child process that maps a file's pages, loads one, waits
 * while the test poisons or removes it, then loads it again, recording
 * every SIGBUS it gets in a shared page.
 *
 * Include after kselftest_harness.h and hwp_util.h.
 */
#ifndef DAXTEST_HWP_MAPPER_H
#define DAXTEST_HWP_MAPPER_H

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "hwp_util.h"

#define HWP_MAPPER_PAGES	16

/*
 * What a mapper child (mapper_child()) saw: the SIGBUS record first, so
 * hwp_sigbus_handler() fills it.
 */
struct mapper {
	struct hwp_sigbus sb;
	int before;		/* SIGBUS count when told to load the page again */
	int loaded;		/* 1 once that load returned */
	char seen;		/* the byte it read */
};

/* A shared page for struct mapper: the pointer or NULL. */
static inline struct mapper *mapper_new(void)
{
	void *p = mmap(NULL, HWP_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * In a child: maps HWP_MAPPER_PAGES pages of fd from off, loads page p
 * (which holds c), sets PR_MCE_KILL_EARLY if early, writes a byte to
 * ready and waits (SIGBUS handler returning) for a byte on go; then loads
 * page p again and exits 0. Exits 14 if go reaches end of file first (the
 * test gave up), 15 if the second load raised SIGBUS.
 */
static inline pid_t mapper_child(int fd, off_t off, unsigned int p, char c, bool early,
			  struct mapper *m, const int ready[2], const int go[2])
{
	volatile char *map;
	char b = 1;
	ssize_t n;
	pid_t pid;

	pid = fork();
	if (pid)
		return pid;
	/* Only the test process may hold go's write end: EOF if it dies. */
	close(go[1]);
	close(ready[0]);
	if (hwp_sigbus_catch(&m->sb, false))
		_exit(10);
	map = mmap(NULL, HWP_MAPPER_PAGES * HWP_PAGE, PROT_READ, MAP_SHARED, fd, off);
	if (map == MAP_FAILED) {
		m->sb.err = errno;
		_exit(11);
	}
	m->sb.base = (void *)map;
	m->sb.step = 1;
	if (map[p * HWP_PAGE] != c)
		_exit(12);
	if (early && prctl(PR_MCE_KILL, PR_MCE_KILL_SET, PR_MCE_KILL_EARLY, 0, 0)) {
		m->sb.err = errno;
		_exit(13);
	}
	m->sb.step = 2;
	if (write(ready[1], &b, 1) != 1)
		_exit(16);
	do
		n = read(go[0], &b, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(14);
	m->before = m->sb.count;
	m->sb.step = 3;
	hwp_jump = true;
	if (sigsetjmp(hwp_jmp, 1))
		_exit(15);
	m->seen = map[p * HWP_PAGE];
	m->loaded = 1;
	m->sb.step = 4;
	_exit(0);
}

/* Waits up to 30 s for one byte on fd: 0, or -1 on timeout or end of file. */
static inline int wait_byte(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char b;

	if (poll(&pfd, 1, 30000) != 1)
		return -1;
	return read(fd, &b, 1) == 1 ? 0 : -1;
}

#endif /* DAXTEST_HWP_MAPPER_H */
