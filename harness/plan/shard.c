// SPDX-License-Identifier: GPL-2.0
/*
 * shard.c - cut the plan into ranges for parallel guests
 */
#include <stdbool.h>
#include <stdlib.h>

#include "plan/shard.h"

/* Tests i and j may be in one shard of a run. */
static bool same_run(const struct test_def *a, const struct test_def *b)
{
	return !a->own_guest && !b->own_guest && a->powerfail == b->powerfail &&
	       test_def_same_suite(a, b);
}

static int add_shard(struct shard **v, size_t *nr, size_t first, size_t end)
{
	struct shard *p = realloc(*v, (*nr + 1) * sizeof(*p));

	if (!p)
		return -1;
	p[*nr].first = first;
	p[*nr].end = end;
	*v = p;
	(*nr)++;
	return 0;
}

/* Cuts [first, end) into up to pieces shards of near-equal length. */
static int add_run(struct shard **v, size_t *nr, size_t first, size_t end,
		   size_t pieces)
{
	size_t len = end - first, i, at = first;

	if (pieces > len)
		pieces = len;
	for (i = 0; i < pieces; i++) {
		size_t n = len / pieces + (i < len % pieces);

		if (add_shard(v, nr, at, at + n) < 0)
			return -1;
		at += n;
	}
	return 0;
}

static int by_size_desc(const void *a, const void *b)
{
	const struct shard *x = a, *y = b;
	size_t nx = x->end - x->first, ny = y->end - y->first;

	if (nx != ny)
		return nx < ny ? 1 : -1;
	return x->first < y->first ? -1 : x->first > y->first;
}

int shard_plan(const struct test_def *tests, size_t nr, unsigned int lanes,
	       struct shard **out, size_t *nr_out)
{
	size_t i = 0, j;

	*out = NULL;
	*nr_out = 0;
	if (lanes <= 1)
		return nr ? add_shard(out, nr_out, 0, nr) : 0;
	while (i < nr) {
		if (tests[i].own_guest) {
			if (add_shard(out, nr_out, i, i + 1) < 0)
				goto fail;
			i++;
			continue;
		}
		for (j = i + 1; j < nr && same_run(&tests[i], &tests[j]); j++)
			;
		if (add_run(out, nr_out, i, j, 2 * (size_t)lanes) < 0)
			goto fail;
		i = j;
	}
	if (*nr_out)
		qsort(*out, *nr_out, sizeof(**out), by_size_desc);
	return 0;
fail:
	free(*out);
	*out = NULL;
	*nr_out = 0;
	return -1;
}
