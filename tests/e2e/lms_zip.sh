#!/bin/sh
# A class straight from the LMS: "download all submissions" zips, made
# here by Python's zipfile to Canvas's and Moodle's naming conventions,
# give the same reports as the unpacked files; resubmissions resolve to
# the latest with the choice said; a roster's names win; hostile entries
# are refused one by one while the other students' reports are written.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
PY=/usr/bin/python3
C=tests/data/conformance/ledgers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh
export SOURCE_DATE_EPOCH=1767225600

# same_report A B: two filled-in reports (--markdown) alike but for the
# name of the ledger's file (a report names where its ledger came from);
# the ledger's hash on that line must be the same.
same_report() {
	sed -E 's/([Ll]edger file ).* · SHA-256/\1X · SHA-256/' "$1" >"$T/a.md"
	sed -E 's/([Ll]edger file ).* · SHA-256/\1X · SHA-256/' "$2" >"$T/b.md"
	grep -q 'SHA-256' "$T/a.md" && cmp -s "$T/a.md" "$T/b.md"
}

mkdir "$T/flat"
$PY - "$C" "$T" <<'EOF'
import os, shutil, sys, warnings, zipfile
warnings.simplefilter("ignore")  # the duplicate name below is meant
C, T = sys.argv[1], sys.argv[2]
def led(name):
    return open("%s/%s.ledger.json" % (C, name), "rb").read()
def add(z, name, data, date=(2026, 5, 1, 10, 0, 0)):
    z.writestr(zipfile.ZipInfo(name, date), data, zipfile.ZIP_DEFLATED)
# Canvas: lastfirst_[LATE_]userid_submissionid_file; "-1" for a file handed in again.
with zipfile.ZipFile(T + "/canvas.zip", "w") as z:
    add(z, "okaforben_1101_55001_ledger.json", led("complete_15"))
    add(z, "silvaana_LATE_1102_55002_my ledger.json", led("random_003"))
    add(z, "leesam_1103_55003_ledger.json", led("random_001"), (2026, 5, 1, 9, 0, 0))
    add(z, "leesam_1103_55003_ledger-1.json", led("random_004"), (2026, 5, 2, 9, 0, 0))
    add(z, "leesam_1103_55003_notes.txt", b"not a ledger")
# The same students unpacked, each file named as archaudit names the student.
for n, l in [("okaforben", "complete_15"), ("silvaana", "random_003"), ("leesam", "random_004")]:
    shutil.copy("%s/%s.ledger.json" % (C, l), "%s/flat/%s.json" % (T, n))
# Moodle: a folder per student, or flat names.
with zipfile.ZipFile(T + "/moodle.zip", "w") as z:
    add(z, "Chidi Okafor_2201_assignsubmission_file_/ledger.json", led("random_005"))
    add(z, "Zoë Durand_2202_assignsubmission_file_ledger.json", led("random_006"))
    add(z, "Zoë Durand_2202_assignsubmission_onlinetext_onlinetext.html", b"<p>hi</p>")
os.mkdir(T + "/mflat")
shutil.copy(C + "/random_005.ledger.json", T + "/mflat/Chidi Okafor.json")
shutil.copy(C + "/random_006.ledger.json", T + "/mflat/Zoë Durand.json")
# A hostile zip: one good student and every kind of bad entry.
with zipfile.ZipFile(T + "/hostile.zip", "w") as z:
    add(z, "goodgail_3301_66001_ledger.json", led("random_007"))
    add(z, "../escape_3302_66002_ledger.json", led("random_008"))
    add(z, "/abs_3303_66003_ledger.json", led("random_008"))
    link = zipfile.ZipInfo("linkleo_3304_66004_ledger.json", (2026, 5, 1, 10, 0, 0))
    link.create_system = 3
    link.external_attr = (0o120777 << 16)
    z.writestr(link, "/etc/passwd")
    add(z, "dupdan_3305_66005_ledger.json", led("random_009"))
    add(z, "dupdan_3305_66005_ledger.json", led("random_010"))
    add(z, "bombbo_3306_66006_ledger.json", b" " * (4 << 20))
    add(z, "bigbea_3307_66007_ledger.json", led("complete_15") + b" " * 200000)
    add(z, "lockedlu_3308_66008_ledger.json", led("random_011"))
# Mark lockedlu's entry encrypted (general purpose bit 0), local and central.
data = bytearray(open(T + "/hostile.zip", "rb").read())
name = b"lockedlu_3308_66008_ledger.json"
for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
    i = 0
    while True:
        i = data.find(sig, i)
        if i < 0:
            break
        hdr = 30 if sig == b"PK\x03\x04" else 46
        if data[i + hdr:i + hdr + len(name)] == name:
            data[i + off] |= 1
        i += 4
open(T + "/hostile.zip", "wb").write(bytes(data))
# A zip whose central directory is cut off.
whole = open(T + "/canvas.zip", "rb").read()
open(T + "/corrupt.zip", "wb").write(whole[:len(whole) - 30])
# A roster for the Canvas zip: its ids are Canvas's user ids.
with open(T + "/roster.csv", "w") as f:
    f.write("id,name,section,ledger,email,sis_id\n")
    f.write("1101,\"Okafor, Ben\",A,,ben@uni.example,71101\n")
    f.write("1102,Ana Silva,A,,ana@uni.example,71102\n")
    f.write("1103,Sam Lee,B,,sam@uni.example,71103\n")
    f.write("1199,Mo Missing,B,,mo@uni.example,71199\n")
EOF

