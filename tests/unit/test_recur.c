/* SPDX-License-Identifier: MIT */
/*
 * core/recur: RRULE checks and expansion in the series' own zone, against
 * the ics-rrule-across-dst and ics-exdate-forms cases in tests/data/cases
 * (inputs copied from their .ics files), RFC 5545's COUNT, EXDATE and
 * UNTIL rules, and the bounds that keep a bad rule from running away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/recur.h"
#include "core/tz.h"

#include "core/banned.h"

#define OSLO	 "Europe/Oslo"
#define DAY	 86400
#define MAX_OUT	 64
#define FAR_FROM "2000-01-01T00:00:00Z"
#define FAR_TO	 "2100-01-01T00:00:00Z"

/* The instant of an RFC 3339 text, which must parse. */
static int64_t
at(const char *text)
{
	struct av_error err = {0};
	int64_t u = 0;

	assert_int_equal(tz_parse_instant(text, "t", "UTC", &u, NULL, &err),
			 AV_OK);
	return u;
}

/* A wall time in 'zone', which must resolve. */
static int64_t
wall(const char *zone, const char *text)
{
	struct av_error err = {0};
	int64_t u = 0;

	assert_int_equal(tz_parse_instant(text, "t", zone, &u, NULL, &err),
			 AV_OK);
	return u;
}

static const char *
utc_str(int64_t u)
{
	static char buf[4][TZ_UTC_SIZE];
	static int i;

	i = (i + 1) % 4;
	assert_true(tz_format_utc(u, buf[i], sizeof(buf[i])));
	return buf[i];
}

/* Expand over a wide range and compare with 'want' (UTC texts). */
static void
expect(const char *rule, const char *zone, int64_t dtstart, const int64_t *ex,
       size_t n_ex, const char *const *want, size_t n_want)
{
	int64_t out[MAX_OUT];
	size_t n = 99;
	struct av_error err = {0};
	enum av_err rc;

	rc = recur_expand(rule, zone, dtstart, ex, n_ex, at(FAR_FROM),
			  at(FAR_TO), MAX_OUT, out, &n, &err);
	if (rc != AV_OK)
		fail_msg("%s: %s", rule, err.msg);
	if (n != n_want) {
		for (size_t i = 0; i < n; i++)
			print_message("  got %s\n", utc_str(out[i]));
		fail_msg("%s: %zu occurrences, want %zu", rule, n, n_want);
	}
	for (size_t i = 0; i < n; i++)
		assert_string_equal(utc_str(out[i]), want[i]);
}

static void
test_recur_validate_accepts_rfc5545_rules(void **state)
{
	static const char *const good[] = {
	    "FREQ=WEEKLY;COUNT=3",
	    "FREQ=DAILY",
	    "FREQ=DAILY;UNTIL=20251231T230000Z",
	    "FREQ=DAILY;UNTIL=20251231T230000",
	    "FREQ=DAILY;UNTIL=20251231",
	    "FREQ=MONTHLY;BYDAY=-1FR",
	    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
	    "freq=weekly;byday=mo,we",
	    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;WKST=SU",
	    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
	    "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
	    "FREQ=YEARLY;BYYEARDAY=1,-1",
	    "FREQ=YEARLY;BYDAY=20MO",
	    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	    "FREQ=MONTHLY;BYMONTHDAY=31",
	    "FREQ=DAILY;BYHOUR=8,12;BYMINUTE=30",
	    "FREQ=DAILY;COUNT=100000",
	    "FREQ=DAILY;INTERVAL=1000",
	    "FREQ=DAILY;UNTIL=99991231T235959Z",
	    "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=10,-10",
	    "FREQ=YEARLY;BYDAY=MO;BYSETPOS=53",
	    "FREQ=DAILY;BYHOUR=9,10;BYMINUTE=0,30;BYSETPOS=4",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct av_error err = {0};

		if (recur_validate(good[i], &err) != AV_OK)
			fail_msg("'%s' refused: %s", good[i], err.msg);
	}
}

