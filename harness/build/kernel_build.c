// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_build.c - configure, build and cache the kernel under test
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/cache.h"
#include "lib/fsutil.h"
#include "lib/hash.h"
#include "lib/host_tools.h"
#include "build/kconfig.h"
#include "build/kernel_build.h"
#include "build/kernel_source.h"
#include "lib/log.h"
#include "build/patch_series.h"
#include "lib/spawn.h"
#include "lib/strv.h"

/* Bump when the build steps change what an artifact contains. */
#define KERNEL_BUILD_VERSION "daxtest-kernel-3"	/* 2: nfit_test modules apart; 3: in extra/ */

struct build {
	const struct kernel_build_opts *o;
	struct kernel_source src;
	struct patch_series series;
	struct kconfig want;
	char *merged;		/* the merged config fragment */
	char key[HASH_HEX_LEN + 1];
	char *loc_dir;		/* cache/kernel/<location> */
	char *worktree;
	char *objdir;
	char *log;
	struct strv env;	/* "KEY=value" for make */
	char jobs[32];
	char *cc;		/* "CC=/usr/bin/ccache gcc" when there is ccache */
	char *depmod;		/* "DEPMOD=/usr/sbin/depmod": not in a user's PATH */
};

static int load_glob(struct kconfig *want, const char *pattern)
{
	glob_t g;
	size_t i;
	int ret = 0;

	if (glob(pattern, 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc && !ret; i++)
		ret = kconfig_load(want, g.gl_pathv[i]);
	globfree(&g);
	return ret;
}

/* The tests' kselftest "config" files first, then kernel-patches/config
 * (which decides, e.g. =m where a test only needs the option), then the
 * user's own fragments. */
static int collect_config(struct build *b)
{
	char *pattern;
	size_t i;
	int ret;

	pattern = path_join(b->o->project_dir, "tests/*/config");
	ret = pattern ? load_glob(&b->want, pattern) : -1;
	free(pattern);
	if (ret)
		return -1;
	pattern = path_join(b->o->project_dir, "kernel-patches/config/*.config");
	ret = pattern ? load_glob(&b->want, pattern) : -1;
	free(pattern);
	if (ret)
		return -1;
	for (i = 0; i < b->o->nr_configs; i++)
		if (kconfig_load(&b->want, b->o->configs[i]) < 0)
			return -1;
	b->merged = kconfig_format(&b->want);
	return b->merged ? 0 : -1;
}

static int collect_series(struct build *b)
{
	unsigned int major, minor;
	char *base;
	size_t i;
	int ret = 0;

	if (b->o->base_series && !strcmp(b->o->base_series, "none"))
		base = NULL;
	else if (b->o->base_series)
		base = strdup(b->o->base_series);
	else
		base = path_join(b->o->project_dir, "kernel-patches/series");
	if (base && (b->o->base_series || path_is_file(base)))
		ret = patch_series_load(&b->series, base);
	free(base);
	for (i = 0; i < b->o->nr_series && !ret; i++)
		ret = patch_series_load(&b->series, b->o->series[i]);
	if (!ret && kernel_source_major_minor(&b->src, &major, &minor) == 0)
		ret = patch_series_for_kernel(&b->series, major, minor);
	return ret;
}

static char *compiler_version(void)
{
	const char *argv[] = { "gcc", "--version", NULL };
	char *out = NULL, *nl;

	if (proc_capture(argv, NULL, &out) != 0) {
		free(out);
		return NULL;
	}
	nl = strchr(out, '\n');
	if (nl)
		*nl = '\0';
	return out;
}

static int compute_key(struct build *b)
{
	char *cc = compiler_version();
	struct hash *h;

	if (!cc) {
		log_error("gcc is not installed (run 'make deps')");
		return -1;
	}
	h = hash_new();
	if (!h) {
		free(cc);
		return -1;
	}
	hash_field(h, "recipe", KERNEL_BUILD_VERSION);
	hash_field(h, "source", b->src.identity);
	hash_field(h, "compiler", cc);
	hash_field(h, "config", b->merged);
	free(cc);
	if (patch_series_hash(&b->series, h) < 0) {
		hash_finish(h, b->key);
		return -1;
	}
	hash_finish(h, b->key);
	return 0;
}

static int read_artifact(const char *dir, const char *key, struct kernel_artifact *a)
{
	char *meta_path = path_join(dir, "artifact.txt"), *meta = NULL, *line, *save;
	int ret = -1;

	if (!meta_path || read_file(meta_path, &meta, NULL) < 0)
		goto out;
	for (line = strtok_r(meta, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "release=", 8))
			a->release = strdup(line + 8);
		else if (!strncmp(line, "source=", 7))
			a->source = strdup(line + 7);
	}
	a->dir = strdup(dir);
	a->key = strdup(key);
	a->bzimage = path_join(dir, "bzImage");
	a->modules = path_join(dir, "modules");
	a->headers = path_join(dir, "headers");
	a->ksft = path_join(dir, "ksft");
	if (a->release && a->source && a->dir && a->key && a->bzimage &&
	    a->modules && a->headers && a->ksft && path_is_file(a->bzimage))
		ret = 0;
out:
	free(meta_path);
	free(meta);
	if (ret)
		kernel_artifact_free(a);
	return ret;
}

