// SPDX-License-Identifier: GPL-2.0
/*
 * verdict.c - pass, fail, skip or timeout, and why
 */
#include <stdio.h>
#include <stdlib.h>

#include "lib/fsutil.h"
#include "run/verdict.h"

void test_set_reason(struct test_result *t, const char *fmt, const char *arg)
{
	free(t->reason);
	t->reason = str_printf(fmt, arg);
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
void verdict_decide(struct test_result *t, const struct agent_event *ev, unsigned int timeout_s,
		    bool parsed)
{
	struct ktap_counts c = { 0 };
	char buf[64];

	ktap_count(&t->ktap, &c);
	t->exit_code = ev->exit_code;
	t->signal = ev->signal;
	if (ev->timed_out) {
		t->status = TEST_TIMEOUT;
		snprintf(buf, sizeof(buf), "%u", timeout_s);
		test_set_reason(t, "timed out after %s s and was killed", buf);
	} else if (ev->signal) {
		t->status = TEST_FAIL;
		snprintf(buf, sizeof(buf), "%d", ev->signal);
		test_set_reason(t, "killed by signal %s", buf);
	} else if (!parsed) {
		/* An empty doc would read as "nothing failed" (or "every
		 * subtest skipped"): nothing it said can be believed. */
		t->status = TEST_FAIL;
		test_set_reason(t, "%s", "its KTAP output could not be parsed (out of memory)");
	} else if (ev->exit_code == 4) {
		t->status = TEST_SKIP;
		test_set_reason(t, "%s", first_skip_reason(&t->ktap));
	} else if (ev->exit_code != 0) {
		t->status = TEST_FAIL;
		snprintf(buf, sizeof(buf), "%d", ev->exit_code);
		test_set_reason(t, "exit status %s", buf);
	} else if (c.failed || c.timeout || c.error) {
		t->status = TEST_FAIL;
		test_set_reason(t, "%s", "exit status 0 but a subtest failed");
	} else if (t->ktap.nr_errors) {
		t->status = TEST_FAIL;
		test_set_reason(t, "broken KTAP output: %s", t->ktap.errors[0]);
	} else {
		t->status = TEST_PASS;
	}
	if (t->nr_findings && t->status != TEST_TIMEOUT) {
		t->status = TEST_FAIL;
		test_set_reason(t, "the kernel reported: %s", t->findings[0].title);
	}
}

void verdict_judge(struct test_result *t, const struct agent_event *ev, unsigned int timeout_s)
{
	int ret;

	ktap_doc_free(&t->ktap);	/* judged before: a power-fail test's phase */
	ret = ktap_parse(t->output ? t->output : "", t->output_len, &t->ktap);
	verdict_decide(t, ev, timeout_s, ret == 0);
}
