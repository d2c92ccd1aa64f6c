// SPDX-License-Identifier: GPL-2.0
/*
 * namespaces.c - prepare the fsdax namespaces with ndctl
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_scan.h"
#include "namespaces.h"
#include "spawn.h"
#include "util.h"

#define NDCTL_TIMEOUT_MS	120000
#define BLOCKDEV_WAIT_MS	5000
#define MAX_REGIONS		16

struct region {
	unsigned int id;
	char dev[32];			/* "region0" */
	unsigned long long size, align;
};

struct ns_info {
	char dev[32];			/* "namespace0.0" */
	char blockdev[32];		/* "pmem0" */
};

struct ns_ctx {
	struct port *port;
	char *const *envp;
	char *err;
	size_t errlen;
};

/* "ndctl <args...>", for messages. */
static void ndctl_cmdline(char *const argv[], char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; *argv && used < size; argv++)
		used += snprintf(buf + used, size - used, "%s%s", used ? " " : "", *argv);
}

/* Runs ndctl with args; on success r holds its output (freed by the
 * caller either way). 0, or -1 with err set. */
static int ndctl(struct ns_ctx *c, char *const args[], struct spawn_result *r)
{
	char *argv[16] = { "ndctl" }, cmd[256], how[600];
	size_t i;

	for (i = 0; args[i] && i + 2 < ARRAY_SIZE(argv); i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	ndctl_cmdline(argv, cmd, sizeof(cmd));
	if (spawn_capture(argv, c->envp, NDCTL_TIMEOUT_MS, r) < 0) {
		snprintf(c->err, c->errlen, "cannot run %s: %s", cmd, strerror(errno));
		return -1;
	}
	if (!spawn_ok(r)) {
		spawn_describe(r, how, sizeof(how));
		snprintf(c->err, c->errlen, "%s failed (%s)", cmd, how);
		return -1;
	}
	return 0;
}

static int region_cmp(const void *a, const void *b)
{
	const struct region *ra = a, *rb = b;

	return ra->id < rb->id ? -1 : ra->id > rb->id;
}

/* The pmem regions of the bus, sorted by id. Returns how many, or -1. */
static int list_regions(struct ns_ctx *c, struct region *regions, size_t max)
{
	char *args[] = { "list", "-R", "-b", NVDIMM_BUS, NULL };
	struct json_span s, obj;
	struct spawn_result r;
	size_t nr = 0;
	int ret = -1;

	if (ndctl(c, args, &r) < 0)
		goto out;
	s.p = r.out ? r.out : "";
	s.end = s.p + r.out_len;
	while (nr < max && json_next_object(&s, &obj)) {
		struct region *rg = &regions[nr];
		char type[16];

		if (json_get_string(&obj, "dev", rg->dev, sizeof(rg->dev)) < 0 ||
		    sscanf(rg->dev, "region%u", &rg->id) != 1 ||
		    json_get_u64(&obj, "size", &rg->size) < 0 ||
		    json_get_u64(&obj, "align", &rg->align) < 0) {
			snprintf(c->err, c->errlen, "unexpected output of ndctl list -R: %.200s",
				 obj.p);
			goto out;
		}
		if (json_get_string(&obj, "type", type, sizeof(type)) == 0 &&
		    !strcmp(type, "pmem"))
			nr++;
	}
	qsort(regions, nr, sizeof(*regions), region_cmp);
	ret = nr;
out:
	spawn_result_free(&r);
	return ret;
}

/* A block device name from ndctl: "pmem0", "pmem1.2", nothing else. */
static int blockdev_path(struct ns_ctx *c, const char *name, char *path, size_t size)
{
	long deadline = mono_ms() + BLOCKDEV_WAIT_MS;
	struct stat st;

	if (strncmp(name, "pmem", 4) || strspn(name + 4, "0123456789.") != strlen(name + 4) ||
	    !name[4]) {
		snprintf(c->err, c->errlen, "unexpected block device name \"%s\" from ndctl",
			 name);
		return -1;
	}
	snprintf(path, size, "/dev/%s", name);
	/* devtmpfs creates the node when the disk is added; give it time. */
	while (stat(path, &st) < 0 || !S_ISBLK(st.st_mode)) {
		if (mono_ms() >= deadline) {
			snprintf(c->err, c->errlen, "%s did not appear", path);
			return -1;
		}
		sleep_ms(20);
	}
	return 0;
}

/* What a region holds, from "ndctl list -N -i": the namespace to reuse,
 * and a summary of the others. */
struct region_scan {
	bool found;			/* match holds the namespace to reuse */
	struct ns_info match;
	char others[256];		/* " namespace0.0:raw ..." with a size */
};

static void scan_namespace(const struct json_span *obj, const char *map,
			   struct region_scan *scan)
{
	char dev[32] = "?", mode[16] = "?", m[16] = "";
	unsigned long long size = 0;
	size_t used;

	/* A missing member keeps its default. */
	json_get_string(obj, "dev", dev, sizeof(dev));
	json_get_string(obj, "mode", mode, sizeof(mode));
	json_get_string(obj, "map", m, sizeof(m));
	if (!scan->found && !strcmp(mode, "fsdax") && !strcmp(m, map) &&
	    json_get_string(obj, "dev", scan->match.dev, sizeof(scan->match.dev)) == 0 &&
	    json_get_string(obj, "blockdev", scan->match.blockdev,
			    sizeof(scan->match.blockdev)) == 0) {
		scan->found = true;
		return;
	}
	/* Idle seeds have size 0 and occupy nothing. */
	if (json_get_u64(obj, "size", &size) < 0 || !size)
		return;
	used = strlen(scan->others);
	snprintf(scan->others + used, sizeof(scan->others) - used, " %s:%s%s%s", dev, mode,
		 *m ? "/" : "", m);
}

/* Lists the namespaces of region, disabled ones included. 0, or -1. */
static int scan_region(struct ns_ctx *c, const struct region *rg, const char *map,
		       struct region_scan *scan)
{
	char *args[] = { "list", "-N", "-i", "-b", NVDIMM_BUS, "-r", (char *)rg->dev, NULL };
	struct json_span s, obj;
	struct spawn_result r;
	int ret = -1;

	memset(scan, 0, sizeof(*scan));
	if (ndctl(c, args, &r) < 0)
		goto out;
	s.p = r.out ? r.out : "";
	s.end = s.p + r.out_len;
	while (json_next_object(&s, &obj))
		scan_namespace(&obj, map, scan);
	ret = 0;
out:
	spawn_result_free(&r);
	return ret;
}

static int destroy_all(struct ns_ctx *c, const struct region *rg, const char *what)
{
	char *args[] = { "destroy-namespace", "all", "-f", "-b", NVDIMM_BUS,
			 "-r", (char *)rg->dev, NULL };
	struct spawn_result r;
	int ret;

	ret = ndctl(c, args, &r);
	spawn_result_free(&r);
	if (ret == 0)
		port_log(c->port, "%s: destroyed what it held:%s", rg->dev, what);
	return ret;
}

/* On a region without labels (fresh backing files) this reconfigures its
 * one namespace; ndctl initialises the labels on the way. */
static int create_fsdax(struct ns_ctx *c, const struct region *rg, const char *map,
			struct ns_info *ns)
{
	/* -a 2M (ndctl's default for fsdax, said here because the tests rely
	 * on it): the data starts 2 MiB-aligned, so PMD faults can happen. */
	char *args[] = { "create-namespace", "-b", NVDIMM_BUS, "-r", (char *)rg->dev,
			 "-m", "fsdax", "-M", (char *)map, "-a", "2M", NULL };
	struct json_span s, obj;
	struct spawn_result r;
	int ret = -1;

	if (ndctl(c, args, &r) < 0)
		goto out;
	s.p = r.out ? r.out : "";
	s.end = s.p + r.out_len;
	if (!json_next_object(&s, &obj) ||
	    json_get_string(&obj, "dev", ns->dev, sizeof(ns->dev)) < 0 ||
	    json_get_string(&obj, "blockdev", ns->blockdev, sizeof(ns->blockdev)) < 0) {
		snprintf(c->err, c->errlen,
			 "ndctl create-namespace printed no \"blockdev\": %.200s",
			 r.out ? r.out : "");
		goto out;
	}
	ret = 0;
out:
	spawn_result_free(&r);
	return ret;
}

/* libnvdimm wants namespaces aligned to the region's "align" (16 MiB on
 * x86). QEMU places NVDIMMs back to back and keeps the label area out of
 * the region, so a region is only usable when the NVDIMM's size is a
 * multiple of that plus label-size. Says so instead of ndctl's riddle. */
static int check_alignment(struct ns_ctx *c, const struct region *rg)
{
	char path[128], text[64];
	unsigned long long start;

	snprintf(path, sizeof(path), "/sys/bus/nd/devices/%s/resource", rg->dev);
	if (read_text_file(path, text, sizeof(text)) < 0 ||
	    sscanf(text, "%llx", &start) != 1) {
		snprintf(c->err, c->errlen, "cannot read %s", path);
		return -1;
	}
	if (rg->align && (start % rg->align || rg->size % rg->align)) {
		snprintf(c->err, c->errlen,
			 "%s (start %#llx, size %#llx) is not aligned to its %llu MiB: give each QEMU NVDIMM a size of a multiple of %llu MiB plus its label-size",
			 rg->dev, start, rg->size, rg->align >> 20, rg->align >> 20);
		return -1;
	}
	return 0;
}

/* Leaves one fsdax namespace with the map in region; its /dev path in
 * path. */
static int prepare_region(struct ns_ctx *c, const struct region *rg, const char *map,
			  char *path, size_t size)
{
	long start = mono_ms();
	struct region_scan scan;
	const char *how = "reused";

	if (scan_region(c, rg, map, &scan) < 0)
		return -1;
	if (!scan.found) {
		if (check_alignment(c, rg) < 0)
			return -1;
		if (scan.others[0] && destroy_all(c, rg, scan.others) < 0)
			return -1;
		if (create_fsdax(c, rg, map, &scan.match) < 0)
			return -1;
		how = "created";
	}
	if (blockdev_path(c, scan.match.blockdev, path, size) < 0)
		return -1;
	port_log(c->port, "%s: %s fsdax map=%s %s %s in %ld ms", rg->dev, scan.match.dev, map,
		 path, how, mono_ms() - start);
	return 0;
}

/*
 * Prepares a region in a child process while the caller does another: an
 * ndctl run under TCG is mostly process start-up and waiting on sysfs, so
 * two regions overlap well. The child reports "0<path>" or "1<error>" on
 * a pipe; it has no port (a quiet one drops its log records).
 */
static pid_t prepare_region_child(struct ns_ctx *c, const struct region *rg,
				  const char *map, int *result_fd)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		struct port quiet;
		char path[64], err[512], msg[600];
		struct ns_ctx child = { .port = &quiet, .envp = c->envp, .err = err,
					.errlen = sizeof(err) };
		int n;

		close(fds[0]);
		port_init(&quiet);
		if (prepare_region(&child, rg, map, path, sizeof(path)) < 0)
			n = snprintf(msg, sizeof(msg), "1%s", err);
		else
			n = snprintf(msg, sizeof(msg), "0%s", path);
		_exit(write_all(fds[1], msg, n > 0 ? (size_t)n : 0) < 0);
	}
	close(fds[1]);
	*result_fd = fds[0];
	return pid;
}

