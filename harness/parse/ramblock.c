// SPDX-License-Identifier: GPL-2.0
/*
 * ramblock.c - QEMU's table of RAM blocks (x-query-ramblock) into entries
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "parse/ramblock.h"

/* Far more than QEMU prints: a name of 255 and five short columns. */
#define LINE_MAX_LEN	1024
#define MAX_TOKENS	64

struct token {
	const char *s;
	size_t len;
};


/* Splits s at blanks; the number of tokens, or -1 when there are more
 * than max. */
static int tokenize(const char *s, size_t len, struct token *tok, int max)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len)
			break;
		if (n == max)
			return -1;
		tok[n].s = s + i;
		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		tok[n].len = (size_t)(s + i - tok[n].s);
		n++;
	}
	return n;
}

static bool tok_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && !memcmp(t->s, word, t->len);
}

/* "0x" and 1 to 16 hex digits. */
static bool parse_hex(const struct token *t, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	if (t->len < 3 || t->len > 18 || t->s[0] != '0' || t->s[1] != 'x')
		return false;
	for (i = 2; i < t->len; i++) {
		char c = t->s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return false;
		x = x << 4 | d;
	}
	*v = x;
	return true;
}

/* The page size column, as QEMU's size_to_str() prints it: "4 KiB". */
static bool is_psize(const struct token *num, const struct token *unit)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	size_t i;

	if (!num->len || num->s[0] < '0' || num->s[0] > '9')
		return false;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (tok_is(unit, units[i]))
			return true;
	return false;
}

static bool is_header(const struct token *tok, int n)
{
	return n == 6 && tok_is(&tok[0], "Block") && tok_is(&tok[1], "Name") &&
	       tok_is(&tok[2], "PSize") && tok_is(&tok[3], "Offset") &&
	       tok_is(&tok[4], "Used") && tok_is(&tok[5], "Total");
}

static int add_block(struct ramblock_table *t, const struct ramblock *b)
{
	struct ramblock *v = realloc(t->v, (t->n + 1) * sizeof(*v));

	if (!v)
		return -1;
	t->v = v;
	t->v[t->n++] = *b;
	return 0;
}

/*
 * NAME PSIZE UNIT OFFSET USED TOTAL, read from the right: a block name
 * may hold blanks. 0, or -1 with err set.
 */
static int parse_block(const char *line, size_t len, unsigned int lineno,
		       struct ramblock *b, char *err, size_t errlen)
{
	struct token tok[MAX_TOKENS];
	size_t name_len;
	int n;

	n = tokenize(line, len, tok, MAX_TOKENS);
	/* A block without an id (virtio-pmem's backend in QEMU 7.2) has
	 * an empty name: five columns. */
	if (n < 5) {
		str_set(err, errlen, "RAM block table, line %u: %d columns, want 6 "
			"(name, page size, offset, used, total)", lineno, n < 0 ? MAX_TOKENS : n);
		return -1;
	}
	if (!is_psize(&tok[n - 5], &tok[n - 4])) {
		str_set(err, errlen, "RAM block table, line %u: no page size before the offset",
			lineno);
		return -1;
	}
	if (!parse_hex(&tok[n - 3], &b->offset) || !parse_hex(&tok[n - 2], &b->used) ||
	    !parse_hex(&tok[n - 1], &b->total)) {
		str_set(err, errlen, "RAM block table, line %u: offset, used and total "
			"are not 0x-numbers", lineno);
		return -1;
	}
	if (n == 5) {
		b->name[0] = '\0';
		return 0;
	}
	name_len = (size_t)(tok[n - 6].s + tok[n - 6].len - tok[0].s);
	if (name_len >= sizeof(b->name)) {
		str_set(err, errlen, "RAM block table, line %u: a name of %zu bytes", lineno,
			name_len);
		return -1;
	}
	memcpy(b->name, tok[0].s, name_len);
	b->name[name_len] = '\0';
	return 0;
}

int ramblock_parse(const char *text, struct ramblock_table *t, char *err, size_t errlen)
{
	const char *line = text, *end;
	unsigned int lineno = 0;
	bool header = false;

	t->v = NULL;
	t->n = 0;
	for (; *line; line = *end ? end + 1 : end) {
		struct token tok[MAX_TOKENS];
		struct ramblock b;
		size_t len;

		end = strchrnul(line, '\n');
		len = (size_t)(end - line);
		lineno++;
		if (len && line[len - 1] == '\r')
			len--;
		if (len > LINE_MAX_LEN) {
			str_set(err, errlen, "RAM block table, line %u: %zu bytes long", lineno, len);
			goto fail;
		}
		if (!header) {
			int n = tokenize(line, len, tok, MAX_TOKENS);

			if (n == 0)
				continue;
			if (!is_header(tok, n)) {
				str_set(err, errlen, "RAM block table: line %u is not the header "
					"\"Block Name PSize Offset Used Total\"", lineno);
				goto fail;
			}
			header = true;
			continue;
		}
		if (tokenize(line, len, tok, 1) == 0)
			continue;
		if (parse_block(line, len, lineno, &b, err, errlen) < 0)
			goto fail;
		if (ramblock_find(t, b.name)) {
			str_set(err, errlen, "RAM block table, line %u: block %s listed twice",
				lineno, b.name);
			goto fail;
		}
		if (add_block(t, &b) < 0) {
			str_set(err, errlen, "RAM block table: %s", strerror(ENOMEM));
			goto fail;
		}
	}
	if (!header) {
		str_set(err, errlen, "RAM block table: empty, no header line");
		goto fail;
	}
	return 0;
fail:
	ramblock_table_free(t);
	return -1;
}

const struct ramblock *ramblock_find(const struct ramblock_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].name, name))
			return &t->v[i];
	return NULL;
}

void ramblock_table_free(struct ramblock_table *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
