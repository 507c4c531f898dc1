#!/bin/sh
# End-to-end: the adversarial review's findings (reviews/hostile-review.md),
# each as the user would meet it, with its exit status and message.  The
# finding's number is in each case's name.  Run from the repository root;
# ARCHAUDIT_BIN names the program (default build/archaudit).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh
has() { grep -q -- "$1" "$T/err"; }

# -- 1: a scenario whose values pass one by one but overflow together
printf '{"h100":{"bw_gbs":1e308},"model":{"params":1e308}}' >"$T/nan1.json"
printf '{"h100":{"cost_per_hour_usd":1e308},"load":{"total_rps":1e308}}' >"$T/nan2.json"
printf '{"model":{"params":1e-320}}' >"$T/nan3.json"
printf '{"drift":{"per_day":1e306}}' >"$T/nan4.json"
for s in nan1 nan2 nan3 nan4; do
	status 2 "1: $s: --grid-json refuses the scenario" "$BIN" --grid-json --scenario "$T/$s.json"
	check "1: $s: the message names the file and a derived quantity" \
	    grep -q "$s.json: error: (derived values): .* is \(infinite\|not a number\) for n_gpus" "$T/err"
	status 2 "1: $s: a report run refuses it before any work" "$BIN" -q -o "$T/o-$s" \
	    --scenario "$T/$s.json" ledgers/ada_complete.json
	check "1: $s: no report written" test ! -e "$T/o-$s/ada_complete.pdf"
done
status 2 "1: nan1 names its keys" "$BIN" --grid-json --scenario "$T/nan1.json"
check "1: nan1: model.params and bytes_per_param named" has 'model.params, model.bytes_per_param.fp16'

# -- 12: a 1 MiB scenario of distinct keys is refused at once, with 20 errors
python3 -c "
import sys
out = []
n = 0
size = 2
while size < 1024 * 1000:
    k = '\"k%d\":0' % n
    out.append(k); size += len(k) + 1; n += 1
sys.stdout.write('{' + ','.join(out) + '}')" >"$T/keys.json"
status 2 "12: a scenario of 90,000 unknown keys is refused" "$BIN" --grid-json --scenario "$T/keys.json"
check "12: at most 21 messages" test "$(wc -l <"$T/err")" -le 21
check "12: says the rest was not read" has 'more than 20 errors; the rest of the file was not read'

# -- 2: no output replaces an input or another output (real paths)
mkdir -p "$T/in"
cp ledgers/ada_complete.json ledgers/ben_sparse.json "$T/in/"
printf 'name,ledger\nAnn,ada_complete.json\nclass,ben_sparse.json\n' >"$T/in/roster.csv"
cp "$T/in/roster.csv" "$T/roster.keep"
status 2 "2: --csv the roster" "$BIN" -q --roster "$T/in/roster.csv" --csv "$T/in/roster.csv" -o "$T/o2"
check "2: names both" has "error: --csv $T/in/roster.csv would replace the roster $T/in/roster.csv"
check "2: the roster is untouched" cmp -s "$T/in/roster.csv" "$T/roster.keep"
check "2: nothing was done" test ! -e "$T/o2"
status 2 "2: --csv a ledger" "$BIN" -q --roster "$T/in/roster.csv" --csv "$T/in/ada_complete.json" -o "$T/o2"
check "2: names the ledger" has "would replace the ledger $T/in/ada_complete.json"
status 2 "2: --csv a ledger through another spelling" "$BIN" -q "$T/in" --csv "$T/in/../in/./ben_sparse.json" -o "$T/o2"
status 2 "2: --class-summary a student's report (class)" "$BIN" -q --roster "$T/in/roster.csv" \
    --class-summary "$T/o2/class.pdf" -o "$T/o2"
check "2: names the report and the summary" has "the report of \"class\" $T/o2/class.pdf would be the same file as --class-summary $T/o2/class.pdf"
status 2 "2: case differs: still one file on a case-insensitive disk" "$BIN" -q --roster "$T/in/roster.csv" \
    --bundle "$T/o2/CLASS.pdf" -o "$T/o2"
