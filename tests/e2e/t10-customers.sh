#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Customers and contacts through the JSON API: create, read, list with a
# cursor, update with If-Match (412 stale, 428 missing), soft delete, and
# errors that name the field.
. "$(dirname "$0")/lib.sh"

if ! start_server; then
	test_expect "server starts" false
	test_expect "the first page and its script are served with the CSP" '
	http GET / &&
	expect_eq 200 "$STATUS" &&
	[[ $(header Content-Type) == text/html* ]] &&
	grep -q "/js/app.js" "$TMP/body" &&
	expect_security_headers &&
	http GET /js/app.js &&
	expect_eq 200 "$STATUS" &&
	! grep -q "innerHTML" "$TMP/body"'

finish
	exit
fi

json() { http "$1" "$2" -H 'Content-Type: application/json' --data-binary "$3" "${@:4}"; }

test_expect "POST /customers creates a record with Location and ETag" '
	json POST /api/v1/customers "{\"customer_number\":\"0150\",\"name\":\"Ærø Bygg AS\",\"status\":\"customer\",\"phone\":\"+47 22 12 34 56\",\"postcode\":\"0150\",\"city\":\"Oslo\"}" &&
	expect_eq 201 "$STATUS" status &&
	expect_eq "\"1\"" "$(header ETag)" ETag &&
	expect_eq "/api/v1/customers/$(body_json .id)" "$(header Location)" Location &&
	expect_eq "0150" "$(body_json .customer_number)" &&
	expect_eq "0150" "$(body_json .postcode)" &&
	expect_eq "Ærø Bygg AS" "$(body_json .name)" &&
	expect_eq "NO" "$(body_json .country)" &&
	expect_eq "Europe/Oslo" "$(body_json .time_zone)" &&
	expect_eq "admin" "$(body_json .owner)" &&
	expect_eq 1 "$(body_json .version)"'
ID=$(body_json .id)

test_expect "GET /customers/{id} returns it with its version as ETag" '
	http GET /api/v1/customers/$ID &&
	expect_eq 200 "$STATUS" &&
	expect_eq "\"1\"" "$(header ETag)" &&
	expect_eq "Ærø Bygg AS" "$(body_json .name)"'

test_expect "duplicate customer number is a 409 naming the field" '
	json POST /api/v1/customers "{\"customer_number\":\"0150\",\"name\":\"Kopi AS\"}" &&
	expect_problem 409 conflict &&
	expect_eq customer_number "$(body_json .field)"'

test_expect "missing name is a 400 naming the field" '
	json POST /api/v1/customers "{\"customer_number\":\"9\"}" &&
	expect_problem 400 invalid &&
	expect_eq name "$(body_json .field)"'

test_expect "unknown field is a 400 naming it" '
	json POST /api/v1/customers "{\"customer_number\":\"9\",\"name\":\"X\",\"colour\":\"red\"}" &&
	expect_problem 400 invalid &&
	expect_eq colour "$(body_json .field)"'

test_expect "a spreadsheet-mangled phone is refused" '
	json POST /api/v1/customers "{\"customer_number\":\"9\",\"name\":\"X\",\"phone\":\"4,79123E+10\"}" &&
	expect_problem 400 invalid &&
	expect_eq phone "$(body_json .field)"'

test_expect "a wrong type is a 400 naming the field" '
	json POST /api/v1/customers "{\"customer_number\":9,\"name\":\"X\"}" &&
	expect_problem 400 invalid &&
	expect_eq customer_number "$(body_json .field)"'

test_expect "an unknown territory is a 400 naming the field" '
	json POST /api/v1/customers "{\"customer_number\":\"9\",\"name\":\"X\",\"territory\":\"Atlantis\"}" &&
	expect_problem 400 invalid &&
	expect_eq territory "$(body_json .field)"'

test_expect "form-encoded writes are refused with 415" '
	http POST /api/v1/customers -H "Content-Type: application/x-www-form-urlencoded" --data "name=x" &&
	expect_problem 415 unsupported'

test_expect "PATCH without If-Match answers 428" '
	json PATCH /api/v1/customers/$ID "{\"city\":\"Bergen\"}" &&
	expect_eq 428 "$STATUS"'

test_expect "PATCH with the current version updates and raises it" '
	json PATCH /api/v1/customers/$ID "{\"city\":\"Bergen\",\"postcode\":\"5003\"}" -H "If-Match: \"1\"" &&
	expect_eq 200 "$STATUS" &&
	expect_eq Bergen "$(body_json .city)" &&
	expect_eq 2 "$(body_json .version)" &&
	expect_eq "\"2\"" "$(header ETag)" &&
	expect_eq "Ærø Bygg AS" "$(body_json .name)"'

