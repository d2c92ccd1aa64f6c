#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Start or stop the libvirt daemons that daxtest's libvirt backend talks
# to, on a machine without systemd (socket activation is what would start
# them otherwise). Only for tests: libvirtd also listens on TCP on
# 127.0.0.1 without authentication (qemu+tcp://127.0.0.1/system).
#
# usage: libvirt-daemons.sh start|stop STATE_DIR
#
# start: starts virtlogd and libvirtd unless they run already, and waits
#        until qemu:///system answers. What it started (and changed) is
#        recorded in STATE_DIR.
# stop:  stops only what start started.
# Nothing under /etc is written: libvirtd gets its config file from
# STATE_DIR (-f), and its QEMU driver a copy of /etc/libvirt/qemu.conf
# (see qemu_conf below).
set -eu

cmd=${1:-}
state=${2:-}
if [ -z "$cmd" ] || [ -z "$state" ]; then
	echo "usage: $0 start|stop STATE_DIR" >&2
	exit 2
fi

say() { echo "libvirt-daemons: $*" >&2; }

running() {	# pid name: alive (not a zombie) and named so
	[ -n "$1" ] && [ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm")" = "$2" ] &&
		[ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]
}

runs() {	# name: some such process is alive
	for pid in $(pgrep -x "$1"); do
		running "$pid" "$1" && return 0
	done
	return 1
}

answers() {
	timeout 10 virsh -c qemu:///system version >/dev/null 2>&1
}

# Without udev /dev/kvm stays root-only (0600), while libvirt checks it
# as the user it runs QEMU as (libvirt-qemu): it then decides its cached
# QEMU capabilities are stale and probes QEMU again on every call, about
# a minute per domain start. So the libvirtd started here runs QEMU as
# root: it runs in a mount namespace of its own where a copy of
# /etc/libvirt/qemu.conf with user/group root is bound over the real one
# (which is never written, and no device node is changed).
qemu_conf() {
	cp /etc/libvirt/qemu.conf "$state/qemu.conf"
	printf '\n# daxtest test daemon\nuser = "root"\ngroup = "root"\n' >> "$state/qemu.conf"
}

start_virtlogd() {
	if runs virtlogd; then
		return 0
	fi
	virtlogd -d
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -s /run/virtlogd.pid ] && break
		sleep 0.2
	done
	cp /run/virtlogd.pid "$state/virtlogd.pid"
	say "started virtlogd (pid $(cat "$state/virtlogd.pid"))"
}

start_libvirtd() {
	if runs libvirtd; then
		say "libvirtd runs already: using it as it is"
		return 0
	fi
	cat > "$state/libvirtd.conf" <<'CONF'
# daxtest's test configuration: TCP on the loopback only, no auth.
listen_tls = 0
listen_tcp = 1
listen_addr = "127.0.0.1"
auth_tcp = "none"
CONF
	qemu_conf
	# --listen: libvirt 9 (Debian 12) opens the TCP socket only with it.
	unshare --mount --propagation private sh -c \
		"mount --bind '$state/qemu.conf' /etc/libvirt/qemu.conf &&
		 exec libvirtd -d --listen -f '$state/libvirtd.conf' -p '$state/libvirtd.pid'"
	say "started libvirtd (config $state/libvirtd.conf)"
}

stop_one() {	# name
	pidfile="$state/$1.pid"
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	if running "$pid" "$1"; then
		kill "$pid"
		for _ in $(seq 50); do
			running "$pid" "$1" || break
			sleep 0.2
		done
		if running "$pid" "$1"; then
			kill -9 "$pid"
		fi
		say "stopped $1 (pid $pid)"
	fi
	rm -f "$pidfile"
}

case $cmd in
start)
	if [ "$(id -u)" -ne 0 ]; then
		say "qemu:///system needs root"
		exit 1
	fi
	for tool in virtlogd libvirtd virsh; do
		if ! command -v "$tool" >/dev/null; then
			say "$tool is not installed (make deps)"
			exit 1
		fi
	done
	mkdir -p "$state"
	start_virtlogd
	start_libvirtd
	# The first call probes QEMU's capabilities (~10 s).
	for _ in $(seq 60); do
		if answers; then
			exit 0
		fi
		sleep 1
	done
	say "qemu:///system does not answer after 60 s"
	exit 1
	;;
stop)
	stop_one libvirtd
	stop_one virtlogd
	rm -f "$state/libvirtd.conf" "$state/qemu.conf"
	;;
*)
	echo "usage: $0 start|stop STATE_DIR" >&2
	exit 2
	;;
esac
