// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt_backend.c - run one guest as a transient libvirt domain
 *
 * The console (a pty) and the result port (a unix socket) reach daxtest
 * as non-blocking streams through the daemon. libvirt's client moves
 * stream data and events only while an event loop runs; it runs in a
 * thread of its own, started once (libvirt's event loop is per process,
 * so guests run in parallel threads share it), and this file polls the
 * streams.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "vm/backend.h"
#include "vm/libvirt_backend.h"
#include "vm/libvirt_xml.h"
#include "lib/log.h"
#include "proto/agent_proto.h"
#include "vm/session_io.h"

#define POLL_MS		20
/* After the domain stopped: how long the streams may take to deliver
 * what the guest wrote last. */
#define EOF_GRACE_MS	3000

static void nap(int ms)
{
	poll(NULL, 0, ms);
}

static pthread_once_t event_loop_once = PTHREAD_ONCE_INIT;
static int event_loop_err;

static void quiet_errors(void *arg, virErrorPtr err)
{
	/* Reported once, with context, by whoever called libvirt. */
}

static void *event_loop(void *arg)
{
	for (;;)
		if (virEventRunDefaultImpl() < 0)
			nap(100);
	return NULL;
}

static void event_loop_start(void)
{
	pthread_t t;

	virSetErrorFunc(NULL, quiet_errors);
	if (virInitialize() < 0 || virEventRegisterDefaultImpl() < 0 ||
	    pthread_create(&t, NULL, event_loop, NULL) != 0) {
		event_loop_err = -1;
		return;
	}
	pthread_detach(t);
}

/* Set from the event loop thread; libvirt frees it once the callback is
 * gone (it may still run while this file deregisters it). */
struct lv_events {
	atomic_bool stopped;
	atomic_int detail;	/* VIR_DOMAIN_EVENT_STOPPED_* */
};

static int on_lifecycle(virConnectPtr conn, virDomainPtr dom, int event, int detail,
			void *opaque)
{
	struct lv_events *ev = opaque;

	if (event == VIR_DOMAIN_EVENT_STOPPED) {
		atomic_store(&ev->detail, detail);
		atomic_store(&ev->stopped, true);
	}
	return 0;
}

struct lv {
	const struct session_opts *o;
	const char *uri;
	char *name;
	virConnectPtr conn;
	virDomainPtr dom;
	virStreamPtr console, channel;
	struct lv_events *ev;
	int callback;
	bool console_eof, channel_eof;
	char *plan;
	size_t plan_len, plan_sent;
	struct session_io io;
};

static const char *lv_error(void)
{
	const char *msg = virGetLastErrorMessage();

	return msg ? msg : "unknown error";
}

/* libvirt rounds NVDIMMs up to 2 MiB and QEMU wants the backing file
 * that size: grow ours (sparse) to match. A remote host's files are its
 * own business. */
