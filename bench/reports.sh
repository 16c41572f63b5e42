#!/bin/bash
# SPDX-License-Identifier: MIT
# The reports benchmark driver (see BENCHMARKS.md). Times the appointments
# report (by month, ISO week and day) and the contact rate per territory
# for a full year, all territories, through the API with curl, each beside
# the same aggregate as hand-written SQL run by the sqlite3 shell on the
# same database in the same run (a GROUP BY over a per-row date function,
# and one COUNT per rep per period over index ranges), checks that the
# totals agree and prints one table. The database is only read. It uses
# 127.0.0.1 only and stops the server it started (by PID). It prints
# figures; it never fails because a number is slow.
#
#   BENCH_DB            the database (default build/bench/appt-1000000-
#                       10000000.db when present, else the one below)
#   BENCH_CUSTOMERS     customers of a database built here (default 100000)
#   BENCH_APPOINTMENTS  appointments of it (default 1000000)
#   BENCH_YEAR          the year reported (default: the last full year of
#                       the fixture, from the database file's date)
#   BENCH_REPS          repetitions of each timed request (default 3)
#   BENCH_TZ            the viewer's zone (default Europe/Oslo)
#   AVTALE              the avtale binary (default ./avtale)
set -euo pipefail
cd "$(dirname "$0")/.."

REPS=${BENCH_REPS:-3}
ZONE=${BENCH_TZ:-Europe/Oslo}
AVTALE=${AVTALE:-./avtale}
BIN=build/bench/reports
BIG=build/bench/appt-1000000-10000000.db
BENCH_NAME=bench-reports
# shellcheck source=bench/lib.sh
. bench/lib.sh
elapsed_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) * 1000 }'; }

if [ -x scripts/bench-deps.sh ]; then
	scripts/bench-deps.sh
fi
make -s avtale "$BIN"
ROWS=$TMP/rows
: >"$ROWS"

# ---- the database (read only from here on) ----
if [ -n "${BENCH_DB:-}" ]; then
	DB=$BENCH_DB
elif [ -z "${BENCH_CUSTOMERS:-}${BENCH_APPOINTMENTS:-}" ] && [ -f "$BIG" ]; then
	DB=$BIG
else
	N=${BENCH_CUSTOMERS:-100000}
	M=${BENCH_APPOINTMENTS:-1000000}
	DB=build/bench/appt-$N-$M.db
	if [ ! -f "$DB" ]; then
		# the appointments benchmark's own setup: demo customers, then
		# its bulk load of the fixture
		say "creating $DB ($N customers, $M appointments)"
		make -s build/avtale build/bench/appointments
		rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm"
		mkdir -p "$(dirname "$DB")"
		build/avtale --db "$DB.tmp" demo --customers "$N" \
			--appointments 0 >&2
		build/bench/appointments --load "$M" "$DB.tmp"
		mv "$DB.tmp" "$DB"
		[ -f "$DB.tmp-wal" ] && mv "$DB.tmp-wal" "$DB-wal"
		rm -f "$DB.tmp-shm"
	fi
fi
[ -f "$DB" ] || { say "no database $DB"; exit 1; }
ABS_DB=$(realpath "$DB")
sql() { sqlite3 -readonly "file:$ABS_DB?mode=ro" "$@"; }
# the fixture runs from 640 days before its load to 90 days after
YEAR=${BENCH_YEAR:-$(($(date -u -d "@$(($(stat -c %Y "$DB") + 90 * 86400))" +%Y) - 1))}
FROM=$YEAR-01-01
TO=$((YEAR + 1))-01-01
read -r F T < <("$BIN" --bounds "$ZONE" "$FROM" "$TO")
# the zone's offset on January 1st: what a per-row shift can use
OFF=$(TZ=$ZONE date -d "@$F" +%z | awk '{ s = substr($0, 1, 1) == "-" ? -1 : 1;
	print s * (substr($0, 2, 2) * 3600 + substr($0, 4, 2) * 60) }')
NAPPT=$(sql "SELECT value FROM settings WHERE key = 'bench.fixture_max_id'")
say "database $DB ($NAPPT appointments in the fixture); $FROM .. $TO in $ZONE"

# ---- the server ----
start_server "$ABS_DB"

# time_api KEY PATH: REPS timed GETs; the last answer in $TMP/KEY.json
time_api() {
	local key=$1 path=$2 i t
	for i in $(seq "$REPS"); do
		t=$(curl -s --noproxy '*' -o "$TMP/$key.json" \
			-w '%{http_code} %{time_total}' "$URL$path")
		case "$t" in
		200\ *) ;;
		*) say "$path answered ${t%% *}: $(head -c 300 "$TMP/$key.json")" ;;
		esac
		printf 'time\t%s\t%.0f\n' "$key" "$(awk -v s="${t#* }" \
			'BEGIN { print s * 1000 }')" >>"$ROWS"
		say "  $key run $i: ${t#* } s"
	done
}

