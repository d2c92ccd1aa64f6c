// SPDX-License-Identifier: GPL-2.0
/*
 * repro.c - daxtest repro: run a bug's repro case and say whether it reproduced
 */
#include <fnmatch.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "cli/repro_case.h"
#include "cli/repro.h"
#include "run/runner.h"

static bool wanted(const struct repro_case *r, const char *subtest)
{
	size_t i;

	for (i = 0; i < r->fails.n; i++)
		if (fnmatch(r->fails.v[i], subtest, 0) == 0)
			return true;
	return false;
}

/* Prints the failed subtests of results.json that the repro case names;
 * returns how many there were, or -1 when the file cannot be read. */
static int matching_failures(const struct repro_case *r, const char *json_path)
{
	json_object *root = json_object_from_file(json_path), *tests;
	size_t i, j;
	int found = 0;

	if (!root || !json_object_object_get_ex(root, "tests", &tests)) {
		json_object_put(root);
		return -1;
	}
	for (i = 0; i < json_object_array_length(tests); i++) {
		json_object *t = json_object_array_get_idx(tests, i), *subs, *name, *st;

		if (!json_object_object_get_ex(t, "subtests", &subs))
			continue;
		for (j = 0; j < json_object_array_length(subs); j++) {
			json_object *s = json_object_array_get_idx(subs, j);

			if (!json_object_object_get_ex(s, "name", &name) ||
			    !json_object_object_get_ex(s, "status", &st) ||
			    strcmp(json_object_get_string(st), "fail") ||
			    !wanted(r, json_object_get_string(name)))
				continue;
			json_object_object_get_ex(t, "name", &name);
			printf("  failed: %s: %s\n", json_object_get_string(name),
			       json_object_get_string(json_object_object_get(s, "name")));
			found++;
		}
	}
	json_object_put(root);
	return found;
}

int repro_run(const struct options *o, volatile sig_atomic_t *interrupted)
{
	char *path = str_printf("%s/tests/repro/%s.repro", o->project_dir, o->repro);
	char *dir = str_printf("%s/tests/repro", o->project_dir);
	char *text = NULL, *series = NULL, *config = NULL, *results = NULL, *json = NULL;
	struct options run = *o;
	struct run_request req;
	struct repro_case r = { 0 };
	const char *label;
	int ret = 2, rc, found;

	if (!path || !dir)
		goto out;
	if (read_file(path, &text, NULL) < 0) {
		log_error("no repro case %s (tests/repro/ lists them)", path);
		goto out;
	}
	if (repro_case_parse(&r, text, path) < 0)
		goto out;
	/* --ksrc (a tree of the affected or the fixed version) wins over
	 * the repro case's Debian kernel. */
	run.kernel = o->ksrc ? NULL : o->kernel ? o->kernel : r.affected;
	label = o->ksrc ? o->ksrc : run.kernel;
	run.tests = r.tests;
	if (r.patches && run.nr_series < MAX_STACKED) {
		series = path_join(dir, r.patches);
		run.series[run.nr_series++] = series;
	}
	if (r.config && run.nr_configs < MAX_STACKED) {
		config = path_join(dir, r.config);
		run.configs[run.nr_configs++] = config;
	}
	results = str_printf("%s/repro-%s", o->results_root, o->repro);
	json = str_printf("%s/latest/results.json", results ? results : "");
	if (!results || !json)
		goto out;
	run.results_root = results;
	log_info("repro %s: %s", o->repro, r.summary);
	log_info("repro %s: running %s on %s (affected: %s, fixed: %s)", o->repro, r.tests,
		 label, r.affected, r.fixed ? r.fixed : "unknown");
	options_run_request(&run, &req);
	rc = runner_run(&req, interrupted);
	if (rc == 2 || rc == 130) {
		log_error("repro %s: the run itself failed on %s: cannot tell", o->repro, label);
		ret = rc;
		goto out;
	}
	found = matching_failures(&r, json);
	if (found < 0) {
		log_error("repro %s: no results in %s", o->repro, json);
	} else if (found) {
		printf("reproduced: %s on %s%s%s\n", o->repro, label,
		       r.reference ? "; fixed by " : "", r.reference ? r.reference : "");
		ret = 0;
	} else {
		char *globs = strv_join(&r.fails);

		printf("not reproduced: %s on %s (none of %s failed)\n", o->repro, label,
		       globs ? globs : "the repro case's subtests");
		free(globs);
		ret = 1;
	}
out:
	repro_case_free(&r);
	free(text);
	free(path);
	free(dir);
	free(series);
	free(config);
	free(results);
	free(json);
	return ret;
}
