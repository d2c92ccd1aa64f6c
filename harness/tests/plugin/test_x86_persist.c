// SPDX-License-Identifier: GPL-2.0
/*
 * test_x86_persist.c - the persistence plugin tells flushes, fences, NT
 * stores, locked ops and the flush marker apart by the bytes the Linux
 * kernel really emits, and a cut-off instruction is never anything
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plugin/x86_persist.h"

struct enc {
	enum x86_persist_op want;
	const char *text;
	uint8_t b[8];
	size_t len;
};

#define ENC(op, ...) \
	{ op, #__VA_ARGS__, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }) }
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* On a copy of exactly len bytes, so that ASan catches a read past len. */
static enum x86_persist_op classify(const uint8_t *b, size_t len)
{
	enum x86_persist_op op;
	uint8_t *copy = malloc(len ? len : 1);

	assert_non_null(copy);
	if (len)
		memcpy(copy, b, len);
	op = x86_persist_classify(copy, len);
	free(copy);
	return op;
}

static void check_len(const struct enc *e, size_t len, enum x86_persist_op want)
{
	enum x86_persist_op got = classify(e->b, len);

	if (got != want)
		fail_msg("%s (first %zu of %zu bytes): got %s, want %s", e->text,
			 len, e->len, x86_persist_op_name(got),
			 x86_persist_op_name(want));
}

/*
 * Each encoding classifies as wanted, and every cut-off copy of it as
 * "other": nothing is decided on bytes that are not there.  Locked ones
 * are the exception (the prefix decides), so their cuts are tested apart.
 */
static void check_table(const struct enc *t, size_t n)
{
	size_t i, len;

	for (i = 0; i < n; i++) {
		check_len(&t[i], t[i].len, t[i].want);
		if (t[i].want == X86_OP_LOCKED)
			continue;
		for (len = 0; len < t[i].len; len++)
			check_len(&t[i], len, X86_OP_OTHER);
	}
}

static void flushes(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_CLWB, 0x66, 0x0f, 0xae, 0x30),	/* clwb (%rax) */
		ENC(X86_OP_CLWB, 0x66, 0x0f, 0xae, 0x31),	/* clwb (%rcx) */
		ENC(X86_OP_CLWB, 0x66, 0x41, 0x0f, 0xae, 0x37),	/* clwb (%r15) */
		ENC(X86_OP_CLWB, 0x66, 0x0f, 0xae, 0x70, 0x40),	/* clwb 0x40(%rax) */
		ENC(X86_OP_CLWB, 0x66, 0x0f, 0xae, 0x34, 0x24),	/* clwb (%rsp) */
		/* RIP-relative: four displacement bytes */
		ENC(X86_OP_CLWB, 0x66, 0x0f, 0xae, 0x35, 0x10, 0x00, 0x00, 0x00),
		ENC(X86_OP_CLFLUSHOPT, 0x66, 0x0f, 0xae, 0x38),
		ENC(X86_OP_CLFLUSH, 0x0f, 0xae, 0x38),		/* clflush (%rax) */
		/* the unpatched alternative of clwb()/clflushopt() */
		ENC(X86_OP_CLFLUSH, 0x3e, 0x0f, 0xae, 0x38),
		ENC(X86_OP_CLFLUSH, 0x41, 0x0f, 0xae, 0x3c, 0x24),	/* (%r12) */
		/* hardware ignores a REX before a prefix; TCG keeps it */
		ENC(X86_OP_CLWB, 0x48, 0x66, 0x0f, 0xae, 0x30),
	};

	check_table(t, N(t));
}

static void flush_lookalikes(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_OTHER, 0x0f, 0xae, 0x30),		/* xsaveopt (%rax) */
		ENC(X86_OP_OTHER, 0x48, 0x0f, 0xae, 0x30),	/* xsaveopt64 */
		ENC(X86_OP_OTHER, 0x0f, 0xae, 0x00),		/* fxsave */
		ENC(X86_OP_OTHER, 0x0f, 0xae, 0x20),		/* xsave */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0x20),	/* 66 /4: not a flush */
		ENC(X86_OP_OTHER, 0xf3, 0x0f, 0xae, 0x30),	/* clrssbsy */
		ENC(X86_OP_OTHER, 0xf3, 0x0f, 0xae, 0x38),	/* f3 /7: #UD */
		ENC(X86_OP_OTHER, 0xf3, 0x66, 0x0f, 0xae, 0x30),
		ENC(X86_OP_OTHER, 0x0f, 0xaf, 0x38),		/* imul, next opcode */
	};

	check_table(t, N(t));
}

