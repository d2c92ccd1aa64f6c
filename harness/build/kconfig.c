// SPDX-License-Identifier: GPL-2.0
/*
 * kconfig.c - parse, merge and verify kernel config fragments
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "build/kconfig.h"
#include "lib/log.h"

static bool valid_name(const char *s, size_t len)
{
	size_t i;

	if (len <= 7 || strncmp(s, "CONFIG_", 7) != 0)
		return false;
	for (i = 7; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static int set_opt(struct kconfig *c, const char *name, size_t name_len,
		   const char *value, const char *origin)
{
	struct kconfig_opt *o = NULL, *grown;
	size_t i;

	for (i = 0; i < c->nr; i++) {
		if (strlen(c->opts[i].name) == name_len &&
		    !strncmp(c->opts[i].name, name, name_len)) {
			o = &c->opts[i];
			free(o->value);
			free(o->origin);
			break;
		}
	}
	if (!o) {
		grown = realloc(c->opts, (c->nr + 1) * sizeof(*grown));
		if (!grown)
			return -1;
		c->opts = grown;
		o = &c->opts[c->nr++];
		o->name = strndup(name, name_len);
	}
	o->value = strdup(value);
	o->origin = strdup(origin);
	return o->name && o->value && o->origin ? 0 : -1;
}

/* Returns 0 for an option line, 1 for a blank or comment line, -1. */
static int parse_line(struct kconfig *c, const char *line, const char *origin)
{
	const char *eq, *p;

	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line)
		return 1;
	if (line[0] == '#') {
		p = line + 1;
		while (*p == ' ')
			p++;
		eq = strstr(p, " is not set");
		if (eq && !eq[11] && valid_name(p, eq - p))
			return set_opt(c, p, eq - p, "n", origin);
		return 1;
	}
	eq = strchr(line, '=');
	if (!eq || !valid_name(line, eq - line) || !eq[1]) {
		log_error("%s: not a config line: '%s'", origin, line);
		return -1;
	}
	return set_opt(c, line, eq - line, eq + 1, origin);
}

int kconfig_parse(struct kconfig *c, const char *text, const char *name)
{
	char *copy, *line, *next;
	int lineno = 0, ret = 0;

	copy = strdup(text);
	if (!copy)
		return -1;
	for (line = copy; line && !ret; line = next) {
		char origin[512];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		str_rstrip(line);
		snprintf(origin, sizeof(origin), "%s:%d", name, lineno);
		if (parse_line(c, line, origin) < 0)
			ret = -1;
	}
	free(copy);
	return ret;
}

int kconfig_load(struct kconfig *c, const char *path)
{
	char *text;
	int ret;

	ret = read_file(path, &text, NULL);
	if (ret < 0) {
		log_error("cannot read config fragment %s: %s", path, strerror(-ret));
		return -1;
	}
	ret = kconfig_parse(c, text, path);
	free(text);
	return ret;
}

const struct kconfig_opt *kconfig_find(const struct kconfig *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (!strcmp(c->opts[i].name, name))
			return &c->opts[i];
	return NULL;
}

static int cmp_opt_name(const void *a, const void *b)
{
	return strcmp((*(const struct kconfig_opt *const *)a)->name,
		      (*(const struct kconfig_opt *const *)b)->name);
}

char *kconfig_format(const struct kconfig *c)
{
	const struct kconfig_opt **sorted;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f;

	sorted = calloc(c->nr + 1, sizeof(*sorted));
	if (!sorted)
		return NULL;
	for (i = 0; i < c->nr; i++)
		sorted[i] = &c->opts[i];
	qsort(sorted, c->nr, sizeof(*sorted), cmp_opt_name);
	f = open_memstream(&buf, &len);
	if (!f) {
		free(sorted);
		return NULL;
	}
	for (i = 0; i < c->nr; i++) {
		if (!strcmp(sorted[i]->value, "n"))
			fprintf(f, "# %s is not set\n", sorted[i]->name);
		else
			fprintf(f, "%s=%s\n", sorted[i]->name, sorted[i]->value);
	}
	free(sorted);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

int kconfig_verify(const struct kconfig *want, const struct kconfig *have)
{
	char *list = NULL;
	size_t len = 0, i;
	int bad = 0;
	FILE *f;

	f = open_memstream(&list, &len);
	if (!f)
		return -1;
	for (i = 0; i < want->nr; i++) {
		const struct kconfig_opt *w = &want->opts[i];
		const struct kconfig_opt *h = kconfig_find(have, w->name);
		const char *got = h ? h->value : "n";

		if (!strcmp(got, w->value))
			continue;
		fprintf(f, "%s%s=%s (asked for in %s) ended up %s%s", bad ? "; " : "",
			w->name, w->value, w->origin, strcmp(got, "n") ? "as " : "not set",
			strcmp(got, "n") ? got : "");
		bad++;
	}
	if (fclose(f) != 0) {
		free(list);
		return -1;
	}
	if (bad)
		log_error("kernel config: %s: a dependency is missing (see kernel-patches/config)",
			  list);
	free(list);
	return bad;
}

void kconfig_free(struct kconfig *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		free(c->opts[i].name);
		free(c->opts[i].value);
		free(c->opts[i].origin);
	}
	free(c->opts);
	c->opts = NULL;
	c->nr = 0;
}
