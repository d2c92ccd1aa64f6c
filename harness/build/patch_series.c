// SPDX-License-Identifier: GPL-2.0
/*
 * patch_series.c - parse quilt series files and apply them with patch(1)
 */
#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/log.h"
#include "build/patch_series.h"
#include "lib/spawn.h"

static int add_patch(struct patch_series *s, char *path, char *where, int strip)
{
	struct patch_entry *p;

	p = realloc(s->patches, (s->nr + 1) * sizeof(*p));
	if (!p)
		return -1;
	s->patches = p;
	s->patches[s->nr].path = path;
	s->patches[s->nr].where = where;
	s->patches[s->nr].strip = strip;
	s->nr++;
	return 0;
}

/* One series line: "name [-pN]". Returns 0, 1 for a blank line, -1. */
static int parse_line(char *line, const char *where, const char *base_dir,
		      char **path, int *strip)
{
	char *name, *opt, *extra, *save = NULL, *hash;

	hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	name = strtok_r(line, " \t", &save);
	if (!name)
		return 1;
	*strip = 1;
	opt = strtok_r(NULL, " \t", &save);
	if (opt) {
		char *end;
		long n;

		if (strncmp(opt, "-p", 2) != 0 || !opt[2]) {
			log_error("%s: unknown option '%s' (only -pN is allowed)", where, opt);
			return -1;
		}
		n = strtol(opt + 2, &end, 10);
		if (*end || n < 0 || n > 16) {
			log_error("%s: bad strip level '%s'", where, opt);
			return -1;
		}
		*strip = (int)n;
	}
	extra = strtok_r(NULL, " \t", &save);
	if (extra) {
		log_error("%s: unexpected '%s' after the patch name", where, extra);
		return -1;
	}
	*path = name[0] == '/' ? strdup(name) : path_join(base_dir, name);
	return *path ? 0 : -1;
}

int patch_series_parse(struct patch_series *s, const char *text,
		       const char *series_name, const char *base_dir)
{
	char *copy, *line, *save = NULL;
	int lineno = 0, ret = 0;

	copy = strdup(text);
	if (!copy)
		return -1;
	for (line = copy; line; line = save) {
		char *nl = strchr(line, '\n'), *where, *path = NULL;
		int strip, r;

		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		lineno++;
		where = str_printf("%s:%d", series_name, lineno);
		if (!where) {
			ret = -1;
			break;
		}
		r = parse_line(line, where, base_dir, &path, &strip);
		if (r == 0 && access(path, R_OK) < 0) {
			log_error("%s: cannot read patch %s: %s", where, path, strerror(errno));
			r = -1;
		}
		if (r == 0 && add_patch(s, path, where, strip) == 0)
			continue;
		free(path);
		free(where);
		if (r < 0) {
			ret = -1;
			break;
		}
	}
	free(copy);
	return ret;
}

int patch_series_load(struct patch_series *s, const char *series_path)
{
	char *text = NULL, *dir_copy, *base;
	int ret;

	ret = read_file(series_path, &text, NULL);
	if (ret < 0) {
		log_error("cannot read patch series %s: %s", series_path, strerror(-ret));
		return -1;
	}
	/* Absolute: patch(1) runs in the kernel worktree, not here. */
	dir_copy = realpath(series_path, NULL);
	if (!dir_copy) {
		log_error("cannot resolve patch series %s: %s", series_path, strerror(errno));
		free(text);
		return -1;
	}
	base = dirname(dir_copy);
	ret = patch_series_parse(s, text, series_path, base);
	free(dir_copy);
	free(text);
	return ret;
}

static bool line_has(const char *line, size_t len, const char *what)
{
	return memmem(line, len, what, strlen(what)) != NULL;
}

/* The first failure patch(1) reported, as "Hunk #2 FAILED at 41 (fs/dax.c)". */
static char *first_failure(const char *out)
{
	static const char *const fatal[] = {
		"can't find file", "Reversed (or previously applied)", "malformed patch",
		"Only garbage", "No file to patch", NULL,
	};
	const char *line = out, *file = NULL;
	size_t file_len = 0;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		const char *const *f;

		if (!strncmp(line, "checking file ", 14) ||
		    !strncmp(line, "patching file ", 14)) {
			file = line + 14;
			file_len = len - 14;
		} else if (line_has(line, len, "FAILED") && !line_has(line, len, "out of")) {
			return str_printf("%.*s (%.*s)", (int)len, line,
					  (int)file_len, file ? file : "?");
		}
		for (f = fatal; *f; f++)
			if (line_has(line, len, *f))
				return str_printf("%.*s", (int)len, line);
		line = end ? end + 1 : NULL;
	}
	return strdup(proc_tail(out, 1));
}

/* Appends the "patching file X" names of patch's output to touched. */
static void note_touched(const char *out, FILE *touched)
{
	const char *line = out;

	while (touched && line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (!strncmp(line, "patching file ", 14))
			fprintf(touched, "%.*s\n", (int)(len - 14), line + 14);
		line = end ? end + 1 : NULL;
	}
}

