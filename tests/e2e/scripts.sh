#!/bin/sh
# Names in 16 scripts (Han, kana, Hangul, Devanagari, Bengali, Tamil, Telugu,
# Thai, Arabic, Hebrew, Latin, Greek, Cyrillic, Georgian, Armenian,
# Ethiopic; 20 names) (tests/data/scripts/names.csv: language, name), one
# of them with a character beyond the BMP (𠮷, U+20BB7: a surrogate pair
# in the ToUnicode CMap, the XMP and the Info strings).
# 1. Oracle: the glyph ids and advances the layout holds for each name
#    equal what HarfBuzz's own hb-shape prints for the same font file,
#    face, text and direction.
# 2. Round trip: reports, a class summary and a bundle for a roster of
#    these names; pdftotext gives every name back exactly, and each
#    report's Author field is the name; no replacement-mark warning.
#    Each name is tagged with its roster language (pdfua_check.py --lang).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
NAMES=tests/data/scripts/names.csv
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "scripts: FAIL: $*"; fails=$((fails + 1)); }

command -v hb-shape >/dev/null 2>&1 || { echo "scripts: FAIL: hb-shape missing (libharfbuzz-bin)"; exit 1; }

# 1. Each name a paragraph of its own.
tail -n +2 "$NAMES" >"$T/rows.csv"
cut -d, -f2 "$T/rows.csv" >"$T/names.txt"
while IFS= read -r n; do printf '%s\n\n' "$n"; done <"$T/names.txt" >"$T/names.md"
"$TOOLS/md2pdf" "$T/names.md" "$T/glyphs.txt" --glyphs 2>"$T/err" || fail "md2pdf --glyphs: $(cat "$T/err")"
n_checked=0
while IFS='|' read -r font index dir text ours; do
	# The running footer ("Page 1 of 1") is Latin like the rest.
	[ "$text" = "Page 1 of 1" ] && continue
	theirs=$(hb-shape --face-index="$index" --direction="$dir" --language=und --cluster-level=1 \
	    --no-glyph-names --no-clusters "$font" "$text")
	theirs=$(printf '%s' "$theirs" | tr -d '[]' | tr '|' '\n' | sed 's/@[-0-9,]*//' | tr '\n' ' ' | sed 's/ $//')
	if [ "$theirs" != "$ours" ]; then
		fail "\"$text\" in $font ($index, $dir): layout [$ours], hb-shape [$theirs]"
	fi
	n_checked=$((n_checked + 1))
done <"$T/glyphs.txt"
[ "$n_checked" -ge 20 ] || fail "only $n_checked runs compared with hb-shape"

# 2. A roster of the names, each with a copy of one ledger.
mkdir "$T/class"
echo "id,name,lang,ledger" >"$T/class/roster.csv"
i=0
while IFS=, read -r lang n; do
	i=$((i + 1))
	cp ledgers/ada_complete.json "$T/class/l$i.json"
	echo "s$i,$n,$lang,l$i.json" >>"$T/class/roster.csv"
done <"$T/rows.csv"
LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld" \
"$BIN" -q --roster "$T/class/roster.csv" -o "$T/out" --class-summary "$T/class.pdf" \
    --bundle "$T/bundle.pdf" 2>"$T/run.err" || fail "archaudit: $(head -3 "$T/run.err")"
# ICU is opened when a name or a text needs it (src/base/icu.c): for these
# names it is (the dynamic loader's log says so), for an ASCII name not.
cat "$T"/ld.* | grep -q 'file=libicuuc' || fail "ICU was not loaded for names in 16 scripts"
printf 'id,name,lang,ledger\nx,Ada Lovelace,en,l1.json\n' >"$T/class/ascii.csv"
LD_DEBUG=files "$BIN" -q --roster "$T/class/ascii.csv" -o "$T/ascii" 2>"$T/ld-ascii" ||
    fail "archaudit on an ASCII name"
