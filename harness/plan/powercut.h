/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Power cuts for power-fail tests (tests/common/powerfail.h): each case
 * runs in a prepare phase; when it prints "# daxtest: checkpoint <label>"
 * the runner kills QEMU (at once, or after a seeded random delay for the
 * "random_" cases), boots a fresh guest on the same backing files and runs
 * the case again in its verify phase. This keeps the per-test phase, the
 * pending cut and the prepare phase's output, which ends up in front of
 * the verify phase's in the test's log.
 */
#ifndef DAXTEST_POWERCUT_H
#define DAXTEST_POWERCUT_H

#include <stdbool.h>
#include <stddef.h>

#include "report/result.h"
#include "plan/catalog.h"

#define POWERCUT_MARK		"# daxtest: checkpoint "
#define POWERCUT_MAX_DELAY_MS	2000

struct powercut {
	unsigned long long seed;
	size_t nr;
	bool *verify;		/* per test: the cut happened, verify next */
	char **prepare_log;	/* per test: prepare output and the cut's note */
	long cut_at_ms;		/* mono_ms() of the pending cut, 0: none */
	char *note;		/* the pending cut, for the log */
};

int powercut_init(struct powercut *pc, size_t nr_tests, unsigned long long seed);
void powercut_free(struct powercut *pc);

/* The delay of a random cut of test idx: a pure function of seed and idx,
 * so --seed reproduces every cut. */
long powercut_delay_ms(unsigned long long seed, size_t idx);

/* "prepare" or "verify" for a power-fail test, NULL for any other. */
const char *powercut_phase(const struct powercut *pc, const struct test_def *d, size_t idx);

/* A line of test idx's output: on its checkpoint in the prepare phase,
 * schedules the cut and returns true (once). ms: time since it began. */
bool powercut_on_line(struct powercut *pc, const struct test_def *d, size_t idx,
		      const char *line, long ms);

/* The cut happened while test idx ran: keeps its output as the prepare
 * log, clears t's output, and makes verify its next phase. */
int powercut_done(struct powercut *pc, size_t idx, struct test_result *t);

/* After the verify phase was judged: puts the prepare log in front of
 * t's output. */
int powercut_merge_log(struct powercut *pc, size_t idx, struct test_result *t);

#endif /* DAXTEST_POWERCUT_H */
