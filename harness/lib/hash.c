// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c - SHA-256 over labelled fields and files, via OpenSSL EVP
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "lib/hash.h"

struct hash {
	EVP_MD_CTX *ctx;
};

struct hash *hash_new(void)
{
	struct hash *h;

	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(h->ctx);
		free(h);
		return NULL;
	}
	return h;
}

void hash_bytes(struct hash *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void hash_field(struct hash *h, const char *label, const char *value)
{
	hash_bytes(h, label, strlen(label) + 1);
	hash_bytes(h, value ? value : "", value ? strlen(value) + 1 : 1);
}

int hash_file(struct hash *h, const char *label, const char *path)
{
	char buf[65536];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	hash_bytes(h, label, strlen(label) + 1);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			close(fd);
			return (int)n;
		}
		hash_bytes(h, buf, n);
	}
	close(fd);
	hash_bytes(h, "", 1);
	return 0;
}

void hash_finish(struct hash *h, char out[HASH_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	EVP_DigestFinal_ex(h->ctx, md, &len);
	for (i = 0; i < len && i * 2 < HASH_HEX_LEN; i++)
		snprintf(out + i * 2, 3, "%02x", md[i]);
	out[HASH_HEX_LEN] = '\0';
	EVP_MD_CTX_free(h->ctx);
	free(h);
}
