// SPDX-License-Identifier: GPL-2.0
/*
 * report_json_read.c - results.json back into a run_report, so that the
 * HTML page of an old run can be made again (daxtest report DIR)
 *
 * Reads the fields report_json.c writes. A field that is absent or null
 * is empty (older runs lack some); one of the wrong type, or a status
 * that is no status, makes the file malformed. Arrays are allocated in
 * full and zeroed before they are filled, so that run_report_free() can
 * free whatever a malformed file left half read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "report/report.h"

struct reader {
	const char *path;
};

/* One line naming the file and the field; -1. */
static int bad(const struct reader *rd, const char *where, const char *what)
{
	log_error("%s: %s: %s", rd->path, where, what);
	return -1;
}

static int oom(const struct reader *rd)
{
	log_error("%s: out of memory", rd->path);
	return -1;
}

/* o[key] when present and not null; NULL otherwise. */
static struct json_object *field(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static int get_string(const struct reader *rd, struct json_object *o, const char *key,
		      const char *where, char **out)
{
	struct json_object *v = field(o, key);
	char at[160];

	*out = NULL;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(at, sizeof(at), "%s.%s", where, key);
		return bad(rd, at, "expected a string");
	}
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : oom(rd);
}

static int get_number(const struct reader *rd, struct json_object *o, const char *key,
		      const char *where, double *out)
{
	struct json_object *v = field(o, key);
	char at[160];

	*out = 0;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int)) {
		snprintf(at, sizeof(at), "%s.%s", where, key);
		return bad(rd, at, "expected a number");
	}
	*out = json_object_get_double(v);
	return 0;
}

/* The array o[key] (NULL when absent or null), *n its length. */
static int get_array(const struct reader *rd, struct json_object *o, const char *key,
		     const char *where, struct json_object **array, size_t *n)
{
	struct json_object *v = field(o, key);
	char at[160];

	*array = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(at, sizeof(at), "%s.%s", where, key);
		return bad(rd, at, "expected an array");
	}
	*array = v;
	*n = json_object_array_length(v);
	return 0;
}

/* n zeroed items of size bytes (NULL for none); *ret -1 when memory ran out. */
static void *alloc_items(const struct reader *rd, size_t n, size_t size, int *ret)
{
	void *items = n ? calloc(n, size) : NULL;

	*ret = n && !items ? oom(rd) : 0;
	return items;
}

static int get_strings(const struct reader *rd, struct json_object *o, const char *key,
		       const char *where, char ***v, size_t *nr)
{
	struct json_object *array, *item;
	char at[160];
	size_t n, i;

	*v = NULL;
	*nr = 0;
	int ret;

	if (get_array(rd, o, key, where, &array, &n))
		return -1;
	*v = alloc_items(rd, n, sizeof(**v), &ret);
	if (ret)
		return -1;
	*nr = n;
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(array, i);
		if (!json_object_is_type(item, json_type_string)) {
			snprintf(at, sizeof(at), "%s.%s[%zu]", where, key, i);
			return bad(rd, at, "expected a string");
		}
		(*v)[i] = strdup(json_object_get_string(item));
		if (!(*v)[i])
			return oom(rd);
	}
	return 0;
}

/* The item of array at i, which must be an object. */
static struct json_object *object_at(const struct reader *rd, struct json_object *array,
				     size_t i, const char *where)
{
	struct json_object *item = json_object_array_get_idx(array, i);

	if (!json_object_is_type(item, json_type_object)) {
		bad(rd, where, "expected an object");
		return NULL;
	}
	return item;
}

static int ktap_status_parse(const char *name, enum ktap_status *s)
{
	enum ktap_status all[] = { KTAP_PASS, KTAP_FAIL, KTAP_SKIP, KTAP_XFAIL,
				   KTAP_TIMEOUT, KTAP_ERROR };
	size_t i;

	for (i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(name, ktap_status_name(all[i]))) {
			*s = all[i];
			return 0;
		}
	}
	return -1;
}

static int test_status_parse(const char *name, enum test_status *s)
{
	enum test_status all[] = { TEST_PASS, TEST_FAIL, TEST_SKIP, TEST_TIMEOUT, TEST_CRASH,
				   TEST_NOT_RUN, TEST_XFAIL, TEST_XPASS };
	size_t i;

	for (i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(name, test_status_name(all[i]))) {
			*s = all[i];
			return 0;
		}
	}
	return -1;
}

