// SPDX-License-Identifier: GPL-2.0
/*
 * test_persist_start.c - the regions file from QEMU's RAM blocks, then
 * cont; every failure named, and QEMU left paused after one
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "lib/clock.h"
#include "lib/fsutil.h"
#include "tests/unit_tempdir.h"
#include "tests/vm/fake_qmp.h"
#include "vm/persist_start.h"

#define NV_SIZE		((256ULL << 20) + (128 << 10))

/* x-query-ramblock of QEMU 7.2 for two NVDIMMs of 256 MiB + 128 KiB
 * (tests/parse/test_ramblock.c has the whole table). */
static const char two_nvdimms[] =
	"              Block Name    PSize              Offset               Used              Total\n"
	"                  pc.ram    4 KiB  0x0000000020080000 0x0000000020000000 0x0000000020000000\n"
	"                  nvmem0    4 KiB  0x0000000000000000 0x0000000010020000 0x0000000010020000\n"
	"                  nvmem1    4 KiB  0x0000000010040000 0x0000000010020000 0x0000000010020000\n"
	"                 pc.bios    4 KiB  0x0000000040080000 0x0000000000040000 0x0000000000040000\n";

struct fixture {
	char *dir;
	char regions[256], live[2][256], shadow[2][256];
	struct qemu_config q;
	struct fake_qmp f;
	char reply[4096];	/* the answer to x-query-ramblock */
	char err[512];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	void *dir;
	int i;

	if (!fx || make_temp_dir(&dir) < 0)
		return -1;
	fx->dir = dir;
	snprintf(fx->regions, sizeof(fx->regions), "%s/regions", fx->dir);
	for (i = 0; i < 2; i++) {
		snprintf(fx->live[i], sizeof(fx->live[i]), "%s/nvdimm%d.img", fx->dir, i);
		snprintf(fx->shadow[i], sizeof(fx->shadow[i]), "%s/shadow%d.img", fx->dir, i);
		fx->q.nvdimms[i].path = fx->live[i];
		fx->q.nvdimms[i].size = NV_SIZE;
		fx->q.plugin_shadows[i] = fx->shadow[i];
	}
	fx->q.nr_nvdimms = 2;
	fx->q.label_size = 128 << 10;
	fx->q.plugin = "daxtest-persist.so,regions=x,meta=y";
	fx->q.plugin_regions = fx->regions;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	void *dir = fx->dir;
	int ret = remove_temp_dir(&dir);

	free(fx);
	return ret;
}

/* {"return": {"human-readable-text": table}} as QEMU sends it. */
static const char *ramblock_reply(struct fixture *fx, const char *table)
{
	struct json_object *ret = json_object_new_object(), *msg = json_object_new_object();

	json_object_object_add(ret, "human-readable-text", json_object_new_string(table));
	json_object_object_add(msg, "return", ret);
	snprintf(fx->reply, sizeof(fx->reply), "%s\r\n",
		 json_object_to_json_string_ext(msg, JSON_C_TO_STRING_SPACED));
	json_object_put(msg);
	return fx->reply;
}

/* Runs persist_start against a server answering x-query-ramblock with
 * reply and cont with cont_reply (NULL: cont must not come). */
static int run(struct fixture *fx, const char *reply, const char *cont_reply)
{
	struct fake_qmp_step steps[] = {
		FAKE_QMP_CAPS,
		{ "{\"execute\":\"x-query-ramblock\"}", reply },
		{ "{\"execute\":\"cont\"}", cont_reply },
	};
	int rc;

	memset(&fx->f, 0, sizeof(fx->f));
	fx->f.steps = steps;
	fx->f.nr_steps = cont_reply ? 3 : 2;
	if (fake_qmp_start(&fx->f, fx->dir) < 0)
		return -2;
	fx->q.qmp_socket = fx->f.path;
	rc = persist_start(&fx->q, -1, mono_ms() + 5000, fx->err, sizeof(fx->err));
	if (*fake_qmp_join(&fx->f))
		fail_msg("the fake QMP server: %s", fx->f.why);
	return rc;
}

static void regions_file_then_cont(void **state)
{
	struct fixture *fx = *state;
	char *text, want[2048];

	assert_int_equal(run(fx, ramblock_reply(fx, two_nvdimms), "{\"return\": {}}\r\n"), 0);
	assert_int_equal(read_file(fx->regions, &text, NULL), 0);
	snprintf(want, sizeof(want),
		 "# BASE (RAM-block offset) SIZE (bytes modelled) LIVE SHADOW\n"
		 "0x0 268435456 %s %s\n0x10040000 268435456 %s %s\n",
		 fx->live[0], fx->shadow[0], fx->live[1], fx->shadow[1]);
	assert_string_equal(text, want);
	free(text);
	/* cont came last, after the file was in place, and nothing after it */
	assert_string_equal(fx->f.received, "{\"execute\":\"qmp_capabilities\"}\n"
			    "{\"execute\":\"x-query-ramblock\"}\n{\"execute\":\"cont\"}\n");
}

/* Machine types before 4.0 name the block by the backend's QOM path. */
static void qom_path_block_names(void **state)
{
	static const char table[] =
		"Block Name PSize Offset Used Total\n"
		"/objects/nvmem1 4 KiB 0x0000000000000000 0x0000000010020000 0x0000000010020000\n"
		"/objects/nvmem0 4 KiB 0x0000000010040000 0x0000000010020000 0x0000000010020000\n";
	struct fixture *fx = *state;
	char *text;

	assert_int_equal(run(fx, ramblock_reply(fx, table), "{\"return\": {}}\r\n"), 0);
	assert_int_equal(read_file(fx->regions, &text, NULL), 0);
	assert_non_null(strstr(text, "\n0x10040000 268435456 "));
	assert_non_null(strstr(text, "nvdimm0.img"));
	free(text);
}

