/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable, NULL-terminated vector of malloc'd strings (argv building).
 */
#ifndef DAXTEST_STRV_H
#define DAXTEST_STRV_H

#include <stddef.h>

struct strv {
	char **v;	/* NULL-terminated once anything was added */
	size_t n;
	int err;	/* sticky: an allocation failed */
};

void strv_add(struct strv *s, const char *str);
void strv_addf(struct strv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shell-quoted, space-separated, for logs and "how to reproduce" lines. */
char *strv_join(const struct strv *s);
void strv_free(struct strv *s);

#endif /* DAXTEST_STRV_H */
