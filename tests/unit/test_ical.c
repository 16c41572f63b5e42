/* SPDX-License-Identifier: MIT */
/*
 * iCalendar in and out against the real-world cases in tests/data/cases/
 * ics-* (read at run time from the repository root): every value their
 * expected.md lists is checked, first as the reader gives it, then in the
 * store after an import. The writer is checked with hostile text (CR LF
 * followed by property text, ';' ',' '\', very long UTF-8): each value
 * must come out as one escaped, folded property and read back the same.
 * Feeds are read back by libical to the same appointments, and an export
 * imported into a new database exports to the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "core/str.h"
#include "core/tz.h"
#include "domain/customer.h"
#include "ical/read.h"
#include "ical/write.h"
#include "ical/zones.h"
#include "service/appointments.h"
#include "service/ical.h"
#include "store/store.h"

#include "core/banned.h"

#define CASES "tests/data/cases/"

struct fixture {
	struct store *s;  /* ":memory:" */
	struct arena a;	  /* everything a test reads */
	int64_t rep;	  /* rep@example.no, Europe/Oslo */
	int64_t customer; /* Østby Rør AS, owned by the rep */
	int64_t contact;  /* Ola Nordmann, ola.nordmann@example.com */
};

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

static int64_t
utc(const char *text)
{
	int64_t t;
	struct av_error err = {0};

	assert_int_equal(tz_parse_instant(text, "t", "UTC", &t, NULL, &err),
			 AV_OK);
	return t;
}

static int64_t
add_user(struct store *s, const char *email, const char *zone)
{
	struct user u = {.email = email,
			 .name = "Rep Selger",
			 .role = ROLE_REP,
			 .time_zone = zone,
			 .locale = "nb"};
	struct av_error err = {0};

	assert_int_equal(store_user_insert(s, &u, &err), AV_OK);
	return u.id;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};
	struct customer c = {.customer_number = "200",
			     .name = "Østby Rør AS",
			     .status = CUSTOMER_CUSTOMER};
	struct contact p = {.name = "Ola Nordmann",
			    .email = "ola.nordmann@example.com"};

	assert_int_equal(store_open(":memory:", 0, &fx->s, &err), AV_OK);
	arena_init(&fx->a, 0);
	fx->rep = add_user(fx->s, "rep@example.no", "Europe/Oslo");
	c.owner_id = fx->rep;
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

	store_close(fx->s);
	arena_release(&fx->a);
	free(fx);
	return 0;
}

/* Read a case file with the owner zone 'zone'. */
static void
read_case(struct fixture *fx, const char *path, const char *zone,
	  struct ical_in_file *out)
{
	size_t len;
	char *text = slurp(path, &len);
	struct av_error err = {0};

	assert_int_equal(ical_read(text, len, zone, &fx->a, out, &err), AV_OK);
	free(text);
}

static const struct ical_in_event *
event(const struct ical_in_file *f, const char *uid)
{
	for (size_t i = 0; i < f->n_events; i++)
		if (strcmp(f->events[i].uid, uid) == 0)
			return &f->events[i];
	fail_msg("no event %s", uid);
	return NULL;
}

static void
expect_times(const struct ical_in_event *e, const char *start, const char *end)
{
	assert_true(e->usable);
	assert_int_equal(e->start_utc, utc(start));
	assert_int_equal(e->end_utc, utc(end));
}

/* Import a case file for the rep; returns the call's result. */
static enum av_err
import_case(struct fixture *fx, const char *path, int64_t owner,
	    struct ical_import_report *rep)
{
	size_t len;
	char *text = slurp(path, &len);
	struct av_error err = {0};
	struct ical_import_opts o = {.owner_id = owner, .actor = 1};
	enum av_err rc;

	rc = ical_import(fx->s, text, len, &o, &fx->a, rep, &err);
	free(text);
	return rc;
}

static void
get_by_uid(struct fixture *fx, const char *uid, int64_t rid,
	   struct appointment *out)
{
	struct av_error err = {0};

	assert_int_equal(store_appt_by_uid(fx->s, uid, rid, &fx->a, out, &err),
			 AV_OK);
}

/* The occurrences of the rep in [from, to). */
static size_t
occurrences(struct fixture *fx, int64_t owner, const char *from, const char *to,
	    struct occurrence **out)
{
	size_t n;
	struct av_error err = {0};

	assert_int_equal(appt_occurrences(fx->s, SCOPE_OWNER, owner, utc(from),
					  utc(to), 0, &fx->a, out, &n, &err),
			 AV_OK);
	return n;
}

/* ---- the cases, as read and as stored ---- */

static void
test_case_allday_exclusive_end(void **state)
{
	struct fixture *fx = *state;
	static const char *const zones[] = {"Europe/Oslo", "America/New_York",
					    "Asia/Tokyo"};
	static const struct {
		const char *uid, *first, *end;
	} want[] = {
	    {"allday-1@example.com", "2025-05-17", "2025-05-18"},
	    {"allday-2@example.com", "2025-04-14", "2025-04-22"},
	    {"allday-3@example.com", "2025-06-01", "2025-06-02"},
	};

	for (size_t z = 0; z < 3; z++) {
		struct ical_in_file f;

		read_case(fx,
			  CASES "ics-allday-exclusive-end/allday-events.ics",
			  zones[z], &f);
		assert_int_equal(f.n_events, 3);
		for (size_t i = 0; i < 3; i++) {
			const struct ical_in_event *e = event(&f, want[i].uid);
			struct tz_local s, en;
			char d1[16], d2[16];

			assert_true(e->all_day);
			/* a date in whatever zone is kept, not an instant */
			assert_int_equal(tz_utc_to_local(e->time_zone,
							 e->start_utc, &s, NULL,
							 NULL),
					 AV_OK);
			assert_int_equal(tz_utc_to_local(e->time_zone,
							 e->end_utc, &en, NULL,
							 NULL),
					 AV_OK);
			str_printf(d1, sizeof(d1), "%04d-%02d-%02d", s.year,
				   s.month, s.day);
			str_printf(d2, sizeof(d2), "%04d-%02d-%02d", en.year,
				   en.month, en.day);
			assert_string_equal(d1, want[i].first);
			assert_string_equal(d2, want[i].end);
			assert_int_equal(s.hour, 0);
			assert_int_equal(en.hour, 0);
		}
	}
}

