// SPDX-License-Identifier: GPL-2.0
/*
 * persist_journal.c - the plugin's counters and per-line records, in a
 * shared mapping of a file that survives a SIGKILL of QEMU
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "plugin/persist_journal.h"

/* Line arrays start at multiples of 4096 (the format) and of the page
 * size (mmap offsets). Both are powers of two. */
static uint64_t array_align(void)
{
	long page = sysconf(_SC_PAGESIZE);

	return page > 4096 ? (uint64_t)page : 4096;
}

static uint64_t round_up(uint64_t v, uint64_t align)
{
	return (v + align - 1) & ~(align - 1);
}

void persist_journal_init(struct persist_journal *j)
{
	memset(j, 0, sizeof(*j));
	j->fd = -1;
}

int persist_journal_open(struct persist_journal *j, const char *path)
{
	uint64_t end = round_up(sizeof(*j->hdr), array_align());
	void *hdr;
	int fd, err;

	persist_journal_init(j);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, (off_t)end) < 0)
		goto out_close;
	hdr = mmap(NULL, sizeof(*j->hdr), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (hdr == MAP_FAILED)
		goto out_close;
	j->fd = fd;
	j->hdr = hdr;
	j->end = end;
	j->hdr->version = PERSIST_META_VERSION;
	j->hdr->magic = PERSIST_META_MAGIC;
	return 0;
out_close:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

int persist_journal_add_region(struct persist_journal *j, uint64_t base, uint64_t size,
			       const char *live)
{
	struct persist_meta_region *r;
	uint64_t bytes = size / PERSIST_META_LINE * sizeof(struct persist_meta_line);
	uint64_t end = j->end + round_up(bytes, array_align());
	void *lines;

	if (j->fd < 0)
		return 0;
	if (j->nr_regions == PERSIST_META_MAX_REGIONS || !bytes) {
		errno = EINVAL;
		return -1;
	}
	if (ftruncate(j->fd, (off_t)end) < 0)
		return -1;
	lines = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, j->fd, (off_t)j->end);
	if (lines == MAP_FAILED)
		return -1;
	r = &j->hdr->region[j->nr_regions];
	r->base = base;
	r->size = size;
	r->lines_offset = j->end;
	snprintf(r->live, sizeof(r->live), "%s", live);
	j->region[j->nr_regions++] = (struct persist_journal_region){
		.base = base, .size = size, .lines = lines,
	};
	j->end = end;
	return 0;
}

void persist_journal_publish(struct persist_journal *j)
{
	if (j->fd >= 0)
		j->hdr->nr_regions = (uint32_t)j->nr_regions;
}

void persist_journal_close(struct persist_journal *j)
{
	size_t i;

	if (j->fd < 0)
		return;
	for (i = 0; i < j->nr_regions; i++)
		munmap(j->region[i].lines, j->region[i].size / PERSIST_META_LINE *
					   sizeof(struct persist_meta_line));
	munmap(j->hdr, sizeof(*j->hdr));
	close(j->fd);
	persist_journal_init(j);
}

uint64_t persist_journal_line_state(const struct pmem_line *l)
{
	return (l->dirty ? PERSIST_LINE_DIRTY : 0) | (l->pending ? PERSIST_LINE_PENDING : 0) |
	       (l->nt ? PERSIST_LINE_NT : 0);
}

/* The record of the line of addr, or NULL outside the regions. */
static struct persist_meta_line *record_of(struct persist_journal *j, uint64_t addr)
{
	size_t i;

	for (i = 0; i < j->nr_regions; i++) {
		const struct persist_journal_region *r = &j->region[i];

		if (addr >= r->base && addr - r->base < r->size)
			return &r->lines[(addr - r->base) / PERSIST_META_LINE];
	}
	return NULL;
}

void persist_journal_line(struct persist_journal *j, const struct pmem_line *l)
{
	struct persist_meta_line *rec = record_of(j, l->addr);

	if (!rec)
		return;
	if (l->store_pc)
		rec->store_pc = l->store_pc;
	rec->state = persist_journal_line_state(l);
}

void persist_journal_flush(struct persist_journal *j, uint64_t addr, uint64_t pc)
{
	struct persist_meta_line *rec = record_of(j, addr);

	if (rec)
		rec->flush_pc = pc;
}
