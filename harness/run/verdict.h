/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The verdict on a test program that ended: from how it ended (exit
 * status, signal, the agent's timeout), its KTAP output and the kernel
 * reports seen while it ran.
 */
#ifndef DAXTEST_TEST_JUDGE_H
#define DAXTEST_TEST_JUDGE_H

#include "parse/agent_stream.h"
#include "report/result.h"

/* Parses t->output as KTAP and sets t's status, reason, exit code and
 * signal. */
void verdict_judge(struct test_result *t, const struct agent_event *ev, unsigned int timeout_s);
/* Replaces t's reason by fmt with one %s argument. */
void test_set_reason(struct test_result *t, const char *fmt, const char *arg);

#endif /* DAXTEST_TEST_JUDGE_H */
