// SPDX-License-Identifier: GPL-2.0
/*
 * bisect.c - daxtest bisect and the step git bisect run calls
 */
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/bisect.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/spawn.h"
#include "report/results_dir.h"
#include "run/runner.h"
#include "lib/strv.h"

#define STEPS_FILE	"steps.txt"
#define GIT_SKIP	125
#define GIT_ABORT	130

int bisect_git_argv(struct strv *argv, const char *dir, const char *const *args)
{
	size_t i;

	strv_add(argv, "git");
	strv_add(argv, "-C");
	strv_add(argv, dir);
	for (i = 0; args[i]; i++)
		strv_add(argv, args[i]);
	return argv->err ? -1 : 0;
}

/* git -C dir <args>: exit status; *out (may be NULL) gets the trimmed output. */
static int git(const char *dir, char **out, const char *const *args)
{
	struct strv argv = { 0 };
	char *text = NULL;
	int ret = -1;

	if (bisect_git_argv(&argv, dir, args) == 0)
		ret = proc_capture((const char *const *)argv.v, NULL, &text);
	strv_free(&argv);
	if (text)
		str_rstrip(text);
	if (out)
		*out = text;
	else
		free(text);
	return ret;
}

#define GIT(dir, out, ...) git(dir, out, (const char *const[]){ __VA_ARGS__, NULL })

/* git bisect reset rev: cleanup, so it runs even after an interrupt
 * (which stops every other command at once). 0, or -1. */
static int git_bisect_reset(const char *dir, const char *rev)
{
	const char *argv[] = { "git", "-C", dir, "bisect", "reset", rev, NULL };
	char *text = NULL;
	size_t len;
	struct proc_spec spec = {
		.argv = argv, .capture = &text, .capture_len = &len,
		.ignore_interrupt = 1, .timeout_s = 60,
	};
	int ret = proc_run(&spec);

	free(text);
	return ret == 0 ? 0 : -1;
}

/* The commit a revision names, or NULL after logging. */
static char *resolve_commit(const char *dir, const char *what, const char *rev)
{
	char *spec = str_printf("%s^{commit}", rev), *sha = NULL;

	if (spec && GIT(dir, &sha, "rev-parse", "--verify", "-q", spec) != 0) {
		log_error("--%s %s is not a commit in %s", what, rev, dir);
		free(sha);
		sha = NULL;
	}
	free(spec);
	return sha;
}

/* The tree must be a git work tree, not bisecting, without local changes. */
static int check_tree(const char *dir)
{
	char *out = NULL;
	int ret = -1;

	if (GIT(dir, NULL, "rev-parse", "--is-inside-work-tree") != 0) {
		log_error("--ksrc %s is not a git work tree: bisect needs the history", dir);
		return -1;
	}
	if (GIT(dir, NULL, "bisect", "log") == 0) {
		log_error("a git bisect is already in progress in %s ('git bisect reset' ends it)", dir);
		return -1;
	}
	if (GIT(dir, &out, "status", "--porcelain", "--untracked-files=no") != 0 || (out && *out))
		log_error("%s has uncommitted changes: commit or stash them before bisecting", dir);
	else
		ret = 0;
	free(out);
	return ret;
}

/* The argv of the step: this binary and the options that shape a run. */
static int step_argv(const struct options *o, const char *ksrc, const char *results,
		     struct strv *v)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t i;

	if (n < 0)
		return -1;
	self[n] = '\0';
	strv_add(v, self);
	strv_add(v, "bisect-step");
	strv_add(v, "--ksrc");
	strv_add(v, ksrc);
	strv_add(v, "--project");
	strv_add(v, o->project_dir);
	strv_add(v, "--cache");
	strv_add(v, o->cache_dir);
	strv_add(v, "--results");
	strv_add(v, results);
	strv_add(v, "--matrix");
	strv_add(v, o->matrix);
	strv_add(v, "--accel");
	strv_add(v, accel_name(o->accel));
	strv_addf(v, "--retries=%u", o->retries);
	if (o->tests)
		strv_addf(v, "--tests=%s", o->tests);
	if (o->timeout_s)
		strv_addf(v, "--timeout=%u", o->timeout_s);
	if (o->build_jobs)
		strv_addf(v, "--build-jobs=%u", o->build_jobs);
	if (o->base_series)
		strv_addf(v, "--series=%s", o->base_series);
	for (i = 0; i < o->nr_series; i++)
		strv_addf(v, "--patches=%s", o->series[i]);
	for (i = 0; i < o->nr_configs; i++)
		strv_addf(v, "--config=%s", o->configs[i]);
	if (o->no_snapshot)
		strv_add(v, "--no-snapshot");
	if (o->verbose)
		strv_add(v, "-v");
	return v->err ? -1 : 0;
}

