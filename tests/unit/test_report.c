/* SPDX-License-Identifier: MIT */
/*
 * Reports over a real store on ":memory:": the shared case
 * report-day-grouping-local (read from tests/data at run time), a
 * contact-rate dataset computed by hand (a customer moving territory
 * mid-period, a DST change inside the period, an empty territory,
 * prospects), and the CSV formula-injection rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/csv.h"
#include "core/random.h"
#include "core/tz.h"
#include "domain/customer.h"
#include "service/report.h"

#define CASE_DIR "tests/data/cases/report-day-grouping-local/"

struct fixture {
	struct store *s;
	struct arena a;
	int64_t terr[3]; /* OSL, BGO, TRD */
	int64_t kari;	 /* a second rep */
};

static int64_t
at(const char *zone, const char *text)
{
	int64_t t;
	struct av_error err = {0};

	assert_int_equal(tz_parse_instant(text, "t", zone, &t, NULL, &err),
			 AV_OK);
	return t;
}

static int64_t
oslo(const char *text)
{
	return at("Europe/Oslo", text);
}

static void
set_now(int64_t t)
{
	char v[32];

	snprintf(v, sizeof(v), "%lld", (long long)t);
	setenv("AVTALE_NOW", v, 1);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};
	static const char *const codes[3][2] = {
	    {"OSL", "Oslo"}, {"BGO", "Bergen"}, {"TRD", "Trondheim"}};
	struct user u = {.email = "kari@example.no",
			 .name = "Kari",
			 .role = ROLE_REP,
			 .time_zone = "Europe/Oslo",
			 .locale = "nb"};

	assert_int_equal(store_open(":memory:", 0, &fx->s, &err), AV_OK);
	arena_init(&fx->a, 0);
	set_now(at("UTC", "2025-01-01T00:00:00Z"));
	for (int i = 0; i < 3; i++) {
		struct territory t = {.code = codes[i][0], .name = codes[i][1]};
		assert_int_equal(store_territory_insert(fx->s, &t, &err),
				 AV_OK);
		fx->terr[i] = t.id;
	}
	assert_int_equal(store_user_insert(fx->s, &u, &err), AV_OK);
	fx->kari = u.id;
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

static int64_t
add_customer(struct fixture *fx, const char *number, int64_t terr,
	     int64_t owner, enum customer_status status)
{
	struct av_error err = {0};
	struct customer c = {.customer_number = number,
			     .name = number,
			     .owner_id = owner,
			     .territory_id = terr,
			     .status = status};

	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err), AV_OK);
	return c.id;
}

static void
add_appt(struct fixture *fx, int64_t customer, int64_t start,
	 enum appt_status status, const char *outcome)
{
	struct av_error err = {0};
	struct appointment p = {0};

	p.customer_id = customer;
	p.owner_id = 1;
	p.start_utc = start;
	p.end_utc = start + 1800;
	p.time_zone = "Europe/Oslo";
	p.type = "meeting";
	p.channel = CHANNEL_PHONE;
	p.subject = "Møte";
	p.status = status;
	p.outcome = outcome;
	p.reminder_minutes = -1;
	p.uid = random_uid(&fx->a);
	if (store_appt_insert(fx->s, &p, 1, &err))
		fail_msg("insert: %s", err.msg);
}

/* The total of the row called 'key'; -1 when there is none. */
static int64_t
row_total(const struct report_appt *r, const char *key)
{
	for (size_t i = 0; i < r->n_rows; i++)
		if (strcmp(r->rows[i].key, key) == 0)
			return r->rows[i].total;
	return -1;
}

/* Load appointments.csv: one Oslo and one Bergen customer. */
static void
load_day_case(struct fixture *fx)
{
	FILE *f = fopen(CASE_DIR "appointments.csv", "r");
	char line[256];
	int64_t osl, bgo;
	int n = 0;

	assert_non_null(f);
	osl = add_customer(fx, "1001", fx->terr[0], 1, CUSTOMER_CUSTOMER);
	bgo = add_customer(fx, "1002", fx->terr[1], 1, CUSTOMER_CUSTOMER);
	assert_non_null(fgets(line, sizeof(line), f)); /* header */
	while (fgets(line, sizeof(line), f)) {
		char *start = strchr(line, ';'), *terr;

		if (!start)
			continue;
		start++;
		terr = strrchr(line, ';') + 1;
		start[20] = '\0';
		add_appt(fx, strncmp(terr, "Oslo", 4) == 0 ? osl : bgo,
			 at("UTC", start), APPT_COMPLETED, "interested");
		n++;
	}
	fclose(f);
	assert_int_equal(n, 7);
}

