/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest-backend interface: one guest boot, from start to end. A
 * backend (QEMU started by daxtest, vm/qemu_backend.c, or a libvirt
 * daemon, vm/libvirt_backend.c) starts the guest, sends it the test plan
 * from inside its event loop, streams the console and the result port
 * to the caller (vm/session_io.c) until the guest ends, and says how it
 * ended. The guest never outlives the call.
 */
#ifndef DAXTEST_BACKEND_H
#define DAXTEST_BACKEND_H

#include <signal.h>
#include <stdbool.h>

#include "parse/agent_stream.h"
#include "vm/qemu_cmd.h"

/* What starts the guests: QEMU directly, or a libvirt daemon. */
enum backend {
	BACKEND_QEMU,
	BACKEND_LIBVIRT,
};

struct session_opts {
	struct qemu_config *qemu;	/* the pipes and QMP socket are set here */
	const char *uri;		/* libvirt: the connection; NULL: default */
	const char *work_dir;		/* private: FIFOs and the QMP socket */
	const char *console_log;	/* console bytes are appended here */
	const char *qemu_log;		/* QEMU's own stdout and stderr */
	const struct agent_plan *plan;	/* NULL: none (a snapshot's boot) */
	/* Seconds of guest silence allowed right now. */
	unsigned int (*watchdog_s)(void *arg);
	/* When to cut the power (SIGKILL QEMU, no shutdown), as mono_ms();
	 * 0: not now. NULL: never. */
	long (*cut_at_ms)(void *arg);
	/*
	 * Restore the guest instead of booting it (QEMU backend; qemu has
	 * ram_path and incoming set): the device state file of its
	 * snapshot (vm/snapshot.h). NULL: boot.
	 */
	const char *restore_state;
	/*
	 * Take a snapshot (QEMU backend, no plan): once save_now() says
	 * so, the guest's device state goes to save_state and QEMU quits
	 * (r->saved). NULL: never.
	 */
	const char *save_state;
	bool (*save_now)(void *arg);
	agent_event_fn on_event;
	void (*on_console_line)(const char *line, void *arg);
	void *arg;
	volatile sig_atomic_t *interrupted;
};

/* How a guest ended. Only GUEST_EXITED and GUEST_KILLED are the guest's
 * (or the host's) doing; the others are daxtest's decision or failure. */
enum guest_end {
	GUEST_NOT_STARTED,	/* the backend could not start it (logged) */
	GUEST_EXITED,		/* QEMU exited by itself: exit_status */
	GUEST_WATCHDOG,		/* stopped after watchdog_s() of silence */
	GUEST_POWER_CUT,	/* stopped because cut_at_ms() said so */
	GUEST_INTERRUPTED,	/* stopped because the user interrupted */
	GUEST_KILLED,		/* a signal daxtest did not send ended QEMU */
	GUEST_IO_ERROR,		/* daxtest could not follow it: error */
	GUEST_NOT_RESTORED,	/* QEMU could not restore the snapshot: error */
};

struct session_result {
	enum guest_end end;
	int exit_status;	/* GUEST_EXITED: QEMU's exit status */
	int signal;		/* GUEST_KILLED: the signal, 0 when unknown */
	char *error;		/* why, in a line: QEMU's last stderr line when
				 * it exited non-zero, libvirt's reason, or the
				 * I/O error; NULL when there is nothing to say */
	long max_rss_kb;	/* QEMU's peak RSS; 0 when unknown (libvirt) */
	bool saved;		/* save_state was written */
};

struct guest_backend {
	const char *name;
	/* Boots the guest of o and follows it until it ends (r->end). */
	void (*run)(const struct session_opts *o, struct session_result *r);
};

extern const struct guest_backend qemu_backend;
extern const struct guest_backend libvirt_backend;

const struct guest_backend *guest_backend(enum backend b);
/* "exited", "watchdog", ... */
const char *guest_end_name(enum guest_end e);
/* Sets r->end = e, with an error line (printf-style; NULL: none) that
 * is kept only when r has none yet. */
void session_result_set(struct session_result *r, enum guest_end e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void session_result_free(struct session_result *r);

#endif /* DAXTEST_BACKEND_H */
