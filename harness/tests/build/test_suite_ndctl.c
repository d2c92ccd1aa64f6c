// SPDX-License-Identifier: GPL-2.0
/*
 * test_suite_ndctl.c - ndctl's test list (meson introspect --tests) to
 * cases and guest scripts
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "build/suite_ndctl.h"
#include "lib/fsutil.h"
#include "lib/spawn.h"
#include "tests/unit_tempdir.h"
#include "tests/unit_stderr.h"

#define DATA_DIR "harness/tests/data/suite"

static char *fixture(void)
{
	char *json = NULL;

	assert_int_equal(read_file(DATA_DIR "/ndctl-tests.json", &json, NULL), 0);
	return json;
}

/* Runs fn's suite_ndctl_cases with stderr in *err. */
static int cases_quietly(const char *json, const char *selection, struct suite_built *b,
			 char **err)
{
	struct stderr_capture c;
	int ret;

	stderr_begin(&c);
	ret = suite_ndctl_cases(json, selection, b);
	*err = stderr_end(&c);
	return ret;
}

static void built_in(struct suite_built *b, const char *dir)
{
	memset(b, 0, sizeof(*b));
	b->kind = SUITE_NDCTL;
	b->dir = strdup(dir);
}

static char *file_text(const char *path)
{
	char *text = NULL;

	assert_int_equal(read_file(path, &text, NULL), 0);
	return text;
}

