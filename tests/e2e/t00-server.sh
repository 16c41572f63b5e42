#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The HTTP layer end to end: address on stdout, problem+json errors and
# security headers, limits, HEAD, static files, keep-alive, the access log
# and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"

STATIC=$TMP/static
mkdir -p "$STATIC"
printf '<!doctype html><title>Avtale</title>\n' >"$STATIC/index.html"
printf 'console.log("avtale");\n' >"$STATIC/app.js"
printf 'not served\n' >"$STATIC/notes.txt"

if ! start_server --static "$STATIC"; then
	test_expect "server starts and prints its address" false
	finish
	exit
fi

test_expect "first stdout line is the bound address" '
	[[ $BASE =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || { echo "$BASE"; false; }'

test_expect "GET /api/v1/health answers 200 JSON with no-store" '
	http GET /api/v1/health &&
	expect_eq 200 "$STATUS" status &&
	expect_eq application/json "$(header Content-Type)" &&
	expect_eq no-store "$(header Cache-Control)" &&
	expect_security_headers'

test_expect "unknown /api/ path is a 404 problem with a request id" '
	http GET /api/v1/no-such-thing &&
	expect_problem 404 not_found &&
	expect_eq no-store "$(header Cache-Control)" &&
	[[ $(header X-Request-Id) =~ ^[0-9a-f]{16}$ ]]'

test_expect "wrong method is a 405 problem listing Allow" '
	http DELETE /api/v1/health &&
	expect_problem 405 method_not_allowed &&
	expect_eq "GET, HEAD, OPTIONS" "$(header Allow)" Allow'

test_expect "OPTIONS answers 204 with Allow" '
	http OPTIONS /api/v1/health &&
	expect_eq 204 "$STATUS" status &&
	expect_eq "GET, HEAD, OPTIONS" "$(header Allow)" Allow'

test_expect "unknown method is a 501 problem" '
	http BREW /api/v1/health && expect_problem 501 not_implemented'

test_expect "HEAD of a GET route has headers and no body" '
	http HEAD /api/v1/health &&
	expect_eq 200 "$STATUS" status &&
	[ "$(header Content-Length)" -gt 0 ] &&
	got=$(curl -s --head -o /dev/null -w "%{size_download}" \
		"$BASE/api/v1/health") &&
	expect_eq 0 "$got" "body bytes"'

test_expect "non-JSON body is a 415 problem" '
	http POST /api/v1/customers -H "Content-Type: text/plain" \
		--data-binary "{}" &&
	expect_problem 415 unsupported'

test_expect "broken JSON is a 400 problem" '
	http POST /api/v1/customers -H "Content-Type: application/json" \
		--data-binary "{\"name\":" &&
	expect_problem 400 invalid'

test_expect "duplicate JSON keys are a 400 problem" '
	http POST /api/v1/customers -H "Content-Type: application/json" \
		--data-binary "{\"name\":\"a\",\"name\":\"b\"}" &&
	expect_problem 400 invalid'

test_expect "a body over 1 MiB is a 413 problem" '
	head -c 1048577 /dev/zero | tr "\0" x >"$TMP/big" &&
	http POST /api/v1/customers -H "Content-Type: application/json" \
		--data-binary @"$TMP/big" &&
	expect_problem 413 too_large'

test_expect "a request target over 8 KiB is a 414 problem" '
	http GET "/api/v1/customers?q=$(head -c 9000 /dev/zero | tr "\0" a)" &&
	expect_problem 414 uri_too_long'

test_expect "a %00 in the path is a 400 problem" '
	http GET /api/v1/customers/1%00 && expect_problem 400 invalid'

test_expect "/ serves index.html as text/html" '
	http GET / &&
	expect_eq 200 "$STATUS" status &&
	expect_eq "text/html; charset=utf-8" "$(header Content-Type)" &&
	grep -q "<title>Avtale</title>" "$TMP/body" &&
	expect_security_headers'

test_expect "static .js has its content type" '
	http GET /app.js &&
	expect_eq 200 "$STATUS" status &&
	expect_eq "text/javascript; charset=utf-8" "$(header Content-Type)"'

test_expect "unlisted extensions and missing files are 404" '
	http GET /notes.txt && expect_problem 404 not_found &&
	http GET /missing.html && expect_problem 404 not_found'

test_expect "dot-dot paths are refused" '
	http GET /../../etc/passwd && expect_problem 400 invalid &&
	http GET /%2e%2e/etc/passwd && expect_problem 400 invalid'

test_expect "keep-alive: two requests share one connection" '
	got=$(curl -s -o /dev/null -o /dev/null -w "%{num_connects} " \
		"$BASE/api/v1/health" "$BASE/api/v1/health") &&
	expect_eq "1 0 " "$got" "num_connects"'

test_expect "access log has method, path, status; never the query" '
	http GET "/api/v1/health?q=%2B4722334455" &&
	for i in $(seq 40); do
		grep -q "GET /api/v1/health 200 " "$TMP/stderr" && break
		sleep 0.05
	done &&
	grep -q "GET /api/v1/health 200 " "$TMP/stderr" &&
	! grep -q "4722334455" "$TMP/stderr" &&
	! grep -q "q=" "$TMP/stderr"'

test_expect "nothing but the address on stdout" '
	expect_eq 1 "$(wc -l <"$TMP/stdout")" "stdout lines"'

stop_server
test_expect "SIGTERM stops the server with status 0" '
	expect_eq 0 "$SERVER_STATUS" "exit status"'

finish
