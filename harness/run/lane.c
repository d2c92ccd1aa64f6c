// SPDX-License-Identifier: GPL-2.0
/*
 * lane.c - boot guests for the shards a lane takes, follow the agent's
 * events, and judge each test
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "parse/agent_stream.h"
#include "lib/clock.h"
#include "lib/fsutil.h"
#include "vm/backend.h"
#include "vm/guest.h"
#include "build/image_build.h"
#include "run/lane.h"
#include "lib/log.h"
#include "run/verdict.h"

#define BETWEEN_TESTS_WATCHDOG_S 120
#define TEST_GRACE_S		30

static int append_text(char **buf, size_t *len, const char *text)
{
	size_t n = strlen(text);
	char *p = realloc(*buf, *len + n + 2);

	if (!p)
		return -1;
	memcpy(p + *len, text, n);
	p[*len + n] = '\n';
	p[*len + n + 1] = '\0';
	*buf = p;
	*len += n + 1;
	return 0;
}

static int append_line(char ***v, size_t *nr, const char *text)
{
	char **p = realloc(*v, (*nr + 1) * sizeof(*p));

	if (!p)
		return -1;
	*v = p;
	p[*nr] = strdup(text);
	if (!p[*nr])
		return -1;
	(*nr)++;
	return 0;
}

static void move_findings(struct kfinding **dst, size_t *nr_dst,
			  struct kfinding *src, size_t nr_src)
{
	struct kfinding *p;
	size_t i;

	if (!nr_src)
		return;
	p = realloc(*dst, (*nr_dst + nr_src) * sizeof(*p));
	if (!p) {
		for (i = 0; i < nr_src; i++)
			kfinding_free(&src[i]);
		return;
	}
	memcpy(p + *nr_dst, src, nr_src * sizeof(*p));
	*dst = p;
	*nr_dst += nr_src;
}

/* Marks the console findings from mark on as having happened during a
 * test, so they are not reported again as outside any test. */
static void claim_console_findings(struct lane *r, size_t mark)
{
	size_t i;
	bool *p;

	if (r->console.nr_findings > r->nr_claimed) {
		p = realloc(r->claimed, r->console.nr_findings * sizeof(*p));
		if (!p)
			return;
		memset(p + r->nr_claimed, 0, (r->console.nr_findings - r->nr_claimed) * sizeof(*p));
		r->claimed = p;
		r->nr_claimed = r->console.nr_findings;
	}
	for (i = mark; i < r->console.nr_findings; i++)
		r->claimed[i] = true;
}

/* Console findings since mark, copied (the console watch keeps its own). */
static void copy_console_findings(struct lane *r, size_t mark, struct test_result *t)
{
	size_t i;

	for (i = mark; i < r->console.nr_findings; i++) {
		const struct kfinding *f = &r->console.findings[i];
		struct kfinding copy = { .kind = f->kind, .title = strdup(f->title) };

		if (!copy.title)
			return;
		move_findings(&t->findings, &t->nr_findings, &copy, 1);
	}
}

/* The timeout the agent enforces for test idx: --timeout, else its
 * area's settings. */
static unsigned int test_timeout(const struct lane *l, size_t idx)
{
	const struct run_state *s = l->run;

	return s->req->timeout_s ? s->req->timeout_s : s->prep.catalog.tests[idx].timeout_s;
}

static const struct test_def *test_def(const struct lane *l, size_t idx)
{
	return &l->run->prep.catalog.tests[idx];
}

/* A power-fail test's prepare phase must end in a power cut: if it ended
 * by itself, it never reached its checkpoint (or finished its workload
 * before a random cut). The verify phase's log gets the prepare phase's
 * in front of it. */
static void judge_phase(struct lane *l, size_t idx, struct test_result *t)
{
	const char *phase = powercut_phase(&l->pc, test_def(l, idx), idx);
	char *why;

	if (!phase)
		return;
	if (!strcmp(phase, "verify")) {
		if (powercut_merge_log(&l->pc, idx, t) < 0)
			log_error("out of memory for the log of %s", t->name);
		/* A failure names the crash image it came from. */
		if (test_status_failed(t->status) && l->image_note[idx]) {
			why = str_printf("%s [%s]", t->reason ? t->reason : "failed",
					 l->image_note[idx]);
			if (why) {
				free(t->reason);
				t->reason = why;
			}
		}
		return;
	}
	l->pc.cut_at_ms = 0;
	if (t->status == TEST_SKIP)
		return;
	why = str_printf("prepare phase ended by itself (%s), before the power cut it exists for",
			 t->status == TEST_PASS ? "no checkpoint reached" : (t->reason ? t->reason : "failed"));
	t->status = TEST_FAIL;
	free(t->reason);
	t->reason = why;
}