# Canvas: the same reports as the unpacked files (only the file they name
# differs).
status 0 "a Canvas zip" "$BIN" -j 2 -o "$T/rc" "$T/canvas.zip"
check "the resubmission is said, with the file read" \
    grep -q "canvas.zip:leesam_1103_55003_ledger-1.json: warning: leesam (Canvas id 1103) handed in 2 ledger files; this one, the latest, is read" "$T/err"
status 0 "a Canvas zip, filled-in templates" "$BIN" -q --markdown -o "$T/mc" "$T/canvas.zip"
check "a late submission is read" test -s "$T/rc/silvaana.pdf"
status 0 "the unpacked files" "$BIN" -q --markdown -o "$T/mf" "$T/flat"
for n in okaforben silvaana leesam; do
	check "canvas: $n's report is the unpacked file's" same_report "$T/mc/$n.md" "$T/mf/$n.md"
done
check "canvas: three reports, the text file ignored" test "$(ls "$T/rc" | wc -l)" = 3

# --json reads a zip as well: the same numbers as the unpacked files.
"$BIN" -q --json "$T/canvas.zip" >"$T/zip.jsonl"
"$BIN" -q --json "$T/flat/leesam.json" "$T/flat/okaforben.json" "$T/flat/silvaana.json" >"$T/flat.jsonl"
check "--json over a zip: the unpacked files' numbers" $PY -c '
import json, sys
def rows(p):
    out = {}
    for line in open(p):
        d = json.loads(line)
        d.pop("source")
        out[d["student"]] = d
    return out
sys.exit(rows(sys.argv[1]) != rows(sys.argv[2]) or len(rows(sys.argv[1])) != 3)
' "$T/zip.jsonl" "$T/flat.jsonl"

# Moodle: both layouts, names as Moodle writes them.
status 0 "a Moodle zip" "$BIN" -q --markdown -o "$T/rm" "$T/moodle.zip"
status 0 "the unpacked Moodle files" "$BIN" -q --markdown -o "$T/rmf" "$T/mflat"
for n in "Chidi Okafor" "Zoë Durand"; do
	check "moodle: $n's report is the unpacked file's" same_report "$T/rm/$n.md" "$T/rmf/$n.md"
done

# A roster wins: its names, its sections; a row without a submission is
# missing; the Canvas gradebook carries Canvas's user ids.
status 0 "a Canvas zip with a roster" "$BIN" -j 2 -o "$T/rr" --roster "$T/roster.csv" \
    --csv "$T/g.csv" --csv-format canvas "$T/canvas.zip"
check "the roster's names name the reports" test -s "$T/rr/Okafor, Ben.pdf" -a -s "$T/rr/Sam Lee.pdf"
check "the report has the roster's name" sh -c "pdftotext '$T/rr/Ana Silva.pdf' - | grep -q 'Ana Silva'"
check "the missing student is named with its id" grep -q "Mo Missing: no submission in the archive has the id 1199" "$T/err"
check "the Canvas ID column has Canvas's user id" grep -q '^Sam Lee,1103,71103,sam@uni.example,B,' "$T/g.csv"

# Hostile entries: each refused with its reason, the good student written.
status 1 "a hostile zip" "$BIN" -j 2 -o "$T/rh" --max-size 100K "$T/hostile.zip"
check "the good student's report is written" test -s "$T/rh/goodgail.pdf"
check "\"..\" refused" grep -q 'hostile.zip:../escape_3302_66002_ledger.json: error: its name leaves the archive' "$T/err"
check "an absolute name refused" grep -q 'hostile.zip:/abs_3303_66003_ledger.json: error: its name is an absolute path' "$T/err"
check "a link refused" grep -q 'linkleo_3304_66004_ledger.json: error: it is a symbolic link' "$T/err"
check "a name given twice refused" grep -q 'dupdan_3305_66005_ledger.json: error: the archive holds 2 entries of this name' "$T/err"
check "a zip bomb refused" grep -q 'bombbo_3306_66006_ledger.json: error: it expands .* times' "$T/err"
check "an entry past --max-size refused" grep -q 'bigbea_3307_66007_ledger.json: error: expands to .* over the limit of 102400 bytes' "$T/err"
check "an encrypted entry refused" grep -q 'lockedlu_3308_66008_ledger.json: error: it is encrypted' "$T/err"
check "nothing but the good report" test "$(ls "$T/rh")" = goodgail.pdf
check "no file outside the output folder" test ! -e "$T/escape.pdf" -a ! -e "$T/rh/../escape_3302_66002_ledger.pdf"

# A zip that cannot be read: named, and the other operands still done.
status 1 "a corrupt zip beside a good one" "$BIN" -j 2 -o "$T/rk" "$T/corrupt.zip" "$T/moodle.zip"
check "the corrupt zip is named with the reason" grep -q 'corrupt.zip: error: cannot be read as a zip archive' "$T/err"
check "the good zip's reports are written" test -s "$T/rk/Chidi Okafor.pdf" -a -s "$T/rk/Zoë Durand.pdf"

# libzip is opened on the first zip (src/read/lms_zip.c), not at start:
# the dynamic loader's own log says which libraries a run loads.
LD_DEBUG=files "$BIN" -q -o "$T/rl" "$C/complete_15.ledger.json" 2>"$T/ld-plain"
check "a run on plain ledgers loads no libzip" sh -c "! grep -q 'file=libzip' '$T/ld-plain'"
check "(and the loader's log is there to be read)" grep -q 'file=libharfbuzz' "$T/ld-plain"
LD_DEBUG=files "$BIN" -q -o "$T/rz" "$T/moodle.zip" 2>"$T/ld-zip"
check "a run on a zip loads libzip when it needs it" grep -q 'file=libzip.so.4' "$T/ld-zip"
check "and its reports are written" test -s "$T/rz/Zoë Durand.pdf"

[ "$fails" = 0 ]
