#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The persistence model (plugin/) in a real guest: the project's kernel
# and image, one 256 MiB NVDIMM, QEMU with the daxtest-persist plugin.
# The guest writes a block with write()+fsync (non-temporal stores and a
# fence: persistent) and stores a block through a DAX mmap without msync
# (in the CPU cache only), then QEMU is SIGKILLed. The plugin's shadow
# (the strict crash image) must hold the first block and not the second,
# while the backing file, which QEMU wrote at once, holds both. Prints TAP.
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
check "the project's kernel and image" "$([ -f "$kernel" ] && [ -f "$image" ] && [ -f "$plugin" ] && echo 1)"

# The image with a script as /init instead of the agent.
mkdir "$tmp/root"
lz4 -dc "$image" | (cd "$tmp/root" && cpio -idm --quiet)
cat > "$tmp/root/init" <<'INIT'
#!/bin/sh
mkdir -p /proc /sys /dev /mnt
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
modprobe nfit; modprobe nd_pmem
i=0; while [ ! -e /dev/pmem0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
ndctl create-namespace -f -e namespace0.0 -m fsdax -M mem > /dev/null &&
mkfs.ext4 -q -F -b 4096 /dev/pmem0 && mount -o dax /dev/pmem0 /mnt &&
xfs_io -f -c "pwrite -q -S 0x55 0 4096" -c fsync /mnt/written &&
xfs_io -f -c "truncate 65536" -c "mmap 0 65536" -c "mwrite -S 0x66 0 4096" /mnt/mapped &&
echo DAXTEST_CUT_NOW && sleep 1000
echo DAXTEST_FAILED
poweroff -f
INIT
chmod +x "$tmp/root/init"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet) > "$tmp/init.cpio"

# The NVDIMM's memory backend is QEMU's first RAM block: RAM-block
# offset 0, where the plugin's addresses start (see pmem_model.h).
size=$((256 << 20))
truncate -s "$size" "$tmp/pmem.img"
qemu-system-x86_64 -machine pc,nvdimm=on,accel=tcg -cpu max -smp 1 \
	-m 512M,slots=2,maxmem=1G \
	-object memory-backend-file,id=nvmem0,share=on,mem-path="$tmp/pmem.img",size=$size \
	-device nvdimm,memdev=nvmem0,id=nvdimm0 \
	-kernel "$kernel" -initrd "$tmp/init.cpio" \
	-append 'console=ttyS0 panic=-1 rdinit=/init quiet' \
	-nographic -no-reboot -display none \
	-plugin "$plugin,region=0:$size:$tmp/pmem.img:$tmp/shadow.img" \
	> "$tmp/console.log" 2>&1 &
qemu_pid=$!
cut=0
for _ in $(seq 1 1200); do
	if grep -q DAXTEST_CUT_NOW "$tmp/console.log"; then
		cut=1
		break
	fi
	kill -0 "$qemu_pid" 2>/dev/null || break
	sleep 0.1
done
kill -KILL "$qemu_pid" 2>/dev/null
wait "$qemu_pid" 2>/dev/null
qemu_pid=
TAP_DIAG=$tmp/console.log
check "the guest wrote both blocks, then the power was cut" "$cut"

# Where each block is in the backing file, and whether the shadow has it.
block_state()	# BYTE: "at OFFSET live=1 shadow=0|1", or "absent"
{
	python3 - "$tmp/pmem.img" "$tmp/shadow.img" "$1" <<'PY'
import sys
live = open(sys.argv[1], 'rb').read()
shadow = open(sys.argv[2], 'rb').read() if len(sys.argv) > 2 else b''
block = bytes([int(sys.argv[3], 0)]) * 4096
at = live.find(block)
if at < 0 or at % 4096:
    print('absent')
else:
    print('at %#x live=1 shadow=%d' % (at, shadow[at:at + 4096] == block))
PY
}
written=$(block_state 0x55)
mapped=$(block_state 0x66)
check "write()+fsync: persistent in the crash image ($written)" \
	"$(echo "$written" | grep -q 'shadow=1' && echo 1)"
check "DAX mmap store, no msync: lost in the crash image ($mapped)" \
	"$(echo "$mapped" | grep -q 'shadow=0' && echo 1)"

tap_finish
