#!/bin/sh
# End-to-end: the archaudit command as a user runs it.  Exit codes, JSON
# Lines on stdout, diagnostics naming the file and place on stderr, and a
# bad ledger that does not stop the others.  Run from the repository root;
# ARCHAUDIT_BIN names the program (default build/archaudit).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

status 0 "--help" "$BIN" --help
check "--help lists --json" grep -q -- "--json" "$T/out"
status 0 "--version" "$BIN" --version
check "--version names the program" grep -q "^archaudit [0-9]" "$T/out"
status 2 "unknown option" "$BIN" --no-such-option ledgers
status 2 "no ledgers given" "$BIN" --json
check "no ledgers: says so" grep -q "no ledgers given" "$T/err"
status 2 "bad --max-size" "$BIN" --json --max-size lots ledgers

status 0 "--json on the sample ledgers" "$BIN" --json ledgers
check "one JSON line per sample ledger" test "$(wc -l <"$T/out")" -eq "$(ls ledgers/*.json | wc -l)"
check "lines carry the section-6 names" grep -q '"act1":{"n_completed":15,' "$T/out"
check "config_source present" grep -q '"config_source":"ledger"' "$T/out"
check "warnings array present" grep -q '"warnings":\[' "$T/out"

# A bad ledger among good ones: named with line and column, the rest still done.
mkdir "$T/in"
cp ledgers/ada_complete.json ledgers/cleo_empty.json "$T/in/"
printf '{"history": [\n  {"chapter": 2,}\n]}\n' >"$T/in/broken.json"
status 1 "a broken ledger makes the run exit 1" "$BIN" --json "$T/in"
check "the good ledgers still printed" test "$(wc -l <"$T/out")" -eq 2
check "error names file:line:col" grep -q "broken.json:2:17: error: trailing comma\|broken.json:2:17: error: expected a key" "$T/err"
check "error shows a caret" grep -q '^ *\^$' "$T/err"
check "summary of failures" grep -q "1 of 3 ledgers failed" "$T/err"

# Standard input
status 0 "- reads standard input" sh -c "\"$BIN\" --json - <ledgers/ben_sparse.json"
check "stdin ledger is named stdin" grep -q '"student":"stdin"' "$T/out"

# Size limit
status 1 "--max-size refuses a large ledger" "$BIN" --json --max-size 100 ledgers/ada_complete.json
check "size error names the option" grep -q "max-size" "$T/err"

# The main job writes out/ whole files, nothing temporary left behind.
status 0 "reports into -o DIR" "$BIN" -q -o "$T/out-dir" ledgers
check "one report per ledger" test "$(ls "$T/out-dir" | wc -l)" -eq "$(ls ledgers/*.json | wc -l)"
check "no temporary files left" sh -c "! ls \"$T/out-dir\" | grep -q tmp"

# The grid census
status 0 "--grid-json" "$BIN" --grid-json
check "census total" grep -q '"total": *1224720' "$T/out"
check "census frontier" grep -q '"frontier"' "$T/out"

[ "$fails" = 0 ]
