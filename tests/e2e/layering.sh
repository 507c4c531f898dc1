#!/bin/sh
# The stages keep their types (docs/architecture.md, "Foreign headers" and
# "The stages"):
# 1. cJSON.h is included only by files of the read stage (src/read/).
# 2. struct lvalue, the JSON kind of a ledger's value, is named only in
#    src/read/: after the check stage (check.c) the model sees typed values.
# 3. An include of one of our headers names its stage ("read/ledger.h"),
#    so the line says where a dependency comes from.
# Each rule is a grep over src/ and names every file that breaks it.  The
# rules are run once on a made-up tree that breaks each, so they are known
# to fail when they should.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "layering: FAIL: $*"; fails=$((fails + 1)); }

[ -d src/read ] || { echo "layering: FAIL: run from the top of the tree"; exit 1; }

CJSON='#[[:space:]]*include[[:space:]]*[<"](cjson/)?cJSON\.h[>"]'
LVALUE='\<(struct[[:space:]]+)?lvalue(_[a-z]+)?\>|\<LV_[A-Z]+\>'

# outside ROOT PATTERN: files under ROOT/src outside ROOT/src/read/ that match
outside() {
	(cd "$1" && grep -rlE "$2" src --include='*.c' --include='*.h' | grep -v '^src/read/' | sort)
}

# flat ROOT: our headers included without their stage folder ("file:line")
flat() {
	(cd "$1" && grep -rnE '^#[[:space:]]*include[[:space:]]*"[^/"]+\.h"' src --include='*.c' --include='*.h' |
	    cut -d: -f1,2 | sort)
}

# 0. The rules catch a tree that breaks them.
mkdir -p "$T/src/read" "$T/src/model" "$T/src/run"
printf '#include <cJSON.h>\nstruct lvalue { int kind; };\n' >"$T/src/read/ok.c"
printf '#include "base/util.h"\n# include <cjson/cJSON.h>\n' >"$T/src/run/bad.c"
printf 'static int f(const struct lvalue *v) { return v->kind == LV_NUMBER; }\n' >"$T/src/model/bad.h"
[ "$(outside "$T" "$CJSON")" = "src/run/bad.c" ] || fail "rule 1 does not catch a made-up file"
[ "$(outside "$T" "$LVALUE")" = "src/model/bad.h" ] || fail "rule 2 does not catch a made-up file"
printf '#include "base/util.h"\n#include "ledger.h"\n' >"$T/src/model/flat.c"
[ "$(flat "$T")" = "src/model/flat.c:2" ] || fail "rule 3 does not catch a made-up file"

# 1. cJSON.h
bad=$(outside . "$CJSON")
[ -z "$bad" ] || fail "cJSON.h outside src/read/: $(echo $bad)"
n=$(grep -rlE "$CJSON" src/read | wc -l)

# 2. struct lvalue
bad=$(outside . "$LVALUE")
[ -z "$bad" ] || fail "struct lvalue (a JSON kind) outside src/read/: $(echo $bad)"

# 3. includes name their stage
bad=$(flat .)
[ -z "$bad" ] || fail "an include without its stage folder: $(echo $bad)"

if [ "$fails" -eq 0 ]; then
	echo "ok   layering: cJSON.h ($n files) and struct lvalue only in src/read/; includes name their stage"
fi
[ "$fails" -eq 0 ]
