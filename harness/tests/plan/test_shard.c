// SPDX-License-Identifier: GPL-2.0
/*
 * test_shard.c - cutting the plan into shards for parallel guests
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan/shard.h"

#define PLAIN	{ .name = "a/p" }
#define OWN	{ .name = "hw/p", .own_guest = true }
#define PF	{ .name = "pf/c", .powerfail = true }
#define FST	{ .name = "fstests-xfs/generic/605@map=mem", .suite = (char *)"fstests" }

/* Every test is in exactly one shard. */
static void assert_cover(const struct shard *sh, size_t nr_sh, size_t nr)
{
	unsigned int *seen = calloc(nr, sizeof(*seen));
	size_t i, j;

	assert_non_null(seen);
	for (i = 0; i < nr_sh; i++) {
		assert_true(sh[i].first < sh[i].end && sh[i].end <= nr);
		for (j = sh[i].first; j < sh[i].end; j++)
			seen[j]++;
	}
	for (j = 0; j < nr; j++)
		assert_int_equal(seen[j], 1);
	free(seen);
}

static void one_lane_is_one_shard(void **state)
{
	const struct test_def t[] = { PLAIN, OWN, PF, PF, PLAIN };
	struct shard *sh;
	size_t nr;

	assert_int_equal(shard_plan(t, 5, 1, &sh, &nr), 0);
	assert_int_equal(nr, 1);
	assert_int_equal(sh[0].first, 0);
	assert_int_equal(sh[0].end, 5);
	free(sh);
}

/* A peer suite's tests and daxtest's own never share a shard. */
static void suites_apart_from_own_tests(void **state)
{
	const struct test_def t[] = { PLAIN, PLAIN, FST, FST };
	struct shard *sh;
	size_t nr, i, j;

	assert_int_equal(shard_plan(t, 4, 2, &sh, &nr), 0);
	assert_cover(sh, nr, 4);
	for (i = 0; i < nr; i++)
		for (j = sh[i].first; j < sh[i].end; j++)
			assert_true(test_def_same_suite(&t[sh[i].first], &t[j]));
	free(sh);
}

static void own_guest_tests_are_alone(void **state)
{
	const struct test_def t[] = { OWN, OWN, PLAIN, OWN };
	struct shard *sh;
	size_t nr, i;

	assert_int_equal(shard_plan(t, 4, 2, &sh, &nr), 0);
	assert_int_equal(nr, 4);
	assert_cover(sh, nr, 4);
	for (i = 0; i < nr; i++)
		assert_int_equal(sh[i].end - sh[i].first, 1);
	free(sh);
}

/* Runs are cut into at most 2 x lanes pieces of near-equal size; a
 * power-fail run and a plain run never share a shard. */
static void runs_are_cut_evenly(void **state)
{
	struct test_def t[20];
	struct shard *sh;
	size_t nr, i;

	for (i = 0; i < 20; i++)
		t[i] = (struct test_def){ .name = "x", .powerfail = i >= 10 };
	assert_int_equal(shard_plan(t, 20, 2, &sh, &nr), 0);
	assert_int_equal(nr, 8);
	assert_cover(sh, nr, 20);
	for (i = 0; i < nr; i++) {
		size_t n = sh[i].end - sh[i].first;

		assert_true(n == 2 || n == 3);
		assert_int_equal(t[sh[i].first].powerfail, t[sh[i].end - 1].powerfail);
	}
	/* largest first */
	for (i = 1; i < nr; i++)
		assert_true(sh[i - 1].end - sh[i - 1].first >= sh[i].end - sh[i].first);
	free(sh);
}

/* With last durations, a long test alone starts before the pieces of a
 * run of short ones, which have more tests. */
static void longest_expected_first(void **state)
{
	struct test_def t[11];
	double seconds[11];
	struct shard *sh;
	size_t nr, i;

	for (i = 0; i < 11; i++) {
		t[i] = (struct test_def){ .name = "a/p", .own_guest = i == 10 };
		seconds[i] = i == 10 ? 136 : 2;
	}
	assert_int_equal(shard_plan_timed(t, 11, 2, seconds, &sh, &nr), 0);
	assert_cover(sh, nr, 11);
	assert_int_equal(sh[0].first, 10);
	free(sh);
	/* by count, the one-test shard comes last */
	assert_int_equal(shard_plan(t, 11, 2, &sh, &nr), 0);
	assert_int_equal(sh[nr - 1].first, 10);
	free(sh);
}

static void more_lanes_than_tests(void **state)
{
	const struct test_def t[] = { PLAIN, PLAIN, PLAIN };
	struct shard *sh;
	size_t nr;

	assert_int_equal(shard_plan(t, 3, 16, &sh, &nr), 0);
	assert_int_equal(nr, 3);
	assert_cover(sh, nr, 3);
	free(sh);
	assert_int_equal(shard_plan(t, 0, 4, &sh, &nr), 0);
	assert_int_equal(nr, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_lane_is_one_shard),
		cmocka_unit_test(own_guest_tests_are_alone),
		cmocka_unit_test(suites_apart_from_own_tests),
		cmocka_unit_test(runs_are_cut_evenly),
		cmocka_unit_test(longest_expected_first),
		cmocka_unit_test(more_lanes_than_tests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
