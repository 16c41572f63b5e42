#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the npm packages of package-lock.json (playwright-core, for the
# browser tests and the web benchmark) with `npm ci`, when node_modules is
# missing or older than the lock file. Quiet when nothing is to do.
set -eu
cd "$(dirname "$0")/.."
if [ -d node_modules/playwright-core ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
	exit 0
fi
echo "npm-deps: npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
