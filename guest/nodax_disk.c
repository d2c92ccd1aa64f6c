// SPDX-License-Identifier: GPL-2.0
/*
 * nodax_disk.c - find the host's disk without DAX by its serial
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "nodax_disk.h"
#include "proto.h"
#include "util.h"

int nodax_disk_find(char *dev, size_t len)
{
	DIR *d = opendir("/sys/block");
	struct dirent *e;
	char path[300], serial[64];
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		if (strncmp(e->d_name, "vd", 2))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/serial", e->d_name);
		if (read_text_file(path, serial, sizeof(serial)) < 0 ||
		    strcmp(serial, DAXTEST_NODAX_SERIAL))
			continue;
		snprintf(dev, len, "/dev/%s", e->d_name);
		found = 1;
	}
	closedir(d);
	return found;
}
