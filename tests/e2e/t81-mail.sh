#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Invitations and reminders by e-mail against a real SMTP server started
# here on loopback (aiosmtpd from Debian, writing what it receives to a
# Maildir): the invitation of a booking (text, HTML and text/calendar
# parts; its calendar part read back by Avtale's libical reader to the
# same appointment), the update of a move and the CANCEL of a
# cancellation, nothing lost while the mail server is down, an attendee's
# REPLY imported, and reminders sent exactly once, across a restart and
# with two servers on one database.
. "$(dirname "$0")/lib.sh"

DB=$TMP/avtale.db
PY=/usr/bin/python3 # Debian's, where python3-aiosmtpd is installed
MAILDIR=$TMP/maildir
cli() { "$AVTALE_BIN" --db "$DB" "$@"; }
cli user add kari@example.no --name "Kari Nordmann" --role rep --tz Europe/Oslo >/dev/null
cli customer add --number 100 --name "Østby Rør AS" --owner kari@example.no >/dev/null
cli contact add 100 --name "Ola Nordmann" --email ola.nordmann@example.com >/dev/null
KARI=$(cli token add kari@example.no --name t --write)
as_kari() { AUTH="-H Authorization:Bearer\\ $KARI" http "$@"; }
json_post() { as_kari POST "$1" -H "Content-Type: application/json" -d "$2"; }

SMTP_PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
smtp_start() {
	$PY -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
		>>"$TMP/smtp.log" 2>&1 &
	# kept in a file: a restart inside test_expect runs in a subshell,
	# and the EXIT trap must still find the server it started
	echo $! >"$TMP/smtp.pid"
	for _ in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}
