/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the hwpoison tests share: running ndctl and keeping its output,
 * reading the few members of ndctl's JSON they need, a block device's
 * badblocks list (block/badblocks.c badblocks_show(): "<sector> <count>"
 * lines), and catching the SIGBUS of a memory error in a child process.
 * Include after kselftest_harness.h.
 *
 * Functions return 0 (or the value documented next to them) on success and
 * a negative errno on failure.
 */
#ifndef DAXTEST_HWP_UTIL_H
#define DAXTEST_HWP_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define HWP_OUT_MAX	8192
#define HWP_PAGE	4096UL

#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR	4
#endif
#ifndef BUS_MCEERR_AO
#define BUS_MCEERR_AO	5
#endif

/* Reads a small procfs or sysfs file into buf, NUL-terminated: its
 * length, or -errno. */
static inline ssize_t hwp_read_small(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* execvp(), then the sbin directories a minimal PATH may lack. */
static inline void hwp_exec(char *const argv[])
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	char path[PATH_MAX];
	size_t i;

	execvp(argv[0], argv);
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], argv[0]);
		execv(path, argv);
	}
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
}

/* "ndctl inject-error ...", for messages. */
static inline void hwp_cmdline(char *const argv[], char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; *argv && n + 1 < len; argv++)
		n += snprintf(buf + n, len - n, "%s%s", n ? " " : "", *argv);
}

/*
 * Runs argv to completion with stdout and stderr together in out (NUL
 * terminated, cut at len - 1): its exit status, 128 + signal, or -errno.
 */
