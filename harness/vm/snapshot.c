// SPDX-License-Identifier: GPL-2.0
/*
 * snapshot.c - boot a guest once, save it, and restore later guests from it
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/host_tools.h"
#include "lib/log.h"
#include "parse/console_watch.h"
#include "vm/backend.h"
#include "vm/snapshot.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/* A temporary directory older than this is a dead run's. */
#define STALE_TMP_S	3600

/* Placeholders for the paths that differ from guest to guest. */
static const struct workdir key_workdir = {
	.path = "@work",
	.nvdimm_paths = { "@work/nvdimm0.img", "@work/nvdimm1.img", "@work/nvdimm2.img",
			  "@work/nvdimm3.img", "@work/nvdimm4.img", "@work/nvdimm5.img",
			  "@work/nvdimm6.img", "@work/nvdimm7.img" },
	.nodax_path = "@work/nodax.img",
	.virtio_pmem_path = "@work/virtio-pmem.img",
};

static void hash_stat(struct hash *h, const char *label, const char *path)
{
	char text[160] = "missing";
	struct stat st;

	if (path && stat(path, &st) == 0)
		snprintf(text, sizeof(text), "%llu %llu %lld %lld.%09ld",
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino,
			 (long long)st.st_size, (long long)st.st_mtim.tv_sec,
			 st.st_mtim.tv_nsec);
	hash_field(h, label, path ? path : "");
	hash_field(h, "stat", text);
}

/* The key: the snapshot boot's command line with the per-guest paths as
 * placeholders, and the QEMU binary and firmware it runs. */
static int snapshot_key(const struct snapshot_guest *g, char key[SNAPSHOT_KEY_LEN + 1])
{
	char hex[HASH_HEX_LEN + 1], *line = NULL, *qemu = NULL;
	struct workdir w = key_workdir;
	struct qemu_config q;
	struct strv argv = { 0 };
	struct hash *h = NULL;
	int ret = -1;

	w.nr_nvdimms = g->shape->nr_nvdimms;
	if (w.nr_nvdimms > QEMU_MAX_NVDIMMS)
		return -1;
	guest_qemu_config(g->shape, &w, g->kernel, g->initrd, GUEST_CMDLINE, &q);
	q.ram_path = "@snapshot/ram.img";
	q.ram_shared = true;
	q.console_pipe = "@work/console";
	q.result_pipe = "@work/results";
	q.qmp_socket = "@work/qmp.sock";
	if (qemu_cmd_build(&q, &argv) < 0)
		goto out;
	line = strv_join(&argv);
	qemu = host_tool_find(q.qemu);
	h = hash_new();
	if (!line || !h)
		goto out;
	hash_field(h, "daxtest-snapshot", "1");
	hash_field(h, "argv", line);
	hash_stat(h, "qemu", qemu);
	hash_stat(h, "bios", q.bios);
	/* Content-keyed, but --rebuild writes them again in place. */
	hash_stat(h, "kernel", g->kernel);
	hash_stat(h, "initrd", g->initrd);
	hash_finish(h, hex);
	h = NULL;
	memcpy(key, hex, SNAPSHOT_KEY_LEN);
	key[SNAPSHOT_KEY_LEN] = '\0';
	ret = 0;
out:
	if (h)
		hash_finish(h, hex);
	strv_free(&argv);
	free(line);
	free(qemu);
	return ret;
}

static int set_paths(struct snapshot *s, const char *dir, unsigned int nr_nvdimms)
{
	unsigned int i;

	s->lock_fd = -1;
	s->dir = strdup(dir);
	s->ram = path_join(dir, "ram.img");
	s->state = path_join(dir, "vm.state");
	s->virtio_pmem = path_join(dir, "virtio-pmem.img");
	if (!s->dir || !s->ram || !s->state || !s->virtio_pmem)
		return -1;
	for (i = 0; i < nr_nvdimms; i++) {
		s->nvdimms[i] = str_printf("%s/nvdimm%u.img", dir, i);
		if (!s->nvdimms[i])
			return -1;
		s->nr_nvdimms++;
	}
	return 0;
}

