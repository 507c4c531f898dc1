#!/bin/sh
# End-to-end: every kind of PDF archaudit writes is a tagged PDF that meets
# the machine-checkable conditions of PDF/UA-1, as tests/tools/pdfua_check.py
# (pikepdf, not our code) checks them: the reports of all the conformance
# ledgers, plain and --pdfa (PDF/A-2u), the sample ledgers' with
# --pdfa=1b, the class summary and the duplex bundle, and
# md2pdf's documents.  Also poppler's view: pdfinfo says "Tagged: yes" and
# -struct-text gives the report's headings in reading order.  The checker
# must fail on an untagged file, so it can.  Run from the repository root.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
CHECK="/usr/bin/python3 tests/tools/pdfua_check.py"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

/usr/bin/python3 -c 'import pikepdf' 2>/dev/null || { echo "pdfua: python3-pikepdf missing" >&2; exit 1; }
LEDGERS=${ARCHAUDIT_SHARED:-tests/data}/conformance/ledgers
mkdir -p "$T/in"
for f in "$LEDGERS"/*.ledger.json ledgers/*.json; do
	[ -f "$f" ] && cp "$f" "$T/in/"
done

# The checker can fail: an untagged PDF (the Markdown device would not
# do; a hand-made one-page file with no structure) must not pass.
printf '%s\n' '%PDF-1.4' '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj' \
	'2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj' \
	'3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R>> endobj' \
	'4 0 obj <</Length 8>> stream' '0 0 m S' 'endstream endobj' \
	'trailer <</Root 1 0 R /Size 5>>' '%%EOF' >"$T/untagged.pdf"
check "the checker fails an untagged file" sh -c "! $CHECK \"$T/untagged.pdf\" >\"$T/untagged.out\" 2>&1"
check "... naming the painting operator outside any tag" grep -q "page 1: 1 painting operators" "$T/untagged.out"

export SOURCE_DATE_EPOCH=1767225600
"$BIN" -q -o "$T/plain" --class-summary "$T/class.pdf" --bundle "$T/bundle.pdf" "$T/in" 2>"$T/err"
check "plain reports, class summary and bundle written" test $? -eq 0 -a -f "$T/class.pdf" -a -f "$T/bundle.pdf"
"$BIN" -q --pdfa -o "$T/pdfa" --class-summary "$T/class-a.pdf" --bundle "$T/bundle-a.pdf" "$T/in" 2>"$T/err"
check "--pdfa reports, class summary and bundle written" test $? -eq 0 -a -f "$T/class-a.pdf"
"$BIN" -q --pdfa=1b -o "$T/pdfa1b" --class-summary "$T/class-1b.pdf" ledgers 2>"$T/err"
check "--pdfa=1b reports (the sample ledgers) and class summary written" test $? -eq 0 -a -f "$T/class-1b.pdf"

for set in plain pdfa pdfa1b; do
	$CHECK "$T/$set"/*.pdf >"$T/$set.out" 2>&1
	check "$set: every report passes the PDF/UA checker ($(ls "$T/$set"/*.pdf | wc -l) files)" test $? -eq 0
	[ -s "$T/$set.out" ] && head -n 20 "$T/$set.out"
done
for f in class class-a class-1b bundle bundle-a; do
	[ -f "$T/$f.pdf" ] || continue
	$CHECK "$T/$f.pdf" >"$T/$f.out" 2>&1
	check "$f.pdf passes the PDF/UA checker" test $? -eq 0
	[ -s "$T/$f.out" ] && head -n 20 "$T/$f.out"
done

if [ -x "$TOOLS/md2pdf" ]; then
	for md in tests/data/pdf/*.md tests/data/bench/report.md; do
		[ -f "$md" ] || continue
		n=$(basename "$md" .md)
		"$TOOLS/md2pdf" "$md" "$T/md-$n.pdf" --charts 2>/dev/null
		$CHECK "$T/md-$n.pdf" >"$T/md.out" 2>&1
		check "md2pdf $n.pdf passes the PDF/UA checker" test $? -eq 0
		[ -s "$T/md.out" ] && head -n 10 "$T/md.out"
	done
fi

R=$T/plain/complete_15.ledger.pdf
[ -f "$R" ] || R=$(ls "$T/plain"/*.pdf | head -n 1)
check "pdfinfo: Tagged: yes" sh -c "pdfinfo \"$R\" | grep -q '^Tagged: *yes'"
pdfinfo -struct-text "$R" >"$T/struct" 2>/dev/null
check "pdfinfo -struct-text: the title heading comes first" sh -c "grep -m1 -A1 '^  H1' \"$T/struct\" | grep -q \"The Architect.s Audit\""
check "pdfinfo -struct-text: Act I before Act II" sh -c \
	"grep -n '\"Act I' \"$T/struct\" | head -n 1 | cut -d: -f1 >\"$T/a1\"; grep -n '\"Act II' \"$T/struct\" | head -n 1 | cut -d: -f1 >\"$T/a2\"; [ \$(cat \"$T/a1\") -lt \$(cat \"$T/a2\") ]"
check "pdfinfo -struct-text: every chart is a Figure" test "$(grep -c '^ *Figure' "$T/struct")" -ge 3
check "pdfinfo -struct-text: no running head or page number in the text" sh -c "! grep -q 'Page [0-9]* of [0-9]*' \"$T/struct\""

[ "$fails" -eq 0 ] || { echo "pdfua: $fails failed" >&2; exit 1; }
echo "pdfua: passed"
