#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guests restored from a snapshot (harness/vm/snapshot.h) must give the
# results booted guests give, and must not see state of the snapshot:
#   - a small selection (per-file DAX, MAP_SYNC with virtio-pmem, and the
#     power-fail cases of dax_flag_cut, whose verify phases restore on the
#     cut's files), in the quick and the full matrix, with snapshots and
#     with --no-snapshot: the same results (daxtest compare), and the
#     restored runs really restored their guests
#   - tests/restore: a verify phase maps the DAX file whose pages were
#     mapped at the cut, on the map=dev namespace (struct pages on the
#     NVDIMM); it passes, and it fails (a kernel WARNING in dax.c) when
#     the guest is told its files did not change (the self-test hook
#     DAXTEST_SELFTEST_STALE_RESTORE), so it would notice stale state.
#     Both with --crash-model none: the strict model drops the prepare
#     kernel's unflushed stores to those struct pages
#   - a QEMU that refuses the snapshot: one line saying so, the guests
#     boot, the results are the same
# Prints TAP.
#
# usage: test-snapshot.sh DAXTEST
set -u
. "$(dirname "$0")/../tap.sh"

daxtest=$(realpath "$1")
tmp=$(mktemp -d)
cache=$("$daxtest" cache-dir)
wrapper_snapshot=
# The wrapper QEMU's snapshot (its own key) goes with it.
trap 'rm -rf "$tmp" ${wrapper_snapshot:+"$cache/snapshots/$wrapper_snapshot"}' EXIT
TAP_DIAG=$tmp/err
selection=per-file-dax/dax_statx,mmap-sync/map_sync_flags,powerfail/dax_flag_cut
base=(--accel tcg --seed 7)

field()		# RESULTS KEY
{
	"$daxtest" results "$1" --field "$2"
}

echo "TAP version 13"

# 1. The same results, both ways, in both matrices.
for matrix in quick full; do
	"$daxtest" run "${base[@]}" --matrix "$matrix" --tests "$selection" \
		--results "$tmp/$matrix-restored" > /dev/null 2> "$tmp/err"
	rc_r=$?
	"$daxtest" run "${base[@]}" --matrix "$matrix" --tests "$selection" --no-snapshot \
		--results "$tmp/$matrix-booted" > /dev/null 2> "$tmp/err"
	rc_b=$?
	check "$matrix matrix: every test passes, restored ($rc_r) and booted ($rc_b)" \
		"$([ "$rc_r" -eq 0 ] && [ "$rc_b" -eq 0 ] && echo 1 || echo 0)"
	restored=$(field "$tmp/$matrix-restored" guests_restored)
	booted=$(field "$tmp/$matrix-booted" guests_booted)
	check "$matrix matrix: $restored guests restored with snapshots, $booted booted without" \
		"$([ "${restored:-0}" -gt 0 ] && [ "$(field "$tmp/$matrix-booted" guests_restored)" = 0 ] && echo 1 || echo 0)"
	"$daxtest" compare "$tmp/$matrix-booted" "$tmp/$matrix-restored" > "$tmp/err" 2>&1
	check "$matrix matrix: no result differs between booted and restored guests" \
		"$([ $? -eq 0 ] && echo 1 || echo 0)"
done

# 2. Stale state: passes as it is, fails when the guest keeps the snapshot's view.
"$daxtest" run "${base[@]}" --crash-model none --tests 'restore/*' --results "$tmp/fresh" \
	> "$tmp/out" 2> "$tmp/err"
rc=$?
status=$("$daxtest" results "$tmp/fresh" | cut -f2)
check "restore/fresh_after_cut passes ($status) in a restored verify phase" \
	"$([ "$rc" -eq 0 ] && [ "$status" = pass ] && [ "$(field "$tmp/fresh" guests_restored)" -gt 0 ] && echo 1 || echo 0)"
DAXTEST_SELFTEST_STALE_RESTORE=1 "$daxtest" run "${base[@]}" --crash-model none \
	--tests 'restore/*' --results "$tmp/stale" > "$tmp/out" 2> "$tmp/err"
rc=$?
TAP_DIAG=$tmp/out
check "with the snapshot's view of the NVDIMMs kept, it fails: the kernel warns in dax.c" \
	"$([ "$rc" -eq 1 ] && grep -q '^not ok 1 restore/fresh_after_cut.*WARNING.*fs/dax.c' "$tmp/out" && echo 1 || echo 0)"
TAP_DIAG=$tmp/err

# 3. A QEMU that refuses every snapshot (a wrapper: a binary of its own,
# so a snapshot of its own): one line, then boots, the same results.
mkdir -p "$tmp/bin"
real=$(command -v qemu-system-x86_64)
cat > "$tmp/bin/qemu-system-x86_64" <<EOF
#!/bin/bash
for a in "\$@"; do
	if [ "\$a" = -incoming ]; then
		echo "qemu-system-x86_64: test wrapper: this QEMU restores nothing" >&2
		exit 1
	fi
done
exec "$real" "\$@"
EOF
chmod +x "$tmp/bin/qemu-system-x86_64"
PATH="$tmp/bin:$PATH" "$daxtest" run "${base[@]}" --tests per-file-dax/dax_statx \
	--results "$tmp/refused" > /dev/null 2> "$tmp/err"
rc=$?
wrapper_snapshot=$(sed -n 's/^daxtest: snapshot \([0-9a-f]*\): booting a guest.*/\1/p' "$tmp/err" | head -n 1)
check "a refused snapshot: the run passes in booted guests" \
	"$([ "$rc" -eq 0 ] && [ "$(field "$tmp/refused" guests_restored)" = 0 ] && echo 1 || echo 0)"
check "a refused snapshot: one line says why" \
	"$([ "$(grep -c 'this QEMU restores nothing; the guests boot from now on' "$tmp/err")" = 1 ] && echo 1 || echo 0)"

tap_finish
