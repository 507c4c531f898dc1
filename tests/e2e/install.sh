#!/bin/sh
# End-to-end: make install and make uninstall into a staging folder
# (DESTDIR), as a user or a packager runs them.  The installed program
# writes a report from another folder without -t, finding its templates
# beside itself (BINDIR/../share/archaudit); the whole tree moved elsewhere
# still works; ARCHAUDIT_TEMPLATES and -t take precedence; with no templates
# anywhere the error names the places looked and -t; the manual renders;
# uninstall removes every file install wrote.  Run from the repository
# root; ARCHAUDIT_BIN names the build's program (its folder is the BUILD).
set -u
BIN=${ARCHAUDIT_BIN:-build/archaudit}
BUILD=$(dirname "$BIN")
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/e2e/lib.sh

if [ ! -f "$BUILD/datadir.stamp" ]; then
	skip "install: $BIN is not a build's program (the valgrind wrapper?)"
	exit 0
fi
# The build's own PREFIX (read back from the stamp), so nothing is rebuilt.
PKG=$(cat "$BUILD/datadir.stamp")
PREFIX=${PKG%/share/archaudit}
export SOURCE_DATE_EPOCH=1767225600
status 0 "make install DESTDIR=..." make --no-print-directory -s BUILD="$BUILD" \
    PREFIX="$PREFIX" DESTDIR="$T/stage" install
P=$T/stage$PREFIX
for f in bin/archaudit share/archaudit/templates/audit.md \
    share/archaudit/templates/class.md share/archaudit/templates/partials \
    share/man/man1/archaudit.1 share/doc/archaudit/README.md \
    share/doc/archaudit/docs/scenario.md; do
	check "installed $f" test -e "$P/$f"
done
check "the program is executable" test -x "$P/bin/archaudit"

mkdir "$T/elsewhere"
cp ledgers/ada_complete.json "$T/elsewhere/"
cd "$T/elsewhere" || exit 1
status 0 "the installed program writes a report from another folder" \
    "$P/bin/archaudit" -q -o reports ada_complete.json
check "the report is there" test -s reports/ada_complete.pdf
"$ROOT/$BIN" -q -o ref ada_complete.json
check "the same bytes as the build's program" cmp -s reports/ada_complete.pdf ref/ada_complete.pdf

mv "$T/stage" "$T/moved"
M=$T/moved$PREFIX
status 0 "the tree moved elsewhere still finds its templates" \
    "$M/bin/archaudit" -q -o moved ada_complete.json

mkdir -p "$T/tpl/partials"
cp "$ROOT"/templates/*.md "$T/tpl/"
cp "$ROOT"/templates/partials/*.md "$T/tpl/partials/"
printf '\n# ZZ-MARKER-FROM-ENV\n' >>"$T/tpl/audit.md"
ARCHAUDIT_TEMPLATES=$T/tpl status 0 "ARCHAUDIT_TEMPLATES" \
    "$M/bin/archaudit" -q --markdown -o env ada_complete.json
check "ARCHAUDIT_TEMPLATES is used" grep -q ZZ-MARKER-FROM-ENV env/ada_complete.md
ARCHAUDIT_TEMPLATES=/nonexistent status 0 "-t wins over ARCHAUDIT_TEMPLATES" \
    "$M/bin/archaudit" -q --markdown -t "$T/tpl" -o t ada_complete.json
ARCHAUDIT_TEMPLATES=/nonexistent status 2 "a wrong ARCHAUDIT_TEMPLATES is an error" \
    "$M/bin/archaudit" -q -o bad ada_complete.json
check "it names the variable" grep -q "ARCHAUDIT_TEMPLATES=/nonexistent: no readable audit.md" "$T/err"

mkdir -p "$T/bare/bin"
cp "$M/bin/archaudit" "$T/bare/bin/"
if [ -e "$PKG/templates/audit.md" ]; then
	skip "no templates anywhere: $PKG holds templates on this machine"
else
	status 2 "no templates anywhere is an error" "$T/bare/bin/archaudit" -q -o none ada_complete.json
	check "it names the places looked" grep -q \
	    "looked in $T/bare/bin/../share/archaudit/templates, $T/bare/bin/../templates, $PKG/templates" "$T/err"
	check "it mentions -t" grep -q -- "-t DIR" "$T/err"
	check "nothing was written" test ! -e none
fi

cd "$ROOT" || exit 1
check "the manual renders" sh -c "man -l '$M/share/man/man1/archaudit.1' 2>&1 | grep -q ARCHAUDIT_TEMPLATES"
mv "$T/moved" "$T/stage"
status 0 "make uninstall DESTDIR=..." make --no-print-directory -s BUILD="$BUILD" \
    PREFIX="$PREFIX" DESTDIR="$T/stage" uninstall
check "uninstall leaves no file" test -z "$(find "$T/stage" -type f)"
[ "$fails" = 0 ]
