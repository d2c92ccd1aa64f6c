/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One guest boot: start QEMU, hand the plan to the agent, stream the
 * console and the result port to the caller until QEMU exits, the
 * watchdog fires (no byte from the guest for too long), the caller cuts
 * the power or the user interrupts. QEMU never outlives this call.
 */
#ifndef DAXTEST_GUEST_SESSION_H
#define DAXTEST_GUEST_SESSION_H

#include <signal.h>
#include <stdbool.h>

#include "parse/agent_stream.h"
#include "vm/qemu_cmd.h"

struct session_opts {
	struct qemu_config *qemu;	/* the pipes and QMP socket are set here */
	const char *work_dir;		/* private: FIFOs and the QMP socket */
	const char *console_log;	/* console bytes are appended here */
	const char *qemu_log;		/* QEMU's own stdout and stderr */
	const struct agent_plan *plan;
	/* Seconds of guest silence allowed right now. */
	unsigned int (*watchdog_s)(void *arg);
	/* When to cut the power (SIGKILL QEMU, no shutdown), as mono_ms();
	 * 0: not now. NULL: never. */
	long (*cut_at_ms)(void *arg);
	agent_event_fn on_event;
	void (*on_console_line)(const char *line, void *arg);
	void *arg;
	volatile sig_atomic_t *interrupted;
};

struct session_result {
	bool started;		/* QEMU ran (it may still have failed) */
	int status;		/* QEMU's exit status, or 128+signal */
	bool watchdog;		/* killed after watchdog_s of silence */
	bool interrupted;	/* killed because the user interrupted */
	bool power_cut;		/* killed because cut_at_ms() said so */
	char *qemu_error;	/* QEMU's last stderr line when it failed */
	long max_rss_kb;	/* QEMU's peak RSS; 0 when unknown (libvirt) */
};

/* 0 when QEMU ran and exited by itself, -1 otherwise (see result). */
int guest_session_run(const struct session_opts *o, struct session_result *r);
void session_result_free(struct session_result *r);

#endif /* DAXTEST_GUEST_SESSION_H */