static void
test_recur_validate_refuses_bad_rules(void **state)
{
	static const struct {
		const char *rule;
		const char *msg_part;
	} bad[] = {
	    {"FREQ=SECONDLY", "FREQ=SECONDLY is not supported"},
	    {"FREQ=MINUTELY;COUNT=5", "FREQ=MINUTELY is not supported"},
	    {"FREQ=HOURLY;INTERVAL=2", "FREQ=HOURLY is not supported"},
	    {"", "missing"},
	    {"garbage", "no value"},
	    {"COUNT=3", "no FREQ"},
	    {"RRULE:FREQ=DAILY", "invalid character"},
	    {"FREQ=DAILY;;COUNT=2", "empty part"},
	    {"FREQ=DAILY;", "empty part"},
	    {"FREQ=DAILY;COUNT=3 ", "invalid character"},
	    {"FREQ=DAILY;COUNT=0", "COUNT must be"},
	    {"FREQ=DAILY;COUNT=-5", "COUNT must be"},
	    {"FREQ=DAILY;COUNT=99999999999", "COUNT must be"},
	    {"FREQ=DAILY;COUNT=100001", "COUNT must be"},
	    {"FREQ=DAILY;INTERVAL=0", "INTERVAL must be"},
	    {"FREQ=DAILY;INTERVAL=1001", "INTERVAL must be"},
	    {"FREQ=DAILY;COUNT=2;UNTIL=20250101", "not understood"},
	    {"FREQ=DAILY;FREQ=WEEKLY", "'FREQ' given twice"},
	    {"FREQ=DAILY;COUNT=2;count=3", "'COUNT' given twice"},
	    {"FREQ=WEEKLY;X-FOO=1", "unknown rule part 'X-FOO'"},
	    {"FREQ=WEEKLY;RSCALE=GREGORIAN", "RSCALE"},
	    {"FREQ=WEEKLY;SKIP=FORWARD", "RSCALE and SKIP"},
	    {"FREQ=DAILY;BYMONTH=13", "BYMONTH"},
	    {"FREQ=DAILY;BYDAY=XX", "not understood"},
	    {"FREQ=DAILY;BYHOUR=24", "not understood"},
	    {"FREQ=DAILY;UNTIL=garbage", "not understood"},
	    {"FREQ=DAILY;UNTIL=20250230T000000Z", "UNTIL is not a valid"},
	    {"FREQ=DAILY;UNTIL=18991231T000000Z", "UNTIL year 1899"},
	    {"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", "never produces"},
	    {"FREQ=MONTHLY;BYMONTHDAY=30,31,-30;BYMONTH=2", "never produces"},
	    {"FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11", "never produces"},
	    {"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "BYSETPOS is beyond"},
	    {"FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=11,-11", "BYSETPOS is beyond"},
	    {"FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=3", "BYSETPOS is beyond"},
	    {"FREQ=DAILY;BYHOUR=9,10;BYSETPOS=3", "BYSETPOS is beyond"},
	    {"FREQ=YEARLY;BYMONTH=1;BYDAY=-1MO;BYSETPOS=2", "BYSETPOS is"},
	    {"FREQ=WEEKLY;BYDAY=1MO", "numbered BYDAY"},
	    {"FREQ=DAILY;BYDAY=-1FR", "numbered BYDAY"},
	    {"FREQ=MONTHLY;BYDAY=6MO", "BYDAY position 6"},
	    {"FREQ=YEARLY;BYMONTH=1;BYDAY=6MO", "BYDAY position 6"},
	    {"FREQ=YEARLY;BYWEEKNO=3;BYDAY=1MO", "BYWEEKNO"},
	    {"FREQ=YEARLY;BYYEARDAY=367", "BYYEARDAY"},
	    {"FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO"},
	    {"FREQ=MONTHLY;BYYEARDAY=100", "BYYEARDAY needs"},
	    {"FREQ=MONTHLY;BYWEEKNO=10", "BYWEEKNO needs"},
	    {"FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY cannot"},
	    {"FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS needs"},
	    {"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "not understood"},
	};
	static const char prefix[] =
	    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=";
	char longrule[RECUR_RULE_MAX + 32];
	struct av_error err = {0};
	size_t len;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (recur_validate(bad[i].rule, &err) != AV_EINVAL)
			fail_msg("'%s' accepted", bad[i].rule);
		assert_string_equal(err.field, "rrule");
		if (!strstr(err.msg, bad[i].msg_part))
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].rule,
				 err.msg, bad[i].msg_part);
	}
	assert_int_equal(recur_validate(NULL, &err), AV_EINVAL);
	/* length: exactly the limit is fine, one more byte is not */
	memset(longrule, 0, sizeof(longrule));
	len = strlen(prefix);
	memcpy(longrule, prefix, len);
	while (len + 3 <= RECUR_RULE_MAX - 2) {
		memcpy(longrule + len, "-1,", 3);
		len += 3;
	}
	while (len < RECUR_RULE_MAX)
		longrule[len++] = '1';
	longrule[RECUR_RULE_MAX] = '\0';
	assert_int_equal(strlen(longrule), RECUR_RULE_MAX);
	if (recur_validate(longrule, &err) != AV_OK)
		fail_msg("rule of %d bytes refused: %s", RECUR_RULE_MAX,
			 err.msg);
	longrule[RECUR_RULE_MAX] = '1';
	longrule[RECUR_RULE_MAX + 1] = '\0';
	assert_int_equal(recur_validate(longrule, &err), AV_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 1000"));
}

