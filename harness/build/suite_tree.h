/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The content key of a suite's source tree, from stat alone: the build
 * cache of the peer test suites (build/suite_build.h) is keyed by it, so
 * an unchanged tree costs a walk of its directories and nothing else.
 */
#ifndef DAXTEST_SUITE_TREE_H
#define DAXTEST_SUITE_TREE_H

#include <stddef.h>

#include "lib/hash.h"

/*
 * Adds to h, in name order, (relative path, type and permissions, size,
 * mtime in ns) of every file and symlink under root, skipping .git
 * directories and the build directories meson made inside the tree (a
 * directory holding meson-private/). Reads no file. *nr_files (may be
 * NULL) gets how many it hashed. 0, or -1 after log_error.
 */
int suite_tree_hash(struct hash *h, const char *root, size_t *nr_files);

/*
 * The key of a suite build: the build recipe's version, options (what
 * else decides the build: the kind, its options, for ndctl the tree's
 * path, which the build records) and suite_tree_hash(root). 0, or -1
 * after log_error.
 */
int suite_tree_key(const char *root, const char *options, char key[HASH_HEX_LEN + 1]);

#endif /* DAXTEST_SUITE_TREE_H */
