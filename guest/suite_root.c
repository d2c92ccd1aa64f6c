// SPDX-License-Identifier: GPL-2.0
/*
 * suite_root.c - the root a peer suite's test runs in (daxtest-suite)
 *
 * The agent's binary is also DAXTEST_SUITE_RUNNER (a link to /init in the
 * image). The agent runs a peer suite's test (ndctl's test suite,
 * fstests) as "daxtest-suite -r <script>", like any test, with its
 * environment, timeout and output capture. This makes, once per guest,
 * /suite: the host's /usr, /etc and the top-level links to them
 * (read-only, from the 9p share DAXTEST_HOST_SHARE_TAG mounted at /host),
 * the host paths of DAXTEST_SUITE_BINDS_ENV at the same paths (writable,
 * through an overlay whose changes the guest's end discards), the
 * guest's own /dev, /proc and /sys, tmpfs for /tmp, /var, /run, /mnt and
 * /root, and the guest's kernel modules (below), then chroots into it and
 * executes "/bin/bash <script>".
 *
 * /lib is the root's own directory: a link to each entry of the host's
 * /lib (bound at /.host-lib) but "modules", which is the guest's: kmod
 * looks in /lib/modules, and the host may have no /usr/lib/modules to
 * mount on (a container). /lib/modules/<release> there is the guest's
 * <release>-nfit_test tree (harness/build/kernel_build.c), where
 * tools/testing/nvdimm's wrapped builds in extra/ win over the in-tree
 * drivers, since ndctl's tests load nfit_test through libkmod and check
 * that its modules come from extra/. Its links "../<release>/X" point into
 * the guest's tree, bound at <release>.tree.
 *
 * What the setup mounts stays for the guest's later tests: it happens
 * once (SUITE_READY), and the agent's check for leftovers looks below
 * /tmp only.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "proto/agent_proto.h"
#include "suite_root.h"

#define HOST_DIR	"/host"
#define ROOT_DIR	"/suite"
#define SUITE_READY	"/run/daxtest-suite.ready"
#define SUITE_PATH	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define NINEP_OPTS	"trans=virtio,version=9p2000.L,cache=loose,msize=262144"

/* The host's top-level entries the root shows: a directory is bound, a
 * link (merged /usr) is copied. */
static const char *const host_entries[] = {
	"usr", "etc", "opt", "bin", "sbin", "lib32", "lib64", "libx32",
};

/* The root's own writable directories. */
static const char *const tmpfs_dirs[] = { "tmp", "var", "run", "mnt", "root", "home" };

