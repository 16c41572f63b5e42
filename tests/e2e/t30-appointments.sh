#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scheduling through the JSON API: booking (links, places, clock changes,
# all-day), conflicts and force, PATCH with If-Match, complete (with a
# follow-up), cancel, no-show, the record's tab, weekly series across the
# March change with one changed and one cancelled occurrence, the range
# query, and 50 parallel bookings of one slot. "Now" is fixed at
# 2025-06-01T12:00:00Z through AVTALE_NOW.
. "$(dirname "$0")/lib.sh"

export AVTALE_NOW=1748779200 # 2025-06-01T12:00:00Z

if ! start_server; then
	test_expect "server starts" false
	finish
	exit
fi

json() { http "$1" "$2" -H 'Content-Type: application/json' --data-binary "$3" "${@:4}"; }
A=/api/v1/appointments

# setup: a customer in Oslo with one contact, one in London
json POST /api/v1/customers '{"customer_number":"100","name":"Ærø Bygg AS"}'
CUST=$(body_json .id)
json POST /api/v1/customers/$CUST/contacts '{"name":"Åse Ås","mobile":"415 55 555"}'
CONTACT=$(body_json .id)
json POST /api/v1/customers '{"customer_number":"200","name":"Thames Ltd","country":"GB"}'
UK=$(body_json .id)

test_expect "POST books a video meeting: 201, Location, ETag, local and UTC times" '
	json POST $A "{\"customer_id\":$CUST,\"contact_id\":$CONTACT,\"start\":\"2025-09-01 10:00\",\"duration\":45,\"channel\":\"video\",\"video_url\":\"https://meet.example.com/abc\"}" &&
	expect_eq 201 "$STATUS" status &&
	expect_eq "/api/v1/appointments/$(body_json .id)" "$(header Location)" Location &&
	expect_eq "\"1\"" "$(header ETag)" ETag &&
	expect_eq "2025-09-01T10:00:00+02:00" "$(body_json .start)" start &&
	expect_eq "2025-09-01T10:45:00+02:00" "$(body_json .end)" end &&
	expect_eq "2025-09-01T08:00:00Z" "$(body_json .start_utc)" start_utc &&
	expect_eq "2025-09-01T08:45:00Z" "$(body_json .end_utc)" end_utc &&
	expect_eq Europe/Oslo "$(body_json .time_zone)" time_zone &&
	expect_eq admin "$(body_json .owner)" owner &&
	expect_eq "$CUST" "$(body_json .customer_id)" customer_id &&
	expect_eq "$CONTACT" "$(body_json .contact_id)" contact_id &&
	expect_eq video "$(body_json .channel)" channel &&
	expect_eq https://meet.example.com/abc "$(body_json .video_url)" video_url &&
	expect_eq scheduled "$(body_json .status)" status &&
	expect_eq "Meeting with Ærø Bygg AS" "$(body_json .subject)" subject &&
	expect_eq false "$(body_json .all_day)" all_day &&
	expect_eq 0 "$(body_json .sequence)" sequence &&
	expect_eq 0 "$(body_json .reschedule_count)" reschedule_count &&
	expect_eq 1 "$(body_json .version)" version &&
	expect_eq null "$(body_json .adjusted)" adjusted &&
	[ -n "$(body_json .uid)" ]'
VIDEO=$(body_json .id)

test_expect "GET returns the appointment with its version as ETag" '
	http GET $A/$VIDEO &&
	expect_eq 200 "$STATUS" &&
	expect_eq "\"1\"" "$(header ETag)" &&
	expect_eq "Åse Ås" "$(body_json .contact_name)" &&
	expect_eq "Ærø Bygg AS" "$(body_json .customer_name)" &&
	http GET $A/999999 && expect_problem 404 not_found &&
	http GET $A/abc && expect_problem 404 not_found'

test_expect "a video link must be https (400 naming video_url)" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-02 10:00\",\"duration\":30,\"channel\":\"video\",\"video_url\":\"http://meet.example.com/abc\"}" &&
	expect_problem 400 invalid &&
	expect_eq video_url "$(body_json .field)"'

