// SPDX-License-Identifier: GPL-2.0
/*
 * console_shell.c - an interactive shell on the console instead of the tests
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "console_shell.h"
#include "util.h"

bool shell_requested(void)
{
	char cmdline[4096];
	const char *p;

	if (read_text_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		return false;
	for (p = cmdline; (p = strstr(p, "daxtest.shell")); p += 13) {
		bool starts = p == cmdline || p[-1] == ' ';
		char after = p[13];

		if (starts && (after == '\0' || after == ' ' || after == '\n'))
			return true;
	}
	return false;
}

void shell_run(char *const envp[])
{
	char *const argv[] = { "/bin/sh", NULL };
	pid_t pid;
	int status;

	con_printf("shell: tests are in /daxtest/tests, devices in $DAXTEST_PMEM"
		   " and $DAXTEST_PMEM_DEVMAP; 'exit' powers off");
	pid = fork();
	if (pid < 0) {
		con_printf("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* A session with the console as its controlling terminal, so
		 * Ctrl-C reaches the shell's jobs. */
		setsid();
		ioctl(STDIN_FILENO, TIOCSCTTY, 1);
		execve(argv[0], argv, envp);
		con_printf("cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}