static char *artifact_dir(const struct build *b)
{
	return str_printf("%s/kernel/out/%.16s", b->o->cache_dir, b->key);
}

static void print_log_tail(const char *log)
{
	char *text = NULL;

	if (read_file(log, &text, NULL) < 0)
		return;
	fprintf(stderr, "%s\n", proc_tail(text, 20));
	free(text);
}

int kernel_build_make_argv(struct strv *argv, const char *worktree, const char *objdir,
			   const char *jobs, const char *depmod, const char *cc,
			   const char *const *targets)
{
	strv_add(argv, "make");
	strv_addf(argv, "-C%s", worktree);
	strv_addf(argv, "O=%s", objdir);
	strv_add(argv, jobs);
	if (depmod)
		strv_add(argv, depmod);
	if (cc)
		strv_add(argv, cc);
	for (; *targets; targets++)
		strv_add(argv, *targets);
	return argv->err ? -1 : 0;
}

/* make -C worktree O=objdir <targets...> with the build environment. */
static int run_make(struct build *b, const char *what, const char *const *targets)
{
	struct strv argv = { 0 };
	struct proc_spec spec = { .env = (const char *const *)b->env.v, .log_path = b->log };
	int ret;

	if (kernel_build_make_argv(&argv, b->worktree, b->objdir, b->jobs, b->depmod, b->cc,
				   targets) < 0) {
		strv_free(&argv);
		return -1;
	}
	spec.argv = (const char *const *)argv.v;
	ret = proc_run(&spec);
	strv_free(&argv);
	if (ret == PROC_INTERRUPTED) {
		log_error("kernel build interrupted at '%s'", what);
		return -1;
	}
	if (ret != 0) {
		log_error("kernel build failed at '%s' (exit %d); last lines of %s:", what, ret, b->log);
		print_log_tail(b->log);
		return -1;
	}
	return 0;
}

/* The programs make runs by name that daxtest finds itself: the
 * kernel's modules_install runs depmod, which a normal user's PATH
 * does not reach. */
static int setup_tools(struct build *b)
{
	char *ccache = host_tool_find("ccache"), *depmod = host_tool_find("depmod");
	int ret = -1;

	if (!depmod) {
		log_error("depmod is missing: install the Debian package kmod");
		goto out;
	}
	b->depmod = str_printf("DEPMOD=%s", depmod);
	if (ccache)
		b->cc = str_printf("CC=%s gcc", ccache);
	if (b->depmod && (!ccache || b->cc))
		ret = 0;
out:
	free(ccache);
	free(depmod);
	return ret;
}

