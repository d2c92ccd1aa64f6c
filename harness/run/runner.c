// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - prepare a run, start its lanes (parallel guests), wait for
 * them while the progress line moves, and write the reports
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/host_tools.h"
#include "run/lane.h"
#include "lib/log.h"
#include "vm/preflight.h"
#include "report/report.h"
#include "run/run_state.h"
#include "plan/durations.h"
#include "run/runner.h"
#include "run/snapshot_use.h"

#define MAX_LANES 64

static int init_report(struct run_state *s, const char *run_id)
{
	size_t i;

	s->report.run_id = strdup(run_id);
	s->report.kernel_release = strdup(s->prep.kernel.release);
	s->report.kernel_source = strdup(s->prep.kernel.source);
	s->report.nr_tests = s->prep.catalog.nr;
	s->report.tests = calloc(s->report.nr_tests + 1, sizeof(*s->report.tests));
	s->finished = calloc(s->report.nr_tests + 1, sizeof(*s->finished));
	if (!s->report.run_id || !s->report.kernel_release || !s->report.kernel_source ||
	    !s->report.tests || !s->finished)
		return -1;
	for (i = 0; i < s->report.nr_tests; i++) {
		s->report.tests[i].name = strdup(s->prep.catalog.tests[i].name);
		s->report.tests[i].status = TEST_NOT_RUN;
		s->report.tests[i].exit_code = -1;
		if (!s->report.tests[i].name)
			return -1;
	}
	return 0;
}

static int exit_status(const struct run_state *s)
{
	size_t i;

	if (s->report.infra_error)
		return strcmp(s->report.infra_error, "interrupted") ? 2 : 130;
	if (s->report.nr_findings)
		return 1;
	for (i = 0; i < s->report.nr_tests; i++) {
		if (test_status_failed(s->report.tests[i].status))
			return 1;
	}
	return 0;
}

/* The seed of the random power cuts: --seed, or a fresh one, printed
 * when the plan has random cuts so that a run can be repeated. */
static void choose_seed(struct run_state *s)
{
	size_t i;

	s->seed = s->req->seed;
	if (!s->req->seed_given)
		s->seed = ((unsigned long long)time(NULL) << 20) ^ (unsigned long long)getpid() ^
			  (unsigned long long)mono_ms();
	for (i = 0; i < s->prep.catalog.nr; i++) {
		if (s->prep.catalog.tests[i].random_cut) {
			log_info("random power cuts: seed %llu (--seed %llu repeats them)",
				 s->seed, s->seed);
			break;
		}
	}
}

static bool has_power_cuts(const struct run_state *s)
{
	size_t i;

	for (i = 0; i < s->prep.catalog.nr; i++)
		if (s->prep.catalog.tests[i].powerfail)
			return true;
	return false;
}

/* What the power cuts keep, now that the accelerator is known: the
 * persistence plugin runs only under TCG in a QEMU daxtest starts. */
static int choose_crash_model(struct run_state *s)
{
	const struct run_request *req = s->req;
	const char *note;
	char *map;

	if (crash_model_resolve(&req->crash_model, s->guest.accel == ACCEL_TCG,
				req->backend == BACKEND_QEMU, &s->crash_model, &note) < 0) {
		log_error("--crash-model %s: %s", crash_model_name(req->crash_model.kind), note);
		return -1;
	}
	if (!has_power_cuts(s))
		return 0;
	if (s->crash_model.kind == CRASH_MODEL_NONE) {
		log_info("power cuts keep every store (crash model none%s%s)", note ? ": " : "",
			 note ? note : "");
		return 0;
	}
	s->plugin = path_join(req->project_dir, "build/plugin/daxtest-persist.so");
	if (!s->plugin || access(s->plugin, R_OK) < 0) {
		log_error("the persistence plugin %s is missing (make all builds it)",
			  s->plugin ? s->plugin : "build/plugin/daxtest-persist.so");
		return -1;
	}
	map = path_join(s->prep.kernel.dir, "System.map");
	if (!map || sysmap_load(&s->sysmap, map) < 0)
		log_info("lost lines are explained by address only: no System.map in %s",
			 s->prep.kernel.dir);
	free(map);
	log_info("power cuts keep what the CPU wrote back and fenced (crash model %s%s, the persistence plugin)",
		 crash_model_name(s->crash_model.kind),
		 s->crash_model.kind == CRASH_MODEL_SAMPLED ? " and sampled images" : "");
	return 0;
}

