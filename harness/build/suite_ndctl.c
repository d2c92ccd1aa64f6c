// SPDX-License-Identifier: GPL-2.0
/*
 * suite_ndctl.c - ndctl's test suite: meson build, test list, scripts
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "build/suite_ndctl.h"
#include "build/suite_script.h"
#include "build/suite_step.h"
#include "lib/fsutil.h"
#include "lib/log.h"
#include "lib/spawn.h"
#include "lib/strv.h"

/*
 * test, destructive: the suite and its tests that change the system's
 * devices (they run in a throwaway guest). docs, asciidoctor: no man
 * pages (no asciidoc on the host). systemd: no units (it needs systemd's
 * pkg-config file). bashcompletiondir=no: nothing to install, and no
 * lookup of bash-completion. The rest stays ndctl's default: keyutils,
 * libtracefs and poison enabled (their -dev packages are installed).
 */
const char *const suite_ndctl_meson_options[] = {
	"-Dtest=enabled", "-Ddestructive=enabled", "-Ddocs=disabled",
	"-Dasciidoctor=disabled", "-Dsystemd=disabled", "-Dbashcompletiondir=no",
	NULL,
};

#define SUITE	"ndctl"

static int save_tests(const char *build, const char *dir)
{
	const char *argv[] = { "meson", "introspect", "--tests", build, NULL };
	char *out = NULL, *path = path_join(dir, "tests.json");
	struct json_object *list = NULL;
	int ret = -1, code, err;

	code = proc_capture(argv, NULL, &out);
	if (code != 0) {
		log_error("suite " SUITE ": 'meson introspect --tests %s' failed (exit %d): %s",
			  build, code, out ? proc_tail(out, 2) : "no output");
		goto out;
	}
	list = json_tokener_parse(out);
	if (!list || !json_object_is_type(list, json_type_array)) {
		log_error("suite " SUITE ": 'meson introspect --tests %s' printed no list: %s",
			  build, proc_tail(out, 2));
		goto out;
	}
	err = path ? write_file_atomic(path, out, strlen(out), 0644) : -ENOMEM;
	if (err) {
		log_error("suite " SUITE ": cannot write %s: %s", path ? path : "tests.json",
			  strerror(-err));
		goto out;
	}
	ret = 0;
out:
	json_object_put(list);
	free(out);
	free(path);
	return ret;
}

int suite_ndctl_build(const char *src, const char *dir, const char *log)
{
	char *build = path_join(dir, "build");
	struct strv setup = { 0 };
	const char *const *o;
	int ret = -1;

	if (!build)
		goto out;
	strv_add(&setup, "meson");
	strv_add(&setup, "setup");
	strv_add(&setup, "--wrap-mode=nodownload");
	strv_add(&setup, build);
	strv_add(&setup, src);
	for (o = suite_ndctl_meson_options; *o; o++)
		strv_add(&setup, *o);
	if (setup.err) {
		log_error("suite " SUITE ": out of memory");
		goto out;
	}
	{
		const char *compile[] = { "meson", "compile", "-C", build, NULL };

		if (suite_step_run(SUITE, "meson setup", (const char *const *)setup.v, dir, NULL,
				   log) < 0 ||
		    suite_step_run(SUITE, "meson compile", compile, dir, NULL, log) < 0)
			goto out;
	}
	ret = save_tests(build, dir);
out:
	strv_free(&setup);
	free(build);
	return ret;
}

/* A member that is a string, or NULL. */
static const char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *member_of_type(struct json_object *o, const char *key,
					  enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type))
		return NULL;
	return v;
}

