// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - the daxtest command: dispatch to the subcommands
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "lib/host_tools.h"
#include "lib/interrupt.h"
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

/*
 * SIGINT, SIGTERM and SIGHUP set the interrupt flag (lib/interrupt.h):
 * a build kills its make, a lock wait gives up, the runner stops its
 * guests and writes what it has; then daxtest exits 130. Only for the
 * commands that look at the flag: the others are quick, and die of the
 * signal.
 */
static void catch_signals(void)
{
	interrupt_install();
}

/* What failed after an interrupt failed because of it (a killed make, a
 * lock wait given up): 130, as a shell reports a Ctrl-C. */
static int interrupted_status(int ret)
{
	return ret != 0 && interrupt_pending() ? 130 : ret;
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
		catch_signals();
		ret = cmd_kernel_build(&o);
		break;
	case CMD_IMAGE_BUILD:
		catch_signals();
		ret = cmd_image_build(&o);
		break;
	case CMD_SHELL:
		catch_signals();
		ret = shell_run(&o);
		break;
	case CMD_BISECT:
		catch_signals();
		ret = bisect_run(&o, interrupt_flag());
		break;
	case CMD_REPRO:
		catch_signals();
		ret = repro_run(&o, interrupt_flag());
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
		ret = bisect_step(&o, interrupt_flag());
		break;
	case CMD_RUN:
	default:
		catch_signals();
		options_run_request(&o, &req);
		ret = runner_run(&req, interrupt_flag());
		break;
	}
	options_free(&o);
	return interrupted_status(ret);
}
