/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fuzz targets of the parsers that read what the guest wrote: one
 * function per parser, fed arbitrary bytes. The libFuzzer mains
 * (harness/tests/fuzz/fuzz_<name>.c, make fuzz) call them, and so does the unit
 * test that replays the saved inputs of harness/tests/data/fuzz/<name>/
 * (harness/tests/test_fuzz_regressions.c). A target returns, or aborts
 * with a message when a parser broke one of its promises; memory errors
 * and leaks are the sanitizers' to report.
 */
#ifndef DAXTEST_FUZZ_TARGETS_H
#define DAXTEST_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

typedef void (*fuzz_fn)(const uint8_t *data, size_t size);

struct fuzz_target {
	const char *name;	/* fuzz_<name>, harness/tests/data/fuzz/<name>/ */
	fuzz_fn fn;
};

/* ktap_parse() on the bytes, every promise of ktap.h checked, and what
 * report_ktap.c prints of the results parsed back. */
void fuzz_ktap(const uint8_t *data, size_t size);
/* The bytes split into console lines as vm/session_io.c does, each fed to
 * console_watch_line(), with findings taken and flushed at points the
 * bytes choose, as lane.c does. */
void fuzz_console_watch(const uint8_t *data, size_t size);
/* The bytes fed to an agent stream in one piece and in chunks the bytes
 * choose: both must give the same events. dmesg records go to a console
 * watcher, as lane.c does. */
void fuzz_agent_stream(const uint8_t *data, size_t size);

extern const struct fuzz_target fuzz_targets[];
extern const size_t nr_fuzz_targets;

#endif /* DAXTEST_FUZZ_TARGETS_H */
