// SPDX-License-Identifier: GPL-2.0
/*
 * json_scan.c - read the members ndctl's JSON output needs
 */
#include <string.h>

#include "json_scan.h"

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* p at '"': returns one past the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

/* p at '{' or '[': returns one past the matching bracket, or NULL. */
static const char *skip_nested(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '"') {
			p = skip_string(p, end);
			if (!p)
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

/* Returns one past the value at p, or NULL. */
static const char *skip_value(const char *p, const char *end)
{
	const char *start = p;

	if (p >= end)
		return NULL;
	if (*p == '"')
		return skip_string(p, end);
	if (*p == '{' || *p == '[')
		return skip_nested(p, end);
	while (p < end && !strchr(",}] \t\r\n", *p))
		p++;
	return p > start ? p : NULL;
}

bool json_next_object(struct json_span *s, struct json_span *obj)
{
	const char *p = s->p;

	while (p < s->end && strchr("[], \t\r\n", *p))
		p++;
	if (p >= s->end || *p != '{')
		return false;
	obj->p = p;
	obj->end = skip_nested(p, s->end);
	if (!obj->end)
		return false;
	s->p = obj->end;
	return true;
}

/* Finds the member key of obj; returns its value's span. */
static bool find_member(const struct json_span *obj, const char *key, struct json_span *val)
{
	size_t klen = strlen(key);
	const char *p = obj->p + 1, *end = obj->end - 1;

	for (;;) {
		const char *kstart, *kend;

		p = skip_ws(p, end);
		if (p >= end || *p != '"')
			return false;
		kstart = p + 1;
		kend = skip_string(p, end);
		if (!kend)
			return false;
		p = skip_ws(kend, end);
		if (p >= end || *p != ':')
			return false;
		val->p = skip_ws(p + 1, end);
		val->end = skip_value(val->p, end);
		if (!val->end)
			return false;
		if ((size_t)(kend - 1 - kstart) == klen && !memcmp(kstart, key, klen))
			return true;
		p = skip_ws(val->end, end);
		if (p >= end || *p != ',')
			return false;
		p++;
	}
}

static char unescape_char(char c)
{
	switch (c) {
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case '"':
	case '\\':
	case '/':
		return c;
	default:
		return '?';
	}
}

int json_get_string(const struct json_span *obj, const char *key, char *out, size_t size)
{
	struct json_span v;
	const char *p;
	size_t len = 0;

	if (!size || !find_member(obj, key, &v) || *v.p != '"')
		return -1;
	for (p = v.p + 1; p < v.end - 1; p++) {
		char c = *p;

		if (c == '\\') {
			c = unescape_char(*++p);
			/* \uXXXX: ndctl never prints one for the fields read here. */
			if (*p == 'u') {
				if (v.end - 1 - p <= 4)
					return -1;
				p += 4;
			}
		}
		if (len + 1 >= size)
			return -1;
		out[len++] = c;
	}
	out[len] = '\0';
	return 0;
}

int json_get_u64(const struct json_span *obj, const char *key, unsigned long long *out)
{
	unsigned long long v = 0;
	struct json_span val;
	const char *p;

	if (!find_member(obj, key, &val) || *val.p < '0' || *val.p > '9')
		return -1;
	for (p = val.p; p < val.end; p++) {
		unsigned int d = *p - '0';

		if (d > 9 || v > (~0ULL - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
