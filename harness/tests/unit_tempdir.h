/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A temporary directory as a cmocka group fixture: made before the
 * tests, removed after them even when one fails.
 */
#ifndef DAXTEST_UNIT_TEMPDIR_H
#define DAXTEST_UNIT_TEMPDIR_H

#include <stdlib.h>
#include <string.h>

#include "lib/fsutil.h"

static inline int make_temp_dir(void **state)
{
	char *dir = strdup("/tmp/daxtest-unit-XXXXXX");

	if (!dir || !mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

static inline int remove_temp_dir(void **state)
{
	int ret = remove_tree(*state);

	free(*state);
	return ret;
}

#endif /* DAXTEST_UNIT_TEMPDIR_H */
