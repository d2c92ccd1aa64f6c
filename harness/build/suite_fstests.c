// SPDX-License-Identifier: GPL-2.0
/*
 * suite_fstests.c - fstests: build, test selection, sections, scripts
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "build/suite_fstests.h"
#include "build/suite_script.h"
#include "build/suite_step.h"
#include "lib/fsutil.h"
#include "lib/log.h"

#define SUITE	"fstests"

/* The test directories of the two sections, in the order groups expand. */
static const char *const section_dirs[] = { "generic", "shared", "xfs", "ext4", NULL };

static const struct {
	const char *name;
	enum suite_section bit;
} sections[] = {
	{ "xfs", SUITE_SECTION_XFS },
	{ "ext4", SUITE_SECTION_EXT4 },
};

int suite_fstests_build(const char *src, const char *dir, const char *log)
{
	char *copy = path_join(dir, "src");
	char jobs[32];
	int ret = -1;

	if (!copy) {
		log_error("suite " SUITE ": out of memory");
		return -1;
	}
	snprintf(jobs, sizeof(jobs), "-j%ld", sysconf(_SC_NPROCESSORS_ONLN));
	{
		const char *cp[] = { "cp", "-a", "--reflink=auto", src, copy, NULL };
		const char *make[] = { "make", jobs, NULL };

		if (suite_step_run(SUITE, "cp -a", cp, NULL, NULL, log) < 0 ||
		    suite_step_run(SUITE, "make", make, copy, NULL, log) < 0)
			goto out;
	}
	ret = 0;
out:
	free(copy);
	return ret;
}

unsigned int suite_fstests_sections(const char *test)
{
	size_t len = strcspn(test, "/");

	if (!test[len])
		return 0;
	if ((len == 7 && !strncmp(test, "generic", len)) ||
	    (len == 6 && !strncmp(test, "shared", len)))
		return SUITE_SECTION_XFS | SUITE_SECTION_EXT4;
	if (len == 3 && !strncmp(test, "xfs", len))
		return SUITE_SECTION_XFS;
	if (len == 4 && !strncmp(test, "ext4", len))
		return SUITE_SECTION_EXT4;
	return 0;
}

/* fstests' VALID_TEST_NAME (common/test_names): three digits, then
 * letters, digits and '-'. */
static bool test_id(const char *s, size_t len)
{
	size_t i;

	if (len < 3)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			continue;
		if (i < 3 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'))
			return false;
	}
	return true;
}

/* A directory name of tests/: no path of its own. */
static bool plain_name(const char *s, size_t len)
{
	return len > 0 && s[0] != '.' && !memchr(s, '/', len);
}

/* "generic/605" with tests/generic/605 a file of the tree. */
static bool is_test(const char *tree, const char *word)
{
	const char *slash = strchr(word, '/');
	char *path;
	bool ret;

	if (!slash || !plain_name(word, slash - word) ||
	    !test_id(slash + 1, strlen(slash + 1)))
		return false;
	path = str_printf("%s/tests/%s", tree, word);
	ret = path && path_is_file(path);
	free(path);
	return ret;
}

/* Adds the tests of tests/<dir>/group.list in group; *matched counts
 * them (added now or before). 0, or -1 after log_error. */
static int group_tests(const char *tree, const char *dir, const char *group,
		       struct strv *tests, size_t *matched)
{
	char *path = str_printf("%s/tests/%s/group.list", tree, dir);
	char *text = NULL, *line, *next, *save;
	int err;

	if (!path) {
		log_error("suite " SUITE ": out of memory");
		return -1;
	}
	err = read_file(path, &text, NULL);
	if (err) {
		log_error("suite " SUITE ": cannot read %s: %s (fstests' make writes it)", path,
			  strerror(-err));
		free(path);
		return -1;
	}
	for (line = text; line; line = next) {
		char *id, *word;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		line[strcspn(line, "#")] = '\0';
		id = strtok_r(line, " \t", &save);
		if (!id || !test_id(id, strlen(id)))
			continue;
		while ((word = strtok_r(NULL, " \t", &save))) {
			char *test;

			if (strcmp(word, group))
				continue;
			test = str_printf("%s/%s", dir, id);
			if (test && !suite_words_have(tests, test))
				strv_add(tests, test);
			free(test);
			(*matched)++;
			break;
		}
	}
	free(text);
	free(path);
	return tests->err ? -1 : 0;
}

static bool tests_dir(const char *tree, const char *dir)
{
	char *path = str_printf("%s/tests/%s", tree, dir);
	bool ret = path && path_is_dir(path);

	free(path);
	return ret;
}

/* A group word: "dax" in every section directory there is, "xfs/quick"
 * in one. */
static int select_group(const char *tree, const char *word, struct strv *tests)
{
	const char *slash = strchr(word, '/');
	const char *const *d;
	size_t matched = 0;
	char *dir;

	if (slash) {
		dir = strndup(word, slash - word);
		if (!dir || !plain_name(dir, strlen(dir)) || !tests_dir(tree, dir) ||
		    strchr(slash + 1, '/')) {
			free(dir);
			log_error("suite " SUITE ": '%s' is neither a test under %s/tests nor a group",
				  word, tree);
			return -1;
		}
		if (group_tests(tree, dir, slash + 1, tests, &matched) < 0) {
			free(dir);
			return -1;
		}
		free(dir);
		if (!matched) {
			log_error("suite " SUITE ": '%s' is neither a test under %s/tests nor a group of its group.list",
				  word, tree);
			return -1;
		}
		return 0;
	}
	for (d = section_dirs; *d; d++)
		if (tests_dir(tree, *d) && group_tests(tree, *d, word, tests, &matched) < 0)
			return -1;
	if (!matched) {
		log_error("suite " SUITE ": '%s' is neither a test (such as generic/605) nor a group of tests/{generic,shared,xfs,ext4}/group.list in %s",
			  word, tree);
		return -1;
	}
	return 0;
}

