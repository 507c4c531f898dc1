# Sourced by the end-to-end scripts (run from the repository root), after
# they set T (their temporary folder).  One way to report a check:
#   ok NAME / bad NAME        a line "ok   NAME" or "FAIL NAME"; bad counts
#   check NAME COMMAND...     COMMAND must succeed; on failure it prints what
#                             was expected (the command, its arguments
#                             expanded) and what it got (the file it read)
#   status WANT NAME CMD...   CMD must exit WANT; stdout in $T/out, stderr
#                             in $T/err, shown on failure
#   same_text WANT GOT        GOT has WANT's bytes, else the diff; with
#                             REGEN=1 it rewrites the golden WANT instead
# The script ends with [ "$fails" = 0 ].
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }
skip() { printf 'skip %s\n' "$1"; }

# explain COMMAND...: after a failed check, what it expected and what it got.
explain() {
	printf '    expected:'
	for a in "$@"; do printf " '%s'" "$a"; done
	printf '\n'
	for last in "$@"; do :; done
	case $1 in
	grep)
		if [ -f "$last" ]; then
			printf '    got (%s, %s lines):\n' "$last" "$(wc -l <"$last")"
			head -n 12 "$last" | cut -c1-200 | sed 's/^/      /'
		fi ;;
	cmp)
		shift $(($# - 2))
		printf '    got: %s\n' "$(cmp "$1" "$2" 2>&1 | head -n 1)" ;;
	esac
}
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else bad "$name"; explain "$@"; fi
}
status() {
	want=$1; name=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; got=$?
	if [ "$got" = "$want" ]; then ok "$name (exit $got)"; else
		bad "$name: exit $got, expected $want"
		sed 's/^/    stderr: /' "$T/err" | head -n 5 | cut -c1-200
	fi
}
same_text() {
	if [ "${REGEN:-}" = 1 ]; then
		cp "$2" "$1"
		return 0
	fi
	cmp -s "$1" "$2" && return 0
	diff -u "$1" "$2" | head -n 40 | sed 's/^/    /'
	return 1
}

# Helpers shared by the batch scripts.
same_tree() { # same_tree A B: the same file names, each byte-identical
	[ "$(cd "$1" && ls)" = "$(cd "$2" && ls)" ] || {
		echo "    files: $(cd "$1" && ls | tr '\n' ' ')"
		echo "    vs:    $(cd "$2" && ls | tr '\n' ' ')"
		return 1
	}
	for f in "$1"/*; do
		cmp -s "$f" "$2/$(basename "$f")" || { echo "    differs: $f"; return 1; }
	done
}
all_pdfs_whole() { # every PDF in DIR passes qpdf --check
	for f in "$1"/*.pdf; do
		[ -e "$f" ] || continue
		qpdf --check "$f" >/dev/null 2>&1 || { echo "    broken: $f"; return 1; }
	done
}
no_temps() { ! ls -a "$1" | grep -q '\.tmp\.'; }
make_class() { # make_class DIR N: N ledgers cycling through the samples
	mkdir -p "$1"
	set -- "$1" "$2" ledgers/*.json
	d=$1; n=$2; shift 2
	i=1
	while [ "$i" -le "$n" ]; do
		k=$(( (i - 1) % $# + 1 ))
		eval "src=\${$k}"
		cp "$src" "$d/s$(printf %03d "$i").json"
		i=$((i + 1))
	done
}
