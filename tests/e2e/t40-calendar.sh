#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Calendars: GET /api/v1/calendar (day, week, month, agenda; 23- and 25-hour
# days; late meetings on their local day; a weekly series; filters; bad
# input as 400 naming the parameter) and `avtale calendar` (the week grid,
# the agenda and --json). "Now" is fixed at 2025-06-01T12:00:00Z.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8

export AVTALE_NOW=1748779200 # 2025-06-01T12:00:00Z
DB=$TMP/avtale.db

"$AVTALE_BIN" --db "$DB" territory add BRG Bergen >/dev/null

if ! start_server; then
	test_expect "server starts" false
	finish
	exit
fi

json() { http "$1" "$2" -H 'Content-Type: application/json' --data-binary "$3" "${@:4}"; }
A=/api/v1/appointments
C=/api/v1/calendar

json POST /api/v1/customers '{"customer_number":"100","name":"Ærø Bygg og Anlegg AS"}'
CUST=$(body_json .id)
json POST /api/v1/customers '{"customer_number":"200","name":"Bergen Rør AS","territory":"BRG"}'
BRG=$(body_json .id)
book() { json POST $A "$1"; [ "$STATUS" = 201 ] || echo "# booking failed: $(cat "$TMP/body")"; }
book "{\"customer_id\":$CUST,\"start\":\"2025-03-30 10:00\",\"duration\":60,\"subject\":\"Søndagsmøte\"}"
book "{\"customer_id\":$CUST,\"start\":\"2025-06-04 23:30\",\"duration\":20,\"subject\":\"Sent møte\"}"
book "{\"customer_id\":$CUST,\"start\":\"2025-06-05 00:30\",\"duration\":20,\"subject\":\"Tidlig møte\",\"force\":true}"
book "{\"customer_id\":$BRG,\"start\":\"2025-06-03 13:00\",\"duration\":30,\"type\":\"demo\",\"channel\":\"video\",\"video_url\":\"https://meet.example.com/x\",\"subject\":\"Demo\"}"
book "{\"customer_id\":$CUST,\"start\":\"2025-03-18 09:00\",\"duration\":60,\"rrule\":\"FREQ=WEEKLY;COUNT=4\",\"subject\":\"Ukesmøte\"}"

test_expect "week of 2025-03-30 in Oslo: 7 days from Monday, the Sunday has 23 hours" '
	http GET "$C?view=week&date=2025-03-30&tz=Europe/Oslo" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq week "$(body_json .view)" &&
	expect_eq Europe/Oslo "$(body_json .time_zone)" &&
	expect_eq 7 "$(body_json ".days|length")" days &&
	expect_eq 2025-03-24 "$(body_json ".days[0].date")" &&
	expect_eq 2025-03-30 "$(body_json ".days[6].date")" &&
	expect_eq 23 "$(body_json ".days[6].hours")" hours &&
	expect_eq 2025-03-31T00:00:00+02:00 "$(body_json ".days[6].end")" &&
	expect_eq "Søndagsmøte" "$(body_json ".days[6].items[0].subject")"'

test_expect "month of October 2025: 31 days, the 26th has 25 hours" '
	http GET "$C?view=month&date=2025-10-01" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq 31 "$(body_json ".days|length")" &&
	expect_eq 25 "$(body_json ".days[25].hours")" &&
	expect_eq 2025-10-26 "$(body_json ".days[25].date")"'

test_expect "23:30 in Oslo is on that Oslo day; 00:30 the next is the day before in UTC" '
	http GET "$C?view=day&date=2025-06-04" &&
	expect_eq "Sent møte" "$(body_json "[.days[0].items[].subject]|join(\",\")")" &&
	http GET "$C?view=day&date=2025-06-04&tz=UTC" &&
	expect_eq "Sent møte,Tidlig møte" "$(body_json "[.days[0].items[].subject]|join(\",\")")" &&
	http GET "$C?view=day&date=2025-06-05&tz=UTC" &&
	expect_eq 0 "$(body_json ".days[0].items|length")"'

