#!/bin/sh
# make dist: archaudit-VERSION.tar.gz from the committed tree (HEAD; what
# is not committed is not in it).  Reproducible: the files are sorted, owned
# by root, dated SOURCE_DATE_EPOCH (default: the commit's date), and gzip
# stores no name or time, so one commit gives the same bytes on every run.
# Usage: dist.sh VERSION
set -eu
VERSION=${1:?usage: dist.sh VERSION}
NAME=archaudit-$VERSION
EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
git archive --format=tar --prefix="$NAME/" HEAD | tar -x -C "$T"
tar -C "$T" --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
    --mode='u+rw,go=rX' --format=posix \
    --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -cf - "$NAME" | gzip -9 -n >"$NAME.tar.gz.tmp"
mv "$NAME.tar.gz.tmp" "$NAME.tar.gz"
if ! git diff --quiet HEAD 2>/dev/null; then
	echo "dist: note: uncommitted changes are not in $NAME.tar.gz" >&2
fi
echo "dist: $NAME.tar.gz ($(wc -c <"$NAME.tar.gz") bytes, sha256 $(sha256sum "$NAME.tar.gz" | cut -c1-16)...)"
