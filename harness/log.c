// SPDX-License-Identifier: GPL-2.0
/*
 * log.c - messages to the user on stderr
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

/* Set once from the command line before any work starts. */
static bool verbose;
static bool quiet;

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
	fprintf(stderr, "daxtest: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
