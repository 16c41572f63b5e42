#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make test`: build and run the unit and end-to-end tests twice, plainly and
# under ASan+UBSan, the browser tests once (plain build), then print one
# summary line "N passed, N failed".
set -u
jobs=$(nproc 2>/dev/null || echo 2)
status=0
total_pass=0
total_fail=0
for san in "" "address,undefined"; do
	if [ -z "$san" ]; then build=build; else build=build/san; fi
	mkdir -p "$build"
	rm -f "$build/results"
	echo "== build ${san:-plain}"
	if ! make -s -j"$jobs" SANITIZE="$san" unit-bins; then
		echo "build failed (${san:-plain})"
		total_fail=$((total_fail + 1))
		status=1
		continue
	fi
	make -s SANITIZE="$san" test-unit || status=1
	make -s SANITIZE="$san" test-e2e || status=1
	# The browser tests drive the server through the UI: once, plain.
	if [ -z "$san" ]; then
		make -s test-browser || status=1
	fi
	while read -r _ p f; do
		total_pass=$((total_pass + p))
		total_fail=$((total_fail + f))
	done <"$build/results"
done
# Static checks count as one test: formatting, layering, cppcheck.
echo "== lint"
if scripts/lint.sh; then
	total_pass=$((total_pass + 1))
else
	total_fail=$((total_fail + 1))
	status=1
fi
echo
echo "$total_pass passed, $total_fail failed"
exit $status
