/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A kernel's System.map ("ffffffff81000000 T _text" lines), to name the
 * guest PCs the persistence model recorded: "__memcpy_flushcache+0x4e".
 *
 * Addresses are taken as they are in System.map: our guest kernels are
 * built without KASLR (CONFIG_RANDOMIZE_BASE is off), so the kernel runs
 * where it was linked. With KASLR every name would be wrong.
 *
 * Kernel text is [_text, _etext) and [_sinittext, _einittext), named
 * after the nearest text symbol (T, t, W, w) at or below the address.
 * Modules are loaded at run time into the module area (from
 * 0xffffffffa0000000, above the kernel image; KERNEL_IMAGE_SIZE is
 * 512 MiB without KASLR) and are not in System.map.
 */
#ifndef DAXTEST_SYSMAP_H
#define DAXTEST_SYSMAP_H

#include <stddef.h>
#include <stdint.h>

#define SYSMAP_USER_END		0x0000800000000000ULL	/* below: user space */
#define SYSMAP_KERNEL_START	0xffff800000000000ULL	/* between: non-canonical */
#define SYSMAP_MODULES_START	0xffffffffa0000000ULL	/* MODULES_VADDR, no KASLR */

struct sysmap_sym {
	uint64_t addr;
	const char *name;	/* points into sysmap.text */
};

struct sysmap {
	struct sysmap_sym *syms;	/* text symbols, by address */
	size_t nr_syms;
	char *text;			/* the file, its names NUL-terminated */
	/* from the section markers; 0 when System.map lacks them */
	uint64_t text_start, text_end;		/* _text, _etext */
	uint64_t inittext_start, inittext_end;	/* _sinittext, _einittext */
	uint64_t kernel_end;			/* _end (else _etext) */
};

/* Where a PC is, as sysmap_describe() names it. */
enum sysmap_where {
	SYSMAP_UNSEEN,		/* 0: the model saw no instruction */
	SYSMAP_USER,
	SYSMAP_NONCANONICAL,
	SYSMAP_KERNEL_TEXT,	/* named symbol+0xoff */
	SYSMAP_MODULE,
	SYSMAP_KERNEL_OTHER,	/* a kernel address that is not text (or no map) */
};

/* Reads System.map at path. 0, or -1 after logging. */
int sysmap_load(struct sysmap *m, const char *path);
/*
 * The same from text (len bytes, need not be NUL-terminated); what names
 * it in messages. A line that is not "ADDRESS TYPE NAME" is an error, and
 * so is a map without text symbols. 0, or -1 after logging.
 */
int sysmap_parse(struct sysmap *m, const char *text, size_t len, const char *what);
void sysmap_free(struct sysmap *m);

/* The name of the text symbol pc is in, its offset in *off; NULL when pc
 * is not kernel text. */
const char *sysmap_lookup(const struct sysmap *m, uint64_t pc, uint64_t *off);
/*
 * Writes what pc is into buf (always NUL-terminated, cut to size):
 * "memcpy_flushcache+0x9a", "user space 0x401a3c", "module text
 * 0xffffffffa0012345", "an instruction the model did not see" (0),
 * "kernel address 0x..." (not text, or any kernel address when m is
 * NULL). m may be NULL, or empty (zeroed, as a failed sysmap_load()
 * leaves it). Returns which of those it is.
 */
enum sysmap_where sysmap_describe(const struct sysmap *m, uint64_t pc, char *buf, size_t size);

#endif /* DAXTEST_SYSMAP_H */
