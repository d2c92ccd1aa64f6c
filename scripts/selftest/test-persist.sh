#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The persistence plugin (plugin/) on its own in a real guest, without
# daxtest's runner: the project's image and kernel (whose clwb() is
# followed by the load the plugin places flushes by,
# kernel-patches/instrument/), one 256 MiB NVDIMM, QEMU with the
# plugin, and a script as /init that writes to a DAX-mounted ext4 and
# then waits for the power cut (QEMU SIGKILLed). The plugin's shadow,
# the strict crash image, must hold what the kernel made persistent and
# nothing else, while the backing file, which QEMU wrote at once, holds
# everything: a block written with write()+fsync (non-temporal stores
# and a fence) survives, a block stored through a DAX mapping and
# msync'd (clwb and a fence) survives, the next one, not msync'd, is
# lost. The runner's use of the plugin (--crash-model) is checked by
# the power-fail cases themselves (map_sync_unflushed).
# Prints TAP.
#
# usage: test-persist.sh DAXTEST
set -u

daxtest=$(realpath "$1")
here=$(cd "$(dirname "$0")/../.." && pwd)
plugin=$here/build/plugin/daxtest-persist.so
tmp=$(mktemp -d)
qemu_pid=
cleanup()
{
	[ -n "$qemu_pid" ] && kill -KILL "$qemu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. "$here/scripts/tap.sh"

kernel=$("$daxtest" kernel build 2> "$tmp/err" | tail -1)
image=$("$daxtest" image build 2>> "$tmp/err" | tail -1)
TAP_DIAG=$tmp/err
check "the project's kernel, the image and the plugin" \
	"$([ -f "$kernel" ] && [ -f "$image" ] && [ -f "$plugin" ] && echo 1)"

mkdir "$tmp/root"
lz4 -dc "$image" | (cd "$tmp/root" && cpio -idm --quiet)

# make_init NAME WORKLOAD: the image with a script as /init that mounts
# ext4 -o dax on the NVDIMM, runs WORKLOAD and waits for the cut.
make_init()
{
	cat > "$tmp/root/init" <<INIT
#!/bin/sh
mkdir -p /proc /sys /dev /mnt
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
modprobe nfit; modprobe nd_pmem
i=0; while [ ! -e /dev/pmem0 ] && [ \$i -lt 100 ]; do sleep 0.1; i=\$((i + 1)); done
ndctl create-namespace -f -e namespace0.0 -m fsdax -M mem > /dev/null &&
mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -o dax /dev/pmem0 /mnt &&
$2 &&
echo DAXTEST_CUT_NOW && sleep 1000
echo DAXTEST_FAILED
poweroff -f
INIT
	chmod +x "$tmp/root/init"
	(cd "$tmp/root" && find . | cpio -o -H newc --quiet) > "$tmp/$1.cpio"
}

# boot NAME KERNEL: boots it with the plugin, cuts the power when the
# workload is done. 1 when the cut came after the workload.
boot()
{
	local size=$((256 << 20)) cut=0
	rm -f "$tmp/pmem.img" "$tmp/shadow.img"
	truncate -s "$size" "$tmp/pmem.img"
	# The NVDIMM's memory backend is QEMU's first RAM block: RAM-block
	# offset 0, where the plugin's addresses start (pmem_model.h).
	qemu-system-x86_64 -machine pc,nvdimm=on,accel=tcg -cpu max -smp 1 \
		-m 512M,slots=2,maxmem=1G \
		-object memory-backend-file,id=nvmem0,share=on,mem-path="$tmp/pmem.img",size=$size \
		-device nvdimm,memdev=nvmem0,id=nvdimm0 \
		-kernel "$2" -initrd "$tmp/$1.cpio" \
		-append 'console=ttyS0 panic=-1 rdinit=/init quiet' \
		-nographic -no-reboot -display none \
		-plugin "$plugin,region=0:$size:$tmp/pmem.img:$tmp/shadow.img" \
		> "$tmp/$1.log" 2>&1 &
	qemu_pid=$!
	for _ in $(seq 1 1200); do
		if grep -q DAXTEST_CUT_NOW "$tmp/$1.log"; then
			cut=1
			break
		fi
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=
	echo "$cut"
}

# block_state BYTE: "at OFFSET shadow=0|1" for the 4 KiB block of BYTE in
# the backing file, or "absent".
block_state()
{
	python3 - "$tmp/pmem.img" "$tmp/shadow.img" "$1" <<'PY'
import sys
live = open(sys.argv[1], 'rb').read()
shadow = open(sys.argv[2], 'rb').read()
block = bytes([int(sys.argv[3], 0)]) * 4096
at = live.find(block)
if at < 0 or at % 4096:
    print('absent')
else:
    print('at %#x shadow=%d' % (at, shadow[at:at + 4096] == block))
PY
}

# check_block DESCRIPTION BYTE SHADOW: the block of BYTE is (SHADOW=1) or
# is not (0) in the crash image.
check_block()
{
	local state
	state=$(block_state "$2")
	check "$1 ($state)" "$(echo "$state" | grep -q "shadow=$3" && echo 1)"
}

make_init cut 'xfs_io -f -c "pwrite -q -S 0x55 0 4096" -c fsync /mnt/written &&
xfs_io -f -c "truncate 65536" -c "mmap 0 65536" -c "mwrite -S 0x77 0 4096" -c "msync -s 0 4096" -c "mwrite -S 0x44 8192 4096" /mnt/mapped'
cut=$(boot cut "$kernel")
TAP_DIAG=$tmp/cut.log
check "the guest did its writes, then the power was cut" "$cut"
check_block "write()+fsync is in the crash image" 0x55 1
check_block "a DAX mmap store msync'd is in the crash image" 0x77 1
check_block "the next one, not msync'd, is not" 0x44 0

tap_finish
