#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: the libvirt backend. Starts the libvirt daemons
# (libvirt-daemons.sh), runs one quick test program through
# qemu:///system and through qemu+tcp://127.0.0.1/system, interrupts a
# third run, and checks that each run passed with real results, that
# the interrupted one stopped with 130, and that no daxtest domain and
# no QEMU of theirs is left. Stops the daemons it started. Prints TAP.
#
# usage: test-libvirt.sh DAXTEST
set -u

daxtest=$1
scripts=$(cd "$(dirname "$0")/.." && pwd)
program='per-file-dax/dax_statx'
. "$scripts/tap.sh"

result() {	# ok|fail description...
	local what=$1
	shift
	check "$*" "$([ "$what" = ok ] && echo 1 || echo 0)"
}

finish() {
	tap_finish
}

echo "TAP version 13"
if [ "$(id -u)" -ne 0 ]; then
	echo "# SKIP qemu:///system needs root"
	finish
fi

state=$(mktemp -d)
results=$(mktemp -d)
trap '"$scripts/libvirt-daemons.sh" stop "$state"; rm -rf "$state" "$results"' EXIT

if "$scripts/libvirt-daemons.sh" start "$state"; then
	result ok "libvirt daemons answer on qemu:///system"
else
	result fail "libvirt daemons answer on qemu:///system"
	finish
fi

# The domain a run used, from its qemu.log.
domains_of() {
	sed -n 's/^libvirt: domain \([^ ]*\) on .*/\1/p' "$1"/*/qemu.log 2>/dev/null | sort -u
}

run_via() {	# uri dir
	local uri=$1 dir=$2 t0 rc secs pass fail infra
	t0=$(date +%s.%N)
	"$daxtest" run --tests "$program" --results "$dir" --backend libvirt \
		--connect "$uri" > "$dir.out" 2>&1
	rc=$?
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	pass=$(sed -n 's/^passed=//p' "$dir/latest/summary.txt" 2>/dev/null)
	fail=$(sed -n 's/^failed=//p' "$dir/latest/summary.txt" 2>/dev/null)
	infra=$(sed -n 's/^infra_error=//p' "$dir/latest/summary.txt" 2>/dev/null)
	if [ "$rc" -eq 0 ] && [ "${pass:-0}" -gt 0 ] && [ "${fail:-1}" -eq 0 ] &&
	   [ -z "$infra" ] && [ -n "$(domains_of "$dir")" ]; then
		result ok "$program through $uri: $pass subtests passed, $(printf '%.1f' "$secs") s"
	else
		result fail "$program through $uri: exit $rc," \
			"passed=${pass:-?} failed=${fail:-?} ${infra:+($infra)}"
		sed 's/^/# /' "$dir.out" | tail -20
	fi
}

run_via qemu:///system "$results/local"
run_via qemu+tcp://127.0.0.1/system "$results/tcp"

# Ctrl-C while the guest runs: the domain must go, the exit status is 130.
mkdir -p "$results/int"
"$daxtest" run --tests "$program" --results "$results/int" --backend libvirt \
	> "$results/int.out" 2>&1 &
pid=$!
for _ in $(seq 120); do
	virsh -c qemu:///system list --name 2>/dev/null | grep -q "^daxtest-" && break
	sleep 0.5
done
sleep 2
kill -INT "$pid"
wait "$pid"
rc=$?
name=$(domains_of "$results/int")
if [ "$rc" -eq 130 ] && [ -n "$name" ] &&
   ! virsh -c qemu:///system list --all --name | grep -qx "$name"; then
	result ok "interrupted run: exit 130, domain $name destroyed"
else
	result fail "interrupted run: exit $rc, domain '${name}'"
	sed 's/^/# /' "$results/int.out" | tail -10
fi

left=$(virsh -c qemu:///system list --all --name | grep '^daxtest-')
if [ -z "$left" ]; then
	result ok "no daxtest domain left"
else
	result fail "daxtest domains left: $left"
fi
procs=""
for d in $(domains_of "$results/local") $(domains_of "$results/tcp") $name; do
	pgrep -f "guest=$d," >/dev/null && procs="$procs $d"
done
if [ -z "$procs" ]; then
	result ok "no QEMU of these runs left"
else
	result fail "QEMU still runs for:$procs"
fi
finish
