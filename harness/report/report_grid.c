// SPDX-License-Identifier: GPL-2.0
/*
 * report_grid.c - the matrix of report.html: which filesystem, dax mount
 * mode and namespace cell each leaf ran in, and their counts
 *
 * Leaves are counted as report_test_totals() counts them, so the grid
 * adds up to the run's totals: a program's own failure (the kernel
 * warned, it was killed after its last result) and kernel problems
 * outside any test go into the "other" row and column.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "report/report.h"

/* The filesystems and dax= mount modes the tests' FIXTURE_VARIANTs name. */
static const char *const fs_names[] = {
	"xfs", "ext4", "ext2", "btrfs", "erofs", "virtiofs", "tmpfs", REPORT_OTHER,
};
static const char *const mode_names[] = {
	"always", "inode", "never", "default", REPORT_OTHER,
};
#define NR_FS		(sizeof(fs_names) / sizeof(fs_names[0]))
#define NR_MODES	(sizeof(mode_names) / sizeof(mode_names[0]))

const char *report_grid_fs_name(size_t i)
{
	return i < NR_FS ? fs_names[i] : REPORT_OTHER;
}

const char *report_grid_mode_name(size_t i)
{
	return i < NR_MODES ? mode_names[i] : REPORT_OTHER;
}

/* Index of the word [s, s + len) in names (the last, "other", if none). */
static size_t lookup(const char *const *names, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], s, len))
			return i;
	return n - 1;
}

/* The dotted component [s, end): "xfs_always", "ext4", "xfs_always_small_blocks". */
static bool place_component(const char *s, const char *end, struct report_place *p)
{
	const char *us = memchr(s, '_', end - s);
	const char *word2, *us2;

	p->fs = lookup(fs_names, NR_FS, s, (us ? us : end) - s);
	if (p->fs == NR_FS - 1)
		return false;
	if (!us)
		return true;
	word2 = us + 1;
	us2 = memchr(word2, '_', end - word2);
	p->mode = lookup(mode_names, NR_MODES, word2, (us2 ? us2 : end) - word2);
	return true;
}

/* The dotted name [s, end): whether a component names a filesystem. */
static bool place_name(const char *s, const char *end, struct report_place *p)
{
	const char *dot;

	while (s < end) {
		dot = memchr(s, '.', end - s);
		if (!dot)
			dot = end;
		if (place_component(s, dot, p))
			return true;
		s = dot + 1;
	}
	return false;
}

void report_place(const char *program, const char *leaf, struct report_place *p)
{
	const char *at = program ? strchr(program, '@') : NULL;
	const char *base, *slash;

	p->fs = NR_FS - 1;
	p->mode = NR_MODES - 1;
	if (at && at[1]) {
		p->ns = at + 1;
		p->ns_len = strlen(at + 1);
	} else {
		p->ns = REPORT_OTHER;
		p->ns_len = strlen(REPORT_OTHER);
	}
	if (leaf && place_name(leaf, leaf + strlen(leaf), p))
		return;
	/* A power-fail case runs as a program of its own, named after it:
	 * "powerfail/map_sync_cut/cut.xfs_always.map_sync_stores@map=mem". */
	if (!program)
		return;
	base = program;
	while ((slash = strchr(base, '/')) && (!at || slash < at))
		base = slash + 1;
	place_name(base, at ? at : base + strlen(base), p);
}

struct report_totals *report_grid_cell(const struct report_grid *g, size_t ns,
				       size_t fs, size_t mode)
{
	return &g->cells[(ns * g->nr_fs + fs) * g->nr_modes + mode];
}

/* Index of the namespace cell, added (with room for its cells) if new. */
static int ns_index(struct report_grid *g, const char *ns, size_t len, size_t *index)
{
	size_t per_ns = g->nr_fs * g->nr_modes;
	struct report_totals *cells;
	char **names;
	size_t i;

	for (i = 0; i < g->nr_ns; i++) {
		if (strlen(g->ns[i]) == len && !strncmp(g->ns[i], ns, len)) {
			*index = i;
			return 0;
		}
	}
	names = realloc(g->ns, (g->nr_ns + 1) * sizeof(*names));
	if (!names)
		return -ENOMEM;
	g->ns = names;
	cells = realloc(g->cells, (g->nr_ns + 1) * per_ns * sizeof(*cells));
	if (!cells)
		return -ENOMEM;
	g->cells = cells;
	memset(cells + g->nr_ns * per_ns, 0, per_ns * sizeof(*cells));
	names[g->nr_ns] = strndup(ns, len);
	if (!names[g->nr_ns])
		return -ENOMEM;
	*index = g->nr_ns++;
	return 0;
}

