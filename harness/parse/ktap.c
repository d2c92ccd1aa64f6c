// SPDX-License-Identifier: GPL-2.0
/*
 * ktap.c - parse KTAP and kselftest TAP output into a tree of results
 *
 * The stream is read one line at a time. Each open block of results at
 * one indentation is a level: a version, "# Subtest:" or plan line
 * indented deeper than the innermost level opens a new one, and a result
 * line at the indentation of an outer level closes the levels inside it,
 * whose results become that result's subtests. Diagnostic and unknown
 * lines wait in the pending list of the innermost level not indented
 * deeper than they are, and are handed to that level's next result.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse/ktap.h"

#define KTAP_MAX_ERRORS	64	/* then one line saying more were dropped */
#define KTAP_SNIPPET	60	/* bytes of an offending line quoted */
#define KTAP_TAB_WIDTH	8

struct lines {
	char **v;
	size_t n, cap;
};

struct level {
	int indent;
	int plan;		/* -1 until a plan line */
	bool has_version;
	struct ktap_test *tests;
	size_t nr_tests, cap_tests;
	struct lines pending;	/* diagnostics waiting for the next result */
};

struct parser {
	struct level levels[KTAP_MAX_DEPTH];
	int depth;		/* open levels; levels[0] is the top */
	size_t lineno;
	size_t nr_errors;	/* counting the ones not kept */
	bool disordered;	/* see disorder() */
	struct lines errors;
};

struct result_line {
	int number;
	enum ktap_status status;
	const char *name;
	size_t name_len;
	const char *text;	/* directive text, NULL when none */
};

struct directive {
	const char *word;
	enum ktap_status status;
	bool keep_word;		/* the word stays part of the directive text */
};

static const struct directive directives[] = {
	{ "SKIP",	KTAP_SKIP,	false },
	{ "TODO",	KTAP_XFAIL,	false },
	{ "XFAIL",	KTAP_XFAIL,	false },
	{ "TIMEOUT",	KTAP_TIMEOUT,	false },
	{ "ERROR",	KTAP_ERROR,	false },
	/* kselftest_harness.h: an expected failure that passed fails the run */
	{ "XPASS",	KTAP_FAIL,	true },
};

static int grow(void **array, size_t *cap, size_t need, size_t size)
{
	size_t new_cap;
	void *p;

	if (need <= *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 8;
	while (new_cap < need)
		new_cap *= 2;
	p = reallocarray(*array, new_cap, size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = new_cap;
	return 0;
}

/* Takes ownership of s, which may be NULL after a failed allocation. */
static int lines_push(struct lines *l, char *s)
{
	if (!s || grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v))) {
		free(s);
		return -ENOMEM;
	}
	l->v[l->n++] = s;
	return 0;
}

static int lines_push_copy(struct lines *l, const char *s)
{
	return lines_push(l, strdup(s));
}

/* Moves every line of src to the end of dst. */
static int lines_splice(struct lines *dst, struct lines *src)
{
	if (!src->n)
		return 0;
	if (grow((void **)&dst->v, &dst->cap, dst->n + src->n, sizeof(*dst->v)))
		return -ENOMEM;
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	memset(src, 0, sizeof(*src));
	return 0;
}

static void strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void lines_free(struct lines *l)
{
	strings_free(l->v, l->n);
	memset(l, 0, sizeof(*l));
}

static void tests_free(struct ktap_test *tests, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(tests[i].name);
		free(tests[i].directive);
		strings_free(tests[i].diag, tests[i].nr_diag);
		tests_free(tests[i].subtests, tests[i].nr_subtests);
	}
	free(tests);
}

static void level_free(struct level *lv)
{
	tests_free(lv->tests, lv->nr_tests);
	lines_free(&lv->pending);
	memset(lv, 0, sizeof(*lv));
}

static bool level_is_empty(const struct level *lv)
{
	return lv->plan < 0 && lv->nr_tests == 0;
}

static int add_error(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int ret;

	p->nr_errors++;
	if (p->nr_errors > KTAP_MAX_ERRORS + 1)
		return 0;
	if (p->nr_errors == KTAP_MAX_ERRORS + 1)
		return lines_push_copy(&p->errors, "more errors, not shown");
	va_start(ap, fmt);
	ret = vasprintf(&msg, fmt, ap);
	va_end(ap);
	return lines_push(&p->errors, ret < 0 ? NULL : msg);
}

