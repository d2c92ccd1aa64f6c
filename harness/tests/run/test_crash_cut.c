// SPDX-License-Identifier: GPL-2.0
/*
 * test_crash_cut.c - the persistence model's files in a lane, and what
 * becomes of a cut when the model could not do its work: a kernel whose
 * clwb the plugin could place none of, and a model that never started.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/fsutil.h"
#include "proto/persist_meta.h"
#include "run/crash_cut.h"
#include "tests/unit_tempdir.h"

#define NV_SIZE		(1u << 20)

/* A lane's work directory with one NVDIMM (no label area needed). */
static void workdir_in(const char *dir, struct workdir *w, char *nv, size_t len)
{
	int fd;

	snprintf(nv, len, "%s/nvdimm0.img", dir);
	fd = open(nv, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, NV_SIZE), 0);
	assert_int_equal(pwrite(fd, "live", 4, 0), 4);
	close(fd);
	memset(w, 0, sizeof(*w));
	w->path = (char *)dir;
	w->nvdimm_paths[0] = nv;
	w->nr_nvdimms = 1;
}

/* The journal's header as the plugin left it at the cut. */
static void write_journal(const char *path, uint64_t placed, uint64_t unplaced)
{
	struct persist_meta_header h = {
		.magic = PERSIST_META_MAGIC, .version = PERSIST_META_VERSION,
		.flushes = placed + unplaced, .flushes_placed = placed,
		.clwb_unplaced = unplaced,
	};
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &h, sizeof(h), 0), sizeof(h));
	close(fd);
}

static char live_byte(const char *nv)
{
	char b = 0;
	int fd = open(nv, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, 0), 1);
	close(fd);
	return b;
}

/* The plugin's argument and files live in the work directory. */
static void files_in_the_work_directory(void **state)
{
	struct crash_cut c;
	struct workdir w;
	struct qemu_config q = { 0 };
	char nv[512], want[1024];

	workdir_in(*state, &w, nv, sizeof(nv));
	assert_int_equal(crash_cut_init(&c, "/p/daxtest-persist.so", &w), 0);
	snprintf(want, sizeof(want), "/p/daxtest-persist.so,regions=%s/persist-regions,"
		 "meta=%s/persist-journal,arm=marker", (char *)*state, (char *)*state);
	assert_string_equal(c.plugin_arg, want);
	crash_cut_configure(&c, &q);
	assert_ptr_equal(q.plugin, c.plugin_arg);
	assert_ptr_equal(q.plugin_regions, c.regions);
	snprintf(want, sizeof(want), "%s/persist-shadow0.img", (char *)*state);
	assert_string_equal(q.plugin_shadows[0], want);
	assert_null(q.plugin_shadows[1]);
	crash_cut_free(&c);
}

/*
 * No clwb placed, some unplaced: a kernel without the marker load. By
 * default the case goes on without an image (the files untouched, the
 * log says why); asked for the model, it is an error.
 */
static void uninstrumented_kernel(void **state)
{
	struct guest_shape s = { .nr_nvdimms = 1, .nvdimm_size = NV_SIZE };
	struct crash_cut_image img = { .kind = CRASH_MODEL_STRICT };
	struct crash_cut c;
	struct workdir w;
	char nv[512], *log, *note;

	workdir_in(*state, &w, nv, sizeof(nv));
	assert_int_equal(crash_cut_init(&c, "/p/daxtest-persist.so", &w), 0);
	write_journal(c.journal, 0, 12);
	assert_int_equal(crash_cut_apply(&c, &w, &s, &img, NULL, &log, &note),
			 CRASH_MODEL_NONE);
	assert_non_null(strstr(log, "could place none of them"));
	assert_non_null(strstr(log, "kernel-patches/instrument/series"));
	assert_non_null(strstr(log, "sees every store"));
	assert_non_null(note);
	assert_int_equal(live_byte(nv), 'l');
	free(log);
	free(note);

	img.asked = true;
	assert_int_equal(crash_cut_apply(&c, &w, &s, &img, NULL, &log, &note), -1);
	assert_null(strstr(log, "sees every store"));
	free(log);
	free(note);
	crash_cut_free(&c);
}

/* No journal at all: the model never started, and nothing is changed. */
static void model_that_never_started(void **state)
{
	struct guest_shape s = { .nr_nvdimms = 1, .nvdimm_size = NV_SIZE };
	struct crash_cut_image img = { .kind = CRASH_MODEL_STRICT };
	struct crash_cut c;
	struct workdir w;
	char nv[512], *log, *note;

	workdir_in(*state, &w, nv, sizeof(nv));
	assert_int_equal(crash_cut_init(&c, "/p/daxtest-persist.so", &w), 0);
	unlink(c.journal);
	assert_int_equal(crash_cut_apply(&c, &w, &s, &img, NULL, &log, &note), -1);
	assert_non_null(strstr(log, "no crash image"));
	assert_non_null(strstr(log, "did not start"));
	assert_int_equal(live_byte(nv), 'l');
	free(log);
	free(note);
	crash_cut_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_in_the_work_directory),
		cmocka_unit_test(uninstrumented_kernel),
		cmocka_unit_test(model_that_never_started),
	};

	return cmocka_run_group_tests(tests, make_temp_dir, remove_temp_dir);
}
