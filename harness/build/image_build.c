// SPDX-License-Identifier: GPL-2.0
/*
 * image_build.c - assemble the guest initramfs from the recipe
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <fts.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build/cpio.h"
#include "lib/clock.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/host_tools.h"
#include "build/image_build.h"
#include "proto/agent_proto.h"
#include "build/kernel_build.h"
#include "lib/log.h"
#include "lib/spawn.h"

/* Bump when the layout daxtest adds to the recipe changes. */
#define IMAGE_RECIPE_VERSION "daxtest-image-1"

enum entry_type { ENTRY_DIR, ENTRY_FILE, ENTRY_LINK };

struct entry {
	char *guest;		/* absolute path in the guest */
	enum entry_type type;
	char *src;		/* host file, or the link target */
	mode_t perm;
};

struct entries {
	struct entry *v;
	size_t nr;
	char *busybox;		/* host path, applets linked last */
};

static struct entry *find_entry(const struct entries *e, const char *guest)
{
	size_t i;

	for (i = 0; i < e->nr; i++)
		if (!strcmp(e->v[i].guest, guest))
			return &e->v[i];
	return NULL;
}

/* Adds an entry; a path that is already there keeps its first entry. */
static int add_entry(struct entries *e, const char *guest, enum entry_type type,
		     const char *src, mode_t perm)
{
	struct entry *grown;

	if (find_entry(e, guest))
		return 0;
	grown = realloc(e->v, (e->nr + 1) * sizeof(*grown));
	if (!grown)
		return -1;
	e->v = grown;
	e->v[e->nr].guest = strdup(guest);
	e->v[e->nr].src = src ? strdup(src) : NULL;
	e->v[e->nr].type = type;
	e->v[e->nr].perm = perm;
	if (!e->v[e->nr].guest || (src && !e->v[e->nr].src))
		return -1;
	e->nr++;
	return 0;
}

static int add_host_file(struct entries *e, const char *guest, const char *host)
{
	struct stat st;

	if (stat(host, &st) < 0) {
		log_error("image: %s: %s (run 'make deps')", host, strerror(errno));
		return -1;
	}
	return add_entry(e, guest, ENTRY_FILE, host, st.st_mode & 0777);
}

