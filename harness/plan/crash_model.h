/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a power cut keeps (--crash-model): QEMU backs the NVDIMMs with
 * shared files, so without a model every store the guest made survives
 * the cut, as if the CPU had no cache. The persistence model (plugin/,
 * a TCG plugin) follows stores, cache-line flushes and fences; after the
 * cut the verify phase boots on a crash image built from it
 * (run/crash_image.h):
 *	none		every store survives (the backing files as QEMU left them)
 *	strict		every line the CPU never wrote back and fenced is lost
 *	sampled:N	the strict image, and N more cases per power-fail case
 *			whose image loses each such line or keeps it at random
 *			(seeded by --seed: reproducible)
 * The default, auto, is strict where the plugin can run (QEMU started
 * by daxtest, under TCG) and none elsewhere (KVM, libvirt), said once.
 */
#ifndef DAXTEST_CRASH_MODEL_H
#define DAXTEST_CRASH_MODEL_H

#include <stdbool.h>

#define CRASH_MODEL_MAX_SAMPLES	64

enum crash_model_kind {
	CRASH_MODEL_AUTO,
	CRASH_MODEL_NONE,
	CRASH_MODEL_STRICT,
	CRASH_MODEL_SAMPLED,
};

struct crash_model {
	enum crash_model_kind kind;
	unsigned int samples;	/* sampled: images per case besides the strict one */
};

/* "none", "strict", "sampled:N" (1 <= N <= CRASH_MODEL_MAX_SAMPLES),
 * "auto". 0, or -1 after logging what is wrong with arg. */
int crash_model_parse(const char *arg, struct crash_model *m);

/* "auto", "none", "strict", "sampled". */
const char *crash_model_name(enum crash_model_kind kind);

/* The model a run uses: auto becomes strict when the plugin can run
 * (tcg and QEMU started by daxtest), else none, with why in *note
 * (static text; NULL when nothing needs saying). An explicit model the
 * guests cannot run is an error: -1 with the reason in *note. */
int crash_model_resolve(const struct crash_model *want, bool tcg, bool own_qemu,
			struct crash_model *out, const char **note);

#endif /* DAXTEST_CRASH_MODEL_H */