test_expect "a face-to-face meeting needs a location" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-02 10:00\",\"duration\":30,\"channel\":\"in_person\"}" &&
	expect_problem 400 invalid &&
	expect_eq location "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-02 10:00\",\"duration\":30,\"channel\":\"in_person\",\"location\":\"Storgata 1, Oslo\",\"subject\":\"Befaring\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "Storgata 1, Oslo" "$(body_json .location)" &&
	expect_eq Befaring "$(body_json .subject)"'

test_expect "input errors name the field: unknown, wrong type, missing" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\",\"duration\":30,\"colour\":\"red\"}" &&
	expect_problem 400 invalid && expect_eq colour "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\",\"duration\":\"30\"}" &&
	expect_problem 400 invalid && expect_eq duration "$(body_json .field)" &&
	json POST $A "{\"customer_id\":\"$CUST\",\"start\":\"2025-09-03 10:00\",\"duration\":30}" &&
	expect_problem 400 invalid && expect_eq customer_id "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"duration\":30}" &&
	expect_problem 400 invalid && expect_eq start "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\"}" &&
	expect_problem 400 invalid && expect_eq duration "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-02-30 10:00\",\"duration\":30}" &&
	expect_problem 400 invalid && expect_eq start "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\",\"duration\":30,\"time_zone\":\"Mars/Olympus\"}" &&
	expect_problem 400 invalid && expect_eq time_zone "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\",\"duration\":30,\"type\":\"party\"}" &&
	expect_problem 400 invalid && expect_eq type "$(body_json .field)" &&
	json POST $A "{\"customer_id\":999999,\"start\":\"2025-09-03 10:00\",\"duration\":30}" &&
	expect_problem 400 invalid && expect_eq customer_id "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\",\"duration\":30,\"owner\":\"nobody@example.com\"}" &&
	expect_problem 400 invalid && expect_eq owner "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-03 10:00\",\"duration\":30,\"status\":\"completed\"}" &&
	expect_problem 400 invalid && expect_eq status "$(body_json .field)"'

test_expect "02:30 on 2025-03-30 in Oslo does not exist: booked at 03:30 CEST and said so" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-03-30 02:30\",\"duration\":30,\"time_zone\":\"Europe/Oslo\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "2025-03-30T01:30:00Z" "$(body_json .start_utc)" start_utc &&
	expect_eq "2025-03-30T03:30:00+02:00" "$(body_json .start)" start &&
	expect_eq "02:30 does not exist on 2025-03-30 in Europe/Oslo (clocks go forward); booked at 03:30" "$(body_json .adjusted)" adjusted'
GAP=$(body_json .id)

test_expect "02:30 on 2025-10-26 in Oslo occurs twice: the first one (00:30Z)" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-10-26 02:30\",\"duration\":30,\"time_zone\":\"Europe/Oslo\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "2025-10-26T00:30:00Z" "$(body_json .start_utc)" start_utc &&
	expect_eq "2025-10-26T02:30:00+02:00" "$(body_json .start)" start &&
	[[ $(body_json .adjusted) == "02:30 occurs twice on 2025-10-26 in Europe/Oslo (clocks go back); the first one was used" ]]'

test_expect "RFC 3339 input is taken exactly, nothing adjusted" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-03-31T02:30:00+02:00\",\"end\":\"2025-03-31T03:45:00+02:00\",\"time_zone\":\"Europe/Oslo\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "2025-03-31T00:30:00Z" "$(body_json .start_utc)" &&
	expect_eq "2025-03-31T01:45:00Z" "$(body_json .end_utc)" &&
	expect_eq null "$(body_json .adjusted)"'