/* The shared libraries ldd lists for a program. */
static int add_libraries(struct entries *e, const char *program)
{
	const char *argv[] = { "ldd", program, NULL };
	char *out = NULL, *line, *save;
	int ret = 0;

	if (proc_capture(argv, NULL, &out) != 0) {
		/* ldd fails on static programs: nothing to add. */
		if (out && strstr(out, "not a dynamic executable")) {
			free(out);
			return 0;
		}
		log_error("image: ldd %s failed: %s", program, proc_tail(out, 1));
		free(out);
		return -1;
	}
	for (line = strtok_r(out, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		char *path = strstr(line, "=> "), *end;

		if (strstr(line, "not found")) {
			log_error("image: %s needs a library that is missing: %s", program,
				  line + strspn(line, " \t"));
			ret = -1;
			break;
		}
		path = path ? path + 3 : line + strspn(line, " \t");
		if (*path != '/')
			continue;
		end = strstr(path, " (");
		if (end)
			*end = '\0';
		ret = add_host_file(e, path, path);
	}
	free(out);
	return ret;
}

static int add_busybox_applets(struct entries *e)
{
	const char *argv[] = { "busybox", "--list-full", NULL };
	char *out = NULL, *line, *save, *guest;
	int ret = 0;

	argv[0] = e->busybox;
	if (proc_capture(argv, NULL, &out) != 0) {
		log_error("image: %s --list-full failed", e->busybox);
		free(out);
		return -1;
	}
	for (line = strtok_r(out, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		guest = str_printf("/%s", line);
		ret = guest ? add_entry(e, guest, ENTRY_LINK, "/bin/busybox", 0777) : -1;
		free(guest);
	}
	free(out);
	return ret;
}

/* Reading the recipe: building the image's entries (e), or, before any
 * build, only finding the host files that are missing (missing). */
struct recipe_pass {
	struct entries *e;
	struct host_missing *missing;
	char *package;		/* of the entries that follow ("package" lines) */
};

/* A host file of the recipe: added, or checked for (readable; and
 * executable for a program). */
static int recipe_host_file(struct recipe_pass *r, const char *guest, const char *host,
			    bool program)
{
	if (r->e)
		return add_host_file(r->e, guest, host);
	if (access(host, program ? R_OK | X_OK : R_OK) < 0)
		host_missing_add(r->missing, host, r->package);
	return 0;
}

static int recipe_line(struct recipe_pass *r, char *line, const char *where)
{
	char *save = NULL, *verb, *a, *b, *extra;

	verb = strtok_r(line, " \t", &save);
	if (!verb || *verb == '#')
		return 0;
	a = strtok_r(NULL, " \t", &save);
	b = strtok_r(NULL, " \t", &save);
	extra = strtok_r(NULL, " \t", &save);
	if (!strcmp(verb, "package") && a && !b) {
		free(r->package);
		r->package = strdup(a);
		return r->package ? 0 : -1;
	}
	if (!a || extra || (a[0] != '/') || (b && b[0] != '/' && strcmp(verb, "link"))) {
		log_error("%s: malformed line (see the comment at the top of the recipe)", where);
		return -1;
	}
	if (!strcmp(verb, "bin")) {
		if (recipe_host_file(r, b ? b : a, a, true) < 0)
			return -1;
		return r->e ? add_libraries(r->e, a) : 0;
	}
	if (!strcmp(verb, "file"))
		return recipe_host_file(r, b ? b : a, a, false);
	if (!strcmp(verb, "link") && b)
		return r->e ? add_entry(r->e, a, ENTRY_LINK, b, 0777) : 0;
	if (!strcmp(verb, "dir") && !b)
		return r->e ? add_entry(r->e, a, ENTRY_DIR, NULL, 0755) : 0;
	if (!strcmp(verb, "busybox") && !b) {
		if (!r->e)
			return recipe_host_file(r, "/bin/busybox", a, true);
		r->e->busybox = strdup(a);
		return r->e->busybox ? add_host_file(r->e, "/bin/busybox", a) : -1;
	}
	log_error("%s: unknown entry '%s'", where, verb);
	return -1;
}

static int load_recipe(struct recipe_pass *r, const char *path)
{
	char *text = NULL, *line, *next;
	int lineno = 0, ret;

	ret = read_file(path, &text, NULL);
	if (ret < 0) {
		log_error("cannot read the image recipe %s: %s", path, strerror(-ret));
		return -1;
	}
	for (line = text; line && !ret; line = next) {
		char where[512];

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		snprintf(where, sizeof(where), "%s:%d", path, ++lineno);
		ret = recipe_line(r, line, where);
	}
	free(text);
	free(r->package);
	r->package = NULL;
	return ret;
}

int image_recipe_missing(const char *project_dir, struct host_missing *missing)
{
	char *recipe = path_join(project_dir, IMAGE_RECIPE);
	struct recipe_pass r = { .missing = missing };
	int ret;

	if (!recipe)
		return -1;
	ret = load_recipe(&r, recipe);
	free(recipe);
	return ret;
}

static int add_link(struct entries *e, const char *guest, const char *host_path)
{
	char target[PATH_MAX];
	ssize_t n = readlink(host_path, target, sizeof(target) - 1);

	if (n < 0)
		return -1;
	target[n] = '\0';
	return add_entry(e, guest, ENTRY_LINK, target, 0777);
}

/* Adds a host directory tree under guest_root (files, directories and
 * symbolic links; the "build" and "source" links modules_install leaves,
 * which point into the host's build tree, are skipped). With programs,
 * the shared libraries of each executable file come too. */
static int add_tree(struct entries *e, const char *host_root, const char *guest_root,
		    bool programs)
{
	char *const roots[] = { (char *)host_root, NULL };
	size_t prefix = strlen(host_root);
	FTSENT *f;
	FTS *fts;
	int ret = 0;

	fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!fts)
		return -1;
	while (!ret && (f = fts_read(fts))) {
		char *guest;

		if (f->fts_info == FTS_DP)
			continue;
		if (f->fts_info == FTS_SL && (!strcmp(f->fts_name, "build") ||
					      !strcmp(f->fts_name, "source")))
			continue;
		guest = str_printf("%s%s", guest_root, f->fts_path + prefix);
		if (!guest) {
			ret = -1;
			break;
		}
		if (f->fts_info == FTS_D)
			ret = add_entry(e, guest, ENTRY_DIR, NULL, 0755);
		else if (f->fts_info == FTS_F)
			ret = add_entry(e, guest, ENTRY_FILE, f->fts_path,
					f->fts_statp->st_mode & 0777);
		if (!ret && programs && f->fts_info == FTS_F && (f->fts_statp->st_mode & 0111))
			ret = add_libraries(e, f->fts_path);
		else if (f->fts_info == FTS_SL)
			ret = add_link(e, guest, f->fts_path);
		free(guest);
	}
	fts_close(fts);
	return ret;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->guest, ((const struct entry *)b)->guest);
}

/* Every parent directory must come before its children in the archive. */
static int add_parents(struct entries *e)
{
	size_t i, n = e->nr;

	for (i = 0; i < n; i++) {
		char *dir = strdup(e->v[i].guest), *slash;

		if (!dir)
			return -1;
		while ((slash = strrchr(dir, '/')) && slash != dir) {
			*slash = '\0';
			if (add_entry(e, dir, ENTRY_DIR, NULL, 0755) < 0) {
				free(dir);
				return -1;
			}
		}
		free(dir);
	}
	qsort(e->v, e->nr, sizeof(*e->v), cmp_entry);
	return 0;
}

