/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Console watcher: reads kernel log lines (serial console or /dev/kmsg
 * text, with or without "[   1.234567] " timestamps) and recognises the
 * reports that mean the kernel misbehaved: Oops, BUG:, WARNING:, KASAN,
 * UBSAN, Kernel panic, hung task, RCU stall, soft lockup. Each finding
 * keeps its first line as a title and the report's lines up to its end
 * marker ("---[ end trace", "---[ end Kernel panic") or a line limit.
 */
#ifndef DAXTEST_CONSOLE_WATCH_H
#define DAXTEST_CONSOLE_WATCH_H

#include <stddef.h>

enum kfinding_kind {
	KF_OOPS,
	KF_BUG,
	KF_WARNING,
	KF_KASAN,
	KF_UBSAN,
	KF_PANIC,
	KF_HUNG_TASK,
	KF_RCU_STALL,
	KF_SOFT_LOCKUP,
};

#define CONSOLE_REPORT_LINES	80	/* lines kept from a report's title on */
#define CONSOLE_LINE_MAX	1024	/* longer lines are cut */

struct kfinding {
	enum kfinding_kind kind;
	char *title;		/* the line that started the report (for a
				 * WARN, the "WARNING:" line, not "cut here") */
	char **lines;		/* the report, timestamps stripped */
	size_t nr_lines;
};

struct console_watch {
	struct kfinding *findings;
	size_t nr_findings;
	struct kfinding *open;	/* report still collecting lines, or NULL;
				 * title NULL: after "cut here", waiting
				 * for the line that says what it is */
	size_t open_budget;	/* lines it may still take */
};

void console_watch_init(struct console_watch *w);
/*
 * Feeds one line (no newline; a trailing "\r" is ignored). Returns 1 if it
 * started a new finding, 0 if not, -1 on allocation failure. The "Oops:"
 * line that follows a "BUG:" or "kernel BUG at" line is part of the same
 * finding, whose kind becomes KF_OOPS; a panic is a finding of its own.
 */
int console_watch_line(struct console_watch *w, const char *line);
/* Closes a report still collecting lines (the stream ended, e.g. the
 * guest died), so it shows in findings. 0 or -ENOMEM. */
int console_watch_flush(struct console_watch *w);
/*
 * Moves the findings out (caller frees with kfinding_free on each, then
 * free() on the array); a report still collecting lines is closed and
 * included. The watcher stays usable. *nr is 0 and NULL is returned when
 * there are none.
 */
struct kfinding *console_watch_take(struct console_watch *w, size_t *nr);
void console_watch_free(struct console_watch *w);
/* Frees what f holds, not f itself. */
void kfinding_free(struct kfinding *f);
const char *kfinding_kind_name(enum kfinding_kind k);

#endif /* DAXTEST_CONSOLE_WATCH_H */
