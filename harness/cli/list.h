/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daxtest list: every test program, its test cases with the spec items
 * they cover, its variants, and the matrix cells it runs in.
 */
#ifndef DAXTEST_LIST_H
#define DAXTEST_LIST_H

#include <stdio.h>

#include "cli/options.h"

/* Prints the list to f. 0, or -1 after logging. */
int list_tests(const struct options *o, FILE *f);

#endif /* DAXTEST_LIST_H */