static void fences(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_SFENCE, 0x0f, 0xae, 0xf8),
		ENC(X86_OP_SFENCE, 0x0f, 0xae, 0xff),
		ENC(X86_OP_MFENCE, 0x0f, 0xae, 0xf0),
		ENC(X86_OP_MFENCE, 0x0f, 0xae, 0xf7),
		ENC(X86_OP_LFENCE, 0x0f, 0xae, 0xe8),
		ENC(X86_OP_LFENCE, 0x0f, 0xae, 0xef),
		ENC(X86_OP_SFENCE, 0x3e, 0x0f, 0xae, 0xf8),	/* DS: still sfence */
		ENC(X86_OP_MFENCE, 0x41, 0x0f, 0xae, 0xf0),	/* REX.B: still mfence */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0xf8),	/* pcommit */
		ENC(X86_OP_OTHER, 0xf3, 0x0f, 0xae, 0xf0),	/* umonitor %rax */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0xf1),	/* tpause %ecx */
		ENC(X86_OP_OTHER, 0xf2, 0x0f, 0xae, 0xf1),	/* umwait %ecx */
		ENC(X86_OP_OTHER, 0xf3, 0x48, 0x0f, 0xae, 0xc0),	/* rdfsbase */
		ENC(X86_OP_OTHER, 0x0f, 0xae, 0xe0),		/* /4 reg: #UD */
	};

	check_table(t, N(t));
}

static void wbinvd(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_WBINVD, 0x0f, 0x09),
		ENC(X86_OP_WBINVD, 0xf3, 0x0f, 0x09),		/* wbnoinvd */
		ENC(X86_OP_OTHER, 0x0f, 0x08),			/* invd */
	};

	check_table(t, N(t));
}

static void nt_stores(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_NT_STORE, 0x48, 0x0f, 0xc3, 0x07),	/* movnti %rax,(%rdi) */
		ENC(X86_OP_NT_STORE, 0x0f, 0xc3, 0x07),		/* movnti %eax,(%rdi) */
		ENC(X86_OP_NT_STORE, 0x4c, 0x0f, 0xc3, 0x4f, 0x08),	/* %r9,8(%rdi) */
		ENC(X86_OP_NT_STORE, 0x0f, 0x2b, 0x07),		/* movntps */
		ENC(X86_OP_NT_STORE, 0x66, 0x0f, 0x2b, 0x07),	/* movntpd */
		ENC(X86_OP_NT_STORE, 0xf3, 0x0f, 0x2b, 0x07),	/* movntss (SSE4a) */
		ENC(X86_OP_NT_STORE, 0xf2, 0x0f, 0x2b, 0x07),	/* movntsd (SSE4a) */
		ENC(X86_OP_NT_STORE, 0x0f, 0xe7, 0x07),		/* movntq %mm0 */
		ENC(X86_OP_NT_STORE, 0x66, 0x0f, 0xe7, 0x07),	/* movntdq */
		ENC(X86_OP_NT_STORE, 0x66, 0x0f, 0xe7, 0x87, 0x00, 0x01, 0x00, 0x00),
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0x38, 0x2a, 0x07),	/* movntdqa: a load */
		ENC(X86_OP_OTHER, 0x0f, 0xc3, 0xc7),		/* register forms: #UD */
		ENC(X86_OP_OTHER, 0x0f, 0x2b, 0xc0),
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xe7, 0xc0),
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xc3, 0x07),	/* movnti is NP */
		ENC(X86_OP_OTHER, 0xf3, 0x0f, 0xe7, 0x07),
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xf7, 0xc1),	/* maskmovdqu: see .h */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0x7f, 0x07),	/* movdqa: cached */
	};

	check_table(t, N(t));
}

