// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the daxtest command: dispatch to the subcommands
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lib/host_tools.h"
#include "lib/log.h"
#include "cli/options.h"
#include "run/prepare.h"
#include "run/runner.h"
#include "cli/shell_cmd.h"
#include "cli/bisect.h"
#include "cli/compare.h"
#include "cli/list.h"
#include "cli/repro.h"
#include "cli/results_cmd.h"
#include "report/report.h"

/* Set by SIGINT/SIGTERM; the runner stops its guest and writes what it
 * has. The one piece of global state: a signal handler can reach no
 * other. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int cmd_kernel_build(const struct options *o)
{
	struct prepared p = { 0 };
	struct run_request req;
	int ret;

	options_run_request(o, &req);
	ret = prepare_kernel(&req, &p) < 0 ? 2 : 0;

	if (!ret)
		printf("%s\n", p.kernel.bzimage);
	prepared_free(&p);
	return ret;
}

static int cmd_image_build(const struct options *o)
{
	struct prepared p;
	struct run_request req;
	int ret;

	options_run_request(o, &req);
	ret = prepare_all(&req, STAGES_IMAGE, &p) < 0 ? 2 : 0;

	if (!ret)
		printf("%s\n", p.image.path);
	prepared_free(&p);
	return ret;
}

int main(int argc, char **argv)
{
	struct options o;
	struct run_request req;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (options_parse(&o, argc, argv) < 0) {
		options_free(&o);
		return 2;
	}
	switch (o.command) {
	case CMD_HELP:
		options_usage(stdout);
		ret = 0;
		break;
	case CMD_LIST:
		ret = list_tests(&o, stdout) < 0 ? 2 : 0;
		break;
	case CMD_KERNEL_BUILD:
		ret = cmd_kernel_build(&o);
		break;
	case CMD_IMAGE_BUILD:
		ret = cmd_image_build(&o);
		break;
	case CMD_SHELL:
		ret = shell_run(&o);
		break;
	case CMD_BISECT:
		catch_signals();
		ret = bisect_run(&o, &interrupted);
		break;
	case CMD_REPRO:
		catch_signals();
		ret = repro_run(&o, &interrupted);
		break;
	case CMD_REPORT:
		ret = report_rerender(o.report_dir) < 0 ? 2 : 0;
		break;
	case CMD_COMPARE:
		ret = compare_runs(o.compare[0], o.compare[1]);
		break;
	case CMD_RESULTS:
		ret = results_cmd(o.nr_results_args, o.results_args);
		break;
	case CMD_CACHE_DIR:
		ret = cache_dir_cmd(&o);
		break;
	case CMD_BISECT_STEP:
		catch_signals();
		ret = bisect_step(&o, &interrupted);
		break;
	case CMD_RUN:
	default:
		catch_signals();
		options_run_request(&o, &req);
		ret = runner_run(&req, &interrupted);
		break;
	}
	options_free(&o);
	return ret;
}
