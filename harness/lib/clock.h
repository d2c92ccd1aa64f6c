/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Monotonic time for durations and deadlines.
 */
#ifndef DAXTEST_CLOCK_H
#define DAXTEST_CLOCK_H

long mono_ms(void);
double mono_s(void);

#endif /* DAXTEST_CLOCK_H */