test_expect "customer_time and rep_time show both sides of a cross-border call" '
	json POST $A "{\"customer_id\":$UK,\"start\":\"2025-09-04 10:00\",\"duration\":30}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq Europe/London "$(body_json .customer_time.time_zone)" &&
	expect_eq "2025-09-04T09:00:00+01:00" "$(body_json .customer_time.start)" &&
	expect_eq Europe/Oslo "$(body_json .rep_time.time_zone)" &&
	expect_eq "2025-09-04T10:00:00+02:00" "$(body_json .rep_time.start)" &&
	json POST $A "{\"customer_id\":$UK,\"start\":\"2025-09-05 10:00\",\"duration\":30,\"time_zone\":\"Europe/London\"}" &&
	expect_eq "2025-09-05T09:00:00Z" "$(body_json .start_utc)" &&
	expect_eq "2025-09-05T11:00:00+02:00" "$(body_json .rep_time.start)"'

test_expect "all-day: local midnight to midnight, days, 23-hour day in March" '
	json POST $A "{\"customer_id\":$CUST,\"all_day\":true,\"start\":\"2025-12-24\",\"subject\":\"Julebesøk\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq true "$(body_json .all_day)" &&
	expect_eq "2025-12-24T00:00:00+01:00" "$(body_json .start)" &&
	expect_eq "2025-12-25T00:00:00+01:00" "$(body_json .end)" &&
	json POST $A "{\"customer_id\":$CUST,\"all_day\":true,\"start\":\"2026-03-28\",\"days\":2,\"subject\":\"Messe\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "2026-03-27T23:00:00Z" "$(body_json .start_utc)" &&
	expect_eq "2026-03-29T22:00:00Z" "$(body_json .end_utc)" &&
	expect_eq "2026-03-30T00:00:00+02:00" "$(body_json .end)" &&
	json POST $A "{\"customer_id\":$CUST,\"all_day\":true,\"start\":\"2025-12-27 10:00\"}" &&
	expect_problem 400 invalid && expect_eq start "$(body_json .field)" &&
	json POST $A "{\"customer_id\":$CUST,\"all_day\":true,\"start\":\"2025-12-27\",\"duration\":60}" &&
	expect_problem 400 invalid && expect_eq duration "$(body_json .field)"'

test_expect "an overlapping booking is 409 with the conflicting appointment" '
	json POST $A "{\"customer_id\":$UK,\"start\":\"2025-09-01 10:30\",\"duration\":60}" &&
	expect_problem 409 conflict &&
	expect_eq start "$(body_json .field)" field &&
	[ -n "$(body_json .detail)" ] &&
	expect_eq "https://avtale.dev/problems/conflict" "$(body_json .type)" &&
	expect_eq 1 "$(body_json ".conflicts | length")" &&
	expect_eq "$VIDEO" "$(body_json ".conflicts[0].id")" &&
	expect_eq "2025-09-01T10:00:00+02:00" "$(body_json ".conflicts[0].start")" &&
	expect_eq "2025-09-01T10:45:00+02:00" "$(body_json ".conflicts[0].end")" &&
	expect_eq "$CUST" "$(body_json ".conflicts[0].customer_id")" &&
	expect_eq "Ærø Bygg AS" "$(body_json ".conflicts[0].customer_name")" &&
	expect_eq "Meeting with Ærø Bygg AS" "$(body_json ".conflicts[0].subject")"'

test_expect "force: true books it anyway (201)" '
	json POST $A "{\"customer_id\":$UK,\"start\":\"2025-09-01 10:30\",\"duration\":60,\"force\":true}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "2025-09-01T08:30:00Z" "$(body_json .start_utc)"'
FORCED=$(body_json .id)

test_expect "back-to-back is no conflict" '
	json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-09-01 09:00\",\"duration\":60}" &&
	expect_eq 201 "$STATUS"'

test_expect "PATCH needs If-Match: 428 when missing, 412 when stale" '
	json PATCH $A/$VIDEO "{\"start\":\"2025-09-08 10:00\"}" &&
	expect_problem 428 precondition_required &&
	json PATCH $A/$VIDEO "{\"start\":\"2025-09-08 10:00\"}" -H "If-Match: \"7\"" &&
	expect_problem 412 stale_version &&
	http GET $A/$VIDEO &&
	expect_eq "2025-09-01T10:00:00+02:00" "$(body_json .start)"'