smtp_stop() {
	local pid
	pid=$(cat "$TMP/smtp.pid" 2>/dev/null) || return 0
	rm -f "$TMP/smtp.pid"
	kill "$pid" 2>/dev/null || return 0
	# not always our child (see smtp_start): wait until it is gone
	for _ in $(seq 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
}
trap 'smtp_stop; cleanup' EXIT

# wait_mail N: wait (up to 10 s) until the Maildir holds N messages.
wait_mail() {
	for _ in $(seq 200); do
		[ "$(ls "$MAILDIR/new" 2>/dev/null | wc -l)" -ge "$1" ] && return 0
		sleep 0.05
	done
	echo "expected $1 messages, have $(ls "$MAILDIR/new" 2>/dev/null | wc -l)"
	return 1
}
# mail_part N TYPE: the decoded TYPE part of the Nth message (by arrival);
# mail_head N NAME: a decoded header.
newest() { ls -tr "$MAILDIR/new" | sed -n "${1}p"; }
mail_part() {
	$PY - "$MAILDIR/new/$(newest "$1")" "$2" <<'EOF'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
for p in m.walk():
    if p.get_content_type() == sys.argv[2]:
        sys.stdout.write(p.get_content())
EOF
}
mail_head() {
	$PY - "$MAILDIR/new/$(newest "$1")" "$2" <<'EOF'
import email, sys
from email import policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
if sys.argv[2] == "structure":
    print(" ".join(p.get_content_type() + (";method=" + p.get_param("method") if p.get_param("method") else "") for p in m.walk()))
else:
    print(m[sys.argv[2]])
EOF
}
# count_subject TEXT: messages whose decoded Subject starts with TEXT.
count_subject() {
	$PY - "$MAILDIR/new" "$1" <<'EOF'
import email, os, sys
from email import policy
n = 0
for f in os.listdir(sys.argv[1]):
    m = email.message_from_binary_file(open(os.path.join(sys.argv[1], f), "rb"), policy=policy.default)
    n += str(m["subject"]).startswith(sys.argv[2])
print(n)
EOF
}
# read_back FILE: Avtale's reader (libical) on a calendar, as an import
# dry run into an empty database: prints "uid start end summary action".
read_back() {
	rm -f "$TMP/rb.db"
	"$AVTALE_BIN" --db "$TMP/rb.db" init >/dev/null &&
		"$AVTALE_BIN" --db "$TMP/rb.db" user add kari@example.no --name K --role rep >/dev/null &&
		"$AVTALE_BIN" --db "$TMP/rb.db" --json import ics "$1" --owner kari@example.no --dry-run 2>/dev/null |
		jq -r '.items[] | "\(.uid) \(.start_utc) \(.end_utc) \(.summary) \(.action)"'
}

if ! smtp_start || ! start_server --smtp-url "smtp://127.0.0.1:$SMTP_PORT" --mail-interval 1 --mail-retry 1; then
	test_expect "SMTP server and avtale start" false
	finish
	exit
fi

test_expect "booking with invite: one message to the contact, text + HTML + text/calendar REQUEST" '
	json_post /api/v1/appointments "{\"customer_id\":1,\"contact_id\":1,\"start\":\"2030-01-14 10:00\",\"duration\":45,\"subject\":\"Kundemøte Østby\",\"location\":\"Storgata 1, Oslo\",\"channel\":\"in_person\",\"invite\":true}" &&
	expect_eq 201 "$STATUS" && expect_eq 1 "$(body_json .invite.queued)" &&
	expect_eq ola.nordmann@example.com "$(body_json ".attendees[0].email")" &&
	echo "$(body_json .id) $(body_json .uid)" >"$TMP/a1" &&
	wait_mail 1 &&
	expect_eq "Kari Nordmann <kari@example.no>" "$(mail_head 1 From)" &&
	expect_eq "Ola Nordmann <ola.nordmann@example.com>" "$(mail_head 1 To)" &&
	expect_eq "Invitation: Kundemøte Østby" "$(mail_head 1 Subject)" &&
	expect_eq "multipart/alternative text/plain text/html text/calendar;method=REQUEST" "$(mail_head 1 structure)" &&
	mail_part 1 text/plain | grep -q "When: 2030-01-14 10:00-10:45 (Europe/Oslo)" &&
	mail_part 1 text/html | grep -q "Storgata 1, Oslo"'
read -r A1 UID1 <"$TMP/a1"

test_expect "its calendar part: METHOD:REQUEST, the rep as organizer, and libical reads back the same appointment" '
	mail_part 1 text/calendar >"$TMP/inv1.ics" &&
	tr -d "\r" <"$TMP/inv1.ics" >"$TMP/inv1.txt" &&
	grep -qx "METHOD:REQUEST" "$TMP/inv1.txt" &&
	grep -qx "BEGIN:VTIMEZONE" "$TMP/inv1.txt" &&
	grep -qx "SEQUENCE:0" "$TMP/inv1.txt" &&
	grep -qx "ORGANIZER;CN=Kari Nordmann:mailto:kari@example.no" "$TMP/inv1.txt" &&
	grep -q "^ATTENDEE;CN=Ola Nordmann;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;" "$TMP/inv1.txt" &&
	! grep -q "^DESCRIPTION" "$TMP/inv1.txt" &&
	as_kari GET "/api/v1/appointments/$A1" &&
	expect_eq "$UID1 $(body_json .start_utc) $(body_json .end_utc) Kundemøte Østby created" "$(read_back "$TMP/inv1.ics")"'

test_expect "moving it sends the update (SEQUENCE 1), cancelling sends a CANCEL with its VTIMEZONE (SEQUENCE 2)" '
	as_kari PATCH "/api/v1/appointments/$A1" -H "Content-Type: application/json" -H "If-Match: \"1\"" \
		-d "{\"start\":\"2030-01-14 13:00\"}" &&
	expect_eq 200 "$STATUS" && expect_eq 1 "$(body_json .invite.queued)" &&
	wait_mail 2 &&
	expect_eq "Updated invitation: Kundemøte Østby" "$(mail_head 2 Subject)" &&
	mail_part 2 text/calendar | tr -d "\r" >"$TMP/inv2.txt" &&
	grep -qx "SEQUENCE:1" "$TMP/inv2.txt" && grep -qx "UID:$UID1" "$TMP/inv2.txt" &&
	grep -qx "DTSTART;TZID=Europe/Oslo:20300114T130000" "$TMP/inv2.txt" &&
	json_post "/api/v1/appointments/$A1/cancel" "{\"reason\":\"kunden avlyste\"}" &&
	expect_eq 1 "$(body_json .invite.queued)" &&
	wait_mail 3 &&
	expect_eq "Cancelled: Kundemøte Østby" "$(mail_head 3 Subject)" &&
	expect_eq "multipart/alternative text/plain text/html text/calendar;method=CANCEL" "$(mail_head 3 structure)" &&
	mail_part 3 text/calendar | tr -d "\r" >"$TMP/inv3.txt" &&
	grep -qx "METHOD:CANCEL" "$TMP/inv3.txt" && grep -qx "STATUS:CANCELLED" "$TMP/inv3.txt" &&
	grep -qx "SEQUENCE:2" "$TMP/inv3.txt" && grep -qx "BEGIN:VTIMEZONE" "$TMP/inv3.txt"'

test_expect "no invite asked, none sent; invite:false on a change of an invited one sends nothing" '
	json_post /api/v1/appointments "{\"customer_id\":1,\"contact_id\":1,\"start\":\"2030-02-01 10:00\",\"duration\":30,\"subject\":\"Stille\"}" &&
	expect_eq null "$(body_json .invite)" &&
	json_post /api/v1/appointments "{\"customer_id\":1,\"contact_id\":1,\"start\":\"2030-02-02 10:00\",\"duration\":30,\"subject\":\"Invitert\",\"invite\":true}" &&
	id=$(body_json .id) && wait_mail 4 &&
	as_kari PATCH "/api/v1/appointments/$id" -H "Content-Type: application/json" -H "If-Match: \"1\"" \
		-d "{\"start\":\"2030-02-02 11:00\",\"invite\":false}" &&
	expect_eq 200 "$STATUS" && expect_eq null "$(body_json .invite)" &&
	sleep 1.5 && expect_eq 4 "$(ls "$MAILDIR/new" | wc -l)"'

test_expect "with the mail server down the booking goes through at once and the invitation waits, then arrives" '
	smtp_stop &&
	start=$(date +%s%N) &&
	json_post /api/v1/appointments "{\"customer_id\":1,\"contact_id\":1,\"start\":\"2030-03-01 10:00\",\"duration\":30,\"subject\":\"Under utfall\",\"invite\":true}" &&
	expect_eq 201 "$STATUS" &&
	[ $((($(date +%s%N) - start) / 1000000)) -lt 1000 ] &&
	sleep 2.5 &&
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL AND attempts >= 1 AND last_error IS NOT NULL")" = 1 ] &&
	smtp_start && wait_mail 5 &&
	expect_eq "Invitation: Under utfall" "$(mail_head 5 Subject)" &&
	for _ in $(seq 40); do
		[ "$(sqlite3 "$DB" "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL")" = 0 ] && break
		sleep 0.1
	done &&
	expect_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL")"'

