// SPDX-License-Identifier: GPL-2.0
/*
 * persist_start.c - tell the persistence plugin where the NVDIMMs are, then resume QEMU
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "parse/ramblock.h"
#include "vm/persist_start.h"
#include "vm/qmp.h"

/* The plugin's limits (plugin/persist_regions.h): 64-byte lines, paths
 * of less than 4096 bytes, a field starting with '#' is a comment. */
#define REGION_ALIGN		64
#define REGION_PATH_MAX		4096

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* A path the regions file can hold as one field. */
static bool field_ok(const char *path)
{
	return path && *path && *path != '#' && strlen(path) < REGION_PATH_MAX &&
	       !strpbrk(path, " \t\n\r\v\f");
}

static int check_config(const struct qemu_config *q, char *err, size_t errlen)
{
	unsigned int i;

	if (!q->plugin_regions || !q->qmp_socket)
		return fail(err, errlen, "no regions file or no QMP socket for the plugin");
	if (!q->nr_nvdimms || q->nr_nvdimms > QEMU_MAX_NVDIMMS)
		return fail(err, errlen, "%u NVDIMMs: the plugin models 1 to %d", q->nr_nvdimms,
			    QEMU_MAX_NVDIMMS);
	for (i = 0; i < q->nr_nvdimms; i++) {
		const struct qemu_nvdimm *n = &q->nvdimms[i];

		if (!field_ok(n->path) || !field_ok(q->plugin_shadows[i]))
			return fail(err, errlen, "NVDIMM %u: backing file '%s' or crash image '%s' "
				    "is not a path the regions file can hold (no blanks)", i,
				    n->path ? n->path : "(none)",
				    q->plugin_shadows[i] ? q->plugin_shadows[i] : "(none)");
		if (n->size <= q->label_size || (n->size - q->label_size) % REGION_ALIGN)
			return fail(err, errlen, "NVDIMM %u: %llu bytes with a label of %llu: "
				    "no whole 64-byte lines to model", i, n->size, q->label_size);
	}
	return 0;
}

/* NVDIMM i's block: named by the backend's id ("nvmem0"), or by its QOM
 * path on machine types older than 4.0 ("/objects/nvmem0"). */
static const struct ramblock *nvdimm_block(const struct ramblock_table *t, unsigned int i)
{
	const struct ramblock *b;
	char name[32];

	snprintf(name, sizeof(name), "nvmem%u", i);
	b = ramblock_find(t, name);
	if (b)
		return b;
	snprintf(name, sizeof(name), "/objects/nvmem%u", i);
	return ramblock_find(t, name);
}

/* QEMU's RAM blocks into t. 0, or -1 with err set. */
static int query_ramblocks(struct qmp *qmp, long deadline_ms, struct ramblock_table *t,
			   char *err, size_t errlen)
{
	struct json_object *ret = NULL, *text;
	int rc = -1;

	if (qmp_execute(qmp, "x-query-ramblock", NULL, deadline_ms, &ret, err, errlen) < 0)
		return -1;
	if (!json_object_object_get_ex(ret, "human-readable-text", &text) ||
	    !json_object_is_type(text, json_type_string))
		fail(err, errlen, "x-query-ramblock: no human-readable-text in its answer");
	else
		rc = ramblock_parse(json_object_get_string(text), t, err, errlen);
	json_object_put(ret);
	return rc;
}

/* The regions file, malloc'd in *text. 0, or -1 with err set. */
static int regions_text(const struct qemu_config *q, const struct ramblock_table *t,
			char **text, char *err, size_t errlen)
{
	size_t len;
	FILE *f = open_memstream(text, &len);
	unsigned int i;

	if (!f)
		return fail(err, errlen, "regions file: %s", strerror(errno));
	fprintf(f, "# BASE (RAM-block offset) SIZE (bytes modelled) LIVE SHADOW\n");
	for (i = 0; i < q->nr_nvdimms; i++) {
		const struct ramblock *b = nvdimm_block(t, i);
		const struct qemu_nvdimm *n = &q->nvdimms[i];

		if (!b) {
			fail(err, errlen, "QEMU has no RAM block nvmem%u (nor /objects/nvmem%u) "
			     "for NVDIMM %u (%s)", i, i, i, n->path);
			goto bad;
		}
		if (b->used != n->size) {
			fail(err, errlen, "RAM block %s is %" PRIu64 " bytes, but NVDIMM %u (%s) "
			     "is %llu", b->name, b->used, i, n->path, n->size);
			goto bad;
		}
		if (b->offset % REGION_ALIGN) {
			fail(err, errlen, "RAM block %s at 0x%" PRIx64 ": not 64-byte aligned",
			     b->name, b->offset);
			goto bad;
		}
		fprintf(f, "0x%" PRIx64 " %llu %s %s\n", b->offset, n->size - q->label_size,
			n->path, q->plugin_shadows[i]);
	}
	if (fclose(f) == 0)
		return 0;
	f = NULL;
	fail(err, errlen, "regions file: %s", strerror(errno));
bad:
	if (f)
		fclose(f);
	free(*text);
	*text = NULL;
	return -1;
}

int persist_regions_send(struct qmp *qmp, const struct qemu_config *q, long deadline_ms,
			 char *err, size_t errlen)
{
	struct ramblock_table t = { 0 };
	char *text = NULL;
	int rc = -1, e;

	if (check_config(q, err, errlen) < 0)
		return -1;
	if (query_ramblocks(qmp, deadline_ms, &t, err, errlen) < 0 ||
	    regions_text(q, &t, &text, err, errlen) < 0)
		goto out;
	e = write_file_atomic(q->plugin_regions, text, strlen(text), 0600);
	if (e) {
		fail(err, errlen, "cannot write the regions file %s: %s", q->plugin_regions,
		     strerror(-e));
		goto out;
	}
	rc = 0;
out:
	ramblock_table_free(&t);
	free(text);
	return rc;
}

int persist_start(const struct qemu_config *q, int qemu_pidfd, long deadline_ms, char *err,
		  size_t errlen)
{
	struct json_object *ret = NULL;
	struct qmp *qmp = NULL;
	int rc = -1;

	if (check_config(q, err, errlen) < 0)
		return -1;
	qmp = qmp_connect(q->qmp_socket, deadline_ms, qemu_pidfd, err, errlen);
	if (!qmp)
		goto out;
	if (persist_regions_send(qmp, q, deadline_ms, err, errlen) < 0)
		goto out;
	if (qmp_execute(qmp, "cont", NULL, deadline_ms, &ret, err, errlen) < 0)
		goto out;
	rc = 0;
out:
	json_object_put(ret);
	qmp_close(qmp);
	return rc;
}