test_expect "PATCH moves: reschedule_count, sequence and version go up, duration kept" '
	json PATCH $A/$VIDEO "{\"start\":\"2025-09-08 10:00\"}" -H "If-Match: \"1\"" &&
	expect_eq 200 "$STATUS" &&
	expect_eq "2025-09-08T10:00:00+02:00" "$(body_json .start)" &&
	expect_eq "2025-09-08T10:45:00+02:00" "$(body_json .end)" &&
	expect_eq 1 "$(body_json .reschedule_count)" reschedule_count &&
	expect_eq 1 "$(body_json .sequence)" sequence &&
	expect_eq 2 "$(body_json .version)" version &&
	expect_eq "\"2\"" "$(header ETag)" ETag &&
	expect_eq null "$(body_json .adjusted)"'

test_expect "PATCH of notes only: no reschedule, the version still rises" '
	json PATCH $A/$VIDEO "{\"notes\":\"Ta med tilbud\"}" -H "If-Match: 2" &&
	expect_eq 200 "$STATUS" &&
	expect_eq "Ta med tilbud" "$(body_json .notes)" &&
	expect_eq "2025-09-08T10:45:00+02:00" "$(body_json .end)" &&
	expect_eq 1 "$(body_json .reschedule_count)" &&
	expect_eq 3 "$(body_json .version)"'

test_expect "PATCH into another appointment is 409 unless forced" '
	json PATCH $A/$VIDEO "{\"start\":\"2025-09-01 10:00\"}" -H "If-Match: 3" &&
	expect_problem 409 conflict &&
	expect_eq "$FORCED" "$(body_json ".conflicts[0].id")" &&
	json PATCH $A/$VIDEO "{\"start\":\"2025-09-01 10:00\",\"force\":true}" -H "If-Match: 3" &&
	expect_eq 200 "$STATUS" &&
	expect_eq 2 "$(body_json .reschedule_count)"'

test_expect "PATCH refuses status and outcome, pointing to the actions" '
	json PATCH $A/$VIDEO "{\"status\":\"completed\"}" -H "If-Match: 4" &&
	expect_problem 400 invalid &&
	expect_eq status "$(body_json .field)" &&
	[[ $(body_json .detail) == *complete* ]] &&
	json PATCH $A/$VIDEO "{\"outcome\":\"interested\"}" -H "If-Match: 4" &&
	expect_problem 400 invalid &&
	expect_eq outcome "$(body_json .field)" &&
	json PATCH $A/$VIDEO "{\"sequence\":1,\"status\":\"scheduled\",\"subject\":\"Demo\",\"force\":true}" -H "If-Match: 4" &&
	expect_eq 200 "$STATUS" &&
	expect_eq Demo "$(body_json .subject)"'

test_expect "a GET body sent back as PATCH changes nothing but the version" '
	http GET $A/$VIDEO &&
	cp "$TMP/body" "$TMP/echo" &&
	v=$(body_json .version) &&
	json PATCH $A/$VIDEO "$(jq ".notes = \"Oppdatert\" | .force = true" "$TMP/echo")" -H "If-Match: $v" &&
	expect_eq 200 "$STATUS" &&
	expect_eq Oppdatert "$(body_json .notes)" &&
	expect_eq "$(jq -r .start "$TMP/echo")" "$(body_json .start)" &&
	expect_eq "$(jq -r .reschedule_count "$TMP/echo")" "$(body_json .reschedule_count)" &&
	expect_eq $((v + 1)) "$(body_json .version)" &&
	json POST $A "$(jq ".start = \"2025-12-01 10:00\" | del(.end) | .duration = 30" "$TMP/echo")" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "2025-12-01T10:00:00+01:00" "$(body_json .start)"'

# A past meeting to complete, another to miss, a third to cancel.
json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-05-05 09:00\",\"duration\":60,\"channel\":\"in_person\",\"location\":\"Kontoret\",\"subject\":\"Gjennomgang\"}"
PAST1=$(body_json .id)
json POST $A "{\"customer_id\":$CUST,\"start\":\"2025-05-12 09:00\",\"duration\":60}"
PAST2=$(body_json .id)