test_expect "the attendee answers: an imported REPLY sets their status" '
	printf "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Outlook//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:%s\r\nDTSTAMP:20291201T100000Z\r\nSEQUENCE:0\r\nDTSTART:20300302T090000Z\r\nATTENDEE;PARTSTAT=ACCEPTED;CN=Ola Nordmann:mailto:ola.nordmann@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n" \
		"$(as_kari GET "/api/v1/appointments?from=2030-03-01&to=2030-03-02" && body_json ".items[0].uid")" >"$TMP/reply.ics" &&
	as_kari POST /api/v1/imports/ics -H "Content-Type: text/calendar" --data-binary @"$TMP/reply.ics" &&
	expect_eq 200 "$STATUS" && expect_eq 1 "$(body_json .answered)" &&
	as_kari GET "/api/v1/appointments/$(body_json ".items[0].appointment_id")" &&
	expect_eq ACCEPTED "$(body_json ".attendees[0].partstat")"'

NOW=$(date +%s)
soon() { date -d "@$((NOW + $1))" "+%Y-%m-%dT%H:%M:%SZ" -u; }

test_expect "a due reminder reaches the rep once" '
	json_post /api/v1/appointments "{\"start\":\"$(soon 600)\",\"duration\":30,\"subject\":\"Egen påminnelse\",\"reminder_minutes\":15}" &&
	expect_eq 201 "$STATUS" &&
	wait_mail 6 &&
	expect_eq "Reminder: Egen påminnelse" "$(mail_head 6 Subject)" &&
	expect_eq "<kari@example.no>" "$(mail_head 6 To | grep -o "<.*>")" &&
	mail_part 6 text/plain | grep -q "^When: "'

stop_server
start_server --smtp-url "smtp://127.0.0.1:$SMTP_PORT" --mail-interval 1
test_expect "and not again after a restart" '
	sleep 2.5 && expect_eq 1 "$(count_subject Reminder:)"'

test_expect "two servers on one database send one reminder between them" '
	"$AVTALE_BIN" --db "$DB" serve --listen 127.0.0.1:0 --smtp-url "smtp://127.0.0.1:$SMTP_PORT" \
		--mail-interval 1 >"$TMP/second.out" 2>"$TMP/second.err" </dev/null &
	second=$! &&
	sleep 0.5 &&
	json_post /api/v1/appointments "{\"start\":\"$(soon 7200)\",\"duration\":30,\"subject\":\"Delt påminnelse\",\"reminder_minutes\":180}" &&
	expect_eq 201 "$STATUS" && wait_mail 7 && sleep 3 &&
	kill "$second" && wait "$second";
	expect_eq 1 "$(count_subject "Reminder: Delt")" &&
	expect_eq 2 "$(sqlite3 "$DB" "SELECT count(*) FROM reminders_sent")" &&
	expect_eq 0 "$(sqlite3 "$DB" "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL")"'

test_expect "the CLI queues an invitation with --invite and the CANCEL of a cancel, the server sends them" '
	cli --as kari@example.no --json appointment add --customer 100 --contact 1 \
		--start "2030-04-02 10:00" --duration 30 --subject "Fra terminalen" --invite \
		>"$TMP/cli.out" 2>"$TMP/cli.err" &&
	grep -q "invitation queued for 1 attendee" "$TMP/cli.err" &&
	id=$(jq -r .id "$TMP/cli.out") &&
	wait_mail 8 && expect_eq 1 "$(count_subject "Invitation: Fra terminalen")" &&
	cli --as kari@example.no appointment cancel "$id" --reason x 2>"$TMP/cli.err" >/dev/null &&
	grep -q "cancellation queued for 1 attendee" "$TMP/cli.err" &&
	wait_mail 9 && expect_eq 1 "$(count_subject "Cancelled: Fra terminalen")"'

finish