/* ics-rrule-across-dst: a and c keep 09:00 Oslo, b keeps 08:00Z. */
static void
test_recur_weekly_across_dst_keeps_wall_or_utc_time(void **state)
{
	static const char *const a[] = {"2025-03-21T08:00:00Z",
					"2025-03-28T08:00:00Z",
					"2025-04-04T07:00:00Z"};
	static const char *const b[] = {"2025-03-21T08:00:00Z",
					"2025-03-28T08:00:00Z",
					"2025-04-04T08:00:00Z"};
	static const char *const c[] = {"2025-10-17T07:00:00Z",
					"2025-10-24T07:00:00Z",
					"2025-10-31T08:00:00Z"};
	char buf[TZ_RFC3339_SIZE];

	(void)state;
	/* DTSTART;TZID=Europe/Oslo:20250321T090000, RRULE:FREQ=WEEKLY;COUNT=3
	 */
	expect("FREQ=WEEKLY;COUNT=3", OSLO, wall(OSLO, "2025-03-21T09:00:00"),
	       NULL, 0, a, 3);
	/* DTSTART:20250321T080000Z */
	expect("FREQ=WEEKLY;COUNT=3", "UTC", at("2025-03-21T08:00:00Z"), NULL,
	       0, b, 3);
	/* DTSTART;TZID=Europe/Oslo:20251017T090000 */
	expect("FREQ=WEEKLY;COUNT=3", OSLO, wall(OSLO, "2025-10-17T09:00:00"),
	       NULL, 0, c, 3);
	/* as shown in Oslo: b's third occurrence is at 10:00 */
	assert_true(tz_format_rfc3339(OSLO, at(b[2]), buf, sizeof(buf)));
	assert_string_equal(buf, "2025-04-04T10:00:00+02:00");
	assert_true(tz_format_rfc3339(OSLO, at(a[2]), buf, sizeof(buf)));
	assert_string_equal(buf, "2025-04-04T09:00:00+02:00");
	assert_true(tz_format_rfc3339(OSLO, at(c[2]), buf, sizeof(buf)));
	assert_string_equal(buf, "2025-10-31T09:00:00+01:00");
}

