#!/bin/sh
# End-to-end: the print limits of issue 16 over the reports of every
# conformance ledger, measured by pdfminer (tests/e2e/printmeasure.py, not
# our code): no text below 7 pt, superscripts and chart labels included;
# a median body line of 50 to 75 characters; no straight quote or
# apostrophe in our prose; no page but the last more than a quarter empty,
# those pages at most 8 % empty on average, the last at least a quarter
# full; at most five pages a report on average.  The same limits for the
# sample ledgers on A4.  About 40 seconds.  Run from the repository root.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
C=${ARCHAUDIT_SHARED:-tests/data}/conformance/ledgers
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

if ! /usr/bin/python3 -c 'import pdfminer' 2>/dev/null; then
	skip "print limits: no pdfminer (python3-pdfminer)"
	exit 0
fi
export SOURCE_DATE_EPOCH=1767225600
"$BIN" -q -o "$T/conf" "$C"/*.ledger.json 2>"$T/err"
check "conformance reports written" test $? -eq 0
/usr/bin/python3 tests/e2e/printmeasure.py --limits "$T"/conf/*.pdf >"$T/measure"
check "conformance ledgers: every print limit holds" test $? -eq 0
grep '^LIMIT\|^average' "$T/measure"
"$BIN" -q --a4 -o "$T/a4" ledgers 2>"$T/err"
/usr/bin/python3 tests/e2e/printmeasure.py --limits "$T"/a4/*.pdf >"$T/measure-a4"
check "sample ledgers on A4: every print limit holds" test $? -eq 0
grep '^LIMIT\|^average' "$T/measure-a4"
# The measure can fail: a report with a straight quote in its prose and
# a template that leaves most of a page blank are both caught.
mkdir -p "$T/tpl/partials"
cp templates/partials/*.md "$T/tpl/partials/"
printf '# A test\n\nThe lab'"'"'s "own" words.\n\n<!-- pagebreak -->\n\nEnd.\n' >"$T/tpl/audit.md"
printf '# A test\n\nThe lab\\'"'"'s words.\n' >"$T/tpl/class.md"
"$BIN" -q -t "$T/tpl" -o "$T/bad" ledgers/ada_complete.json 2>/dev/null
/usr/bin/python3 tests/e2e/printmeasure.py --limits "$T/bad/ada_complete.pdf" >"$T/measure-bad"
check "a page left blank is caught" grep -q "page 1 is .* empty" "$T/measure-bad"
sed -i "s/The lab'/The lab\\\\'/" "$T/tpl/audit.md"
"$BIN" -q -t "$T/tpl" -o "$T/bad2" ledgers/ada_complete.json 2>/dev/null
/usr/bin/python3 tests/e2e/printmeasure.py --limits "$T/bad2/ada_complete.pdf" >"$T/measure-bad2"
check "a straight apostrophe written \\' is caught" grep -q "straight quotes in the prose" "$T/measure-bad2"
[ "$fails" = 0 ] && echo "print: passed"
[ "$fails" = 0 ]
