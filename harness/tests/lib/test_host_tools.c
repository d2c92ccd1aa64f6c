// SPDX-License-Identifier: GPL-2.0
/*
 * test_host_tools.c - host programs are found where Debian installs them,
 * a normal user's PATH or not, and every missing one is named with its
 * package
 */
#include <errno.h>
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

#include "lib/fsutil.h"
#include "lib/host_tools.h"
#include "build/image_build.h"
#include "tests/unit_tempdir.h"

/* A normal user's PATH on Debian (/etc/login.defs): no sbin. */
#define USER_PATH "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"

static char *make_file(const char *dir, const char *name, mode_t mode)
{
	char *path = path_join(dir, name);

	assert_non_null(path);
	assert_int_equal(mkdir_p(dir, 0755), 0);
	assert_int_equal(write_file_atomic(path, "#!/bin/sh\n", 10, mode), 0);
	return path;
}

static void path_comes_before_sbin(void **state)
{
	char *bin = path_join(*state, "bin"), *sbin = path_join(*state, "sbin");
	char *in_bin = make_file(bin, "tool", 0755), *in_sbin = make_file(sbin, "tool", 0755);
	const char *fallback[] = { sbin, NULL };
	char *found;

	found = host_tool_find_in("tool", bin, fallback);
	assert_non_null(found);
	assert_string_equal(found, in_bin);
	free(found);
	/* Not in PATH: the sbin directory has it. */
	found = host_tool_find_in("tool", "/nonexistent", fallback);
	assert_non_null(found);
	assert_string_equal(found, in_sbin);
	free(found);
	free(bin);
	free(sbin);
	free(in_bin);
	free(in_sbin);
}

static void not_executable_or_relative_is_not_found(void **state)
{
	char *dir = path_join(*state, "plain");
	char *plain = make_file(dir, "tool", 0644);
	const char *fallback[] = { dir, NULL };
	char cwd[4096], *found;

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	errno = 0;
	assert_null(host_tool_find_in("tool", dir, fallback));
	assert_int_equal(errno, ENOENT);
	/* A relative PATH entry would depend on the current directory. */
	assert_int_equal(chdir(*state), 0);
	assert_int_equal(chmod(plain, 0755), 0);
	assert_null(host_tool_find_in("tool", "plain", (const char *[]){ NULL }));
	assert_int_equal(chdir(cwd), 0);
	/* A name with a slash is taken as it is. */
	found = host_tool_find_in(plain, "/nonexistent", (const char *[]){ NULL });
	assert_non_null(found);
	assert_string_equal(found, plain);
	free(found);
	assert_null(host_tool_find_in("", dir, fallback));
	free(dir);
	free(plain);
}

/* The failure this module exists for: depmod (kmod) lives in /usr/sbin,
 * which a normal user's PATH lacks. */
static void depmod_is_found_without_sbin_in_path(void **state)
{
	char *found = host_tool_find_in("depmod", USER_PATH, NULL);

	if (access("/usr/sbin/depmod", X_OK) && access("/sbin/depmod", X_OK))
		skip();	/* kmod is not installed here (make deps installs it) */
	assert_non_null(found);
	assert_true(!strcmp(found, "/usr/sbin/depmod") || !strcmp(found, "/sbin/depmod"));
	free(found);
}

static size_t count_item(const struct strv *s, const char *item)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += !strcmp(s->v[i], item);
	return n;
}

static bool has_item(const struct strv *s, const char *item)
{
	return count_item(s, item) > 0;
}

static void missing_tools_are_named_with_their_package(void **state)
{
	struct host_missing m = { 0 };
	char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;

	/* Nothing in PATH: what is not in an sbin directory is missing. */
	setenv("PATH", *state, 1);
	assert_int_equal(host_tools_missing(STAGES_RUN, &m), 0);
	if (old)
		setenv("PATH", old, 1);
	free(old);
	assert_true(has_item(&m.what, "make (make)"));
	assert_true(has_item(&m.what, "qemu-system-x86_64 (qemu-system-x86)"));
	assert_true(has_item(&m.packages, "qemu-system-x86"));
	/* gcc is needed by two stages, named once; so is its package. */
	assert_int_equal(count_item(&m.what, "gcc (gcc)"), 1);
	assert_int_equal(count_item(&m.packages, "gcc"), 1);
	if (!access("/usr/sbin/depmod", X_OK))
		assert_false(has_item(&m.what, "depmod (kmod)"));
	assert_int_equal(host_missing_report(&m), -1);
	host_missing_free(&m);
	/* Nothing missing: no line, 0. */
	assert_int_equal(host_missing_report(&m), 0);
}

