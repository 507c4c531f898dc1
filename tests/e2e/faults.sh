#!/bin/sh
# End-to-end: a batch when the machine gets in the way.  An output folder
# that cannot be written (a read-only mount, a folder of another user); a
# full file system under the reports, and under the CSV, the class summary
# and the bundle; a ledger deleted after it was listed; Ctrl-C (SIGINT to
# the process group, once, then twice).  Each must leave no partial file
# under a final name and no temporary file, say what failed naming the
# file, exit with the documented status, and a rerun with --skip-existing
# must finish exactly what is missing, with the bytes of a clean run.
# Mounting needs root (CAP_SYS_ADMIN): without it those cases are skipped
# with a message.  Run from the repository root; ARCHAUDIT_BIN names the
# program (default build/archaudit).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
case $BIN in /*) ABSBIN=$BIN ;; *) ABSBIN=$(pwd)/$BIN ;; esac
T=$(mktemp -d)
MOUNTS=""
cleanup() {
	for m in $MOUNTS; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
. tests/e2e/lib.sh
subset_of() { # subset_of A B: every file of A is in B with the same bytes
	for f in "$1"/*; do
		[ -e "$f" ] || continue
		cmp -s "$f" "$2/$(basename "$f")" || { echo "    differs: $f"; return 1; }
	done
}
n_pdfs() { ls "$1" 2>/dev/null | grep -c '\.pdf$'; }
empty_dir() { [ -z "$(ls -A "$1")" ]; }
wait_for() { # wait_for SECONDS COMMAND...: poll every 10 ms until COMMAND holds
	limit=$(($1 * 100)); shift
	i=0
	while ! "$@" && [ "$i" -lt "$limit" ]; do sleep 0.01; i=$((i + 1)); done
	"$@"
}
at_least_pdfs() { [ "$(n_pdfs "$1")" -ge "$2" ]; }
# Reports finished but not yet committed (they are renamed 64 at a time,
# after one syncfs: a run of 120 shows its first PDFs only at the 64th).
at_least_temps() { [ "$(ls "$1" 2>/dev/null | grep -c '\.pdf\.tmp\.')" -ge "$2" ]; }

# mount_fs DIR KB [ro]: a small file system at DIR (tmpfs, else an ext2
# image on a loop device); 0 if mounted.  Unmounted by the EXIT trap.
mount_fs() {
	mkdir -p "$1"
	opts="size=$2${3:+,$3}"
	if mount -t tmpfs -o "$opts" tmpfs "$1" 2>"$T/mount.err"; then
		MOUNTS="$1 $MOUNTS"; return 0
	fi
	command -v mkfs.ext2 >/dev/null 2>&1 || return 1
	img="$T/$(basename "$1").img"
	kb=${2%k}
	[ "$kb" -ge 256 ] || kb=256     # ext2's smallest useful size
	dd if=/dev/zero of="$img" bs=1k count="$kb" 2>/dev/null &&
	    mkfs.ext2 -q -F -m 0 "$img" >/dev/null 2>&1 &&
	    mount -o loop "$img" "$1" 2>>"$T/mount.err" || return 1
	MOUNTS="$1 $MOUNTS"
	rmdir "$1/lost+found" 2>/dev/null
	[ -z "${3:-}" ] || mount -o "remount,$3" "$1" 2>>"$T/mount.err"
}
fill_fs() { # fill_fs DIR: no byte left
	dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null
	: >"$1/filler2" 2>/dev/null
	dd if=/dev/zero of="$1/filler2" bs=1 2>/dev/null
	return 0
}
CAN_MOUNT=yes
if ! mount_fs "$T/probe" 64k; then
	CAN_MOUNT=""
	echo "note: cannot mount a small file system here ($(head -1 "$T/mount.err")):"
	echo "      the read-only and full-disk cases are skipped (they need root)"
else
	umount "$T/probe" && MOUNTS=""
fi

export SOURCE_DATE_EPOCH=1767225600
# the templates as they are now: runs minutes apart compare bytes
cp -R templates "$T/tpl"
make_class "$T/c20" 20
status 0 "a clean run of 20 (the reference bytes)" "$BIN" -t "$T/tpl" -q -j 2 -o "$T/clean20" "$T/c20"
make_class "$T/big" 120
status 0 "a clean run of 120 (the reference bytes)" "$BIN" -t "$T/tpl" -q -j 2 -o "$T/clean120" "$T/big"

# ---- an output folder that cannot be written -------------------------------
if [ -n "$CAN_MOUNT" ] && mount_fs "$T/ro" 64k ro; then
	status 1 "read-only output folder: exit 1" "$BIN" -t "$T/tpl" -j 2 -o "$T/ro" --csv "$T/ro.csv" "$T/c20"
	check "read-only: one message naming the folder" grep -q "^$T/ro: error: cannot write into the output folder: Read-only file system; no report written" "$T/err"
	check "read-only: said once, not once per report" test "$(grep -c 'error' "$T/err")" -eq 1
	check "read-only: nothing written (not even the CSV)" sh -c "test ! -e \"$T/ro.csv\" && test -z \"\$(ls -A \"$T/ro\")\""
	status 1 "read-only: a subfolder cannot be made: exit 1" "$BIN" -t "$T/tpl" -q -o "$T/ro/reports" "$T/c20"
	check "read-only: the subfolder named" grep -q "^$T/ro/reports: error: cannot create directory: Read-only file system" "$T/err"
else
	[ -n "$CAN_MOUNT" ] && skip "read-only output folder: mount -o ro failed: $(head -1 "$T/mount.err")"
fi
# a read-only folder holding every report: --skip-existing needs no write
if [ -n "$CAN_MOUNT" ] && mount_fs "$T/full-ro" 4096k; then
	cp "$T/clean20"/*.pdf "$T/full-ro/"
	if mount -o remount,ro "$T/full-ro" 2>"$T/mount.err"; then
		status 0 "read-only folder with every report: --skip-existing exit 0" "$BIN" -t "$T/tpl" -j 2 --skip-existing -o "$T/full-ro" "$T/c20"
		check "read-only with every report: all kept" grep -q '0 reports written, 20 already there' "$T/err"
	else
		skip "remount read-only: $(head -1 "$T/mount.err")"
	fi
fi
# another user's folder: permissions bind a user that is not root
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$T/theirs" && chmod 555 "$T/theirs"
	AS=""
elif command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$ABSBIN" --version >/dev/null 2>&1; then
	chmod 755 "$T" && chmod -R a+rX "$T/c20" "$T/tpl"
	mkdir -p "$T/theirs" && chmod 755 "$T/theirs"
	AS="setpriv --reuid=nobody --regid=nogroup --clear-groups"
else
	AS=none
fi
if [ "$AS" = none ]; then
	skip "a folder of another user: root, and setpriv cannot run the program as nobody"
else
	# shellcheck disable=SC2086
	status 1 "a folder of another user: exit 1" $AS "$ABSBIN" -t "$T/tpl" -j 2 -o "$T/theirs" "$T/c20"
	check "another user's folder: the folder named" grep -q "^$T/theirs: error: cannot write into the output folder: Permission denied" "$T/err"
	check "another user's folder: nothing written" empty_dir "$T/theirs"
fi

# ---- a full file system under the reports ----------------------------------
# 300 KB holds four or five reports of about 65 KB: the rest must fail,
# naming their file, and leave nothing behind.
if [ -n "$CAN_MOUNT" ] && mount_fs "$T/full" 300k; then
	status 1 "full disk: exit 1" "$BIN" -t "$T/tpl" -j 2 -o "$T/full" --csv "$T/full.csv" "$T/c20"
	n=$(n_pdfs "$T/full")
	nfail=$(grep -c "^$T/full/s[0-9]*\.pdf: error: cannot write: No space left on device$" "$T/err")
	check "full disk: some written ($n), the rest failed naming the file ($nfail)" test "$n" -ge 1 -a "$n" -lt 20 -a $((n + nfail)) -eq 20
	check "full disk: the summary counts them" grep -q "^archaudit: $n reports* written, $nfail failed;" "$T/err"
	check "full disk: the CSV says which ($n written, $nfail failed)" test "$(grep -c ',written,' "$T/full.csv")" -eq "$n" -a "$(grep -c ',failed,.*No space left on device' "$T/full.csv")" -eq "$nfail"
	check "full disk: no temporary file left" no_temps "$T/full"
	check "full disk: only reports in the folder" test "$(ls -A "$T/full" | wc -l)" -eq "$n"
	check "full disk: every PDF passes qpdf --check" all_pdfs_whole "$T/full"
	check "full disk: every PDF has the bytes of a clean run" subset_of "$T/full" "$T/clean20"
	mkdir "$T/kept" && cp -p "$T/full"/*.pdf "$T/kept/"
	# room again: the same folder made bigger, or a copy in a real folder
	if mount -o remount,size=4m "$T/full" 2>/dev/null; then
		again="$T/full"
	else
		again="$T/full-again"; mkdir "$again"; cp -p "$T/kept"/*.pdf "$again/"
	fi
	status 0 "full disk, room again: --skip-existing exit 0" "$BIN" -t "$T/tpl" -j 2 --skip-existing -o "$again" "$T/c20"
	check "rerun: only the missing ones written" grep -q "^archaudit: $nfail reports* written, $n already there;" "$T/err"
	check "rerun: the ones there were kept" subset_of "$T/kept" "$again"
	check "rerun: the set equals a clean run's (same bytes)" same_tree "$again" "$T/clean20"
else
	[ -n "$CAN_MOUNT" ] && skip "full disk: cannot mount: $(head -1 "$T/mount.err")"
fi

# ---- a full file system under the CSV, the class summary and the bundle ----
if [ -n "$CAN_MOUNT" ] && mount_fs "$T/side" 16k; then
	fill_fs "$T/side"
	rm -f "$T/side-out"
	status 1 "full disk for CSV, class summary, bundle: exit 1" "$BIN" -t "$T/tpl" -j 2 -o "$T/side-out" \
	    --csv "$T/side/grades.csv" --class-summary "$T/side/class.pdf" --bundle "$T/side/all.pdf" "$T/c20"
	for f in grades.csv class.pdf all.pdf; do
		check "full disk: $f named with the reason" grep -q "^$T/side/$f: error: cannot write: No space left on device$" "$T/err"
		check "full disk: no $f under its final name" test ! -e "$T/side/$f"
	done
	check "full disk: no temporary file beside them" no_temps "$T/side"
	check "full disk: the summary says outputs failed" grep -q 'some outputs could not be written' "$T/err"
	check "full disk: the reports elsewhere are all written" same_tree "$T/side-out" "$T/clean20"
	# a CSV over stdio's buffer fails while rows are still being added
	status 1 "full disk under a long CSV: exit 1" "$BIN" -t "$T/tpl" -q -j 2 --skip-existing -o "$T/clean120" --csv "$T/side/long.csv" "$T/big"
	check "long CSV: the reason is the full disk" grep -q "^$T/side/long.csv: error: cannot write: No space left on device$" "$T/err"
	check "long CSV: nothing under its name, no temporary file" sh -c "test ! -e \"$T/side/long.csv\" && ! ls -a \"$T/side\" | grep -q '\\.tmp\\.'"
else
	[ -n "$CAN_MOUNT" ] && skip "full disk for the CSV: cannot mount: $(head -1 "$T/mount.err")"
fi

# ---- a ledger deleted after the folder was listed --------------------------
# The ledgers are listed before the output folder is made; the last one is
# removed as soon as the folder appears, long before -j 1 reaches it.
make_class "$T/del" 40
"$BIN" -t "$T/tpl" -j 1 -o "$T/del-out" "$T/del" 2>"$T/del.err" &
pid=$!
wait_for 60 test -d "$T/del-out"
rm -f "$T/del/s040.json"
wait "$pid"; rc=$?
check "deleted ledger: exit 1 ($rc)" test "$rc" -eq 1
check "deleted ledger: named, cannot open, no such file" grep -q "^$T/del/s040.json: error: cannot open: No such file or directory" "$T/del.err"
check "deleted ledger: the run went on (39 written)" grep -q '^archaudit: 39 reports written, 1 failed' "$T/del.err"
check "deleted ledger: the 39 others are there" test "$(n_pdfs "$T/del-out")" -eq 39 -a ! -e "$T/del-out/s040.pdf"
check "deleted ledger: no temporary file" no_temps "$T/del-out"

# ---- Ctrl-C: SIGINT to the whole process group -----------------------------
# The signal goes once the workers have finished a report or two (their
# temporary files are there: reports are renamed 64 at a time).  A run of
# 120 takes well under a second, so on a busy machine the run may end
# before the signal is sent; that is a missed window, not a failure of the
# program: the run is tried again (up to 5 times) into an empty folder.
if command -v setsid >/dev/null 2>&1; then
	# setsid: its own process group, as a terminal's foreground job has
	start_run() { setsid "$ABSBIN" -t "$T/tpl" -j 2 -o "$1" "$T/big" 2>"$T/int.err" & pid=$!; }
	send_int() { kill -INT -"$pid" 2>/dev/null; }
	INT_WHAT="the process group"
else
	start_run() { "$ABSBIN" -t "$T/tpl" -j 2 -o "$1" "$T/big" 2>"$T/int.err" & pid=$!; }
	send_int() { kill -INT "$pid" 2>/dev/null; }
	INT_WHAT="the parent only (no setsid)"
fi
interrupt() { # interrupt OUT N_SIGNALS: Ctrl-C once or twice while the run works
	for try in 1 2 3 4 5; do
		rm -rf "$1"
		start_run "$1"
		wait_for 60 at_least_temps "$1" 1
		if send_int; then
			if [ "$2" = 2 ]; then sleep 0.05; send_int; fi
			wait "$pid"; rc=$?
			return 0
		fi
		wait "$pid"
		echo "    (the run ended before the signal; try $try again)"
	done
	bad "SIGINT: 5 runs ended before the signal could be sent"
	rc=-1
}
interrupt "$T/int" 1
n_done=$(n_pdfs "$T/int")
check "SIGINT to $INT_WHAT: exit 4 ($rc)" test "$rc" -eq 4
check "SIGINT: stopped early ($n_done of 120)" test "$n_done" -lt 120
check "SIGINT: said so" grep -q "^archaudit: interrupted by Interrupt: $((120 - n_done)) reports* not done; run again with --skip-existing" "$T/int.err"
check "SIGINT: no temporary file" no_temps "$T/int"
check "SIGINT: no partial file (each has a clean run's bytes)" subset_of "$T/int" "$T/clean120"
status 0 "SIGINT, then --skip-existing: exit 0" "$BIN" -t "$T/tpl" -j 2 --skip-existing -o "$T/int" "$T/big"
check "--skip-existing: only the missing ones written" grep -q "^archaudit: $((120 - n_done)) reports* written, $n_done already there" "$T/err"
check "--skip-existing: the set equals a clean run's (same bytes)" same_tree "$T/int" "$T/clean120"

interrupt "$T/int2" 2
check "SIGINT twice: exit 4 ($rc)" test "$rc" -eq 4
check "SIGINT twice: no temporary file" no_temps "$T/int2"
check "SIGINT twice: no partial file" subset_of "$T/int2" "$T/clean120"
status 0 "SIGINT twice, then --skip-existing: exit 0" "$BIN" -t "$T/tpl" -q -j 2 --skip-existing -o "$T/int2" "$T/big"
check "SIGINT twice, rerun: the set equals a clean run's" same_tree "$T/int2" "$T/clean120"

[ "$fails" = 0 ]
