/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fixture of the programs that make and mount their own filesystem in
 * each test (dax_mount, dax_ext4): it finds the pmem block device in
 * $DAXTEST_PMEM, notes whether it has DAX and makes the mount point; the
 * parent teardown unmounts whatever the test left mounted. Include after
 * kselftest_harness.h.
 */
#ifndef DAXTEST_BARE_FIXTURE_H
#define DAXTEST_BARE_FIXTURE_H

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dax_fs.h"

FIXTURE(bare) {
	char dev[256];		/* $DAXTEST_PMEM */
	char mnt[64];		/* the mkdtemp() mount point */
	int root;		/* O_DIRECTORY fd on the mounted root, or -1 */
	bool mounted;
	bool dev_dax;		/* the device's request queue advertises DAX */
};

FIXTURE_SETUP(bare)
{
	char why[128];
	int ret;

	self->root = -1;
	ret = dax_cell_device(self->dev, sizeof(self->dev), why, sizeof(why));
	DAX_CELL_NEED_DEVICE(ret, why);
	ASSERT_LE(0, ret) TH_LOG("cannot read queue/dax of %s from sysfs: %s",
				 self->dev, strerror(-ret));
	/* Outside a cell, the tests that need DAX skip one by one. */
	if (dax_cell_named())
		DAX_CELL_NEED_DAX(self->dev, ret, "");
	self->dev_dax = ret;

	snprintf(self->mnt, sizeof(self->mnt), "/tmp/daxtest-pfd.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->mnt)) TH_LOG("mkdtemp: %s", strerror(errno));
}

/* A parent teardown, for the reasons fsdax_fixture.h gives. */
FIXTURE_TEARDOWN_PARENT(bare)
{
	const char *step;
	int ret;

	_metadata->trigger = 0;
	ret = dax_mount_cleanup(self->mnt, self->mounted, &step);
	EXPECT_EQ(0, ret) TH_LOG("%s %s: %s", step, self->mnt, strerror(-ret));
}

#endif /* DAXTEST_BARE_FIXTURE_H */
