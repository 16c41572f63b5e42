/* SPDX-License-Identifier: MIT */
/*
 * Calendars over a real store: day, week and month boundaries in the
 * viewer's zone (23- and 25-hour days), grouping by local day, series
 * expanded per week, filters, and the held / customers / team scopes.
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
#include "service/calendar.h"

struct fixture {
	struct store *s;
	struct arena a;
	int64_t terr_osl;  /* territory OSL */
	int64_t terr_brg;  /* territory BRG */
	int64_t mine;	   /* customer owned by the admin (1), in OSL */
	int64_t theirs;	   /* customer owned by the colleague, in BRG */
	int64_t colleague; /* user kollega@example.com, in OSL */
};

static int64_t
oslo(const char *text)
{
	int64_t t;
	struct av_error err = {0};

	assert_int_equal(
	    tz_parse_instant(text, "t", "Europe/Oslo", &t, NULL, &err), AV_OK);
	return t;
}

static int64_t
add_customer(struct fixture *fx, const char *number, const char *name,
	     int64_t owner, int64_t territory)
{
	struct av_error err = {0};
	struct customer c = {.customer_number = number,
			     .name = name,
			     .owner_id = owner,
			     .territory_id = territory,
			     .status = CUSTOMER_CUSTOMER};

	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err), AV_OK);
	return c.id;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};
	struct territory osl = {.code = "OSL", .name = "Oslo"};
	struct territory brg = {.code = "BRG", .name = "Bergen"};
	struct user u = {.email = "kollega@example.com",
			 .name = "Kollega",
			 .role = ROLE_REP,
			 .time_zone = "Europe/Oslo"};

	assert_int_equal(store_open(":memory:", 0, &fx->s, &err), AV_OK);
	arena_init(&fx->a, 0);
	assert_int_equal(store_territory_insert(fx->s, &osl, &err), AV_OK);
	assert_int_equal(store_territory_insert(fx->s, &brg, &err), AV_OK);
	fx->terr_osl = osl.id;
	fx->terr_brg = brg.id;
	u.territory_id = osl.id;
	assert_int_equal(store_user_insert(fx->s, &u, &err), AV_OK);
	fx->colleague = u.id;
	fx->mine = add_customer(fx, "100", "Fjordlys Regnskap AS", 1, osl.id);
	fx->theirs = add_customer(fx, "200", "Bergen Rør AS", u.id, brg.id);
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

static int64_t
book(struct fixture *fx, int64_t customer, int64_t owner, int64_t start,
     int minutes, const char *type, enum appt_channel ch, const char *rrule)
{
	struct appointment p = {0};
	struct conflicts conf;
	struct av_error err = {0};

	p.customer_id = customer;
	p.owner_id = owner;
	p.start_utc = start;
	p.end_utc = start + minutes * 60;
	p.time_zone = "Europe/Oslo";
	p.type = type;
	p.channel = ch;
	if (ch == CHANNEL_VIDEO)
		p.video_url = "https://meet.example.com/x";
	if (ch == CHANNEL_IN_PERSON)
		p.location = "Kontoret";
	p.subject = "Statusmøte";
	p.rrule = rrule;
	p.reminder_minutes = -1;
	if (appt_book(fx->s, &p, true, 1, &fx->a, &conf, &err))
		fail_msg("booking failed: %s (%s)", err.msg, err.field);
	return p.id;
}

static struct cal_query
query(const char *zone, enum cal_view view, int y, int m, int d)
{
	struct cal_query q = {0};

	q.zone = zone;
	q.view = view;
	q.year = y;
	q.month = m;
	q.day = d;
	q.scope = CAL_SCOPE_BOTH;
	q.owner_id = 1;
	return q;
}

static void
build(struct fixture *fx, const struct cal_query *q, struct calendar *c)
{
	struct av_error err = {0};

	if (calendar_build(fx->s, q, &fx->a, c, &err))
		fail_msg("calendar failed: %s (%s)", err.msg, err.field);
}

static void
test_week_with_spring_forward_has_a_23_hour_sunday(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_WEEK, 2025, 3, 30);
	struct calendar c;

	build(fx, &q, &c);
	assert_int_equal(c.n_days, 7);
	assert_int_equal(c.days[0].day, 24);
	assert_int_equal(c.days[0].weekday, 1);
	assert_int_equal(c.days[6].day, 30);
	assert_int_equal(c.days[6].weekday, 7);
	assert_int_equal(c.days[6].end - c.days[6].start, 23 * 3600);
	assert_int_equal(c.days[5].end - c.days[5].start, 24 * 3600);
	assert_int_equal(c.from, oslo("2025-03-24 00:00"));
	assert_int_equal(c.to, oslo("2025-03-31 00:00"));
}

