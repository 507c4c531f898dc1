#!/bin/sh
# End-to-end: the PDF reports for the sample ledgers, checked with real
# tools.  Every PDF passes qpdf --check, embeds its fonts, has no raster
# image (charts are vectors), gives back its text through pdftotext without
# a warning, prints the same numbers as --json, and is byte-identical when
# made twice.  A ledger's strings print literally; a broken template stops
# the run before any PDF is written.  Run from the repository root.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

export SOURCE_DATE_EPOCH=1767225600
"$BIN" -q -o "$T/a" ledgers 2>"$T/err"
check "reports written for every sample ledger (exit 0)" test $? -eq 0
check "one PDF per ledger" test "$(ls "$T/a"/*.pdf | wc -l)" -eq "$(ls ledgers/*.json | wc -l)"

for pdf in "$T"/a/*.pdf; do
	n=$(basename "$pdf" .pdf)
	qpdf --check "$pdf" >"$T/qpdf" 2>&1
	check "$n: qpdf --check clean" grep -q "No syntax or stream encoding errors" "$T/qpdf"
	check "$n: qpdf reports no warning" sh -c "! grep -qi warning \"$T/qpdf\""
	pdffonts "$pdf" >"$T/fonts" 2>&1
	check "$n: every font embedded" sh -c "awk 'NR>2 && \$(NF-4) != \"yes\"' \"$T/fonts\" | grep -q . && exit 1 || exit 0"
	check "$n: no raster images (charts are vector)" test "$(pdfimages -list "$pdf" 2>/dev/null | wc -l)" -le 2
	pdftotext "$pdf" "$T/text" 2>"$T/perr"
	check "$n: pdftotext without warnings" test ! -s "$T/perr"
	check "$n: the student's name is printed" grep -q "$n" "$T/text"
	pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
	check "$n: $pages pages, a readable length (3 to 9)" test "$pages" -ge 3 -a "$pages" -le 9
done

# The numbers of --json and of the PDF agree.
for l in ledgers/*.json; do
	n=$(basename "$l" .json)
	json=$("$BIN" --json "$l" 2>/dev/null)
	pdftotext -raw "$T/a/$n.pdf" "$T/text" 2>/dev/null
	tr '\n\302\240' '   ' <"$T/text" | tr -s ' ' >"$T/flat"
	p99=$(printf '%s' "$json" | sed -n 's/.*"cloud_p99_ms":\([0-9.e+-]*\).*/\1/p')
	# the report groups thousands: 1069.94 prints as 1,069.9
	p99=$(printf '%.1f' "$p99" | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta')
	check "$n: P99 $p99 ms in the PDF" grep -q "P99 $p99 ms\|$p99 ms" "$T/flat"
	done_n=$(printf '%s' "$json" | sed -n 's/.*"n_completed":\([0-9]*\).*/\1/p')
	check "$n: $done_n of 15 labs in the PDF" grep -q "$done_n of 15" "$T/flat"
	correct=$(printf '%s' "$json" | sed -n 's/.*"n_correct":\([0-9]*\).*/\1/p')
	pred=$(printf '%s' "$json" | sed -n 's/.*"n_predictions":\([0-9]*\).*/\1/p')
	if [ "$pred" -gt 0 ]; then
		pct=$(printf '%s' "$json" | sed -n 's/.*"pct_correct":\([0-9.e+-]*\).*/\1/p')
		pct=$(printf '%.0f' "$pct")
		check "$n: $correct of $pred predictions ($pct %) in the PDF" grep -q "$correct of $pred ($pct %)" "$T/flat"
	fi
	weak=$(printf '%s' "$json" | sed -n 's/.*"weakest_invariant":"\([^"]*\)".*/\1/p')
	# the report prints the name with a typographer's apostrophe (Little’s Law)
	weak=$(printf '%s' "$weak" | sed "s/'/\xe2\x80\x99/g")
	check "$n: weakest invariant $weak in the PDF" grep -q "Diagnosis: $weak" "$T/flat"
done

# The appendix every student shares, and --no-class-appendix without it;
# the student's own place on the grid stays in both.
pdftotext "$T/a/ada_complete.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$T/text"
check "class appendix: in the report by default" grep -q "Appendix: the design space" "$T/text"
check "class appendix: the 16-row frontier table is in it" grep -q "left half first" "$T/text"
"$BIN" -q --no-class-appendix -o "$T/noapp" ledgers/ada_complete.json
pdftotext "$T/noapp/ada_complete.pdf" - 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$T/text2"
check "--no-class-appendix: no class appendix" sh -c "! grep -q 'Appendix: the design space' \"$T/text2\""
check "--no-class-appendix: no frontier table" sh -c "! grep -q 'left half first' \"$T/text2\""
check "--no-class-appendix: the design's place on the frontier stays" grep -q "Pareto frontier" "$T/text2"
check "--no-class-appendix: no more pages" test "$(pdfinfo "$T/noapp/ada_complete.pdf" | sed -n 's/^Pages: *//p')" -le "$(pdfinfo "$T/a/ada_complete.pdf" | sed -n 's/^Pages: *//p')"

# Same input, same bytes.
"$BIN" -q -o "$T/b" ledgers 2>/dev/null
for pdf in "$T"/a/*.pdf; do
	check "$(basename "$pdf"): identical bytes on a second run" cmp -s "$pdf" "$T/b/$(basename "$pdf")"
done

# A ledger's strings are data: Markdown, Mustache and HTML print literally.
mkdir "$T/evil"
cat >"$T/evil/mallory.json" <<'JSON'
{"history": [
 {"chapter": 10, "design": {"act2_decision": "# Top **A+** <b>bold</b> ![](chart:radar) {{student}} [x](http://e.org)"}},
 {"chapter": 14, "design": {"act2_decision": "> [!NOTE] injected\n---\n| a | b |"}},
 {"chapter": 13, "design": {"act2_result": 450}},
 {"chapter": 16, "design": {"act1_prediction": "x) Tj ET endstream endobj %%EOF \\ (y", "act2_prediction": "a\u202eevil\u202c b\u0007c\u200bd <!-- pagebreak -->"}}
]}
JSON
"$BIN" -q -o "$T/evil" "$T/evil/mallory.json" 2>/dev/null
check "hostile strings: report written" test -f "$T/evil/mallory.pdf"
pdftotext -raw "$T/evil/mallory.pdf" "$T/text" 2>/dev/null
# list bullets come out of pdftotext between wrapped lines: drop them
tr '\n\302\240' '   ' <"$T/text" | tr -s ' ' | sed 's/ \xe2\x80\xa2 / /g' >"$T/flat"
check "hostile strings: printed literally" grep -qF '# Top **A+** <b>bold</b> ![](chart:radar) {{student}} [x](http://e.org)' "$T/flat"
check "hostile strings: the callout text stays inline" grep -qF '> [!NOTE] injected --- | a | b |' "$T/flat"
figs_evil=$(grep -o 'Figure [0-9]*\.' "$T/flat" | sort -u | wc -l)
pdftotext -raw "$T/a/ben_sparse.pdf" - 2>/dev/null | grep -o 'Figure [0-9]*\.' | sort -u >"$T/figs"
check "hostile strings: no chart added ($figs_evil figures)" test "$figs_evil" -eq "$(wc -l <"$T/figs")"
check "hostile strings: no link annotation" sh -c "! grep -aq '/URI' \"$T/evil/mallory.pdf\""
check "hostile strings: no annotation of any kind" sh -c "! grep -aq '/Annots' \"$T/evil/mallory.pdf\""
check "hostile strings: PDF syntax prints as text" grep -qF 'x) Tj ET endstream endobj %%EOF \ (y' "$T/flat"
check "hostile strings: bidi override and control characters removed" grep -qF 'aevil b cd <!-- pagebreak -->' "$T/flat"
qpdf --check "$T/evil/mallory.pdf" >"$T/qpdf" 2>&1
check "hostile strings: the PDF is still well formed" grep -q "No syntax or stream encoding errors" "$T/qpdf"
cp "$T/evil/mallory.json" "$T/evil/plain.json"
sed -i 's/"act2_prediction": "[^"]*"/"act2_prediction": "x"/; s/"act1_prediction": "[^"]*"/"act1_prediction": "x"/' "$T/evil/plain.json"
"$BIN" -q -o "$T/evil" "$T/evil/plain.json" 2>/dev/null
check "hostile strings: no page added" test "$(pdfinfo "$T/evil/mallory.pdf" | grep Pages)" = "$(pdfinfo "$T/evil/plain.pdf" | grep Pages)"

# --figures: the same charts as PNG and SVG files, for slides.
"$BIN" -q -o "$T/f" --figures "$T/figures" ledgers/ada_complete.json 2>/dev/null
for c in radar archmap designspace; do
	check "--figures: $c.png is a PNG" sh -c "head -c 8 \"$T/figures/ada_complete/$c.png\" | grep -q PNG"
	check "--figures: $c.svg is an SVG" grep -q "<svg" "$T/figures/ada_complete/$c.svg"
done

# --pdfa: archival PDF/A-2u, --pdfa=1b PDF/A-1b (the properties are checked in pdfa.sh).
"$BIN" -q --pdfa -o "$T/pdfa" ledgers/ada_complete.json 2>/dev/null
check "--pdfa: written" test -f "$T/pdfa/ada_complete.pdf"
check "--pdfa: PDF 1.7 header" sh -c "head -c 8 \"$T/pdfa/ada_complete.pdf\" | grep -q '%PDF-1.7'"
check "--pdfa: PDF/A-2 identification in the XMP" grep -aq "<pdfaid:part>2</pdfaid:part>" "$T/pdfa/ada_complete.pdf"
qpdf --check "$T/pdfa/ada_complete.pdf" >"$T/qpdf" 2>&1
check "--pdfa: qpdf --check clean" grep -q "No syntax or stream encoding errors" "$T/qpdf"
"$BIN" -q --pdfa=1b -o "$T/pdfa1b" ledgers/ada_complete.json 2>/dev/null
check "--pdfa=1b: PDF 1.4 header" sh -c "head -c 8 \"$T/pdfa1b/ada_complete.pdf\" | grep -q '%PDF-1.4'"
check "--pdfa=1b: PDF/A-1 identification in the XMP" grep -aq "<pdfaid:part>1</pdfaid:part>" "$T/pdfa1b/ada_complete.pdf"
"$BIN" -q --pdfa=3x -o "$T/pdfa3x" ledgers/ada_complete.json 2>"$T/err3x"
check "--pdfa=3x: a usage error" test $? -eq 2

# The class summary is dated from the ledgers, never from the clock.
env -u SOURCE_DATE_EPOCH "$BIN" -q -o "$T/cs" --class-summary "$T/class.pdf" ledgers 2>/dev/null
check "class summary: dated by its latest ledger (eli, 11 June 2026)" sh -c "pdftotext \"$T/class.pdf\" - 2>/dev/null | grep -q '11 June 2026'"

# A broken template stops the run with FILE:line:col and writes nothing.
mkdir -p "$T/tpl/partials"
printf '# Report\n\n{{#act1}}\nunclosed\n' >"$T/tpl/audit.md"
"$BIN" -t "$T/tpl" -o "$T/none" ledgers >/dev/null 2>"$T/err"
check "broken template: exit 2" test $? -eq 2
check "broken template: names file, line and column" grep -q "tpl/audit.md:3:1: error" "$T/err"
check "broken template: no report written" test ! -e "$T/none"

# Every chart a template names is drawn, up to 64 a report; past that a
# warning says so and the rest are placeholders ("Chart: NAME" boxes).
mkdir -p "$T/many/partials"
i=0; while [ $i -lt 20 ]; do printf '![r](chart:contexts "width=40%%")\n\n'; i=$((i + 1)); done >"$T/many/audit.md"
"$BIN" -t "$T/many" -o "$T/m20" ledgers/ada_complete.json 2>"$T/err"
check "20 charts: exit 0" test $? -eq 0
check "20 charts: no warning" sh -c "! grep -q warning \"$T/err\""
check "20 charts: all drawn, no placeholder" sh -c "! pdftotext \"$T/m20/ada_complete.pdf\" - 2>/dev/null | grep -q 'Chart: contexts'"
i=0; while [ $i -lt 50 ]; do printf '![r](chart:contexts "width=40%%")\n\n'; i=$((i + 1)); done >>"$T/many/audit.md"
"$BIN" -t "$T/many" -o "$T/m70" ledgers/ada_complete.json 2>"$T/err"
check "70 charts: exit 0" test $? -eq 0
check "70 charts: one warning naming the template" test "$(grep -c 'many/audit.md: warning: more than 64 charts' "$T/err")" -eq 1
check "70 charts: 6 placeholders" test "$(pdftotext "$T/m70/ada_complete.pdf" - 2>/dev/null | grep -c 'Chart: contexts')" -eq 6

[ "$fails" = 0 ]