static void
test_case_allday_export_is_exclusive_dates(void **state)
{
	struct fixture *fx = *state;
	struct ical_import_report rep;
	struct av_error err = {0};
	char *text;
	size_t len;

	assert_int_equal(
	    import_case(fx, CASES "ics-allday-exclusive-end/allday-events.ics",
			fx->rep, &rep),
	    AV_OK);
	assert_int_equal(rep.counts[IMPORT_CREATED], 3);
	struct ical_export_opts o = {.owner_id = fx->rep,
				     .method = CAL_METHOD_PUBLISH};
	assert_int_equal(ical_export(fx->s, &o, &text, &len, NULL, &err),
			 AV_OK);
	assert_non_null(strstr(text, "DTSTART;VALUE=DATE:20250414\r\n"));
	assert_non_null(strstr(text, "DTEND;VALUE=DATE:20250422\r\n"));
	assert_non_null(strstr(text, "DTSTART;VALUE=DATE:20250517\r\n"));
	assert_non_null(strstr(text, "DTEND;VALUE=DATE:20250518\r\n"));
	free(text);
}

static void
test_case_dst_gap(void **state)
{
	struct fixture *fx = *state;
	struct ical_in_file f;

	read_case(fx, CASES "ics-dst-gap/spring-forward-gap.ics", "Europe/Oslo",
		  &f);
	assert_int_equal(f.n_events, 4);
	expect_times(event(&f, "gap-1@example.com"), "2025-03-30T00:30:00Z",
		     "2025-03-30T01:30:00Z");
	/* libical 3.0.16 alone gives 00:30Z here (libical#1402) */
	expect_times(event(&f, "gap-2@example.com"), "2025-03-30T01:30:00Z",
		     "2025-03-30T02:30:00Z");
	expect_times(event(&f, "gap-3@example.com"), "2025-03-30T01:30:00Z",
		     "2025-03-30T02:30:00Z");
	expect_times(event(&f, "gap-4@example.com"), "2025-03-30T01:30:00Z",
		     "2025-03-30T01:30:00Z");
}

static void
test_case_exchange_empty_x_props(void **state)
{
	struct fixture *fx = *state;
	struct ical_in_file f;
	const struct ical_in_event *e;
	struct ical_import_report rep;
	struct appointment p;
	int lines[] = {36, 44, 45, 46, 47};

	read_case(fx,
		  CASES "ics-exchange-empty-x-props/exchange-request-empty-"
			"props.ics",
		  "Europe/Oslo", &f);
	assert_int_equal(f.n_events, 1);
	e = &f.events[0];
	assert_int_equal(f.method, CAL_METHOD_REQUEST);
	assert_string_equal(e->summary, "Tilbudsgjennomgang");
	expect_times(e, "2025-11-10T13:00:00Z", "2025-11-10T14:00:00Z");
	assert_non_null(e->location);
	assert_string_equal(e->location, "");
	assert_string_equal(e->description,
			    "Gjennomgang av tilbud 2025-118\n\n");
	assert_string_equal(e->organizer, "kari.nordmann@example.com");
	assert_int_equal(e->n_attendees, 1);
	assert_string_equal(e->attendees[0].email, "ola.nordmann@example.com");
	assert_string_equal(e->attendees[0].partstat, "NEEDS-ACTION");
	assert_int_equal(e->n_reminders, 1);
	assert_int_equal(e->reminders[0], 15);
	/* the empty values are warnings with their lines, never errors */
	assert_int_equal(f.n_problems, 5);
	for (size_t i = 0; i < 5; i++) {
		assert_false(f.problems[i].error);
		assert_int_equal(f.problems[i].line, lines[i]);
	}
	assert_int_equal(
	    import_case(fx,
			CASES "ics-exchange-empty-x-props/exchange-request-"
			      "empty-props.ics",
			fx->rep, &rep),
	    AV_OK);
	assert_int_equal(rep.counts[IMPORT_CREATED], 1);
	get_by_uid(fx, e->uid, 0, &p);
	assert_int_equal(p.reminder_minutes, 15);
	assert_int_equal(p.customer_id, fx->customer); /* via Ola's e-mail */
	assert_int_equal(p.contact_id, fx->contact);

	read_case(fx, CASES "ics-exchange-empty-x-props/o365-empty-tzid.ics",
		  "Europe/Oslo", &f);
	assert_int_equal(f.n_events, 1);
	expect_times(&f.events[0], "2025-11-10T09:00:00Z",
		     "2025-11-10T10:00:00Z");
}

static void
test_case_exdate_forms(void **state)
{
	struct fixture *fx = *state;
	struct ical_import_report rep;
	struct occurrence *occ;
	const char *want[] = {"2025-10-23T07:00:00Z", "2025-10-25T07:00:00Z",
			      "2025-10-26T08:00:00Z"};
	size_t n;

	assert_int_equal(
	    import_case(fx, CASES "ics-exdate-forms/daily-with-exdates.ics",
			fx->rep, &rep),
	    AV_OK);
	n = occurrences(fx, fx->rep, "2025-10-01T00:00:00Z",
			"2025-11-30T00:00:00Z", &occ);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(occ[i].start_utc, utc(want[i]));
		assert_int_equal(occ[i].end_utc - occ[i].start_utc, 30 * 60);
	}
}

static void
test_case_floating_time_in_owner_zone(void **state)
{
	struct fixture *fx = *state;
	struct ical_in_file f;
	struct ical_import_report rep;
	struct appointment p;
	struct av_error err = {0};
	int64_t ny = add_user(fx->s, "ny@example.com", "America/New_York");
	char *text;
	size_t len;

	/* the process zone never enters the computation */
	setenv("TZ", "Asia/Tokyo", 1);
	read_case(fx, CASES "ics-floating-time/floating-times.ics",
		  "Europe/Oslo", &f);
	expect_times(event(&f, "floating-1@example.com"),
		     "2026-03-16T08:00:00Z", "2026-03-16T09:00:00Z");
	expect_times(event(&f, "floating-2@example.com"),
		     "2026-07-01T07:00:00Z", "2026-07-01T07:30:00Z");
	assert_true(f.events[0].floating);
	read_case(fx, CASES "ics-floating-time/floating-times.ics",
		  "America/New_York", &f);
	expect_times(event(&f, "floating-1@example.com"),
		     "2026-03-16T13:00:00Z", "2026-03-16T14:00:00Z");
	expect_times(event(&f, "floating-2@example.com"),
		     "2026-07-01T13:00:00Z", "2026-07-01T13:30:00Z");
	setenv("TZ", "UTC", 1);
	assert_int_equal(
	    import_case(fx, CASES "ics-floating-time/floating-times.ics", ny,
			&rep),
	    AV_OK);
	get_by_uid(fx, "floating-1@example.com", 0, &p);
	assert_true(p.floating);
	assert_int_equal(p.start_utc, utc("2026-03-16T13:00:00Z"));
	/* written back floating: no TZID, no Z */
	struct ical_export_opts o = {.owner_id = ny,
				     .method = CAL_METHOD_PUBLISH};
	assert_int_equal(ical_export(fx->s, &o, &text, &len, NULL, &err),
			 AV_OK);
	assert_non_null(strstr(text, "DTSTART:20260316T090000\r\n"));
	assert_null(strstr(text, "BEGIN:VTIMEZONE"));
	free(text);
	unsetenv("TZ");
}