static void
test_october_has_a_25_hour_day_26(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_MONTH, 2025, 10, 15);
	struct calendar c;
	json_t *j, *day;

	build(fx, &q, &c);
	assert_int_equal(c.n_days, 31);
	assert_int_equal(c.days[25].day, 26);
	assert_int_equal(c.days[25].end - c.days[25].start, 25 * 3600);
	j = calendar_to_json(&c);
	assert_string_equal(json_string_value(json_object_get(j, "view")),
			    "month");
	day = json_array_get(json_object_get(j, "days"), 25);
	assert_string_equal(json_string_value(json_object_get(day, "date")),
			    "2025-10-26");
	assert_int_equal(json_integer_value(json_object_get(day, "hours")), 25);
	assert_string_equal(json_string_value(json_object_get(day, "start")),
			    "2025-10-26T00:00:00+02:00");
	assert_string_equal(json_string_value(json_object_get(day, "end")),
			    "2025-10-27T00:00:00+01:00");
	json_decref(j);
}

static void
test_late_evening_is_on_the_local_day(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_WEEK, 2025, 6, 4);
	struct calendar c;
	int64_t id = book(fx, fx->mine, 1, oslo("2025-06-04 23:30"), 20,
			  "meeting", CHANNEL_PHONE, NULL);

	build(fx, &q, &c);
	/* Wednesday 4 June in Oslo */
	assert_int_equal(c.days[2].day, 4);
	assert_int_equal(c.days[2].n_items, 1);
	assert_int_equal(c.days[2].items[0].occ->appt->id, id);
	assert_false(c.days[2].items[0].continues);
	assert_int_equal(c.days[3].n_items, 0);

	/* 21:30Z on the 4th: in UTC it is on the 4th as well */
	q.zone = "UTC";
	build(fx, &q, &c);
	assert_int_equal(c.days[2].n_items, 1);

	/* in Tokyo (+09:00) it is the 5th */
	q.zone = "Asia/Tokyo";
	build(fx, &q, &c);
	assert_int_equal(c.days[2].n_items, 0);
	assert_int_equal(c.days[3].n_items, 1);
}

static void
test_next_day_in_utc_and_midnight_spanning(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_DAY, 2025, 1, 15);
	struct calendar c;

	/* 23:30 Oslo in winter is 22:30Z; 00:30 Oslo on the 16th is the 15th
	   in UTC */
	book(fx, fx->mine, 1, oslo("2025-01-16 00:30"), 30, "meeting",
	     CHANNEL_PHONE, NULL);
	book(fx, fx->mine, 1, oslo("2025-01-15 23:30"), 60, "meeting",
	     CHANNEL_PHONE, NULL);
	build(fx, &q, &c);
	assert_int_equal(c.n_days, 1);
	assert_int_equal(c.days[0].n_items, 1);
	assert_true(c.days[0].items[0].continues);

	q.zone = "UTC";
	build(fx, &q, &c);
	assert_int_equal(c.days[0].n_items, 2);

	/* the spanning one is on the 16th in Oslo too, marked continued */
	q.zone = "Europe/Oslo";
	q.day = 16;
	build(fx, &q, &c);
	assert_int_equal(c.days[0].n_items, 2);
	assert_true(c.days[0].items[0].continued);
	assert_false(c.days[0].items[1].continued);
}

static void
test_weekly_series_shows_each_week_at_nine_local(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_WEEK, 2025, 3, 20);
	struct calendar c;
	struct tz_local l;
	struct av_error err = {0};

	book(fx, fx->mine, 1, oslo("2025-03-18 09:00"), 60, "meeting",
	     CHANNEL_PHONE, "FREQ=WEEKLY;COUNT=4");
	static const int anchor[][2] = {{3, 20}, {3, 27}, {4, 3}};

	for (int w = 0; w < 3; w++) {
		q.month = anchor[w][0];
		q.day = anchor[w][1];
		build(fx, &q, &c);
		assert_int_equal(c.n_occ, 1);
		assert_int_equal(c.days[1].n_items, 1); /* Tuesday */
		assert_int_equal(tz_utc_to_local("Europe/Oslo",
						 c.occ[0].start_utc, &l, NULL,
						 &err),
				 AV_OK);
		assert_int_equal(l.hour, 9);
		assert_int_equal(l.minute, 0);
	}
}

