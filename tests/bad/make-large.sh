#!/bin/sh
# Write the large hostile ledgers of tests/bad/EXPECTED into DIR (they are
# never committed).  Usage: make-large.sh DIR.  POSIX sh and awk; about
# 50 MB in all, a few seconds.
set -eu
DIR=${1:?usage: make-large.sh DIR}
mkdir -p "$DIR"

# gen FILE PREFIX UNIT COUNT SUFFIX: PREFIX, COUNT copies of UNIT, SUFFIX.
gen() {
	awk -v pre="$2" -v unit="$3" -v n="$4" -v suf="$5" 'BEGIN {
		s = ""; u = unit; k = n
		while (k > 0) {               # binary repetition: fast in any awk
			if (k % 2 == 1) s = s u
			k = int(k / 2)
			if (k > 0) u = u u
		}
		printf "%s%s%s", pre, s, suf
	}' >"$DIR/$1"
}

# 100,000 levels of nesting (the limit is 512)
gen deep-100000.json '{"history": ' '[' 100000 ''
awk 'BEGIN { s = "]"; while (length(s) < 100000) s = s s;
	printf "%s}\n", substr(s, 1, 100000) }' >>"$DIR/deep-100000.json"
# a 10 MiB string where a short word is expected
gen huge-string-10mb.json '{"history": [{"chapter": 16, "design": {"serving_strategy": "' \
    'a' 10485760 '"}}]}'
# a 1 MiB key
gen huge-key-1mb.json '{"' 'k' 1048576 '": 1, "history": []}'
# a million history entries, the last one invalid
gen million-entries.json '{"history": [' '{"chapter":3},' 1000000 \
    '{"chapter":true}]}'
# a million invalid entries: a million warnings, 1,000 kept
gen million-bad-entries.json '{"history": [' '1,' 1000000 '1]}'
# the reader's worst case for memory: the smallest values, just under 16 MiB
gen flat-16m.json '{"history": [' '0,' 8388600 '0]}'
# Python's NaN, 8 MiB: 2 million words, 2 million warnings (1,000 kept)
gen million-nans.json '{"history": [' 'NaN,' 2097000 'NaN]}'
# a 10 MiB string in an entry that has a NaN: the entry is copied once
gen huge-string-nan.json '{"history": [{"chapter": 16, "design": {"p99_latency_ms": NaN, "serving_strategy": "' \
    'a' 10485760 '"}}]}'
# 17 MiB: over the default --max-size of 16 MiB
gen over-limit-17m.json '' '                ' 1114112 '{}'
