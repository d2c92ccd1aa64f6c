/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The result-port protocol between the guest agent and the host runner.
 *
 * The port is a dedicated virtio-serial port named DAXTEST_PORT_NAME; the
 * kernel console never carries any of this. Both directions are text, one
 * record per line, at most DAXTEST_LINE_MAX bytes including the newline.
 * A record is a tag, a space, and tag-specific fields, separated by single
 * spaces. The agent replaces every byte of a text field (test output,
 * kernel log, names, messages) that is not printable ASCII or tab by '?'
 * and cuts text that would not fit, so a record never contains a newline,
 * a NUL or any other control byte; a reader may treat such a line as
 * garbage.
 *
 * Host to guest, sent once: right after QEMU starts, or after restoring
 * the guest from a snapshot:
 *
 *	plan <count>                           (count at most DAXTEST_PLAN_MAX_TESTS)
 *	restored <sec> <nsec> same|changed <seed>
 *	                                       (optional, only right after "plan")
 *	env <KEY>=<value>                      (zero or more, for every test)
 *	test <index> <timeout_s> <path> <name> <cell> [run=<case>] [phase=<phase>]
 *	                                       (count of them, index from 1)
 *	go
 *
 * Every line of the plan is a valid record: <KEY> is [A-Za-z_][A-Za-z0-9_]*,
 * <value> and the whole line are printable ASCII or tab, <path> is absolute,
 * <path>, <name>, <cell>, <case> and <phase> have no blanks, <timeout_s> is at least 1, the indexes
 * count up from 1, "env" lines (at most DAXTEST_PLAN_MAX_ENV) come before
 * the first "test" line. The agent answers an invalid plan, or none within
 * a minute, with "error".
 *
 * restored: the guest was restored from a snapshot (a QEMU migration file)
 * taken when it sent "prepared", instead of booted. <sec> <nsec> is the
 * host's CLOCK_REALTIME (<sec> decimal, at least 0; <nsec> 0 to 999999999);
 * "same" says the NVDIMM, virtio-pmem and disk backing files are
 * byte-identical to those at the snapshot, "changed" that the NVDIMM
 * backing files are not those the snapshotted kernel saw (a power cut's
 * verify phase); <seed> is 32 random bytes as exactly 64 lowercase hex
 * digits. The agent answers it with a second hello (restored=1), sets its
 * clock, reseeds the kernel's CRNG with <seed>, on "changed" has the
 * kernel re-read the NVDIMMs (regions and DIMMs disabled and enabled
 * again, the namespaces found again) and drops every page cache (on
 * "same" what the kernel read from the files is still true), checks
 * that nothing is mounted from /dev/pmem* or /dev/vd*, then goes on to
 * "ready".
 *
 * Guest to host:
 *
 *	hello <protocol-version> uptime_ms=<ms> [<key>=<value> ...]
 *	prepared <ms>         modules loaded, namespaces prepared; waiting for
 *	                      the plan (where the host takes its snapshot)
 *	hello <protocol-version> uptime_ms=<ms> [<key>=<value> ...] restored=1
 *	                      only after a plan with "restored"
 *	ready <ms>            tests about to start
 *	begin <index> <name>
 *	out <index> <text>    one line of the test's stdout+stderr
 *	dmesg <index> <text>  one kernel log line logged while the test ran
 *	end <index> exit=<code>|signal=<signo> ms=<duration> [timeout]
 *	log <text>            the agent's own diagnostics
 *	error <text>          the agent cannot go on (bad plan, setup failed)
 *	bye                   all tests done; the guest powers off next
 *
 * hello: uptime_ms is the guest's CLOCK_BOOTTIME when the agent sent it;
 * the agent also sends release=<uname -r>. A reader ignores keys it does
 * not know. prepared: <ms> is the time from hello to prepared (loading the
 * modules, preparing the namespaces and virtio-pmem); the agent sends it,
 * then reads the plan. A restored guest's host never saw the first hello:
 * after a plan with "restored" the agent sends hello again, with
 * restored=1 (uptime_ms then counts the snapshotted guest's time too).
 * ready: <ms> is the time from the latest hello to ready (all of the
 * above and reading the plan; after a restore, the restore's work).
 *
 * Per test: begin, the out records as the output comes (an empty line is
 * "out <index> " with nothing after the space; a trailing CR is dropped),
 * then the log records about what the test left behind (processes killed,
 * mounts below /tmp/ unmounted), then the dmesg records formatted like
 * dmesg ("[%5lu.%06lu] message"), then end. ms in end is from fork() to
 * the exit. A test killed for running past its timeout ends with
 * "signal=9 ms=<duration> timeout". After an error the agent sends nothing
 * more and powers off, also when a test would not die after its timeout
 * (its end record comes first).
 *
 * Each test runs in its own session with stdin /dev/null, stdout and stderr
 * on one pipe, in the directory of <path>, with the environment PATH,
 * HOME=/root, TERM=dumb, the plan's env entries, then
 * DAXTEST_PMEM_DEVMAP=/dev/pmemY (fsdax, map=dev, on the second NVDIMM
 * region; only when there is one), DAXTEST_NODAX=/dev/vdX (a virtio disk
 * without DAX, serial DAXTEST_NODAX_SERIAL; only when the host gave one),
 * DAXTEST_VIRTIO_PMEM=/dev/pmemZ (the raw namespace of a virtio-pmem
 * device: DAX, but not synchronous; only when the host gave one),
 * then the test's matrix cell (the
 * namespace cells of tests/matrix): DAXTEST_CELL=<cell> and DAXTEST_PMEM,
 * the cell's device: for "map=mem" /dev/pmemX (fsdax, map=mem, on the
 * region with the lowest id), for "map=dev" /dev/pmemY. A cell the guest
 * cannot give is an error. A later entry replaces an earlier one of the
 * same key. With run=<case>, the test runs as "<path> -r <case>" (one
 * kselftest case); with phase=<phase>, DAXTEST_PHASE=<phase> (power-fail
 * tests, tests/common/powerfail.h), else DAXTEST_PHASE is empty. The
 * kernel log shows "daxtest: begin <name>" and "daxtest: end
 * <name>" around each test.
 */
#ifndef DAXTEST_PROTO_H
#define DAXTEST_PROTO_H

#define DAXTEST_PROTO_VERSION	3
#define DAXTEST_PORT_NAME	"org.daxtest.results"
#define DAXTEST_NODAX_SERIAL	"daxtest-nodax"
/* The 9p mount tag of the host's tree (the peer suites' root). */
#define DAXTEST_HOST_SHARE_TAG	"daxtest-host"
/* The program that runs a peer suite's test: "<it> -r <script>". */
#define DAXTEST_SUITE_RUNNER	"/daxtest/bin/daxtest-suite"
/* Plan env: the host paths (':'-separated) the suite root shows too. */
#define DAXTEST_SUITE_BINDS_ENV	"DAXTEST_SUITE_BINDS"
#define DAXTEST_LINE_MAX	4096
#define DAXTEST_PLAN_MAX_TESTS	10000
#define DAXTEST_PLAN_MAX_ENV	256

#endif /* DAXTEST_PROTO_H */
