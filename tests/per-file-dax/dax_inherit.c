// SPDX-License-Identifier: GPL-2.0
/*
 * dax_inherit - FS_XFLAG_DAX is inherited from the parent directory at creation only
 *
 * Behaviour A5 of the daxtest spec (generic/607, the examples A-C of
 * Documentation/filesystems/dax.rst). New files and directories take the
 * parent's flag when they are created (XFS: xfs_inode_inherit_flags2(),
 * fs/xfs/libxfs/xfs_inode_util.c:225-226; ext4: EXT4_FL_INHERITED,
 * fs/ext4/ext4.h:532-537, applied in __ext4_new_inode(),
 * fs/ext4/ialloc.c:1267-1268). Existing children never change: not when
 * the parent's flag changes, not when they are renamed; a copy is a new
 * file and takes its new parent's flag. This is the stored flag, so it
 * holds on every mount mode and device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ksft_compat.h"
#include "fsdax_fixture.h"

#define FILE_SIZE	8192

struct flag_case {
	const char *path;
	bool flag;		/* expected FS_XFLAG_DAX */
};

#define INHERIT_RULE(v) ((v)->fs == DAX_FS_XFS ? \
	"xfs_inode_inherit_flags2(), fs/xfs/libxfs/xfs_inode_util.c:225-226" : \
	"EXT4_FL_INHERITED, fs/ext4/ext4.h:532-537 and fs/ext4/ialloc.c:1267-1268")

static void check_flags(struct __test_metadata *_metadata,
			const FIXTURE_VARIANT(fsdax) *variant, int root,
			const char *scenario, const struct flag_case *cases,
			size_t nr)
{
	size_t i;
	int ret;

	for (i = 0; i < nr; i++) {
		ret = dax_xflag_get_at(root, cases[i].path);
		EXPECT_EQ(cases[i].flag, ret)
			TH_LOG(FSDAX_CELL_FMT ": %s: \"%s\" has FS_XFLAG_DAX=%d, expected %d (%s)",
			       FSDAX_CELL(variant), scenario, cases[i].path, ret,
			       cases[i].flag, INHERIT_RULE(variant));
	}
}

#define CHECK_FLAGS(scenario, cases) \
	check_flags(_metadata, variant, self->root, scenario, cases, \
		    ARRAY_SIZE(cases))

/* Copies dirfd/from to dirfd/to (a new file), as cp(1) without attributes does. */
static int copy_file(int dirfd, const char *from, const char *to)
{
	char buf[4096];
	int in, out, ret = 0;
	ssize_t n;

	in = openat(dirfd, from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = openat(dirfd, to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = -errno;
		goto close_in;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			ret = -EIO;
			goto close_out;
		}
	}
	if (n < 0)
		ret = -errno;
close_out:
	if (close(out) && !ret)
		ret = -errno;
close_in:
	close(in);
	return ret;
}

/* A5: files and directories created in a +x directory get FS_XFLAG_DAX; in a -x one they do not */
TEST_F(fsdax, new_children_inherit)
{
	static const struct flag_case cases[] = {
		{ "x/file", true }, { "x/dir", true },
		{ "nox/file", false }, { "nox/dir", false },
	};

	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox", false));
	ASSERT_EQ(0, dax_create_file(self->root, "x/file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_mkdir(self->root, "x/dir", false));
	ASSERT_EQ(0, dax_create_file(self->root, "nox/file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox/dir", false));
	CHECK_FLAGS("created in a +x / -x directory", cases);
}

/* A5: dax.rst example A: setting the flag on a directory leaves its existing subtree alone */
TEST_F(fsdax, dax_rst_example_a)
{
	static const struct flag_case cases[] = {
		{ "a", true }, { "a/e", true },
		{ "a/b", false }, { "a/b/c", false }, { "a/b/c/d", false },
	};

	/* mkdir -p a/b/c; xfs_io -c 'chattr +x' a; mkdir a/b/c/d; mkdir a/e */
	ASSERT_EQ(0, dax_mkdir(self->root, "a", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b/c", false));
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "a", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b/c/d", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/e", false));
	CHECK_FLAGS("dax.rst example A (dax: a,e; no dax: b,c,d)", cases);
}

/* A5: dax.rst example B: a tree created under a +x directory inherits at every level */
TEST_F(fsdax, dax_rst_example_b)
{
	static const struct flag_case cases[] = {
		{ "a", true }, { "a/b", true }, { "a/b/c", true },
		{ "a/b/c/d", true }, { "a/b/c/d/file", true },
	};

	/* mkdir a; xfs_io -c 'chattr +x' a; mkdir -p a/b/c/d */
	ASSERT_EQ(0, dax_mkdir(self->root, "a", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b/c", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b/c/d", false));
	ASSERT_EQ(0, dax_create_file(self->root, "a/b/c/d/file", 'a', FILE_SIZE));
	CHECK_FLAGS("dax.rst example B (dax: a,b,c,d)", cases);
}

/* A5: dax.rst example C: the flag on a leaf directory passes down, never up */
TEST_F(fsdax, dax_rst_example_c)
{
	static const struct flag_case cases[] = {
		{ "a", false }, { "a/b", false },
		{ "a/b/c", true }, { "a/b/c/d", true },
	};

	/* mkdir -p a/b/c; xfs_io -c 'chattr +x' c; mkdir a/b/c/d */
	ASSERT_EQ(0, dax_mkdir(self->root, "a", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b", false));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b/c", false));
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "a/b/c", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "a/b/c/d", false));
	CHECK_FLAGS("dax.rst example C (dax: c,d; no dax: a,b)", cases);
}

