// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - messages to the user on stderr
 */
#include <stdarg.h>
#include <stdio.h>

#include "lib/log.h"

/* Set once from the command line before any work starts. */
static bool verbose;
static bool quiet;
/* Set while a run shows its live progress line on stderr: every message
 * clears it first and draws it again after. */
static void (*hide_hook)(void *), (*show_hook)(void *);
static void *hook_arg;

void log_set_hooks(void (*hide)(void *), void (*show)(void *), void *arg)
{
	hide_hook = hide;
	show_hook = show;
	hook_arg = arg;
}

void log_set_verbose(bool v)
{
	verbose = v;
}

void log_set_quiet(bool q)
{
	quiet = q;
}

static void log_vprint(const char *prefix, const char *fmt, va_list ap)
{
	if (hide_hook)
		hide_hook(hook_arg);
	flockfile(stderr);
	fprintf(stderr, "daxtest: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	if (show_hook)
		show_hook(hook_arg);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint("error: ", fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	log_vprint("", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	log_vprint("", fmt, ap);
	va_end(ap);
}
