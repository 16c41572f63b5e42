#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The access matrix, generated from `avtale routes` (the route table with
# the policy of each role): every non-public route is called by a rep, a
# manager and an admin against the rep's own record, a colleague's record in
# the same territory, a record in another territory and a missing id. The
# expected answer follows from the route's reach for the role: none -> 403,
# beyond the reach or missing -> 404 (no existence oracle), within -> past
# the gate. After every refused request the database must be unchanged.
# Then: ids inside bodies, lists, search hits and calendars stay in reach.
. "$(dirname "$0")/lib.sh"

DB=$TMP/avtale.db
cli() { "$AVTALE_BIN" --db "$DB" "$@"; }
cli territory add OSL Oslo >/dev/null
cli territory add BGO Bergen >/dev/null
for u in rep1:rep:OSL rep2:rep:OSL man1:manager:OSL rep3:rep:BGO; do
	IFS=: read -r name role terr <<<"$u"
	cli user add "$name@example.no" --name "$name" --role "$role" \
		--territory "$terr" >/dev/null
done
declare -A TOKEN
TOKEN[rep]=$(cli token add rep1@example.no --name t --write)
TOKEN[manager]=$(cli token add man1@example.no --name t --write)
TOKEN[admin]=$ADMIN_TOKEN
uid() { cli --json user list | jq -r ".[] | select(.email == \"$1\") | .id"; }
declare -A USER_ID=([own]=$(uid rep1@example.no) [col]=$(uid rep2@example.no)
	[far]=$(uid rep3@example.no) [missing]=999999)
declare -A OWNER=([own]=rep1@example.no [col]=rep2@example.no [far]=rep3@example.no)
declare -A TERR=([own]=OSL [col]=OSL [far]=BGO)
TERR_ID_OSL=$(cli --json territory list | jq -r '.[] | select(.code == "OSL") | .id')
TERR_ID_BGO=$(cli --json territory list | jq -r '.[] | select(.code == "BGO") | .id')
declare -A TERR_ID=([own]=$TERR_ID_OSL [col]=$TERR_ID_OSL [far]=$TERR_ID_BGO [missing]=999999)

if ! start_server; then
	test_expect "server starts" false
	finish
	exit
fi

# as ROLE METHOD PATH [curl options]
as() { AUTH="-H Authorization:Bearer\\ ${TOKEN[$1]}" http "${@:2}"; }
admin_json() { http "$1" "$2" -H "Content-Type: application/json" --data-binary "$3"; }

# A counter kept in a file: fresh_* run in $(...) subshells.
echo 0 >"$TMP/seq"
SEQ=0
next_seq() {
	SEQ=$(($(cat "$TMP/seq") + 1))
	echo "$SEQ" >"$TMP/seq"
}
# fresh_KIND REL: a new record belonging to REL; prints its id.
fresh_customer() {
	next_seq
	admin_json POST /api/v1/customers "{\"customer_number\":\"M$SEQ\",\"name\":\"Matrise $SEQ\",\"owner\":\"${OWNER[$1]}\",\"territory\":\"${TERR[$1]}\"}"
	body_json .id
}
fresh_contact() {
	local c
	c=$(fresh_customer "$1")
	admin_json POST "/api/v1/customers/$c/contacts" '{"name":"Kontakt Person","email":"k@example.no"}'
	body_json .id
}
fresh_appointment() {
	local c day
	c=$(fresh_customer "$1")
	next_seq
	day=$(printf "2027-%02d-%02d" $((SEQ / 28 % 12 + 1)) $((SEQ % 28 + 1)))
	admin_json POST /api/v1/appointments "{\"customer_id\":$c,\"owner\":\"${OWNER[$1]}\",\"start\":\"$day 10:00\",\"duration\":30,\"subject\":\"Matrise\"}"
	body_json .id
}

