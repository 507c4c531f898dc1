#!/bin/sh
# End-to-end: a batch as an instructor runs it.  Worker counts and shards
# give the same bytes; a bad ledger is named and skipped; a roster sets
# names and order and its gaps are reported; the CSV, the class summary
# and the print bundle are checked with real tools; SIGTERM mid-batch
# leaves only whole PDFs and --skip-existing finishes the rest.  Run from
# the repository root; ARCHAUDIT_BIN names the program.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh
pages() { qpdf --show-npages "$1"; }

export SOURCE_DATE_EPOCH=1767225600
make_class "$T/class" 24

# -j 1 and -j 2: the same files, the same bytes, the same CSV and summary.
status 0 "-j 1 run" "$BIN" -q -j 1 -o "$T/j1" --csv "$T/j1.csv" --class-summary "$T/j1-class.pdf" "$T/class"
status 0 "-j 2 run" "$BIN" -q -j 2 -o "$T/j2" --csv "$T/j2.csv" --class-summary "$T/j2-class.pdf" "$T/class"
check "one PDF per ledger" test "$(ls "$T/j1" | wc -l)" -eq 24
check "-j 2 PDFs byte-identical to -j 1" same_tree "$T/j1" "$T/j2"
sed 's,/j2/,/j1/,' "$T/j2.csv" >"$T/j2-renamed.csv"
check "-j 2 CSV identical to -j 1 (but for the folder)" cmp -s "$T/j1.csv" "$T/j2-renamed.csv"
check "-j 2 class summary identical to -j 1" cmp -s "$T/j1-class.pdf" "$T/j2-class.pdf"

# Shards 1/3, 2/3, 3/3 together are the single run.
for k in 1 2 3; do
	status 0 "--shard $k/3" "$BIN" -q -j 2 --shard "$k/3" -o "$T/shards" "$T/class"
	check "--shard $k/3: nothing on stderr with -q" test ! -s "$T/err"
done
check "shards together: same files, same bytes" same_tree "$T/j1" "$T/shards"
"$BIN" -q --shard 2/3 -o "$T/one-shard" "$T/class" 2>/dev/null
check "one shard alone writes 8 of 24" test "$(ls "$T/one-shard" | wc -l)" -eq 8
status 2 "--shard 4/3 is a usage error" "$BIN" --shard 4/3 "$T/class"

# Progress and summary: plain lines on a pipe, a summary at the end.
status 0 "progress when not a terminal" "$BIN" -j 2 -o "$T/prog" "$T/class"
check "plain progress lines" grep -q '^archaudit: [0-9]*/24 reports' "$T/err"
check "summary: written and time" grep -q '^archaudit: 24 reports written; [0-9.]* s' "$T/err"
check "no carriage returns off a terminal" sh -c "! grep -q \"\$(printf '\r')\" \"$T/err\""
status 0 "-q prints nothing" "$BIN" -q -j 2 -o "$T/prog" "$T/class"
check "-q: stderr empty" test ! -s "$T/err"

# A bad ledger among good ones: named, skipped, the others written, exit 1.
mkdir "$T/mix"
cp ledgers/ada_complete.json ledgers/ben_sparse.json ledgers/cleo_empty.json "$T/mix/"
printf '{"history": [\n  {"chapter": 2,}\n]}\n' >"$T/mix/broken.json"
status 1 "a broken ledger: exit 1" "$BIN" -j 2 -o "$T/mix-out" --csv "$T/mix.csv" "$T/mix"
check "the others are written" test "$(ls "$T/mix-out"/*.pdf | wc -l)" -eq 3
check "the error names file:line:col" grep -q 'broken.json:2:17: error' "$T/err"
check "the summary counts it" grep -q '3 reports written, 1 failed' "$T/err"
check "the summary lists it" grep -A1 '^archaudit: failed:' "$T/err" | grep -q 'broken.json:2:17'
check "the CSV row says failed, with the reason" grep -q ',failed,.*broken.json:2:17: error' "$T/mix.csv"

