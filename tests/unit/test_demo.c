/* SPDX-License-Identifier: MIT */
/*
 * demo_generate into SQLite ":memory:": counts, that every record passes
 * the same rules as typed data, unique numbers, determinism by seed, the
 * territories and reps of the organisation, phone keys, that a second
 * run adds customers with fresh numbers, and the appointments: working
 * hours, statuses and outcomes, no two scheduled ones of a rep at once
 * (also across runs and when reps are overbooked), series that expand.
 * "Now" is fixed at 2025-03-20 so the next weeks cross the clock change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/phone.h"
#include "core/tz.h"
#include "domain/appointment.h"
#include "domain/customer.h"
#include "service/appointments.h"
#include "service/demo.h"
#include "store/store.h"

#include "core/banned.h"

#define N_CUSTOMERS 300
#define N_TERR	    10
#define NOW	    1742464800 /* 2025-03-20T10:00:00Z, a Thursday */
#define NOW_TEXT    "1742464800"
#define WEEK	    (7 * 86400)

/* Every live customer, in id order, copied into 'a'. */
static size_t
all_customers(struct store *s, struct arena *a, struct customer **out)
{
	struct customer *all = arena_alloc(a, sizeof(*all));
	size_t n_all = 0;
	struct customer_filter f = {0, 1000, -1, 0, 0};
	struct av_error err = {0};

	for (;;) {
		struct customer *page;
		size_t n;
		struct customer *grown;

		assert_int_equal(store_customer_list(s, &f, a, &page, &n, &err),
				 AV_OK);
		if (n == 0)
			break;
		grown = arena_alloc(a, (n_all + n) * sizeof(*grown));
		if (n_all)
			memcpy(grown, all, n_all * sizeof(*grown));
		memcpy(grown + n_all, page, n * sizeof(*grown));
		all = grown;
		n_all += n;
		f.after_id = page[n - 1].id;
	}
	*out = all;
	return n_all;
}

static struct store *
open_mem(void)
{
	struct store *s = NULL;
	struct av_error err = {0};

	assert_int_equal(store_open(":memory:", 0, &s, &err), AV_OK);
	return s;
}

static void
generate_with(struct store *s, const struct demo_options *opt,
	      struct demo_report *rep)
{
	struct av_error err = {0};
	enum av_err rc = demo_generate(s, opt, rep, &err);

	if (rc)
		fail_msg("demo_generate: %s (%s)", err.msg, err.field);
}

static void
generate(struct store *s, uint64_t n, uint64_t seed, struct demo_report *rep)
{
	struct demo_options opt;

	demo_options_init(&opt);
	opt.customers = n;
	opt.seed = seed;
	generate_with(s, &opt, rep);
}

/* Every appointment row of customer 'id': tab both ways and series. */
static size_t
customer_appts(struct store *s, int64_t id, struct arena *a,
	       struct appointment **out)
{
	struct appointment *past, *next, *series, *all;
	size_t n_past, n_next, n_series;
	struct av_error err = {0};

	assert_int_equal(
	    store_appt_tab(s, id, true, NOW, 1000, a, &past, &n_past, &err),
	    AV_OK);
	assert_int_equal(
	    store_appt_tab(s, id, false, NOW, 1000, a, &next, &n_next, &err),
	    AV_OK);
	assert_int_equal(
	    store_appt_series_of_customer(s, id, a, &series, &n_series, &err),
	    AV_OK);
	all = arena_alloc(a, (n_past + n_next + n_series + 1) * sizeof(*all));
	if (n_past)
		memcpy(all, past, n_past * sizeof(*all));
	if (n_next)
		memcpy(all + n_past, next, n_next * sizeof(*all));
	if (n_series)
		memcpy(all + n_past + n_next, series, n_series * sizeof(*all));
	*out = all;
	return n_past + n_next + n_series;
}

/*
 * Scheduled occurrences of every rep in the next ten weeks (series
 * expanded) never overlap pairwise; returns how many there were.
 */