static int setup_env(struct build *b)
{
	/* The user's own ccache wins. */
	if (getenv("CCACHE_DIR"))
		strv_add(&b->env, "DAXTEST_CCACHE=user");
	else
		strv_addf(&b->env, "CCACHE_DIR=%s/ccache", b->o->cache_dir);
	strv_addf(&b->env, "CCACHE_BASEDIR=%s/kernel", b->o->cache_dir);
	strv_add(&b->env, "CCACHE_NOHASHDIR=1");
	strv_add(&b->env, "KBUILD_BUILD_TIMESTAMP=daxtest");
	strv_add(&b->env, "KBUILD_BUILD_USER=daxtest");
	strv_add(&b->env, "KBUILD_BUILD_HOST=daxtest");
	snprintf(b->jobs, sizeof(b->jobs), "-j%ld", sysconf(_SC_NPROCESSORS_ONLN) + 1);
	if (b->o->jobs)
		snprintf(b->jobs, sizeof(b->jobs), "-j%u", b->o->jobs);
	if (b->env.err)
		return -1;
	return setup_tools(b);
}

/* Removes what the previous build's patches changed, so the sync brings
 * back the source's version and patches apply to a clean tree. */
static int undo_patches(struct build *b, const char *touched_path)
{
	char *text = NULL, *line, *save;

	if (read_file(touched_path, &text, NULL) < 0)
		return 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *p;

		if (strstr(line, ".."))
			continue;
		p = path_join(b->worktree, line);
		if (p)
			unlink(p);
		free(p);
	}
	free(text);
	return unlink(touched_path) < 0 && errno != ENOENT ? -1 : 0;
}

static int prepare_tree(struct build *b)
{
	char *touched = str_printf("%s.patched", b->worktree);
	int ret = -1;

	if (!touched)
		return -1;
	log_info("kernel: [1/5] copying %s into %s", b->src.description, b->worktree);
	if (undo_patches(b, touched) < 0) {
		log_error("cannot undo the previous patches in %s", b->worktree);
		goto out;
	}
	if (kernel_source_fetch(&b->src) < 0 ||
	    kernel_source_sync(&b->src, b->worktree, b->log) < 0)
		goto out;
	log_info("kernel: [2/5] applying %zu patch%s", b->series.nr,
		 b->series.nr == 1 ? "" : "es");
	if (patch_series_apply(&b->series, b->worktree, touched) < 0)
		goto out;
	ret = 0;
out:
	free(touched);
	return ret;
}

static int configure(struct build *b)
{
	const char *tiny[] = { "tinyconfig", NULL };
	const char *olddef[] = { "olddefconfig", NULL };
	struct kconfig have = { 0 };
	char *config_path = path_join(b->objdir, ".config"), *text = NULL;
	size_t len;
	int ret = -1;

	log_info("kernel: [3/5] configuring (tinyconfig + %zu options)", b->want.nr);
	if (!config_path || run_make(b, "tinyconfig", tiny) < 0)
		goto out;
	if (read_file(config_path, &text, &len) < 0)
		goto out;
	{
		char *all = str_printf("%s\n# daxtest fragments\n%s", text, b->merged);

		ret = all ? write_file_atomic(config_path, all, strlen(all), 0644) : -1;
		free(all);
		if (ret < 0)
			goto out;
		ret = -1;
	}
	if (run_make(b, "olddefconfig", olddef) < 0)
		goto out;
	if (kconfig_load(&have, config_path) < 0)
		goto out;
	if (kconfig_verify(&b->want, &have) != 0)
		goto out;
	ret = 0;
out:
	kconfig_free(&have);
	free(config_path);
	free(text);
	return ret;
}