status 2 "2: --csv and --bundle the same file" "$BIN" -q "$T/in" --csv "$T/x.pdf" --bundle "$T/x.pdf" -o "$T/o2"
check "2: names both outputs" has "would be the same file as"
ln -s "$T/in" "$T/inlink"
status 2 "2: through a link to the folder" "$BIN" -q "$T/in" --csv "$T/inlink/roster.csv" -o "$T/o2" --roster "$T/in/roster.csv"
sums=$(cat templates/audit.md tests/data/scenario/good.json | cksum)
status 2 "2: --bundle over the scenario" "$BIN" -q "$T/in" --scenario tests/data/scenario/good.json \
    --bundle tests/data/scenario/good.json -o "$T/o2"
status 2 "2: --csv over the template" "$BIN" -q "$T/in" --csv templates/audit.md -o "$T/o2"
check "2: templates and scenario untouched" test "$(cat templates/audit.md tests/data/scenario/good.json | cksum)" = "$sums"

# -- 22: the folders of --bundle and --class-summary are made first
status 0 "22: --bundle print/all.pdf with print/ missing" "$BIN" -q "$T/in" -o "$T/o22" \
    --bundle "$T/print/all.pdf" --class-summary "$T/print/class.pdf"
check "22: both written" test -s "$T/print/all.pdf" -a -s "$T/print/class.pdf"
: >"$T/afile"
status 1 "22: a --csv folder that cannot be made stops the run at once" "$BIN" -q "$T/in" -o "$T/o22b" \
    --csv "$T/afile/g.csv"
check "22: no report written" test ! -e "$T/o22b"

# -- 3: closed standard streams never become output files
mkdir -p "$T/d3"
printf '{"history":[{"chapter":16,"design":{"serving_strategy":"a,=HYPERLINK(1),b"}}]}' >"$T/d3/m.json"
"$BIN" -o "$T/o3" --csv "$T/g3.csv" "$T/d3" 2>&-
check "3: 2>&-: exit 0" test $? = 0
check "3: 2>&-: the CSV holds only its two rows" test "$(wc -l <"$T/g3.csv")" = 2
check "3: 2>&-: no formula cell" sh -c "! grep -q '^=\|,=' \"$T/g3.csv\""
"$BIN" -q -o "$T/o3b" --csv "$T/g3b.csv" "$T/in" >&- 2>&-
check "3: >&- 2>&-: the CSV is whole" test "$(wc -l <"$T/g3b.csv")" = 3
"$BIN" -q -o "$T/o3c" "$T/in" <&-
check "3: <&-: reports written" test -s "$T/o3c/ada_complete.pdf"

# -- 13: lost standard output is an error (exit 1), not 0 and not 3
if [ -w /dev/full ]; then
	status 1 "13: --grid-json >/dev/full" sh -c "\"$BIN\" --grid-json >/dev/full"
	check "13: says so" has "standard output: cannot write: No space left on device"
	status 1 "13: --json >/dev/full" sh -c "\"$BIN\" --json ledgers >/dev/full"
fi
status 1 "13: --json with standard output closed" sh -c "\"$BIN\" --json ledgers >&-"
check "13: says so" has "standard output is closed"
status 1 "13: --grid-json with standard output closed" sh -c "\"$BIN\" --grid-json >&-"

# -- 4: long student strings are cut (REPORT_TEXT_MAX, README Limits)
python3 -c "
import json; M = 'M' * 2000000
print(json.dumps({'history': [{'chapter': 16, 'design': {'act1_prediction': M, 'act2_prediction': M}}]}))" >"$T/big16.json"
status 0 "4: a ledger with two 2 MB strings" "$BIN" -q -j1 -o "$T/o4" "$T/big16.json"
check "4: at most a dozen pages" test "$(pdfinfo "$T/o4/big16.pdf" | sed -n 's/^Pages: *//p')" -le 12
check "4: the string is cut with an ellipsis at 200 characters" sh -c \
    "pdftotext \"$T/o4/big16.pdf\" - | tr -d '\n' | grep -q 'M\{150,200\}…'"