test_expect "complete requires an outcome from the list (400 field outcome)" '
	json POST $A/$PAST1/complete "{\"note\":\"fint møte\"}" &&
	expect_problem 400 invalid &&
	expect_eq outcome "$(body_json .field)" &&
	json POST $A/$PAST1/complete "{\"outcome\":\"super\"}" &&
	expect_problem 400 invalid &&
	expect_eq outcome "$(body_json .field)" &&
	json POST $A/$PAST1/complete "{\"outcome\":\"interested\",\"follow_up\":{\"duration\":30}}" &&
	expect_problem 400 invalid &&
	expect_eq follow_up.start "$(body_json .field)" &&
	json POST $A/$PAST1/complete "{\"outcome\":\"interested\",\"follow_up\":{\"start\":\"2025-06-10 10:00\",\"duration\":30,\"colour\":1}}" &&
	expect_problem 400 invalid &&
	expect_eq follow_up.colour "$(body_json .field)" &&
	http GET $A/$PAST1 && expect_eq scheduled "$(body_json .status)"'

test_expect "complete with a follow-up books a second appointment" '
	json POST $A/$PAST1/complete "{\"outcome\":\"interested\",\"note\":\"Vil ha tilbud\",\"follow_up\":{\"start\":\"2025-06-10 10:00\",\"duration\":30}}" &&
	expect_eq 200 "$STATUS" &&
	expect_eq completed "$(body_json .status)" &&
	expect_eq interested "$(body_json .outcome)" &&
	expect_eq "Vil ha tilbud" "$(body_json .outcome_note)" &&
	expect_eq "$PAST1" "$(body_json .follow_up.follow_up_of)" &&
	expect_eq follow-up "$(body_json .follow_up.type)" &&
	expect_eq "Follow-up: Gjennomgang" "$(body_json .follow_up.subject)" &&
	expect_eq in_person "$(body_json .follow_up.channel)" &&
	expect_eq Kontoret "$(body_json .follow_up.location)" &&
	expect_eq "$CUST" "$(body_json .follow_up.customer_id)" &&
	expect_eq "2025-06-10T10:00:00+02:00" "$(body_json .follow_up.start)" &&
	expect_eq scheduled "$(body_json .follow_up.status)" &&
	fu=$(body_json .follow_up.id) &&
	http GET $A/$fu &&
	expect_eq 200 "$STATUS" &&
	expect_eq "$PAST1" "$(body_json .follow_up_of)"'
http GET "$A?from=2025-06-10&to=2025-06-11"
FU=$(body_json '.items[0].id')

test_expect "a completed appointment cannot move (409) or complete again" '
	http GET $A/$PAST1 &&
	v=$(body_json .version) &&
	json PATCH $A/$PAST1 "{\"start\":\"2025-05-06 09:00\"}" -H "If-Match: $v" &&
	expect_problem 409 conflict &&
	json POST $A/$PAST1/complete "{\"outcome\":\"resolved\"}" &&
	expect_problem 409 conflict'

test_expect "actions honour If-Match" '
	json POST $A/$PAST2/no-show "{}" -H "If-Match: \"9\"" &&
	expect_problem 412 stale_version'

test_expect "no-show of a past appointment, refused for a future one" '
	http POST $A/$PAST2/no-show &&
	expect_eq 200 "$STATUS" &&
	expect_eq no_show "$(body_json .status)" &&
	json POST $A/$VIDEO/no-show "{}" &&
	expect_problem 409 conflict &&
	http GET $A/$VIDEO && expect_eq scheduled "$(body_json .status)"'

test_expect "cancel requires a reason, then cancels" '
	json POST $A/$GAP/cancel "{}" &&
	expect_problem 400 invalid &&
	expect_eq reason "$(body_json .field)" &&
	json POST $A/$GAP/cancel "{\"reason\":\"  \"}" &&
	expect_problem 400 invalid &&
	json POST $A/$GAP/cancel "{\"reason\":\"Kunden er syk\"}" &&
	expect_eq 200 "$STATUS" &&
	expect_eq cancelled "$(body_json .status)" &&
	expect_eq "Kunden er syk" "$(body_json .cancel_reason)" &&
	json POST $A/$GAP/cancel "{\"reason\":\"igjen\"}" &&
	expect_problem 409 conflict'

