// SPDX-License-Identifier: GPL-2.0
/*
 * --crash-model: parsing, and what a run makes of it on its guests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "plan/crash_model.h"

static void parses_the_models(void **state)
{
	struct crash_model m;

	assert_int_equal(crash_model_parse("none", &m), 0);
	assert_int_equal(m.kind, CRASH_MODEL_NONE);
	assert_int_equal(crash_model_parse("strict", &m), 0);
	assert_int_equal(m.kind, CRASH_MODEL_STRICT);
	assert_int_equal(crash_model_parse("auto", &m), 0);
	assert_int_equal(m.kind, CRASH_MODEL_AUTO);
	assert_int_equal(crash_model_parse("sampled:3", &m), 0);
	assert_int_equal(m.kind, CRASH_MODEL_SAMPLED);
	assert_int_equal(m.samples, 3);
	assert_int_equal(crash_model_parse("sampled:64", &m), 0);
	assert_string_equal(crash_model_name(CRASH_MODEL_SAMPLED), "sampled");
}

static void refuses_bad_models(void **state)
{
	static const char *const bad[] = {
		"", "Strict", "sampled", "sampled:", "sampled:0", "sampled:65", "sampled:-1",
		"sampled:2x", "sampled: 2", "strict:1",
	};
	struct crash_model m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(crash_model_parse(bad[i], &m), -1);
}

/* auto: strict where the plugin runs, none (with a reason) elsewhere;
 * an explicit model the guests cannot run is an error. */
static void resolves_by_accelerator_and_backend(void **state)
{
	struct crash_model want = { .kind = CRASH_MODEL_AUTO }, out;
	const char *note;

	assert_int_equal(crash_model_resolve(&want, true, true, &out, &note), 0);
	assert_int_equal(out.kind, CRASH_MODEL_STRICT);
	assert_null(note);
	assert_int_equal(crash_model_resolve(&want, false, true, &out, &note), 0);
	assert_int_equal(out.kind, CRASH_MODEL_NONE);
	assert_non_null(strstr(note, "KVM"));
	assert_int_equal(crash_model_resolve(&want, true, false, &out, &note), 0);
	assert_int_equal(out.kind, CRASH_MODEL_NONE);
	assert_non_null(strstr(note, "libvirt"));

	want.kind = CRASH_MODEL_SAMPLED;
	want.samples = 2;
	assert_int_equal(crash_model_resolve(&want, true, true, &out, &note), 0);
	assert_int_equal(out.kind, CRASH_MODEL_SAMPLED);
	assert_int_equal(out.samples, 2);
	assert_int_equal(crash_model_resolve(&want, false, true, &out, &note), -1);
	assert_non_null(strstr(note, "TCG"));

	want.kind = CRASH_MODEL_NONE;
	assert_int_equal(crash_model_resolve(&want, false, false, &out, &note), 0);
	assert_int_equal(out.kind, CRASH_MODEL_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_models),
		cmocka_unit_test(refuses_bad_models),
		cmocka_unit_test(resolves_by_accelerator_and_backend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