# A roster: names, order, gaps; a UTF-8 name in the PDF; the CSV imports.
mkdir -p "$T/course/ledgers"
cp ledgers/ada_complete.json "$T/course/ledgers/a17.json"
cp ledgers/ben_sparse.json "$T/course/ledgers/b22.json"
cp ledgers/eli_vol2_mixed.json "$T/course/ledgers/e05.json"
cp ledgers/cleo_empty.json "$T/course/ledgers/stray.json"
printf '\357\273\277id,name,section,ledger\r\n' >"$T/course/roster.csv"
printf 's22,"Okafor, Chidi",B,ledgers/b22.json\r\n' >>"$T/course/roster.csv"
printf 's17,Zo\303\253 \303\211lise Dur\303\242nd,A,ledgers/a17.json\r\n' >>"$T/course/roster.csv"
printf 's09,Gone Away,A,ledgers/missing.json\r\n' >>"$T/course/roster.csv"
printf 's05,=cmd|calc,A,ledgers/e05.json\r\n' >>"$T/course/roster.csv"
status 0 "--roster with its folder: exit 0 (gaps are warnings)" "$BIN" -j 2 \
	--roster "$T/course/roster.csv" -o "$T/r" --csv "$T/r.csv" --bundle "$T/r-bundle.pdf" \
	--class-summary "$T/r-class.pdf" "$T/course/ledgers"
check "roster names the files" test -f "$T/r/Okafor, Chidi.pdf" -a -f "$T/r/Zoë Élise Durând.pdf"
check "a ledger missing from the roster: reported" grep -q 'stray.json: warning: not in the roster' "$T/err"
check "a roster row without a ledger: reported with its line" grep -q 'roster.csv:4: warning: Gone Away: no ledger: .*missing.json' "$T/err"
check "the stray ledger is still written" test -f "$T/r/stray.pdf"
pdftotext "$T/r/Zoë Élise Durând.pdf" - 2>/dev/null | tr '\n' ' ' >"$T/text"
check "the UTF-8 roster name is printed in the PDF" grep -q 'Zoë Élise Durând' "$T/text"
check "CSV: a UTF-8 byte-order mark, then the header" sh -c "head -c 3 \"$T/r.csv\" | od -An -tx1 | grep -q 'ef bb bf'"
check "CSV: the header" grep -q '^.*id,name,section,ledger,report,status,labs_completed,' "$T/r.csv"
check "CSV: one row per student, roster order, strays last" test "$(sed -n '2,$p' "$T/r.csv" | cut -c1-3 | tr -d '\r\n,')" = "s22s17s09s05st"
check "CSV: 1 header + 5 rows, CRLF" test "$(grep -c "$(printf '\r')\$" "$T/r.csv")" -eq 6
check "CSV: a name with a comma is quoted" grep -q '^s22,"Okafor, Chidi",B,' "$T/r.csv"
check "CSV: a formula-looking name is defused" grep -q "^s05,'=cmd|calc,A," "$T/r.csv"
check "CSV: the missing student's status" grep -q '^s09,Gone Away,A,,,no ledger,' "$T/r.csv"
if command -v python3 >/dev/null 2>&1; then
	check "CSV: a CSV reader gets 5 rows of 20 fields" python3 -c "
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
assert rows[0][:4] == ['id', 'name', 'section', 'ledger'], rows[0]
assert len(rows) == 6 and all(len(r) == 20 for r in rows), rows
assert rows[1][1] == 'Okafor, Chidi' and rows[2][1] == 'Zoë Élise Durând'
" "$T/r.csv"
fi
# The bundle: odd starts, one bookmark per student in roster order.
qpdf --check "$T/r-bundle.pdf" >/dev/null 2>&1
check "bundle: qpdf --check" test $? -eq 0
want=0
for f in "Okafor, Chidi" "Zoë Élise Durând" "=cmd_calc" stray; do
	n=$(pages "$T/r/$f.pdf")
	want=$((want + n + n % 2))
