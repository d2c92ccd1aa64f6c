// SPDX-License-Identifier: GPL-2.0
/*
 * runner.c - boot guests, follow the agent's events, build the report
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent_stream.h"
#include "console_watch.h"
#include "clock.h"
#include "fsutil.h"
#include "guest_session.h"
#include "image_build.h"
#include "known.h"
#include "libvirt_session.h"
#include "log.h"
#include "powercut.h"
#include "prepare.h"
#include "report.h"
#include "results_dir.h"
#include "runner.h"
#include "workdir.h"

#define BOOT_WATCHDOG_S		60
#define BETWEEN_TESTS_WATCHDOG_S 120
#define TEST_GRACE_S		30

struct runner {
	const struct options *o;
	struct prepared prep;
	struct run_report report;
	struct workdir work;
	struct results_dir out;
	struct console_watch console;	/* the whole console stream */
	bool *claimed;			/* per console finding: during a test */
	size_t nr_claimed;
	double run_t0;
	/* the current session */
	double session_t0;
	size_t first;			/* report index of the plan's test 1 */
	long current;			/* report index of the running test */
	size_t console_mark;		/* console findings when it began */
	struct console_watch test_watch; /* its dmesg lines */
	double test_t0;
	bool hello, bye, stream_bad;
	unsigned int ended;		/* tests that ended in this session */
	char *agent_error;
	size_t printed;			/* tests printed as KTAP so far */
	struct powercut pc;		/* power-fail phases and cuts */
	struct known known;		/* tests/known/ for this kernel */
};

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
static void claim_console_findings(struct runner *r, size_t mark)
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
static void copy_console_findings(struct runner *r, size_t mark, struct test_result *t)
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

static void set_reason(struct test_result *t, const char *fmt, const char *arg)
{
	free(t->reason);
	t->reason = str_printf(fmt, arg);
}

/* Prints every finished test not printed yet, in plan order; with all,
 * the rest too, as not run. */
static void print_ready_tests(struct runner *r, bool all)
{
	while (r->printed < r->report.nr_tests) {
		struct test_result *t = &r->report.tests[r->printed];

		if (t->status == TEST_NOT_RUN) {
			if (!all)
				break;
			if (!t->reason)
				set_reason(t, "not run: %s", r->report.infra_error ?
					   r->report.infra_error : "the run ended early");
		}
		report_ktap_test(stdout, r->printed + 1, t);
		fflush(stdout);
		r->printed++;
	}
}

/* The timeout the agent enforces for test idx: --timeout, else its
 * area's settings. */
static unsigned int test_timeout(const struct runner *r, size_t idx)
{
	return r->o->timeout_s ? r->o->timeout_s : r->prep.catalog.tests[idx].timeout_s;
}

/* The reason of the first skipped subtest, for a program that skipped. */
static const char *first_skip_reason(const struct ktap_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->nr_tests; i++)
		if (doc->tests[i].status == KTAP_SKIP && doc->tests[i].directive)
			return doc->tests[i].directive;
	return "every subtest skipped";
}

/* Decides a finished test's status from how it ended and what it said. */
static void judge_test(struct test_result *t, const struct agent_event *ev,
		       unsigned int timeout_s)
{
	struct ktap_counts c = { 0 };
	char buf[64];

	ktap_parse(t->output ? t->output : "", t->output_len, &t->ktap);
	ktap_count(&t->ktap, &c);
	t->exit_code = ev->exit_code;
	t->signal = ev->signal;
	if (ev->timed_out) {
		t->status = TEST_TIMEOUT;
		snprintf(buf, sizeof(buf), "%u", timeout_s);
		set_reason(t, "timed out after %s s and was killed", buf);
	} else if (ev->signal) {
		t->status = TEST_FAIL;
		snprintf(buf, sizeof(buf), "%d", ev->signal);
		set_reason(t, "killed by signal %s", buf);
	} else if (ev->exit_code == 4) {
		t->status = TEST_SKIP;
		set_reason(t, "%s", first_skip_reason(&t->ktap));
	} else if (ev->exit_code != 0) {
		t->status = TEST_FAIL;
		snprintf(buf, sizeof(buf), "%d", ev->exit_code);
		set_reason(t, "exit status %s", buf);
	} else if (c.failed || c.timeout || c.error) {
		t->status = TEST_FAIL;
		set_reason(t, "%s", "exit status 0 but a subtest failed");
	} else if (t->ktap.nr_errors) {
		t->status = TEST_FAIL;
		set_reason(t, "broken KTAP output: %s", t->ktap.errors[0]);
	} else {
		t->status = TEST_PASS;
	}
	if (t->nr_findings && t->status != TEST_TIMEOUT) {
		t->status = TEST_FAIL;
		set_reason(t, "the kernel reported: %s", t->findings[0].title);
	}
}

