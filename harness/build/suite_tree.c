// SPDX-License-Identifier: GPL-2.0
/*
 * suite_tree.c - the stat-only content key of a suite's source tree
 */
#include <errno.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build/suite_tree.h"
#include "lib/fsutil.h"
#include "lib/log.h"

/* Bump when a build of the same tree and options gives something else. */
#define SUITE_RECIPE_VERSION "daxtest-suite-1"

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* A build directory meson made inside the tree ("meson setup build"). */
static bool meson_build_dir(const char *path)
{
	char *p = path_join(path, "meson-private");
	bool ret = p && path_is_dir(p);

	free(p);
	return ret;
}

static void hash_entry(struct hash *h, const FTSENT *e, size_t root_len)
{
	const struct stat *st = e->fts_statp;
	const char *rel = e->fts_path + root_len;
	char meta[128];

	while (*rel == '/')
		rel++;
	snprintf(meta, sizeof(meta), "%o %lld %lld.%09ld", (unsigned int)st->st_mode,
		 (long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	hash_field(h, rel, meta);
}

int suite_tree_hash(struct hash *h, const char *root, size_t *nr_files)
{
	char *paths[] = { (char *)root, NULL };
	size_t root_len = strlen(root), nr = 0;
	FTSENT *e;
	FTS *fts;
	int ret = 0;

	fts = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, by_name);
	if (!fts) {
		log_error("cannot read the tree %s: %s", root, strerror(errno));
		return -1;
	}
	while (!ret) {
		errno = 0;
		e = fts_read(fts);
		if (!e) {
			if (errno) {
				log_error("cannot read the tree %s: %s", root, strerror(errno));
				ret = -1;
			}
			break;
		}
		switch (e->fts_info) {
		case FTS_D:
			if (e->fts_level > 0 && (!strcmp(e->fts_name, ".git") ||
						 meson_build_dir(e->fts_path)))
				fts_set(fts, e, FTS_SKIP);
			break;
		case FTS_DP:
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			log_error("cannot read %s: %s", e->fts_path, strerror(e->fts_errno));
			ret = -1;
			break;
		default:	/* files, symlinks, anything else that is there */
			if (e->fts_level == 0)
				break;
			hash_entry(h, e, root_len);
			nr++;
		}
	}
	fts_close(fts);
	if (nr_files)
		*nr_files = nr;
	return ret;
}

int suite_tree_key(const char *root, const char *options, char key[HASH_HEX_LEN + 1])
{
	struct hash *h = hash_new();
	int ret;

	if (!h) {
		log_error("out of memory");
		return -1;
	}
	hash_field(h, "recipe", SUITE_RECIPE_VERSION);
	hash_field(h, "options", options);
	ret = suite_tree_hash(h, root, NULL);
	hash_finish(h, key);
	return ret;
}
