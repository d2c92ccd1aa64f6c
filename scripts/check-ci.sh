#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test: the pipeline definitions in ci/ must be valid YAML and call
# only make targets the Makefile has (they call make targets only, so the
# same steps run on a workstation). Prints TAP; writes "passed failed" to
# $CI_COUNTS.
set -u

counts=${CI_COUNTS:-/dev/null}
cd "$(dirname "$0")/.." || exit 1
/usr/bin/python3 - "$counts" ci/*.yml <<'PY'
import re, subprocess, sys, yaml

counts, files = sys.argv[1], sys.argv[2:]
targets = set()
for line in open("Makefile"):
    m = re.match(r"^([A-Za-z][\w.-]*)\s*:(?!=)", line)
    if m:
        targets.add(m.group(1))
    m = re.match(r"^\.PHONY:(.*)", line)
    if m:
        targets.update(m.group(1).split())

def commands(node):
    """Every string under a script-like key: what the pipeline runs."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("run", "script", "before_script", "after_script"):
                for s in (v if isinstance(v, list) else [v]):
                    if isinstance(s, str):
                        yield s
            else:
                yield from commands(v)
    elif isinstance(node, list):
        for v in node:
            yield from commands(v)

n = passed = failed = 0
def result(ok, what):
    global n, passed, failed
    n += 1
    if ok:
        passed += 1
        print(f"ok {n} - {what}")
    else:
        failed += 1
        print(f"not ok {n} - {what}")

print("TAP version 13")
for f in files:
    try:
        doc = yaml.safe_load(open(f))
        result(isinstance(doc, dict) and doc, f"{f} is YAML with content")
    except yaml.YAMLError as e:
        result(False, f"{f} is YAML: {str(e).splitlines()[0]}")
        continue
    called = set()
    for cmd in commands(doc):
        for m in re.finditer(r"(?:^|[;&|]\s*)make((?:\s+[^\s;&|]+)+)", cmd):
            for word in m.group(1).split():
                if "=" not in word and not word.startswith("-"):
                    called.add(word)
    result(bool(called), f"{f} calls make ({', '.join(sorted(called)) or 'nothing'})")
    for t in sorted(called):
        result(t in targets, f"{f}: make {t} is a target of the Makefile")
print(f"1..{n}")
open(counts, "w").write(f"{passed} {failed}\n")
sys.exit(1 if failed else 0)
PY