int bisect_run_argv(struct strv *argv, const char *ksrc, const struct strv *step)
{
	size_t i;

	strv_add(argv, "git");
	strv_add(argv, "-C");
	strv_add(argv, ksrc);
	strv_add(argv, "bisect");
	strv_add(argv, "run");
	for (i = 0; i < step->n; i++)
		strv_add(argv, step->v[i]);
	return argv->err ? -1 : 0;
}

/* Prints the failing tests of a step's run and where their logs are. */
static void print_failures(const char *run_dir)
{
	char *path = path_join(run_dir, "results.json");
	json_object *root = path ? json_object_from_file(path) : NULL, *tests;
	size_t i;

	if (!root || !json_object_object_get_ex(root, "tests", &tests)) {
		printf("  (no results.json in %s)\n", run_dir);
		goto out;
	}
	for (i = 0; i < json_object_array_length(tests); i++) {
		json_object *t = json_object_array_get_idx(tests, i), *name, *status, *reason;
		const char *st;

		if (!json_object_object_get_ex(t, "name", &name) ||
		    !json_object_object_get_ex(t, "status", &status))
			continue;
		st = json_object_get_string(status);
		if (!strcmp(st, "pass") || !strcmp(st, "skip"))
			continue;
		printf("  %s: %s", json_object_get_string(name), st);
		if (json_object_object_get_ex(t, "reason", &reason) && json_object_get_string(reason))
			printf(" (%s)", json_object_get_string(reason));
		printf("\n    log: %s/tests/%s.log\n", run_dir, json_object_get_string(name));
	}
out:
	json_object_put(root);
	free(path);
}

/* "<sha> <verdict> <run dir>" lines: the run dir of the step that
 * tested sha, or NULL. */
static char *step_run_dir(const char *steps_path, const char *sha)
{
	char *text = NULL, *line, *save = NULL, *dir = NULL;

	if (read_file(steps_path, &text, NULL) < 0)
		return NULL;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char s[64], verdict[16], run[PATH_MAX];

		if (sscanf(line, "%63s %15s %4095s", s, verdict, run) == 3 && !strcmp(s, sha)) {
			free(dir);
			dir = strdup(run);
		}
	}
	free(text);
	return dir;
}

static int report_first_bad(const char *ksrc, const char *results)
{
	char *sha = NULL, *subject = NULL, *steps = path_join(results, STEPS_FILE), *run;
	int ret = 2;

	if (GIT(ksrc, &sha, "rev-parse", "--verify", "-q", "refs/bisect/bad") != 0 || !steps)
		goto out;
	GIT(ksrc, &subject, "log", "-1", "--format=%s", sha);
	/* git's last line may lack its newline */
	printf("\nfirst bad commit: %s %s\n", sha, subject ? subject : "");
	run = step_run_dir(steps, sha);
	if (run) {
		print_failures(run);
		free(run);
	}
	ret = 0;
out:
	free(sha);
	free(subject);
	free(steps);
	return ret;
}

