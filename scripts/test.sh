#!/bin/sh
# The whole test suite: a normal build, then the same suite built with
# AddressSanitizer and UndefinedBehaviorSanitizer, then the end-to-end
# scripts with the normal build's program under valgrind (memcheck, parent
# and worker processes; scripts/valgrind-e2e.sh).  Usage: test.sh [SHARED]
# (SHARED: a folder to read the test data from instead of tests/data).
set -eu
SHARED=${1:-}
if [ -n "$SHARED" ] && [ ! -d "$SHARED/conformance" ]; then
	echo "test: conformance vectors not found in $SHARED/conformance" >&2
	exit 1
fi
JOBS=$(nproc 2>/dev/null || echo 2)

make --no-print-directory -j"$JOBS" BUILD=build SHARED="$SHARED" unit

make --no-print-directory -j"$JOBS" SHARED="$SHARED" check-asan

sh scripts/valgrind-e2e.sh build "$SHARED"
echo "all: passed"
