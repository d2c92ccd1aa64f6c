# SPDX-License-Identifier: GPL-2.0
#
# TAP for the black-box scripts of scripts/selftest/ (sourced): each check
# prints "ok N - ..." or "not ok N - ...", and tap_finish the plan line.
# make-test.sh adds up the "ok" and "not ok" lines of every script.
#
#   check DESCRIPTION OK        OK is 1 or 0
#   check_cmd DESCRIPTION CMD...  ok when the command succeeds
#   tap_finish                  the plan line; exits 0, or 1 when a check failed
# A failed check shows the last lines of $TAP_DIAG when it names a file.

n=0
passed=0
failed=0

check()
{
	local desc=$1 ok=$2
	n=$((n + 1))
	if [ "$ok" = 1 ]; then
		echo "ok $n - $desc"
		passed=$((passed + 1))
	else
		echo "not ok $n - $desc"
		failed=$((failed + 1))
		if [ -n "${TAP_DIAG:-}" ] && [ -f "$TAP_DIAG" ]; then
			tail -5 "$TAP_DIAG" | sed 's/^/#   /'
		fi
	fi
}

check_cmd()
{
	local desc=$1
	shift
	if "$@"; then check "$desc" 1; else check "$desc" 0; fi
}

tap_finish()
{
	echo "1..$n"
	[ "$failed" -eq 0 ]
	exit
}