/* A power-fail test's prepare phase must end in a power cut: if it ended
 * by itself, it never reached its checkpoint (or finished its workload
 * before a random cut). The verify phase's log gets the prepare phase's
 * in front of it. */
static void judge_phase(struct runner *r, size_t idx, struct test_result *t)
{
	const char *phase = powercut_phase(&r->pc, &r->prep.catalog.tests[idx], idx);
	char *why;

	if (!phase)
		return;
	if (!strcmp(phase, "verify")) {
		if (powercut_merge_log(&r->pc, idx, t) < 0)
			log_error("out of memory for the log of %s", t->name);
		return;
	}
	r->pc.cut_at_ms = 0;
	if (t->status == TEST_SKIP)
		return;
	why = str_printf("prepare phase ended by itself (%s), before the power cut it exists for",
			 t->status == TEST_PASS ? "no checkpoint reached" : (t->reason ? t->reason : "failed"));
	t->status = TEST_FAIL;
	free(t->reason);
	t->reason = why;
}

/* The power was cut during the test that ran: its prepare phase is over. */
/* The kernel reports while the current test ran become its findings. The
 * agent's dmesg is exact; the console is the fallback when it missed a
 * report. */
static void take_test_findings(struct runner *r, struct test_result *t)
{
	struct kfinding *f;
	size_t nr;

	f = console_watch_take(&r->test_watch, &nr);
	move_findings(&t->findings, &t->nr_findings, f, nr);
	free(f);
	console_watch_free(&r->test_watch);
	if (!t->nr_findings)
		copy_console_findings(r, r->console_mark, t);
	claim_console_findings(r, r->console_mark);
}

static void after_power_cut(struct runner *r)
{
	struct test_result *t = &r->report.tests[r->current];

	take_test_findings(r, t);
	if (powercut_done(&r->pc, (size_t)r->current, t) < 0)
		log_error("out of memory for the log of %s", t->name);
	r->current = -1;
}

static void on_begin(struct runner *r, const struct agent_event *ev)
{
	size_t idx = r->first + ev->index - 1;

	if (ev->index < 1 || idx >= r->report.nr_tests ||
	    strcmp(ev->text, r->report.tests[idx].name)) {
		log_error("guest agent began an unplanned test '%s' (%d)", ev->text, ev->index);
		r->stream_bad = true;
		return;
	}
	if (!r->report.boot_seconds)
		r->report.boot_seconds = mono_s() - r->session_t0;
	r->current = (long)idx;
	r->test_t0 = mono_s();
	r->console_mark = r->console.nr_findings;
	console_watch_init(&r->test_watch);
}

static void on_end(struct runner *r, const struct agent_event *ev)
{
	struct test_result *t;

	if (r->current < 0 || (size_t)r->current != r->first + ev->index - 1) {
		log_error("guest agent ended test %d, which was not running", ev->index);
		r->stream_bad = true;
		return;
	}
	t = &r->report.tests[r->current];
	t->seconds = mono_s() - r->test_t0;
	take_test_findings(r, t);
	judge_test(t, ev, test_timeout(r, (size_t)r->current));
	judge_phase(r, (size_t)r->current, t);
	known_apply(&r->known, t);
	results_dir_write_test(&r->out, t);
	r->current = -1;
	r->ended++;
	print_ready_tests(r, false);
}

