#!/bin/sh
# End-to-end checks of the PDF/A-1b archive mode (md2pdf --pdfa=1b) on a
# report with real charts, whose fills are translucent: a %PDF-1.4 header;
# qpdf --check clean; every font embedded as a subset with a CIDSet; no
# transparency left (no SMask, no CA/ca below 1, no transparency group);
# an sRGB OutputIntent (GTS_PDFA1) with an ICC stream of 3 components;
# XMP with the PDF/A identification and the escaped title, saying what
# Info says; a trailer /ID of two equal strings; the same bytes from two
# runs; pdftotext gives the same text as the plain file; a clear error
# without the colour profile.  veraPDF is used if it is installed (it is
# not a Debian package).  Run from the repository root; ARCHAUDIT_TOOLS is
# the build's tools directory (default build/tools).
set -u
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
MD2PDF=$TOOLS/md2pdf
DOC=tests/data/bench/report.md
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pdfa.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
failed=0

fail() {
	echo "pdfa: FAIL: $*" >&2
	failed=1
}

for tool in qpdf pdffonts pdftotext pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 || { echo "pdfa: $tool missing (poppler-utils, qpdf)" >&2; exit 1; }
done
[ -x "$MD2PDF" ] || { echo "pdfa: $MD2PDF not built" >&2; exit 1; }
ICC=${ARCHAUDIT_ICC_PROFILE:-/usr/share/color/icc/sRGB.icc}
[ -r "$ICC" ] || { echo "pdfa: $ICC missing (Debian package icc-profiles-free)" >&2; exit 1; }

TITLE='Audit <&> "Zoë"'
AUTHOR="Zoë O'Neil"
pdfa() {
	"$MD2PDF" "$DOC" "$1" --pdfa=1b --charts --title "$TITLE" --author "$AUTHOR" 2>"$TMP/md2pdf.err" ||
		fail "md2pdf --pdfa: $(cat "$TMP/md2pdf.err")"
}

SOURCE_DATE_EPOCH=1700000000 pdfa "$TMP/a.pdf"
"$MD2PDF" "$DOC" "$TMP/plain.pdf" --charts --title "$TITLE" --author "$AUTHOR" 2>/dev/null ||
	fail "md2pdf plain failed"
[ -s "$TMP/a.pdf" ] || { echo "pdfa: FAIL: no PDF/A file made" >&2; exit 1; }

# The charts are translucent in the plain file: the test has something to flatten.
qpdf --qdf --object-streams=disable "$TMP/plain.pdf" "$TMP/plain-q.pdf" 2>/dev/null
grep -aq '^ */ca 0\.' "$TMP/plain-q.pdf" || fail "plain.pdf has no translucent fill; the test checks nothing"

# 1. PDF 1.4.
[ "$(head -n 1 "$TMP/a.pdf")" = "%PDF-1.4" ] || fail "header is $(head -n 1 "$TMP/a.pdf" | cut -c1-12), not %PDF-1.4"

# 2. Structure, fonts, rendering, text.
if ! qpdf --check "$TMP/a.pdf" >"$TMP/qpdf.out" 2>&1; then
	fail "qpdf --check failed: $(cat "$TMP/qpdf.out")"
elif grep -qi "warning" "$TMP/qpdf.out"; then
	fail "qpdf --check warns: $(grep -i warning "$TMP/qpdf.out")"
fi
pdffonts "$TMP/a.pdf" >"$TMP/fonts.out" 2>"$TMP/fonts.err" || fail "pdffonts failed"
[ -s "$TMP/fonts.err" ] && fail "pdffonts warns: $(cat "$TMP/fonts.err")"
[ "$(awk 'NR > 2' "$TMP/fonts.out" | wc -l)" -ge 1 ] || fail "no fonts: $(cat "$TMP/fonts.out")"
awk 'NR > 2 { if ($(NF-4) != "yes" || $(NF-3) != "yes") bad = 1 } END { exit bad }' "$TMP/fonts.out" ||
	fail "a font is not embedded as a subset: $(cat "$TMP/fonts.out")"
pdftoppm -r 20 -png "$TMP/a.pdf" "$TMP/page" 2>"$TMP/ppm.err" || fail "pdftoppm failed"
[ -s "$TMP/ppm.err" ] && fail "pdftoppm warns: $(sort -u "$TMP/ppm.err")"
pdftotext -enc UTF-8 "$TMP/a.pdf" "$TMP/a.txt" 2>"$TMP/text.err" || fail "pdftotext failed"
[ -s "$TMP/text.err" ] && fail "pdftotext warns: $(sort -u "$TMP/text.err")"
pdftotext -enc UTF-8 "$TMP/plain.pdf" "$TMP/plain.txt" 2>/dev/null
grep -q "Architecture map" "$TMP/a.txt" || fail "pdftotext lost the text"
cmp -s "$TMP/a.txt" "$TMP/plain.txt" || fail "pdftotext of the PDF/A file differs from the plain file's"

