/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recipe of a reported bug, tests/repro/<name>.recipe (see repro.h
 * for the keys).
 */
#ifndef DAXTEST_RECIPE_H
#define DAXTEST_RECIPE_H

#include "lib/strv.h"

struct recipe {
	char *summary, *reference, *affected, *fixed, *tests, *patches, *config;
	struct strv fails;
};

/* Parses a recipe's text. 0, or -1 after logging (unknown key, a missing
 * summary, affected, tests or fails). */
int recipe_parse(struct recipe *r, const char *text, const char *source);
void recipe_free(struct recipe *r);

#endif /* DAXTEST_RECIPE_H */