static int fit_backing_files(const struct qemu_config *q)
{
	unsigned int i;

	for (i = 0; i < q->nr_nvdimms; i++) {
		unsigned long long want = libvirt_memory_size(q->nvdimms[i].size);
		struct stat st;

		if (stat(q->nvdimms[i].path, &st) < 0 || (unsigned long long)st.st_size >= want)
			continue;
		if (truncate(q->nvdimms[i].path, (off_t)want) < 0) {
			log_error("cannot grow %s to %llu bytes for libvirt: %s",
				  q->nvdimms[i].path, want, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static char *domain_xml(const struct lv *l, const struct qemu_config *q)
{
	struct libvirt_guest g = {
		.qemu = q, .name = l->name, .uid = getuid(), .gid = getgid(),
	};
	char *xml = libvirt_xml_build(&g);

	if (!xml)
		log_error("invalid guest description for libvirt (a path with a control character?)");
	return xml;
}

static void log_to_qemu_log(const struct lv *l, const char *xml)
{
	FILE *f = fopen(l->o->qemu_log, "ae");

	if (!f)
		return;
	fprintf(f, "libvirt: domain %s on %s (QEMU's own log: "
		"/var/log/libvirt/qemu/%s.log on that host)\n%s", l->name, l->uri, l->name, xml);
	fclose(f);
}

static virDomainPtr create(struct lv *l, const struct qemu_config *q)
{
	unsigned int flags = VIR_DOMAIN_START_PAUSED | VIR_DOMAIN_START_AUTODESTROY;
	char *xml = domain_xml(l, q);
	virDomainPtr dom;

	if (!xml)
		return NULL;
	log_debug("libvirt domain:\n%s", xml);
	log_to_qemu_log(l, xml);
	dom = virDomainCreateXML(l->conn, xml, flags);
	free(xml);
	return dom;
}

/*
 * libvirt 9.0 cannot start a domain with a virtio-pmem device
 * ("virtio-pmem memory device info is not handled yet"): then the guest
 * boots without it (the tests that need it skip), and, as every daemon of
 * a run is taken to be alike, the later guests of this process too.
 */
static atomic_bool no_virtio_pmem;

/* Starts the domain paused. */
static int start_domain(struct lv *l)
{
	struct qemu_config q = *l->o->qemu;

	if (fit_backing_files(&q) < 0)
		return -1;
	if (atomic_load(&no_virtio_pmem))
		q.virtio_pmem.path = NULL;
	l->dom = create(l, &q);
	if (!l->dom && q.virtio_pmem.path && strstr(lv_error(), "virtio-pmem")) {
		log_info("libvirt on %s cannot start a guest with virtio-pmem (%s): its guests boot without it",
			 l->uri, lv_error());
		atomic_store(&no_virtio_pmem, true);
		q.virtio_pmem.path = NULL;
		l->dom = create(l, &q);
	}
	if (!l->dom) {
		log_error("libvirt: cannot start domain %s on %s: %s", l->name, l->uri, lv_error());
		return -1;
	}
	return 0;
}

static int open_streams(struct lv *l)
{
	l->console = virStreamNew(l->conn, VIR_STREAM_NONBLOCK);
	l->channel = virStreamNew(l->conn, VIR_STREAM_NONBLOCK);
	if (!l->console || !l->channel) {
		log_error("libvirt: cannot create streams: %s", lv_error());
		return -1;
	}
	if (virDomainOpenConsole(l->dom, NULL, l->console, VIR_DOMAIN_CONSOLE_FORCE) < 0) {
		log_error("libvirt: cannot open the console of %s: %s", l->name, lv_error());
		return -1;
	}
	if (virDomainOpenChannel(l->dom, DAXTEST_PORT_NAME, l->channel,
				 VIR_DOMAIN_CHANNEL_FORCE) < 0) {
		log_error("libvirt: cannot open channel %s of %s: %s", DAXTEST_PORT_NAME,
			  l->name, lv_error());
		return -1;
	}
	return 0;
}

static int watch_lifecycle(struct lv *l)
{
	l->ev = calloc(1, sizeof(*l->ev));
	if (!l->ev)
		return -1;
	l->callback = virConnectDomainEventRegisterAny(l->conn, l->dom,
						       VIR_DOMAIN_EVENT_ID_LIFECYCLE,
						       VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle),
						       l->ev, free);
	if (l->callback < 0) {
		free(l->ev);
		l->ev = NULL;
		log_error("libvirt: cannot watch domain %s: %s", l->name, lv_error());
		return -1;
	}
	return 0;
}

/* Reads what a stream has; returns bytes read, -1 at its end or error. */
static int drain(struct lv *l, virStreamPtr st, bool console)
{
	char buf[16384];
	int n, total = 0;

	for (;;) {
		n = virStreamRecv(st, buf, sizeof(buf));
		if (n == -2)
			return total;
		if (n <= 0)
			return total ? total : -1;
		total += n;
		if (console)
			session_io_console(&l->io, buf, n);
		else
			session_io_result(&l->io, buf, n);
	}
}

/* Both streams, once each. True when something arrived. */
static bool drain_all(struct lv *l)
{
	bool got = false;
	int n;

	if (!l->console_eof) {
		n = drain(l, l->console, true);
		l->console_eof = n < 0;
		got |= n > 0;
	}
	if (!l->channel_eof) {
		n = drain(l, l->channel, false);
		l->channel_eof = n < 0;
		got |= n > 0;
	}
	return got;
}

static bool stopped(const struct lv *l)
{
	return atomic_load(&l->ev->stopped) || (l->console_eof && l->channel_eof);
}

/* The plan goes out as the guest takes it. -1 when the channel failed
 * (r says so). */
static int send_plan(struct lv *l, struct session_result *r)
{
	while (l->plan_sent < l->plan_len) {
		int n = virStreamSend(l->channel, l->plan + l->plan_sent,
				      l->plan_len - l->plan_sent);

		if (n == -2)
			return 0;
		if (n <= 0 && (stopped(l) || l->channel_eof || virDomainIsActive(l->dom) != 1)) {
			/* It died with the plan half sent: its console
			 * says why, not the failed send. */
			l->plan_sent = l->plan_len;
			return 0;
		}
		if (n <= 0) {
			session_result_set(r, GUEST_IO_ERROR,
					   "libvirt: cannot send the test plan to %s: %s",
					   l->name, lv_error());
			return -1;
		}
		l->plan_sent += n;
	}
	return 0;
}

/* 0 when the domain stopped by itself, -1 when it is to be destroyed
 * (r->end says why). */
static int pump_until_stopped(struct lv *l, struct session_result *r)
{
	for (;;) {
		int wait_ms;

		if (session_io_check(&l->io, r, &wait_ms))
			return -1;
		if (send_plan(l, r) < 0)
			return -1;
		if (drain_all(l))
			continue;
		if (stopped(l))
			return 0;
		nap(wait_ms < POLL_MS ? wait_ms : POLL_MS);
	}
}

/* What the guest wrote last may still be on its way. */
static void drain_after_stop(struct lv *l)
{
	long end = mono_ms() + EOF_GRACE_MS;

	while (!(l->console_eof && l->channel_eof) && mono_ms() < end)
		if (!drain_all(l))
			nap(POLL_MS);
	log_debug("libvirt: %s stopped; streams %s after %ld ms", l->name,
		  l->console_eof && l->channel_eof ? "ended" : "still open",
		  mono_ms() - end + EOF_GRACE_MS);
}

/* Both streams ended: the STOPPED event may still be on its way. True
 * when it came, or when the domain is gone; false when it still runs
 * (daxtest lost its streams: a daemon restart, a dropped connection). */
static bool wait_stopped_event(struct lv *l)
{
	long end = mono_ms() + EOF_GRACE_MS;

	while (!atomic_load(&l->ev->stopped) && mono_ms() < end)
		nap(POLL_MS);
	return atomic_load(&l->ev->stopped) || virDomainIsActive(l->dom) != 1;
}

/* The daemon's word on how the domain stopped. */
static void stop_status(struct lv *l, struct session_result *r)
{
	int detail;

	if (!wait_stopped_event(l)) {
		session_result_set(r, GUEST_IO_ERROR,
				   "libvirt: the streams of domain %s ended while it still runs",
				   l->name);
		return;
	}
	detail = atomic_load(&l->ev->detail);
	if (!atomic_load(&l->ev->stopped) || detail == VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN) {
		/* Gone without an event: ended by itself. */
		r->end = GUEST_EXITED;
		return;
	}
	if (detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED) {
		session_result_set(r, GUEST_KILLED, "libvirt: domain %s was destroyed by someone else",
				   l->name);
		return;
	}
	r->exit_status = 1;
	session_result_set(r, GUEST_EXITED, "libvirt stopped domain %s: %s", l->name,
			   detail == VIR_DOMAIN_EVENT_STOPPED_CRASHED ? "the guest crashed" :
			   detail == VIR_DOMAIN_EVENT_STOPPED_FAILED ? "QEMU failed" : "stopped");
}

/* No shutdown: QEMU is killed (SIGTERM, then SIGKILL), the guest's
 * caches are lost, the backing files keep what reached them. */
static void destroy(struct lv *l)
{
	if (!l->dom)
		return;
	if (virDomainDestroy(l->dom) < 0 && virDomainIsActive(l->dom) == 1)
		log_error("libvirt: cannot destroy domain %s on %s: %s", l->name, l->uri,
			  lv_error());
	virDomainFree(l->dom);
	l->dom = NULL;
}

static void close_stream(virStreamPtr st)
{
	if (!st)
		return;
	virStreamAbort(st);
	virStreamFree(st);
}

static void lv_close(struct lv *l)
{
	destroy(l);
	close_stream(l->console);
	close_stream(l->channel);
	if (l->callback >= 0 && l->conn)
		virConnectDomainEventDeregisterAny(l->conn, l->callback);
	if (l->conn)
		virConnectClose(l->conn);
	session_io_close(&l->io);
	free(l->plan);
	free(l->name);
}

static char *domain_name(const char *work_dir)
{
	const char *base = strrchr(work_dir, '/');

	base = base ? base + 1 : work_dir;
	return strncmp(base, "daxtest-", 8) ? str_printf("daxtest-%s", base) : strdup(base);
}

/* 0 when the domain runs; -1 with r->end GUEST_NOT_STARTED (nothing
 * ran) or GUEST_IO_ERROR (it started, then daxtest lost it). */
static int lv_open(struct lv *l, struct session_result *r)
{
	if (pthread_once(&event_loop_once, event_loop_start) != 0 || event_loop_err) {
		log_error("libvirt: cannot start its event loop: %s", lv_error());
		return -1;
	}
	l->name = domain_name(l->o->work_dir);
	if (!l->name || agent_plan_text(l->o->plan, &l->plan, &l->plan_len) < 0) {
		log_error("cannot write the test plan for the guest");
		return -1;
	}
	if (session_io_open(&l->io, l->o) < 0)
		return -1;
	l->conn = virConnectOpen(l->uri);
	if (!l->conn) {
		log_error("libvirt: cannot connect to %s: %s", l->uri, lv_error());
		return -1;
	}
	if (start_domain(l) < 0)
		return -1;
	if (watch_lifecycle(l) < 0 || open_streams(l) < 0) {
		session_result_set(r, GUEST_IO_ERROR, "libvirt: cannot follow domain %s", l->name);
		return -1;
	}
	if (virDomainResume(l->dom) < 0) {
		session_result_set(r, GUEST_IO_ERROR, "libvirt: cannot resume domain %s: %s",
				   l->name, lv_error());
		return -1;
	}
	return 0;
}

static void libvirt_backend_run(const struct session_opts *o, struct session_result *r)
{
	struct lv l = { .o = o, .uri = o->uri ? o->uri : LIBVIRT_DEFAULT_URI, .callback = -1,
			.io = { .console_log = -1 } };

	memset(r, 0, sizeof(*r));
	r->end = GUEST_NOT_STARTED;
	if (lv_open(&l, r) < 0)
		goto out;
	if (pump_until_stopped(&l, r) < 0) {
		destroy(&l);
		goto out;
	}
	drain_after_stop(&l);
	session_io_finish(&l.io);
	stop_status(&l, r);
out:
	lv_close(&l);
}

const struct guest_backend libvirt_backend = {
	.name = "libvirt",
	.run = libvirt_backend_run,
};
