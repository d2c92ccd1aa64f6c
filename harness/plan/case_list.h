/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test cases inside one kselftest-harness program, read from its
 * source for "daxtest list": every TEST()/TEST_F() with the comment right
 * above it, whose first line starts with the spec items it covers
 * ("A1:", "C17, C18a:"), and every FIXTURE_VARIANT_ADD() of the program
 * and of the headers it includes from its own directory.
 */
#ifndef DAXTEST_TEST_CASES_H
#define DAXTEST_TEST_CASES_H

#include <stddef.h>

#include "lib/strv.h"

struct test_case {
	char *fixture;		/* "" for TEST() */
	char *name;
	char *spec;		/* "A1", "C17, C18a"; "" when the comment names none */
	char *summary;		/* the comment's first line after the spec items */
};

struct test_cases {
	struct test_case *v;
	size_t n;
	struct strv variants;	/* "<fixture>.<variant>" */
	struct strv includes;	/* "x.h" of #include "x.h" lines */
};

/* Appends what text holds. 0, or -1 (out of memory). */
int test_cases_parse(const char *text, struct test_cases *tc);
/* Reads <area_dir>/<prog>.c and the local headers it includes. 0, or
 * -errno when the source cannot be read. */
int test_cases_read(const char *area_dir, const char *prog, struct test_cases *tc);
void test_cases_free(struct test_cases *tc);

#endif /* DAXTEST_TEST_CASES_H */
