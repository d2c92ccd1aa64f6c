// SPDX-License-Identifier: GPL-2.0
/*
 * persist_regions.c - the plugin's region= arguments and regions file
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/persist_regions.h"

#define MAX_FILE	(1 << 20)	/* a regions file is a few lines */
#define NR_FIELDS	4

/* A field of a line: not NUL-terminated. */
struct field {
	const char *s;
	size_t len;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Decimal, or hex after 0x: the whole field, no sign, no overflow. */
static bool parse_u64(const struct field *f, uint64_t *v)
{
	char buf[32], *end;
	int base = 10;

	if (!f->len || f->len >= sizeof(buf))
		return false;
	memcpy(buf, f->s, f->len);
	buf[f->len] = '\0';
	if (buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
		base = 16;
	if (!(base == 16 ? buf[2] != '\0' && strchr("0123456789abcdefABCDEF", buf[2]) :
			   buf[0] >= '0' && buf[0] <= '9'))
		return false;
	errno = 0;
	*v = strtoull(buf, &end, base);
	return !errno && *end == '\0';
}

static bool copy_path(char *dst, const struct field *f)
{
	if (!f->len || f->len >= PERSIST_REGION_PATH)
		return false;
	memcpy(dst, f->s, f->len);
	dst[f->len] = '\0';
	return true;
}

/* BASE SIZE LIVE SHADOW, appended to rs. */
static int add_fields(struct persist_regions *rs, const struct field *f, char *err,
		      size_t errlen)
{
	struct persist_region_spec *r = &rs->r[rs->n];

	if (rs->n == PMEM_MAX_REGIONS)
		return fail(err, errlen, "more than %d regions", PMEM_MAX_REGIONS);
	if (!parse_u64(&f[0], &r->base))
		return fail(err, errlen, "BASE '%.*s' is not a number", (int)f[0].len, f[0].s);
	if (!parse_u64(&f[1], &r->size))
		return fail(err, errlen, "SIZE '%.*s' is not a number", (int)f[1].len, f[1].s);
	if (r->base % PMEM_LINE || r->size % PMEM_LINE || !r->size)
		return fail(err, errlen, "BASE and SIZE must be multiples of %d, SIZE not 0",
			    PMEM_LINE);
	if (!copy_path(r->live, &f[2]) || !copy_path(r->shadow, &f[3]))
		return fail(err, errlen, "LIVE and SHADOW must be 1 to %d bytes",
			    PERSIST_REGION_PATH - 1);
	rs->n++;
	return 0;
}

int persist_regions_add_spec(struct persist_regions *rs, const char *spec, char *err,
			     size_t errlen)
{
	struct field f[NR_FIELDS];
	const char *p = spec, *colon;
	int i;

	for (i = 0; i < NR_FIELDS - 1; i++) {
		colon = strchr(p, ':');
		if (!colon)
			return fail(err, errlen, "'%s': want BASE:SIZE:LIVE:SHADOW", spec);
		f[i] = (struct field){ .s = p, .len = (size_t)(colon - p) };
		p = colon + 1;
	}
	f[i] = (struct field){ .s = p, .len = strlen(p) };
	return add_fields(rs, f, err, errlen);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Splits the line [s, end) into fields, up to a comment. Returns how
 * many there are, NR_FIELDS + 1 for more than NR_FIELDS.
 */
static int split(const char *s, const char *end, struct field *f)
{
	int n = 0;

	for (;;) {
		const char *start;

		while (s < end && is_blank(*s))
			s++;
		if (s == end || *s == '#')
			return n;
		if (n == NR_FIELDS)
			return n + 1;
		start = s;
		while (s < end && !is_blank(*s))
			s++;
		f[n++] = (struct field){ .s = start, .len = (size_t)(s - start) };
	}
}

/* One line [s, end): 1 when it adds a region, 0 when it is blank or a
 * comment, -1 with the reason in why. */
static int parse_line(struct persist_regions *rs, const char *s, const char *end, char *why,
		      size_t whylen)
{
	struct field f[NR_FIELDS];
	int n = split(s, end, f);

	if (!n)
		return 0;
	if (n < NR_FIELDS)
		return fail(why, whylen, "%d fields, want BASE SIZE LIVE SHADOW", n);
	if (n > NR_FIELDS)
		return fail(why, whylen, "more than %d fields, want BASE SIZE LIVE SHADOW",
			    NR_FIELDS);
	return add_fields(rs, f, why, whylen) < 0 ? -1 : 1;
}

int persist_regions_parse(struct persist_regions *rs, const char *text, char *err,
			  size_t errlen)
{
	const char *line = text;
	unsigned int nr = 0;
	size_t had = rs->n;
	char why[256];

	while (*line) {
		const char *end = strchr(line, '\n');

		if (!end)
			end = line + strlen(line);
		nr++;
		if (parse_line(rs, line, end, why, sizeof(why)) < 0) {
			rs->n = had;
			return fail(err, errlen, "line %u: %s", nr, why);
		}
		line = *end ? end + 1 : end;
	}
	if (rs->n == had)
		return fail(err, errlen, "no region in %u lines", nr);
	return 0;
}

/* The file, NUL-terminated, in *text (malloc'd). 0, or -1 with errno. */
static int slurp(const char *path, char **text)
{
	FILE *f = fopen(path, "re");
	char *buf = malloc(MAX_FILE + 1);
	size_t n = 0;
	int ret = -1, err;

	if (!f || !buf)
		goto out;
	n = fread(buf, 1, MAX_FILE + 1, f);
	if (ferror(f))
		goto out;
	if (n > MAX_FILE) {
		errno = EFBIG;
		goto out;
	}
	if (memchr(buf, '\0', n)) {
		errno = EINVAL;
		goto out;
	}
	buf[n] = '\0';
	*text = buf;
	buf = NULL;
	ret = 0;
out:
	err = errno;
	free(buf);
	if (f)
		fclose(f);
	errno = err;
	return ret;
}

int persist_regions_read(struct persist_regions *rs, const char *path, char *err,
			 size_t errlen)
{
	char *text, why[256];
	int ret;

	if (slurp(path, &text) < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	ret = persist_regions_parse(rs, text, why, sizeof(why));
	if (ret < 0)
		fail(err, errlen, "%s: %s", path, why);
	free(text);
	return ret;
}
