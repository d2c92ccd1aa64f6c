// SPDX-License-Identifier: GPL-2.0
/*
 * report_json.c - results.json: the run and every test, for tools
 *
 *	{ "run_id", "kernel_release", "kernel_source", "accel",
 *	  "boot_seconds", "total_seconds", "infra_error",
 *	  "guests_restored", "guests_booted" (guests restored from a
 *	  snapshot and booted),
 *	  "totals": { "passed", "failed", "skipped", "xfailed" },
 *	  "findings": [ finding... ],		kernel problems outside tests
 *	  "tests": [ { "name", "status", "reason", "exit_code", "signal",
 *		       "seconds", "subtests", "dmesg", "findings",
 *		       "ktap_errors", "ktap_trailing" } ] }
 *	subtest: { "name", "status", "directive", "diag"[, "subtests"] }
 *	finding: { "kind", "title", "lines" }
 *
 * Absent strings are null. Text from the guest is cleaned to valid UTF-8.
 * report_json_read.c reads it back (daxtest report).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/fsutil.h"
#include "report/report.h"

static struct json_object *text_new(const char *s)
{
	struct json_object *v;
	char *clean;

	clean = result_text_clean(s, strlen(s));
	if (!clean)
		return NULL;
	v = json_object_new_string(clean);
	free(clean);
	return v;
}

/* Adds v (NULL: allocation failed) under key, or frees it. */
static int add_value(struct json_object *o, const char *key, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_object_add(o, key, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

static int add_text(struct json_object *o, const char *key, const char *s)
{
	if (!s)
		return json_object_object_add(o, key, NULL) ? -ENOMEM : 0;
	return add_value(o, key, text_new(s));
}

static int add_int(struct json_object *o, const char *key, int v)
{
	return add_value(o, key, json_object_new_int(v));
}

/* Milliseconds are enough; json-c would print 17 digits. */
static int add_seconds(struct json_object *o, const char *key, double s)
{
	char buf[32];

	if (!isfinite(s))
		s = 0;
	snprintf(buf, sizeof(buf), "%.3f", s);
	return add_value(o, key, json_object_new_double_s(s, buf));
}

static int append(struct json_object *array, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_array_add(array, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}


/* A JSON array of n items of size bytes each, made by element(). */
static struct json_object *array_new(const void *items, size_t n, size_t size,
				     struct json_object *(*element)(const void *item))
{
	struct json_object *a;
	size_t i;

	a = json_object_new_array();
	if (!a)
		return NULL;
	for (i = 0; i < n; i++) {
		if (append(a, element((const char *)items + i * size))) {
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

static struct json_object *string_element(const void *item)
{
	return text_new(*(char *const *)item);
}

static struct json_object *strings_new(char *const *v, size_t n)
{
	return array_new(v, n, sizeof(*v), string_element);
}

static struct json_object *subtest_element(const void *item);

static struct json_object *subtests_new(const struct ktap_test *tests, size_t n)
{
	return array_new(tests, n, sizeof(*tests), subtest_element);
}

static struct json_object *finding_element(const void *item);

static struct json_object *findings_new(const struct kfinding *f, size_t n)
{
	return array_new(f, n, sizeof(*f), finding_element);
}

static struct json_object *subtest_new(const struct ktap_test *t)
{
	struct json_object *o;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (add_text(o, "name", t->name) ||
	    add_text(o, "status", ktap_status_name(t->status)) ||
	    add_text(o, "directive", t->directive) ||
	    add_value(o, "diag", strings_new(t->diag, t->nr_diag)) ||
	    (t->nr_subtests && add_value(o, "subtests", subtests_new(t->subtests, t->nr_subtests))))
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

static struct json_object *finding_new(const struct kfinding *f)
{
	struct json_object *o;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (add_text(o, "kind", kfinding_kind_name(f->kind)) ||
	    add_text(o, "title", f->title) ||
	    add_value(o, "lines", strings_new(f->lines, f->nr_lines))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *subtest_element(const void *item)
{
	return subtest_new(item);
}

static struct json_object *finding_element(const void *item)
{
	return finding_new(item);
}

static struct json_object *test_new(const struct test_result *t)
{
	struct json_object *o;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (add_text(o, "name", t->name) ||
	    add_text(o, "status", test_status_name(t->status)) ||
	    add_text(o, "reason", t->reason) ||
	    add_int(o, "exit_code", t->exit_code) ||
	    add_int(o, "signal", t->signal) ||
	    add_seconds(o, "seconds", t->seconds) ||
	    add_value(o, "subtests", subtests_new(t->ktap.tests, t->ktap.nr_tests)) ||
	    add_value(o, "dmesg", strings_new(t->dmesg, t->nr_dmesg)) ||
	    add_value(o, "findings", findings_new(t->findings, t->nr_findings)) ||
	    add_value(o, "ktap_errors", strings_new(t->ktap.errors, t->ktap.nr_errors)) ||
	    add_value(o, "ktap_trailing", strings_new(t->ktap.trailing, t->ktap.nr_trailing))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *test_element(const void *item)
{
	return test_new(item);
}

static struct json_object *totals_new(const struct run_report *r)
{
	struct report_totals t;
	struct json_object *o;

	report_totals(r, &t);
	o = json_object_new_object();
	if (!o)
		return NULL;
	if (add_value(o, "passed", json_object_new_int64(t.passed)) ||
	    add_value(o, "failed", json_object_new_int64(t.failed)) ||
	    add_value(o, "skipped", json_object_new_int64(t.skipped)) ||
	    add_value(o, "xfailed", json_object_new_int64(t.xfailed))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *run_new(const struct run_report *r)
{
	struct json_object *o;

	o = json_object_new_object();
	if (!o)
		return NULL;
	if (add_text(o, "run_id", r->run_id) ||
	    add_text(o, "kernel_release", r->kernel_release) ||
	    add_text(o, "kernel_source", r->kernel_source) ||
	    add_text(o, "accel", r->accel) ||
	    add_seconds(o, "boot_seconds", r->boot_seconds) ||
	    add_seconds(o, "total_seconds", r->total_seconds) ||
	    add_seconds(o, "qemu_peak_rss_mib", r->qemu_peak_rss_mib) ||
	    add_value(o, "guests", json_object_new_int((int)r->guests)) ||
	    add_value(o, "guests_restored", json_object_new_int((int)r->guests_restored)) ||
	    add_value(o, "guests_booted", json_object_new_int((int)r->guests_booted)) ||
	    add_text(o, "infra_error", r->infra_error) ||
	    add_value(o, "totals", totals_new(r)) ||
	    add_value(o, "findings", findings_new(r->findings, r->nr_findings)) ||
	    add_value(o, "tests", array_new(r->tests, r->nr_tests, sizeof(*r->tests),
						  test_element))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int report_json_write(const char *path, const struct run_report *r)
{
	struct json_object *root;
	const char *json;
	char *text;
	int ret;

	root = run_new(r);
	if (!root)
		return -ENOMEM;
	ret = -ENOMEM;
	json = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!json)
		goto out_put;
	text = str_printf("%s\n", json);
	if (!text)
		goto out_put;
	ret = write_file_atomic(path, text, strlen(text), 0644);
	free(text);
out_put:
	json_object_put(root);
	return ret;
}
