#!/bin/sh
# End-to-end: hostile ledgers.  Every case of tests/bad/EXPECTED (small files
# in tests/bad/, large ones written by tests/bad/make-large.sh, special files
# made here) goes through `archaudit --json -v` under a timeout, and must
# give the expected exit status and message, name the file on every message
# line, print nothing raw (no control bytes on stderr, valid UTF-8 on
# stdout), not crash, not hang and stay under the memory bound of the
# README.  Then all of them in one batch with a good ledger, which must
# still be printed; then a folder with the same traps; then every kept fuzz
# regression input.  Run from the repository root; ARCHAUDIT_BIN names the
# program (default build/archaudit); BAD_TIMEOUT the seconds per run (20).
# ARCHAUDIT_VALGRIND=1 (the valgrind stage of make test): the large cases
# of make-large.sh are left out (minutes each under valgrind, and what they
# test, limits and memory, is not what valgrind looks for) and the memory
# bound is not checked (valgrind's own memory counts in the RSS).
set -u
# bytes, not characters: messages may hold any byte of a file name
export LC_ALL=C
BIN=${ARCHAUDIT_BIN:-build/archaudit}
TIMEOUT=${BAD_TIMEOUT:-20}
# Peak RSS bound for a ledger of SIZE bytes: MEM_PER_BYTE * SIZE + MEM_BASE.
MEM_PER_BYTE=4
MEM_BASE=$((16 * 1024 * 1024))
BAD=tests/bad
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM
. tests/e2e/lib.sh

if [ ! -x "$BIN" ]; then
	echo "bad_inputs: $BIN not built" >&2
	exit 1
