#!/bin/bash
# SPDX-License-Identifier: MIT
# The search benchmark driver (`make bench-search`, see BENCHMARKS.md).
# Builds what it needs, creates or reuses build/bench/search-<N>.db, then
# times search through the core call and over HTTP, API read throughput
# with wrk, and CSV import, each beside a baseline measured in the same
# run, and prints one table. It only uses 127.0.0.1, stops the server it
# started (by PID) and removes its temporary directory. It prints figures;
# it never fails because a number is slow.
#
#   BENCH_CUSTOMERS  customers in the database (default 1000000)
#   BENCH_QUERIES    customers sampled for queries (default 2000)
#   BENCH_IMPORT     rows in the CSV import (default 100000)
#   BENCH_SECONDS    seconds per wrk run (default 10)
#   AVTALE           the avtale binary to run (default ./avtale)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_CUSTOMERS:-1000000}
QUERIES=${BENCH_QUERIES:-2000}
IMPORT_ROWS=${BENCH_IMPORT:-100000}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
BIN=build/bench/search
AVTALE=${AVTALE:-./avtale}
DB=build/bench/search-$N.db
BENCH_NAME=bench-search
# shellcheck source=bench/lib.sh
. bench/lib.sh

scripts/bench-deps.sh
make -s avtale "$BIN"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=$TMP/rows
: >"$ROWS"

# ---- the database ----
have=""
if [ -f "$DB" ]; then
	have=$(sqlite3 "$DB" 'SELECT count(*) FROM customers' 2>/dev/null || true)
fi
if [ "$have" = "$N" ]; then
	say "reusing $DB ($N customers)"
else
	say "creating $DB with $N customers (a million takes several minutes)"
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
	mkdir -p "$(dirname "$DB")"
	"$BIN" --generate "$N" "$DB.tmp"
	mv "$DB.tmp" "$DB"