static void on_event(const struct agent_event *ev, void *arg)
{
	struct runner *r = arg;
	struct test_result *t = r->current >= 0 ? &r->report.tests[r->current] : NULL;

	switch (ev->kind) {
	case AGENT_HELLO:
		r->hello = true;
		log_debug("guest: agent up %ld ms after kernel start", ev->value);
		break;
	case AGENT_READY:
		log_debug("guest: modules, plan and namespaces ready %ld ms after hello", ev->value);
		break;
	case AGENT_BEGIN:
		on_begin(r, ev);
		break;
	case AGENT_OUT:
		if (t && append_text(&t->output, &t->output_len, ev->text) < 0)
			log_error("out of memory for test output");
		if (t)
			powercut_on_line(&r->pc, &r->prep.catalog.tests[r->current],
					 (size_t)r->current, ev->text,
					 (long)((mono_s() - r->test_t0) * 1000));
		break;
	case AGENT_DMESG:
		if (t) {
			append_line(&t->dmesg, &t->nr_dmesg, ev->text);
			console_watch_line(&r->test_watch, ev->text);
		}
		break;
	case AGENT_END:
		on_end(r, ev);
		break;
	case AGENT_LOG:
		log_debug("guest: %s", ev->text);
		break;
	case AGENT_ERROR:
		free(r->agent_error);
		r->agent_error = strdup(ev->text);
		log_error("guest agent: %s", ev->text);
		break;
	case AGENT_BYE:
		r->bye = true;
		break;
	case AGENT_BAD:
		log_error("garbage on the result port: '%.80s'", ev->text);
		r->stream_bad = true;
		break;
	}
}

static void on_console_line(const char *line, void *arg)
{
	struct runner *r = arg;

	console_watch_line(&r->console, line);
}

static unsigned int watchdog_s(void *arg)
{
	struct runner *r = arg;

	if (!r->hello)
		return BOOT_WATCHDOG_S;
	if (r->current >= 0)
		return test_timeout(r, (size_t)r->current) + TEST_GRACE_S;
	return BETWEEN_TESTS_WATCHDOG_S;
}

static long cut_at_ms(void *arg)
{
	struct runner *r = arg;

	return r->pc.cut_at_ms;
}

static char *kernel_cmdline(void)
{
	return strdup("console=ttyS0 panic=-1 rdinit=/init");
}

static void fill_qemu(struct runner *r, struct qemu_config *q, const char *cmdline)
{
	unsigned int i;

	memset(q, 0, sizeof(*q));
	q->qemu = "qemu-system-x86_64";
	q->accel = r->o->accel;
	q->cpus = r->o->cpus;
	q->mem_mb = r->o->mem_mb;
	q->bios = path_is_file("/usr/share/qemu/qboot.rom") ? "/usr/share/qemu/qboot.rom" : NULL;
	q->kernel = r->prep.kernel.bzimage;
	q->initrd = r->prep.image.path;
	q->append = cmdline;
	q->label_size = NVDIMM_LABEL_SIZE;
	q->nodax_disk = r->work.nodax_path;
	q->virtio_pmem.path = r->work.virtio_pmem_path;
	q->virtio_pmem.size = VIRTIO_PMEM_SIZE;
	q->nr_nvdimms = r->work.nr_nvdimms;
	for (i = 0; i < r->work.nr_nvdimms; i++) {
		q->nvdimms[i].path = r->work.nvdimm_paths[i];
		q->nvdimms[i].size = r->o->nvdimm_size + NVDIMM_LABEL_SIZE;
	}
}

static bool alone(const struct test_def *t)
{
	return t->own_guest || t->powerfail;
}

/* How many tests from r->first on share the next guest: a test that
 * wants a guest of its own (guest=own) runs alone, and so does a
 * power-fail test's prepare phase, whose guest the power cut ends. A
 * verify phase shares its guest with the next case's prepare phase:
 * one boot per case instead of two. */
