#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make test: the pipeline definitions in ci/ must be valid YAML and call
# only make targets the Makefile has (they call make targets only, so the
# same steps run on a workstation), and run what each pipeline is for:
# pull requests make check; nightly the full matrix, the kernel table and
# the mutants, with the kernel cache and ccache restored and the results
# (JUnit XML, report.html) kept as artifacts. Prints TAP.
#
# usage: check-ci.sh [DAXTEST]   (make-test.sh passes it; unused)
set -u

cd "$(dirname "$0")/../.." || exit 1
/usr/bin/python3 - ci/*.yml <<'PY'
import re, shlex, subprocess, sys, yaml

files = sys.argv[1:]
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

# What each pipeline must run (a regex on its commands).
PULL = [r"\bmake check\b"]
NIGHTLY = [r"\bmake check MATRIX=full\b", r"\bmake mutants\b", r"\bmake fuzz\b", r'\bmake check KERNELS="[^"]+ [^"]+"']
WANTS = {
    "ci/github-pull-request.yml": PULL,
    "ci/github-nightly.yml": NIGHTLY,
    "ci/gitlab-ci.yml": PULL + NIGHTLY,
}

def jobs(doc):
    """(name, job) of a GitHub workflow's jobs or GitLab's job entries."""
    if isinstance(doc.get("jobs"), dict):
        return list(doc["jobs"].items())
    return [(k, v) for k, v in doc.items()
            if isinstance(v, dict) and not k.startswith(".") and "script" in v]

def keeps_results(job):
    for step in job.get("steps", []):
        if "upload-artifact" in str(step.get("uses", "")) and "results/" in str(step.get("with", {}).get("path", "")):
            return True
    return "results/" in job.get("artifacts", {}).get("paths", [])

def caches_kernels(doc, job):
    for step in job.get("steps", []):
        if "actions/cache" in str(step.get("uses", "")) and ".cache/daxtest" in str(step.get("with", {}).get("path", "")):
            return True
    cache = job.get("cache") or {}
    if not cache and "extends" in job:
        cache = doc.get(job["extends"], {}).get("cache", {})
    paths = " ".join(cache.get("paths", []))
    return "ccache" in paths and "kernel/out" in paths

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
        for part in re.split(r"[;&|]+", cmd):
            words = shlex.split(part)
            if not words or words[0] != "make":
                continue
            for word in words[1:]:
                if "=" not in word and not word.startswith("-"):
                    called.add(word)
    result(bool(called), f"{f} calls make ({', '.join(sorted(called)) or 'nothing'})")
    for t in sorted(called):
        result(t in targets, f"{f}: make {t} is a target of the Makefile")
    text = "\n".join(commands(doc))
    for want in WANTS.get(f, []):
        result(re.search(want, text), f"{f} runs {want}")
    for name, job in jobs(doc):
        result(keeps_results(job), f"{f}: job {name} keeps results/ as artifacts")
        result(caches_kernels(doc, job), f"{f}: job {name} restores the kernel cache and ccache")
print(f"1..{n}")
sys.exit(1 if failed else 0)
PY