static int kind_parse(const char *name, enum kfinding_kind *k)
{
	enum kfinding_kind all[] = { KF_OOPS, KF_BUG, KF_WARNING, KF_KASAN, KF_UBSAN,
				     KF_PANIC, KF_HUNG_TASK, KF_RCU_STALL, KF_SOFT_LOCKUP };
	size_t i;

	for (i = 0; name && i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(name, kfinding_kind_name(all[i]))) {
			*k = all[i];
			return 0;
		}
	}
	return -1;
}

static int read_subtests(const struct reader *rd, struct json_object *o, const char *where,
			 unsigned int depth, struct ktap_test **v, size_t *nr);

static int read_subtest(const struct reader *rd, struct json_object *o, const char *where,
			unsigned int depth, struct ktap_test *t)
{
	char *status = NULL;
	int ret;

	if (get_string(rd, o, "name", where, &t->name) ||
	    get_string(rd, o, "status", where, &status) ||
	    get_string(rd, o, "directive", where, &t->directive) ||
	    get_strings(rd, o, "diag", where, &t->diag, &t->nr_diag) ||
	    read_subtests(rd, o, where, depth + 1, &t->subtests, &t->nr_subtests)) {
		free(status);
		return -1;
	}
	ret = ktap_status_parse(status, &t->status);
	free(status);
	if (ret)
		return bad(rd, where, "status is not a KTAP result (pass, fail, skip, ...)");
	if (!t->name) {
		t->name = strdup("");
		if (!t->name)
			return oom(rd);
	}
	return 0;
}

static int read_subtests(const struct reader *rd, struct json_object *o, const char *where,
			 unsigned int depth, struct ktap_test **v, size_t *nr)
{
	struct json_object *array, *item;
	char at[160];
	size_t n, i;
	int ret;

	*v = NULL;
	*nr = 0;
	if (get_array(rd, o, "subtests", where, &array, &n))
		return -1;
	if (n && depth >= KTAP_MAX_DEPTH)
		return bad(rd, where, "subtests nested too deep");
	*v = alloc_items(rd, n, sizeof(**v), &ret);
	if (ret)
		return -1;
	*nr = n;
	for (i = 0; i < n; i++) {
		snprintf(at, sizeof(at), "%s.subtests[%zu]", where, i);
		item = object_at(rd, array, i, at);
		if (!item || read_subtest(rd, item, at, depth, &(*v)[i]))
			return -1;
	}
	return 0;
}

static int read_findings(const struct reader *rd, struct json_object *o, const char *where,
			 struct kfinding **v, size_t *nr)
{
	struct json_object *array, *item;
	char at[160], *kind;
	size_t n, i;
	int ret;

	*v = NULL;
	*nr = 0;
	if (get_array(rd, o, "findings", where, &array, &n))
		return -1;
	*v = alloc_items(rd, n, sizeof(**v), &ret);
	if (ret)
		return -1;
	*nr = n;
	for (i = 0; i < n; i++) {
		snprintf(at, sizeof(at), "%s.findings[%zu]", where, i);
		item = object_at(rd, array, i, at);
		if (!item || get_string(rd, item, "kind", at, &kind))
			return -1;
		ret = kind_parse(kind, &(*v)[i].kind);
		free(kind);
		if (ret)
			return bad(rd, at, "kind is not a kind of kernel report (oops, warning, ...)");
		if (get_string(rd, item, "title", at, &(*v)[i].title) ||
		    get_strings(rd, item, "lines", at, &(*v)[i].lines, &(*v)[i].nr_lines))
			return -1;
	}
	return 0;
}

static int read_test(const struct reader *rd, struct json_object *o, const char *where,
		     struct test_result *t)
{
	char *status = NULL;
	double num;
	int ret;