int snapshot_init(struct snapshot *s, const struct snapshot_guest *g)
{
	char *dir;
	int ret;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	if (snapshot_key(g, s->key) < 0) {
		log_error("snapshot: cannot make the key of this guest");
		return -1;
	}
	dir = str_printf("%s/snapshots/%s", g->cache_dir, s->key);
	ret = dir ? set_paths(s, dir, g->shape->nr_nvdimms) : -1;
	free(dir);
	if (ret < 0)
		log_error("out of memory");
	return ret;
}

bool snapshot_present(const struct snapshot *s)
{
	unsigned int i;

	if (!path_is_file(s->ram) || !path_is_file(s->state) || !path_is_file(s->virtio_pmem))
		return false;
	for (i = 0; i < s->nr_nvdimms; i++)
		if (!path_is_file(s->nvdimms[i]))
			return false;
	return true;
}

/* <dir>/lock, opened and locked with op. The fd, or -1. */
static int lock_dir(const char *dir, int op)
{
	char *path = path_join(dir, "lock");
	int fd = path ? open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600) : -1;

	free(path);
	if (fd >= 0 && flock(fd, op | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int snapshot_hold(struct snapshot *s)
{
	if (s->lock_fd < 0)
		s->lock_fd = lock_dir(s->dir, LOCK_SH);
	/* Locked just after another run removed it: gone all the same. */
	if (s->lock_fd >= 0 && !snapshot_present(s)) {
		close(s->lock_fd);
		s->lock_fd = -1;
	}
	return s->lock_fd >= 0 ? 0 : -1;
}

void snapshot_discard(struct snapshot *s)
{
	char *bad = str_printf("%s.tmp-bad-%d", s->dir, (int)getpid());

	/* Renamed first: no run finds it whole from now on. */
	if (bad && rename(s->dir, bad) == 0)
		remove_tree(bad);
	free(bad);
}

/* The snapshot's boot, followed from the backend's callbacks. */
struct make_ctx {
	const struct snapshot_guest *g;
	bool prepared;
	char *agent_error;
	struct console_watch watch;
};

static unsigned int make_watchdog_s(void *arg)
{
	const struct make_ctx *c = arg;

	return c->g->boot_timeout_s;
}

static bool make_save_now(void *arg)
{
	const struct make_ctx *c = arg;

	return c->prepared;
}

static void make_on_event(const struct agent_event *ev, void *arg)
{
	struct make_ctx *c = arg;

	if (ev->kind == AGENT_PREPARED) {
		log_debug("snapshot: the agent is ready for a plan %ld ms after hello", ev->value);
		c->prepared = true;
	} else if (ev->kind == AGENT_ERROR && !c->agent_error) {
		c->agent_error = strdup(ev->text);
	}
}

static void make_on_console_line(const char *line, void *arg)
{
	struct make_ctx *c = arg;

	console_watch_line(&c->watch, line);
}

/* Creates the file QEMU shares as the guest's RAM: all holes. */
static int create_ram_file(const char *path, unsigned int mem_mb)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)mem_mb << 20) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Boots the snapshot's guest in tmp until the agent waits for a plan
 * and saves it there. 0; 1 with err set; -1 when interrupted. */
