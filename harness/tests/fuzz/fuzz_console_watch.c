// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_console_watch.c - libFuzzer main of the console watcher (console_watch.c);
 * the target itself is fuzz_console_watch() in fuzz_targets.c (make fuzz)
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_console_watch(data, size);
	return 0;
}