/* The kernel reports while the current test ran become its findings. The
 * agent's dmesg is exact; the console is the fallback when it missed a
 * report. */
static void take_test_findings(struct lane *l, struct test_result *t)
{
	struct kfinding *f;
	size_t nr;

	f = console_watch_take(&l->test_watch, &nr);
	move_findings(&t->findings, &t->nr_findings, f, nr);
	free(f);
	console_watch_free(&l->test_watch);
	if (!t->nr_findings)
		copy_console_findings(l, l->console_mark, t);
	claim_console_findings(l, l->console_mark);
}

static struct test_result *current_test(struct lane *l)
{
	return l->current >= 0 ? &l->run->report.tests[l->current] : NULL;
}

/* The cut of test t (index idx) left the NVDIMM files as QEMU wrote
 * them: turns them into the case's crash image, and says what was lost
 * in t's log. */
static void make_crash_image(struct lane *l, size_t idx, struct test_result *t)
{
	const struct run_state *s = l->run;
	struct crash_cut_image img = {
		.kind = test_def(l, idx)->crash_image ? CRASH_MODEL_SAMPLED : CRASH_MODEL_STRICT,
		.seed = s->seed, .image = test_def(l, idx)->crash_image,
		.asked = s->req->crash_model.kind != CRASH_MODEL_AUTO,
	};
	char *log = NULL, msg[600];
	int ret;

	free(l->image_note[idx]);
	ret = crash_cut_apply(&l->cut, &l->work, &s->guest, &img, &s->sysmap, &log,
			      &l->image_note[idx]);
	if (log && append_text(&t->output, &t->output_len, log) < 0)
		log_error("out of memory for the log of %s", t->name);
	if (ret < 0) {
		snprintf(msg, sizeof(msg), "%s%s: %s", l->tag, t->name,
			 log ? log + strlen("# daxtest: ") : "no crash image (out of memory)");
		str_rstrip(msg);
		run_state_fail(l->run, msg);
		ret = CRASH_MODEL_NONE;
	} else if (ret == CRASH_MODEL_NONE) {
		log_error("%s%s: %s", l->tag, t->name, log ? log + strlen("# daxtest: ") : "");
	}
	l->verify_model[idx] = (enum crash_model_kind)ret;
	free(log);
}

/* The power was cut during the test that ran: its prepare phase is over. */
static void after_power_cut(struct lane *l)
{
	struct test_result *t = current_test(l);

	if (l->modelled)
		make_crash_image(l, (size_t)l->current, t);
	take_test_findings(l, t);
	if (powercut_done(&l->pc, (size_t)l->current, t) < 0)
		log_error("out of memory for the log of %s", t->name);
	progress_test_pauses(&l->run->progress);
	l->current = -1;
}

static void on_begin(struct lane *l, const struct agent_event *ev)
{
	size_t idx = l->first + ev->index - 1;

	if (ev->index < 1 || idx >= l->end ||
	    strcmp(ev->text, l->run->report.tests[idx].name)) {
		log_error("%sguest agent began an unplanned test '%s' (%d)", l->tag, ev->text,
			  ev->index);
		l->stream_bad = true;
		return;
	}
	run_state_boot_time(l->run, mono_s() - l->session_t0);
	l->current = (long)idx;
	l->test_t0 = mono_s();
	l->console_mark = l->console.nr_findings;
	console_watch_init(&l->test_watch);
	run_state_test_begins(l->run, idx);
}

static void on_end(struct lane *l, const struct agent_event *ev)
{
	struct test_result *t;
	size_t idx;

	if (l->current < 0 || (size_t)l->current != l->first + ev->index - 1) {
		log_error("%sguest agent ended test %d, which was not running", l->tag, ev->index);
		l->stream_bad = true;
		return;
	}
	idx = (size_t)l->current;
	t = current_test(l);
	t->seconds = mono_s() - l->test_t0;
	take_test_findings(l, t);
	verdict_judge(t, ev, test_timeout(l, idx));
	judge_phase(l, idx, t);
	known_apply(&l->run->known, t);
	l->current = -1;
	l->ended++;
	run_state_test_done(l->run, idx);
}

