// SPDX-License-Identifier: GPL-2.0
/*
 * nodax_disk.c - find the host's disk without DAX by its serial
 */
#include <stdio.h>

#include "nodax_disk.h"
#include "proto/agent_proto.h"
#include "util.h"

int nodax_disk_find(char *dev, size_t len)
{
	char name[64];

	if (!sysfs_find_entry("/sys/block", "vd", "serial", DAXTEST_NODAX_SERIAL,
			      name, sizeof(name)))
		return 0;
	snprintf(dev, len, "/dev/%s", name);
	return 1;
}