/* ics-exdate-forms: COUNT=5 first, then three EXDATEs remove two. */
static void
test_recur_exdate_forms_leave_three(void **state)
{
	static const char *const want[] = {"2025-10-23T07:00:00Z",
					   "2025-10-25T07:00:00Z",
					   "2025-10-26T08:00:00Z"};
	int64_t ex[4];

	(void)state;
	ex[0] = at("2025-10-24T07:00:00Z");	   /* EXDATE:...Z */
	ex[1] = wall(OSLO, "2025-10-27T09:00:00"); /* TZID list */
	ex[2] = wall(OSLO, "2025-10-28T09:00:00"); /* beyond COUNT */
	ex[3] = wall(OSLO, "2025-10-25T10:00:00"); /* matches nothing */
	expect("FREQ=DAILY;COUNT=5", OSLO, wall(OSLO, "2025-10-23T09:00:00"),
	       ex, 4, want, 3);
	/* the 10:00 one is an instant an hour after the 25th's occurrence */
	assert_int_equal(ex[3] - at(want[1]), 3600);
}

static void
test_recur_exdate_removes_dtstart_too(void **state)
{
	static const char *const want[] = {"2025-01-02T08:00:00Z"};
	int64_t start = wall(OSLO, "2025-01-01T09:00:00");

	(void)state;
	expect("FREQ=DAILY;COUNT=2", OSLO, start, &start, 1, want, 1);
}

static void
test_recur_unbounded_rule_stops_at_range(void **state)
{
	int64_t out[MAX_OUT];
	size_t n = 0;
	struct av_error err = {0};
	int64_t start = wall(OSLO, "2025-01-01T09:00:00");
	int64_t from = at("2025-06-01T00:00:00Z");
	int64_t far = at("2190-06-01T00:00:00Z");
	clock_t t0 = clock();

	(void)state;
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, start, NULL, 0, from,
				      from + 7 * DAY, MAX_OUT, out, &n, &err),
			 AV_OK);
	assert_int_equal(n, 7);
	assert_string_equal(utc_str(out[0]), "2025-06-01T07:00:00Z");
	assert_string_equal(utc_str(out[6]), "2025-06-07T07:00:00Z");
	/* 165 years on: jumps ahead instead of walking 60,000 days */
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, start, NULL, 0, far,
				      far + 7 * DAY, MAX_OUT, out, &n, &err),
			 AV_OK);
	assert_int_equal(n, 7);
	assert_string_equal(utc_str(out[0]), "2190-06-01T07:00:00Z");
	/* a range before the start, and an empty range */
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, start, NULL, 0,
				      start - 30 * DAY, start, MAX_OUT, out, &n,
				      &err),
			 AV_OK);
	assert_int_equal(n, 0);
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, start, NULL, 0, from,
				      from, MAX_OUT, out, &n, &err),
			 AV_OK);
	assert_int_equal(n, 0);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
}

static void
test_recur_range_is_half_open(void **state)
{
	int64_t out[MAX_OUT];
	size_t n = 0;
	struct av_error err = {0};
	int64_t start = at("2025-01-01T09:00:00Z");

	(void)state;
	assert_int_equal(recur_expand("FREQ=DAILY", "UTC", start, NULL, 0,
				      start + DAY, start + 3 * DAY, MAX_OUT,
				      out, &n, &err),
			 AV_OK);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], start + DAY);
	assert_int_equal(out[1], start + 2 * DAY);
}

static void
test_recur_more_than_max_is_too_big(void **state)
{
	int64_t out[5];
	size_t n = 0;
	struct av_error err = {0};
	int64_t start = at("2025-01-01T09:00:00Z");

	(void)state;
	assert_int_equal(recur_expand("FREQ=DAILY", "UTC", start, NULL, 0,
				      start, start + 30 * DAY, 5, out, &n,
				      &err),
			 AV_ETOOBIG);
	assert_int_equal(n, 5);
	assert_int_equal(out[0], start);
	assert_int_equal(out[4], start + 4 * DAY);
	/* exactly max fits */
	assert_int_equal(recur_expand("FREQ=DAILY", "UTC", start, NULL, 0,
				      start, start + 5 * DAY, 5, out, &n, &err),
			 AV_OK);
	assert_int_equal(n, 5);
	/* max 0 answers "any occurrence in the range?" */
	assert_int_equal(recur_expand("FREQ=DAILY;COUNT=2", "UTC", start, NULL,
				      0, start + 5 * DAY, start + 9 * DAY, 0,
				      NULL, &n, &err),
			 AV_OK);
	assert_int_equal(n, 0);
	assert_int_equal(recur_expand("FREQ=DAILY", "UTC", start, NULL, 0,
				      start + 5 * DAY, start + 9 * DAY, 0, NULL,
				      &n, &err),
			 AV_ETOOBIG);
}

