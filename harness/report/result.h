/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What one run produced: the results of each in-guest test program, with
 * the KTAP its output parsed into and the kernel problems seen while it
 * ran. Filled by the runner, read by the report writers.
 */
#ifndef DAXTEST_RESULT_H
#define DAXTEST_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "parse/ktap.h"
#include "parse/console_watch.h"

enum test_status {
	TEST_PASS,
	TEST_FAIL,	/* exited non-zero or by a signal, a subtest failed, its
			 * KTAP was broken or could not be parsed, or the
			 * kernel reported a problem while it ran */
	TEST_SKIP,	/* exit status 4 (kselftest's KSFT_SKIP: what the
			 * harness exits with when every subtest skipped) */
	TEST_TIMEOUT,	/* killed by the agent's per-test timeout */
	TEST_CRASH,	/* the guest died (panic, lost) while this test ran */
	TEST_NOT_RUN,	/* the run ended before this test started */
	TEST_XFAIL,	/* failed, as tests/known/ says it does on this kernel */
	TEST_XPASS,	/* passed, although tests/known/ says it fails: fails the
			 * run, as kselftest's XPASS does, until the entry goes */
};

/* A status that fails the run (all but PASS, SKIP and XFAIL). */
bool test_status_failed(enum test_status s);

struct test_result;
/* Its KTAP subtests are what the totals count: it has some and they
 * come in order. Disordered KTAP (fake or garbled results a test
 * printed) is not believed: the program counts as one result instead.
 * A stream cut short (a killed test) keeps the results it has. */
bool test_result_counts_subtests(const struct test_result *t);

struct test_result {
	/* One per program and matrix cell (test_catalog_expand):
	 * "<area>/<program>@<cell>", e.g. "per-file-dax/dax_statx@map=mem";
	 * a power-fail case "<area>/<program>/<fixture>.<variant>.<test>@<cell>",
	 * a random_ case's iterations with ",iter=<n>" after the cell. */
	char *name;
	enum test_status status;
	char *reason;		/* one line: why it failed or skipped; may be NULL */
	int exit_code;		/* -1 when it did not exit normally */
	int signal;		/* terminating signal, 0 if none */
	double seconds;
	char *output;		/* the test's stdout+stderr, NUL-terminated */
	size_t output_len;
	struct ktap_doc ktap;	/* output parsed as KTAP */
	char **dmesg;		/* kernel log lines logged while it ran */
	size_t nr_dmesg;
	struct kfinding *findings; /* oopses, warnings, ... attributed to it */
	size_t nr_findings;
};

struct run_report {
	char *run_id;
	char *kernel_release;	/* uname -r of the guest kernel */
	char *kernel_source;	/* human description, e.g. "linux-source-6.12 6.12.117-1" */
	char *accel;		/* "tcg" or "kvm" */
	/* The first guest of the run to begin a test: from starting it (QEMU,
	 * or the libvirt domain) to the agent's "begin" of that test, so the
	 * kernel's boot and the agent's setup (modules, plan, namespaces);
	 * 0 when no test began. */
	double boot_seconds;
	double qemu_peak_rss_mib; /* the largest QEMU of the run; 0: unknown */
	/* Guests restored from a snapshot (vm/snapshot.h) and booted. */
	unsigned int guests_restored, guests_booted;
	unsigned int guests;	/* parallel guests (-j); each > 1 has console-<n>.log */
	double total_seconds;
	char *infra_error;	/* set when the run itself broke (exit 2) */
	struct test_result *tests;
	size_t nr_tests;
	struct kfinding *findings; /* kernel problems outside any test */
	size_t nr_findings;
};

/* "pass", "fail", "skip", "timeout", "crash", "not-run", "xfail", "xpass". */
const char *test_status_name(enum test_status s);
/* The suite a result belongs to, by its name: "ndctl" ("ndctl/<test>"),
 * "fstests" ("fstests-<section>/<test>@<cell>"), else "daxtest". */
const char *result_suite(const char *name);

/* Free what t and r hold (strings, arrays, the KTAP doc, the findings),
 * not t and r themselves; they are left zeroed. */
void test_result_free(struct test_result *t);
void run_report_free(struct run_report *r);
/*
 * Text that came from the guest, made safe for the JSON and XML reports:
 * valid UTF-8 (a malformed sequence, U+FFFE and U+FFFF become U+FFFD)
 * without control characters other than tab and newline. malloc'd and
 * NUL-terminated; NULL on allocation failure.
 */
char *result_text_clean(const char *s, size_t len);

#endif /* DAXTEST_RESULT_H */
