#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test's self-test of daxtest bisect: a small history on the Debian
# kernel source -- a base commit, harmless commits, and one commit that
# applies the fixture mutant tests/mutants/statx-never-reports-dax.patch --
# must be bisected to exactly that commit, and the tree must be left on
# the branch it was on, not bisecting. The repository lives in the cache
# with fixed commit dates, so a second run reuses it and its kernels.
# Prints TAP.
#
# usage: bisect-selftest.sh DAXTEST
set -u
. "$(dirname "$0")/../tap.sh"

daxtest=$(realpath "$1")
project=$(cd "$(dirname "$0")/../.." && pwd)
mutant=$project/tests/mutants/statx-never-reports-dax.patch

# result STATUS DESCRIPTION: ok when STATUS is 0.
result() {
	check "$2" "$([ "$1" -eq 0 ] && echo 1 || echo 0)"
}

export GIT_AUTHOR_NAME=daxtest GIT_AUTHOR_EMAIL=daxtest@localhost
export GIT_COMMITTER_NAME=daxtest GIT_COMMITTER_EMAIL=daxtest@localhost
commit() {
	GIT_AUTHOR_DATE="2026-01-01T00:00:0$1Z" GIT_COMMITTER_DATE="2026-01-01T00:00:0$1Z" \
		git -C "$repo" commit -q -a -m "$2"
}

# The history: the same commits (and hashes) every time for this mutant.
# (add -f: Debian's .gitignore ignores everything at the top level.)
make_repo() {
	local src stamp
	stamp=$(sha256sum "$mutant" "$0" | sha256sum | cut -c1-16)
	if [ -f "$repo/.daxtest-stamp" ] && [ "$(cat "$repo/.daxtest-stamp")" = "$stamp" ] &&
	   git -C "$repo" rev-parse -q --verify HEAD >/dev/null; then
		return 0
	fi
	# The Debian source daxtest extracted for a build, else the tarball
	# (a cached kernel needs no extracted source).
	src=$(ls -d "$cache"/src/linux-source-6.12_*/linux-source-6.12 2>/dev/null | head -1)
	rm -rf "$repo" && mkdir -p "$repo" || return 1
	if [ -n "$src" ]; then
		cp -a "$src/." "$repo/" || return 1
	else
		tar -xf /usr/src/linux-source-6.12.tar.xz -C "$repo" --strip-components=1 ||
			{ echo "# cannot extract /usr/src/linux-source-6.12.tar.xz"; return 1; }
	fi
	git -C "$repo" init -q && git -C "$repo" add -A -f . && echo "$stamp" > "$repo/.daxtest-stamp" &&
	echo .daxtest-stamp > "$repo/.git/info/exclude" || return 1
	GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
		git -C "$repo" commit -q -m "base: Debian linux-source-6.12" || return 1
	echo "A harmless line." >> "$repo/Documentation/filesystems/dax.rst"
	commit 1 "Documentation: a harmless change" || return 1
	patch -s -d "$repo" -p1 < "$mutant" || return 1
	commit 2 "fs/stat: statx never reports STATX_ATTR_DAX (fixture mutant)" || return 1
	echo "A harmless line." >> "$repo/README"
	commit 3 "README: a harmless change" || return 1
	echo "# A harmless line." >> "$repo/MAINTAINERS"
	commit 4 "MAINTAINERS: a harmless change" || return 1
}

echo "TAP version 13"
# The cache daxtest uses (DAXTEST_CACHE, XDG_CACHE_HOME, ~/.cache).
cache=$("$daxtest" cache-dir)
result $? "daxtest cache-dir names the cache (${cache:-none})"
[ -n "$cache" ] || tap_finish
repo=$cache/bisect-selftest/linux
make_repo
result $? "a kernel history with the fixture mutant in one commit"
if [ "$failed" -eq 0 ]; then
	want=$(git -C "$repo" rev-parse HEAD~2)
	branch=$(git -C "$repo" symbolic-ref --short HEAD)
	out=$(mktemp)
	"$daxtest" bisect --ksrc "$repo" --good HEAD~4 --bad HEAD \
		--tests per-file-dax/dax_statx --results "$cache/bisect-selftest/results" > "$out" 2>&1
	rc=$?
	sed 's/^/# /' "$out"	# as TAP diagnostics: the steps print KTAP of their own
	grep -q "^first bad commit: $want fs/stat: statx never reports" "$out"
	result $? "daxtest bisect names the mutant's commit ${want:0:12} (exit $rc)"
	grep -q "per-file-dax/dax_statx@map=mem: fail" "$out"
	result $? "and the test that failed there"
	[ "$(git -C "$repo" symbolic-ref --short HEAD 2>/dev/null)" = "$branch" ] &&
		! git -C "$repo" bisect log >/dev/null 2>&1
	result $? "the tree is back on $branch, not bisecting"
	rm -f "$out"
fi
tap_finish
