/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the kernel comes from: Debian's linux-source-6.12 package (the
 * default) or a kernel tree given with --ksrc/KSRC. The tree the kernel
 * is built from is always daxtest's own copy (the "worktree"): the
 * user's tree is only read.
 */
#ifndef DAXTEST_KERNEL_SOURCE_H
#define DAXTEST_KERNEL_SOURCE_H

#define DEFAULT_KERNEL "debian-6.12"

struct kernel_source {
	char *dir;		/* the tree to copy from (NULL until fetched) */
	char *package, *version, *cache_dir;	/* a Debian source not yet extracted */
	char *location;		/* stable name of the worktree, e.g. "deb-linux-source-6.12" */
	char *identity;		/* what the content is: package version, or git commit + diff hash */
	char *description;	/* for people: "linux-source-6.12 6.12.117-1~deb12u1" */
	int is_git;
};

/* The Debian source package of a kernel name: "debian-6.1" ->
 * "linux-source-6.1". NULL (after logging one line) for any name that is
 * not exactly "debian-<major>.<minor>" (two numbers: not "6.1", "debian-",
 * "debian-6.1.2"). */
char *kernel_source_package(const char *kernel);
/* Finds the source: the tree ksrc, or else the Debian source package of
 * kernel (NULL: DEFAULT_KERNEL), which kernel_source_fetch extracts into
 * the cache when a build needs it. 0, or -1
 * after logging one line naming the problem. */
int kernel_source_resolve(const char *ksrc, const char *kernel, const char *cache_dir,
			  struct kernel_source *ks);
/* Extracts a Debian source package into the cache (once) when the tree
 * is not there yet; a --ksrc tree is there already. 0, or -1 after
 * logging. */
int kernel_source_fetch(struct kernel_source *ks);
/* Makes worktree hold exactly the source's files; every file it writes
 * gets the current time, files whose content did not change are left
 * alone (incremental builds stay correct). */
int kernel_source_sync(const struct kernel_source *ks, const char *worktree,
		       const char *log_path);
/* The source's kernel version, major and minor: from the Debian package's
 * version, or from the tree's Makefile (VERSION, PATCHLEVEL). 0, or -1
 * when it cannot be told. */
int kernel_source_major_minor(const struct kernel_source *ks, unsigned int *major,
			      unsigned int *minor);
void kernel_source_free(struct kernel_source *ks);

#endif /* DAXTEST_KERNEL_SOURCE_H */
