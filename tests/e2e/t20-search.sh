#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Search through HTTP with the records and queries of the shared cases
# search-phone-normalization and search-case-nonascii.
. "$(dirname "$0")/lib.sh"

CASES=$AVTALE_SRC/tests/data/cases
DB=$TMP/avtale.db
av() { "$AVTALE_BIN" --db "$DB" "$@"; }

# Phone case: one customer per contact row, number = its id.
tail -n +2 "$CASES/search-phone-normalization/contacts.csv" |
while IFS=';' read -r id name country phone; do
	av customer add --number "p$id" --name "$name" --country "$country" \
		--phone "$phone" >/dev/null || echo "setup failed for $id"
done
# Name case: company with one contact.
tail -n +2 "$CASES/search-case-nonascii/customers.csv" |
while IFS=';' read -r id person company; do
	av customer add --number "n$id" --name "$company" >/dev/null &&
		av contact add "n$id" --name "$person" >/dev/null ||
		echo "setup failed for $id"
done

if ! start_server; then
	test_expect "server starts" false
	finish
	exit
fi

# ids QUERY PREFIX: sorted, comma-joined ids of the hits whose number
# starts with PREFIX, with the prefix removed.
ids() {
	http GET "/api/v1/search?q=$(jq -rn --arg q "$1" '$q|@uri')&limit=50" &&
		jq -r --arg p "$2" '[.items[].customer_number
			| select(startswith($p)) | ltrimstr($p) | tonumber]
			| sort | map(tostring) | join(",")' <"$TMP/body"
}


# test_expect runs in this shell so counters survive: feed it the loop.
while IFS=$'\t' read -r q want note; do
	[ "$q" = query ] && continue
	got=$(ids "$q" p)
	test_expect "phone search '$q' finds [$want] ${note:+($note)}" \
		"expect_eq '$want' '$got' ids"
done <"$CASES/search-phone-normalization/queries.tsv"

while IFS=$'\t' read -r q want note; do
	[ "$q" = query ] && continue
	got=$(ids "$q" n)
	test_expect "name search '$q' finds [$want] ${note:+($note)}" \
		"expect_eq '$want' '$got' ids"
done <"$CASES/search-case-nonascii/queries.tsv"

test_expect "a hit carries the names scripts rely on" '
	http GET "/api/v1/search?q=%C3%A5se" &&
	expect_eq 200 "$STATUS" &&
	for f in customer_id customer_number name status contact phone matched rank; do
		jq -e ".items[0] | has(\"$f\")" <"$TMP/body" >/dev/null ||
			{ echo "missing $f"; return 1; }
	done &&
	expect_eq contact "$(body_json ".items[0].matched")" &&
	expect_eq "Åse Ås" "$(body_json ".items[0].contact")"'

test_expect "an exact phone hit ranks 0 and names the field" '
	http GET "/api/v1/search?q=912-34-567" &&
	expect_eq 0 "$(body_json ".items[0].rank")" &&
	expect_eq phone "$(body_json ".items[0].matched")"'

test_expect "empty q is a 400 naming q" '
	http GET "/api/v1/search?q=" &&
	expect_problem 400 invalid &&
	expect_eq q "$(body_json .field)"'

test_expect "invalid UTF-8 in q is refused" '
	http GET "/api/v1/search?q=%FF%FE" &&
	expect_eq 400 "$STATUS"'

test_expect "the CLI finds the same record with --json" '
	out=$(av --json search "0047 987 65 432") &&
	expect_eq p2 "$(jq -r ".[0].customer_number" <<<"$out")"'

finish
