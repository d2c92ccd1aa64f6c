/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building a peer test suite (build/suite_spec.h) on the host and
 * writing one guest script per test case.
 *
 * The suite is built into the cache once per source content:
 * <cache_dir>/suites/<kind>-<key>, where the key hashes the recipe, the
 * build options and (path, size, mtime, mode) of every file of the
 * source tree (stat only: a warm call costs a tree walk). The build runs
 * in that directory itself (meson and fstests' configure record absolute
 * paths, so a build cannot be moved after it ran); the file "built",
 * written last, says it is complete, and a directory without it is a
 * failed or interrupted build that the next call removes and redoes,
 * under the lock <cache_dir>/suites/<kind>-<key>.lock.
 *
 * The guest sees the host's /usr and /etc read-only and, at the same
 * paths, the "binds"; it runs each case as "/bin/bash <script>". The
 * scripts source <dir>/suite-lib.sh, the copy of the project's
 * tests/suites/suite-lib.sh (refreshed on every call when it differs:
 * the support files are inputs of the scripts, not of the build), and
 * call its ndctl_case or fstests_case.
 */
#ifndef DAXTEST_SUITE_BUILD_H
#define DAXTEST_SUITE_BUILD_H

#include <stddef.h>

#include "build/suite_spec.h"
#include "lib/hash.h"
#include "lib/strv.h"

struct suite_case {
	char *name;		/* "ndctl/dax.sh"; "fstests-xfs/generic/605", "fstests-ext4/generic/605" */
	char *script;		/* absolute host path of the bash script the guest runs */
	unsigned int timeout_s;
	char *description;	/* one line */
};

struct suite_built {
	enum suite_kind kind;
	char *dir;		/* <cache_dir>/suites/<kind>-<key, 16 hex>: build, scripts, copied support files */
	struct strv binds;	/* absolute host paths the guest must see at the same path (dir; for ndctl also src) */
	struct suite_case *cases;
	size_t nr;
};

/*
 * Builds the suite into the cache once per source content (a second call
 * with an unchanged tree builds nothing), then lists the selected cases
 * and writes their scripts.
 * selection: NULL or "" = the default (ndctl: every test; fstests: the
 * names in <support_dir>/fstests.default); else names separated by
 * blanks or commas (ndctl: meson test names; fstests: tests such as
 * "generic/605" and groups such as "quick" or "xfs/quick").
 * support_dir: <project>/tests/suites (suite-lib.sh; for fstests also
 * fstests.config and fstests.default), copied into dir.
 * 0, or -1 after log_error.
 */
int suite_build(const struct suite_spec *s, const char *cache_dir, const char *support_dir,
		const char *selection, struct suite_built *out);
void suite_built_free(struct suite_built *b);

/*
 * Where suite_build builds s: *dir (malloc'd) is
 * <cache_dir>/suites/<kind>-<first 16 digits of key>, key the build's
 * full key (the file "built" in dir holds "key=<key>" once the build is
 * complete). Builds nothing. 0, or -1 after log_error.
 */
int suite_build_dir(const struct suite_spec *s, const char *cache_dir, char **dir,
		    char key[HASH_HEX_LEN + 1]);

#endif /* DAXTEST_SUITE_BUILD_H */
