// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_source.c - find the kernel source and copy it into the worktree
 */
#include <errno.h>
#include <fts.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/hash.h"
#include "build/kernel_source.h"
#include "lib/log.h"
#include "lib/spawn.h"

static int debian_version(const char *package, char **version)
{
	const char *argv[] = { "dpkg-query", "-W", "-f", "${Version}", package, NULL };
	char *out = NULL;
	int ret;

	ret = proc_capture(argv, NULL, &out);
	if (ret != 0 || !out || !*out || strchr(out, ' ')) {
		free(out);
		return -1;
	}
	*version = out;
	return 0;
}

/* Extracts /usr/src/<package>.tar.xz into cache/src/<package>_<version>. */
static int debian_extract(const char *package, const char *version,
			  const char *cache_dir, char **tree)
{
	char *base = NULL, *tmp = NULL, *tarball = NULL, *top = NULL;
	int ret = -1;

	base = str_printf("%s/src/%s_%s", cache_dir, package, version);
	tmp = str_printf("%s.tmp.%d", base ? base : "", (int)getpid());
	tarball = str_printf("/usr/src/%s.tar.xz", package);
	if (!base || !tmp || !tarball)
		goto out;
	top = str_printf("%s/%s", base, package);
	if (!top)
		goto out;
	if (path_is_dir(top)) {
		*tree = top;
		top = NULL;
		ret = 0;
		goto out;
	}
	if (!path_is_file(tarball)) {
		log_error("%s is installed but %s is missing", package, tarball);
		goto out;
	}
	log_info("kernel: extracting %s", tarball);
	if (mkdir_p(tmp, 0755) < 0) {
		log_error("cannot create %s: %s", tmp, strerror(errno));
		goto out;
	}
	{
		const char *argv[] = { "tar", "-xf", tarball, "-C", tmp, NULL };
		char *msg = NULL;

		if (proc_capture(argv, NULL, &msg) != 0) {
			log_error("cannot extract %s: %s", tarball, proc_tail(msg, 1));
			free(msg);
			remove_tree(tmp);
			goto out;
		}
		free(msg);
	}
	if (rename(tmp, base) < 0 && !path_is_dir(top)) {
		log_error("cannot move %s to %s: %s", tmp, base, strerror(errno));
		remove_tree(tmp);
		goto out;
	}
	remove_tree(tmp);
	*tree = top;
	top = NULL;
	ret = 0;
out:
	free(base);
	free(tmp);
	free(tarball);
	free(top);
	return ret;
}

/* "<major>.<minor>": two numbers without leading zeros, nothing else. */
static bool is_major_minor(const char *v)
{
	size_t major = strspn(v, "0123456789"), minor;

	if (!major || (v[0] == '0' && major > 1) || v[major] != '.')
		return false;
	v += major + 1;
	minor = strspn(v, "0123456789");
	return minor && !(v[0] == '0' && minor > 1) && v[minor] == '\0';
}

char *kernel_source_package(const char *kernel)
{
	static const char prefix[] = "debian-";

	if (strncmp(kernel, prefix, strlen(prefix)) || !is_major_minor(kernel + strlen(prefix))) {
		log_error("--kernel %s: expected debian-<major>.<minor> (e.g. debian-6.1), or --ksrc DIR",
			  kernel);
		return NULL;
	}
	return str_printf("linux-source-%s", kernel + strlen(prefix));
}

static int resolve_debian(const char *kernel, const char *cache_dir, struct kernel_source *ks)
{
	char *package = kernel_source_package(kernel ? kernel : DEFAULT_KERNEL);
	char *version = NULL;
	int ret = -1;

	if (!package)
		return -1;
	if (debian_version(package, &version) < 0) {
		log_error("%s is not installed (run 'make deps KERNELS=%s', or give KSRC=/path/to/linux)",
			  package, kernel ? kernel : DEFAULT_KERNEL);
		goto out;
	}
	/* Extracted only when a build needs it (kernel_source_fetch): a
	 * cached kernel costs no 1.7 GB tree in the cache. */
	ks->location = str_printf("deb-%s", package);
	ks->identity = str_printf("debian %s %s", package, version);
	ks->description = str_printf("%s %s", package, version);
	ks->cache_dir = strdup(cache_dir);
	ks->package = package;
	ks->version = version;
	package = version = NULL;
	ret = ks->location && ks->identity && ks->description && ks->cache_dir ? 0 : -1;
out:
	free(version);
	free(package);
	return ret;
}

