// SPDX-License-Identifier: GPL-2.0
/*
 * x86_persist.c - classify x86-64 instructions for the persistence model
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plugin/x86_persist.h"

/*
 * The SSE "mandatory prefix", numbered as VEX.pp numbers it, so that the
 * legacy and the VEX forms of an NT store share one check.
 */
enum simd_prefix {
	SP_NONE,
	SP_66,
	SP_F3,
	SP_F2,
};

struct prefixes {
	bool opsize;	/* 0x66 */
	bool lock;	/* 0xf0 */
	bool rex;	/* 0x40-0x4f */
	uint8_t rep;	/* the last of 0xf2/0xf3, or 0 */
};

/* Returns the index of the opcode byte, or len if there is none. */
static size_t skip_prefixes(const uint8_t *insn, size_t len,
			    struct prefixes *px)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t b = insn[i];

		/*
		 * Hardware ignores a REX that is not right before the opcode
		 * and TCG honours it anywhere; the opcode is the same either
		 * way, and only VEX cares that a REX was there at all.
		 */
		if ((b & 0xf0) == 0x40) {
			px->rex = true;
			continue;
		}
		switch (b) {
		case 0x66:
			px->opsize = true;
			break;
		case 0xf0:
			px->lock = true;
			break;
		case 0xf2:
		case 0xf3:
			px->rep = b;
			break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
		case 0x64: case 0x65: case 0x67:
			break;
		default:
			return i;
		}
	}
	return i;
}

static enum simd_prefix simd_prefix(const struct prefixes *px)
{
	/* f2/f3 select the instruction even when 66 is there too. */
	if (px->rep == 0xf3)
		return SP_F3;
	if (px->rep == 0xf2)
		return SP_F2;
	return px->opsize ? SP_66 : SP_NONE;
}

static bool modrm_is_mem(uint8_t modrm)
{
	return (modrm >> 6) != 3;
}

/*
 * Whether the ModRM byte at m and the SIB and displacement it calls for
 * all fit in n bytes: a cut-off operand means a cut-off instruction.
 * 64-bit mode has no 16-bit addressing, so 0x67 changes nothing here.
 */
static bool modrm_fits(const uint8_t *m, size_t n)
{
	unsigned int mod, rm;
	size_t need = 1;

	if (n < 1)
		return false;
	mod = m[0] >> 6;
	rm = m[0] & 7;
	if (mod != 3 && rm == 4) {	/* SIB; base 5 with mod 0 is disp32 */
		if (n < 2)
			return false;
		need = 2;
		if (mod == 0 && (m[1] & 7) == 5)
			need += 4;
	}
	if (mod == 1)
		need += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))	/* rm 5: RIP + disp32 */
		need += 4;
	return n >= need;
}

/* op is the byte after 0f; the caller has checked for a memory operand. */
static bool is_nt_store(uint8_t op, enum simd_prefix sp, bool vex)
{
	switch (op) {
	case 0xc3:	/* movnti: no SSE prefix, no VEX form */
		return !vex && sp == SP_NONE;
	case 0x2b:	/* movntps, movntpd; movntss/sd (SSE4a) have no VEX form */
		return sp == SP_NONE || sp == SP_66 || !vex;
	case 0xe7:	/* movntdq; movntq is MMX, so not VEX */
		return sp == SP_66 || (sp == SP_NONE && !vex);
	}
	return false;
}

static enum x86_persist_op classify_0fae(uint8_t modrm, const struct prefixes *px)
{
	unsigned int reg = (modrm >> 3) & 7;

	if (modrm_is_mem(modrm)) {
		/* f3 makes /6 clrssbsy and /4 ptwrite; with f2/f3 no flush. */
		if (px->rep)
			return X86_OP_OTHER;
		if (reg == 6)	/* without 66 it is xsaveopt */
			return px->opsize ? X86_OP_CLWB : X86_OP_OTHER;
		if (reg == 7)
			return px->opsize ? X86_OP_CLFLUSHOPT : X86_OP_CLFLUSH;
		return X86_OP_OTHER;
	}
	/* tpause, umonitor, umwait, pcommit: prefixed forms, no fences. */
	if (px->opsize || px->rep)
		return X86_OP_OTHER;
	switch (reg) {
	case 5:
		return X86_OP_LFENCE;
	case 6:
		return X86_OP_MFENCE;
	case 7:
		return X86_OP_SFENCE;
	}
	return X86_OP_OTHER;
}

