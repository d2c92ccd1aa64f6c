// SPDX-License-Identifier: GPL-2.0
/*
 * workdir.c - the run's private directory and NVDIMM backing files
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "vm/workdir.h"

static int create_backing_file(const char *path, unsigned long long size)
{
	int fd, ret = 0;

	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int create_file_logged(const char *path, unsigned long long size)
{
	int err = create_backing_file(path, size);

	if (err < 0)
		log_error("cannot create %s: %s", path, strerror(-err));
	return err;
}

int workdir_create(struct workdir *w, const char *run_id, unsigned int nr_nvdimms,
		   unsigned long long nvdimm_size)
{
	const char *tmp = getenv("TMPDIR");
	char *tmpl;
	unsigned int i;

	memset(w, 0, sizeof(*w));
	if (!tmp || !*tmp)
		tmp = "/tmp";
	tmpl = str_printf("%s/daxtest-%s-XXXXXX", tmp, run_id);
	if (!tmpl)
		return -1;
	if (!mkdtemp(tmpl)) {
		log_error("cannot create a work directory in %s: %s", tmp, strerror(errno));
		free(tmpl);
		return -1;
	}
	w->path = tmpl;
	w->nodax_path = str_printf("%s/nodax.img", w->path);
	w->virtio_pmem_path = str_printf("%s/virtio-pmem.img", w->path);
	if (!w->nodax_path || !w->virtio_pmem_path ||
	    create_file_logged(w->nodax_path, NODAX_DISK_SIZE) < 0 ||
	    create_file_logged(w->virtio_pmem_path, VIRTIO_PMEM_SIZE) < 0)
		return -1;
	for (i = 0; i < nr_nvdimms; i++) {
		w->nvdimm_paths[i] = str_printf("%s/nvdimm%u.img", w->path, i);
		if (!w->nvdimm_paths[i])
			return -1;
		w->nr_nvdimms++;
		if (create_file_logged(w->nvdimm_paths[i], nvdimm_size) < 0)
			return -1;
	}
	return 0;
}

void workdir_remove(struct workdir *w, bool keep)
{
	unsigned int i;

	if (w->path && keep)
		log_info("work directory kept: %s", w->path);
	else if (w->path)
		remove_tree(w->path);
	for (i = 0; i < w->nr_nvdimms; i++)
		free(w->nvdimm_paths[i]);
	free(w->nodax_path);
	free(w->virtio_pmem_path);
	free(w->path);
	memset(w, 0, sizeof(*w));
}
