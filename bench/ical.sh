#!/bin/bash
# SPDX-License-Identifier: MIT
# The calendar benchmark driver (see BENCHMARKS.md). Two parts, each beside
# a baseline measured in the same run:
#
#  1. the feed of a rep with BENCH_APPOINTMENTS appointments: time to the
#     first and the last byte of GET /ical/<token>.ics (and of a 304),
#     beside Radicale (Debian's CalDAV server) serving the same calendar
#     (Avtale's own feed, uploaded to it) as one .ics;
#  2. the import of a BENCH_EVENTS-event Outlook-style file, beside
#     libical parsing the same file on its own.
#
# It talks only to 127.0.0.1, stops the servers it started (by PID) and
# removes its temporary directory. It prints figures; it never fails
# because a number is slow.
#
#   BENCH_APPOINTMENTS  appointments of the rep (default 10000)
#   BENCH_EVENTS        events in the import file (default 20000)
#   BENCH_RUNS          requests per server, imports and parses (default 20,
#                       imports 3)
#   AVTALE              the avtale binary (default build/avtale)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${BENCH_APPOINTMENTS:-10000}
EVENTS=${BENCH_EVENTS:-20000}
RUNS=${BENCH_RUNS:-20}
IMPORTS=${BENCH_IMPORTS:-3}
BIN=build/bench/ical
AVTALE=${AVTALE:-build/avtale}
BENCH_NAME=bench-ical
# shellcheck source=bench/lib.sh
. bench/lib.sh
RADICALE_PID=""
trap 'if [ -n "$RADICALE_PID" ]; then kill "$RADICALE_PID" 2>/dev/null || true; fi; cleanup' EXIT

scripts/bench-deps.sh
make -s build/avtale "$BIN"

free_port() {
	/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# timings URL [curl options]: RUNS requests; prints "first_ms last_ms bytes"
# as medians (and the best in parentheses) on stdout.
timings() {
	local url=$1
	shift
	: >"$TMP/t"
	for _ in $(seq "$RUNS"); do
		curl -sS -o /dev/null "$@" -w '%{time_starttransfer} %{time_total} %{size_download}\n' \
			"$url" >>"$TMP/t"
	done
	# median and best of a column, in milliseconds
	col() { awk -v c="$1" '{ print $c * 1000 }' "$TMP/t" | sort -n | awk '
		{ v[NR] = $1 } END { printf "%.1f %.1f", v[int((NR + 1) / 2)], v[1] }'; }
	read -r fm fb <<<"$(col 1)"
	read -r lm lb <<<"$(col 2)"
	echo "$fm $lm $(tail -n 1 "$TMP/t" | cut -d" " -f3) $fb $lb"
}

# ---- 1. the feed ----
DB=$TMP/feed.db
say "fixture: a rep with $N appointments"
"$AVTALE" --db "$DB" init >/dev/null
t0=$(now)
"$BIN" --fixture "$DB" "$N"
say "fixture made in $(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.1f", a - b }') s"
FEED=$("$AVTALE" --db "$DB" feed new bench.rep@example.no)
start_server "$DB"
curl -sS -o "$TMP/feed.ics" "${URL%/}$FEED"
events=$(grep -c '^BEGIN:VEVENT' "$TMP/feed.ics")
etag=$(curl -sS -D - -o /dev/null "${URL%/}$FEED" | tr -d '\r' | sed -n 's/^ETag: //Ip')
read -r a_first a_last a_bytes a_first_best a_last_best < <(timings "${URL%/}$FEED")
read -r c_first c_last _ c_first_best c_last_best < <(timings "${URL%/}$FEED" -H "If-None-Match: $etag")

RPORT=$(free_port)
radicale --config "" --server-hosts "127.0.0.1:$RPORT" --auth-type none \
	--rights-type owner_only --storage-filesystem-folder "$TMP/radicale" \
	--web-type none --logging-level warning >"$TMP/radicale.log" 2>&1 &
RADICALE_PID=$!
for _ in $(seq 100); do
	curl -s -o /dev/null -u bench:x -X PROPFIND "http://127.0.0.1:$RPORT/bench/" && break
	sleep 0.1
done
RURL="http://127.0.0.1:$RPORT/bench/avtale/"
code=$(curl -sS -o /dev/null -w '%{http_code}' -u bench:x -X PUT \
	-H 'Content-Type: text/calendar; charset=utf-8' --data-binary @"$TMP/feed.ics" "$RURL")
say "calendar uploaded to Radicale ($code)"
r_events=$(curl -sS -u bench:x "$RURL" | grep -c '^BEGIN:VEVENT' || true)
read -r r_first r_last r_bytes r_first_best r_last_best < <(timings "$RURL" -u bench:x)

# ---- 2. the import ----
FILE=$TMP/import.ics
"$BIN" --write-file "$FILE" "$EVENTS"
file_mb=$(awk -v n="$(stat -c %s "$FILE")" 'BEGIN { printf "%.1f", n / 1048576 }')
read -r _ p_best p_med < <("$BIN" --parse "$FILE" "$RUNS" | grep libical_parse)
"$BIN" --import "$TMP/import.db" "$FILE" "$IMPORTS" >"$TMP/imp"
read -r _ i_best i_med < <(grep '^avtale_import ' "$TMP/imp")
read -r _ u_best u_med < <(grep '^avtale_reimport_unchanged' "$TMP/imp")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
cat <<EOF

bench-ical: $(nproc) cores, $(date -u +%Y-%m-%d)

feed of a rep with $N appointments ($events VEVENTs, $a_bytes bytes), $RUNS GETs each, median (best)
  avtale   first byte $a_first ms ($a_first_best)   last byte $a_last ms ($a_last_best)
  avtale   304 (If-None-Match)   first byte $c_first ms ($c_first_best)   last byte $c_last ms ($c_last_best)
  radicale first byte $r_first ms ($r_first_best)   last byte $r_last ms ($r_last_best)   ($r_events VEVENTs, $r_bytes bytes)
  radicale / avtale, last byte: $(ratio "$r_last" "$a_last")x median, $(ratio "$r_last_best" "$a_last_best")x best   (aim: at least 10x)
  radicale / avtale 304, last byte: $(ratio "$r_last" "$c_last")x median   (a subscribed client's usual poll)

import of $EVENTS events ($file_mb MiB, Outlook-style), median (best)
  libical parse alone   $p_med ms ($p_best)   ($RUNS runs)
  avtale import         $i_med ms ($i_best)   ($IMPORTS runs, new durable database each)
  avtale re-import      $u_med ms ($u_best)   (everything unchanged: all skipped)
  avtale / libical: $(ratio "$i_med" "$p_med")x median, $(ratio "$i_best" "$p_best")x best   (aim: within 2x)
  avtale re-import / libical: $(ratio "$u_med" "$p_med")x median, $(ratio "$u_best" "$p_best")x best
EOF
