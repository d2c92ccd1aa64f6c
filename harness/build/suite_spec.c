// SPDX-License-Identifier: GPL-2.0
/*
 * suite_spec.c - "--suite ndctl=DIR" / "--suite fstests=DIR"
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "build/suite_spec.h"
#include "lib/fsutil.h"
#include "lib/log.h"

/* What a tree of each suite has, in the order they are checked. */
static const char *const ndctl_marks[] = { "meson.build", "test/meson.build", NULL };
static const char *const fstests_marks[] = { "check", "common/config", NULL };

const char *suite_kind_name(enum suite_kind k)
{
	return k == SUITE_NDCTL ? "ndctl" : "fstests";
}

static int kind_of(const char *name, size_t len, enum suite_kind *k)
{
	if (len == 5 && !strncmp(name, "ndctl", len))
		*k = SUITE_NDCTL;
	else if (len == 7 && !strncmp(name, "fstests", len))
		*k = SUITE_FSTESTS;
	else
		return -1;
	return 0;
}

/* The tree has every mark of its kind, or the error names the first
 * missing one. */
static int check_marks(const char *arg, const char *real, enum suite_kind k)
{
	const char *const *mark = k == SUITE_NDCTL ? ndctl_marks : fstests_marks;

	for (; *mark; mark++) {
		char *p = path_join(real, *mark);
		bool there = p && path_is_file(p);

		free(p);
		if (!there) {
			log_error("--suite %s: %s has no %s: not an %s source tree", arg, real,
				  *mark, suite_kind_name(k));
			return -1;
		}
	}
	return 0;
}

int suite_spec_parse(const char *arg, struct suite_spec *s)
{
	const char *eq = strchr(arg, '=');
	char real[PATH_MAX];

	memset(s, 0, sizeof(*s));
	if (!eq || kind_of(arg, eq - arg, &s->kind) < 0) {
		log_error("--suite: '%s' is not a suite: ndctl=DIR or fstests=DIR", arg);
		return -1;
	}
	if (!eq[1]) {
		log_error("--suite %s: no directory given: %s=DIR", arg, suite_kind_name(s->kind));
		return -1;
	}
	if (!realpath(eq + 1, real)) {
		log_error("--suite %s: %s: %s", arg, eq + 1, strerror(errno));
		return -1;
	}
	if (!path_is_dir(real)) {
		log_error("--suite %s: %s is not a directory", arg, real);
		return -1;
	}
	if (check_marks(arg, real, s->kind) < 0)
		return -1;
	s->src = strdup(real);
	if (!s->src) {
		log_error("--suite %s: out of memory", arg);
		return -1;
	}
	return 0;
}

void suite_spec_free(struct suite_spec *s)
{
	free(s->src);
	s->src = NULL;
}
