#!/bin/sh
# The program under valgrind's memcheck, for the end-to-end scripts:
# point ARCHAUDIT_BIN here and VALGRIND_BIN at the real program.  Each
# process writes its own log into VALGRIND_LOGS, the forked workers too
# (they are checked when they _exit, like the parent at its exit), and
# scripts/valgrind-e2e.sh fails on any log that is not empty.  That scan
# is what counts: --error-exitcode=99 makes a parent with an error exit 99,
# which no test expects, but a worker's status is not looked at once its
# jobs are done.  --trace-children=yes: nothing is exec'd today; if it
# ever is, that is checked too.
: "${VALGRIND_BIN:?VALGRIND_BIN: the program to run under valgrind}"
: "${VALGRIND_LOGS:?VALGRIND_LOGS: a folder for the logs}"
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    --show-leak-kinds=definite,indirect --trace-children=yes \
    --suppressions="${VALGRIND_SUPP:-tests/valgrind.supp}" \
    --log-file="$VALGRIND_LOGS/vg.%p.log" \
    "$VALGRIND_BIN" "$@"