static int wait_region_child(struct ns_ctx *c, const struct region *rg, pid_t pid,
			     int fd, char *path, size_t size)
{
	char msg[600];
	ssize_t n, got = 0;
	int status;

	while ((n = read(fd, msg + got, sizeof(msg) - 1 - got)) > 0)
		got += n;
	close(fd);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	msg[got > 0 ? got : 0] = '\0';
	if (got < 1 || (msg[0] != '0' && msg[0] != '1')) {
		snprintf(c->err, c->errlen, "%s: preparing it failed without a word", rg->dev);
		return -1;
	}
	if (msg[0] == '1') {
		snprintf(c->err, c->errlen, "%s", msg + 1);
		return -1;
	}
	if (strlen(msg + 1) >= size) {
		snprintf(c->err, c->errlen, "%s: device path too long", rg->dev);
		return -1;
	}
	memcpy(path, msg + 1, strlen(msg + 1) + 1);
	port_log(c->port, "%s: %s ready (prepared in parallel)", rg->dev, path);
	return 0;
}

int namespaces_prepare(struct port *p, char *const envp[], struct pmem_devs *devs,
		       char *err, size_t errlen)
{
	struct ns_ctx c = { .port = p, .envp = envp, .err = err, .errlen = errlen };
	struct region regions[MAX_REGIONS];
	pid_t child = -1;
	int nr, i, fd = -1, ret;

	memset(devs, 0, sizeof(*devs));
	nr = list_regions(&c, regions, ARRAY_SIZE(regions));
	if (nr < 0)
		return -1;
	if (nr == 0) {
		snprintf(err, errlen, "no pmem region on the " NVDIMM_BUS
			 " bus (QEMU started without -device nvdimm?)");
		return -1;
	}
	if (nr > 1) {
		child = prepare_region_child(&c, &regions[1], "dev", &fd);
		if (child < 0) {
			snprintf(err, errlen, "fork: %s", strerror(errno));
			return -1;
		}
	}
	ret = prepare_region(&c, &regions[0], "mem", devs->mem, sizeof(devs->mem));
	if (child > 0) {
		char child_err[512];
		struct ns_ctx cc = c;

		/* The first failure is the one reported. */
		if (ret < 0) {
			cc.err = child_err;
			cc.errlen = sizeof(child_err);
		}
		if (wait_region_child(&cc, &regions[1], child, fd, devs->devmap,
				      sizeof(devs->devmap)) < 0)
			ret = -1;
	}
	if (ret < 0)
		return -1;
	for (i = 2; i < nr; i++)
		port_log(p, "%s: not used by daxtest, left as it is", regions[i].dev);
	if (p->broken) {
		snprintf(err, errlen, "the result port failed");
		return -1;
	}
	return 0;
}
