// SPDX-License-Identifier: GPL-2.0
/*
 * test_cache.c - the cache directory daxtest creates is its owner's alone;
 * waiting for its lock ends when the lock is free or the user interrupts
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/cache.h"
#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/interrupt.h"

static char root[] = "/tmp/daxtest-test-cache.XXXXXX";

static int setup(void **state)
{
	return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
	return remove_tree(root);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static void new_cache_is_private(void **state)
{
	char *want = str_printf("%s/a/b/daxtest", root), *parent = str_printf("%s/a/b", root);
	char *dir;

	setenv("DAXTEST_CACHE", want, 1);
	dir = cache_dir_path();
	assert_non_null(dir);
	assert_string_equal(dir, want);
	assert_int_equal(access(dir, F_OK), -1);
	assert_int_equal(cache_dir_create(dir), 0);
	assert_int_equal(mode_of(dir), 0700);
	/* parents it had to create are ordinary directories (umask 022) */
	assert_int_equal(mode_of(parent), 0755);
	free(dir);
	free(want);
	free(parent);
}

static void existing_cache_keeps_its_mode(void **state)
{
	char *want = str_printf("%s/shared", root);
	char *dir;

	assert_int_equal(mkdir(want, 0755), 0);
	assert_int_equal(chmod(want, 0750), 0);
	setenv("DAXTEST_CACHE", want, 1);
	dir = cache_dir_path();
	assert_non_null(dir);
	assert_int_equal(cache_dir_create(dir), 0);
	assert_int_equal(mode_of(dir), 0750);
	free(dir);
	free(want);
}

static void xdg_cache_home_is_used(void **state)
{
	char *xdg = str_printf("%s/xdg", root), *want = str_printf("%s/xdg/daxtest", root);
	char *dir;

	unsetenv("DAXTEST_CACHE");
	setenv("XDG_CACHE_HOME", xdg, 1);
	dir = cache_dir_path();
	assert_non_null(dir);
	assert_string_equal(dir, want);
	assert_int_equal(cache_dir_create(dir), 0);
	assert_int_equal(mode_of(dir), 0700);
	free(dir);
	free(xdg);
	free(want);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The lock file, held by another open file description (another daxtest). */
static int hold_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
	return fd;
}

struct locker {
	pthread_t tid;
	const char *path;
	int fd;
	long ms;
};

static void *lock_thread(void *arg)
{
	struct locker *l = arg;
	long t0 = mono_ms();

	l->fd = cache_lock(l->path, "test lock");
	l->ms = mono_ms() - t0;
	return NULL;
}

/* cache_lock() in a thread; false when it has not returned in 5 s. */
static bool lock_within(struct locker *l)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	return pthread_timedjoin_np(l->tid, NULL, &deadline) == 0;
}

struct delayed {
	long ms;
	int fd;		/* closed after ms; -1: interrupt_raise() instead */
};

static void *delayed_thread(void *arg)
{
	struct delayed *d = arg;

	sleep_ms(d->ms);
	if (d->fd >= 0)
		close(d->fd);
	else
		interrupt_raise(SIGTERM);
	return NULL;
}

/* The lock is free again: the waiter gets it. */
static void lock_wait_ends_when_free(void **state)
{
	char *path = str_printf("%s/free.lock", root);
	struct delayed d = { .ms = 300, .fd = hold_lock(path) };
	struct locker l = { .path = path, .fd = -1 };
	pthread_t tid;

	assert_int_equal(pthread_create(&l.tid, NULL, lock_thread, &l), 0);
	assert_int_equal(pthread_create(&tid, NULL, delayed_thread, &d), 0);
	assert_true(lock_within(&l));
	pthread_join(tid, NULL);
	assert_true(l.fd >= 0);
	assert_true(l.ms >= 250);
	cache_unlock(l.fd);
	free(path);
}

/* The user interrupts while another daxtest holds the lock: -1 within a
 * second, not when the other run is done. */
static void lock_wait_stops_on_interrupt(void **state)
{
	char *path = str_printf("%s/held.lock", root);
	int holder = hold_lock(path);
	struct delayed d = { .ms = 200, .fd = -1 };
	struct locker l = { .path = path, .fd = -1 };
	pthread_t tid;
	bool returned;

	assert_int_equal(pthread_create(&l.tid, NULL, lock_thread, &l), 0);
	assert_int_equal(pthread_create(&tid, NULL, delayed_thread, &d), 0);
	returned = lock_within(&l);
	pthread_join(tid, NULL);
	close(holder);
	interrupt_clear();
	if (!returned) {
		/* Let the hung waiter have the lock, so that it ends. */
		pthread_join(l.tid, NULL);
		cache_unlock(l.fd);
		fail_msg("cache_lock ignored the interrupt");
	}
	assert_int_equal(l.fd, -1);
	assert_true(l.ms < 1500);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_cache_is_private),
		cmocka_unit_test(existing_cache_keeps_its_mode),
		cmocka_unit_test(xdg_cache_home_is_used),
		cmocka_unit_test(lock_wait_ends_when_free),
		cmocka_unit_test(lock_wait_stops_on_interrupt),
	};

	umask(022);
	return cmocka_run_group_tests(tests, setup, teardown);
}
