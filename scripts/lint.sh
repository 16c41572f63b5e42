#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make lint`: formatting, banned functions, include layering, trailing
# whitespace, the web UI's rules (scripts/check-web.mjs), then cppcheck. Exits non-zero on the first kind of problem.
set -u
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'bench/*.c')

echo "lint: clang-format"
if ! clang-format --dry-run -Werror $files 2>/dev/null; then
	clang-format --dry-run -Werror $files 2>&1 | grep -E '^[^ ].*error' | head -20
	status=1
fi

echo "lint: banned.h included last in every source file"
for f in $(git ls-files 'src/*.c'); do
	last=$(grep -n '#include' "$f" | tail -1)
	case $last in
	*core/banned.h*) ;;
	*) echo "$f: core/banned.h is not the last include"; status=1 ;;
	esac
done

echo "lint: include layering (core <- domain <- store, ical <- service <- api <- http <- cli)"
# For each module, the project headers it must not include.
declare -A forbidden=(
	[core]="domain store ical service api http cli"
	[domain]="store ical service api http cli"
	[store]="ical service api http cli"
	[ical]="store service api http cli"
	[service]="api http cli"
	[http]="store service api cli domain"
	[api]="cli"
)
for mod in "${!forbidden[@]}"; do
	for bad in ${forbidden[$mod]}; do
		hits=$(grep -ln "#include \"$bad/" src/$mod/*.[ch] 2>/dev/null)
		if [ -n "$hits" ]; then
			echo "layering: $mod includes $bad/: $hits"
			status=1
		fi
	done
done
if grep -ln 'microhttpd.h' src --include='*.[ch]' -r | grep -v 'src/http/server.c'; then
	echo "layering: only src/http/server.c may include microhttpd.h"
	status=1
fi
if grep -ln 'sqlite3.h' src --include='*.[ch]' -r | grep -v 'src/store/'; then
	echo "layering: only src/store/ may include sqlite3.h"
	status=1
fi

echo "lint: trailing whitespace"
if git grep -nI '[[:space:]]$' -- src tests/unit tests/e2e tests/browser static scripts Makefile README.md; then
	status=1
fi

echo "lint: web UI (catalogues, no HTML from strings, no inline script or style)"
if ! node scripts/check-web.mjs; then
	status=1
fi

echo "lint: cppcheck"
if ! cppcheck --std=c11 --enable=warning,style,performance,portability \
	--inline-suppr --error-exitcode=1 --suppress=missingIncludeSystem \
	--suppress=unusedStructMember --suppress=constParameterCallback \
	--quiet -D__GNUC__ -I src src 2>&1; then
	status=1
fi
[ $status -eq 0 ] && echo "lint: clean"
exit $status
