#!/bin/sh
# End-to-end: a class of ledgers written the way the labs' own saving code
# writes them (tests/tools/lab_ledgers.py: json.dump(indent=2) on every
# save, repeated chapters, chapter 0, Volume II string chapters, the
# occasional NaN and Infinity) gives every report, with one warning per
# non-finite word.  The oracle is Python's own json module: it reads each
# file as the labs do and lists the words' JSON paths, the chapters 1-15
# and whether there is a capstone; --json must agree, and be strict JSON.
# A later edition's ledger (history keyed by step) gets its one message.
# Run from the repository root; ARCHAUDIT_BIN names the program.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

if [ ! -x "$PY" ]; then
	echo "lab_ledgers: $PY (Debian's python3) is needed" >&2
	exit 1
fi
export SOURCE_DATE_EPOCH=1767225600
N=24
"$PY" tests/tools/lab_ledgers.py --students $N --seed 13 \
    --later-edition "$T/later.json" "$T/class" ||
    { echo "lab_ledgers: the generator failed" >&2; exit 1; }
"$PY" tests/tools/lab_ledgers.py --students $N --seed 13 "$T/again"
check "the generator is deterministic" diff -r -q "$T/class" "$T/again"
words=$(cat "$T/class"/*.json | grep -c -E '(NaN|Infinity),?$')
check "the class holds NaN and Infinity ($words lines)" test "$words" -ge 5

# --json: every ledger read; the oracle compares.
"$BIN" --json -j 1 "$T/class" >"$T/json" 2>"$T/json.err"
check "--json: exit 0 for the class" test $? -eq 0
"$PY" - "$T/class" "$T/json" >"$T/oracle" 2>&1 <<'EOF'
import json, math, os, sys

folder, out = sys.argv[1], sys.argv[2]

def no_constant(word):
    raise ValueError("bare %s in the output: not JSON" % word)

def path_step(path, key):
    plain = key and not key[0].isdigit() and all(
        c.isalnum() and c.isascii() or c == "_" for c in key)
    if plain:
        return path + ("." if path else "") + key
    return path + "[" + json.dumps(key) + "]"

def words(v, path, found):
    if isinstance(v, float) and not math.isfinite(v):
        w = "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
        found.append("%s: %s is not JSON" % (path, w))
    elif isinstance(v, dict):
        for k, x in v.items():
            words(x, path_step(path, k), found)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            words(x, "%s[%d]" % (path, i), found)

def chapters(ledger):
    last = {}
    for e in ledger["history"]:
        c = e.get("chapter", 0)
        if isinstance(c, bool) or not isinstance(c, (int, float)):
            continue
        if not math.isfinite(c) or c != int(c):
            continue
        last[int(c)] = e
    return last

failed = 0
got = {}
for line in open(out):
    d = json.loads(line, parse_constant=no_constant)   # strict JSON
    got[os.path.basename(d["source"])] = d
names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
if sorted(got) != names:
    print("FAIL --json: %d objects for %d ledgers" % (len(got), len(names)))
    failed += 1
for n in names:
    with open(os.path.join(folder, n)) as f:
        ledger = json.load(f)                 # as the labs read it back
    want = []
    words(ledger, "", want)
    d = got.get(n)
    if d is None:
        continue
    have = [w.split("; ")[0].split(" (Python")[0] for w in d["warnings"]
            if "is not JSON (Python's json.dump" in w]
    if sorted(have) != sorted(want):
        print("FAIL %s: warnings %s, Python finds %s" % (n, have, want))
        failed += 1
    last = chapters(ledger)
    done = sorted(c for c in last if 1 <= c <= 15)
    if d["act1"]["n_completed"] != len(done):
        print("FAIL %s: n_completed %d, Python finds %d" % (
            n, d["act1"]["n_completed"], len(done)))
        failed += 1
    source = "ledger" if 16 in last else "default"
    if d["act2"]["config_source"] != source:
        print("FAIL %s: config_source %s" % (n, d["act2"]["config_source"]))
        failed += 1
    p99 = None
    if 13 in last:
        r = last[13].get("design", {}).get("act2_result")
        if isinstance(r, (int, float)) and not isinstance(r, bool) \
                and math.isfinite(r) and r > 200:
            p99 = r
    recs = [r["value"] for r in d["act1"]["recommendations"] if r["kind"] == "p99"]
    if recs != ([p99] if p99 is not None else []):
        print("FAIL %s: p99 recommendation %s, Python finds %s" % (n, recs, p99))
        failed += 1
    print("ok   %s: %d non-finite word(s), each warned with its path" % (n, len(want)))
sys.exit(1 if failed else 0)
EOF
rc=$?
if [ $rc -eq 0 ]; then ok "--json agrees with Python's json module for $N ledgers"; else
	bad "--json disagrees with Python's json module"; grep FAIL "$T/oracle" | head -10; fi
check "--json: no error message" test "$(grep -c 'error' "$T/json.err")" -eq 0

# The reports: one per ledger, no failure; the gradebook agrees.
"$BIN" -q -j 2 -o "$T/out" --csv "$T/grades.csv" "$T/class" 2>"$T/err"
check "reports: exit 0 for the class" test $? -eq 0
check "reports: one PDF per ledger" test "$(ls "$T/out" | grep -c '\.pdf$')" -eq $N
check "gradebook: every student written" \
    test "$(grep -c ',written,' "$T/grades.csv")" -eq $N
withwords=$(grep -l -E '(NaN|Infinity),?$' "$T/class"/*.json)
nw=0
for f in $withwords; do
	s=$(basename "$f" .json)
	pdftotext -layout "$T/out/$s.pdf" "$T/$s.txt" 2>/dev/null
	nw=$((nw + 1))
	# the report shows the warning (its words may wrap: lines joined), and
	# prints no nan or inf of its own
	if ! tr -s '\n ' '  ' <"$T/$s.txt" | grep -q 'is not JSON (Python'; then
		bad "$s: the report does not show the warning"
	elif grep -w -q -E 'nan|inf|-nan|-inf' "$T/$s.txt"; then
		bad "$s: the report prints nan or inf"
		grep -n -w -E 'nan|inf|-nan|-inf' "$T/$s.txt" | head -3
	else
		ok "$s: the report shows the warning and no nan or inf"
	fi
done
check "reports: $nw ledgers with words looked at" test "$nw" -ge 3

# The appendix of such a file has a table, warnings and notes: each block
# must start after a blank line, or Markdown runs it into the one before
# (the warnings into the table, the notes into the last warning).
"$BIN" -q --markdown -o "$T/md" "$T/class" 2>/dev/null
glued=$(awk 'FNR == 1 { prev = "" }
	/^(Entries that needed interpreting|For information only)/ && prev != "" {
		print FILENAME ": " $0 }
	{ prev = $0 }' "$T/md"/*.md)
check "appendix: every block after a blank line" test -z "$glued"
[ -z "$glued" ] || echo "$glued" | head -3 | sed 's/^/    /'

# A later edition's ledger among them: its one message; the rest go on.
cp "$T/later.json" "$T/class/zz-later.json"
"$BIN" -q -j 2 -o "$T/out2" "$T/class" 2>"$T/err2"
check "later edition: exit 1" test $? -eq 1
check "later edition: one message that says so" test "$(grep -c \
    'zz-later.json: error: history is an object keyed by step: this ledger comes from a later edition of the labs' \
    "$T/err2")" -eq 1
check "later edition: the others still written" \
    test "$(ls "$T/out2" | grep -c '\.pdf$')" -eq $N

[ "$fails" -eq 0 ] && echo "lab_ledgers: all passed" || echo "lab_ledgers: $fails failed"
[ "$fails" -eq 0 ]