static void vex_nt_stores(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_NT_STORE, 0xc5, 0xfd, 0xe7, 0x07),	/* vmovntdq %ymm0 */
		ENC(X86_OP_NT_STORE, 0xc5, 0xf9, 0xe7, 0x07),	/* vmovntdq %xmm0 */
		ENC(X86_OP_NT_STORE, 0xc5, 0xfc, 0x2b, 0x07),	/* vmovntps %ymm0 */
		ENC(X86_OP_NT_STORE, 0xc5, 0xf9, 0x2b, 0x07),	/* vmovntpd %xmm0 */
		ENC(X86_OP_NT_STORE, 0xc4, 0x41, 0x7d, 0xe7, 0x00),	/* %ymm8,(%r8) */
		ENC(X86_OP_NT_STORE, 0xc4, 0xe1, 0x7d, 0xe7, 0x07),	/* 3-byte form */
		ENC(X86_OP_NT_STORE, 0x3e, 0xc5, 0xfd, 0xe7, 0x07),	/* DS is allowed */
		ENC(X86_OP_OTHER, 0xc4, 0xe2, 0x7d, 0x2a, 0x07),	/* vmovntdqa: load */
		ENC(X86_OP_OTHER, 0xc4, 0xe2, 0x79, 0x2b, 0x07),	/* map 0f38: vpackusdw */
		ENC(X86_OP_OTHER, 0xc5, 0xfd, 0x7f, 0x07),	/* vmovdqa: cached */
		ENC(X86_OP_OTHER, 0xc5, 0xf8, 0xe7, 0x07),	/* no VEX movntq */
		ENC(X86_OP_OTHER, 0xc5, 0xfa, 0x2b, 0x07),	/* no VEX movntss */
		ENC(X86_OP_OTHER, 0xc5, 0xfd, 0xe7, 0xc0),	/* register form */
		ENC(X86_OP_OTHER, 0x66, 0xc5, 0xfd, 0xe7, 0x07),	/* #UD */
		ENC(X86_OP_OTHER, 0x48, 0xc5, 0xfd, 0xe7, 0x07),	/* #UD */
		/* EVEX vmovntdq %zmm0: no AVX-512 in QEMU 7.2 TCG */
		ENC(X86_OP_OTHER, 0x62, 0xf1, 0x7d, 0x48, 0xe7, 0x07),
	};

	check_table(t, N(t));
}

static void locked(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_LOCKED, 0xf0, 0x83, 0x04, 0x24, 0x00),	/* lock addl $0,(%rsp) */
		ENC(X86_OP_LOCKED, 0xf0, 0x83, 0x44, 0x24, 0xfc, 0x00),	/* smp_mb() */
		ENC(X86_OP_LOCKED, 0xf0, 0x48, 0x0f, 0xb1, 0x17),	/* lock cmpxchg */
		ENC(X86_OP_LOCKED, 0xf0, 0x0f, 0xc1, 0x07),		/* lock xadd */
		ENC(X86_OP_LOCKED, 0x87, 0x07),			/* xchg %eax,(%rdi) */
		ENC(X86_OP_LOCKED, 0x48, 0x87, 0x07),
		ENC(X86_OP_LOCKED, 0x86, 0x07),			/* xchg %al,(%rdi) */
		ENC(X86_OP_LOCKED, 0x87, 0x44, 0x24, 0x08),	/* xchg %eax,8(%rsp) */
		ENC(X86_OP_OTHER, 0x87, 0xc0),			/* xchg %eax,%eax */
		ENC(X86_OP_OTHER, 0x48, 0x87, 0xc3),		/* xchg %rax,%rbx */
		ENC(X86_OP_OTHER, 0x90),			/* nop */
		/* LOCK_PREFIX as rewritten on a single CPU: not locked */
		ENC(X86_OP_OTHER, 0x3e, 0x48, 0x0f, 0xb1, 0x17),
		ENC(X86_OP_OTHER, 0x83, 0x04, 0x24, 0x00),	/* addl, no lock */
	};
	static const struct enc lock_addl = ENC(X86_OP_LOCKED, 0xf0, 0x83, 0x04, 0x24, 0x00);
	static const struct enc xchg = ENC(X86_OP_LOCKED, 0x87, 0x44, 0x24, 0x08);
	size_t len;

	check_table(t, N(t));
	/* The lock prefix decides as soon as an opcode follows it. */
	check_len(&lock_addl, 0, X86_OP_OTHER);
	check_len(&lock_addl, 1, X86_OP_OTHER);
	for (len = 2; len < lock_addl.len; len++)
		check_len(&lock_addl, len, X86_OP_LOCKED);
	/* xchg needs its whole memory operand. */
	for (len = 0; len < xchg.len; len++)
		check_len(&xchg, len, X86_OP_OTHER);
}

