// SPDX-License-Identifier: GPL-2.0
/*
 * test_suites.c - suites_prepare: the peer suites' cases in the run's
 * catalog and the binds in the plans' env; the suites' builds are faked
 * in the cache as in test_suite_build.c (nothing runs meson or make)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "build/suite_build.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "proto/agent_proto.h"
#include "run/suites.h"
#include "tests/unit_stderr.h"
#include "tests/unit_tempdir.h"

#define DATA_DIR	"harness/tests/data/suite"
#define FSTESTS_ARG	"fstests=" DATA_DIR "/fstests"
#define NDCTL_ARG	"ndctl=" DATA_DIR "/ndctl"

static void put(const char *dir, const char *name, const char *text)
{
	char *p = path_join(dir, name), *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(mkdir_p(p, 0755), 0);
	*slash = '/';
	assert_int_equal(write_file_atomic(p, text, strlen(text), 0644), 0);
	free(p);
}

/* Makes the cache hold a complete build of arg (the stamp with its key,
 * what the build leaves); *src: the suite's tree. */
static char *fake_build(const char *arg, const char *cache, char **src)
{
	char key[HASH_HEX_LEN + 1], *dir = NULL, *stamp, *json = NULL, *link;
	struct suite_spec s;

	assert_int_equal(suite_spec_parse(arg, &s), 0);
	assert_int_equal(suite_build_dir(&s, cache, &dir, key), 0);
	stamp = str_printf("key=%s\nsrc=%s\n", key, s.src);
	put(dir, "built", stamp);
	free(stamp);
	if (s.kind == SUITE_NDCTL) {
		assert_int_equal(read_file(DATA_DIR "/ndctl-tests.json", &json, NULL), 0);
		put(dir, "tests.json", json);
		free(json);
	} else {
		/* the built copy of the tree: the fixture itself */
		link = path_join(dir, "src");
		assert_int_equal(symlink(s.src, link), 0);
		free(link);
	}
	*src = strdup(s.src);
	suite_spec_free(&s);
	return dir;
}

/* A project dir with the suites' support files, a cache holding the
 * builds of suite0 and suite1 (NULL: none), a request for them. */
struct world {
	char *project, *cache, *dir[2], *src[2];
	const char *suites[2];
	struct run_request req;
	struct test_catalog cat;
	char *env;
};

static void world_init(struct world *w, const char *tmp, const char *name, const char *suite0,
		       const char *suite1)
{
	char *root = path_join(tmp, name);
	size_t i;

	memset(w, 0, sizeof(*w));
	w->project = path_join(root, "project");
	w->cache = path_join(root, "cache");
	put(w->project, "tests/suites/suite-lib.sh", "# lib\n");
	put(w->project, "tests/suites/fstests.config", "[xfs]\n[ext4]\n");
	put(w->project, "tests/suites/fstests.default", "dax\n");
	w->req.project_dir = w->project;
	w->req.cache_dir = w->cache;
	w->req.guest.nr_nvdimms = 2;
	w->req.suites = w->suites;
	w->suites[0] = suite0;
	w->suites[1] = suite1;
	for (i = 0; i < 2 && w->suites[i]; i++)
		w->dir[i] = fake_build(w->suites[i], w->cache, &w->src[i]);
	w->req.nr_suites = i;
	free(root);
}

static void world_free(struct world *w)
{
	size_t i;

	test_catalog_free(&w->cat);
	free(w->env);
	free(w->project);
	free(w->cache);
	for (i = 0; i < 2; i++) {
		free(w->dir[i]);
		free(w->src[i]);
	}
}

/* One suite entry: its name, cell, runner, suite, guest, timeout, script. */
static void check_entry(const struct test_def *t, const char *name, const char *suite,
			bool own_guest, unsigned int timeout_s, const char *dir)
{
	const char *at = strchr(name, '@');
	size_t len = at ? (size_t)(at - name) : strlen(name);

	assert_string_equal(t->name, name);
	assert_int_equal(strlen(t->program), len);
	assert_memory_equal(t->program, name, len);
	assert_string_equal(t->cell, "map=mem");
	assert_string_equal(t->exec, DAXTEST_SUITE_RUNNER);
	assert_string_equal(t->suite, suite);
	assert_int_equal(t->own_guest, own_guest);
	assert_int_equal(t->timeout_s, timeout_s);
	assert_true(t->description && *t->description);
	assert_memory_equal(t->run, dir, strlen(dir));
	assert_memory_equal(t->run + strlen(dir), "/cases/", 7);
	assert_int_equal(access(t->run, R_OK), 0);
}

/* fstests: "<case>@map=mem" entries on the shared guest, its build dir as the bind. */
static void fstests_cases_in_the_catalog(void **state)
{
	struct world w;
	char *want;

	world_init(&w, *state, "fstests", FSTESTS_ARG, NULL);
	w.req.fstests_tests = "xfs/550";
	assert_int_equal(suites_prepare(&w.req, &w.cat, &w.env), 0);
	assert_int_equal(w.cat.nr, 1);
	check_entry(&w.cat.tests[0], "fstests-xfs/xfs/550@map=mem", "fstests", false, 900,
		    w.dir[0]);
	want = str_printf(DAXTEST_SUITE_BINDS_ENV "=%s", w.dir[0]);
	assert_string_equal(w.env, want);
	free(want);
	world_free(&w);
}

