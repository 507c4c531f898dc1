#!/bin/sh
# outputs.sh BUILD OUT: every kind of output of BUILD/archaudit written into
# OUT (emptied first), to compare two builds byte for byte:
#     sh scripts/outputs.sh build-old /tmp/a && sh scripts/outputs.sh build /tmp/b &&
#     diff -r -q /tmp/a /tmp/b && echo identical
# A refactor or a cache must leave every file identical.  The runs: the
# conformance ledgers (tests/data/conformance, or $ARCHAUDIT_SHARED) at -j 1
# and -j 2, the sample ledgers with gradebook, class summary and bundle,
# 200 generated ledgers (gen_ledgers, fixed seed, nine scripts) at -j 2
# and -j 3, --pdfa, --pdfa=1b and --figures.  It also fails when -j
# changes a byte.  BUILD needs tools/gen_ledgers (make BUILD/tools/gen_ledgers).
set -eu
BUILD=$1 O=$2
BIN=$BUILD/archaudit
CONF=${ARCHAUDIT_SHARED:-tests/data}/conformance/ledgers
rm -rf "$O"
mkdir -p "$O/in"
"$BUILD/tools/gen_ledgers" 200 "$O/in/gen" "$O/in/gen/roster.csv" >/dev/null
"$BIN" -q -j 1 -o "$O/conf1" "$CONF"
"$BIN" -q -j 2 -o "$O/conf2" "$CONF"
"$BIN" -q -j 2 -o "$O/sample" --csv "$O/sample.csv" --class-summary "$O/class.pdf" \
    --bundle "$O/bundle.pdf" ledgers
"$BIN" -q -j 2 --roster "$O/in/gen/roster.csv" -o "$O/gen2"
"$BIN" -q -j 3 --roster "$O/in/gen/roster.csv" -o "$O/gen3"
"$BIN" -q -j 2 --pdfa -o "$O/pdfa" ledgers
"$BIN" -q -j 2 --pdfa=1b -o "$O/pdfa1b" ledgers
"$BIN" -q -j 2 --figures "$O/fig" -o "$O/figrep" ledgers
# The gradebook names the output folder: write it relative, so two OUTs compare.
sed -i "s#$O/##g" "$O/sample.csv"
diff -r -q "$O/conf1" "$O/conf2" >/dev/null || { echo "outputs: -j 1 and -j 2 differ" >&2; exit 1; }
diff -r -q "$O/gen2" "$O/gen3" >/dev/null || { echo "outputs: -j 2 and -j 3 differ" >&2; exit 1; }
rm -rf "$O/in"
echo "outputs: $(find "$O" -type f | wc -l) files in $O"