test_expect "a cancelled slot is free again" '
	json POST $A "{\"customer_id\":$UK,\"start\":\"2025-03-30 03:30\",\"duration\":30}" &&
	expect_eq 201 "$STATUS"'

test_expect "the tab: past newest first, upcoming soonest first" '
	http GET "/api/v1/customers/$CUST/appointments?when=past" &&
	expect_eq 200 "$STATUS" &&
	expect_eq past "$(body_json .when)" &&
	n=$(body_json ".items | length") && [ "$n" -ge 4 ] &&
	expect_eq true "$(body_json "[.items[].start_utc] == ([.items[].start_utc] | sort | reverse)")" past-order &&
	expect_eq true "$(body_json "all(.items[]; .start_utc < \"2025-06-01T12:00:00Z\")")" &&
	expect_eq "$PAST2" "$(body_json ".items[0].id")" &&
	expect_eq no_show "$(body_json ".items[0].status")" &&
	expect_eq interested "$(body_json ".items[1].outcome")" &&
	http GET "/api/v1/customers/$CUST/appointments?when=upcoming" &&
	n=$(body_json ".items | length") && [ "$n" -ge 4 ] &&
	expect_eq true "$(body_json "[.items[].start_utc] == ([.items[].start_utc] | sort)")" upcoming-order &&
	expect_eq "$FU" "$(body_json ".items[0].id")" &&
	expect_eq true "$(body_json "all(.items[]; .start_utc >= \"2025-06-01T12:00:00Z\")")" &&
	http GET "/api/v1/customers/$CUST/appointments?when=upcoming&limit=2" &&
	expect_eq 2 "$(body_json ".items | length")" &&
	http GET "/api/v1/customers/$CUST/appointments?when=later" &&
	expect_problem 400 invalid && expect_eq when "$(body_json .field)" &&
	http GET "/api/v1/customers/$CUST/appointments?limit=501" &&
	expect_problem 400 invalid && expect_eq limit "$(body_json .field)" &&
	http GET "/api/v1/customers/999999/appointments" &&
	expect_problem 404 not_found'

# A weekly series over the March clock change, for a customer of its own.
json POST /api/v1/customers '{"customer_number":"300","name":"Serie AS"}'
SCUST=$(body_json .id)

test_expect "a weekly series across 2025-03-30 stays at 09:00 local" '
	json POST $A "{\"customer_id\":$SCUST,\"start\":\"2025-03-23 09:00\",\"duration\":60,\"rrule\":\"FREQ=WEEKLY;COUNT=3\",\"subject\":\"Ukemøte\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "FREQ=WEEKLY;COUNT=3" "$(body_json .rrule)" &&
	SERIES=$(body_json .id) &&
	http GET "$A?from=2025-03-20&to=2025-04-10&customer=$SCUST" &&
	expect_eq 200 "$STATUS" &&
	expect_eq 3 "$(body_json ".items | length")" &&
	expect_eq "2025-03-23T08:00:00Z 2025-03-30T07:00:00Z 2025-04-06T07:00:00Z" "$(body_json "[.items[].start_utc] | join(\" \")")" &&
	expect_eq "2025-03-23T09:00:00+01:00 2025-03-30T09:00:00+02:00 2025-04-06T09:00:00+02:00" "$(body_json "[.items[].start] | join(\" \")")" &&
	expect_eq "$SERIES $SERIES $SERIES" "$(body_json "[.items[].id] | map(tostring) | join(\" \")")" &&
	expect_eq "2025-03-30T09:00:00+02:00" "$(body_json ".items[1].occurrence")"'
http GET "$A?from=2025-03-20&to=2025-03-24&customer=$SCUST"
SERIES=$(body_json ".items[0].id")

test_expect "a series can only be completed one occurrence at a time" '
	json POST $A/$SERIES/complete "{\"outcome\":\"interested\"}" &&
	expect_problem 400 invalid &&
	expect_eq occurrence "$(body_json .field)"'

