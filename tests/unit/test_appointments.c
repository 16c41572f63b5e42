/* SPDX-License-Identifier: MIT */
/*
 * The scheduling service over a real store: recurrence in the booked zone
 * (the shared cases ics-rrule-across-dst, ics-exdate-forms,
 * ics-recurrence-id-override, ics-dst-gap give the UTC instants), the
 * conflict check, the life cycle and the record's tab.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/tz.h"
#include "domain/customer.h"
#include "service/appointments.h"

struct fixture {
	struct store *s;
	struct arena a;
	int64_t customer;
	int64_t contact;
};

/* "2025-03-21T08:00:00Z" -> epoch seconds */
static int64_t
utc(const char *text)
{
	int64_t t;
	struct av_error err = {0};

	assert_int_equal(tz_parse_instant(text, "t", "UTC", &t, NULL, &err),
			 AV_OK);
	return t;
}

/* Local wall time in Europe/Oslo -> epoch seconds. */
static int64_t
oslo(const char *text)
{
	int64_t t;
	struct av_error err = {0};

	assert_int_equal(
	    tz_parse_instant(text, "t", "Europe/Oslo", &t, NULL, &err), AV_OK);
	return t;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};
	struct customer c = {.customer_number = "100",
			     .name = "Fjordlys Regnskap AS",
			     .owner_id = 1,
			     .status = CUSTOMER_CUSTOMER};
	struct contact p = {.name = "Kari Nordmann"};

	assert_int_equal(store_open(":memory:", 0, &fx->s, &err), AV_OK);
	arena_init(&fx->a, 0);
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
	unsetenv("AVTALE_NOW");
	return 0;
}

static struct appointment
meeting(struct fixture *fx, int64_t start, int minutes, const char *zone)
{
	struct appointment p = {0};

	p.customer_id = fx->customer;
	p.contact_id = fx->contact;
	p.owner_id = 1;
	p.start_utc = start;
	p.end_utc = start + minutes * 60;
	p.time_zone = zone;
	p.type = "meeting";
	p.channel = CHANNEL_PHONE;
	p.subject = "Statusmøte";
	p.reminder_minutes = -1;
	return p;
}

static int64_t
book(struct fixture *fx, struct appointment *p, bool force)
{
	struct conflicts conf;
	struct av_error err = {0};
	enum av_err rc = appt_book(fx->s, p, force, 1, &fx->a, &conf, &err);

	if (rc)
		fail_msg("booking failed: %s (%s)", err.msg, err.field);
	return p->id;
}

/* Occurrence starts held by the admin in [from, to). */
static size_t
starts(struct fixture *fx, int64_t from, int64_t to, int64_t *out, size_t max)
{
	struct occurrence *occ;
	struct av_error err = {0};
	size_t n;

	assert_int_equal(appt_occurrences(fx->s, SCOPE_OWNER, 1, from, to, 100,
					  &fx->a, &occ, &n, &err),
			 AV_OK);
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++)
		out[i] = occ[i].start_utc;
	return n;
}

