#!/bin/sh
# Shards that merge: the README's GNU parallel recipe (local jobs) over a
# roster of 40 students in three sections, three without a ledger; the
# merged CSV, class summary and bundle are byte-identical to a single run
# over the whole roster; a merge of records that do not belong together
# is refused, naming the file.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
C=tests/data/conformance/ledgers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh
export SOURCE_DATE_EPOCH=1767225600
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac

command -v parallel >/dev/null 2>&1 || { bad "GNU parallel missing (apt-get install parallel)"; exit 1; }

mkdir "$T/class"
i=0
printf 'id,name,section,ledger,email\n' >"$T/class/roster.csv"
for f in "$C"/*.ledger.json; do
	[ $i -lt 37 ] || break
	cp "$f" "$T/class/l$i.json"
	printf 's%02d,Student %02d,%s,l%d.json,s%02d@uni.example\n' $i $i \
	    "$(echo ABC | cut -c$((i % 3 + 1)))" $i $i >>"$T/class/roster.csv"
	i=$((i + 1))
done
for k in 37 38 39; do
	printf 's%02d,Absent %02d,%s,,s%02d@uni.example\n' $k $k B $k >>"$T/class/roster.csv"
done
cd "$T" || exit 1

status 0 "one run over the whole roster" "$BIN" -q -j 2 --roster class/roster.csv -o reports \
    --csv whole.csv --class-summary whole-class.pdf --bundle whole-print.pdf
rm -r reports
# The README's recipe, with local jobs instead of -S hosts.
status 0 "three shards with GNU parallel" parallel -j 3 \
    "$BIN" -q -j 1 --shard {}/3 --roster class/roster.csv -o reports \
    --records records-{}.jsonl ::: 1 2 3
check "every shard wrote its records" test -s records-1.jsonl -a -s records-2.jsonl -a -s records-3.jsonl
check "40 students in the records" test "$(cat records-*.jsonl | grep -c '"index"')" = 40
status 0 "the merge" "$BIN" --merge records-*.jsonl --csv grades.csv \
    --class-summary class.pdf --bundle print.pdf
check "the merged gradebook is the single run's, byte for byte" cmp whole.csv grades.csv
check "the merged class summary is the single run's" cmp whole-class.pdf class.pdf
check "the merged bundle is the single run's" cmp whole-print.pdf print.pdf
check "the merge says what it did" grep -q "37 reports merged, 3 students without a ledger" "$T/err"

# The class summary a teacher works from: every student and every section
# by name, the three without a ledger with the reason, own designs and the
# lab's default counted apart.
pdftotext class.pdf - | tr -s '\n ' '  ' >class.txt
pdftotext -layout class.pdf - >class-layout.txt
named=0
for n in $(cut -d, -f2 class/roster.csv | tail -n +2 | sed 's/ /_/g'); do
	grep -q "$(echo "$n" | sed 's/_/ /g')" class.txt && named=$((named + 1))
done
check "the class summary names all 40 students" test "$named" = 40
for sec in A B C; do
	check "  and section $sec" grep -q "^Section $sec\$" class-layout.txt
done
check "  the students without a ledger, with the reason" \
    grep -Eq "Absent 37 +— +— +— +no ledger +the roster gives no ledger file" class-layout.txt
check "  a short list of who needs attention" grep -q "Who needs a word" class.txt
# Per section: each lab's three section counts add up to the class's, and
# each section lists as many students as the roster gives it.
check "  labs saved per section add up to the class" awk '
    /section by section:/ { t++ } t == 1 && $1 == "Lab" && $2 ~ /^[0-9][0-9]$/ {
        n++; if ($3 + $4 + $5 != $6) bad = 1 }
    END { exit !(n == 15 && !bad) }' class-layout.txt
for sec in A B C; do
	want=$(awk -F, -v s="$sec" 'NR > 1 && $3 == s' class/roster.csv | wc -l)
	check "  section $sec: $want students, as in the roster" \
	    grep -Eq "^ *$sec +$want +[0-9]+ " class-layout.txt
done
check "  own designs and the default apart" grep -q "Own designs that pass The lab.s default design" class.txt
check "  the date labelled for what it is" grep -Eq "Ledgers saved up to|dated after the run.s own date" class.txt

# Records that do not belong together.
status 2 "a shard missing" "$BIN" --merge records-1.jsonl records-3.jsonl --csv x.csv
check "  it names the shard" grep -q "no records for shard 2/3" "$T/err"
status 2 "a shard twice" "$BIN" --merge records-1.jsonl records-2.jsonl records-2.jsonl records-3.jsonl --csv x.csv
check "  it names the file" grep -q "records-2.jsonl: error: shard 2/3 again" "$T/err"
sed 's/Student 05/Student 5/' class/roster.csv >class/other.csv
status 0 "a shard of another roster" "$BIN" -q -j 1 --shard 2/3 --roster class/other.csv -o other \
    --records other-2.jsonl
status 2 "  is refused in the merge" "$BIN" --merge records-1.jsonl other-2.jsonl records-3.jsonl --csv x.csv
check "  naming it" grep -q "other-2.jsonl: error: records of another run than records-1.jsonl's (the roster differs)" "$T/err"
head -n 3 records-2.jsonl >cut-2.jsonl
status 2 "a records file cut short" "$BIN" --merge records-1.jsonl cut-2.jsonl records-3.jsonl --csv x.csv
check "  naming it" grep -q "cut-2.jsonl: error: holds 2 of the 13 students of its shard" "$T/err"
cp "reports/Student 20.pdf" keep.pdf
printf '\n%%changed\n' >>"reports/Student 20.pdf"
status 2 "a report changed since its record" "$BIN" --merge records-*.jsonl --bundle y.pdf
check "  naming the report" grep -q "reports/Student 20.pdf: error: is not the report its record was written for" "$T/err"
cp keep.pdf "reports/Student 20.pdf"
status 2 "another --scenario than the shards'" "$BIN" --merge records-*.jsonl --csv x.csv \
    --scenario "$OLDPWD/tests/data/scenario/good.json"
check "  said" grep -q "the records were made without --scenario" "$T/err"
check "nothing written by the refused merges" test ! -e x.csv -a ! -e y.pdf
status 2 "--merge without outputs" "$BIN" --merge records-1.jsonl
status 2 "--merge with --records" "$BIN" --merge --records r.jsonl --csv x.csv records-1.jsonl

[ "$fails" = 0 ]
