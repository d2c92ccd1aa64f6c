/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sharding the plan over parallel guests (daxtest run -j N): a shard is a
 * contiguous range of the plan that one lane runs, in as many guests as
 * it takes, before it takes the next shard.
 */
#ifndef DAXTEST_SHARD_H
#define DAXTEST_SHARD_H

#include <stddef.h>

#include "plan/catalog.h"

struct shard {
	size_t first, end;	/* plan indices [first, end) */
};

/*
 * Splits the nr tests of the plan for lanes parallel guests. One lane:
 * one shard, the whole plan. More: a test that wants a guest of its own
 * is a shard by itself; each run of tests that may share a guest, and
 * each run of power-fail cases (a case stays in one lane from its
 * prepare to its verify phase: same backing files), is cut into up to
 * 2 x lanes pieces so that the lanes finish close together. The shards
 * come largest first (ties in plan order): the long ones start early.
 * 0, or -1 when out of memory.
 */
int shard_plan(const struct test_def *tests, size_t nr, unsigned int lanes,
	       struct shard **out, size_t *nr_out);
/* The same, "largest" meaning the most expected seconds: seconds[i] for
 * tests[i] (plan/durations.h); NULL: the most tests. */
int shard_plan_timed(const struct test_def *tests, size_t nr, unsigned int lanes,
		     const double *seconds, struct shard **out, size_t *nr_out);

#endif /* DAXTEST_SHARD_H */
