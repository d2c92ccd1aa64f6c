/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quilt-style patch series: a "series" file lists one patch per line
 * (path relative to the series file, optional -pN), "#" starts a
 * comment. kernel-patches/series always applies; --patches stacks more.
 */
#ifndef DAXTEST_PATCH_SERIES_H
#define DAXTEST_PATCH_SERIES_H

#include <stdbool.h>
#include <stddef.h>

struct hash;

struct patch_entry {
	char *path;	/* resolved path of the patch file */
	char *where;	/* "series:LINE" for messages */
	int strip;	/* -pN */
};

struct patch_series {
	struct patch_entry *patches;
	size_t nr;
};

/* Appends the patches listed in series_path. A missing or unreadable
 * patch, or a malformed line, logs one line and returns -1. */
int patch_series_load(struct patch_series *s, const char *series_path);
/* Parses series text; base_dir resolves relative patch names. */
int patch_series_parse(struct patch_series *s, const char *text,
		       const char *series_name, const char *base_dir);
/* Applies every patch in order to tree. A patch that does not apply
 * logs its name and the failing hunk and returns -1 (nothing of that
 * patch is applied). The files each patch changed or created are
 * appended to touched_path, one per line, so the next sync can undo
 * them. */
int patch_series_apply(const struct patch_series *s, const char *tree,
		       const char *touched_path);
/*
 * The lines of a patch mail's notes: after its "---" line, before the
 * diff, where git am and checkpatch do not look (daxtest's "Daxtest-...:"
 * lines live there). Start with { .next = text }; each call gives the next
 * notes line (*line, *len: without its newline) and returns true, or
 * false at the end.
 */
struct patch_notes {
	const char *next;
	bool in_notes;
};
bool patch_notes_line(struct patch_notes *n, const char **line, size_t *len);

/*
 * Drops the patches written for a later kernel than major.minor: a patch
 * says so in its notes (after the "---" line, before the diff) with
 * "Daxtest-min-kernel: <major>.<minor>", for a fix whose code only exists
 * from that kernel on. Logs each patch it drops. 0, or -1 after logging.
 */
int patch_series_for_kernel(struct patch_series *s, unsigned int major, unsigned int minor);
/* Adds every patch's name and content to h. */
int patch_series_hash(const struct patch_series *s, struct hash *h);
void patch_series_free(struct patch_series *s);

#endif /* DAXTEST_PATCH_SERIES_H */
