#!/bin/sh
# End-to-end: each chart's alternative text (/Alt, read with pikepdf)
# states the numbers of the audit, as `archaudit --json` gives them for
# the same ledger (tests/tools/alt_check.py): context counts, each law's
# rates and the weakest, each tier's footprint, fit and P99 against the
# target, the design's place against the targets and the Pareto frontier
# of the conformance census vector; the class summary's distributions
# against the students' JSON.  A design on the frontier is built from the
# vector's first frontier configuration, so "on the frontier" is tested
# too.  The checker must fail on a wrong text, so it can.  Run from the
# repository root.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
CHECK="/usr/bin/python3 tests/tools/alt_check.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

/usr/bin/python3 -c 'import pikepdf' 2>/dev/null || { echo "alt: python3-pikepdf missing" >&2; exit 1; }
D=${ARCHAUDIT_SHARED:-tests/data}/conformance
CENSUS=$D/grid_census.expected.json
mkdir -p "$T/in"
cp "$D"/ledgers/*.ledger.json "$T/in/"
cp ledgers/*.json "$T/in/"
# A capstone at the census's first frontier configuration.
/usr/bin/python3 - ledgers/ada_complete.json "$CENSUS" "$T/in/frontier.json" <<'PY'
import json, sys
led = json.load(open(sys.argv[1], encoding="utf-8"))
cfg = json.load(open(sys.argv[2], encoding="utf-8"))["frontier"][0]["config"]
for h in led["history"]:
    if h.get("chapter") == 16:
        d = h["design"]
        d["cloud_hardware"] = "H100x%d" % cfg["n_gpus"]
        d["quantization_strategy"] = cfg["quant_cloud"]
        d["serving_strategy"] = cfg["serving"]
        d["tier_assignments"].update(cloud=cfg["quant_cloud"], edge=cfg["quant_edge"],
                                     mobile=cfg["quant_mobile"])
        d["retraining_cadence_days"] = cfg["cadence_days"]
        d["fairness_threshold_pct"] = cfg["fairness_pct"]
json.dump(led, open(sys.argv[3], "w", encoding="utf-8"))
PY

export SOURCE_DATE_EPOCH=1767225600
"$BIN" -q -o "$T/pdf" --class-summary "$T/class.pdf" "$T/in" 2>"$T/err"
check "reports and class summary written" test $? -eq 0 -a -f "$T/class.pdf"
n=0 bad_n=0
for f in "$T"/in/*.json; do
	b=$(basename "$f" .json)
	"$BIN" --json "$f" >"$T/$b.audit" 2>/dev/null || { bad "--json $b"; continue; }
	$CHECK "$T/pdf/$b.pdf" "$T/$b.audit" "$CENSUS" >"$T/$b.out" 2>&1 || {
		bad_n=$((bad_n + 1)); head -n 5 "$T/$b.out"; }
	n=$((n + 1))
done
check "every report's chart descriptions state the audit's numbers ($n reports)" test "$bad_n" -eq 0 -a "$n" -ge 30
check "the frontier design is said to be on the frontier" \
	/usr/bin/python3 -c 'import pikepdf, sys
p = pikepdf.open(sys.argv[1])
todo = [p.Root.StructTreeRoot.K]; alts = []
while todo:
    e = todo.pop()
    if e.get("/S") == pikepdf.Name.Figure: alts.append(str(e.Alt))
    k = e.get("/K"); ks = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
    todo += [x for x in ks if isinstance(x, pikepdf.Dictionary) and "/S" in x]
sys.exit(0 if any("and is on the frontier" in a for a in alts) else 1)' "$T/pdf/frontier.pdf"
$CHECK --class "$T/class.pdf" "$T"/*.audit >"$T/class.out" 2>&1
check "the class charts' descriptions state the class's distributions" test $? -eq 0
[ -s "$T/class.out" ] && head -n 5 "$T/class.out"

# It can fail: another ledger's audit against a report.
$CHECK "$T/pdf/complete_15.ledger.pdf" "$T/empty_history.ledger.audit" "$CENSUS" >"$T/wrong.out" 2>&1
check "the checker fails a report against another ledger's audit" test $? -eq 1 -a -s "$T/wrong.out"

[ "$fails" -eq 0 ] || { echo "alt: $fails failed" >&2; exit 1; }
echo "alt: passed"
