#!/bin/bash
# SPDX-License-Identifier: MIT
# The appointments benchmark driver (see BENCHMARKS.md). Builds what it
# needs, creates or reuses build/bench/appt-<customers>-<appointments>.db,
# then times the record's tab and a rep's week through the library beside
# one indexed SQLite query, durable bookings beside the disk's raw
# fdatasync rate, and the same reads and bookings over HTTP beside a static
# file of the same size, and prints one table. It only uses 127.0.0.1,
# stops the server it started (by PID), removes the bookings it made and
# its temporary directory. It prints figures; it never fails because a
# number is slow.
#
#   BENCH_CUSTOMERS     customers in the database (default 1000000)
#   BENCH_APPOINTMENTS  appointments in the fixture (default 10000000)
#   BENCH_SAMPLES       customers, reps and weeks sampled (default 2000)
#   BENCH_SECONDS       seconds per booking run (default 3)
#   AVTALE              the avtale binary (default build/avtale: ./avtale
#                       cannot be replaced while another benchmark's
#                       server runs it)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_CUSTOMERS:-1000000}
M=${BENCH_APPOINTMENTS:-10000000}
SAMPLES=${BENCH_SAMPLES:-2000}
SECS=${BENCH_SECONDS:-3}
BIN=build/bench/appointments
AVTALE=${AVTALE:-build/avtale}
DB=build/bench/appt-$N-$M.db
# the search benchmark's customers, copied (never changed) when present
CUSTOMERS_DB=build/bench/search-$N.db
BENCH_NAME=bench-appointments
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [ -x scripts/bench-deps.sh ]; then
	scripts/bench-deps.sh
fi
make -s build/avtale "$BIN"
ROWS=$TMP/rows
: >"$ROWS"

# ---- the database ----
have=""
if [ -f "$DB" ]; then
	have=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM customers) || ' ' ||
		(SELECT value FROM settings WHERE key = 'bench.fixture_max_id')" \
		2>/dev/null || true)
fi
if [ "$have" = "$N $M" ]; then
	say "reusing $DB ($N customers, $M appointments)"
	"$BIN" --cleanup "$DB" # bookings left by an interrupted run
else
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
	mkdir -p "$(dirname "$DB")"
	t0=$(now)
	from=""
	if [ -f "$CUSTOMERS_DB" ]; then
		from=$(sqlite3 "$CUSTOMERS_DB" 'SELECT count(*) FROM customers' \
			2>/dev/null || true)
	fi
	if [ "$from" = "$N" ]; then
		say "copying the customers of $CUSTOMERS_DB"
		sqlite3 "$CUSTOMERS_DB" ".backup '$DB.tmp'"
	else
		say "creating $N demo customers (a million takes 10-16 minutes)"
		"$AVTALE" --db "$DB.tmp" demo --customers "$N" --appointments 0 \
			>&2
	fi
	t1=$(now)
	"$BIN" --load "$M" "$DB.tmp"
	t2=$(now)
	mv "$DB.tmp" "$DB"
	[ -f "$DB.tmp-wal" ] && mv "$DB.tmp-wal" "$DB-wal"
	rm -f "$DB.tmp-shm"
	printf 'info\tsetup_customers\t%.0f\n' \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" >>"$ROWS"
	printf 'info\tsetup_load\t%.0f\n' \
		"$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')" >>"$ROWS"
fi
printf 'info\tdb_bytes\t%s\n' "$(stat -c %s "$DB")" >>"$ROWS"

# ---- 1. the library beside one indexed SQLite query ----
say "part 1: appt_tab and appt_occurrences, and the SQLite baselines"
"$BIN" "$DB" --samples "$SAMPLES" --out "$TMP/samples.tsv" --rows "$ROWS"

# ---- 2. durable bookings through the service, beside raw fdatasync ----
say "part 2: durable bookings through appt_book for $SECS s"
"$BIN" --book "$DB" --seconds "$SECS" --rows "$ROWS"

# ---- 3. the same over HTTP, beside a static file of the same size ----
mkdir "$TMP/static"
start_server "$DB" --static "$TMP/static"
cid=$(head -n 1 "$TMP/samples.tsv" | cut -f1)
code=$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' \
	"${URL}api/v1/customers/$cid/appointments?when=past" || true)
