// SPDX-License-Identifier: GPL-2.0
/*
 * progress.c - the live progress line, or plain progress lines
 */
#include <stdio.h>
#include <string.h>

#include "lib/clock.h"
#include "run/progress.h"

void progress_init(struct progress *p, FILE *f, bool live, size_t total)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->live = live;
	p->total = total;
	p->t0 = mono_s();
	pthread_mutex_init(&p->lock, NULL);
}

void progress_format(const struct progress *p, double now, char *buf, size_t len)
{
	unsigned long s = now > p->t0 ? (unsigned long)(now - p->t0) : 0;
	char failed[32] = "", more[32] = "";

	if (p->failed)
		snprintf(failed, sizeof(failed), ", %zu failed", p->failed);
	if (p->current[0] && p->running > 1)
		snprintf(more, sizeof(more), " +%zu", p->running - 1);
	snprintf(buf, len, "[%zu/%zu%s, %lu:%02lu]%s%s%s", p->done, p->total, failed,
		 s / 60, s % 60, p->current[0] ? " " : "", p->current, more);
}

/* Called with the lock held. */
static void clear_line(struct progress *p)
{
	if (p->shown) {
		fputs("\r\033[K", p->f);
		fflush(p->f);
		p->shown = false;
	}
}

/* Called with the lock held. The line is cut to 79 columns: a wrapped
 * line cannot be redrawn in place. */
static void draw_line(struct progress *p)
{
	char buf[256];

	if (!p->live)
		return;
	progress_format(p, mono_s(), buf, sizeof(buf));
	fprintf(p->f, "\r\033[Kdaxtest: %.70s", buf);
	fflush(p->f);
	p->shown = true;
}

void progress_end(struct progress *p)
{
	pthread_mutex_lock(&p->lock);
	clear_line(p);
	p->live = false;
	pthread_mutex_unlock(&p->lock);
}

void progress_test_begins(struct progress *p, const char *name)
{
	pthread_mutex_lock(&p->lock);
	snprintf(p->current, sizeof(p->current), "%s", name);
	p->running++;
	draw_line(p);
	pthread_mutex_unlock(&p->lock);
}

void progress_test_done(struct progress *p, const char *name, const char *status,
			bool failed, double seconds)
{
	pthread_mutex_lock(&p->lock);
	p->done++;
	p->failed += failed;
	if (p->running)
		p->running--;
	if (!strcmp(p->current, name))
		p->current[0] = '\0';
	if (p->live) {
		draw_line(p);
	} else {
		fprintf(p->f, "daxtest: [%zu/%zu] %s: %s (%.1f s)\n", p->done, p->total,
			name, status, seconds);
		fflush(p->f);
	}
	pthread_mutex_unlock(&p->lock);
}

void progress_test_pauses(struct progress *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->running)
		p->running--;
	pthread_mutex_unlock(&p->lock);
}

void progress_tick(struct progress *p)
{
	pthread_mutex_lock(&p->lock);
	draw_line(p);
	pthread_mutex_unlock(&p->lock);
}

void progress_hide(struct progress *p)
{
	pthread_mutex_lock(&p->lock);
	clear_line(p);
}

void progress_show(struct progress *p)
{
	draw_line(p);
	pthread_mutex_unlock(&p->lock);
}