test_expect "scope occurrence needs the occurrence; a bad scope is refused" '
	json PATCH $A/$SERIES "{\"scope\":\"occurrence\",\"start\":\"2025-03-30 11:00\"}" -H "If-Match: 1" &&
	expect_problem 400 invalid && expect_eq occurrence "$(body_json .field)" &&
	json PATCH $A/$SERIES "{\"scope\":\"some\",\"start\":\"2025-03-30 11:00\"}" -H "If-Match: 1" &&
	expect_problem 400 invalid && expect_eq scope "$(body_json .field)" &&
	json PATCH $A/$SERIES "{\"occurrence\":\"2025-03-30T09:00:00+02:00\",\"start\":\"2025-03-30 11:00\"}" -H "If-Match: 1" &&
	expect_problem 400 invalid && expect_eq scope "$(body_json .field)" &&
	json PATCH $A/$SERIES "{\"scope\":\"occurrence\",\"occurrence\":\"2025-03-31T09:00:00+02:00\",\"start\":\"2025-03-31 11:00\"}" -H "If-Match: 1" &&
	expect_problem 404 not_found && expect_eq occurrence "$(body_json .field)"'

test_expect "changing one occurrence moves only that one" '
	json PATCH $A/$SERIES "{\"scope\":\"occurrence\",\"occurrence\":\"2025-03-30T09:00:00+02:00\",\"start\":\"2025-03-30 11:00\"}" -H "If-Match: 1" &&
	expect_eq 200 "$STATUS" &&
	expect_eq "$SERIES" "$(body_json .series_id)" &&
	expect_eq "2025-03-30T09:00:00+02:00" "$(body_json .occurrence)" &&
	expect_eq "2025-03-30T11:00:00+02:00" "$(body_json .start)" &&
	expect_eq 1 "$(body_json .reschedule_count)" &&
	CHANGED=$(body_json .id) &&
	[ "$CHANGED" != "$SERIES" ] &&
	http GET "$A?from=2025-03-20&to=2025-04-10&customer=$SCUST" &&
	expect_eq 3 "$(body_json ".items | length")" &&
	expect_eq "2025-03-23T08:00:00Z 2025-03-30T09:00:00Z 2025-04-06T07:00:00Z" "$(body_json "[.items[].start_utc] | join(\" \")")" &&
	expect_eq "$CHANGED" "$(body_json ".items[1].id")"'

test_expect "cancelling one occurrence leaves the others scheduled" '
	json POST $A/$SERIES/cancel "{\"reason\":\"Påske\",\"occurrence\":\"2025-04-06T09:00:00+02:00\"}" &&
	expect_eq 200 "$STATUS" &&
	expect_eq cancelled "$(body_json .status)" &&
	expect_eq "$SERIES" "$(body_json .series_id)" &&
	http GET "$A?from=2025-03-20&to=2025-04-10&customer=$SCUST" &&
	expect_eq 3 "$(body_json ".items | length")" &&
	expect_eq "scheduled scheduled cancelled" "$(body_json "[.items[].status] | join(\" \")")"'

test_expect "completing one occurrence of a series" '
	json POST $A/$SERIES/complete "{\"outcome\":\"no_decision\",\"occurrence\":\"2025-03-23T09:00:00+01:00\"}" &&
	expect_eq 200 "$STATUS" &&
	expect_eq completed "$(body_json .status)" &&
	expect_eq "$SERIES" "$(body_json .series_id)" &&
	expect_eq "2025-03-23T09:00:00+01:00" "$(body_json .start)"'

