#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reports through the real server and the CLI: the appointments report by
# local day (report-day-grouping-local: 23:30 UTC on 2025-03-29 is
# 2025-03-30 in Oslo), the contact rate with an empty territory (rate
# null) and its drill-down, CSV with a BOM and neutralised formulas, SVG
# without script, and the definitions printed by the CLI.
. "$(dirname "$0")/lib.sh"

DB=$TMP/avtale.db
cli() { "$AVTALE_BIN" --db "$DB" "$@"; }

export AVTALE_NOW=1740787200 # 2025-03-01T00:00:00Z
cli territory add OSL Oslo >/dev/null
cli territory add BGO Bergen >/dev/null
cli territory add TRD Trondheim >/dev/null
cli customer add --number 100 --name "=HYPERLINK(\"x\")" --territory OSL \
	--status customer >/dev/null
cli customer add --number 200 --name "Bergen Bygg" --territory BGO \
	--status customer >/dev/null
book() { # customer, UTC start -> id
	cli --json appointment add --customer "$1" --start "$2" --tz UTC \
		--duration 30 --force | jq -r .id
}
A1=$(book 100 2025-03-29T23:30)
A2=$(book 100 2025-03-30T21:59)
A3=$(book 200 2025-03-30T22:00)
export AVTALE_NOW=1743638400 # 2025-04-03T00:00:00Z
cli appointment complete "$A1" --outcome interested >/dev/null
cli appointment cancel "$A2" --reason "sick" >/dev/null
cli appointment complete "$A3" --outcome order_placed >/dev/null
start_server || exit 1

Q='from=2025-03-29&to=2025-04-01&tz=Europe/Oslo'
test_expect "appointments per Oslo day" '
	http GET "/api/v1/reports/appointments?$Q&group_by=day" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq 0 "$(body_json ".rows[] | select(.key == \"2025-03-29\") | .total")" 03-29 &&
	expect_eq 2 "$(body_json ".rows[] | select(.key == \"2025-03-30\") | .total")" 03-30 &&
	expect_eq 1 "$(body_json ".rows[] | select(.key == \"2025-03-31\") | .total")" 03-31 &&
	expect_eq 2 "$(body_json .total.held)" held &&
	expect_eq 1 "$(body_json .total.cancelled)" cancelled &&
	expect_eq 2025-03-30T00:00:00+01:00 "$(body_json ".rows[1].from")" from
'
test_expect "the same days in UTC differ" '
	http GET "/api/v1/reports/appointments?from=2025-03-29&to=2025-04-01&tz=UTC" &&
	expect_eq 1 "$(body_json ".rows[] | select(.key == \"2025-03-29\") | .total")" 03-29
'
test_expect "group by territory and outcome" '
	http GET "/api/v1/reports/appointments?$Q&group_by=territory" &&
	expect_eq 2 "$(body_json ".rows[] | select(.key == \"OSL\") | .total")" OSL &&
	http GET "/api/v1/reports/appointments?$Q&group_by=outcome" &&
	expect_eq 1 "$(body_json ".rows[] | select(.key == \"order_placed\") | .total")" order_placed
'
test_expect "a bad group_by is a 400 naming it" '
	http GET "/api/v1/reports/appointments?$Q&group_by=hour" &&
	expect_problem 400 invalid &&
	expect_eq group_by "$(body_json .field)" field
'
test_expect "contact rate: empty territory has rate null" '
	http GET "/api/v1/reports/contact-rate?$Q" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq 1 "$(body_json ".territories[] | select(.territory == \"OSL\") | .contacts")" OSL &&
	expect_eq 1 "$(body_json ".territories[] | select(.territory == \"OSL\") | .rate")" rate &&
	expect_eq 0 "$(body_json ".territories[] | select(.territory == \"TRD\") | .customers")" TRD &&
	expect_eq null "$(body_json ".territories[] | select(.territory == \"TRD\") | .rate")" TRD.rate &&
	body_json .definition | grep -q "contact rate = contacts / customers"
'
test_expect "drill-down lists the customers not contacted" '
	http GET "/api/v1/reports/contact-rate/uncontacted?from=2025-03-29&to=2025-03-30&tz=Europe/Oslo" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq 2 "$(body_json ".items | length")" count &&
	http GET "/api/v1/reports/contact-rate/uncontacted?$Q&territory=BGO" &&
	expect_eq 0 "$(body_json ".items | length")" BGO
'
test_expect "CSV: BOM, semicolons, neutralised formula" '
	http GET "/api/v1/reports/contact-rate/uncontacted?from=2025-03-29&to=2025-03-30&tz=Europe/Oslo&format=csv&sep=;" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq "text/csv; charset=utf-8" "$(header Content-Type)" type &&
	expect_eq efbbbf "$(head -c 3 "$TMP/body" | od -An -tx1 | tr -d " \n")" BOM &&
	grep -q "^OSL;[0-9]*;100;\"'\''=HYPERLINK(\"\"x\"\")\";admin" "$TMP/body"
'
test_expect "SVG charts without script" '
	http GET "/api/v1/reports/appointments?$Q&format=svg" &&
	expect_eq 200 "$STATUS" status &&
	expect_eq "image/svg+xml; charset=utf-8" "$(header Content-Type)" type &&
	grep -q "<svg" "$TMP/body" && ! grep -qi "<script" "$TMP/body" &&
	http GET "/api/v1/reports/contact-rate?$Q&format=svg" &&
	grep -q "no customers" "$TMP/body"
'
test_expect "CLI prints the definition and the table" '
	cli report contact-rate --from 2025-03-29 --to 2025-04-01 --tz Europe/Oslo >"$TMP/out" &&
	grep -q "^# Contact rate: contacts = appointments held" "$TMP/out" &&
	grep -q "^TRD	(all)	0	0	0	-	-$" "$TMP/out" &&
	cli report appointments --from 2025-03-29 --to 2025-04-01 --tz Europe/Oslo --group-by day >"$TMP/out" &&
	grep -q "^2025-03-30	2	0	1	1	0	0" "$TMP/out"
'
test_expect "CLI usage errors exit 2" '
	cli report appointments --from 2025-03-29 2>/dev/null; test $? = 2 &&
	cli report appointments --from 2025-03-29 --to 2025-04-01 --group-by hour 2>/dev/null; test $? = 2
'
finish
