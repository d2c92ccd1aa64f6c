// SPDX-License-Identifier: GPL-2.0
/*
 * suite_build.c - a peer test suite built into the cache, its cases and scripts
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build/suite_build.h"
#include "build/suite_fstests.h"
#include "build/suite_ndctl.h"
#include "build/suite_script.h"
#include "build/suite_tree.h"
#include "lib/cache.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/log.h"

#define STAMP		"built"		/* written last: the build is complete */
#define DEFAULT_FILE	"fstests.default"

/* The support files each suite's scripts use (copied into dir). */
static const char *const ndctl_support[] = { "suite-lib.sh", NULL };
static const char *const fstests_support[] = { "suite-lib.sh", "fstests.config", NULL };

static const char *const *support_files(enum suite_kind k)
{
	return k == SUITE_NDCTL ? ndctl_support : fstests_support;
}

/* Before any build: every support file is there. */
static int check_support(const struct suite_spec *s, const char *support_dir)
{
	const char *const *f;

	for (f = support_files(s->kind); *f; f++) {
		char *p = path_join(support_dir, *f);
		bool there = p && path_is_file(p);

		if (!there)
			log_error("suite %s: %s is missing (the support files of the suites' guest scripts)",
				  suite_kind_name(s->kind), p ? p : *f);
		free(p);
		if (!there)
			return -1;
	}
	return 0;
}

/* What decides the build besides the tree's files. */
static char *build_options(const struct suite_spec *s)
{
	const char *const *o;
	char *opts, *more;

	if (s->kind == SUITE_FSTESTS)
		return strdup("fstests: cp -a, make");
	/* ndctl's build refers to its tree by path (test scripts, DATA_PATH) */
	opts = str_printf("ndctl: meson setup, src=%s:", s->src);
	for (o = suite_ndctl_meson_options; opts && *o; o++) {
		more = str_printf("%s %s", opts, *o);
		free(opts);
		opts = more;
	}
	return opts;
}

static bool stamp_ok(const char *dir, const char *key)
{
	char *path = path_join(dir, STAMP), *text = NULL, *want = str_printf("key=%s\n", key);
	bool ok;

	ok = path && want && read_file(path, &text, NULL) == 0 &&
	     !strncmp(text, want, strlen(want));
	free(path);
	free(text);
	free(want);
	return ok;
}

static int write_stamp(const struct suite_spec *s, const char *dir, const char *key)
{
	char *path = path_join(dir, STAMP), *text = str_printf("key=%s\nsrc=%s\n", key, s->src);
	int err = path && text ? write_file_atomic(path, text, strlen(text), 0644) : -ENOMEM;

	if (err)
		log_error("suite %s: cannot write %s: %s", suite_kind_name(s->kind),
			  path ? path : STAMP, strerror(-err));
	free(path);
	free(text);
	return err ? -1 : 0;
}

/* Builds into dir, which held nothing or a failed build. */
static int build_into(const struct suite_spec *s, const char *dir, const char *key)
{
	const char *name = suite_kind_name(s->kind);
	char *log = path_join(dir, "build.log");
	time_t start = time(NULL);
	int err, ret = -1;

	if (!log)
		goto out;
	err = remove_tree(dir);
	if (!err)
		err = mkdir_p(dir, 0755);
	if (err) {
		log_error("suite %s: cannot make a fresh %s: %s", name, dir, strerror(-err));
		goto out;
	}
	log_info("suite %s: building %s into %s (log: %s)", name, s->src, dir, log);
	if (s->kind == SUITE_NDCTL)
		ret = suite_ndctl_build(s->src, dir, log);
	else
		ret = suite_fstests_build(s->src, dir, log);
	if (!ret)
		ret = write_stamp(s, dir, key);
	if (!ret)
		log_info("suite %s: built in %lds", name, (long)(time(NULL) - start));
out:
	free(log);
	return ret;
}

/* The build of the tree's content, from the cache or made now. */
static int ensure_built(const struct suite_spec *s, const char *cache_dir, const char *dir,
			const char *key)
{
	const char *name = suite_kind_name(s->kind);
	char *suites = path_join(cache_dir, "suites");
	char *lock_path = str_printf("%s.lock", dir);
	int lock = -1, err, ret = -1;

	if (stamp_ok(dir, key)) {
		log_info("suite %s: cached build %s, nothing to build", name, dir);
		ret = 0;
		goto out;
	}
	if (!suites || !lock_path || cache_dir_create(cache_dir) < 0)
		goto out;
	err = mkdir_p(suites, 0755);
	if (err) {
		log_error("suite %s: cannot create %s: %s", name, suites, strerror(-err));
		goto out;
	}
	lock = cache_lock(lock_path, "suite build directory");
	if (lock < 0)
		goto out;
	/* Another run may have built it while we waited. */
	if (stamp_ok(dir, key)) {
		log_info("suite %s: built by another run meanwhile (%s)", name, dir);
		ret = 0;
	} else {
		ret = build_into(s, dir, key);
	}
out:
	cache_unlock(lock);
	free(suites);
	free(lock_path);
	return ret;
}

