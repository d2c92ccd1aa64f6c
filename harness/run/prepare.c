// SPDX-License-Identifier: GPL-2.0
/*
 * prepare.c - kernel, test programs and guest image for a boot
 */
#include <stdlib.h>
#include <string.h>

#include "lib/cache.h"
#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/host_tools.h"
#include "lib/log.h"
#include "plan/matrix.h"
#include "run/prepare.h"
#include "run/suites.h"

/* Every host program and file the stages need, checked before the first
 * of them starts: one line naming all that is missing. */
static int check_host(const struct run_request *req, unsigned int stages)
{
	struct host_missing m = { 0 };
	int ret = host_tools_missing(stages, &m);

	if (!ret && (stages & STAGE_IMAGE))
		ret = image_recipe_missing(req->project_dir, &m);
	if (!ret)
		ret = host_missing_report(&m);
	host_missing_free(&m);
	return ret;
}

static int build_kernel(const struct run_request *req, struct prepared *p)
{
	double t0 = mono_s();
	int ret;

	ret = kernel_build(&req->kernel, &p->kernel);
	p->kernel_s = mono_s() - t0;
	return ret;
}

int prepare_kernel(const struct run_request *req, struct prepared *p)
{
	if (check_host(req, STAGES_KERNEL) < 0 || cache_dir_create(req->cache_dir) < 0)
		return -1;
	return build_kernel(req, p);
}

/* Every selected program must have been built. */
static int check_programs(const struct prepared *p)
{
	size_t i;

	for (i = 0; i < p->catalog.nr; i++) {
		char *bin;
		bool ok;

		if (p->catalog.tests[i].exec)
			continue;	/* a peer suite's test */
		bin = path_join(p->tests_dir, p->catalog.tests[i].program);
		ok = bin && path_is_executable(bin);

		free(bin);
		if (!ok) {
			log_error("test %s is listed in its Makefile but was not built",
				  p->catalog.tests[i].name);
			return -1;
		}
	}
	return 0;
}

/* A map=dev cell needs the second NVDIMM (the agent puts map=mem on the
 * first region and map=dev on the next). */
static bool check_cells(const struct run_request *req, const struct strv *cells)
{
	size_t i;

	for (i = 0; i < cells->n; i++) {
		if (!strcmp(cells->v[i], "map=dev") && req->guest.nr_nvdimms < 2) {
			log_error("matrix '%s' has a map=dev cell, which needs --nvdimms 2 or more",
				  req->matrix);
			return false;
		}
	}
	return true;
}

int prepare_all(const struct run_request *req, unsigned int stages, struct prepared *p)
{
	struct image_opts io = { 0 };
	double t0;

	memset(p, 0, sizeof(*p));
	if (check_host(req, stages | STAGES_IMAGE) < 0)
		return -1;
	/* The plan comes from the sources alone: a malformed test fails
	 * here, in a second, not after a kernel build. */
	if (test_catalog_load(&p->catalog, req->project_dir) < 0)
		return -1;
	/* With --suite, daxtest's own tests run only when --tests names them. */
	if (req->nr_suites && !req->tests)
		test_catalog_free(&p->catalog);
	else if (test_catalog_filter(&p->catalog, req->tests) < 0)
		return -1;
	if (matrix_load(req->project_dir, req->matrix, &p->matrix) < 0)
		return -1;
	if (!check_cells(req, &p->matrix.cells))
		return -1;
	if (test_catalog_expand(&p->catalog, req->project_dir, &p->matrix, req->iterations,
				req->crash_model.kind == CRASH_MODEL_SAMPLED ?
				req->crash_model.samples : 0) < 0)
		return -1;
	if (req->nr_suites && suites_prepare(req, &p->catalog, &p->suite_env) < 0)
		return -1;
	if (cache_dir_create(req->cache_dir) < 0)
		return -1;
	p->agent = path_join(req->project_dir, "build/guest/daxtest-agent");
	if (!p->agent)
		return -1;
	if (!path_is_executable(p->agent)) {
		log_error("the guest agent %s is missing (run 'make')", p->agent);
		return -1;
	}
	if (build_kernel(req, p) < 0)
		return -1;
	t0 = mono_s();
	p->tests_dir = str_printf("%s/tests/%.16s", req->cache_dir, p->kernel.key);
	if (!p->tests_dir ||
	    test_catalog_build(req->project_dir, &p->kernel, p->tests_dir) < 0 ||
	    check_programs(p) < 0)
		return -1;
	p->tests_s = mono_s() - t0;
	io.project_dir = req->project_dir;
	io.cache_dir = req->cache_dir;
	io.agent = p->agent;
	io.tests_dir = p->tests_dir;
	io.kernel = &p->kernel;
	io.rebuild = req->kernel.rebuild;
	t0 = mono_s();
	if (image_build(&io, &p->image) < 0)
		return -1;
	p->image_s = mono_s() - t0;
	return 0;
}

void prepared_free(struct prepared *p)
{
	kernel_artifact_free(&p->kernel);
	test_catalog_free(&p->catalog);
	matrix_free(&p->matrix);
	image_free(&p->image);
	free(p->tests_dir);
	free(p->agent);
	free(p->suite_env);
}
