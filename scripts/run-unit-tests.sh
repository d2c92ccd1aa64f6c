#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs the host-side unit tests (cmocka, built with ASan and UBSan) and
# prints "unit: N passed, N failed". With UNIT_COUNTS=file, also writes
# "passed failed" there for make-test.sh.
set -u

passed=0
failed=0
for bin in "$@"; do
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed "s|^|$(basename "$bin"): |"
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# crashed (a sanitizer report) before printing its results
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "unit: $passed passed, $failed failed"
if [ -n "${UNIT_COUNTS:-}" ]; then
	echo "$passed $failed" > "$UNIT_COUNTS"
fi
[ "$failed" -eq 0 ]
