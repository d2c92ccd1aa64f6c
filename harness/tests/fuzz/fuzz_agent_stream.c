// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_agent_stream.c - libFuzzer main of the agent stream parser (agent_stream.c);
 * the target itself is fuzz_agent_stream() in fuzz_targets.c (make fuzz)
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/fuzz/fuzz_targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_agent_stream(data, size);
	return 0;
}
