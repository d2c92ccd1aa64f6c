#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz: runs each libFuzzer binary (build/fuzz/fuzz_<target>) for
# SECONDS seconds and prints, per target, executions, corpus size and
# crashes. The corpus grows in build/fuzz/<target>/corpus/ from run to
# run, seeded with harness/tests/data/fuzz/<target>/ and the saved logs
# of harness/tests/data. An input that crashes a target is copied to
# harness/tests/data/fuzz/<target>/, where make unit replays it
# (test_fuzz_regressions), and the run fails.
#
# Usage: scripts/fuzz.sh SECONDS build/fuzz/fuzz_<target>...
set -u

secs=$1
shift
data=harness/tests/data
max_len=65536
failed=0

for bin in "$@"; do
	name=${bin##*/fuzz_}
	dir=${bin%/*}/$name
	keep=$data/fuzz/$name
	rm -rf "$dir/seeds" "$dir/crashes"
	mkdir -p "$dir/corpus" "$dir/seeds" "$dir/crashes" "$keep"
	case $name in
	ktap) cp "$data"/ktap_*.log "$dir/seeds/" ;;
	console_watch) cp "$data"/console_*.log "$dir/seeds/" ;;
	esac
	set --
	if [ -f "harness/tests/fuzz/$name.dict" ]; then
		set -- "-dict=harness/tests/fuzz/$name.dict"
	fi
	echo "daxtest: fuzz: $name for $secs s" >&2
	"$bin" -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$dir/crashes/" "$@" \
		"$dir/corpus" "$keep" "$dir/seeds" > "$dir/fuzz.log" 2>&1
	rc=$?

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log")
	corpus=$(find "$dir/corpus" -type f | wc -l)
	crashes=0
	for f in "$dir/crashes"/*; do
		[ -f "$f" ] || continue
		crashes=$((crashes + 1))
		cp "$f" "$keep/"
		echo "daxtest: fuzz: $name: crashing input kept as $keep/${f##*/}" >&2
	done
	echo "fuzz $name: ${execs:-?} executions in $secs s (${rate:-?}/s), corpus $corpus inputs, $crashes crashes"
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		echo "daxtest: fuzz: $name failed (exit status $rc); the end of $dir/fuzz.log:" >&2
		tail -n 40 "$dir/fuzz.log" >&2
		failed=$((failed + 1))
	fi
done
[ "$failed" -eq 0 ]