# 3. Object-level checks on the uncompressed file.
Q=$TMP/q.pdf
qpdf --qdf --object-streams=disable "$TMP/a.pdf" "$Q" 2>/dev/null || fail "qpdf --qdf failed"
grep -aq '/SMask' "$Q" && fail "an SMask is left"
grep -aq '/Transparency' "$Q" && fail "a transparency group is left"
awk '{ for (i = 1; i < NF; i++) if (($i == "/CA" || $i == "/ca") && $(i+1) + 0 < 1) bad = 1 }
	END { exit bad }' "$Q" || fail "a /CA or /ca below 1 is left"
grep -aq '/ExtGState' "$Q" && fail "an ExtGState is left"
fonts=$(grep -ac '/FontFile2' "$Q")
[ "$(grep -ac '/CIDSet' "$Q")" -eq "$fonts" ] || fail "not every font descriptor has a CIDSet"
grep -aq '/OutputIntents' "$Q" || fail "no /OutputIntents"
grep -aq '/S /GTS_PDFA1' "$Q" || fail "no GTS_PDFA1 output intent"
grep -aq '/OutputConditionIdentifier (sRGB IEC61966-2.1)' "$Q" || fail "output condition is not sRGB"
icc=$(sed -n 's|^ */DestOutputProfile \([0-9]*\) 0 R.*|\1|p' "$Q" | head -n 1)
[ -n "$icc" ] || fail "no /DestOutputProfile"
# The ICC stream's dictionary: from "N 0 obj" to "stream".
awk -v o="$icc 0 obj" '$0 == o { on = 1 } on && /^stream/ { exit } on && /^ *\/N 3$/ { n = 1 } END { exit !n }' "$Q" ||
	fail "the DestOutputProfile is not an ICC stream with /N 3"
for s in '<pdfaid:part>1</pdfaid:part>' '<pdfaid:conformance>B</pdfaid:conformance>' \
	'<rdf:li xml:lang="x-default">Audit &lt;&amp;&gt; &quot;Zoë&quot;</rdf:li>' \
	'<rdf:li>Zoë O&apos;Neil</rdf:li>' \
	'<xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate>' \
	'<pdf:Producer>Haru Free PDF Library'; do
	grep -aqF "$s" "$Q" || fail "XMP lacks $s"
done
grep -aq '/Subtype /XML' "$Q" || fail "no XMP metadata stream"
# PDF/A-1 wants the XMP readable as it is: no filter on its stream (in the original file).
awk '/\/Type \/Metadata/ { m = 1 } m && /\/Filter/ { bad = 1 } m && /^stream/ { m = 0 } END { exit bad }' "$TMP/a.pdf" ||
	fail "the XMP stream is filtered"
pdfinfo "$TMP/a.pdf" 2>/dev/null | grep -q '^Title: *Audit <&> "Zoë"$' || fail "Info title differs"
pdfinfo "$TMP/a.pdf" 2>/dev/null | grep -q "^CreationDate:.*2023" || fail "Info has no creation date"
pdfinfo -meta "$TMP/a.pdf" 2>/dev/null | grep -q 'pdfaid:part' || fail "pdfinfo sees no XMP"

