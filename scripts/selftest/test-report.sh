#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: report.html in a real browser (Debian's headless chromium).
#   - the run's own RESULTS_DIR/report.html: the matrix grid has a
#     coloured cell for each filesystem and namespace cell the run's
#     leaves name, and adds up to the totals results.json holds;
#     screenshot RESULTS_DIR/report.png
#   - a copy of its results.json with one failed test injected (a failed
#     subtest, KTAP diagnostics with HTML in them, a kernel finding, dmesg)
#     re-rendered with "daxtest report": the failure is on the page with
#     all of that, as text, and its grid cell is red; screenshot
#     RESULTS_DIR/report-failure.png
# Prints TAP.
#
# usage: test-report.sh DAXTEST RESULTS_DIR
set -u
. "$(dirname "$0")/../tap.sh"

daxtest=$1
results=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# result STATUS DESCRIPTION: ok when STATUS is 0.
result()
{
	check "$2" "$([ "$1" -eq 0 ] && echo 1 || echo 0)"
}

finish()
{
	tap_finish
}

# chromium MODE OUTPUT URL: --dump-dom to OUTPUT, or a screenshot into it.
chromium_run()
{
	local mode=$1 out=$2 url=$3 profile rc
	profile=$(mktemp -d "$tmp/profile.XXXXXX")
	if [ "$mode" = dom ]; then
		timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
			--dump-dom "$url" > "$out" 2> "$tmp/chromium.err"
	else
		timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" \
			--hide-scrollbars --window-size=1280,2000 --screenshot="$out" "$url" \
			> /dev/null 2> "$tmp/chromium.err"
	fi
	rc=$?
	[ "$rc" -ne 0 ] && grep -v -i dbus "$tmp/chromium.err" | tail -5 | sed 's/^/#   /'
	return "$rc"
}

# check.py WHAT ARGS...: the checks on a dumped DOM or a screenshot, one
# "ok"/"not ok" line each, without numbers ("- description").
cat > "$tmp/check.py" <<'PY'
import html, json, re, struct, sys, zlib
from html.parser import HTMLParser

def say(ok, what):
    print(("ok" if ok else "not ok") + " - " + what)

class Dom(HTMLParser):
    """The matrix cells, the totals, the failures' attributes and text."""
    def __init__(self):
        super().__init__()
        self.cells, self.totals, self.failures, self.tags = [], None, [], set()
        self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        cls = a.get("class", "").split()
        if tag == "td" and "cell" in cls:
            self.cells.append(a)
        if a.get("id") == "totals":
            self.totals = a
        if tag == "details" and "failure" in cls:
            self.failures.append(dict(a, text=""))
            self.stack.append(tag)
        elif self.stack and tag not in ("br", "meta"):
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()
    def handle_data(self, data):
        if self.stack:
            self.failures[-1]["text"] += data

def dom(path):
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    return d

COLOURS = {"pass", "fail", "skip", "xfail"}
KEYS = ("passed", "failed", "skipped", "xfailed")

def grid_sum(d):
    return {k: sum(int(c.get("data-" + k, 0)) for c in d.cells) for k in KEYS}

def leaves(tests, prefix=""):
    for t in tests:
        name = prefix + (t.get("name") or "")
        if t.get("subtests"):
            yield from leaves(t["subtests"], name + ".")
        else:
            yield name

def check_grid(d, results):
    """A coloured cell for every filesystem x namespace cell the leaves name."""
    say(len(d.cells) > 0, "the page has the matrix grid (%d cells)" % len(d.cells))
    want = set()
    for t in results["tests"]:
        ns = t["name"].split("@", 1)[1] if "@" in t["name"] else "other"
        names = list(leaves(t.get("subtests") or [])) + [t["name"].split("@")[0]]
        for name in names:
            for fs in ("xfs", "ext4"):
                if re.search(r"(^|[./])%s(_|\.|$)" % fs, name):
                    want.add((fs, ns))
    for fs, ns in sorted(want):
        coloured = [c for c in d.cells if c.get("data-fs") == fs and c.get("data-ns") == ns
                    and COLOURS & set(c["class"].split())]
        say(bool(coloured), "grid: %s in %s has coloured cells (%s)" %
            (fs, ns, " ".join(sorted({c["class"].split()[1] for c in coloured})) or "none"))
    bad = [c for c in d.cells if not (COLOURS | {"empty"}) & set(c["class"].split())]
    say(not bad, "every grid cell is pass, fail, skip, xfail or empty")
    s = grid_sum(d)
    t = {k: int(d.totals.get("data-" + k, -1)) for k in KEYS} if d.totals else None
    say(s == t, "the grid adds up to the page's totals (%s; totals %s)" % (s, t))
    return t

