#!/bin/sh
# The LMS gradebooks (--csv-format canvas|moodle), read back by
# tests/tools/lms_import.py, which follows the rules of Canvas's and
# Moodle's own import code.  The expected scores come from the
# conformance vectors (tests/data/conformance), not from archaudit:
# labs saved = act1.n_completed, predictions right = act1.n_correct,
# capstone targets met = the three slo_*_ok of act2.metrics, only when
# the design is the student's own (config_source "ledger").
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
PY=/usr/bin/python3
LMS=tests/tools/lms_import.py
C=tests/data/conformance/ledgers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

mkdir "$T/class"
# A roster in three sections: names with a comma, a quote and a leading
# "=" (which the CSV writer defuses, so Canvas must find that student by
# id); one student without an email, one without a sis_id, one without a
# ledger.
$PY - "$C" "$T" <<'EOF'
import csv, json, shutil, sys
C, T = sys.argv[1], sys.argv[2]
ledgers = ["complete_15", "only_capstone", "empty_history"] + ["random_%03d" % i for i in range(10)]
names = ["Okafor, Ben", 'Ana "Nana" Silva', "=Eve Formula"] + ["Student %02d" % i for i in range(3, 13)]
rows, want = [], []
for i, (led, name) in enumerate(zip(ledgers, names)):
    shutil.copy("%s/%s.ledger.json" % (C, led), "%s/class/%s.json" % (T, led))
    e = json.load(open("%s/%s.expected.json" % (C, led)))
    m = e["act2"]["metrics"]
    own = e["act2"]["config_source"] == "ledger"
    targets = str(int(m["slo_latency_ok"]) + int(m["slo_cost_ok"]) + int(m["slo_tput_ok"])) if own else ""
    sid = "s%02d" % i
    email = "" if i == 4 else "%s@uni.example" % sid
    sis = "" if i == 5 else "9%04d" % i
    rows.append([sid, name, "ABC"[i % 3], "%s.json" % led, email, sis])
    want.append((sid, email, sis, [str(e["act1"]["n_completed"]), str(e["act1"]["n_correct"]), targets]))
rows.append(["s99", "Missing Mo", "A", "", "mo@uni.example", "99999"])
want.append(("s99", "mo@uni.example", "99999", ["", "", ""]))
with open(T + "/class/roster.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "name", "section", "ledger", "email", "sis_id"])
    w.writerows(rows)
titles = ["Architect's Audit: labs saved", "Architect's Audit: predictions right",
          "Architect's Audit: capstone targets met"]
def line(sid, vals):
    return sid + "\t" + "\t".join("%s=%s" % tv for tv in zip(titles, vals)) + "\n"
with open(T + "/canvas.want", "w") as f:
    for sid, email, sis, vals in want:
        f.write(line(sid, vals))
    f.write(line("points", ["15", "15", "3"]))
with open(T + "/moodle.want", "w") as f:
    for sid, email, sis, vals in want:
        if email:
            f.write(line(sid, vals))
EOF

status 0 "canvas gradebook" "$BIN" -q -j 2 --roster "$T/class/roster.csv" -o "$T/r1" \
    --csv "$T/canvas.csv" --csv-format canvas
"$PY" "$LMS" canvas "$T/canvas.csv" "$T/class/roster.csv" >"$T/canvas.got" 2>"$T/err"
check "canvas: the import reads every student, with the vectors' scores" same_text "$T/canvas.want" "$T/canvas.got"
check "canvas: the defused name is still found (by its SIS id)" grep -q "^s02	" "$T/canvas.got"

status 0 "moodle gradebook" "$BIN" -j 2 --roster "$T/class/roster.csv" -o "$T/r2" \
    --csv "$T/moodle.csv" --csv-format moodle
check "moodle: the student without an email is named in a warning" \
    grep -q "roster.csv:6: warning: \"Student 04\" has no email, so the Moodle gradebook" "$T/err"
"$PY" "$LMS" moodle "$T/moodle.csv" "$T/class/roster.csv" >"$T/moodle.got" 2>"$T/err"
check "moodle: the import reads every row, with the vectors' scores" same_text "$T/moodle.want" "$T/moodle.got"

# The same reports whatever the gradebook's form.
check "the reports do not depend on --csv-format" same_tree "$T/r1" "$T/r2"

# The oracle can fail: archaudit's own form is no Canvas file.
status 0 "plain gradebook" "$BIN" -q --roster "$T/class/roster.csv" -o "$T/r3" --csv "$T/plain.csv"
if "$PY" "$LMS" canvas "$T/plain.csv" "$T/class/roster.csv" >/dev/null 2>&1; then
	bad "the Canvas reader accepts the plain form"
else
	ok "the Canvas reader refuses the plain form"
fi

# Usage errors, before any work.
status 2 "--csv-format without --csv" "$BIN" --csv-format canvas -o "$T/x" "$C/complete_15.ledger.json"
status 2 "--csv-format moodle without a roster" "$BIN" --csv-format moodle --csv "$T/m.csv" \
    -o "$T/x" "$C/complete_15.ledger.json"
check "no Moodle CSV written without a roster" test ! -e "$T/m.csv"
printf 'name,ledger\nAda,complete_15.json\n' >"$T/class/bare.csv"
status 2 "--csv-format moodle, a roster without email or sis_id" "$BIN" --csv-format moodle \
    --csv "$T/m.csv" --roster "$T/class/bare.csv" -o "$T/x"
check "  the message says what to add" grep -q "add an email or sis_id column" "$T/err"
status 2 "--csv-format xls" "$BIN" --csv-format xls --csv "$T/m.csv" -o "$T/x" "$C/complete_15.ledger.json"

[ "$fails" = 0 ]