static void flush_marker(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_FLUSH_MARKER, 0x80, 0x38, 0x00),	/* cmpb $0,(%rax) */
		ENC(X86_OP_OTHER, 0x80, 0x39, 0x00),		/* cmpb $0,(%rcx) */
		ENC(X86_OP_OTHER, 0x80, 0x38, 0x01),		/* cmpb $1,(%rax) */
		ENC(X86_OP_OTHER, 0x3e, 0x80, 0x38, 0x00),	/* not the kernel's */
		ENC(X86_OP_OTHER, 0x48, 0x80, 0x38, 0x00),
	};
	static const struct enc then_more = ENC(X86_OP_FLUSH_MARKER, 0x80, 0x38, 0x00, 0x90);

	check_table(t, N(t));
	/* Bytes past the end of the instruction do not matter. */
	check_len(&then_more, then_more.len, X86_OP_FLUSH_MARKER);
}

static void cut_off_input(void **state)
{
	static const struct enc t[] = {
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae),
		ENC(X86_OP_OTHER, 0x0f),
		ENC(X86_OP_OTHER, 0x66, 0x3e, 0xf3, 0x48),	/* prefixes only */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0x34),	/* SIB missing */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0x70),	/* disp8 missing */
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0x35, 0x10, 0x00, 0x00),
		ENC(X86_OP_OTHER, 0x66, 0x0f, 0xae, 0x34, 0x25, 0x00, 0x10, 0x00),
		ENC(X86_OP_OTHER, 0xc4, 0xe1, 0x7d, 0xe7),	/* ModRM missing */
		ENC(X86_OP_OTHER, 0xf0),
	};

	check_table(t, N(t));
	assert_int_equal(x86_persist_classify(NULL, 0), X86_OP_OTHER);
	assert_int_equal(x86_persist_classify(NULL, 4), X86_OP_OTHER);
}

/*
 * Every one- and two-byte input, and every two bytes after the openings
 * that lead somewhere, on exact-size copies: ASan fails the test on any
 * read past len, and the answer is always a known class.
 */
static void never_reads_past_len(void **state)
{
	static const uint8_t leads[][3] = {
		{ 0x0f }, { 0x0f, 0xae }, { 0x66, 0x0f }, { 0x66, 0x0f, 0xae },
		{ 0xc5 }, { 0xc4 }, { 0xc4, 0xe1 }, { 0x87 }, { 0x80 },
		{ 0xf0 }, { 0x48, 0x0f },
	};
	static const size_t lead_len[] = { 1, 2, 2, 3, 1, 1, 2, 1, 1, 1, 2 };
	uint8_t buf[5];
	size_t i, len;
	unsigned int v;

	for (v = 0; v < 65536; v++) {
		buf[0] = v & 0xff;
		buf[1] = v >> 8;
		for (len = 0; len <= 2; len++)
			assert_string_not_equal(x86_persist_op_name(classify(buf, len)), "?");
	}
	for (i = 0; i < N(leads); i++) {
		memcpy(buf, leads[i], lead_len[i]);
		for (v = 0; v < 65536; v++) {
			buf[lead_len[i]] = v & 0xff;
			buf[lead_len[i] + 1] = v >> 8;
			len = lead_len[i] + 2;
			assert_string_not_equal(x86_persist_op_name(classify(buf, len)), "?");
		}
	}
}

static void names_and_predicates(void **state)
{
	enum x86_persist_op op, other;

	for (op = X86_OP_OTHER; op <= X86_OP_FLUSH_MARKER; op++) {
		assert_string_not_equal(x86_persist_op_name(op), "?");
		for (other = X86_OP_OTHER; other < op; other++)
			assert_string_not_equal(x86_persist_op_name(op),
						x86_persist_op_name(other));
		assert_int_equal(x86_persist_is_flush(op),
				 op == X86_OP_CLWB || op == X86_OP_CLFLUSHOPT ||
				 op == X86_OP_CLFLUSH);
		/* lfence orders loads only; wbinvd is handled on its own. */
		assert_int_equal(x86_persist_is_fence(op),
				 op == X86_OP_SFENCE || op == X86_OP_MFENCE ||
				 op == X86_OP_LOCKED);
	}
	assert_string_equal(x86_persist_op_name(X86_OP_CLWB), "clwb");
	assert_string_equal(x86_persist_op_name(X86_OP_OTHER), "other");
	assert_string_equal(x86_persist_op_name((enum x86_persist_op)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flushes),
		cmocka_unit_test(flush_lookalikes),
		cmocka_unit_test(fences),
		cmocka_unit_test(wbinvd),
		cmocka_unit_test(nt_stores),
		cmocka_unit_test(vex_nt_stores),
		cmocka_unit_test(locked),
		cmocka_unit_test(flush_marker),
		cmocka_unit_test(cut_off_input),
		cmocka_unit_test(never_reads_past_len),
		cmocka_unit_test(names_and_predicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
