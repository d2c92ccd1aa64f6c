// SPDX-License-Identifier: GPL-2.0
/*
 * mounts.c - mount the guest's filesystems; unmount what tests left behind
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "mounts.h"
#include "util.h"

struct mount_spec {
	const char *fstype;
	const char *target;
	unsigned long flags;
	const char *data;
};

static const struct mount_spec early_mounts[] = {
	{ "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "devtmpfs", "/dev", MS_NOSUID, "mode=0755" },
};

static const struct mount_spec later_mounts[] = {
	{ "debugfs", "/sys/kernel/debug", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "tmpfs", "/tmp", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "tmpfs", "/run", MS_NOSUID | MS_NODEV, "mode=0755" },
};

static int mount_one(const struct mount_spec *m, char *err, size_t errlen)
{
	if (mkdir(m->target, 0755) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "mkdir %s: %s", m->target, strerror(errno));
		return -1;
	}
	/* EBUSY: the kernel or an earlier agent already mounted it. */
	if (mount(m->fstype, m->target, m->fstype, m->flags, m->data) < 0 &&
	    errno != EBUSY) {
		snprintf(err, errlen, "mount %s on %s: %s", m->fstype, m->target,
			 strerror(errno));
		return -1;
	}
	return 0;
}

static int mount_all(const struct mount_spec *m, size_t n, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mount_one(&m[i], err, errlen) < 0)
			return -1;
	return 0;
}

int mounts_early(char *err, size_t errlen)
{
	return mount_all(early_mounts, ARRAY_SIZE(early_mounts), err, errlen);
}

int mounts_rest(char *err, size_t errlen)
{
	return mount_all(later_mounts, ARRAY_SIZE(later_mounts), err, errlen);
}

/* Undoes the octal escapes (\040 for a space, ...) of /proc/self/mounts. */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static size_t depth(const char *path)
{
	size_t n = 0;

	for (; *path; path++)
		n += *path == '/';
	return n;
}

static int deeper_first(const void *a, const void *b)
{
	const char *pa = *(char *const *)a, *pb = *(char *const *)b;
	size_t da = depth(pa), db = depth(pb);

	if (da != db)
		return da < db ? 1 : -1;
	return strcmp(pb, pa);
}

/* The mount targets below prefix, from /proc/self/mounts. */
static int collect(const char *prefix, char ***out, size_t *nr)
{
	size_t plen = strlen(prefix), cap = 0;
	char *line = NULL, **v = NULL;
	size_t linecap = 0;
	FILE *f;
	int ret = 0;

	f = fopen("/proc/self/mounts", "re");
	if (!f)
		return -1;
	*nr = 0;
	while (getline(&line, &linecap, f) > 0) {
		char *target, *save = NULL;

		/* "<source> <target> <fstype> <options> 0 0" */
		target = strtok_r(line, " ", &save) ? strtok_r(NULL, " ", &save) : NULL;
		if (!target)
			continue;
		unescape(target);
		if (strncmp(target, prefix, plen) || !target[plen])
			continue;
		if (*nr == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			char **nv = realloc(v, ncap * sizeof(*v));

			if (!nv)
				goto fail;
			v = nv;
			cap = ncap;
		}
		v[*nr] = strdup(target);
		if (!v[*nr])
			goto fail;
		(*nr)++;
	}
	*out = v;
	goto out;
fail:
	while (*nr)
		free(v[--*nr]);
	free(v);
	ret = -1;
out:
	free(line);
	fclose(f);
	return ret;
}

int mounts_sweep(const char *prefix, void (*fn)(const char *target, int error, void *arg),
		 void *arg)
{
	char **targets = NULL;
	size_t i, nr = 0;

	if (collect(prefix, &targets, &nr) < 0)
		return -1;
	if (!nr)
		return 0;
	qsort(targets, nr, sizeof(*targets), deeper_first);
	for (i = 0; i < nr; i++) {
		int error = 0;

		if (umount2(targets[i], MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			error = errno;
		fn(targets[i], error, arg);
		free(targets[i]);
	}
	free(targets);
	return nr;
}
