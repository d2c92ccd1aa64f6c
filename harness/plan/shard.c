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

/* A shard and what it is expected to take, for sorting. */
struct weighed {
	struct shard sh;
	double weight;
};

static int by_weight_desc(const void *a, const void *b)
{
	const struct weighed *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight < y->weight ? 1 : -1;
	return x->sh.first < y->sh.first ? -1 : x->sh.first > y->sh.first;
}

/* Longest first: by expected seconds when known, else by test count. */
static int sort_shards(struct shard *v, size_t nr, const double *seconds)
{
	struct weighed *w = calloc(nr, sizeof(*w));
	size_t i, j;

	if (!w)
		return -1;
	for (i = 0; i < nr; i++) {
		w[i].sh = v[i];
		for (j = v[i].first; j < v[i].end; j++)
			w[i].weight += seconds ? seconds[j] : 1.0;
	}
	qsort(w, nr, sizeof(*w), by_weight_desc);
	for (i = 0; i < nr; i++)
		v[i] = w[i].sh;
	free(w);
	return 0;
}

int shard_plan(const struct test_def *tests, size_t nr, unsigned int lanes,
	       struct shard **out, size_t *nr_out)
{
	return shard_plan_timed(tests, nr, lanes, NULL, out, nr_out);
}

int shard_plan_timed(const struct test_def *tests, size_t nr, unsigned int lanes,
		     const double *seconds, struct shard **out, size_t *nr_out)
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
	if (*nr_out && sort_shards(*out, *nr_out, seconds) < 0)
		goto fail;
	return 0;
fail:
	free(*out);
	*out = NULL;
	*nr_out = 0;
	return -1;
}