/* An error no real harness makes (results out of order, a second plan):
 * the results cannot be believed, not just incomplete. */
#define disorder(p, ...) ((p)->disordered = true, add_error((p), __VA_ARGS__))

/* The start of an offending line, for error messages. */
static void snippet(char *out, size_t size, const char *s)
{
	size_t len = strlen(s);

	if (len < size) {
		memcpy(out, s, len + 1);
		return;
	}
	snprintf(out, size, "%.*s...", (int)(size - 4), s);
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static const char *skip_indent(const char *s, int *indent)
{
	int col = 0;

	for (;; s++) {
		if (*s == ' ')
			col++;
		else if (*s == '\t')
			col = (col / KTAP_TAB_WIDTH + 1) * KTAP_TAB_WIDTH;
		else
			break;
	}
	*indent = col;
	return s;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* At most 9 digits, so that the value fits an int. */
static bool parse_number(const char **s, int *n)
{
	const char *p = *s;
	int v = 0;

	while (*p >= '0' && *p <= '9' && p - *s < 9)
		v = v * 10 + (*p++ - '0');
	if (p == *s || (*p >= '0' && *p <= '9'))
		return false;
	*s = p;
	*n = v;
	return true;
}

static bool at_word_end(const char *s)
{
	return *s == '\0' || *s == ' ' || *s == '\t';
}

static bool is_version(const char *s)
{
	int v;

	if (starts_with(s, "KTAP version "))
		s += strlen("KTAP version ");
	else if (starts_with(s, "TAP version "))
		s += strlen("TAP version ");
	else
		return false;
	return parse_number(&s, &v) && *skip_blanks(s) == '\0';
}

/* "1..N", possibly followed by a directive ("1..0 # SKIP no pmem"). */
static bool is_plan(const char *s, int *n)
{
	if (!starts_with(s, "1.."))
		return false;
	s += 3;
	return parse_number(&s, n) && at_word_end(s);
}

static bool is_subtest_header(const char *s)
{
	return *s == '#' && starts_with(skip_blanks(s + 1), "Subtest:");
}

/* The directive keyword s starts with, or NULL. */
static const struct directive *find_directive(const char *s)
{
	size_t i, n;

	for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++) {
		n = strlen(directives[i].word);
		if (!strncasecmp(s, directives[i].word, n) && at_word_end(s + n))
			return &directives[i];
	}
	return NULL;
}

static void parse_directive(const char *s, struct result_line *r)
{
	const struct directive *d;

	s = skip_blanks(s);
	d = find_directive(s);
	if (d) {
		r->status = d->status;
		if (!d->keep_word)
			s = skip_blanks(s + strlen(d->word));
	}
	r->text = *s ? s : NULL;
}

/* "ok 3 name # DIRECTIVE text" or "not ok 3 - name"; s has no indent. */
static bool parse_result(const char *s, struct result_line *r)
{
	const char *hash, *end;
	bool ok;

	if (starts_with(s, "ok")) {
		ok = true;
		s += 2;
	} else if (starts_with(s, "not ok")) {
		ok = false;
		s += 6;
	} else {
		return false;
	}
	if (*s != ' ' && *s != '\t')
		return false;
	s = skip_blanks(s);
	if (!parse_number(&s, &r->number) || !at_word_end(s))
		return false;
	s = skip_blanks(s);
	if (s[0] == '-' && at_word_end(s + 1))
		s = skip_blanks(s + 1);

	hash = strchr(s, '#');
	end = hash ? hash : s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	r->name = s;
	r->name_len = end - s;
	r->status = ok ? KTAP_PASS : KTAP_FAIL;
	r->text = NULL;
	if (hash)
		parse_directive(hash + 1, r);
	return true;
}

/* The innermost level whose indentation is at most indent. */
static int level_at_or_above(const struct parser *p, int indent)
{
	int i;

	for (i = p->depth - 1; i > 0; i--)
		if (p->levels[i].indent <= indent)
			return i;
	return 0;
}

static int level_exactly_at(const struct parser *p, int indent)
{
	int i;

	for (i = p->depth - 1; i >= 0; i--)
		if (p->levels[i].indent == indent)
			return i;
	return -1;
}

/* A diagnostic or unknown line: kept without its "# " prefix. */
static int add_diag(struct parser *p, int indent, const char *s)
{
	struct level *lv = &p->levels[level_at_or_above(p, indent)];

	if (*s == '#') {
		s++;
		if (*s == ' ')
			s++;
	}
	if (!*skip_blanks(s))
		return 0;
	return lines_push_copy(&lv->pending, s);
}

static int open_level(struct parser *p, int indent, bool has_version, int plan)
{
	struct level *lv;

	if (p->depth == KTAP_MAX_DEPTH)
		return add_error(p, "line %zu: subtests nested deeper than %d levels",
				 p->lineno, KTAP_MAX_DEPTH);
	lv = &p->levels[p->depth++];
	memset(lv, 0, sizeof(*lv));
	lv->indent = indent;
	lv->plan = plan;
	lv->has_version = has_version;
	return 0;
}

static int on_version(struct parser *p, int indent)
{
	struct level *top = &p->levels[p->depth - 1];

	if (indent > top->indent)
		return open_level(p, indent, true, -1);
	if (indent == top->indent && level_is_empty(top) && !top->has_version) {
		top->has_version = true;
		return 0;
	}
	return disorder(p, "line %zu: unexpected version line", p->lineno);
}

static int on_plan(struct parser *p, int indent, int n)
{
	struct level *top = &p->levels[p->depth - 1];

	if (indent > top->indent)
		return open_level(p, indent, false, n);
	if (indent < top->indent)
		return add_error(p, "line %zu: plan at indentation %d has no open subtest",
				 p->lineno, indent);
	if (top->plan >= 0)
		return disorder(p, "line %zu: second plan line", p->lineno);
	top->plan = n;
	return 0;
}

static int on_subtest_header(struct parser *p, int indent, const char *s)
{
	struct level *top = &p->levels[p->depth - 1];

	if (indent > top->indent)
		return open_level(p, indent, false, -1);
	if (indent == top->indent && p->depth > 1 && level_is_empty(top))
		return 0;
	return add_diag(p, indent, s);
}

/*
 * Closes the levels inside levels[li]. The one right inside it is moved to
 * *child (zeroed when there is none); results of levels further in have
 * no result line of their own to hang from and are dropped with an error.
 */
static int close_inner_levels(struct parser *p, int li, struct level *child)
{
	struct level *lv, *outer;
	int ret = 0;

	memset(child, 0, sizeof(*child));
	child->plan = -1;
	while (p->depth > li + 2) {
		lv = &p->levels[p->depth - 1];
		outer = &p->levels[p->depth - 2];
		if (lv->nr_tests)
			ret = add_error(p, "line %zu: %zu results at indentation %d have no parent result",
					p->lineno, lv->nr_tests, lv->indent);
		if (!ret)
			ret = lines_splice(&outer->pending, &lv->pending);
		level_free(lv);
		p->depth--;
		if (ret)
			return ret;
	}
	if (p->depth == li + 2) {
		*child = p->levels[li + 1];
		memset(&p->levels[li + 1], 0, sizeof(p->levels[li + 1]));
		p->depth--;
	}
	return 0;
}

/*
 * A result must be the next one its level's plan expects: one past the
 * plan, or numbered out of order, is reported and not counted.
 * Returns 1 when it fits, 0 when not, -ENOMEM.
 */
static int result_fits(struct parser *p, const struct level *lv,
		       const struct result_line *r, const char *s)
{
	char quote[KTAP_SNIPPET + 4];

	if (lv->plan >= 0 && lv->nr_tests >= (size_t)lv->plan) {
		snippet(quote, sizeof(quote), s);
		return disorder(p, "line %zu: result after all %d planned results: %s",
				 p->lineno, lv->plan, quote);
	}
	if ((size_t)r->number != lv->nr_tests + 1) {
		snippet(quote, sizeof(quote), s);
		return disorder(p, "line %zu: result %d out of order, expected %zu: %s",
				 p->lineno, r->number, lv->nr_tests + 1, quote);
	}
	return 1;
}

static int check_child_plan(struct parser *p, const struct level *child)
{
	if (child->plan < 0 || child->nr_tests == (size_t)child->plan)
		return 0;
	return add_error(p, "line %zu: planned %d, got %zu subtests",
			 p->lineno, child->plan, child->nr_tests);
}

/* Appends the result to lv->tests, taking the child level's contents. */
static int append_result(struct parser *p, struct level *lv,
			 const struct result_line *r, struct level *child)
{
	struct ktap_test *t;

	if (check_child_plan(p, child) ||
	    grow((void **)&lv->tests, &lv->cap_tests, lv->nr_tests + 1, sizeof(*lv->tests)) ||
	    lines_splice(&lv->pending, &child->pending))
		return -ENOMEM;

	t = &lv->tests[lv->nr_tests];
	memset(t, 0, sizeof(*t));
	t->number = r->number;
	t->status = r->status;
	t->name = strndup(r->name, r->name_len);
	t->directive = r->text ? strdup(r->text) : NULL;
	if (!t->name || (r->text && !t->directive)) {
		free(t->name);
		free(t->directive);
		return -ENOMEM;
	}
	t->diag = lv->pending.v;
	t->nr_diag = lv->pending.n;
	memset(&lv->pending, 0, sizeof(lv->pending));
	t->subtests = child->tests;
	t->nr_subtests = child->nr_tests;
	child->tests = NULL;
	child->nr_tests = 0;
	lv->nr_tests++;
	return 0;
}

/* A rejected result line stays visible as a diagnostic. */
static int reject_result(struct parser *p, int li, int indent, const char *s,
			 struct level *child)
{
	if (child->nr_tests &&
	    add_error(p, "line %zu: %zu subtests of the rejected result dropped",
		      p->lineno, child->nr_tests))
		return -ENOMEM;
	if (lines_splice(&p->levels[li].pending, &child->pending))
		return -ENOMEM;
	return add_diag(p, indent, s);
}

static int on_result(struct parser *p, int indent, const struct result_line *r,
		     const char *s)
{
	struct level child;
	char quote[KTAP_SNIPPET + 4];
	int li, ret = 0;

	li = level_exactly_at(p, indent);
	if (li < 0) {
		snippet(quote, sizeof(quote), s);
		if (add_error(p, "line %zu: result at indentation %d has no open subtest: %s",
			      p->lineno, indent, quote))
			return -ENOMEM;
		return add_diag(p, indent, s);
	}
	ret = close_inner_levels(p, li, &child);
	if (ret)
		goto out;
	ret = result_fits(p, &p->levels[li], r, s);
	if (ret == 1)
		ret = append_result(p, &p->levels[li], r, &child);
	else if (ret == 0)
		ret = reject_result(p, li, indent, s, &child);
out:
	level_free(&child);
	return ret;
}

static int on_bail_out(struct parser *p, int indent, const char *s)
{
	char quote[KTAP_SNIPPET + 4];

	snippet(quote, sizeof(quote), s);
	if (add_error(p, "line %zu: %s", p->lineno, quote))
		return -ENOMEM;
	return add_diag(p, indent, s);
}

static int parse_line(struct parser *p, const char *line)
{
	struct result_line r;
	int indent, n;
	const char *s;

	s = skip_indent(line, &indent);
	if (!*s)
		return 0;
	if (is_version(s))
		return on_version(p, indent);
	if (is_plan(s, &n))
		return on_plan(p, indent, n);
	if (parse_result(s, &r))
		return on_result(p, indent, &r, s);
	if (is_subtest_header(s))
		return on_subtest_header(p, indent, s);
	if (starts_with(s, "Bail out!"))
		return on_bail_out(p, indent, s);
	return add_diag(p, indent, s);
}

/* Copies one line without trailing blanks, control bytes made '?'. */
static void copy_line(char *out, const char *s, size_t len)
{
	size_t i;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (len > KTAP_MAX_TEXT)
		len = KTAP_MAX_TEXT;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		out[i] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
	}
	out[len] = '\0';
}

