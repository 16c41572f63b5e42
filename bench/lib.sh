# SPDX-License-Identifier: MIT
# What the benchmark drivers share; each sets BENCH_NAME, cds to the repo
# root and sources this file. It gives: say, now, a temporary directory
# TMP, start_server DB [serve options] (sets URL and SERVER_PID, talks only
# to 127.0.0.1) and a cleanup that stops that server by its PID.
SERVER_PID=""
TMP=$(realpath "$(mktemp -d)")

say() { printf '%s: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; }

cleanup() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }

# start_server DB [options...]: `avtale serve` on a free loopback port.
start_server() {
	local db=$1
	shift
	"$AVTALE" --db "$db" serve --listen 127.0.0.1:0 --no-access-log "$@" \
		>"$TMP/serve.out" 2>"$TMP/serve.err" &
	SERVER_PID=$!
	for _ in $(seq 300); do
		[ -s "$TMP/serve.out" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.1
	done
	URL=$(head -n 1 "$TMP/serve.out" || true)
	case "$URL" in
	http://127.0.0.1:*/) ;;
	*)
		say "the server did not start: $(cat "$TMP/serve.err")"
		exit 1
		;;
	esac
	say "server $URL (pid $SERVER_PID)"
}
