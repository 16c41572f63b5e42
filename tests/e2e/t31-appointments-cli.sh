#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Scheduling from the command line: `avtale appointment add|move|complete|
# cancel|no-show|show|list` and the tab of `avtale customer show`, with
# their exit codes (0, 1 failure, 2 usage) and error messages that name
# the option. "Now" is fixed at 2025-06-01T12:00:00Z through AVTALE_NOW.
. "$(dirname "$0")/lib.sh"

export AVTALE_NOW=1748779200 # 2025-06-01T12:00:00Z
DB=$TMP/avtale.db

# run ARGS...: run the CLI; stdout in $TMP/out, stderr in $TMP/err, RC.
run() {
	"$AVTALE_BIN" --db "$DB" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
}
out() { cat "$TMP/out"; }
err() { cat "$TMP/err"; }
# expect_rc N: the last run exited with N (stderr shown otherwise).
expect_rc() {
	if [ "$RC" != "$1" ]; then
		echo "expected exit $1, got $RC; stderr:"
		err
		return 1
	fi
}
# field N: column N of the first line of stdout.
field() { head -n 1 "$TMP/out" | cut -f "$1"; }
# jout FILTER: jq on stdout.
jout() { jq -r "$1" <"$TMP/out"; }

run customer add --number 100 --name "Ærø Bygg AS"
run contact add 100 --name "Åse Ås" --mobile "415 55 555"
run --json contact list 100
CONTACT=$(jout '.[0].id // .items[0].id')

test_expect "add books with a default subject and prints the row" '
	run appointment add --customer 100 --start "2025-09-01 10:00" --duration 45 --channel video --link https://meet.example.com/abc --contact "$CONTACT" &&
	expect_rc 0 &&
	expect_eq 2025-09-01 "$(field 1)" date &&
	expect_eq 10:00-10:45 "$(field 2)" times &&
	expect_eq scheduled "$(field 3)" status &&
	expect_eq meeting "$(field 4)" type &&
	expect_eq "Ærø Bygg AS" "$(field 5)" customer &&
	expect_eq "Meeting with Ærø Bygg AS" "$(field 6)" subject &&
	expect_eq 1 "$(field 7)" id &&
	[ ! -s "$TMP/err" ]'

test_expect "add --json prints the appointment with the API field names" '
	run --json appointment add --customer 100 --start "2025-09-02 10:00" --end "2025-09-02 11:30" --type demo --subject "Demo av løsningen" --notes "Ta med pc" &&
	expect_rc 0 &&
	expect_eq "2025-09-02T10:00:00+02:00" "$(jout .start)" &&
	expect_eq "2025-09-02T09:30:00Z" "$(jout .end_utc)" &&
	expect_eq demo "$(jout .type)" &&
	expect_eq phone "$(jout .channel)" &&
	expect_eq "Demo av løsningen" "$(jout .subject)" &&
	expect_eq admin "$(jout .owner)" &&
	expect_eq Europe/Oslo "$(jout .time_zone)"'

test_expect "a time in the spring-forward gap is moved and said so on stderr" '
	run --json appointment add --customer 100 --start "2025-03-30 02:30" --tz Europe/Oslo --duration 30 &&
	expect_rc 0 &&
	expect_eq "2025-03-30T01:30:00Z" "$(jout .start_utc)" &&
	expect_eq "2025-03-30T03:30:00+02:00" "$(jout .start)" &&
	grep -q "^avtale: 02:30 does not exist on 2025-03-30 in Europe/Oslo (clocks go forward); booked at 03:30$" "$TMP/err"'
GAP=$(jout .id)

test_expect "an ambiguous fall-back time takes the first one" '
	run --json appointment add --customer 100 --start "2025-10-26 02:30" --duration 30 &&
	expect_rc 0 &&
	expect_eq "2025-10-26T00:30:00Z" "$(jout .start_utc)" &&
	grep -q "occurs twice.*the first one was used" "$TMP/err"'