done
check "bundle: pages = the reports' pages, each padded to even ($want)" test "$(pages "$T/r-bundle.pdf")" -eq "$want"
qpdf --json --json-key=outlines "$T/r-bundle.pdf" >"$T/outl.json"
check "bundle: one top-level bookmark per student" test "$(grep -c '^      "title"' "$T/outl.json")" -eq 4
check "bundle: bookmarks in roster order" test "$(sed -n 's/^      "title": "\(.*\)"$/\1/p' "$T/outl.json" | tr '\n' '|')" = "Okafor, Chidi|Zoë Élise Durând|=cmd|calc|stray|"
starts=$(sed -n 's/^      "destpageposfrom1": \([0-9]*\),*$/\1/p' "$T/outl.json" | tr '\n' ' ')
odd=1
for p in $starts; do [ $((p % 2)) = 1 ] || odd=0; done
check "bundle: every report starts on an odd page ($starts)" test "$odd" = 1
# The class summary.
qpdf --check "$T/r-class.pdf" >/dev/null 2>&1
check "class summary: qpdf --check" test $? -eq 0
pdftotext "$T/r-class.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$T/class.txt"
check "class summary: the class size" grep -q 'Students with a report 4' "$T/class.txt"
check "class summary: students without a ledger" grep -q 'Students without a ledger 1' "$T/class.txt"
check "class summary: the consistency list names a student" grep -q 'Zoë Élise Durând (1 note)' "$T/class.txt"
check "class summary: completion chart and scatter" grep -q 'Figure 3' "$T/class.txt"

# Roster errors stop the run before anything is written.
printf 'id,name,ledger\n1,Ann,../outside.json\n' >"$T/course/bad.csv"
status 2 "a roster path leaving its folder: exit 2" "$BIN" --roster "$T/course/bad.csv" -o "$T/none"
check "the error has line and column" grep -q 'bad.csv:2:7: error: .*outside the roster' "$T/err"
check "nothing written" test ! -e "$T/none"

# Two ledgers that would write the same file: both named, neither written.
mkdir -p "$T/dup/a" "$T/dup/b"
cp ledgers/ada_complete.json "$T/dup/a/kim.json"
cp ledgers/ben_sparse.json "$T/dup/b/kim.json"
cp ledgers/cleo_empty.json "$T/dup/a/lee.json"
status 1 "a name collision: exit 1" "$BIN" -o "$T/dup-out" "$T/dup/a" "$T/dup/b"
check "the collision names both files" grep -q "a/kim.json: error: would write the same file \"kim\" as .*b/kim.json" "$T/err"
check "and the other way round" grep -q "b/kim.json: error: would write the same file \"kim\" as .*a/kim.json" "$T/err"
check "neither is written, the rest is" test ! -e "$T/dup-out/kim.pdf" -a -f "$T/dup-out/lee.pdf"

# SIGTERM mid-batch: only whole PDFs, no temporary file, exit 4; then
# --skip-existing completes exactly what is missing.
wait_files() { # wait_files DIR REGEX N: until N names in DIR match (4 s at most)
	i=0
	while [ "$(ls "$1" 2>/dev/null | grep -c "$2")" -lt "$3" ] && [ $i -lt 200 ]; do
		sleep 0.02; i=$((i + 1))
	done
}
make_class "$T/big" 200
"$BIN" -j 2 -o "$T/big-out" "$T/big" 2>"$T/term.err" &
pid=$!
wait_files "$T/big-out" '\.pdf$' 3
kill -TERM "$pid"
wait "$pid"; rc=$?
n_done=$(ls "$T/big-out" | grep -c '\.pdf$')
check "SIGTERM: exit 4 (interrupted)" test "$rc" -eq 4
check "SIGTERM: stopped early ($n_done of 200)" test "$n_done" -lt 200
check "SIGTERM: a clear message" grep -q 'interrupted by Terminated: [0-9]* reports* not done; run again with --skip-existing' "$T/term.err"
check "SIGTERM: no temporary file left" no_temps "$T/big-out"
check "SIGTERM: every PDF is whole" all_pdfs_whole "$T/big-out"
status 0 "--skip-existing finishes the run" "$BIN" -j 2 --skip-existing -o "$T/big-out" "$T/big"
check "--skip-existing: kept the finished ones" grep -q "$((200 - n_done)) reports written, $n_done already there" "$T/err"
check "--skip-existing: all 200 now" test "$(ls "$T/big-out" | grep -c '\.pdf$')" -eq 200
check "--skip-existing: every PDF is whole" all_pdfs_whole "$T/big-out"

