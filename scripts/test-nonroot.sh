#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: a user without root runs the suite. As root, this creates
# the system user daxtest-ci (once), seeds its cache with the kernel
# root's cache already has (a copy: no kernel build as that user), and
# runs "daxtest run --tests per-file-dax/dax_statx" as daxtest-ci
# (runuser, a clean environment). Checks: exit 0 and real passing
# results, the kernel came from the cache, /dev/kvm refused -> TCG with a
# notice, the guest image is private, nothing was written outside the
# user's cache, results and TMPDIR, no QEMU left. Prints TAP; with
# NONROOT_COUNTS=file, writes "passed failed" there.
#
# usage: test-nonroot.sh DAXTEST
set -u
. "$(dirname "$0")/tap.sh"

# The default kernel: what make passes for KSRC= or PATCHES= is not
# what the user's plain "daxtest run" below builds.
unset KSRC PATCHES

daxtest=$(realpath "$1")
project=$(dirname "$(dirname "$daxtest")")
user="daxtest-ci"
test_name=per-file-dax/dax_statx

finish()
{
	tap_finish "${NONROOT_COUNTS:-}"
}

echo "TAP version 13"
if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - non-root run # SKIP needs root to create the user $user"
	n=1
	passed=1
	finish
fi

tmp=$(mktemp -d /tmp/daxtest-nonroot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"

# 1. The user, created once.
if id -u "$user" >/dev/null 2>&1; then
	echo "# user $user exists"
else
	echo "# creating the system user $user (useradd --system --create-home)"
	useradd --system --create-home --shell /usr/sbin/nologin \
		--comment "daxtest non-root test" "$user"
fi
home=$(getent passwd "$user" | cut -d: -f6)
check_cmd "the system user $user exists, home $home" test -n "$home" -a -d "$home"
if [ -z "$home" ] || [ ! -d "$home" ]; then
	finish
fi
ucache=$home/.cache/daxtest

# 2. The kernel root's cache has (building it here if it has none), and
#    a copy in the user's cache at the same relative path. A copy, not
#    hard links: chown-ing a link would hand root's file to the user.
"$daxtest" kernel build > "$tmp/kernel.out" 2> "$tmp/kernel.err" < /dev/null
bzimage=$(tail -n 1 "$tmp/kernel.out")
artifact=$(dirname "$bzimage")
key=$(basename "$artifact")
rel=kernel/out/$key
case $artifact in
*/"$rel") ok=1 ;;
*) ok=0 ;;
esac
check "root's cached kernel: $artifact" "$ok"
if [ "$ok" -ne 1 ] || [ ! -f "$bzimage" ]; then
	sed 's/^/#   /' "$tmp/kernel.err"
	finish
fi
install -d -m 0700 -o "$user" -g "$user" "$home/.cache" "$ucache"
if [ ! -f "$ucache/$rel/bzImage" ]; then
	echo "# seeding $ucache/$rel from $artifact"
	rm -rf "$ucache/$rel.seed"
	install -d -o "$user" -g "$user" "$ucache/kernel" "$ucache/kernel/out"
	cp -a "$artifact" "$ucache/$rel.seed" &&
		chown -R "$user:" "$ucache/$rel.seed" &&
		mv "$ucache/$rel.seed" "$ucache/$rel"
fi
check_cmd "the user's cache has the kernel at $rel" test -f "$ucache/$rel/bzImage"

# 3. The checkout, read in place when the user can read it.
src=$project
if ! runuser -u "$user" -- test -r "$project/Makefile" -a -x "$daxtest" \
	-a -r "$project/build/guest/daxtest-agent" -a -r "$project/tests/matrix"; then
	echo "# $user cannot read $project: running a copy"
	src=$tmp/checkout
	rsync -a --exclude .git --exclude results "$project/" "$src/" &&
		chown -R "$user:" "$src"
fi
install -d -m 0700 -o "$user" -g "$user" "$tmp/results" "$tmp/tmp"