static int build_and_install(struct build *b, const char *stage)
{
	const char *images[] = { "bzImage", "modules", "headers", NULL };
	char *m_arg = str_printf("M=%s/tools/testing/nvdimm", b->worktree);
	char *mod_path = str_printf("INSTALL_MOD_PATH=%s/modules", stage);
	const char *nfit[] = { m_arg, NULL };
	const char *install[] = { mod_path, "INSTALL_MOD_STRIP=1", "modules_install", NULL };
	const char *nfit_install[] = { m_arg, mod_path, "INSTALL_MOD_STRIP=1",
				       "INSTALL_MOD_DIR=" NFIT_TEST_MOD_DIR, "modules_install", NULL };
	int ret = -1;

	if (!m_arg || !mod_path)
		goto out;
	log_info("kernel: [4/5] building bzImage and modules (log: %s)", b->log);
	if (run_make(b, "bzImage modules headers", images) < 0)
		goto out;
	log_info("kernel: [5/5] building tools/testing/nvdimm (nfit_test) and installing");
	if (run_make(b, "M=tools/testing/nvdimm", nfit) < 0 ||
	    run_make(b, "modules_install", install) < 0 ||
	    run_make(b, "nfit_test modules_install", nfit_install) < 0)
		goto out;
	ret = 0;
out:
	free(m_arg);
	free(mod_path);
	return ret;
}

/* Copies a file from the build into the stage directory. */
static int stage_copy(const char *from_dir, const char *rel, const char *stage,
		      const char *name)
{
	char *src = path_join(from_dir, rel), *dst = path_join(stage, name);
	int ret = -1;

	if (src && dst)
		ret = copy_file(src, dst, 0644);
	if (ret < 0)
		log_error("cannot copy %s to %s", src ? src : rel, dst ? dst : name);
	free(src);
	free(dst);
	return ret;
}

/* Runs depmod for the tree <stage>/modules/lib/modules/<version> with one
 * "search" line. */
static int depmod_with(struct build *b, const char *stage, const char *version,
		       const char *search)
{
	char *conf_dir = str_printf("%s/depmod.d", stage), *conf = NULL, *base = NULL;
	const char *argv[] = { "depmod", "-a", "-b", NULL, "-C", NULL, version, NULL };
	char *msg = NULL;
	int ret = -1;

	if (!conf_dir || mkdir_p(conf_dir, 0755) < 0)
		goto out;
	conf = str_printf("%s/daxtest.conf", conf_dir);
	base = str_printf("%s/modules", stage);
	if (!conf || !base || write_file_atomic(conf, search, strlen(search), 0644) < 0)
		goto out;
	argv[3] = base;
	argv[5] = conf_dir;
	if (proc_capture(argv, NULL, &msg) != 0)
		log_error("depmod for %s failed: %s", version, proc_tail(msg, 2));
	else
		ret = 0;
	remove_tree(conf_dir);
out:
	free(msg);
	free(conf);
	free(base);
	free(conf_dir);
	(void)b;
	return ret;
}

/*
 * Two module trees for the guest. /lib/modules/<release>, where the
 * in-tree drivers win over nfit_test's wrapped builds of the same modules
 * ("search built-in nfit_test"): what every test runs on, so the QEMU
 * NVDIMMs are driven by the real libnvdimm, nd_pmem and dax_pmem. And
 * /lib/modules/<release>-nfit_test, the same files through relative links,
 * where the wrapped builds win: "modprobe -S <release>-nfit_test
 * nfit_test" brings up the nfit_test buses (tools/testing/nvdimm), after
 * the in-tree stack was unloaded.
 */
