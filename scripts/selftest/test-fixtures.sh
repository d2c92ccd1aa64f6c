#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# daxtest's own failures must never pass for the kernel's, and the
# kernel's must never stop the run. Runs the misbehaving programs of
# tests/fixtures and breaks QEMU and the guest from outside:
#   - a test that spins, one that prints fake KTAP, one that panics the
#     guest, one stuck in the kernel (D state): each reported as failed,
#     the run goes on (in a fresh guest where the guest was lost)
#   - QEMU killed from outside, QEMU refusing to start, a broken
#     initramfs, a kernel that does not boot: exit 2, one line naming
#     the cause, partial results kept
#   - SIGTERM and SIGINT of daxtest mid-test: exit 130, no QEMU left,
#     work directory gone, results written
#   - two runs at once in one checkout: both correct, separate results
# Cases also check that no QEMU of theirs is left. Prints TAP.
#
# usage: test-fixtures.sh DAXTEST
set -u
. "$(dirname "$0")/../tap.sh"

daxtest=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TAP_DIAG=$tmp/err
base=(--accel tcg -j 1)

# No QEMU runs on files under work directory root $1, and nothing is
# left there.
clean_after()
{
	sleep 0.5
	[ -z "$(pgrep -f "qemu-system.*$1" || true)" ] && [ -z "$(ls -A "$1")" ]
}

