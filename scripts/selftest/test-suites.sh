#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-suites.sh DAXTEST RESULTS: the peer suites (daxtest run --suite) on
# the pinned sources of ../shared/suites/ (ndctl v80, fstests): a small
# fixed selection of each in daxtest guests, and its results read back:
# a test that passes, one that the suite skips (with the suite's reason)
# and one made to fail (a copy of the tree with one test broken: an
# ndctl test script that exits 1, an fstests golden output with a line
# too many), each reported as such in KTAP, results.json and the suite's
# JUnit file.
#
# The pinned sources: $DAXTEST_SUITES_DIR, else ../shared/suites next to
# the project, else /work/shared/suites.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../tap.sh"
daxtest=$(realpath "$1")
project=$(cd "$here/../.." && pwd)

# The selection: a pass, a skip and a failure of each suite. The skips
# do not depend on who runs this: cxl_test is never built, and
# tests/suites/fstests.config gives generic/470 no LOGWRITES_DEV.
NDCTL_PASS=clear.sh
NDCTL_SKIP=cxl-topology.sh
NDCTL_FAIL=create.sh
FSTESTS_PASS=generic/606
FSTESTS_SKIP=generic/470
FSTESTS_FAIL=generic/608

find_suites()
{
	local d
	for d in "${DAXTEST_SUITES_DIR:-}" "$project/../shared/suites" /work/shared/suites; do
		if [ -n "$d" ] && [ -f "$d/ndctl-v80.tar.xz" ] && [ -f "$d/xfstests.tar.xz" ]; then
			echo "$d"
			return 0
		fi
	done
	return 1
}

if ! pinned=$(find_suites); then
	echo "1..1"
	echo "ok 1 - peer suites # SKIP the pinned sources (ndctl-v80.tar.xz, xfstests.tar.xz) are not in \$DAXTEST_SUITES_DIR, ../shared/suites or /work/shared/suites"
	exit 0
fi

# The trees at a fixed path, unpacked anew each time with the tarballs'
# times, the changed files with a fixed one: the same content key each
# run, so only the first run builds the suites.
work=$project/build/selftest-suites
rm -rf "$work"
mkdir -p "$work"
tar -C "$work" -xf "$pinned/ndctl-v80.tar.xz"
tar -C "$work" -xf "$pinned/xfstests.tar.xz"
ndctl=$work/ndctl-v80
fstests=$work/xfstests
# The made-to-fail tests: a test script that fails at once, and a golden
# output the test cannot match.
sed -i '2i echo "daxtest selftest: this copy of the test fails on purpose"; exit 1' \
	"$ndctl/test/$NDCTL_FAIL"
echo "daxtest selftest: a line the test never prints" >> "$fstests/tests/$FSTESTS_FAIL.out"
touch -d 2000-01-01 "$ndctl/test/$NDCTL_FAIL" "$fstests/tests/$FSTESTS_FAIL.out"

results=$work/results
log=$work/run.log
TAP_DIAG=$log
"$daxtest" run --results "$results" \
	--suite "ndctl=$ndctl" --ndctl-tests "$NDCTL_PASS $NDCTL_SKIP $NDCTL_FAIL" \
	--suite "fstests=$fstests" --fstests-tests "$FSTESTS_PASS $FSTESTS_SKIP $FSTESTS_FAIL" \
	> "$log" 2>&1
rc=$?
check "a run with failing suite tests exits 1 (got $rc)" "$([ "$rc" = 1 ] && echo 1 || echo 0)"

status()	# NAME: its status in results.json
{
	"$daxtest" results "$results/latest" --format tests 2>/dev/null |
		awk -F '\t' -v n="$1" '$1 == n { print $2 }'
}

expect()	# NAME STATUS
{
	local got
	got=$(status "$1")
	check "$1 is $2 (got ${got:-nothing})" "$([ "$got" = "$2" ] && echo 1 || echo 0)"
}

expect "ndctl/$NDCTL_PASS" pass
expect "ndctl/$NDCTL_SKIP" skip
expect "ndctl/$NDCTL_FAIL" fail
for section in xfs ext4; do
	expect "fstests-$section/$FSTESTS_PASS@map=mem" pass
	expect "fstests-$section/$FSTESTS_SKIP@map=mem" skip
	expect "fstests-$section/$FSTESTS_FAIL@map=mem" fail
done

ktap=$log	# the run's KTAP is on its stdout
check_cmd "the skip carries ndctl's reason" \
	grep -q "ndctl/$NDCTL_SKIP # SKIP ndctl's test exited 77" "$ktap"
check_cmd "the ndctl failure shows the test's own output" \
	grep -q "this copy of the test fails on purpose" "$results/latest/results.json"
check_cmd "the fstests failure carries the diff of its .out.bad" \
	grep -q "a line the test never prints" "$results/latest/results.json"
check_cmd "the fstests skip carries fstests' reason" \
	grep -q "fstests-xfs/$FSTESTS_SKIP@map=mem # SKIP fstests: " "$ktap"
xml=$results/latest/results
check "results-ndctl.xml holds the ndctl tests alone" "$(grep -q "<testsuite name=\"ndctl/$NDCTL_PASS\"" "$xml-ndctl.xml" &&
	! grep -q '<testsuite name="fstests-' "$xml-ndctl.xml" && echo 1 || echo 0)"
check "results-fstests.xml holds the fstests tests alone" "$(grep -q "<testsuite name=\"fstests-xfs/$FSTESTS_PASS@map=mem\"" "$xml-fstests.xml" &&
	! grep -q '<testsuite name="ndctl/' "$xml-fstests.xml" && echo 1 || echo 0)"
tap_finish