/* Levels still open at the end of the stream have no parent result. */
static int close_all_levels(struct parser *p)
{
	struct level *lv;
	int ret = 0;

	while (p->depth > 1) {
		lv = &p->levels[p->depth - 1];
		if (lv->nr_tests)
			ret = add_error(p, "%zu results at indentation %d have no parent result (the output ends)",
					lv->nr_tests, lv->indent);
		if (!ret)
			ret = lines_splice(&p->levels[p->depth - 2].pending, &lv->pending);
		level_free(lv);
		p->depth--;
		if (ret)
			return ret;
	}
	return 0;
}

static int check_top_level(struct parser *p)
{
	const struct level *top = &p->levels[0];

	if (!top->has_version && add_error(p, "no version line"))
		return -ENOMEM;
	if (top->plan < 0)
		return add_error(p, "no plan line");
	if ((size_t)top->plan != top->nr_tests)
		return add_error(p, "planned %d, got %zu results", top->plan, top->nr_tests);
	return 0;
}

static void parser_free(struct parser *p)
{
	int i;

	for (i = 0; i < p->depth; i++)
		level_free(&p->levels[i]);
	lines_free(&p->errors);
}

static void parser_to_doc(struct parser *p, struct ktap_doc *doc)
{
	struct level *top = &p->levels[0];

	doc->has_version = top->has_version;
	doc->plan = top->plan;
	doc->tests = top->tests;
	doc->nr_tests = top->nr_tests;
	doc->trailing = top->pending.v;
	doc->nr_trailing = top->pending.n;
	doc->errors = p->errors.v;
	doc->nr_errors = p->errors.n;
	doc->disordered = p->disordered;
	memset(top, 0, sizeof(*top));
	memset(&p->errors, 0, sizeof(p->errors));
}

