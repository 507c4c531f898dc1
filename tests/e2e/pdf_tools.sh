#!/bin/sh
# End-to-end checks of the PDF device with the poppler and qpdf tools:
# qpdf --check without warnings, every font embedded as a subset
# ("ABCDEF+" name), pdftotext gives back the typeset text in every face
# and script without warnings, pages render without warnings, the same
# input gives the same bytes, sizes stay under their bounds.  Run from the
# repository root; ARCHAUDIT_TOOLS is the build's tools directory (default
# build/tools).  REGEN=1 rewrites the expected texts of tests/data/pdf/.
set -u
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
MD2PDF=$TOOLS/md2pdf
DATA=tests/data
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pdf_tools.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
failed=0
. tests/e2e/lib.sh

fail() {
	echo "pdf_tools: FAIL: $*" >&2
	failed=1
}

for tool in qpdf pdffonts pdftotext pdftoppm; do
	command -v "$tool" >/dev/null 2>&1 || { echo "pdf_tools: $tool missing (poppler-utils, qpdf)" >&2; exit 1; }
done
[ -x "$MD2PDF" ] || { echo "pdf_tools: $MD2PDF not built" >&2; exit 1; }

# Every PDF made here must pass these.
check_pdf() {
	pdf=$1
	if ! qpdf --check "$pdf" >"$TMP/qpdf.out" 2>&1; then
		fail "$pdf: qpdf --check failed: $(cat "$TMP/qpdf.out")"
	elif grep -qi "warning" "$TMP/qpdf.out"; then
		fail "$pdf: qpdf --check warns: $(grep -i warning "$TMP/qpdf.out")"
	fi
	# pdffonts: column "emb" must be "yes" on every font line.
	pdffonts "$pdf" >"$TMP/fonts.out" 2>"$TMP/fonts.err" || fail "$pdf: pdffonts failed"
	[ -s "$TMP/fonts.err" ] && fail "$pdf: pdffonts warns: $(cat "$TMP/fonts.err")"
	if awk 'NR > 2 { if ($(NF-4) != "yes") bad = 1 } END { exit bad }' "$TMP/fonts.out"; then :; else
		fail "$pdf: a font is not embedded: $(cat "$TMP/fonts.out")"
	fi
	# ... and a subset ("sub" yes, name with a six-letter tag).
	if awk 'NR > 2 { if ($(NF-3) != "yes" || $1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/) bad = 1 } END { exit bad }' "$TMP/fonts.out"; then :; else
		fail "$pdf: a font is not a subset: $(cat "$TMP/fonts.out")"
	fi
	# The rasteriser reads every font program without complaint.
	pdftoppm -r 20 -png "$pdf" "$TMP/page" 2>"$TMP/ppm.err" || fail "$pdf: pdftoppm failed"
	[ -s "$TMP/ppm.err" ] && fail "$pdf: pdftoppm warns: $(sort -u "$TMP/ppm.err")"
	rm -f "$TMP"/page*.png
	pdftotext -enc UTF-8 "$pdf" "$TMP/text.out" 2>"$TMP/text.err" || fail "$pdf: pdftotext failed"
	[ -s "$TMP/text.err" ] && fail "$pdf: poppler warns: $(sort -u "$TMP/text.err")"
}

# 1. Text round trip: what we typeset is what pdftotext gives back.
"$MD2PDF" "$DATA/pdf/text.md" "$TMP/text.pdf" --title "E2E Test" --author "Zoë Test" 2>"$TMP/md2pdf.err" ||
	fail "md2pdf text.md: $(cat "$TMP/md2pdf.err")"
check_pdf "$TMP/text.pdf"
# Compare non-empty lines, order kept.
pdftotext -enc UTF-8 "$TMP/text.pdf" - 2>/dev/null | grep -v '^[[:space:]]*$' | tr -d '\f' | grep -v '^$' >"$TMP/got.txt"
same_text "$DATA/pdf/text.txt" "$TMP/got.txt" >&2 ||
	fail "pdftotext text differs from the expected $DATA/pdf/text.txt (diff above)"
pdfinfo "$TMP/text.pdf" 2>/dev/null | grep -q '^Author: *Zoë Test$' || fail "text.pdf: author metadata missing"
pdfinfo "$TMP/text.pdf" 2>/dev/null | grep -q '^Title: *E2E Test$' || fail "text.pdf: title metadata missing"

