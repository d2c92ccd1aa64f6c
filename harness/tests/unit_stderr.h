/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a call printed on stderr (its one error line), for unit tests:
 * stderr_begin() sends stderr to a temporary file, stderr_end() puts it
 * back and returns what was written (malloc'd).
 */
#ifndef DAXTEST_UNIT_STDERR_H
#define DAXTEST_UNIT_STDERR_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"

struct stderr_capture {
	char path[64];
	int saved;
};

static inline void stderr_begin(struct stderr_capture *c)
{
	int fd;

	strcpy(c->path, "/tmp/daxtest-unit-stderr-XXXXXX");
	fd = mkstemp(c->path);
	assert_true(fd >= 0);
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static inline char *stderr_end(struct stderr_capture *c)
{
	char *err = NULL;

	fflush(stderr);
	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	assert_int_equal(read_file(c->path, &err, NULL), 0);
	unlink(c->path);
	return err;
}

#endif /* DAXTEST_UNIT_STDERR_H */
