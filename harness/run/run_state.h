/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the lanes of one run share: the prepared kernel, image and plan,
 * the report every lane fills (each test by the one lane that runs it),
 * the queue of shards, and the KTAP printer, which prints the tests in
 * plan order as they finish. The lock guards the queue, the finished
 * flags, printing and the run-wide fields of the report.
 */
#ifndef DAXTEST_RUN_STATE_H
#define DAXTEST_RUN_STATE_H

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>

#include "parse/sysmap.h"
#include "plan/crash_model.h"
#include "plan/known.h"
#include "run/run_request.h"
#include "run/prepare.h"
#include "run/progress.h"
#include "report/result.h"
#include "report/results_dir.h"
#include "plan/shard.h"

struct run_state {
	const struct run_request *req;
	struct guest_shape guest;	/* req->guest, accel and CPUs decided */
	struct prepared prep;
	struct run_report report;
	struct results_dir out;
	struct known known;		/* tests/known/ for this kernel */
	unsigned long long seed;	/* of the random power cuts */
	struct crash_model crash_model;	/* resolved: none, strict or sampled */
	char *plugin;			/* the persistence plugin, when a model is on */
	struct sysmap sysmap;		/* the kernel's, to explain lost lines */
	volatile sig_atomic_t *interrupted;
	pthread_mutex_t lock;
	struct shard *shards;
	size_t nr_shards, next_shard;
	bool stop;			/* a lane failed: take no more shards */
	bool *finished;			/* per test: its result is final */
	size_t printed;			/* tests printed as KTAP so far */
	struct progress progress;
};

/* The next shard to run, or NULL when there is none or the run stops. */
const struct shard *run_state_next_shard(struct run_state *s);
/* Test idx has its final result: write its files, count it, and print
 * every test that is ready, in plan order. */
void run_state_test_done(struct run_state *s, size_t idx);
/* Test idx began in a guest. */
void run_state_test_begins(struct run_state *s, size_t idx);
/* The run cannot go on: the first message is the run's infra_error;
 * the other lanes finish their shard and stop. */
void run_state_fail(struct run_state *s, const char *msg);
/* A guest's boot time (its start to its first test's begin); the
 * first to be reported is the report's. */
void run_state_boot_time(struct run_state *s, double seconds);
/* A guest's QEMU peak RSS: the report keeps the largest. */
void run_state_qemu_rss(struct run_state *s, long max_rss_kb);
/* Prints whatever is left, the tests that never ran as not run. */
void run_state_print_rest(struct run_state *s);

#endif /* DAXTEST_RUN_STATE_H */