static int module_trees(struct build *b, const char *stage, const char *release)
{
	static const char *const links[] = {
		"kernel", NFIT_TEST_MOD_DIR, "modules.builtin", "modules.builtin.modinfo",
		"modules.order",
	};
	char *alt = str_printf("%s%s", release, NFIT_TEST_RELEASE_SUFFIX);
	char *alt_dir = str_printf("%s/modules/lib/modules/%s", stage, alt ? alt : "");
	size_t i;
	int ret = -1;

	if (!alt || !alt_dir || mkdir_p(alt_dir, 0755) < 0)
		goto out;
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		char *link = path_join(alt_dir, links[i]);
		char *target = str_printf("../%s/%s", release, links[i]);

		if (!link || !target || symlink(target, link) < 0) {
			log_error("cannot link %s: %s", link ? link : links[i], strerror(errno));
			free(link);
			free(target);
			goto out;
		}
		free(link);
		free(target);
	}
	if (depmod_with(b, stage, release, "search built-in " NFIT_TEST_MOD_DIR "\n") < 0 ||
	    depmod_with(b, stage, alt, "search " NFIT_TEST_MOD_DIR " built-in\n") < 0)
		goto out;
	ret = 0;
out:
	free(alt);
	free(alt_dir);
	return ret;
}

static int stage_artifact(struct build *b, const char *stage)
{
	char *hdr_src = path_join(b->objdir, "usr/include");
	char *hdr_dst = str_printf("%s/headers", stage);
	char *ksft_src = path_join(b->worktree, "tools/testing/selftests");
	char *ksft_dst = str_printf("%s/ksft", stage);
	char *release = NULL, *rel_path = path_join(b->objdir, "include/config/kernel.release");
	char *meta = NULL;
	int ret = -1;

	if (!hdr_src || !hdr_dst || !ksft_src || !ksft_dst || !rel_path)
		goto out;
	if (stage_copy(b->objdir, "arch/x86/boot/bzImage", stage, "bzImage") < 0 ||
	    stage_copy(b->objdir, ".config", stage, "config") < 0 ||
	    stage_copy(b->objdir, "System.map", stage, "System.map") < 0 ||
	    mkdir_p(ksft_dst, 0755) < 0 ||
	    stage_copy(ksft_src, "kselftest_harness.h", ksft_dst, "kselftest_harness.h") < 0 ||
	    stage_copy(ksft_src, "kselftest.h", ksft_dst, "kselftest.h") < 0)
		goto out;
	{
		const char *argv[] = { "cp", "-a", hdr_src, hdr_dst, NULL };
		char *msg = NULL;

		if (mkdir_p(hdr_dst, 0755) < 0 || remove_tree(hdr_dst) < 0 ||
		    proc_capture(argv, NULL, &msg) != 0) {
			log_error("cannot copy the uapi headers: %s", proc_tail(msg, 1));
			free(msg);
			goto out;
		}
		free(msg);
	}
	if (read_file(rel_path, &release, NULL) < 0) {
		log_error("the build left no %s", rel_path);
		goto out;
	}
	str_rstrip(release);
	if (module_trees(b, stage, release) < 0)
		goto out;
	meta = str_printf("key=%s\nrelease=%s\nsource=%s%s%zu patches\n", b->key, release,
			  b->src.description, " + ", b->series.nr);
	if (!meta)
		goto out;
	{
		char *meta_path = path_join(stage, "artifact.txt");

		ret = meta_path ? write_file_atomic(meta_path, meta, strlen(meta), 0644) : -1;
		free(meta_path);
	}
out:
	free(hdr_src);
	free(hdr_dst);
	free(ksft_src);
	free(ksft_dst);
	free(rel_path);
	free(release);
	free(meta);
	return ret;
}

