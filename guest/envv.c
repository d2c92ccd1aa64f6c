// SPDX-License-Identifier: GPL-2.0
/*
 * envv.c - build environments for the programs the agent runs
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envv.h"

int envv_set(struct envv *e, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t klen, i;
	char *copy, **v;

	if (!eq)
		return -1;
	klen = eq - kv + 1;
	copy = strdup(kv);
	if (!copy)
		return -1;
	for (i = 0; i < e->n; i++) {
		if (!strncmp(e->v[i], kv, klen)) {
			free(e->v[i]);
			e->v[i] = copy;
			return 0;
		}
	}
	v = realloc(e->v, (e->n + 2) * sizeof(*v));
	if (!v) {
		free(copy);
		return -1;
	}
	e->v = v;
	v[e->n++] = copy;
	v[e->n] = NULL;
	return 0;
}

int envv_setf(struct envv *e, const char *fmt, ...)
{
	char *kv;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&kv, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -1;
	ret = envv_set(e, kv);
	free(kv);
	return ret;
}
