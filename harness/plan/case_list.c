// SPDX-License-Identifier: GPL-2.0
/*
 * case_list.c - the TEST_F()s, their spec items and the variants of a program
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "plan/case_list.h"

/* Copies [s, s + n) without blanks at either end. */
static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

/* "A1", "C18a": a capital, digits, at most one small letter. */
static size_t spec_item_len(const char *s)
{
	size_t n = 1;

	if (!isupper((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	if (islower((unsigned char)s[n]) && !isalnum((unsigned char)s[n + 1]))
		n++;
	return n;
}

/* Splits "C17, C18a: text" into spec and summary; no spec when the line
 * does not start with items followed by ':'. */
static int split_spec(const char *line, char **spec, char **summary)
{
	const char *p = line;
	size_t n;

	for (;;) {
		n = spec_item_len(p);
		if (!n)
			break;
		p += n;
		if (*p == ':') {
			*spec = trimmed(line, p - line);
			*summary = trimmed(p + 1, strlen(p + 1));
			return *spec && *summary ? 0 : -1;
		}
		if (p[0] == ',' && p[1] == ' ')
			p += 2;
		else if (p[0] == ' ' || p[0] == ',')
			p++;
		else
			break;
	}
	*spec = strdup("");
	*summary = strdup(line);
	return *spec && *summary ? 0 : -1;
}

/* The first sentence of a comment's first paragraph, on one line,
 * without the comment's decoration. */
static char *comment_head(const char *start, const char *end)
{
	const char *p = start + 2;	/* past the opening slash-star */
	char *out = calloc(1, end - start + 1), *dot;
	size_t len = 0;

	if (!out)
		return NULL;
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *q = p;
		size_t n;

		if (!eol)
			eol = end;
		while (q < eol && (isspace((unsigned char)*q) || *q == '*' || *q == '/'))
			q++;
		n = eol - q;
		if (n >= 2 && !strncmp(eol - 2, "*/", 2))
			n -= 2;
		while (n && isspace((unsigned char)q[n - 1]))
			n--;
		if (!n && len)
			break;		/* the end of the first paragraph */
		if (n) {
			if (len)
				out[len++] = ' ';
			memcpy(out + len, q, n);
			len += n;
		}
		p = eol + 1;
	}
	out[len] = '\0';
	dot = strstr(out, ". ");
	if (dot)
		dot[1] = '\0';
	return out;
}

/* "NAME(a, b)" at s: copies a and b (b may be absent). */
static int macro_args(const char *s, char **a, char **b)
{
	const char *open = strchr(s, '('), *close, *comma;

	*a = *b = NULL;
	if (!open)
		return 0;
	close = strchr(open, ')');
	if (!close)
		return 0;
	comma = memchr(open, ',', close - open);
	if (comma) {
		*a = trimmed(open + 1, comma - open - 1);
		*b = trimmed(comma + 1, close - comma - 1);
		return *a && *b ? 1 : -1;
	}
	*a = trimmed(open + 1, close - open - 1);
	return *a ? 1 : -1;
}

static int add_case(struct test_cases *tc, char *fixture, char *name,
		    const char *comment)
{
	struct test_case *grown = realloc(tc->v, (tc->n + 1) * sizeof(*grown));
	struct test_case *c;

	if (!grown)
		return -1;
	tc->v = grown;
	c = &tc->v[tc->n++];
	c->fixture = fixture;
	c->name = name;
	c->spec = c->summary = NULL;
	return split_spec(comment ? comment : "", &c->spec, &c->summary);
}

static bool starts(const char *line, const char *word)
{
	return !strncmp(line, word, strlen(word));
}

static bool has_include(const struct test_cases *tc, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < tc->includes.n; i++)
		if (strlen(tc->includes.v[i]) == len && !strncmp(tc->includes.v[i], name, len))
			return true;
	return false;
}

int test_cases_parse(const char *text, struct test_cases *tc)
{
	const char *line = text, *comment_start = NULL, *comment_end = NULL;
	char *a, *b, *head;
	int ret = 0;

	while (*line && !ret) {
		const char *eol = strchr(line, '\n');
		const char *next = eol ? eol + 1 : line + strlen(line);

		if (starts(line, "/*")) {
			const char *close = strstr(line, "*/");

			comment_start = line;
			comment_end = close ? close + 2 : line + strlen(line);
			next = strchr(comment_end, '\n');
			next = next ? next + 1 : comment_end;
		} else if (starts(line, "TEST_F(") || starts(line, "TEST(")) {
			ret = macro_args(line, &a, &b) < 0 ? -1 : 0;
			head = comment_start ? comment_head(comment_start, comment_end) : NULL;
			if (!ret && a && b)
				ret = add_case(tc, a, b, head);
			else if (!ret && a)
				ret = add_case(tc, strdup(""), a, head);
			free(head);
			comment_start = NULL;
		} else if (starts(line, "FIXTURE_VARIANT_ADD(")) {
			ret = macro_args(line, &a, &b) < 0 ? -1 : 0;
			if (!ret && a && b)
				strv_addf(&tc->variants, "%s.%s", a, b);
			free(a);
			free(b);
			comment_start = NULL;
		} else {
			if (starts(line, "#include \"")) {
				const char *q = strchr(line + 10, '"');

				if (q && !has_include(tc, line + 10, q - line - 10))
					strv_addf(&tc->includes, "%.*s", (int)(q - line - 10), line + 10);
			}
			if (line != next && *line != '\n')
				comment_start = NULL;
		}
		line = next;
	}
	return ret || tc->variants.err || tc->includes.err ? -1 : 0;
}

int test_cases_read(const char *area_dir, const char *prog, struct test_cases *tc)
{
	char *path = str_printf("%s/%s.c", area_dir, prog), *text = NULL;
	size_t len, i;
	int ret;

	if (!path)
		return -ENOMEM;
	ret = read_file(path, &text, &len);
	free(path);
	if (ret < 0)
		return ret;
	ret = test_cases_parse(text, tc) < 0 ? -ENOMEM : 0;
	free(text);
	/* The program's own headers (fixtures); tests/common is not read. */
	for (i = 0; !ret && i < tc->includes.n; i++) {
		path = path_join(area_dir, tc->includes.v[i]);
		if (!path)
			return -ENOMEM;
		if (read_file(path, &text, &len) == 0) {
			ret = test_cases_parse(text, tc) < 0 ? -ENOMEM : 0;
			free(text);
		}
		free(path);
	}
	return ret;
}

void test_cases_free(struct test_cases *tc)
{
	size_t i;

	for (i = 0; i < tc->n; i++) {
		free(tc->v[i].fixture);
		free(tc->v[i].name);
		free(tc->v[i].spec);
		free(tc->v[i].summary);
	}
	free(tc->v);
	strv_free(&tc->variants);
	strv_free(&tc->includes);
	memset(tc, 0, sizeof(*tc));
}