/* ics-rrule-across-dst: a local series keeps 09:00; a UTC one keeps 08:00Z */
static void
test_series_keeps_wall_clock_time_across_dst(void **state)
{
	struct fixture *fx = *state;
	struct appointment a =
	    meeting(fx, oslo("2025-03-21 09:00"), 60, "Europe/Oslo");
	struct appointment b =
	    meeting(fx, utc("2025-03-21T08:00:00Z"), 60, "UTC");
	struct appointment c =
	    meeting(fx, oslo("2025-10-17 09:00"), 60, "Europe/Oslo");
	int64_t got[8];

	a.rrule = "FREQ=WEEKLY;COUNT=3";
	book(fx, &a, false);
	assert_int_equal(starts(fx, utc("2025-03-01T00:00:00Z"),
				utc("2025-05-01T00:00:00Z"), got, 8),
			 3);
	assert_int_equal(got[0], utc("2025-03-21T08:00:00Z"));
	assert_int_equal(got[1], utc("2025-03-28T08:00:00Z"));
	assert_int_equal(got[2], utc("2025-04-04T07:00:00Z"));
	/* a second rep's calendar would hold b; use force to keep one owner */
	b.rrule = "FREQ=WEEKLY;COUNT=3";
	b.start_utc += 3 * 3600;
	b.end_utc += 3 * 3600;
	book(fx, &b, false);
	c.rrule = "FREQ=WEEKLY;COUNT=3";
	book(fx, &c, false);
	assert_int_equal(starts(fx, utc("2025-10-01T00:00:00Z"),
				utc("2025-11-15T00:00:00Z"), got, 8),
			 3);
	assert_int_equal(got[0], utc("2025-10-17T07:00:00Z"));
	assert_int_equal(got[1], utc("2025-10-24T07:00:00Z"));
	assert_int_equal(got[2], utc("2025-10-31T08:00:00Z"));
	/* the UTC-anchored series keeps its UTC time: 11:00Z each week */
	assert_int_equal(starts(fx, utc("2025-04-04T10:00:00Z"),
				utc("2025-04-04T12:00:00Z"), got, 8),
			 1);
	assert_int_equal(got[0], utc("2025-04-04T11:00:00Z"));
}

/* ics-exdate-forms: COUNT before EXDATE, EXDATE by instant only */
static void
test_series_exdates_match_instants_after_count(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-10-23 09:00"), 30, "Europe/Oslo");
	int64_t ex[4] = {utc("2025-10-24T07:00:00Z"), oslo("2025-10-25 10:00"),
			 oslo("2025-10-27 09:00"), oslo("2025-10-28 09:00")};
	int64_t got[8];

	p.rrule = "FREQ=DAILY;COUNT=5";
	p.exdates = appt_exdates_format(ex, 4, &fx->a);
	book(fx, &p, false);
	assert_int_equal(starts(fx, utc("2025-10-20T00:00:00Z"),
				utc("2025-11-05T00:00:00Z"), got, 8),
			 3);
	assert_int_equal(got[0], utc("2025-10-23T07:00:00Z"));
	assert_int_equal(got[1], utc("2025-10-25T07:00:00Z"));
	assert_int_equal(got[2], utc("2025-10-26T08:00:00Z"));
}

/* ics-recurrence-id-override: one moved instance replaces its original */
static void
test_moving_one_occurrence_replaces_it(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-09-02 10:00"), 60, "Europe/Oslo");
	struct appt_patch patch = {.set = AF_START | AF_SUBJECT};
	struct conflicts conf;
	struct av_error err = {0};
	struct occurrence *occ;
	int64_t result;
	size_t n;

	p.rrule = "FREQ=WEEKLY;COUNT=4";
	book(fx, &p, false);
	patch.v.start_utc = oslo("2025-09-09 14:00");
	patch.v.subject = "Statusmøte (flyttet til 14:00)";
	assert_int_equal(appt_change(fx->s, p.id, &patch, TARGET_ONE,
				     utc("2025-09-09T08:00:00Z"), 0, false, 1,
				     &fx->a, &conf, &result, &err),
			 AV_OK);
	assert_true(result != p.id);
	assert_int_equal(appt_occurrences(fx->s, SCOPE_OWNER, 1,
					  utc("2025-09-01T00:00:00Z"),
					  utc("2025-10-01T00:00:00Z"), 100,
					  &fx->a, &occ, &n, &err),
			 AV_OK);
	assert_int_equal(n, 4);
	assert_int_equal(occ[0].start_utc, utc("2025-09-02T08:00:00Z"));
	assert_int_equal(occ[1].start_utc, utc("2025-09-09T12:00:00Z"));
	assert_int_equal(occ[1].end_utc, utc("2025-09-09T13:00:00Z"));
	assert_string_equal(occ[1].appt->subject,
			    "Statusmøte (flyttet til 14:00)");
	assert_int_equal(occ[1].recurrence_id, utc("2025-09-09T08:00:00Z"));
	assert_string_equal(occ[1].appt->uid, p.uid ? p.uid : occ[0].appt->uid);
	assert_int_equal(occ[1].appt->reschedule_count, 1);
	assert_int_equal(occ[2].start_utc, utc("2025-09-16T08:00:00Z"));
	assert_int_equal(occ[3].start_utc, utc("2025-09-23T08:00:00Z"));
	/* an instant that is not an occurrence is refused */
	assert_int_equal(appt_change(fx->s, p.id, &patch, TARGET_ONE,
				     utc("2025-09-10T08:00:00Z"), 0, false, 1,
				     &fx->a, &conf, &result, &err),
			 AV_ENOTFOUND);
}

