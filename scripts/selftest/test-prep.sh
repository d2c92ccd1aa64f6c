#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What happens before and around the guests: a malformed test fails
# before any kernel is built; SIGTERM during a kernel build ends the run
# at once with exit 130 and leaves no build process behind; a SIGKILLed
# daxtest takes its QEMU with it. Prints TAP.
#
# usage: test-prep.sh DAXTEST
set -u

daxtest=$(realpath "$1")
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
cleanup()
{
	pkill -KILL -f "$tmp/" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

# A process that is gone, or a zombie nobody reaped yet, is not running.
running()
{
	[ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f1)" != Z ]
}
. "$here/scripts/tap.sh"

# A project whose only area is a power-fail program without a TEST_F().
proj=$tmp/project
mkdir -p "$proj/tests/pfbad" "$proj/build/guest"
ln -s "$here/images" "$proj/images"
ln -s "$here/tests/matrix" "$proj/tests/matrix"
ln -s "$here/tests/lib.mk" "$proj/tests/lib.mk"
cp "$here/build/guest/daxtest-agent" "$proj/build/guest/"
printf 'timeout=10\npowerfail=1\n' > "$proj/tests/pfbad/settings"
printf 'TEST_GEN_PROGS := nothing\ninclude ../lib.mk\n' > "$proj/tests/pfbad/Makefile"
printf 'int main(void) { return 0; }\n' > "$proj/tests/pfbad/nothing.c"

start=$(date +%s)
timeout 120 "$daxtest" run --project "$proj" --cache "$tmp/cache1" --tests pfbad \
	> "$tmp/out" 2> "$tmp/err"
rc=$?
took=$(($(date +%s) - start))
TAP_DIAG=$tmp/err
check "a malformed power-fail test: exit 2, named (exit $rc)" \
	"$([ "$rc" -eq 2 ] && grep -q 'pfbad/nothing is a power-fail program without a TEST_F()' "$tmp/err" && echo 1)"
check "... before any kernel build (${took} s; cache has no kernel/)" \
	"$([ "$took" -le 5 ] && [ ! -e "$tmp/cache1/kernel" ] && echo 1)"

# SIGTERM while the kernel source is unpacked (a cold cache: minutes of
# tar, rsync and make).
"$daxtest" kernel build --cache "$tmp/cache2" > "$tmp/out" 2> "$tmp/err" &
pid=$!
for _ in $(seq 1 100); do
	grep -q 'kernel: ' "$tmp/err" 2>/dev/null && break
	sleep 0.1
done
sleep 2
kill -TERM "$pid"
start=$(date +%s%N)
wait "$pid"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
check "SIGTERM during a kernel build: exit 130 (exit $rc)" "$([ "$rc" -eq 130 ] && echo 1)"
check "... within 3 s (${took} ms)" "$([ "$took" -le 3000 ] && echo 1)"
sleep 0.5
check "... and no build process is left" \
	"$(pgrep -f "$tmp/cache2" > /dev/null || echo 1)"

# SIGKILL while a guest runs: its QEMU must not outlive daxtest.
mkdir -p "$tmp/w"
TMPDIR=$tmp/w "$daxtest" run --tests fixtures/spin --results "$tmp/r" \
	> "$tmp/out" 2> "$tmp/err" &
pid=$!
qemu=
for _ in $(seq 1 600); do
	qemu=$(pgrep -f "qemu-system.*$tmp/w" | head -1)
	[ -n "$qemu" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
TAP_DIAG=$tmp/err
check "a guest started (QEMU pid ${qemu:-none})" "$([ -n "$qemu" ] && echo 1)"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
gone=0
for _ in $(seq 1 30); do
	if ! running "$qemu"; then
		gone=1
		break
	fi
	sleep 0.1
done
check "SIGKILL of daxtest: its QEMU is gone within 3 s" "$gone"

tap_finish