	t->ktap.plan = -1;
	if (get_string(rd, o, "name", where, &t->name) ||
	    get_string(rd, o, "status", where, &status))
		goto fail;
	if (!t->name) {
		bad(rd, where, "a test without a name");
		goto fail;
	}
	ret = test_status_parse(status, &t->status);
	free(status);
	status = NULL;
	if (ret) {
		bad(rd, where, "status is not a test status (pass, fail, skip, timeout, ...)");
		goto fail;
	}
	if (get_string(rd, o, "reason", where, &t->reason) ||
	    get_number(rd, o, "exit_code", where, &num))
		goto fail;
	t->exit_code = (int)num;
	if (get_number(rd, o, "signal", where, &num))
		goto fail;
	t->signal = (int)num;
	if (get_number(rd, o, "seconds", where, &t->seconds) ||
	    read_subtests(rd, o, where, 0, &t->ktap.tests, &t->ktap.nr_tests) ||
	    get_strings(rd, o, "dmesg", where, &t->dmesg, &t->nr_dmesg) ||
	    read_findings(rd, o, where, &t->findings, &t->nr_findings) ||
	    get_strings(rd, o, "ktap_errors", where, &t->ktap.errors, &t->ktap.nr_errors) ||
	    get_strings(rd, o, "ktap_trailing", where, &t->ktap.trailing, &t->ktap.nr_trailing))
		goto fail;
	t->ktap.plan = (int)t->ktap.nr_tests;
	return 0;
fail:
	free(status);
	return -1;
}

static int read_run(const struct reader *rd, struct json_object *root, struct run_report *r)
{
	struct json_object *tests, *item;
	double guests = 0, restored = 0, booted = 0;
	char at[64];
	size_t n, i;
	int ret;

	if (!json_object_is_type(root, json_type_object))
		return bad(rd, "top level", "expected an object");
	if (!field(root, "tests"))
		return bad(rd, "top level", "no \"tests\": not a daxtest results.json");
	if (get_string(rd, root, "run_id", "top level", &r->run_id) ||
	    get_string(rd, root, "kernel_release", "top level", &r->kernel_release) ||
	    get_string(rd, root, "kernel_source", "top level", &r->kernel_source) ||
	    get_string(rd, root, "accel", "top level", &r->accel) ||
	    get_number(rd, root, "boot_seconds", "top level", &r->boot_seconds) ||
	    get_number(rd, root, "total_seconds", "top level", &r->total_seconds) ||
	    get_number(rd, root, "qemu_peak_rss_mib", "top level", &r->qemu_peak_rss_mib) ||
	    get_number(rd, root, "guests", "top level", &guests) ||
	    get_number(rd, root, "guests_restored", "top level", &restored) ||
	    get_number(rd, root, "guests_booted", "top level", &booted) ||
	    get_string(rd, root, "infra_error", "top level", &r->infra_error) ||
	    read_findings(rd, root, "top level", &r->findings, &r->nr_findings) ||
	    get_array(rd, root, "tests", "top level", &tests, &n))
		return -1;
	r->guests = guests > 0 && guests < 1000 ? (unsigned int)guests : 0;
	r->guests_restored = restored > 0 && restored < 1e6 ? (unsigned int)restored : 0;
	r->guests_booted = booted > 0 && booted < 1e6 ? (unsigned int)booted : 0;
	r->tests = alloc_items(rd, n, sizeof(*r->tests), &ret);
	if (ret)
		return -1;
	for (i = 0; i < n; i++)
		r->tests[i].ktap.plan = -1;
	r->nr_tests = n;
	for (i = 0; i < n; i++) {
		snprintf(at, sizeof(at), "tests[%zu]", i);
		item = object_at(rd, tests, i, at);
		if (!item || read_test(rd, item, at, &r->tests[i]))
			return -1;
	}
	return 0;
}

int report_json_read(const char *path, struct run_report *r)
{
	struct reader rd = { .path = path };
	enum json_tokener_error jerr;
	struct json_object *root;
	char *text;
	size_t len;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = read_file(path, &text, &len);
	if (ret) {
		log_error("cannot read %s: %s", path, strerror(-ret));
		return -1;
	}
	root = json_tokener_parse_verbose(text, &jerr);
	free(text);
	if (!root) {
		log_error("%s is not JSON: %s", path, json_tokener_error_desc(jerr));
		return -1;
	}
	ret = read_run(&rd, root, r);
	json_object_put(root);
	if (ret)
		run_report_free(r);
	return ret;
}