static size_t
assert_no_overlaps(struct store *s)
{
	struct arena a;
	struct user *us;
	size_t n_u, total = 0;
	struct av_error err = {0};

	arena_init(&a, 0);
	assert_int_equal(store_user_list(s, &a, &us, &n_u, &err), AV_OK);
	for (size_t u = 0; u < n_u; u++) {
		struct occurrence *occ;
		size_t n;

		assert_int_equal(appt_occurrences(s, SCOPE_OWNER, us[u].id, NOW,
						  NOW + 10 * WEEK, 0, &a, &occ,
						  &n, &err),
				 AV_OK);
		for (size_t i = 0; i < n; i++) {
			if (occ[i].appt->status != APPT_SCHEDULED)
				continue;
			total++;
			for (size_t j = i + 1; j < n; j++) {
				if (occ[j].appt->status != APPT_SCHEDULED)
					continue;
				if (appt_overlaps(
					occ[i].start_utc, occ[i].end_utc,
					occ[j].start_utc, occ[j].end_utc))
					fail_msg("%s: appointments %lld and "
						 "%lld overlap",
						 us[u].email,
						 (long long)occ[i].appt->id,
						 (long long)occ[j].appt->id);
			}
		}
	}
	arena_release(&a);
	return total;
}

struct fixture {
	struct store *s;	/* owned */
	struct demo_report rep; /* of the one run */
	struct arena a;		/* owned */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->s = open_mem();
	arena_init(&fx->a, 0);
	generate(fx->s, N_CUSTOMERS, 42, &fx->rep);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	arena_release(&fx->a);
	store_close(fx->s);
	free(fx);
	return 0;
}

static void
test_demo_report_counts(void **state)
{
	struct fixture *fx = *state;
	struct av_error err = {0};
	int64_t n = 0;
	struct user *users;
	size_t n_users;

	assert_int_equal(fx->rep.territories, N_TERR);
	assert_int_equal(fx->rep.users, N_TERR * (DEMO_DEFAULT_REPS + 1));
	assert_int_equal(fx->rep.customers, N_CUSTOMERS);
	assert_int_equal(fx->rep.contacts, N_CUSTOMERS * DEMO_DEFAULT_CONTACTS);
	/* five per customer on average, a fifth or so upcoming */
	assert_in_range(fx->rep.appointments, N_CUSTOMERS * 4, N_CUSTOMERS * 6);
	assert_in_range(fx->rep.upcoming, fx->rep.appointments / 10,
			fx->rep.appointments / 3);
	assert_in_range(fx->rep.series, 1, N_CUSTOMERS / 10);
	assert_string_equal(fx->rep.first_number, "100001");
	assert_string_equal(fx->rep.last_number, "100300");
	assert_true(fx->rep.seconds >= 0.0);
	assert_int_equal(store_customer_count(fx->s, &n, &err), AV_OK);
	assert_int_equal(n, N_CUSTOMERS);
	/* the admin of the migration plus the demo people */
	assert_int_equal(store_user_list(fx->s, &fx->a, &users, &n_users, &err),
			 AV_OK);
	assert_int_equal(n_users, 1 + N_TERR * (DEMO_DEFAULT_REPS + 1));
}

