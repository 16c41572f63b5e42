#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages the benchmarks need beyond scripts/deps.sh:
# wrk (HTTP load generator), the sqlite3 shell (the import baseline) and
# Radicale (the calendar server the feed is measured beside).
# Idempotent and quiet when everything is already present.
set -eu
pkgs="wrk sqlite3 radicale"
missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "bench-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
