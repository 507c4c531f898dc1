#!/bin/sh
# Build the libFuzzer harnesses of tests/fuzz/ with clang and run each for
# SECONDS (default 60) from its seed corpus.  Usage: fuzz.sh [SECONDS] [TARGET...]
# (targets: ledger template markdown scenario roster; default all).  First every kept regression
# input (tests/fuzz/regress/TARGET/) is replayed; then the fuzzer runs with
# its growing corpus in tests/fuzz/corpus-TARGET/ (ignored by git) and the
# seeds of tests/fuzz/seed-TARGET/.  A crash is kept in tests/fuzz/crashers/
# as TARGET-crash-HASH (move it to regress/ once fixed) and fails the run.
# Environment: CLANG (default clang), FUZZ_BUILD (default build-fuzz/fuzz),
# FUZZ_JOBS (parallel fuzz processes per target, default 1).
set -u
SECONDS_EACH=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-ledger template markdown scenario roster}
CLANG=${CLANG:-clang}
OUT=${FUZZ_BUILD:-build-fuzz/fuzz}
JOBS=${FUZZ_JOBS:-1}

# Each harness links every library source (everything in src/ but
# main.c), built here with the fuzzer's flags: a list per harness went out
# of date each time a module gained a dependency.
LIB_SRCS=$(ls src/*/*.c)
SRC_ledger=1 SRC_markdown=1 SRC_template=1 SRC_scenario=1 SRC_roster=1
MAXLEN_ledger=16384
MAXLEN_template=4096
MAXLEN_markdown=8192
MAXLEN_scenario=4096
MAXLEN_roster=4096

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "fuzz: $CLANG not found (apt-get install clang)" >&2
	exit 2
fi
# shellcheck disable=SC2046
PKG=$(pkg-config --cflags --libs cairo cairo-ft freetype2 harfbuzz harfbuzz-subset \
    fribidi icu-uc libcjson md4c libzip) || { echo "fuzz: pkg-config failed (make deps)" >&2; exit 2; }
PKG="$PKG -lhpdf -ldeflate -lz"
CFLAGS="-std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1
-fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
-fno-sanitize-recover=all -Isrc"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

mkdir -p "$OUT" tests/fuzz/crashers
status=0
for t in $TARGETS; do
	eval "srcs=\$SRC_$t; maxlen=\$MAXLEN_$t"
	if [ -z "${srcs:-}" ] || [ ! -f "tests/fuzz/fuzz_$t.c" ]; then
		echo "fuzz: unknown target $t" >&2
		exit 2
	fi
	bin="$OUT/fuzz_$t"
	files=$LIB_SRCS
	echo "fuzz: building $bin"
	# shellcheck disable=SC2086
	if ! "$CLANG" $CFLAGS -o "$bin" "tests/fuzz/fuzz_$t.c" $files $PKG -lm; then
		echo "fuzz: build of $t failed" >&2
		exit 2
	fi

	regress=$(find "tests/fuzz/regress/$t" -type f 2>/dev/null | sort)
	if [ -n "$regress" ]; then
		echo "fuzz: $t: replaying $(echo "$regress" | wc -l) regression inputs"
		# shellcheck disable=SC2086
		if ! "$bin" -runs=1 $regress >"$OUT/$t-regress.log" 2>&1; then
			echo "FAIL fuzz $t: a regression input fails again" >&2
			tail -40 "$OUT/$t-regress.log" >&2
			status=1
			continue
		fi
	fi

	corpus="tests/fuzz/corpus-$t"
	mkdir -p "$corpus"
	before=$(ls tests/fuzz/crashers | grep -c "^$t-")
	dict=""
	jobs=""
	[ "$JOBS" -gt 1 ] && jobs="-jobs=$JOBS -workers=$JOBS"
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	echo "fuzz: $t for ${SECONDS_EACH}s (log: $OUT/$t.log)"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$SECONDS_EACH" -max_len="$maxlen" -timeout=20 \
	    -rss_limit_mb=2048 -print_final_stats=1 $jobs \
	    -artifact_prefix="tests/fuzz/crashers/$t-" $dict \
	    "$corpus" "tests/fuzz/seed-$t" >"$OUT/$t.log" 2>&1
	rc=$?
	[ "$JOBS" -gt 1 ] && cat fuzz-*.log >>"$OUT/$t.log" 2>/dev/null && rm -f fuzz-*.log
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+.*DONE' \
	    "$OUT/$t.log" | sed "s/^/fuzz: $t: /"
	after=$(ls tests/fuzz/crashers | grep -c "^$t-")
	if [ "$rc" != 0 ] || [ "$after" != "$before" ]; then
		echo "FAIL fuzz $t: exit $rc; new inputs in tests/fuzz/crashers:" >&2
		ls -t tests/fuzz/crashers | grep "^$t-" | head -$((after - before + 1)) >&2
		grep -E 'ERROR|SUMMARY|runtime error|abort' "$OUT/$t.log" | head -10 >&2
		status=1
	fi
done
[ "$status" = 0 ] && echo "fuzz: no crashes"
exit "$status"
