#!/bin/sh
# Run every unit/conformance test binary of one build, then the end-to-end
# scripts against that build's program.  Usage: run-unit.sh BUILD [SHARED]
# The tests read their data from tests/data; a SHARED folder (a newer copy
# of the course's shared folder) replaces it when given.
set -u
BUILD=$1
SHARED=${2:-}
if [ -n "$SHARED" ]; then
	export ARCHAUDIT_SHARED="$SHARED"
fi
export ARCHAUDIT_BIN="$BUILD/archaudit"
export ARCHAUDIT_TOOLS="$BUILD/tools"
failed=0
passed=0
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $t" >&2
		failed=$((failed + 1))
	fi
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	if sh "$t"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $t" >&2
		failed=$((failed + 1))
	fi
done
echo "$BUILD: $passed passed, $failed failed"
[ "$failed" = 0 ]