static void packages_are_listed_once(void **state)
{
	struct host_missing m = { 0 };

	host_missing_add(&m, "mkfs.xfs", "xfsprogs");
	host_missing_add(&m, "xfs_io", "xfsprogs");
	host_missing_add(&m, "/etc/foo", NULL);
	assert_int_equal(m.what.n, 3);
	assert_string_equal(m.what.v[0], "mkfs.xfs (xfsprogs)");
	assert_string_equal(m.what.v[2], "/etc/foo");
	assert_int_equal(count_item(&m.packages, "xfsprogs"), 1);
	assert_int_equal(m.packages.n, 1);
	host_missing_free(&m);
}

/* The recipe's host files are checked before any build; each missing
 * one is named with the package its "package" line gives. */
static void recipe_files_are_checked(void **state)
{
	char *images = path_join(*state, "project/images");
	char *project = path_join(*state, "project");
	struct host_missing m = { 0 };
	const char *text =
		"package busybox-static\n"
		"busybox /bin/sh\n"
		"package nosuch\n"
		"bin /nonexistent/nosuch-tool\n"
		"file /nonexistent/nosuch.conf /etc/nosuch.conf\n"
		"link /sbin/x /bin/sh\n"
		"dir /mnt\n";
	char *recipe;

	assert_int_equal(mkdir_p(images, 0755), 0);
	recipe = path_join(project, IMAGE_RECIPE);
	assert_int_equal(write_file_atomic(recipe, text, strlen(text), 0644), 0);
	assert_int_equal(image_recipe_missing(project, &m), 0);
	assert_int_equal(m.what.n, 2);
	assert_string_equal(m.what.v[0], "/nonexistent/nosuch-tool (nosuch)");
	assert_string_equal(m.what.v[1], "/nonexistent/nosuch.conf (nosuch)");
	host_missing_free(&m);
	/* A malformed recipe fails here too, before a build. */
	assert_int_equal(write_file_atomic(recipe, "bin\n", 4, 0644), 0);
	assert_int_equal(image_recipe_missing(project, &m), -1);
	host_missing_free(&m);
	free(recipe);
	free(images);
	free(project);
}

/* scripts/deps.sh (make deps) installs every package named here. */
static bool deps_installs(const char *deps, const char *package)
{
	const char *p = deps;
	size_t len = strlen(package);

	while ((p = strstr(p, package))) {
		bool start = p == deps || strchr(" \t\n", p[-1]);
		bool end = !p[len] || strchr(" \t\n", p[len]);

		if (start && end)
			return true;
		p += len;
	}
	return false;
}

static void make_deps_installs_every_package(void **state)
{
	const struct host_tool *t;
	char *deps = NULL, *recipe = NULL, *line, *save;
	size_t i, nr;

	/* Essential packages every Debian system has. */
	static const char *const essential[] = { "dpkg", "tar", "coreutils", "perl-base",
						 "libc-bin" };

	assert_int_equal(read_file("scripts/deps.sh", &deps, NULL), 0);
	t = host_tools_table(&nr);
	for (i = 0; i < nr; i++) {
		bool ok = deps_installs(deps, t[i].package);

		for (size_t j = 0; j < sizeof(essential) / sizeof(*essential); j++)
			ok = ok || !strcmp(t[i].package, essential[j]);
		if (!ok)
			fail_msg("%s (%s) is not installed by scripts/deps.sh", t[i].name,
				 t[i].package);
	}
	assert_int_equal(read_file(IMAGE_RECIPE, &recipe, NULL), 0);
	for (line = strtok_r(recipe, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "package ", 8))
			continue;
		if (!deps_installs(deps, line + 8))
			fail_msg("%s: package %s is not installed by scripts/deps.sh",
				 IMAGE_RECIPE, line + 8);
	}
	free(deps);
	free(recipe);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_comes_before_sbin),
		cmocka_unit_test(not_executable_or_relative_is_not_found),
		cmocka_unit_test(depmod_is_found_without_sbin_in_path),
		cmocka_unit_test(missing_tools_are_named_with_their_package),
		cmocka_unit_test(packages_are_listed_once),
		cmocka_unit_test(recipe_files_are_checked),
		cmocka_unit_test(make_deps_installs_every_package),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