static void
test_case_fold_inside_utf8(void **state)
{
	struct fixture *fx = *state;
	struct ical_in_file f;
	char *sum =
	    slurp(CASES "ics-fold-inside-utf8/expected-summary.txt", NULL);
	char *desc =
	    slurp(CASES "ics-fold-inside-utf8/expected-description.txt", NULL);
	char *loc =
	    slurp(CASES "ics-fold-inside-utf8/expected-location.txt", NULL);

	read_case(fx, CASES "ics-fold-inside-utf8/fold-splits-multibyte.ics",
		  "Europe/Oslo", &f);
	assert_int_equal(f.n_events, 1);
	expect_times(&f.events[0], "2025-12-08T09:00:00Z",
		     "2025-12-08T10:00:00Z");
	assert_string_equal(f.events[0].summary, sum);
	assert_string_equal(f.events[0].description, desc);
	assert_string_equal(f.events[0].location, loc);
	free(sum);
	free(desc);
	free(loc);
}

static void
test_case_itip_request_update_cancel(void **state)
{
	struct fixture *fx = *state;
	struct ical_import_report rep;
	struct appointment p;
	const char *uid = "avtale-itip-0001@example.com";
	struct appt_attendee *at;
	size_t n_at;
	struct av_error err = {0};
#define ITIP CASES "ics-itip-request-update-cancel/"

	assert_int_equal(import_case(fx, ITIP "1-request.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(rep.counts[IMPORT_CREATED], 1);
	get_by_uid(fx, uid, 0, &p);
	assert_int_equal(p.start_utc, utc("2025-11-12T09:00:00Z"));
	assert_int_equal(p.end_utc, utc("2025-11-12T10:00:00Z"));
	assert_int_equal(p.status, APPT_SCHEDULED);
	assert_int_equal(
	    store_attendees_get(fx->s, p.id, &fx->a, &at, &n_at, &err), AV_OK);
	assert_int_equal(n_at, 1);
	assert_string_equal(at[0].email, "ola.nordmann@example.com");
	assert_string_equal(at[0].partstat, "NEEDS-ACTION");
	int64_t id = p.id;

	/* the same request twice: one appointment */
	assert_int_equal(import_case(fx, ITIP "1-request.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(rep.counts[IMPORT_SKIPPED], 1);
	assert_int_equal(rep.counts[IMPORT_CREATED], 0);

	assert_int_equal(import_case(fx, ITIP "2-update.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(rep.counts[IMPORT_UPDATED], 1);
	get_by_uid(fx, uid, 0, &p);
	assert_int_equal(p.id, id);
	assert_int_equal(p.start_utc, utc("2025-11-12T12:00:00Z"));
	assert_int_equal(p.end_utc, utc("2025-11-12T13:00:00Z"));
	assert_string_equal(p.subject, "Prisforhandling Østby Rør AS (ny tid)");

	assert_int_equal(import_case(fx, ITIP "3-cancel-without-vtimezone.ics",
				     fx->rep, &rep),
			 AV_OK);
	assert_int_equal(rep.counts[IMPORT_CANCELLED], 1);
	get_by_uid(fx, uid, 0, &p);
	assert_int_equal(p.id, id);
	assert_int_equal(p.status, APPT_CANCELLED);
	/* the cancel keeps the time it had, not a floating 13:00 */
	assert_int_equal(p.start_utc, utc("2025-11-12T12:00:00Z"));

	/* an older update changes nothing, and a cancel never resurrects */
	assert_int_equal(import_case(fx, ITIP "2-update.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(rep.counts[IMPORT_SKIPPED], 1);
	get_by_uid(fx, uid, 0, &p);
	assert_int_equal(p.status, APPT_CANCELLED);
	assert_int_equal(p.sequence, 2);
	struct occurrence *occ;
	size_t n = occurrences(fx, fx->rep, "2025-11-12T00:00:00Z",
			       "2025-11-13T00:00:00Z", &occ);
	size_t active = 0;
	for (size_t i = 0; i < n; i++)
		active += occ[i].appt->status != APPT_CANCELLED;
	assert_int_equal(active, 0);
}

static void
test_case_itip_cancel_as_publish(void **state)
{
	struct fixture *fx = *state;
	struct ical_import_report rep;
	struct appointment p;

	assert_int_equal(import_case(fx, ITIP "1-request.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(import_case(fx, ITIP "2-update.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(
	    import_case(fx, ITIP "3b-cancel-as-publish-status-only.ics",
			fx->rep, &rep),
	    AV_OK);
	assert_int_equal(rep.counts[IMPORT_CANCELLED], 1);
	get_by_uid(fx, "avtale-itip-0001@example.com", 0, &p);
	assert_int_equal(p.status, APPT_CANCELLED);
}

static void
test_case_line_endings(void **state)
{
	struct fixture *fx = *state;
	const char *files[] = {CASES "ics-line-endings/lf-only.ics",
			       CASES "ics-line-endings/cr-only.ics",
			       CASES
			       "ics-line-endings/mixed-no-final-newline.ics"};
	char *desc =
	    slurp(CASES "ics-line-endings/expected-description.txt", NULL);

	for (size_t i = 0; i < 3; i++) {
		struct ical_in_file f;
		read_case(fx, files[i], "Europe/Oslo", &f);
		assert_int_equal(f.n_events, 1);
		assert_string_equal(f.events[0].uid, "eol-1@example.com");
		assert_string_equal(f.events[0].summary, "Servicemøte");
		expect_times(&f.events[0], "2025-12-02T12:00:00Z",
			     "2025-12-02T13:00:00Z");
		assert_string_equal(f.events[0].description, desc);
	}
	free(desc);
}

static void
test_case_outlook_windows_tzid(void **state)
{
	struct fixture *fx = *state;
	const char *files[] = {
	    CASES "ics-outlook-windows-tzid/outlook-w-europe.ics",
	    CASES "ics-outlook-windows-tzid/outlook-w-europe-no-vtimezone.ics"};
	static const struct {
		const char *uid, *summary, *start, *end;
	} want[] = {
	    {"040000008200E00074C5B7101A82E00800000000B0A1C2D3E4F5DB0100000000"
	     "00000000100000009F8E7D6C5B4A39281706F5E4D3C2B1A0",
	     "Kundemøte Fjordlys Regnskap AS", "2026-01-15T09:00:00Z",
	     "2026-01-15T10:00:00Z"},
	    {"040000008200E00074C5B7101A82E00800000000C1B2A3948576DB0100000000"
	     "000000001000000000AABBCCDDEEFF00112233445566778899",
	     "Oppfølging av tilbud", "2026-09-17T11:00:00Z",
	     "2026-09-17T12:00:00Z"},
	    {"040000008200E00074C5B7101A82E00800000000D2C3B4A59687DB0100000000"
	     "000000001000000012345678ABCDEF0012345678ABCDEF00",
	     "Befaring Østby Rør AS", "2026-03-30T06:30:00Z",
	     "2026-03-30T07:00:00Z"},
	};

	for (size_t k = 0; k < 2; k++) {
		struct ical_in_file f;
		read_case(fx, files[k], "Europe/Oslo", &f);
		assert_int_equal(f.n_events, k == 0 ? 3 : 2);
		for (size_t i = 0; i < f.n_events; i++) {
			const struct ical_in_event *e = &f.events[i];
			size_t w = 0;
			while (w < 3 && strncmp(e->uid, want[w].uid, 44) != 0)
				w++;
			assert_true(w < 3);
			assert_int_equal(strlen(e->uid), 112);
			assert_null(strchr(e->uid, ' '));
			assert_string_equal(e->summary, want[w].summary);
			expect_times(e, want[w].start, want[w].end);
			assert_string_equal(e->time_zone, "Europe/Oslo");
		}
	}
}

static void
test_case_recurrence_id_override(void **state)
{
	struct fixture *fx = *state;
	struct ical_import_report rep;
	struct occurrence *occ;
	struct appointment p;
	size_t n;
	static const struct {
		const char *start, *end, *summary;
	} want[] = {
	    {"2025-09-02T08:00:00Z", "2025-09-02T09:00:00Z",
	     "Ukentlig statusmøte"},
	    {"2025-09-09T12:00:00Z", "2025-09-09T13:00:00Z",
	     "Statusmøte (flyttet til 14:00)"},
	    {"2025-09-16T08:00:00Z", "2025-09-16T09:00:00Z",
	     "Ukentlig statusmøte"},
	    {"2025-09-23T08:00:00Z", "2025-09-23T09:00:00Z",
	     "Ukentlig statusmøte"},
	};

	assert_int_equal(import_case(fx,
				     CASES
				     "ics-recurrence-id-override/series-with-"
				     "override.ics",
				     fx->rep, &rep),
			 AV_OK);
	n = occurrences(fx, fx->rep, "2025-08-01T00:00:00Z",
			"2025-12-01T00:00:00Z", &occ);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(occ[i].start_utc, utc(want[i].start));
		assert_int_equal(occ[i].end_utc, utc(want[i].end));
		assert_string_equal(occ[i].appt->subject, want[i].summary);
		assert_int_not_equal(occ[i].start_utc,
				     utc("2025-09-09T08:00:00Z"));
	}
	/* written back in the master's TZID form */
	char *text;
	size_t len;
	struct av_error err = {0};
	struct ical_export_opts o = {.owner_id = fx->rep,
				     .method = CAL_METHOD_PUBLISH};
	assert_int_equal(ical_export(fx->s, &o, &text, &len, NULL, &err),
			 AV_OK);
	assert_non_null(
	    strstr(text, "RECURRENCE-ID;TZID=Europe/Oslo:20250909T100000\r\n"));
	free(text);

	/* an override alone is kept, by UID and RECURRENCE-ID */
	assert_int_equal(
	    import_case(fx,
			CASES "ics-recurrence-id-override/orphan-override-"
			      "only.ics",
			fx->rep, &rep),
	    AV_OK);
	assert_int_equal(rep.counts[IMPORT_CREATED], 1);
	get_by_uid(fx, "serie-uten-master@example.com",
		   utc("2025-09-09T08:00:00Z"), &p);
	assert_string_equal(p.subject, "Enkeltforekomst uten serie");
	assert_int_equal(p.start_utc, utc("2025-09-09T12:00:00Z"));
	assert_int_equal(p.end_utc, utc("2025-09-09T13:00:00Z"));
	assert_int_equal(p.parent_id, 0);
}

static void
test_case_rrule_across_dst(void **state)
{
	struct fixture *fx = *state;
	struct ical_import_report rep;
	struct occurrence *occ;
	size_t n;
	static const struct {
		const char *subject;
		const char *starts[3];
	} want[] = {
	    {"Fredagsmøte (lokal tid)",
	     {"2025-03-21T08:00:00Z", "2025-03-28T08:00:00Z",
	      "2025-04-04T07:00:00Z"}},
	    {"Fredagsmøte (UTC-forankret)",
	     {"2025-03-21T08:00:00Z", "2025-03-28T08:00:00Z",
	      "2025-04-04T08:00:00Z"}},
	    {"Fredagsmøte høst",
	     {"2025-10-17T07:00:00Z", "2025-10-24T07:00:00Z",
	      "2025-10-31T08:00:00Z"}},
	};

	assert_int_equal(
	    import_case(fx, CASES "ics-rrule-across-dst/weekly-across-dst.ics",
			fx->rep, &rep),
	    AV_OK);
	n = occurrences(fx, fx->rep, "2025-01-01T00:00:00Z",
			"2026-01-01T00:00:00Z", &occ);
	assert_int_equal(n, 9);
	for (size_t w = 0; w < 3; w++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(occ[i].appt->subject, want[w].subject) != 0)
				continue;
			assert_true(k < 3);
			assert_int_equal(occ[i].start_utc,
					 utc(want[w].starts[k]));
			assert_int_equal(occ[i].end_utc - occ[i].start_utc,
					 3600);
			k++;
		}
		assert_int_equal(k, 3);
	}
}

static void
test_case_text_escaping(void **state)
{
	struct fixture *fx = *state;
	struct ical_in_file f;
	const struct ical_in_event *e;
	char *sum =
	    slurp(CASES "ics-text-escaping/expected-esc-1-summary.txt", NULL);
	char *desc = slurp(
	    CASES "ics-text-escaping/expected-esc-1-description.txt", NULL);
	struct ical_import_report rep;
	char *text;
	size_t len;
	struct av_error err = {0};

	read_case(fx, CASES "ics-text-escaping/escaped-text.ics", "Europe/Oslo",
		  &f);
	e = event(&f, "esc-1@example.com");
	assert_string_equal(e->summary, sum);
	assert_string_equal(e->description, desc);
	assert_string_equal(e->location, "Storgata 1, 0155 Oslo");
	assert_int_equal(e->n_categories, 3);
	assert_string_equal(e->categories[0], "Kunde");
	assert_string_equal(e->categories[1], "Befaring");
	assert_string_equal(e->categories[2], "Oslo, sentrum");
	assert_int_equal(e->n_attendees, 1);
	assert_string_equal(e->attendees[0].name, "Nordmann, Kari: Salg");
	assert_string_equal(e->attendees[0].email, "kari.nordmann@example.com");
	e = event(&f, "esc-2@example.com");
	assert_string_equal(e->summary,
			    "Telefonmøte: pris, levering og garanti");
	assert_string_equal(e->location, "Storgata 1, 0155 Oslo");

	/* export re-escapes and quotes; a re-import gives the same strings */
	assert_int_equal(import_case(fx,
				     CASES "ics-text-escaping/escaped-text.ics",
				     fx->rep, &rep),
			 AV_OK);
	struct ical_export_opts o = {.owner_id = fx->rep,
				     .method = CAL_METHOD_PUBLISH,
				     .with_notes = true};
	assert_int_equal(ical_export(fx->s, &o, &text, &len, NULL, &err),
			 AV_OK);
	assert_non_null(strstr(text, "CN=\"Nordmann, Kari: Salg\""));
	assert_non_null(strstr(text, "Storgata 1\\, 0155 Oslo"));
	read_case(fx, CASES "ics-text-escaping/escaped-text.ics", "Europe/Oslo",
		  &f);
	struct ical_in_file back;
	assert_int_equal(
	    ical_read(text, len, "Europe/Oslo", &fx->a, &back, &err), AV_OK);
	e = event(&back, "esc-1@example.com");
	assert_string_equal(e->summary, sum);
	assert_string_equal(e->description, desc);
	assert_string_equal(e->attendees[0].name, "Nordmann, Kari: Salg");
	assert_string_equal(event(&back, "esc-2@example.com")->summary,
			    "Telefonmøte: pris, levering og garanti");
	free(text);
	free(sum);
	free(desc);
}

/* ---- zones ---- */

static void
test_zones_windows_and_display_names(void **state)
{
	char z[ICAL_ZONE_NAME_MAX];

	(void)state;
	assert_true(
	    ical_zone_from_tzid("W. Europe Standard Time", NULL, z, sizeof(z)));
	assert_string_equal(z, "Europe/Berlin"); /* CLDR territory 001 */
	assert_true(ical_zone_from_tzid("W. Europe Standard Time",
					"Europe/Oslo", z, sizeof(z)));
	assert_string_equal(z, "Europe/Oslo");
	assert_true(ical_zone_from_tzid("W. Europe Standard Time 1",
					"Europe/Oslo", z, sizeof(z)));
	assert_string_equal(z, "Europe/Oslo");
	assert_true(ical_zone_from_tzid("Eastern Standard Time", "Europe/Oslo",
					z, sizeof(z)));
	assert_string_equal(z, "America/New_York");
	assert_true(ical_zone_from_tzid(
	    "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
	    NULL, z, sizeof(z)));
	assert_string_equal(z, "Europe/Amsterdam");
	assert_true(ical_zone_from_tzid("Europe/Oslo", NULL, z, sizeof(z)));
	assert_string_equal(z, "Europe/Oslo");
	assert_false(
	    ical_zone_from_tzid("Nowhere Standard Time", NULL, z, sizeof(z)));
}

/* A VTIMEZONE's rules win over its name, whatever the name says. */
static void
test_zones_file_rules_win_over_the_name(void **state)
{
	struct fixture *fx = *state;
	static const char file[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
	    "TZOFFSETFROM:+0500\r\nTZOFFSETTO:+0500\r\nEND:STANDARD\r\n"
	    "END:VTIMEZONE\r\n"
	    "BEGIN:VTIMEZONE\r\nTZID:(UTC+01:00) Amsterdam\\, Berlin\r\n"
	    "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\n"
	    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"
	    "BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\n"
	    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\n"
	    "END:VTIMEZONE\r\n"
	    "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20250101T000000Z\r\n"
	    "DTSTART;TZID=Europe/Oslo:20250601T100000\r\n"
	    "DURATION:PT1H\r\nSUMMARY:a\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20250101T000000Z\r\n"
	    "DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin\":20250601T100000\r\n"
	    "SUMMARY:b\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct ical_in_file f;
	struct av_error err = {0};

	assert_int_equal(
	    ical_read(file, strlen(file), "Europe/Oslo", &fx->a, &f, &err),
	    AV_OK);
	expect_times(event(&f, "a"), "2025-06-01T05:00:00Z",
		     "2025-06-01T06:00:00Z");
	/* no DTEND, no DURATION: a point in time (RFC 5545 3.6.1) */
	expect_times(event(&f, "b"), "2025-06-01T08:00:00Z",
		     "2025-06-01T08:00:00Z");
	assert_string_equal(event(&f, "b")->time_zone, "Europe/Amsterdam");
}

/* ---- writing ---- */

/* Every physical line at most 75 octets, valid UTF-8 on its own, ending
 * in CRLF; returns the number of lines that start with 'prefix'. */
static size_t
check_lines(const char *text, const char *prefix)
{
	size_t hits = 0;

	for (const char *p = text; *p;) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 75);
		assert_true(str_valid_utf8(p, (size_t)(e - p)));
		assert_null(memchr(p, '\r', (size_t)(e - p)));
		assert_null(memchr(p, '\n', (size_t)(e - p)));
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			hits++;
		p = e + 2;
	}
	return hits;
}

static void
test_write_hostile_text_stays_one_value(void **state)
{
	struct fixture *fx = *state;
	char long_text[6000];
	size_t o = 0;
	const char *piece = "ø📞a\\;,";
	struct appointment p = {
	    .id = 1,
	    .owner_id = 2,
	    .start_utc = utc("2026-01-12T09:00:00Z"),
	    .end_utc = utc("2026-01-12T10:00:00Z"),
	    .time_zone = "Europe/Oslo",
	    .type = "meeting",
	    .channel = CHANNEL_IN_PERSON,
	    .uid = "hostile-1@avtale",
	    .reminder_minutes = -1,
	    .owner = "rep@example.no",
	    .owner_name = "Rep\r\nATTENDEE:mailto:evil@example.com",
	    .updated_at = utc("2026-01-01T00:00:00Z"),
	};
	struct appt_attendee at = {
	    .email = "ola@example.com",
	    .name = "Nordmann, \"Ola\"; Salg: \\\r\nX-EVIL:1",
	};
	struct ical_out_event ev = {
	    .appt = &p, .attendees = &at, .n_attendees = 1, .with_notes = true};
	struct ical_out_calendar cal = {.method = CAL_METHOD_PUBLISH};
	struct ical_in_file back;
	struct av_error err = {0};
	char *text;
	size_t len;

	while (o + strlen(piece) < 5000) {
		memcpy(long_text + o, piece, strlen(piece));
		o += strlen(piece);
	}
	long_text[o] = '\0';
	p.subject = "Møte\r\nATTENDEE:mailto:evil@example.com\r\nEND:VEVENT";
	p.notes = long_text;
	p.location = "Storgata 1; 0155 Oslo, \\bak\\\rDTSTART:19700101T000000Z";
	assert_int_equal(ical_write(&cal, &ev, 1, &text, &len, &err), AV_OK);
	assert_int_equal(check_lines(text, "ATTENDEE"), 1);
	assert_int_equal(check_lines(text, "END:VEVENT"), 1);
	/* inside the VEVENT: one DTSTART, the one we wrote */
	assert_int_equal(check_lines(strstr(text, "BEGIN:VEVENT"), "DTSTART"),
			 1);
	assert_int_equal(check_lines(text, "X-EVIL"), 0);
	assert_int_equal(
	    ical_read(text, len, "Europe/Oslo", &fx->a, &back, &err), AV_OK);
	assert_int_equal(back.n_events, 1);
	assert_int_equal(back.n_problems, 0);
	assert_string_equal(
	    back.events[0].summary,
	    "Møte\nATTENDEE:mailto:evil@example.com\nEND:VEVENT");
	assert_string_equal(back.events[0].description, long_text);
	assert_string_equal(back.events[0].location,
			    "Storgata 1; 0155 Oslo, \\bak\\\nDTSTART:"
			    "19700101T000000Z");
	assert_int_equal(back.events[0].n_attendees, 1);
	assert_string_equal(back.events[0].attendees[0].email,
			    "ola@example.com");
	assert_string_equal(back.events[0].attendees[0].name,
			    "Nordmann, 'Ola'; Salg: \\ X-EVIL:1");
	assert_string_equal(back.events[0].organizer_name,
			    "Rep ATTENDEE:mailto:evil@example.com");
	expect_times(&back.events[0], "2026-01-12T09:00:00Z",
		     "2026-01-12T10:00:00Z");
	free(text);
}

/* Lengths around the fold point, with characters of every width. */
static void
test_write_folds_between_characters(void **state)
{
	struct fixture *fx = *state;
	const char *chars[] = {"a", "ø", "–", "📞"};

	for (size_t c = 0; c < 4; c++) {
		for (size_t n = 60; n < 160; n++) {
			char s[800];
			size_t o = 0;
			struct appointment p = {
			    .start_utc = utc("2026-01-12T09:00:00Z"),
			    .end_utc = utc("2026-01-12T10:00:00Z"),
			    .time_zone = "UTC",
			    .uid = "fold@avtale",
			    .reminder_minutes = -1,
			    .subject = s,
			};
			struct ical_out_event ev = {.appt = &p};
			struct ical_out_calendar cal = {0};
			struct ical_in_file back;
			struct av_error err = {0};
			char *text;
			size_t len;

			for (size_t i = 0; i < n && o + 5 < sizeof(s); i++) {
				size_t w = strlen(chars[(c + i) % 4]);
				memcpy(s + o, chars[(c + i) % 4], w);
				o += w;
			}
			s[o] = '\0';
			assert_int_equal(
			    ical_write(&cal, &ev, 1, &text, &len, &err), AV_OK);
			check_lines(text, "");
			assert_int_equal(ical_read(text, len, "Europe/Oslo",
						   &fx->a, &back, &err),
					 AV_OK);
			assert_string_equal(back.events[0].summary, s);
			free(text);
		}
	}
}

/* The feed of a rep: every zone used has a VTIMEZONE, series carry
 * RRULE and EXDATE, changed occurrences RECURRENCE-ID, cancelled ones
 * STATUS:CANCELLED, reminders VALARM; libical reads it back to the same
 * appointments. */
static void
test_feed_reads_back_to_the_same_appointments(void **state)
{
	struct fixture *fx = *state;
	struct appointment v[5], *rows;
	struct av_error err = {0};
	struct conflicts conf;
	char *text;
	size_t len, n;
	struct ical_in_file back;
	int64_t last;
	const char *zones[] = {"Europe/Oslo", "America/New_York", "Asia/Tokyo",
			       "Europe/Oslo", "UTC"};

	for (int i = 0; i < 5; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].owner_id = fx->rep;
		v[i].customer_id = i % 2 ? fx->customer : 0;
		v[i].contact_id = i % 2 ? fx->contact : 0;
		v[i].start_utc = utc("2030-02-04T09:00:00Z") + i * 86400;
		v[i].end_utc = v[i].start_utc + 1800;
		v[i].time_zone = zones[i];
		v[i].type = "meeting";
		v[i].channel = CHANNEL_PHONE;
		v[i].subject = "Møte";
		v[i].notes = "private notes";
		v[i].reminder_minutes = i == 0 ? 15 : -1;
		if (i == 3)
			v[i].rrule = "FREQ=WEEKLY;COUNT=5";
		assert_int_equal(
		    appt_book(fx->s, &v[i], true, fx->rep, &fx->a, &conf, &err),
		    AV_OK);
	}
	int64_t rid = v[3].start_utc + 7 * 86400;
	int64_t moved;
	struct appt_patch patch = {.set = AF_START};
	patch.v.start_utc = rid + 3600;
	assert_int_equal(appt_change(fx->s, v[3].id, &patch, TARGET_ONE, rid, 0,
				     true, fx->rep, &fx->a, &conf, &moved,
				     &err),
			 AV_OK);
	assert_int_equal(appt_cancel(fx->s, v[1].id, 0, "kunden avlyste", 0,
				     fx->rep, &fx->a, &moved, &err),
			 AV_OK);
	struct ical_export_opts o = {.owner_id = fx->rep,
				     .method = CAL_METHOD_PUBLISH,
				     .refresh_minutes = 15};
	assert_int_equal(ical_export(fx->s, &o, &text, &len, &last, &err),
			 AV_OK);
	assert_non_null(strstr(text, "METHOD:PUBLISH\r\n"));
	assert_non_null(strstr(text, "TZID:Europe/Oslo\r\n"));
	assert_non_null(strstr(text, "TZID:America/New_York\r\n"));
	assert_non_null(strstr(text, "TZID:Asia/Tokyo\r\n"));
	assert_int_equal(check_lines(text, "BEGIN:VTIMEZONE"), 3);
	assert_int_equal(check_lines(text, "STATUS:CANCELLED"), 1);
	assert_non_null(strstr(text, "TRIGGER:-PT15M\r\n"));
	assert_non_null(strstr(text, "RRULE:FREQ=WEEKLY;COUNT=5\r\n"));
	assert_null(strstr(text, "private notes")); /* feeds keep no notes */
	assert_non_null(strstr(text, "ATTENDEE;CN=Ola Nordmann"));
	assert_int_equal(
	    ical_read(text, len, "Europe/Oslo", &fx->a, &back, &err), AV_OK);
	assert_int_equal(back.n_problems, 0);
	assert_int_equal(store_appt_export_rows(fx->s, fx->rep, 0,
						INT64_C(7258118400), &fx->a,
						&rows, &n, &err),
			 AV_OK);
	assert_int_equal(back.n_events, n);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++) {
		const struct ical_in_event *e = &back.events[i];
		assert_string_equal(e->uid, rows[i].uid);
		assert_int_equal(e->recurrence_id, rows[i].recurrence_id);
		assert_int_equal(e->start_utc, rows[i].start_utc);
		assert_int_equal(e->end_utc, rows[i].end_utc);
		assert_int_equal(e->sequence, rows[i].sequence);
		assert_int_equal(e->cancelled,
				 rows[i].status == APPT_CANCELLED);
		assert_true(e->rrule == NULL || rows[i].rrule != NULL);
	}
	assert_true(last > 0);
	free(text);
}

static void
test_round_trip_export_import_export_identical(void **state)
{
	struct fixture *fx = *state;
	struct store *b = NULL;
	struct ical_import_report rep;
	struct av_error err = {0};
	char *t1, *t2;
	size_t l1, l2;
	struct ical_import_opts io = {.actor = 1};
	struct ical_export_opts o = {.method = CAL_METHOD_PUBLISH,
				     .with_notes = true};
	const char *files[] = {
	    CASES "ics-recurrence-id-override/series-with-override.ics",
	    CASES "ics-allday-exclusive-end/allday-events.ics",
	    CASES "ics-floating-time/floating-times.ics",
	    CASES "ics-text-escaping/escaped-text.ics",
	    CASES "ics-exdate-forms/daily-with-exdates.ics",
	    CASES "ics-itip-request-update-cancel/1-request.ics",
	    CASES "ics-itip-request-update-cancel/3-cancel-without-"
		  "vtimezone.ics",
	    CASES "ics-exchange-empty-x-props/exchange-request-empty-"
		  "props.ics",
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		assert_int_equal(import_case(fx, files[i], fx->rep, &rep),
				 AV_OK);
	o.owner_id = fx->rep;
	assert_int_equal(ical_export(fx->s, &o, &t1, &l1, NULL, &err), AV_OK);
	assert_int_equal(store_open(":memory:", 0, &b, &err), AV_OK);
	io.owner_id = add_user(b, "rep@example.no", "Europe/Oslo");
	assert_int_equal(ical_import(b, t1, l1, &io, &fx->a, &rep, &err),
			 AV_OK);
	o.owner_id = io.owner_id;
	assert_int_equal(ical_export(b, &o, &t2, &l2, NULL, &err), AV_OK);
	assert_string_equal(t1, t2);
	/* and importing it again changes nothing */
	assert_int_equal(ical_import(b, t1, l1, &io, &fx->a, &rep, &err),
			 AV_OK);
	assert_int_equal(rep.counts[IMPORT_CREATED] +
			     rep.counts[IMPORT_UPDATED] +
			     rep.counts[IMPORT_CANCELLED],
			 0);
	store_close(b);
	free(t1);
	free(t2);
}

/* ---- import rules ---- */

static void
test_import_all_or_nothing_with_lines(void **state)
{
	struct fixture *fx = *state;
	static const char file[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VEVENT\r\nUID:ok-1\r\nDTSTART:20250601T100000Z\r\n"
	    "DTEND:20250601T110000Z\r\nSUMMARY:fine\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:bad-1\r\nDTSTART:2025BAD\r\n"
	    "SUMMARY:broken\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	static const char good[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VEVENT\r\nUID:ok-1\r\nDTSTART:20250601T100000Z\r\n"
	    "DTEND:20250601T110000Z\r\nSUMMARY:fine\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct ical_import_opts o = {.owner_id = fx->rep, .actor = 1};
	struct ical_import_report rep;
	struct appointment p;
	struct av_error err = {0};
	bool line_of_error = false;

	assert_int_equal(
	    ical_import(fx->s, file, strlen(file), &o, &fx->a, &rep, &err),
	    AV_EINVAL);
	assert_false(rep.stored);
	for (size_t i = 0; i < rep.n_problems; i++)
		if (rep.problems[i].line == 12 &&
		    strstr(rep.problems[i].message, "DTSTART"))
			line_of_error = true;
	assert_true(line_of_error);
	assert_int_equal(store_appt_by_uid(fx->s, "ok-1", 0, &fx->a, &p, &err),
			 AV_ENOTFOUND);
	/* a dry run of a good file reports what it would do, stores nothing */
	o.dry_run = true;
	assert_int_equal(
	    ical_import(fx->s, good, strlen(good), &o, &fx->a, &rep, &err),
	    AV_OK);
	assert_int_equal(rep.counts[IMPORT_CREATED], 1);
	assert_false(rep.stored);
	assert_int_equal(store_appt_by_uid(fx->s, "ok-1", 0, &fx->a, &p, &err),
			 AV_ENOTFOUND);
}

/* A file cut short (a download that stopped) is read up to the cut, with
 * a warning naming the open component; a file with no calendar at all is
 * refused. */
static void
test_read_truncated_files(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *text = slurp(CASES "ics-recurrence-id-override/series-with-"
				 "override.ics",
			   &len);
	char *cut = strstr(text, "SUMMARY:Ukentlig");
	struct ical_in_file f;
	struct av_error err = {0};
	bool warned = false;

	assert_non_null(cut);
	assert_int_equal(ical_read(text, (size_t)(cut - text), "Europe/Oslo",
				   &fx->a, &f, &err),
			 AV_OK);
	assert_int_equal(f.n_events, 2);
	assert_string_equal(f.events[0].summary,
			    "Statusmøte (flyttet til 14:00)");
	for (size_t i = 0; i < f.n_problems; i++)
		warned |= !f.problems[i].error &&
			  strstr(f.problems[i].message, "ends inside VEVENT");
	assert_true(warned);
	/* cut inside the first line after BEGIN:VCALENDAR: no events */
	assert_int_equal(ical_read(text, 20, "Europe/Oslo", &fx->a, &f, &err),
			 AV_OK);
	assert_int_equal(f.n_events, 0);
	assert_int_equal(
	    ical_read("VERSION:2.0\r\n", 13, "Europe/Oslo", &fx->a, &f, &err),
	    AV_EINVAL);
	assert_int_equal(ical_read("BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n",
				   33, "Europe/Oslo", &fx->a, &f, &err),
			 AV_EINVAL);
	free(text);
}

static void
test_import_busy_time_without_customer_counts_as_conflict(void **state)
{
	struct fixture *fx = *state;
	static const char file[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
	    "BEGIN:VEVENT\r\nUID:busy-1\r\nDTSTAMP:20250101T000000Z\r\n"
	    "DTSTART;TZID=W. Europe Standard Time:20300601T100000\r\n"
	    "DTEND;TZID=W. Europe Standard Time:20300601T110000\r\n"
	    "SUMMARY:Tannlege\r\n"
	    "ATTENDEE:mailto:someone@elsewhere.example\r\nEND:VEVENT\r\n"
	    "END:VCALENDAR\r\n";
	struct ical_import_opts o = {.owner_id = fx->rep, .actor = 1};
	struct ical_import_report rep;
	struct appointment p, q = {0};
	struct conflicts conf;
	struct av_error err = {0};

	assert_int_equal(
	    ical_import(fx->s, file, strlen(file), &o, &fx->a, &rep, &err),
	    AV_OK);
	get_by_uid(fx, "busy-1", 0, &p);
	assert_int_equal(p.customer_id, 0);
	assert_int_equal(p.start_utc, utc("2030-06-01T08:00:00Z"));
	q.owner_id = fx->rep;
	q.customer_id = fx->customer;
	q.start_utc = utc("2030-06-01T08:30:00Z");
	q.end_utc = q.start_utc + 1800;
	q.time_zone = "Europe/Oslo";
	q.type = "meeting";
	q.subject = "Kunde";
	q.reminder_minutes = -1;
	assert_int_equal(
	    appt_book(fx->s, &q, false, fx->rep, &fx->a, &conf, &err),
	    AV_ECONFLICT);
	assert_int_equal(conf.n, 1);
	assert_int_equal(conf.v[0].appt->id, p.id);
}

static void
test_import_reply_sets_attendee_answer(void **state)
{
	struct fixture *fx = *state;
	static const char reply[] =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REPLY\r\n"
	    "BEGIN:VEVENT\r\nUID:avtale-itip-0001@example.com\r\n"
	    "DTSTAMP:20251111T090000Z\r\nSEQUENCE:0\r\n"
	    "DTSTART:20251112T090000Z\r\n"
	    "ATTENDEE;PARTSTAT=ACCEPTED:mailto:OLA.Nordmann@example.com\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	struct ical_import_opts o = {.owner_id = fx->rep, .actor = 1};
	struct ical_import_report rep;
	struct appointment p;
	struct appt_attendee *at;
	size_t n;
	struct av_error err = {0};

	assert_int_equal(import_case(fx, ITIP "1-request.ics", fx->rep, &rep),
			 AV_OK);
	assert_int_equal(
	    ical_import(fx->s, reply, strlen(reply), &o, &fx->a, &rep, &err),
	    AV_OK);
	assert_int_equal(rep.counts[IMPORT_ANSWERED], 1);
	get_by_uid(fx, "avtale-itip-0001@example.com", 0, &p);
	assert_int_equal(
	    store_attendees_get(fx->s, p.id, &fx->a, &at, &n, &err), AV_OK);
	assert_int_equal(n, 1);
	assert_string_equal(at[0].partstat, "ACCEPTED");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(test_case_allday_exclusive_end),
	    T(test_case_allday_export_is_exclusive_dates),
	    T(test_case_dst_gap),
	    T(test_case_exchange_empty_x_props),
	    T(test_case_exdate_forms),
	    T(test_case_floating_time_in_owner_zone),
	    T(test_case_fold_inside_utf8),
	    T(test_case_itip_request_update_cancel),
	    T(test_case_itip_cancel_as_publish),
	    T(test_case_line_endings),
	    T(test_case_outlook_windows_tzid),
	    T(test_case_recurrence_id_override),
	    T(test_case_rrule_across_dst),
	    T(test_case_text_escaping),
	    T(test_zones_windows_and_display_names),
	    T(test_zones_file_rules_win_over_the_name),
	    T(test_write_hostile_text_stays_one_value),
	    T(test_write_folds_between_characters),
	    T(test_feed_reads_back_to_the_same_appointments),
	    T(test_round_trip_export_import_export_identical),
	    T(test_import_all_or_nothing_with_lines),
	    T(test_read_truncated_files),
	    T(test_import_busy_time_without_customer_counts_as_conflict),
	    T(test_import_reply_sets_attendee_answer),
#undef T
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_free_zones();
	return rc;
}