static void
appt_report(struct fixture *fx, const char *zone, enum report_group by,
	    int64_t terr, struct report_appt *r)
{
	struct av_error err = {0};
	struct report_appt_query q = {.from = at(zone, "2025-03-01"),
				      .to = at(zone, "2026-02-01"),
				      .zone = zone,
				      .by = by,
				      .territory_id = terr};

	if (report_appointments(fx->s, &q, &fx->a, r, &err))
		fail_msg("report: %s", err.msg);
}

static void
test_day_grouping_local(void **state)
{
	struct fixture *fx = *state;
	struct report_appt r;

	load_day_case(fx);
	appt_report(fx, "Europe/Oslo", RG_DAY, 0, &r);
	assert_int_equal(row_total(&r, "2025-03-30"), 2);
	assert_int_equal(row_total(&r, "2025-03-31"), 1);
	assert_int_equal(row_total(&r, "2025-10-26"), 2);
	assert_int_equal(row_total(&r, "2025-10-27"), 1);
	assert_int_equal(row_total(&r, "2026-01-01"), 1);
	assert_int_equal(row_total(&r, "2025-03-29"), 0);
	assert_int_equal(row_total(&r, "2025-10-25"), 0);
	assert_int_equal(row_total(&r, "2025-12-31"), 0);
	assert_int_equal(r.sum.total, 7);
	/* day boundaries from the zone rules: 23 h and 25 h days */
	for (size_t i = 0; i < r.n_rows; i++) {
		if (strcmp(r.rows[i].key, "2025-03-30") == 0) {
			assert_int_equal(r.rows[i].from,
					 at("UTC", "2025-03-29T23:00:00Z"));
			assert_int_equal(r.rows[i].to,
					 at("UTC", "2025-03-30T22:00:00Z"));
		}
		if (strcmp(r.rows[i].key, "2025-10-26") == 0) {
			assert_int_equal(r.rows[i].from,
					 at("UTC", "2025-10-25T22:00:00Z"));
			assert_int_equal(r.rows[i].to,
					 at("UTC", "2025-10-26T23:00:00Z"));
		}
	}

	appt_report(fx, "Europe/Oslo", RG_WEEK, 0, &r);
	assert_int_equal(row_total(&r, "2025-W13"), 2);
	assert_int_equal(row_total(&r, "2025-W14"), 1);
	assert_int_equal(row_total(&r, "2025-W43"), 2);
	assert_int_equal(row_total(&r, "2025-W44"), 1);
	assert_int_equal(row_total(&r, "2026-W01"), 1);

	appt_report(fx, "Europe/Oslo", RG_MONTH, 0, &r);
	assert_int_equal(row_total(&r, "2025-03"), 3);
	assert_int_equal(row_total(&r, "2025-10"), 3);
	assert_int_equal(row_total(&r, "2025-12"), 0);
	assert_int_equal(row_total(&r, "2026-01"), 1);

	appt_report(fx, "Europe/Oslo", RG_YEAR, 0, &r);
	assert_int_equal(row_total(&r, "2025"), 6);
	assert_int_equal(row_total(&r, "2026"), 1);

	/* per territory and day */
	appt_report(fx, "Europe/Oslo", RG_DAY, fx->terr[0], &r);
	assert_int_equal(row_total(&r, "2025-03-30"), 2);
	assert_int_equal(row_total(&r, "2025-10-26"), 1);
	assert_int_equal(row_total(&r, "2025-10-27"), 1);
	assert_int_equal(row_total(&r, "2025-03-31"), 0);
	assert_int_equal(row_total(&r, "2026-01-01"), 0);
	assert_int_equal(r.sum.total, 4);
	appt_report(fx, "Europe/Oslo", RG_DAY, fx->terr[1], &r);
	assert_int_equal(row_total(&r, "2025-03-31"), 1);
	assert_int_equal(row_total(&r, "2025-10-26"), 1);
	assert_int_equal(row_total(&r, "2026-01-01"), 1);
	assert_int_equal(row_total(&r, "2025-03-30"), 0);
	assert_int_equal(r.sum.total, 3);

	appt_report(fx, "Europe/Oslo", RG_TERRITORY, 0, &r);
	assert_int_equal(row_total(&r, "OSL"), 4);
	assert_int_equal(row_total(&r, "BGO"), 3);

	/* the same data seen from New York: id 7 on 2025-12-31 */
	appt_report(fx, "America/New_York", RG_DAY, 0, &r);
	assert_int_equal(row_total(&r, "2025-12-31"), 1);
	assert_int_equal(row_total(&r, "2026-01-01"), 0);
	appt_report(fx, "America/New_York", RG_YEAR, 0, &r);
	assert_int_equal(row_total(&r, "2025"), 7);
	assert_int_equal(row_total(&r, "2026"), 0);
}