/* p points just past the 0f escape byte. */
static enum x86_persist_op classify_0f(const uint8_t *p, size_t n,
				       const struct prefixes *px)
{
	if (n < 1)
		return X86_OP_OTHER;
	if (p[0] == 0x09)	/* wbinvd; f3 0f 09 is wbnoinvd, still a write-back */
		return X86_OP_WBINVD;
	if (!modrm_fits(p + 1, n - 1))
		return X86_OP_OTHER;
	if (p[0] == 0xae)
		return classify_0fae(p[1], px);
	if (modrm_is_mem(p[1]) && is_nt_store(p[0], simd_prefix(px), false))
		return X86_OP_NT_STORE;
	return X86_OP_OTHER;
}

/* p points at the c4/c5 byte; in 64-bit mode that is always VEX. */
static enum x86_persist_op classify_vex(const uint8_t *p, size_t n,
					const struct prefixes *px)
{
	enum simd_prefix sp;
	size_t op;

	/* A VEX after 66, f2, f3 or REX is #UD (lock was handled earlier). */
	if (px->opsize || px->rep || px->rex)
		return X86_OP_OTHER;
	if (p[0] == 0xc5) {	/* c5 [R vvvv L pp], map 0f implied */
		if (n < 3)
			return X86_OP_OTHER;
		sp = p[1] & 3;
		op = 2;
	} else {		/* c4 [R X B mmmmm] [W vvvv L pp] */
		if (n < 4 || (p[1] & 0x1f) != 1)
			return X86_OP_OTHER;
		sp = p[2] & 3;
		op = 3;
	}
	if (!modrm_fits(p + op + 1, n - op - 1))
		return X86_OP_OTHER;
	if (modrm_is_mem(p[op + 1]) && is_nt_store(p[op], sp, true))
		return X86_OP_NT_STORE;
	return X86_OP_OTHER;
}

enum x86_persist_op x86_persist_classify(const uint8_t *insn, size_t len)
{
	struct prefixes px = { 0 };
	size_t i;

	if (!insn)
		return X86_OP_OTHER;
	/* Only this exact encoding: the kernel emits no prefix on it. */
	if (len >= 3 && insn[0] == 0x80 && insn[1] == 0x38 && insn[2] == 0x00)
		return X86_OP_FLUSH_MARKER;

	i = skip_prefixes(insn, len, &px);
	if (i == len)
		return X86_OP_OTHER;
	if (px.lock)
		return X86_OP_LOCKED;

	switch (insn[i]) {
	case 0x0f:
		return classify_0f(insn + i + 1, len - i - 1, &px);
	case 0x86:
	case 0x87:	/* xchg with memory is locked without a prefix */
		if (modrm_fits(insn + i + 1, len - i - 1) &&
		    modrm_is_mem(insn[i + 1]))
			return X86_OP_LOCKED;
		return X86_OP_OTHER;
	case 0xc4:
	case 0xc5:
		return classify_vex(insn + i, len - i, &px);
	}
	return X86_OP_OTHER;
}

static const char *const op_names[] = {
	[X86_OP_OTHER]		= "other",
	[X86_OP_CLWB]		= "clwb",
	[X86_OP_CLFLUSHOPT]	= "clflushopt",
	[X86_OP_CLFLUSH]	= "clflush",
	[X86_OP_SFENCE]		= "sfence",
	[X86_OP_MFENCE]		= "mfence",
	[X86_OP_LFENCE]		= "lfence",
	[X86_OP_WBINVD]		= "wbinvd",
	[X86_OP_NT_STORE]	= "nt-store",
	[X86_OP_LOCKED]		= "locked",
	[X86_OP_FLUSH_MARKER]	= "flush-marker",
};

const char *x86_persist_op_name(enum x86_persist_op op)
{
	if ((unsigned int)op >= sizeof(op_names) / sizeof(op_names[0]) ||
	    !op_names[op])
		return "?";
	return op_names[op];
}