static bool is_kernel_tree(const char *dir)
{
	static const char *const must[] = {
		"Makefile", "Kconfig", "arch/x86/Kconfig",
		"tools/testing/selftests/kselftest_harness.h", NULL,
	};
	const char *const *m;

	for (m = must; *m; m++) {
		char *p = path_join(dir, *m);
		bool ok = p && path_is_file(p);

		free(p);
		if (!ok)
			return false;
	}
	return true;
}

/* git commit plus a hash of uncommitted changes (tracked diff and the
 * untracked files' names and contents). */
static char *git_identity(const char *dir)
{
	const char *head_argv[] = { "git", "-C", dir, "rev-parse", "HEAD", NULL };
	const char *diff_argv[] = { "git", "-C", dir, "diff", "HEAD", "--binary", NULL };
	const char *untracked_argv[] = { "git", "-C", dir, "ls-files", "--others",
					 "--exclude-standard", NULL };
	char *head = NULL, *diff = NULL, *untracked = NULL, *id = NULL;
	char hex[HASH_HEX_LEN + 1];
	struct hash *h;

	if (proc_capture(head_argv, NULL, &head) != 0 ||
	    proc_capture(diff_argv, NULL, &diff) != 0 ||
	    proc_capture(untracked_argv, NULL, &untracked) != 0)
		goto out;
	if (!head)
		goto out;
	str_rstrip(head);
	/* A command that prints nothing leaves its capture NULL. */
	if ((!diff || !*diff) && (!untracked || !*untracked)) {
		id = str_printf("git %s", head);
		goto out;
	}
	h = hash_new();
	if (!h)
		goto out;
	hash_field(h, "diff", diff ? diff : "");
	if (untracked) {
		char *line, *save = NULL;

		for (line = strtok_r(untracked, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			char *p = path_join(dir, line);

			if (p)
				hash_file(h, line, p);
			free(p);
		}
	}
	hash_finish(h, hex);
	id = str_printf("git %s dirty %.16s", head, hex);
out:
	free(head);
	free(diff);
	free(untracked);
	return id;
}

/* Identity of a tree that is not a git repository: every file's path,
 * size and mtime. */
static char *dir_identity(const char *dir)
{
	char *const roots[] = { (char *)dir, NULL };
	char hex[HASH_HEX_LEN + 1], buf[64];
	size_t prefix = strlen(dir);
	struct hash *h;
	FTSENT *e;
	FTS *fts;

	h = hash_new();
	if (!h)
		return NULL;
	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!fts) {
		hash_finish(h, hex);
		return NULL;
	}
	while ((e = fts_read(fts))) {
		if (e->fts_info == FTS_D && !strcmp(e->fts_name, ".git")) {
			fts_set(fts, e, FTS_SKIP);
			continue;
		}
		if (e->fts_info != FTS_F && e->fts_info != FTS_SL)
			continue;
		snprintf(buf, sizeof(buf), "%lld %lld.%09ld",
			 (long long)e->fts_statp->st_size,
			 (long long)e->fts_statp->st_mtim.tv_sec,
			 e->fts_statp->st_mtim.tv_nsec);
		hash_field(h, e->fts_path + prefix, buf);
	}
	fts_close(fts);
	hash_finish(h, hex);
	return str_printf("tree %.16s", hex);
}

static bool has_git_dir(const char *dir)
{
	char *g = path_join(dir, ".git");
	bool is = g && access(g, F_OK) == 0;

	free(g);
	return is;
}

