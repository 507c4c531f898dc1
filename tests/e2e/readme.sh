#!/bin/sh
# End-to-end: the README's examples of messages are what the program
# prints.  The block under "### Diagnostics" in README.md is read, each case
# below is made so that it meets the same input, and every line of the
# block that a case makes must be in the program's standard error exactly.
# The lines no case here makes (a worker killed by signal 9: faults.sh and
# batch.sh; the summary's counts and times) are listed as skipped.  Run from
# the repository root; ARCHAUDIT_BIN names the program.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh
ROOT=$(pwd)
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac

sed -n '/^### Diagnostics/,/^### /p' README.md | sed -n '/^```$/,/^```$/p' |
    sed '1d;$d' >"$T/readme"
check "README.md has its Diagnostics block" test -s "$T/readme"

cd "$T" || exit 1
mkdir -p class a b
cp "$ROOT/ledgers/ada_complete.json" class/ada.json
cp "$ROOT/ledgers/ben_sparse.json" class/extra.json
# bob: a syntax error on line 3
printf '{"history": [\n  {"chapter": 0},\n    {"chapter": 1,, }\n]}\n' >class/bob.json
# ann: a chapter that is not a number, in the 8th entry
/usr/bin/python3 -c "
import json; d = json.load(open('class/ada.json')); d['history'][7]['chapter'] = True
json.dump(d, open('class/ann.json', 'w'))"
# a roster that points outside its folder (line 2), one without a ledger (line 9)
printf 'id,name,section,ledger\ns1040,Samuel Okafor,A,../x.json\n' >class/bad-roster.csv
{
	echo "id,name,section,ledger"
	for i in 1 2 3 4 5 6; do echo "s$i,Student $i,A,"; done
	echo "s7,Ada,A,ada.json"
	echo "s8,Sam Lee,A,"
} >class/roster.csv
cp "$ROOT/ledgers/ada_complete.json" a/kim.json
cp "$ROOT/ledgers/ben_sparse.json" b/kim.json

{
	"$BIN" --json class/bob.json class/ann.json
	"$BIN" -q --roster class/bad-roster.csv -o out
	"$BIN" -j 1 --roster class/roster.csv -o out class/ada.json class/extra.json
	"$BIN" -q -o out2 a/kim.json b/kim.json
} >/dev/null 2>"$T/got"

while IFS= read -r line; do
	case $line in
	*"killed by signal"*|"archaudit: "*reports*|"archaudit: failed:"|"  class/bob.json"*)
		skip "README line not made here: $line"; continue ;;
	esac
	if grep -Fxq -- "$line" "$T/got"; then ok "README: $line"; else
		bad "README: $line"
		echo "    got:"; sed 's/^/      /' "$T/got" | head -20
	fi
done <"$T/readme"
[ "$fails" = 0 ]
