/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test matrix's namespace cells (tests/matrix): which fsdax namespace
 * setups each program of a --matrix runs on, and its options. Lines are
 * "<matrix> <cell>... [+<option>...]"; '#' starts a comment. Options:
 * +random-cuts runs the power-fail cases that cut at a random point.
 */
#ifndef DAXTEST_MATRIX_H
#define DAXTEST_MATRIX_H

#include <stdbool.h>

#include "lib/strv.h"

#define MATRIX_DEFAULT "quick"

/* The cells the guest agent can set up, NULL-terminated. */
extern const char *const matrix_known_cells[];

struct matrix {
	struct strv cells;
	bool random_cuts;
};

/* Parses the text of a matrix file (for the unit test and matrix_load).
 * Fills m with the named matrix. 0, or -1 after logging (unknown matrix,
 * cell or option, a matrix defined twice or without cells; messages name
 * source and line). */
int matrix_parse(const char *text, const char *source, const char *name,
		 struct matrix *m);
/* Reads <project>/tests/matrix. 0, or -1 after logging. */
int matrix_load(const char *project_dir, const char *name, struct matrix *m);
void matrix_free(struct matrix *m);

#endif /* DAXTEST_MATRIX_H */
