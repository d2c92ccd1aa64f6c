/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The repro case of a reported bug, tests/repro/<name>.repro (see repro.h
 * for the keys).
 */
#ifndef DAXTEST_RECIPE_H
#define DAXTEST_RECIPE_H

#include "lib/strv.h"

struct repro_case {
	char *summary, *reference, *affected, *fixed, *tests, *patches, *config;
	struct strv fails;
};

/* Parses a repro case's text. 0, or -1 after logging (unknown key, a missing
 * summary, affected, tests or fails). */
int repro_case_parse(struct repro_case *r, const char *text, const char *source);
void repro_case_free(struct repro_case *r);

#endif /* DAXTEST_RECIPE_H */
