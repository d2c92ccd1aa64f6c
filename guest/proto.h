/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result-port protocol between the guest agent and the host runner.
 *
 * The port is a dedicated virtio-serial port named DAXTEST_PORT_NAME; the
 * kernel console never carries any of this. Both directions are text, one
 * record per line, at most DAXTEST_LINE_MAX bytes including the newline.
 * A record is a tag, a space, and tag-specific fields. The agent replaces
 * bytes of test output that are not printable ASCII or tab by '?', so a
 * record never contains a newline or a NUL.
 *
 * Host to guest, sent once right after QEMU starts:
 *
 *	plan <count>
 *	env <KEY>=<value>                      (zero or more, for every test)
 *	test <index> <timeout_s> <path> <name> (count of them, index from 1)
 *	go
 *
 * Guest to host:
 *
 *	hello <protocol-version> uptime_ms=<ms> [<key>=<value> ...]
 *	ready <ms>            namespaces prepared, tests about to start
 *	begin <index> <name>
 *	out <index> <text>    one line of the test's stdout+stderr
 *	dmesg <index> <text>  one kernel log line logged while the test ran
 *	end <index> exit=<code>|signal=<signo> ms=<duration> [timeout]
 *	log <text>            the agent's own diagnostics
 *	error <text>          the agent cannot go on (bad plan, setup failed)
 *	bye                   all tests done; the guest powers off next
 *
 * Every line of the plan is a valid record: <KEY> is [A-Za-z_][A-Za-z0-9_]*,
 * <value> and the whole line are printable ASCII or tab, <path> is absolute,
 * <path> and <name> have no blanks, <timeout_s> is at least 1, the indexes
 * count up from 1 and "env" lines come before the first "test" line. The
 * agent answers an invalid plan with "error".
 *
 * hello: uptime_ms is the guest's CLOCK_BOOTTIME when the agent opened the
 * port. The agent also sends release=<uname -r>; a reader ignores keys it
 * does not know. ready: <ms> is the time from hello to ready (kernel
 * modules, reading the plan, preparing the pmem namespaces). out: lines
 * longer than a record allows are cut. end: a test killed for running past
 * its timeout ends "signal=9 ms=<duration> timeout". log: among others, one
 * line per mount below /tmp/ that a test left behind and the agent
 * unmounted.
 *
 * Each test runs in its own session with stdin /dev/null, stdout and stderr
 * on one pipe, in the directory of <path>, with the environment PATH, HOME,
 * TERM, the plan's env entries, and DAXTEST_PMEM=/dev/pmemX (fsdax, map=mem,
 * on the NVDIMM region with the lowest id) and DAXTEST_PMEM_DEVMAP=/dev/pmemY
 * (fsdax, map=dev, on the next region; only when there is one).
 */
#ifndef DAXTEST_PROTO_H
#define DAXTEST_PROTO_H

#define DAXTEST_PROTO_VERSION	1
#define DAXTEST_PORT_NAME	"org.daxtest.results"
#define DAXTEST_LINE_MAX	4096

#endif /* DAXTEST_PROTO_H */
