/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building the kernel under test: source + patch series + config
 * fragments in, a cached artifact out (bzImage, modules including the
 * nfit_test ones under updates/, uapi headers, the kselftest headers).
 * The artifact is keyed by a hash of the source identity, the patches'
 * content and the merged config; the worktree and the out-of-tree build
 * directory persist per source location, so a changed patch rebuilds
 * incrementally, with ccache below that.
 */
#ifndef DAXTEST_KERNEL_BUILD_H
#define DAXTEST_KERNEL_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "build/patch_fixes.h"
#include "lib/strv.h"

struct kernel_build_opts {
	const char *project_dir;	/* holds kernel-patches/ and tests/ */
	const char *cache_dir;
	const char *ksrc;		/* NULL: the Debian source package of kernel */
	const char *kernel;		/* "debian-6.1", ...; NULL: DEFAULT_KERNEL */
	const char *base_series;	/* NULL: kernel-patches/series; "none": no base series */
	const char *const *series;	/* extra series files (--patches) */
	size_t nr_series;
	const char *const *configs;	/* extra config fragments (--config) */
	size_t nr_configs;
	unsigned int jobs;
	bool rebuild;			/* ignore a cached artifact */
};

struct kernel_artifact {
	char *dir;
	char *key;
	char *release;		/* "6.12.117" */
	char *source;		/* description of the source and patches */
	char *bzimage;
	char *modules;		/* INSTALL_MOD_PATH root: lib/modules/<release> */
	char *headers;		/* uapi headers: <headers>/include */
	char *ksft;		/* kselftest_harness.h and kselftest.h */
	struct patch_fixes fixes;	/* what the applied patches fix (Daxtest-fixes:) */
	bool cached;		/* found in the cache, nothing was built */
};

/* 0, or -1 after logging one line naming the problem. */
int kernel_build(const struct kernel_build_opts *o, struct kernel_artifact *a);
void kernel_artifact_free(struct kernel_artifact *a);

/* Adds the command line of a build step to argv: "make -C<worktree>
 * O=<objdir> <jobs> [<depmod>] [<cc>] <targets...>" (depmod and cc may be
 * NULL; targets is NULL-terminated). 0, or -1 when out of memory. */
int kernel_build_make_argv(struct strv *argv, const char *worktree, const char *objdir,
			   const char *jobs, const char *depmod, const char *cc,
			   const char *const *targets);

/* Where the nfit_test modules (tools/testing/nvdimm) are installed (the
 * kernel's default for out-of-tree modules, which ndctl's test suite
 * checks: test/core.c wants the wrapped modules under "/extra/" or
 * "/updates/"), and the suffix of the module "release" directory in which
 * they win over the in-tree drivers (see module_trees() in kernel_build.c). */
#define NFIT_TEST_MOD_DIR		"extra"
#define NFIT_TEST_RELEASE_SUFFIX	"-nfit_test"

#endif /* DAXTEST_KERNEL_BUILD_H */