int bisect_run(const struct options *o, volatile sig_atomic_t *interrupted)
{
	char *ksrc = NULL, *good = NULL, *bad = NULL, *start = NULL, *results = NULL;
	char id[64];
	struct strv run = { 0 };
	int ret = 2, rc;

	if (!o->ksrc || !o->good || !o->bad) {
		log_error("bisect needs --ksrc DIR (a git kernel tree), --good REV and --bad REV");
		return 2;
	}
	ksrc = realpath(o->ksrc, NULL);
	if (!ksrc) {
		log_error("--ksrc %s does not exist", o->ksrc);
		return 2;
	}
	if (check_tree(ksrc) < 0 || !(good = resolve_commit(ksrc, "good", o->good)) ||
	    !(bad = resolve_commit(ksrc, "bad", o->bad)))
		goto out;
	if (GIT(ksrc, &start, "symbolic-ref", "-q", "--short", "HEAD") != 0) {
		free(start);
		start = NULL;
		if (GIT(ksrc, &start, "rev-parse", "HEAD") != 0)
			goto out;
	}
	results_dir_make_id(id, sizeof(id));
	results = str_printf("%s/bisect-%s", o->results_root, id);
	if (!results || mkdir_p(results, 0755) < 0 || step_argv(o, ksrc, results, &run) < 0)
		goto out;
	if (GIT(ksrc, NULL, "bisect", "start", bad, good) != 0) {
		log_error("git bisect start %s %s failed in %s", bad, good, ksrc);
		goto reset;
	}
	log_info("bisecting %s: good %.12s, bad %.12s; steps in %s", ksrc, good, bad, results);
	{
		struct strv argv = { 0 };
		struct proc_spec spec = { .inherit_output = 1 };

		if (bisect_run_argv(&argv, ksrc, &run) < 0) {
			log_error("out of memory");
			strv_free(&argv);
			goto reset;
		}
		spec.argv = (const char *const *)argv.v;
		rc = proc_run(&spec);
		strv_free(&argv);
	}
	if (*interrupted) {
		log_error("interrupted");
		ret = 130;
	} else if (rc != 0) {
		log_error("git bisect run ended with status %d without a first bad commit (see the steps above)", rc);
	} else {
		ret = report_first_bad(ksrc, results);
	}
reset:
	/* Always leave the tree where it was. */
	if (git_bisect_reset(ksrc, start ? start : "HEAD") < 0)
		log_error("git bisect reset %s failed in %s: run it by hand", start ? start : "", ksrc);
out:
	strv_free(&run);
	free(results);
	free(start);
	free(good);
	free(bad);
	free(ksrc);
	return ret;
}

/* Appends "<sha> <verdict> <run dir>" for the report at the end. */
static void record_step(const struct options *o, const char *sha, const char *verdict)
{
	char *latest = path_join(o->results_root, "latest");
	char *run = latest ? realpath(latest, NULL) : NULL;
	char *steps = path_join(o->results_root, STEPS_FILE);
	FILE *f = steps ? fopen(steps, "a") : NULL;

	if (f) {
		fprintf(f, "%s %s %s\n", sha, verdict, run ? run : "-");
		fclose(f);
	}
	free(latest);
	free(run);
	free(steps);
}

int bisect_step(const struct options *o, volatile sig_atomic_t *interrupted)
{
	struct run_request req;
	char *sha = NULL;
	unsigned int attempt, failed = 0;
	int rc = 0, ret;

	if (!o->ksrc || GIT(o->ksrc, &sha, "rev-parse", "HEAD") != 0) {
		log_error("bisect-step needs --ksrc DIR, a git tree");
		free(sha);
		return GIT_ABORT;
	}
	for (attempt = 0; attempt <= o->retries; attempt++) {
		options_run_request(o, &req);
		rc = runner_run(&req, interrupted);
		if (rc != 1)
			break;
		failed++;
		if (attempt < o->retries)
			log_info("step %.12s: failed, running it again (%u of %u retries)", sha,
				 attempt + 1, o->retries);
	}
	if (rc == 130 || *interrupted) {
		ret = GIT_ABORT;
	} else if (rc == 2) {
		log_info("step %.12s: the run itself failed (build, boot or infrastructure): skip", sha);
		ret = GIT_SKIP;
	} else if (failed && rc == 0) {
		log_info("step %.12s: failed %u times, then passed: flaky, skip", sha, failed);
		ret = GIT_SKIP;
	} else {
		ret = rc;
	}
	record_step(o, sha, ret == 0 ? "good" : ret == 1 ? "bad" : "skip");
	free(sha);
	return ret;
}
