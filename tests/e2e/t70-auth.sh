#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sign-in and the server's edge: sessions (cookie attributes, expiry on
# sign-out and password change), CSRF and Origin checks, read-only tokens,
# 401 for every data route without credentials, rate limits, security
# headers on every kind of answer, and limits on hostile input (413, 414,
# 431, 400), slow clients cut off.
. "$(dirname "$0")/lib.sh"

PW=riktig-hest-batteri-stift
echo "$PW" | "$AVTALE_BIN" --db "$TMP/avtale.db" user add kari@example.no \
	--name "Kari Nordmann" --role rep --password-stdin >/dev/null
echo "$PW" | "$AVTALE_BIN" --db "$TMP/avtale.db" user add per@example.no \
	--name "Per Hansen" --role rep --password-stdin >/dev/null
READ_TOKEN=$("$AVTALE_BIN" --db "$TMP/avtale.db" token add admin --name ro)

if ! start_server --timeout 2; then
	test_expect "server starts" false
	finish
	exit
fi

# anon METHOD PATH [curl options]: a request without credentials.
anon() { AUTH= http "$@"; }
# as_cookie METHOD PATH [curl options]: with the session cookie in $COOKIE.
as_cookie() { AUTH= http "$1" "$2" -H "Cookie: $COOKIE" "${@:3}"; }
sign_in() {
	anon POST /api/v1/session -H 'Content-Type: application/json' \
		--data-binary "{\"email\":\"$1\",\"password\":\"$2\"}"
}

