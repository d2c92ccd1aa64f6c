#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make mutants: every deliberately broken kernel in tests/mutants/ must be
# caught by the tests its "Caught-by:" line names. Prints TAP and a last
# line "N passed, N failed" (a pass is a mutant caught by a test).
set -u

daxtest=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0

echo "TAP version 13"
for patch in tests/mutants/*.patch; do
	name=$(basename "$patch" .patch)
	caught_by=$(sed -n 's/^Caught-by: *//p' "$patch")
	if [ -z "$caught_by" ]; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - $name: no Caught-by: line"
		continue
	fi
	realpath "$patch" > "$tmp/series"
	"$daxtest" run --patches "$tmp/series" --tests "$(echo "$caught_by" | tr ' ' ',')" \
		--results "$tmp/results" "$@" > "$tmp/ktap" 2> "$tmp/err"
	rc=$?
	for test in $caught_by; do
		n=$((n + 1))
		if [ "$rc" -eq 1 ] && grep -Eq "^not ok [0-9]+ $test( #|\$)" "$tmp/ktap"; then
			passed=$((passed + 1))
			echo "ok $n - $name caught by $test"
		else
			failed=$((failed + 1))
			echo "not ok $n - $name survived $test (daxtest exit $rc)"
			tail -5 "$tmp/err" | sed 's/^/#   /'
		fi
	done
done
echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