grep -q 'file=libharfbuzz' "$T/ld-ascii" || fail "no loader log for the ASCII name's run"
grep -q 'file=libicuuc' "$T/ld-ascii" && fail "ICU was loaded for an ASCII name"
grep -i "replacement mark" "$T/run.err" && fail "a replacement-mark warning"
pdftotext "$T/class.pdf" "$T/class.txt" 2>/dev/null
pdftotext "$T/bundle.pdf" "$T/bundle.txt" 2>/dev/null
# poppler marks right-to-left lines with U+202B ... U+202C: not part of the names.
strip() { LC_ALL=C sed 's/\xe2\x80[\xab\xac]//g' "$1"; }
while IFS= read -r n; do
	f="$T/out/$n.pdf"
	[ -f "$f" ] || { fail "no report for $n"; continue; }
	pdftotext -l 1 "$f" "$T/r.txt" 2>/dev/null
	strip "$T/r.txt" | grep -qF "$n" || fail "report of $n: pdftotext does not give the name back"
	a=$(pdfinfo "$f" 2>/dev/null | sed -n 's/^Author: *//p')
	[ "$a" = "$n" ] || fail "report of $n: Author is \"$a\""
	strip "$T/class.txt" | grep -qF "$n" || fail "class summary: pdftotext does not give $n back"
	strip "$T/bundle.txt" | grep -qF "$n" || fail "bundle: pdftotext does not give $n back"
done <"$T/names.txt"
# Each name is tagged in its roster language (a Span or element with that
# /Lang: a screen reader switches voice), in its report, the class summary
# and the bundle; and every PDF passes the PDF/UA checker, whose language
# check fails text in a script that its element's language is not written in.
CHECK="/usr/bin/python3 tests/tools/pdfua_check.py"
while IFS=, read -r lang n; do
	$CHECK --lang "$n=$lang" "$T/out/$n.pdf" >"$T/ua.out" 2>&1 ||
		fail "report of $n: $(head -n 3 "$T/ua.out")"
done <"$T/rows.csv"
for f in class bundle; do
	$CHECK --langs "$NAMES" "$T/$f.pdf" >"$T/ua.out" 2>&1 || fail "$f.pdf: $(head -n 3 "$T/ua.out")"
done
# The roster has no section column: no empty "()" after a name.
grep -q "()" "$T/class.txt" && fail "class summary: an empty section \"()\" after a name"
# A right-to-left name in a table cell (the class summary's roster: name,
# then the labs saved): pdftotext -layout gives the row with the name in
# logical order, then the numbers after it.
pdftotext -layout "$T/class.pdf" "$T/class-layout.txt" 2>/dev/null
grep -E '^(ar|he),' "$NAMES" | cut -d, -f2 >"$T/rtl.txt"
while IFS= read -r n; do
	strip "$T/class-layout.txt" | grep -qE "^ *$n +15 " ||
		fail "class summary: the roster row of $n is not \"$n  15 ...\" in pdftotext -layout"
done <"$T/rtl.txt"
# The bundle's bookmarks: one per student, the name exactly.
/usr/bin/python3 - "$T/bundle.pdf" "$T/names.txt" <<'PY' || fail "bundle bookmarks differ from the names"
import sys, pikepdf
with pikepdf.open(sys.argv[1]) as p, p.open_outline() as o:
    got = [i.title for i in o.root]
want = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
if got != want:
    print("bookmarks:", got, "names:", want)
    sys.exit(1)
PY
# 3. A translated template (tests/data/templates-ar-ja: a page of Arabic,
# a page of Japanese): its headings and sentences come back in order.
"$BIN" -q -t tests/data/templates-ar-ja -o "$T/tpl" ledgers/ada_complete.json 2>"$T/tpl.err" ||
	fail "translated template: $(head -3 "$T/tpl.err")"
grep -i "replacement mark" "$T/tpl.err" && fail "translated template: a replacement-mark warning"
pdftotext "$T/tpl/ada_complete.pdf" "$T/tpl.txt" 2>/dev/null
for want in "تدقيق المهندس المعماري" "البند" "建築家の監査" "15件の実習のうち15件を完了し、予測15件のうち10件が的中しました" "項目"; do
	strip "$T/tpl.txt" | grep -qF "$want" || fail "translated template: \"$want\" not given back"
done

[ "$fails" -eq 0 ] && echo "scripts: passed ($n_checked runs shaped as hb-shape does)"
[ "$fails" -eq 0 ]