# The id for route PATTERN and relation REL (own, col, far, missing).
target_id() {
	local pattern=$1 rel=$2
	if [ "$rel" = missing ]; then
		echo 999999
		return
	fi
	case $pattern in
	/api/v1/customers/*) fresh_customer "$rel" ;;
	/api/v1/contacts/*) fresh_contact "$rel" ;;
	/api/v1/appointments/*) fresh_appointment "$rel" ;;
	/api/v1/users/*) echo "${USER_ID[$rel]}" ;;
	/api/v1/territories/*) echo "${TERR_ID[$rel]}" ;;
	esac
}

# A request body (and headers) that passes validation where it can.
request_args() {
	local method=$1 pattern=$2 id=$3
	ARGS=()
	case "$method $pattern" in
	"PATCH /api/v1/customers/{id}") ARGS=(-H 'If-Match: "1"' -d '{"notes":"endret"}') ;;
	"PATCH /api/v1/contacts/{id}") ARGS=(-H 'If-Match: "1"' -d '{"title":"Daglig leder"}') ;;
	"PATCH /api/v1/appointments/{id}") ARGS=(-H 'If-Match: "1"' -d '{"subject":"Endret"}') ;;
	"POST /api/v1/customers/{id}/contacts") ARGS=(-d '{"name":"Ny Person"}') ;;
	"POST /api/v1/appointments/{id}/complete") ARGS=(-d '{"outcome":"interested"}') ;;
	"POST /api/v1/appointments/{id}/cancel") ARGS=(-d '{"reason":"matrise"}') ;;
	"POST /api/v1/appointments/{id}/no-show") ARGS=(-d '{}') ;;
	"PATCH /api/v1/users/{id}") ARGS=(-d '{"locale":"nb"}') ;;
	"POST /api/v1/users/{id}/reassign") ARGS=(-d "{\"to_user_id\":$id}") ;;
	"POST /api/v1/users/{id}/password") ARGS=(-d '{}') ;;
	"PATCH /api/v1/territories/{id}") ARGS=(-d '{}') ;;
	"POST /api/v1/customers") ARGS=(-d "{\"customer_number\":\"N$RANDOM$RANDOM\",\"name\":\"Ny kunde\"}") ;;
	"POST /api/v1/appointments") ARGS=(-d '{"start":"2028-02-01 09:00","duration":15,"subject":"Egen tid"}') ;;
	"POST /api/v1/users") ARGS=(-d "{\"email\":\"ny$RANDOM$RANDOM@example.no\",\"name\":\"Ny\"}") ;;
	"POST /api/v1/territories") ARGS=(-d "{\"code\":\"T$RANDOM$RANDOM\",\"name\":\"Ny\"}") ;;
	"GET /api/v1/appointments" | "GET /api/v1/reports/"*) ARGS=(-G -d from=2027-01-01 -d to=2027-02-01) ;;
	"GET /api/v1/search") ARGS=(-G -d q=Matrise) ;;
	esac
	ARGS=(-H "Content-Type: application/json" "${ARGS[@]}")
}

fingerprint() {
	sqlite3 "$DB" .dump | grep -v -e '^INSERT INTO "\?api_tokens' \
		-e '^INSERT INTO "\?sessions' -e '^INSERT INTO "\?login_failures' |
		md5sum | cut -d" " -f1
}

# expected REACH REL RESOURCE: "403", "404" or "pass".
expected() {
	local reach=$1 rel=$2 res=$3
	if [ "$reach" = none ]; then echo 403; return; fi
	if [ "$rel" = none ]; then echo pass; return; fi
	if [ "$rel" = missing ]; then echo 404; return; fi
	case $res in user | territory) echo pass; return ;; esac
	case "$reach:$rel" in
	all:* | own:own | territory:own | territory:col) echo pass ;;
	*) echo 404 ;;
	esac
}

MATRIX_BAD=
MATRIX_N=0
run_matrix() {
	local method pattern res rel role reach want before id path got
	while IFS=$'\t' read -r method pattern res r_rep r_man r_adm; do
		for role in rep manager admin; do
			case $role in rep) reach=$r_rep ;; manager) reach=$r_man ;; admin) reach=$r_adm ;; esac
			if [[ $pattern == *"{id}"* ]]; then rels="own col far missing"; else rels="none"; fi
			for rel in $rels; do
				id=
				path=$pattern
				if [ "$rel" != none ]; then
					id=$(target_id "$pattern" "$rel")
					path=${pattern//\{id\}/$id}
				fi
				request_args "$method" "$pattern" "$id"
				want=$(expected "$reach" "$rel" "$res")
				[ "$want" != pass ] && before=$(fingerprint)
				as "$role" "$method" "$path" "${ARGS[@]}"
				got=$STATUS
				MATRIX_N=$((MATRIX_N + 1))
				case $want in
				pass) [[ $got == 401 || $got == 403 || $got == 404 ]] &&
					MATRIX_BAD="$MATRIX_BAD|$role $method $path ($rel): want pass, got $got" ;;
				*) [ "$got" != "$want" ] &&
					MATRIX_BAD="$MATRIX_BAD|$role $method $path ($rel): want $want, got $got"
					[ "$(fingerprint)" != "$before" ] &&
					MATRIX_BAD="$MATRIX_BAD|$role $method $path ($rel): refused but the database changed" ;;
				esac
			done
		done
	done < <(cli routes | jq -r '.[] | select(.resource != "public" and .resource != "self") |
		[.method, .pattern, .resource, .reach.rep, .reach.manager, .reach.admin] | @tsv' |
		sort -k1,1r) # DELETEs after the rest; PATCH/POST/GET order is free
}

test_expect "every route x role x (own, colleague, other territory, missing)" '
	run_matrix
	echo "$MATRIX_N requests" &&
	[ "$MATRIX_N" -gt 150 ] &&
	{ [ -z "$MATRIX_BAD" ] || { tr "|" "\n" <<<"$MATRIX_BAD"; false; }; }'

C_OWN=$(fresh_customer own)
C_COL=$(fresh_customer col)
C_FAR=$(fresh_customer far)

test_expect "a customer id in a booking body beyond reach is 'does not exist', nothing stored" '
	before=$(fingerprint) &&
	as rep POST /api/v1/appointments -H "Content-Type: application/json" \
		-d "{\"customer_id\":$C_COL,\"start\":\"2028-03-01 10:00\",\"duration\":30}" &&
	expect_problem 400 invalid && expect_eq customer_id "$(body_json .field)" &&
	miss=$(body_json .detail | sed "s/$C_COL/N/") &&
	as rep POST /api/v1/appointments -H "Content-Type: application/json" \
		-d "{\"customer_id\":999999,\"start\":\"2028-03-01 10:00\",\"duration\":30}" &&
	expect_eq "$miss" "$(body_json .detail | sed "s/999999/N/")" &&
	as manager POST /api/v1/appointments -H "Content-Type: application/json" \
		-d "{\"customer_id\":$C_FAR,\"start\":\"2028-03-01 10:00\",\"duration\":30}" &&
	expect_problem 400 invalid &&
	expect_eq "$before" "$(fingerprint)"'

test_expect "a rep cannot book for a colleague or hand a customer away" '
	before=$(fingerprint) &&
	as rep POST /api/v1/appointments -H "Content-Type: application/json" \
		-d "{\"customer_id\":$C_OWN,\"owner\":\"rep2@example.no\",\"start\":\"2028-03-02 10:00\",\"duration\":30}" &&
	expect_problem 403 forbidden && expect_eq owner "$(body_json .field)" &&
	as rep PATCH "/api/v1/customers/$C_OWN" -H "Content-Type: application/json" \
		-H "If-Match: \"1\"" -d "{\"owner\":\"rep2@example.no\"}" &&
	expect_problem 403 forbidden &&
	as rep POST /api/v1/customers -H "Content-Type: application/json" \
		-d "{\"customer_number\":\"X1\",\"name\":\"X\",\"owner\":\"rep2@example.no\"}" &&
	expect_problem 403 forbidden &&
	expect_eq "$before" "$(fingerprint)"'

test_expect "lists and search hits hold only records in reach" '
	as rep GET "/api/v1/customers?limit=500" &&
	expect_eq "rep1@example.no" "$(body_json "[.items[].owner] | unique | join(\",\")")" &&
	as manager GET "/api/v1/customers?limit=500" &&
	expect_eq "OSL" "$(body_json "[.items[].territory] | unique | join(\",\")")" &&
	as admin GET "/api/v1/customers?limit=500" &&
	expect_eq "BGO,OSL" "$(body_json "[.items[].territory // empty] | unique | join(\",\")")" &&
	as rep GET "/api/v1/search?q=Matrise&limit=100" &&
	for id in $(body_json ".items[].customer_id"); do
		as admin GET "/api/v1/customers/$id" && expect_eq rep1@example.no "$(body_json .owner)" || return 1
	done &&
	as manager GET "/api/v1/search?q=Matrise&limit=100" &&
	n_man=$(body_json ".items | length") &&
	as admin GET "/api/v1/search?q=Matrise&limit=100" &&
	[ "$(body_json ".items | length")" -gt "$n_man" ] &&
	as rep GET "/api/v1/customers?owner=rep2@example.no" &&
	expect_eq 0 "$(body_json ".items | length")"'

test_expect "calendars: a rep sees no colleague or team, a manager only their territory" '
	as rep GET "/api/v1/calendar?owner=rep2@example.no" && expect_problem 403 forbidden &&
	as rep GET "/api/v1/calendar?scope=team" && expect_problem 403 forbidden &&
	as rep GET "/api/v1/calendar" && expect_eq 200 "$STATUS" &&
	as manager GET "/api/v1/calendar?owner=rep2@example.no" && expect_eq 200 "$STATUS" &&
	as manager GET "/api/v1/calendar?scope=team" && expect_eq 200 "$STATUS" &&
	as manager GET "/api/v1/calendar?owner=rep3@example.no" && expect_problem 403 forbidden &&
	as manager GET "/api/v1/calendar?scope=team&team=BGO" && expect_problem 403 forbidden &&
	as admin GET "/api/v1/calendar?scope=team&team=BGO" && expect_eq 200 "$STATUS"'

test_expect "a manager reports on their own territory only" '
	as manager GET "/api/v1/reports/contact-rate?from=2027-01-01&to=2027-02-01" &&
	expect_eq 200 "$STATUS" &&
	expect_eq OSL "$(body_json "[.. | objects | .territory? // empty | strings] | unique | join(\",\")")" &&
	as manager GET "/api/v1/reports/contact-rate?from=2027-01-01&to=2027-02-01&territory=BGO" &&
	expect_problem 403 forbidden'

test_expect "a rep reads, but may not change, a colleague appointment with their own customer" '
	admin_json POST /api/v1/appointments "{\"customer_id\":$C_OWN,\"owner\":\"rep2@example.no\",\"start\":\"2028-04-03 11:00\",\"duration\":30}" &&
	a=$(body_json .id) &&
	as rep GET "/api/v1/appointments/$a" && expect_eq 200 "$STATUS" &&
	before=$(fingerprint) &&
	as rep PATCH "/api/v1/appointments/$a" -H "Content-Type: application/json" \
		-H "If-Match: \"1\"" -d "{\"subject\":\"x\"}" &&
	expect_problem 403 forbidden &&
	as rep POST "/api/v1/appointments/$a/cancel" -H "Content-Type: application/json" \
		-d "{\"reason\":\"x\"}" &&
	expect_problem 403 forbidden &&
	expect_eq "$before" "$(fingerprint)"'

finish