static inline int hwp_run(char *const argv[], char *out, size_t len)
{
	size_t n = 0;
	int pfd[2], status;
	ssize_t r;
	pid_t pid;

	out[0] = '\0';
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		hwp_exec(argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		char sink[512];

		if (n + 1 < len)
			r = read(pfd[0], out + n, len - 1 - n);
		else
			r = read(pfd[0], sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (n + 1 < len)
			n += r;
	}
	out[n] = '\0';
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * hwp_run() that also logs the command, its exit status and its output
 * (the reader of a failed run sees exactly what ndctl said).
 */
#define HWP_RUN(argv, out)						\
	({								\
		char __cmd[256];					\
		int __ret = hwp_run(argv, out, sizeof(out));		\
		hwp_cmdline(argv, __cmd, sizeof(__cmd));		\
		TH_LOG("$ %s -> exit %d", __cmd, __ret);		\
		HWP_LOG_LINES(out);					\
		__ret;							\
	})

/* TH_LOG()s text line by line ("  | <line>"), so KTAP sees only comments. */
#define HWP_LOG_LINES(text)						\
	do {								\
		const char *__p = (text), *__e;				\
		while (*__p) {						\
			__e = strchr(__p, '\n');			\
			if (!__e)					\
				__e = __p + strlen(__p);		\
			TH_LOG("  | %.*s", (int)(__e - __p), __p);	\
			__p = *__e ? __e + 1 : __e;			\
		}							\
	} while (0)

/*
 * The value of the first member "key" at or after p in ndctl's JSON:
 * a pointer to its first character (after the colon and blanks), or NULL.
 */
static inline const char *hwp_json_find(const char *p, const char *key)
{
	char pat[64];
	size_t n;

	n = snprintf(pat, sizeof(pat), "\"%s\"", key);
	while ((p = strstr(p, pat))) {
		p += n;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (*p != ':')
			continue;	/* a string value that happens to be the key */
		p++;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		return p;
	}
	return NULL;
}

/* The JSON string at v (no escapes: ndctl's names have none): 0 or -ENOENT. */
static inline int hwp_json_str_at(const char *v, char *out, size_t len)
{
	const char *end;

	if (!v || *v != '"')
		return -ENOENT;
	v++;
	end = strchr(v, '"');
	if (!end || (size_t)(end - v) >= len)
		return -ENOENT;
	memcpy(out, v, end - v);
	out[end - v] = '\0';
	return 0;
}

/* The string member "key": 0 or -ENOENT. */
static inline int hwp_json_str(const char *json, const char *key, char *out, size_t len)
{
	return hwp_json_str_at(hwp_json_find(json, key), out, len);
}

/*
 * The number member "key" at or after *pos (a plain or quoted number): 0
 * with *pos moved past it, or -ENOENT.
 */
static inline int hwp_json_u64(const char **pos, const char *key, unsigned long long *val)
{
	const char *v = hwp_json_find(*pos, key);
	char *end;

	if (!v)
		return -ENOENT;
	if (*v == '"')
		v++;
	errno = 0;
	*val = strtoull(v, &end, 0);
	if (end == v || errno)
		return -ENOENT;
	*pos = end;
	return 0;
}

/*
 * 1 if ndctl's "badblocks" array in json (inject-error --status) has an
 * entry {"block":block,"count":count}, 0 if not.
 */
static inline int hwp_json_has_bb(const char *json, unsigned long long block,
				  unsigned long long count)
{
	const char *p = hwp_json_find(json, "badblocks");
	unsigned long long b, c;

	if (!p)
		return 0;
	while (!hwp_json_u64(&p, "block", &b)) {
		if (hwp_json_u64(&p, "count", &c))
			return 0;
		if (b == block && c == count)
			return 1;
	}
	return 0;
}

/* Reads /sys/block/<disk>/badblocks into buf: its length or -errno. */
static inline int hwp_badblocks_read(const char *disk, char *buf, size_t len)
{
	char path[320];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/block/%s/badblocks", disk);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	buf[n] = '\0';
	close(fd);
	return n;
}

/*
 * In the "<sector> <count>" lines of list: 1 if one line covers all of
 * [sector, sector + count), 0 if none; overlap gets 1 if a line covers
 * any sector of it.
 */
static inline int hwp_badblocks_covers(const char *list, unsigned long long sector,
				       unsigned long long count, bool overlap)
{
	unsigned long long s, c;
	const char *p = list;
	int n;

	while (sscanf(p, "%llu %llu%n", &s, &c, &n) == 2) {
		if (overlap ? (s < sector + count && sector < s + c) :
			      (s <= sector && sector + count <= s + c))
			return 1;
		p += n;
	}
	return 0;
}

/* Writes "<sector> <count>" to /sys/block/<disk>/badblocks (genhd.c:780). */
static inline int hwp_badblocks_add(const char *disk, unsigned long long sector,
				    unsigned int count)
{
	char path[320], line[64];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), "/sys/block/%s/badblocks", disk);
	n = snprintf(line, sizeof(line), "%llu %u\n", sector, count);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, line, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

/* "pmem0" of "/dev/pmem0". */
static inline const char *hwp_disk_name(const char *dev)
{
	const char *s = strrchr(dev, '/');

	return s ? s + 1 : dev;
}

/*
 * What a child saw of a SIGBUS: kept in a MAP_SHARED anonymous page so
 * the parent reads it after the child is gone.
 */
struct hwp_sigbus {
	int count;		/* SIGBUS deliveries */
	int code;		/* si_code */
	void *addr;		/* si_addr */
	short lsb;		/* si_addr_lsb */
	void *base;		/* the child's mapping */
	int step;		/* the child's progress, for messages */
	int err;		/* errno of a failed step in the child */
	long ret;		/* the return value a step recorded */
};

static struct hwp_sigbus *hwp_sb __attribute__((unused));
static sigjmp_buf hwp_jmp __attribute__((unused));
/* The handler siglongjmp()s to hwp_jmp (a fault) or returns (a syscall). */
static bool hwp_jump __attribute__((unused));

static inline void hwp_sigbus_handler(int sig, siginfo_t *si, void *uc)
{
	hwp_sb->count++;
	hwp_sb->code = si->si_code;
	hwp_sb->addr = si->si_addr;
	hwp_sb->lsb = si->si_addr_lsb;
	if (hwp_jump)
		siglongjmp(hwp_jmp, 1);
}

/* A shared page for struct hwp_sigbus: the pointer or NULL. */
static inline struct hwp_sigbus *hwp_sigbus_new(void)
{
	void *p = mmap(NULL, HWP_PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* In the child: installs the SIGBUS handler recording into sb. */
static inline int hwp_sigbus_catch(struct hwp_sigbus *sb, bool jump)
{
	struct sigaction sa = { 0 };

	hwp_sb = sb;
	hwp_jump = jump;
	sa.sa_sigaction = hwp_sigbus_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL) ? -errno : 0;
}

/* "BUS_MCEERR_AR" and so on, for messages. */
static inline const char *hwp_si_code_name(int code)
{
	switch (code) {
	case BUS_ADRALN:
		return "BUS_ADRALN";
	case BUS_ADRERR:
		return "BUS_ADRERR";
	case BUS_OBJERR:
		return "BUS_OBJERR";
	case BUS_MCEERR_AR:
		return "BUS_MCEERR_AR";
	case BUS_MCEERR_AO:
		return "BUS_MCEERR_AO";
	}
	return "?";
}

/* Waits for pid: its exit status, 128 + signal, or -errno. */
static inline int hwp_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

#endif /* DAXTEST_HWP_UTIL_H */
