// SPDX-License-Identifier: GPL-2.0
/*
 * restore.c - make a guest restored from a snapshot fresh again
 *
 * The snapshot is taken while the agent waits for the plan: modules
 * loaded, namespaces prepared, nothing mounted. What it keeps that a
 * restored guest must not: the clock of that moment, the CRNG state every
 * guest restored from it shares, and the kernel's view of the NVDIMMs
 * (labels, namespaces, struct pages of map=dev on the NVDIMM, block
 * device page cache), which is wrong once the backing files changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "namespaces.h"
#include "restore.h"
#include "spawn.h"
#include "util.h"
#include "virtio_pmem.h"

#define NDCTL_TIMEOUT_MS	120000

static int set_clock(struct port *p, const struct plan_restored *r, char *err, size_t errlen)
{
	struct timespec was, ts = { .tv_sec = r->sec, .tv_nsec = r->nsec };
	long long jump_ms;

	if (clock_gettime(CLOCK_REALTIME, &was) < 0)
		was = ts;
	if (clock_settime(CLOCK_REALTIME, &ts) < 0) {
		snprintf(err, errlen, "restored: cannot set the clock to %lld.%09ld: %s", r->sec,
			 r->nsec, strerror(errno));
		return -1;
	}
	jump_ms = (long long)(ts.tv_sec - was.tv_sec) * 1000 +
		  (ts.tv_nsec - was.tv_nsec) / 1000000;
	port_log(p, "restored: clock set to %lld.%09ld, %+lld ms from the snapshot's", r->sec,
		 r->nsec, jump_ms);
	return 0;
}

/* Credits the seed in full and makes the CRNG use it now. A guest that
 * cannot is still usable: logged only. true when it did. */
static bool reseed_crng(struct port *p, const unsigned char *seed, size_t len)
{
	struct rand_pool_info *info;
	bool done = false;
	int fd;

	info = malloc(sizeof(*info) + len);
	if (!info) {
		port_log(p, "restored: cannot reseed the CRNG: out of memory");
		return false;
	}
	info->entropy_count = len * 8;
	info->buf_size = len;
	memcpy(info->buf, seed, len);
	fd = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		port_log(p, "restored: cannot open /dev/urandom: %s", strerror(errno));
		goto out;
	}
	if (ioctl(fd, RNDADDENTROPY, info) < 0)
		port_log(p, "restored: RNDADDENTROPY failed: %s", strerror(errno));
	else if (ioctl(fd, RNDRESEEDCRNG) < 0)
		port_log(p, "restored: RNDRESEEDCRNG failed: %s", strerror(errno));
	else
		done = true;
	close(fd);
out:
	explicit_bzero(info, sizeof(*info) + len);
	free(info);
	return done;
}

/* "ndctl <verb> all -b ACPI.NFIT". 0, or -1 with err set. */
static int ndctl_all(const char *verb, char *const envp[], char *err, size_t errlen)
{
	char *argv[] = { "ndctl", (char *)verb, "all", "-b", NVDIMM_BUS, NULL };
	struct spawn_result r;
	char how[600];
	int ret = -1;

	if (spawn_capture(argv, envp, NDCTL_TIMEOUT_MS, &r) < 0) {
		snprintf(err, errlen, "restored: cannot run ndctl %s: %s", verb, strerror(errno));
		goto out;
	}
	if (!spawn_ok(&r)) {
		spawn_describe(&r, how, sizeof(how));
		snprintf(err, errlen, "restored: ndctl %s all -b " NVDIMM_BUS " failed (%s)", verb,
			 how);
		goto out;
	}
	ret = 0;
out:
	spawn_result_free(&r);
	return ret;
}

/* The kernel forgets the NVDIMMs' labels and namespaces and reads them
 * from the (new) backing files again. */
static int reread_nvdimms(struct port *p, char *const envp[], char *err, size_t errlen)
{
	static const char *const verbs[] = {
		"disable-region", "disable-dimm", "enable-dimm", "enable-region",
	};
	long start = mono_ms();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verbs); i++)
		if (ndctl_all(verbs[i], envp, err, errlen) < 0)
			return -1;
	port_log(p, "restored: NVDIMM regions and DIMMs re-read in %ld ms", mono_ms() - start);
	return 0;
}

/* No page cache of the snapshot survives, of any block device. */
static int drop_caches(struct port *p, char *err, size_t errlen)
{
	long start = mono_ms();

	sync();
	if (write_text_file("/proc/sys/vm/drop_caches", "3") < 0) {
		snprintf(err, errlen, "restored: cannot drop the caches: %s", strerror(errno));
		return -1;
	}
	port_log(p, "restored: caches dropped in %ld ms", mono_ms() - start);
	return 0;
}

/* The snapshot is taken with nothing mounted from a pmem or virtio disk;
 * a restored guest with such a mount is not the one the host meant. */
static int check_mounts(char *err, size_t errlen)
{
	char *line = NULL, found[256] = "";
	size_t linecap = 0, used = 0;
	FILE *f;

	f = fopen("/proc/self/mounts", "re");
	if (!f) {
		snprintf(err, errlen, "restored: cannot read /proc/self/mounts: %s",
			 strerror(errno));
		return -1;
	}
	while (getline(&line, &linecap, f) > 0) {
		char *save = NULL, *source, *target;

		/* "<source> <target> <fstype> <options> 0 0" */
		source = strtok_r(line, " ", &save);
		target = source ? strtok_r(NULL, " ", &save) : NULL;
		if (!target || (strncmp(source, "/dev/pmem", 9) && strncmp(source, "/dev/vd", 7)))
			continue;
		if (used < sizeof(found))
			used += snprintf(found + used, sizeof(found) - used, "%s%s on %s",
					 used ? ", " : "", source, target);
	}
	free(line);
	fclose(f);
	if (!used)
		return 0;
	snprintf(err, errlen, "restored: the snapshot has %s mounted (it must be taken with nothing mounted)",
		 found);
	return -1;
}

int restore_apply(struct port *p, char *const envp[], const struct plan_restored *r,
		  const struct virtio_pmem_pci *vpci, char *err, size_t errlen)
{
	long start = mono_ms();
	bool reseeded;

	if (check_mounts(err, errlen) < 0 || set_clock(p, r, err, errlen) < 0)
		return -1;
	reseeded = reseed_crng(p, r->seed, sizeof(r->seed));
	/* With the snapshot's own files, what the kernel read from them
	 * is still true. */
	if (r->files_changed && (reread_nvdimms(p, envp, err, errlen) < 0 ||
				 drop_caches(p, err, errlen) < 0))
		return -1;
	if (virtio_pmem_restore_pci(vpci, err, errlen) < 0)
		return -1;
	port_log(p, "restored: clock set, CRNG %s%s in %ld ms",
		 reseeded ? "reseeded" : "NOT reseeded",
		 r->files_changed ? ", NVDIMMs re-read, caches dropped" : "", mono_ms() - start);
	return 0;
}