/* -j N, or one lane per core; never more lanes than shards. */
static unsigned int count_lanes(const struct run_state *s)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int n = s->req->jobs ? s->req->jobs : (cores > 0 ? (unsigned int)cores : 1);

	if (n > MAX_LANES)
		n = MAX_LANES;
	return n;
}

/* Without --cpus, the host's cores are split between the guests. */
static void size_guests(struct run_state *s, unsigned int lanes)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int cpus;

	if (s->req->cpus_given || lanes <= 1 || cores <= 0)
		return;
	cpus = (unsigned int)cores / lanes ? (unsigned int)cores / lanes : 1;
	s->guest.cpus = cpus > 2 ? 2 : cpus;
}

static void hide_progress(void *arg)
{
	progress_hide(arg);
}

static void show_progress(void *arg)
{
	progress_show(arg);
}

/* Starts a thread per lane and waits for them, moving the progress line
 * once a second. */
static int run_lanes(struct run_state *s, struct lane *lanes, unsigned int n)
{
	pthread_t tid[MAX_LANES];
	unsigned int started, i;
	int err = 0;

	for (started = 0; started < n; started++) {
		err = pthread_create(&tid[started], NULL, lane_run, &lanes[started]);
		if (err)
			break;
	}
	if (err) {
		log_error("cannot start a thread for guest %u: %s", started + 1, strerror(err));
		run_state_fail(s, "cannot start the guests' threads");
	}
	for (i = 0; i < started; i++) {
		struct timespec ts;

		for (;;) {
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec++;
			if (pthread_timedjoin_np(tid[i], NULL, &ts) != ETIMEDOUT)
				break;
			progress_tick(&s->progress);
		}
	}
	return err ? -1 : 0;
}

static void finish(struct run_state *s, struct lane *lanes, unsigned int n)
{
	unsigned int i;

	/* Kernel reports outside any test fail the run too. */
	for (i = 0; i < n; i++)
		lane_report_findings(&lanes[i], &s->report);
	run_state_print_rest(s);
	progress_end(&s->progress);
	log_set_hooks(NULL, NULL, NULL);
	results_dir_write_reports(&s->out, &s->report);
	report_summary(stderr, &s->report);
	if (s->report.infra_error)
		log_error("%s", s->report.infra_error);
	log_info("results: %s", s->out.path);
}

/* The patches of the series that fix known failures void their entries. */
static int add_fixes(struct run_state *s)
{
	const struct patch_fixes *f = &s->prep.kernel.fixes;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (known_add_fix(&s->known, f->v[i].glob, f->v[i].patch) < 0)
			return -1;
	if (s->known.n)
		log_info("known failures: %zu entries in %s%s", s->known.n, s->known.path,
			 f->n ? ", minus what the series fixes" : "");
	for (i = 0; i < f->n; i++)
		log_info("  fixed by %s: %s", f->v[i].patch, f->v[i].glob);
	return 0;
}

static char *durations_path(const char *cache_dir)
{
	return path_join(cache_dir, "durations.tsv");
}

/* The largest guest the run boots: an ndctl test's has more RAM. */
static struct guest_shape largest_guest(const struct run_state *s)
{
	struct guest_shape g = s->guest;
	size_t i;

	for (i = 0; i < s->prep.catalog.nr; i++) {
		const char *suite = s->prep.catalog.tests[i].suite;

		if (suite && !strcmp(suite, "ndctl") && g.mem_mb < NDCTL_GUEST_MEM_MB)
			g.mem_mb = NDCTL_GUEST_MEM_MB;
	}
	return g;
}

