#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Calendar interoperability through the real server: the feed link
# (/api/v1/me/feed), the feed itself (/ical/<token>.ics: METHOD:PUBLISH,
# VTIMEZONE, cancelled appointments, ETag and Last-Modified with 304, a
# wrong token 404 and rate-limited), one appointment as .ics, the import
# API, the CLI export/import/export round trip, and a real calendar client
# from Debian: vdirsyncer syncs the feed into a folder that khal lists.
. "$(dirname "$0")/lib.sh"

DB=$TMP/avtale.db
cli() { "$AVTALE_BIN" --db "$DB" "$@"; }
CASES=$AVTALE_SRC/tests/data/cases
cli user add kari@example.no --name "Kari Nordmann" --role rep --tz Europe/Oslo >/dev/null
cli user add per@example.no --name "Per Hansen" --role rep >/dev/null
cli customer add --number 100 --name "Østby Rør AS" --owner kari@example.no >/dev/null
cli contact add 100 --name "Ola Nordmann" --email ola.nordmann@example.com >/dev/null
KARI=$(cli token add kari@example.no --name t --write)
PER=$(cli token add per@example.no --name t --write)
as_kari() { AUTH="-H Authorization:Bearer\\ $KARI" http "$@"; }
book() { # book START SUBJECT [extra json]
	as_kari POST /api/v1/appointments -H "Content-Type: application/json" \
		-d "{\"customer_id\":1,\"start\":\"$1\",\"duration\":45,\"subject\":\"$2\"${3:-}}"
	body_json .id
}

# all_crlf FILE: every line ends in CR LF.
all_crlf() {
	[ "$(grep -c $'\r$' "$1")" = "$(wc -l <"$1")" ]
}

if ! start_server --public-url https://crm.example.no; then
	test_expect "server starts" false
	finish
	exit
fi

A1=$(book "2030-01-14 10:00" "Kundemøte Østby" ',"contact_id":1,"notes":"hemmelig notat","reminder_minutes":15')
A2=$(book "2030-01-15 11:00" "Avlyst møte")
A3=$(book "2030-01-16 09:00" "Ukentlig" ',"rrule":"FREQ=WEEKLY;COUNT=3"')
as_kari POST "/api/v1/appointments/$A2/cancel" -H "Content-Type: application/json" -d '{"reason":"kunden avlyste"}'

