#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check KERNELS="debian-6.1 debian-6.12": the suite on each kernel
# (daxtest run --kernel K), then one table, test by test, kernel by kernel.
# Exit status: the worst of the runs (0, 1, 2).
#
# usage: kernels.sh DAXTEST "KERNELS" [run arguments...]
set -u

daxtest=$1
kernels=$2
shift 2
root=results/kernels-$(date +%Y%m%d-%H%M%S)
worst=0
runs=()

for k in $kernels; do
	echo "== $k" >&2
	"$daxtest" run --kernel "$k" --results "$root/$k" "$@"
	rc=$?
	[ "$rc" -gt "$worst" ] && worst=$rc
	runs+=("$k=$root/$k/latest/results.json")
done

/usr/bin/python3 - "${runs[@]}" <<'PY'
import json, os, sys

cols, status = [], {}
for arg in sys.argv[1:]:
    kernel, path = arg.split("=", 1)
    cols.append(kernel)
    if not os.path.exists(path):
        continue
    for t in json.load(open(path)).get("tests", []):
        status.setdefault(t["name"], {})[kernel] = t["status"]
width = max([len(n) for n in status] + [4])
print(f"{'test':<{width}}  " + "  ".join(f"{c:<12}" for c in cols))
for name in sorted(status):
    row = [status[name].get(c, "-") for c in cols]
    mark = "" if len(set(row)) == 1 else "  <- differs"
    print(f"{name:<{width}}  " + "  ".join(f"{s:<12}" for s in row) + mark)
PY
echo "results: $root" >&2
exit "$worst"