static int boot_and_save(const struct snapshot_guest *g, const struct snapshot *tmp,
			 const struct workdir *w, char *err, size_t errlen)
{
	struct make_ctx c = { .g = g };
	struct session_result r;
	struct qemu_config q;
	const char *console = g->console_log;
	char *qemu_log = path_join(tmp->dir, "qemu.log");
	struct session_opts o = {
		.qemu = &q, .work_dir = w->path, .console_log = console, .qemu_log = qemu_log,
		.watchdog_s = make_watchdog_s, .save_state = tmp->state,
		.save_now = make_save_now, .on_event = make_on_event,
		.on_console_line = make_on_console_line, .arg = &c,
		.interrupted = g->interrupted,
	};
	int ret = 1, e;

	console_watch_init(&c.watch);
	if (!qemu_log) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	e = create_ram_file(tmp->ram, g->shape->mem_mb);
	if (e < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp->ram, strerror(-e));
		goto out;
	}
	guest_qemu_config(g->shape, w, g->kernel, g->initrd, GUEST_CMDLINE, &q);
	q.ram_path = tmp->ram;
	q.ram_shared = true;
	qemu_backend.run(&o, &r);
	console_watch_flush(&c.watch);
	if (r.end == GUEST_INTERRUPTED) {
		ret = -1;
	} else if (c.watch.nr_findings) {
		/* A restored guest would hide what its boot logged. */
		snprintf(err, errlen, "its boot logged \"%s\" (see %s)",
			 c.watch.findings[0].title, console);
	} else if (!r.saved) {
		snprintf(err, errlen, "%s (see %s)",
			 c.agent_error ? c.agent_error :
			 r.error ? r.error : "the guest never got ready for a plan", console);
	} else if (r.end != GUEST_EXITED || r.exit_status) {
		snprintf(err, errlen, "QEMU did not quit after the save: %s",
			 r.error ? r.error : guest_end_name(r.end));
	} else {
		ret = 0;
	}
	session_result_free(&r);
out:
	console_watch_free(&c.watch);
	free(c.agent_error);
	free(qemu_log);
	return ret;
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = 0;

	if (fd < 0 || fsync(fd) < 0)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

static int keep_file(const char *src, const char *dst, char *err, size_t errlen)
{
	int e = copy_sparse(src, dst, 0600);

	if (e < 0)
		snprintf(err, errlen, "cannot copy %s to %s: %s", src, dst, strerror(-e));
	return e < 0 ? 1 : 0;
}

/* The backing files as the snapshot's guest left them and its boot's
 * console, into tmp, everything synced: a snapshot is whole on disk
 * before its directory gets its name. */
static int keep_backing_files(const struct snapshot *tmp, const struct workdir *w,
			      const char *console, char *err, size_t errlen)
{
	const char *synced[] = { tmp->ram, tmp->state, tmp->virtio_pmem, tmp->dir };
	char *console_copy = path_join(tmp->dir, "boot-console.log");
	unsigned int i;
	int e = 0;

	for (i = 0; !e && i < tmp->nr_nvdimms; i++)
		e = keep_file(w->nvdimm_paths[i], tmp->nvdimms[i], err, errlen);
	if (!e)
		e = keep_file(w->virtio_pmem_path, tmp->virtio_pmem, err, errlen);
	if (!e && console_copy)
		copy_file(console, console_copy, 0600);
	for (i = 0; !e && i < tmp->nr_nvdimms; i++)
		if (fsync_path(tmp->nvdimms[i]) < 0)
			e = 1;
	for (i = 0; !e && i < ARRAY_LEN(synced); i++)
		if (fsync_path(synced[i]) < 0)
			e = 1;
	if (e && !*err)
		snprintf(err, errlen, "cannot sync it to disk in %s: %s", tmp->dir, strerror(errno));
	free(console_copy);
	return e;
}

static int mtime_cmp(const void *a, const void *b)
{
	const struct timespec *ta = a, *tb = b;	/* first member of each entry */

	if (ta->tv_sec != tb->tv_sec)
		return ta->tv_sec < tb->tv_sec ? 1 : -1;
	return (ta->tv_nsec < tb->tv_nsec) - (ta->tv_nsec > tb->tv_nsec);
}

struct snap_entry {
	struct timespec mtime;		/* first: mtime_cmp() */
	char *path;
};