fi
ids=$(sqlite3 "$DB" 'SELECT min(id) || " " || max(id) FROM customers')
ID_LO=${ids% *}
ID_HI=${ids#* }

# ---- 1. search through the core call, beside bare SQLite ----
say "part 1: search_run and the SQLite baseline"
"$BIN" "$DB" --queries "$QUERIES" --out "$TMP/queries.tsv" --rows "$ROWS"

# ---- the server, with a static directory for the baselines ----
mkdir "$TMP/static"
start_server "$DB" --static "$TMP/static"

# ---- 2. search over HTTP, beside a static answer of the same size ----
say "part 2: search over HTTP, one client"
"$BIN" --http "$URL" --static-dir "$TMP/static" --rows "$ROWS" \
	"$TMP/queries.tsv"

# ---- 3. read throughput with wrk, beside a static answer ----
mid=$(((ID_LO + ID_HI) / 2))
size=$(curl -s --noproxy '*' -o "$TMP/customer.json" -w '%{size_download}' \
	"${URL}api/v1/customers/$mid")
{
	printf '{"pad":"'
	head -c $((size > 10 ? size - 10 : 1)) /dev/zero | tr '\0' x
	printf '"}'
} >"$TMP/static/customer.json"
cat >"$TMP/ids.lua" <<'EOF'
-- GET /api/v1/customers/{id} for random ids in [BENCH_ID_LO, BENCH_ID_HI]
local lo = tonumber(os.getenv("BENCH_ID_LO"))
local hi = tonumber(os.getenv("BENCH_ID_HI"))
request = function()
	return wrk.format("GET", "/api/v1/customers/" .. math.random(lo, hi))
end
EOF

# Requests/s of one wrk run; non-2xx answers are reported on stderr.
wrk_rps() {
	local conns=$1 target=$2 out
	shift 2
	out=$(BENCH_ID_LO=$ID_LO BENCH_ID_HI=$ID_HI \
		wrk -t2 -c"$conns" -d"${SECONDS_PER_RUN}s" "$@" "$target")
	if grep -q 'Non-2xx' <<<"$out"; then
		say "wrk $target: $(grep 'Non-2xx' <<<"$out")"
	fi
	awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out"
}

say "part 3: throughput, customer record ($size bytes) vs static file"
wrk_rps 64 "$URL" -s "$TMP/ids.lua" >/dev/null # warm-up
for c in 64 256; do
	api=$(wrk_rps "$c" "$URL" -s "$TMP/ids.lua")
	st=$(wrk_rps "$c" "${URL}customer.json")
	say "  $c connections: API $api req/s, static $st req/s"
	printf 'wrk\t%s\t%s\t%s\t%s\n' "$c" "$api" "$st" "$size" >>"$ROWS"
done

kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# ---- 4. CSV import, beside the sqlite3 shell's .import ----
say "part 4: CSV import of $IMPORT_ROWS rows"
"$BIN" --csv "$IMPORT_ROWS" "$DB" "$TMP/import.csv"
$AVTALE --db "$TMP/import.db" init >/dev/null # not timed: an empty database
t0=$(now)
if $AVTALE --db "$TMP/import.db" import customers "$TMP/import.csv" \
	>"$TMP/import.out" 2>"$TMP/import.err"; then
	t1=$(now)
	got=$(sqlite3 "$TMP/import.db" 'SELECT count(*) FROM customers')
	imp=$(awk -v n="$got" -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.0f", n / (b - a) }')
	say "  avtale import: $got rows in $(awk -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.2f", b - a }') s"
else
	imp="failed"
	say "  avtale import failed: $(tail -n 3 "$TMP/import.err")"
fi
t0=$(now)
sqlite3 "$TMP/plain.db" '.mode csv' '.separator ;' \
	".import $TMP/import.csv t"
t1=$(now)
got=$(sqlite3 "$TMP/plain.db" 'SELECT count(*) FROM t')
base=$(awk -v n="$got" -v a="$t0" -v b="$t1" \
	'BEGIN { printf "%.0f", n / (b - a) }')
say "  sqlite3 .import: $got rows in $(awk -v a="$t0" -v b="$t1" \
	'BEGIN { printf "%.2f", b - a }') s"
printf 'import\t%s\t%s\t%s\n' "$IMPORT_ROWS" "$imp" "$base" >>"$ROWS"

# ---- the table ----
echo
printf 'bench-search: %s customers, %s queries per kind, %s cores (%s), ' \
	"$N" "$QUERIES" "$(nproc)" \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
printf 'SQLite %s, %s\n' "$(sqlite3 --version | cut -d' ' -f1)" "$(date -u +%F)"
# Other work on the machine skews every figure: show how busy it was.
printf 'load average (1, 5, 15 min) at start %s, at end %s\n' "$LOAD_START" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' '
$1 == "core" || $1 == "http" || $1 == "sqlite" || $1 == "static" {
	key = $1 SUBSEP $2
	p50[key] = $3; p99[key] = $4; avg[key] = $5; found[key] = $6
	full[key] = $7
	if ($1 == "static") static_key = key
}
$1 == "wrk" { wrk[$2] = $3 "\t" $4; wrk_size = $5 }
$1 == "import" { imp_rows = $2; imp = $3; imp_base = $4 }
function row(label, k, b, bl) {
	printf "%-22s %8s %8s %8s %6s%% %5s%%   %-20s %7s %7s %7s\n", label,
	    p50[k], p99[k], avg[k], found[k], full[k], bl, p50[b], p99[b],
	    avg[b]
}
END {
	split("phone number contact company", kinds, " ")
	printf "\nsearch latency, microseconds (found: the sampled customer is a hit; full: 20 hits)\n"
	printf "%-22s %8s %8s %8s %7s %6s   %-20s %7s %7s %7s\n", "", "p50",
	    "p99", "mean", "found", "full", "baseline", "p50", "p99", "mean"
	for (i = 1; i <= 4; i++)
		row(kinds[i] " search_run", "core" SUBSEP kinds[i],
		    "sqlite" SUBSEP kinds[i],
		    kinds[i] == "phone" ? "SQLite phones.key=" : \
		    kinds[i] == "number" ? "SQLite number_key=" : \
		    "SQLite FTS5 MATCH")
	split(static_key, sk, SUBSEP)
	for (i = 1; i <= 4; i++)
		row(kinds[i] " HTTP", "http" SUBSEP kinds[i], static_key,
		    sk[2])
	printf "\nAPI read throughput, wrk -t2, GET /api/v1/customers/{id} (%s bytes)\n", wrk_size
	printf "%-22s %12s %14s %8s\n", "", "API req/s", "static req/s",
	    "ratio"
	split("64 256", conns, " ")
	for (i = 1; i <= 2; i++) {
		c = conns[i]
		split(wrk[c], w, "\t")
		printf "%-22s %12s %14s %7.0f%%\n", c " connections", w[1],
		    w[2], w[2] ? 100 * w[1] / w[2] : 0
	}
	printf "\nCSV import, %s rows\n", imp_rows
	printf "%-22s %12s %14s\n", "", "avtale rows/s", "sqlite3 rows/s"
	printf "%-22s %12s %14s\n", "import customers", imp, imp_base
}' "$ROWS"
