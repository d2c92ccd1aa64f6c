/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The peer test suites daxtest runs in its guests (--suite): ndctl's own
 * test suite (meson) and fstests, each from a source tree the user names.
 * This is only the naming of one: which suite, and where its tree is.
 */
#ifndef DAXTEST_SUITE_SPEC_H
#define DAXTEST_SUITE_SPEC_H

enum suite_kind { SUITE_NDCTL, SUITE_FSTESTS };

struct suite_spec {
	enum suite_kind kind;
	char *src;		/* realpath of DIR */
};

/*
 * Parses "ndctl=DIR" or "fstests=DIR". DIR must exist and look like that
 * suite (ndctl: meson.build and test/meson.build; fstests: check and
 * common/config). 0, or -1 after one log_error line naming the problem
 * ("--suite: 'foo' is not a suite: ndctl=DIR or fstests=DIR",
 * "--suite ndctl=/x: /x has no test/meson.build: not an ndctl source tree").
 */
int suite_spec_parse(const char *arg, struct suite_spec *s);
void suite_spec_free(struct suite_spec *s);
/* "ndctl", "fstests" */
const char *suite_kind_name(enum suite_kind k);

#endif /* DAXTEST_SUITE_SPEC_H */