# -- 7: a grid with a 200,000-point frontier prints a bounded table and says so
printf '{"grid":{"n_gpus":[1,100000],"cadence_days":30,"fairness_pct":10}}' >"$T/gpus.json"
status 0 "7: a 1.2 M-configuration grid of 100,000 GPU counts" "$BIN" -q -j1 --scenario "$T/gpus.json" \
    -o "$T/o7" ledgers/ada_complete.json
check "7: at most a dozen pages" test "$(pdfinfo "$T/o7/ada_complete.pdf" | sed -n 's/^Pages: *//p')" -le 12
check "7: the PDF stays under 1 MB" test "$(wc -c <"$T/o7/ada_complete.pdf")" -lt 1000000
check "7: says how many frontier points there are" sh -c \
    "pdftotext \"$T/o7/ada_complete.pdf\" - | tr '\n' ' ' | grep -q 'shows 40 of the [0-9,]* frontier points'"

# -- 5: --skip-existing trusts only a whole PDF
"$BIN" -q -o "$T/o5" ledgers
: >"$T/o5/ada_complete.pdf"
head -c 1000 "$T/o5/ben_sparse.pdf" >"$T/cut.pdf"; mv "$T/cut.pdf" "$T/o5/ben_sparse.pdf"
rm "$T/o5/dev_capstone_only.pdf"; ln -s /etc/passwd "$T/o5/dev_capstone_only.pdf"
status 0 "5: --skip-existing with an empty, a cut and a linked report" "$BIN" --skip-existing \
    -o "$T/o5" --csv "$T/g5.csv" ledgers
check "5: each is said and written again" test "$(grep -c 'not a whole PDF.*written again' "$T/err")" = 3
check "5: 2 kept, 3 written" has "3 reports written, 2 already there"
check "5: the link is replaced by a report" sh -c "test ! -L \"$T/o5/dev_capstone_only.pdf\" && head -c 5 \"$T/o5/dev_capstone_only.pdf\" | grep -q '%PDF-'"
mkdir -p "$T/o5b"; "$BIN" -q -o "$T/o5b" ledgers/ada_complete.json; rm "$T/o5b/ada_complete.pdf"; mkdir "$T/o5b/ada_complete.pdf"
status 1 "5: a folder in the report's place is not kept" "$BIN" -q --skip-existing -o "$T/o5b" ledgers/ada_complete.json
check "5: the failure is named" has "ada_complete.pdf: error: cannot rename into place"

# -- 18: an impossible date is reported, not printed; a real 29 February is
printf '{"last_updated":"2026-02-29","history":[]}' >"$T/d29.json"
printf '{"last_updated":"2024-02-29","history":[]}' >"$T/d24.json"
status 0 "18: 2026-02-29" "$BIN" --json -v "$T/d29.json"
check "18: reported" has 'd29.json: warning: last_updated: "2026-02-29" is not a date'
status 0 "18: a report for 2024-02-29" "$BIN" -q -o "$T/o18" "$T/d24.json" "$T/d29.json"
check "18: 29 February 2024 printed" sh -c "pdftotext \"$T/o18/d24.pdf\" - | grep -q '29 February 2024'"
check "18: 29 February 2026 never printed" sh -c "! pdftotext \"$T/o18/d29.pdf\" - | grep -q '29 February 2026'"
# a far-future day is a real date, but no day a lab was saved: reported,
# and it dates neither the report nor the class summary
printf '{"last_updated":"9999-12-31","history":[]}' >"$T/d9999.json"
status 0 "18: 9999-12-31" "$BIN" -o "$T/o18f" --class-summary "$T/c18.pdf" "$T/d9999.json" "$T/d24.json"
check "18: 9999-12-31 reported" has 'd9999.json: warning: last_updated: "9999-12-31" is after the year 2100'
check "18: 31 December 9999 never dates the report" sh -c "! pdftotext \"$T/o18f/d9999.pdf\" - | grep -q '31 December 9999'"
check "18: the class summary is dated by the real ledger" sh -c "pdftotext \"$T/c18.pdf\" - | grep -q 'Ledgers saved up to 29 February 2024'"

