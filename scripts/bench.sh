#!/bin/sh
# make bench: every performance figure against its goal (medians of
# repeated runs).  Usage: bench.sh BUILD.  Uses a fixed-seed generator for
# the cohort, so runs are comparable; writes only to a temporary folder.
set -eu
BUILD=${1:-build}
BIN=$BUILD/archaudit
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

now_ms() { date +%s%3N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "== grid census (one core)"
"$BUILD/tools/bench_grid"
echo "== ledgers (one core)"
"$BUILD/tools/bench_ledgers"
echo "== typesetting one report (one core)"
"$BUILD/tools/bench_pdf"

echo "== the whole program on 1,000 generated ledgers, 2 workers"
"$BUILD/tools/gen_ledgers" 1000 "$T/cohort"
for run in 1 2 3; do
	rm -rf "$T/out"
	t0=$(now_ms)
	"$BUILD/tools/peakrss" "$BIN" -q -j 2 -o "$T/out" "$T/cohort" 2>>"$T/rss"
	t1=$(now_ms)
	echo $((t1 - t0)) >>"$T/times"
done
ms=$(median <"$T/times")
rss=$(sed -n 's/peakrss: \([0-9]*\) KB/\1/p' "$T/rss" | sort -n | tail -1)
kb=$(du -sk "$T/out" | cut -f1)
n=$(ls "$T/out" | wc -l)
awk -v ms="$ms" -v n="$n" 'BEGIN { r = n / (ms / 1000);
	printf "throughput: %.0f reports/s (%d reports in %d ms, median of 3; goal >= 250)\n", r, n, ms }'
echo "memory: peak of the whole run $((rss / 1024)) MB (parent and workers, proportional set sizes summed; goal <= 64 MB)"
awk -v kb="$kb" -v n="$n" 'BEGIN { printf "size: %.1f KB per report on average (goal <= 80 KB)\n", kb / n }'

echo "== memory is flat in the number of ledgers"
mkdir "$T/small"
ls "$T/cohort" | head -100 | while read -r f; do cp "$T/cohort/$f" "$T/small/"; done
rm -rf "$T/out"
"$BUILD/tools/peakrss" "$BIN" -q -j 2 -o "$T/out" "$T/small" 2>"$T/rss100"
echo "memory: 100 ledgers $(sed -n 's/peakrss: \([0-9]*\) KB/\1/p' "$T/rss100") KB, 1,000 ledgers $rss KB"

echo "== the print bundle of 1,200 students (reports, then the bundle copied from them)"
"$BUILD/tools/gen_ledgers" 1200 "$T/c1200"
t0=$(now_ms)
"$BUILD/tools/peakrss" "$BIN" -q -j 2 -o "$T/r1200" "$T/c1200" 2>/dev/null
t1=$(now_ms)
"$BUILD/tools/peakrss" "$BIN" -q -j 2 --skip-existing -o "$T/r1200" --bundle "$T/b1200.pdf" \
    "$T/c1200" 2>"$T/rssb"
t2=$(now_ms)
rm -f "$T/b1200.pdf"
"$BUILD/tools/peakrss" "$BIN" -q -j 2 -o "$T/r1200b" --bundle "$T/b1200.pdf" "$T/c1200" 2>"$T/rssw"
echo "bundle: $(($(sed -n 's/peakrss: \([0-9]*\) KB/\1/p' "$T/rssw") / 1024)) MB peak for the whole run with --bundle (goal <= 64 MB); \
$(( (t2 - t1) )) ms for the bundle from existing reports ($(qpdf --show-npages "$T/b1200.pdf") pages, \
$(($(wc -c <"$T/b1200.pdf") / 1048576)) MB), reports alone $((t1 - t0)) ms"

echo "== one ledger to one PDF, start to finish"
for run in 1 2 3 4 5 6 7 8 9 10 11; do
	rm -rf "$T/one"
	t0=$(now_ms)
	"$BIN" -q -j 1 -o "$T/one" ledgers/ada_complete.json
	t1=$(now_ms)
	echo $((t1 - t0))
done | median | awk '{ printf "single report: %d ms wall, process start to PDF (median of 11; goal < 50 ms)\n", $1 }'
