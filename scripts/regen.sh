#!/bin/sh
# make regen: rewrite every golden file from this build, then review the
# change with `git diff tests/`.  The layout dumps (tests/data/layout/),
# the chart references (tests/data/charts/) and the report goldens
# (tests/regress/).  Usage: regen.sh BUILD [SHARED]
set -eu
BUILD=${1:-build}
SHARED=${2:-}
if [ -n "$SHARED" ]; then
	export ARCHAUDIT_SHARED="$SHARED"
fi
make --no-print-directory BUILD="$BUILD" "$BUILD/tests/test_layout" "$BUILD/tests/test_chart"
REGEN=1 "$BUILD/tests/test_layout" >/dev/null
REGEN=1 "$BUILD/tests/test_chart" >/dev/null
REGEN=1 ARCHAUDIT_BIN="$BUILD/archaudit" ARCHAUDIT_TOOLS="$BUILD/tools" \
    sh tests/e2e/regress.sh
git status --short tests/
