/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building the guest image: images/initramfs.recipe plus the guest
 * agent, the kernel's modules and the test programs, written as a
 * LZ4-compressed (legacy format) newc cpio. Cached by a hash of every input's content,
 * so an unchanged input set is never rebuilt.
 */
#ifndef DAXTEST_IMAGE_BUILD_H
#define DAXTEST_IMAGE_BUILD_H

#include <stdbool.h>
#include <stddef.h>

struct host_missing;
struct kernel_artifact;

struct image_opts {
	const char *project_dir;
	const char *cache_dir;
	const char *agent;		/* the static guest agent, installed as /init */
	const char *tests_dir;		/* <area>/<program> binaries */
	const struct kernel_artifact *kernel;
	bool rebuild;
};

struct image {
	char *path;
	char key[65];
	bool cached;
	size_t nr_files;
	double seconds;			/* time spent building, 0 if cached */
};

/* 0, or -1 after logging one line naming the problem. */
int image_build(const struct image_opts *o, struct image *img);
/* Before a build: adds to missing each host file the recipe names that
 * is not there (or not readable). 0, or -1 after logging a malformed
 * recipe. */
int image_recipe_missing(const char *project_dir, struct host_missing *missing);
void image_free(struct image *img);

/* The recipe, in the project. */
#define IMAGE_RECIPE "images/initramfs.recipe"
/* Guest directory the test programs are installed under. */
#define IMAGE_TESTS_DIR "/daxtest/tests"

#endif /* DAXTEST_IMAGE_BUILD_H */
