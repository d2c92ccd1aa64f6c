// SPDX-License-Identifier: GPL-2.0
/*
 * test_patch_series.c - quilt series parsing, applying, hashing
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

#include "lib/fsutil.h"
#include "lib/hash.h"
#include "build/patch_series.h"

struct dir {
	char path[64];
};

static int setup(void **state)
{
	struct dir *d = calloc(1, sizeof(*d));

	strcpy(d->path, "/tmp/daxtest-unit-XXXXXX");
	if (!mkdtemp(d->path))
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dir *d = *state;

	remove_tree(d->path);
	free(d);
	return 0;
}

static void put(const char *dir, const char *name, const char *text)
{
	char *p = path_join(dir, name);

	assert_int_equal(write_file_atomic(p, text, strlen(text), 0644), 0);
	free(p);
}

static const char good_patch[] =
	"--- a/hello.txt\n+++ b/hello.txt\n@@ -1,2 +1,2 @@\n-hello\n+hello, dax\n world\n";

static void parses_names_strip_and_comments(void **state)
{
	struct dir *d = *state;
	struct patch_series s = { 0 };

	put(d->path, "a.patch", good_patch);
	put(d->path, "b.patch", good_patch);
	assert_int_equal(patch_series_parse(&s, "# comment\n\na.patch\nb.patch -p0 # why\n",
					    "series", d->path), 0);
	assert_int_equal(s.nr, 2);
	assert_int_equal(s.patches[0].strip, 1);
	assert_int_equal(s.patches[1].strip, 0);
	assert_string_equal(s.patches[1].where, "series:4");
	assert_non_null(strstr(s.patches[0].path, "/a.patch"));
	patch_series_free(&s);
}

/* --patches kernel-patches/x/series, relative to where daxtest runs:
 * patch(1) runs in the kernel worktree, so the patch paths must not be
 * relative (they were: 'Can't open patch file'). */