test_expect "PATCH with a stale version answers 412 and changes nothing" '
	json PATCH /api/v1/customers/$ID "{\"city\":\"Tromsø\"}" -H "If-Match: \"1\"" &&
	expect_problem 412 stale_version &&
	http GET /api/v1/customers/$ID &&
	expect_eq Bergen "$(body_json .city)"'

test_expect "a read-only field with another value is refused, not ignored" '
	json PATCH /api/v1/customers/$ID "{\"owner_id\":999}" -H "If-Match: \"2\"" &&
	expect_problem 400 invalid &&
	expect_eq owner_id "$(body_json .field)" &&
	json PATCH /api/v1/customers/$ID "{\"version\":2,\"id\":$ID}" -H "If-Match: \"2\"" &&
	expect_eq 200 "$STATUS" &&
	expect_eq 2 "$(body_json .version)"'

test_expect "contacts are created under the customer and listed" '
	json POST /api/v1/customers/$ID/contacts "{\"name\":\"Åse Ås\",\"title\":\"Salgssjef\",\"mobile\":\"415 55 555\",\"email\":\"ase.as@example.com\"}" &&
	expect_eq 201 "$STATUS" &&
	expect_eq "$ID" "$(body_json .customer_id)" &&
	http GET /api/v1/customers/$ID/contacts &&
	expect_eq 1 "$(body_json ".items | length")" &&
	expect_eq "Åse Ås" "$(body_json ".items[0].name")"'
CID=$(jq -r '.items[0].id' <"$TMP/body")

test_expect "contact PATCH needs If-Match and validates e-mail" '
	json PATCH /api/v1/contacts/$CID "{\"email\":\"nei\"}" -H "If-Match: 1" &&
	expect_problem 400 invalid &&
	expect_eq email "$(body_json .field)" &&
	json PATCH /api/v1/contacts/$CID "{\"title\":\"Daglig leder\"}" -H "If-Match: 1" &&
	expect_eq 200 "$STATUS" &&
	expect_eq "Daglig leder" "$(body_json .title)"'

test_expect "list pages with a cursor and filters by status" '
	for n in 2 3 4; do
		json POST /api/v1/customers "{\"customer_number\":\"100$n\",\"name\":\"Side $n AS\"}" || return 1
	done
	http GET "/api/v1/customers?limit=2" &&
	expect_eq 2 "$(body_json ".items | length")" &&
	cursor=$(body_json .next_cursor) &&
	http GET "/api/v1/customers?limit=2&cursor=$cursor" &&
	expect_eq 2 "$(body_json ".items | length")" &&
	http GET "/api/v1/customers?status=customer" &&
	expect_eq 1 "$(body_json ".items | length")" &&
	http GET "/api/v1/customers?status=bogus" &&
	expect_problem 400 invalid &&
	expect_eq status "$(body_json .field)"'

test_expect "a bad id or limit is handled, not crashed on" '
	http GET /api/v1/customers/abc && expect_problem 404 not_found &&
	http GET /api/v1/customers/99999999 && expect_problem 404 not_found &&
	http GET "/api/v1/customers?limit=0" && expect_problem 400 invalid &&
	expect_eq limit "$(body_json .field)"'

test_expect "DELETE soft-deletes: the record is gone from reads" '
	http DELETE /api/v1/customers/$ID &&
	expect_eq 204 "$STATUS" &&
	http GET /api/v1/customers/$ID &&
	expect_problem 404 not_found'

test_expect "the audit log kept every change (CLI reads the same database)" '
	"$AVTALE_BIN" --db "$TMP/avtale.db" --json customer list >/dev/null'

test_expect "access log names no customer data, even in paths" '
	http GET /api/v1/customers/kari.nordmann@example.no &&
	http GET /Kari%20Nordmann &&
	sleep 0.2 &&
	! grep -q "kari.nordmann\|Kari" "$TMP/stderr" &&
	grep -q "GET /api/v1/customers/{id} 404" "$TMP/stderr" &&
	! grep -q "Ærø\|ase.as\|415 55" "$TMP/stderr"'

test_expect "territories and users are readable" '
	http GET /api/v1/users &&
	expect_eq admin "$(body_json ".items[0].email")" &&
	http GET /api/v1/territories &&
	expect_eq 200 "$STATUS"'

test_expect "the first page and its script are served with the CSP" '
	http GET / &&
	expect_eq 200 "$STATUS" &&
	[[ $(header Content-Type) == text/html* ]] &&
	grep -q "/js/app.js" "$TMP/body" &&
	expect_security_headers &&
	http GET /js/app.js &&
	expect_eq 200 "$STATUS" &&
	! grep -q "innerHTML" "$TMP/body"'

finish
