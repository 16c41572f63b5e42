#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs one tier of tests against the binaries in $BUILD and appends its counts
# to $BUILD/results: "unit" runs every cmocka binary with TAP output, "e2e" runs
# tests/e2e/t*.sh against the real server, "browser" runs tests/browser/t*.mjs
# (the real server and Debian's chromium). Prints failures as they happen.
set -u
tier=${1:?usage: run-tests.sh unit|e2e|browser}
BUILD=${BUILD:-build}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export AVTALE_BIN="$PWD/$BUILD/avtale"
export AVTALE_SRC="$PWD"
pass=0
fail=0

# run_scripts RUNNER SCRIPT...: run each script (its checks print "ok N" or
# "not ok N"), count them, show the output of the ones that failed.
run_scripts() {
	local runner=$1 t out rc p f
	shift
	for t in "$@"; do
		[ -f "$t" ] || continue
		out=$("$runner" "$t" 2>&1)
		rc=$?
		p=$(grep -c '^ok ' <<<"$out")
		f=$(grep -c '^not ok ' <<<"$out")
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed before or after its checks
		fi
		pass=$((pass + p))
		fail=$((fail + f))
		if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
			echo "FAIL $t (exit $rc)"
			grep -v '^ok ' <<<"$out" | tail -60
		else
			echo "ok   $t: $p checks"
		fi
	done
}

case $tier in
unit)
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
		rc=$?
		p=$(grep -c '^ok ' <<<"$out")
		f=$(grep -c '^not ok ' <<<"$out")
		if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1 # crashed or sanitizer abort outside a test
		fi
		pass=$((pass + p))
		fail=$((fail + f))
		if [ $rc -ne 0 ] || [ "$f" -ne 0 ]; then
			echo "FAIL $(basename "$t") (exit $rc)"
			grep -v '^ok ' <<<"$out" | head -60
		else
			echo "ok   $(basename "$t"): $p tests"
		fi
	done
	;;
e2e)
	run_scripts bash tests/e2e/t[0-9]*.sh
	;;
browser)
	run_scripts node tests/browser/t[0-9]*.mjs
	;;
*)
	echo "run-tests.sh: unknown tier '$tier'" >&2
	exit 2
	;;
esac
echo "$tier $pass $fail" >>"$BUILD/results"
echo "$tier ($BUILD): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