enum leaf_kind { LEAF_PASS, LEAF_FAIL, LEAF_SKIP, LEAF_XFAIL };

static int count(struct report_grid *g, const char *program, const char *leaf,
		 enum leaf_kind kind)
{
	struct report_totals *c;
	struct report_place p;
	size_t ns;
	int ret;

	report_place(program, leaf, &p);
	ret = ns_index(g, p.ns, p.ns_len, &ns);
	if (ret)
		return ret;
	c = report_grid_cell(g, ns, p.fs, p.mode);
	switch (kind) {
	case LEAF_PASS:
		c->passed++;
		break;
	case LEAF_FAIL:
		c->failed++;
		break;
	case LEAF_SKIP:
		c->skipped++;
		break;
	case LEAF_XFAIL:
		c->xfailed++;
		break;
	}
	return 0;
}

static enum leaf_kind leaf_kind(enum ktap_status s, bool known_failure)
{
	switch (s) {
	case KTAP_PASS:
		return LEAF_PASS;
	case KTAP_SKIP:
		return LEAF_SKIP;
	case KTAP_XFAIL:
		return LEAF_XFAIL;
	case KTAP_FAIL:
	case KTAP_TIMEOUT:
	case KTAP_ERROR:
		break;
	}
	return known_failure ? LEAF_XFAIL : LEAF_FAIL;
}

/* The leaves under tests, named "<prefix>.<name>"; *failed counts the failed ones. */
static int count_leaves(struct report_grid *g, const struct test_result *t, const char *prefix,
			const struct ktap_test *tests, size_t n, unsigned int *failed)
{
	enum leaf_kind kind;
	char *name;
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		name = prefix ? str_printf("%s.%s", prefix, tests[i].name) : strdup(tests[i].name);
		if (!name)
			return -ENOMEM;
		if (tests[i].nr_subtests) {
			ret = count_leaves(g, t, name, tests[i].subtests, tests[i].nr_subtests,
					   failed);
		} else {
			kind = leaf_kind(tests[i].status, t->status == TEST_XFAIL);
			if (leaf_kind(tests[i].status, false) == LEAF_FAIL)
				(*failed)++;
			ret = count(g, t->name, name, kind);
		}
		free(name);
	}
	return ret;
}

/* As report_test_totals() counts the program's leaves. */
static int count_test(struct report_grid *g, const struct test_result *t)
{
	unsigned int failed = 0;
	int ret;

	if (!test_result_counts_subtests(t)) {
		if (t->status == TEST_PASS)
			return count(g, t->name, NULL, LEAF_PASS);
		if (t->status == TEST_XFAIL)
			return count(g, t->name, NULL, LEAF_XFAIL);
		if (t->status == TEST_SKIP)
			return count(g, t->name, NULL, LEAF_SKIP);
		return count(g, t->name, NULL, LEAF_FAIL);
	}
	ret = count_leaves(g, t, NULL, t->ktap.tests, t->ktap.nr_tests, &failed);
	if (ret || failed)
		return ret;
	if (t->status == TEST_XFAIL)
		return count(g, t->name, NULL, LEAF_XFAIL);
	if (test_status_failed(t->status))
		return count(g, t->name, NULL, LEAF_FAIL);
	return 0;
}

int report_grid_build(const struct run_report *r, struct report_grid *g)
{
	size_t i;
	int ret = 0;

	memset(g, 0, sizeof(*g));
	g->nr_fs = NR_FS;
	g->nr_modes = NR_MODES;
	for (i = 0; i < r->nr_tests && !ret; i++)
		ret = count_test(g, &r->tests[i]);
	if (!ret && r->nr_findings)
		ret = count(g, NULL, NULL, LEAF_FAIL);
	if (ret)
		report_grid_free(g);
	return ret;
}

void report_grid_free(struct report_grid *g)
{
	size_t i;

	for (i = 0; i < g->nr_ns; i++)
		free(g->ns[i]);
	free(g->ns);
	free(g->cells);
	memset(g, 0, sizeof(*g));
}
