/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test matrix's namespace cells (tests/matrix): which fsdax namespace
 * setups each program of a --matrix runs on. Lines are "<matrix> <cell>...";
 * '#' starts a comment.
 */
#ifndef DAXTEST_MATRIX_H
#define DAXTEST_MATRIX_H

#include "strv.h"

#define MATRIX_DEFAULT "quick"

/* The cells the guest agent can set up, NULL-terminated. */
extern const char *const matrix_known_cells[];

/* Parses the text of a matrix file (for the unit test and matrix_load).
 * Fills cells with those of the named matrix. 0, or -1 after logging
 * (unknown matrix, unknown cell, a matrix defined twice or without cells;
 * messages name source and line). */
int matrix_parse(const char *text, const char *source, const char *name,
		 struct strv *cells);
/* Reads <project>/tests/matrix. 0, or -1 after logging. */
int matrix_load(const char *project_dir, const char *name, struct strv *cells);

#endif /* DAXTEST_MATRIX_H */
