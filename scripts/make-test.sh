#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: the project's own tests, then the DAX suite in a guest.
#   1. host unit tests (cmocka, ASan+UBSan)
#   2. command-line tests: bad input gives one line and exit 2, and the
#      pipelines in ci/ are YAML calling only targets the Makefile has
#   3. daxtest run (what make check runs), then its report.html in
#      headless chromium (screenshots next to it in results/latest)
#   4. the libvirt backend: the same guest through qemu:///system and
#      qemu+tcp://127.0.0.1/system (scripts/test-libvirt.sh)
#   5. reliability: misbehaving tests (tests/fixtures), QEMU and the guest
#      broken from outside, signals, two runs at once
#   6. daxtest bisect over a small kernel history with one broken commit
#   7. security: a run exposes nothing (private work directory and
#      backing files, no network), and a user without root runs the suite
#      (as root: the system user daxtest-ci, created once)
# Ends with one line "N passed, N failed[, N skipped][, N xfailed]" (xfailed:
# known failures, tests/known/).
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

# step NAME VARIABLE COMMAND...: a step script that writes "passed failed"
# to the file named by $VARIABLE; its counts join the totals.
step()
{
	local name=$1 var=$2 p f
	shift 2
	env "$var=$counts/$name" "$@"
	read -r p f < "$counts/$name" || { p=0; f=1; }
	passed=$((passed + p))
	failed=$((failed + f))
	steps="$steps, $name $p/$((p + f))"
}

echo "== unit tests"
step unit UNIT_COUNTS "$here/run-unit-tests.sh" "$@"

echo "== command-line tests"
step cli CLI_COUNTS "$here/test-cli.sh" "$daxtest"
step ci CI_COUNTS "$here/check-ci.sh"

echo "== DAX suite in QEMU (make check)"
"$daxtest" run --results results "${run_args[@]}"
rc=$?
suite_pass=0 suite_fail=0 suite_skip=0 suite_xfail=0
if [ -f results/latest/summary.txt ] && [ "$rc" -ne 2 ]; then
	suite_pass=$(sed -n 's/^passed=//p' results/latest/summary.txt)
	suite_fail=$(sed -n 's/^failed=//p' results/latest/summary.txt)
	suite_skip=$(sed -n 's/^skipped=//p' results/latest/summary.txt)
	suite_xfail=$(sed -n 's/^xfailed=//p' results/latest/summary.txt)
fi
if [ "$rc" -ne 0 ] && [ "$suite_fail" -eq 0 ]; then
	echo "daxtest run exited $rc" >&2
	suite_fail=1
fi
passed=$((passed + suite_pass))
failed=$((failed + suite_fail))

echo "== report.html in a browser"
step report REPORT_COUNTS "$here/test-report.sh" "$daxtest" results/latest

echo "== libvirt backend"
step libvirt LIBVIRT_COUNTS "$here/test-libvirt.sh" "$daxtest"

echo "== reliability (tests/fixtures, broken QEMU, signals)"
step reliability FIXTURE_COUNTS "$here/test-fixtures.sh" "$daxtest"

echo "== bisect self-test"
step bisect BISECT_COUNTS "$here/bisect-selftest.sh" "$daxtest"

echo "== security (work directory, file modes, no ports)"
step security SECURITY_COUNTS "$here/test-security.sh" "$daxtest"

echo "== non-root run (user daxtest-ci)"
step nonroot NONROOT_COUNTS "$here/test-nonroot.sh" "$daxtest"

echo "== suite $suite_pass passed $suite_fail failed $suite_skip skipped$steps"
line="$passed passed, $failed failed"
[ "$suite_skip" -gt 0 ] && line="$line, $suite_skip skipped"
[ "${suite_xfail:-0}" -gt 0 ] && line="$line, $suite_xfail xfailed"
echo "$line"
[ "$failed" -eq 0 ]
