/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The content-addressed caches (kernel builds, guest images, ccache):
 * $DAXTEST_CACHE, else $XDG_CACHE_HOME/daxtest, else ~/.cache/daxtest
 * (HOME, else the passwd entry's home), else /tmp/daxtest-cache-<uid>.
 * One per user; created 0700.
 * Writers take an flock on a lock file, so concurrent runs are safe.
 */
#ifndef DAXTEST_CACHE_H
#define DAXTEST_CACHE_H

/* The cache directory's path (malloc'd; NULL without memory), computed
 * here and nowhere else; nothing is created. */
char *cache_dir_path(void);
/* Creates dir (0700 if new, missing parents 0755) for the stages that
 * write it; the /tmp fallback must be the user's alone. 0, or -1 after
 * logging. */
int cache_dir_create(const char *dir);
/* Exclusive lock on path (created); says so if it has to wait, and
 * stops waiting when the user interrupts (lib/interrupt.h).
 * Returns an fd for cache_unlock, or -1 after logging. */
int cache_lock(const char *path, const char *what);
void cache_unlock(int fd);

#endif /* DAXTEST_CACHE_H */
