/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Processes a test left behind outside its own process group (setsid(),
 * daemons): nothing but the agent may run between tests.
 */
#ifndef DAXTEST_GUEST_PROCS_H
#define DAXTEST_GUEST_PROCS_H

/* Sends SIGKILL to every live process but the agent and kernel threads, and
 * calls fn for each with its pid, command name and state. Returns how
 * many, or -1 when /proc cannot be read. */
int procs_kill_leftovers(void (*fn)(int pid, const char *comm, char state, void *arg), void *arg);
/* The same without the kill: after the leftovers were killed and given
 * time to die, what is still listed is stuck in the kernel. */
int procs_list(void (*fn)(int pid, const char *comm, char state, void *arg), void *arg);

#endif /* DAXTEST_GUEST_PROCS_H */
