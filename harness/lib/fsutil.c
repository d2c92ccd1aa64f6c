// SPDX-License-Identifier: GPL-2.0
/*
 * fsutil.c - paths, whole-file reads and atomic writes, rm -rf
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fsutil.h"
#include "plugin/shadow_file.h"

char *str_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

void str_set(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la && a[la - 1] == '/')
		return str_printf("%s%s", a, b);
	return str_printf("%s/%s", a, b);
}

int mkdir_p(const char *path, mode_t mode)
{
	char *copy, *p;
	int ret = 0;

	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(copy, mode) < 0 && errno != EEXIST) {
			ret = -errno;
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	if (!ret && !path_is_dir(path))
		ret = -ENOTDIR;
	return ret;
}

bool path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool path_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool path_is_executable(const char *path)
{
	return path_is_file(path) && access(path, X_OK) == 0;
}

int read_file(const char *path, char **data, size_t *len)
{
	size_t cap = 0, used = 0;
	char *buf = NULL, *p;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (used + 4097 > cap) {
			cap = cap ? cap * 2 : 8192;
			p = realloc(buf, cap);
			if (!p) {
				ret = -ENOMEM;
				goto out;
			}
			buf = p;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		used += n;
	}
	buf[used] = '\0';
	*data = buf;
	if (len)
		*len = used;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return ret;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		data += n;
		len -= n;
	}
	return 0;
}

int write_file_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp;
	int fd, ret;

	tmp = str_printf("%s.tmp.%d", path, (int)getpid());
	if (!tmp)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = write_all(fd, data, len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	return ret;
}

int copy_file(const char *src, const char *dst, mode_t mode)
{
	char *data;
	size_t len;
	int ret;

	ret = read_file(src, &data, &len);
	if (ret)
		return ret;
	ret = write_file_atomic(dst, data, len, mode);
	free(data);
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	if (flag == FTW_DP)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

int remove_tree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) < 0)
		return -errno;
	return 0;
}

char *str_rstrip(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' ||
		     s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* A name for a temporary file next to path that no other thread or
 * process of daxtest picks at the same time. */
static char *temp_name(const char *path)
{
	static atomic_uint seq;

	return str_printf("%s.tmp-%d-%u", path, (int)getpid(), atomic_fetch_add(&seq, 1));
}

int copy_sparse(const char *src, const char *dst, mode_t mode)
{
	char *tmp = temp_name(dst);
	int in = -1, out = -1, ret;
	struct stat st;

	if (!tmp)
		return -ENOMEM;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		goto out;
	}
	/* O_EXCL: a new inode, never one a process may still map. */
	out = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		ret = -errno;
		goto out;
	}
	if (shadow_file_copy(in, out, (uint64_t)st.st_size) < 0) {
		ret = -errno;
		goto out_unlink;
	}
	ret = close(out) < 0 ? -errno : 0;
	out = -1;
	if (!ret && rename(tmp, dst) < 0)
		ret = -errno;
	if (!ret)
		goto out;
out_unlink:
	unlink(tmp);
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	free(tmp);
	return ret;
}
