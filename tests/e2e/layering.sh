#!/bin/sh
# The stages keep their types (docs/architecture.md, "Foreign headers" and
# "The stages"):
# 1. cJSON.h is included only by files of the read stage (src/read/).
# 2. struct lvalue, the JSON kind of a ledger's value, is named only in
#    src/read/: after the check stage the model sees typed values.
# Each rule is a grep over src/ and names every file that breaks it.
set -u
fails=0
fail() { echo "layering: FAIL: $*"; fails=$((fails + 1)); }

[ -d src/read ] || { echo "layering: FAIL: run from the top of the tree"; exit 1; }

outside() { # PATTERN: files under src/ outside src/read/ that match
	grep -rlE "$1" src --include='*.c' --include='*.h' | grep -v '^src/read/' | sort
}

bad=$(outside '#[[:space:]]*include[[:space:]]*[<"](cjson/)?cJSON\.h[>"]')
[ -z "$bad" ] || fail "cJSON.h outside src/read/: $(echo $bad)"
n=$(grep -rlE '#[[:space:]]*include[[:space:]]*[<"](cjson/)?cJSON\.h[>"]' src/read | wc -l)
[ "$n" -gt 0 ] || fail "no file of src/read/ includes cJSON.h: is the pattern still right?"

bad=$(outside '\<(struct[[:space:]]+)?lvalue(_[a-z]+)?\>|\<LV_[A-Z]+\>')
[ -z "$bad" ] || fail "struct lvalue (a JSON kind) outside src/read/: $(echo $bad)"
grep -q 'struct lvalue' src/read/ledger.h || fail "struct lvalue is not in src/read/ledger.h: is the pattern still right?"

if [ "$fails" -eq 0 ]; then
	echo "ok   layering: cJSON.h ($n files) and struct lvalue only in src/read/"
fi
[ "$fails" -eq 0 ]
