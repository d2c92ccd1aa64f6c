/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fstests: built in a copy of the tree (<dir>/src: it builds only in
 * its own tree), tests chosen by name and by group (the tests/<dir>/
 * group.list files the build makes), each test run in two sections, xfs
 * and ext4, as one guest script per (section, test).
 */
#ifndef DAXTEST_SUITE_FSTESTS_H
#define DAXTEST_SUITE_FSTESTS_H

#include "build/suite_build.h"
#include "lib/strv.h"

#define SUITE_FSTESTS_TIMEOUT_S	900

/* The sections a test runs in. */
enum suite_section {
	SUITE_SECTION_XFS = 1 << 0,
	SUITE_SECTION_EXT4 = 1 << 1,
};

/* cp -a --reflink=auto src <dir>/src, then make -j<cpus> there; output to
 * log. 0, or -1 after log_error. */
int suite_fstests_build(const char *src, const char *dir, const char *log);

/* The sections of a test by its directory: generic/ and shared/ both,
 * xfs/ xfs, ext4/ ext4; any other none (0). */
unsigned int suite_fstests_sections(const char *test);

/*
 * Adds to tests the tests selection names, each once, in order: a test
 * ("generic/605": a test file under <tree>/tests/), or a group, expanded
 * through tests/<dir>/group.list of generic, shared, xfs and ext4 ("dax"),
 * or of one directory ("xfs/quick"). 0, or -1 after log_error naming a
 * word that is neither.
 */
int suite_fstests_select(const char *tree, const char *selection, struct strv *tests);

/* What the test checks, in one line: the first comment line of its
 * header that is not the "FS QA Test" line, the SPDX or a copyright line;
 * else "fstests <test>". malloc'd, NULL when out of memory. */
char *suite_fstests_description(const char *tree, const char *test);

/*
 * The cases of selection in the built tree <tree> (its scripts name
 * <b->dir>/fstests.config): every xfs case first, then every ext4 case.
 * Writes the scripts into <b->dir>/cases and appends the cases to b. 0,
 * or -1 after log_error (an unknown name, a test that runs in neither
 * section, no test at all).
 */
int suite_fstests_cases(const char *tree, const char *selection, struct suite_built *b);

#endif /* DAXTEST_SUITE_FSTESTS_H */
