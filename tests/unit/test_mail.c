/* SPDX-License-Identifier: MIT */
/*
 * Invitation and reminder mail: the message a booking queues (hostile
 * names and subjects stay inside their headers; the calendar part reads
 * back to the same appointment), the queue's claims (one sender per
 * message, retries kept) and reminders queued once per occurrence, also
 * from a second connection to the same database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/tz.h"
#include "domain/customer.h"
#include "ical/read.h"
#include "service/appointments.h"
#include "service/mail.h"
#include "store/store.h"

#include "core/banned.h"

struct fixture {
	char path[64];	 /* a database file, so two connections share it */
	struct store *s; /* one connection */
	struct store *t; /* another, like a second server */
	struct arena a;
	int64_t rep, customer, contact;
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};
	struct user u = {.email = "kari@example.no",
			 .name = "Kari \"K\" Nordmann\r\nBcc: evil@example.com",
			 .role = ROLE_REP,
			 .time_zone = "Europe/Oslo",
			 .locale = "nb"};
	struct customer c = {.customer_number = "100",
			     .name = "Østby Rør AS",
			     .status = CUSTOMER_CUSTOMER};
	struct contact p = {.name = "Ola Nordmann", .email = "ola@example.com"};
	int fd;

	snprintf(fx->path, sizeof(fx->path), "/tmp/avtale-mail-XXXXXX");
	fd = mkstemp(fx->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(fx->path);
	assert_int_equal(store_open(fx->path, 0, &fx->s, &err), AV_OK);
	assert_int_equal(store_open(fx->path, 0, &fx->t, &err), AV_OK);
	arena_init(&fx->a, 0);
	assert_int_equal(store_user_insert(fx->s, &u, &err), AV_OK);
	fx->rep = u.id;
	c.owner_id = u.id;
	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err), AV_OK);
	p.customer_id = c.id;
	assert_int_equal(store_contact_insert(fx->s, &p, 1, &err), AV_OK);
	fx->customer = c.id;
	fx->contact = p.id;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char side[80];

	store_close(fx->s);
	store_close(fx->t);
	unlink(fx->path);
	snprintf(side, sizeof(side), "%s-wal", fx->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", fx->path);
	unlink(side);
	arena_release(&fx->a);
	free(fx);
	return 0;
}

static int64_t
book(struct fixture *fx, int64_t start, int reminder, const char *subject)
{
	struct appointment p = {0};
	struct conflicts conf;
	struct av_error err = {0};

	p.owner_id = fx->rep;
	p.customer_id = fx->customer;
	p.contact_id = fx->contact;
	p.start_utc = start;
	p.end_utc = start + 1800;
	p.time_zone = "Europe/Oslo";
	p.type = "meeting";
	p.channel = CHANNEL_PHONE;
	p.subject = subject;
	p.reminder_minutes = reminder;
	assert_int_equal(
	    appt_book(fx->s, &p, true, fx->rep, &fx->a, &conf, &err), AV_OK);
	return p.id;
}

/* The headers of a message: the text before the first empty line. */
static char *
headers_of(struct arena *a, const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");

	assert_non_null(end);
	return arena_strndup(a, msg, (size_t)(end - msg) + 2);
}

/* The decoded body of the part whose Content-Type starts with 'type'. */
static char *
part_of(struct arena *a, const char *msg, const char *type)
{
	char key[128];
	const char *p, *body, *end;
	unsigned char *out;
	size_t n = 0;
	char *b64;
	size_t o = 0;

	snprintf(key, sizeof(key), "Content-Type: %s", type);
	p = strstr(msg, key);
	assert_non_null(p);
	body = strstr(p, "\r\n\r\n") + 4;
	end = strstr(body, "\r\n--");
	assert_non_null(end);
	b64 = arena_alloc(a, (size_t)(end - body) + 1);
	for (const char *q = body; q < end; q++)
		if (*q != '\r' && *q != '\n')
			b64[o++] = *q;
	b64[o] = '\0';
	out = arena_alloc(a, o + 1);
	assert_int_equal(sodium_base642bin(out, o + 1, b64, o, NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL),
			 0);
	out[n] = '\0';
	return (char *)out;
}