static size_t session_size(const struct runner *r)
{
	const struct test_def *t = r->prep.catalog.tests;
	size_t nr = r->report.nr_tests, i = r->first;

	if (i < nr && t[i].powerfail && r->pc.verify[i] && i + 1 < nr &&
	    t[i + 1].powerfail && !r->pc.verify[i + 1])
		return 2;
	if (i < nr && alone(&t[i]))
		return 1;
	while (i < nr && !alone(&t[i]))
		i++;
	return i - r->first;
}

/* Plan for the next guest: the tests from r->first on that share it. */
static int build_plan(struct runner *r, struct agent_plan *plan,
		      struct agent_plan_test **tests, char ***paths)
{
	size_t n = session_size(r), i;

	*tests = calloc(n + 1, sizeof(**tests));
	*paths = calloc(n + 1, sizeof(**paths));
	if (!*tests || !*paths)
		return -1;
	for (i = 0; i < n; i++) {
		const struct test_def *d = &r->prep.catalog.tests[r->first + i];

		(*paths)[i] = str_printf("%s/%s", IMAGE_TESTS_DIR, d->program);
		if (!(*paths)[i])
			return -1;
		(*tests)[i].name = d->name;
		(*tests)[i].cell = d->cell;
		(*tests)[i].run = d->run;
		(*tests)[i].phase = powercut_phase(&r->pc, d, r->first + i);
		(*tests)[i].path = (*paths)[i];
		(*tests)[i].timeout_s = test_timeout(r, r->first + i);
	}
	plan->tests = *tests;
	plan->nr_tests = n;
	plan->env = NULL;
	plan->nr_env = 0;
	return 0;
}

static void free_plan(struct agent_plan_test *tests, char **paths)
{
	size_t i;

	for (i = 0; paths && paths[i]; i++)
		free(paths[i]);
	free(paths);
	free(tests);
}

/* The first console finding's title, or NULL. */
static const char *console_cause(const struct runner *r, size_t mark)
{
	return r->console.nr_findings > mark ? r->console.findings[mark].title : NULL;
}

static void infra_error(struct runner *r, const char *msg)
{
	if (!r->report.infra_error)
		r->report.infra_error = strdup(msg);
}

/* After a session: decide whether to go on in a fresh guest. Returns 1
 * to boot again, 0 when done, -1 when the run cannot go on. */
static int after_session(struct runner *r, const struct session_result *s,
			 size_t console_mark_at_boot)
{
	char msg[512];

	if (!s->started) {
		infra_error(r, "QEMU could not be started (see the message above)");
		return -1;
	}
	if (s->interrupted) {
		infra_error(r, "interrupted");
		if (r->current >= 0)
			set_reason(&r->report.tests[r->current], "%s", "interrupted");
		return -1;
	}
	if (s->power_cut && r->current >= 0) {
		/* The tests before it in this guest have ended. */
		r->first = (size_t)r->current;
		after_power_cut(r);
		return 1;
	}
	if (r->bye && r->current < 0 && r->first + r->ended == r->report.nr_tests)
		return 0;
	if (r->agent_error) {
		snprintf(msg, sizeof(msg), "guest agent failed: %s", r->agent_error);
		infra_error(r, msg);
		return -1;
	}
	if (!r->hello) {
		const char *cause = console_cause(r, console_mark_at_boot);

		if (s->status != 0 && s->qemu_error && !s->watchdog)
			snprintf(msg, sizeof(msg), "QEMU failed: %s", s->qemu_error);
		else if (cause)
			snprintf(msg, sizeof(msg), "the kernel did not boot: %s", cause);
		else
			snprintf(msg, sizeof(msg), "the guest never reached the agent%s (see console.log)",
				 s->watchdog ? " within the boot timeout" : "");
		infra_error(r, msg);
		return -1;
	}
	if (r->current >= 0) {
		struct test_result *t = &r->report.tests[r->current];
		const char *cause = console_cause(r, r->console_mark);

		t->status = TEST_CRASH;
		t->seconds = mono_s() - r->test_t0;
		copy_console_findings(r, r->console_mark, t);
		claim_console_findings(r, r->console_mark);
		if (s->watchdog)
			snprintf(msg, sizeof(msg), "the guest stopped responding (no output for %u s)",
				 watchdog_s(r));
		else
			snprintf(msg, sizeof(msg), "the guest died: %s",
				 cause ? cause : "QEMU exited during the test");
		set_reason(t, "%s", msg);
		results_dir_write_test(&r->out, t);
		r->first = (size_t)r->current + 1;
		r->current = -1;
		print_ready_tests(r, false);
		return r->first < r->report.nr_tests ? 1 : 0;
	}
	if (r->ended) {
		r->first += r->ended;
		return r->first < r->report.nr_tests ? 1 : 0;
	}
	infra_error(r, "the guest was lost before any test ran (see console.log)");
	return -1;
}

