// SPDX-License-Identifier: GPL-2.0
/*
 * options.c - parse the daxtest command line
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cache.h"
#include "lib/fsutil.h"
#include "build/kernel_source.h"
#include "lib/log.h"
#include "vm/libvirt_backend.h"
#include "plan/matrix.h"
#include "cli/options.h"
#include "plan/crash_model.h"

enum {
	OPT_KSRC = 256, OPT_PATCHES, OPT_CONFIG, OPT_TESTS, OPT_RESULTS, OPT_ACCEL,
	OPT_BUILD_JOBS, OPT_TIMEOUT, OPT_BOOT_TIMEOUT, OPT_CPUS, OPT_MEM, OPT_NVDIMMS, OPT_NVDIMM_SIZE,
	OPT_REBUILD, OPT_KEEP_WORK, OPT_NO_SNAPSHOT, OPT_CACHE, OPT_PROJECT, OPT_MATRIX, OPT_SEED,
	OPT_ITERATIONS, OPT_COVERAGE, OPT_GOOD, OPT_BAD, OPT_RETRIES, OPT_KERNEL, OPT_BACKEND, OPT_CONNECT,
	OPT_SERIES, OPT_CRASH_MODEL, OPT_SUITE, OPT_NDCTL_TESTS, OPT_FSTESTS_TESTS,
};

static const struct option long_opts[] = {
	{ "ksrc", required_argument, NULL, OPT_KSRC },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "patches", required_argument, NULL, OPT_PATCHES },
	{ "series", required_argument, NULL, OPT_SERIES },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "tests", required_argument, NULL, OPT_TESTS },
	{ "suite", required_argument, NULL, OPT_SUITE },
	{ "ndctl-tests", required_argument, NULL, OPT_NDCTL_TESTS },
	{ "fstests-tests", required_argument, NULL, OPT_FSTESTS_TESTS },
	{ "matrix", required_argument, NULL, OPT_MATRIX },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "crash-model", required_argument, NULL, OPT_CRASH_MODEL },
	{ "good", required_argument, NULL, OPT_GOOD },
	{ "bad", required_argument, NULL, OPT_BAD },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "results", required_argument, NULL, OPT_RESULTS },
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "build-jobs", required_argument, NULL, OPT_BUILD_JOBS },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "boot-timeout", required_argument, NULL, OPT_BOOT_TIMEOUT },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "jobs", required_argument, NULL, 'j' },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "nvdimms", required_argument, NULL, OPT_NVDIMMS },
	{ "nvdimm-size", required_argument, NULL, OPT_NVDIMM_SIZE },
	{ "rebuild", no_argument, NULL, OPT_REBUILD },
	{ "keep-work", no_argument, NULL, OPT_KEEP_WORK },
	{ "no-snapshot", no_argument, NULL, OPT_NO_SNAPSHOT },
	{ "coverage", no_argument, NULL, OPT_COVERAGE },
	{ "cache", required_argument, NULL, OPT_CACHE },
	{ "project", required_argument, NULL, OPT_PROJECT },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *f)
{
	fputs("usage: daxtest <command> [options]\n"
	      "\n"
	      "commands:\n"
	      "  run            build kernel and image (cached), boot QEMU, run the tests\n"
	      "  kernel build   build the kernel under test (cached)\n"
	      "  image build    build the guest image (cached)\n"
	      "  list           list the tests with a one-line description\n"
	      "  shell          boot the test guest with a shell on the console\n"
	      "  bisect         git bisect run in --ksrc between --good and --bad, daxtest as the step\n"
	      "  repro NAME     run the repro case tests/repro/NAME.repro: reproduced or not\n"
	      "  report DIR     write DIR/report.html again from DIR/results.json\n"
	      "  compare A B    the tests whose result changed from run A to run B (their results.json)\n"
	      "  results DIR    a run's results.json as lines for scripts:\n"
	      "                 [--format tests|subtests|failed|summary] [--field KEY]\n"
	      "  cache-dir      print the cache directory (--cache, as every command uses it)\n"
	      "\n"
	      "options:\n"
	      "  --ksrc DIR          kernel tree to test (default: Debian linux-source-6.12; env KSRC)\n"
	      "  --kernel NAME       a Debian kernel source package instead: debian-6.12, debian-6.1\n"
	      "  --series SERIES|none  the base series instead of kernel-patches/series; none: the\n"
	      "                      kernel as its source ships it (env SERIES)\n"
	      "  --patches SERIES    stack another quilt series on the base series (repeatable; env PATCHES)\n"
	      "  --config FRAGMENT   add a kernel config fragment (repeatable)\n"
	      "  --tests GLOBS       comma-separated globs of tests (\"per-file-dax/*\")\n"
	      "  --suite ndctl=DIR|fstests=DIR  also run a peer suite from its source tree,\n"
	      "                      built on the host, in the same guests (repeatable); with\n"
	      "                      --suite, daxtest's own tests run only when --tests names them\n"
	      "  --ndctl-tests NAMES  the ndctl tests to run (default: all of its meson list)\n"
	      "  --fstests-tests NAMES  fstests tests or groups (\"generic/605 quick\"; default:\n"
	      "                      tests/suites/fstests.default)\n"
	      "  --matrix NAME       namespace cells from tests/matrix: quick (default) or full\n"
	      "  --seed N            seed of the random power cuts (default: printed at the start)\n"
	      "  --iterations N      runs of each random power-cut case (default 3)\n"
	      "  --crash-model none|strict|sampled:N  what a power cut keeps: every store (none),\n"
	      "                      only what the CPU wrote back and fenced (strict, the\n"
	      "                      persistence plugin), or strict plus N seeded images per case\n"
	      "                      that lose or keep each unpersisted line (default: strict\n"
	      "                      under TCG, none under KVM or libvirt)\n"
	      "  --good REV --bad REV  bisect: the known good and bad commits\n"
	      "  --retries N         bisect: run a failing step N more times; bad only if it always fails\n"
	      "  --results DIR       where results/<run-id>/ goes (default: results)\n"
	      "  --accel auto|kvm|tcg  accelerator (default auto: KVM only if a probe guest runs)\n"
	      "  --backend qemu|libvirt  start guests with QEMU directly (default) or through libvirt\n"
	      "  --connect URI       libvirt daemon to use (repeatable; default qemu:///system)\n"
	      "  --timeout SECONDS   per-test timeout instead of each area's settings file\n"
	      "  --boot-timeout S    how long a guest may take to reach the agent (default 60)\n"
	      "  -j, --jobs N        guests in parallel, each with its own backing files\n"
	      "                      (default: one per core)\n"
	      "  --cpus N --mem MiB  guest size (default 2 CPUs, 1 with -j > 1 on 2 cores; 1024 MiB)\n"
	      "  --nvdimms N --nvdimm-size MiB  emulated NVDIMMs (default 2 x 1024 MiB)\n"
	      "  --build-jobs N      make -j for the kernel build (default cores + 1)\n"
	      "  --rebuild           ignore the cached kernel and image\n"
	      "  --keep-work         keep the run's work directory (backing files)\n"
	      "  --no-snapshot       boot every guest; by default under TCG a guest is booted\n"
	      "                      once, saved in the cache, and the others restored from it\n"
	      "  --coverage          list: the mutants (tests/mutants) that must kill each test case\n"
	      "  --cache DIR         cache directory (default $DAXTEST_CACHE, else\n"
	      "                      $XDG_CACHE_HOME/daxtest, else ~/.cache/daxtest)\n"
	      "  -v, --verbose       show the commands daxtest runs\n"
	      "\n"
	      "exit status: 0 all passed, 1 a test failed or the kernel warned,\n"
	      "2 the run itself failed (bad input, build error, guest lost)\n", f);
}

static int parse_uint(const char *arg, const char *name, unsigned int min,
		      unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		log_error("--%s: '%s' is not a number from %u to %u", name, arg, min, max);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int add_stacked(const char **v, size_t *nr, const char *arg, const char *name)
{
	if (*nr >= MAX_STACKED) {
		log_error("--%s: at most %d may be given", name, MAX_STACKED);
		return -1;
	}
	if (access(arg, R_OK) < 0) {
		log_error("--%s %s: %s", name, arg, strerror(errno));
		return -1;
	}
	v[(*nr)++] = arg;
	return 0;
}

static int parse_command(struct options *o, int argc, char **argv, int *consumed)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	const char *sub = argc > 2 ? argv[2] : NULL;

	*consumed = 2;
	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		o->command = CMD_HELP;
	} else if (!strcmp(cmd, "run")) {
		o->command = CMD_RUN;
	} else if (!strcmp(cmd, "list")) {
		o->command = CMD_LIST;
	} else if (!strcmp(cmd, "shell")) {
		o->command = CMD_SHELL;
	} else if (!strcmp(cmd, "bisect")) {
		o->command = CMD_BISECT;
	} else if (!strcmp(cmd, "bisect-step")) {
		o->command = CMD_BISECT_STEP;
	} else if (!strcmp(cmd, "repro")) {
		if (!sub || sub[0] == '-') {
			log_error("repro needs a repro case name (tests/repro/<name>.repro)");
			return -1;
		}
		o->command = CMD_REPRO;
		o->repro = sub;
		*consumed = 3;
	} else if (!strcmp(cmd, "report")) {
		if (!sub || sub[0] == '-') {
			log_error("report needs a results directory (results/<run-id>)");
			return -1;
		}
		o->command = CMD_REPORT;
		o->report_dir = sub;
		*consumed = 3;
	} else if (!strcmp(cmd, "compare")) {
		const char *second = argc > 3 ? argv[3] : NULL;

		if (!sub || sub[0] == '-' || !second || second[0] == '-') {
			log_error("compare needs two runs' results (results/<run-id> or results.json)");
			return -1;
		}
		o->command = CMD_COMPARE;
		o->compare[0] = sub;
		o->compare[1] = second;
		*consumed = 4;
	} else if (!strcmp(cmd, "results")) {
		/* DIR and its own options: cli/results_cmd.c */
		o->command = CMD_RESULTS;
		o->results_args = argv + 2;
		o->nr_results_args = argc - 2;
		*consumed = argc;
	} else if (!strcmp(cmd, "cache-dir")) {
		o->command = CMD_CACHE_DIR;
	} else if (!strcmp(cmd, "kernel") || !strcmp(cmd, "image")) {
		if (!sub || strcmp(sub, "build")) {
			log_error("unknown command '%s %s' (did you mean '%s build'?)", cmd,
				  sub ? sub : "", cmd);
			return -1;
		}
		o->command = !strcmp(cmd, "kernel") ? CMD_KERNEL_BUILD : CMD_IMAGE_BUILD;
		*consumed = 3;
	} else {
		log_error("unknown command '%s' (daxtest help lists them)", cmd);
		return -1;
	}
	return 0;
}

