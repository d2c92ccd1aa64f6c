/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run is asked to do, stage by stage: the kernel to build, the
 * tests to plan, the guests to boot and how to run them. The command
 * line fills it (cli/options.c); the run never changes it: what it
 * decides (the accelerator, CPUs per guest, the seed) lives in its
 * own state.
 */
#ifndef DAXTEST_RUN_REQUEST_H
#define DAXTEST_RUN_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "build/kernel_build.h"
#include "plan/crash_model.h"
#include "vm/backend.h"
#include "vm/guest.h"

struct run_request {
	const char *project_dir;	/* holds tests/, kernel-patches/, build/ */
	const char *cache_dir;		/* created by the stages that write it */
	const char *results_root;	/* results/<run id>/ go here */
	/* build */
	struct kernel_build_opts kernel;
	/* plan */
	const char *tests;		/* comma-separated globs; NULL: all (none with suites) */
	/* Peer suites (--suite KIND=DIR) and their selections (NULL: default). */
	const char *const *suites;
	size_t nr_suites;
	const char *ndctl_tests;
	const char *fstests_tests;
	const char *matrix;		/* a matrix of tests/matrix; NULL: quick */
	unsigned int iterations;	/* of each random power-cut case */
	unsigned long long seed;	/* of the random power cuts */
	bool seed_given;
	struct crash_model crash_model;	/* what a power cut keeps; may be auto */
	/* guests */
	struct guest_shape guest;	/* accel may be ACCEL_AUTO */
	bool cpus_given;		/* else the run splits the cores */
	enum backend backend;
	const char *const *connect;	/* libvirt URIs, lanes take them in turn */
	size_t nr_connect;
	unsigned int boot_timeout_s;	/* QEMU start to the agent's hello */
	/* run */
	unsigned int jobs;		/* parallel guests; 0: one per core */
	unsigned int timeout_s;		/* 0: each area's settings */
	bool keep_work;
	bool no_snapshot;		/* --no-snapshot: boot every guest */
};

#endif /* DAXTEST_RUN_REQUEST_H */