static void
test_demo_customers_pass_the_rules(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	size_t status[CUSTOMER_STATUS__MAX] = {0};
	size_t swedish = 0;

	assert_int_equal(n, N_CUSTOMERS);
	for (size_t i = 0; i < n; i++) {
		struct customer c = cs[i];
		struct av_error err = {0};

		if (customer_prepare(&c, &fx->a, &err) != AV_OK)
			fail_msg("customer %s '%s': %s", cs[i].customer_number,
				 cs[i].name, err.msg);
		assert_non_null(c.address);
		assert_non_null(c.city);
		assert_non_null(c.postcode);
		assert_true(cs[i].owner_id > 0);
		assert_true(cs[i].territory_id > 0);
		status[c.status]++;
		if (strcmp(c.country, "SE") == 0) {
			swedish++;
			assert_string_equal(c.time_zone, "Europe/Stockholm");
		} else {
			assert_string_equal(c.country, "NO");
			assert_string_equal(c.time_zone, "Europe/Oslo");
			/* four digits, leading zeros kept */
			assert_int_equal(strlen(c.postcode), 4);
		}
	}
	/* about 70 % customers, 25 % prospects, 5 % former */
	assert_true(status[CUSTOMER_CUSTOMER] > status[CUSTOMER_PROSPECT]);
	assert_true(status[CUSTOMER_PROSPECT] > status[CUSTOMER_FORMER]);
	assert_true(status[CUSTOMER_FORMER] > 0);
	assert_true(swedish > 0 && swedish < n / 10);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_demo_numbers_are_unique(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	const char **nums = arena_alloc(&fx->a, n * sizeof(*nums));

	for (size_t i = 0; i < n; i++)
		nums[i] = cs[i].customer_number;
	qsort(nums, n, sizeof(*nums), cmp_str);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(nums[i - 1], nums[i]);
}

static void
test_demo_territories_and_reps(void **state)
{
	static const char *const want[] = {"Oslo", "Vestland", "Trøndelag",
					   "Nord-Norge"};
	struct fixture *fx = *state;
	struct av_error err = {0};
	struct territory *ts;
	struct user *us;
	size_t n_t;
	size_t n_u;
	size_t managers = 0;
	size_t reps = 0;
	struct user kari;

	assert_int_equal(store_territory_list(fx->s, &fx->a, &ts, &n_t, &err),
			 AV_OK);
	assert_int_equal(n_t, N_TERR);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		bool found = false;
		for (size_t i = 0; i < n_t; i++)
			found |= strcmp(ts[i].name, want[w]) == 0;
		if (!found)
			fail_msg("territory '%s' missing", want[w]);
	}
	assert_int_equal(store_user_list(fx->s, &fx->a, &us, &n_u, &err),
			 AV_OK);
	for (size_t i = 0; i < n_u; i++) {
		const char *at = strchr(us[i].email, '@');
		if (us[i].role == ROLE_ADMIN)
			continue;
		assert_non_null(at);
		assert_string_equal(at, "@demo.avtale.no");
		assert_true(us[i].territory_id > 0);
		assert_non_null(strstr(us[i].time_zone, "Europe/"));
		managers += us[i].role == ROLE_MANAGER;
		reps += us[i].role == ROLE_REP;
	}
	assert_int_equal(managers, N_TERR);
	assert_int_equal(reps, N_TERR * DEMO_DEFAULT_REPS);
	assert_int_equal(store_user_by_email(fx->s,
					     "kari.nordmann@demo.avtale.no",
					     &fx->a, &kari, &err),
			 AV_OK);
	assert_int_equal(kari.role, ROLE_REP);
	assert_string_equal(kari.time_zone, "Europe/Oslo");
}

static void
test_demo_contacts_have_phone_keys(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	size_t total = 0;
	size_t with_mobile = 0;
	size_t odd_forms = 0;

	for (size_t i = 0; i < n; i++) {
		struct contact *ps;
		size_t n_p;
		struct av_error err = {0};
		const char *want =
		    strcmp(cs[i].country, "SE") == 0 ? "+46" : "+47";

		assert_int_equal(store_contact_list(fx->s, cs[i].id, &fx->a,
						    &ps, &n_p, &err),
				 AV_OK);
		assert_int_equal(n_p, DEMO_DEFAULT_CONTACTS);
		total += n_p;
		for (size_t j = 0; j < n_p; j++) {
			struct contact c = ps[j];
			const char *ph =
			    ps[j].mobile ? ps[j].mobile : ps[j].phone;
			char key[32];

			if (contact_prepare(&c, cs[i].country, &fx->a, &err))
				fail_msg("contact '%s': %s", ps[j].name,
					 err.msg);
			assert_non_null(ph);
			assert_true(phone_normalize(ph, cs[i].country, key,
						    sizeof(key)));
			assert_memory_equal(key, want, 3);
			if (strcmp(want, "+47") == 0) {
				/* 8 national digits */
				assert_int_equal(strlen(key), 11);
				if (ps[j].mobile)
					assert_true(key[3] == '4' ||
						    key[3] == '9');
			}
			with_mobile += ps[j].mobile != NULL;
			odd_forms += ph[0] != '+';
		}
		if (cs[i].phone) {
			char key[32];
			assert_true(phone_normalize(cs[i].phone, cs[i].country,
						    key, sizeof(key)));
			assert_memory_equal(key, want, 3);
		}
	}
	assert_int_equal(total, N_CUSTOMERS * DEMO_DEFAULT_CONTACTS);
	assert_true(with_mobile > total * 8 / 10);
	/* numbers are written in more than one way */
	assert_true(odd_forms > 0 && odd_forms < total);
}

