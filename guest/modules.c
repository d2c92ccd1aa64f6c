// SPDX-License-Identifier: GPL-2.0
/*
 * modules.c - load the kernel modules the tests need
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "modules.h"
#include "spawn.h"
#include "util.h"

#define MODULES_MAX		32
#define MODPROBE		"/sbin/modprobe"
#define MODPROBE_TIMEOUT_MS	60000

static const char *const base_modules[] = { "nfit", "nd_pmem", "dax_pmem" };

static bool module_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= 64)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!(c == '_' || c == '-' || (c >= '0' && c <= '9') ||
		      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
	}
	return true;
}

/* Adds the comma-separated names of list (len bytes, quotes stripped). */
static int add_names(const char *list, size_t len, char names[][64], size_t max,
		     size_t *nr, char *err, size_t errlen)
{
	while (len) {
		const char *comma = memchr(list, ',', len);
		size_t n = comma ? (size_t)(comma - list) : len;

		if (!module_name_ok(list, n)) {
			snprintf(err, errlen, "bad module name \"%.*s\" in " MODULES_PARAM,
				 (int)(n < 64 ? n : 64), list);
			return -1;
		}
		if (*nr == max) {
			snprintf(err, errlen, "more than %zu modules in " MODULES_PARAM, max);
			return -1;
		}
		memcpy(names[*nr], list, n);
		names[(*nr)++][n] = '\0';
		list += comma ? n + 1 : n;
		len -= comma ? n + 1 : n;
	}
	return 0;
}

/* The end of the word at s: the next blank outside double quotes. */
static const char *word_end(const char *s)
{
	bool quoted = false;

	for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++)
		if (*s == '"')
			quoted = !quoted;
	return s;
}

int modules_from_cmdline(const char *cmdline, char names[][64], size_t max,
			 char *err, size_t errlen)
{
	size_t plen = strlen(MODULES_PARAM), nr = 0;
	const char *s = cmdline;

	while (*s) {
		const char *end;

		s += strspn(s, " \t\n");
		end = word_end(s);
		if ((size_t)(end - s) >= plen && !strncmp(s, MODULES_PARAM, plen)) {
			const char *v = s + plen;
			size_t len = end - v;

			if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
				v++;
				len -= 2;
			}
			if (add_names(v, len, names, max, &nr, err, errlen) < 0)
				return -1;
		}
		s = end;
	}
	return nr;
}

/* One "modprobe -a" for every module: each kmod start-up (and its read
 * of modules.dep.bin) costs tens of milliseconds under TCG. */
static int modprobe_all(char names[][64], size_t nr, char *const envp[], char *err,
			size_t errlen)
{
	char *argv[MODULES_MAX + 3] = { MODPROBE, "-a" };
	struct spawn_result r;
	char how[600];
	size_t i;
	int ret = -1;

	for (i = 0; i < nr && i < MODULES_MAX; i++)
		argv[i + 2] = names[i];
	argv[i + 2] = NULL;
	if (spawn_capture(argv, envp, MODPROBE_TIMEOUT_MS, &r) < 0) {
		snprintf(err, errlen, "cannot run " MODPROBE ": %s", strerror(errno));
		goto out;
	}
	if (!spawn_ok(&r)) {
		spawn_describe(&r, how, sizeof(how));
		snprintf(err, errlen, "modprobe -a%s%s failed (%s)", nr ? " " : "",
			 names[0], how);
		goto out;
	}
	ret = 0;
out:
	spawn_result_free(&r);
	return ret;
}

int modules_load(struct port *p, char *const envp[], char *err, size_t errlen)
{
	char names[MODULES_MAX][64], cmdline[4096], loaded[1024] = "";
	long start = mono_ms();
	size_t i, nr = 0;
	int extra;

	if (read_text_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0) {
		snprintf(err, errlen, "cannot read /proc/cmdline");
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(base_modules); i++)
		snprintf(names[nr++], sizeof(names[0]), "%s", base_modules[i]);
	extra = modules_from_cmdline(cmdline, names + nr, MODULES_MAX - nr, err, errlen);
	if (extra < 0)
		return -1;
	nr += extra;
	if (modprobe_all(names, nr, envp, err, errlen) < 0)
		return -1;
	for (i = 0; i < nr; i++) {
		size_t used = strlen(loaded);

		snprintf(loaded + used, sizeof(loaded) - used, " %s", names[i]);
	}
	port_log(p, "loaded modules%s in %ld ms", loaded, mono_ms() - start);
	if (p->broken) {
		snprintf(err, errlen, "the result port failed");
		return -1;
	}
	return 0;
}

int modules_probe(const char *name, char *const envp[], char *err, size_t errlen)
{
	char names[1][64];

	snprintf(names[0], sizeof(names[0]), "%s", name);
	return modprobe_all(names, 1, envp, err, errlen);
}