static void relative_series_gives_absolute_patches(void **state)
{
	struct dir *d = *state;
	struct patch_series s = { 0 };
	char *cwd = getcwd(NULL, 0), *sub = path_join(d->path, "sub");

	assert_non_null(cwd);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(sub, "a.patch", good_patch);
	put(sub, "series", "a.patch\n");
	assert_int_equal(chdir(d->path), 0);
	assert_int_equal(patch_series_load(&s, "sub/series"), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(s.nr, 1);
	assert_int_equal(s.patches[0].path[0], '/');
	assert_true(path_is_file(s.patches[0].path));
	patch_series_free(&s);
	free(sub);
	free(cwd);
}

/* A patch for a later kernel is dropped; the others stay, in order. */
static void drops_patches_for_later_kernels(void **state)
{
	struct dir *d = *state;
	struct patch_series s = { 0 };

	put(d->path, "all.patch", good_patch);
	put(d->path, "new.patch", "Subject: x\n---\nDaxtest-min-kernel: 6.12\n\n diff\n");
	put(d->path, "bad.patch", "Subject: x\n---\nDaxtest-min-kernel: six\n");
	assert_int_equal(patch_series_parse(&s, "all.patch\nnew.patch\nall.patch -p0\n",
					    "series", d->path), 0);
	assert_int_equal(patch_series_for_kernel(&s, 6, 12), 0);
	assert_int_equal(s.nr, 3);
	assert_int_equal(patch_series_for_kernel(&s, 7, 0), 0);
	assert_int_equal(s.nr, 3);
	assert_int_equal(patch_series_for_kernel(&s, 6, 1), 0);
	assert_int_equal(s.nr, 2);
	assert_non_null(strstr(s.patches[0].path, "/all.patch"));
	assert_int_equal(s.patches[1].strip, 0);
	patch_series_free(&s);

	assert_int_equal(patch_series_parse(&s, "bad.patch\n", "series", d->path), 0);
	assert_int_equal(patch_series_for_kernel(&s, 6, 12), -1);
	patch_series_free(&s);
}

static void rejects_bad_lines_and_missing_patches(void **state)
{
	struct dir *d = *state;
	struct patch_series s = { 0 };

	put(d->path, "a.patch", good_patch);
	assert_int_equal(patch_series_parse(&s, "a.patch -R\n", "series", d->path), -1);
	patch_series_free(&s);
	assert_int_equal(patch_series_parse(&s, "a.patch -p1 extra\n", "series", d->path), -1);
	patch_series_free(&s);
	assert_int_equal(patch_series_parse(&s, "a.patch\nnope.patch\n", "series", d->path), -1);
	patch_series_free(&s);
}

static void applies_and_records_touched_files(void **state)
{
	struct dir *d = *state;
	struct patch_series s = { 0 };
	char *tree = path_join(d->path, "tree"), *touched = path_join(d->path, "touched");
	char *text = NULL;

	assert_int_equal(mkdir_p(tree, 0755), 0);
	put(tree, "hello.txt", "hello\nworld\n");
	put(d->path, "a.patch", good_patch);
	assert_int_equal(patch_series_parse(&s, "a.patch\n", "series", d->path), 0);
	assert_int_equal(patch_series_apply(&s, tree, touched), 0);
	assert_int_equal(read_file(touched, &text, NULL), 0);
	assert_string_equal(text, "hello.txt\n");
	free(text);
	{
		char *f = path_join(tree, "hello.txt");

		assert_int_equal(read_file(f, &text, NULL), 0);
		assert_string_equal(text, "hello, dax\nworld\n");
		free(text);
		free(f);
	}
	/* Applying again fails: the hunk is already there. */
	assert_int_equal(patch_series_apply(&s, tree, touched), -1);
	patch_series_free(&s);
	free(tree);
	free(touched);
}

static void hash(const struct patch_series *s, char out[HASH_HEX_LEN + 1])
{
	struct hash *h = hash_new();

	assert_non_null(h);
	assert_int_equal(patch_series_hash(s, h), 0);
	hash_finish(h, out);
}

static void hash_follows_content_and_strip(void **state)
{
	struct dir *d = *state;
	struct patch_series s = { 0 };
	char h1[HASH_HEX_LEN + 1], h2[HASH_HEX_LEN + 1], h3[HASH_HEX_LEN + 1];

	put(d->path, "a.patch", good_patch);
	assert_int_equal(patch_series_parse(&s, "a.patch\n", "series", d->path), 0);
	hash(&s, h1);
	hash(&s, h2);
	assert_string_equal(h1, h2);
	put(d->path, "a.patch", "--- a/x\n+++ b/x\n");
	hash(&s, h2);
	assert_string_not_equal(h1, h2);
	patch_series_free(&s);
	assert_int_equal(patch_series_parse(&s, "a.patch -p0\n", "series", d->path), 0);
	hash(&s, h3);
	assert_string_not_equal(h2, h3);
	patch_series_free(&s);
}

static void hash_fields_do_not_run_together(void **state)
{
	char h1[HASH_HEX_LEN + 1], h2[HASH_HEX_LEN + 1];
	struct hash *h;

	h = hash_new();
	hash_field(h, "ab", "c");
	hash_finish(h, h1);
	h = hash_new();
	hash_field(h, "a", "bc");
	hash_finish(h, h2);
	assert_string_not_equal(h1, h2);
	assert_int_equal(strlen(h1), HASH_HEX_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(parses_names_strip_and_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(relative_series_gives_absolute_patches, setup,
						teardown),
		cmocka_unit_test_setup_teardown(drops_patches_for_later_kernels, setup, teardown),
		cmocka_unit_test_setup_teardown(rejects_bad_lines_and_missing_patches, setup, teardown),
		cmocka_unit_test_setup_teardown(applies_and_records_touched_files, setup, teardown),
		cmocka_unit_test_setup_teardown(hash_follows_content_and_strip, setup, teardown),
		cmocka_unit_test(hash_fields_do_not_run_together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