if [ "$code" = 200 ]; then
	say "part 3: HTTP, one keep-alive client; bookings for $SECS s"
	"$BIN" --http "$URL" --db "$DB" --static-dir "$TMP/static" \
		--seconds "$SECS" --rows "$ROWS" "$TMP/samples.tsv"
else
	say "part 3 pending: GET /api/v1/customers/{id}/appointments answers" \
		"$code; once the API is there run: bench/appointments.sh"
	printf 'info\thttp_pending\t%s\n' "$code" >>"$ROWS"
fi
kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
"$BIN" --cleanup "$DB"

# ---- the table ----
echo
printf 'bench-appointments: %s customers, %s appointments, %s cores (%s), ' \
	"$N" "$M" "$(nproc)" \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
printf 'SQLite %s, %s\n' "$(sqlite3 --version | cut -d' ' -f1)" "$(date -u +%F)"
awk -F'\t' '
$1 == "lat" { p50[$2] = $3; p99[$2] = $4; rows[$2] = $6; err[$2] = $8 }
$1 == "rate" { rate[$2] = $3; cnt[$2] = $4 }
$1 == "info" { info[$2] = $3 }
function lat(label, k, bl, b) {
	if (!(k in p50))
		return
	printf "%-34s %8s %8s %7s   %-26s %7s %7s%s\n", label, p50[k], p99[k],
	    rows[k], bl, (b in p50) ? p50[b] : "", (b in p99) ? p99[b] : "",
	    err[k] ? "  (" err[k] " errors)" : ""
}
END {
	printf "\nlatency, microseconds (rows: items per answer)\n"
	printf "%-34s %8s %8s %7s   %-26s %7s %7s\n", "", "p50", "p99",
	    "rows", "baseline", "p50", "p99"
	lat("tab past: appt_tab", "lib_past", "SQLite one query", "sql_past")
	lat("tab upcoming: appt_tab", "lib_upcoming", "SQLite one query",
	    "sql_upcoming")
	lat("rep week: appt_occurrences", "lib_week", "SQLite one query",
	    "sql_week")
	lat("book: appt_book (durable)", "book_lib", "", "")
	if ("http_pending" in info)
		printf "HTTP: pending (the API answered %s)\n", info["http_pending"]
	lat("tab past: HTTP GET", "http_past",
	    "static " info["size_past"] " B", "static_past")
	lat("tab upcoming: HTTP GET", "http_upcoming",
	    "static " info["size_upcoming"] " B", "static_upcoming")
	lat("rep week: HTTP GET", "http_week",
	    "static " info["size_week"] " B", "static_week")
	lat("book: HTTP POST (durable)", "http_book",
	    "static " info["size_book"] " B", "static_book")
	printf "\nwhere the time goes, microseconds\n"
	lat("week: SQLite with joins", "sqljoin_week", "", "")
	lat("  ... from 31 days before", "sqljoin31_week", "", "")
	lat("week: store_appt_range", "store_week", "", "")
	lat("JSON of the tab past", "json_past", "", "")
	lat("JSON of the week", "json_week", "", "")
	lat("conflict check, 30 min of a week", "lib_probe", "", "")
	printf "\ndurable bookings, one at a time (WAL, synchronous=FULL)\n"
	printf "%-34s %10s   %-26s %10s\n", "", "per second", "baseline",
	    "per second"
	printf "%-34s %10s   %-26s %10s\n", "appt_book", rate["book_lib"],
	    "4 KiB write + fdatasync", rate["fsync"]
	if ("book_http" in rate)
		printf "%-34s %10s   %-26s %10s\n", "HTTP POST /api/v1/appointments",
		    rate["book_http"], "4 KiB write + fdatasync", rate["fsync"]
	printf "\ndatabase %.1f GB", info["db_bytes"] / 1e9
	if ("setup_load" in info)
		printf "; set up in %s s (customers) + %s s (appointments)",
		    info["setup_customers"], info["setup_load"]
	printf "\n"
}' "$ROWS"