/* The project directory: --project, else two levels above the binary
 * (<project>/build/daxtest). */
static char *default_project_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	int i;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (i = 0; i < 2; i++) {
		slash = strrchr(exe, '/');
		if (!slash || slash == exe)
			return NULL;
		*slash = '\0';
	}
	return strdup(exe);
}

static int parse_seed(struct options *o, const char *arg)
{
	char *end;

	errno = 0;
	o->seed = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-') {
		log_error("--seed needs a non-negative integer, not '%s'", arg);
		return -1;
	}
	o->seed_given = true;
	return 0;
}

static int parse_one(struct options *o, int c, const char *arg)
{
	unsigned int mib;

	switch (c) {
	case OPT_KSRC: o->ksrc = arg; return 0;
	case OPT_KERNEL: o->kernel = arg; return 0;
	case OPT_SERIES: o->base_series = arg; return 0;
	case OPT_PATCHES: return add_stacked(o->series, &o->nr_series, arg, "patches");
	case OPT_CONFIG: return add_stacked(o->configs, &o->nr_configs, arg, "config");
	case OPT_TESTS: o->tests = arg; return 0;
	case OPT_SUITE:
		if (o->nr_suites >= MAX_STACKED) {
			log_error("--suite: at most %d may be given", MAX_STACKED);
			return -1;
		}
		o->suites[o->nr_suites++] = arg;
		return 0;
	case OPT_NDCTL_TESTS: o->ndctl_tests = arg; return 0;
	case OPT_FSTESTS_TESTS: o->fstests_tests = arg; return 0;
	case OPT_MATRIX: o->matrix = arg; return 0;
	case OPT_ITERATIONS: return parse_uint(arg, "iterations", 1, 1000, &o->iterations);
	case OPT_GOOD: o->good = arg; return 0;
	case OPT_BAD: o->bad = arg; return 0;
	case OPT_RETRIES: return parse_uint(arg, "retries", 0, 100, &o->retries);
	case OPT_SEED: return parse_seed(o, arg);
	case OPT_CRASH_MODEL: return crash_model_parse(arg, &o->crash_model);
	case OPT_RESULTS: o->results_root = arg; return 0;
	case OPT_ACCEL:
		if (accel_parse(arg, &o->accel) == 0)
			return 0;
		log_error("--accel: '%s' is not auto, kvm or tcg", arg);
		return -1;
	case OPT_BACKEND:
		if (!strcmp(arg, "qemu") || !strcmp(arg, "libvirt")) {
			o->backend = !strcmp(arg, "qemu") ? BACKEND_QEMU : BACKEND_LIBVIRT;
			return 0;
		}
		log_error("--backend: '%s' is not qemu or libvirt", arg);
		return -1;
	case OPT_CONNECT:
		if (o->nr_connect >= MAX_STACKED) {
			log_error("--connect: at most %d may be given", MAX_STACKED);
			return -1;
		}
		o->connect[o->nr_connect++] = arg;
		return 0;
	case OPT_BUILD_JOBS: return parse_uint(arg, "build-jobs", 1, 256, &o->build_jobs);
	case OPT_TIMEOUT: return parse_uint(arg, "timeout", 1, 86400, &o->timeout_s);
	case OPT_BOOT_TIMEOUT: return parse_uint(arg, "boot-timeout", 1, 3600, &o->boot_timeout_s);
	case OPT_CPUS:
		o->cpus_given = true;
		return parse_uint(arg, "cpus", 1, 64, &o->cpus);
	case 'j': return parse_uint(arg, "jobs", 1, 64, &o->jobs);
	case OPT_MEM: return parse_uint(arg, "mem", 256, 65536, &o->mem_mb);
	case OPT_NVDIMMS: return parse_uint(arg, "nvdimms", 1, 8, &o->nr_nvdimms);
	case OPT_NVDIMM_SIZE:
		if (parse_uint(arg, "nvdimm-size", 512, 65536, &mib) < 0)
			return -1;
		/* QEMU places NVDIMMs back to back; ndctl refuses a region
		 * that does not start on a 16 MiB boundary. */
		if (mib % 16) {
			log_error("--nvdimm-size: %u MiB is not a multiple of 16 MiB", mib);
			return -1;
		}
		o->nvdimm_size = (unsigned long long)mib << 20;
		return 0;
	case OPT_REBUILD: o->rebuild = true; return 0;
	case OPT_KEEP_WORK: o->keep_work = true; return 0;
	case OPT_NO_SNAPSHOT: o->no_snapshot = true; return 0;
	case OPT_COVERAGE: o->coverage = true; return 0;
	case OPT_CACHE: free(o->cache_dir); o->cache_dir = strdup(arg); return 0;
	case OPT_PROJECT: free(o->project_dir); o->project_dir = strdup(arg); return 0;
	case 'v': o->verbose = true; log_set_verbose(true); return 0;
	case 'h': o->command = CMD_HELP; return 0;
	}
	return -1;
}

