/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a program does to make its stores through a MAP_SYNC mapping
 * durable, as PMDK's pmem_persist() does: write every cache line of the
 * range back (clwb, else clflushopt, else clflush, as CPUID offers), then
 * sfence. MAP_SYNC makes the metadata behind a store durable at its
 * fault; the data itself is in the CPU cache until written back.
 *
 * Each flush is followed, in the same asm statement, by a load of the
 * line ("cmpb $0, (%rax)"), as in the kernel's clwb() with
 * kernel-patches/instrument/: under QEMU's TCG the flush makes no memory
 * access, and daxtest's persistence plugin (plugin/) takes the address
 * of that load as the flushed line. A load neither fences nor writes
 * back: the flush keeps its x86 ordering.
 */
#ifndef DAXTEST_PMEM_PERSIST_H
#define DAXTEST_PMEM_PERSIST_H

#include <stddef.h>

/* Writes [addr, addr + len) back from the CPU cache and fences. */
void pmem_persist(const volatile void *addr, size_t len);

/* "clwb", "clflushopt" or "clflush": what pmem_persist() uses here. */
const char *pmem_persist_insn(void);

#endif /* DAXTEST_PMEM_PERSIST_H */