static int run_sessions(struct runner *r, volatile sig_atomic_t *interrupted)
{
	char *cmdline = kernel_cmdline();
	unsigned int sessions = 0;
	int next = 1;

	if (!cmdline)
		return -1;
	/* At most two guests per test: a power-fail test's two phases. */
	while (next == 1 && sessions++ <= 2 * r->report.nr_tests) {
		struct agent_plan plan;
		struct agent_plan_test *tests = NULL;
		char **paths = NULL;
		struct qemu_config q;
		struct session_result s;
		size_t mark = r->console.nr_findings;
		struct session_opts so = {
			.qemu = &q, .work_dir = r->work.path,
			.console_log = r->out.console_log, .qemu_log = r->out.qemu_log,
			.plan = &plan, .watchdog_s = watchdog_s, .cut_at_ms = cut_at_ms,
			.on_event = on_event,
			.on_console_line = on_console_line, .arg = r,
			.interrupted = interrupted,
		};

		if (build_plan(r, &plan, &tests, &paths) < 0) {
			free_plan(tests, paths);
			break;
		}
		fill_qemu(r, &q, cmdline);
		r->hello = r->bye = false;
		r->ended = 0;
		r->current = -1;
		free(r->agent_error);
		r->agent_error = NULL;
		r->session_t0 = mono_s();
		if (sessions > 1)
			log_info("booting a fresh guest for %zu of the remaining %zu tests",
				 plan.nr_tests, r->report.nr_tests - r->first);
		if (r->o->backend == BACKEND_LIBVIRT)
			libvirt_session_run(&so, r->o->connect[0], &s);
		else
			guest_session_run(&so, &s);
		console_watch_flush(&r->console);
		next = after_session(r, &s, mark);
		session_result_free(&s);
		free_plan(tests, paths);
	}
	free(cmdline);
	return next < 0 ? -1 : 0;
}

static int init_report(struct runner *r, const char *run_id)
{
	size_t i;

	r->report.run_id = strdup(run_id);
	r->report.kernel_release = strdup(r->prep.kernel.release);
	r->report.kernel_source = strdup(r->prep.kernel.source);
	r->report.nr_tests = r->prep.catalog.nr;
	r->report.tests = calloc(r->report.nr_tests + 1, sizeof(*r->report.tests));
	if (!r->report.run_id || !r->report.kernel_release || !r->report.kernel_source ||
	    !r->report.tests)
		return -1;
	for (i = 0; i < r->report.nr_tests; i++) {
		r->report.tests[i].name = strdup(r->prep.catalog.tests[i].name);
		r->report.tests[i].status = TEST_NOT_RUN;
		r->report.tests[i].exit_code = -1;
		if (!r->report.tests[i].name)
			return -1;
	}
	return 0;
}

static void choose_accel(struct runner *r)
{
	const char *why = NULL;
	struct options *o = (struct options *)r->o;

	if (o->accel == ACCEL_TCG)
		return;
	if (accel_probe_cached("qemu-system-x86_64", r->work.path, r->o->cache_dir,
			       &why) == ACCEL_KVM) {
		o->accel = ACCEL_KVM;
		return;
	}
	if (o->accel == ACCEL_KVM)
		log_info("KVM was asked for but %s; using TCG", why);
	else
		log_info("KVM unavailable (%s): using TCG (software emulation)", why);
	o->accel = ACCEL_TCG;
}