static void die(const char *what, const char *path)
{
	fprintf(stderr, "daxtest-suite: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void root_path(char *buf, size_t len, const char *rel)
{
	if ((size_t)snprintf(buf, len, ROOT_DIR "/%s", rel) >= len) {
		errno = ENAMETOOLONG;
		die("path too long:", rel);
	}
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("cannot create", path);
}

/* mkdir -p, for a bind's mount point. */
static void make_dirs(const char *path)
{
	char buf[PATH_MAX], *p;

	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		die("cannot create", path);
	}
	strcpy(buf, path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		make_dir(buf);
		*p = '/';
	}
	make_dir(buf);
}

static void bind(const char *from, const char *to)
{
	if (mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("cannot bind-mount onto", to);
}

static void mount_tmpfs(const char *to, const char *mode)
{
	if (mount("tmpfs", to, "tmpfs", MS_NOSUID | MS_NODEV, mode) < 0)
		die("cannot mount a tmpfs on", to);
}

static void mount_host(void)
{
	make_dir(HOST_DIR);
	if (mount(DAXTEST_HOST_SHARE_TAG, HOST_DIR, "9p", MS_RDONLY, NINEP_OPTS) < 0) {
		fprintf(stderr, "daxtest-suite: cannot mount the host's tree (9p tag %s): %s: "
			"the guest was started without it, or the kernel lacks CONFIG_9P_FS and CONFIG_NET_9P_VIRTIO\n",
			DAXTEST_HOST_SHARE_TAG, strerror(errno));
		exit(1);
	}
}

/*
 * The host's path at the same place in the root, writable: an overlay
 * with the read-only 9p tree below and a tmpfs above (the suites write
 * next to themselves: ndctl's tests make their mount points in the build
 * directory, fstests writes into its tree). Without overlayfs in the
 * kernel, a read-only bind.
 */
static void writable_bind(const char *host, const char *root, unsigned int n)
{
	char upper[64], work[64], opts[2 * PATH_MAX + 128];

	snprintf(upper, sizeof(upper), "/run/daxtest-suite/%u/upper", n);
	snprintf(work, sizeof(work), "/run/daxtest-suite/%u/work", n);
	make_dirs(upper);
	make_dirs(work);
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", host, upper, work);
	if (mount("overlay", root, "overlay", 0, opts) == 0)
		return;
	fprintf(stderr, "daxtest-suite: no overlay on %s (%s): the suite cannot write there\n",
		root, strerror(errno));
	bind(host, root);
}

static void add_host_entries(void)
{
	char host[PATH_MAX], root[PATH_MAX], target[PATH_MAX];
	unsigned int layer = 100;	/* overlay directories apart from add_binds()' */
	struct stat st;
	size_t i;
	ssize_t n;

	for (i = 0; i < sizeof(host_entries) / sizeof(host_entries[0]); i++) {
		snprintf(host, sizeof(host), HOST_DIR "/%s", host_entries[i]);
		root_path(root, sizeof(root), host_entries[i]);
		if (lstat(host, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(host, target, sizeof(target) - 1);
			if (n < 0)
				die("cannot read the link", host);
			target[n] = '\0';
			if (symlink(target, root) < 0 && errno != EEXIST)
				die("cannot create the link", root);
		} else if (S_ISDIR(st.st_mode) && !strcmp(host_entries[i], "etc")) {
			/* ndctl's security tests write their keys there */
			make_dir(root);
			writable_bind(host, root, layer++);
		} else if (S_ISDIR(st.st_mode)) {
			make_dir(root);
			bind(host, root);
		}
	}
}

/* A link in the guest's /dev (the root binds it), unless it is there. */
static void dev_link(const char *target, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/dev/%s", name);
	if (symlink(target, path) < 0 && errno != EEXIST)
		die("cannot create the link", path);
}

/* The host's /etc/modprobe.d would blacklist or configure the guest's
 * modules (ndctl's tests load them through libkmod, which reads it). */
static void hide_host_modprobe_conf(void)
{
	char root[PATH_MAX];

	root_path(root, sizeof(root), "etc/modprobe.d");
	if (access(root, F_OK) == 0)
		mount_tmpfs(root, "mode=0755");
}

static void add_guest_dirs(void)
{
	char root[PATH_MAX];
	size_t i;

	root_path(root, sizeof(root), "dev");
	make_dir(root);
	bind("/dev", root);
	/* What udev would add: bash's process substitution opens
	 * /dev/fd/N (ndctl's dax.sh). */
	dev_link("/proc/self/fd", "fd");
	dev_link("/proc/self/fd/0", "stdin");
	dev_link("/proc/self/fd/1", "stdout");
	dev_link("/proc/self/fd/2", "stderr");
	/* POSIX semaphores and shared memory (sem_open(): fstests'
	 * t_mmap_cow_memory_failure) live in /dev/shm. */
	root_path(root, sizeof(root), "dev/shm");
	make_dir(root);
	mount_tmpfs(root, "mode=1777");
	root_path(root, sizeof(root), "sys");
	make_dir(root);
	bind("/sys", root);
	root_path(root, sizeof(root), "proc");
	make_dir(root);
	if (mount("proc", root, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("cannot mount proc on", root);
	for (i = 0; i < sizeof(tmpfs_dirs) / sizeof(tmpfs_dirs[0]); i++) {
		root_path(root, sizeof(root), tmpfs_dirs[i]);
		make_dir(root);
		mount_tmpfs(root, !strcmp(tmpfs_dirs[i], "tmp") ? "mode=1777" : "mode=0755");
	}
	root_path(root, sizeof(root), "var/tmp");
	make_dir(root);
	chmod(root, 01777);
	root_path(root, sizeof(root), "var/lib");
	make_dir(root);
	root_path(root, sizeof(root), "var/log");
	make_dir(root);
}

/* Each ':'-separated host path of the plan's DAXTEST_SUITE_BINDS_ENV. */
static void add_binds(void)
{
	const char *list = getenv(DAXTEST_SUITE_BINDS_ENV);
	char buf[4096], host[PATH_MAX], root[PATH_MAX], *save = NULL, *p;
	unsigned int n = 0;

	if (!list || !*list)
		return;
	if (strlen(list) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		die("too long:", DAXTEST_SUITE_BINDS_ENV);
	}
	strcpy(buf, list);
	for (p = strtok_r(buf, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		if (p[0] != '/') {
			errno = EINVAL;
			die("not an absolute path in " DAXTEST_SUITE_BINDS_ENV ":", p);
		}
		snprintf(host, sizeof(host), HOST_DIR "%s", p);
		root_path(root, sizeof(root), p + 1);
		make_dirs(root);
		writable_bind(host, root, n++);
	}
}

/* Copies a small file (modules.dep and friends) into the root's tmpfs. */
static void copy_small(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		die("cannot open", from);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		die("cannot create", to);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("cannot write", to);
	if (n < 0)
		die("cannot read", from);
	close(in);
	close(out);
}

/* /lib: links to the host's /lib, but its own modules directory. */
static void add_lib(void)
{
	char hostlib[PATH_MAX], lib[PATH_MAX], link[PATH_MAX + 256], target[PATH_MAX];
	struct dirent *d;
	DIR *dir;

	root_path(hostlib, sizeof(hostlib), ".host-lib");
	root_path(lib, sizeof(lib), "lib");
	make_dir(hostlib);
	bind(HOST_DIR "/lib", hostlib);
	make_dir(lib);
	dir = opendir(hostlib);
	if (!dir)
		die("cannot read", hostlib);
	while ((d = readdir(dir))) {
		/* the guest's modules, and none of the host's modprobe
		 * configuration (blacklists, options, install lines) */
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    !strcmp(d->d_name, "modules") || !strcmp(d->d_name, "modprobe.d"))
			continue;
		snprintf(link, sizeof(link), "%s/%s", lib, d->d_name);
		snprintf(target, sizeof(target), "/.host-lib/%.200s", d->d_name);
		if (symlink(target, link) < 0)
			die("cannot create the link", link);
	}
	closedir(dir);
}

static void add_modules(void)
{
	char mods[PATH_MAX], tree[PATH_MAX + 128], top[PATH_MAX + 128], alt[PATH_MAX];
	char from[PATH_MAX + 384], to[PATH_MAX + 384];
	struct utsname u;
	struct dirent *d;
	DIR *dir;

	if (uname(&u) < 0)
		die("uname", "");
	root_path(mods, sizeof(mods), "lib/modules");
	make_dir(mods);
	snprintf(tree, sizeof(tree), "%s/%s.tree", mods, u.release);
	snprintf(from, sizeof(from), "/lib/modules/%s", u.release);
	make_dir(tree);
	bind(from, tree);
	snprintf(top, sizeof(top), "%s/%s", mods, u.release);
	snprintf(alt, sizeof(alt), "/lib/modules/%s-nfit_test", u.release);
	if (access(alt, F_OK) < 0) {
		/* No nfit_test tree: the guest's own, as it is. */
		snprintf(to, sizeof(to), "%s.tree", u.release);
		if (symlink(to, top) < 0)
			die("cannot create the link", top);
		return;
	}
	make_dir(top);
	dir = opendir(alt);
	if (!dir)
		die("cannot read", alt);
	while ((d = readdir(dir))) {
		struct stat st;

		if (d->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", alt, d->d_name);
		snprintf(to, sizeof(to), "%s/%s", top, d->d_name);
		if (lstat(from, &st) < 0)
			die("cannot stat", from);
		if (S_ISREG(st.st_mode)) {
			copy_small(from, to);
			continue;
		}
		if (!S_ISLNK(st.st_mode))
			continue;
		/* "../<release>/X" becomes "../<release>.tree/X". */
		snprintf(from, sizeof(from), "../%s.tree/%s", u.release, d->d_name);
		if (symlink(from, to) < 0)
			die("cannot create the link", to);
	}
	closedir(dir);
}

static void setup_root(void)
{
	int fd;

	if (access(SUITE_READY, F_OK) == 0)
		return;
	mount_host();
	make_dir(ROOT_DIR);
	mount_tmpfs(ROOT_DIR, "mode=0755");
	add_host_entries();
	hide_host_modprobe_conf();
	add_guest_dirs();
	add_binds();
	add_lib();
	add_modules();
	fd = open(SUITE_READY, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot create", SUITE_READY);
	close(fd);
}

int suite_root_main(int argc, char **argv)
{
	const char *script;

	if (argc != 3 || strcmp(argv[1], "-r") || argv[2][0] != '/') {
		fprintf(stderr, "usage: daxtest-suite -r /path/to/case-script\n");
		return 2;
	}
	script = argv[2];
	setup_root();
	if (chroot(ROOT_DIR) < 0)
		die("cannot chroot to", ROOT_DIR);
	if (chdir("/") < 0)
		die("cannot enter", "/");
	setenv("PATH", SUITE_PATH, 1);
	execl("/bin/bash", "bash", script, (char *)NULL);
	die("cannot run /bin/bash in the host's tree for", script);
	return 1;
}