test_expect "usage errors exit 2 and name the option" '
	run appointment add --start "2025-09-03 10:00" --duration 30 &&
	expect_rc 2 && grep -q "^avtale: --customer is required" "$TMP/err" &&
	run appointment add --customer 100 --duration 30 &&
	expect_rc 2 && grep -q "^avtale: --start is required" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" &&
	expect_rc 2 && grep -q -- "--duration" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 30 --reason x &&
	expect_rc 2 && grep -q "does not apply" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --bogus &&
	expect_rc 2 && grep -q "unknown option" "$TMP/err" &&
	run appointment frobnicate &&
	expect_rc 2 &&
	run appointment move &&
	expect_rc 2 && grep -q "needs the appointment ID" "$TMP/err" &&
	run appointment --help &&
	expect_rc 0 && grep -q "appointment add" "$TMP/out"'

test_expect "failures exit 1 and name the field" '
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 30 --channel video --link http://meet.example.com &&
	expect_rc 1 && grep -q "^avtale: .*https.*(--link)$" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 30 --channel in_person &&
	expect_rc 1 && grep -q "location" "$TMP/err" &&
	run appointment add --customer 999 --start "2025-09-03 10:00" --duration 30 &&
	expect_rc 1 && grep -q "no customer with id or number .999." "$TMP/err" &&
	run appointment add --customer 100 --start "2025-02-30 10:00" --duration 30 &&
	expect_rc 1 && grep -q "(--start)" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 0 &&
	expect_rc 1 && grep -q -- "--duration" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 30 --tz Mars/Olympus &&
	expect_rc 1 && grep -q -- "--tz" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 30 --owner nobody@example.com &&
	expect_rc 1 && grep -q "nobody@example.com" "$TMP/err" &&
	run appointment add --customer 100 --start "2025-09-03 10:00" --duration 30 --repeat "FREQ=SECONDLY" &&
	expect_rc 1 && grep -q -- "--repeat" "$TMP/err"'

test_expect "a conflict prints the appointment in the way and suggests --force" '
	run appointment add --customer 100 --start "2025-09-01 10:30" --duration 30 &&
	expect_rc 1 &&
	grep -q "^avtale:   1  2025-09-01 10:00-10:45  Ærø Bygg AS  Meeting with Ærø Bygg AS$" "$TMP/err" &&
	grep -q -- "--force" "$TMP/err" &&
	[ ! -s "$TMP/out" ] &&
	run appointment add --customer 100 --start "2025-09-01 10:30" --duration 30 --force &&
	expect_rc 0 &&
	expect_eq 10:30-11:00 "$(field 2)"'
FORCED=$(field 7)

test_expect "move changes the time and counts a reschedule" '
	run appointment move 1 --start "2025-09-08 10:00" &&
	expect_rc 0 &&
	expect_eq 2025-09-08 "$(field 1)" &&
	expect_eq 10:00-10:45 "$(field 2)" &&
	run --json appointment show 1 &&
	expect_eq 1 "$(jout .reschedule_count)" &&
	expect_eq 1 "$(jout .sequence)" &&
	expect_eq 2 "$(jout .version)"'

test_expect "move into another appointment needs --force; --if-version guards" '
	run appointment move 1 --start "2025-09-01 10:30" &&
	expect_rc 1 && grep -q -- "--force" "$TMP/err" &&
	grep -q "^avtale:   $FORCED  " "$TMP/err" &&
	run appointment move 1 --start "2025-09-09 10:00" --if-version 1 &&
	expect_rc 1 && grep -q "version" "$TMP/err" &&
	run appointment move 1 --duration 60 &&
	expect_rc 0 && expect_eq 10:00-11:00 "$(field 2)" &&
	run appointment move 1 &&
	expect_rc 2 &&
	run appointment move 999 --start "2025-09-09 10:00" &&
	expect_rc 1 && grep -q "not found" "$TMP/err"'

run --json appointment add --customer 100 --start "2025-05-05 09:00" --duration 60 --subject Gjennomgang
PAST1=$(jout .id)
run --json appointment add --customer 100 --start "2025-05-12 09:00" --duration 60
PAST2=$(jout .id)

test_expect "complete needs --outcome (2) from the list (1)" '
	run appointment complete "$PAST1" &&
	expect_rc 2 && grep -q -- "--outcome is required" "$TMP/err" &&
	run appointment complete "$PAST1" --outcome super &&
	expect_rc 1 && grep -q "(--outcome)" "$TMP/err"'

