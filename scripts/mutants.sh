#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make mutants: every deliberately broken kernel in tests/mutants/ must be
# caught by the subtests its "Must-fail:" lines name. A line (in a
# format-patch mail after the "---", where checkpatch and git am leave it
# alone; there may be several) lists entries
#
#     <area>/<program>:<fixture>.<test>
#
# each naming one TEST_F; it is killed when that test failed in some
# variant and cell ("<fixture>.<variant>.<test>", or the power-fail case
# "<area>/<program>/<fixture>.<variant>.<test>"). Each mutant is stacked on
# kernel-patches/series with --patches and its named programs run in every
# cell of the matrix (--matrix full when an entry names a random_ power-fail
# case: only that matrix has them). MUTANTS="glob ..." picks mutants by
# file name; MUTANTS_SHARD=K/N only every N-th of them from the K-th (1 to
# N), so that N nightly jobs share the mutants.
# A mutant with a "Crash-model: strict" line breaks what only the
# persistence model sees (a missing cache flush or fence): its programs
# run with --crash-model strict, where every entry must fail, and again
# with --crash-model none, where every entry must pass (the mutant is
# missed without the model; a mutant caught anyway needs no such line).
# Prints TAP (one result per named subtest, and per entry missed without
# the model), then a table (mutant, caught, missed without the model,
# the named subtests that survived), then "N passed, N failed".
set -u

daxtest=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
passed=0
failed=0
: > "$tmp/table"

# killed FAILED PROGRAM FIXTURE TEST: did FIXTURE.TEST of PROGRAM fail?
# FAILED is what "daxtest results --format failed" prints: a line per
# failed test, "<test>@<cell>" and its failed subtests, tab-separated.
killed() {
	awk -F '\t' -v prog="$2" -v fix="$3" -v t="$4" '
	{
		name = $1
		sub(/@.*/, "", name)
		if (name != prog && index(name, prog "/") != 1)
			next
		for (i = 2; i <= NF; i++) {
			n = split($i, p, ".")
			if (p[1] == fix && p[n] == t && (n == 2 || n == 3))
				found = 1
		}
	}
	END { exit !found }
	' "$1"
}

shard_k=1
shard_n=1
if [ -n "${MUTANTS_SHARD:-}" ]; then
	if ! [[ $MUTANTS_SHARD =~ ^([0-9]+)/([0-9]+)$ ]] ||
	   [ "${BASH_REMATCH[1]}" -lt 1 ] || [ "${BASH_REMATCH[1]}" -gt "${BASH_REMATCH[2]}" ]; then
		echo "mutants.sh: MUTANTS_SHARD=$MUTANTS_SHARD is not K/N with 1 <= K <= N" >&2
		exit 2
	fi
	shard_k=${BASH_REMATCH[1]}
	shard_n=${BASH_REMATCH[2]}
fi
index=0

selected() {
	local m
	[ -z "${MUTANTS:-}" ] && return 0
	for m in $MUTANTS; do
		# shellcheck disable=SC2254
		case $1 in $m) return 0 ;; esac
	done
	return 1
}

# run_mutant ARGS...: runs the programs on the mutant kernel ($tmp/series)
# with the mutant's matrix and ARGS; its exit status in rc, the failed
# tests (daxtest results --format failed) in $tmp/failed.
run_mutant() {
	rm -rf "$tmp/results"	# no earlier run as results/latest
	"$daxtest" run --patches "$tmp/series" --tests "$programs" "${matrix[@]}" \
		--results "$tmp/results" "$@" > /dev/null 2> "$tmp/err"
	rc=$?
	if ! "$daxtest" results "$tmp/results" --format failed > "$tmp/failed" 2> "$tmp/results.err"; then
		: > "$tmp/failed"
		[ "$rc" -eq 1 ] && sed 's/^/#   /' "$tmp/results.err"
	fi
}

echo "TAP version 13"
for patch in tests/mutants/*.patch; do
	name=$(basename "$patch" .patch)
	selected "$name" || continue
	index=$((index + 1))
	[ $(((index - 1) % shard_n)) -eq $((shard_k - 1)) ] || continue
	entries=$(sed -n 's/^Must-fail: *//p' "$patch" | tr -s ' \t' '\n\n' | sed '/^$/d')
	bad=$(echo "$entries" | grep -Ev '^[a-z0-9_-]+/[a-z0-9_]+:[a-z0-9_]+\.[a-z0-9_]+$')
	if [ -z "$entries" ] || [ -n "$bad" ]; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - $name: Must-fail: must name <area>/<program>:<fixture>.<test>${bad:+, not $(echo $bad)}"
		printf '%s\tno\t-\t(bad Must-fail: line)\n' "$name" >> "$tmp/table"
		continue
	fi
	programs=$(echo "$entries" | sed 's/:.*//' | sort -u | paste -sd,)
	matrix=()
	if echo "$entries" | grep -q ':[a-z0-9_]*\.random_'; then
		matrix=(--matrix full)
	fi
	model=$(sed -n 's/^Crash-model: *//p' "$patch" | head -1)
	realpath "$patch" > "$tmp/series"
	start=$(date +%s)
	without="-"
	if [ -n "$model" ]; then
		# The plugin runs under TCG only: both runs there, so that
		# they differ in the model alone.
		matrix+=(--accel tcg)
		run_mutant --crash-model none "$@"
		without=yes
		for e in $entries; do
			n=$((n + 1))
			prog=${e%%:*}
			sub=${e#*:}
			if [ "$rc" -gt 1 ]; then
				failed=$((failed + 1))
				without=no
				echo "not ok $n - $name: the run without the crash model failed (daxtest exit $rc)"
				tail -5 "$tmp/err" | sed 's/^/#   /'
			elif ! killed "$tmp/failed" "$prog" "${sub%%.*}" "${sub#*.}"; then
				passed=$((passed + 1))
				echo "ok $n - $name is missed by $e without the crash model"
			else
				failed=$((failed + 1))
				without=no
				echo "not ok $n - $name is caught by $e without the crash model too: drop its Crash-model: line"
			fi
		done
		matrix+=(--crash-model "$model")
	fi
	run_mutant "$@"
	survived=""
	for e in $entries; do
		n=$((n + 1))
		prog=${e%%:*}
		sub=${e#*:}
		if [ "$rc" -eq 1 ] && killed "$tmp/failed" "$prog" "${sub%%.*}" "${sub#*.}"; then
			passed=$((passed + 1))
			echo "ok $n - $name kills $e"
		else
			failed=$((failed + 1))
			survived="$survived $e"
			echo "not ok $n - $name survived by $e (daxtest exit $rc)"
			[ "$rc" -eq 1 ] || tail -5 "$tmp/err" | sed 's/^/#   /'
		fi
	done
	echo "# $name: $(($(date +%s) - start)) s; failed: $(tr '\t' ' ' < "$tmp/failed" | sed 's/@[^ ]*//' | tr '\n' ' ')"
	printf '%s\t%s\t%s\t%s\n' "$name" "$([ -z "$survived" ] && echo yes || echo no)" \
		"$without" "${survived# }" >> "$tmp/table"
done
echo "1..$n"
echo
printf '%-44s %-7s %-17s %s\n' "mutant" "caught" "missed w/o model" "named subtests that survived"
while IFS=$'\t' read -r m c w s; do
	printf '%-44s %-7s %-17s %s\n' "$m" "$c" "$w" "${s:--}"
done < "$tmp/table"
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
