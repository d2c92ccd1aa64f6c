/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The persistence model in a lane's guests (--crash-model, plan/crash_model.h):
 * a guest that runs a power-fail case's prepare phase starts with the
 * persistence plugin, which keeps a shadow of each NVDIMM (what reached
 * persistence) and a journal in the lane's work directory; after the
 * cut, the NVDIMM backing files become the crash image of the case
 * (run/crash_image.h) before the verify guest boots on them, and the
 * case's log says which lines were lost and why.
 */
#ifndef DAXTEST_CRASH_CUT_H
#define DAXTEST_CRASH_CUT_H

#include <stdbool.h>

#include "parse/sysmap.h"
#include "plan/crash_model.h"
#include "vm/guest.h"
#include "vm/qemu_cmd.h"
#include "vm/workdir.h"

struct crash_cut {
	char *plugin_arg;	/* "<plugin>,regions=<file>,meta=<file>,arm=marker" */
	char *regions;		/* written by persist_start() */
	char *journal;		/* the plugin's persist_meta file */
	char *shadows[QEMU_MAX_NVDIMMS];
	unsigned int nr_nvdimms;
};

/* The files of the model in w. 0, or -1 without memory. */
int crash_cut_init(struct crash_cut *c, const char *plugin, const struct workdir *w);
void crash_cut_free(struct crash_cut *c);

/* Loads the plugin into the guest of q. */
void crash_cut_configure(const struct crash_cut *c, struct qemu_config *q);

/* How the cut is to be turned into a crash image. */
struct crash_cut_image {
	enum crash_model_kind kind;	/* strict or sampled */
	unsigned long long seed;	/* sampled: the run's seed */
	unsigned int image;		/* sampled: the case's image, from 1 */
	bool asked;			/* --crash-model given, not the default */
};

/*
 * After the power cut of a guest that ran with the plugin: rewrites the
 * NVDIMM files of w (shape s) into the crash image. *log gets what to
 * put in the case's log (malloc'd; may be NULL without memory). Returns
 * the model the verify phase sees: the image's, or CRASH_MODEL_NONE
 * when the image was not applied because the plugin could place none
 * of the kernel's flushes (a kernel without kernel-patches/instrument/:
 * the files are left as QEMU left them, *log says so) and the model was
 * the default. -1 when the image cannot be made (the model did not
 * start, an I/O error, or that kernel under an asked-for model): *log
 * says why.
 * *note gets the image in a line, for the reason of a verify phase that
 * fails ("strict crash image: 64 bytes lost in 1 ranges, first nvdimm0
 * +0x20d000, 64 bytes lost: stored by ..., never flushed"), or NULL.
 */
int crash_cut_apply(const struct crash_cut *c, const struct workdir *w,
		    const struct guest_shape *s, const struct crash_cut_image *img,
		    const struct sysmap *map, char **log, char **note);

#endif /* DAXTEST_CRASH_CUT_H */
