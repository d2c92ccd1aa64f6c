/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lane: one guest at a time, with its own work directory (backing
 * files, FIFOs, QMP socket) and console log. It takes shards from the
 * run's queue and boots guests until each shard's tests have run: a test
 * that crashes or hangs its guest is reported as such and the rest of
 * the shard goes on in a fresh guest; a power-fail case's two phases run
 * in two guests of the lane on the same backing files.
 */
#ifndef DAXTEST_LANE_H
#define DAXTEST_LANE_H

#include <stdbool.h>

#include "parse/console_watch.h"
#include "plan/powercut.h"
#include "run/crash_cut.h"
#include "run/run_state.h"
#include "vm/workdir.h"

/*
 * A guest for one of ndctl's tests gets an e820 pmem range (memmap=,
 * the "legacy" pmem of nd_e820) as its dax.sh, mmap.sh and device-dax
 * tests want: they fallocate 1 GiB on it, and device-dax wants 1 GiB
 * alignment. Its RAM is at least this (the run's preflight counts it).
 */
#define NDCTL_GUEST_MEM_MB	4096

struct lane {
	struct run_state *run;
	unsigned int id;		/* from 1 */
	char tag[24];			/* "" with one lane, else "guest <id>: " */
	const char *uri;		/* libvirt connection, NULL: QEMU directly */
	struct workdir work;
	char *console_log, *qemu_log;	/* in the results directory */
	struct console_watch console;	/* the lane's whole console stream */
	bool *claimed;			/* per console finding: during a test */
	size_t nr_claimed;
	struct powercut pc;		/* power-fail phases and cuts */
	struct crash_cut cut;		/* the persistence model's files */
	bool modelled;			/* this session's guest runs the plugin */
	/* per test: the crash model its verify phase sees (plan env) */
	enum crash_model_kind *verify_model;
	char **image_note;		/* per test: its crash image, in a line */
	size_t nr_tests;
	char *env;			/* the session plan's crash model entry */
	const char *env_v[2];		/* the session plan's env entries */
	/* the current shard and session */
	size_t first, end;		/* tests not run yet: [first, end) */
	double session_t0;
	long current;			/* report index of the running test */
	size_t console_mark;		/* console findings when it began */
	struct console_watch test_watch; /* its dmesg lines */
	double test_t0;
	bool hello, bye, stream_bad;
	bool restored, ready;		/* restored from the snapshot; said ready */
	unsigned int ended;		/* tests that ended in this session */
	char *agent_error;
};

/* Sets up lane id of run (work directory, logs). 0, or -1 after logging. */
int lane_init(struct lane *l, struct run_state *run, unsigned int id, unsigned int lanes,
	      const char *run_id);
/* The lane's thread: runs shards until the queue is empty or the run
 * stops. Returns NULL. */
void *lane_run(void *lane);
/* The lane's console findings that happened outside any test move to
 * the report (after the lane's thread ended). */
void lane_report_findings(struct lane *l, struct run_report *report);
void lane_free(struct lane *l, bool keep_work);

#endif /* DAXTEST_LANE_H */
