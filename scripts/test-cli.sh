#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input must give exactly one "daxtest: error:" line naming the
# problem and exit status 2, before any guest starts. Prints TAP; with
# CLI_COUNTS=file, writes "passed failed" there.
set -u

daxtest=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# check (tap.sh) and expect_error below count in the same n, passed, failed.
. "$(dirname "$0")/tap.sh"

# expect_error DESCRIPTION EXPECTED-TEXT COMMAND...
expect_error()
{
	local desc=$1 want=$2 rc errors
	shift 2
	n=$((n + 1))
	"$@" > "$tmp/out" 2> "$tmp/err" < /dev/null
	rc=$?
	errors=$(grep -c '^daxtest: error:' "$tmp/err")
	if [ "$rc" -eq 2 ] && [ "$errors" -eq 1 ] && grep -q -- "$want" "$tmp/err"; then
		echo "ok $n - $desc"
		passed=$((passed + 1))
	else
		echo "not ok $n - $desc (exit $rc, $errors error lines, wanted '$want')"
		sed 's/^/#   /' "$tmp/err"
		failed=$((failed + 1))
	fi
}

echo "TAP version 13"
expect_error "unknown command" "unknown command 'frobnicate'" \
	"$daxtest" frobnicate
expect_error "unknown option" "unknown option '--bogus'" \
	"$daxtest" run --bogus
expect_error "option without its value" "needs a value" \
	"$daxtest" run --tests
expect_error "--coverage outside daxtest list" "--coverage is an option of daxtest list" \
	"$daxtest" run --coverage

# The coverage listing of the project's own mutants: every claim names a
# test case, and the listing ends with its totals.
cov=$("$daxtest" list --coverage 2>&1)
rc=$?
check "daxtest list --coverage lists the mutants' claims (exit $rc)" \
	"$([ "$rc" -eq 0 ] && echo "$cov" | grep -Eq '^coverage: [0-9]+ of [0-9]+ test cases killed by at least one of [0-9]+ mutants; [0-9]+ unproven$' && echo 1 || echo 0)"
expect_error "empty --series" "--series needs a series file or 'none'" \
	"$daxtest" run --series ''
expect_error "missing --series file" "cannot read patch series /nonexistent/series" \
	"$daxtest" run --series /nonexistent/series
expect_error "compare with one run" "compare needs two runs' results" \
	"$daxtest" compare results
expect_error "compare of a run without results.json" "/nonexistent/a: no results.json there" \
	"$daxtest" compare /nonexistent/a /nonexistent/b
expect_error "bad accelerator" "is not auto, kvm or tcg" \
	"$daxtest" run --accel xen
expect_error "unknown test name" "unknown test 'no-such-test'" \
	"$daxtest" run --tests no-such-test
expect_error "unknown matrix" "unknown matrix 'nightly'" \
	"$daxtest" run --matrix nightly
expect_error "map=dev cell with one NVDIMM" "needs --nvdimms 2 or more" \
	"$daxtest" run --matrix full --nvdimms 1
expect_error "negative seed" "--seed needs a non-negative integer, not '-3'" \
	"$daxtest" run --seed -3
expect_error "zero iterations" "iterations" \
	"$daxtest" run --iterations 0
expect_error "unknown kernel name" "--kernel debian-7: expected debian-<major>.<minor>" \
	"$daxtest" run --kernel debian-7
expect_error "a kernel name and a kernel tree" "give one of them" \
	"$daxtest" run --kernel debian-6.1 --ksrc "$tmp"
expect_error "repro without a recipe" "repro needs a recipe name" \
	"$daxtest" repro
expect_error "repro of an unknown recipe" "no recipe .*/tests/repro/no-such-bug.recipe" \
	"$daxtest" repro no-such-bug
expect_error "report without a directory" "report needs a results directory" \
	"$daxtest" report
expect_error "report of a directory without results.json" "has no results.json" \
	"$daxtest" report "$tmp"
printf '{"tests": [{"name": "a", "status": "bogus"}]}' > "$tmp/results.json"
expect_error "report of a malformed results.json" "results.json: tests\[0\]: status is not a test status" \
	"$daxtest" report "$tmp"
rm -f "$tmp/results.json"
expect_error "bisect without its revisions" "bisect needs --ksrc DIR (a git kernel tree), --good REV and --bad REV" \
	"$daxtest" bisect --ksrc "$tmp"
expect_error "bisect in a tree without git" "is not a git work tree" \
	"$daxtest" bisect --ksrc "$tmp" --good a --bad b
mkdir -p "$tmp/git" && git -C "$tmp/git" init -q &&
	git -C "$tmp/git" -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
expect_error "bisect with an unknown revision" "--good v0.0 is not a commit in" \
	"$daxtest" bisect --ksrc "$tmp/git" --good v0.0 --bad HEAD