static void on_event(const struct agent_event *ev, void *arg)
{
	struct lane *l = arg;
	struct test_result *t = current_test(l);

	switch (ev->kind) {
	case AGENT_HELLO:
		l->hello = true;
		log_debug("%sguest: agent up %ld ms after kernel start", l->tag, ev->value);
		break;
	case AGENT_PREPARED:
		log_debug("%sguest: prepared, waiting for the plan %ld ms after hello",
			  l->tag, ev->value);
		break;
	case AGENT_READY:
		l->ready = true;
		log_debug("%sguest: modules, plan and namespaces ready %ld ms after hello",
			  l->tag, ev->value);
		break;
	case AGENT_BEGIN:
		on_begin(l, ev);
		break;
	case AGENT_OUT:
		if (t && append_text(&t->output, &t->output_len, ev->text) < 0)
			log_error("out of memory for test output");
		if (t)
			powercut_on_line(&l->pc, test_def(l, (size_t)l->current),
					 (size_t)l->current, ev->text,
					 (long)((mono_s() - l->test_t0) * 1000));
		break;
	case AGENT_DMESG:
		if (t) {
			append_line(&t->dmesg, &t->nr_dmesg, ev->text);
			console_watch_line(&l->test_watch, ev->text);
		}
		break;
	case AGENT_END:
		on_end(l, ev);
		break;
	case AGENT_LOG:
		log_debug("%sguest: %s", l->tag, ev->text);
		break;
	case AGENT_ERROR:
		free(l->agent_error);
		l->agent_error = strdup(ev->text);
		log_info("%sguest agent: %s", l->tag, ev->text);
		break;
	case AGENT_BYE:
		l->bye = true;
		break;
	case AGENT_BAD:
		log_error("%sgarbage on the result port: '%.80s'", l->tag, ev->text);
		l->stream_bad = true;
		break;
	}
}

static void on_console_line(const char *line, void *arg)
{
	struct lane *l = arg;

	console_watch_line(&l->console, line);
}

static unsigned int watchdog_s(void *arg)
{
	struct lane *l = arg;

	if (!l->hello)
		return l->run->req->boot_timeout_s;
	if (l->current >= 0)
		return test_timeout(l, (size_t)l->current) + TEST_GRACE_S;
	return BETWEEN_TESTS_WATCHDOG_S;
}

static long cut_at_ms(void *arg)
{
	struct lane *l = arg;

	return l->pc.cut_at_ms;
}

static bool alone(const struct test_def *t)
{
	return t->own_guest || t->powerfail;
}

/* How many tests from l->first on share the next guest: a test that
 * wants a guest of its own (guest=own) runs alone, and so does a
 * power-fail test's prepare phase, whose guest the power cut ends. A
 * verify phase shares its guest with the next case's prepare phase:
 * one boot per case instead of two. */
static size_t session_size(const struct lane *l)
{
	const struct test_def *t = l->run->prep.catalog.tests;
	size_t i = l->first, end = l->end;

	if (i < end && t[i].powerfail && l->pc.verify[i] && i + 1 < end &&
	    t[i + 1].powerfail && !l->pc.verify[i + 1])
		return 2;
	if (i < end && alone(&t[i]))
		return 1;
	/* A peer suite's tests run in guests of their own kind. */
	while (i < end && !alone(&t[i]) && test_def_same_suite(&t[l->first], &t[i]))
		i++;
	return i - l->first;
}

/* Plan for the next guest: the tests from l->first on that share it. */
static int build_plan(struct lane *l, struct agent_plan *plan,
		      struct agent_plan_test **tests, char ***paths)
{
	size_t n = session_size(l), i;

