#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs every Debian package that building, running and testing Avtale need.
# Idempotent and quiet when everything is already present; used by `make`, CI and new machines.
set -eu
pkgs="build-essential pkg-config libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev \
libutf8proc-dev libsodium-dev libical-dev libicu-dev libcmocka-dev libcurl4-openssl-dev \
curl jq ca-certificates tzdata clang-format cppcheck khal vdirsyncer python3-aiosmtpd \
chromium fonts-dejavu-core"
missing=""
# The browser tests run Node.js: Debian's nodejs and npm unless a node and
# an npm are already on the PATH (from another packaging of Node.js).
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
