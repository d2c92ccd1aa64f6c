/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Just enough JSON for ndctl's output: walk the objects of a top-level
 * object or array, and read a string or number member of one object.
 * Nested values are skipped, never interpreted.
 */
#ifndef DAXTEST_GUEST_JSON_SCAN_H
#define DAXTEST_GUEST_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

struct json_span {
	const char *p;		/* first byte */
	const char *end;	/* one past the last byte */
};

/* Takes the next object off s: the text is a single object or an array of
 * objects (ndctl prints the former when there is one). false at the end
 * of s or when the text is not JSON of that shape. */
bool json_next_object(struct json_span *s, struct json_span *obj);

/* Copies the string member key of obj into out. 0, or -1 when it is
 * missing, not a string or does not fit. */
int json_get_string(const struct json_span *obj, const char *key, char *out, size_t size);

/* Reads the non-negative integer member key of obj. 0, or -1. */
int json_get_u64(const struct json_span *obj, const char *key, unsigned long long *out);

#endif /* DAXTEST_GUEST_JSON_SCAN_H */
