#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: how long each stage takes here, and what it costs. Prints a
# table with this commit's figures next to the previous commit's (kept in
# the cache, bench/<commit>.txt) so a slowdown shows. Nothing is
# asserted; the targets are in the last column.
#   BENCH_COLD=1   also a cold make check: empty kernel, image and ccache
#                  caches in a temporary directory (builds a kernel)
set -u

daxtest=$(realpath "$1")
project=$(cd "$(dirname "$0")/.." && pwd)
cache=$("$daxtest" cache-dir) || exit 2
results=$(mktemp -d)
figures=$(mktemp)
trap 'rm -rf "$results" "$figures"' EXIT
cores=$(nproc)

seconds()
{
	local t0 t1
	t0=$(date +%s.%N)
	"$@" > /dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}

# figure KEY VALUE UNIT TARGET DESCRIPTION
figure()
{
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:--}" "$5" >> "$figures"
}

# run_figure KEY: a figure of the last run in $results (its results.json).
run_figure()
{
	"$daxtest" results "$results" --field "$1"
}

# Make sure everything is built and cached first.
"$daxtest" image build > /dev/null 2>&1

figure kernel_cached "$(seconds "$daxtest" kernel build)" s "" "kernel build, cached (no work)"
image=$("$daxtest" image build 2>/dev/null)
figure image_cached "$(seconds "$daxtest" image build)" s "" "image build, cached (hash inputs)"
rm -f "$image"
figure image_build "$(seconds "$daxtest" image build)" s "" "image build from scratch"
figure image_size "$(echo "$(stat -c %s "$image") / 1048576" | bc -l)" MiB "" "image size (lz4 cpio)"

