/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running one planned test: its own session, output relayed line by line
 * as "out" records, killed with its whole process group when it runs past
 * its timeout, and its leftover processes killed when it exits.
 */
#ifndef DAXTEST_GUEST_RUN_TEST_H
#define DAXTEST_GUEST_RUN_TEST_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "port.h"

struct test_outcome {
	bool started;		/* it was forked; the rest is valid */
	int exit_code;		/* -1 unless it exited */
	int signal;		/* 0 unless a signal ended it */
	long ms;		/* from fork() to its end */
	bool timed_out;		/* killed for running past its timeout */
};

/* Runs t with envp. 0 when o describes how it ended; -1 with the reason
 * in err when the agent cannot go on: the test could not be started, the
 * result port failed, or the test would not die after its timeout (o is
 * still filled in when it had started; signal says SIGKILL when it had
 * not ended). */
int run_test(struct port *p, const struct plan_test *t, char *const envp[],
	     struct test_outcome *o, char *err, size_t errlen);

#endif /* DAXTEST_GUEST_RUN_TEST_H */
