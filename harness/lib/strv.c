// SPDX-License-Identifier: GPL-2.0
/*
 * strv.c - NULL-terminated string vectors
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strv.h"

static void strv_push(struct strv *s, char *str)
{
	char **grown;

	if (!str) {
		s->err = 1;
		return;
	}
	grown = realloc(s->v, (s->n + 2) * sizeof(*grown));
	if (!grown) {
		free(str);
		s->err = 1;
		return;
	}
	s->v = grown;
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void strv_add(struct strv *s, const char *str)
{
	strv_push(s, strdup(str));
}

void strv_addf(struct strv *s, const char *fmt, ...)
{
	va_list ap;
	char *str;

	va_start(ap, fmt);
	if (vasprintf(&str, fmt, ap) < 0)
		str = NULL;
	va_end(ap);
	strv_push(s, str);
}

static int needs_quotes(const char *a)
{
	return !*a || strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") != NULL;
}

char *strv_join(const struct strv *s)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const char *a = s->v[i];

		if (i)
			fputc(' ', f);
		if (!needs_quotes(a)) {
			fputs(a, f);
			continue;
		}
		fputc('\'', f);
		for (; *a; a++) {
			if (*a == '\'')
				fputs("'\\''", f);
			else
				fputc(*a, f);
		}
		fputc('\'', f);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void strv_free(struct strv *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