static int exit_status(const struct runner *r)
{
	size_t i;

	if (r->report.infra_error)
		return strcmp(r->report.infra_error, "interrupted") ? 2 : 130;
	if (r->report.nr_findings)
		return 1;
	for (i = 0; i < r->report.nr_tests; i++) {
		if (test_status_failed(r->report.tests[i].status))
			return 1;
	}
	return 0;
}

static bool have_qemu(void)
{
	const char *argv_path = getenv("PATH");
	char *copy = argv_path ? strdup(argv_path) : NULL, *dir, *save = NULL;
	bool found = false;

	for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = path_join(dir, "qemu-system-x86_64");

		found = p && path_is_executable(p);
		free(p);
	}
	free(copy);
	return found;
}

static void finish(struct runner *r)
{
	struct kfinding *f;
	size_t nr, i;

	/* Kernel reports outside any test fail the run too. */
	f = console_watch_take(&r->console, &nr);
	for (i = 0; i < nr; i++) {
		if (i < r->nr_claimed && r->claimed[i])
			kfinding_free(&f[i]);
		else
			move_findings(&r->report.findings, &r->report.nr_findings, &f[i], 1);
	}
	free(f);
	r->report.total_seconds = mono_s() - r->run_t0;
	print_ready_tests(r, true);
	results_dir_write_reports(&r->out, &r->report);
	report_summary(stderr, &r->report);
	if (r->report.infra_error)
		log_error("%s", r->report.infra_error);
	log_info("results: %s", r->out.path);
}

/* The seed of the random power cuts: --seed, or a fresh one, printed
 * when the plan has random cuts so that a run can be repeated. */
static int init_powercut(struct runner *r)
{
	unsigned long long seed = r->o->seed;
	size_t i;

	if (!r->o->seed_given)
		seed = ((unsigned long long)time(NULL) << 20) ^ (unsigned long long)getpid() ^
		       (unsigned long long)mono_ms();
	if (powercut_init(&r->pc, r->report.nr_tests, seed) < 0)
		return -1;
	for (i = 0; i < r->prep.catalog.nr; i++) {
		if (r->prep.catalog.tests[i].random_cut) {
			log_info("random power cuts: seed %llu (--seed %llu repeats them)", seed, seed);
			break;
		}
	}
	return 0;
}

int runner_run(const struct options *o, volatile sig_atomic_t *interrupted)
{
	struct runner r = { .o = o, .current = -1 };
	char run_id[64];
	int ret = 2;

	r.run_t0 = mono_s();
	console_watch_init(&r.console);
	results_dir_make_id(run_id, sizeof(run_id));
	if (!have_qemu()) {
		log_error("QEMU (qemu-system-x86_64) is not installed: run 'make deps'");
		goto out;
	}
	if (prepare_all(o, &r.prep) < 0 || init_report(&r, run_id) < 0 ||
	    init_powercut(&r) < 0 ||
	    known_load(&r.known, o->project_dir, r.prep.kernel.release) < 0)
		goto out;
	if (r.known.n)
		log_info("known failures: %zu entries in %s", r.known.n, r.known.path);
	if (results_dir_create(&r.out, o->results_root, run_id) < 0 ||
	    workdir_create(&r.work, run_id, o->nr_nvdimms,
			   o->nvdimm_size + NVDIMM_LABEL_SIZE) < 0)
		goto out;
	choose_accel(&r);
	r.report.accel = strdup(accel_name(o->accel));
	printf("KTAP version 1\n1..%zu\n", r.report.nr_tests);
	fflush(stdout);
	if (run_sessions(&r, interrupted) < 0 && !r.report.infra_error)
		infra_error(&r, "the run failed");
	if (r.stream_bad)
		infra_error(&r, "the result port carried malformed records (see above): results may be incomplete");
	finish(&r);
	ret = exit_status(&r);
out:
	workdir_remove(&r.work, o->keep_work);
	results_dir_free(&r.out);
	console_watch_free(&r.console);
	run_report_free(&r.report);
	prepared_free(&r.prep);
	powercut_free(&r.pc);
	known_free(&r.known);
	free(r.agent_error);
	free(r.claimed);
	return ret;
}
