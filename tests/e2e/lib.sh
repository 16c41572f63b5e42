# SPDX-License-Identifier: MIT
# Helpers for tests/e2e/tNN-<area>.sh: each script sources this file, starts
# `avtale serve` on 127.0.0.1 port 0 with a throwaway database (the server
# prints its address as the first line of stdout), checks it with curl and
# jq, and ends with finish. Every check prints "ok N - what" or
# "not ok N - what" (scripts/run-tests.sh counts them) and the run ends with
# the line "N passed, N failed".
set -u

AVTALE_BIN=${AVTALE_BIN:-$PWD/build/avtale}
AVTALE_SRC=${AVTALE_SRC:-$PWD}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/avtale-e2e.XXXXXX")
BASE=
SERVER_PID=
SERVER_STATUS=
PASS=0
FAIL=0
N=0

# Every test starts from a new, empty database. Requests go out as the
# built-in admin with a write token unless a test sets AUTH (to "" for no
# credentials, or to other curl options such as a cookie jar).
"$AVTALE_BIN" --db "$TMP/avtale.db" init >/dev/null || exit 1
ADMIN_TOKEN=$("$AVTALE_BIN" --db "$TMP/avtale.db" token add admin \
	--name e2e --write) || exit 1
AUTH="-H Authorization:Bearer\ $ADMIN_TOKEN"

cleanup() {
	stop_server
	rm -rf "$TMP"
}
trap cleanup EXIT

# start_server [serve options...]: start the server, set BASE to
# "http://127.0.0.1:PORT". stderr (the access log) goes to $TMP/stderr.
start_server() {
	local line= i
	: >"$TMP/stdout"
	"$AVTALE_BIN" --db "$TMP/avtale.db" serve --listen 127.0.0.1:0 "$@" \
		>"$TMP/stdout" 2>"$TMP/stderr" </dev/null &
	SERVER_PID=$!
	for i in $(seq 200); do
		IFS= read -r line <"$TMP/stdout" || true
		if [ -n "$line" ]; then
			BASE=${line%/}
			return 0
		fi
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			wait "$SERVER_PID"
			SERVER_STATUS=$?
			SERVER_PID=
			sed 's/^/# server: /' "$TMP/stderr"
			return 1
		fi
		sleep 0.05
	done
	sed 's/^/# server: /' "$TMP/stderr"
	return 1
}

# stop_server: SIGTERM, wait, keep the exit status in SERVER_STATUS.
stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID"
		SERVER_STATUS=$?
		SERVER_PID=
	fi
}

# http METHOD PATH [curl options...]: one request. Sets STATUS; the body
# is in $TMP/body and the headers in $TMP/headers (for HEAD, curl writes
# the headers to both).
http() {
	local method=$1 path=$2
	shift 2
	if [ "$method" = HEAD ]; then
		set -- --head "$@"
	else
		set -- -X "$method" "$@"
	fi
	if [ -n "$AUTH" ]; then
		eval "set -- $AUTH \"\$@\""
	fi
	STATUS=$(curl -sS --path-as-is -o "$TMP/body" -D "$TMP/headers" \
		-w '%{http_code}' "$@" "$BASE$path")
}

# header NAME: the value of NAME in the last response ("" if absent).
header() {
	grep -i "^$1:" "$TMP/headers" | tail -n 1 | cut -d: -f2- |
		sed 's/^ *//; s/\r$//'
}

# body_json FILTER: run jq -r FILTER on the last body.
body_json() {
	jq -r "$1" <"$TMP/body"
}

# expect_eq WANT GOT [WHAT]: fail with both values shown if they differ.
expect_eq() {
	if [ "$1" != "$2" ]; then
		echo "expected ${3:-value} '$1', got '$2'"
		return 1
	fi
}

# expect_problem STATUS CODE: last answer is problem+json with both.
expect_problem() {
	expect_eq "$1" "$STATUS" status &&
		expect_eq application/problem+json "$(header Content-Type)" \
			Content-Type &&
		expect_eq "$1" "$(body_json .status)" .status &&
		expect_eq "$2" "$(body_json .code)" .code &&
		expect_security_headers
}

CSP="default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-ancestors 'none'"

# expect_security_headers: the headers every response carries.
expect_security_headers() {
	expect_eq "$CSP" \
		"$(header Content-Security-Policy)" Content-Security-Policy &&
		expect_eq nosniff "$(header X-Content-Type-Options)" \
			X-Content-Type-Options &&
		expect_eq no-referrer "$(header Referrer-Policy)" \
			Referrer-Policy
}

# test_expect WHAT 'commands': run the commands in a subshell; print
# "ok N - WHAT", or "not ok N - WHAT" followed by their output.
test_expect() {
	local what=$1 out
	N=$((N + 1))
	if out=$(eval "$2" 2>&1); then
		PASS=$((PASS + 1))
		echo "ok $N - $what"
	else
		FAIL=$((FAIL + 1))
		echo "not ok $N - $what"
		[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/#   /'
	fi
	return 0
}

# finish: the summary line; exit status 0 only if nothing failed.
finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}
