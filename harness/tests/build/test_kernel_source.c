// SPDX-License-Identifier: GPL-2.0
/*
 * test_kernel_source.c - the worktree copy keeps incremental builds right
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "build/kernel_source.h"

struct dirs {
	char root[64];
	char *src, *work, *log;
};

static void put(const char *dir, const char *name, const char *text)
{
	char *p = path_join(dir, name);

	assert_int_equal(write_file_atomic(p, text, strlen(text), 0644), 0);
	free(p);
}

static struct timespec mtime_of(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	free(p);
	return st.st_mtim;
}

static bool newer(struct timespec a, struct timespec b)
{
	return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static int setup(void **state)
{
	struct dirs *d = calloc(1, sizeof(*d));

	strcpy(d->root, "/tmp/daxtest-ksrc-XXXXXX");
	if (!mkdtemp(d->root))
		return -1;
	d->src = path_join(d->root, "src");
	d->work = path_join(d->root, "work");
	d->log = path_join(d->root, "log");
	mkdir_p(d->src, 0755);
	put(d->src, "a.c", "int a;\n");
	put(d->src, "b.c", "int b;\n");
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dirs *d = *state;

	remove_tree(d->root);
	free(d->src);
	free(d->work);
	free(d->log);
	free(d);
	return 0;
}

static void sync_once(struct dirs *d)
{
	struct kernel_source ks = { .dir = d->src, .is_git = 0 };

	assert_int_equal(kernel_source_sync(&ks, d->work, d->log), 0);
}

/* A file restored after a patch must look newer than the objects built
 * from the patched version, even though the source's copy is old. */
static void restored_file_gets_a_new_mtime(void **state)
{
	struct dirs *d = *state;
	struct timespec built, restored, untouched_before, untouched_after;
	char *text = NULL, *p;

	sync_once(d);
	untouched_before = mtime_of(d->work, "b.c");
	put(d->work, "a.c", "int a_patched;\n");	/* a patch */
	usleep(20000);
	put(d->root, "a.o", "");			/* make builds from it */
	built = mtime_of(d->root, "a.o");
	usleep(20000);
	p = path_join(d->work, "a.c");
	unlink(p);					/* undo the patch */
	sync_once(d);
	restored = mtime_of(d->work, "a.c");
	assert_true(newer(restored, built));
	assert_int_equal(read_file(p, &text, NULL), 0);
	assert_string_equal(text, "int a;\n");
	untouched_after = mtime_of(d->work, "b.c");
	assert_int_equal(untouched_before.tv_sec, untouched_after.tv_sec);
	assert_int_equal(untouched_before.tv_nsec, untouched_after.tv_nsec);
	free(text);
	free(p);
}

static void files_gone_from_the_source_leave_the_worktree(void **state)
{
	struct dirs *d = *state;
	char *p = path_join(d->src, "b.c"), *w = path_join(d->work, "b.c");

	sync_once(d);
	assert_true(path_is_file(w));
	unlink(p);
	sync_once(d);
	assert_false(path_is_file(w));
	free(p);
	free(w);
}

/* A fake kernel tree in git: a clean tree is its commit, a changed one
 * is that commit plus a hash of the change. */
static void git_tree_identity(void **state)
{
	struct dirs *d = *state;
	struct kernel_source ks = { 0 };
	char cmd[512];

	assert_int_equal(mkdir_p(d->src, 0755), 0);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p arch/x86 tools/testing/selftests && "
		 "touch Makefile Kconfig arch/x86/Kconfig tools/testing/selftests/kselftest_harness.h && "
		 "git init -q && git add -A && "
		 "git -c user.name=t -c user.email=t@t commit -q -m base", d->src);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(kernel_source_resolve(d->src, NULL, d->root, &ks), 0);
	assert_true(ks.is_git);
	assert_non_null(strstr(ks.identity, "git "));
	assert_null(strstr(ks.identity, "dirty"));
	kernel_source_free(&ks);

	put(d->src, "Makefile", "changed\n");
	assert_int_equal(kernel_source_resolve(d->src, NULL, d->root, &ks), 0);
	assert_non_null(strstr(ks.identity, " dirty "));
	kernel_source_free(&ks);
}

/* Kernel names: debian-<major>.<minor> is a Debian source package. */
static void kernel_names(void **state)
{
	static const char *const bad[] = { "debian-7", "debian-", "debian-6.", "linux-6.1",
					   "debian-6.1x", "debian-.1" };
	char *p = kernel_source_package("debian-6.1");
	size_t i;

	assert_string_equal(p, "linux-source-6.1");
	free(p);
	p = kernel_source_package(DEFAULT_KERNEL);
	assert_string_equal(p, "linux-source-6.12");
	free(p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (kernel_source_package(bad[i]))
			fail_msg("accepted %s", bad[i]);
}

/* Names shorter than "debian-" (--kernel 6.1) or without the prefix are
 * rejected without reading past their end; heap copies so ASan sees a
 * read past them. */
static void kernel_names_without_the_prefix(void **state)
{
	static const char *const bad[] = { "6.1", "", "debian-", "debian-6.1.2", "debian-6..1",
					   "debian-6.1 ", "debian-06" };
	char *name, *p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		name = strdup(bad[i]);
		assert_non_null(name);
		p = kernel_source_package(name);
		if (p)
			fail_msg("accepted '%s' as %s", bad[i], p);
		free(name);
	}
	name = strdup("debian-6.12");
	assert_non_null(name);
	p = kernel_source_package(name);
	assert_non_null(p);
	assert_string_equal(p, "linux-source-6.12");
	free(p);
	free(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(restored_file_gets_a_new_mtime, setup, teardown),
		cmocka_unit_test_setup_teardown(git_tree_identity, setup, teardown),
		cmocka_unit_test(kernel_names),
		cmocka_unit_test(kernel_names_without_the_prefix),
		cmocka_unit_test_setup_teardown(files_gone_from_the_source_leave_the_worktree,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
