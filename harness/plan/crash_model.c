// SPDX-License-Identifier: GPL-2.0
/*
 * crash_model.c - which crash image a power cut leaves (--crash-model)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "plan/crash_model.h"

int crash_model_parse(const char *arg, struct crash_model *m)
{
	unsigned long n;
	char *end;

	memset(m, 0, sizeof(*m));
	if (!strcmp(arg, "auto")) {
		m->kind = CRASH_MODEL_AUTO;
		return 0;
	}
	if (!strcmp(arg, "none")) {
		m->kind = CRASH_MODEL_NONE;
		return 0;
	}
	if (!strcmp(arg, "strict")) {
		m->kind = CRASH_MODEL_STRICT;
		return 0;
	}
	if (!strncmp(arg, "sampled:", 8) && arg[8] >= '0' && arg[8] <= '9') {
		errno = 0;
		n = strtoul(arg + 8, &end, 10);
		if (!errno && !*end && n >= 1 && n <= CRASH_MODEL_MAX_SAMPLES) {
			m->kind = CRASH_MODEL_SAMPLED;
			m->samples = (unsigned int)n;
			return 0;
		}
	}
	log_error("--crash-model '%s': want none, strict, sampled:N (N from 1 to %d) or auto",
		  arg, CRASH_MODEL_MAX_SAMPLES);
	return -1;
}

const char *crash_model_name(enum crash_model_kind kind)
{
	switch (kind) {
	case CRASH_MODEL_AUTO:
		return "auto";
	case CRASH_MODEL_NONE:
		return "none";
	case CRASH_MODEL_STRICT:
		return "strict";
	case CRASH_MODEL_SAMPLED:
		return "sampled";
	}
	return "?";
}

int crash_model_resolve(const struct crash_model *want, bool tcg, bool own_qemu,
			struct crash_model *out, const char **note)
{
	const char *why = !own_qemu ? "the persistence plugin runs only in a QEMU daxtest starts itself, not under libvirt" :
			  !tcg ? "the persistence plugin needs TCG, and the guests run under KVM" : NULL;

	*out = *want;
	*note = NULL;
	if (want->kind == CRASH_MODEL_NONE)
		return 0;
	if (want->kind == CRASH_MODEL_AUTO) {
		out->kind = why ? CRASH_MODEL_NONE : CRASH_MODEL_STRICT;
		if (why)
			*note = why;
		return 0;
	}
	if (why) {
		*note = why;
		return -1;
	}
	return 0;
}