static void every_test_is_a_case(void **state)
{
	const char *dir = *state;
	char *json = fixture(), *err = NULL, *want, *text;
	struct suite_built b;
	struct stat st;

	built_in(&b, dir);
	assert_int_equal(cases_quietly(json, NULL, &b, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(b.nr, 3);
	assert_string_equal(b.cases[0].name, "ndctl/libndctl");
	assert_string_equal(b.cases[1].name, "ndctl/dax.sh");
	assert_string_equal(b.cases[2].name, "ndctl/it's a test");
	assert_int_equal(b.cases[0].timeout_s, 600);
	assert_int_equal(b.cases[1].timeout_s, 600);	/* 0: meson's "none" */
	assert_int_equal(b.cases[2].timeout_s, 120);
	assert_string_equal(b.cases[0].description, "ndctl's libndctl (meson suite ndctl:ndctl)");
	assert_string_equal(b.cases[2].description,
			    "ndctl's it's a test (meson suite ndctl:ndctl ndctl:dax)");

	want = str_printf("%s/cases/dax.sh.sh", dir);
	assert_string_equal(b.cases[1].script, want);
	assert_int_equal(stat(want, &st), 0);
	assert_int_equal(st.st_mode & 0111, 0111);
	free(want);
	want = str_printf("%s/cases/it_s_a_test.sh", dir);
	assert_string_equal(b.cases[2].script, want);
	free(want);

	text = file_text(b.cases[1].script);
	want = str_printf("#!/bin/bash\n"
			  "# daxtest: ndctl's test \"dax.sh\" (meson suite ndctl:dax), from meson introspect --tests\n"
			  ". '%s/suite-lib.sh'\n"
			  "cd '%s/build' || suite_broken 'cannot enter %s/build'\n"
			  "export 'NDCTL=/c/suites/ndctl-k/build/ndctl/ndctl'\n"
			  "ndctl_case 'dax.sh' '/bin/bash' '/src/ndctl/test/dax.sh'\n", dir, dir, dir);
	assert_string_equal(text, want);
	free(text);
	free(want);

	/* the environment as meson gives it, in its order */
	text = file_text(b.cases[0].script);
	assert_non_null(strstr(text, "export 'NDCTL=/c/suites/ndctl-k/build/ndctl/ndctl'\n"
				     "export 'DAXCTL=/c/suites/ndctl-k/build/daxctl/daxctl'\n"
				     "export 'DATA_PATH=/src/ndctl/test'\n"
				     "ndctl_case 'libndctl' '/c/suites/ndctl-k/build/test/libndctl'\n"));
	free(text);

	text = file_text(b.cases[2].script);
	want = str_printf("#!/bin/bash\n"
			  "# daxtest: ndctl's test \"it's a test\" (meson suite ndctl:ndctl ndctl:dax), from meson introspect --tests\n"
			  ". '%s/suite-lib.sh'\n"
			  "cd '/w/it'\\''s dir' || suite_broken 'cannot enter /w/it'\\''s dir'\n"
			  "export 'QUOTED=a '\\''quoted'\\'' value'\n"
			  "ndctl_case 'it'\\''s a test' '/src/ndctl/test/it'\\''s.sh' '--say' 'don'\\''t'\n",
			  dir);
	assert_string_equal(text, want);
	free(text);
	free(want);
	suite_built_free(&b);
	free(json);
	free(err);
}

/* bash reads back exactly the values, quotes and all. */
static void bash_reads_the_values_back(void **state)
{
	const char *dir = *state;
	char *work = str_printf("%s/it's dir", dir), *lib = path_join(dir, "suite-lib.sh");
	const char *stub = "suite_broken() { echo \"broken: $1\"; exit 3; }\n"
			   "ndctl_case() { printf '<%s>\\n' \"$@\" \"$QUOTED\" \"$PWD\"; }\n";
	char *json, *err = NULL, *out = NULL, *want;
	struct suite_built b;

	assert_int_equal(mkdir_p(work, 0755), 0);
	assert_int_equal(write_file_atomic(lib, stub, strlen(stub), 0644), 0);
	json = str_printf("[{\"name\": \"q'uote\", \"suite\": [], \"timeout\": 5,"
			  " \"cmd\": [\"it's\", \"$HOME\", \"a \\\"b\\\" \\\\c\", \"\"],"
			  " \"env\": {\"QUOTED\": \"'; exit 9; '\"}, \"workdir\": \"%s\"}]", work);
	built_in(&b, dir);
	assert_int_equal(cases_quietly(json, "", &b, &err), 0);
	assert_int_equal(b.nr, 1);
	assert_string_equal(b.cases[0].description, "ndctl's q'uote");
	out = file_text(b.cases[0].script);
	assert_non_null(strstr(out, "\n# daxtest: ndctl's test \"q'uote\", from meson introspect --tests\n"));
	free(out);
	{
		const char *argv[] = { "/bin/bash", b.cases[0].script, NULL };

		assert_int_equal(proc_capture(argv, NULL, &out), 0);
	}
	want = str_printf("<q'uote>\n<it's>\n<$HOME>\n<a \"b\" \\c>\n<>\n<'; exit 9; '>\n<%s>\n",
			  work);
	assert_string_equal(out, want);
	free(want);
	free(out);
	suite_built_free(&b);
	free(json);
	free(err);

	/* a workdir that is not there: suite_broken, quoted too */
	json = strdup("[{\"name\": \"w\", \"cmd\": [\"true\"], \"workdir\": \"/no/it's\"}]");
	built_in(&b, dir);
	assert_int_equal(cases_quietly(json, NULL, &b, &err), 0);
	{
		const char *argv[] = { "/bin/bash", b.cases[0].script, NULL };

		assert_int_equal(proc_capture(argv, NULL, &out), 3);
	}
	assert_non_null(strstr(out, "broken: cannot enter /no/it's\n"));
	free(out);
	suite_built_free(&b);
	free(json);
	free(err);
	unlink(lib);
	free(lib);
	free(work);
}

static void selection_picks_names_in_order(void **state)
{
	char *json = fixture(), *err = NULL;
	struct suite_built b;

	built_in(&b, *state);
	assert_int_equal(cases_quietly(json, "dax.sh,libndctl  dax.sh", &b, &err), 0);
	assert_int_equal(b.nr, 2);
	assert_string_equal(b.cases[0].name, "ndctl/dax.sh");
	assert_string_equal(b.cases[1].name, "ndctl/libndctl");
	suite_built_free(&b);
	free(err);
	free(json);
}

static void selection_errors_name_the_test(void **state)
{
	char *json = fixture(), *err = NULL;
	struct suite_built b;

	built_in(&b, *state);
	assert_int_equal(cases_quietly(json, "dax.sh nosuch.sh", &b, &err), -1);
	assert_non_null(strstr(err, "'nosuch.sh' is not one of its 3 tests (libndctl, dax.sh, it's a test)"));
	/* nothing was written for the good name before the bad one */
	assert_int_equal(b.nr, 0);
	suite_built_free(&b);
	free(err);
	free(json);
}

static void values_with_newlines_are_refused(void **state)
{
	const char *env = "[{\"name\": \"t\", \"cmd\": [\"x\"], \"env\": {\"A\": \"x\\ny\"}}]";
	const char *cmd = "[{\"name\": \"t\", \"cmd\": [\"x\", \"two\\nlines\"]}]";
	const char *name = "[{\"name\": \"t\\nu\", \"cmd\": [\"x\"]}]";
	const char *key = "[{\"name\": \"t\", \"cmd\": [\"x\"], \"env\": {\"A B\": \"x\"}}]";
	struct suite_built b;
	char *err = NULL;

	built_in(&b, *state);
	assert_int_equal(cases_quietly(env, NULL, &b, &err), -1);
	assert_non_null(strstr(err, "test 't': the value of A has a newline"));
	free(err);
	assert_int_equal(cases_quietly(cmd, NULL, &b, &err), -1);
	assert_non_null(strstr(err, "test 't': a value has a newline, which a guest script cannot carry: 'two...'"));
	free(err);
	assert_int_equal(cases_quietly(name, NULL, &b, &err), -1);
	assert_non_null(strstr(err, "a value has a newline"));
	free(err);
	assert_int_equal(cases_quietly(key, NULL, &b, &err), -1);
	assert_non_null(strstr(err, "environment variable 'A B' is not a name"));
	free(err);
	assert_int_equal(b.nr, 0);
	suite_built_free(&b);
}

static void malformed_lists(void **state)
{
	struct suite_built b;
	char *err = NULL;

	built_in(&b, *state);
	assert_int_equal(cases_quietly("{}", NULL, &b, &err), -1);
	assert_non_null(strstr(err, "is not a JSON list"));
	free(err);
	assert_int_equal(cases_quietly("[{\"cmd\": [\"x\"]}]", NULL, &b, &err), -1);
	assert_non_null(strstr(err, "entry 1 of the test list has no name"));
	free(err);
	assert_int_equal(cases_quietly("[{\"name\": \"x\"}]", NULL, &b, &err), -1);
	assert_non_null(strstr(err, "test 'x' has no command"));
	free(err);
	assert_int_equal(cases_quietly("[{\"name\": \"x\", \"cmd\": [\"a\", null]}]", NULL, &b,
				       &err), -1);
	assert_non_null(strstr(err, "test 'x': word 2 of its command is not a string"));
	free(err);
	assert_int_equal(cases_quietly("[{\"name\": \"x\", \"cmd\": [\"a\"], \"env\": {\"A\": 1}}]",
				       NULL, &b, &err), -1);
	assert_non_null(strstr(err, "test 'x': the value of A is not a string"));
	free(err);
	assert_int_equal(b.nr, 0);
	suite_built_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_test_is_a_case),
		cmocka_unit_test(bash_reads_the_values_back),
		cmocka_unit_test(selection_picks_names_in_order),
		cmocka_unit_test(selection_errors_name_the_test),
		cmocka_unit_test(values_with_newlines_are_refused),
		cmocka_unit_test(malformed_lists),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