static void defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->results_root = "results";
	o->matrix = MATRIX_DEFAULT;
	o->iterations = 3;
	o->accel = ACCEL_AUTO;
	o->cpus = 2;
	o->boot_timeout_s = 60;
	o->mem_mb = 1024;
	o->nr_nvdimms = 2;
	o->nvdimm_size = 1024ULL << 20;
	o->ksrc = getenv("KSRC") && *getenv("KSRC") ? getenv("KSRC") : NULL;
}

/* Whether a --suite starts with prefix ("ndctl="). */
static bool suite_given(const struct options *o, const char *prefix)
{
	size_t i;

	for (i = 0; i < o->nr_suites; i++)
		if (!strncmp(o->suites[i], prefix, strlen(prefix)))
			return true;
	return false;
}

int options_parse(struct options *o, int argc, char **argv)
{
	const char *env_patches = getenv("PATCHES");
	int consumed, c;

	defaults(o);
	if (parse_command(o, argc, argv, &consumed) < 0)
		return -1;
	if (o->command == CMD_HELP)
		return 0;
	opterr = 0;
	optind = consumed;
	while ((c = getopt_long(argc, argv, ":vhj:", long_opts, NULL)) != -1) {
		if (c == '?') {
			log_error("unknown option '%s' (daxtest help lists them)", argv[optind - 1]);
			return -1;
		}
		if (c == ':') {
			log_error("option '%s' needs a value", argv[optind - 1]);
			return -1;
		}
		if (parse_one(o, c, optarg) < 0)
			return -1;
	}
	if (optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->coverage && o->command != CMD_LIST) {
		log_error("--coverage is an option of daxtest list");
		return -1;
	}
	if (o->nr_connect && o->backend != BACKEND_LIBVIRT) {
		log_error("--connect %s needs --backend libvirt", o->connect[0]);
		return -1;
	}
	if (o->nr_suites && o->backend == BACKEND_LIBVIRT) {
		log_error("--suite needs --backend qemu: libvirt guests get no share of the host's tree");
		return -1;
	}
	if (o->no_snapshot && o->command != CMD_RUN && o->command != CMD_BISECT &&
	    o->command != CMD_BISECT_STEP && o->command != CMD_REPRO) {
		log_error("--no-snapshot is an option of daxtest run, bisect and repro");
		return -1;
	}
	if (o->nr_suites && o->command != CMD_RUN) {
		log_error("--suite is an option of daxtest run");
		return -1;
	}
	if (o->ndctl_tests && !suite_given(o, "ndctl=")) {
		log_error("--ndctl-tests needs --suite ndctl=DIR");
		return -1;
	}
	if (o->fstests_tests && !suite_given(o, "fstests=")) {
		log_error("--fstests-tests needs --suite fstests=DIR");
		return -1;
	}
	if (o->backend == BACKEND_LIBVIRT && !o->nr_connect)
		o->connect[o->nr_connect++] = LIBVIRT_DEFAULT_URI;
	if (o->kernel && o->ksrc) {
		log_error("--kernel %s and a kernel tree (--ksrc or KSRC=%s): give one of them",
			  o->kernel, o->ksrc);
		return -1;
	}
	if (o->kernel) {
		char *package = kernel_source_package(o->kernel);

		if (!package)
			return -1;
		free(package);
	}
	/* As KSRC for --ksrc: the environment's series only when the
	 * command line gives none (make passes both). */
	if (!o->base_series && getenv("SERIES") && *getenv("SERIES"))
		o->base_series = getenv("SERIES");
	if (o->base_series && !*o->base_series) {
		log_error("--series needs a series file or 'none'");
		return -1;
	}
	if (!o->nr_series && env_patches && *env_patches &&
	    add_stacked(o->series, &o->nr_series, env_patches, "patches") < 0)
		return -1;
	if (!o->project_dir)
		o->project_dir = default_project_dir();
	if (!o->cache_dir)
		o->cache_dir = cache_dir_path();
	if (!o->project_dir || !o->cache_dir)
		return -1;
	return 0;
}

