/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ndctl's own test suite (test/ of an ndctl tree, meson): built out of
 * tree into <dir>/build, its test list taken from meson introspect
 * --tests and kept as <dir>/tests.json, one guest script per test.
 */
#ifndef DAXTEST_SUITE_NDCTL_H
#define DAXTEST_SUITE_NDCTL_H

#include "build/suite_build.h"

#define SUITE_NDCTL_TIMEOUT_S	600	/* a test with no timeout of its own */

/* The options of meson setup (NULL-terminated): part of the build's key. */
extern const char *const suite_ndctl_meson_options[];

/*
 * meson setup <dir>/build <src> <options>, meson compile, and the test
 * list (meson introspect --tests) into <dir>/tests.json; output to log.
 * 0, or -1 after log_error.
 */
int suite_ndctl_build(const char *src, const char *dir, const char *log);

/*
 * The cases of a test list (the JSON of meson introspect --tests): every
 * test when selection is NULL or "", else the tests it names (blanks or
 * commas between names), each once, in its order. Writes the scripts
 * into <b->dir>/cases and appends the cases to b. 0, or -1 after
 * log_error (a name that is not a test, a malformed list, a value that
 * a script cannot carry).
 */
int suite_ndctl_cases(const char *json, const char *selection, struct suite_built *b);

#endif /* DAXTEST_SUITE_NDCTL_H */
