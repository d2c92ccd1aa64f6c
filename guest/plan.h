/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's parser of the plan the host sends (proto.h). Plain C with no
 * I/O, so the host's unit tests compile it as well.
 */
#ifndef DAXTEST_GUEST_PLAN_H
#define DAXTEST_GUEST_PLAN_H

#include <stdbool.h>
#include <stddef.h>

struct plan_test {
	unsigned int index;	/* from 1 */
	unsigned int timeout_s;
	char *path;
	char *name;
	char *cell;		/* "map=mem" or "map=dev" (tests/matrix) */
	char *run;		/* kselftest -r case, or NULL */
	char *phase;		/* power-fail phase, or NULL */
};

/* The "restored" record: the guest was restored from a snapshot. */
struct plan_restored {
	bool set;		/* the plan had the record */
	long long sec;		/* the host's CLOCK_REALTIME */
	long nsec;
	bool files_changed;	/* "changed": the NVDIMM backing files are not the snapshot's */
	unsigned char seed[32];	/* for the kernel's CRNG */
};

enum plan_state {
	PLAN_WANT_PLAN,		/* nothing read yet */
	PLAN_WANT_ENV,		/* "env", "test" or "go" may follow */
	PLAN_WANT_TEST,		/* "test" or "go" may follow */
	PLAN_DONE,		/* "go" read */
};

struct plan {
	enum plan_state state;
	unsigned int count;	/* from the "plan" record */
	struct plan_test *tests;
	size_t nr_tests;
	char **env;		/* "KEY=value" */
	size_t nr_env;
	struct plan_restored restored;
};

void plan_init(struct plan *p);

/* Feeds one line of the plan, without its newline. Returns 1 once "go" has
 * completed a valid plan, 0 when more lines must follow, -1 for an invalid
 * line or plan (the reason in err; the plan must not be fed further). */
int plan_parse_line(struct plan *p, const char *line, char *err, size_t errlen);

void plan_free(struct plan *p);

#endif /* DAXTEST_GUEST_PLAN_H */