/* Local wall time of 'utc' in 'zone'. */
static struct tz_local
local_of(const char *zone, int64_t utc)
{
	struct tz_local l;
	struct av_error err = {0};

	assert_int_equal(tz_utc_to_local(zone, utc, &l, NULL, &err), AV_OK);
	return l;
}

/* Within 08:00-16:00 on one weekday in the appointment's zone. */
static void
assert_working_hours(const struct appointment *p, int64_t start, int64_t end)
{
	struct tz_local a = local_of(p->time_zone, start);
	struct tz_local b = local_of(p->time_zone, end);
	int from = a.hour * 60 + a.minute;
	int to = b.hour * 60 + b.minute;

	if (tz_weekday(a.year, a.month, a.day) > 5 || from < 8 * 60 ||
	    to > 16 * 60 || a.day != b.day || from % 15 || to % 15)
		fail_msg(
		    "appointment %lld at %04d-%02d-%02d %02d:%02d-%02d:%02d",
		    (long long)p->id, a.year, a.month, a.day, a.hour, a.minute,
		    b.hour, b.minute);
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_demo_appointments_follow_the_rules(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	size_t status[APPT_STATUS__MAX] = {0};
	size_t channel[CHANNEL__MAX] = {0};
	size_t total = 0, colleague = 0, with_contact = 0, notes = 0;
	size_t outcome_notes = 0;
	const char **uids =
	    arena_alloc(&fx->a, fx->rep.appointments * sizeof(*uids));

	for (size_t i = 0; i < n; i++) {
		struct appointment *ap;
		size_t n_ap = customer_appts(fx->s, cs[i].id, &fx->a, &ap);
		struct contact *ps;
		size_t n_p;
		struct av_error err = {0};

		assert_int_equal(store_contact_list(fx->s, cs[i].id, &fx->a,
						    &ps, &n_p, &err),
				 AV_OK);
		for (size_t j = 0; j < n_ap; j++) {
			struct appointment p = ap[j];
			int64_t len = p.end_utc - p.start_utc;
			bool contact_ok = p.contact_id == 0;

			if (appt_prepare(&p, appt_default_types, &fx->a, &err))
				fail_msg("appointment %lld: %s",
					 (long long)p.id, err.msg);
			assert_true(total < fx->rep.appointments);
			uids[total++] = ap[j].uid;
			assert_memory_equal(ap[j].uid, "demo-42-", 8);
			assert_int_equal(ap[j].customer_id, cs[i].id);
			assert_true(len == 1800 || len == 2700 || len == 3600 ||
				    len == 5400);
			assert_working_hours(&ap[j], ap[j].start_utc,
					     ap[j].end_utc);
			assert_string_equal(ap[j].time_zone,
					    strcmp(cs[i].country, "SE") == 0
						? "Europe/Stockholm"
						: "Europe/Oslo");
			status[ap[j].status]++;
			channel[ap[j].channel]++;
			if (ap[j].channel == CHANNEL_VIDEO)
				assert_memory_equal(ap[j].video_url,
						    "https://meet.avtale.no/",
						    23);
			if (ap[j].channel == CHANNEL_IN_PERSON)
				assert_non_null(
				    strstr(ap[j].location, cs[i].city));
			for (size_t k = 0; k < n_p; k++)
				contact_ok |= ps[k].id == ap[j].contact_id;
			assert_true(contact_ok);
			with_contact += ap[j].contact_id != 0;
			notes += ap[j].notes != NULL;
			if (ap[j].owner_id != cs[i].owner_id) {
				struct user u;
				assert_int_equal(
				    store_user_get(fx->s, ap[j].owner_id,
						   &fx->a, &u, &err),
				    AV_OK);
				assert_int_equal(u.territory_id,
						 cs[i].territory_id);
				assert_int_equal(u.role, ROLE_REP);
				colleague++;
			}
			if (ap[j].status == APPT_SCHEDULED) {
				assert_true(ap[j].start_utc > NOW);
				assert_true(ap[j].start_utc <
					    NOW + 8 * WEEK + 86400);
				assert_null(ap[j].outcome);
				if (cs[i].status == CUSTOMER_FORMER)
					fail_msg("a former customer has an "
						 "upcoming appointment");
			} else {
				assert_null(ap[j].rrule);
				assert_true(ap[j].end_utc <= NOW);
				assert_true(ap[j].start_utc >=
					    NOW - 366 * 86400);
			}
			if (ap[j].status == APPT_COMPLETED) {
				assert_true(appt_code_in(appt_default_outcomes,
							 ap[j].outcome));
				outcome_notes += ap[j].outcome_note != NULL;
			} else {
				assert_null(ap[j].outcome);
			}
			if (ap[j].status == APPT_CANCELLED)
				assert_non_null(ap[j].cancel_reason);
			else
				assert_null(ap[j].cancel_reason);
		}
	}
	assert_int_equal(total, fx->rep.appointments);
	assert_int_equal(status[APPT_SCHEDULED], fx->rep.upcoming);
	/* history: about 85 % completed, 10 % cancelled, 5 % no-show */
	{
		size_t hist = total - status[APPT_SCHEDULED];

		assert_in_range(status[APPT_CANCELLED], hist * 5 / 100,
				hist * 15 / 100);
		assert_in_range(status[APPT_NO_SHOW], hist * 2 / 100,
				hist * 9 / 100);
		assert_true(status[APPT_COMPLETED] > hist * 3 / 4);
	}
	assert_true(outcome_notes > 0 &&
		    outcome_notes < status[APPT_COMPLETED]);
	for (int c = 0; c < CHANNEL__MAX; c++)
		assert_true(channel[c] > total / 10);
	assert_in_range(colleague, total / 20, total / 4);
	assert_true(with_contact > total / 2 && with_contact < total);
	assert_true(notes > 0 && notes < total);
	qsort(uids, total, sizeof(*uids), cmp_cstr);
	for (size_t i = 1; i < total; i++)
		assert_string_not_equal(uids[i - 1], uids[i]);
}

static void
test_demo_scheduled_never_overlap(void **state)
{
	struct fixture *fx = *state;

	/* every upcoming single and series instance was checked */
	assert_true(assert_no_overlaps(fx->s) >= fx->rep.upcoming);
}

static void
test_demo_series_expand(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	size_t series = 0, across_dst = 0;

	for (size_t i = 0; i < n; i++) {
		struct appointment *sv;
		size_t n_s;
		struct av_error err = {0};

		assert_int_equal(store_appt_series_of_customer(
				     fx->s, cs[i].id, &fx->a, &sv, &n_s, &err),
				 AV_OK);
		for (size_t j = 0; j < n_s; j++) {
			struct occurrence *occ;
			size_t n_occ, mine = 0;
			int64_t prev = 0;
			struct tz_local first =
			    local_of(sv[j].time_zone, sv[j].start_utc);

			series++;
			assert_string_equal(sv[j].rrule, "FREQ=WEEKLY;COUNT=8");
			assert_int_equal(sv[j].status, APPT_SCHEDULED);
			assert_int_equal(sv[j].owner_id, cs[i].owner_id);
			assert_true(sv[j].start_utc > NOW &&
				    sv[j].start_utc < NOW + 15 * 86400);
			assert_true(sv[j].series_end_utc >
				    sv[j].start_utc + 7 * WEEK - 7200);
			assert_int_equal(
			    appt_occurrences(fx->s, SCOPE_CUSTOMER, cs[i].id,
					     NOW, NOW + 12 * WEEK, 0, &fx->a,
					     &occ, &n_occ, &err),
			    AV_OK);
			for (size_t k = 0; k < n_occ; k++) {
				struct tz_local l;

				if (occ[k].appt->id != sv[j].id)
					continue;
				l = local_of(sv[j].time_zone, occ[k].start_utc);
				/* same wall time every week */
				assert_int_equal(l.hour, first.hour);
				assert_int_equal(l.minute, first.minute);
				assert_int_equal(
				    tz_weekday(l.year, l.month, l.day),
				    tz_weekday(first.year, first.month,
					       first.day));
				assert_working_hours(&sv[j], occ[k].start_utc,
						     occ[k].end_utc);
				if (mine && occ[k].start_utc - prev != WEEK)
					across_dst++;
				prev = occ[k].start_utc;
				mine++;
			}
			assert_int_equal(mine, 8);
		}
	}
	assert_int_equal(series, fx->rep.series);
	assert_true(series > 0);
	/* series started before 30 March and went on in summer time */
	assert_true(across_dst > 0);
}

static void
test_demo_same_seed_same_companies(void **state)
{
	struct store *a = open_mem();
	struct store *b = open_mem();
	struct store *c = open_mem();
	struct demo_report rep;
	struct arena ar;
	struct customer *ca;
	struct customer *cb;
	struct customer *cc;
	size_t na;
	size_t nb;
	size_t nc;
	size_t differ = 0;

	(void)state;
	arena_init(&ar, 0);
	generate(a, 20, 7, &rep);
	generate(b, 20, 7, &rep);
	generate(c, 20, 8, &rep);
	na = all_customers(a, &ar, &ca);
	nb = all_customers(b, &ar, &cb);
	nc = all_customers(c, &ar, &cc);
	assert_int_equal(na, 20);
	assert_int_equal(nb, 20);
	assert_int_equal(nc, 20);
	assert_string_equal(ca[0].name, cb[0].name);
	for (size_t i = 0; i < na; i++) {
		struct appointment *pa, *pb;
		size_t n_pa = customer_appts(a, ca[i].id, &ar, &pa);
		size_t n_pb = customer_appts(b, cb[i].id, &ar, &pb);

		assert_string_equal(ca[i].name, cb[i].name);
		assert_string_equal(ca[i].address, cb[i].address);
		differ += strcmp(ca[i].name, cc[i].name) != 0;
		/* the same appointments at the same times */
		assert_int_equal(n_pa, n_pb);
		for (size_t j = 0; j < n_pa; j++) {
			assert_string_equal(pa[j].uid, pb[j].uid);
			assert_int_equal(pa[j].start_utc, pb[j].start_utc);
			assert_string_equal(pa[j].subject, pb[j].subject);
		}
	}
	assert_true(differ > 10);
	arena_release(&ar);
	store_close(a);
	store_close(b);
	store_close(c);
}

static void
test_demo_second_run_adds_fresh_numbers(void **state)
{
	struct store *s = open_mem();
	struct demo_report rep;
	struct av_error err = {0};
	struct customer taken = {0};
	struct arena a;
	int64_t n = 0;

	(void)state;
	arena_init(&a, 0);
	generate(s, 30, 1, &rep);
	/* someone else used the next demo number meanwhile */
	taken.customer_number = "100031";
	taken.name = "Manuell Kunde AS";
	taken.status = CUSTOMER_CUSTOMER;
	taken.owner_id = 1;
	assert_int_equal(customer_prepare(&taken, &a, &err), AV_OK);
	assert_int_equal(store_customer_insert(s, &taken, 1, &err), AV_OK);

	generate(s, 30, 1, &rep);
	assert_int_equal(rep.territories, 0);
	assert_int_equal(rep.users, 0);
	assert_int_equal(rep.customers, 30);
	assert_string_equal(rep.first_number, "100032");
	assert_string_equal(rep.last_number, "100061");
	assert_int_equal(store_customer_count(s, &n, &err), AV_OK);
	assert_int_equal(n, 61);

	/* a deleted customer keeps its number: the run goes past it */
	taken = (struct customer){0};
	taken.customer_number = "100062";
	taken.name = "Slettet Kunde AS";
	taken.owner_id = 1;
	assert_int_equal(customer_prepare(&taken, &a, &err), AV_OK);
	assert_int_equal(store_customer_insert(s, &taken, 1, &err), AV_OK);
	assert_int_equal(store_customer_delete(s, taken.id, 0, 1, &err), AV_OK);
	generate(s, 5, 1, &rep);
	assert_int_equal(rep.customers, 5);
	assert_string_equal(rep.first_number, "100063");
	assert_int_equal(store_customer_count(s, &n, &err), AV_OK);
	assert_int_equal(n, 66);
	arena_release(&a);
	store_close(s);
}

static void
count_calls(uint64_t done, uint64_t total, void *ctx)
{
	uint64_t *last = ctx;

	assert_true(done > *last);
	assert_true(done <= total);
	*last = done;
}

static void
test_demo_progress_and_options(void **state)
{
	struct store *s = open_mem();
	struct demo_options opt;
	struct demo_report rep;
	struct av_error err = {0};
	uint64_t last = 0;

	(void)state;
	demo_options_init(&opt);
	assert_int_equal(opt.customers, DEMO_DEFAULT_CUSTOMERS);
	assert_int_equal(opt.contacts_per_customer, 2);
	assert_int_equal(opt.appointments_per_customer,
			 DEMO_DEFAULT_APPOINTMENTS);

	opt.appointments_per_customer = DEMO_MAX_APPOINTMENTS + 1;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_EINVAL);
	assert_string_equal(err.field, "appointments");
	opt.appointments_per_customer = 0;
	opt.contacts_per_customer = DEMO_MAX_CONTACTS + 1;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_EINVAL);
	assert_string_equal(err.field, "contacts");
	opt.contacts_per_customer = 0;
	opt.reps_per_territory = 0;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_EINVAL);
	opt.reps_per_territory = 1;

	opt.customers = DEMO_BATCH + 10;
	opt.progress = count_calls;
	opt.progress_ctx = &last;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_OK);
	assert_int_equal(last, DEMO_BATCH + 10);
	assert_int_equal(rep.users, N_TERR * 2);
	assert_int_equal(rep.contacts, 0);
	assert_int_equal(rep.appointments, 0);
	store_close(s);
}

