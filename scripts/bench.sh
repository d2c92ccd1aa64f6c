#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: how long each stage of the pipeline takes here. Prints a
# table; nothing is asserted (targets are read off these numbers).
set -eu

daxtest=$1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

seconds()
{
	local t0 t1
	t0=$(date +%s.%N)
	"$@" > /dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}

# Make sure everything is built and cached first.
"$daxtest" image build > /dev/null

kernel_cached=$(seconds "$daxtest" kernel build)
image=$("$daxtest" image build 2>/dev/null)
image_cached=$(seconds "$daxtest" image build)
rm -f "$image"
image_build=$(seconds "$daxtest" image build)
image_size=$(stat -c %s "$image")
run_total=$(seconds "$daxtest" run --results "$results")
boot=$(sed -n 's/.*"boot_seconds": *\([0-9.]*\).*/\1/p' "$results"/latest/results.json | head -1)
total=$(sed -n 's/.*"total_seconds": *\([0-9.]*\).*/\1/p' "$results"/latest/results.json | head -1)

# Parallel guests: the full matrix with one guest, then with one per
# core (same seed, so the same random cuts).
full_j1=$(seconds "$daxtest" run --matrix full --seed 1 -j 1 --results "$results")
full_j1_status=$(grep -E "^(passed|failed)=" "$results"/latest/summary.txt | tr "\n" " ")
cores=$(nproc)
full_jn=$(seconds "$daxtest" run --matrix full --seed 1 -j "$cores" --results "$results")
full_jn_status=$(grep -E "^(passed|failed)=" "$results"/latest/summary.txt | tr "\n" " ")

printf '%-40s %10s\n' "stage" "value"
printf '%-40s %10.2f s\n' "kernel build, cached (no work)" "$kernel_cached"
printf '%-40s %10.2f s\n' "image build, cached (hash inputs)" "$image_cached"
printf '%-40s %10.2f s\n' "image build from scratch" "$image_build"
printf '%-40s %10.1f MiB\n' "image size (lz4 cpio)" "$(echo "$image_size / 1048576" | bc -l)"
printf '%-40s %10.2f s\n' "boot: QEMU start to first test" "${boot:-0}"
printf '%-40s %10.2f s\n' "daxtest run, warm caches (total)" "$run_total"
printf '%-40s %10.2f s\n' "  of which in the runner" "${total:-0}"
printf '%-40s %10.2f s  %s\n' "full matrix, -j 1" "$full_j1" "${full_j1_status:-?}"
printf '%-40s %10.2f s  %s\n' "full matrix, -j $cores" "$full_jn" "${full_jn_status:-?}"
printf '%-40s %10.2f x  (target >= 1.6 on 2 cores)\n' "  speed-up" "$(echo "$full_j1 / $full_jn" | bc -l)"
