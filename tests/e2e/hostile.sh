#!/bin/sh
# End-to-end: the adversarial review's findings (reviews/hostile-review.md),
# each as the user would meet it, with its exit status and message.  The
# finding's number is in each case's name.  Run from the repository root;
# ARCHAUDIT_BIN names the program (default build/archaudit).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
check() { # check NAME COMMAND...: COMMAND must succeed
	name=$1; shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}
status() { # status EXPECTED NAME COMMAND...
	want=$1; name=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; got=$?
	if [ "$got" = "$want" ]; then ok "$name (exit $got)"; else
		bad "$name: exit $got, expected $want"; sed 's/^/    /' "$T/err" | head -5; fi
}
has() { grep -q -- "$1" "$T/err"; }

# -- 1: a scenario whose values pass one by one but overflow together
printf '{"h100":{"bw_gbs":1e308},"model":{"params":1e308}}' >"$T/nan1.json"
printf '{"h100":{"cost_per_hour_usd":1e308},"load":{"total_rps":1e308}}' >"$T/nan2.json"
printf '{"model":{"params":1e-320}}' >"$T/nan3.json"
printf '{"drift":{"per_day":1e306}}' >"$T/nan4.json"
for s in nan1 nan2 nan3 nan4; do
	status 2 "1: $s: --grid-json refuses the scenario" "$BIN" --grid-json --scenario "$T/$s.json"
	check "1: $s: the message names the file and a derived quantity" \
	    grep -q "$s.json: error: (derived values): .* is \(infinite\|not a number\) for n_gpus" "$T/err"
	status 2 "1: $s: a report run refuses it before any work" "$BIN" -q -o "$T/o-$s" \
	    --scenario "$T/$s.json" ledgers/ada_complete.json
	check "1: $s: no report written" test ! -e "$T/o-$s/ada_complete.pdf"
done
status 2 "1: nan1 names its keys" "$BIN" --grid-json --scenario "$T/nan1.json"
check "1: nan1: model.params and bytes_per_param named" has 'model.params, model.bytes_per_param.fp16'

# -- 12: a 1 MiB scenario of distinct keys is refused at once, with 20 errors
python3 -c "
import sys
out = []
n = 0
size = 2
while size < 1024 * 1000:
    k = '\"k%d\":0' % n
    out.append(k); size += len(k) + 1; n += 1
sys.stdout.write('{' + ','.join(out) + '}')" >"$T/keys.json"
status 2 "12: a scenario of 90,000 unknown keys is refused" "$BIN" --grid-json --scenario "$T/keys.json"
check "12: at most 21 messages" test "$(wc -l <"$T/err")" -le 21
check "12: says the rest was not read" has 'more than 20 errors; the rest of the file was not read'

[ "$fails" = 0 ]
