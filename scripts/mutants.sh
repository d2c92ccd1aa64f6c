#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make mutants: every deliberately broken kernel in tests/mutants/ must be
# caught by the tests its "Must-fail:" line names (a line of its own
# anywhere in the file; in a format-patch mail, after the "---", where
# checkpatch and git am leave it alone). Each mutant is stacked
# on kernel-patches/series with --patches, and the named programs run in
# every cell of the matrix. Prints TAP (a pass is a named program that
# failed in some cell), then a table (mutant, caught, the subtests that
# failed), then "N passed, N failed".
set -u

daxtest=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0
: > "$tmp/table"

# The failed subtests of every failed program in a KTAP stream, one line
# per program: "<program>@<cell>: <subtest> <subtest> ...". kselftest
# subtests come indented, before their program's own result line.
failed_subtests() {
	awk '
	/^  not ok [0-9]+ / { subs = subs " " $4; next }
	/^not ok [0-9]+ /   { print $4 ":" subs; subs = ""; next }
	/^ok [0-9]+ /       { subs = "" }
	' "$1"
}

echo "TAP version 13"
for patch in tests/mutants/*.patch; do
	name=$(basename "$patch" .patch)
	caught_by=$(sed -n 's/^Must-fail: *//p' "$patch")
	if [ -z "$caught_by" ]; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - $name: no Must-fail: line"
		printf '%s\tno\t(no Must-fail: line)\n' "$name" >> "$tmp/table"
		continue
	fi
	realpath "$patch" > "$tmp/series"
	"$daxtest" run --patches "$tmp/series" --tests "$(echo "$caught_by" | tr ' ' ',')" \
		--results "$tmp/results" "$@" > "$tmp/ktap" 2> "$tmp/err"
	rc=$?
	failed_subtests "$tmp/ktap" > "$tmp/failed"
	caught=yes
	for test in $caught_by; do
		n=$((n + 1))
		if [ "$rc" -eq 1 ] && grep -Eq "^$test(/[^@:]*)?@[^:]*:" "$tmp/failed"; then
			passed=$((passed + 1))
			echo "ok $n - $name caught by $test"
		else
			failed=$((failed + 1))
			caught=no
			echo "not ok $n - $name survived $test (daxtest exit $rc)"
			tail -5 "$tmp/err" | sed 's/^/#   /'
		fi
	done
	printf '%s\t%s\t%s\n' "$name" "$caught" \
		"$(tr '\n' ';' < "$tmp/failed" | sed 's/;$//; s/;/; /g')" >> "$tmp/table"
done
echo "1..$n"
echo
printf '%-34s %-7s %s\n' "mutant" "caught" "failed tests (program@cell: subtests)"
while IFS=$'\t' read -r m c f; do
	printf '%-34s %-7s %s\n' "$m" "$c" "${f:-none}"
done < "$tmp/table"
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