# 4. The trailer's /ID: two equal 16-byte strings.
id=$(sed -n 's|^/ID \[ <\([0-9A-F]*\)> <\([0-9A-F]*\)> \]|\1 \2|p' "$TMP/a.pdf")
set -- $id
[ $# -eq 2 ] && [ "${#1}" -eq 32 ] && [ "$1" = "$2" ] || fail "trailer /ID is not two equal 16-byte strings: $id"

# 5. Same input, same bytes (the ID hashes the content, never the clock).
sleep 1
SOURCE_DATE_EPOCH=1700000000 pdfa "$TMP/b.pdf"
cmp -s "$TMP/a.pdf" "$TMP/b.pdf" || fail "two runs gave different bytes"
pdfa "$TMP/c.pdf"
sleep 1
pdfa "$TMP/d.pdf"
cmp -s "$TMP/c.pdf" "$TMP/d.pdf" || fail "two runs without SOURCE_DATE_EPOCH gave different bytes"
grep -aq 'CreationDate\|xmp:CreateDate' "$TMP/c.pdf" && fail "a date was written without SOURCE_DATE_EPOCH"

# 6. Without the colour profile: a clear error, no file.
ARCHAUDIT_ICC_PROFILE=/nonexistent/sRGB.icc "$MD2PDF" "$DOC" "$TMP/e.pdf" --pdfa 2>"$TMP/e.err"
rc=$?
[ "$rc" -eq 2 ] || fail "missing profile: exit $rc, not 2"
grep -q 'icc-profiles-free' "$TMP/e.err" || fail "missing profile: unclear message: $(cat "$TMP/e.err")"
[ -e "$TMP/e.pdf" ] && fail "missing profile: a file was written"

# 7. PDF/A-2u (md2pdf --pdfa, the default archive): PDF 1.7 with object
# streams, level U, the pdfuaid schema declared as an extension schema,
# the translucent fills kept (PDF/A-2 has transparency), tagged for PDF/UA.
SOURCE_DATE_EPOCH=1700000000 "$MD2PDF" "$DOC" "$TMP/u.pdf" --pdfa --charts --title "$TITLE" \
	--author "$AUTHOR" 2>"$TMP/md2pdf.err" || fail "md2pdf --pdfa (2u): $(cat "$TMP/md2pdf.err")"
[ "$(head -n 1 "$TMP/u.pdf")" = "%PDF-1.7" ] || fail "2u: header is not %PDF-1.7"
qpdf --check "$TMP/u.pdf" >"$TMP/qpdf.out" 2>&1 || fail "2u: qpdf --check failed: $(cat "$TMP/qpdf.out")"
grep -qi "warning" "$TMP/qpdf.out" && fail "2u: qpdf --check warns: $(grep -i warning "$TMP/qpdf.out")"
for s in '<pdfaid:part>2</pdfaid:part>' '<pdfaid:conformance>U</pdfaid:conformance>' \
	'<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>' \
	'<pdfaProperty:name>part</pdfaProperty:name>' '<pdfuaid:part>1</pdfuaid:part>'; do
	grep -aqF "$s" "$TMP/u.pdf" || fail "2u: the (unfiltered) XMP lacks $s"
done
qpdf --qdf --object-streams=disable "$TMP/u.pdf" "$TMP/uq.pdf" 2>/dev/null
grep -aq '^ */ca 0\.' "$TMP/uq.pdf" || fail "2u: the translucent fills were flattened"
grep -aq '/S /GTS_PDFA1' "$TMP/uq.pdf" || fail "2u: no output intent"
[ "$(grep -ac '/FontFile2' "$TMP/uq.pdf")" -eq "$(grep -ac '/CIDSet' "$TMP/uq.pdf")" ] || fail "2u: a font without CIDSet"
sed -n 's|^/ID \[ <\([0-9A-F]*\)> <\([0-9A-F]*\)> \]|\1|p' "$TMP/u.pdf" | grep -q '^[0-9A-F]\{32\}$' ||
	fail "2u: no document /ID in the cross-reference stream"
SOURCE_DATE_EPOCH=1700000000 "$MD2PDF" "$DOC" "$TMP/u2.pdf" --pdfa --charts --title "$TITLE" \
	--author "$AUTHOR" 2>/dev/null
cmp -s "$TMP/u.pdf" "$TMP/u2.pdf" || fail "2u: two runs gave different bytes"
/usr/bin/python3 tests/tools/pdfua_check.py "$TMP/u.pdf" "$TMP/a.pdf" >"$TMP/ua.out" 2>&1 ||
	fail "PDF/UA checker: $(head -n 5 "$TMP/ua.out")"

# 8. A PDF/A validator, where one is installed.
if command -v verapdf >/dev/null 2>&1; then
	verapdf --flavour 1b "$TMP/a.pdf" >"$TMP/vera.out" 2>&1
	grep -q 'isCompliant="true"' "$TMP/vera.out" || fail "veraPDF: $(grep -o 'clause="[^"]*"' "$TMP/vera.out" | sort -u | tr '\n' ' ')"
	verapdf --flavour 2u "$TMP/u.pdf" >"$TMP/vera.out" 2>&1
	grep -q 'isCompliant="true"' "$TMP/vera.out" || fail "veraPDF 2u: $(grep -o 'clause="[^"]*"' "$TMP/vera.out" | sort -u | tr '\n' ' ')"
	verapdf --flavour ua1 "$TMP/u.pdf" >"$TMP/vera.out" 2>&1
	grep -q 'isCompliant="true"' "$TMP/vera.out" || fail "veraPDF ua1: $(grep -o 'clause="[^"]*"' "$TMP/vera.out" | sort -u | tr '\n' ' ')"
fi

if [ "$failed" = 0 ]; then
	echo "pdfa: passed"
fi
exit "$failed"
