/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Progress of a run on stderr. On a terminal: one live line, redrawn in
 * place (tests done / total, failures so far, elapsed time, the test
 * running now), cleared around every other line daxtest prints. Not on
 * a terminal (CI logs): a plain line per finished test.
 */
#ifndef DAXTEST_PROGRESS_H
#define DAXTEST_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *f;
	bool live;		/* redraw one line in place */
	bool shown;		/* the live line is on the screen */
	size_t total, done, failed;
	size_t running;		/* tests begun and not done (one per guest) */
	double t0;
	char current[160];	/* the test that began last */
	pthread_mutex_t lock;
};

void progress_init(struct progress *p, FILE *f, bool live, size_t total);
/* Clears the line and stops redrawing it. */
void progress_end(struct progress *p);
void progress_test_begins(struct progress *p, const char *name);
/* status: "ok", "not ok", ...; failed counts it in the failures. */
void progress_test_done(struct progress *p, const char *name, const char *status,
			bool failed, double seconds);
/* A test stopped without being done (a power cut between its phases). */
void progress_test_pauses(struct progress *p);
/* Redraws the live line (the elapsed time moves). */
void progress_tick(struct progress *p);
/* Around any other output to the terminal: clear the line and hold the
 * lock, then draw it again. */
void progress_hide(struct progress *p);
void progress_show(struct progress *p);
/* The live line's text, for tests: "[3/39, 1 failed, 0:42] name", with
 * " +N" when N more tests run in other guests. */
void progress_format(const struct progress *p, double now, char *buf, size_t len);

#endif /* DAXTEST_PROGRESS_H */