# Peak memory of the QEMU processes while "$@" runs: the largest
# Pss and Private (Private_Clean + Private_Dirty) of any one, in MiB,
# from /proc/<pid>/smaps_rollup sampled every 0.2 s. Prints "PSS PRIVATE".
qemu_memory()
{
	local pid pss=0 priv=0 p pv q
	"$@" > /dev/null 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		for q in $(pgrep -f "^qemu-system-x86_64 .*memory-backend" || true); do
			read -r p pv < <(awk '/^Pss:/ { s = $2 } /^Private_(Clean|Dirty):/ { v += $2 }
				END { print s + 0, v + 0 }' "/proc/$q/smaps_rollup" 2>/dev/null)
			[ -n "${p:-}" ] && [ "$p" -gt "$pss" ] && pss=$p
			[ -n "${pv:-}" ] && [ "$pv" -gt "$priv" ] && priv=$pv
		done
		sleep 0.2
	done
	wait "$pid"
	echo "$((pss / 1024)) $((priv / 1024))"
}

# Warm make check: the quick matrix, one guest per core; its guests
# are restored from the snapshot (made by the first run if missing).
"$daxtest" run --tests per-file-dax/dax_statx --results "$results" > /dev/null 2>&1
figure check_warm "$(seconds "$daxtest" run --results "$results")" s "< 60" "make check, warm caches (quick matrix, -j $cores)"
figure boot_jn "$(run_figure boot_seconds)" s "" "  first guest's start to its first test, $cores restored at once"
figure restored "$(run_figure guests_restored)" guests "" "  guests restored from the snapshot"
figure booted "$(run_figure guests_booted)" guests "" "  guests booted"
figure qemu_rss "$(run_figure qemu_peak_rss_mib)" MiB "" "  QEMU peak RSS per guest (largest)"
figure check_warm_boot "$(seconds "$daxtest" run --no-snapshot --results "$results")" s "" "make check, warm caches, --no-snapshot (every guest boots)"
figure boot_jn_boot "$(run_figure boot_seconds)" s "" "  first guest's start to its first test, $cores booting at once"
# One guest alone (1 vCPU, as each guest of -j 2 on 2 cores): a restore
# against a boot, and what each costs in memory.
one=(--tests per-file-dax/dax_statx -j 1 --cpus 1 --results "$results")
"$daxtest" run "${one[@]}" > /dev/null 2>&1
read -r pss priv < <(qemu_memory "$daxtest" run "${one[@]}")
figure restore "$(run_figure boot_seconds)" s "<= 0.5" "restore: QEMU start to the first test, one guest"
figure restore_pss "$pss" MiB "" "  QEMU Pss, restored guest (peak)"
figure restore_private "$priv" MiB "" "  QEMU private memory, restored guest (peak)"
read -r pss priv < <(qemu_memory "$daxtest" run --no-snapshot "${one[@]}")
figure boot "$(run_figure boot_seconds)" s "< 2.0" "boot: QEMU start to the first test, one guest"
figure boot_pss "$pss" MiB "" "  QEMU Pss, booted guest (peak)"
figure boot_private "$priv" MiB "" "  QEMU private memory, booted guest (peak)"

# The persistence model (--crash-model): the power-fail cases of one
# program with the plugin and without, one guest, the same seed, under
# TCG (the plugin runs nowhere else).
pf=powerfail/map_sync_cut
figure pf_none "$(seconds "$daxtest" run --tests "$pf" --accel tcg --crash-model none -j 1 --seed 1 --results "$results")" s "" "$pf, --crash-model none, -j 1"
none=$(tail -1 "$figures" | cut -f2)
figure pf_strict "$(seconds "$daxtest" run --tests "$pf" --accel tcg --crash-model strict -j 1 --seed 1 --results "$results")" s "" "$pf, --crash-model strict, -j 1"
strict=$(tail -1 "$figures" | cut -f2)
figure pf_slowdown "$(echo "$strict / $none" | bc -l)" x "" "  slowdown of the persistence model"
figure pf_area "$(seconds "$daxtest" run --tests powerfail --accel tcg --crash-model strict --results "$results")" s "< 120" "powerfail area, strict model (quick matrix, -j $cores)"

# Parallel guests: the full matrix with one guest, then one per core
# (same seed, so the same random cuts).
figure full_j1 "$(seconds "$daxtest" run --matrix full --seed 1 -j 1 --results "$results")" s "" "full matrix, -j 1"
j1=$(tail -1 "$figures" | cut -f2)
figure full_jn "$(seconds "$daxtest" run --matrix full --seed 1 -j "$cores" --results "$results")" s "" "full matrix, -j $cores"
jn=$(tail -1 "$figures" | cut -f2)
figure speedup "$(echo "$j1 / $jn" | bc -l)" x ">= 1.6" "  speed-up of -j $cores"
figure full_jn_boot "$(seconds "$daxtest" run --matrix full --seed 1 -j "$cores" --no-snapshot --results "$results")" s "" "full matrix, -j $cores, --no-snapshot"

# Incremental rebuild after a one-line change of fs/dax.c, in the kernel
# history the bisect self-test keeps (make test creates it).
repo=$cache/bisect-selftest/linux
if [ -f "$repo/fs/dax.c" ] && git -C "$repo" diff --quiet; then
	git -C "$repo" checkout -q master
	echo "/* daxtest bench: a */" >> "$repo/fs/dax.c"
	"$daxtest" kernel build --ksrc "$repo" --rebuild > /dev/null 2>&1
	sed -i 's|^/\* daxtest bench: a \*/$|/* daxtest bench: b */|' "$repo/fs/dax.c"
	figure rebuild_dax "$(seconds "$daxtest" kernel build --ksrc "$repo" --rebuild)" s "< 90" "kernel rebuild after a fs/dax.c change"
	git -C "$repo" checkout -q -- fs/dax.c
else
	echo "daxtest: bench: no kernel history in $repo (make test creates it): no incremental rebuild figure" >&2
fi

if [ -n "${BENCH_COLD:-}" ]; then
	cold=$(mktemp -d)
	figure check_cold "$(seconds env DAXTEST_CACHE="$cold" "$daxtest" run --results "$results")" s "< 900" "make check, cold (empty caches, kernel build)"
	rm -rf "$cold"
fi

# This commit's figures, and the previous commit's when a bench ran there.
head=$(git -C "$project" rev-parse --short HEAD 2>/dev/null || echo unknown)
prev=$(git -C "$project" rev-parse --short HEAD~1 2>/dev/null || echo none)
mkdir -p "$cache/bench"
cp "$figures" "$cache/bench/$head.txt"
printf '%-48s %12s %12s  %s\n' "stage" "$head" "$prev" "target"
while IFS=$'\t' read -r key value unit target desc; do
	before=$(awk -F'\t' -v k="$key" '$1 == k { print $2 }' "$cache/bench/$prev.txt" 2>/dev/null)
	[ -n "$before" ] && before=$(printf '%.2f %s' "$before" "$unit") || before="-"
	printf '%-48s %12s %12s  %s\n' "$desc" "$(printf '%.2f %s' "${value:-0}" "$unit")" "$before" "$target"
done < "$figures"
