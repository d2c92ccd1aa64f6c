// SPDX-License-Identifier: GPL-2.0
/*
 * repro_case.c - read the repro case of a reported bug (tests/repro/)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "cli/repro_case.h"

static int set_field(char **slot, const char *value)
{
	free(*slot);
	*slot = strdup(value);
	return *slot ? 0 : -1;
}

static int parse_kv(struct repro_case *r, const char *key, char *value, const char *where)
{
	static const char *const names[] = {
		"summary", "reference", "affected", "fixed", "tests", "patches", "config",
	};
	char **slots[] = {
		&r->summary, &r->reference, &r->affected, &r->fixed, &r->tests,
		&r->patches, &r->config,
	};
	char *save = NULL, *glob;
	size_t i;

	if (!strcmp(key, "fails")) {
		for (glob = strtok_r(value, " \t", &save); glob; glob = strtok_r(NULL, " \t", &save))
			strv_add(&r->fails, glob);
		return r->fails.err ? -1 : 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(key, names[i]))
			return set_field(slots[i], value);
	log_error("%s: unknown key '%s'", where, key);
	return -1;
}

int repro_case_parse(struct repro_case *r, const char *text, const char *source)
{
	char *copy = strdup(text), *line, *next, where[512];
	unsigned int lineno = 0;
	int ret = 0;

	memset(r, 0, sizeof(*r));
	if (!copy)
		return -1;
	for (line = copy; line && !ret; line = next) {
		char *colon, *value;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (*line == '#' || !*str_rstrip(line))
			continue;
		snprintf(where, sizeof(where), "%s:%u", source, lineno);
		colon = strchr(line, ':');
		if (!colon) {
			log_error("%s: expected 'key: value'", where);
			ret = -1;
			break;
		}
		*colon = '\0';
		for (value = colon + 1; isspace((unsigned char)*value); value++)
			;
		ret = parse_kv(r, line, value, where);
	}
	free(copy);
	if (!ret && (!r->summary || !r->affected || !r->tests || !r->fails.n)) {
		log_error("%s: a repro case needs summary, affected, tests and fails", source);
		ret = -1;
	}
	return ret;
}

void repro_case_free(struct repro_case *r)
{
	free(r->summary);
	free(r->reference);
	free(r->affected);
	free(r->fixed);
	free(r->tests);
	free(r->patches);
	free(r->config);
	strv_free(&r->fails);
	memset(r, 0, sizeof(*r));
}