void options_run_request(const struct options *o, struct run_request *req)
{
	*req = (struct run_request){
		.project_dir = o->project_dir,
		.cache_dir = o->cache_dir,
		.results_root = o->results_root,
		.kernel = {
			.project_dir = o->project_dir,
			.cache_dir = o->cache_dir,
			.ksrc = o->ksrc,
			.kernel = o->kernel,
			.base_series = o->base_series,
			.series = o->series,
			.nr_series = o->nr_series,
			.configs = o->configs,
			.nr_configs = o->nr_configs,
			.jobs = o->build_jobs,
			.rebuild = o->rebuild,
		},
		.tests = o->tests,
		.suites = o->suites,
		.nr_suites = o->nr_suites,
		.ndctl_tests = o->ndctl_tests,
		.fstests_tests = o->fstests_tests,
		.matrix = o->matrix,
		.iterations = o->iterations,
		.seed = o->seed,
		.seed_given = o->seed_given,
		.crash_model = o->crash_model,
		.guest = {
			.accel = o->accel,
			.cpus = o->cpus,
			.mem_mb = o->mem_mb,
			.nr_nvdimms = o->nr_nvdimms,
			.nvdimm_size = o->nvdimm_size,
		},
		.cpus_given = o->cpus_given,
		.backend = o->backend,
		.connect = o->connect,
		.nr_connect = o->nr_connect,
		.boot_timeout_s = o->boot_timeout_s,
		.jobs = o->jobs,
		.timeout_s = o->timeout_s,
		.keep_work = o->keep_work,
		.no_snapshot = o->no_snapshot,
	};
}

void options_free(struct options *o)
{
	free(o->project_dir);
	free(o->cache_dir);
}
