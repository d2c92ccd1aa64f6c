// SPDX-License-Identifier: GPL-2.0
/*
 * crash_cut.c - the persistence plugin in a guest, and the crash image after its cut
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proto/persist_meta.h"

#include "lib/fsutil.h"
#include "lib/log.h"
#include "run/crash_cut.h"
#include "run/crash_image.h"

/* Ranges of lost lines a case's log lists; the rest are counted. */
#define CRASH_LOG_RANGES	20

int crash_cut_init(struct crash_cut *c, const char *plugin, const struct workdir *w)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->regions = path_join(w->path, "persist-regions");
	c->journal = path_join(w->path, "persist-journal");
	if (!c->regions || !c->journal)
		return -1;
	c->plugin_arg = str_printf("%s,regions=%s,meta=%s,arm=marker", plugin, c->regions,
				   c->journal);
	if (!c->plugin_arg)
		return -1;
	for (i = 0; i < w->nr_nvdimms; i++) {
		c->shadows[i] = str_printf("%s/persist-shadow%u.img", w->path, i);
		if (!c->shadows[i])
			return -1;
		c->nr_nvdimms++;
	}
	return 0;
}

void crash_cut_free(struct crash_cut *c)
{
	unsigned int i;

	/* The files go with the work directory (or stay, --keep-work). */
	for (i = 0; i < c->nr_nvdimms; i++)
		free(c->shadows[i]);
	free(c->plugin_arg);
	free(c->regions);
	free(c->journal);
	memset(c, 0, sizeof(*c));
}

void crash_cut_configure(const struct crash_cut *c, struct qemu_config *q)
{
	unsigned int i;

	q->plugin = c->plugin_arg;
	q->plugin_regions = c->regions;
	for (i = 0; i < c->nr_nvdimms; i++)
		q->plugin_shadows[i] = c->shadows[i];
}

static char *image_name(const struct crash_cut_image *img)
{
	if (img->kind == CRASH_MODEL_SAMPLED)
		return str_printf("sampled crash image %u (seed %llu)", img->image, img->seed);
	return strdup("strict crash image");
}

/* The report for the case's log: which image, then what it lost, each
 * line a "# " comment of the KTAP log. */
static char *summary_text(const struct crash_summary *sum, const char *name)
{
	size_t len = crash_summary_format(sum, CRASH_LOG_RANGES, NULL, 0), i, n = 0;
	char *text = malloc(len + 1), *out;

	if (!text)
		return NULL;
	crash_summary_format(sum, CRASH_LOG_RANGES, text, len + 1);
	out = malloc(2 * len + 128);
	if (out) {
		n = (size_t)sprintf(out, "# daxtest: the %s of the persistence model\n# ", name);
		for (i = 0; i < len; i++) {
			out[n++] = text[i];
			if (text[i] == '\n' && i + 1 < len) {
				out[n++] = '#';
				out[n++] = ' ';
			}
		}
		if (!n || out[n - 1] != '\n')
			out[n++] = '\n';
		out[n] = '\0';
	}
	free(text);
	return out;
}

/* The image in a line: which, how much it lost, the first loss. */
static char *note_text(const struct crash_summary *sum, const char *name)
{
	const struct crash_range *first = NULL;
	size_t i;

	for (i = 0; i < sum->nr_ranges && !first; i++)
		if (!sum->ranges[i].kept)
			first = &sum->ranges[i];
	if (!first)
		return str_printf("%s: nothing lost", name);
	return str_printf("%s: %llu bytes lost in %zu ranges, first %s", name,
			  (unsigned long long)sum->bytes_lost, sum->ranges_lost,
			  first->text ? first->text : "?");
}

static int apply_image(const struct crash_cut *c, const struct workdir *w,
		       const struct guest_shape *s, const struct crash_cut_image *img,
		       const struct sysmap *map, const char *name, char **log, char **note)
{
	struct crash_region regions[QEMU_MAX_NVDIMMS];
	struct crash_request req = {
		.regions = regions, .nr_regions = w->nr_nvdimms, .journal = c->journal,
		.mode = img->kind == CRASH_MODEL_SAMPLED ? CRASH_SAMPLED : CRASH_STRICT,
		.seed = img->seed, .image = img->image, .sysmap = map,
	};
	struct crash_summary sum = { 0 };
	unsigned int i;
	int ret = -1;

	for (i = 0; i < w->nr_nvdimms; i++)
		regions[i] = (struct crash_region){
			.live = w->nvdimm_paths[i], .shadow = c->shadows[i],
			.size = s->nvdimm_size, .journal_index = i,
		};
	if (crash_image_apply(&req, &sum) < 0) {
		*log = str_printf("# daxtest: no crash image: %s\n", sum.error);
		goto out;
	}
	*log = summary_text(&sum, name);
	*note = note_text(&sum, name);
	ret = img->kind;
out:
	crash_summary_free(&sum);
	return ret;
}

/* The journal's header; zeroes when it cannot be read
 * (crash_image_apply() then says why). */
static struct persist_meta_header journal_header(const char *journal)
{
	struct persist_meta_header h;
	ssize_t n = -1;
	int fd = open(journal, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = pread(fd, &h, sizeof(h), 0);
		close(fd);
	}
	if (n != (ssize_t)sizeof(h) || h.magic != PERSIST_META_MAGIC ||
	    h.version != PERSIST_META_VERSION)
		memset(&h, 0, sizeof(h));
	return h;
}

int crash_cut_apply(const struct crash_cut *c, const struct workdir *w,
		    const struct guest_shape *s, const struct crash_cut_image *img,
		    const struct sysmap *map, char **log, char **note)
{
	struct persist_meta_header h = journal_header(c->journal);
	char *name;
	int ret;

	*log = *note = NULL;
	/*
	 * Not one clwb placed, some unplaced: the kernel lacks the marker
	 * load (kernel-patches/instrument/), and an image would lose lines
	 * it did write back. Asked for the model, that is an error; by
	 * default, the case is verified without one. (A few unplaced among
	 * placed ones -- a clwb cut from its marker by the end of a
	 * translation block -- are only counted in the log.)
	 */
	if (h.clwb_unplaced && !h.flushes_placed) {
		*log = str_printf("# daxtest: no crash image: the kernel wrote back %llu lines with clwb and the persistence model could place none of them (no load of the line right after the flush: stack kernel-patches/instrument/series on this kernel)%s\n",
				  (unsigned long long)h.clwb_unplaced,
				  img->asked ? "" : "; the verify phase sees every store");
		*note = strdup("no crash image: the kernel's clwb were invisible to the persistence model");
		return img->asked ? -1 : CRASH_MODEL_NONE;
	}
	name = image_name(img);
	if (!name)
		return -1;
	ret = apply_image(c, w, s, img, map, name, log, note);
	free(name);
	return ret;
}