def check_real(path, results):
    d = dom(path)
    t = check_grid(d, results)
    j = results.get("totals", {})
    same = t is not None and all(t[k] == j[k] for k in KEYS if k in j)
    say(same, "the page's totals are results.json's (%s)" % j)
    failed = [x for x in results["tests"]
              if x["status"] in ("fail", "timeout", "crash", "not-run", "xpass")]
    say(len(d.failures) == len(failed) + (1 if results.get("findings") else 0),
        "one failure block per failed test (%d)" % len(failed))

def check_injected(path, results, original, inj):
    d = dom(path)
    t = check_grid(d, results)
    o = original.get("totals", {})
    want = {k: o.get(k, 0) + inj["add"].get(k, 0) for k in KEYS if k in o}
    say(t is not None and all(t[k] == v for k, v in want.items()),
        "the totals count the injected leaves (%s)" % want)
    cell = [c for c in d.cells if c.get("data-fs") == inj["fs"] and
            c.get("data-mode") == inj["mode"] and c.get("data-ns") == inj["ns"]]
    say(len(cell) == 1 and "fail" in cell[0]["class"].split(),
        "the injected failure's cell %s dax=%s %s is red" % (inj["fs"], inj["mode"], inj["ns"]))
    f = [x for x in d.failures if x.get("data-test") == inj["name"]]
    say(len(f) == 1 and re.fullmatch(r"fail-\d+", f[0].get("id", "")),
        "the injected failure has a details block with an id (%s)" %
        (f[0].get("id") if f else "none"))
    text = f[0]["text"] if f else ""
    for what, s in (("its reason", inj["reason"]), ("its failed subtest", inj["subtest"]),
                    ("its KTAP diagnostics", inj["diag"][0]),
                    ("the guest's HTML, as text", inj["diag"][1]),
                    ("its kernel finding", inj["finding"]),
                    ("its finding's lines", inj["finding_line"]),
                    ("its dmesg", inj["dmesg"])):
        say(s in text, "the failure shows %s" % what)
    say("img" not in d.tags and "script" not in d.tags,
        "nothing the guest printed became an element (no img, no script)")

def png_rows(path, rows):
    """The first rows of an 8-bit RGB(A) PNG, as lists of (r, g, b)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None, None
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        return (w, h), []
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompressobj().decompress(idat, (w * bpp + 1) * rows)
    out, prev = [], bytearray(w * bpp)
    for y in range(min(rows, h)):
        f = raw[y * (w * bpp + 1)]
        line = bytearray(raw[y * (w * bpp + 1) + 1:(y + 1) * (w * bpp + 1)])
        for i in range(len(line)):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return (w, h), out

def check_png(path, colour):
    """The screenshot shows the grid's colour (the style sheet applied)."""
    size, rows = png_rows(path, 600)
    say(size == (1280, 2000), "%s is a 1280x2000 PNG (%s)" % (path.split("/")[-1], size))
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    hits = sum(row.count(rgb) for row in rows or [])
    say(hits > 200, "%s shows cells in %s (%d pixels)" % (path.split("/")[-1], colour, hits))

