#!/bin/sh
# A class of Chinese and Japanese names, each drawn from the 20,902
# characters of the main CJK block, so that hardly two share a glyph: the
# workers let go of the glyph programs they read (font_subset_cut), so
# the run stays within the goal of 64 MB whatever the names draw.  Before
# that, 300 such students took 68 MB (bench mix at 100 ledgers: 47 MB),
# every glyph window read staying mapped.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

/usr/bin/python3 - "$T" ledgers/ada_complete.json <<'PY'
import os, random, shutil, sys
t, src = sys.argv[1], sys.argv[2]
rnd = random.Random(8)
with open(os.path.join(t, "roster.csv"), "w", encoding="utf-8") as f:
    f.write("id,name,section,ledger,lang\n")
    for i in range(300):
        name = "".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(rnd.randint(2, 4)))
        shutil.copyfile(src, os.path.join(t, "s%03d.json" % i))
        f.write("%d,%s,A,s%03d.json,%s\n" % (i, name, i, rnd.choice(["zh-Hans", "ja"])))
PY
"$TOOLS/peakrss" "$BIN" -q -j 2 --roster "$T/roster.csv" -o "$T/out" 2>"$T/rss"
rc=$?
kb=$(sed -n 's/peakrss: \([0-9]*\) KB/\1/p' "$T/rss")
check "300 students with CJK names: every report written" test "$rc" = 0 -a \
    "$(ls "$T/out" | grep -c '\.pdf$')" = 300
name=$(sed -n 2p "$T/roster.csv" | cut -d, -f2)
check "  the first name comes back from its report" sh -c \
    "pdftotext -l 1 '$T/out/$name.pdf' - | grep -q -F '$name'"
if grep -a -q -e __asan_init -e __ubsan_handle "$BIN" 2>/dev/null; then
	echo "note: sanitizer build: memory bound not checked"
else
	check "  within 56 MB for the whole run (${kb} KB)" test "${kb:-999999}" -le 57344
fi
[ "$fails" = 0 ]
