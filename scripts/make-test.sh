#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: the project's own tests, then the DAX suite in a guest.
#   1. the source rules (scripts/check-source.sh: stage order of the
#      includes, no thread-unsafe libc calls) and the host unit tests
#      (cmocka, ASan+UBSan)
#   2. daxtest run (what make check runs)
#   3. the black-box scripts of scripts/selftest/, each run as
#      "SCRIPT DAXTEST RESULTS_DIR" (RESULTS_DIR: step 2's run) and each
#      printing TAP; their "ok" and "not ok" lines are added up here:
#      - check-ci.sh: the pipelines in ci/ are YAML calling only targets
#        the Makefile has
#      - test-cli.sh: bad input gives one line and exit 2; daxtest results
#        and cache-dir
#      - test-report.sh: step 2's report.html in headless chromium
#        (screenshots next to it in results/latest)
#      - test-libvirt.sh: the same guest through qemu:///system and
#        qemu+tcp://127.0.0.1/system
#      - test-fixtures.sh: reliability: misbehaving tests (tests/fixtures),
#        QEMU and the guest broken from outside, signals, two runs at once
#      - test-prep.sh: before and around the guests: a malformed test,
#        signals during a kernel build, a killed daxtest
#      - test-persist.sh: the persistence plugin (plugin/) in a guest with
#        a power cut: the crash image keeps what was flushed and fenced,
#        loses what was not
#      - bisect-selftest.sh: daxtest bisect over a small kernel history with
#        one broken commit
#      - test-suites.sh: the peer suites (--suite) from the pinned ndctl and
#        fstests sources: a pass, a skip and a made-to-fail test of each
#      - test-snapshot.sh: guests restored from a snapshot give the results
#        booted ones give (quick and full matrix), see no stale state, and
#        a snapshot QEMU refuses means boots
#      - test-security.sh, test-nonroot.sh: a run exposes nothing (private
#        work directory and backing files, no network), and a user without
#        root runs the suite (as root: the system user daxtest-ci, created
#        once)
# A script's result is failed when it prints "not ok", when its plan line
# ("1..N") is missing or does not match its results, or when it exits
# non-zero without a failed result.
# Ends with one line "N passed, N failed[, N skipped][, N xfailed]" (the
# suite's skipped and xfailed: known failures, tests/known/).
#
# usage: make-test.sh DAXTEST [run arguments...] -- UNIT_TEST_BINARIES...
set -u

daxtest=$1
shift
run_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	run_args+=("$1")
	shift
done
[ $# -gt 0 ] && shift

here=$(dirname "$0")
counts=$(mktemp -d)
trap 'rm -rf "$counts"' EXIT
passed=0 failed=0 steps=""

add() {		# NAME PASSED FAILED
	passed=$((passed + $2))
	failed=$((failed + $3))
	steps="$steps, $1 $2/$(($2 + $3))"
}

echo "== source rules"
if "$here/check-source.sh"; then
	add source 1 0
else
	add source 0 1
fi

echo "== unit tests"
UNIT_COUNTS=$counts/unit "$here/run-unit-tests.sh" "$@"
read -r p f < "$counts/unit" || { p=0; f=1; }
add unit "$p" "$f"

echo "== DAX suite in QEMU (make check)"
"$daxtest" run --results results "${run_args[@]}"
rc=$?
suite_pass=0 suite_fail=0 suite_skip=0 suite_xfail=0
if [ "$rc" -ne 2 ] && "$daxtest" results results --format summary > "$counts/suite"; then
	suite_pass=$(sed -n 's/^passed=//p' "$counts/suite")
	suite_fail=$(sed -n 's/^failed=//p' "$counts/suite")
	suite_skip=$(sed -n 's/^skipped=//p' "$counts/suite")
	suite_xfail=$(sed -n 's/^xfailed=//p' "$counts/suite")
fi
if [ "$rc" -ne 0 ] && [ "$suite_fail" -eq 0 ]; then
	echo "daxtest run exited $rc" >&2
	suite_fail=1
fi
passed=$((passed + suite_pass))
failed=$((failed + suite_fail))
# This run's directory, whatever results/latest becomes later.
suite_dir=$(realpath results/latest 2>/dev/null || echo results/latest)

for script in "$here"/selftest/*.sh; do
	name=$(basename "$script" .sh)
	name=${name#test-}
	echo "== $name ($script)"
	out=$counts/$name.tap
	"$script" "$daxtest" "$suite_dir" < /dev/null | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | tail -n 1)
	if [ "${plan:-x}" != "$((p + f))" ]; then
		echo "# $name: plan '1..${plan:-?}' but $((p + f)) results: counted as a failure"
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "# $name: exit status $rc without a failed result: counted as a failure"
		f=1
	fi
	add "$name" "$p" "$f"
done

echo "== suite $suite_pass passed $suite_fail failed $suite_skip skipped$steps"
line="$passed passed, $failed failed"
[ "$suite_skip" -gt 0 ] && line="$line, $suite_skip skipped"
[ "${suite_xfail:-0}" -gt 0 ] && line="$line, $suite_xfail xfailed"
echo "$line"
[ "$failed" -eq 0 ]