static bool shell_name(const char *s)
{
	const char *p;

	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* "ndctl:dax ndctl:ndctl" (malloc'd; "" when there is none). */
static char *suites_of(struct json_object *test)
{
	struct json_object *suites = member_of_type(test, "suite", json_type_array);
	struct strv words = { 0 };
	char *joined = NULL, *p;
	size_t i, len = 1;

	for (i = 0; suites && i < json_object_array_length(suites); i++) {
		struct json_object *s = json_object_array_get_idx(suites, i);

		if (json_object_is_type(s, json_type_string))
			strv_add(&words, json_object_get_string(s));
	}
	for (i = 0; i < words.n; i++)
		len += strlen(words.v[i]) + 1;
	if (!words.err)
		joined = calloc(1, len);
	for (i = 0, p = joined; joined && i < words.n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", words.v[i]);
	strv_free(&words);
	return joined;
}

static unsigned int timeout_of(struct json_object *test)
{
	struct json_object *t = member_of_type(test, "timeout", json_type_int);
	int64_t v = t ? json_object_get_int64(t) : 0;

	return v > 0 && v < 1000000 ? (unsigned int)v : SUITE_NDCTL_TIMEOUT_S;
}

/* The lines that set the test's environment up, as meson gives it. */
static int script_env(struct suite_text *t, const char *name, struct json_object *test)
{
	struct json_object *env = member_of_type(test, "env", json_type_object);

	if (!env)
		return 0;
	json_object_object_foreach(env, key, val) {
		char *entry;

		if (!shell_name(key)) {
			log_error("suite " SUITE ": test '%s': environment variable '%s' is not a name the shell can export",
				  name, key);
			return -1;
		}
		if (!json_object_is_type(val, json_type_string)) {
			log_error("suite " SUITE ": test '%s': the value of %s is not a string",
				  name, key);
			return -1;
		}
		entry = str_printf("%s=%s", key, json_object_get_string(val));
		if (!entry) {
			log_error("suite " SUITE ": out of memory");
			return -1;
		}
		if (strchr(entry, '\n')) {
			log_error("suite " SUITE ": test '%s': the value of %s has a newline, which a guest script cannot carry",
				  name, key);
			free(entry);
			return -1;
		}
		suite_text_printf(t, "export ");
		suite_text_quote(t, entry);
		suite_text_printf(t, "\n");
		free(entry);
	}
	return 0;
}

/* The command: a list of strings, at least one. */
static struct json_object *command_of(const char *name, struct json_object *test)
{
	struct json_object *cmd = member_of_type(test, "cmd", json_type_array);
	size_t i;

	if (!cmd || json_object_array_length(cmd) == 0) {
		log_error("suite " SUITE ": test '%s' has no command in the test list", name);
		return NULL;
	}
	for (i = 0; i < json_object_array_length(cmd); i++) {
		if (!json_object_is_type(json_object_array_get_idx(cmd, i), json_type_string)) {
			log_error("suite " SUITE ": test '%s': word %zu of its command is not a string",
				  name, i + 1);
			return NULL;
		}
	}
	return cmd;
}

/* Text for the script's comment line: a control byte would end it. */
static void comment_printf(struct suite_text *t, const char *fmt, const char *text)
{
	char *copy = strdup(text), *p;

	for (p = copy; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	suite_text_printf(t, fmt, copy ? copy : "?");
	free(copy);
}

static void script_lines(struct suite_text *t, const char *lib, const char *workdir,
			 const char *broken, const char *name, const char *suites)
{
	comment_printf(t, "#!/bin/bash\n# daxtest: ndctl's test \"%s\"", name);
	if (*suites)
		comment_printf(t, " (meson suite %s)", suites);
	suite_text_printf(t, ", from meson introspect --tests\n. ");
	suite_text_quote(t, lib);
	suite_text_printf(t, "\ncd ");
	suite_text_quote(t, workdir);
	suite_text_printf(t, " || suite_broken ");
	suite_text_quote(t, broken);
	suite_text_printf(t, "\n");
}

/* The script's text (malloc'd) in *text. 0, or -1 after log_error. */
static int script_text(const char *dir, const char *name, const char *suites,
		       struct json_object *test, char **text)
{
	struct json_object *cmd = command_of(name, test);
	const char *workdir = str_member(test, "workdir");
	char *build = path_join(dir, "build"), *lib = path_join(dir, "suite-lib.sh");
	char *broken = NULL;
	struct suite_text t;
	size_t i;
	int ret = -1;

	*text = NULL;
	if (!cmd)
		goto out;
	if (!workdir)
		workdir = build;
	broken = workdir ? str_printf("cannot enter %s", workdir) : NULL;
	if (!build || !lib || !broken || suite_text_open(&t) < 0) {
		log_error("suite " SUITE ": out of memory");
		goto out;
	}
	script_lines(&t, lib, workdir, broken, name, suites);
	if (script_env(&t, name, test) < 0) {
		free(suite_text_close(&t));
		goto out;
	}
	suite_text_printf(&t, "ndctl_case ");
	suite_text_quote(&t, name);
	for (i = 0; i < json_object_array_length(cmd); i++) {
		suite_text_printf(&t, " ");
		suite_text_quote(&t, json_object_get_string(json_object_array_get_idx(cmd, i)));
	}
	suite_text_printf(&t, "\n");
	*text = suite_text_close(&t);
	if (!*text && t.bad)
		log_error("suite " SUITE ": test '%s': a value has a newline, which a guest script cannot carry: '%.*s...'",
			  name, (int)strcspn(t.bad, "\n"), t.bad);
	else if (!*text)
		log_error("suite " SUITE ": out of memory");
	else
		ret = 0;
out:
	free(build);
	free(lib);
	free(broken);
	return ret;
}

static int add_case(struct suite_built *b, struct json_object *test)
{
	const char *name = str_member(test, "name");
	char *suites = NULL, *text = NULL, *case_name = NULL, *file = NULL, *desc = NULL;
	int ret = -1;

	suites = suites_of(test);
	if (!suites)
		goto nomem;
	if (script_text(b->dir, name, suites, test, &text) < 0)
		goto out;
	case_name = str_printf(SUITE "/%s", name);
	file = suite_file_name(name);
	desc = *suites ? str_printf("ndctl's %s (meson suite %s)", name, suites) :
			 str_printf("ndctl's %s", name);
	if (!case_name || !file || !desc)
		goto nomem;
	ret = suite_case_add(b, case_name, file, text, timeout_of(test), desc);
	goto out;
nomem:
	log_error("suite " SUITE ": out of memory");
out:
	free(suites);
	free(text);
	free(case_name);
	free(file);
	free(desc);
	return ret;
}

static struct json_object *find_test(struct json_object *list, const char *name)
{
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object *test = json_object_array_get_idx(list, i);

		if (!strcmp(str_member(test, "name"), name))
			return test;
	}
	return NULL;
}

/* "'foo' is not one of ndctl's 48 tests (libndctl, dsm-fail, ...)" */
static void no_such_test(struct json_object *list, const char *name)
{
	size_t i, nr = json_object_array_length(list);
	char some[256] = "";
	size_t used = 0;

	for (i = 0; i < nr && i < 6 && used < sizeof(some); i++)
		used += snprintf(some + used, sizeof(some) - used, "%s%s", i ? ", " : "",
				 str_member(json_object_array_get_idx(list, i), "name"));
	log_error("suite " SUITE ": '%s' is not one of its %zu tests (%s%s)", name, nr, some,
		  nr > 6 ? ", ..." : "");
}

/* Every element is an object with a name. */
static int check_list(struct json_object *list)
{
	size_t i;

	if (!list || !json_object_is_type(list, json_type_array)) {
		log_error("suite " SUITE ": the test list is not a JSON list (meson introspect --tests)");
		return -1;
	}
	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object *test = json_object_array_get_idx(list, i);
		const char *name = json_object_is_type(test, json_type_object) ?
				   str_member(test, "name") : NULL;

		if (!name || !*name) {
			log_error("suite " SUITE ": entry %zu of the test list has no name", i + 1);
			return -1;
		}
	}
	return 0;
}

int suite_ndctl_cases(const char *json, const char *selection, struct suite_built *b)
{
	struct json_object *list = json_tokener_parse(json);
	struct strv words = { 0 };
	size_t i;
	int ret = -1;

	if (check_list(list) < 0)
		goto out;
	if (selection && suite_words(selection, &words) < 0) {
		log_error("suite " SUITE ": out of memory");
		goto out;
	}
	if (!words.n) {
		for (i = 0; i < json_object_array_length(list); i++)
			if (add_case(b, json_object_array_get_idx(list, i)) < 0)
				goto out;
		ret = 0;
		goto out;
	}
	for (i = 0; i < words.n; i++) {
		if (!find_test(list, words.v[i])) {
			no_such_test(list, words.v[i]);
			goto out;
		}
	}
	for (i = 0; i < words.n; i++)
		if (add_case(b, find_test(list, words.v[i])) < 0)
			goto out;
	ret = 0;
out:
	strv_free(&words);
	json_object_put(list);
	return ret;
}
