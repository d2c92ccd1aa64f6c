// SPDX-License-Identifier: GPL-2.0
/*
 * sysmap.c - a kernel's System.map: guest PCs to "symbol+0xoff"
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "parse/sysmap.h"

/* A symbol with its line number, so that equal addresses keep file order. */
struct entry {
	struct sysmap_sym sym;
	size_t line;
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

static int entries_add(struct entries *e, uint64_t addr, const char *name, size_t line)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 1024;
		struct entry *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -1;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = (struct entry){ .sym = { .addr = addr, .name = name }, .line = line };
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->sym.addr != y->sym.addr)
		return x->sym.addr < y->sym.addr ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static bool is_text_type(char t)
{
	return t == 'T' || t == 't' || t == 'W' || t == 'w';
}

/* Section markers set the bounds and name no code of their own. Returns
 * true when name is one. */
static bool take_marker(struct sysmap *m, const char *name, uint64_t addr)
{
	if (!strcmp(name, "_text")) {
		m->text_start = addr;
	} else if (!strcmp(name, "_stext")) {
		if (!m->text_start)
			m->text_start = addr;
	} else if (!strcmp(name, "_etext")) {
		m->text_end = addr;
	} else if (!strcmp(name, "_sinittext")) {
		m->inittext_start = addr;
	} else if (!strcmp(name, "_einittext")) {
		m->inittext_end = addr;
	} else if (!strcmp(name, "_end")) {
		m->kernel_end = addr;
	} else {
		return false;
	}
	return true;
}

/*
 * Splits one line (NUL-terminated, in place) into address, type and name.
 * 0; 1 for a blank line; -1 when it is not "ADDRESS TYPE NAME".
 */
static int split_line(char *s, uint64_t *addr, char *type, char **name)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 1;
	if (!isxdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*addr = strtoull(s, &end, 16);
	if (errno || !isblank((unsigned char)*end))
		return -1;
	s = end;
	while (isblank((unsigned char)*s))
		s++;
	if (!isalpha((unsigned char)*s) && *s != '?')
		return -1;
	*type = *s++;
	if (!isblank((unsigned char)*s))
		return -1;
	while (isblank((unsigned char)*s))
		s++;
	if (!*s || isspace((unsigned char)*s))
		return -1;
	*name = s;
	while (*s && !isspace((unsigned char)*s))
		s++;
	*s = '\0';		/* anything after the name is ignored */
	return 0;
}

/* Bounds System.map did not give, from those it did. */
static void fill_bounds(struct sysmap *m)
{
	if (!m->text_start)
		m->text_start = m->syms[0].addr;
	if (!m->inittext_start || m->inittext_end <= m->inittext_start)
		m->inittext_start = m->inittext_end = 0;
	if (!m->kernel_end) {
		m->kernel_end = m->text_end > m->inittext_end ? m->text_end : m->inittext_end;
		if (!m->kernel_end)
			m->kernel_end = SYSMAP_MODULES_START;
	}
	if (!m->text_end)
		m->text_end = m->kernel_end;
}

int sysmap_parse(struct sysmap *m, const char *text, size_t len, const char *what)
{
	struct entries e = { 0 };
	char *line, *next;
	size_t lineno = 0, i;

	memset(m, 0, sizeof(*m));
	m->text = malloc(len + 1);
	if (!m->text)
		goto out_nomem;
	memcpy(m->text, text, len);
	m->text[len] = '\0';

	for (line = m->text; line && *line; line = next) {
		uint64_t addr;
		char type, *name;
		int ret;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		ret = split_line(line, &addr, &type, &name);
		if (ret > 0)
			continue;
		if (ret < 0) {
			log_error("%s:%zu: not a System.map line (ADDRESS TYPE NAME)", what,
				  lineno);
			goto out_err;
		}
		if (addr < SYSMAP_KERNEL_START || take_marker(m, name, addr) ||
		    !is_text_type(type))
			continue;
		if (entries_add(&e, addr, name, lineno) < 0)
			goto out_nomem;
	}
	if (!e.n) {
		log_error("%s: no kernel text symbols (T, t, W, w): not a System.map", what);
		goto out_err;
	}

	qsort(e.v, e.n, sizeof(*e.v), entry_cmp);
	m->syms = malloc(e.n * sizeof(*m->syms));
	if (!m->syms)
		goto out_nomem;
	for (i = 0; i < e.n; i++)
		m->syms[i] = e.v[i].sym;
	m->nr_syms = e.n;
	free(e.v);
	fill_bounds(m);
	return 0;

out_nomem:
	log_error("%s: out of memory", what);
out_err:
	free(e.v);
	sysmap_free(m);
	return -1;
}

int sysmap_load(struct sysmap *m, const char *path)
{
	char *data;
	size_t len;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = read_file(path, &data, &len);
	if (ret < 0) {
		log_error("%s: %s", path, strerror(-ret));
		return -1;
	}
	ret = sysmap_parse(m, data, len, path);
	free(data);
	return ret;
}

void sysmap_free(struct sysmap *m)
{
	free(m->syms);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

static bool is_kernel_text(const struct sysmap *m, uint64_t pc)
{
	if (pc >= m->text_start && pc < m->text_end)
		return true;
	return m->inittext_start && pc >= m->inittext_start && pc < m->inittext_end;
}

const char *sysmap_lookup(const struct sysmap *m, uint64_t pc, uint64_t *off)
{
	size_t lo = 0, hi, i;

	if (!m || !m->nr_syms || !is_kernel_text(m, pc) || pc < m->syms[0].addr)
		return NULL;
	/* the last symbol at or below pc */
	hi = m->nr_syms;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->syms[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	/* of several at one address, the first System.map lists */
	for (i = lo; i > 0 && m->syms[i - 1].addr == m->syms[lo].addr; i--)
		;
	*off = pc - m->syms[i].addr;
	return m->syms[i].name;
}

enum sysmap_where sysmap_describe(const struct sysmap *m, uint64_t pc, char *buf, size_t size)
{
	const char *name;
	uint64_t off;

	if (!pc) {
		snprintf(buf, size, "an instruction the model did not see");
		return SYSMAP_UNSEEN;
	}
	if (pc < SYSMAP_USER_END) {
		snprintf(buf, size, "user space 0x%" PRIx64, pc);
		return SYSMAP_USER;
	}
	if (pc < SYSMAP_KERNEL_START) {
		snprintf(buf, size, "non-canonical address 0x%" PRIx64, pc);
		return SYSMAP_NONCANONICAL;
	}
	name = sysmap_lookup(m, pc, &off);
	if (name) {
		snprintf(buf, size, "%s+0x%" PRIx64, name, off);
		return SYSMAP_KERNEL_TEXT;
	}
	if (m && !m->nr_syms)
		m = NULL;		/* an empty map (one that failed to load) */
	if (pc >= SYSMAP_MODULES_START && (!m || pc >= m->kernel_end)) {
		snprintf(buf, size, "module text 0x%" PRIx64, pc);
		return SYSMAP_MODULE;
	}
	snprintf(buf, size, "kernel address 0x%" PRIx64 "%s", pc,
		 m ? " (not kernel text)" : "");
	return SYSMAP_KERNEL_OTHER;
}
