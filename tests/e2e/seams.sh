#!/bin/sh
# The seams of docs/architecture.md, checked on the source text:
# 1. A view (src/view/*.c) calls no function of the model or the reader
#    (src/model/*.h, src/read/*.h) except those of results.h: it presents
#    the struct results it is handed and asks nothing back.
# 2. A view includes no model or reader header but results.h, and no
#    header of the run stage (src/run/): it builds values, the run stage
#    typesets them (report.c).
# The check is run once on a made-up view that breaks each rule, so it
# is known to fail when it should.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

# Function names declared in the headers $@ ("name(" after a type).
declared() {
	cat "$@" | tr '\n' ' ' | tr ';' '\n' | grep -v '^ *#' |
	    sed -n 's/.*[ *]\([a-z_][a-z0-9_]*\)(.*/\1/p' | sort -u
}

model_h=$(ls src/model/*.h src/read/*.h | grep -v '/results\.h$')
declared $model_h >"$T/forbidden"
declared src/model/results.h >"$T/allowed"
# a name results.h declares too is allowed
grep -vxF -f "$T/allowed" "$T/forbidden" >"$T/forbidden.1"
mv "$T/forbidden.1" "$T/forbidden"

# calls FILE...: "file: name" for each forbidden function a file calls.
calls() {
	for f in "$@"; do
		# comments and strings out, then every identifier before "("
		sed 's://.*$::; s:"[^"]*"::g' "$f" |
		    grep -o '[A-Za-z_][A-Za-z0-9_]*[ ]*(' | tr -d ' (' | sort -u |
		    grep -xF -f "$T/forbidden" | sed "s|^|$f: |"
	done
}

# includes FILE...: "file: header" for each model, reader or run header included.
includes() {
	for f in "$@"; do
		sed -n 's/^#include "\(.*\)"/\1/p' "$f" | while read -r h; do
			b=${h##*/}
			[ "$b" = results.h ] && continue
			if [ -f "src/model/$b" ] || [ -f "src/read/$b" ] || [ -f "src/run/$b" ]; then
				echo "$f: $h"
			fi
		done
	done
}

[ -s "$T/forbidden" ] && ok "model functions found ($(wc -l <"$T/forbidden"))" ||
    bad "no model function found in $model_h"

# the check itself fails on a view that breaks the rules
cat >"$T/bad_view.c" <<'EOC'
#include "model/engine.h"
#include "run/report.h"
#include "model/results.h"
/* quant_label(x) in a comment is fine */
static const char *f(enum quant q) { return quant_label(q); }
EOC
calls "$T/bad_view.c" >"$T/got"
check "a call of quant_label is found" grep -q ': quant_label$' "$T/got"
includes "$T/bad_view.c" >"$T/got"
check "an include of engine.h is found" grep -q ': model/engine.h$' "$T/got"
check "an include of report.h is found" grep -q ': run/report.h$' "$T/got"

calls src/view/*.c >"$T/calls"
if [ -s "$T/calls" ]; then
	bad "views call the model only through results.h"
	sed 's/^/    /' "$T/calls"
else
	ok "views call the model only through results.h"
fi
includes src/view/*.c src/view/*.h >"$T/incl"
if [ -s "$T/incl" ]; then
	bad "views include no model header but results.h, no run header"
	sed 's/^/    /' "$T/incl"
else
	ok "views include no model header but results.h, no run header"
fi
[ "$fails" = 0 ]