fi
case $BIN in /*) ABSBIN=$BIN ;; *) ABSBIN=$(pwd)/$BIN ;; esac

# Memory is measured with GNU time; sanitizer builds use far more by design.
TIME=""
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o "$T/probe" true 2>/dev/null; then
	TIME=/usr/bin/time
else
	echo "note: /usr/bin/time (Debian package time) missing: memory not checked"
fi
if grep -a -q -e __asan_init -e __ubsan_handle "$BIN" 2>/dev/null; then
	echo "note: sanitizer build: memory bound not checked"
	TIME=""
fi
LIGHT=""
if [ -n "${ARCHAUDIT_VALGRIND:-}" ]; then
	echo "note: under valgrind: memory bound not checked, large cases left out"
	TIME=""
	LIGHT=1
fi

# ---- the cases --------------------------------------------------------------
if [ -z "$LIGHT" ]; then
	sh "$BAD/make-large.sh" "$T/large" || { echo "bad_inputs: make-large.sh failed" >&2; exit 1; }
fi
S="$T/special"
mkdir -p "$S" "$T/gone" "$T/run"
mkfifo "$S/fifo.json"
ln -s /dev/null "$S/device.json"
mkdir "$S/x.json"
ln -s symlink-loop.json "$S/symlink-loop.json"
# a file listed in a folder, then deleted before it is read: a dangling link
# in a folder is what the reader meets then
printf '{"history": []}\n' >"$T/gone/target.json"
ln -s "$T/gone/target.json" "$T/gone/deleted-after-listing.json"
rm "$T/gone/target.json"
printf '{"history": []}\n' >"$S/unreadable.json"
chmod 000 "$S/unreadable.json"
ln -s /proc/self/mem "$S/read-error.json"
# a file name with an escape sequence and a byte that is not UTF-8
CTL_NAME=$(printf 'ctl-name\033[2J\377')
printf '{"history": [], "x": 1}\n' >"$S/$CTL_NAME.json"

# Permissions do not bind root: run the unreadable case as nobody if we can.
AS_USER=""
SKIP_UNREADABLE=""
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$T" "$S"
	# probe as the case runs (setpriv, then timeout, then the program): in
	# a clone under a private folder (mktemp -d) nobody cannot reach it
	if ! command -v setpriv >/dev/null 2>&1; then
		SKIP_UNREADABLE="running as root without setpriv: permissions do not apply"
	elif setpriv --reuid=65534 --regid=65534 --clear-groups \
	    timeout 10 "$ABSBIN" --version >/dev/null 2>&1; then
		AS_USER="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		SKIP_UNREADABLE="running as root, and user nobody cannot run $ABSBIN (a private folder?)"
	fi
fi
[ -r /proc/self/mem ] || SKIP_READ_ERROR="no /proc/self/mem"

# operand NAME: the path a case is run with
operand() {
	case $1 in
	missing) echo "$S/missing.json" ;;
	deleted-after-listing) echo "$T/gone" ;;
	fifo | device | x | symlink-loop | unreadable | read-error) echo "$S/$1.json" ;;
	ctl-name) echo "$S/$CTL_NAME.json" ;;
	*) if [ -f "$BAD/$1.json" ]; then echo "$BAD/$1.json"; else echo "$T/large/$1.json"; fi ;;
	esac
}

# is_large NAME: a case written by make-large.sh
is_large() {
	case $1 in
	missing | deleted-after-listing | fifo | device | x | symlink-loop | \
	    unreadable | read-error | ctl-name) return 1 ;;
	esac
	[ ! -f "$BAD/$1.json" ]
}

# the file the messages must name
named() {
	case $1 in
	deleted-after-listing) echo "$T/gone/deleted-after-listing.json" ;;
	ctl-name) printf '%s/ctl-name?[2J\377.json' "$S" ;;  # control bytes shown as ?
	*) operand "$1" ;;
	esac
}

# size in bytes of what a case reads (0 for special files)
size_of() {
	if [ -f "$1" ] && [ ! -L "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi
}

# run NAME: once per case, into $T/run/NAME.{out,err,rc,rss}; checks what
# holds for every input
run() {
	name=$1
	r="$T/run/$name"
	[ -f "$r.rc" ] && return 0
	op=$(operand "$name")
	file=$(named "$name")
	prefix=""
	[ "$name" = unreadable ] && prefix=$AS_USER
	if [ -n "$TIME" ]; then
		# shellcheck disable=SC2086
		"$TIME" -f %M -o "$r.rss" $prefix timeout "$TIMEOUT" "$ABSBIN" --json -v "$op" \
		    >"$r.out" 2>"$r.err"
	else
		# shellcheck disable=SC2086
		$prefix timeout "$TIMEOUT" "$ABSBIN" --json -v "$op" >"$r.out" 2>"$r.err"
	fi
	got=$?
	echo "$got" >"$r.rc"
	if [ "$got" = 124 ]; then
		bad "$name: still running after ${TIMEOUT}s (a hang?)"
	elif [ "$got" -gt 3 ]; then
		bad "$name: exit $got (crashed?)"
		sed 's/^/    /' "$r.err" | head -5
	fi
	if grep -a -q -e 'Sanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$r.err"; then
		bad "$name: sanitizer report"
		grep -a -m 5 -e 'ERROR' -e 'runtime error' "$r.err" | sed 's/^/    /'
	fi
	if grep -a -q '[[:cntrl:]]' "$r.err"; then
		bad "$name: a control character reached standard error"
	fi
	# every message line names the file; indented lines show the source
	if grep -a -v -e '^    ' -e '^archaudit: ' "$r.err" | grep -a -v -F -q -- "$file"; then
		bad "$name: a message does not name $file"
		grep -a -v -e '^    ' -e '^archaudit: ' "$r.err" | grep -a -v -F -- "$file" | head -2 | cut -c1-200 | sed 's/^/    /'
	fi
	if awk 'length($0) > 400 { bad = 1 } END { exit !bad }' "$r.err"; then
		bad "$name: a message line longer than 400 bytes"
	fi
	if ! iconv -f UTF-8 -t UTF-8 "$r.out" >/dev/null 2>&1; then
		bad "$name: the JSON output is not valid UTF-8"
	fi
	if [ -n "$TIME" ] && [ -s "$r.rss" ]; then
		kb=$(tail -n 1 "$r.rss")
		sz=$(size_of "$op")
		limit=$(((MEM_PER_BYTE * sz + MEM_BASE) / 1024))
		if [ "$kb" -gt "$limit" ]; then
			bad "$name: peak RSS $kb KB over the bound $limit KB ($sz bytes read)"
		elif [ "$sz" -gt 1000000 ]; then
			ok "$name: peak RSS $kb KB for $sz bytes (bound $limit KB)"
		fi
	fi
	return 0
}

ncases=0
last=""
while read -r name want frag; do
	case $name in '' | '#'*) continue ;; esac
	if [ "$name" = unreadable ] && [ -n "$SKIP_UNREADABLE" ]; then
		[ "$last" = "$name" ] || echo "skip unreadable: $SKIP_UNREADABLE"
		last=$name
		continue
	fi
	if [ -n "$LIGHT" ] && is_large "$name"; then
		[ "$last" = "$name" ] || echo "skip $name: a large case (under valgrind)"
		last=$name
		continue
	fi
	if [ "$name" = read-error ] && [ -n "${SKIP_READ_ERROR:-}" ]; then
		[ "$last" = "$name" ] || echo "skip read-error: $SKIP_READ_ERROR"
		last=$name
		continue
	fi
	if [ ! -f "$T/run/$name.rc" ]; then
		ncases=$((ncases + 1))
		echo "$name" >>"$T/names"
		[ "$want" = 0 ] && echo "$name" >>"$T/usable"
	fi
	run "$name"
	r="$T/run/$name"
	file=$(named "$name")
	got=$(cat "$r.rc")
	lines=$(wc -l <"$r.out" | tr -d ' ')
	if [ "$last" != "$name" ]; then
		if [ "$got" != "$want" ]; then
			bad "$name: exit $got, expected $want"
			sed 's/^/    /' "$r.err" | head -3 | cut -c1-200
		elif [ "$want" = 1 ] && [ "$lines" != 0 ]; then
			bad "$name: refused, yet $lines lines on standard output"
		elif [ "$want" = 0 ] && [ "$lines" != 1 ]; then
			bad "$name: read, yet $lines lines on standard output (want 1)"
		else
			ok "$name (exit $got)"
		fi
	fi
	last=$name
	[ "$frag" = - ] && continue
	case $frag in
	archaudit:*) grep -a -F -q -- "$frag" "$r.err" ;;
	*) grep -a -F -- "$frag" "$r.err" | grep -a -F -q -- "$file" ;;
	esac
	if [ $? != 0 ]; then
		bad "$name: no message with: $frag"
		grep -a -v '^    ' "$r.err" | head -3 | cut -c1-200 | sed 's/^/    /'
	fi
done <"$BAD/EXPECTED"

# Every committed case is in the table, and the table has dozens of them.
for f in "$BAD"/*.json; do
	n=$(basename "$f" .json)
	grep -a -q "^$n " "$BAD/EXPECTED" || bad "$f: not in $BAD/EXPECTED"
done
[ "$ncases" -ge 100 ] || bad "only $ncases cases ran"

# ---- all of them at once, with a good ledger: the batch goes on --------------
set --
while read -r name; do
	[ "$name" = unreadable ] && [ "$(id -u)" = 0 ] && continue
	set -- "$@" "$(operand "$name")"
done <"$T/names"
timeout $((TIMEOUT * 3)) "$ABSBIN" --json -q "$@" ledgers/ada_complete.json \
    >"$T/batch.out" 2>"$T/batch.err"
got=$?
if [ "$got" = 1 ]; then ok "batch of $# hostile inputs and a good one: exit 1"; else
	bad "batch: exit $got, expected 1"; grep -a -v '^    ' "$T/batch.err" | head -5 | cut -c1-200; fi
if grep -a -q '"student":"ada_complete"' "$T/batch.out"; then ok "batch: the good ledger is still printed"
else bad "batch: the good ledger is missing"; fi
want=$(($(grep -a -c . "$T/usable") + 1))
lines=$(wc -l <"$T/batch.out" | tr -d ' ')
if [ "$lines" = "$want" ]; then ok "batch: $lines ledgers printed"; else
	bad "batch: $lines ledgers printed, expected $want"; fi

# ---- a folder holding the same traps, and standard input ----------------------
D="$T/class"
mkdir -p "$D/x.json"
cp ledgers/ada_complete.json "$BAD/truncated-in-string.json" "$BAD/top-array.json" "$D/"
mkfifo "$D/fifo.json"
ln -s /dev/zero "$D/zero.json"
ln -s loop.json "$D/loop.json"
ln -s "$T/gone/nothing.json" "$D/deleted.json"
timeout "$TIMEOUT" "$ABSBIN" --json "$D" >"$T/dir.out" 2>"$T/dir.err"
got=$?
if [ "$got" = 1 ] && [ "$(wc -l <"$T/dir.out")" -eq 1 ] &&
    grep -a -q '"student":"ada_complete"' "$T/dir.out"; then
	ok "a folder of traps: exit 1, the good ledger printed"
else
	bad "a folder of traps: exit $got, $(wc -l <"$T/dir.out") lines"; head -5 "$T/dir.err"
fi
# the link to /dev/zero leads out of the folder: refused unread (issue 12),
# so 6 of the 7 read fail
if grep -a -q "6 of 7 ledgers failed" "$T/dir.err" &&
    grep -a -q "zero.json: error: a symbolic link that leads out of the folder" "$T/dir.err"
then ok "a folder of traps: 6 of 7 failed, the link out refused"
else bad "a folder of traps: summary"; tail -1 "$T/dir.err"; fi
timeout "$TIMEOUT" "$ABSBIN" --json - </dev/null >"$T/in.out" 2>"$T/in.err"
got=$?
if [ "$got" = 1 ] && grep -a -q '^<stdin>: error: the file is empty' "$T/in.err"; then
	ok "empty standard input"; else bad "empty standard input: exit $got"; fi
head -c 17825793 /dev/zero | timeout "$TIMEOUT" "$ABSBIN" --json - >"$T/in.out" 2>"$T/in.err"
got=$?
if [ "$got" = 1 ] && grep -a -q '^<stdin>: error: input is over the limit' "$T/in.err"; then
	ok "endless standard input stops at the limit"; else bad "endless standard input: exit $got"; fi

# ---- inputs the fuzzers found (tests/fuzz/regress/ledger/) --------------------
for f in tests/fuzz/regress/ledger/*; do
	[ -f "$f" ] || continue
	timeout "$TIMEOUT" "$ABSBIN" --json -v "$f" >"$T/fz.out" 2>"$T/fz.err"
	got=$?
	if [ "$got" -gt 1 ] || grep -a -q -e Sanitizer -e 'runtime error:' "$T/fz.err" ||
	    grep -a -q '[[:cntrl:]]' "$T/fz.err" ||
	    ! iconv -f UTF-8 -t UTF-8 "$T/fz.out" >/dev/null 2>&1; then
		bad "fuzz regression $f: exit $got"
		head -3 "$T/fz.err"
	else
		ok "fuzz regression $(basename "$f")"
	fi
done

echo "bad_inputs: $ncases cases, $fails failures"
[ "$fails" = 0 ]