/* Each failure: one line saying what, no regions file, no cont (QEMU
 * stays paused and the caller stops it). */
static void block_missing(void **state)
{
	static const char table[] =
		"Block Name PSize Offset Used Total\n"
		"nvmem0 4 KiB 0x0 0x10020000 0x10020000\n"
		"pc.ram 4 KiB 0x10040000 0x20000000 0x20000000\n";
	struct fixture *fx = *state;

	assert_int_equal(run(fx, ramblock_reply(fx, table), NULL), -1);
	assert_non_null(strstr(fx->err, "QEMU has no RAM block nvmem1 (nor /objects/nvmem1) "
				"for NVDIMM 1 ("));
	assert_false(path_is_file(fx->regions));
}

static void size_mismatch(void **state)
{
	static const char table[] =
		"Block Name PSize Offset Used Total\n"
		"nvmem0 4 KiB 0x0 0x10020000 0x10020000\n"
		"nvmem1 4 KiB 0x10040000 0x10000000 0x10020000\n";
	struct fixture *fx = *state;
	char want[512];

	assert_int_equal(run(fx, ramblock_reply(fx, table), NULL), -1);
	snprintf(want, sizeof(want), "RAM block nvmem1 is 268435456 bytes, but NVDIMM 1 (%s) "
		 "is 268566528", fx->live[1]);
	assert_string_equal(fx->err, want);
	assert_false(path_is_file(fx->regions));
}

static void unaligned_block(void **state)
{
	static const char table[] =
		"Block Name PSize Offset Used Total\n"
		"nvmem0 4 KiB 0x20 0x10020000 0x10020000\n"
		"nvmem1 4 KiB 0x10040000 0x10020000 0x10020000\n";
	struct fixture *fx = *state;

	assert_int_equal(run(fx, ramblock_reply(fx, table), NULL), -1);
	assert_string_equal(fx->err, "RAM block nvmem0 at 0x20: not 64-byte aligned");
}

static void qmp_errors(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(run(fx, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
			     "\"The command x-query-ramblock has not been found\"}}\r\n", NULL), -1);
	assert_string_equal(fx->err, "x-query-ramblock: The command x-query-ramblock has not been found");

	assert_int_equal(run(fx, "{\"return\": {}}\r\n", NULL), -1);
	assert_string_equal(fx->err, "x-query-ramblock: no human-readable-text in its answer");

	assert_int_equal(run(fx, ramblock_reply(fx, "garbage\n"), NULL), -1);
	assert_string_equal(fx->err, "RAM block table: line 1 is not the header "
			    "\"Block Name PSize Offset Used Total\"");

	assert_int_equal(run(fx, ramblock_reply(fx, two_nvdimms),
			     "{\"error\": {\"class\": \"GenericError\", \"desc\": \"oops\"}}\r\n"), -1);
	assert_string_equal(fx->err, "cont: oops");
}

static void regions_file_unwritable(void **state)
{
	struct fixture *fx = *state;
	char want[512];

	snprintf(fx->regions, sizeof(fx->regions), "%s/absent/regions", fx->dir);
	assert_int_equal(run(fx, ramblock_reply(fx, two_nvdimms), NULL), -1);
	snprintf(want, sizeof(want), "cannot write the regions file %s: "
		 "No such file or directory", fx->regions);
	assert_string_equal(fx->err, want);
	snprintf(fx->regions, sizeof(fx->regions), "%s/regions", fx->dir);
}

/* What the regions file cannot say is refused before QEMU is asked. */
static void bad_config(void **state)
{
	struct fixture *fx = *state;
	struct qemu_config good = fx->q;

	good.qmp_socket = "/nonexistent/qmp.sock";
	fx->q = good;
	fx->q.plugin_shadows[1] = "/w/my shadow.img";
	assert_int_equal(persist_start(&fx->q, -1, mono_ms() + 5000, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "NVDIMM 1: backing file"));
	assert_non_null(strstr(fx->err, "'/w/my shadow.img' is not a path"));

	fx->q = good;
	fx->q.nvdimms[0].path = "#comment";
	assert_int_equal(persist_start(&fx->q, -1, mono_ms() + 5000, fx->err, sizeof(fx->err)), -1);
	assert_non_null(strstr(fx->err, "NVDIMM 0: backing file '#comment'"));

	fx->q = good;
	fx->q.plugin_regions = NULL;
	assert_int_equal(persist_start(&fx->q, -1, mono_ms() + 5000, fx->err, sizeof(fx->err)), -1);
	assert_string_equal(fx->err, "no regions file or no QMP socket for the plugin");

	fx->q = good;
	fx->q.nvdimms[1].size = fx->q.label_size + 32;
	assert_int_equal(persist_start(&fx->q, -1, mono_ms() + 5000, fx->err, sizeof(fx->err)), -1);
	assert_string_equal(fx->err, "NVDIMM 1: 131104 bytes with a label of 131072: "
			    "no whole 64-byte lines to model");

	fx->q = good;
	fx->q.nr_nvdimms = 0;
	assert_int_equal(persist_start(&fx->q, -1, mono_ms() + 5000, fx->err, sizeof(fx->err)), -1);
	assert_string_equal(fx->err, "0 NVDIMMs: the plugin models 1 to 8");
	fx->q.nr_nvdimms = 2;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(regions_file_then_cont, setup, teardown),
		cmocka_unit_test_setup_teardown(qom_path_block_names, setup, teardown),
		cmocka_unit_test_setup_teardown(block_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(size_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(unaligned_block, setup, teardown),
		cmocka_unit_test_setup_teardown(qmp_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(regions_file_unwritable, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_config, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