static void
test_agenda_lists_only_days_with_items(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_AGENDA, 2025, 9, 1);
	struct calendar c;
	json_t *j, *days;

	book(fx, fx->mine, 1, oslo("2025-09-03 10:00"), 30, "meeting",
	     CHANNEL_PHONE, NULL);
	book(fx, fx->mine, 1, oslo("2025-09-05 10:00"), 30, "meeting",
	     CHANNEL_PHONE, NULL);
	build(fx, &q, &c);
	assert_int_equal(c.n_days, 7);
	j = calendar_to_json(&c);
	days = json_object_get(j, "days");
	assert_int_equal(json_array_size(days), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(days, 1), "date")),
	    "2025-09-05");
	json_decref(j);
}

static void
test_filters_type_channel_status_territory(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_DAY, 2025, 9, 10);
	struct calendar c;
	struct av_error err = {0};

	book(fx, fx->mine, 1, oslo("2025-09-10 09:00"), 30, "meeting",
	     CHANNEL_PHONE, NULL);
	book(fx, fx->mine, 1, oslo("2025-09-10 11:00"), 30, "demo",
	     CHANNEL_VIDEO, NULL);
	book(fx, fx->theirs, 1, oslo("2025-09-10 13:00"), 30, "meeting",
	     CHANNEL_IN_PERSON, NULL);
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 3);

	q.types = "demo";
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 1);
	assert_string_equal(c.occ[0].appt->type, "demo");

	q.types = NULL;
	q.channels = "phone,in_person";
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 2);

	q.channels = NULL;
	q.statuses = "cancelled";
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 0);
	q.statuses = "scheduled";
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 3);

	q.statuses = NULL;
	q.territory_id = fx->terr_brg;
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 1);
	assert_int_equal(c.occ[0].appt->customer_id, fx->theirs);

	q.territory_id = 0;
	q.channels = "fax";
	assert_int_equal(calendar_build(fx->s, &q, &fx->a, &c, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "channel");
}

static void
test_scope_customers_vs_held(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_DAY, 2025, 9, 11);
	struct calendar c;
	/* a colleague holds a meeting with my customer */
	int64_t theirs_with_mine =
	    book(fx, fx->mine, fx->colleague, oslo("2025-09-11 09:00"), 30,
		 "meeting", CHANNEL_PHONE, NULL);
	/* I hold a meeting with the colleague's customer */
	int64_t mine_with_theirs =
	    book(fx, fx->theirs, 1, oslo("2025-09-11 12:00"), 30, "meeting",
		 CHANNEL_PHONE, NULL);
	/* I hold one with my own customer: in both, listed once */
	int64_t own = book(fx, fx->mine, 1, oslo("2025-09-11 15:00"), 30,
			   "meeting", CHANNEL_PHONE, NULL);

	q.scope = CAL_SCOPE_CUSTOMERS;
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 2);
	assert_int_equal(c.occ[0].appt->id, theirs_with_mine);
	assert_int_equal(c.occ[1].appt->id, own);

	q.scope = CAL_SCOPE_HELD;
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 2);
	assert_int_equal(c.occ[0].appt->id, mine_with_theirs);
	assert_int_equal(c.occ[1].appt->id, own);

	q.scope = CAL_SCOPE_BOTH;
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 3);
	assert_int_equal(c.days[0].n_items, 3);

	/* the OSL team is the colleague only (the admin has no territory) */
	q.scope = CAL_SCOPE_TEAM;
	q.team_territory = fx->terr_osl;
	build(fx, &q, &c);
	assert_int_equal(c.n_occ, 1);
	assert_int_equal(c.occ[0].appt->id, theirs_with_mine);
}

static void
test_explicit_range_is_widened_to_local_days(void **state)
{
	struct fixture *fx = *state;
	struct cal_query q = query("Europe/Oslo", CAL_WEEK, 0, 0, 0);
	struct calendar c;
	struct av_error err = {0};

	q.from = oslo("2025-03-29 10:00");
	q.to = oslo("2025-03-31 00:00");
	build(fx, &q, &c);
	assert_int_equal(c.n_days, 2);
	assert_int_equal(c.from, oslo("2025-03-29 00:00"));
	assert_int_equal(c.days[1].end - c.days[1].start, 23 * 3600);

	q.to = oslo("2027-03-31 00:00");
	assert_int_equal(calendar_build(fx->s, &q, &fx->a, &c, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "to");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_week_with_spring_forward_has_a_23_hour_sunday, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_october_has_a_25_hour_day_26,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_late_evening_is_on_the_local_day, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_next_day_in_utc_and_midnight_spanning, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_weekly_series_shows_each_week_at_nine_local, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_agenda_lists_only_days_with_items, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_filters_type_channel_status_territory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scope_customers_vs_held, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_explicit_range_is_widened_to_local_days, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_free_zones();
	return rc;
}