test_expect "complete with --follow-up books the follow-up" '
	run appointment complete "$PAST1" --outcome interested --note "Vil ha tilbud" --follow-up "2025-06-10 10:00" &&
	expect_rc 0 &&
	expect_eq 2 "$(wc -l <"$TMP/out")" lines &&
	expect_eq completed "$(sed -n 1p "$TMP/out" | cut -f 3)" &&
	expect_eq "2025-06-10	10:00-11:00	scheduled	follow-up	Ærø Bygg AS	Follow-up: Gjennomgang" "$(sed -n 2p "$TMP/out" | cut -f 1-6)" &&
	fu=$(sed -n 2p "$TMP/out" | cut -f 7) &&
	run --json appointment show "$fu" &&
	expect_eq "$PAST1" "$(jout .follow_up_of)" &&
	run --json appointment show "$PAST1" &&
	expect_eq interested "$(jout .outcome)" &&
	expect_eq "Vil ha tilbud" "$(jout .outcome_note)"'

test_expect "complete --json carries the follow_up" '
	run --json appointment complete "$PAST2" --outcome resolved --follow-up "2025-06-11 10:00" --duration 15 &&
	expect_rc 0 &&
	expect_eq completed "$(jout .status)" &&
	expect_eq "$PAST2" "$(jout .follow_up.follow_up_of)" &&
	expect_eq "2025-06-11T10:15:00+02:00" "$(jout .follow_up.end)"'

test_expect "a completed appointment cannot move" '
	run appointment move "$PAST1" --start "2025-05-06 09:00" &&
	expect_rc 1 && grep -q "cannot be moved" "$TMP/err"'

test_expect "cancel needs --reason, then cancels; no-show of a future one fails" '
	run appointment cancel "$GAP" &&
	expect_rc 2 && grep -q -- "--reason is required" "$TMP/err" &&
	run appointment cancel "$GAP" --reason "Kunden er syk" &&
	expect_rc 0 && expect_eq cancelled "$(field 3)" &&
	run appointment cancel "$GAP" --reason igjen &&
	expect_rc 1 && grep -q "cancelled" "$TMP/err" &&
	run appointment no-show 1 &&
	expect_rc 1 && grep -q "not started" "$TMP/err"'

run --json appointment add --customer 100 --start "2025-05-20 09:00" --duration 30
MISSED=$(jout .id)
test_expect "no-show of a past appointment" '
	run appointment no-show "$MISSED" &&
	expect_rc 0 && expect_eq no_show "$(field 3)"'

test_expect "show prints the record in readable lines" '
	run appointment show 1 &&
	expect_rc 0 &&
	grep -q "^id  *1$" "$TMP/out" &&
	grep -q "^start  *2025-09-08T10:00:00+02:00$" "$TMP/out" &&
	grep -q "^contact  *Åse Ås$" "$TMP/out" &&
	grep -q "^link  *https://meet.example.com/abc$" "$TMP/out" &&
	grep -q "^customer  *100  Ærø Bygg AS" "$TMP/out" &&
	run appointment show abc &&
	expect_rc 1'

test_expect "a weekly series keeps 09:00 across the clock change; one occurrence moves" '
	run --json appointment add --customer 100 --start "2025-03-23 09:00" --duration 60 --repeat "FREQ=WEEKLY;COUNT=3" --subject Ukemøte &&
	expect_rc 0 &&
	s=$(jout .id) &&
	run --json appointment list --from 2025-03-20 --to 2025-04-10 --customer 100 &&
	expect_eq "2025-03-23T08:00:00Z 2025-03-30T07:00:00Z 2025-04-06T07:00:00Z" "$(jq -r "[.[] | select(.id == $s) | .start_utc] | join(\" \")" <"$TMP/out")" &&
	run appointment move "$s" --occurrence "2025-03-30 09:00" --start "2025-03-30 11:00" &&
	expect_rc 0 &&
	expect_eq 11:00-12:00 "$(field 2)" &&
	run appointment cancel "$s" --occurrence "2025-04-06 09:00" --reason Påske &&
	expect_rc 0 && expect_eq cancelled "$(field 3)" &&
	run appointment list --from 2025-03-20 --to 2025-04-10 --customer 100 &&
	grep -q "^2025-03-23	09:00-10:00	scheduled	meeting	Ærø Bygg AS	Ukemøte	$s$" "$TMP/out" &&
	grep -q "^2025-03-30	11:00-12:00	scheduled	meeting	Ærø Bygg AS	Ukemøte	" "$TMP/out" &&
	grep -q "^2025-04-06	09:00-10:00	cancelled	meeting	Ærø Bygg AS	Ukemøte	" "$TMP/out" &&
	run appointment move "$s" --occurrence "2025-03-31 09:00" --start "2025-03-31 11:00" &&
	expect_rc 1 && grep -q "(--occurrence)" "$TMP/err" &&
	run appointment move "$s" --following --start "2025-03-31 11:00" &&
	expect_rc 2'

