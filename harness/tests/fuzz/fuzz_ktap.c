// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ktap.c - libFuzzer main of the KTAP parser (ktap.c);
 * the target itself is fuzz_ktap() in fuzz_targets.c (make fuzz)
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ktap(data, size);
	return 0;
}
