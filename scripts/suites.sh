#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make suites: the peer suites (ndctl's test suite, fstests) from their
# release tarballs in SUITES_DIR (ndctl-*.tar.xz, xfstests*.tar.xz), each
# with its default selection, in daxtest guests. The tarballs are
# unpacked into build/suites/ once (again when one is newer than its
# tree); daxtest builds them into its cache.
#
# usage: suites.sh DAXTEST SUITES_DIR [daxtest run arguments...]
set -eu
daxtest=$1
src=$2
shift 2
work=build/suites
mkdir -p "$work"

unpack()	# PATTERN: the tree of the newest tarball matching it
{
	local tarball top
	tarball=$(ls -t "$src"/$1 2>/dev/null | head -n 1)
	if [ -z "$tarball" ]; then
		echo "daxtest: error: no $1 in SUITES_DIR=$src (set SUITES_DIR to the folder of the suites' tarballs)" >&2
		exit 2
	fi
	top=$(tar -tf "$tarball" | head -n 1)
	top=${top%%/*}
	if [ ! -d "$work/$top" ] || [ "$tarball" -nt "$work/$top" ]; then
		rm -rf "${work:?}/$top"
		tar -C "$work" -xf "$tarball"
		touch "$work/$top"
	fi
	realpath "$work/$top"
}

ndctl=$(unpack 'ndctl-*.tar.xz')
fstests=$(unpack 'xfstests*.tar.xz')
exec "$daxtest" run --suite "ndctl=$ndctl" --suite "fstests=$fstests" "$@"
