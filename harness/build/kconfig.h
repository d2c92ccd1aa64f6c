/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel config fragments: "CONFIG_X=value" and "# CONFIG_X is not set"
 * lines. The kernel is configured as tinyconfig plus the merged
 * fragments; afterwards every requested option is checked in the final
 * .config, because Kconfig silently drops options whose dependencies are
 * missing.
 */
#ifndef DAXTEST_KCONFIG_H
#define DAXTEST_KCONFIG_H

#include <stddef.h>

struct kconfig_opt {
	char *name;	/* "CONFIG_FS_DAX" */
	char *value;	/* "y", "m", "64", "\"str\"", or "n" for "is not set" */
	char *origin;	/* "file:line" where it was asked for */
};

struct kconfig {
	struct kconfig_opt *opts;
	size_t nr;
};

/* Adds the lines of a fragment; a later assignment of the same option
 * replaces the earlier one. Malformed lines log one line, return -1. */
int kconfig_parse(struct kconfig *c, const char *text, const char *name);
int kconfig_load(struct kconfig *c, const char *path);
const struct kconfig_opt *kconfig_find(const struct kconfig *c, const char *name);
/* The merged fragment as text (malloc'd), sorted by option name, so the
 * order fragments come in does not change it (nor the kernel's cache key). */
char *kconfig_format(const struct kconfig *c);
/* Logs one line for each option of want that have does not match and
 * returns how many did not. */
int kconfig_verify(const struct kconfig *want, const struct kconfig *have);
void kconfig_free(struct kconfig *c);

#endif /* DAXTEST_KCONFIG_H */
