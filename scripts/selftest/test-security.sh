#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: what a run exposes. Runs "daxtest run --tests
# per-file-dax/dax_statx --keep-work" and looks at it while the guest
# runs and after: the work directory is 0700 and holds the QMP socket,
# the FIFOs and every backing file QEMU opens; backing files and the
# cached guest image are 0600; QEMU has no network device and no TCP or
# UDP socket, and daxtest listens on nothing; the checkout is not
# written to (git status); no QEMU is left. Prints TAP.
#
# usage: test-security.sh DAXTEST
set -u
. "$(dirname "$0")/../tap.sh"

# The default kernel: KSRC= or PATCHES= from make would mean a build.
unset KSRC PATCHES

daxtest=$(realpath "$1")
project=$(dirname "$(dirname "$daxtest")")
test_name=per-file-dax/dax_statx
dpid=

# check_empty DESCRIPTION FILE: ok when FILE is empty, else shows it.
check_empty()
{
	if [ -s "$2" ]; then
		check "$1" 0
		sed 's/^/#   /' "$2" | head -n 20
	else
		check "$1" 1
	fi
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup()
{
	if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; then
		kill "$dpid"
		wait "$dpid"
	fi
	rm -rf "$tmp"
}

finish()
{
	tap_finish
}

# The inodes of a process's sockets.
socket_inodes()
{
	find "/proc/$1/fd" -lname 'socket:*' -printf '%l\n' 2>/dev/null |
		sed -n 's/^socket:\[\([0-9]*\)\]$/\1/p'
}

# Lines of /proc/<pid>/net/{tcp,udp,raw}{,6} holding one of its sockets.
inet_sockets()
{
	local pid=$1 inodes
	inodes=$(socket_inodes "$pid" | tr '\n' ' ')
	[ -n "$inodes" ] || return 0
	for t in tcp tcp6 udp udp6 raw raw6; do
		awk -v inodes=" $inodes" -v t="$t" \
			'NR > 1 && index(inodes, " " $10 " ") { print t ": " $0 }' \
			"/proc/$pid/net/$t" 2>/dev/null
	done
}

tmp=$(mktemp -d /tmp/daxtest-security.XXXXXX)
trap cleanup EXIT
mkdir "$tmp/tmp"

echo "TAP version 13"
in_git=0
if git -C "$project" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	in_git=1
	git -C "$project" --no-optional-locks status --porcelain --untracked-files=all |
		grep -v ' results/' > "$tmp/git-before"
fi

# A run first, so that the snapshot of this guest exists (vm/snapshot.h)
# and the run watched below restores its guest from it.
TMPDIR=$tmp/tmp "$daxtest" run --accel tcg --tests "$test_name" --results "$tmp/results" \
	> "$tmp/warmup" 2>&1 < /dev/null
check "a first run (it makes the guest's snapshot if missing) passed" \
	"$([ $? -eq 0 ] && echo 1 || echo 0)"

# The run, watched while its guest is up.
start=$(date +%s)
TMPDIR=$tmp/tmp "$daxtest" run --accel tcg --tests "$test_name" --keep-work --results "$tmp/results" \
	> "$tmp/out" 2> "$tmp/err" < /dev/null &
dpid=$!
qpid=
for _ in $(seq 1 3000); do
	for p in $(pgrep -P "$dpid"); do
		grep -qa 'nvdimm' "/proc/$p/cmdline" 2>/dev/null && qpid=$p
	done
	[ -n "$qpid" ] || ! kill -0 "$dpid" 2>/dev/null && break
	sleep 0.1
done
check "a guest started (QEMU pid ${qpid:-none})" "$([ -n "$qpid" ] && echo 1 || echo 0)"
wd=
if [ -n "$qpid" ]; then
	tr '\0' '\n' < "/proc/$qpid/cmdline" > "$tmp/cmdline"
	wd=$(sed -n 's/.*mem-path=\([^,]*\)\/nvdimm0\.img,.*/\1/p' "$tmp/cmdline" | head -n 1)
	# QEMU creates its QMP socket as it starts.
	for _ in $(seq 1 100); do
		[ -S "$wd/qmp.sock" ] && break
		sleep 0.1
	done
	stat -c '%a %F %n' "$wd" "$wd"/* > "$tmp/live" 2>&1
	ss -Hltnup > "$tmp/ss-inet" 2>&1
	ss -Hlxp > "$tmp/ss-unix" 2>&1
	inet_sockets "$qpid" > "$tmp/qemu-inet"
	inet_sockets "$dpid" > "$tmp/daxtest-inet"
	sed 's/^/#   live: /' "$tmp/live"
fi
wait "$dpid"
rc=$?
dpid_done=$dpid
dpid=
echo "# daxtest run: exit $rc in $(($(date +%s) - start)) s"
check "the run passed (exit $rc)" "$([ "$rc" -eq 0 ] && echo 1 || echo 0)"
if [ -z "$qpid" ] || [ -z "$wd" ]; then
	sed 's/^/#   /' "$tmp/err"
	finish
fi

# The work directory and what lives in it.
check "the work directory $wd is in TMPDIR" \
	"$(case $wd in "$tmp/tmp/"*) echo 1 ;; *) echo 0 ;; esac)"
check_cmd "the work directory is mode 700" grep -qx "700 directory $wd" "$tmp/live"
for f in console.in console.out results.in results.out; do
	check_cmd "FIFO $f is in the work directory, mode 600" \
		grep -qx "600 fifo $wd/$f" "$tmp/live"
done
check_cmd "the QMP socket is in the work directory" grep -q " socket $wd/qmp.sock$" "$tmp/live"
{
	grep -oE '(^|,)(mem-path|file|path)=[^,]*' "$tmp/cmdline" | sed 's/^,//' | cut -d= -f2-
	grep -oE '^unix:[^,]*' "$tmp/cmdline" | cut -c6-
} | sort -u > "$tmp/paths"
# Besides them, a guest restored from a snapshot maps the snapshot's RAM
# file from the cache, copy-on-write (share=off): nothing goes back to it.
cache=$("$daxtest" cache-dir)
grep -v "^$wd/" "$tmp/paths" | grep -v "^$cache/snapshots/[0-9a-f]*/ram\.img$" > "$tmp/outside"
check_empty "every file, FIFO and socket QEMU opens is in the work directory or is a snapshot's RAM ($(wc -l < "$tmp/paths") paths)" \
	"$tmp/outside"
ram=$(grep "^$cache/snapshots/[0-9a-f]*/ram\.img$" "$tmp/paths" | head -n 1)
check_cmd "the guest was restored (-incoming) and maps the snapshot's RAM file ${ram:-(none)} privately (share=off), mode 600" \
	sh -c "grep -qx -- -incoming '$tmp/cmdline' && test -n '$ram' && test \"\$(stat -c %a '$ram')\" = 600 && grep -q 'id=ram0,share=off,mem-path=$ram,' '$tmp/cmdline'"
awk -v wd="$wd" '$3 ~ /\.img$/ && $3 ~ "^" wd "/" && $1 != "600"' "$tmp/live" > "$tmp/img-live"
check_empty "backing files mode 600 while the guest runs" "$tmp/img-live"
for f in nvdimm0.img virtio-pmem.img nodax.img; do
	check_cmd "$f kept with --keep-work, mode 600" \
		test "$(stat -c %a "$wd/$f" 2>/dev/null)" = 600
done
initrd=$(grep -A1 -x -- -initrd "$tmp/cmdline" | tail -n 1)
check_cmd "the guest image in the cache ($initrd) is mode 600" \
	test "$(stat -c %a "$initrd" 2>/dev/null)" = 600

# Nothing reachable from the network.
grep -n -x -e '-netdev' -e '-nic' -e '-net' -e '-vnc' -e '-spice' -e '-gdb' -e '-s' \
	-e '-monitor' "$tmp/cmdline" > "$tmp/net-opts"
grep -n -i -e 'hostfwd' -e 'tcp:' -e 'udp:' -e 'telnet' -e 'websocket' -e 'socket,' \
	-e 'host=' -e 'port=' -e 'user,' "$tmp/cmdline" >> "$tmp/net-opts"
check_empty "QEMU's command line has no network device, no TCP/UDP chardev or display" \
	"$tmp/net-opts"
check_cmd "QEMU runs with -nodefaults (no default NIC) and -display none" \
	sh -c "grep -qx -- -nodefaults '$tmp/cmdline' && grep -A1 -x -- -display '$tmp/cmdline' | grep -qx none"
check_empty "QEMU has no TCP, UDP or raw socket (/proc/$qpid/net)" "$tmp/qemu-inet"
check_empty "daxtest has no TCP, UDP or raw socket" "$tmp/daxtest-inet"
grep -e "pid=$qpid," -e "pid=$dpid_done," "$tmp/ss-inet" > "$tmp/ss-mine"
check_empty "neither listens on a TCP or UDP port (ss -ltnup)" "$tmp/ss-mine"
grep "pid=$dpid_done," "$tmp/ss-unix" > "$tmp/ss-daxtest"
grep "pid=$qpid," "$tmp/ss-unix" > "$tmp/ss-qemu-all"
grep -v " $wd/qmp.sock " "$tmp/ss-qemu-all" > "$tmp/ss-qemu"
check_empty "daxtest listens on no unix socket" "$tmp/ss-daxtest"
check_cmd "ss -lxp shows QEMU listening on its QMP socket" \
	grep -q " $wd/qmp.sock " "$tmp/ss-qemu-all"
check_empty "QEMU listens on no other unix socket" "$tmp/ss-qemu"

# Results: readable by design (CI artifacts; the guest's output), never
# writable by others.
echo "# results files are 0644 and directories 0755 by design: they are the run's report"
find "$tmp/results" -perm -o+w ! -type l > "$tmp/results-w"
check_empty "no results file writable by others" "$tmp/results-w"

# Nothing written to the checkout, no QEMU left.
if [ "$in_git" = 1 ]; then
	git -C "$project" --no-optional-locks status --porcelain --untracked-files=all |
		grep -v ' results/' > "$tmp/git-after"
	diff "$tmp/git-before" "$tmp/git-after" > "$tmp/git-diff"
	check_empty "the checkout is unchanged (git status, results/ aside)" "$tmp/git-diff"
fi
check_cmd "QEMU (pid $qpid) is gone after the run" test ! -e "/proc/$qpid"

finish