static void
test_status_outcome_lead(void **state)
{
	struct fixture *fx = *state;
	struct report_appt r;
	struct av_error err = {0};
	struct report_appt_query q = {.from = oslo("2025-03-24"),
				      .to = oslo("2025-03-31"),
				      .zone = "Europe/Oslo",
				      .by = RG_OUTCOME};
	int64_t c = add_customer(fx, "2001", fx->terr[0], 1, CUSTOMER_CUSTOMER);

	/* booked two days before each meeting */
	set_now(oslo("2025-03-23 10:00"));
	add_appt(fx, c, oslo("2025-03-25 10:00"), APPT_COMPLETED, "interested");
	set_now(oslo("2025-03-24 10:00"));
	add_appt(fx, c, oslo("2025-03-26 10:00"), APPT_CANCELLED, NULL);
	/* across the DST change: 2 days minus the lost hour */
	set_now(oslo("2025-03-28 10:00"));
	add_appt(fx, c, oslo("2025-03-30 10:00"), APPT_NO_SHOW, NULL);
	assert_int_equal(report_appointments(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	assert_int_equal(r.sum.total, 3);
	assert_int_equal(r.sum.by_status[APPT_COMPLETED], 1);
	assert_int_equal(r.sum.by_status[APPT_CANCELLED], 1);
	assert_int_equal(r.sum.by_status[APPT_NO_SHOW], 1);
	assert_int_equal(r.sum.lead_sum_s, 3 * 2 * 86400 - 3600);
	assert_int_equal(row_total(&r, "interested"), 1);
	assert_int_equal(row_total(&r, "(none)"), 2);
	/* 'to' before 'from' */
	q.to = q.from;
	assert_int_equal(report_appointments(fx->s, &q, &fx->a, &r, &err),
			 AV_EINVAL);
}

/*
 * The hand-computed contact-rate dataset. Period: Oslo weeks 13-14 of
 * 2025, [2025-03-24 00:00, 2025-04-07 00:00) Europe/Oslo, with the DST
 * change on 2025-03-30 (13 days of 24 h and one of 23 h).
 *   A OSL admin, B OSL kari, E OSL kari, P OSL admin (prospect),
 *   C OSL admin -> BGO admin on 2025-03-31 12:00, D BGO kari; TRD empty.
 *   held: A 03-25, A 03-26, C 03-27 (in OSL), C 04-02 (in BGO),
 *         P 03-28, B 04-06 23:30 (last half hour of the period);
 *   D 04-01 cancelled (not a contact); A 04-07 00:30 (after the period,
 *   but inside it if the end were computed as from + 14 * 86400).
 * OSL: contacts 4 (A, A, C, B), customers 3 (A, B, E), covered 2,
 *      rate 4/3, coverage 2/3, uncontacted E;
 *      admin: 3 contacts / 1 customer; kari: 1 / 2, covered 1.
 * BGO: contacts 1 (C), customers 2 (C, D), covered 1: rate 0.5,
 *      uncontacted D.
 * TRD: no customers: no rate.
 * With prospects: OSL contacts 5, customers 4, covered 3.
 */
static void
build_contact_dataset(struct fixture *fx)
{
	struct av_error err = {0};
	struct customer c;
	int64_t a, b, e, p, cc, d;

	set_now(oslo("2025-03-01 09:00"));
	a = add_customer(fx, "A", fx->terr[0], 1, CUSTOMER_CUSTOMER);
	b = add_customer(fx, "B", fx->terr[0], fx->kari, CUSTOMER_CUSTOMER);
	e = add_customer(fx, "E", fx->terr[0], fx->kari, CUSTOMER_CUSTOMER);
	p = add_customer(fx, "P", fx->terr[0], 1, CUSTOMER_PROSPECT);
	cc = add_customer(fx, "C", fx->terr[0], 1, CUSTOMER_CUSTOMER);
	d = add_customer(fx, "D", fx->terr[1], fx->kari, CUSTOMER_CUSTOMER);
	(void)e;
	add_appt(fx, a, oslo("2025-03-25 10:00"), APPT_COMPLETED, "interested");
	add_appt(fx, a, oslo("2025-03-26 10:00"), APPT_COMPLETED, "follow_up");
	add_appt(fx, cc, oslo("2025-03-27 10:00"), APPT_COMPLETED,
		 "interested");
	add_appt(fx, p, oslo("2025-03-28 10:00"), APPT_COMPLETED, "interested");
	add_appt(fx, d, oslo("2025-04-01 10:00"), APPT_CANCELLED, NULL);
	add_appt(fx, cc, oslo("2025-04-02 10:00"), APPT_COMPLETED,
		 "order_placed");
	add_appt(fx, b, oslo("2025-04-06 23:30"), APPT_COMPLETED, "resolved");
	add_appt(fx, a, oslo("2025-04-07 00:30"), APPT_COMPLETED, "resolved");
	/* C moves to Bergen mid-period */
	set_now(oslo("2025-03-31 12:00"));
	assert_int_equal(store_customer_get(fx->s, cc, &fx->a, &c, &err),
			 AV_OK);
	c.territory_id = fx->terr[1];
	assert_int_equal(store_customer_update(fx->s, &c, 0, 1, &err), AV_OK);
	set_now(oslo("2025-05-01 09:00"));
}

static const struct report_rate *
terr_line(const struct report_contact *r, const char *code)
{
	for (size_t i = 0; i < r->n_territories; i++)
		if (strcmp(r->territories[i].code, code) == 0)
			return &r->territories[i];
	fail_msg("no territory %s", code);
	return NULL;
}

static const struct report_rate *
rep_line(const struct report_contact *r, const char *code, const char *rep)
{
	for (size_t i = 0; i < r->n_reps; i++)
		if (strcmp(r->reps[i].code, code) == 0 &&
		    strcmp(r->reps[i].owner, rep) == 0)
			return &r->reps[i];
	fail_msg("no rep %s in %s", rep, code);
	return NULL;
}

static void
test_contact_rate_by_hand(void **state)
{
	struct fixture *fx = *state;
	struct av_error err = {0};
	struct report_contact r;
	struct report_contact_query q = {.from = oslo("2025-03-24"),
					 .to = oslo("2025-04-07"),
					 .zone = "Europe/Oslo"};
	const struct report_rate *t;
	json_t *j;

	build_contact_dataset(fx);
	assert_int_equal(q.to - q.from, 14 * 86400 - 3600);
	assert_int_equal(report_contact_rate(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	assert_int_equal(r.n_territories, 3);
	t = terr_line(&r, "OSL");
	assert_int_equal(t->contacts, 4);
	assert_int_equal(t->customers, 3);
	assert_int_equal(t->covered, 2);
	assert_true(t->has_rate);
	assert_float_equal(t->rate, 4.0 / 3.0, 1e-9);
	assert_float_equal(t->coverage, 2.0 / 3.0, 1e-9);
	t = terr_line(&r, "BGO");
	assert_int_equal(t->contacts, 1);
	assert_int_equal(t->customers, 2);
	assert_int_equal(t->covered, 1);
	assert_float_equal(t->rate, 0.5, 1e-9);
	t = terr_line(&r, "TRD");
	assert_int_equal(t->contacts, 0);
	assert_int_equal(t->customers, 0);
	assert_false(t->has_rate);
	t = rep_line(&r, "OSL", "admin");
	assert_int_equal(t->contacts, 3);
	assert_int_equal(t->customers, 1);
	assert_float_equal(t->rate, 3.0, 1e-9);
	t = rep_line(&r, "OSL", "kari@example.no");
	assert_int_equal(t->contacts, 1);
	assert_int_equal(t->customers, 2);
	assert_int_equal(t->covered, 1);
	assert_float_equal(t->coverage, 0.5, 1e-9);
	assert_int_equal(r.n_uncontacted, 2);
	assert_string_equal(r.uncontacted[0].code, "OSL");
	assert_string_equal(r.uncontacted[0].customer_number, "E");
	assert_string_equal(r.uncontacted[1].code, "BGO");
	assert_string_equal(r.uncontacted[1].customer_number, "D");

	/* JSON: the empty territory has rate null, not a division by zero */
	j = report_contact_json(&r);
	assert_true(json_is_null(json_object_get(
	    json_array_get(json_object_get(j, "territories"), 2), "rate")));
	assert_string_equal(
	    json_string_value(json_object_get(
		json_array_get(json_object_get(j, "territories"), 2),
		"territory")),
	    "TRD");
	json_decref(j);

	/* prospects only when asked */
	q.prospects = true;
	assert_int_equal(report_contact_rate(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	t = terr_line(&r, "OSL");
	assert_int_equal(t->contacts, 5);
	assert_int_equal(t->customers, 4);
	assert_int_equal(t->covered, 3);

	/* one territory */
	q.prospects = false;
	q.territory_id = fx->terr[1];
	assert_int_equal(report_contact_rate(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	assert_int_equal(r.n_territories, 1);
	assert_int_equal(r.n_uncontacted, 1);
	assert_string_equal(r.uncontacted[0].customer_number, "D");
}

/* The appointments report of the same data, per territory at the time. */
static void
test_territory_at_the_time(void **state)
{
	struct fixture *fx = *state;
	struct av_error err = {0};
	struct report_appt r;
	struct report_appt_query q = {.from = oslo("2025-03-24"),
				      .to = oslo("2025-04-07"),
				      .zone = "Europe/Oslo",
				      .by = RG_TERRITORY};

	build_contact_dataset(fx);
	assert_int_equal(report_appointments(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	/* OSL: A, A, C (before the move), P, B; BGO: D, C (after) */
	assert_int_equal(row_total(&r, "OSL"), 5);
	assert_int_equal(row_total(&r, "BGO"), 2);
	assert_int_equal(r.sum.total, 7);
	q.by = RG_WEEK;
	assert_int_equal(report_appointments(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	assert_int_equal(r.n_rows, 2);
	assert_int_equal(row_total(&r, "2025-W13"), 4);
	assert_int_equal(row_total(&r, "2025-W14"), 3);
}

static void
cell_is(const char *in, char sep, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	report_csv_cell(&b, in, sep);
	assert_string_equal(b.p, want);
	buf_release(&b);
}

static void
test_csv_injection(void **state)
{
	(void)state;
	cell_is("=1+1", ',', "'=1+1");
	cell_is("+47 22 33 44 55", ';', "'+47 22 33 44 55");
	cell_is("-x", ',', "'-x");
	cell_is("@x", ',', "'@x");
	cell_is("\tx", ',', "'\tx");
	cell_is("\rx", ',', "\"'\rx\"");
	cell_is("=HYPERLINK(\"http://x\",\"y\")", ',',
		"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	cell_is("a;b", ';', "\"a;b\"");
	cell_is("a;b", ',', "a;b");
	cell_is("Ærlig Rør AS", ',', "Ærlig Rør AS");
	cell_is("", ',', "");
	cell_is("1=1", ',', "1=1");
}

static void
test_exports(void **state)
{
	struct fixture *fx = *state;
	struct av_error err = {0};
	struct report_contact r;
	struct report_contact_query q = {.from = oslo("2025-03-24"),
					 .to = oslo("2025-04-07"),
					 .zone = "Europe/Oslo"};
	struct customer c;
	struct buf b;

	build_contact_dataset(fx);
	/* a hostile name on the uncontacted customer E */
	assert_int_equal(store_customer_by_number(fx->s, "E", &fx->a, &c, &err),
			 AV_OK);
	c.name = "=cmd|' /C calc'!A0 <script>";
	assert_int_equal(store_customer_update(fx->s, &c, 0, 1, &err), AV_OK);
	assert_int_equal(report_contact_rate(fx->s, &q, &fx->a, &r, &err),
			 AV_OK);
	buf_init(&b, 0);
	report_uncontacted_csv(&r, ';', &b);
	assert_memory_equal(b.p, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(b.p, ";'=cmd|' /C calc'!A0 <script>;"));
	buf_reset(&b);
	report_contact_csv(&r, ',', &b);
	assert_non_null(strstr(b.p, "\r\nTRD,,0,0,0,,\r\n"));
	assert_non_null(strstr(b.p, "\r\nBGO,,1,2,1,0.5000,0.5000\r\n"));
	buf_reset(&b);
	report_contact_svg(&r, &b);
	assert_null(strstr(b.p, "<script"));
	assert_non_null(strstr(b.p, "no customers"));
	buf_reset(&b);
	report_xml_escape(&b, "<a href=\"x\">&'</a>");
	assert_string_equal(b.p,
			    "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_day_grouping_local, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_status_outcome_lead, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_contact_rate_by_hand, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_territory_at_the_time, setup,
					    teardown),
	    cmocka_unit_test(test_csv_injection),
	    cmocka_unit_test_setup_teardown(test_exports, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
