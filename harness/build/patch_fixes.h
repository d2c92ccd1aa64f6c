/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the patches of a series fix: a kernel patch names, in its notes
 * (after the "---" line, before the diff), the tests that fail on the
 * kernel without it and pass with it:
 *
 *   Daxtest-fixes: powerfail/reflink_cut/rcut.*.map_sync_cow_two_pages@*
 *   Daxtest-fixes: hwpoison/nfit_inject@*:nfitfs.*.recovery_write
 *
 * A glob is "<test glob>" or "<test glob>:<subtest glob>", as in
 * tests/known/ (known.h); several may share a line. On a kernel built
 * with the patch, the known-failure entries about those tests do not
 * apply. git am drops the notes, so the lines never reach a commit.
 */
#ifndef DAXTEST_PATCH_FIXES_H
#define DAXTEST_PATCH_FIXES_H

#include <stddef.h>

#include "build/patch_series.h"

#define PATCH_FIXES_TAG "Daxtest-fixes:"

struct patch_fix {
	char *glob;
	char *patch;		/* the patch's file name */
};

struct patch_fixes {
	struct patch_fix *v;
	size_t n;
};

/* Appends the Daxtest-fixes: globs of patch text (named patch for
 * messages). 0, or -1 after logging a malformed line. */
int patch_fixes_parse(struct patch_fixes *f, const char *patch, const char *text);
/* The same for every patch of series s. 0, or -1 after logging. */
int patch_fixes_load(struct patch_fixes *f, const struct patch_series *s);
void patch_fixes_free(struct patch_fixes *f);

#endif /* DAXTEST_PATCH_FIXES_H */
