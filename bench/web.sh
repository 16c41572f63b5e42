#!/bin/bash
# SPDX-License-Identifier: MIT
# The web UI benchmark (`make bench-web`, see BENCHMARKS.md): Debian's
# chromium through playwright-core times (1) the first page until usable
# on the demo data, (2) search results after typing at a million customers,
# (3) the month view of a busy rep, each beside the bare API (and static)
# requests the page makes, sent from Node in the same run. Prints figures;
# never fails because a number is slow. Only uses 127.0.0.1 and stops the
# servers it started by PID.
#
#   BENCH_CUSTOMERS  customers in the search database (default 1000000;
#                    build/bench/search-<N>.db, shared with bench-search)
#   BENCH_QUERIES    customers sampled for search queries (default 10: 40
#                    queries, typed)
#   BENCH_RUNS       page loads and month renders timed (default 20)
#   AVTALE           the avtale binary (default ./avtale)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_CUSTOMERS:-1000000}
QUERIES=${BENCH_QUERIES:-10}
RUNS=${BENCH_RUNS:-20}
AVTALE=${AVTALE:-./avtale}
SEARCH_BIN=build/bench/search
SEARCH_DB=build/bench/search-$N.db
DEMO_DB=build/bench/web-demo.db
BUSY_DB=build/bench/web-busy.db
PASSWORD=bench-web-password-1
BENCH_NAME=bench-web
# shellcheck source=bench/lib.sh
. bench/lib.sh

scripts/bench-deps.sh
scripts/npm-deps.sh
make -s avtale "$SEARCH_BIN"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=$TMP/rows
: >"$ROWS"

stop_server() {
	kill "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

# ---- 1. the first page, on `make run`'s demo data ----
if [ ! -f "$DEMO_DB" ]; then
	mkdir -p build/bench
	"$AVTALE" --db "$DEMO_DB" demo --customers 2000 >/dev/null
fi
REP=kari.nordmann@demo.avtale.no
printf '%s\n' "$PASSWORD" | "$AVTALE" --db "$DEMO_DB" user passwd "$REP" --password-stdin
start_server "$DEMO_DB" --insecure-cookie
say "part 1: first page ($RUNS loads)"
node bench/web.mjs first "${URL%/}" "$REP" "$PASSWORD" "$RUNS" >>"$ROWS"
stop_server

# ---- 2. search after typing, at N customers ----
have=""
[ -f "$SEARCH_DB" ] && have=$(sqlite3 "$SEARCH_DB" 'SELECT count(*) FROM customers' 2>/dev/null || true)
if [ "$have" != "$N" ]; then
	say "creating $SEARCH_DB with $N customers (a million takes about 12 minutes)"
	rm -f "$SEARCH_DB" "$SEARCH_DB-wal" "$SEARCH_DB-shm"
	mkdir -p build/bench
	"$SEARCH_BIN" --generate "$N" "$SEARCH_DB.tmp"
	mv "$SEARCH_DB.tmp" "$SEARCH_DB"
fi
# the query sample of bench-search: phone (written another way), number,
# contact, company word
"$SEARCH_BIN" "$SEARCH_DB" --queries "$QUERIES" --out "$TMP/queries.tsv" \
	--rows "$TMP/search-rows" >/dev/null 2>&1
printf '%s\n' "$PASSWORD" | "$AVTALE" --db "$SEARCH_DB" user passwd admin --password-stdin
start_server "$SEARCH_DB" --insecure-cookie
say "part 2: search, $(wc -l <"$TMP/queries.tsv") queries typed"
node bench/web.mjs search "${URL%/}" admin "$PASSWORD" "$TMP/queries.tsv" >>"$ROWS"
stop_server

# ---- 3. the month view of a busy rep ----
if [ ! -f "$BUSY_DB" ]; then
	# two reps a territory, twenty appointments a customer
	"$AVTALE" --db "$BUSY_DB" demo --customers 2000 --reps 2 --appointments 20 >/dev/null
fi
busy=$(sqlite3 -separator ' ' "$BUSY_DB" "SELECT u.email, strftime('%Y-%m', a.start_utc, 'unixepoch') AS m, count(*) AS n
	FROM appointments a JOIN users u ON u.id = a.owner_id GROUP BY a.owner_id, m ORDER BY n DESC LIMIT 1")
read -r BUSY_REP BUSY_MONTH BUSY_N <<<"$busy"
printf '%s\n' "$PASSWORD" | "$AVTALE" --db "$BUSY_DB" user passwd "$BUSY_REP" --password-stdin
start_server "$BUSY_DB" --insecure-cookie
say "part 3: month $BUSY_MONTH of $BUSY_REP ($BUSY_N stored appointments held)"
node bench/web.mjs month "${URL%/}" "$BUSY_REP" "$PASSWORD" "$BUSY_MONTH-15" "$RUNS" >>"$ROWS"
stop_server

# ---- the table ----
echo
printf 'bench-web: %s, %s cores (%s), %s\n' "$(chromium --version 2>/dev/null | head -n 1)" \
	"$(nproc)" "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" "$(date -u +%F)"
printf 'load average (1, 5, 15 min) at start %s, at end %s\n' "$LOAD_START" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
printf '\n%-34s %5s %9s %9s %13s %13s %7s\n' "what (ms)" n p50 p95 "baseline p50" "baseline p95" aim
awk -F'\t' -v busy="$BUSY_N" -v cust="$N" '
$1 == "first" { printf "%-34s %5s %9s %9s %13s %13s %7s\n", "first page: " $2, $3, $4, $5, $6, $7, "1000" }
$1 == "search" { printf "%-34s %5s %9s %9s %13s %13s %7s\n", "search at " cust ": " $2, $3, $4, $5, $6, $7, "100" }
$1 == "month" { printf "%-34s %5s %9s %9s %13s %13s %7s\n", "month view (" $2 " shown)", $3, $4, $5, $6, $7, "300" }
' "$ROWS"
cat <<'EOT'

first page: navigation start to the calendar drawn (or the sign-in form);
  baseline: the document, its scripts and styles, /me, the catalogue and
  the calendar fetched from Node in the page's order.
search: the last key typed to the results drawn (next frame); baseline: the
  same /api/v1/search from Node.
month view: the hash change to the month drawn (next frame); baseline: the
  same /api/v1/calendar from Node.
EOT
