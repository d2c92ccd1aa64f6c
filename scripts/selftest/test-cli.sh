#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input must give exactly one "daxtest: error:" line naming the
# problem and exit status 2, before any guest starts; what scripts read
# of a run (daxtest results, daxtest cache-dir) is checked on a results.json
# made here. Prints TAP.
#
# usage: test-cli.sh DAXTEST
set -u

daxtest=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# check (tap.sh) and expect_error below count in the same n, passed, failed.
. "$(dirname "$0")/../tap.sh"

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

# check_out DESCRIPTION WANT COMMAND...: ok when the command prints WANT.
check_out()
{
	local desc=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1 < /dev/null)
	if [ "$got" = "$want" ]; then
		check "$desc" 1
	else
		check "$desc" 0
		printf '%s\n' "$got" | sed 's/^/#   got: /'
		printf '%s\n' "$want" | sed 's/^/#   want: /'
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
expect_error "unknown crash model" "--crash-model 'lossy': want none, strict, sampled:N" \
	"$daxtest" run --crash-model lossy
expect_error "sampled crash model without images" "--crash-model 'sampled:0': want" \
	"$daxtest" run --crash-model sampled:0
expect_error "a suite that is not one" "--suite: 'foo=/tmp' is not a suite" \
	"$daxtest" run --suite foo=/tmp
expect_error "a suite's selection without the suite" "--ndctl-tests needs --suite ndctl=DIR" \
	"$daxtest" run --ndctl-tests clear.sh --suite fstests=/tmp
expect_error "a suite outside daxtest run" "--suite is an option of daxtest run" \
	"$daxtest" list --suite ndctl=/tmp
expect_error "a suite through libvirt" "--suite needs --backend qemu" \
	"$daxtest" run --suite ndctl=/tmp --backend libvirt
expect_error "--no-snapshot where no guest runs" "--no-snapshot is an option of daxtest run, bisect and repro" \
	"$daxtest" list --no-snapshot

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
expect_error "repro without a name" "repro needs a repro case name" \
	"$daxtest" repro
expect_error "repro of an unknown case" "no repro case .*/tests/repro/no-such-bug.repro" \
	"$daxtest" repro no-such-bug
expect_error "report without a directory" "report needs a results directory" \
	"$daxtest" report
expect_error "report of a directory without results.json" "has no results.json" \
	"$daxtest" report "$tmp"
printf '{"tests": [{"name": "a", "status": "bogus"}]}' > "$tmp/results.json"
expect_error "report of a malformed results.json" "results.json: tests\[0\]: status is not a test status" \
	"$daxtest" report "$tmp"
rm -f "$tmp/results.json"

# What scripts read of a run: daxtest results, on a results.json made here
# (as a results directory, a --results root with latest/, and the file).
expect_error "results without a directory" "results needs a results directory" \
	"$daxtest" results
expect_error "results of a directory without results.json" "$tmp/none: no results.json there" \
	"$daxtest" results "$tmp/none"
expect_error "results in an unknown format" "--format: 'xml' is not tests, subtests, failed or summary" \
	"$daxtest" results "$tmp" --format xml
expect_error "results --field of no summary key" "--field: 'nope' is not a key of --format summary" \
	"$daxtest" results "$tmp" --field nope
mkdir -p "$tmp/root/run"
ln -s run "$tmp/root/latest"
cat > "$tmp/root/run/results.json" <<'JSON'
{ "run_id": "r1", "boot_seconds": 1.5, "qemu_peak_rss_mib": 512.25,
  "totals": { "passed": 2, "failed": 2, "skipped": 0, "xfailed": 0 },
  "tests": [
    { "name": "a/ok@map=mem", "status": "pass", "seconds": 1,
      "subtests": [ { "name": "f.v.x", "status": "pass" } ] },
    { "name": "a/bad@map=mem", "status": "fail", "reason": "exit status 1", "seconds": 2.5,
      "subtests": [ { "name": "f.v.y", "status": "pass" }, { "name": "f.v.z", "status": "fail" },
                    { "name": "f.v.t", "status": "timeout" } ] } ] }
JSON
tab=$(printf '\t')
check_out "results: one line per test (name, status, seconds, reason)" \
	"a/ok@map=mem${tab}pass${tab}1.000${tab}
a/bad@map=mem${tab}fail${tab}2.500${tab}exit status 1" \
	"$daxtest" results "$tmp/root/run"
check_out "results --format failed: the failed tests and their failed subtests" \
	"a/bad@map=mem${tab}f.v.z${tab}f.v.t" \
	"$daxtest" results "$tmp/root" --format failed
check_out "results --format subtests: program, subtest, status" \
	"a/ok@map=mem${tab}f.v.x${tab}pass
a/bad@map=mem${tab}f.v.y${tab}pass
a/bad@map=mem${tab}f.v.z${tab}fail
a/bad@map=mem${tab}f.v.t${tab}timeout" \
	"$daxtest" results "$tmp/root/run/results.json" --format subtests
check_out "results --field: one value (boot_seconds)" "1.500" \
	"$daxtest" results "$tmp/root" --field boot_seconds
check_out "results --format summary: the totals the run wrote" \
	"tests=2 passed=2 failed=2 skipped=0 xfailed=0" \
	sh -c "'$daxtest' results '$tmp/root' --format summary | grep -E '^(tests|passed|failed|skipped|xfailed)=' | paste -sd ' '"

# The cache directory, as every daxtest command computes it.
check_out "cache-dir: \$DAXTEST_CACHE first" "$tmp/c1" \
	env DAXTEST_CACHE="$tmp/c1" XDG_CACHE_HOME="$tmp/xdg" "$daxtest" cache-dir
check_out "cache-dir: then \$XDG_CACHE_HOME/daxtest" "$tmp/xdg/daxtest" \
	env -u DAXTEST_CACHE XDG_CACHE_HOME="$tmp/xdg" "$daxtest" cache-dir
check_out "cache-dir: then ~/.cache/daxtest" "$tmp/home/.cache/daxtest" \
	env -u DAXTEST_CACHE -u XDG_CACHE_HOME HOME="$tmp/home" "$daxtest" cache-dir
check_out "cache-dir: --cache over the environment" "$tmp/c2" \
	env DAXTEST_CACHE="$tmp/c1" "$daxtest" cache-dir --cache "$tmp/c2"
check_out "cache-dir: the directory it names is made, mode 700" "700" \
	stat -c %a "$tmp/xdg/daxtest"
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

# An option whose dependency (DRM) no fragment sets: refused after the
# configure step, before anything is compiled. (NFS, the example before,
# can be set since the peer suites' fragment turns on networking.)
printf 'CONFIG_DRM_I915=y\n' > "$tmp/i915.config"
expect_error "config option that cannot be set" "CONFIG_DRM_I915=y (asked for in $tmp/i915.config:1) ended up not set" \
	"$daxtest" kernel build --config "$tmp/i915.config"

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

tap_finish