static void
test_recur_never_matching_rules_fail_cleanly(void **state)
{
	static const char *const never[] = {
	    "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31",
	    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
	    "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6",
	    "FREQ=YEARLY;BYYEARDAY=1;BYMONTH=6",
	    /* synchronised to no leap year from 2025 */
	    "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29",
	};
	int64_t out[MAX_OUT];
	int64_t start = wall(OSLO, "2025-01-31T09:00:00");

	(void)state;
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		struct av_error err = {0};
		size_t n = 99;
		clock_t t0 = clock();

		assert_int_equal(recur_expand(never[i], OSLO, start, NULL, 0,
					      at(FAR_FROM), at(FAR_TO), MAX_OUT,
					      out, &n, &err),
				 AV_EINVAL);
		assert_string_equal(err.field, "rrule");
		assert_int_equal(n, 0);
		assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	}
}

/* A rule that makes libical walk far for little: the step bound holds. */
static void
test_recur_step_limit_bounds_work(void **state)
{
	static const char rule[] =
	    "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,"
	    "19,20,21,22,23;BYMINUTE=0,30";
	size_t cap = 300000;
	int64_t *out = calloc(cap, sizeof(*out));
	struct av_error err = {0};
	size_t n = 0;
	int64_t start = at("2025-01-01T00:00:00Z");

	(void)state;
	assert_non_null(out);
	assert_int_equal(recur_expand(rule, "UTC", start, NULL, 0, start,
				      start + 3000 * DAY, cap, out, &n, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "rrule");
	assert_non_null(strstr(err.msg, "steps"));
	free(out);
}

/* UNTIL in UTC is compared with instants, not with wall times read as
 * UTC: 09:00 Oslo on the 25th is 08:00Z, so it is included. */
static void
test_recur_until_forms(void **state)
{
	static const char *const five[] = {
	    "2025-03-21T08:00:00Z", "2025-03-22T08:00:00Z",
	    "2025-03-23T08:00:00Z", "2025-03-24T08:00:00Z",
	    "2025-03-25T08:00:00Z"};
	int64_t start = wall(OSLO, "2025-03-21T09:00:00");

	(void)state;
	expect("FREQ=DAILY;UNTIL=20250325T080000Z", OSLO, start, NULL, 0, five,
	       5);
	expect("FREQ=DAILY;UNTIL=20250325T075959Z", OSLO, start, NULL, 0, five,
	       4);
	expect("FREQ=DAILY;UNTIL=20250325T090000", OSLO, start, NULL, 0, five,
	       5);
	expect("FREQ=DAILY;UNTIL=20250325T085959", OSLO, start, NULL, 0, five,
	       4);
	expect("FREQ=DAILY;UNTIL=20250325", OSLO, start, NULL, 0, five, 5);
	expect("FREQ=DAILY;UNTIL=20250324", OSLO, start, NULL, 0, five, 4);
	/* UNTIL across the change: 29 Mar 09:00 CET=08:00Z, 30 Mar 07:00Z */
	{
		static const char *const across[] = {"2025-03-29T08:00:00Z",
						     "2025-03-30T07:00:00Z"};

		expect("FREQ=DAILY;UNTIL=20250330T070000Z", OSLO,
		       wall(OSLO, "2025-03-29T09:00:00"), NULL, 0, across, 2);
	}
}

/* A daily 02:30 series meets the gap and the repeated hour. */
static void
test_recur_occurrences_in_gap_and_repeat(void **state)
{
	static const char *const spring[] = {
	    "2025-03-28T01:30:00Z", "2025-03-29T01:30:00Z",
	    "2025-03-30T01:30:00Z", /* 02:30 does not exist: 03:30 CEST */
	    "2025-03-31T00:30:00Z"};
	static const char *const autumn[] = {
	    "2025-10-25T00:30:00Z",
	    "2025-10-26T00:30:00Z", /* the first 02:30 */
	    "2025-10-27T01:30:00Z"};

	(void)state;
	expect("FREQ=DAILY;COUNT=4", OSLO, wall(OSLO, "2025-03-28T02:30:00"),
	       NULL, 0, spring, 4);
	expect("FREQ=DAILY;COUNT=3", OSLO, wall(OSLO, "2025-10-25T02:30:00"),
	       NULL, 0, autumn, 3);
}

/* RFC 5545: DTSTART is the first occurrence and counts towards COUNT,
 * even when the rule would not produce it. */
static void
test_recur_dtstart_counts_even_when_not_matching(void **state)
{
	static const char *const want[] = {"2025-01-31T08:00:00Z",
					   "2025-02-15T08:00:00Z",
					   "2025-03-15T08:00:00Z"};

	(void)state;
	expect("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", OSLO,
	       wall(OSLO, "2025-01-31T09:00:00"), NULL, 0, want, 3);
}

static void
test_recur_monthly_and_yearly_rules(void **state)
{
	static const char *const last_friday[] = {
	    "2025-01-31T08:00:00Z", "2025-02-28T08:00:00Z",
	    "2025-03-28T08:00:00Z", "2025-04-25T07:00:00Z"};
	static const char *const leap[] = {"2024-02-29T08:00:00Z",
					   "2028-02-29T08:00:00Z",
					   "2032-02-29T08:00:00Z"};
	static const char *const every_31st[] = {"2025-01-31T08:00:00Z",
						 "2025-03-31T07:00:00Z",
						 "2025-05-31T07:00:00Z"};

	(void)state;
	expect("FREQ=MONTHLY;BYDAY=-1FR;COUNT=4", OSLO,
	       wall(OSLO, "2025-01-31T09:00:00"), NULL, 0, last_friday, 4);
	expect("FREQ=YEARLY;COUNT=3", OSLO, wall(OSLO, "2024-02-29T09:00:00"),
	       NULL, 0, leap, 3);
	expect("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3", OSLO,
	       wall(OSLO, "2025-01-31T09:00:00"), NULL, 0, every_31st, 3);
}

/* Jumping ahead to a late range gives the same occurrences as walking
 * there from DTSTART. */
static void
test_recur_late_window_matches_full_walk(void **state)
{
	static const char *const rules[] = {
	    "FREQ=DAILY",
	    "FREQ=DAILY;INTERVAL=3",
	    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
	    "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,SA;WKST=SU",
	    "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
	    "FREQ=MONTHLY;BYMONTHDAY=31",
	    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
	    "FREQ=YEARLY;INTERVAL=3",
	    "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
	    "FREQ=DAILY;INTERVAL=2;BYHOUR=8,12",
	    "FREQ=DAILY;UNTIL=20300101T000000Z",
	    "FREQ=WEEKLY;INTERVAL=2",
	    "FREQ=MONTHLY;INTERVAL=5",
	    "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	};
	static int64_t full[4096];
	int64_t late[MAX_OUT];
	int64_t start = wall(OSLO, "2025-01-31T09:00:00");
	int64_t from = at("2029-10-20T00:00:00Z");
	int64_t to = at("2029-11-10T00:00:00Z");

	(void)state;
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		struct av_error err = {0};
		size_t n_full = 0;
		size_t n_late = 0;
		size_t k = 0;

		assert_int_equal(recur_expand(rules[r], OSLO, start, NULL, 0,
					      start, to, 4096, full, &n_full,
					      &err),
				 AV_OK);
		assert_int_equal(recur_expand(rules[r], OSLO, start, NULL, 0,
					      from, to, MAX_OUT, late, &n_late,
					      &err),
				 AV_OK);
		for (size_t i = 0; i < n_full; i++) {
			if (full[i] < from)
				continue;
			if (k >= n_late || late[k] != full[i])
				fail_msg("%s: late window differs at %s",
					 rules[r], utc_str(full[i]));
			k++;
		}
		assert_int_equal(k, n_late);
	}
}

static void
test_recur_bad_arguments(void **state)
{
	int64_t out[MAX_OUT];
	size_t n = 0;
	struct av_error err = {0};
	int64_t start = at("2025-01-01T09:00:00Z");

	(void)state;
	assert_int_equal(recur_expand("FREQ=DAILY", "Bogus/Zone", start, NULL,
				      0, start, start + DAY, MAX_OUT, out, &n,
				      &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, INT64_MAX, NULL, 0,
				      start, start + DAY, MAX_OUT, out, &n,
				      &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "start");
	assert_int_equal(
	    recur_expand("FREQ=DAILY", "UTC", at("1900-01-01T00:00:00Z") - 3600,
			 NULL, 0, start, start + DAY, MAX_OUT, out, &n, &err),
	    AV_EINVAL);
	assert_string_equal(err.field, "start");
	assert_int_equal(recur_expand("FREQ=HOURLY", OSLO, start, NULL, 0,
				      start, start + DAY, MAX_OUT, out, &n,
				      &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "rrule");
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, start, NULL, 0, start,
				      start + DAY, MAX_OUT, out, NULL, &err),
			 AV_EINTERNAL);
	assert_int_equal(recur_expand("FREQ=DAILY", OSLO, start, NULL, 3, start,
				      start + DAY, MAX_OUT, out, &n, &err),
			 AV_EINTERNAL);
}

/* The process's TZ plays no part. */
static void
test_recur_same_under_any_process_tz(void **state)
{
	static const char *const a[] = {"2025-03-21T08:00:00Z",
					"2025-03-28T08:00:00Z",
					"2025-04-04T07:00:00Z"};
	const char *saved = getenv("TZ");
	char saved_copy[128] = "";

	(void)state;
	if (saved)
		snprintf(saved_copy, sizeof(saved_copy), "%s", saved);
	assert_int_equal(setenv("TZ", "Asia/Tokyo", 1), 0);
	tzset();
	expect("FREQ=WEEKLY;COUNT=3", OSLO, wall(OSLO, "2025-03-21T09:00:00"),
	       NULL, 0, a, 3);
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	tzset();
	expect("FREQ=WEEKLY;COUNT=3", OSLO, wall(OSLO, "2025-03-21T09:00:00"),
	       NULL, 0, a, 3);
	if (saved)
		assert_int_equal(setenv("TZ", saved_copy, 1), 0);
	else
		assert_int_equal(unsetenv("TZ"), 0);
	tzset();
}

static int
teardown_group(void **state)
{
	(void)state;
	tz_free_zones();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recur_validate_accepts_rfc5545_rules),
	    cmocka_unit_test(test_recur_validate_refuses_bad_rules),
	    cmocka_unit_test(
		test_recur_weekly_across_dst_keeps_wall_or_utc_time),
	    cmocka_unit_test(test_recur_exdate_forms_leave_three),
	    cmocka_unit_test(test_recur_exdate_removes_dtstart_too),
	    cmocka_unit_test(test_recur_unbounded_rule_stops_at_range),
	    cmocka_unit_test(test_recur_range_is_half_open),
	    cmocka_unit_test(test_recur_more_than_max_is_too_big),
	    cmocka_unit_test(test_recur_never_matching_rules_fail_cleanly),
	    cmocka_unit_test(test_recur_step_limit_bounds_work),
	    cmocka_unit_test(test_recur_until_forms),
	    cmocka_unit_test(test_recur_occurrences_in_gap_and_repeat),
	    cmocka_unit_test(test_recur_dtstart_counts_even_when_not_matching),
	    cmocka_unit_test(test_recur_monthly_and_yearly_rules),
	    cmocka_unit_test(test_recur_late_window_matches_full_walk),
	    cmocka_unit_test(test_recur_bad_arguments),
	    cmocka_unit_test(test_recur_same_under_any_process_tz),
	};

	return cmocka_run_group_tests(tests, NULL, teardown_group);
}