	*tests = calloc(n + 1, sizeof(**tests));
	*paths = calloc(n + 1, sizeof(**paths));
	if (!*tests || !*paths)
		return -1;
	for (i = 0; i < n; i++) {
		const struct test_def *d = test_def(l, l->first + i);

		(*paths)[i] = d->exec ? strdup(d->exec) :
			str_printf("%s/%s", IMAGE_TESTS_DIR, d->program);
		if (!(*paths)[i])
			return -1;
		(*tests)[i].name = d->name;
		(*tests)[i].cell = d->cell;
		(*tests)[i].run = d->run;
		(*tests)[i].phase = powercut_phase(&l->pc, d, l->first + i);
		(*tests)[i].path = (*paths)[i];
		(*tests)[i].timeout_s = test_timeout(l, l->first + i);
	}
	plan->tests = *tests;
	plan->nr_tests = n;
	plan->env = l->env_v;
	plan->nr_env = 0;
	if (l->run->prep.catalog.tests[l->first].powerfail) {
		/* What the first case's verify phase sees, or the run's model. */
		enum crash_model_kind k = l->pc.verify[l->first] && l->verify_model[l->first] ?
			l->verify_model[l->first] : l->run->crash_model.kind;

		l->env = str_printf("DAXTEST_CRASH_MODEL=%s", crash_model_name(k));
		if (!l->env)
			return -1;
		l->env_v[plan->nr_env++] = l->env;
	}
	if (l->run->prep.suite_env)
		l->env_v[plan->nr_env++] = l->run->prep.suite_env;
	return 0;
}

/* NDCTL_GUEST_MEM_MB (lane.h): 2 GiB from 1 GiB on (QEMU's pc machine
 * puts what is above 3 GiB above 4 GiB). */
#define NDCTL_GUEST_CMDLINE	GUEST_CMDLINE " memmap=2G!1G"

static bool ndctl_session(const struct agent_plan *plan, const struct lane *l)
{
	const struct test_def *d = test_def(l, l->first);

	return plan->nr_tests && d->suite && !strcmp(d->suite, "ndctl");
}

/* The persistence plugin goes into a guest that runs a prepare phase,
 * whose cut then leaves a crash image. */
static int model_session(struct lane *l, const struct agent_plan *plan, struct qemu_config *q)
{
	size_t i;

	l->modelled = false;
	if (!l->run->plugin)
		return 0;
	for (i = 0; i < plan->nr_tests; i++)
		if (plan->tests[i].phase && !strcmp(plan->tests[i].phase, "prepare"))
			l->modelled = true;
	if (!l->modelled)
		return 0;
	if (!l->cut.plugin_arg && crash_cut_init(&l->cut, l->run->plugin, &l->work) < 0)
		return -1;
	crash_cut_configure(&l->cut, q);
	return 0;
}

