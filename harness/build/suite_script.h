/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest scripts of the peer test suites: their text (every value
 * single-quoted), their file names, writing them, and the words of a
 * selection. Shared by build/suite_ndctl.c and build/suite_fstests.c.
 */
#ifndef DAXTEST_SUITE_SCRIPT_H
#define DAXTEST_SUITE_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "build/suite_build.h"
#include "lib/strv.h"

/* A script's text, built with stdio (open_memstream). */
struct suite_text {
	FILE *f;
	char *buf;
	size_t len;
	const char *bad;	/* the first value refused: it has a newline */
};

/* 0, or -1 when out of memory. */
int suite_text_open(struct suite_text *t);
void suite_text_printf(struct suite_text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Adds value in single quotes, each ' written as '\''. A value with a
 * newline is refused (t->bad points to it) and makes the text fail. */
void suite_text_quote(struct suite_text *t, const char *value);
/* The text (malloc'd), or NULL when out of memory or a value was
 * refused (then t->bad says which). Closes t either way. */
char *suite_text_close(struct suite_text *t);

/* A file name for a case name (malloc'd): bytes other than letters,
 * digits and "._+-" become '_', and so does a leading '.'. */
char *suite_file_name(const char *name);

/* Writes len bytes of text to path (atomically) unless it holds them
 * already. 0 or -errno. */
int suite_file_update(const char *path, const char *text, size_t len, mode_t mode);

/*
 * Writes text as <b->dir>/cases/<file>.sh, mode 0755 (left alone when it
 * holds that text already), and appends the case to b. 0, or -1 after
 * log_error.
 */
int suite_case_add(struct suite_built *b, const char *name, const char *file,
		   const char *text, unsigned int timeout_s, const char *description);

/* Adds the words of text to words: separated by blanks or commas, '#'
 * starting a comment to the end of its line; a word already there is
 * not added again. 0, or -1 when out of memory. */
int suite_words(const char *text, struct strv *words);
bool suite_words_have(const struct strv *words, const char *word);

#endif /* DAXTEST_SUITE_SCRIPT_H */