what = sys.argv[1]
if what == "inject":
    src, dst, info = sys.argv[2:5]
    r = json.load(open(src))
    nss = [t["name"].split("@", 1)[1] for t in r["tests"] if "@" in t["name"]]
    ns = "map=mem" if "map=mem" in nss else (nss[0] if nss else "other")
    inj = {
        "name": "per-file-dax/injected_failure@" + ns, "ns": ns, "fs": "xfs", "mode": "always",
        "reason": "exit status 1 (injected by test-report.sh)",
        "subtest": "fsdax.xfs_always.injected_failure",
        "diag": ["injected.c:42:injected_failure:Expected 0x2000 (8192) == attr (0)",
                 "guest <img src=x onerror=alert(1)> & <script>alert('x')</script>"],
        "finding": "WARNING: CPU: 0 PID: 99 at fs/dax.c:1203 dax_insert_entry+0x2f1/0x330",
        "finding_line": "RIP: 0010:dax_insert_entry+0x2f1/0x330",
        "dmesg": "XFS (pmem0): injected dmesg line <b>not bold</b>",
        "add": {"passed": 1, "failed": 1},
    }
    r["tests"].append({
        "name": inj["name"], "status": "fail", "reason": inj["reason"], "exit_code": 1,
        "signal": 0, "seconds": 1.5,
        "subtests": [
            {"name": "fsdax.xfs_always.injected_pass", "status": "pass", "directive": None,
             "diag": []},
            {"name": inj["subtest"], "status": "fail", "directive": None, "diag": inj["diag"]}],
        "dmesg": ["pmem0: detected capacity change", inj["dmesg"]],
        "findings": [{"kind": "warning", "title": inj["finding"],
                      "lines": [inj["finding"], inj["finding_line"]]}],
        "ktap_errors": []})
    json.dump(r, open(dst, "w"), indent=1)
    json.dump(inj, open(info, "w"))
elif what == "real":
    check_real(sys.argv[2], json.load(open(sys.argv[3])))
elif what == "injected":
    check_injected(sys.argv[2], json.load(open(sys.argv[3])), json.load(open(sys.argv[4])),
                   json.load(open(sys.argv[5])))
elif what == "png":
    check_png(sys.argv[2], sys.argv[3])
PY

# Numbered TAP from check.py's "ok - ..." lines.
checks()
{
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) result 0 "${line#ok - }" ;;
		"not ok - "*) result 1 "${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done < <(python3 "$tmp/check.py" "$@" 2>&1)
}

echo "TAP version 13"
if ! command -v chromium > /dev/null; then
	result 1 "chromium is installed (make deps installs it)"
	finish
fi
if [ ! -f "$results/results.json" ] || [ ! -f "$results/report.html" ]; then
	result 1 "$results has results.json and report.html"
	finish
fi

# The run's own page, as it wrote it.
chromium_run dom "$tmp/real.dom" "file://$(realpath "$results/report.html")"
result $? "chromium loads $results/report.html"
checks real "$tmp/real.dom" "$results/results.json"
chromium_run png "$results/report.png" "file://$(realpath "$results/report.html")"
result $? "screenshot $results/report.png"
checks png "$results/report.png" "#2e9e44"

# A copy with a failure injected, made again by daxtest report.
mkdir -p "$tmp/injected"
python3 "$tmp/check.py" inject "$results/results.json" "$tmp/injected/results.json" \
	"$tmp/injected.info"
"$daxtest" report "$tmp/injected" > /dev/null 2> "$tmp/report.err"
rc=$?
result $((rc != 0)) "daxtest report re-renders a results directory (exit $rc)"
sed 's/^/#   /' "$tmp/report.err"
chromium_run dom "$tmp/injected.dom" "file://$tmp/injected/report.html"
result $? "chromium loads the injected report"
checks injected "$tmp/injected.dom" "$tmp/injected/results.json" "$results/results.json" \
	"$tmp/injected.info"
chromium_run png "$results/report-failure.png" "file://$tmp/injected/report.html"
result $? "screenshot $results/report-failure.png"
checks png "$results/report-failure.png" "#d32f2f"

# A directory that is not a run's: one error line, exit 2.
"$daxtest" report "$tmp/nowhere" > /dev/null 2> "$tmp/report.err"
rc=$?
errors=$(grep -c '^daxtest: error:' "$tmp/report.err")
result $(( !(rc == 2 && errors == 1) )) "daxtest report of a missing directory: one error line, exit 2 (exit $rc, $errors lines)"
finish
