// SPDX-License-Identifier: GPL-2.0
/*
 * run_state.c - the shard queue and the in-order KTAP printer of a run
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "report/report.h"
#include "run/run_state.h"

const struct shard *run_state_next_shard(struct run_state *s)
{
	const struct shard *sh = NULL;

	pthread_mutex_lock(&s->lock);
	if (!s->stop && !*s->interrupted && s->next_shard < s->nr_shards)
		sh = &s->shards[s->next_shard++];
	pthread_mutex_unlock(&s->lock);
	return sh;
}

/* Called with the lock held. */
static void print_test(struct run_state *s, size_t idx)
{
	progress_hide(&s->progress);
	report_ktap_test(stdout, idx + 1, &s->report.tests[idx]);
	fflush(stdout);
	progress_show(&s->progress);
}

/* Called with the lock held. */
static void print_ready(struct run_state *s)
{
	while (s->printed < s->report.nr_tests && s->finished[s->printed])
		print_test(s, s->printed++);
}

void run_state_test_begins(struct run_state *s, size_t idx)
{
	progress_test_begins(&s->progress, s->report.tests[idx].name);
}

void run_state_test_done(struct run_state *s, size_t idx)
{
	const struct test_result *t = &s->report.tests[idx];
	bool failed = test_status_failed(t->status);

	results_dir_write_test(&s->out, t);
	pthread_mutex_lock(&s->lock);
	s->finished[idx] = true;
	progress_test_done(&s->progress, t->name, test_status_name(t->status), failed,
			   t->seconds);
	print_ready(s);
	pthread_mutex_unlock(&s->lock);
}

void run_state_fail(struct run_state *s, const char *msg)
{
	pthread_mutex_lock(&s->lock);
	if (!s->report.infra_error)
		s->report.infra_error = strdup(msg);
	s->stop = true;
	pthread_mutex_unlock(&s->lock);
}

void run_state_boot_time(struct run_state *s, double seconds)
{
	pthread_mutex_lock(&s->lock);
	if (!s->report.boot_seconds)
		s->report.boot_seconds = seconds;
	pthread_mutex_unlock(&s->lock);
}

void run_state_guest_started(struct run_state *s, bool restored)
{
	pthread_mutex_lock(&s->lock);
	if (restored)
		s->report.guests_restored++;
	else
		s->report.guests_booted++;
	pthread_mutex_unlock(&s->lock);
}

bool run_state_snapshot_on(struct run_state *s)
{
	bool on;

	pthread_mutex_lock(&s->lock);
	on = s->snapshot_on;
	pthread_mutex_unlock(&s->lock);
	return on;
}

void run_state_snapshot_off(struct run_state *s, const char *why, bool discard)
{
	bool was;

	pthread_mutex_lock(&s->lock);
	was = s->snapshot_on;
	s->snapshot_on = false;
	pthread_mutex_unlock(&s->lock);
	if (!was)
		return;
	log_info("snapshot %s: %s; the guests boot from now on", s->snapshot.key, why);
	if (discard)
		snapshot_discard(&s->snapshot);
}

void run_state_qemu_rss(struct run_state *s, long max_rss_kb)
{
	double mib = max_rss_kb / 1024.0;

	pthread_mutex_lock(&s->lock);
	if (mib > s->report.qemu_peak_rss_mib)
		s->report.qemu_peak_rss_mib = mib;
	pthread_mutex_unlock(&s->lock);
}

void run_state_print_rest(struct run_state *s)
{
	const char *why = s->report.infra_error ? s->report.infra_error : "the run ended early";
	size_t i;

	pthread_mutex_lock(&s->lock);
	for (i = s->printed; i < s->report.nr_tests; i++) {
		struct test_result *t = &s->report.tests[i];

		if (s->finished[i])
			continue;
		t->status = TEST_NOT_RUN;
		if (!t->reason)
			t->reason = str_printf("not run: %s", why);
		s->finished[i] = true;
	}
	print_ready(s);
	pthread_mutex_unlock(&s->lock);
}