test_expect "every data route answers 401 problem+json without credentials" '
	"$AVTALE_BIN" routes >"$TMP/routes.json" &&
	bad= &&
	while read -r m p; do
		p=${p//\{id\}/1}
		anon "$m" "$p" -H "Content-Type: application/json" --data-binary "{}"
		if [ "$STATUS" != 401 ] ||
			[ "$(header Content-Type)" != application/problem+json ] ||
			[ "$(header WWW-Authenticate)" != "Bearer realm=\"avtale\"" ]; then
			bad="$bad $m:$p:$STATUS"
		fi
	done < <(jq -r ".[] | select(.resource != \"public\") | \"\(.method) \(.pattern)\"" "$TMP/routes.json") &&
	expect_eq "" "$bad" "routes that did not answer 401" &&
	[ "$(jq "[.[] | select(.resource != \"public\")] | length" "$TMP/routes.json")" -gt 30 ]'

test_expect "sign-in sets a __Host- cookie: Secure, HttpOnly, SameSite=Lax, Path=/" '
	sign_in KARI@example.no "$PW" &&
	expect_eq 200 "$STATUS" &&
	expect_eq kari@example.no "$(body_json .user.email)" &&
	expect_eq rep "$(body_json .user.role)" &&
	[ "$(body_json .csrf_token | wc -c)" -eq 65 ] &&
	c=$(header Set-Cookie) &&
	[[ $c == __Host-avtale=* ]] &&
	[[ $c == *"; Path=/;"* ]] && [[ $c == *"; Secure;"* ]] &&
	[[ $c == *"; HttpOnly;"* ]] && [[ $c == *"; SameSite=Lax"* ]] &&
	[[ $c == *"Max-Age=43200"* ]] && [[ $c != *Domain* ]]'
COOKIE=$(header Set-Cookie | cut -d";" -f1)
CSRF=$(body_json .csrf_token)

test_expect "GET /me with the cookie tells who is signed in, with no-store" '
	as_cookie GET /api/v1/me &&
	expect_eq 200 "$STATUS" &&
	expect_eq "Kari Nordmann" "$(body_json .user.name)" &&
	expect_eq "$CSRF" "$(body_json .csrf_token)" &&
	expect_eq no-store "$(header Cache-Control)" &&
	expect_security_headers'

test_expect "a cookie write without X-CSRF-Token is refused, the record unchanged" '
	as_cookie PATCH /api/v1/me -H "Content-Type: application/json" \
		--data-binary "{\"locale\":\"en\"}" &&
	expect_problem 403 forbidden &&
	expect_eq X-CSRF-Token "$(body_json .field)" &&
	as_cookie PATCH /api/v1/me -H "Content-Type: application/json" \
		-H "X-CSRF-Token: 0000$CSRF" --data-binary "{\"locale\":\"en\"}" &&
	expect_problem 403 forbidden &&
	as_cookie GET /api/v1/me && expect_eq nb "$(body_json .user.locale)"'

test_expect "with the CSRF token the write goes through" '
	as_cookie PATCH /api/v1/me -H "Content-Type: application/json" \
		-H "X-CSRF-Token: $CSRF" --data-binary "{\"locale\":\"en\"}" &&
	expect_eq 200 "$STATUS" && expect_eq en "$(body_json .user.locale)"'

test_expect "a write from a foreign Origin or a cross-site fetch is refused" '
	as_cookie PATCH /api/v1/me -H "Content-Type: application/json" \
		-H "X-CSRF-Token: $CSRF" -H "Origin: https://evil.example" \
		--data-binary "{\"locale\":\"nb\"}" &&
	expect_problem 403 forbidden &&
	as_cookie PATCH /api/v1/me -H "Content-Type: application/json" \
		-H "X-CSRF-Token: $CSRF" -H "Sec-Fetch-Site: cross-site" \
		--data-binary "{\"locale\":\"nb\"}" &&
	expect_problem 403 forbidden &&
	as_cookie GET /api/v1/me && expect_eq en "$(body_json .user.locale)"'

test_expect "a write whose body is not JSON answers 415" '
	as_cookie POST /api/v1/customers -H "Content-Type: text/plain" \
		-H "X-CSRF-Token: $CSRF" --data-binary "name=x" &&
	expect_problem 415 unsupported &&
	as_cookie POST /api/v1/customers \
		-H "Content-Type: application/x-www-form-urlencoded" \
		-H "X-CSRF-Token: $CSRF" --data-binary "name=x" &&
	expect_problem 415 unsupported'

test_expect "a rep may not read reports or the audit log (403)" '
	as_cookie GET "/api/v1/reports/contact-rate?from=2026-01-01&to=2026-02-01" &&
	expect_problem 403 forbidden &&
	as_cookie GET /api/v1/audit && expect_problem 403 forbidden'

test_expect "sign-out ends the session: the old cookie answers 401" '
	as_cookie DELETE /api/v1/session -H "X-CSRF-Token: $CSRF" &&
	expect_eq 204 "$STATUS" &&
	[[ $(header Set-Cookie) == *"Max-Age=0"* ]] &&
	as_cookie GET /api/v1/me && expect_problem 401 unauthenticated'

test_expect "unknown user and wrong password: the same answer" '
	sign_in nobody@example.no "$PW" && expect_problem 401 unauthenticated &&
	a=$(body_json .detail) &&
	sign_in per@example.no wrong-password-1 &&
	expect_problem 401 unauthenticated &&
	expect_eq "$a" "$(body_json .detail)"'

test_expect "a password change ends every session of the user" '
	sign_in per@example.no "$PW" && expect_eq 200 "$STATUS" &&
	COOKIE=$(header Set-Cookie | cut -d";" -f1) && CSRF=$(body_json .csrf_token) &&
	sign_in per@example.no "$PW" &&
	other=$(header Set-Cookie | cut -d";" -f1) &&
	as_cookie POST /api/v1/me/password -H "Content-Type: application/json" \
		-H "X-CSRF-Token: $CSRF" \
		--data-binary "{\"current\":\"$PW\",\"new\":\"et-nytt-langt-passord\"}" &&
	expect_eq 204 "$STATUS" &&
	as_cookie GET /api/v1/me && expect_eq 401 "$STATUS" &&
	AUTH= http GET /api/v1/me -H "Cookie: $other" && expect_eq 401 "$STATUS" &&
	sign_in per@example.no et-nytt-langt-passord && expect_eq 200 "$STATUS"'

test_expect "five failed sign-ins lock the account for a while (429, Retry-After)" '
	for i in 1 2 3 4 5; do
		sign_in kari@example.no "gjetter-$i-feil" || return 1
		expect_eq 401 "$STATUS" || return 1
	done
	sign_in kari@example.no "$PW" &&
	expect_problem 429 rate_limited &&
	expect_eq 900 "$(header Retry-After)"'

test_expect "a read-only API token reads but may not write" '
	AUTH= http GET /api/v1/customers -H "Authorization: Bearer $READ_TOKEN" &&
	expect_eq 200 "$STATUS" &&
	AUTH= http POST /api/v1/customers -H "Authorization: Bearer $READ_TOKEN" \
		-H "Content-Type: application/json" \
		--data-binary "{\"customer_number\":\"9\",\"name\":\"X\"}" &&
	expect_problem 403 forbidden &&
	AUTH= http GET /api/v1/customers -H "Authorization: Bearer avt_forged" &&
	expect_problem 401 unauthenticated'

test_expect "tokens made over the API: shown once, listed without secret, revocable" '
	json_post() { http POST "$1" -H "Content-Type: application/json" --data-binary "$2"; } &&
	json_post /api/v1/me/tokens "{\"name\":\"skript\",\"scope\":\"write\"}" &&
	expect_eq 201 "$STATUS" && t=$(body_json .token) && id=$(body_json .id) &&
	[[ $t == avt_* ]] &&
	http GET /api/v1/me/tokens && ! grep -q "$t" "$TMP/body" &&
	AUTH= http GET /api/v1/me -H "Authorization: Bearer $t" && expect_eq 200 "$STATUS" &&
	http DELETE "/api/v1/me/tokens/$id" && expect_eq 204 "$STATUS" &&
	AUTH= http GET /api/v1/me -H "Authorization: Bearer $t" && expect_eq 401 "$STATUS"'

test_expect "security headers on static files, errors and 404s too" '
	anon GET / && expect_eq 200 "$STATUS" && expect_security_headers &&
	anon GET /no-such-file.js && expect_eq 404 "$STATUS" && expect_security_headers &&
	anon GET /api/v1/nope && expect_eq 404 "$STATUS" && expect_security_headers &&
	[ -z "$(header Access-Control-Allow-Origin)" ]'

test_expect "no CORS: a preflight gets no Access-Control headers" '
	anon OPTIONS /api/v1/customers -H "Origin: https://evil.example" \
		-H "Access-Control-Request-Method: POST" &&
	[ -z "$(header Access-Control-Allow-Origin)" ] &&
	[ -z "$(header Access-Control-Allow-Credentials)" ]'

test_expect "hostile JSON: too deep 400, too long a string or list 413, each naming the limit" '
	deep=$(printf "%.0s[" $(seq 40))1$(printf "%.0s]" $(seq 40)) &&
	http POST /api/v1/customers -H "Content-Type: application/json" --data-binary "$deep" &&
	expect_problem 400 invalid && [[ $(body_json .detail) == *"16 levels"* ]] &&
	long=$(head -c 70000 /dev/zero | tr "\0" a) &&
	http POST /api/v1/customers -H "Content-Type: application/json" \
		--data-binary "{\"customer_number\":\"77\",\"name\":\"$long\"}" &&
	expect_problem 413 too_large && [[ $(body_json .detail) == *65536* ]] &&
	list="[$(seq -s, 1 1001)]" &&
	http POST /api/v1/customers -H "Content-Type: application/json" \
		--data-binary "{\"customer_number\":\"78\",\"name\":\"x\",\"tags\":$list}" &&
	expect_problem 413 too_large && [[ $(body_json .detail) == *1000* ]] &&
	http GET "/api/v1/customers?limit=500" && expect_eq 0 "$(body_json ".items | length")"'

test_expect "invalid UTF-8 and NUL bytes in a body or query are refused (400)" '
	printf "{\"customer_number\":\"79\",\"name\":\"a\\xffb\"}" >"$TMP/bad" &&
	http POST /api/v1/customers -H "Content-Type: application/json" --data-binary @"$TMP/bad" &&
	expect_problem 400 invalid &&
	printf "{\"customer_number\":\"79\",\"name\":\"a\\u0000b\"}" >"$TMP/nul" &&
	http POST /api/v1/customers -H "Content-Type: application/json" --data-binary @"$TMP/nul" &&
	expect_eq 400 "$STATUS" &&
	http GET "/api/v1/search?q=%FF%FE" && expect_problem 400 invalid &&
	http GET "/api/v1/search?q=a%00b" && expect_problem 400 invalid'

test_expect "a body over 1 MiB answers 413, a URL over 8 KiB 414, huge headers 431" '
	head -c 1100000 /dev/zero | tr "\0" " " >"$TMP/big" &&
	http POST /api/v1/customers -H "Content-Type: application/json" --data-binary @"$TMP/big" &&
	expect_problem 413 too_large &&
	http GET "/api/v1/search?q=$(head -c 9000 /dev/zero | tr "\0" a)" &&
	expect_problem 414 uri_too_long &&
	AUTH= curl -s -o /dev/null -w "%{http_code}" \
		-H "X-Big: $(head -c 70000 /dev/zero | tr "\0" a)" \
		"$BASE/api/v1/health" >"$TMP/code" &&
	expect_eq 431 "$(cat "$TMP/code")"'

test_expect "a client that sends half a request is cut off after --timeout" '
	port=${BASE##*:} &&
	exec 7<>"/dev/tcp/127.0.0.1/$port" &&
	printf "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" >&7 &&
	start=$(date +%s) &&
	cat <&7 >/dev/null &&
	took=$(( $(date +%s) - start )) &&
	exec 7<&- &&
	[ "$took" -le 6 ] || { echo "took ${took}s"; false; }'

finish
