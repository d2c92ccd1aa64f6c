#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check KERNELS="debian-6.1 debian-6.12": the suite on each kernel
# (daxtest run --kernel K), then one table, test by test, kernel by kernel
# (each run's results read with daxtest results). Exit status: the worst
# of the runs (0, 1, 2).
#
# usage: kernels.sh DAXTEST "KERNELS" [run arguments...]
set -u

daxtest=$1
kernels=$2
shift 2
root=results/kernels-$(date +%Y%m%d-%H%M%S)
worst=0
cols=()
declare -A status seen

for k in $kernels; do
	echo "== $k" >&2
	"$daxtest" run --kernel "$k" --results "$root/$k" "$@"
	rc=$?
	[ "$rc" -gt "$worst" ] && worst=$rc
	cols+=("$k")
	# "name<TAB>status<TAB>..." per test; nothing when the run wrote no results.
	while IFS=$'\t' read -r name st _; do
		status[$k/$name]=$st
		seen[$name]=1
	done < <("$daxtest" results "$root/$k" 2>/dev/null)
done

width=4
for name in "${!seen[@]}"; do
	[ "${#name}" -gt "$width" ] && width=${#name}
done
line=$(printf '%-*s  ' "$width" test)
sep=""
for c in "${cols[@]}"; do
	line+=$sep$(printf '%-12s' "$c")
	sep="  "
done
printf '%s\n' "$line"
while IFS= read -r name; do
	[ -n "$name" ] || continue
	line=$(printf '%-*s  ' "$width" "$name")
	sep="" first="" mark=""
	for c in "${cols[@]}"; do
		st=${status[$c/$name]:--}
		line+=$sep$(printf '%-12s' "$st")
		sep="  "
		if [ -z "$first" ]; then
			first=$st
		elif [ "$st" != "$first" ]; then
			mark="  <- differs"
		fi
	done
	printf '%s\n' "$line$mark"
done < <(printf '%s\n' "${!seen[@]}" | LC_ALL=C sort)
echo "results: $root" >&2
exit "$worst"