test_expect "a feed link is made once, shown once, and its state read back" '
	as_kari GET /api/v1/me/feed && expect_eq 200 "$STATUS" &&
	expect_eq false "$(body_json .active)" &&
	as_kari POST /api/v1/me/feed -H "Content-Type: application/json" &&
	expect_eq 201 "$STATUS" &&
	url=$(body_json .url) &&
	[[ $url == https://crm.example.no/ical/*.ics ]] &&
	echo "${url#https://crm.example.no}" >"$TMP/feed_path" &&
	as_kari GET /api/v1/me/feed && expect_eq true "$(body_json .active)" &&
	[ "$(body_json .created_at)" != null ] &&
	[ "$(body_json .url)" = null ]'
FEED=$(cat "$TMP/feed_path")

test_expect "the feed: METHOD:PUBLISH, a VTIMEZONE, stable UIDs, the cancellation, the reminder, no notes" '
	AUTH= http GET "$FEED" && expect_eq 200 "$STATUS" &&
	expect_eq "text/calendar; charset=utf-8" "$(header Content-Type)" &&
	grep -q "^METHOD:PUBLISH" "$TMP/body" &&
	grep -q "^BEGIN:VTIMEZONE" "$TMP/body" && grep -q "^TZID:Europe/Oslo" "$TMP/body" &&
	[ "$(grep -c "^BEGIN:VEVENT" "$TMP/body")" = 3 ] &&
	[ "$(grep -c "^STATUS:CANCELLED" "$TMP/body")" = 1 ] &&
	grep -q "^TRIGGER:-PT15M" "$TMP/body" &&
	grep -q "^RRULE:FREQ=WEEKLY;COUNT=3" "$TMP/body" &&
	! grep -q "hemmelig" "$TMP/body" && all_crlf "$TMP/body" &&
	tr -d "\r" <"$TMP/body" >"$TMP/feed.txt" &&
	for id in $A1 $A2 $A3; do
		as_kari GET "/api/v1/appointments/$id" &&
		grep -qx "UID:$(body_json .uid)" "$TMP/feed.txt" || return 1
	done'

test_expect "ETag and Last-Modified answer 304 until something changes" '
	AUTH= http GET "$FEED" && etag=$(header ETag) && lm=$(header Last-Modified) &&
	[ -n "$etag" ] && [ -n "$lm" ] &&
	rm -f "$TMP/body" && AUTH= http GET "$FEED" -H "If-None-Match: $etag" &&
	expect_eq 304 "$STATUS" && [ ! -s "$TMP/body" ] &&
	AUTH= http GET "$FEED" -H "If-Modified-Since: $lm" && expect_eq 304 "$STATUS" &&
	sleep 1 &&
	as_kari PATCH "/api/v1/appointments/$A1" -H "Content-Type: application/json" \
		-H "If-Match: \"1\"" -d "{\"subject\":\"Kundemøte Østby (endret)\"}" &&
	AUTH= http GET "$FEED" -H "If-None-Match: $etag" && expect_eq 200 "$STATUS" &&
	[ "$(header ETag)" != "$etag" ] && grep -q "endret" "$TMP/body" &&
	grep -q "^SEQUENCE:1" "$TMP/body" &&
	etag=$(header ETag) &&
	as_kari PATCH /api/v1/contacts/1 -H "Content-Type: application/json" \
		-H "If-Match: \"1\"" -d "{\"name\":\"Ola Nordmann-Østby\"}" &&
	expect_eq 200 "$STATUS" &&
	AUTH= http GET "$FEED" -H "If-None-Match: $etag" && expect_eq 200 "$STATUS" &&
	tr -d "\r\n " <"$TMP/body" | grep -q "CN=OlaNordmann-Østby"'

test_expect "a real client: vdirsyncer syncs the feed, khal lists it, the cancelled one is not active" '
	mkdir -p "$TMP/cal" "$TMP/home" &&
	cat >"$TMP/vds.conf" <<EOF &&
[general]
status_path = "$TMP/vds-status/"
[pair feed]
a = "feed_remote"
b = "feed_local"
collections = null
conflict_resolution = "a wins"
[storage feed_remote]
type = "http"
url = "$BASE$FEED"
[storage feed_local]
type = "filesystem"
path = "$TMP/cal/"
fileext = ".ics"
EOF
	cat >"$TMP/khal.conf" <<EOF &&
[calendars]
[[avtale]]
path = $TMP/cal/
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = Europe/Oslo
default_timezone = Europe/Oslo
[sqlite]
path = $TMP/khal.db
EOF
	HOME=$TMP/home vdirsyncer -c "$TMP/vds.conf" discover >/dev/null 2>&1 &&
	HOME=$TMP/home vdirsyncer -c "$TMP/vds.conf" sync >/dev/null 2>&1 &&
	HOME=$TMP/home khal -c "$TMP/khal.conf" list --format "{start} {end} {status}{title}" \
		2030-01-13 30d >"$TMP/khal.txt" 2>&1 && cat "$TMP/khal.txt" &&
	grep -qx "2030-01-14 10:00 2030-01-14 10:45 CONFIRMED Kundemøte Østby (endret)" "$TMP/khal.txt" &&
	grep -qx "2030-01-15 11:00 2030-01-15 11:45 CANCELLED Avlyst møte" "$TMP/khal.txt" &&
	! grep -q "CONFIRMED Avlyst" "$TMP/khal.txt" &&
	[ "$(grep -c "CONFIRMED Ukentlig" "$TMP/khal.txt")" = 3 ] &&
	grep -qx "2030-01-30 09:00 2030-01-30 09:45 CONFIRMED Ukentlig" "$TMP/khal.txt"'

test_expect "a cancellation reaches the client on its next sync" '
	as_kari POST "/api/v1/appointments/$A1/cancel" -H "Content-Type: application/json" -d "{\"reason\":\"x\"}" &&
	HOME=$TMP/home vdirsyncer -c "$TMP/vds.conf" sync >/dev/null 2>&1 &&
	HOME=$TMP/home khal -c "$TMP/khal.conf" list --format "{start} {status}{title}" \
		2030-01-13 30d >"$TMP/khal.txt" 2>&1 &&
	grep -qx "2030-01-14 10:00 CANCELLED Kundemøte Østby (endret)" "$TMP/khal.txt"'

test_expect "a wrong token is 404; a new link ends the old one; revoking ends it" '
	AUTH= http GET "/ical/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics" && expect_problem 404 not_found &&
	AUTH= http GET "/ical/short.ics" && expect_problem 404 not_found &&
	as_kari POST /api/v1/me/feed -H "Content-Type: application/json" && expect_eq 201 "$STATUS" &&
	new=$(body_json .url) && new=${new#https://crm.example.no} &&
	AUTH= http GET "$FEED" && expect_eq 404 "$STATUS" &&
	AUTH= http GET "$new" && expect_eq 200 "$STATUS" &&
	as_kari DELETE /api/v1/me/feed -H "Content-Type: application/json" && expect_eq 204 "$STATUS" &&
	AUTH= http GET "$new" && expect_eq 404 "$STATUS" &&
	as_kari GET /api/v1/me/feed && expect_eq false "$(body_json .active)"'

test_expect "one appointment as .ics: with its notes and attendee; out of reach is 404" '
	as_kari GET "/api/v1/appointments/$A3.ics" && expect_eq 200 "$STATUS" &&
	expect_eq "text/calendar; charset=utf-8" "$(header Content-Type)" &&
	[[ $(header Content-Disposition) == *"appointment-$A3.ics"* ]] &&
	grep -q "^RRULE:FREQ=WEEKLY;COUNT=3" "$TMP/body" &&
	as_kari GET "/api/v1/appointments/$A1.ics" && grep -q "^DESCRIPTION:hemmelig notat" "$TMP/body" &&
	grep -q "mailto:ola.nordmann@example.com" "$TMP/body" &&
	AUTH="-H Authorization:Bearer\\ $PER" http GET "/api/v1/appointments/$A1.ics" &&
	expect_problem 404 not_found &&
	as_kari GET "/api/v1/appointments/999999.ics" && expect_problem 404 not_found'

test_expect "import API: the Outlook file, a dry run, errors with lines, 415 for other types" '
	as_kari POST "/api/v1/imports/ics?dry_run=1" -H "Content-Type: text/calendar" \
		--data-binary @"$CASES/ics-outlook-windows-tzid/outlook-w-europe.ics" &&
	expect_eq 200 "$STATUS" && expect_eq false "$(body_json .stored)" &&
	expect_eq 3 "$(body_json .created)" &&
	as_kari POST /api/v1/imports/ics -H "Content-Type: text/calendar" \
		--data-binary @"$CASES/ics-outlook-windows-tzid/outlook-w-europe.ics" &&
	expect_eq 200 "$STATUS" && expect_eq true "$(body_json .stored)" &&
	expect_eq 3 "$(body_json .created)" &&
	expect_eq "44 65 86" "$(body_json "[.warnings[].line] | join(\" \")")" &&
	as_kari GET "/api/v1/appointments?from=2026-01-15&to=2026-01-16" &&
	expect_eq "2026-01-15T09:00:00Z" "$(body_json ".items[] | select(.subject == \"Kundemøte Fjordlys Regnskap AS\") | .start_utc")" &&
	as_kari POST /api/v1/imports/ics -H "Content-Type: text/calendar" \
		--data-binary @"$CASES/ics-outlook-windows-tzid/outlook-w-europe.ics" &&
	expect_eq 3 "$(body_json .skipped)" && expect_eq 0 "$(body_json .created)" &&
	printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:2025BAD\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n" >"$TMP/bad.ics" &&
	as_kari POST /api/v1/imports/ics -H "Content-Type: text/calendar" --data-binary @"$TMP/bad.ics" &&
	expect_eq 400 "$STATUS" && expect_eq false "$(body_json .stored)" &&
	[ "$(body_json "[.errors[].line] | index(5)")" != null ] &&
	as_kari POST /api/v1/imports/ics -H "Content-Type: application/json" -d "{}" &&
	expect_eq 415 "$STATUS" &&
	as_kari POST "/api/v1/imports/ics?owner=per@example.no" -H "Content-Type: text/calendar" \
		--data-binary @"$TMP/bad.ics" && expect_problem 403 forbidden'

test_expect "the invitation files in order: one appointment, updated, then cancelled for good" '
	for f in 1-request 2-update 3-cancel-without-vtimezone 2-update 1-request; do
		as_kari POST /api/v1/imports/ics -H "Content-Type: text/calendar" \
			--data-binary @"$CASES/ics-itip-request-update-cancel/$f.ics" &&
		echo "$f $(body_json "[.created, .updated, .cancelled, .skipped] | join(\" \")")" || return 1
	done >"$TMP/itip.txt" && cat "$TMP/itip.txt" &&
	expect_eq "1-request 1 0 0 0
2-update 0 1 0 0
3-cancel-without-vtimezone 0 0 1 0
2-update 0 0 0 1
1-request 0 0 0 1" "$(cat "$TMP/itip.txt")" &&
	as_kari GET "/api/v1/appointments?from=2025-11-12&to=2025-11-13" &&
	expect_eq 1 "$(body_json ".items | length")" &&
	expect_eq cancelled "$(body_json ".items[0].status")" &&
	expect_eq 1 "$(body_json ".items[0].customer_id")"'

test_expect "CLI: export, import into a new database, export again: identical" '
	cli export ics --owner kari@example.no >"$TMP/e1.ics" &&
	"$AVTALE_BIN" --db "$TMP/b.db" init >/dev/null &&
	"$AVTALE_BIN" --db "$TMP/b.db" user add kari@example.no --name "Kari Nordmann" --role rep >/dev/null &&
	"$AVTALE_BIN" --db "$TMP/b.db" import ics "$TMP/e1.ics" --owner kari@example.no 2>/dev/null &&
	"$AVTALE_BIN" --db "$TMP/b.db" export ics --owner kari@example.no >"$TMP/e2.ics" &&
	cmp "$TMP/e1.ics" "$TMP/e2.ics" &&
	[ "$(grep -c "^BEGIN:VEVENT" "$TMP/e1.ics")" -ge 7 ] &&
	cli export ics --owner kari@example.no --from 2030-01-15 --to 2030-01-17 >"$TMP/e3.ics" &&
	[ "$(grep -c "^BEGIN:VEVENT" "$TMP/e3.ics")" = 2 ]'

test_expect "CLI feed: new prints the link once, show and revoke" '
	url=$(cli feed new kari@example.no --public-url https://crm.example.no/) &&
	[[ $url == https://crm.example.no/ical/*.ics ]] &&
	AUTH= http GET "${url#https://crm.example.no}" && expect_eq 200 "$STATUS" &&
	[ "$(cli feed show kari@example.no | cut -f1)" = active ] &&
	cli feed revoke kari@example.no &&
	[ "$(cli feed show kari@example.no | cut -f1)" = inactive ]'

test_expect "wrong tokens are rate-limited per address (429 with Retry-After)" '
	for i in $(seq 20); do AUTH= http GET "/ical/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB$((i % 10)).ics"; done &&
	AUTH= http GET "/ical/CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC.ics" &&
	expect_problem 429 too_many_requests && expect_eq 900 "$(header Retry-After)"'

finish
