#!/bin/sh
# Install whatever Debian packages archaudit needs that are missing.
# Runs apt-get as root, or through sudo; otherwise says what to install.
set -eu

PKGS="build-essential pkg-config libcairo2-dev libhpdf-dev libcjson-dev
libcmocka-dev libmd4c-dev libzip-dev zlib1g-dev libdeflate-dev libharfbuzz-dev libfribidi-dev libicu-dev
fonts-dejavu-core libfreetype-dev libharfbuzz-bin fonts-noto-core fonts-noto-mono fonts-noto-cjk
icc-profiles-free poppler-utils qpdf valgrind time python3 python3-pikepdf parallel"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: these Debian packages are missing:$missing" >&2
	echo "deps: install them as root: apt-get install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
