#!/bin/sh
# make deb-check: build the Debian package in a clean clone of HEAD
# (dpkg-buildpackage -us -uc -b, which runs make check), run lintian on it
# (any error or warning fails), unpack it with dpkg-deb -x and run the
# unpacked /usr/bin/archaudit from another folder on a sample ledger: it
# must find its templates beside itself and write a whole PDF.  Needs the
# Build-Depends of debian/control, lintian and qpdf; installs nothing.
# Commit first: what is not committed is not built.  KEEP=DIR keeps the
# .deb files in DIR.  A few minutes on 2 cores.
set -u
ROOT=$(pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "deb-check: FAIL: $*" >&2; exit 1; }

git clone -q "$ROOT" "$T/src/archaudit" || fail "git clone"
cd "$T/src/archaudit" || exit 1
echo "deb-check: dpkg-buildpackage -us -uc -b in a clean clone (log: $T/build.log)"
if ! dpkg-buildpackage -us -uc -b >"$T/build.log" 2>&1; then
	tail -40 "$T/build.log" >&2
	fail "dpkg-buildpackage failed"
fi
grep -q 'make.* check' "$T/build.log" || fail "the package build did not run make check"
grep -q 'scripts/deps.sh\|apt-get' "$T/build.log" && fail "the package build ran make deps"
cd "$T/src" || exit 1
deb=$(ls archaudit_*.deb | head -1)
changes=$(ls archaudit_*.changes | head -1)
[ -n "$deb" ] || fail "no .deb written"
echo "deb-check: built $deb"

lintian --fail-on error,warning "$changes" >"$T/lintian.log" 2>&1
rc=$?
cat "$T/lintian.log"
[ "$rc" = 0 ] || fail "lintian reports errors or warnings (above)"
echo "deb-check: lintian: no error, no warning"

dpkg-deb -f "$deb" Depends | tee "$T/depends"
for p in fonts-dejavu-core fonts-noto-core fonts-noto-mono fonts-noto-cjk icc-profiles-free libcairo2 libharfbuzz libhpdf libzip4 libicu72; do
	grep -q "$p" "$T/depends" || fail "Depends lacks $p"
done
dpkg-deb -c "$deb" >"$T/contents"
for f in ./usr/bin/archaudit ./usr/share/archaudit/templates/audit.md \
    ./usr/share/archaudit/templates/class.md ./usr/share/man/man1/archaudit.1.gz \
    ./usr/share/doc/archaudit/README.md; do
	grep -q " $f" "$T/contents" || grep -q " $f.gz" "$T/contents" || fail "the package lacks $f"
done

dpkg-deb -x "$deb" "$T/unpacked"
mkdir "$T/elsewhere"
cp "$ROOT/ledgers/ada_complete.json" "$T/elsewhere/"
cd "$T/elsewhere" || exit 1
if ! "$T/unpacked/usr/bin/archaudit" -q -o reports ada_complete.json 2>"$T/run.err"; then
	cat "$T/run.err" >&2
	fail "the unpacked program did not write a report"
fi
qpdf --check reports/ada_complete.pdf >/dev/null 2>&1 || fail "the report is not a whole PDF"
echo "deb-check: the unpacked program wrote $(wc -c <reports/ada_complete.pdf) bytes from $T/elsewhere"
if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP" && cp "$T/src"/archaudit_* "$KEEP/"
	echo "deb-check: kept $(cd "$T/src" && ls archaudit_* | tr '\n' ' ')in $KEEP"
fi
echo "deb-check: passed"
