// SPDX-License-Identifier: GPL-2.0
/*
 * shell_cmd.c - boot the test guest interactively
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/host_tools.h"
#include "lib/log.h"
#include "vm/preflight.h"
#include "run/prepare.h"
#include "vm/qemu_cmd.h"
#include "report/results_dir.h"
#include "cli/shell_cmd.h"
#include "lib/strv.h"
#include "vm/workdir.h"

static int run_foreground(struct strv *argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	char *path = host_tool_find(argv->v[0]);
	int status = 0;
	pid_t pid;

	if (!path) {
		log_error("cannot run %s: not found in PATH, /usr/local/sbin, /usr/sbin or /sbin",
			  argv->v[0]);
		return -1;
	}
	/* The terminal's Ctrl-C belongs to the guest. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execv(path, argv->v);
		fprintf(stderr, "daxtest: error: cannot run %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	free(path);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	if (pid < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int shell_run(const struct options *o)
{
	struct prepared p;
	struct workdir w = { 0 };
	struct qemu_config q = { 0 };
	struct strv argv = { 0 };
	char run_id[64];
	unsigned int i;
	int ret = 2;

	results_dir_make_id(run_id, sizeof(run_id));
	if (prepare_all(o, STAGES_RUN, &p) < 0 ||
	    preflight_check(o, 1, preflight_tmp_dir(), NULL) < 0 ||
	    workdir_create(&w, run_id, o->nr_nvdimms, o->nvdimm_size + NVDIMM_LABEL_SIZE) < 0)
		goto out;
	q.qemu = "qemu-system-x86_64";
	q.accel = o->accel == ACCEL_KVM ? ACCEL_KVM : ACCEL_TCG;
	q.cpus = o->cpus;
	q.mem_mb = o->mem_mb;
	q.bios = path_is_file("/usr/share/qemu/qboot.rom") ? "/usr/share/qemu/qboot.rom" : NULL;
	q.kernel = p.kernel.bzimage;
	q.initrd = p.image.path;
	q.append = "console=ttyS0 panic=-1 rdinit=/init daxtest.shell";
	q.label_size = NVDIMM_LABEL_SIZE;
	q.nodax_disk = w.nodax_path;
	q.virtio_pmem.path = w.virtio_pmem_path;
	q.virtio_pmem.size = VIRTIO_PMEM_SIZE;
	q.nr_nvdimms = w.nr_nvdimms;
	for (i = 0; i < w.nr_nvdimms; i++) {
		q.nvdimms[i].path = w.nvdimm_paths[i];
		q.nvdimms[i].size = o->nvdimm_size + NVDIMM_LABEL_SIZE;
	}
	if (qemu_cmd_build(&q, &argv) < 0) {
		log_error("invalid guest description");
		goto out;
	}
	log_info("shell: tests are in /daxtest/tests; leave with Ctrl-A x (%s)",
		 q.accel == ACCEL_KVM ? "kvm" : "tcg");
	ret = run_foreground(&argv) == 0 ? 0 : 2;
out:
	strv_free(&argv);
	workdir_remove(&w, o->keep_work);
	prepared_free(&p);
	return ret;
}
