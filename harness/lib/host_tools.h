/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host programs daxtest runs: where they are found and which Debian
 * package installs each. Every program daxtest starts by name is looked
 * up here, in $PATH and then in /usr/local/sbin, /usr/sbin and /sbin,
 * which a normal user's PATH on Debian lacks (depmod, mkfs.xfs, ...).
 * Before a stage starts, host_tools_missing() names every program and
 * file it will need that the host does not have, so a missing tool costs
 * a second, not a kernel build.
 */
#ifndef DAXTEST_HOST_TOOLS_H
#define DAXTEST_HOST_TOOLS_H

#include "lib/strv.h"

/* The stages of a run, each with the host programs it starts. */
enum host_stage {
	STAGE_SOURCE = 1 << 0,	/* kernel source: Debian package, tree, git, patches */
	STAGE_KERNEL = 1 << 1,	/* kernel and nfit_test build, module trees (depmod) */
	STAGE_TESTS = 1 << 2,	/* the test programs */
	STAGE_IMAGE = 1 << 3,	/* the guest image (and the recipe's host files) */
	STAGE_GUEST = 1 << 4,	/* QEMU guests */
};

#define STAGES_KERNEL	(STAGE_SOURCE | STAGE_KERNEL)
#define STAGES_IMAGE	(STAGES_KERNEL | STAGE_TESTS | STAGE_IMAGE)
#define STAGES_RUN	(STAGES_IMAGE | STAGE_GUEST)

struct host_tool {
	const char *name;	/* a program, or the absolute path of a file */
	const char *package;	/* the Debian package that installs it */
	unsigned int stages;	/* needed by; 0: used when there (ccache) */
};

/* What is missing, for one error line. */
struct host_missing {
	struct strv what;	/* "depmod (kmod)" */
	struct strv packages;	/* "kmod", each once */
};

/*
 * The absolute path of the program name (a name with a '/' is taken as
 * it is when executable): the first executable one in path_env's
 * directories (NULL: the default path), then in the fallback directories
 * (NULL-terminated; NULL: /usr/local/sbin, /usr/sbin, /sbin). malloc'd;
 * NULL with errno ENOENT when there is none.
 */
char *host_tool_find_in(const char *name, const char *path_env,
			const char *const *fallback);
/* host_tool_find_in(name, $PATH, NULL). */
char *host_tool_find(const char *name);
/* Every program daxtest runs and file a build needs, nr of them. */
const struct host_tool *host_tools_table(size_t *nr);
/* The Debian package of a program daxtest runs; NULL when unknown. */
const char *host_tool_package(const char *name);
/* Adds to m every program and file the stages (a mask of host_stage)
 * need that cannot be found. -1 only when out of memory. */
int host_tools_missing(unsigned int stages, struct host_missing *m);
/* Records that what, from package (NULL: unknown), is missing. */
void host_missing_add(struct host_missing *m, const char *what, const char *package);
/* 0 when nothing is missing; else logs one line naming all of it and
 * how to install it, and returns -1. */
int host_missing_report(const struct host_missing *m);
void host_missing_free(struct host_missing *m);

#endif /* DAXTEST_HOST_TOOLS_H */
