#!/bin/sh
# make regen: rewrite every golden file from this build, then review the
# change with `git diff tests/`.  Every test that compares a golden
# rewrites it when REGEN=1: the cmocka suites (the layout dumps of
# tests/data/layout/, the chart references of tests/data/charts/) and the
# end-to-end scripts named here (pdf_tools: the texts of tests/data/pdf/;
# regress: the report goldens of tests/regress/).  A new golden-comparing
# test honours REGEN=1 the same way and, if it is an e2e script, joins the
# list below.  Usage: regen.sh BUILD [SHARED]
set -eu
BUILD=${1:-build}
SHARED=${2:-}
REGEN=1 sh scripts/run-unit.sh "$BUILD" "$SHARED" pdf_tools regress
git status --short tests/