# -- 20: SOURCE_DATE_EPOCH out of range is a clear error
for e in 9223372036854775807 253402300800 -1 12x; do
	status 2 "20: SOURCE_DATE_EPOCH=$e" env SOURCE_DATE_EPOCH=$e "$BIN" -q -o "$T/o20" ledgers/ada_complete.json
	check "20: $e: says so" has "SOURCE_DATE_EPOCH: expected whole seconds"
done
status 0 "20: SOURCE_DATE_EPOCH=253402300799 (the last second of 9999)" env SOURCE_DATE_EPOCH=253402300799 \
    "$BIN" -q -o "$T/o20" ledgers/ada_complete.json

# -- 21: --max-size refuses values that overflow
for v in 17179869185G 17179869184G 1025G 1073741825M 18446744073709551617; do
	status 2 "21: --max-size $v" "$BIN" --json --max-size $v ledgers/ada_complete.json
done
status 0 "21: --max-size 1024G (the largest)" "$BIN" --json --max-size 1024G ledgers/ada_complete.json

# -- 9: a figure size that is not a number is refused, and the content after it kept
cp -r templates "$T/T9"
sed -i '0,/width=[0-9]*%/s//width=nan%/' "$T/T9/audit.md"
status 0 "9: width=nan%" "$BIN" -t "$T/T9" -o "$T/o9" ledgers/ada_complete.json
check "9: a warning names the template line" grep -q 'audit.md:[0-9]*: warning: figure: bad size "nan%' "$T/err"
check "9: the Memory Wall section is still there" sh -c "pdftotext \"$T/o9/ada_complete.pdf\" - | grep -q 'Memory Wall'"

