// SPDX-License-Identifier: GPL-2.0
/*
 * interrupt.c - the flag that SIGINT, SIGTERM and SIGHUP set
 */
#include <signal.h>
#include <stddef.h>

#include "lib/interrupt.h"

/* Why global: see interrupt.h. */
static volatile sig_atomic_t interrupt_sig;

static void on_signal(int sig)
{
	interrupt_sig = sig;
}

void interrupt_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
}

bool interrupt_pending(void)
{
	return interrupt_sig != 0;
}

volatile sig_atomic_t *interrupt_flag(void)
{
	return &interrupt_sig;
}

void interrupt_raise(int sig)
{
	interrupt_sig = sig ? sig : SIGINT;
}

void interrupt_clear(void)
{
	interrupt_sig = 0;
}
