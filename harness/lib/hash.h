/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (OpenSSL libcrypto) for the content-addressed caches.
 */
#ifndef DAXTEST_HASH_H
#define DAXTEST_HASH_H

#include <stddef.h>

#define HASH_HEX_LEN 64

struct hash;

struct hash *hash_new(void);
void hash_bytes(struct hash *h, const void *data, size_t len);
/* Adds a labelled string: "label\0value\0", so fields cannot run together. */
void hash_field(struct hash *h, const char *label, const char *value);
/* Adds a file's path label and content. 0 or -errno. */
int hash_file(struct hash *h, const char *label, const char *path);
/* Writes HASH_HEX_LEN hex digits and a NUL, frees h. */
void hash_finish(struct hash *h, char out[HASH_HEX_LEN + 1]);

#endif /* DAXTEST_HASH_H */