# time_sql KEY FILE: REPS timed runs of the sqlite3 shell on FILE's SQL;
# the last output in $TMP/KEY.out
time_sql() {
	local key=$1 file=$2 i t0 t1
	for i in $(seq "$REPS"); do
		t0=$(now)
		sql <"$file" >"$TMP/$key.out"
		t1=$(now)
		printf 'time\t%s\t%s\n' "$key" "$(elapsed_ms "$t0" "$t1")" >>"$ROWS"
		say "  $key run $i: $(elapsed_ms "$t0" "$t1") ms"
	done
}

# check KEY API_KEYS_FILE SQL_OUT: the sum of the SQL's counts, and how
# many periods differ from the API's
check() {
	local key=$1 api=$2 out=$3
	awk -F'|' -v k="$key" 'NR == FNR { a[$1] = $2; next }
	{ s += $2; b[$1] = $2 }
	END {
		for (x in a) if (a[x] != b[x] + 0) d++
		for (x in b) if (!(x in a) && b[x] != 0) d++
		printf "sum\t%s\t%d\t%d\n", k, s, d
	}' "$api" "$out" >>"$ROWS"
}

# ---- the appointments report, by month, week and day ----
# naive per-row keys: local time as UTC shifted by January's offset
LOCAL="(start_utc + $OFF)"
WHERE="WHERE rrule IS NULL AND owner_id IN (SELECT id FROM users)
	AND start_utc >= $F AND start_utc < $T"
cat >"$TMP/month.sql" <<EOF
SELECT strftime('%Y-%m', $LOCAL, 'unixepoch') AS k, count(*)
FROM appointments $WHERE GROUP BY k ORDER BY k;
EOF
cat >"$TMP/day.sql" <<EOF
SELECT strftime('%Y-%m-%d', $LOCAL, 'unixepoch') AS k, count(*)
FROM appointments $WHERE GROUP BY k ORDER BY k;
EOF
# ISO week: the Monday of the local day (1970-01-01 was a Thursday),
# labelled by the year and day of year of its Thursday
cat >"$TMP/week.sql" <<EOF
SELECT strftime('%Y', m * 86400 + 3 * 86400, 'unixepoch') || '-W' ||
	printf('%02d', (strftime('%j', m * 86400 + 3 * 86400, 'unixepoch')
	- 1) / 7 + 1), n
FROM (SELECT ($LOCAL / 86400) - (($LOCAL / 86400 + 3) % 7) AS m,
	count(*) AS n FROM appointments $WHERE GROUP BY m) ORDER BY m;
EOF

for by in month week day; do
	say "appointments by $by"
	time_api "api_$by" "api/v1/reports/appointments?from=$FROM&to=$TO&group_by=$by&tz=$ZONE"
	jq -r '.rows[] | "\(.key)|\(.total)"' "$TMP/api_$by.json" >"$TMP/api_$by.keys"
	printf 'total\tapi_%s\t%s\t%s\n' "$by" \
		"$(jq '.total.total' "$TMP/api_$by.json")" \
		"$(jq '.rows | length' "$TMP/api_$by.json")" >>"$ROWS"
	time_sql "groupby_$by" "$TMP/$by.sql"
	check "groupby_$by" "$TMP/api_$by.keys" "$TMP/groupby_$by.out"
	"$BIN" --sql "$by" "$ZONE" "$FROM" "$TO" >"$TMP/ranges_$by.sql"
	time_sql "ranges_$by" "$TMP/ranges_$by.sql"
	check "ranges_$by" "$TMP/api_$by.keys" "$TMP/ranges_$by.out"
done

# ---- the contact rate per territory ----
say "contact rate"
time_api api_contact "api/v1/reports/contact-rate?from=$FROM&to=$TO&tz=$ZONE"
jq -r '.territories[] | "\(.territory)|\(.contacts)"' \
	"$TMP/api_contact.json" >"$TMP/api_contact.keys"
printf 'total\tapi_contact\t%s\t%s\n' \
	"$(jq '[.territories[].contacts] | add' "$TMP/api_contact.json")" \
	"$(jq '.territories | length' "$TMP/api_contact.json")" >>"$ROWS"
printf 'total\tapi_contact_customers\t%s\t%s\n' \
	"$(jq '[.territories[].customers] | add' "$TMP/api_contact.json")" \
	"$(jq '[.territories[].covered] | add' "$TMP/api_contact.json")" >>"$ROWS"
# held appointments counted for the customer's territory at their start
# (its first one before the record existed: the fixture's appointments
# predate their customers' assignments)
cat >"$TMP/contact.sql" <<EOF
SELECT t.code, count(*) FROM appointments a
JOIN customer_assignments ca ON ca.id = coalesce(
	(SELECT x.id FROM customer_assignments x
	WHERE x.customer_id = a.customer_id AND x.valid_from <= a.start_utc
	ORDER BY x.valid_from DESC, x.id DESC LIMIT 1),
	(SELECT x.id FROM customer_assignments x
	WHERE x.customer_id = a.customer_id ORDER BY x.valid_from, x.id LIMIT 1))