static void free_plan(struct lane *l, struct agent_plan_test *tests, char **paths)
{
	size_t i;

	free(l->env);
	l->env = NULL;
	for (i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
	free(tests);
}

/*
 * Whether the session's guest is restored from the run's snapshot, not
 * booted; if so, sets up q, the lane's backing files (the snapshot's,
 * or the cut's for a verify phase) and the plan's "restored" record.
 * Peer-suite guests (the host share, ndctl's memory map) always boot.
 */
static bool restore_session(struct lane *l, struct agent_plan *plan, struct qemu_config *q,
			    struct agent_plan_restore *rs)
{
	struct run_state *s = l->run;
	const struct test_def *d = test_def(l, l->first);
	bool verify = d->powerfail && l->pc.verify[l->first];
	struct timespec now;
	char why[300];
	int e;

	if (!run_state_snapshot_on(s) || q->host_share || ndctl_session(plan, l))
		return false;
	e = snapshot_restore_files(&s->snapshot, &l->work, verify);
	if (e < 0) {
		snprintf(why, sizeof(why), "cannot copy its backing files into %s: %s",
			 l->work.path, strerror(-e));
		run_state_snapshot_off(s, why, false);
		return false;
	}
	memset(rs, 0, sizeof(*rs));
	clock_gettime(CLOCK_REALTIME, &now);
	rs->sec = now.tv_sec;
	rs->nsec = now.tv_nsec;
	rs->files_changed = verify && !s->snapshot_stale;
	if (getrandom(rs->seed, sizeof(rs->seed), 0) != (ssize_t)sizeof(rs->seed)) {
		run_state_snapshot_off(s, "getrandom() failed: no seed for a restored guest", false);
		return false;
	}
	snapshot_restore_config(&s->snapshot, q);
	plan->restore = rs;
	return true;
}

/* The first console finding's title, or NULL. */
static const char *console_cause(const struct lane *l, size_t mark)
{
	return l->console.nr_findings > mark ? l->console.findings[mark].title : NULL;
}

/* The current test took its guest down (or the guest stopped
 * answering): it crashed, the rest of the session goes on in a fresh
 * guest. */
static int test_crashed(struct lane *l, const struct session_result *s)
{
	struct test_result *t = current_test(l);
	const char *cause = console_cause(l, l->console_mark);
	size_t idx = (size_t)l->current;
	char msg[512];

	t->status = TEST_CRASH;
	t->seconds = mono_s() - l->test_t0;
	copy_console_findings(l, l->console_mark, t);
	claim_console_findings(l, l->console_mark);
	if (s->end == GUEST_WATCHDOG)
		snprintf(msg, sizeof(msg), "the guest stopped responding (no output for %u s)",
			 watchdog_s(l));
	else
		snprintf(msg, sizeof(msg), "the guest died: %s",
			 cause ? cause : "QEMU exited during the test");
	test_set_reason(t, "%s", msg);
	console_watch_free(&l->test_watch);
	l->first = idx + 1;
	l->current = -1;
	run_state_test_done(l->run, idx);
	return l->first < l->end ? 1 : 0;
}

/* The guest never got to its first test: why, as one line. */
static void boot_failure(struct lane *l, const struct session_result *s,
			 size_t console_mark_at_boot, char *msg, size_t len)
{
	const char *cause = console_cause(l, console_mark_at_boot);

	if (s->end == GUEST_EXITED && s->exit_status != 0 && s->error)
		snprintf(msg, len, "%sQEMU failed: %s", l->tag, s->error);
	else if (cause)
		snprintf(msg, len, "%sthe kernel did not boot: %s", l->tag, cause);
	else
		snprintf(msg, len, "%sthe guest never reached the agent%s (see %s)", l->tag,
			 s->end == GUEST_WATCHDOG ? " within the boot timeout" : "",
			 l->console_log);
}

/* The guest ended in a way that stops the run: not the guest's doing
 * (QEMU killed from outside, or daxtest lost the guest's streams). The
 * running test, if any, says so too. */
static int session_lost(struct lane *l, const struct session_result *s)
{
	char msg[600];

	if (s->end == GUEST_KILLED && s->signal)
		snprintf(msg, sizeof(msg), "%sQEMU was killed by signal %d (SIG%s) from outside daxtest%s%s",
			 l->tag, s->signal, sigabbrev_np(s->signal) ? sigabbrev_np(s->signal) : "?",
			 s->error ? ": " : "", s->error ? s->error : "");
	else if (s->end == GUEST_KILLED)
		snprintf(msg, sizeof(msg), "%sQEMU was stopped from outside daxtest: %s", l->tag,
			 s->error ? s->error : "no reason given");
	else
		snprintf(msg, sizeof(msg), "%sdaxtest lost the guest: %s", l->tag,
			 s->error ? s->error : guest_end_name(s->end));
	if (l->current >= 0)
		test_set_reason(current_test(l), "%s", msg);
	run_state_fail(l->run, msg);
	return -1;
}

/*
 * A restored guest that never got to its tests (QEMU refused the state,
 * or the guest did not come back or could not be made fresh): turns the
 * snapshot off, thrown away when QEMU refused it. 1 when so: the same
 * tests again, in a guest that boots.
 */
static int restore_failed(struct lane *l, const struct session_result *s)
{
	char why[600];

	if (s->end == GUEST_NOT_RESTORED) {
		run_state_snapshot_off(l->run, s->error ? s->error : "QEMU could not restore it",
				       true);
		return 1;
	}
	if (!l->restored || l->ready || l->ended || l->current >= 0 ||
	    s->end == GUEST_INTERRUPTED || s->end == GUEST_NOT_STARTED)
		return 0;
	if (l->agent_error)
		snprintf(why, sizeof(why), "the restored guest's agent failed: %s", l->agent_error);
	else
		snprintf(why, sizeof(why), "the restored guest never got ready (%s; see %s)",
			 guest_end_name(s->end), l->console_log);
	run_state_snapshot_off(l->run, why, false);
	return 1;
}

/* After a session: decide whether to go on in a fresh guest. Returns 1
 * to boot again, 0 when the shard is done, -1 when the run cannot go on. */
static int after_session(struct lane *l, const struct session_result *s,
			 size_t console_mark_at_boot)
{
	char msg[600];

	if (restore_failed(l, s))
		return 1;
	switch (s->end) {
	case GUEST_NOT_STARTED:
		run_state_fail(l->run, "QEMU could not be started (see the message above)");
		return -1;
	case GUEST_INTERRUPTED:
		run_state_fail(l->run, "interrupted");
		if (l->current >= 0)
			test_set_reason(current_test(l), "%s", "interrupted");
		return -1;
	case GUEST_IO_ERROR:
		return session_lost(l, s);
	case GUEST_NOT_RESTORED:	/* restore_failed() took it */
		return 1;
	case GUEST_POWER_CUT:
		if (l->current < 0)
			break;
		/* The tests before it in this guest have ended. */
		l->first = (size_t)l->current;
		after_power_cut(l);
		return 1;
	case GUEST_EXITED:
	case GUEST_WATCHDOG:
	case GUEST_KILLED:
		break;
	}
	if (l->bye && l->current < 0 && l->first + l->ended == l->end)
		return 0;
	if (l->agent_error && l->ended && l->current < 0) {
		/* It gave up the guest after a test (a process stuck in the
		 * kernel, say): that test's result says so; the rest goes on
		 * in a fresh guest. */
		l->first += l->ended;
		return l->first < l->end ? 1 : 0;
	}
	if (l->agent_error) {
		snprintf(msg, sizeof(msg), "%sguest agent failed: %s", l->tag, l->agent_error);
		run_state_fail(l->run, msg);
		return -1;
	}
	/* Not by daxtest (its watchdog, power cuts and interrupts say so),
	 * and not the guest (a panic makes QEMU exit): the host, during the
	 * boot or a test. */
	if (s->end == GUEST_KILLED)
		return session_lost(l, s);
	if (!l->hello) {
		boot_failure(l, s, console_mark_at_boot, msg, sizeof(msg));
		run_state_fail(l->run, msg);
		return -1;
	}
	if (l->current >= 0)
		return test_crashed(l, s);
	if (l->ended) {
		l->first += l->ended;
		return l->first < l->end ? 1 : 0;
	}
	snprintf(msg, sizeof(msg), "%sthe guest was lost before any test ran (see %s)", l->tag,
		 l->console_log);
	run_state_fail(l->run, msg);
	return -1;
}

/* One guest: boots it for the next tests of the shard and follows it
 * until it is gone. Returns what after_session() decided. */
static int run_session(struct lane *l, const char *cmdline, bool fresh)
{
	struct agent_plan plan = { 0 };
	struct agent_plan_restore restore;
	struct agent_plan_test *tests = NULL;
	char **paths = NULL;
	struct qemu_config q;
	struct session_result s;
	size_t mark = l->console.nr_findings;
	struct session_opts so = {
		.qemu = &q, .uri = l->uri, .work_dir = l->work.path,
		.console_log = l->console_log, .qemu_log = l->qemu_log,
		.plan = &plan, .watchdog_s = watchdog_s, .cut_at_ms = cut_at_ms,
		.on_event = on_event,
		.on_console_line = on_console_line, .arg = l,
		.interrupted = l->run->interrupted,
	};
	bool restored;
	int next;

	if (build_plan(l, &plan, &tests, &paths) < 0) {
		free_plan(l, tests, paths);
		run_state_fail(l->run, "out of memory");
		return -1;
	}
	guest_qemu_config(&l->run->guest, &l->work, l->run->prep.kernel.bzimage,
			  l->run->prep.image.path, cmdline, &q);
	/* The peer suites' root: the host's tree, read-only. */
	if (l->run->prep.suite_env)
		q.host_share = "/";
	/* ndctl's e820 tests need legacy pmem: RAM the kernel leaves alone. */
	if (ndctl_session(&plan, l)) {
		if (q.mem_mb < NDCTL_GUEST_MEM_MB)
			q.mem_mb = NDCTL_GUEST_MEM_MB;
		q.append = NDCTL_GUEST_CMDLINE;
	}
	if (model_session(l, &plan, &q) < 0) {
		free_plan(l, tests, paths);
		run_state_fail(l->run, "out of memory");
		return -1;
	}
	l->hello = l->bye = l->ready = false;
	l->ended = 0;
	l->current = -1;
	free(l->agent_error);
	l->agent_error = NULL;
	/* A restored guest's start includes copying its backing files. */
	l->session_t0 = mono_s();
	restored = restore_session(l, &plan, &q, &restore);
	l->restored = restored;
	so.restore_state = restored ? l->run->snapshot.state : NULL;
	if (fresh)
		log_info("%s%s a fresh guest for %zu of the remaining %zu tests", l->tag,
			 restored ? "restoring" : "booting", plan.nr_tests, l->end - l->first);
	guest_backend(l->run->req->backend)->run(&so, &s);
	if (s.end != GUEST_NOT_STARTED && s.end != GUEST_NOT_RESTORED)
		run_state_guest_started(l->run, restored);
	console_watch_flush(&l->console);
	run_state_qemu_rss(l->run, s.max_rss_kb);
	next = after_session(l, &s, mark);
	session_result_free(&s);
	free_plan(l, tests, paths);
	return next;
}

/* Runs the tests [first, end) in as many guests as they take. At most
 * two guests per test (a power-fail test's two phases), and one more
 * when the snapshot could not be restored. */
static int run_shard(struct lane *l, const struct shard *sh, const char *cmdline)
{
	size_t limit = 2 * (sh->end - sh->first) + 2, sessions = 0;
	int next = 1;

	l->first = sh->first;
	l->end = sh->end;
	while (next == 1 && sessions < limit)
		next = run_session(l, cmdline, sessions++ > 0);
	return next < 0 ? -1 : 0;
}

void *lane_run(void *arg)
{
	struct lane *l = arg;
	const char *cmdline = GUEST_CMDLINE;
	const struct shard *sh;

	while ((sh = run_state_next_shard(l->run))) {
		if (run_shard(l, sh, cmdline) < 0)
			break;
	}
	if (l->stream_bad)
		run_state_fail(l->run, "the result port carried malformed records (see above): results may be incomplete");
	return NULL;
}

int lane_init(struct lane *l, struct run_state *run, unsigned int id, unsigned int lanes,
	      const char *run_id)
{
	const struct run_request *req = run->req;
	char work_id[96];

	memset(l, 0, sizeof(*l));
	l->run = run;
	l->id = id;
	l->current = -1;
	console_watch_init(&l->console);
	if (lanes > 1)
		snprintf(l->tag, sizeof(l->tag), "guest %u: ", id);
	/* The libvirt hosts (--connect) take the lanes in turn. */
	if (req->backend == BACKEND_LIBVIRT)
		l->uri = req->connect[(id - 1) % req->nr_connect];
	snprintf(work_id, sizeof(work_id), lanes > 1 ? "%s-%u" : "%s", run_id, id);
	if (lanes > 1) {
		l->console_log = str_printf("%s/console-%u.log", run->out.path, id);
		l->qemu_log = str_printf("%s/qemu-%u.log", run->out.path, id);
	} else {
		l->console_log = strdup(run->out.console_log);
		l->qemu_log = strdup(run->out.qemu_log);
	}
	l->verify_model = calloc(run->report.nr_tests + 1, sizeof(*l->verify_model));
	l->image_note = calloc(run->report.nr_tests + 1, sizeof(*l->image_note));
	l->nr_tests = run->report.nr_tests;
	if (!l->console_log || !l->qemu_log || !l->verify_model || !l->image_note ||
	    powercut_init(&l->pc, run->report.nr_tests, run->seed) < 0) {
		log_error("out of memory");
		return -1;
	}
	return guest_workdir_create(&run->guest, &l->work, work_id);
}

void lane_report_findings(struct lane *l, struct run_report *report)
{
	struct kfinding *f;
	size_t nr, i;

	f = console_watch_take(&l->console, &nr);
	for (i = 0; i < nr; i++) {
		if (i < l->nr_claimed && l->claimed[i])
			kfinding_free(&f[i]);
		else
			move_findings(&report->findings, &report->nr_findings, &f[i], 1);
	}
	free(f);
}

void lane_free(struct lane *l, bool keep_work)
{
	size_t i;

	workdir_remove(&l->work, keep_work);
	console_watch_free(&l->console);
	console_watch_free(&l->test_watch);
	powercut_free(&l->pc);
	crash_cut_free(&l->cut);
	for (i = 0; l->image_note && i < l->nr_tests; i++)
		free(l->image_note[i]);
	free(l->image_note);
	free(l->verify_model);
	free(l->env);
	free(l->agent_error);
	free(l->claimed);
	free(l->console_log);
	free(l->qemu_log);
}