test_expect "a weekly series is at 09:00 local in each week, before and after the change" '
	for d in 2025-03-18 2025-03-25 2025-04-01; do
		http GET "$C?view=week&date=$d" &&
		expect_eq 1 "$(body_json "[.days[].items[]|select(.subject==\"Ukesmøte\")]|length")" "$d" &&
		expect_eq "${d}T09:00:00" "$(body_json "[.days[].items[]|select(.subject==\"Ukesmøte\")][0].start|.[0:19]")" || exit 1
	done'

test_expect "agenda lists only days with items" '
	http GET "$C?view=agenda&date=2025-06-01" &&
	expect_eq "2025-06-03 2025-06-04 2025-06-05" "$(body_json "[.days[].date]|join(\" \")")"'

test_expect "filters: type, channel, status, territory" '
	http GET "$C?view=agenda&date=2025-06-01&type=demo" &&
	expect_eq Demo "$(body_json "[.days[].items[].subject]|join(\",\")")" &&
	http GET "$C?view=agenda&date=2025-06-01&channel=phone,in_person" &&
	expect_eq 2 "$(body_json "[.days[].items[]]|length")" &&
	http GET "$C?view=agenda&date=2025-06-01&status=cancelled" &&
	expect_eq 0 "$(body_json ".days|length")" &&
	http GET "$C?view=agenda&date=2025-06-01&territory=BRG" &&
	expect_eq Demo "$(body_json "[.days[].items[].subject]|join(\",\")")"'

test_expect "scopes: held, customers, both list each appointment once" '
	http GET "$C?view=agenda&date=2025-06-01&scope=held" &&
	expect_eq 3 "$(body_json "[.days[].items[]]|length")" &&
	http GET "$C?view=agenda&date=2025-06-01&scope=customers" &&
	expect_eq 3 "$(body_json "[.days[].items[]]|length")" &&
	http GET "$C?view=agenda&date=2025-06-01" &&
	expect_eq 3 "$(body_json "[.days[].items[]]|length")"'

test_expect "an explicit from/to range covers its local days" '
	http GET "$C?from=2025-06-03&to=2025-06-05" &&
	expect_eq 200 "$STATUS" &&
	expect_eq "2025-06-03 2025-06-04" "$(body_json "[.days[].date]|join(\" \")")"'

test_expect "bad input is a 400 naming the parameter" '
	http GET "$C?view=year" && expect_problem 400 invalid &&
	expect_eq view "$(body_json .field)" &&
	http GET "$C?tz=Mars/Base" && expect_eq 400 "$STATUS" &&
	expect_eq tz "$(body_json .field)" &&
	http GET "$C?date=2025-02-30" && expect_eq 400 "$STATUS" &&
	expect_eq date "$(body_json .field)" &&
	http GET "$C?channel=fax" && expect_eq 400 "$STATUS" &&
	expect_eq channel "$(body_json .field)" &&
	http GET "$C?from=2025-06-03" && expect_eq 400 "$STATUS" &&
	expect_eq to "$(body_json .field)" &&
	http GET "$C?territory=NOPE" && expect_eq 400 "$STATUS" &&
	expect_eq territory "$(body_json .field)"'

stop_server

# run ARGS...: the CLI; stdout in $TMP/out, stderr in $TMP/err, RC.
run() {
	"$AVTALE_BIN" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}

# max_columns FILE N: no line of FILE is wider than N characters (UTF-8).
max_columns() {
	local line
	while IFS= read -r line; do
		[ "${#line}" -le "$2" ] || { echo "too wide: $line"; return 1; }
	done <"$1"
}

test_expect "calendar prints a week grid Monday to Sunday within 80 columns" '
	COLUMNS=80 run calendar --date 2025-03-30 &&
	expect_eq 0 "$RC" exit &&
	grep -q "^Week 13, 2025 (Europe/Oslo)$" "$TMP/out" &&
	sed -n 2p "$TMP/out" | grep -q "^Mon 24.03 .*Sun 30.03$" &&
	grep -q "10:00 Søn…" "$TMP/out" &&
	grep -q "09:00 Uke…" "$TMP/out" &&
	max_columns "$TMP/out" 80'

test_expect "calendar --agenda prints one block per day" '
	run calendar --agenda --date 2025-06-01 &&
	expect_eq 0 "$RC" exit &&
	grep -q "^Tue 2025-06-03$" "$TMP/out" &&
	grep -q "^  13:00-13:30  demo .*Bergen Rør AS .*Demo .*scheduled$" "$TMP/out" &&
	! grep -q "2025-06-02" "$TMP/out"'

test_expect "calendar --json prints the API calendar" '
	run --json calendar --month --date 2025-10-05 &&
	expect_eq 0 "$RC" exit &&
	expect_eq month "$(jq -r .view "$TMP/out")" &&
	expect_eq 25 "$(jq -r ".days[25].hours" "$TMP/out")"'

test_expect "calendar usage errors exit 2, bad values 1" '
	run calendar --week --month; expect_eq 2 "$RC" &&
	run calendar --from 2025-06-01; expect_eq 2 "$RC" &&
	run calendar --status maybe; expect_eq 1 "$RC" &&
	grep -q "(--status)" "$TMP/err"'

finish
