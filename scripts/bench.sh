#!/bin/sh
# make bench: the performance figures, each against its goal.
# Usage: bench.sh BUILD
set -eu
BUILD=${1:-build}
echo "== grid census (one core)"
"$BUILD/tools/bench_grid"
echo "== ledgers (one core)"
"$BUILD/tools/bench_ledgers"
echo "== typesetting: Markdown, layout, charts, PDF (one core)"
"$BUILD/tools/bench_pdf"
