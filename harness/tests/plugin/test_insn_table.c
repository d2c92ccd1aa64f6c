// SPDX-License-Identifier: GPL-2.0
/*
 * test_insn_table.c - the persistence plugin keeps one insn_info per
 * guest instruction however often QEMU retranslates it, a different
 * instruction at the same PC (another process) gets its own, entries
 * survive the table's growth, and translations in threads agree
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plugin/insn_table.h"

#define NR_PCS		100000
#define NR_THREADS	4

static int setup(void **state)
{
	struct insn_table *t = malloc(sizeof(*t));

	assert_non_null(t);
	insn_table_init(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	insn_table_free(*state);
	free(*state);
	return 0;
}

static void retranslation_finds_the_same(void **state)
{
	struct insn_table *t = *state;
	struct insn_info *a = insn_table_intern(t, 0xffffffff81000000ULL, 0xffffffff81000004ULL,
						X86_OP_CLWB);

	assert_non_null(a);
	assert_true(a->pc == 0xffffffff81000000ULL && a->next_pc == 0xffffffff81000004ULL);
	assert_int_equal(a->op, X86_OP_CLWB);
	assert_ptr_equal(insn_table_intern(t, 0xffffffff81000000ULL, 0xffffffff81000004ULL,
					   X86_OP_CLWB), a);
	assert_int_equal(insn_table_size(t), 1);
}

/* User space: two programs, two instructions at one virtual PC. */
static void same_pc_other_instruction(void **state)
{
	struct insn_table *t = *state;
	struct insn_info *a = insn_table_intern(t, 0x401000, 0x401003, X86_OP_OTHER);
	struct insn_info *b = insn_table_intern(t, 0x401000, 0x401004, X86_OP_NT_STORE);
	struct insn_info *c = insn_table_intern(t, 0x401000, 0x401003, X86_OP_FLUSH_MARKER);

	assert_true(a && b && c && a != b && b != c && a != c);
	assert_int_equal(b->op, X86_OP_NT_STORE);
	assert_ptr_equal(insn_table_intern(t, 0x401000, 0x401003, X86_OP_OTHER), a);
	assert_int_equal(insn_table_size(t), 3);
}

/* Pointers handed out stay valid and found while the table grows. */
static void growth_keeps_entries(void **state)
{
	struct insn_table *t = *state;
	struct insn_info **seen = malloc(NR_PCS * sizeof(*seen));
	size_t i;

	assert_non_null(seen);
	for (i = 0; i < NR_PCS; i++)
		seen[i] = insn_table_intern(t, 0x1000 + 3 * i, 0x1003 + 3 * i, X86_OP_OTHER);
	for (i = 0; i < NR_PCS; i++) {
		assert_non_null(seen[i]);
		assert_int_equal(seen[i]->pc, 0x1000 + 3 * i);
		assert_ptr_equal(insn_table_intern(t, 0x1000 + 3 * i, 0x1003 + 3 * i,
						   X86_OP_OTHER), seen[i]);
	}
	assert_int_equal(insn_table_size(t), NR_PCS);
	free(seen);
}

static void *translate_all(void *arg)
{
	struct insn_table *t = arg;
	size_t i;

	for (i = 0; i < NR_PCS / 10; i++)
		if (!insn_table_intern(t, 0x2000 + 5 * i, 0x2005 + 5 * i, X86_OP_OTHER))
			return NULL;
	return t;
}

/* vCPU threads translating the same code make one entry each. */
static void threads_agree(void **state)
{
	struct insn_table *t = *state;
	pthread_t th[NR_THREADS];
	void *ret;
	int i;

	for (i = 0; i < NR_THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, translate_all, t), 0);
	for (i = 0; i < NR_THREADS; i++) {
		assert_int_equal(pthread_join(th[i], &ret), 0);
		assert_ptr_equal(ret, t);
	}
	assert_int_equal(insn_table_size(t), NR_PCS / 10);
}

static void nothing_after_free(void **state)
{
	struct insn_table *t = *state;

	assert_non_null(insn_table_intern(t, 0x1000, 0x1001, X86_OP_SFENCE));
	insn_table_free(t);
	assert_null(insn_table_intern(t, 0x1000, 0x1001, X86_OP_SFENCE));
	assert_int_equal(insn_table_size(t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(retranslation_finds_the_same, setup, teardown),
		cmocka_unit_test_setup_teardown(same_pc_other_instruction, setup, teardown),
		cmocka_unit_test_setup_teardown(growth_keeps_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(threads_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(nothing_after_free, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
