// SPDX-License-Identifier: GPL-2.0
/*
 * matrix.c - read the namespace cells of a --matrix from tests/matrix
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"
#include "lib/log.h"
#include "plan/matrix.h"

const char *const matrix_known_cells[] = { "map=mem", "map=dev", NULL };

static bool known_cell(const char *cell)
{
	size_t i;

	for (i = 0; matrix_known_cells[i]; i++)
		if (!strcmp(matrix_known_cells[i], cell))
			return true;
	return false;
}

/* One "<matrix> <cell>..." line: checks it, and takes its cells when the
 * matrix is the one asked for. */
static int parse_line(char *line, const char *where, unsigned int lineno,
		      const char *name, struct matrix *m, struct strv *seen)
{
	char *save = NULL, *matrix, *cell;
	bool wanted;
	size_t i;

	matrix = strtok_r(line, " \t", &save);
	if (!matrix)
		return 0;
	for (i = 0; i < seen->n; i++) {
		if (!strcmp(seen->v[i], matrix)) {
			log_error("%s:%u: matrix '%s' is defined twice", where, lineno, matrix);
			return -1;
		}
	}
	strv_add(seen, matrix);
	wanted = !strcmp(matrix, name);
	cell = strtok_r(NULL, " \t", &save);
	if (!cell) {
		log_error("%s:%u: matrix '%s' has no cells", where, lineno, matrix);
		return -1;
	}
	for (; cell; cell = strtok_r(NULL, " \t", &save)) {
		if (cell[0] == '+') {
			if (strcmp(cell, "+random-cuts")) {
				log_error("%s:%u: unknown option '%s' (known: +random-cuts)",
					  where, lineno, cell);
				return -1;
			}
			if (wanted)
				m->random_cuts = true;
			continue;
		}
		if (!known_cell(cell)) {
			log_error("%s:%u: unknown cell '%s' (the agent knows map=mem and map=dev)",
				  where, lineno, cell);
			return -1;
		}
		if (wanted)
			strv_add(&m->cells, cell);
	}
	return 0;
}

int matrix_parse(const char *text, const char *source, const char *name,
		 struct matrix *m)
{
	struct strv seen = { 0 };
	char *copy = strdup(text), *line, *names;
	unsigned int lineno = 0;
	int ret = 0;

	if (!copy)
		return -1;
	/* strtok_r would skip empty lines and lose the line numbers */
	for (line = copy; line && !ret; lineno++) {
		char *nl = strchr(line, '\n'), *hash;

		if (nl)
			*nl = '\0';
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		ret = parse_line(line, source, lineno + 1, name, m, &seen);
		line = nl ? nl + 1 : NULL;
	}
	if (!ret && (seen.err || m->cells.err))
		ret = -1;
	if (!ret && !m->cells.n) {
		names = strv_join(&seen);
		log_error("unknown matrix '%s' (%s defines: %s)", name, source,
			  names && *names ? names : "none");
		free(names);
		ret = -1;
	}
	strv_free(&seen);
	free(copy);
	return ret;
}

int matrix_load(const char *project_dir, const char *name, struct matrix *m)
{
	char *path = path_join(project_dir, "tests/matrix"), *text = NULL;
	size_t len;
	int ret;

	if (!path)
		return -1;
	ret = read_file(path, &text, &len);
	if (ret < 0) {
		log_error("cannot read %s: %s", path, strerror(-ret));
		free(path);
		return -1;
	}
	ret = matrix_parse(text, path, name, m);
	free(text);
	free(path);
	return ret;
}

void matrix_free(struct matrix *m)
{
	strv_free(&m->cells);
	m->random_cuts = false;
}