int suite_fstests_select(const char *tree, const char *selection, struct strv *tests)
{
	struct strv words = { 0 };
	size_t i;
	int ret = -1;

	if (suite_words(selection ? selection : "", &words) < 0) {
		log_error("suite " SUITE ": out of memory");
		goto out;
	}
	for (i = 0; i < words.n; i++) {
		if (is_test(tree, words.v[i])) {
			if (!suite_words_have(tests, words.v[i]))
				strv_add(tests, words.v[i]);
		} else if (select_group(tree, words.v[i], tests) < 0) {
			goto out;
		}
	}
	if (tests->err) {
		log_error("suite " SUITE ": out of memory");
		goto out;
	}
	ret = 0;
out:
	strv_free(&words);
	return ret;
}

/* A header line that is not the description. */
static bool header_noise(const char *text)
{
	static const char *const noise[] = { "SPDX-License-Identifier", "Copyright", "FS QA Test",
					     "FSQA Test", NULL };
	const char *const *n;
	const char *p;

	for (p = text; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			break;
	if (!*p)
		return true;	/* blank, or a ruler of dashes */
	for (n = noise; *n; n++)
		if (!strncasecmp(text, *n, strlen(*n)))
			return true;
	return false;
}

char *suite_fstests_description(const char *tree, const char *test)
{
	char *path = str_printf("%s/tests/%s", tree, test), *text = NULL, *line, *next;
	char *desc = NULL;

	if (path && read_file(path, &text, NULL) == 0) {
		for (line = text; line && !desc; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			if (line[0] != '#')
				break;	/* the end of the header */
			if (line == text && line[1] == '!')
				continue;
			line += strspn(line, "#");
			line += strspn(line, " \t");
			str_rstrip(line);
			if (!header_noise(line))
				desc = strdup(line);
		}
	}
	if (!desc)
		desc = str_printf("fstests %s", test);
	free(path);
	free(text);
	return desc;
}

static char *script_text(const char *dir, const char *tree, const char *section,
			 const char *test)
{
	char *lib = path_join(dir, "suite-lib.sh"), *config = path_join(dir, "fstests.config");
	struct suite_text t;
	char *text = NULL;

	if (!lib || !config || suite_text_open(&t) < 0)
		goto out;
	suite_text_printf(&t, "#!/bin/bash\n# daxtest: fstests %s in section %s\n. ", test,
			  section);
	suite_text_quote(&t, lib);
	suite_text_printf(&t, "\nfstests_case ");
	suite_text_quote(&t, tree);
	suite_text_printf(&t, " ");
	suite_text_quote(&t, config);
	suite_text_printf(&t, " ");
	suite_text_quote(&t, section);
	suite_text_printf(&t, " ");
	suite_text_quote(&t, test);
	suite_text_printf(&t, "\n");
	text = suite_text_close(&t);
	if (!text && t.bad)
		log_error("suite " SUITE ": a path with a newline cannot be in a guest script: '%.*s...'",
			  (int)strcspn(t.bad, "\n"), t.bad);
out:
	if (!text && !(lib && config))
		log_error("suite " SUITE ": out of memory");
	free(lib);
	free(config);
	return text;
}

static int add_case(struct suite_built *b, const char *tree, const char *section,
		    const char *test)
{
	char *text = script_text(b->dir, tree, section, test);
	char *name = str_printf(SUITE "-%s/%s", section, test);
	char *file = str_printf("%s-%s", section, test), *safe = NULL, *slash;
	char *desc = suite_fstests_description(tree, test);
	int ret = -1;

	/* xfs-generic-605 */
	while (file && (slash = strchr(file, '/')))
		*slash = '-';
	safe = file ? suite_file_name(file) : NULL;

	if (!text)
		goto out;
	if (!name || !safe || !desc) {
		log_error("suite " SUITE ": out of memory");
		goto out;
	}
	ret = suite_case_add(b, name, safe, text, SUITE_FSTESTS_TIMEOUT_S, desc);
out:
	free(text);
	free(name);
	free(file);
	free(safe);
	free(desc);
	return ret;
}

int suite_fstests_cases(const char *tree, const char *selection, struct suite_built *b)
{
	struct strv tests = { 0 };
	size_t i, s;
	int ret = -1;

	if (suite_fstests_select(tree, selection, &tests) < 0)
		goto out;
	if (!tests.n) {
		log_error("suite " SUITE ": the selection names no test");
		goto out;
	}
	for (i = 0; i < tests.n; i++) {
		if (!suite_fstests_sections(tests.v[i])) {
			log_error("suite " SUITE ": %s runs in neither section (xfs, ext4): only tests of generic/, shared/, xfs/ and ext4/ do",
				  tests.v[i]);
			goto out;
		}
	}
	for (s = 0; s < sizeof(sections) / sizeof(sections[0]); s++)
		for (i = 0; i < tests.n; i++)
			if ((suite_fstests_sections(tests.v[i]) & sections[s].bit) &&
			    add_case(b, tree, sections[s].name, tests.v[i]) < 0)
				goto out;
	ret = 0;
out:
	strv_free(&tests);
	return ret;
}