static int do_build(struct build *b, const char *final_dir)
{
	char *stage = str_printf("%s.tmp.%d", final_dir, (int)getpid());
	time_t start = time(NULL);
	int ret = -1;

	if (!stage || mkdir_p(b->loc_dir, 0755) < 0 || mkdir_p(b->objdir, 0755) < 0 ||
	    mkdir_p(stage, 0755) < 0) {
		log_error("cannot create the kernel build directories under %s: %s",
			  b->loc_dir, strerror(errno));
		goto out;
	}
	if (truncate(b->log, 0) < 0 && errno != ENOENT)
		goto out;
	if (prepare_tree(b) < 0 || configure(b) < 0 || build_and_install(b, stage) < 0 ||
	    stage_artifact(b, stage) < 0)
		goto out;
	if (rename(stage, final_dir) < 0) {
		log_error("cannot move %s to %s: %s", stage, final_dir, strerror(errno));
		goto out;
	}
	log_info("kernel: built in %lds", (long)(time(NULL) - start));
	ret = 0;
out:
	if (stage)
		remove_tree(stage);
	free(stage);
	return ret;
}

static int build_paths(struct build *b)
{
	b->loc_dir = str_printf("%s/kernel/%s", b->o->cache_dir, b->src.location);
	b->worktree = str_printf("%s/kernel/%s/src", b->o->cache_dir, b->src.location);
	b->objdir = str_printf("%s/kernel/%s/build", b->o->cache_dir, b->src.location);
	b->log = str_printf("%s/kernel/%s/build.log", b->o->cache_dir, b->src.location);
	return b->loc_dir && b->worktree && b->objdir && b->log ? 0 : -1;
}

static void build_free(struct build *b)
{
	kernel_source_free(&b->src);
	patch_series_free(&b->series);
	kconfig_free(&b->want);
	free(b->merged);
	free(b->loc_dir);
	free(b->worktree);
	free(b->objdir);
	free(b->log);
	free(b->cc);
	free(b->depmod);
	strv_free(&b->env);
}

int kernel_build(const struct kernel_build_opts *o, struct kernel_artifact *a)
{
	struct build b = { .o = o };
	char *final_dir = NULL, *lock_path = NULL;
	int lock = -1, ret = -1;

	memset(a, 0, sizeof(*a));
	if (kernel_source_resolve(o->ksrc, o->kernel, o->cache_dir, &b.src) < 0 ||
	    collect_series(&b) < 0 || collect_config(&b) < 0 || compute_key(&b) < 0 ||
	    build_paths(&b) < 0 || setup_env(&b) < 0)
		goto out;
	log_info("kernel: %s, %zu patch%s, key %.16s", b.src.description, b.series.nr,
		 b.series.nr == 1 ? "" : "es", b.key);
	final_dir = artifact_dir(&b);
	lock_path = str_printf("%s/kernel/%s.lock", o->cache_dir, b.src.location);
	if (!final_dir || !lock_path)
		goto out;
	if (!o->rebuild && read_artifact(final_dir, b.key, a) == 0) {
		a->cached = true;
		log_info("kernel: cached %s (%s), nothing to build", a->release, final_dir);
		ret = 0;
		goto out;
	}
	if (mkdir_p(b.o->cache_dir, 0755) < 0 ||
	    mkdir_p(b.loc_dir, 0755) < 0)
		goto out;
	lock = cache_lock(lock_path, "kernel build directory");
	if (lock < 0)
		goto out;
	/* Another run may have built it while we waited. */
	if (!o->rebuild && read_artifact(final_dir, b.key, a) == 0) {
		a->cached = true;
		ret = 0;
		goto out;
	}
	if (o->rebuild)
		remove_tree(final_dir);
	if (do_build(&b, final_dir) < 0 || read_artifact(final_dir, b.key, a) < 0)
		goto out;
	ret = 0;
out:
	if (!ret && patch_fixes_load(&a->fixes, &b.series) < 0)
		ret = -1;
	cache_unlock(lock);
	free(final_dir);
	free(lock_path);
	build_free(&b);
	return ret;
}

void kernel_artifact_free(struct kernel_artifact *a)
{
	free(a->dir);
	free(a->key);
	free(a->release);
	free(a->source);
	free(a->bzimage);
	free(a->modules);
	free(a->headers);
	free(a->ksft);
	patch_fixes_free(&a->fixes);
	memset(a, 0, sizeof(*a));
}