/* A5: clearing the parent's flag leaves existing children +x; only new children lose it */
TEST_F(fsdax, clearing_parent_keeps_children)
{
	static const struct flag_case cases[] = {
		{ "x", false }, { "x/old_file", true }, { "x/old_dir", true },
		{ "x/new_file", false }, { "x/new_dir", false },
	};

	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_create_file(self->root, "x/old_file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_mkdir(self->root, "x/old_dir", false));
	ASSERT_EQ(0, dax_xflag_set_at(self->root, "x", false));
	ASSERT_EQ(0, dax_create_file(self->root, "x/new_file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_mkdir(self->root, "x/new_dir", false));
	CHECK_FLAGS("children of a directory whose flag was cleared", cases);
}

/* A5: rename keeps a file's or directory's own flag, whatever the new parent has */
TEST_F(fsdax, rename_keeps_flag)
{
	static const struct flag_case cases[] = {
		{ "nox/from_x_file", true }, { "nox/from_x_dir", true },
		{ "x/from_nox_file", false }, { "x/from_nox_dir", false },
	};

	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox", false));
	ASSERT_EQ(0, dax_create_file(self->root, "x/file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_mkdir(self->root, "x/dir", false));
	ASSERT_EQ(0, dax_create_file(self->root, "nox/file", 'a', FILE_SIZE));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox/dir", false));

	ASSERT_EQ(0, renameat(self->root, "x/file", self->root, "nox/from_x_file"));
	ASSERT_EQ(0, renameat(self->root, "x/dir", self->root, "nox/from_x_dir"));
	ASSERT_EQ(0, renameat(self->root, "nox/file", self->root, "x/from_nox_file"));
	ASSERT_EQ(0, renameat(self->root, "nox/dir", self->root, "x/from_nox_dir"));
	CHECK_FLAGS("renamed across a +x and a -x directory", cases);
}

/* A5: a copy is a new file: it takes its new parent's flag, not the source's, and keeps the data */
TEST_F(fsdax, copy_takes_new_parent)
{
	static const struct flag_case cases[] = {
		{ "x/src", true }, { "nox/src", false },
		{ "nox/copy_of_x", false }, { "x/copy_of_nox", true },
	};
	int ret;

	ASSERT_EQ(0, dax_mkdir(self->root, "x", true));
	ASSERT_EQ(0, dax_mkdir(self->root, "nox", false));
	ASSERT_EQ(0, dax_create_file(self->root, "x/src", 'x', FILE_SIZE));
	ASSERT_EQ(0, dax_create_file(self->root, "nox/src", 'n', FILE_SIZE));
	ASSERT_EQ(0, copy_file(self->root, "x/src", "nox/copy_of_x"));
	ASSERT_EQ(0, copy_file(self->root, "nox/src", "x/copy_of_nox"));
	CHECK_FLAGS("copied across a +x and a -x directory", cases);

	ret = dax_file_has(self->root, "nox/copy_of_x", 'x', FILE_SIZE);
	EXPECT_EQ(1, ret) TH_LOG("copy of a +x file into a -x directory does not hold the source's data");
	ret = dax_file_has(self->root, "x/copy_of_nox", 'n', FILE_SIZE);
	EXPECT_EQ(1, ret) TH_LOG("copy of a -x file into a +x directory does not hold the source's data");
}

TEST_HARNESS_MAIN
