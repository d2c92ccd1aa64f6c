// SPDX-License-Identifier: GPL-2.0
/*
 * durations.c - each test's last duration, to start the long ones first
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "plan/durations.h"

/* The seconds of the line for name in text, or a negative number. */
static double lookup(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *line;

	for (line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *tab = strchr(line, '\t'), *end = strchr(line, '\n');
		char *num_end;
		double s;

		if (!tab || (end && tab > end))
			continue;
		if (strncmp(tab + 1, name, len) || (tab[1 + len] != '\n' && tab[1 + len] != '\0'))
			continue;
		s = strtod(line, &num_end);
		if (tab > line && num_end == tab && s >= 0 && s < 1e6)
			return s;
	}
	return -1;
}

void durations_parse(const char *text, const struct test_def *tests, size_t nr,
		     double *seconds)
{
	double sum = 0, mean;
	size_t i, known = 0;

	for (i = 0; i < nr; i++) {
		seconds[i] = text ? lookup(text, tests[i].name) : -1;
		if (seconds[i] >= 0) {
			sum += seconds[i];
			known++;
		}
	}
	mean = known ? sum / (double)known : DURATION_UNKNOWN_S;
	for (i = 0; i < nr; i++)
		if (seconds[i] < 0)
			seconds[i] = mean;
}

void durations_load(const char *path, const struct test_def *tests, size_t nr,
		    double *seconds)
{
	char *text = NULL;

	if (read_file(path, &text, NULL) != 0)
		text = NULL;
	durations_parse(text, tests, nr, seconds);
	free(text);
}

/* Whether r ran a test named like the line at line (its name ends at
 * the newline or the end). */
static bool ran_in(const struct run_report *r, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < r->nr_tests; i++)
		if (r->tests[i].status != TEST_NOT_RUN && strlen(r->tests[i].name) == len &&
		    !strncmp(r->tests[i].name, name, len))
			return true;
	return false;
}

int durations_save(const char *path, const struct run_report *r)
{
	char *old = NULL, *text = NULL;
	const char *line;
	size_t len = 0, i;
	FILE *f;
	int ret;

	if (read_file(path, &old, NULL) != 0)
		old = NULL;
	f = open_memstream(&text, &len);
	if (!f) {
		free(old);
		return -ENOMEM;
	}
	for (i = 0; i < r->nr_tests; i++)
		if (r->tests[i].status != TEST_NOT_RUN && !strchr(r->tests[i].name, '\n'))
			fprintf(f, "%.3f\t%s\n", r->tests[i].seconds, r->tests[i].name);
	for (line = old; line && *line;) {
		const char *end = strchr(line, '\n'), *tab = strchr(line, '\t');
		size_t n = end ? (size_t)(end - line) : strlen(line);

		if (tab && tab < line + n && !ran_in(r, tab + 1, (size_t)(line + n - tab - 1)))
			fprintf(f, "%.*s\n", (int)n, line);
		line = end ? end + 1 : NULL;
	}
	ret = fclose(f) ? -errno : 0;
	if (!ret)
		ret = write_file_atomic(path, text, len, 0600);
	free(old);
	free(text);
	return ret;
}
