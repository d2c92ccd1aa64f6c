/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the mutants in tests/mutants/ claim to kill: every "Must-fail:"
 * line of a <mutant>.patch lists "<area>/<program>:<fixture>.<test>"
 * entries, each one TEST_F that must fail against that kernel.
 * "make mutants" checks the claims; "daxtest list --coverage" shows, for
 * every TEST_F, the mutants that claim it, and the ones none does.
 */
#ifndef DAXTEST_MUTANT_CLAIMS_H
#define DAXTEST_MUTANT_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/strv.h"

struct mutant_claim {
	char *mutant;		/* file name without .patch */
	char *program;		/* "<area>/<program>" */
	char *test;		/* "<fixture>.<test>" */
	bool matched;		/* set by mutant_claims_killers(): names a real test */
};

struct mutant_claims {
	struct mutant_claim *v;
	size_t n;
	size_t nr_mutants;
};

/* Adds the claims in the text of mutant's patch. 0; -EINVAL after
 * logging an entry that is not "<area>/<program>:<fixture>.<test>", or a
 * patch with no Must-fail: line; -ENOMEM. */
int mutant_claims_parse(struct mutant_claims *c, const char *mutant, const char *text);
/* Reads every <project>/tests/mutants/NAME.patch, in name order. 0, or
 * a negative errno after logging. */
int mutant_claims_load(struct mutant_claims *c, const char *project_dir);
/* Adds to out the mutants claiming program's fixture.test and marks those
 * claims matched. The number added, or -1 (out of memory). */
int mutant_claims_killers(struct mutant_claims *c, const char *program,
			  const char *fixture, const char *test, struct strv *out);
void mutant_claims_free(struct mutant_claims *c);

#endif /* DAXTEST_MUTANT_CLAIMS_H */
