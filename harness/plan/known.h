/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known failures: tests/known/<major>.<minor>.txt names the tests that fail
 * on that kernel and why, one per line: "<glob> <reason>" ('#' starts a
 * comment; the glob matches the test's full name, e.g.
 * "powerfail/reflink_cut/rcut.xfs.map_sync_cow_two_pages@*", or with a
 * ':' one subtest, "<test glob>:<subtest glob>", e.g.
 * "hwpoison/badblocks@*:qbb.*.mmap_sigbus": a test fails as expected only
 * when every subtest that failed is listed). Such a test
 * that fails is reported XFAIL with the reason; one that passes, XPASS,
 * which fails the run (as in kselftest) until the entry goes. Timeouts
 * and crashes are never expected.
 *
 * A kernel report (WARNING, BUG, KASAN, ...) seen while a test ran fails
 * it even when its failed subtests are all listed, unless an entry about
 * that test names the report: "<glob> report=<glob of its title> <reason>",
 * e.g. "hwpoison/madv_hwpoison@*:shared.xfs_normapbt.*
 * report=WARNING:*fs/dax.c:380* ..." (the title's blanks matched by '*').
 *
 * The entries describe the kernel as its source ships it. A patch of the
 * series under test that fixes one says so in its notes ("Daxtest-fixes:
 * <glob>", same syntax, see patch_fixes.h): on a kernel with that patch,
 * no entry applies to what it names, so the test must pass, and its
 * failure says the patch should have fixed it. An entry that holds even
 * with such a patch (the patch was written for another kernel) says so:
 * "<glob> despite=<glob of patch names> <reason>".
 */
#ifndef DAXTEST_KNOWN_H
#define DAXTEST_KNOWN_H

#include <stddef.h>

#include "report/result.h"

struct known_entry {
	char *glob;
	char *report;		/* glob of a kernel report's title it excuses, or NULL */
	char *despite;		/* glob of the patches it holds despite, or NULL */
	char *reason;
};

struct known_fix {
	char *glob;		/* "<test glob>" or "<test glob>:<subtest glob>" */
	char *by;		/* the patch that fixes it */
};

struct known {
	char *path;		/* the file read, or NULL when there is none */
	struct known_entry *v;
	size_t n;
	struct known_fix *fixes;
	size_t nr_fixes;
};

/* Parses a known-failures text (for the unit test). 0, or -1 after
 * logging a line without a reason (source and line named). */
int known_parse(struct known *k, const char *text, const char *source);
/* Reads <project>/tests/known/<major>.<minor>.txt for a kernel release
 * ("6.12.117" -> 6.12.txt); no file is no known failures. 0 or -1. */
int known_load(struct known *k, const char *project_dir, const char *release);
/* Voids the entries about what glob names: patch `by` fixes it. 0 or -1. */
int known_add_fix(struct known *k, const char *glob, const char *by);
/* Turns a failed test it names into XFAIL, a passed one into XPASS. */
void known_apply(const struct known *k, struct test_result *t);
void known_free(struct known *k);

#endif /* DAXTEST_KNOWN_H */