static int resolve_ksrc(const char *ksrc, struct kernel_source *ks)
{
	char real[PATH_MAX], hex[HASH_HEX_LEN + 1];
	struct hash *h;

	if (!realpath(ksrc, real) || !path_is_dir(real)) {
		log_error("KSRC=%s: %s", ksrc, strerror(errno ? errno : ENOTDIR));
		return -1;
	}
	if (!is_kernel_tree(real)) {
		log_error("KSRC=%s is not a kernel source tree (no Makefile, Kconfig, arch/x86 or kselftest_harness.h)",
			  ksrc);
		return -1;
	}
	ks->dir = strdup(real);
	ks->is_git = has_git_dir(real);
	if (!ks->is_git) {
		char *cfg = path_join(real, ".config");
		bool built = cfg && path_is_file(cfg);

		free(cfg);
		if (built) {
			log_error("KSRC=%s has an in-tree build (.config): run 'make mrproper' there or use a git tree",
				  ksrc);
			return -1;
		}
	}
	ks->identity = ks->is_git ? git_identity(real) : dir_identity(real);
	if (!ks->identity) {
		log_error("KSRC=%s: cannot read the tree's state%s", ksrc,
			  ks->is_git ? " with git" : "");
		return -1;
	}
	h = hash_new();
	if (!h)
		return -1;
	hash_field(h, "ksrc", real);
	hash_finish(h, hex);
	ks->location = str_printf("ksrc-%.12s", hex);
	ks->description = str_printf("%s (%s)", real, ks->identity);
	return ks->location && ks->description ? 0 : -1;
}

int kernel_source_fetch(struct kernel_source *ks)
{
	if (ks->dir)
		return 0;
	if (!ks->package || !ks->version || !ks->cache_dir)
		return -1;
	return debian_extract(ks->package, ks->version, ks->cache_dir, &ks->dir);
}

int kernel_source_resolve(const char *ksrc, const char *kernel, const char *cache_dir,
			  struct kernel_source *ks)
{
	memset(ks, 0, sizeof(*ks));
	if (ksrc && *ksrc)
		return resolve_ksrc(ksrc, ks);
	return resolve_debian(kernel, cache_dir, ks);
}

/* NUL-separated list of the files that make up the source. */
static int list_git_files(const char *dir, char **list, size_t *len)
{
	const char *argv[] = { "git", "-C", dir, "ls-files", "-z", "--cached",
			       "--others", "--exclude-standard", NULL };
	struct proc_spec spec = { .argv = argv, .capture = list, .capture_len = len };

	return proc_run(&spec) == 0 ? 0 : -1;
}

static int list_dir_files(const char *dir, char **list, size_t *len)
{
	char *const roots[] = { (char *)dir, NULL };
	size_t prefix = strlen(dir) + 1, cap = 0, used = 0;
	char *buf = NULL;
	FTSENT *e;
	FTS *fts;

	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!fts)
		return -1;
	while ((e = fts_read(fts))) {
		size_t n;

		if (e->fts_info == FTS_D && !strcmp(e->fts_name, ".git")) {
			fts_set(fts, e, FTS_SKIP);
			continue;
		}
		if (e->fts_info != FTS_F && e->fts_info != FTS_SL)
			continue;
		n = strlen(e->fts_path + prefix) + 1;
		if (used + n > cap) {
			char *p;

			cap = (cap + n) * 2;
			p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fts_close(fts);
				return -1;
			}
			buf = p;
		}
		memcpy(buf + used, e->fts_path + prefix, n);
		used += n;
	}
	fts_close(fts);
	*list = buf;
	*len = used;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits a NUL-separated list into a sorted array pointing into it. */
static char **split_sorted(char *list, size_t len, size_t *nr)
{
	size_t n = 0, i = 0;
	char **v, *p;

	for (p = list; p < list + len; p += strlen(p) + 1)
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v)
		return NULL;
	for (p = list; p < list + len; p += strlen(p) + 1)
		v[i++] = p;
	qsort(v, n, sizeof(*v), cmp_str);
	*nr = n;
	return v;
}

/* Deletes from worktree the files the previous sync copied that the
 * source no longer has. */
