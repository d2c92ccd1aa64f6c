// SPDX-License-Identifier: GPL-2.0
/*
 * clock.c - CLOCK_MONOTONIC in milliseconds and seconds
 */
#include <time.h>

#include "lib/clock.h"

long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
