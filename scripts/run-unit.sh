#!/bin/sh
# Run every unit/conformance test binary of one build, then the end-to-end
# scripts against that build's program (all of them, or the NAMEs given:
# tests/e2e/NAME.sh).  Usage: run-unit.sh BUILD [SHARED [NAME...]]
# The tests read their data from tests/data; a SHARED folder (a newer copy
# of the course's shared folder) replaces it when it is not empty.
set -u
BUILD=$1
SHARED=${2:-}
shift $(($# < 2 ? $# : 2))
E2E=""
for n in "$@"; do E2E="$E2E tests/e2e/$n.sh"; done
[ -n "$E2E" ] || E2E=$(ls tests/e2e/*.sh | grep -v '/lib\.sh$')
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
for t in $E2E; do
	[ -f "$t" ] || { echo "FAILED: $t: no such script" >&2; failed=$((failed + 1)); continue; }
	if sh "$t"; then
		passed=$((passed + 1))
	else
		echo "FAILED: $t" >&2
		failed=$((failed + 1))
	fi
done
echo "$BUILD: $passed passed, $failed failed"
[ "$failed" = 0 ]