/* Copies the support files into dir where their content differs. */
static int copy_support(const struct suite_spec *s, const char *support_dir, const char *dir)
{
	const char *const *f;
	int ret = 0;

	for (f = support_files(s->kind); *f && !ret; f++) {
		char *from = path_join(support_dir, *f), *to = path_join(dir, *f), *text = NULL;
		size_t len;
		int err = from && to ? read_file(from, &text, &len) : -ENOMEM;

		if (!err)
			err = suite_file_update(to, text, len, 0644);
		if (err) {
			log_error("suite %s: cannot copy %s to %s: %s", suite_kind_name(s->kind),
				  from ? from : *f, dir, strerror(-err));
			ret = -1;
		}
		free(from);
		free(to);
		free(text);
	}
	return ret;
}

static int ndctl_cases(const char *dir, const char *selection, struct suite_built *b)
{
	char *path = path_join(dir, "tests.json"), *json = NULL;
	int err = path ? read_file(path, &json, NULL) : -ENOMEM, ret = -1;

	if (err)
		log_error("suite ndctl: cannot read the test list %s: %s", path ? path : "tests.json",
			  strerror(-err));
	else
		ret = suite_ndctl_cases(json, selection, b);
	free(path);
	free(json);
	return ret;
}

/* The default selection of fstests: <support_dir>/fstests.default, also
 * kept in dir as what the cases came from. */
static int fstests_cases(const char *dir, const char *support_dir, const char *selection,
			 struct suite_built *b)
{
	char *tree = path_join(dir, "src"), *from = NULL, *to = NULL, *deflt = NULL;
	int err, ret = -1;

	if (!tree)
		goto nomem;
	if (selection && *selection) {
		ret = suite_fstests_cases(tree, selection, b);
		goto out;
	}
	from = path_join(support_dir, DEFAULT_FILE);
	to = path_join(dir, DEFAULT_FILE);
	if (!from || !to)
		goto nomem;
	err = read_file(from, &deflt, NULL);
	if (err) {
		log_error("suite fstests: no selection given and no default: %s: %s", from,
			  strerror(-err));
		goto out;
	}
	err = suite_file_update(to, deflt, strlen(deflt), 0644);
	if (err) {
		log_error("suite fstests: cannot write %s: %s", to, strerror(-err));
		goto out;
	}
	ret = suite_fstests_cases(tree, deflt, b);
	goto out;
nomem:
	log_error("suite fstests: out of memory");
out:
	free(tree);
	free(from);
	free(to);
	free(deflt);
	return ret;
}

int suite_build_dir(const struct suite_spec *s, const char *cache_dir, char **dir,
		    char key[HASH_HEX_LEN + 1])
{
	char *options = build_options(s);
	int ret = -1;

	*dir = NULL;
	if (!options)
		goto nomem;
	if (suite_tree_key(s->src, options, key) < 0)
		goto out;
	*dir = str_printf("%s/suites/%s-%.16s", cache_dir, suite_kind_name(s->kind), key);
	if (!*dir)
		goto nomem;
	ret = 0;
	goto out;
nomem:
	log_error("suite %s: out of memory", suite_kind_name(s->kind));
out:
	free(options);
	return ret;
}

int suite_build(const struct suite_spec *s, const char *cache_dir, const char *support_dir,
		const char *selection, struct suite_built *out)
{
	const char *name = suite_kind_name(s->kind);
	char key[HASH_HEX_LEN + 1];
	int ret = -1;

	memset(out, 0, sizeof(*out));
	out->kind = s->kind;
	if (check_support(s, support_dir) < 0 ||
	    suite_build_dir(s, cache_dir, &out->dir, key) < 0 ||
	    ensure_built(s, cache_dir, out->dir, key) < 0 ||
	    copy_support(s, support_dir, out->dir) < 0)
		goto out;
	if (s->kind == SUITE_NDCTL)
		ret = ndctl_cases(out->dir, selection, out);
	else
		ret = fstests_cases(out->dir, support_dir, selection, out);
	if (ret)
		goto out;
	strv_add(&out->binds, out->dir);
	if (s->kind == SUITE_NDCTL)
		strv_add(&out->binds, s->src);
	if (out->binds.err) {
		log_error("suite %s: out of memory", name);
		ret = -1;
		goto out;
	}
	log_info("suite %s: %zu case%s, scripts in %s/cases", name, out->nr,
		 out->nr == 1 ? "" : "s", out->dir);
out:
	if (ret)
		suite_built_free(out);
	return ret;
}

void suite_built_free(struct suite_built *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		free(b->cases[i].name);
		free(b->cases[i].script);
		free(b->cases[i].description);
	}
	free(b->cases);
	free(b->dir);
	strv_free(&b->binds);
	memset(b, 0, sizeof(*b));
}