int ktap_parse(const char *text, size_t len, struct ktap_doc *doc)
{
	char line[KTAP_MAX_TEXT + 1];
	struct parser p;
	size_t pos = 0, end;
	const char *nl;
	int ret;

	memset(doc, 0, sizeof(*doc));
	doc->plan = -1;
	memset(&p, 0, sizeof(p));
	p.depth = 1;
	p.levels[0].plan = -1;

	while (pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		end = nl ? (size_t)(nl - text) : len;
		copy_line(line, text + pos, end - pos);
		p.lineno++;
		ret = parse_line(&p, line);
		if (ret)
			goto fail;
		pos = end + 1;
	}
	ret = close_all_levels(&p);
	if (ret)
		goto fail;
	ret = check_top_level(&p);
	if (ret)
		goto fail;
	parser_to_doc(&p, doc);
	return 0;
fail:
	parser_free(&p);
	return -1;
}

void ktap_doc_free(struct ktap_doc *doc)
{
	tests_free(doc->tests, doc->nr_tests);
	strings_free(doc->errors, doc->nr_errors);
	strings_free(doc->trailing, doc->nr_trailing);
	memset(doc, 0, sizeof(*doc));
	doc->plan = -1;
}

static void count_status(enum ktap_status s, struct ktap_counts *c)
{
	switch (s) {
	case KTAP_PASS:
		c->passed++;
		break;
	case KTAP_FAIL:
		c->failed++;
		break;
	case KTAP_SKIP:
		c->skipped++;
		break;
	case KTAP_XFAIL:
		c->xfailed++;
		break;
	case KTAP_TIMEOUT:
		c->timeout++;
		break;
	case KTAP_ERROR:
		c->error++;
		break;
	}
}

static void count_tests(const struct ktap_test *tests, size_t n, struct ktap_counts *c)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (tests[i].nr_subtests)
			count_tests(tests[i].subtests, tests[i].nr_subtests, c);
		else
			count_status(tests[i].status, c);
	}
}

void ktap_count(const struct ktap_doc *doc, struct ktap_counts *c)
{
	count_tests(doc->tests, doc->nr_tests, c);
}

const char *ktap_status_name(enum ktap_status s)
{
	switch (s) {
	case KTAP_PASS:
		return "pass";
	case KTAP_FAIL:
		return "fail";
	case KTAP_SKIP:
		return "skip";
	case KTAP_XFAIL:
		return "xfail";
	case KTAP_TIMEOUT:
		return "timeout";
	case KTAP_ERROR:
		return "error";
	}
	return "unknown";
}

bool ktap_starts_with_directive(const char *text)
{
	return find_directive(skip_blanks(text)) != NULL;
}
