// SPDX-License-Identifier: GPL-2.0
/*
 * powerfail.c - the test side of daxtest's power cuts
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dax_fs.h"
#include "powerfail.h"

#define CHECKPOINT_WAIT_S	60

enum powerfail_phase powerfail_phase(void)
{
	const char *phase = getenv("DAXTEST_PHASE");

	if (!phase)
		return POWERFAIL_NONE;
	if (!strcmp(phase, "prepare"))
		return POWERFAIL_PREPARE;
	if (!strcmp(phase, "verify"))
		return POWERFAIL_VERIFY;
	return POWERFAIL_NONE;
}

enum powerfail_crash_model powerfail_crash_model(void)
{
	const char *model = getenv("DAXTEST_CRASH_MODEL");

	if (model && !strcmp(model, "strict"))
		return POWERFAIL_CRASH_STRICT;
	if (model && !strncmp(model, "sampled", 7))
		return POWERFAIL_CRASH_SAMPLED;
	return POWERFAIL_CRASH_NONE;
}

void powerfail_checkpoint_continue(const char *label)
{
	/* The harness writes the test's stdout through a pipe: flush both
	 * streams so the line is not stuck behind buffered output. */
	fflush(stderr);
	printf("# daxtest: checkpoint %s\n", label);
	fflush(stdout);
}

void powerfail_checkpoint(const char *label)
{
	unsigned int left = CHECKPOINT_WAIT_S;

	powerfail_checkpoint_continue(label);
	while (left)
		left = sleep(left);
}

int powerfail_fsck(const char *fs_name, const char *dev)
{
	char *xfs[] = { "xfs_repair", "-n", (char *)dev, NULL };
	char *ext4[] = { "e2fsck", "-fn", (char *)dev, NULL };

	fflush(stdout);
	if (!strcmp(fs_name, "xfs"))
		return dax_run_tool(xfs);
	if (!strcmp(fs_name, "ext4"))
		return dax_run_tool(ext4);
	return -EINVAL;
}
