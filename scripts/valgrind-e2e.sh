#!/bin/sh
# The end-to-end scripts again, with the program under valgrind's memcheck
# (tests/valgrind-wrap.sh): no invalid read or write, no use of an
# uninitialised value, no definite or indirect leak, in the parent and in
# every worker process.  Usage: valgrind-e2e.sh BUILD [SHARED]
#
# Which scripts: those that drive the archaudit program, over its paths:
# cli.sh (options, --json, --grid-json), report.sh (PDF reports, --figures,
# --pdfa, a broken template), batch.sh (workers, roster, CSV, class
# summary, bundle, shards, SIGTERM), bad_inputs.sh without its nine large
# generated cases (10-50 MB files: minutes each under valgrind, and they
# test limits, not memory errors; the ASan run covers them) and faults.sh
# (read-only folder, full disk, a deleted ledger, SIGINT).  pdf_tools.sh
# and pdfa.sh drive the md2pdf test tool, not the program; the PDF device
# they test is exercised here through report.sh.  About 3 minutes on 2 cores.
set -u
BUILD=$1
SHARED=${2:-}
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind: not installed (make deps installs it)" >&2
	exit 1
fi
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
chmod 1777 "$LOGS"      # faults.sh and bad_inputs.sh run some cases as nobody
ROOT=$(pwd)
export VALGRIND_BIN="$ROOT/$BUILD/archaudit"
export VALGRIND_LOGS="$LOGS"
export VALGRIND_SUPP="$ROOT/tests/valgrind.supp"
export ARCHAUDIT_BIN="$ROOT/tests/valgrind-wrap.sh"
export ARCHAUDIT_TOOLS="$BUILD/tools"
if [ -n "$SHARED" ]; then
	export ARCHAUDIT_SHARED="$SHARED"
fi
export ARCHAUDIT_VALGRIND=1
failed=0
passed=0
t0=$(date +%s)
for t in cli report batch bad_inputs faults; do
	s=$(date +%s)
	if sh "tests/e2e/$t.sh" >"$LOGS/$t.out" 2>&1; then
		passed=$((passed + 1))
		echo "valgrind: tests/e2e/$t.sh passed ($(($(date +%s) - s)) s)"
	else
		failed=$((failed + 1))
		echo "FAILED under valgrind: tests/e2e/$t.sh" >&2
		grep -a -e '^FAIL' "$LOGS/$t.out" | head -20 >&2
	fi
done
# An error in a process whose status no test looks at is still an error.
n_logs=0
n_bad=0
for f in "$LOGS"/vg.*.log; do
	[ -e "$f" ] || continue
	n_logs=$((n_logs + 1))
	[ -s "$f" ] || continue
	n_bad=$((n_bad + 1))
	if [ "$n_bad" -le 5 ]; then
		echo "valgrind: $(basename "$f"):" >&2
		head -n 60 "$f" >&2
	fi
done
if [ "$n_bad" -gt 0 ]; then
	echo "valgrind: $n_bad of $n_logs processes reported errors or leaks" >&2
	failed=$((failed + 1))
fi
echo "valgrind: $passed scripts passed, $failed failed; $n_logs processes" \
    "checked (parents and workers), $(($(date +%s) - t0)) s"
[ "$failed" = 0 ]
