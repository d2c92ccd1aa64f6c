#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: the project's own tests, then the DAX suite in a guest.
#   1. host unit tests (cmocka, ASan+UBSan)
#   2. command-line tests: bad input gives one line and exit 2, and the
#      pipelines in ci/ are YAML calling only targets the Makefile has
#   3. daxtest run (what make check runs), then its report.html in
#      headless chromium (screenshots next to it in results/latest)
#   4. reliability: misbehaving tests (tests/fixtures), QEMU and the guest
#      broken from outside, signals, two runs at once
#   5. daxtest bisect over a small kernel history with one broken commit
#   6. security: a run exposes nothing (private work directory and
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

echo "== unit tests"
UNIT_COUNTS=$counts/unit "$here/run-unit-tests.sh" "$@"
read -r unit_pass unit_fail < "$counts/unit" || { unit_pass=0; unit_fail=1; }

echo "== command-line tests"
CLI_COUNTS=$counts/cli "$here/test-cli.sh" "$daxtest"
read -r cli_pass cli_fail < "$counts/cli" || { cli_pass=0; cli_fail=1; }
CI_COUNTS=$counts/ci "$here/check-ci.sh"
read -r ci_pass ci_fail < "$counts/ci" || { ci_pass=0; ci_fail=1; }
cli_pass=$((cli_pass + ci_pass))
cli_fail=$((cli_fail + ci_fail))

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

echo "== report.html in a browser"
REPORT_COUNTS=$counts/report "$here/test-report.sh" "$daxtest" results/latest
read -r report_pass report_fail < "$counts/report" || { report_pass=0; report_fail=1; }

echo "== reliability (tests/fixtures, broken QEMU, signals)"
FIXTURE_COUNTS=$counts/fixtures "$here/test-fixtures.sh" "$daxtest"
read -r fixture_pass fixture_fail < "$counts/fixtures" || { fixture_pass=0; fixture_fail=1; }

echo "== bisect self-test"
BISECT_COUNTS=$counts/bisect "$here/bisect-selftest.sh" "$daxtest"
read -r bisect_pass bisect_fail < "$counts/bisect" || { bisect_pass=0; bisect_fail=1; }

echo "== security (work directory, file modes, no ports)"
SECURITY_COUNTS=$counts/security "$here/test-security.sh" "$daxtest"
read -r security_pass security_fail < "$counts/security" || { security_pass=0; security_fail=1; }

echo "== non-root run (user daxtest-ci)"
NONROOT_COUNTS=$counts/nonroot "$here/test-nonroot.sh" "$daxtest"
read -r nonroot_pass nonroot_fail < "$counts/nonroot" || { nonroot_pass=0; nonroot_fail=1; }
security_pass=$((security_pass + nonroot_pass))
security_fail=$((security_fail + nonroot_fail))

passed=$((unit_pass + cli_pass + suite_pass + report_pass + fixture_pass + bisect_pass + security_pass))
failed=$((unit_fail + cli_fail + suite_fail + report_fail + fixture_fail + bisect_fail + security_fail))
echo "== unit $unit_pass/$((unit_pass + unit_fail)), command line $cli_pass/$((cli_pass + cli_fail)), suite $suite_pass passed $suite_fail failed $suite_skip skipped, report $report_pass/$((report_pass + report_fail)), reliability $fixture_pass/$((fixture_pass + fixture_fail)), bisect $bisect_pass/$((bisect_pass + bisect_fail)), security $security_pass/$((security_pass + security_fail))"
line="$passed passed, $failed failed"
[ "$suite_skip" -gt 0 ] && line="$line, $suite_skip skipped"
[ "${suite_xfail:-0}" -gt 0 ] && line="$line, $suite_xfail xfailed"
echo "$line"
[ "$failed" -eq 0 ]
