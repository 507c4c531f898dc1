#!/bin/sh
# End-to-end: the command line as a new user meets it.  A usage error is
# one line naming the cause, then "Try 'archaudit --help'." (exit 2, nothing
# written); an option that does nothing in the chosen mode is such an
# error; every output file's folder is created; a folder without ledgers is
# an error naming it; a template error carries one "error:"; a report path
# in the CSV has no "//".  Run from the repository root; ARCHAUDIT_BIN
# names the program (default build/archaudit).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh
L=ledgers/ada_complete.json

# usage_error NAME MESSAGE ARGS...: exit 2, stderr exactly MESSAGE and the hint
usage_error() {
	name=$1; msg=$2; shift 2
	status 2 "$name" "$BIN" "$@"
	printf '%s\n%s\n' "$msg" "Try 'archaudit --help'." >"$T/want"
	check "$name: one line and the hint" same_text "$T/want" "$T/err"
	check "$name: nothing on stdout" test ! -s "$T/out"
}
cd "$T" || exit 1
ROOT=$OLDPWD
case $BIN in /*) ;; *) BIN=$ROOT/$BIN ;; esac
L=$ROOT/$L

usage_error "no ledgers" "archaudit: no ledgers given (a file, a directory, - for standard input, or --roster FILE.csv)"
usage_error "--json with -o" "archaudit: -o is for reports; it does nothing with --json" --json -o refused "$L"
usage_error "--json with --figures" "archaudit: --figures is for reports; it does nothing with --json" --json --figures f "$L"
usage_error "--json with --pdfa" "archaudit: --pdfa is for reports; it does nothing with --json" --json --pdfa "$L"
usage_error "--json with --markdown" "archaudit: --markdown is for reports; it does nothing with --json" --json --markdown "$L"
usage_error "--json with --csv" "archaudit: --csv writes reports; it does not go with --json" --json --csv g.csv "$L"
usage_error "--grid-json with a ledger" "archaudit: --grid-json prints the census of the design space and reads no ledger; drop the ledgers or --grid-json" --grid-json "$L"
usage_error "--grid-json with --json" "archaudit: --json does nothing with --grid-json" --grid-json --json
usage_error "--grid-json with --bundle" "archaudit: --bundle does nothing with --grid-json" --grid-json --bundle b.pdf
usage_error "--markdown with --figures" "archaudit: --figures is for PDF reports; it does nothing with --markdown" --markdown --figures f "$L"
usage_error "--markdown with --bundle" "archaudit: --bundle is a PDF; it does not go with --markdown" --markdown --bundle b.pdf "$L"
usage_error "bad --jobs" "archaudit: --jobs: expected a number of processes from 1 to 256, got \"0\"" -j 0 "$L"
usage_error "bad --shard" "archaudit: --shard: expected K/N with 1 <= K <= N (such as 2/8), got \"3/2\"" --shard 3/2 "$L"
status 2 "an unknown option" "$BIN" --no-such-option "$L"
check "getopt's line, then the hint" test "$(sed -n 2p "$T/err")" = "Try 'archaudit --help'."
check "two lines only" test "$(wc -l <"$T/err")" -eq 2
check "nothing was written by the refused runs" test ! -e refused -a ! -e f -a ! -e g.csv -a ! -e b.pdf

# Every output's folder is made, as -o's is.
export SOURCE_DATE_EPOCH=1767225600
status 0 "outputs in folders that do not exist yet" "$BIN" -q -o new/reports/ \
    --csv new/grades/g.csv --class-summary new/print/class.pdf \
    --bundle new/print/all/bundle.pdf "$L"
for f in new/reports/ada_complete.pdf new/grades/g.csv new/print/class.pdf new/print/all/bundle.pdf; do
	check "wrote $f" test -s "$f"
done
check "the CSV's report path has no //" grep -q ',new/reports/ada_complete.pdf,' new/grades/g.csv
check "no // anywhere in the CSV" sh -c "! grep -q '//' new/grades/g.csv"
: >blocker
status 1 "an output folder that cannot be made" "$BIN" -q -o ok --bundle blocker/x/all.pdf "$L"
check "it names the folder" grep -q "^blocker: error: not a directory\|^blocker/x: error: cannot create directory" "$T/err"
check "and no report was written before" test ! -e ok/ada_complete.pdf

# A folder with no ledgers
mkdir -p empty/sub
cp "$L" empty/sub/
status 1 "a folder with no ledgers" "$BIN" -q -o none empty
check "it names the folder" grep -q "^empty: error: no ledgers in this folder" "$T/err"
status 1 "--json: a folder with no ledgers among good ones" "$BIN" --json empty "$L"
check "the good one is still printed" test "$(wc -l <"$T/out")" -eq 1

# A template error: the place once, "error:" once, then the line and a caret
mkdir -p tpl/partials
cp "$ROOT"/templates/*.md tpl/
cp "$ROOT"/templates/partials/*.md tpl/partials/
printf '\n{{#oops}}\n' >>tpl/audit.md
n=$(wc -l <tpl/audit.md)
status 2 "a broken template" "$BIN" -q -t tpl -o t "$L"
check "one error: prefix, with file:line:col" grep -q "^tpl/audit.md:$n:1: error: unclosed section \"oops\"$" "$T/err"
check "no doubled prefix" sh -c "! grep -q 'error: .*error:' '$T/err'"
# docs/scenario.md's complete example is a valid scenario
sed -n '/^## A complete example/,/^## /p' "$ROOT/docs/scenario.md" |
    sed -n '/^```json$/,/^```$/p' | sed '1d;$d' >what-if.json
check "docs/scenario.md has its example" test -s what-if.json
status 0 "the example loads (--grid-json)" "$BIN" --grid-json --scenario what-if.json
# 16 GPU counts x 2 cloud x 3 edge x 3 mobile precisions x 3 strategies x 54 cadences
check "its grid has 46,656 configurations" grep -q '"total": *46656,' "$T/out"
status 0 "a report under the example" "$BIN" -q --scenario what-if.json -o s "$L"
[ "$fails" = 0 ]
