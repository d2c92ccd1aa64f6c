// SPDX-License-Identifier: GPL-2.0
/*
 * cpio.c - write a newc cpio archive
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build/cpio.h"
#include "lib/fsutil.h"

void cpio_init(struct cpio_writer *w, FILE *f)
{
	w->f = f;
	w->ino = 1;
	w->err = 0;
}

static void pad4(struct cpio_writer *w)
{
	static const char zeros[4];
	long pos = ftell(w->f);

	if (pos < 0) {
		w->err = -errno;
		return;
	}
	if (pos & 3)
		fwrite(zeros, 1, 4 - (pos & 3), w->f);
}

static void header(struct cpio_writer *w, const char *name, mode_t mode, size_t size)
{
	size_t namesize;

	while (*name == '/')
		name++;
	namesize = strlen(name) + 1;
	fprintf(w->f, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		w->ino++, (unsigned int)mode, 0u, 0u, S_ISDIR(mode) ? 2u : 1u, 0u,
		(unsigned int)size, 0u, 0u, 0u, 0u, (unsigned int)namesize, 0u);
	fwrite(name, 1, namesize, w->f);
	pad4(w);
}

static void body(struct cpio_writer *w, const void *data, size_t len)
{
	if (len && fwrite(data, 1, len, w->f) != len)
		w->err = -EIO;
	pad4(w);
	if (ferror(w->f) && !w->err)
		w->err = -EIO;
}

void cpio_add_dir(struct cpio_writer *w, const char *name, mode_t perm)
{
	if (w->err)
		return;
	header(w, name, S_IFDIR | (perm & 07777), 0);
}

void cpio_add_data(struct cpio_writer *w, const char *name, mode_t perm,
		   const void *data, size_t len)
{
	if (w->err)
		return;
	if (len > 0xffffffffu) {
		w->err = -EFBIG;
		return;
	}
	header(w, name, S_IFREG | (perm & 07777), len);
	body(w, data, len);
}

void cpio_add_file(struct cpio_writer *w, const char *name, mode_t perm,
		   const char *host_path)
{
	char *data;
	size_t len;
	int ret;

	if (w->err)
		return;
	ret = read_file(host_path, &data, &len);
	if (ret < 0) {
		w->err = ret;
		return;
	}
	cpio_add_data(w, name, perm, data, len);
	free(data);
}

void cpio_add_symlink(struct cpio_writer *w, const char *name, const char *target)
{
	if (w->err)
		return;
	header(w, name, S_IFLNK | 0777, strlen(target));
	body(w, target, strlen(target));
}

int cpio_finish(struct cpio_writer *w)
{
	if (!w->err) {
		header(w, "TRAILER!!!", 0, 0);
		if (fflush(w->f) != 0 || ferror(w->f))
			w->err = -EIO;
	}
	return w->err;
}
