/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writer for the "newc" cpio format the kernel unpacks as an initramfs
 * (Documentation/driver-api/early-userspace/buffer-format.rst). Every
 * entry gets uid/gid 0 and mtime 0, so equal inputs give equal bytes.
 */
#ifndef DAXTEST_CPIO_H
#define DAXTEST_CPIO_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct cpio_writer {
	FILE *f;
	unsigned int ino;
	int err;		/* first error (-errno), sticky */
};

void cpio_init(struct cpio_writer *w, FILE *f);
/* Names are relative ("bin/busybox"); a leading '/' is dropped. */
void cpio_add_dir(struct cpio_writer *w, const char *name, mode_t perm);
void cpio_add_data(struct cpio_writer *w, const char *name, mode_t perm,
		   const void *data, size_t len);
void cpio_add_file(struct cpio_writer *w, const char *name, mode_t perm,
		   const char *host_path);
void cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target);
/* Writes the trailer. Returns 0 or the first error. */
int cpio_finish(struct cpio_writer *w);

#endif /* DAXTEST_CPIO_H */
