// SPDX-License-Identifier: GPL-2.0
/*
 * shell_cmd.c - boot the test guest interactively
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/host_tools.h"
#include "lib/spawn.h"
#include "lib/log.h"
#include "vm/preflight.h"
#include "run/prepare.h"
#include "vm/guest.h"
#include "vm/qemu_cmd.h"
#include "report/results_dir.h"
#include "cli/shell_cmd.h"
#include "lib/strv.h"
#include "vm/workdir.h"

/* QEMU on the terminal: the terminal's Ctrl-C belongs to the guest. */
static int run_foreground(struct strv *argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	struct proc_spec spec = { .argv = (const char *const *)argv->v, .foreground = 1 };
	int ret;

	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	ret = proc_run(&spec);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (ret == -1)
		log_error("cannot run %s: %s", argv->v[0], strerror(errno));
	return ret;
}

int shell_run(const struct options *o)
{
	struct run_request req;
	struct prepared p;
	struct guest_shape guest;
	struct workdir w = { 0 };
	struct qemu_config q;
	struct strv argv = { 0 };
	char run_id[64];
	int ret = 2;

	options_run_request(o, &req);
	guest = req.guest;
	results_dir_make_id(run_id, sizeof(run_id));
	if (prepare_all(&req, STAGES_RUN, &p) < 0 ||
	    preflight_check(&guest, 1, preflight_tmp_dir(), NULL) < 0 ||
	    guest_workdir_create(&guest, &w, run_id) < 0)
		goto out;
	guest.accel = guest_choose_accel(req.guest.accel, w.path, req.cache_dir);
	guest_qemu_config(&guest, &w, p.kernel.bzimage, p.image.path,
			  GUEST_CMDLINE " daxtest.shell", &q);
	if (qemu_cmd_build(&q, &argv) < 0) {
		log_error("invalid guest description");
		goto out;
	}
	log_info("shell: tests are in /daxtest/tests; leave with Ctrl-A x (%s)",
		 accel_name(q.accel));
	ret = run_foreground(&argv) == 0 ? 0 : 2;
out:
	strv_free(&argv);
	workdir_remove(&w, o->keep_work);
	prepared_free(&p);
	return ret;
}
