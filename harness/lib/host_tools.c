// SPDX-License-Identifier: GPL-2.0
/*
 * host_tools.c - find the host programs daxtest runs, name the missing ones
 */
#include <errno.h>
#include <paths.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "lib/host_tools.h"
#include "lib/log.h"

/* Every program daxtest starts, and the files a build cannot do without
 * that no program run stands for. Keep the packages in scripts/deps.sh
 * (make unit checks it). */
static const struct host_tool host_tools[] = {
	{ "dpkg-query", "dpkg", STAGE_SOURCE },
	{ "tar", "tar", STAGE_SOURCE },
	{ "xz", "xz-utils", STAGE_SOURCE },
	{ "rsync", "rsync", STAGE_SOURCE },
	{ "patch", "patch", STAGE_SOURCE },
	{ "git", "git", STAGE_SOURCE },
	{ "make", "make", STAGE_KERNEL | STAGE_TESTS },
	{ "gcc", "gcc", STAGE_KERNEL | STAGE_TESTS },
	{ "ld", "binutils", STAGE_KERNEL },
	{ "flex", "flex", STAGE_KERNEL },
	{ "bison", "bison", STAGE_KERNEL },
	{ "bc", "bc", STAGE_KERNEL },
	{ "perl", "perl-base", STAGE_KERNEL },
	{ "/usr/include/gelf.h", "libelf-dev", STAGE_KERNEL },
	{ "depmod", "kmod", STAGE_KERNEL },
	{ "cp", "coreutils", STAGE_KERNEL },
	{ "ccache", "ccache", 0 },
	{ "ldd", "libc-bin", STAGE_IMAGE },
	{ "lz4", "lz4", STAGE_IMAGE },
	{ "qemu-system-x86_64", "qemu-system-x86", STAGE_GUEST },
};

#define NR_HOST_TOOLS (sizeof(host_tools) / sizeof(host_tools[0]))

static const char *const sbin_dirs[] = { "/usr/local/sbin", "/usr/sbin", "/sbin", NULL };

static char *find_in_dirs(const char *name, const char *dirs)
{
	char *copy = strdup(dirs), *dir, *save = NULL, *found = NULL;

	if (!copy)
		return NULL;
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p;

		/* An empty or relative entry would make the answer depend on
		 * the current directory. */
		if (*dir != '/')
			continue;
		p = path_join(dir, name);
		if (p && path_is_executable(p))
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

char *host_tool_find_in(const char *name, const char *path_env,
			const char *const *fallback)
{
	const char *const *d;
	char *found;

	if (!*name)
		goto none;
	if (strchr(name, '/')) {
		if (path_is_executable(name))
			return strdup(name);
		goto none;
	}
	found = find_in_dirs(name, path_env ? path_env : _PATH_DEFPATH);
	if (found)
		return found;
	for (d = fallback ? fallback : sbin_dirs; *d; d++) {
		found = find_in_dirs(name, *d);
		if (found)
			return found;
	}
none:
	errno = ENOENT;
	return NULL;
}

char *host_tool_find(const char *name)
{
	return host_tool_find_in(name, getenv("PATH"), NULL);
}

const struct host_tool *host_tools_table(size_t *nr)
{
	*nr = NR_HOST_TOOLS;
	return host_tools;
}

const char *host_tool_package(const char *name)
{
	size_t i;

	for (i = 0; i < NR_HOST_TOOLS; i++)
		if (!strcmp(host_tools[i].name, name))
			return host_tools[i].package;
	return NULL;
}

static bool tool_present(const struct host_tool *t)
{
	char *path;

	if (t->name[0] == '/')
		return access(t->name, R_OK) == 0;
	path = host_tool_find(t->name);
	free(path);
	return path != NULL;
}

int host_tools_missing(unsigned int stages, struct host_missing *m)
{
	size_t i;

	for (i = 0; i < NR_HOST_TOOLS; i++)
		if ((host_tools[i].stages & stages) && !tool_present(&host_tools[i]))
			host_missing_add(m, host_tools[i].name, host_tools[i].package);
	return m->what.err || m->packages.err ? -1 : 0;
}

void host_missing_add(struct host_missing *m, const char *what, const char *package)
{
	size_t i;

	if (!package) {
		strv_add(&m->what, what);
		return;
	}
	strv_addf(&m->what, "%s (%s)", what, package);
	for (i = 0; i < m->packages.n; i++)
		if (!strcmp(m->packages.v[i], package))
			return;
	strv_add(&m->packages, package);
}

static char *join(const struct strv *s, const char *sep)
{
	size_t i, len = 1;
	char *out;

	for (i = 0; i < s->n; i++)
		len += strlen(s->v[i]) + strlen(sep);
	out = malloc(len);
	if (!out)
		return NULL;
	*out = '\0';
	for (i = 0; i < s->n; i++) {
		if (i)
			strcat(out, sep);
		strcat(out, s->v[i]);
	}
	return out;
}

int host_missing_report(const struct host_missing *m)
{
	char *what, *packages;

	if (!m->what.n)
		return 0;
	what = join(&m->what, ", ");
	packages = join(&m->packages, " ");
	if (!what || !packages)
		log_error("missing host programs or files (and out of memory)");
	else if (m->packages.n)
		log_error("missing on this host: %s; install with 'sudo make deps' or "
			  "'sudo apt-get install %s'", what, packages);
	else
		log_error("missing on this host: %s", what);
	free(what);
	free(packages);
	return -1;
}

void host_missing_free(struct host_missing *m)
{
	strv_free(&m->what);
	strv_free(&m->packages);
}