test_expect "the range query expands series for the rep and the rep's customers" '
	http GET "$A?from=2025-03-20&to=2025-04-10" &&
	expect_eq 200 "$STATUS" &&
	expect_eq true "$(body_json "[.items[].start_utc] == ([.items[].start_utc] | sort)")" order &&
	expect_eq 3 "$(body_json "[.items[] | select(.customer_id == $SCUST)] | length")" &&
	expect_eq "2025-03-19T23:00:00Z" "$(body_json .from)" &&
	http GET "$A?from=2025-03-20&to=2025-04-10&owner=me&scope=held" &&
	n1=$(body_json ".items | length") &&
	http GET "$A?from=2025-03-20&to=2025-04-10&owner=admin&scope=customers" &&
	expect_eq 200 "$STATUS" &&
	[ "$(body_json ".items | length")" -ge 3 ] &&
	http GET "$A?from=2025-03-20T00:00:00Z&to=2025-03-24T00:00:00Z&customer=$SCUST" &&
	expect_eq 1 "$(body_json ".items | length")" &&
	[ "$n1" -ge 4 ]'

test_expect "range errors name the parameter" '
	http GET "$A?to=2025-04-10" &&
	expect_problem 400 invalid && expect_eq from "$(body_json .field)" &&
	http GET "$A?from=2025-04-10" &&
	expect_problem 400 invalid && expect_eq to "$(body_json .field)" &&
	http GET "$A?from=2025-04-10&to=2025-04-01" &&
	expect_problem 400 invalid && expect_eq to "$(body_json .field)" &&
	http GET "$A?from=2025-01-01&to=2026-01-03" &&
	expect_problem 400 invalid && expect_eq to "$(body_json .field)" &&
	http GET "$A?from=yesterday&to=2025-04-01" &&
	expect_problem 400 invalid && expect_eq from "$(body_json .field)" &&
	http GET "$A?from=2025-03-01&to=2025-04-01&owner=nobody@example.com" &&
	expect_problem 400 invalid && expect_eq owner "$(body_json .field)" &&
	http GET "$A?from=2025-03-01&to=2025-04-01&scope=all" &&
	expect_problem 400 invalid && expect_eq scope "$(body_json .field)"'

test_expect "scope following splits the series from that occurrence on" '
	json POST $A "{\"customer_id\":$SCUST,\"start\":\"2025-10-06 14:00\",\"duration\":30,\"rrule\":\"FREQ=WEEKLY;COUNT=4\",\"subject\":\"Status\"}" &&
	expect_eq 201 "$STATUS" &&
	S2=$(body_json .id) &&
	json PATCH $A/$S2 "{\"scope\":\"following\",\"occurrence\":\"2025-10-20T14:00:00+02:00\",\"start\":\"2025-10-20 15:00\"}" -H "If-Match: 1" &&
	expect_eq 200 "$STATUS" &&
	[ "$(body_json .id)" != "$S2" ] &&
	http GET "$A?from=2025-10-01&to=2025-11-30&customer=$SCUST" &&
	expect_eq "14:00 14:00 15:00 15:00" "$(body_json "[.items[].start[11:16]] | join(\" \")")"'

test_expect "50 parallel bookings of one slot: exactly one 201, 49 409" '
	mkdir -p "$TMP/par" &&
	for i in $(seq 50); do
		curl -sS -o /dev/null -w "%{http_code}\n" -X POST \
			-H "Authorization: Bearer $ADMIN_TOKEN" \
			-H "Content-Type: application/json" \
			--data-binary "{\"customer_id\":$CUST,\"start\":\"2025-11-03 10:00\",\"duration\":60}" \
			"$BASE$A" >"$TMP/par/$i" &
	done
	wait
	cat "$TMP"/par/* | sort | uniq -c &&
	expect_eq 1 "$(cat "$TMP"/par/* | grep -c "^201$")" 201s &&
	expect_eq 49 "$(cat "$TMP"/par/* | grep -c "^409$")" 409s &&
	http GET "$A?from=2025-11-03&to=2025-11-04" &&
	expect_eq 1 "$(body_json "[.items[] | select(.start_utc == \"2025-11-03T09:00:00Z\")] | length")"'

test_expect "the access log names no customer data" '
	! grep -q "Ærø\|Åse\|Kunden er syk" "$TMP/stderr"'

stop_server
test_expect "the server stops cleanly (no sanitizer report)" '
	if grep -q "Sanitizer\|runtime error" "$TMP/stderr"; then
		cat "$TMP/stderr"
		false
	fi &&
	expect_eq 0 "$SERVER_STATUS" "exit status"'

finish
