#!/bin/sh
# A big class: a roster of 100,000 students (the most one roster takes,
# README "Limits") is planned, its gradebook and records written, within
# 64 MB for the whole run; one more row is refused with its line number
# before any work.  The rows have no ledger, so the cost measured is the
# class's own (plan, results, outputs), not the reports'.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

awk 'BEGIN { print "id,name,section,ledger,email,sis_id";
    for (i = 0; i < 100000; i++)
        printf "s%06d,Student Number %06d,%c,,s%06d@uni.example,9%06d\n", i, i, 65 + i % 3, i, i }' \
    >"$T/big.csv"
"$TOOLS/peakrss" "$BIN" -q -j 2 --roster "$T/big.csv" -o "$T/reports" --csv "$T/g.csv" \
    --records "$T/r.jsonl" >"$T/stdout.txt" 2>"$T/rss"
rc=$?
kb=$(sed -n 's/peakrss: \([0-9]*\) KB/\1/p' "$T/rss")
check "100,000 students: the run ends (no ledger is not a failure)" test "$rc" = 0
check "  a gradebook row for each" test "$(($(wc -l <"$T/g.csv") - 1))" = 100000
check "  a record for each" test "$(grep -c '"index"' "$T/r.jsonl")" = 100000
# Sanitizer builds use far more memory by design (shadow memory), as in
# bad_inputs.sh: the bound is checked on the plain build only.
if grep -a -q -e __asan_init -e __ubsan_handle "$BIN" 2>/dev/null; then
	echo "note: sanitizer build: memory bound not checked"
else
	check "  within 64 MB for the whole run (${kb} KB)" test "${kb:-999999}" -le 65536
fi

awk 'BEGIN { print "id,name,ledger";
    for (i = 0; i <= 100000; i++) printf "s%06d,Student %06d,\n", i, i }' >"$T/over.csv"
status 2 "100,001 students: refused" "$BIN" -q --roster "$T/over.csv" -o "$T/o2" --csv "$T/g2.csv"
check "  naming the line of the first row too many" \
    grep -q "over.csv:100002: error: more than 100000 students" "$T/err"
check "  before any work" test ! -e "$T/o2" -a ! -e "$T/g2.csv"

[ "$fails" = 0 ]