/*
 * One rep per territory and ten appointments per customer, twice: the
 * second run reads the first run's appointments into its calendar, so
 * the two never overlap either.
 */
static void
test_demo_second_run_keeps_reps_free(void **state)
{
	struct store *s = open_mem();
	struct demo_options opt;
	struct demo_report one, two;

	(void)state;
	demo_options_init(&opt);
	opt.customers = 300;
	opt.reps_per_territory = 1;
	opt.contacts_per_customer = 1;
	opt.appointments_per_customer = 10;
	generate_with(s, &opt, &one);
	opt.seed = 2;
	generate_with(s, &opt, &two);
	assert_true(one.upcoming > 300 && two.upcoming > 300);
	assert_true(assert_no_overlaps(s) >= one.upcoming + two.upcoming);
	store_close(s);
}

/*
 * More appointments than one rep's eight weeks can hold: the rest become
 * history, scheduled ones still never overlap, and the count stays.
 */
static void
test_demo_full_reps_spill_into_history(void **state)
{
	struct store *s = open_mem();
	struct demo_options opt;
	struct demo_report rep;
	size_t scheduled;

	(void)state;
	demo_options_init(&opt);
	opt.customers = 300;
	opt.reps_per_territory = 1;
	opt.contacts_per_customer = 0;
	opt.appointments_per_customer = DEMO_MAX_APPOINTMENTS;
	generate_with(s, &opt, &rep);
	assert_in_range(rep.appointments, 300 * 40, 300 * 60);
	/* about a fifth were meant to be upcoming; fewer fit */
	assert_true(rep.upcoming < rep.appointments / 6);
	scheduled = assert_no_overlaps(s);
	assert_true(scheduled >= rep.upcoming);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest shared[] = {
	    cmocka_unit_test(test_demo_report_counts),
	    cmocka_unit_test(test_demo_customers_pass_the_rules),
	    cmocka_unit_test(test_demo_numbers_are_unique),
	    cmocka_unit_test(test_demo_territories_and_reps),
	    cmocka_unit_test(test_demo_contacts_have_phone_keys),
	    cmocka_unit_test(test_demo_appointments_follow_the_rules),
	    cmocka_unit_test(test_demo_scheduled_never_overlap),
	    cmocka_unit_test(test_demo_series_expand),
	};
	const struct CMUnitTest alone[] = {
	    cmocka_unit_test(test_demo_same_seed_same_companies),
	    cmocka_unit_test(test_demo_second_run_adds_fresh_numbers),
	    cmocka_unit_test(test_demo_progress_and_options),
	    cmocka_unit_test(test_demo_second_run_keeps_reps_free),
	    cmocka_unit_test(test_demo_full_reps_spill_into_history),
	};
	int failed;

	/* a fixed "now": the next weeks cross the change to summer time */
	setenv("AVTALE_NOW", NOW_TEXT, 1);
	failed = cmocka_run_group_tests_name("demo", shared, setup, teardown);

	failed += cmocka_run_group_tests_name("demo_runs", alone, NULL, NULL);
	return failed ? 1 : 0;
}