# Waits up to 60 s for text in a console log.
wait_for_console()
{
	local log=$1 text=$2 i
	for i in $(seq 1 600); do
		grep -q -- "$text" "$log" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Whether the run's KTAP has a result line for fixtures/NAME (quietly).
ktap_line()
{
	grep -qE "^(not )?ok [0-9]+ fixtures/$1@" "$tmp/out"
}

echo "TAP version 13"

# 1. Misbehaving tests: reported, and the run goes on.
mkdir -p "$tmp/w1"
TMPDIR="$tmp/w1" "$daxtest" run "${base[@]}" --tests 'fixtures/*' --results "$tmp/r1" > "$tmp/out" 2> "$tmp/err"
rc=$?
check_cmd "fixtures run: exit 1 (tests failed, the run itself did not)" [ "$rc" -eq 1 ]
check_cmd "healthy passes" ktap_line healthy
check_cmd "spin: TIMEOUT" grep -qE '^not ok [0-9]+ fixtures/spin@.*# TIMEOUT' "$tmp/out"
check_cmd "fake KTAP: fails as broken KTAP" grep -qE '^not ok [0-9]+ fixtures/fake_ktap@.*broken KTAP' "$tmp/out"
check_cmd "fake KTAP: its fake results stay nested" bash -c "! grep -qE '^ok [0-9]+ (reflink|per-file-dax)/' '$tmp/out'"
check_cmd "panic: crashed, with the panic from the console" \
	grep -qE '^not ok [0-9]+ fixtures/panic@.*the guest died: Kernel panic - not syncing: sysrq triggered crash' "$tmp/out"
check_cmd "after the panic: a fresh guest runs the next test" grep -qE '^ok [0-9]+ fixtures/after_panic@' "$tmp/out"
check_cmd "D state: failed, the process stuck in the kernel is named" \
	bash -c "grep -qE '^not ok [0-9]+ fixtures/d_state@' '$tmp/out' && grep -q 'survived SIGKILL in state D' '$tmp/out'"
check_cmd "after the D state: a fresh guest runs the next test" grep -qE '^ok [0-9]+ fixtures/after_d_state@' "$tmp/out"
check_cmd "a test cannot open the result port" grep -qE '^ok [0-9]+ fixtures/port_busy@' "$tmp/out"
check_cmd "only the real results count: 4 passed, 4 failed" grep -qx '4 passed, 4 failed' "$tmp/err"
check_cmd "fixtures run: no QEMU left, no work directory left" clean_after "$tmp/w1"

# 2. QEMU killed from outside mid-test.
"$daxtest" run "${base[@]}" --tests 'fixtures/healthy,fixtures/spin' --timeout 300 \
	--results "$tmp/r2" > "$tmp/out" 2> "$tmp/err" &
pid=$!
if wait_for_console "$tmp/r2/latest/console.log" "daxtest: begin fixtures/spin"; then
	pkill -KILL -P "$pid" -f qemu-system
fi
wait "$pid"
rc=$?
check_cmd "QEMU killed from outside: exit 2" [ "$rc" -eq 2 ]
check_cmd "QEMU killed from outside: one line names it" \
	bash -c "[ \$(grep -c '^daxtest: error:' '$tmp/err') -eq 1 ] && grep -q 'QEMU was killed by signal 9' '$tmp/err'"
check_cmd "QEMU killed from outside: the test before it kept its result" \
	bash -c "grep -qE '^ok 1 fixtures/healthy@' '$tmp/out' && grep -q '^passed=1' '$tmp'/r2/latest/summary.txt"

# 3. SIGTERM and SIGINT of daxtest mid-test.
for sig in TERM INT; do
	"$daxtest" run "${base[@]}" --tests 'fixtures/spin' --timeout 300 \
		--results "$tmp/r-$sig" > "$tmp/out" 2> "$tmp/err" &
	pid=$!
	work=""
	if wait_for_console "$tmp/r-$sig/latest/console.log" "daxtest: begin fixtures/spin"; then
		work=$(pgrep -a -P "$pid" -f qemu-system | grep -o 'path=[^,]*nvdimm0' | head -1)
		work=${work#path=}
		work=${work%/*}
		kill -"$sig" "$pid"
	fi
	wait "$pid"
	rc=$?
	check_cmd "SIG$sig mid-test: exit 130" [ "$rc" -eq 130 ]
	check_cmd "SIG$sig mid-test: no QEMU left, work directory removed" \
		bash -c "[ -n '$work' ] && [ ! -e '$work' ] && [ -z \"\$(pgrep -P $pid)\" ]"
	check_cmd "SIG$sig mid-test: results written" test -s "$tmp/r-$sig/latest/results.json"
done

# 4. A broken QEMU, initramfs or kernel: a wrapper in PATH breaks one
# argument of the real QEMU's command line.
real_qemu=$(command -v qemu-system-x86_64)
head -c 1048576 /dev/urandom > "$tmp/garbage"
broken_run()
{
	local what=$1 want=$2
	mkdir -p "$tmp/bin-$what"
	cat > "$tmp/bin-$what/qemu-system-x86_64" <<WRAP
#!/bin/bash
args=()
while [ \$# -gt 0 ]; do
	case "$what:\$1" in
	refuse:-machine) args+=(-no-such-option) ;;
	initramfs:-initrd) args+=("\$1" "$tmp/garbage"); shift ;;
	kernel:-kernel) head -c 300000 "\$2" > "$tmp/truncated"; args+=("\$1" "$tmp/truncated"); shift ;;
	esac
	args+=("\$1")
	shift
done
exec "$real_qemu" "\${args[@]}"
WRAP
	chmod +x "$tmp/bin-$what/qemu-system-x86_64"
	mkdir -p "$tmp/w-$what"
	PATH="$tmp/bin-$what:$PATH" TMPDIR="$tmp/w-$what" "$daxtest" run "${base[@]}" --boot-timeout 15 \
		--tests fixtures/healthy --results "$tmp/r-$what" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	check_cmd "$what: exit 2 with one line: $want" \
		bash -c "[ $rc -eq 2 ] && [ \$(grep -c '^daxtest: error:' '$tmp/err') -eq 1 ] && grep -q '^daxtest: error: .*$want' '$tmp/err'"
	check_cmd "$what: results written" test -s "$tmp/r-$what/latest/results.json"
	check_cmd "$what: no QEMU left, no work directory left" clean_after "$tmp/w-$what"
}
broken_run refuse "QEMU failed: .*no-such-option"
broken_run initramfs "the kernel did not boot: Kernel panic"
broken_run kernel "the guest never reached the agent"

# 5. Two runs at once in one checkout.
"$daxtest" run "${base[@]}" --tests fixtures/healthy --results "$tmp/c" > "$tmp/c1.out" 2> "$tmp/c1.err" &
p1=$!
"$daxtest" run "${base[@]}" --tests fixtures/after_panic --results "$tmp/c" > "$tmp/c2.out" 2> "$tmp/c2.err" &
p2=$!
wait "$p1"; rc1=$?
wait "$p2"; rc2=$?
check_cmd "two runs at once: both pass" [ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ]
check_cmd "two runs at once: separate results directories, each with its own test" \
	bash -c "[ \$(ls -d '$tmp'/c/2* | wc -l) -eq 2 ] && grep -q fixtures/healthy '$tmp/c1.out' && grep -q fixtures/after_panic '$tmp/c2.out'"

tap_finish