static void
test_invite_message_headers_and_calendar_part(void **state)
{
	struct fixture *fx = *state;
	int64_t id = book(fx, 1894611600 /* 2030-01-14T09:00Z */, -1,
			  "Møte: pris; levering");
	struct mail_item m;
	struct appointment p;
	struct ical_in_file back;
	struct av_error err = {0};
	size_t n;
	char *head, *cal;

	assert_int_equal(invite_queue(fx->s, id, CAL_METHOD_REQUEST, &n, &err),
			 AV_OK);
	assert_int_equal(n, 1);
	assert_int_equal(
	    store_mail_claim(fx->s, store_now(), 60, &fx->a, &m, &err), AV_OK);
	assert_string_equal(m.recipient, "ola@example.com");
	head = headers_of(&fx->a, m.message);
	/* the rep's hostile name stays in one encoded From header */
	assert_null(strstr(head, "\r\nBcc:"));
	assert_null(strstr(m.message, "\r\nBcc:"));
	assert_non_null(strstr(head,
			       "From: \"Kari \\\"K\\\" Nordmann Bcc: "
			       "evil@example.com\" <kari@example.no>\r\n"));
	assert_non_null(
	    strstr(head, "To: \"Ola Nordmann\" <ola@example.com>\r\n"));
	assert_non_null(strstr(head, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(head, "MIME-Version: 1.0\r\n"));
	assert_non_null(strstr(head, "Content-Type: multipart/alternative;"));
	assert_non_null(strstr(part_of(&fx->a, m.message, "text/plain"),
			       "When: 2030-01-14 10:00-10:30 (Europe/Oslo)"));
	assert_non_null(strstr(part_of(&fx->a, m.message, "text/html"),
			       "Kari &quot;K&quot; Nordmann"));
	cal = part_of(&fx->a, m.message,
		      "text/calendar; charset=UTF-8; method=REQUEST");
	assert_int_equal(
	    ical_read(cal, strlen(cal), "Europe/Oslo", &fx->a, &back, &err),
	    AV_OK);
	assert_int_equal(store_appt_get(fx->s, id, &fx->a, &p, &err), AV_OK);
	assert_int_equal(back.method, CAL_METHOD_REQUEST);
	assert_int_equal(back.n_events, 1);
	assert_int_equal(back.n_problems, 0);
	assert_string_equal(back.events[0].uid, p.uid);
	assert_int_equal(back.events[0].start_utc, p.start_utc);
	assert_int_equal(back.events[0].end_utc, p.end_utc);
	assert_string_equal(back.events[0].summary, "Møte: pris; levering");
	assert_int_equal(back.events[0].sequence, 0);
	assert_string_equal(back.events[0].organizer, "kari@example.no");
	assert_int_equal(back.events[0].n_attendees, 1);
	assert_string_equal(back.events[0].attendees[0].email,
			    "ola@example.com");
	assert_true(back.events[0].attendees[0].rsvp);
	/* the contact is now an invited attendee */
	assert_true(invite_has_attendees(fx->s, &p));
}

static void
test_queue_claims_are_exclusive_and_failures_wait(void **state)
{
	struct fixture *fx = *state;
	struct mail_item m, m2;
	struct av_error err = {0};
	int64_t now = 2000000000, id, pending;

	assert_int_equal(store_mail_enqueue(fx->s, "invite", 0, "a@example.com",
					    "x", &id, &err),
			 AV_OK);
	assert_int_equal(store_mail_claim(fx->s, now, 60, &fx->a, &m, &err),
			 AV_OK);
	assert_int_equal(m.id, id);
	assert_int_equal(m.attempts, 1);
	/* another server does not get it while it is claimed */
	assert_int_equal(
	    store_mail_claim(fx->t, now + 10, 60, &fx->a, &m2, &err),
	    AV_ENOTFOUND);
	assert_int_equal(store_mail_failed(fx->s, id, "down", now + 30, &err),
			 AV_OK);
	assert_int_equal(
	    store_mail_claim(fx->t, now + 29, 60, &fx->a, &m2, &err),
	    AV_ENOTFOUND);
	assert_int_equal(
	    store_mail_claim(fx->t, now + 30, 60, &fx->a, &m2, &err), AV_OK);
	assert_int_equal(m2.attempts, 2);
	assert_int_equal(store_mail_sent(fx->t, id, &err), AV_OK);
	assert_int_equal(store_mail_pending(fx->s, &pending, &err), AV_OK);
	assert_int_equal(pending, 0);
}

static void
test_reminders_queued_once_per_occurrence(void **state)
{
	struct fixture *fx = *state;
	int64_t now = store_now();
	size_t n = 0;
	struct av_error err = {0};
	struct appointment p;
	struct conflicts conf;

	book(fx, now + 600, 15, "Snart");   /* due */
	book(fx, now + 7200, 15, "Senere"); /* not yet */
	book(fx, now + 14400, -1, "Uten");  /* no reminder */
	memset(&p, 0, sizeof(p));
	p.owner_id = fx->rep;
	p.start_utc = now + 300 - 7 * 86400; /* a weekly series */
	p.end_utc = p.start_utc + 600;
	p.time_zone = "UTC";
	p.type = "meeting";
	p.subject = "Ukentlig";
	p.rrule = "FREQ=WEEKLY;COUNT=5";
	p.reminder_minutes = 10;
	assert_int_equal(
	    appt_book(fx->s, &p, true, fx->rep, &fx->a, &conf, &err), AV_OK);
	assert_int_equal(reminders_queue_due(fx->s, now, &n, &err), AV_OK);
	assert_int_equal(n, 2); /* "Snart" and this week's "Ukentlig" */
	assert_int_equal(reminders_queue_due(fx->s, now, &n, &err), AV_OK);
	assert_int_equal(n, 0);
	assert_int_equal(reminders_queue_due(fx->t, now + 30, &n, &err), AV_OK);
	assert_int_equal(n, 0);
	/* two hours later the second one is due, once */
	assert_int_equal(reminders_queue_due(fx->t, now + 7200 - 600, &n, &err),
			 AV_OK);
	assert_int_equal(n, 1);
	assert_int_equal(reminders_queue_due(fx->s, now + 7200 - 600, &n, &err),
			 AV_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_invite_message_headers_and_calendar_part, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_queue_claims_are_exclusive_and_failures_wait, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_reminders_queued_once_per_occurrence, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_free_zones();
	return rc;
}
