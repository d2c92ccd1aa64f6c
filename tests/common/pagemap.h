/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which pfn backs a page of this process: /proc/self/pagemap
 * (Documentation/admin-guide/mm/pagemap.rst). The kernel shows pfns only
 * to a reader with CAP_SYS_ADMIN (fs/proc/task_mmu.c pagemap_open()).
 */
#ifndef DAXTEST_PAGEMAP_H
#define DAXTEST_PAGEMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * The pfns behind the n pages from addr (page-aligned), 0 for a page
 * that is not present: 0 or -errno.
 */
int pagemap_pfns(const void *addr, size_t n, uint64_t *pfns);

#endif /* DAXTEST_PAGEMAP_H */
