/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every boot needs, in order, each step cached: the kernel, the
 * test programs built against it, the guest image holding them.
 */
#ifndef DAXTEST_PREPARE_H
#define DAXTEST_PREPARE_H

#include "build/image_build.h"
#include "build/kernel_build.h"
#include "run/run_request.h"
#include "plan/matrix.h"
#include "plan/catalog.h"

struct prepared {
	struct kernel_artifact kernel;
	struct test_catalog catalog;	/* the selected tests, per matrix cell */
	struct matrix matrix;		/* the --matrix's cells and options */
	char *tests_dir;		/* built programs: <area>/<program> */
	char *agent;
	/* With peer suites: the plans' "DAXTEST_SUITE_BINDS=..." (run/suites.h);
	 * NULL without. */
	char *suite_env;
	struct image image;
	double kernel_s, tests_s, image_s;
};

/*
 * Kernel only (daxtest kernel build). Checks first that the host has
 * every program the kernel stages run (host_tools.h). 0, or -1 after
 * logging.
 */
int prepare_kernel(const struct run_request *req, struct prepared *p);
/*
 * Kernel, selected tests, image. Checks first that the host has every
 * program and file those stages and the ones in stages (a host_stage
 * mask: STAGE_GUEST for a run) need, so nothing is missed after a long
 * build. 0, or -1 after logging.
 */
int prepare_all(const struct run_request *req, unsigned int stages, struct prepared *p);
void prepared_free(struct prepared *p);

#endif /* DAXTEST_PREPARE_H */
