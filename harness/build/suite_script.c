// SPDX-License-Identifier: GPL-2.0
/*
 * suite_script.c - the text and the files of the suites' guest scripts
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "build/suite_script.h"
#include "lib/fsutil.h"
#include "lib/log.h"

int suite_text_open(struct suite_text *t)
{
	memset(t, 0, sizeof(*t));
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? 0 : -1;
}

void suite_text_printf(struct suite_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(t->f, fmt, ap);
	va_end(ap);
}

void suite_text_quote(struct suite_text *t, const char *value)
{
	const char *p;

	if (strchr(value, '\n')) {
		if (!t->bad)
			t->bad = value;
		return;
	}
	fputc('\'', t->f);
	for (p = value; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", t->f);
		else
			fputc(*p, t->f);
	}
	fputc('\'', t->f);
}

char *suite_text_close(struct suite_text *t)
{
	bool failed = ferror(t->f) != 0;
	char *text;

	if (fclose(t->f) != 0)
		failed = true;
	t->f = NULL;
	text = t->buf;
	t->buf = NULL;
	if (failed || t->bad) {
		free(text);
		return NULL;
	}
	return text;
}

static bool file_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '+' || c == '-';
}

char *suite_file_name(const char *name)
{
	char *safe = strdup(name), *p;

	if (!safe)
		return NULL;
	for (p = safe; *p; p++)
		if (!file_name_char(*p) || (p == safe && *p == '.'))
			*p = '_';
	return safe;
}

int suite_file_update(const char *path, const char *text, size_t len, mode_t mode)
{
	size_t old_len;
	char *old = NULL;
	int same;

	same = read_file(path, &old, &old_len) == 0 && old_len == len && !memcmp(old, text, len);
	free(old);
	if (same)
		return 0;
	return write_file_atomic(path, text, len, mode);
}

static int grow(struct suite_built *b)
{
	struct suite_case *v = realloc(b->cases, (b->nr + 1) * sizeof(*v));

	if (!v)
		return -1;
	b->cases = v;
	memset(&b->cases[b->nr], 0, sizeof(b->cases[b->nr]));
	return 0;
}

int suite_case_add(struct suite_built *b, const char *name, const char *file,
		   const char *text, unsigned int timeout_s, const char *description)
{
	char *cases = path_join(b->dir, "cases"), *script = NULL;
	struct suite_case *c;
	int ret = -1, err;

	script = cases ? str_printf("%s/%s.sh", cases, file) : NULL;
	if (!script || grow(b) < 0) {
		log_error("suite %s: out of memory", suite_kind_name(b->kind));
		goto out;
	}
	err = mkdir_p(cases, 0755);
	if (!err)
		err = suite_file_update(script, text, strlen(text), 0755);
	if (err) {
		log_error("suite %s: cannot write %s: %s", suite_kind_name(b->kind), script,
			  strerror(-err));
		goto out;
	}
	c = &b->cases[b->nr];
	c->name = strdup(name);
	c->description = strdup(description);
	c->timeout_s = timeout_s;
	c->script = script;
	script = NULL;
	b->nr++;
	if (!c->name || !c->description) {
		log_error("suite %s: out of memory", suite_kind_name(b->kind));
		goto out;
	}
	ret = 0;
out:
	free(cases);
	free(script);
	return ret;
}

bool suite_words_have(const struct strv *words, const char *word)
{
	size_t i;

	for (i = 0; i < words->n; i++)
		if (!strcmp(words->v[i], word))
			return true;
	return false;
}

int suite_words(const char *text, struct strv *words)
{
	const char *p = text;

	while (*p) {
		size_t len;

		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		len = strcspn(p, " \t\r\n,#");
		if (len) {
			char *word = strndup(p, len);

			if (!word)
				return -1;
			if (!suite_words_have(words, word))
				strv_add(words, word);
			free(word);
			p += len;
		} else {
			p++;
		}
	}
	return words->err ? -1 : 0;
}
