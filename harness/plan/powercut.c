// SPDX-License-Identifier: GPL-2.0
/*
 * powercut.c - the phases and cuts of power-fail tests
 */
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "plan/powercut.h"

int powercut_init(struct powercut *pc, size_t nr_tests, unsigned long long seed)
{
	memset(pc, 0, sizeof(*pc));
	pc->seed = seed;
	pc->nr = nr_tests;
	pc->verify = calloc(nr_tests + 1, sizeof(*pc->verify));
	pc->prepare_log = calloc(nr_tests + 1, sizeof(*pc->prepare_log));
	return pc->verify && pc->prepare_log ? 0 : -1;
}

void powercut_free(struct powercut *pc)
{
	size_t i;

	for (i = 0; pc->prepare_log && i < pc->nr; i++)
		free(pc->prepare_log[i]);
	free(pc->prepare_log);
	free(pc->verify);
	free(pc->note);
	memset(pc, 0, sizeof(*pc));
}

/* splitmix64: one well-mixed value per (seed, idx). */
long powercut_delay_ms(unsigned long long seed, size_t idx)
{
	unsigned long long z = seed + (idx + 1) * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (long)(z % (POWERCUT_MAX_DELAY_MS + 1));
}

const char *powercut_phase(const struct powercut *pc, const struct test_def *d, size_t idx)
{
	if (!d->powerfail)
		return NULL;
	return pc->verify[idx] ? "verify" : "prepare";
}

bool powercut_on_line(struct powercut *pc, const struct test_def *d, size_t idx,
		      const char *line, long ms)
{
	const char *label;
	long delay;

	if (!d->powerfail || pc->verify[idx] || pc->cut_at_ms ||
	    strncmp(line, POWERCUT_MARK, strlen(POWERCUT_MARK)))
		return false;
	label = line + strlen(POWERCUT_MARK);
	delay = d->random_cut ? powercut_delay_ms(pc->seed, idx) : 0;
	pc->cut_at_ms = mono_ms() + delay;
	free(pc->note);
	if (d->random_cut)
		pc->note = str_printf("power cut at checkpoint '%s', %ld ms into the workload, then %ld ms later (seed %llu)",
				      label, ms, delay, pc->seed);
	else
		pc->note = str_printf("power cut at checkpoint '%s', %ld ms into the workload",
				      label, ms);
	log_info("%s: %s", d->name, pc->note ? pc->note : "power cut");
	return true;
}

int powercut_done(struct powercut *pc, size_t idx, struct test_result *t)
{
	char *log = str_printf("%s# daxtest: %s (SIGKILL of QEMU, no shutdown); verify phase in a fresh guest follows\n",
			       t->output ? t->output : "", pc->note ? pc->note : "power cut");

	if (!log)
		return -1;
	free(pc->prepare_log[idx]);
	pc->prepare_log[idx] = log;
	free(t->output);
	t->output = NULL;
	t->output_len = 0;
	pc->verify[idx] = true;
	pc->cut_at_ms = 0;
	free(pc->note);
	pc->note = NULL;
	return 0;
}

int powercut_merge_log(struct powercut *pc, size_t idx, struct test_result *t)
{
	char *both;

	if (!pc->prepare_log[idx])
		return 0;
	both = str_printf("%s%s", pc->prepare_log[idx], t->output ? t->output : "");
	if (!both)
		return -1;
	free(t->output);
	t->output = both;
	t->output_len = strlen(both);
	return 0;
}
