/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host side of the result-port protocol (proto/agent_proto.h): turns the bytes
 * read from the port into events, and writes the plan the agent runs.
 */
#ifndef DAXTEST_AGENT_STREAM_H
#define DAXTEST_AGENT_STREAM_H

#include <stdbool.h>
#include <stddef.h>

enum agent_event_kind {
	AGENT_HELLO,	/* version, value = uptime ms */
	AGENT_PREPARED,	/* value = ms from hello to waiting for the plan (the snapshot point) */
	AGENT_READY,	/* value = ms from the latest hello to the first test */
	AGENT_BEGIN,	/* index, text = name */
	AGENT_OUT,	/* index, text */
	AGENT_DMESG,	/* index, text */
	AGENT_END,	/* index, exit_code or signal, value = ms, timed_out */
	AGENT_LOG,	/* text */
	AGENT_ERROR,	/* text */
	AGENT_BYE,
	AGENT_BAD,	/* a line that is not a valid record; text = the line */
};

struct agent_event {
	enum agent_event_kind kind;
	int version;
	int index;
	const char *text;	/* valid only during the callback */
	long value;
	int exit_code;		/* -1 unless the test exited */
	int signal;		/* 0 unless the test was killed by a signal */
	bool timed_out;
};

typedef void (*agent_event_fn)(const struct agent_event *ev, void *arg);

struct agent_stream;

struct agent_stream *agent_stream_new(agent_event_fn fn, void *arg);
/* Feeds bytes as read; calls fn for each complete line. */
void agent_stream_feed(struct agent_stream *s, const char *buf, size_t len);
/* End of stream: a partial last line is reported as AGENT_BAD. */
void agent_stream_finish(struct agent_stream *s);
void agent_stream_free(struct agent_stream *s);

struct agent_plan_test {
	const char *name;	/* "<area>/<program>@<cell>" */
	const char *path;	/* path inside the guest */
	const char *cell;	/* the namespace cell, "map=mem" or "map=dev" */
	const char *run;	/* kselftest -r filter, or NULL */
	const char *phase;	/* power-fail phase ("prepare", "verify"), or NULL */
	unsigned int timeout_s;
};

/* The guest was restored from a snapshot taken at "prepared". */
struct agent_plan_restore {
	long long sec;		/* the host's CLOCK_REALTIME, sec >= 0 */
	long nsec;		/* 0 to 999999999 */
	bool files_changed;	/* the NVDIMM backing files are not the snapshot's */
	unsigned char seed[32];	/* random, for the guest's CRNG */
};

struct agent_plan {
	const struct agent_plan_test *tests;
	size_t nr_tests;
	const char *const *env;	/* "KEY=value" strings */
	size_t nr_env;
	const struct agent_plan_restore *restore;	/* NULL: a booted guest */
};

/* Writes the plan records to fd. Returns 0 or -errno. Names, paths and
 * env entries with spaces or newlines where the format forbids them, and
 * a restore time out of range, are refused with -EINVAL. */
int agent_plan_write(int fd, const struct agent_plan *plan);
/* The same records as one malloc'd buffer (for a backend that sends them
 * itself). 0, or -errno as agent_plan_write. */
int agent_plan_text(const struct agent_plan *plan, char **text, size_t *len);

#endif /* DAXTEST_AGENT_STREAM_H */
