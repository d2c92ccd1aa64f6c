// SPDX-License-Identifier: GPL-2.0
/*
 * test_powercut.c - phases, checkpoints and the seeded random cuts
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/clock.h"
#include "plan/powercut.h"

static void delays_are_seeded_and_bounded(void **state)
{
	size_t i;
	int differ = 0;

	for (i = 0; i < 100; i++) {
		long d = powercut_delay_ms(42, i);

		assert_true(d >= 0 && d <= POWERCUT_MAX_DELAY_MS);
		assert_int_equal(d, powercut_delay_ms(42, i));
		differ += d != powercut_delay_ms(43, i);
	}
	/* another seed gives other cuts */
	assert_true(differ > 90);
}

static void checkpoint_schedules_one_cut(void **state)
{
	struct test_def pf = { .name = "pf/cut/f.xfs.kept@map=mem", .powerfail = true };
	struct test_def plain = { .name = "a/b@map=mem" };
	struct test_result t = { 0 };
	struct powercut pc;
	long before = mono_ms();

	assert_int_equal(powercut_init(&pc, 2, 7), 0);
	assert_null(powercut_phase(&pc, &plain, 1));
	assert_string_equal(powercut_phase(&pc, &pf, 0), "prepare");

	/* only the mark, only in a power-fail test, only once */
	assert_false(powercut_on_line(&pc, &pf, 0, "# daxtest: checkpointx", 5));
	assert_false(powercut_on_line(&pc, &plain, 1, "# daxtest: checkpoint a", 5));
	assert_true(powercut_on_line(&pc, &pf, 0, "# daxtest: checkpoint written", 5));
	assert_true(pc.cut_at_ms >= before && pc.cut_at_ms <= mono_ms());
	assert_false(powercut_on_line(&pc, &pf, 0, "# daxtest: checkpoint written", 6));

	t.output = strdup("prepare out\n");
	t.output_len = strlen(t.output);
	assert_int_equal(powercut_done(&pc, 0, &t), 0);
	assert_null(t.output);
	assert_int_equal(pc.cut_at_ms, 0);
	assert_string_equal(powercut_phase(&pc, &pf, 0), "verify");
	/* no second cut in the verify phase */
	assert_false(powercut_on_line(&pc, &pf, 0, "# daxtest: checkpoint written", 5));

	t.output = strdup("verify out\n");
	assert_int_equal(powercut_merge_log(&pc, 0, &t), 0);
	assert_non_null(strstr(t.output, "prepare out\n# daxtest: power cut at checkpoint 'written'"));
	assert_non_null(strstr(t.output, "follows\nverify out\n"));
	assert_int_equal(t.output_len, strlen(t.output));
	free(t.output);
	powercut_free(&pc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delays_are_seeded_and_bounded),
		cmocka_unit_test(checkpoint_schedules_one_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
