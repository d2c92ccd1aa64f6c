#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deps: install the Debian packages daxtest needs. Quick when they
# are all there; as non-root, names what is missing and how to get it.
set -eu

PACKAGES="
qemu-system-x86 qemu-utils
linux-source-6.12
build-essential make gcc binutils xz-utils bc flex bison libelf-dev libssl-dev dwarves cpio kmod ccache
patch rsync git lz4
busybox-static ndctl daxctl xfsprogs e2fsprogs
libjson-c-dev libcmocka-dev
libvirt-dev libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu
python3-yaml
chromium
meson ninja-build pkg-config libkmod-dev libudev-dev uuid-dev libtraceevent-dev libtracefs-dev
libiniparser-dev libkeyutils-dev
autoconf automake libtool xfslibs-dev libattr1-dev libacl1-dev libaio-dev liburing-dev libgdbm-dev
bash perl gawk sed coreutils util-linux attr acl fio jq psmisc bc dmsetup procps trace-cmd parted keyutils uuid-runtime
"

# FUZZ=1 (make fuzz): clang and libFuzzer's runtime (a recommended
# package of clang, which --no-install-recommends leaves out).
if [ -n "${FUZZ:-}" ]; then
	PACKAGES="$PACKAGES clang libclang-rt-dev"
fi

# KERNELS="debian-6.1 ...": their Debian source packages too.
for k in ${KERNELS:-}; do
	case $k in
	debian-*) PACKAGES="$PACKAGES linux-source-${k#debian-}" ;;
	esac
done

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing="$missing $p"
done

if [ -z "$missing" ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "daxtest: error: missing Debian packages:$missing" >&2
	echo "daxtest: install them with: sudo apt-get install --no-install-recommends$missing" >&2
	exit 1
fi

echo "daxtest: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! apt-get install -y -q --no-install-recommends $missing >/dev/null; then
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