void snapshot_prune(const char *root, const char *keep)
{
	struct snap_entry *v = NULL, *p;
	size_t nr = 0, i, kept = 0;
	int fd;
	struct dirent *d;
	DIR *dir = opendir(root);
	time_t now = time(NULL);

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		struct stat st;
		char *path;

		if (d->d_name[0] == '.')
			continue;
		path = path_join(root, d->d_name);
		if (!path || stat(path, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    (strstr(d->d_name, ".tmp-") && now - st.st_mtime < STALE_TMP_S) ||
		    !(p = realloc(v, (nr + 1) * sizeof(*v)))) {
			free(path);
			continue;
		}
		v = p;
		v[nr].mtime = st.st_mtim;
		v[nr++].path = path;
	}
	closedir(dir);
	qsort(v, nr, sizeof(*v), mtime_cmp);
	for (i = 0; i < nr; i++) {
		bool tmp = strstr(v[i].path, ".tmp-") != NULL;

		if (!tmp && (!strcmp(v[i].path, keep) || kept < SNAPSHOT_KEEP - 1)) {
			kept += strcmp(v[i].path, keep) != 0;
			free(v[i].path);
			continue;
		}
		fd = tmp ? -1 : lock_dir(v[i].path, LOCK_EX);
		if (tmp || fd >= 0) {
			log_debug("snapshot: removing %s", v[i].path);
			remove_tree(v[i].path);
		}
		if (fd >= 0)
			close(fd);
		free(v[i].path);
	}
	free(v);
}

/* Renames the made snapshot dir to s->dir. Another run may have made
 * the same one meanwhile: it is as good, if it is whole. 0 or -1. */
static int name_snapshot(const char *dir, const struct snapshot *s)
{
	if (rename(dir, s->dir) == 0)
		return 0;
	if (errno != EEXIST && errno != ENOTEMPTY)
		return -1;
	if (snapshot_present(s))
		return 0;
	remove_tree(s->dir);
	return rename(dir, s->dir);
}

int snapshot_make(struct snapshot *s, const struct snapshot_guest *g, char *err,
		  size_t errlen)
{
	struct snapshot tmp = { 0 };
	struct workdir w = { 0 };
	char *root = str_printf("%s/snapshots", g->cache_dir), *dir = NULL;
	int ret = 1;

	dir = root ? str_printf("%s/%s.tmp-%d", root, s->key, (int)getpid()) : NULL;
	if (!dir || set_paths(&tmp, dir, s->nr_nvdimms) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	remove_tree(dir);
	if (mkdir_p(dir, 0700) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	if (guest_workdir_create(g->shape, &w, "snapshot") < 0) {
		snprintf(err, errlen, "no work directory for its guest");
		goto out;
	}
	err[0] = '\0';
	ret = boot_and_save(g, &tmp, &w, err, errlen);
	if (!ret)
		ret = keep_backing_files(&tmp, &w, g->console_log, err, errlen);
	if (ret)
		goto out;
	if (name_snapshot(dir, s) < 0) {
		snprintf(err, errlen, "cannot rename %s to %s: %s", dir, s->dir, strerror(errno));
		ret = 1;
		goto out;
	}
	snapshot_prune(root, s->dir);
out:
	workdir_remove(&w, false);
	if (dir)
		remove_tree(dir);
	snapshot_free(&tmp);
	free(dir);
	free(root);
	return ret;
}

/* An empty file of the same size, as a fresh guest's disk. */
static int fresh_disk(const char *path)
{
	struct stat st;
	int fd, ret = 0;

	if (stat(path, &st) < 0)
		return -errno;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, st.st_size) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int snapshot_restore_files(const struct snapshot *s, const struct workdir *w,
			   bool keep_nvdimms)
{
	unsigned int i;
	int e = 0;

	if (w->nr_nvdimms != s->nr_nvdimms)
		return -EINVAL;
	for (i = 0; !keep_nvdimms && !e && i < s->nr_nvdimms; i++)
		e = copy_sparse(s->nvdimms[i], w->nvdimm_paths[i], 0600);
	if (!e && w->virtio_pmem_path)
		e = copy_sparse(s->virtio_pmem, w->virtio_pmem_path, 0600);
	if (!e && w->nodax_path)
		e = fresh_disk(w->nodax_path);
	return e;
}

void snapshot_restore_config(const struct snapshot *s, struct qemu_config *q)
{
	q->ram_path = s->ram;
	q->ram_shared = false;
	q->incoming = true;
}

void snapshot_free(struct snapshot *s)
{
	unsigned int i;

	if (s->dir && s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->dir);
	free(s->ram);
	free(s->state);
	free(s->virtio_pmem);
	for (i = 0; i < s->nr_nvdimms; i++)
		free(s->nvdimms[i]);
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
}
