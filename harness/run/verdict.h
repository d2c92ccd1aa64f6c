/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict on a test program that ended: from how it ended (exit
 * status, signal, the agent's timeout), its KTAP output and the kernel
 * reports seen while it ran.
 */
#ifndef DAXTEST_TEST_JUDGE_H
#define DAXTEST_TEST_JUDGE_H

#include <stdbool.h>

#include "parse/agent_stream.h"
#include "report/result.h"

/* Parses t->output as KTAP into t->ktap (replacing what a previous
 * verdict parsed) and decides (verdict_decide). */
void verdict_judge(struct test_result *t, const struct agent_event *ev, unsigned int timeout_s);
/*
 * Sets t's status, reason, exit code and signal from how it ended (ev),
 * t->ktap and t->findings. parsed: whether ktap_parse() read t->output
 * into t->ktap. A test whose output could not be parsed fails (its empty
 * doc says nothing), unless it timed out or was killed; KTAP that parsed
 * with errors fails an exit status 0 ("broken KTAP output: ...").
 */
void verdict_decide(struct test_result *t, const struct agent_event *ev, unsigned int timeout_s,
		    bool parsed);
/* Replaces t's reason by fmt with one %s argument. */
void test_set_reason(struct test_result *t, const char *fmt, const char *arg);

#endif /* DAXTEST_TEST_JUDGE_H */
