// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - where the caches live, and locking them
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cache.h"
#include "fsutil.h"
#include "log.h"

char *cache_dir(void)
{
	const char *env = getenv("DAXTEST_CACHE");
	char *dir;

	if (env && *env)
		dir = strdup(env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		dir = path_join(env, "daxtest");
	else if ((env = getenv("HOME")) && *env)
		dir = str_printf("%s/.cache/daxtest", env);
	else
		dir = strdup("/tmp/daxtest-cache");
	if (!dir)
		return NULL;
	if (mkdir_p(dir, 0755) < 0) {
		log_error("cannot create the cache directory %s: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
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
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			log_error("cannot lock %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

void cache_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
