// SPDX-License-Identifier: GPL-2.0
/*
 * suites.c - the peer suites' tests (--suite) in the run's catalog
 */
#include <stdlib.h>
#include <string.h>

#include "build/suite_build.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "proto/agent_proto.h"
#include "run/suites.h"

/* fstests puts TEST_DEV on $DAXTEST_PMEM and SCRATCH_DEV on
 * $DAXTEST_PMEM_DEVMAP (tests/suites/fstests.config): the map=mem cell,
 * with the second NVDIMM's namespace as the scratch device. ndctl's
 * tests use nfit_test's buses, not the cell's namespace. */
#define SUITE_CELL	"map=mem"

static const char *selection(const struct run_request *req, enum suite_kind k)
{
	return k == SUITE_NDCTL ? req->ndctl_tests : req->fstests_tests;
}

/* One catalog entry per case. */
static int add_cases(const struct suite_built *b, struct test_catalog *c)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		const struct suite_case *sc = &b->cases[i];
		struct test_def t = {
			/* fstests runs on the cell's namespace: its name
			 * carries the cell as daxtest's own tests do. */
			.name = b->kind == SUITE_FSTESTS ?
				str_printf("%s@%s", sc->name, SUITE_CELL) : strdup(sc->name),
			.program = strdup(sc->name),
			.cell = strdup(SUITE_CELL),
			.description = strdup(sc->description ? sc->description : sc->name),
			.run = strdup(sc->script),
			.suite = strdup(suite_kind_name(b->kind)),
			.exec = strdup(DAXTEST_SUITE_RUNNER),
			.timeout_s = sc->timeout_s,
			/* ndctl's tests unload the QEMU NVDIMMs' drivers for
			 * nfit_test's wrapped ones: a guest each. */
			.own_guest = b->kind == SUITE_NDCTL,
		};

		if (!t.name || !t.program || !t.cell || !t.description || !t.run ||
		    !t.suite || !t.exec) {
			test_def_free(&t);
			return -1;
		}
		if (test_catalog_add(c, &t) < 0)
			return -1;
	}
	return 0;
}

/* The binds of every suite, ':'-separated, for the plan's env. */
static int add_binds(const struct suite_built *b, struct strv *binds)
{
	size_t i;

	for (i = 0; i < b->binds.n; i++) {
		if (strchr(b->binds.v[i], ':')) {
			log_error("--suite: the path %s has a ':', which the guest's list of host paths cannot carry",
				  b->binds.v[i]);
			return -1;
		}
		strv_add(binds, b->binds.v[i]);
	}
	return binds->err ? -1 : 0;
}

static char *binds_env(const struct strv *binds)
{
	size_t i, len = strlen(DAXTEST_SUITE_BINDS_ENV) + 2;
	char *env;

	for (i = 0; i < binds->n; i++)
		len += strlen(binds->v[i]) + 1;
	env = malloc(len);
	if (!env)
		return NULL;
	strcpy(env, DAXTEST_SUITE_BINDS_ENV "=");
	for (i = 0; i < binds->n; i++) {
		if (i)
			strcat(env, ":");
		strcat(env, binds->v[i]);
	}
	return env;
}

/* Every --suite parsed, before anything is built: a bad spec, a suite
 * named twice or too few NVDIMMs for fstests fail at once. */
static int parse_specs(const struct run_request *req, struct suite_spec *specs)
{
	bool seen[2] = { false, false };
	size_t i;

	for (i = 0; i < req->nr_suites; i++) {
		if (suite_spec_parse(req->suites[i], &specs[i]) < 0)
			return -1;
		if (seen[specs[i].kind]) {
			log_error("--suite %s: %s is given twice", req->suites[i],
				  suite_kind_name(specs[i].kind));
			return -1;
		}
		seen[specs[i].kind] = true;
	}
	if (seen[SUITE_FSTESTS] && req->guest.nr_nvdimms < 2) {
		log_error("--suite fstests needs --nvdimms 2 or more: TEST_DEV and SCRATCH_DEV are namespaces of two NVDIMMs");
		return -1;
	}
	return 0;
}

int suites_prepare(const struct run_request *req, struct test_catalog *c, char **env)
{
	char *support = path_join(req->project_dir, "tests/suites");
	struct suite_spec *specs = calloc(req->nr_suites + 1, sizeof(*specs));
	struct strv binds = { 0 };
	size_t i;
	int ret = -1;

	*env = NULL;
	if (!support || !specs || parse_specs(req, specs) < 0)
		goto out;
	for (i = 0; i < req->nr_suites; i++) {
		struct suite_built b = { 0 };
		int err;

		log_info("suite: %s from %s", suite_kind_name(specs[i].kind), specs[i].src);
		err = suite_build(&specs[i], req->cache_dir, support,
				  selection(req, specs[i].kind), &b);
		if (!err)
			err = add_cases(&b, c);
		if (!err)
			err = add_binds(&b, &binds);
		suite_built_free(&b);
		if (err)
			goto out;
	}
	*env = binds_env(&binds);
	ret = *env ? 0 : -1;
out:
	for (i = 0; specs && i < req->nr_suites; i++)
		suite_spec_free(&specs[i]);
	free(specs);
	strv_free(&binds);
	free(support);
	return ret;
}
