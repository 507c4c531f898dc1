#!/bin/sh
# The report goldens: for each sample ledger (ledgers/) and each example
# ledger, the filled-in Markdown (archaudit --markdown) and the layout dump
# of its report (the text device, through tests/tools/report_dump) are
# compared with tests/regress/<student>.md and .dump.  A difference prints
# the first differing lines.  REGEN=1 (make regen) rewrites the goldens
# instead; read `git diff tests/regress` to see what a change did to every
# report.  Run from the repository root.
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
TOOLS=${ARCHAUDIT_TOOLS:-build/tools}
GOLD=tests/regress
EX=tests/data/examples/ledgers    # the repository's copy: the goldens are of it
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0

# The date printed is the ledger's own; without one it would come from here.
export SOURCE_DATE_EPOCH=1767225600
mkdir "$T/in" "$T/got"
if ! cp ledgers/*.json "$EX"/*.json "$T/in/"; then
	echo "FAIL regress: the sample and example ledgers (ledgers/, $EX) not found"
	exit 1
fi
if ! "$BIN" -q -j 2 --markdown -o "$T/got" "$T/in" 2>"$T/err"; then
	echo "FAIL regress: archaudit --markdown failed:"; head -5 "$T/err"
	exit 1
fi
if ! "$TOOLS/report_dump" --program "$("$BIN" --version)" "$T/got" "$T/in"/*.json 2>"$T/err"; then
	echo "FAIL regress: report_dump failed:"; head -5 "$T/err"
	exit 1
fi

if [ "${REGEN:-}" = 1 ]; then
	rm -f "$GOLD"/*.md "$GOLD"/*.dump
	cp "$T/got"/*.md "$T/got"/*.dump "$GOLD/"
	echo "regress: rewrote $(ls "$GOLD" | wc -l) goldens in $GOLD (git diff $GOLD)"
	exit 0
fi

for f in "$T/got"/*.md "$T/got"/*.dump "$GOLD"/*.md "$GOLD"/*.dump; do
	[ -e "$f" ] || continue
	n=$(basename "$f")
	[ -e "$T/got/$n.seen" ] && continue
	: >"$T/got/$n.seen"
	if [ ! -e "$GOLD/$n" ]; then
		echo "FAIL regress: $GOLD/$n missing (make regen writes it)"
		fails=$((fails + 1))
	elif [ ! -e "$T/got/$n" ]; then
		echo "FAIL regress: $GOLD/$n has no ledger any more (make regen removes it)"
		fails=$((fails + 1))
	elif ! cmp -s "$GOLD/$n" "$T/got/$n"; then
		echo "FAIL regress: $GOLD/$n differs; first differing lines (- golden, + now):"
		diff -u "$GOLD/$n" "$T/got/$n" | sed -n '3,40p' | grep -m 12 -e '^[-+]' -e '^@@'
		fails=$((fails + 1))
	else
		printf 'ok   %s\n' "$n"
	fi
done
if [ "$fails" -gt 0 ]; then
	echo "regress: $fails goldens differ (make regen rewrites them; then read git diff $GOLD)"
	exit 1
fi
