/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-guest tests: tests/<area>/ directories in kselftest layout. The
 * programs are TEST_GEN_PROGS of the area's Makefile, the description is
 * line 3 of <program>.c (" * <program> - <description>"), the timeout is
 * "timeout=" in the area's settings file (kselftest's default 45 s);
 * "guest=own" there runs each of the area's programs in a guest of its own,
 * "powerfail=1" runs each of its test cases in a prepare and a verify phase
 * with a power cut between them (tests/common/powerfail.h); "fixture=1"
 * marks an area of misbehaving programs that test daxtest itself, run
 * only when --tests names the area.
 */
#ifndef DAXTEST_TEST_CATALOG_H
#define DAXTEST_TEST_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "plan/matrix.h"

#define TEST_DEFAULT_TIMEOUT 45

struct kernel_artifact;

struct test_def {
	char *name;		/* "<area>/<program>", "@<cell>" once expanded */
	char *program;		/* "<area>/<program>" */
	char *cell;		/* "map=mem", ...; NULL until expanded */
	char *description;
	unsigned int timeout_s;
	bool own_guest;		/* settings "guest=own": alone in a fresh guest */
	bool powerfail;		/* settings "powerfail=1": cases run in two phases */
	bool fixture;		/* settings "fixture=1": only when --tests names its area */
	/* A peer suite's test (--suite; run/suites.c): the suite's name
	 * ("ndctl", "fstests"), the guest program that runs it with run as
	 * its -r argument; NULL for daxtest's own tests, which run as
	 * IMAGE_TESTS_DIR/<program>. */
	char *suite;
	char *exec;
	/* Once expanded, for a power-fail case: */
	char *run;		/* kselftest -r "<fixture>.<variant>.<test>" */
	bool random_cut;	/* a "random_" case: cut after a random delay */
	unsigned int iteration;	/* of a random_ case, from 1 */
	unsigned int crash_image;	/* its sampled crash image, from 1; 0: strict */
};

struct test_catalog {
	struct test_def *tests;
	size_t nr;
};

/* Reads every area under <project>/tests. 0, or -1 after logging. */
int test_catalog_load(struct test_catalog *c, const char *project_dir);
/* Keeps the tests matching any of the comma-separated globs in patterns
 * (matched against "<area>/<program>" and "<area>"); a fixture area's
 * tests only when a glob names the area literally, and none when
 * patterns is empty. A glob that matches nothing logs its name and
 * returns -1. */
int test_catalog_filter(struct test_catalog *c, const char *patterns);
/*
 * Replaces every program by one test per matrix cell, in program order,
 * named "<area>/<program>@<cell>". A power-fail program becomes one test
 * per case and cell instead, "<area>/<program>/<fixture>.<variant>.<test>@<cell>";
 * its "random_" cases only with m->random_cuts, iterations times each
 * ("...@<cell>,iter=<n>"). With samples (--crash-model sampled:N), each
 * case comes samples more times, each verified on its own sampled crash
 * image ("...,image=sampled<k>"). 0, or -1 after logging.
 */
int test_catalog_expand(struct test_catalog *c, const char *project_dir,
			const struct matrix *m, unsigned int iterations, unsigned int samples);
/* Builds the programs for this kernel into out_dir (<area>/<program>).
 * 0, or -1 after logging. */
int test_catalog_build(const char *project_dir, const struct kernel_artifact *k,
		       const char *out_dir);
/* Both daxtest's own tests, or both of one peer suite: they may share
 * a guest. */
bool test_def_same_suite(const struct test_def *a, const struct test_def *b);
/* Appends t (taken over: freed on failure too). 0, or -1. */
int test_catalog_add(struct test_catalog *c, struct test_def *t);
void test_def_free(struct test_def *t);
void test_catalog_free(struct test_catalog *c);

#endif /* DAXTEST_TEST_CATALOG_H */