# 1b. Every face and script: Latin with accents, Greek (polytonic too),
# Cyrillic and symbols, in regular, bold, italic and mono: the four print
# faces, and Noto Sans Symbols 2 and Noto Sans Math for the symbols they lack.
"$MD2PDF" "$DATA/pdf/scripts.md" "$TMP/scripts.pdf" 2>"$TMP/md2pdf.err" ||
	fail "md2pdf scripts.md: $(cat "$TMP/md2pdf.err")"
check_pdf "$TMP/scripts.pdf"
[ "$(awk 'NR > 2' "$TMP/fonts.out" | wc -l)" -eq 6 ] || fail "scripts.pdf: expected 6 fonts: $(cat "$TMP/fonts.out")"
pdftotext -enc UTF-8 "$TMP/scripts.pdf" - 2>/dev/null | grep -v '^[[:space:]]*$' | tr -d '\f' | grep -v '^$' >"$TMP/got.txt"
same_text "$DATA/pdf/scripts.txt" "$TMP/got.txt" >&2 ||
	fail "pdftotext text of scripts.pdf differs from the expected $DATA/pdf/scripts.txt (diff above)"

# 2. Every layout test document, Letter and A4.
for md in "$DATA"/layout/*.md; do
	name=$(basename "$md" .md)
	"$MD2PDF" "$md" "$TMP/$name.pdf" --title "Report $name" 2>/dev/null
	[ $? -le 1 ] || fail "md2pdf $md failed"
	check_pdf "$TMP/$name.pdf"
	"$MD2PDF" "$md" "$TMP/$name-a4.pdf" --a4 2>/dev/null
	[ $? -le 1 ] || fail "md2pdf --a4 $md failed"
	check_pdf "$TMP/$name-a4.pdf"
	pdfinfo "$TMP/$name-a4.pdf" 2>/dev/null | grep -q 'Page size: *595.* x 841.*(A4)' ||
		fail "$name-a4.pdf is not A4"
done

# 3. Same input, same bytes (also with SOURCE_DATE_EPOCH).
"$MD2PDF" "$DATA/layout/showcase.md" "$TMP/a.pdf" --title T 2>/dev/null
"$MD2PDF" "$DATA/layout/showcase.md" "$TMP/b.pdf" --title T 2>/dev/null
cmp -s "$TMP/a.pdf" "$TMP/b.pdf" || fail "two runs gave different bytes"
SOURCE_DATE_EPOCH=1700000000 "$MD2PDF" "$DATA/layout/showcase.md" "$TMP/c.pdf" --title T 2>/dev/null
sleep 1
SOURCE_DATE_EPOCH=1700000000 "$MD2PDF" "$DATA/layout/showcase.md" "$TMP/d.pdf" --title T 2>/dev/null
cmp -s "$TMP/c.pdf" "$TMP/d.pdf" || fail "two runs with SOURCE_DATE_EPOCH gave different bytes"
pdfinfo "$TMP/c.pdf" 2>/dev/null | grep -q '^CreationDate:.*2023' || fail "SOURCE_DATE_EPOCH not used as the creation date"
pdfinfo "$TMP/a.pdf" 2>/dev/null | grep -q '^CreationDate:' && fail "a date was written without SOURCE_DATE_EPOCH"

# 3b. Size: fonts are subsets (libharu's whole-font embedding made 310 KB).
size=$(wc -c <"$TMP/a.pdf")
[ "$size" -le 65536 ] || fail "showcase.pdf is $size bytes, over 64 KB"
"$MD2PDF" "$DATA/bench/report.md" "$TMP/report.pdf" --title T 2>/dev/null
check_pdf "$TMP/report.pdf"
size=$(wc -c <"$TMP/report.pdf")
[ "$size" -le 81920 ] || fail "bench/report.pdf is $size bytes, over 80 KB"

# 4. A character no font has is a warning, never silent (U+1BFFF is
#    unassigned, so no font can draw it; U+1D538 once served, until Noto
#    Sans Math joined the fallback faces).
printf 'Missing \360\233\277\277 here.\n' >"$TMP/missing.md"
"$MD2PDF" "$TMP/missing.md" "$TMP/missing.pdf" 2>"$TMP/missing.err"
grep -q "U+1BFFF" "$TMP/missing.err" || fail "no warning for a character no font has"
check_pdf "$TMP/missing.pdf"

if [ "$failed" = 0 ]; then
	echo "pdf_tools: passed"
fi
exit "$failed"
