/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Power-fail tests: one test case runs in two guests on the same NVDIMM
 * backing files. daxtest runs the case (kselftest "-r fixture.variant.test")
 * with DAXTEST_PHASE=prepare; the test sets up its filesystem, runs its
 * workload and calls powerfail_checkpoint(), which prints
 *
 *	# daxtest: checkpoint <label>
 *
 * on stdout and waits. On that line the host kills QEMU with SIGKILL (no
 * guest shutdown, no flush), boots a fresh guest on the same files with the
 * same namespace layout and runs the same case with DAXTEST_PHASE=verify:
 * the test mounts what survived (no mkfs), checks it, unmounts and ends
 * with a read-only fsck (powerfail_fsck()). The verify phase's result is
 * the case's result; a prepare phase that ends without reaching its
 * checkpoint fails the case (unless it skipped).
 *
 * A case whose name starts with "random_" is cut after a random delay
 * instead (seeded, the seed printed; daxtest --seed, --iterations): it calls
 * powerfail_checkpoint_continue() and goes on with its workload until the
 * power goes. Those run only in the full matrix.
 */
#ifndef DAXTEST_POWERFAIL_H
#define DAXTEST_POWERFAIL_H

#include <stddef.h>

enum powerfail_phase {
	POWERFAIL_NONE,		/* not run by daxtest: the power cannot be cut */
	POWERFAIL_PREPARE,
	POWERFAIL_VERIFY,
};

enum powerfail_crash_model {
	POWERFAIL_CRASH_NONE,	/* every store survives */
	POWERFAIL_CRASH_STRICT,	/* every line not written back and fenced is lost */
	POWERFAIL_CRASH_SAMPLED,	/* some of those lines are lost */
};

/* $DAXTEST_CRASH_MODEL, in either phase. */
enum powerfail_crash_model powerfail_crash_model(void);

/* $DAXTEST_PHASE. */
enum powerfail_phase powerfail_phase(void);

/* Prints the checkpoint line, then waits for the power cut: never returns
 * when run by daxtest (returns after 60 s otherwise, so a lost cut shows
 * as a failure rather than a hang). */
void powerfail_checkpoint(const char *label);

/* Prints the checkpoint line and returns: the workload goes on until a
 * random cut (random_ cases). */
void powerfail_checkpoint_continue(const char *label);

/*
 * Read-only fsck of the unmounted filesystem on dev: "xfs_repair -n" or
 * "e2fsck -fn". Returns the tool's exit status (0: clean) or -errno; the
 * tool's output goes to the test's stdout, so a dirty result is in the
 * test's log.
 */
int powerfail_fsck(const char *fs_name, const char *dev);

#endif /* DAXTEST_POWERFAIL_H */
