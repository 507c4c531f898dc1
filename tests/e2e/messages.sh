#!/bin/sh
# Messages on standard error hold anybody's text: a student's name from
# the roster, a file name, a zip's entry.  A bidirectional control in it
# (U+202E, RIGHT-TO-LEFT OVERRIDE, turns the rest of the line around on a
# terminal: "Eve<RLO>gnp.exe" shows as "Eveexe.png") is printed as
# "<U+202E>", a control byte as "?", whichever stage gave the message
# (util.h, diag_format).  The exit status follows the worst level: a
# warning leaves it 0, an error makes it 1.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

RLO=$(printf '\342\200\256')
no_raw() { # FILE: no raw U+202E, U+2066..2069 or ESC in it
	! grep -q "$RLO" "$1" && ! grep -q "$(printf '\342\201[\246-\251]')" "$1" &&
	    ! grep -q "$(printf '\033')" "$1"
}

# a roster name (batch: the plan's warning)
printf 'id,name,section,ledger\ns1,Eve%sgnp.exe,A,\n' "$RLO" >"$T/roster.csv"
status 0 "a roster name with U+202E: a warning, exit 0" \
    "$BIN" --roster "$T/roster.csv" -o "$T/reports"
check "the warning shows <U+202E>" grep -q 'Eve<U+202E>gnp.exe: the roster gives no ledger' "$T/err"
check "no raw bidirectional control" no_raw "$T/err"

# a ledger's file name (--json: the job's error), and an escape sequence
cp ledgers/ada_complete.json "$T/x.json"
status 1 "a missing ledger named with U+202E: an error, exit 1" \
    "$BIN" --json "$T/a${RLO}b$(printf '\033')[2J.json"
check "the error shows <U+202E> and ?" grep -q "a<U+202E>b?\[2J.json: error" "$T/err"
check "no raw control in the error" no_raw "$T/err"
status 0 "a ledger that reads: exit 0" "$BIN" --json "$T/x.json"
status 1 "one ledger of two fails: exit 1" "$BIN" --json "$T/x.json" "$T/none.json"
check "the other's JSON is printed" grep -q '"source"' "$T/out"
[ "$fails" = 0 ]