static void remove_stale_files(const char *worktree, char *old, size_t old_len,
			       char *cur, size_t cur_len)
{
	char **o, **c;
	size_t no, nc, i;

	o = split_sorted(old, old_len, &no);
	c = split_sorted(cur, cur_len, &nc);
	if (!o || !c)
		goto out;
	for (i = 0; i < no; i++) {
		char *p;

		if (bsearch(&o[i], c, nc, sizeof(*c), cmp_str))
			continue;
		p = path_join(worktree, o[i]);
		if (p && unlink(p) == 0)
			log_debug("kernel: removed %s from the worktree", o[i]);
		free(p);
	}
out:
	free(o);
	free(c);
}

int kernel_source_sync(const struct kernel_source *ks, const char *worktree,
		       const char *log_path)
{
	char *list = NULL, *old = NULL, *list_path = NULL, *src = NULL, *dst = NULL;
	char *from = NULL;
	size_t len = 0, old_len = 0;
	int ret = -1;

	list_path = str_printf("%s.files", worktree);
	src = str_printf("%s/", ks->dir);
	dst = str_printf("%s/", worktree);
	from = str_printf("--files-from=%s", list_path ? list_path : "");
	if (!list_path || !src || !dst || !from)
		goto out;
	if ((ks->is_git ? list_git_files(ks->dir, &list, &len) :
			  list_dir_files(ks->dir, &list, &len)) < 0) {
		log_error("cannot list the files of %s", ks->dir);
		goto out;
	}
	if (read_file(list_path, &old, &old_len) == 0)
		remove_stale_files(worktree, old, old_len, list, len);
	if (write_file_atomic(list_path, list, len, 0644) < 0 ||
	    mkdir_p(worktree, 0755) < 0) {
		log_error("cannot write %s: %s", list_path, strerror(errno));
		goto out;
	}
	/*
	 * Without -t, every file rsync writes gets the current time, so make
	 * rebuilds what depends on it; files whose content did not change
	 * are left alone. (Hard links to the source, or preserved times,
	 * would give a file restored after a patch its old mtime, and make
	 * would keep the patched object.)
	 */
	{
		const char *argv[] = { "rsync", "-rlp", "--checksum", "--from0",
				       from, "--ignore-missing-args", src, dst, NULL };
		struct proc_spec spec = { .argv = argv, .log_path = log_path };

		if (proc_run(&spec) != 0) {
			log_error("copying %s to %s failed (rsync), see %s", ks->dir,
				  worktree, log_path);
			goto out;
		}
	}
	ret = 0;
out:
	free(list);
	free(old);
	free(list_path);
	free(src);
	free(dst);
	free(from);
	return ret;
}

/* The number after "<key> = " at the start of a line of text, or -1. */
static int makefile_number(const char *text, const char *key)
{
	size_t len = strlen(key);
	const char *line;

	for (line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *p = line + len;

		if (strncmp(line, key, len))
			continue;
		p += strspn(p, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t");
		if (*p >= '0' && *p <= '9')
			return atoi(p);
	}
	return -1;
}

int kernel_source_major_minor(const struct kernel_source *ks, unsigned int *major,
			      unsigned int *minor)
{
	char *path, *text = NULL;
	int v, p;

	if (ks->version)
		return sscanf(ks->version, "%u.%u", major, minor) == 2 ? 0 : -1;
	if (!ks->dir)
		return -1;
	path = path_join(ks->dir, "Makefile");
	if (!path || read_file(path, &text, NULL) < 0) {
		free(path);
		return -1;
	}
	free(path);
	v = makefile_number(text, "VERSION");
	p = makefile_number(text, "PATCHLEVEL");
	free(text);
	if (v < 0 || p < 0)
		return -1;
	*major = v;
	*minor = p;
	return 0;
}

void kernel_source_free(struct kernel_source *ks)
{
	free(ks->dir);
	free(ks->package);
	free(ks->version);
	free(ks->cache_dir);
	free(ks->location);
	free(ks->identity);
	free(ks->description);
	memset(ks, 0, sizeof(*ks));
}