static int apply_one(const struct patch_entry *p, const char *tree,
		     FILE *touched)
{
	char strip[16], *out = NULL, *why;
	int ret;

	snprintf(strip, sizeof(strip), "-p%d", p->strip);
	{
		const char *argv[] = { "patch", strip, "--forward", "--batch",
				       "--dry-run", "-d", tree, "-i", p->path, NULL };

		ret = proc_capture(argv, NULL, &out);
	}
	if (ret != 0) {
		why = first_failure(out ? out : "");
		log_error("patch %s (%s) does not apply: %s", p->path, p->where,
			  why ? why : "patch failed");
		free(why);
		free(out);
		return -1;
	}
	free(out);
	{
		const char *argv[] = { "patch", strip, "--forward", "--batch",
				       "--no-backup-if-mismatch", "-r", "-",
				       "-d", tree, "-i", p->path, NULL };

		ret = proc_capture(argv, NULL, &out);
	}
	note_touched(out, touched);
	if (ret != 0)
		log_error("patch %s failed after a clean dry run: %s", p->path,
			  proc_tail(out, 1));
	free(out);
	return ret ? -1 : 0;
}

int patch_series_apply(const struct patch_series *s, const char *tree,
		       const char *touched_path)
{
	FILE *touched;
	size_t i;
	int ret = 0;

	touched = fopen(touched_path, "a");
	if (!touched) {
		log_error("cannot write %s: %s", touched_path, strerror(errno));
		return -1;
	}
	for (i = 0; i < s->nr; i++) {
		if (apply_one(&s->patches[i], tree, touched) < 0) {
			ret = -1;
			break;
		}
		log_debug("kernel: applied %s", s->patches[i].path);
	}
	if (fclose(touched) != 0)
		ret = -1;
	return ret;
}

#define MIN_KERNEL_TAG "Daxtest-min-kernel:"

bool patch_notes_line(struct patch_notes *n, const char **line, size_t *len)
{
	while (n->next && *n->next) {
		const char *start = n->next;
		size_t l = strcspn(start, "\n");

		n->next = start[l] ? start + l + 1 : start + l;
		if (!n->in_notes) {
			n->in_notes = l == 3 && !strncmp(start, "---", 3);
			continue;
		}
		if (!strncmp(start, "diff ", 5)) {
			n->next = NULL;
			return false;
		}
		*line = start;
		*len = l;
		return true;
	}
	return false;
}

/* The "Daxtest-min-kernel:" of a patch's notes: 1 and *major, *minor; 0
 * when there is none; -1 for a malformed one. */
static int min_kernel(const char *text, unsigned int *major, unsigned int *minor)
{
	struct patch_notes n = { .next = text };
	const char *line;
	size_t len;

	while (patch_notes_line(&n, &line, &len)) {
		if (strncmp(line, MIN_KERNEL_TAG, strlen(MIN_KERNEL_TAG)))
			continue;
		return sscanf(line + strlen(MIN_KERNEL_TAG), " %u.%u", major, minor) == 2 ? 1 : -1;
	}
	return 0;
}

int patch_series_for_kernel(struct patch_series *s, unsigned int major, unsigned int minor)
{
	size_t i, kept = 0;
	int ret = 0;

	for (i = 0; i < s->nr; i++) {
		struct patch_entry *p = &s->patches[i];
		unsigned int want_major, want_minor;
		char *text = NULL;
		int has;

		if (read_file(p->path, &text, NULL) < 0) {
			log_error("cannot read patch %s", p->path);
			ret = -1;
		}
		has = ret ? 0 : min_kernel(text, &want_major, &want_minor);
		free(text);
		if (has < 0) {
			log_error("%s: %s wants <major>.<minor>", p->where, MIN_KERNEL_TAG);
			ret = -1;
		}
		if (!ret && has > 0 &&
		    (want_major > major || (want_major == major && want_minor > minor))) {
			log_info("kernel: %s is for %u.%u and later, not applied to %u.%u",
				 strrchr(p->path, '/') ? strrchr(p->path, '/') + 1 : p->path,
				 want_major, want_minor, major, minor);
			free(p->path);
			free(p->where);
			continue;
		}
		s->patches[kept++] = *p;
	}
	s->nr = kept;
	return ret;
}

int patch_series_hash(const struct patch_series *s, struct hash *h)
{
	size_t i;

	for (i = 0; i < s->nr; i++) {
		char strip[16];
		const char *name = strrchr(s->patches[i].path, '/');

		snprintf(strip, sizeof(strip), "-p%d", s->patches[i].strip);
		hash_field(h, "patch", name ? name + 1 : s->patches[i].path);
		hash_field(h, "strip", strip);
		if (hash_file(h, "content", s->patches[i].path) < 0) {
			log_error("cannot read patch %s", s->patches[i].path);
			return -1;
		}
	}
	return 0;
}

void patch_series_free(struct patch_series *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++) {
		free(s->patches[i].path);
		free(s->patches[i].where);
	}
	free(s->patches);
	s->patches = NULL;
	s->nr = 0;
}