/* ics-dst-gap gap-2: 02:30 does not exist; it is 01:30Z, 60 minutes */
static void
test_booking_in_dst_gap_uses_offset_before_gap(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-03-30 02:30"), 60, "Europe/Oslo");
	struct appointment got;
	struct av_error err = {0};

	book(fx, &p, false);
	assert_int_equal(store_appt_get(fx->s, p.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.start_utc, utc("2025-03-30T01:30:00Z"));
	assert_int_equal(got.end_utc, utc("2025-03-30T02:30:00Z"));
}

static void
test_overlap_is_a_conflict_unless_forced(void **state)
{
	struct fixture *fx = *state;
	struct appointment first =
	    meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	struct appointment clash =
	    meeting(fx, oslo("2025-06-02 09:30"), 60, "Europe/Oslo");
	struct appointment after =
	    meeting(fx, oslo("2025-06-02 10:00"), 30, "Europe/Oslo");
	struct conflicts conf;
	struct av_error err = {0};

	book(fx, &first, false);
	assert_int_equal(
	    appt_book(fx->s, &clash, false, 1, &fx->a, &conf, &err),
	    AV_ECONFLICT);
	assert_int_equal(conf.n, 1);
	assert_int_equal(conf.v[0].appt->id, first.id);
	assert_string_equal(err.field, "start");
	/* back to back is not a conflict */
	book(fx, &after, false);
	clash.uid = NULL;
	book(fx, &clash, true);
}

static void
test_series_conflicts_with_a_later_single(void **state)
{
	struct fixture *fx = *state;
	struct appointment single =
	    meeting(fx, oslo("2025-06-16 09:15"), 30, "Europe/Oslo");
	struct appointment series =
	    meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	struct conflicts conf;
	struct av_error err = {0};

	book(fx, &single, false);
	series.rrule = "FREQ=WEEKLY;COUNT=4";
	assert_int_equal(
	    appt_book(fx->s, &series, false, 1, &fx->a, &conf, &err),
	    AV_ECONFLICT);
	assert_int_equal(conf.v[0].appt->id, single.id);
}

static void
test_life_cycle_rules(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	struct appointment f =
	    meeting(fx, oslo("2025-06-20 09:00"), 30, "Europe/Oslo");
	struct completion none = {0};
	struct completion bad = {.outcome = "happy"};
	struct completion done = {
	    .outcome = "interested", .note = "Vil ha tilbud", .follow_up = &f};
	struct appt_patch move = {.set = AF_START};
	struct conflicts conf;
	struct av_error err = {0};
	struct appointment got;
	int64_t id;

	setenv("AVTALE_NOW", "1750000000", 1); /* 2025-06-15 */
	book(fx, &p, false);
	assert_int_equal(appt_complete(fx->s, p.id, 0, &none, 0, false, 1,
				       &fx->a, &conf, &id, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "outcome");
	assert_int_equal(appt_complete(fx->s, p.id, 0, &bad, 0, false, 1,
				       &fx->a, &conf, &id, &err),
			 AV_EINVAL);
	f.subject = "Oppfølging";
	assert_int_equal(appt_complete(fx->s, p.id, 0, &done, 1, false, 1,
				       &fx->a, &conf, &id, &err),
			 AV_OK);
	assert_true(f.id > 0);
	assert_int_equal(store_appt_get(fx->s, f.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.follow_up_of, p.id);
	assert_int_equal(got.status, APPT_SCHEDULED);
	assert_int_equal(store_appt_get(fx->s, p.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.status, APPT_COMPLETED);
	assert_string_equal(got.outcome, "interested");
	assert_string_equal(got.outcome_note, "Vil ha tilbud");
	assert_int_equal(got.sequence, 1);
	/* a completed appointment cannot silently move */
	move.v.start_utc = oslo("2025-06-03 09:00");
	assert_int_equal(appt_change(fx->s, p.id, &move, TARGET_ALL, 0, 0,
				     false, 1, &fx->a, &conf, &id, &err),
			 AV_ECONFLICT);
	/* nor be cancelled afterwards */
	assert_int_equal(
	    appt_cancel(fx->s, p.id, 0, "for sent", 0, 1, &fx->a, &id, &err),
	    AV_ECONFLICT);
	/* cancelling needs a reason */
	assert_int_equal(
	    appt_cancel(fx->s, f.id, 0, "  ", 0, 1, &fx->a, &id, &err),
	    AV_EINVAL);
	assert_string_equal(err.field, "reason");
	/* a future appointment cannot be a no-show */
	assert_int_equal(appt_no_show(fx->s, f.id, 0, 0, 1, &fx->a, &id, &err),
			 AV_ECONFLICT);
	assert_int_equal(appt_cancel(fx->s, f.id, 0, "Kunden er syk", 0, 1,
				     &fx->a, &id, &err),
			 AV_OK);
	assert_int_equal(store_appt_get(fx->s, f.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.status, APPT_CANCELLED);
	assert_string_equal(got.cancel_reason, "Kunden er syk");
}

static void
test_move_counts_reschedule_and_raises_sequence(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-06-02 09:00"), 45, "Europe/Oslo");
	struct appt_patch move = {.set = AF_START};
	struct appt_patch notes = {.set = AF_NOTES};
	struct conflicts conf;
	struct av_error err = {0};
	struct appointment got;
	int64_t id;

	book(fx, &p, false);
	move.v.start_utc = oslo("2025-06-03 13:00");
	assert_int_equal(appt_change(fx->s, p.id, &move, TARGET_ALL, 0, 1,
				     false, 1, &fx->a, &conf, &id, &err),
			 AV_OK);
	assert_int_equal(store_appt_get(fx->s, p.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.start_utc, oslo("2025-06-03 13:00"));
	assert_int_equal(got.end_utc - got.start_utc, 45 * 60);
	assert_int_equal(got.reschedule_count, 1);
	assert_int_equal(got.sequence, 1);
	assert_int_equal(got.version, 2);
	/* notes are private: no SEQUENCE change, no reschedule */
	notes.v.notes = "Ta med kontrakt";
	assert_int_equal(appt_change(fx->s, p.id, &notes, TARGET_ALL, 0, 2,
				     false, 1, &fx->a, &conf, &id, &err),
			 AV_OK);
	assert_int_equal(store_appt_get(fx->s, p.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.sequence, 1);
	assert_int_equal(got.reschedule_count, 1);
	/* a stale version is refused */
	assert_int_equal(appt_change(fx->s, p.id, &notes, TARGET_ALL, 0, 2,
				     false, 1, &fx->a, &conf, &id, &err),
			 AV_ESTALE);
}

static void
test_following_splits_the_series(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-09-01 10:00"), 60, "Europe/Oslo");
	struct appt_patch move = {.set = AF_START};
	struct conflicts conf;
	struct av_error err = {0};
	int64_t got[12], id;

	p.rrule = "FREQ=WEEKLY;COUNT=6";
	book(fx, &p, false);
	move.v.start_utc = oslo("2025-09-15 11:00");
	assert_int_equal(appt_change(fx->s, p.id, &move, TARGET_FOLLOWING,
				     oslo("2025-09-15 10:00"), 0, false, 1,
				     &fx->a, &conf, &id, &err),
			 AV_OK);
	assert_true(id != p.id);
	assert_int_equal(starts(fx, utc("2025-08-01T00:00:00Z"),
				utc("2025-12-01T00:00:00Z"), got, 12),
			 6);
	assert_int_equal(got[0], oslo("2025-09-01 10:00"));
	assert_int_equal(got[1], oslo("2025-09-08 10:00"));
	assert_int_equal(got[2], oslo("2025-09-15 11:00"));
	assert_int_equal(got[5], oslo("2025-10-06 11:00"));
}

static void
test_tab_orders_past_newest_first_and_upcoming_soonest_first(void **state)
{
	struct fixture *fx = *state;
	const char *when[] = {"2025-05-01 09:00", "2025-06-01 09:00",
			      "2025-07-01 09:00", "2025-08-01 09:00"};
	struct occurrence *occ;
	struct av_error err = {0};
	int64_t now = oslo("2025-06-15 12:00");
	size_t n;

	for (int i = 0; i < 4; i++) {
		struct appointment p =
		    meeting(fx, oslo(when[i]), 60, "Europe/Oslo");
		book(fx, &p, false);
	}
	assert_int_equal(appt_tab(fx->s, fx->customer, true, now, 10, &fx->a,
				  &occ, &n, &err),
			 AV_OK);
	assert_int_equal(n, 2);
	assert_int_equal(occ[0].start_utc, oslo(when[1]));
	assert_int_equal(occ[1].start_utc, oslo(when[0]));
	assert_int_equal(appt_tab(fx->s, fx->customer, false, now, 10, &fx->a,
				  &occ, &n, &err),
			 AV_OK);
	assert_int_equal(n, 2);
	assert_int_equal(occ[0].start_utc, oslo(when[2]));
	assert_int_equal(occ[1].start_utc, oslo(when[3]));
	assert_string_equal(occ[0].appt->contact_name, "Kari Nordmann");
	assert_string_equal(occ[0].appt->customer_zone, "Europe/Oslo");
}

static void
test_validation_names_the_field(void **state)
{
	struct fixture *fx = *state;
	struct appointment p;
	struct conflicts conf;
	struct av_error err = {0};

	p = meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	p.channel = CHANNEL_VIDEO;
	p.video_url = "http://meet.example.com/abc";
	assert_int_equal(appt_book(fx->s, &p, false, 1, &fx->a, &conf, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "video_url");
	p = meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	p.channel = CHANNEL_IN_PERSON;
	assert_int_equal(appt_book(fx->s, &p, false, 1, &fx->a, &conf, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "location");
	p = meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	p.contact_id = 999;
	assert_int_equal(appt_book(fx->s, &p, false, 1, &fx->a, &conf, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "contact_id");
	p = meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	p.type = "party";
	assert_int_equal(appt_book(fx->s, &p, false, 1, &fx->a, &conf, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "type");
	p = meeting(fx, oslo("2025-06-02 09:00"), 0, "Europe/Oslo");
	assert_int_equal(appt_book(fx->s, &p, false, 1, &fx->a, &conf, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "end");
	p = meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	p.rrule = "FREQ=SECONDLY";
	assert_int_equal(appt_book(fx->s, &p, false, 1, &fx->a, &conf, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "rrule");
}

static void
test_moving_a_series_keeps_its_changed_occurrence(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-09-01 09:00"), 60, "Europe/Oslo");
	struct appt_patch one = {.set = AF_SUBJECT};
	struct appt_patch all = {.set = AF_START};
	struct conflicts conf;
	struct av_error err = {0};
	struct occurrence *occ;
	int64_t id;
	size_t n;

	p.rrule = "FREQ=WEEKLY;COUNT=3";
	book(fx, &p, false);
	one.v.subject = "Med revisor";
	assert_int_equal(appt_change(fx->s, p.id, &one, TARGET_ONE,
				     oslo("2025-09-08 09:00"), 0, false, 1,
				     &fx->a, &conf, &id, &err),
			 AV_OK);
	all.v.start_utc = oslo("2025-09-01 10:00");
	assert_int_equal(appt_change(fx->s, p.id, &all, TARGET_ALL, 0, 0, false,
				     1, &fx->a, &conf, &id, &err),
			 AV_OK);
	assert_int_equal(appt_occurrences(fx->s, SCOPE_OWNER, 1,
					  oslo("2025-09-08 00:00"),
					  oslo("2025-09-09 00:00"), 10, &fx->a,
					  &occ, &n, &err),
			 AV_OK);
	/* one meeting that week: the changed one, not a second at 10:00 */
	assert_int_equal(n, 1);
	assert_string_equal(occ[0].appt->subject, "Med revisor");
}

static void
test_longer_meeting_is_not_a_reschedule(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-06-02 09:00"), 30, "Europe/Oslo");
	struct appt_patch longer = {.set = AF_END};
	struct conflicts conf;
	struct av_error err = {0};
	struct appointment got;
	int64_t id;

	book(fx, &p, false);
	longer.v.end_utc = oslo("2025-06-02 10:00");
	assert_int_equal(appt_change(fx->s, p.id, &longer, TARGET_ALL, 0, 0,
				     false, 1, &fx->a, &conf, &id, &err),
			 AV_OK);
	assert_int_equal(store_appt_get(fx->s, p.id, &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.reschedule_count, 0);
	assert_int_equal(got.sequence, 1);
}

static void
test_editing_text_of_a_forced_overlap_needs_no_force(void **state)
{
	struct fixture *fx = *state;
	struct appointment a =
	    meeting(fx, oslo("2025-06-02 09:00"), 60, "Europe/Oslo");
	struct appointment b =
	    meeting(fx, oslo("2025-06-02 09:30"), 60, "Europe/Oslo");
	struct appt_patch text = {.set = AF_SUBJECT};
	struct conflicts conf;
	struct av_error err = {0};
	int64_t id;

	book(fx, &a, false);
	book(fx, &b, true);
	text.v.subject = "Nytt emne";
	assert_int_equal(appt_change(fx->s, b.id, &text, TARGET_ALL, 0, 0,
				     false, 1, &fx->a, &conf, &id, &err),
			 AV_OK);
}

static void
test_multi_day_appointment_found_from_its_middle(void **state)
{
	struct fixture *fx = *state;
	struct appointment p =
	    meeting(fx, oslo("2025-06-02 09:00"), 3 * 1440, "Europe/Oslo");
	struct appointment q =
	    meeting(fx, oslo("2025-05-30 09:00"), 60, "Europe/Oslo");
	int64_t got[4];

	book(fx, &p, false);
	book(fx, &q, false);
	/* a range on the third day: the conference began two days before */
	assert_int_equal(starts(fx, oslo("2025-06-04 08:00"),
				oslo("2025-06-04 12:00"), got, 4),
			 1);
	assert_int_equal(got[0], p.start_utc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_series_keeps_wall_clock_time_across_dst, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_series_exdates_match_instants_after_count, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_moving_one_occurrence_replaces_it, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_booking_in_dst_gap_uses_offset_before_gap, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_overlap_is_a_conflict_unless_forced, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_series_conflicts_with_a_later_single, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_life_cycle_rules, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_move_counts_reschedule_and_raises_sequence, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_following_splits_the_series,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_tab_orders_past_newest_first_and_upcoming_soonest_first,
		setup, teardown),
	    cmocka_unit_test_setup_teardown(test_validation_names_the_field,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_moving_a_series_keeps_its_changed_occurrence, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_longer_meeting_is_not_a_reschedule, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_multi_day_appointment_found_from_its_middle, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_editing_text_of_a_forced_overlap_needs_no_force, setup,
		teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_free_zones();
	return rc;
}
