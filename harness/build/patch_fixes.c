// SPDX-License-Identifier: GPL-2.0
/*
 * patch_fixes.c - the "Daxtest-fixes:" lines of a patch series
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "build/patch_fixes.h"

static int add_fix(struct patch_fixes *f, const char *patch, const char *glob, size_t len)
{
	struct patch_fix *grown = realloc(f->v, (f->n + 1) * sizeof(*grown));

	if (!grown)
		return -1;
	f->v = grown;
	grown[f->n].glob = strndup(glob, len);
	grown[f->n].patch = strdup(patch);
	if (!grown[f->n].glob || !grown[f->n].patch) {
		free(grown[f->n].glob);
		free(grown[f->n].patch);
		return -1;
	}
	f->n++;
	return 0;
}

/* The globs of one "Daxtest-fixes:" line (past the tag), blank-separated.
 * Each names a test: "<area>/<program>..." */
static int parse_globs(struct patch_fixes *f, const char *patch, const char *p,
		       const char *end)
{
	size_t before = f->n, len;

	for (;;) {
		p += strspn(p, " \t");
		if (p >= end)
			break;
		len = strcspn(p, " \t\n");
		if (p + len > end)
			len = end - p;
		if (!memchr(p, '/', len) || (memchr(p, ':', len) && p[len - 1] == ':')) {
			log_error("%s: %s entry '%.*s' is not <area>/<test glob>[:<subtest glob>]",
				  patch, PATCH_FIXES_TAG, (int)len, p);
			return -1;
		}
		if (add_fix(f, patch, p, len) < 0)
			return -1;
		p += len;
	}
	if (f->n == before) {
		log_error("%s: %s names no test", patch, PATCH_FIXES_TAG);
		return -1;
	}
	return 0;
}

int patch_fixes_parse(struct patch_fixes *f, const char *patch, const char *text)
{
	struct patch_notes n = { .next = text };
	const char *line;
	size_t len;

	while (patch_notes_line(&n, &line, &len))
		if (!strncmp(line, PATCH_FIXES_TAG, strlen(PATCH_FIXES_TAG)) &&
		    parse_globs(f, patch, line + strlen(PATCH_FIXES_TAG), line + len) < 0)
			return -1;
	return 0;
}

int patch_fixes_load(struct patch_fixes *f, const struct patch_series *s)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < s->nr && !ret; i++) {
		const char *name = strrchr(s->patches[i].path, '/');
		char *text = NULL;

		name = name ? name + 1 : s->patches[i].path;
		if (read_file(s->patches[i].path, &text, NULL) < 0) {
			log_error("cannot read patch %s", s->patches[i].path);
			return -1;
		}
		ret = patch_fixes_parse(f, name, text);
		free(text);
	}
	return ret;
}

void patch_fixes_free(struct patch_fixes *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		free(f->v[i].glob);
		free(f->v[i].patch);
	}
	free(f->v);
	f->v = NULL;
	f->n = 0;
}
