/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An environment for execve(): a NULL-terminated list of "KEY=value" in
 * which a later entry replaces an earlier one with the same key.
 */
#ifndef DAXTEST_GUEST_ENVV_H
#define DAXTEST_GUEST_ENVV_H

#include <stddef.h>

struct envv {
	char **v;	/* NULL-terminated once anything was set */
	size_t n;
};

/* Sets "KEY=value", replacing an entry with the same key. 0, or -1 when
 * out of memory or kv has no '='. */
int envv_set(struct envv *e, const char *kv);
int envv_setf(struct envv *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* DAXTEST_GUEST_ENVV_H */
