#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: a user without root builds and runs the suite the way a
# normal user's first "make check" does. As root, this creates the system
# user daxtest-ci (once) and gives it a copy of root's ccache (no cold
# compile as that user: CI's budget), then removes from the user's cache
# every kernel artifact, test build and image, so that each stage after
# the compile runs as the user: the kernel build (ccache hits), nfit_test,
# modules_install, depmod and the module trees, the test programs, the
# guest image, the run and the report. The user has Debian's default
# PATH, without /usr/sbin and /sbin (where depmod and mkfs.* live).
# Checks: make deps as the user, exit 0 and real passing results, the
# kernel built by the user, the guest image private, nothing written
# outside the user's cache, results and TMPDIR, no QEMU left. Prints TAP.
#
# usage: test-nonroot.sh DAXTEST
set -u
. "$(dirname "$0")/../tap.sh"

# The default kernel: what make passes for KSRC= or PATCHES= is not
# what the user's plain "daxtest run" below builds.
unset KSRC PATCHES

daxtest=$(realpath "$1")
project=$(dirname "$(dirname "$daxtest")")
user="daxtest-ci"
test_name=per-file-dax/dax_statx

finish()
{
	tap_finish
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
# The user's cache: as_user below gives it HOME alone (no DAXTEST_CACHE
# or XDG_CACHE_HOME); its daxtest cache-dir is checked against this.
ucache=$home/.cache/daxtest

# 2. Root's kernel (building it here if there is none) for its ccache,
#    copied once into the user's cache: a copy, not links, so that no
#    file of root's is handed to the user.
"$daxtest" kernel build > "$tmp/kernel.out" 2> "$tmp/kernel.err" < /dev/null
check "root's cached kernel: $(tail -n 1 "$tmp/kernel.out")" "$([ -s "$tmp/kernel.out" ] && echo 1 || echo 0)"
root_cache=$("$daxtest" cache-dir)
[ "$root_cache" = "$ucache" ] && root_cache=/nonexistent
install -d -m 0700 -o "$user" -g "$user" "$home/.cache" "$ucache"
if [ ! -d "$ucache/ccache" ] && [ -d "$root_cache/ccache" ]; then
	echo "# seeding $ucache/ccache from $root_cache/ccache"
	rm -rf "$ucache/ccache.seed"
	cp -a "$root_cache/ccache" "$ucache/ccache.seed" &&
		chown -R "$user:" "$ucache/ccache.seed" &&
		mv "$ucache/ccache.seed" "$ucache/ccache"
fi
# Every stage after the compile, each run: no artifact, tests or image.
rm -rf "$ucache/kernel/out" "$ucache/tests" "$ucache/images"

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

# 4. As the user, in a clean environment with Debian's default PATH
#    for normal users (/etc/login.defs): make deps, then the run.
upath=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games
as_user()
{
	(cd "$tmp" && runuser -u "$user" -- env -i PATH=$upath HOME="$home" \
		TMPDIR="$tmp/tmp" LANG=C.UTF-8 "$@")
}
touch "$tmp/stamp"
sleep 1
as_user make -s -C "$src" deps > "$tmp/deps.out" 2>&1 < /dev/null
check "make deps as $user: every package there, exit 0" "$([ $? -eq 0 ] && echo 1 || echo 0)"
sed 's/^/#   /' "$tmp/deps.out"
check "daxtest cache-dir as $user is $ucache" \
	"$([ "$(as_user "$src/build/daxtest" cache-dir 2>&1 < /dev/null)" = "$ucache" ] && echo 1 || echo 0)"
start=$(date +%s.%N)
as_user "$src/build/daxtest" run --tests "$test_name" --results "$tmp/results" \
	> "$tmp/out" 2> "$tmp/err" < /dev/null
rc=$?
end=$(date +%s.%N)
echo "# daxtest run as $user (kernel stages, tests, image, run): exit $rc in $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"
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
check_cmd "the kernel was built by $user, nfit_test and module trees included" \
	grep -q "^daxtest: kernel: \[5/5\] building tools/testing/nvdimm" "$tmp/err"
artifact=$(find "$ucache/kernel/out" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | head -n 1)
deps=$(find "$artifact/modules/lib/modules" -mindepth 2 -maxdepth 2 -name modules.dep \
	-user "$user" 2>/dev/null | wc -l)
check "depmod ran as $user for both module trees ($deps modules.dep)" \
	"$([ "$deps" -eq 2 ] && echo 1 || echo 0)"
check_cmd "the test programs were built by $user" \
	test -n "$(find "$ucache/tests" -type f -perm -u+x -user "$user" 2>/dev/null | head -n 1)"
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