int runner_run(const struct run_request *req, volatile sig_atomic_t *interrupted)
{
	struct run_state s = { .req = req, .guest = req->guest, .interrupted = interrupted };
	struct lane *lanes = NULL;
	struct guest_shape shape;
	unsigned int nr_lanes = 0, want, i;
	double t0 = mono_s();
	char run_id[64], *meminfo = NULL, *durations = NULL;
	double *expect = NULL;
	int ret = 2;

	pthread_mutex_init(&s.lock, NULL);
	results_dir_make_id(run_id, sizeof(run_id));
	/* A libvirt daemon starts QEMU itself, maybe on another host. */
	if (prepare_all(req, req->backend == BACKEND_QEMU ? STAGES_RUN : STAGES_IMAGE,
			&s.prep) < 0 || init_report(&s, run_id) < 0 ||
	    known_load(&s.known, req->project_dir, s.prep.kernel.release) < 0)
		goto out;
	if (add_fixes(&s) < 0)
		goto out;
	choose_seed(&s);
	want = count_lanes(&s);
	durations = durations_path(req->cache_dir);
	expect = calloc(s.prep.catalog.nr + 1, sizeof(*expect));
	if (!durations || !expect)
		goto out;
	durations_load(durations, s.prep.catalog.tests, s.prep.catalog.nr, expect);
	if (shard_plan_timed(s.prep.catalog.tests, s.prep.catalog.nr, want, expect, &s.shards,
			     &s.nr_shards) < 0)
		goto out;
	if (want > s.nr_shards)
		want = s.nr_shards ? (unsigned int)s.nr_shards : 1;
	size_guests(&s, want);
	shape = largest_guest(&s);
	if (read_file("/proc/meminfo", &meminfo, NULL) != 0)
		meminfo = NULL;
	if (preflight_check(&shape, want, preflight_tmp_dir(), meminfo) < 0)
		goto out;
	lanes = calloc(want, sizeof(*lanes));
	if (!lanes || results_dir_create(&s.out, req->results_root, run_id) < 0)
		goto out;
	for (nr_lanes = 0; nr_lanes < want; nr_lanes++) {
		if (lane_init(&lanes[nr_lanes], &s, nr_lanes + 1, want, run_id) < 0) {
			nr_lanes++;
			goto out;
		}
	}
	s.guest.accel = guest_choose_accel(req->guest.accel, lanes[0].work.path, req->cache_dir);
	s.report.accel = strdup(accel_name(s.guest.accel));
	if (choose_crash_model(&s) < 0 || snapshot_use_choose(&s) < 0)
		goto out;
	s.report.guests = nr_lanes;
	if (want > 1)
		log_info("%u guests in parallel (-j %u), %u CPUs each, %zu shards", want, want,
			 s.guest.cpus, s.nr_shards);
	printf("KTAP version 1\n1..%zu\n", s.report.nr_tests);
	fflush(stdout);
	progress_init(&s.progress, stderr, isatty(STDERR_FILENO), s.report.nr_tests);
	log_set_hooks(hide_progress, show_progress, &s.progress);
	run_lanes(&s, lanes, nr_lanes);
	s.report.total_seconds = mono_s() - t0;
	finish(&s, lanes, nr_lanes);
	if (durations_save(durations, &s.report) < 0)
		log_debug("cannot record the tests' durations in %s", durations);
	ret = exit_status(&s);
out:
	for (i = 0; i < nr_lanes; i++)
		lane_free(&lanes[i], req->keep_work);
	free(lanes);
	results_dir_free(&s.out);
	run_report_free(&s.report);
	prepared_free(&s.prep);
	known_free(&s.known);
	free(s.shards);
	free(s.finished);
	free(meminfo);
	free(durations);
	free(expect);
	free(s.plugin);
	sysmap_free(&s.sysmap);
	snapshot_free(&s.snapshot);
	pthread_mutex_destroy(&s.lock);
	return ret;
}