test_expect "list prints one line per occurrence, sorted, in the user's zone" '
	run appointment list --from 2025-09-01 --to 2025-09-30 &&
	expect_rc 0 &&
	expect_eq 3 "$(wc -l <"$TMP/out")" lines &&
	expect_eq "2025-09-01 2025-09-02 2025-09-08" "$(cut -f 1 "$TMP/out" | tr "\n" " " | sed "s/ $//")" &&
	run --json appointment list --from 2025-09-01 --to 2025-09-30 &&
	expect_eq 3 "$(jout length)" &&
	expect_eq true "$(jout "[.[].start_utc] == ([.[].start_utc] | sort)")" &&
	run --json appointment list --from 2025-09-01 --to 2025-09-30 --owner admin --customers &&
	expect_eq 3 "$(jout length)" &&
	run appointment list --from 2025-09-01 &&
	expect_rc 2 && grep -q -- "--to is required" "$TMP/err" &&
	run appointment list --from 2025-09-30 --to 2025-09-01 &&
	expect_rc 1 &&
	run appointment list --from 2025-01-01 --to 2026-06-01 &&
	expect_rc 1 && grep -q "366" "$TMP/err" &&
	run appointment list --from soon --to 2025-09-01 &&
	expect_rc 1 && grep -q "(--from)" "$TMP/err"'

test_expect "customer show prints the tab: past newest first, upcoming soonest first" '
	run customer show 100 &&
	expect_rc 0 &&
	grep -q "^past appointments (" "$TMP/out" &&
	grep -q "^upcoming appointments (" "$TMP/out" &&
	sed -n "/^past appointments/,/^$/p" "$TMP/out" | grep "^20" | cut -f 1 >"$TMP/past" &&
	sed -n "/^upcoming appointments/,\$p" "$TMP/out" | grep "^20" | cut -f 1 >"$TMP/next" &&
	[ "$(wc -l <"$TMP/past")" -ge 4 ] &&
	[ "$(wc -l <"$TMP/next")" -ge 4 ] &&
	sort -r "$TMP/past" | cmp -s - "$TMP/past" &&
	sort "$TMP/next" | cmp -s - "$TMP/next" &&
	grep -q "^2025-05-20	09:00-09:30	meeting		phone	no_show		$MISSED$" "$TMP/out" &&
	grep -q "^2025-05-05	09:00-10:00	meeting		phone	completed	interested	$PAST1$" "$TMP/out" &&
	grep -q "^2025-09-08	10:00-11:00	meeting	Åse Ås	video	scheduled		1$" "$TMP/out"'

test_expect "customer show --json has contacts, past and upcoming" '
	run --json customer show 100 &&
	expect_rc 0 &&
	expect_eq 1 "$(jout ".contacts | length")" &&
	expect_eq "$MISSED" "$(jout ".past[0].id")" &&
	expect_eq "2025-06-10T08:00:00Z" "$(jout ".upcoming[0].start_utc")" &&
	expect_eq true "$(jout "[.past[].start_utc] == ([.past[].start_utc] | sort | reverse)")" &&
	expect_eq true "$(jout "[.upcoming[].start_utc] == ([.upcoming[].start_utc] | sort)")"'

test_expect "times print in the acting user's zone" '
	run --json appointment add --customer 100 --start "2025-09-15 10:00" --tz Europe/London --duration 30 &&
	expect_rc 0 &&
	expect_eq "2025-09-15T10:00:00+01:00" "$(jout .start)" &&
	run appointment list --from 2025-09-15 --to 2025-09-16 &&
	expect_eq 11:00-11:30 "$(field 2)"'

finish
