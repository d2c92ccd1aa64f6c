// SPDX-License-Identifier: GPL-2.0
/*
 * leftovers.c - kill what a test left running
 */
#include <dirent.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "leftovers.h"
#include "util.h"

#define PF_KTHREAD	0x00200000	/* include/linux/sched.h */

/* Reads comm, state and flags from /proc/<pid>/stat. 0, or -1 when the
 * process is gone or the line is not understood. */
static int proc_stat(int pid, char *comm, size_t size, char *state, unsigned long *flags)
{
	char path[64], line[1024], *lp, *rp;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_text_file(path, line, sizeof(line)) < 0)
		return -1;
	/* "pid (comm) state ppid pgrp session tty_nr tpgid flags ...": comm
	 * may hold spaces and parentheses, so split at the last ')'. */
	lp = strchr(line, '(');
	rp = strrchr(line, ')');
	if (!lp || !rp || rp < lp)
		return -1;
	len = rp - lp - 1;
	if (len >= size)
		len = size - 1;
	memcpy(comm, lp + 1, len);
	comm[len] = '\0';
	if (sscanf(rp + 1, " %c %*d %*d %*d %*d %*d %lu", state, flags) != 2)
		return -1;
	return 0;
}

/* Calls fn for every live process but the agent and kernel threads,
 * after sending it SIGKILL when kill is set. */
static int walk(bool kill_them, void (*fn)(int pid, const char *comm, char state, void *arg),
		void *arg)
{
	pid_t self = getpid();
	struct dirent *de;
	int nr = 0;
	DIR *dir;

	dir = opendir("/proc");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		char comm[64], state, *end;
		unsigned long flags;
		long pid;

		pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self)
			continue;
		if (proc_stat(pid, comm, sizeof(comm), &state, &flags) < 0)
			continue;
		/* Kernel threads cannot be killed; zombies are dead already. */
		if ((flags & PF_KTHREAD) || state == 'Z' || state == 'X')
			continue;
		if (kill_them && kill(pid, SIGKILL) < 0)
			continue;
		fn(pid, comm, state, arg);
		nr++;
	}
	closedir(dir);
	return nr;
}

int procs_kill_leftovers(void (*fn)(int pid, const char *comm, char state, void *arg), void *arg)
{
	return walk(true, fn, arg);
}

int procs_list(void (*fn)(int pid, const char *comm, char state, void *arg), void *arg)
{
	return walk(false, fn, arg);
}
