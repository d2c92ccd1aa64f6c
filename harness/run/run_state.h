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
#include "vm/snapshot.h"

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
	/* Guests are restored from it while snapshot_on (run/snapshot_use.h). */
	struct snapshot snapshot;
	bool snapshot_on;
	/* Self-test only (DAXTEST_SELFTEST_STALE_RESTORE): a restored verify
	 * phase is told its files are the snapshot's, so the guest keeps
	 * the snapshot's view of the NVDIMMs (tests/restore must fail). */
	bool snapshot_stale;
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
/* A guest started: restored from the snapshot or booted. */
void run_state_guest_started(struct run_state *s, bool restored);
/* Whether guests are restored from s->snapshot now. */
bool run_state_snapshot_on(struct run_state *s);
/* The snapshot cannot be restored: the guests boot from now on. Says
 * why once (the first caller), in one line; discard: QEMU refused it,
 * so it goes from the cache too. */
void run_state_snapshot_off(struct run_state *s, const char *why, bool discard);
/* Prints whatever is left, the tests that never ran as not run. */
void run_state_print_rest(struct run_state *s);

#endif /* DAXTEST_RUN_STATE_H */