# -- 8, 15: a run removes only the temporary files of runs that are gone
# (the writer's process id and host are in the name), its CSV's, class
# summary's and bundle's as well as its reports'
host=$(python3 -c "
import socket
h = 2166136261
for c in socket.gethostname().encode(): h = ((h ^ c) * 16777619) & 0xffffffff
print('%08x' % h)")
sleep 60 & live=$!
dead=$(sh -c 'echo $$')
mkdir -p "$T/o8"
for f in ada_complete.pdf ben_sparse.pdf; do
	: >"$T/o8/$f.tmp.$live.$host.AbC123"
	: >"$T/o8/$f.tmp.$dead.$host.AbC124"
done
for f in g8.csv class8.pdf all8.pdf; do : >"$T/o8/$f.tmp.$dead.$host.XyZ789"; done
: >"$T/o8/g8.csv.tmp.$live.$host.XyZ780"
: >"$T/o8/ada_complete.pdf.tmp.$dead.0badf00d.Qq1234"    # another machine's, fresh
status 0 "8: a run beside a live run's and dead runs' temporary files" "$BIN" -o "$T/o8" \
    --csv "$T/o8/g8.csv" --class-summary "$T/o8/class8.pdf" --bundle "$T/o8/all8.pdf" \
    ledgers/ada_complete.json ledgers/ben_sparse.json
check "8: the live run's report temporary files are kept" test -e "$T/o8/ada_complete.pdf.tmp.$live.$host.AbC123" \
    -a -e "$T/o8/ben_sparse.pdf.tmp.$live.$host.AbC123" -a -e "$T/o8/g8.csv.tmp.$live.$host.XyZ780"
check "8: another machine's fresh one is kept" test -e "$T/o8/ada_complete.pdf.tmp.$dead.0badf00d.Qq1234"
check "8, 15: the dead runs' are removed, CSV, class summary and bundle too" sh -c \
    "! ls \"$T/o8\" | grep -q '\.tmp\.$dead\.$host\.'"
check "8: said so" has 'removed 5 temporary files left by an interrupted run'
touch -d '2 days ago' "$T/o8/ada_complete.pdf.tmp.$dead.0badf00d.Qq1234"
status 0 "8: another machine's, two days old" "$BIN" -q -o "$T/o8" ledgers/ada_complete.json
check "8: removed" test ! -e "$T/o8/ada_complete.pdf.tmp.$dead.0badf00d.Qq1234"
kill "$live" 2>/dev/null
if command -v strace >/dev/null 2>&1; then
	make_class "$T/c8" 10
	# the reports are made durable by syncfs (fsync for single files): both
	# slowed; LeakSanitizer cannot run under ptrace, so a sanitizer build
	# checks its leaks everywhere but here
	ASAN_OPTIONS="${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}detect_leaks=0" \
	    strace -f -o /dev/null -e inject=fsync,syncfs:delay_enter=700000 \
	    "$BIN" -q -j2 -o "$T/r8" "$T/c8" >"$T/r8.out" 2>"$T/r8.err" & first=$!
	sleep 1.5
	status 0 "8: a second run on the folder of a slow first run" "$BIN" -q -j1 --skip-existing -o "$T/r8" "$T/c8"
	wait "$first"; rc=$?
	check "8: the first run still writes every report (exit $rc)" test "$rc" = 0
	[ "$rc" = 0 ] || sed 's/^/    first run: /' "$T/r8.err" | head -n 5
	check "8: the first run has no rename failure" sh -c "! grep -q 'cannot rename' \"$T/r8.err\""
	check "8: ten whole reports" test "$(ls "$T/r8" | grep -c '\.pdf$')" = 10
	check "8: no temporary file left" no_temps "$T/r8"
else
	skip "8: strace is not installed (a slow first run)"
fi

# -- 16: output names compared after NFKC and case folding; invisible
# characters removed from file names; Windows device names never written
mkdir -p "$T/d16"
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cp ledgers/ada_complete.json "$T/d16/l$i.json"; done
python3 -c "
names = ['\u00c4nn', '\u00e4NN', 'Zo\u00eb', 'Zoe\u0308', '\u00adBob', '\u061cBob', 'B\u3164ob',
    '\uff21da', 'Ada', 'CON', 'nul.x', 'Lpt1']
print('name,ledger')
for i, n in enumerate(names): print('%s,l%d.json' % (n, i + 1))" >"$T/d16/r.csv"
status 1 "16: look-alike names" "$BIN" -q -o "$T/o16" --roster "$T/d16/r.csv"
for pair in '1 2' '3 4' '5 6' '8 9'; do
	set -- $pair
	check "16: l$1 and l$2 collide" sh -c "grep -q 'l$1.json: error: would write the same file .* as .*/l$2.json' \"$T/err\""
done
check "16: U+3164 dropped: B<filler>ob is Bob too" grep -q 'l7.json: error: would write the same file "Bob"' "$T/err"
check "16: CON, nul.x and Lpt1 are CON_, nul_.x and Lpt1_" sh -c \
    "test \"\$(ls \"$T/o16\" | tr '\n' ' ')\" = 'CON_.pdf Lpt1_.pdf nul_.x.pdf '"

# -- 17: no bidi control or invisible character in the PDF's metadata; the
# joiners of a Persian name stay (Title, Author, XMP)
mkdir -p "$T/d17"
cp ledgers/ada_complete.json "$T/d17/a.json"; cp ledgers/ben_sparse.json "$T/d17/b.json"
printf 'name,ledger\nEvil\342\200\256Fdp.exe,a.json\n\331\205\333\214\342\200\214\331\206\330\247,b.json\n' >"$T/d17/r.csv"
status 0 "17: names with U+202E and U+200C, --pdfa" "$BIN" -q --pdfa -o "$T/o17" --roster "$T/d17/r.csv"
meta() {
	/usr/bin/python3 -c "
import pikepdf, sys
p = pikepdf.open(sys.argv[1]); m = p.open_metadata()
print(str(p.docinfo['/Title']), str(p.docinfo['/Author']), m.get('dc:title'), ' '.join(m.get('dc:creator')))" "$1"
}
if /usr/bin/python3 -c 'import pikepdf' 2>/dev/null; then
	check "17: RLO in no metadata" test "$(meta "$T/o17/EvilFdp.exe.pdf")" = \
	    "Architect’s Audit — EvilFdp.exe EvilFdp.exe Architect’s Audit — EvilFdp.exe EvilFdp.exe"
	check "17: ZWNJ kept in every metadata field" test "$(meta "$T/o17/مینا.pdf")" = \
	    "Architect’s Audit — می‌نا می‌نا Architect’s Audit — می‌نا می‌نا"
else
	skip "17: pikepdf is not installed"
fi

# -- 6: a roster's ledgers and a folder's files may not leave their folder
# by a symbolic link (real paths compared, like ".."); nothing outside is
# opened, so no message can quote it; a named link is read and said
mkdir -p "$T/s6/r" "$T/s6/bob" "$T/s6/secret"
printf 'alice:$6$saltsalt$SECRETHASH\n' >"$T/s6/secret/passwd.json"
cp ledgers/ada_complete.json "$T/s6/r/ann.json"; cp ledgers/ben_sparse.json "$T/s6/bob/ledger.json"
ln -s ../secret "$T/s6/r/etcdir"; ln -s ../bob/ledger.json "$T/s6/r/kim.json"
printf 'name,ledger\nAnn,ann.json\nMal,etcdir/passwd.json\nKim,kim.json\n' >"$T/s6/r/roster.csv"
status 2 "6: roster rows through links out of its folder" "$BIN" -q -o "$T/o6" --roster "$T/s6/r/roster.csv"
check "6: the folder link is named with its row" has 'roster.csv:3:5: error: the ledger "etcdir/passwd.json" leads outside the roster.s folder through a symbolic link'
check "6: the file link too" has 'roster.csv:4:5: error: the ledger "kim.json" leads outside'
check "6: no secret quoted" sh -c "! grep -q SECRETHASH \"$T/err\""
check "6: nothing done" test ! -e "$T/o6"
status 1 "6: a folder operand holding a link out of it" "$BIN" -q -o "$T/o6b" "$T/s6/r"
check "6: the link is refused, named" has 'kim.json: error: a symbolic link that leads out of the folder'
check "6: Bob's ledger is not reported as Kim's" test ! -e "$T/o6b/kim.pdf" -a -s "$T/o6b/ann.pdf"
if command -v strace >/dev/null 2>&1; then
	strace -f -o "$T/s6.trace" -e trace=open,openat "$BIN" -q -o "$T/o6c" "$T/s6/r" 2>/dev/null
	check "6: the linked files are never opened" sh -c "! grep -q 'bob/ledger.json\|kim.json\|passwd' \"$T/s6.trace\""
fi
ln -s "$T/s6/bob/ledger.json" "$T/s6/named.json"
status 0 "6: a link named as an operand is read" "$BIN" -o "$T/o6d" "$T/s6/named.json"
check "6: and said" has 'named.json: warning: a symbolic link to .*bob/ledger.json'

# -- 10: a report has at most REPORT_MAX_PAGES (12) pages: a template that
# makes more is an error naming the template and the count, nothing written;
# it is the same for every student, so the run stops at the first (exit 2)
cp -r templates "$T/T10"
python3 -c "
import sys
p = sys.argv[1]; s = open(p).read()
open(p, 'w').write(s + ('\n\nA paragraph the template repeats. ' * 40 + '\n') * 300)" "$T/T10/audit.md"
mkdir "$T/c10"
for k in 1 2 3 4 5 6 7 8; do cp ledgers/ada_complete.json "$T/c10/s$k.json"; done
status 2 "10: a template of 340 pages, 8 students" "$BIN" -j 2 -t "$T/T10" -o "$T/o10" \
    --csv "$T/g10.csv" "$T/c10"
check "10: one clear message" has "error: the template $T/T10/audit.md makes a report of [0-9]* pages, more than the 12 a report may have; no report written"
check "10: said once, not once per student" test "$(grep -c 'makes a report of' "$T/err")" -le 2
check "10: the run says it stopped" has "stopped: the template cannot make a report"
check "10: no report, no CSV" test ! -e "$T/o10/s1.pdf" -a ! -e "$T/g10.csv"

# -- 23: a character no font has in a ledger's own value is reported
# naming the ledger, not the template line that prints it (U+1BFFF is
# unassigned: no font has it)
printf '{"history":[{"chapter":16,"design":{"act1_prediction":"\360\233\277\277 spot"}}]}' >"$T/v23.json"
status 0 "23: a ledger value no font can draw" "$BIN" -o "$T/o23" "$T/v23.json"
check "23: the warning names the ledger" has "v23.json: warning: a value of the ledger has character U+1BFFF"
check "23: and not the template" sh -c "! grep -q 'audit.md:[0-9]*: warning: character U+1BFFF' \"$T/err\""
check "23: the report is written" test -s "$T/o23/v23.pdf"

# -- 19: a render-time template error (a partial that includes itself) is
# the same for every student: said once, and the run stops (exit 2)
cp -r templates "$T/T19"
printf 'x{{>self}}\n' >"$T/T19/partials/self.md"
echo '{{>self}}' >>"$T/T19/audit.md"
status 2 "19: a partial that includes itself, 8 students" "$BIN" -j 2 -t "$T/T19" -o "$T/o19" "$T/c10"
check "19: one message naming the partial" has "self.md:1:2: error: partials nested more than 64 deep"
check "19: said once, not once per student" test "$(grep -c 'nested more than 64 deep' "$T/err")" -le 3
check "19: nothing written" test ! -e "$T/o19/s1.pdf"

# -- 26: a partial that is a link out of the partials folder is not read
cp -r templates "$T/T26"
ln -s /etc/passwd "$T/T26/partials/pw.md"
sed -i '1s/^/{{>pw}}\n/' "$T/T26/audit.md"
status 2 "26: a partial linked to /etc/passwd" "$BIN" -q -t "$T/T26" -o "$T/o26" ledgers/ada_complete.json
check "26: refused as an unknown partial, nothing quoted" sh -c "grep -q 'audit.md:1:1: error: unknown partial \"pw\"' \"$T/err\" && ! grep -q 'root:' \"$T/err\""
cp -r templates "$T/T26b"
head -c 1100000 /dev/zero | tr '\0' a >>"$T/T26b/audit.md"
status 2 "26: a template over 1 MiB is refused (docs/templates.md)" "$BIN" -q -t "$T/T26b" -o "$T/o26b" ledgers/ada_complete.json
check "26: says so" has 'audit.md: error: larger than 1048576 bytes'

# -- 24: an empty shard exits 0 with --bundle too, saying no bundle is written
status 0 "24: --shard 1/1000000 of 5 students, --bundle" "$BIN" --shard 1/1000000 --bundle "$T/b24.pdf" -o "$T/o24" ledgers
check "24: said" has "b24.pdf: note: no student in this run (an empty shard?); no bundle written"
check "24: no bundle" test ! -e "$T/b24.pdf"

# -- 25: workers that cannot start (ulimit -n 16, -j 256) are said once
make_class "$T/c25" 40
status 0 "25: -j 256 under ulimit -n 16" sh -c "ulimit -n 16; \"$BIN\" -q -j 256 -o \"$T/o25\" \"$T/c25\""
check "25: one line about the workers" test "$(grep -c 'worker' "$T/err")" -le 1
check "25: every report written" test "$(ls "$T/o25" | grep -c '\.pdf$')" = 40

[ "$fails" = 0 ]