/* ndctl: "ndctl/<test>" entries, a guest each, binds of the build and the source. */
static void ndctl_cases_in_the_catalog(void **state)
{
	struct world w;
	char *want;

	world_init(&w, *state, "ndctl", NDCTL_ARG, NULL);
	/* ndctl's tests need no second NVDIMM */
	w.req.guest.nr_nvdimms = 1;
	assert_int_equal(suites_prepare(&w.req, &w.cat, &w.env), 0);
	assert_int_equal(w.cat.nr, 3);
	check_entry(&w.cat.tests[0], "ndctl/libndctl", "ndctl", true, 600, w.dir[0]);
	check_entry(&w.cat.tests[1], "ndctl/dax.sh", "ndctl", true, 600, w.dir[0]);
	check_entry(&w.cat.tests[2], "ndctl/it's a test", "ndctl", true, 120, w.dir[0]);
	want = str_printf(DAXTEST_SUITE_BINDS_ENV "=%s:%s", w.dir[0], w.src[0]);
	assert_string_equal(w.env, want);
	free(want);
	world_free(&w);
}

/* A daxtest test in the catalog already, as test_catalog_expand leaves it. */
static void add_own_test(struct test_catalog *c, const char *program)
{
	struct test_def t = {
		.name = str_printf("%s@map=mem", program),
		.program = strdup(program),
		.cell = strdup("map=mem"),
		.description = strdup(program),
		.timeout_s = 45,
	};

	assert_int_equal(test_catalog_add(c, &t), 0);
}

/* Two suites: both sets after the tests already there, every bind in env. */
static void both_suites_appended(void **state)
{
	struct world w;
	char *want;

	world_init(&w, *state, "both", FSTESTS_ARG, NDCTL_ARG);
	add_own_test(&w.cat, "reflink/reflink_cow");
	w.req.fstests_tests = "generic/605";
	w.req.ndctl_tests = "dax.sh";
	assert_int_equal(suites_prepare(&w.req, &w.cat, &w.env), 0);
	assert_int_equal(w.cat.nr, 4);
	assert_string_equal(w.cat.tests[0].name, "reflink/reflink_cow@map=mem");
	assert_null(w.cat.tests[0].suite);
	check_entry(&w.cat.tests[1], "fstests-xfs/generic/605@map=mem", "fstests", false, 900,
		    w.dir[0]);
	check_entry(&w.cat.tests[2], "fstests-ext4/generic/605@map=mem", "fstests", false, 900,
		    w.dir[0]);
	check_entry(&w.cat.tests[3], "ndctl/dax.sh", "ndctl", true, 600, w.dir[1]);
	want = str_printf(DAXTEST_SUITE_BINDS_ENV "=%s:%s:%s", w.dir[0], w.dir[1], w.src[1]);
	assert_string_equal(w.env, want);
	free(want);
	world_free(&w);
}

/* fstests with one NVDIMM: refused, naming --nvdimms 2. */
static void fstests_needs_two_nvdimms(void **state)
{
	struct world w;
	struct stderr_capture q;
	char *err;
	int ret;

	world_init(&w, *state, "nvdimms", FSTESTS_ARG, NULL);
	w.req.fstests_tests = "xfs/550";
	w.req.guest.nr_nvdimms = 1;
	stderr_begin(&q);
	ret = suites_prepare(&w.req, &w.cat, &w.env);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_null(w.env);
	assert_non_null(strstr(err, "--nvdimms 2"));
	/* refused before anything was built or added */
	assert_int_equal(w.cat.nr, 0);
	free(err);
	world_free(&w);
}

/* One suite given twice: refused before anything is built. */
static void suite_named_twice(void **state)
{
	struct world w;
	struct stderr_capture q;
	char *err;
	int ret;

	world_init(&w, *state, "twice", FSTESTS_ARG, NULL);
	w.suites[1] = FSTESTS_ARG;
	w.req.nr_suites = 2;
	w.req.fstests_tests = "xfs/550";
	stderr_begin(&q);
	ret = suites_prepare(&w.req, &w.cat, &w.env);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_null(w.env);
	assert_non_null(strstr(err, "fstests is given twice"));
	assert_int_equal(w.cat.nr, 0);
	free(err);
	world_free(&w);
}

/* A spec that names no suite: refused, the catalog as it was. */
static void bad_spec_leaves_the_catalog(void **state)
{
	struct test_def *before;
	struct world w;
	struct stderr_capture q;
	char *err;
	int ret;

	world_init(&w, *state, "bad", NULL, NULL);
	w.suites[0] = "foo=/x";
	w.req.nr_suites = 1;
	add_own_test(&w.cat, "mmap/mmap_sync");
	before = w.cat.tests;
	stderr_begin(&q);
	ret = suites_prepare(&w.req, &w.cat, &w.env);
	err = stderr_end(&q);
	assert_int_equal(ret, -1);
	assert_null(w.env);
	assert_non_null(strstr(err, "'foo=/x' is not a suite"));
	assert_int_equal(w.cat.nr, 1);
	assert_ptr_equal(w.cat.tests, before);
	assert_string_equal(w.cat.tests[0].name, "mmap/mmap_sync@map=mem");
	free(err);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fstests_cases_in_the_catalog),
		cmocka_unit_test(ndctl_cases_in_the_catalog),
		cmocka_unit_test(both_suites_appended),
		cmocka_unit_test(fstests_needs_two_nvdimms),
		cmocka_unit_test(suite_named_twice),
		cmocka_unit_test(bad_spec_leaves_the_catalog),
	};

	log_set_quiet(true);
	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
