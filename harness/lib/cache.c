// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - where the caches live, and locking them
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cache.h"
#include "lib/fsutil.h"
#include "lib/interrupt.h"
#include "lib/log.h"

/* The cache holds the kernel and the guest image: only its owner reads
 * it. Missing parents get 0755, an existing directory keeps its mode. */
static int make_private_dir(const char *dir)
{
	char *parent, *slash;
	int ret;

	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return path_is_dir(dir) ? 0 : -1;
	if (errno != ENOENT)
		return -1;
	parent = strdup(dir);
	if (!parent)
		return -1;
	slash = strrchr(parent, '/');
	if (slash && slash != parent) {
		*slash = '\0';
		if (mkdir_p(parent, 0755) < 0) {
			free(parent);
			return -1;
		}
	}
	free(parent);
	ret = mkdir(dir, 0700);
	return ret == 0 || errno == EEXIST ? 0 : -1;
}

#define SHARED_FALLBACK "/tmp/daxtest-cache-"

/* HOME, else the password database's home directory (malloc'd), or
 * NULL. */
static char *home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd pw, *found = NULL;
	char buf[4096];

	if (home && *home)
		return strdup(home);
	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &found) != 0 || !found ||
	    !pw.pw_dir || !*pw.pw_dir)
		return NULL;
	return strdup(pw.pw_dir);
}

char *cache_dir_path(void)
{
	const char *env = getenv("DAXTEST_CACHE");
	char *home, *dir;

	if (env && *env)
		return strdup(env);
	if ((env = getenv("XDG_CACHE_HOME")) && *env)
		return path_join(env, "daxtest");
	home = home_dir();
	if (home) {
		dir = str_printf("%s/.cache/daxtest", home);
		free(home);
		return dir;
	}
	return str_printf(SHARED_FALLBACK "%u", (unsigned int)getuid());
}

int cache_dir_create(const char *dir)
{
	struct stat st;

	if (make_private_dir(dir) < 0) {
		log_error("cannot create the cache directory %s: %s", dir, strerror(errno));
		return -1;
	}
	/* In /tmp another user could have made it first, kernel inside. */
	if (!strncmp(dir, SHARED_FALLBACK, strlen(SHARED_FALLBACK)) &&
	    (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	     (st.st_mode & 0077))) {
		log_error("the cache directory %s is not yours alone: set DAXTEST_CACHE or HOME",
			  dir);
		return -1;
	}
	return 0;
}

/*
 * Polls rather than blocking in flock(): a signal interrupts a blocking
 * call only in the thread it is delivered to, and not at all when it
 * comes just before the call.
 */
static int wait_lock(int fd, const char *path)
{
	for (;;) {
		if (interrupt_pending()) {
			log_error("interrupted while waiting for the lock %s", path);
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			log_error("cannot lock %s: %s", path, strerror(errno));
			return -1;
		}
		poll(NULL, 0, INTERRUPT_POLL_MS);
	}
}

int cache_lock(const char *path, const char *what)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_error("cannot open lock %s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	log_info("waiting for another daxtest using the %s (%s)", what, path);
	if (wait_lock(fd, path) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void cache_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
