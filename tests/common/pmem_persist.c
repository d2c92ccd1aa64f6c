// SPDX-License-Identifier: GPL-2.0
/*
 * pmem_persist.c - write stores back from the CPU cache, then fence
 */
#include <cpuid.h>
#include <stdint.h>

#include "pmem_persist.h"

#define CACHE_LINE	64
#define CPUID_CLFLUSHOPT	(1u << 23)	/* leaf 7, EBX */
#define CPUID_CLWB		(1u << 24)

enum flush_insn { FLUSH_CLFLUSH, FLUSH_CLFLUSHOPT, FLUSH_CLWB };

static enum flush_insn flush_insn(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return FLUSH_CLFLUSH;
	if (b & CPUID_CLWB)
		return FLUSH_CLWB;
	return b & CPUID_CLFLUSHOPT ? FLUSH_CLFLUSHOPT : FLUSH_CLFLUSH;
}

const char *pmem_persist_insn(void)
{
	static const char *const names[] = { "clflush", "clflushopt", "clwb" };

	return names[flush_insn()];
}

/* The flush, then the marker load of the same line (see the header). */
static void flush_line(const volatile void *line, enum flush_insn insn)
{
	switch (insn) {
	case FLUSH_CLWB:
		__asm__ __volatile__(".byte 0x66, 0x0f, 0xae, 0x30\n\t"	/* clwb (%rax) */
			     "cmpb $0, (%0)" : : "a" (line) : "memory", "cc");
		break;
	case FLUSH_CLFLUSHOPT:
		__asm__ __volatile__(".byte 0x66, 0x0f, 0xae, 0x38\n\t"	/* clflushopt (%rax) */
			     "cmpb $0, (%0)" : : "a" (line) : "memory", "cc");
		break;
	case FLUSH_CLFLUSH:
		__asm__ __volatile__(".byte 0x0f, 0xae, 0x38\n\t"		/* clflush (%rax) */
			     "cmpb $0, (%0)" : : "a" (line) : "memory", "cc");
		break;
	}
}

void pmem_persist(const volatile void *addr, size_t len)
{
	enum flush_insn insn = flush_insn();
	uintptr_t p = (uintptr_t)addr & ~(uintptr_t)(CACHE_LINE - 1);
	uintptr_t end = (uintptr_t)addr + len;

	for (; p < end; p += CACHE_LINE)
		flush_line((const volatile void *)p, insn);
	__asm__ __volatile__("sfence" : : : "memory");
}