# SIGKILL of the parent mid-batch: reports wait for their synchronisation
# as temporary files, so a final name only ever holds a whole PDF; the
# next run clears the temporary files and finishes.
"$BIN" -q -j 2 -o "$T/kill-out" "$T/big" 2>/dev/null &
pid=$!
wait_files "$T/kill-out" '\.tmp\.' 1
kill -KILL "$pid"
wait "$pid" 2>/dev/null
sleep 0.5       # the workers finish the report they are on and see the parent gone
check "SIGKILL: every PDF under its final name is whole" all_pdfs_whole "$T/kill-out"
status 0 "SIGKILL, then --skip-existing" "$BIN" -j 2 --skip-existing -o "$T/kill-out" "$T/big"
check "SIGKILL, rerun: no temporary file left" no_temps "$T/kill-out"
check "SIGKILL, rerun: all 200 whole" sh -c "test \$(ls \"$T/kill-out\" | grep -c '\\.pdf\$') -eq 200"

# Durability costs one synchronisation per batch of reports, not one per
# report (syncfs, then the renames): 200 reports, at most 8 syncs.
if command -v strace >/dev/null 2>&1; then
	strace -f -qq -c -o "$T/strace" -e trace=fsync,fdatasync,syncfs,sync \
	    "$BIN" -q -j 2 -o "$T/sync-out" "$T/big" 2>/dev/null
	n_sync=$(awk '$NF ~ /^(fsync|fdatasync|syncfs|sync)$/ { n += $(NF - 1) } END { print n + 0 }' "$T/strace")
	check "200 reports: $n_sync synchronisations (at most 8)" test "$n_sync" -ge 1 -a "$n_sync" -le 8
	check "the same bytes as a run without strace" same_tree "$T/big-out" "$T/sync-out"
else
	skip "synchronisations counted (no strace)"
fi

# A killed run's temporary files are cleared by the next run (an older
# archaudit's, without a process id, once they are a day old).
: >"$T/j1/s001.pdf.tmp.AbC123"
: >"$T/j1/unrelated.pdf.tmp.AbC123"
touch -d '2 days ago' "$T/j1/s001.pdf.tmp.AbC123" "$T/j1/unrelated.pdf.tmp.AbC123"
status 0 "stale temporary files" "$BIN" -j 2 --skip-existing -o "$T/j1" "$T/class"
check "removed for this run's names" test ! -e "$T/j1/s001.pdf.tmp.AbC123"
check "others' left alone" test -e "$T/j1/unrelated.pdf.tmp.AbC123"
check "said so" grep -q 'removed 1 temporary file' "$T/err"

# --scenario applies to every report and is named in each; -t another template set.
status 0 "--scenario on a batch" "$BIN" -q -j 2 -o "$T/scen" --scenario tests/data/scenario/good.json \
	--class-summary "$T/scen-class.pdf" "$T/mix/ada_complete.json" "$T/mix/ben_sparse.json"
for f in "$T/scen"/*.pdf "$T/scen-class.pdf"; do
	check "$(basename "$f"): names the scenario" sh -c "pdftotext \"$f\" - 2>/dev/null | tr '\\n' ' ' | grep -q 'scenario .*good.json'"
done
mkdir -p "$T/tpl/partials"
cp templates/audit.md "$T/tpl/"
cp templates/partials/*.md "$T/tpl/partials/"
printf '# Class of {{class.size}}\n\nEdited by the instructor.\n' >"$T/tpl/class.md"
status 0 "-t with an edited class.md" "$BIN" -q -t "$T/tpl" -o "$T/tplout" --class-summary "$T/tpl-class.pdf" "$T/mix/ada_complete.json"
check "the class summary uses the edited words" sh -c "pdftotext \"$T/tpl-class.pdf\" - | grep -q 'Class of 1' && pdftotext \"$T/tpl-class.pdf\" - | grep -q 'Edited by the instructor'"
rm "$T/tpl/class.md"
status 2 "-t without class.md: --class-summary is a usage error" "$BIN" -q -t "$T/tpl" -o "$T/tplout2" --class-summary "$T/x.pdf" "$T/mix/ada_complete.json"
check "names the missing template" grep -q 'tpl/class.md: error: cannot open' "$T/err"

# Options that do not go together.
status 2 "--json with --csv" "$BIN" --json --csv "$T/x.csv" ledgers
status 2 "--markdown with --bundle" "$BIN" --markdown --bundle "$T/x.pdf" ledgers
status 2 "-j 0" "$BIN" -j 0 ledgers

[ "$fails" = 0 ]
