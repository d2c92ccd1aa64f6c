/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options of every daxtest subcommand.
 */
#ifndef DAXTEST_OPTIONS_H
#define DAXTEST_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "run/run_request.h"
#include "vm/accel.h"
#include "vm/backend.h"

#define MAX_STACKED 16

enum command {
	CMD_RUN,
	CMD_KERNEL_BUILD,
	CMD_IMAGE_BUILD,
	CMD_LIST,
	CMD_SHELL,
	CMD_BISECT,
	CMD_BISECT_STEP,
	CMD_REPRO,
	CMD_REPORT,
	CMD_COMPARE,
	CMD_RESULTS,
	CMD_CACHE_DIR,
	CMD_HELP,
};

struct options {
	enum command command;
	char *project_dir;
	char *cache_dir;
	const char *ksrc;
	const char *kernel;		/* --kernel debian-X.Y */
	const char *repro;		/* daxtest repro NAME */
	const char *report_dir;		/* daxtest report DIR */
	const char *compare[2];		/* daxtest compare A B */
	char *const *results_args;	/* daxtest results: the arguments after it */
	int nr_results_args;		/* (cli/results_cmd.c parses them) */
	const char *base_series;	/* --series: NULL kernel-patches/series, "none" */
	const char *series[MAX_STACKED];
	size_t nr_series;
	const char *configs[MAX_STACKED];
	size_t nr_configs;
	const char *tests;		/* comma-separated globs */
	const char *matrix;		/* a matrix of tests/matrix */
	const char *good, *bad;		/* bisect's revisions */
	unsigned int retries;		/* bisect: runs again before calling a step bad */
	const char *results_root;	/* default "results" */
	enum accel accel;
	enum backend backend;		/* --backend qemu|libvirt */
	const char *suites[MAX_STACKED];	/* --suite KIND=DIR, in order */
	size_t nr_suites;
	const char *ndctl_tests;	/* --ndctl-tests */
	const char *fstests_tests;	/* --fstests-tests */
	const char *connect[MAX_STACKED];	/* libvirt URIs (--connect), in order */
	size_t nr_connect;		/* at least 1 with --backend libvirt */
	unsigned int build_jobs;	/* 0: cores + 1 */
	unsigned int timeout_s;		/* 0: each area's settings */
	unsigned int boot_timeout_s;	/* QEMU start to the agent's hello */
	unsigned int cpus;
	bool cpus_given;
	unsigned int jobs;		/* run -j: parallel guests; 0: one per core */
	unsigned int mem_mb;
	unsigned int nr_nvdimms;
	unsigned int iterations;	/* of each random power-cut case */
	unsigned long long seed;	/* of the random power cuts */
	bool seed_given;
	struct crash_model crash_model;	/* --crash-model; auto by default */
	unsigned long long nvdimm_size;
	bool rebuild;
	bool keep_work;
	bool no_snapshot;		/* --no-snapshot: boot every guest */
	bool coverage;			/* list --coverage */
	bool verbose;
};

/* Fills o from argv (and KSRC/PATCHES in the environment). Returns 0,
 * or -1 after printing one line naming the bad argument. */
int options_parse(struct options *o, int argc, char **argv);
void options_usage(FILE *f);
/* The request of a run (runner_run) from o; it borrows o's strings. */
void options_run_request(const struct options *o, struct run_request *req);
void options_free(struct options *o);

#endif /* DAXTEST_OPTIONS_H */
