/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A scripted QMP server for unit tests, in a thread: it listens on a
 * unix socket (after a delay, if asked), greets, then for each step
 * reads one line from the client, checks that it holds the expected
 * text and sends the step's reply lines. Every wait is bounded, so a
 * client that misbehaves fails the test instead of hanging it.
 */
#ifndef DAXTEST_FAKE_QMP_H
#define DAXTEST_FAKE_QMP_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define FAKE_QMP_WAIT_MS	5000
#define FAKE_QMP_GREETING \
	"{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, " \
	"\"package\": \"Debian 1:7.2+dfsg-7+deb12u18+b3\"}, \"capabilities\": [\"oob\"]}}\r\n"
/* The first step of every session: the client's qmp_capabilities. */
#define FAKE_QMP_CAPS	{ "\"qmp_capabilities\"", "{\"return\": {}}\r\n" }

struct fake_qmp_step {
	const char *expect;	/* text the client's next line must hold */
	const char *reply;	/* lines to send then, or NULL: none */
};

struct fake_qmp {
	/* set by the test */
	char path[108];
	const char *greeting;		/* NULL: FAKE_QMP_GREETING */
	const struct fake_qmp_step *steps;
	size_t nr_steps;
	int listen_delay_ms;		/* bind the socket only after this */
	bool dribble;			/* send replies a byte at a time */
	bool hang_up;			/* close after the steps, no EOF wait */
	/* set by the server */
	pthread_t thread;
	char received[8192];		/* the client's lines, in order */
	char why[256];			/* what went wrong; "" when nothing */
};

static inline int fake_qmp_poll(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, FAKE_QMP_WAIT_MS);
	while (n < 0 && errno == EINTR);
	return n > 0 ? 0 : -1;
}

static inline int fake_qmp_send(struct fake_qmp *f, int fd, const char *text)
{
	size_t len = strlen(text), step = f->dribble ? 1 : len, sent = 0;

	while (sent < len) {
		ssize_t n = send(fd, text + sent, step, MSG_NOSIGNAL);

		if (n <= 0)
			return -1;
		sent += (size_t)n;
		if (f->dribble)
			usleep(100);
	}
	return 0;
}

/* One line of the client into line (without the '\n'); 0, or -1 at EOF
 * or after FAKE_QMP_WAIT_MS. Byte by byte: nothing is read ahead. */
static inline int fake_qmp_line(int fd, char *line, size_t size)
{
	size_t len = 0;
	char c;

	for (;;) {
		if (fake_qmp_poll(fd, POLLIN) < 0 || read(fd, &c, 1) != 1)
			return -1;
		if (c == '\n')
			break;
		if (len + 1 < size)
			line[len++] = c;
	}
	line[len] = '\0';
	return 0;
}

static inline void fake_qmp_session(struct fake_qmp *f, int fd)
{
	char line[2048];
	size_t i;

	if (fake_qmp_send(f, fd, f->greeting ? f->greeting : FAKE_QMP_GREETING) < 0) {
		snprintf(f->why, sizeof(f->why), "cannot send the greeting");
		return;
	}
	for (i = 0; i < f->nr_steps; i++) {
		if (fake_qmp_line(fd, line, sizeof(line)) < 0) {
			snprintf(f->why, sizeof(f->why), "step %zu: no line from the client", i);
			return;
		}
		strncat(f->received, line, sizeof(f->received) - strlen(f->received) - 2);
		strcat(f->received, "\n");
		if (!strstr(line, f->steps[i].expect)) {
			snprintf(f->why, sizeof(f->why), "step %zu: '%.100s' has no '%.100s'", i, line,
				 f->steps[i].expect);
			return;
		}
		if (f->steps[i].reply && fake_qmp_send(f, fd, f->steps[i].reply) < 0) {
			snprintf(f->why, sizeof(f->why), "step %zu: cannot reply", i);
			return;
		}
	}
	if (f->hang_up)
		return;
	/* Whatever else the client sends, until it closes. */
	while (fake_qmp_line(fd, line, sizeof(line)) == 0) {
		strncat(f->received, line, sizeof(f->received) - strlen(f->received) - 2);
		strcat(f->received, "\n");
	}
}

static inline void *fake_qmp_main(void *arg)
{
	struct fake_qmp *f = arg;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd, fd;

	if (f->listen_delay_ms)
		usleep((useconds_t)f->listen_delay_ms * 1000);
	strcpy(sa.sun_path, f->path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		snprintf(f->why, sizeof(f->why), "cannot listen on %s: %s", f->path,
			 strerror(errno));
		goto out;
	}
	if (fake_qmp_poll(lfd, POLLIN) < 0 || (fd = accept(lfd, NULL, NULL)) < 0) {
		snprintf(f->why, sizeof(f->why), "no client came");
		goto out;
	}
	fake_qmp_session(f, fd);
	close(fd);
out:
	if (lfd >= 0)
		close(lfd);
	unlink(f->path);
	return NULL;
}

/* Starts the server on dir/qmp.sock; 0 or -1. */
static inline int fake_qmp_start(struct fake_qmp *f, const char *dir)
{
	snprintf(f->path, sizeof(f->path), "%s/qmp.sock", dir);
	f->received[0] = f->why[0] = '\0';
	return pthread_create(&f->thread, NULL, fake_qmp_main, f) ? -1 : 0;
}

/* Waits for the server's end: its complaint, or "" when the client did
 * what the script expects. */
static inline const char *fake_qmp_join(struct fake_qmp *f)
{
	pthread_join(f->thread, NULL);
	return f->why;
}

#endif /* DAXTEST_FAKE_QMP_H */