expect_error "kernel tree that does not exist" "KSRC=$tmp/nope" \
	"$daxtest" kernel build --ksrc "$tmp/nope"
expect_error "directory that is not a kernel tree" "is not a kernel source tree" \
	"$daxtest" kernel build --ksrc "$tmp"
expect_error "missing series file" "--patches $tmp/missing-series" \
	"$daxtest" kernel build --patches "$tmp/missing-series"

printf 'good.patch -x\n' > "$tmp/bad-option.series"
expect_error "malformed series line" "bad-option.series:1: unknown option '-x'" \
	"$daxtest" kernel build --patches "$tmp/bad-option.series"

printf '# a comment\nmissing.patch\n' > "$tmp/missing.series"
expect_error "series naming a missing patch" "missing.series:2: cannot read patch" \
	"$daxtest" kernel build --patches "$tmp/missing.series"

cat > "$tmp/stale.patch" <<'PATCH'
--- a/MAINTAINERS
+++ b/MAINTAINERS
@@ -1,3 +1,3 @@
-This line is not in the kernel's MAINTAINERS file
+and so the hunk cannot apply
 nor is this one
 or this one
PATCH
printf 'stale.patch\n' > "$tmp/stale.series"
expect_error "patch that does not apply" "stale.patch (.*stale.series:1) does not apply: Hunk #1 FAILED" \
	"$daxtest" kernel build --patches "$tmp/stale.series"

printf 'CONFIG_NFS_FS=y\n' > "$tmp/nfs.config"
expect_error "config option that cannot be set" "CONFIG_NFS_FS=y (asked for in $tmp/nfs.config:1) ended up not set" \
	"$daxtest" kernel build --config "$tmp/nfs.config"

# make passes PATCHES both in the environment and as --patches: once, on
# top of kernel-patches/series.
n=$((n + 1))
base=$(grep -cEv '^[[:space:]]*(#|$)' kernel-patches/series 2>/dev/null)
want=$((${base:-0} + 1))
PATCHES=$tmp/stale.series "$daxtest" kernel build --patches "$tmp/stale.series" \
	> /dev/null 2> "$tmp/err" < /dev/null
if grep -Eq ", $want patch(es)?, key" "$tmp/err"; then
	echo "ok $n - PATCHES and --patches name the series once"
	passed=$((passed + 1))
else
	echo "not ok $n - PATCHES and --patches stacked the series twice"
	sed 's/^/#   /' "$tmp/err"
	failed=$((failed + 1))
fi

# Missing host programs: every one named with its package at once,
# before anything is built. PATH holds all of /usr/bin but lz4 and QEMU
# (what is in /usr/sbin, such as depmod, is found there without PATH).
mkdir -p "$tmp/bin"
for f in /usr/bin/*; do
	case ${f##*/} in
	lz4 | qemu-system-x86_64) ;;
	*) ln -s "$f" "$tmp/bin/" ;;
	esac
done
start=$(date +%s%N)
expect_error "missing host programs, named with their packages" \
	"missing on this host: lz4 (lz4), qemu-system-x86_64 (qemu-system-x86); install with 'sudo make deps' or 'sudo apt-get install lz4 qemu-system-x86'" \
	env PATH="$tmp/bin" "$daxtest" run --rebuild
ms=$((($(date +%s%N) - start) / 1000000))
TAP_DIAG=$tmp/err check "they are named before the kernel stage ($ms ms)" \
	"$([ "$ms" -lt 5000 ] && ! grep -q 'kernel:' "$tmp/err" && echo 1 || echo 0)"
expect_error "daxtest image build needs no QEMU, but lz4" \
	"missing on this host: lz4 (lz4); install" \
	env PATH="$tmp/bin" "$daxtest" image build

expect_error "more guest memory than the host has" "the host has .* MiB of memory available, 2 guest(s) of --mem 65536 MiB need" \
	"$daxtest" run --tests 'per-file-dax/*' --mem 65536 -j 2

# A disk too small for the backing files, checked before any guest:
# TMPDIR on a 64 MiB tmpfs (root only: mount).
if [ "$(id -u)" -eq 0 ] && mkdir -p "$tmp/small" && mount -t tmpfs -o size=64m tmpfs "$tmp/small"; then
	expect_error "disk too small for the backing files" "$tmp/small has 64 MiB free, the backing files of 1 guest(s) need 3072 MiB" \
		env TMPDIR="$tmp/small" "$daxtest" run --tests per-file-dax/dax_statx -j 1
	umount "$tmp/small"
else
	n=$((n + 1))
	echo "ok $n - disk too small for the backing files # SKIP needs root to mount a small tmpfs"
	passed=$((passed + 1))
fi

echo "1..$n"
if [ -n "${CLI_COUNTS:-}" ]; then
	echo "$passed $failed" > "$CLI_COUNTS"
fi
[ "$failed" -eq 0 ]
