#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the npm packages of package-lock.json (playwright-core, for the
# browser tests and the web benchmark) with `npm ci`, unless node_modules
# already holds every one of them at its locked version. Quiet when
# nothing is to do.
set -eu
cd "$(dirname "$0")/.."
if node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
for (const [path, p] of Object.entries(lock.packages || {})) {
  if (!path) continue;
  let have = null;
  try { have = JSON.parse(fs.readFileSync(path + "/package.json", "utf8")).version; } catch (_) {}
  if (have !== p.version) process.exit(1);
}' 2>/dev/null; then
	exit 0
fi
echo "npm-deps: npm ci" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