static int collect(const struct image_opts *o, struct entries *e)
{
	char *recipe = path_join(o->project_dir, IMAGE_RECIPE);
	char *mods = str_printf("%s/lib/modules", o->kernel->modules);
	struct recipe_pass r = { .e = e };
	int ret = -1;

	if (!recipe || !mods)
		goto out;
	/* The agent is also the peer suites' runner (guest/suite_root.c). */
	if (add_host_file(e, "/init", o->agent) < 0 ||
	    add_entry(e, DAXTEST_SUITE_RUNNER, ENTRY_LINK, "/init", 0777) < 0 ||
	    load_recipe(&r, recipe) < 0 ||
	    add_tree(e, mods, "/lib/modules", false) < 0 ||
	    add_tree(e, o->tests_dir, IMAGE_TESTS_DIR, true) < 0)
		goto out;
	if (e->busybox && add_busybox_applets(e) < 0)
		goto out;
	ret = add_parents(e);
out:
	free(recipe);
	free(mods);
	return ret;
}

static int compute_key(const struct entries *e, char key[HASH_HEX_LEN + 1])
{
	struct hash *h = hash_new();
	char perm[16];
	size_t i;

	if (!h)
		return -1;
	hash_field(h, "recipe", IMAGE_RECIPE_VERSION);
	for (i = 0; i < e->nr; i++) {
		const struct entry *x = &e->v[i];

		snprintf(perm, sizeof(perm), "%d %o", x->type, (unsigned int)x->perm);
		hash_field(h, x->guest, perm);
		if (x->type == ENTRY_LINK)
			hash_field(h, "target", x->src);
		else if (x->type == ENTRY_FILE && hash_file(h, "data", x->src) < 0) {
			log_error("image: cannot read %s", x->src);
			hash_finish(h, key);
			return -1;
		}
	}
	hash_finish(h, key);
	return 0;
}

static int write_cpio(const struct entries *e, const char *path)
{
	struct cpio_writer w;
	size_t i;
	FILE *f;
	int fd, ret;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		return ret;
	}
	cpio_init(&w, f);
	for (i = 0; i < e->nr; i++) {
		const struct entry *x = &e->v[i];

		if (x->type == ENTRY_DIR)
			cpio_add_dir(&w, x->guest, x->perm);
		else if (x->type == ENTRY_LINK)
			cpio_add_symlink(&w, x->guest, x->src);
		else
			cpio_add_file(&w, x->guest, x->perm, x->src);
	}
	ret = cpio_finish(&w);
	if (fclose(f) != 0 && !ret)
		ret = -errno;
	return ret;
}

static int compress(const char *in, const char *out)
{
	/* The kernel reads only LZ4's legacy frame format (-l). */
	const char *argv[] = { "lz4", "-q", "-f", "-l", "-9", in, out, NULL };
	char *msg = NULL;
	int ret;

	ret = proc_capture(argv, NULL, &msg);
	if (ret != 0)
		log_error("image: lz4 failed: %s", proc_tail(msg, 1));
	free(msg);
	return ret ? -1 : 0;
}

static void entries_free(struct entries *e)
{
	size_t i;

	for (i = 0; i < e->nr; i++) {
		free(e->v[i].guest);
		free(e->v[i].src);
	}
	free(e->v);
	free(e->busybox);
}

int image_build(const struct image_opts *o, struct image *img)
{
	struct entries e = { 0 };
	char *dir = NULL, *raw = NULL, *tmp = NULL;
	double t0 = mono_s();
	int ret = -1, err;

	memset(img, 0, sizeof(*img));
	if (collect(o, &e) < 0 || compute_key(&e, img->key) < 0)
		goto out;
	img->nr_files = e.nr;
	dir = path_join(o->cache_dir, "images");
	img->path = str_printf("%s/%.16s.cpio.lz4", dir ? dir : "", img->key);
	if (!dir || !img->path || mkdir_p(dir, 0755) < 0)
		goto out;
	if (!o->rebuild && path_is_file(img->path)) {
		img->cached = true;
		/* An image cached before images were private. */
		if (chmod(img->path, 0600) < 0)
			log_debug("cannot chmod %s: %s", img->path, strerror(errno));
		log_info("image: cached (%zu entries, %s), nothing to build", e.nr, img->path);
		ret = 0;
		goto out;
	}
	raw = str_printf("%s.cpio.%d", img->path, (int)getpid());
	tmp = str_printf("%s.tmp.%d", img->path, (int)getpid());
	if (!raw || !tmp)
		goto out;
	err = write_cpio(&e, raw);
	if (err < 0) {
		log_error("image: writing %s failed: %s", raw, strerror(-err));
		goto out;
	}
	/* lz4 creates its output with the umask's mode. */
	if (compress(raw, tmp) < 0 || chmod(tmp, 0600) < 0)
		goto out;
	if (rename(tmp, img->path) < 0) {
		log_error("image: cannot move %s to %s: %s", tmp, img->path, strerror(errno));
		goto out;
	}
	img->seconds = mono_s() - t0;
	log_info("image: built %s (%zu entries) in %.2f s", img->path, e.nr, img->seconds);
	ret = 0;
out:
	if (raw)
		unlink(raw);
	if (tmp)
		unlink(tmp);
	free(raw);
	free(tmp);
	free(dir);
	entries_free(&e);
	return ret;
}

void image_free(struct image *img)
{
	free(img->path);
	img->path = NULL;
}
