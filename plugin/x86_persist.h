/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classify x86-64 instructions by what they mean for persistence, from
 * their bytes alone.  Under QEMU TCG, clwb/clflushopt/clflush, the fences,
 * wbinvd and the lock prefix make no memory callback and no plugin-visible
 * op, so the persistence plugin decodes qemu_plugin_insn_data() at
 * translation time instead.
 *
 * The x86 rules the model relies on (Intel SDM vol. 2, CLWB/CLFLUSHOPT/
 * CLFLUSH/SFENCE/MFENCE/LFENCE/WBINVD):
 *  - CLWB and CLFLUSHOPT write a line back but are weakly ordered: the
 *    write-back is only known to be done after a later store fence, i.e.
 *    SFENCE, MFENCE, a LOCK-prefixed instruction or XCHG with memory
 *    (implicitly locked).  x86_persist_is_fence() is exactly that set.
 *  - CLFLUSH is ordered with writes, locked ops, fences and other CLFLUSHes.
 *    Linux still issues a fence (pmem_wmb) after any of the three flushes,
 *    so a model that wants a fence after every flush is merely strict.
 *  - LFENCE orders loads only; it drains no store, flush or NT store, so it
 *    persists nothing and is not a fence here.
 *  - Non-temporal stores bypass the cache but sit in write-combining
 *    buffers until a store fence: persistent only after the next fence.
 *  - WBINVD (and WBNOINVD) writes back every dirty line and is
 *    serializing: everything stored before it is persistent after it.  It
 *    is neither a "flush" (not one line) nor in the fence set; the model
 *    handles it on its own.
 *
 * Decoding (64-bit mode only):
 *  - Legacy prefixes 66 67 f0 f2 f3 2e 36 3e 26 64 65 and REX (40-4f) are
 *    skipped in any order, as TCG does.  Of f2/f3, the last one counts.
 *  - Any instruction with a f0 (lock) prefix is X86_OP_LOCKED, as soon as
 *    its opcode byte is present.  Linux on a single present CPU rewrites
 *    its LOCK_PREFIX into 3e (DS), so those RMWs are X86_OP_OTHER there;
 *    smp_mb()'s literal "lock addl" stays locked.
 *  - VEX (c4/c5, map 0f) vmovntps/vmovntpd/vmovntdq are NT stores.  EVEX
 *    (62) stores are X86_OP_OTHER: QEMU 7.2 TCG has no AVX-512.
 *    maskmovq/maskmovdqu (NT stores to an implicit (%rdi)) are
 *    X86_OP_OTHER too; Linux does not use them.
 *  - 0f ae f0-ff with a 66/f2/f3 prefix (tpause/umonitor/umwait, pcommit)
 *    are X86_OP_OTHER, as on hardware.  QEMU 7.2 would run the f2/f3
 *    forms as fences, but it advertises no WAITPKG, so guests never
 *    emit them.
 *  - Encodings the CPU would reject (#UD) are not all refused; they store
 *    nothing, so a wrong class for them costs nothing.
 *
 * insn points at the first byte of one instruction; len bytes may be read
 * and no more.  An instruction cut off before the end of its ModRM, SIB
 * and displacement is X86_OP_OTHER (a locked one needs only its opcode
 * byte); bytes after the end of the instruction are ignored.
 */
#ifndef DAXTEST_X86_PERSIST_H
#define DAXTEST_X86_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum x86_persist_op {
	X86_OP_OTHER,
	X86_OP_CLWB,		/* 66 0f ae /6, memory */
	X86_OP_CLFLUSHOPT,	/* 66 0f ae /7, memory */
	X86_OP_CLFLUSH,		/* 0f ae /7, memory (also 3e 0f ae /7) */
	X86_OP_SFENCE,		/* 0f ae f8-ff */
	X86_OP_MFENCE,		/* 0f ae f0-f7 */
	X86_OP_LFENCE,		/* 0f ae e8-ef */
	X86_OP_WBINVD,		/* 0f 09, f3 0f 09 (wbnoinvd) */
	X86_OP_NT_STORE,	/* movnti, movntps/pd/ss/sd, movntq/dq, VEX forms */
	X86_OP_LOCKED,		/* f0 prefix, or xchg 86/87 with memory */
	/*
	 * 80 38 00, cmpb $0,(%rax): the load the project's instrumented
	 * kernel puts right after each flush, in the same asm statement.
	 * The flush itself makes no memory callback under TCG; this load's
	 * callback carries the flushed line's address.
	 */
	X86_OP_FLUSH_MARKER,
};

enum x86_persist_op x86_persist_classify(const uint8_t *insn, size_t len);

/* A short lower-case name ("clwb", "nt-store"), for logs; never NULL. */
const char *x86_persist_op_name(enum x86_persist_op op);

/* Writes back one cache line: clwb, clflushopt or clflush. */
static inline bool x86_persist_is_flush(enum x86_persist_op op)
{
	return op == X86_OP_CLWB || op == X86_OP_CLFLUSHOPT ||
	       op == X86_OP_CLFLUSH;
}

/* Orders earlier flushes and NT stores: sfence, mfence, locked RMW. */
static inline bool x86_persist_is_fence(enum x86_persist_op op)
{
	return op == X86_OP_SFENCE || op == X86_OP_MFENCE ||
	       op == X86_OP_LOCKED;
}

#endif /* DAXTEST_X86_PERSIST_H */