JOIN customers c ON c.id = a.customer_id
JOIN territories t ON t.id = ca.territory_id
WHERE a.rrule IS NULL AND a.owner_id IN (SELECT id FROM users)
	AND a.start_utc >= $F AND a.start_utc < $T
	AND a.status = 'completed' AND c.status = 'customer'
GROUP BY t.code ORDER BY t.code;
EOF
time_sql groupby_contact "$TMP/contact.sql"
check groupby_contact "$TMP/api_contact.keys" "$TMP/groupby_contact.out"
# the customers of each territory at the period's end (the denominator)
printf 'total\tsql_contact_customers\t%s\n' "$(sql "SELECT count(*)
	FROM customer_assignments ca JOIN customers c ON c.id = ca.customer_id
	WHERE ca.territory_id IS NOT NULL AND ca.valid_from <= $T - 1
	AND (ca.valid_to IS NULL OR ca.valid_to > $T - 1)
	AND c.status = 'customer'")" >>"$ROWS"
# the floor: held appointments per rep over the index range (the status
# needs the table row)
cat >"$TMP/contact_ranges.sql" <<EOF
SELECT u.email, (SELECT count(*) FROM appointments a WHERE
	a.owner_id = u.id AND a.rrule IS NULL AND a.start_utc >= $F
	AND a.start_utc < $T AND a.status = 'completed') FROM users u;
EOF
time_sql ranges_contact "$TMP/contact_ranges.sql"
awk -F'|' '{ s += $2 } END { printf "sum\tranges_contact\t%d\t-\n", s }' \
	"$TMP/ranges_contact.out" >>"$ROWS"

kill "$SERVER_PID" 2>/dev/null || true
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# ---- the table ----
echo
printf 'bench-reports: %s, %s appointments, %s .. %s in %s, %s runs each, ' \
	"$(basename "$DB")" "$NAPPT" "$FROM" "$TO" "$ZONE" "$REPS"
printf '%s cores (%s), SQLite %s, %s\n' "$(nproc)" \
	"$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
	"$(sqlite3 --version | cut -d' ' -f1)" "$(date -u +%F)"
printf 'load average at end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
awk -F'\t' '
$1 == "time" { t[$2] = t[$2] " " $3; n[$2]++ }
$1 == "total" { tot[$2] = $3; extra[$2] = $4 }
$1 == "sum" { sum[$2] = $3; diff[$2] = $4 }
function stat(k, which,   a, m, i, j, x) {
	m = split(substr(t[k], 2), a, " ")
	for (i = 2; i <= m; i++) {
		x = a[i]
		for (j = i - 1; j >= 1 && a[j] > x; j--)
			a[j + 1] = a[j]
		a[j + 1] = x
	}
	return which == "min" ? a[1] : a[int((m + 1) / 2)]
}
function line(label, k, total, periods, bl) {
	if (!(k in n))
		return
	printf "%-34s %9s %9s %10s %5s   %-1s\n", label, stat(k, "min"),
	    stat(k, "med"), total, periods, ""
}
function base(label, k, api, floor) {
	if (!(k in n))
		return
	printf "  %-32s %9s %9s %10s %5s   %.1fx%s\n", label, stat(k, "min"),
	    stat(k, "med"), sum[k], diff[k] == "-" ? "" : diff[k] " diff",
	    stat(api, "med") / (stat(k, "med") > 0 ? stat(k, "med") : 1),
	    floor || sum[k] == tot[api] ? "" : "  TOTAL DIFFERS"
}
END {
	printf "\nms; rows: periods (API) or periods that differ from the API (SQL); API/SQL: API median over SQL median\n"
	printf "%-34s %9s %9s %10s %5s   %s\n", "", "min", "median", "total",
	    "rows", "API/SQL"
	split("month week day", bys, " ")
	for (i = 1; i <= 3; i++) {
		b = bys[i]
		line("API appointments by " b, "api_" b, tot["api_" b],
		    extra["api_" b])
		base("SQL GROUP BY strftime", "groupby_" b, "api_" b)
		base("SQL COUNT per rep per " b, "ranges_" b, "api_" b)
	}
	line("API contact rate (contacts)", "api_contact", tot["api_contact"],
	    extra["api_contact"])
	base("SQL join GROUP BY territory", "groupby_contact", "api_contact")
	base("SQL held per rep (floor)", "ranges_contact", "api_contact", 1)
	printf "\ncustomers at the end: API %s (covered %s), SQL %s\n",
	    tot["api_contact_customers"], extra["api_contact_customers"],
	    tot["sql_contact_customers"]
}' "$ROWS"
