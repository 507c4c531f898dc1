#!/bin/sh
# End-to-end: the print bundle is built from the reports already written.
# Its pages are the reports' pages (the same text, page by page); a
# filler page names its student; a damaged report is left out with a
# warning while the others are bundled; a class too large for one bundle
# is refused before any work.  Oracles: qpdf, pdftotext, pikepdf.  Run
# from the repository root; ARCHAUDIT_BIN names the program.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
check() { name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
status() { # status EXPECTED NAME COMMAND...
	want=$1; name=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; got=$?
	if [ "$got" = "$want" ]; then ok "$name (exit $got)"; else
		bad "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
pages() { qpdf --show-npages "$1"; }
export SOURCE_DATE_EPOCH=1767225600

mkdir -p "$T/l"
cp ledgers/*.json "$T/l/"
status 0 "reports and bundle" "$BIN" -q -j 2 -o "$T/r" --bundle "$T/b.pdf" "$T/l"
check "bundle: qpdf --check" sh -c "qpdf --check '$T/b.pdf' >/dev/null 2>&1"

# page by page, the bundle's text is the reports' text, then a filler
at=1
same=1
filler=1
for f in ada_complete ben_sparse cleo_empty dev_capstone_only eli_vol2_mixed; do
	n=$(pages "$T/r/$f.pdf")
	last=$((at + n - 1))
	pdftotext "$T/r/$f.pdf" "$T/want.txt"
	pdftotext -f "$at" -l "$last" "$T/b.pdf" "$T/got.txt"
	cmp -s "$T/want.txt" "$T/got.txt" || { same=0; echo "    $f: pages $at-$last differ"; }
	at=$((last + 1))
	if [ $((n % 2)) = 1 ]; then
		pdftotext -f "$at" -l "$at" "$T/b.pdf" - | tr '\n' ' ' >"$T/fill.txt"
		grep -q "^$f This page is intentionally left blank\." "$T/fill.txt" ||
		    { filler=0; echo "    filler after $f: $(cat "$T/fill.txt")"; }
		at=$((at + 1))
	fi
done
check "bundle: each report's pages, text for text" test "$same" = 1
check "bundle: each filler page names its student and says it is blank" test "$filler" = 1
check "bundle: no page beyond the reports and fillers" test "$(pages "$T/b.pdf")" -eq $((at - 1))
check "bundle: bookmarks name the students and hold each report's own" /usr/bin/python3 -c "
import pikepdf, sys
p = pikepdf.open(sys.argv[1])
with p.open_outline() as o:
    top = [(i.title, len(i.children)) for i in o.root]
assert [t for t, _ in top] == ['ada_complete', 'ben_sparse', 'cleo_empty',
    'dev_capstone_only', 'eli_vol2_mixed'], top
assert all(n >= 1 for _, n in top), top
" "$T/b.pdf"
check "bundle: the same bytes on a second run" sh -c "
	'$BIN' -q -j 1 -o '$T/r2' --bundle '$T/b2.pdf' '$T/l' && cmp -s '$T/b.pdf' '$T/b2.pdf'"

# a report cut short after it was written: --skip-existing writes it again
# (issue 12's check), so the bundle still holds every report
head -c 30000 "$T/r/ben_sparse.pdf" >"$T/cut" && mv "$T/cut" "$T/r/ben_sparse.pdf"
status 0 "a cut-short report: written again" "$BIN" -j 2 --skip-existing -o "$T/r" --bundle "$T/b3.pdf" "$T/l"
check "a cut-short report: the bundle has every page" test "$(pages "$T/b3.pdf")" -eq "$(pages "$T/b.pdf")"
check "a cut-short report: the bundle is whole" sh -c "qpdf --check '$T/b3.pdf' >/dev/null 2>&1"

# memory: the bundle does not hold the class (300 students were about 50 MB
# when the bundle was typeset again in memory; the goal of 64 MB is for 1,200,
# measured by make bench)
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
"$TOOLS/gen_ledgers" 300 "$T/c300" >/dev/null
"$TOOLS/peakrss" "$BIN" -q -j 2 -o "$T/r300" --bundle "$T/b300.pdf" "$T/c300" 2>"$T/rss"
kb=$(sed -n 's/peakrss: \([0-9]*\) KB/\1/p' "$T/rss")
# Sanitizer builds use far more memory by design (shadow memory), as in
# bad_inputs.sh: the bound is checked on the plain build only.
if grep -a -q -e __asan_init -e __ubsan_handle "$BIN" 2>/dev/null; then
	echo "note: sanitizer build: memory bound not checked"
else
	check "memory: 300 reports and their bundle within 32 MB for the whole run (${kb} KB)" test "${kb:-999999}" -le 32768
fi
check "memory: the 300-student bundle holds every report" test "$(/usr/bin/python3 -c "
import pikepdf, sys
with pikepdf.open(sys.argv[1]).open_outline() as o: print(len(o.root))" "$T/b300.pdf")" = 300

# a class too large for one bundle: refused before any work
mkdir "$T/big"
/usr/bin/python3 -c "
import os, sys
src = sys.argv[1]
for i in range(25001):
    os.link(src, os.path.join(sys.argv[2], 's%05d.json' % i))
" ledgers/cleo_empty.json "$T/big"
status 2 "too many pages for a bundle: exit 2" "$BIN" -o "$T/big-out" --bundle "$T/big.pdf" "$T/big"
check "too many pages: the count and what to do" grep -q "big.pdf: error: 25001 reports make about 200008 pages, more than the 200000 a bundle takes; make one bundle per section .* or per shard (--shard K/N with N of at least 2)" "$T/err"
check "too many pages: nothing written" test ! -e "$T/big-out" -a ! -e "$T/big.pdf"

[ "$fails" = 0 ] || { echo "bundle.sh: $fails failed"; exit 1; }
echo "bundle.sh: all passed"