# 4. The run, as the user, in a clean environment.
root_cache=${DAXTEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxtest}
[ "$root_cache" = "$ucache" ] && root_cache=/nonexistent
touch "$tmp/stamp"
sleep 1
start=$(date +%s.%N)
(cd "$tmp" && runuser -u "$user" -- env -i PATH=/usr/local/bin:/usr/bin:/bin \
	HOME="$home" TMPDIR="$tmp/tmp" LANG=C.UTF-8 \
	"$src/build/daxtest" run --tests "$test_name" --results "$tmp/results" \
	> "$tmp/out" 2> "$tmp/err" < /dev/null)
rc=$?
end=$(date +%s.%N)
echo "# daxtest run as $user: exit $rc in $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"
sed 's/^/#   /' "$tmp/err"

check "daxtest run as $user exits 0" "$([ "$rc" -eq 0 ] && echo 1 || echo 0)"
summary=$tmp/results/latest/summary.txt
p=$(sed -n 's/^passed=//p' "$summary" 2>/dev/null)
f=$(sed -n 's/^failed=//p' "$summary" 2>/dev/null)
check "its results: ${p:-?} passed, ${f:-?} failed" \
	"$([ "${p:-0}" -gt 0 ] && [ "${f:-1}" -eq 0 ] && echo 1 || echo 0)"
check_cmd "KTAP on stdout: ok 1 $test_name" grep -q "^ok 1 $test_name" "$tmp/out"
check_cmd "the results are the user's" \
	test "$(stat -c %U "$tmp/results/latest/results.json" 2>/dev/null)" = "$user"
check_cmd "the kernel came from the user's cache (no build)" \
	grep -q "^daxtest: kernel: cached .*($ucache/$rel)" "$tmp/err"
check_cmd "no kernel source extracted into the user's cache" test ! -e "$ucache/src"
if runuser -u "$user" -- test -r /dev/kvm -a -w /dev/kvm; then
	check_cmd "$user may use /dev/kvm: the accelerator was probed" \
		grep -q "accel \(kvm\|tcg\)" "$tmp/err"
else
	check_cmd "/dev/kvm refused to $user: TCG, with a notice" \
		grep -q "KVM unavailable (/dev/kvm cannot be opened): using TCG" "$tmp/err"
fi
image=$(sed -n 's/^daxtest: image: .*(.*, \(.*\.cpio\.lz4\)).*/\1/p; s/^daxtest: image: built \([^ ]*\) .*/\1/p' \
	"$tmp/err" | head -n 1)
check "the guest image ${image:-?} is in the user's cache, mode 600" \
	"$(case $image in "$ucache"/*) [ "$(stat -c %a "$image")" = 600 ] && echo 1 || echo 0 ;; *) echo 0 ;; esac)"

# 5. Nothing written elsewhere: no file of the user's outside its cache,
#    results and TMPDIR, and nothing of the user's in root's cache.
find /tmp /var/tmp /dev/shm /run /home /work -xdev -user "$user" -newer "$tmp/stamp" \
	2>/dev/null | grep -v -e "^$ucache\(/\|$\)" -e "^$tmp/results\(/\|$\)" \
	-e "^$tmp/tmp\(/\|$\)" > "$tmp/stray"
check "no file of $user's written outside its cache, results and TMPDIR" \
	"$([ -s "$tmp/stray" ] && echo 0 || echo 1)"
sed 's/^/#   /' "$tmp/stray" | head -n 20
if [ -d "$root_cache" ]; then
	stray=$(find "$root_cache" -newer "$tmp/stamp" ! -user root 2>/dev/null | head -n 5)
	check "nothing written into root's cache $root_cache" "$([ -z "$stray" ] && echo 1 || echo 0)"
fi
check_cmd "TMPDIR is left empty (the work directory removed)" \
	test -z "$(ls -A "$tmp/tmp")"

# 6. No QEMU left.
check_cmd "no QEMU of $user's left running" \
	test -z "$(pgrep -u "$user" -f qemu-system)"

finish
