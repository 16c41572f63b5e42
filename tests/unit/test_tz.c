/* SPDX-License-Identifier: MIT */
/*
 * core/tz: UTC <-> wall time through libical's zones, with the gap and
 * repeated-hour rules of RFC 5545 3.3.5, checked against the ics-dst-gap
 * and ics-floating-time cases in tests/data/cases, the RFC's own example,
 * ISO 8601 weeks and RFC 3339 text; the same answers under TZ=UTC and
 * TZ=Asia/Tokyo, and from four threads at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <libical/ical.h>

#include "core/tz.h"

#include "core/banned.h"

#define OSLO	  "Europe/Oslo"
#define NEW_YORK  "America/New_York"
#define FLOAT_ICS "tests/data/cases/ics-floating-time/floating-times.ics"
#define HOUR	  3600
#define N_THREADS 4

/* The instant of an RFC 3339 text, which must parse. */
static int64_t
at(const char *text)
{
	struct av_error err = {0};
	enum tz_adjust how = TZ_GAP_SHIFTED;
	int64_t u = 0;

	assert_int_equal(tz_parse_instant(text, "t", "UTC", &u, &how, &err),
			 AV_OK);
	assert_int_equal(how, TZ_EXACT);
	return u;
}

/* 'u' as "YYYY-MM-DDTHH:MM:SSZ", in one of two rotating buffers. */
static const char *
utc_str(int64_t u)
{
	static char buf[2][TZ_UTC_SIZE];
	static int i;

	i = !i;
	assert_true(tz_format_utc(u, buf[i], sizeof(buf[i])));
	return buf[i];
}

/* 'u' in RFC 3339 local form in 'zone'. */
static const char *
local_str(const char *zone, int64_t u)
{
	static char buf[TZ_RFC3339_SIZE];

	assert_true(tz_format_rfc3339(zone, u, buf, sizeof(buf)));
	return buf;
}

/* Resolve a wall time, asserting success. */
static int64_t
resolve(const char *zone, int y, int mo, int d, int h, int mi,
	enum tz_adjust *how)
{
	struct tz_local l = {y, mo, d, h, mi, 0};
	struct av_error err = {0};
	int64_t u = 0;

	assert_int_equal(tz_local_to_utc(zone, &l, &u, how, &err), AV_OK);
	return u;
}

static void
set_tz(const char *tz)
{
	if (tz)
		assert_int_equal(setenv("TZ", tz, 1), 0);
	else
		assert_int_equal(unsetenv("TZ"), 0);
	tzset();
}

static void
test_tz_valid_keeps_known_zones_and_refuses_paths(void **state)
{
	(void)state;
	assert_true(tz_valid(OSLO));
	assert_true(tz_valid("UTC"));
	assert_true(tz_valid(NEW_YORK));
	assert_true(tz_valid("America/Argentina/Buenos_Aires"));
	assert_true(tz_valid("Etc/GMT+5"));
	assert_true(tz_valid("America/Port-au-Prince"));
	assert_false(tz_valid("Bogus/Zone"));
	assert_false(tz_valid("europe/oslo"));
	assert_false(tz_valid(""));
	assert_false(tz_valid(NULL));
	assert_false(tz_valid("../../../../etc/localtime"));
	assert_false(tz_valid("Europe/../Europe/Oslo"));
	assert_false(tz_valid("/usr/share/zoneinfo/Europe/Oslo"));
	assert_false(tz_valid("posix/Europe/Oslo"));
	assert_false(tz_valid("right/Europe/Oslo"));
	assert_false(tz_valid("Europe//Oslo"));
	assert_false(tz_valid("Europe/Oslo "));
	assert_false(tz_valid("localtime"));
	assert_false(tz_valid("Europe"));
	assert_false(tz_valid("zone.tab"));
}

static void
test_tz_for_country_gives_valid_zones(void **state)
{
	static const char *const countries[] = {"NO", "SE", "US", "JP", "AR",
						"UA", "GL", "SJ", "FO", "NZ"};

	(void)state;
	assert_string_equal(tz_for_country("NO"), OSLO);
	assert_string_equal(tz_for_country("US"), NEW_YORK);
	assert_null(tz_for_country("XX"));
	assert_null(tz_for_country(NULL));
	for (size_t i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		assert_true(tz_valid(tz_for_country(countries[i])));
}

/* libical's UTC -> offset lookup, which everything else rests on, right
 * around the 2025 changes in Oslo and the 2007 one in New York. */
static void
test_tz_libical_offset_of_utc_time_across_transitions(void **state)
{
	static const struct {
		const char *zone;
		const char *utc;
		int offset;
	} cases[] = {
	    {OSLO, "20250330T005959Z", 3600},
	    {OSLO, "20250330T010000Z", 7200},
	    {OSLO, "20251026T005959Z", 7200},
	    {OSLO, "20251026T010000Z", 3600},
	    {NEW_YORK, "20070311T065959Z", -5 * HOUR},
	    {NEW_YORK, "20070311T070000Z", -4 * HOUR},
	    {OSLO, "21990701T120000Z", 7200}, /* far future still has DST */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		icaltimezone *z =
		    icaltimezone_get_builtin_timezone(cases[i].zone);
		struct icaltimetype t = icaltime_from_string(cases[i].utc);

		assert_non_null(z);
		assert_int_equal(
		    icaltimezone_get_utc_offset_of_utc_time(z, &t, NULL),
		    cases[i].offset);
	}
	assert_int_equal(tz_offset_at(OSLO, at("2025-03-30T00:59:59Z")), 3600);
	assert_int_equal(tz_offset_at(OSLO, at("2025-03-30T01:00:00Z")), 7200);
	assert_int_equal(tz_offset_at(OSLO, at("2025-10-26T00:59:59Z")), 7200);
	assert_int_equal(tz_offset_at(OSLO, at("2025-10-26T01:00:00Z")), 3600);
	assert_int_equal(tz_offset_at("UTC", at("2025-07-01T00:00:00Z")), 0);
	assert_int_equal(tz_offset_at("Bogus/Zone", 0), 0);
	assert_int_equal(tz_offset_at(NULL, 0), 0);
	assert_int_equal(tz_offset_at("Asia/Kolkata", 0), 19800);
}

/* ics-dst-gap gap-2: 02:30 does not exist on 2025-03-30 in Oslo. */
static void
test_tz_gap_uses_offset_before_gap(void **state)
{
	enum tz_adjust how = TZ_EXACT;
	int64_t u;

	(void)state;
	u = resolve(OSLO, 2025, 3, 30, 2, 30, &how);
	assert_string_equal(utc_str(u), "2025-03-30T01:30:00Z");
	assert_int_equal(how, TZ_GAP_SHIFTED);
	assert_string_equal(local_str(OSLO, u), "2025-03-30T03:30:00+02:00");
	/* every minute of the missing hour moves forward by one hour */
	u = resolve(OSLO, 2025, 3, 30, 2, 0, &how);
	assert_string_equal(utc_str(u), "2025-03-30T01:00:00Z");
	assert_int_equal(how, TZ_GAP_SHIFTED);
	u = resolve(OSLO, 2025, 3, 30, 2, 59, &how);
	assert_string_equal(utc_str(u), "2025-03-30T01:59:00Z");
	assert_int_equal(how, TZ_GAP_SHIFTED);
}

/* ics-dst-gap gap-1, gap-3 and gap-4. */
static void
test_tz_gap_neighbours_are_exact(void **state)
{
	enum tz_adjust how = TZ_GAP_SHIFTED;
	struct tz_local l;
	struct av_error err = {0};
	int64_t start;
	int64_t end;
	int off = 0;

	(void)state;
	/* gap-1: 01:30 CET plus 60 minutes ends at 03:30 CEST */
	start = resolve(OSLO, 2025, 3, 30, 1, 30, &how);
	assert_int_equal(how, TZ_EXACT);
	assert_string_equal(utc_str(start), "2025-03-30T00:30:00Z");
	end = start + HOUR;
	assert_string_equal(utc_str(end), "2025-03-30T01:30:00Z");
	assert_int_equal(tz_utc_to_local(OSLO, end, &l, &off, &err), AV_OK);
	assert_int_equal(l.hour, 3);
	assert_int_equal(l.minute, 30);
	assert_int_equal(off, 7200);
	assert_string_equal(local_str(OSLO, end), "2025-03-30T03:30:00+02:00");
	/* gap-3: 03:30 CEST */
	start = resolve(OSLO, 2025, 3, 30, 3, 30, &how);
	assert_int_equal(how, TZ_EXACT);
	assert_string_equal(utc_str(start), "2025-03-30T01:30:00Z");
	/* gap-4: 02:30 (gap) to 03:30 is zero minutes, RFC-literally */
	start = resolve(OSLO, 2025, 3, 30, 2, 30, &how);
	assert_int_equal(how, TZ_GAP_SHIFTED);
	end = resolve(OSLO, 2025, 3, 30, 3, 30, &how);
	assert_int_equal(end - start, 0);
}

/* RFC 5545 3.3.5: TZID=America/New_York:20070311T023000 is 03:30 EDT,
 * i.e. 07:30Z. libical 3.0.16's own conversion says 06:30Z (libical#1402),
 * and ours must not. */
static void
test_tz_gap_rfc5545_example_and_libical_1402(void **state)
{
	icaltimezone *ny = icaltimezone_get_builtin_timezone(NEW_YORK);
	struct icaltimetype t = icaltime_from_string("20070311T023000");
	enum tz_adjust how = TZ_EXACT;
	int64_t u;
	int64_t lib;

	(void)state;
	u = resolve(NEW_YORK, 2007, 3, 11, 2, 30, &how);
	assert_string_equal(utc_str(u), "2007-03-11T07:30:00Z");
	assert_int_equal(how, TZ_GAP_SHIFTED);
	assert_string_equal(local_str(NEW_YORK, u),
			    "2007-03-11T03:30:00-04:00");
	/* gap-2 from the fixture, against the post-transition answer */
	u = resolve(OSLO, 2025, 3, 30, 2, 30, &how);
	assert_int_not_equal(u, at("2025-03-30T00:30:00Z"));
	assert_int_equal(u, at("2025-03-30T01:30:00Z"));

	assert_non_null(ny);
	t.zone = ny;
	t = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
	lib = at("2007-03-11T00:00:00Z") + t.hour * HOUR + t.minute * 60;
	if (lib != at("2007-03-11T07:30:00Z"))
		print_message("note: libical itself gives %s (libical#1402)\n",
			      utc_str(lib));
}

/* 2025-10-26 02:30 happens twice in Oslo: the first one is taken. */
static void
test_tz_repeated_hour_takes_first_occurrence(void **state)
{
	enum tz_adjust how = TZ_EXACT;
	struct tz_local l;
	struct av_error err = {0};
	int off = 0;
	int64_t u;

	(void)state;
	u = resolve(OSLO, 2025, 10, 26, 2, 30, &how);
	assert_string_equal(utc_str(u), "2025-10-26T00:30:00Z");
	assert_int_equal(how, TZ_AMBIGUOUS_FIRST);
	assert_string_equal(local_str(OSLO, u), "2025-10-26T02:30:00+02:00");
	/* the second 02:30 exists as an instant and displays as CET */
	assert_int_equal(tz_utc_to_local(OSLO, u + HOUR, &l, &off, &err),
			 AV_OK);
	assert_int_equal(l.hour, 2);
	assert_int_equal(l.minute, 30);
	assert_int_equal(off, 3600);
	assert_string_equal(local_str(OSLO, u + HOUR),
			    "2025-10-26T02:30:00+01:00");
	u = resolve(OSLO, 2025, 10, 26, 1, 59, &how);
	assert_int_equal(how, TZ_EXACT);
	assert_string_equal(utc_str(u), "2025-10-25T23:59:00Z");
	u = resolve(OSLO, 2025, 10, 26, 3, 0, &how);
	assert_int_equal(how, TZ_EXACT);
	assert_string_equal(utc_str(u), "2025-10-26T02:00:00Z");
}

/* Every quarter hour of 2025 in Oslo: back and forth gives the same wall
 * time, except the four in the gap (an hour later); four are repeated. */
static void
test_tz_round_trip_every_quarter_hour_of_2025(void **state)
{
	struct tz_local start = {2025, 1, 1, 0, 0, 0};
	int64_t w0 = tz_local_seconds(&start);
	int gaps = 0;
	int repeats = 0;

	(void)state;
	for (int64_t w = w0; w < w0 + 365 * 86400; w += 900) {
		struct tz_local l;
		struct tz_local back;
		struct av_error err = {0};
		enum tz_adjust how;
		int64_t u;

		tz_local_from_seconds(w, &l);
		assert_int_equal(tz_local_to_utc(OSLO, &l, &u, &how, &err),
				 AV_OK);
		assert_int_equal(tz_utc_to_local(OSLO, u, &back, NULL, &err),
				 AV_OK);
		if (how == TZ_GAP_SHIFTED) {
			gaps++;
			assert_int_equal(tz_local_seconds(&back), w + HOUR);
		} else {
			assert_int_equal(tz_local_seconds(&back), w);
		}
		if (how == TZ_AMBIGUOUS_FIRST)
			repeats++;
	}
	assert_int_equal(gaps, 4);
	assert_int_equal(repeats, 4);
}

static void
test_tz_add_days_keeps_wall_time_across_changes(void **state)
{
	struct av_error err = {0};
	int64_t u;
	int64_t out = 0;

	(void)state;
	/* October: 10:00 CEST + P1D = 10:00 CET, 25 hours later */
	u = resolve(OSLO, 2025, 10, 25, 10, 0, NULL);
	assert_int_equal(tz_add_days(OSLO, u, 1, &out, &err), AV_OK);
	assert_string_equal(utc_str(out), "2025-10-26T09:00:00Z");
	assert_int_equal(out - u, 25 * HOUR);
	/* March: 10:00 CET + P1D = 10:00 CEST, 23 hours later */
	u = resolve(OSLO, 2025, 3, 29, 10, 0, NULL);
	assert_int_equal(tz_add_days(OSLO, u, 1, &out, &err), AV_OK);
	assert_string_equal(utc_str(out), "2025-03-30T08:00:00Z");
	assert_int_equal(out - u, 23 * HOUR);
	/* and back */
	assert_int_equal(tz_add_days(OSLO, out, -1, &out, &err), AV_OK);
	assert_int_equal(out, u);
	/* landing in the gap: 02:30 the next day is read as 03:30 CEST */
	u = resolve(OSLO, 2025, 3, 29, 2, 30, NULL);
	assert_int_equal(tz_add_days(OSLO, u, 1, &out, &err), AV_OK);
	assert_string_equal(utc_str(out), "2025-03-30T01:30:00Z");
	/* a week across the change, UTC has no changes */
	u = resolve(OSLO, 2025, 3, 28, 9, 0, NULL);
	assert_int_equal(tz_add_days(OSLO, u, 7, &out, &err), AV_OK);
	assert_string_equal(local_str(OSLO, out), "2025-04-04T09:00:00+02:00");
	assert_int_equal(tz_add_days("UTC", u, 7, &out, &err), AV_OK);
	assert_int_equal(out - u, 7 * 24 * HOUR);
	assert_int_equal(tz_add_days(OSLO, u, 0, &out, &err), AV_OK);
	assert_int_equal(out, u);
	/* errors */
	assert_int_equal(tz_add_days("Bogus/Zone", u, 1, &out, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
	assert_int_equal(
	    tz_add_days(OSLO, at("2200-12-31T12:00:00Z"), 1, &out, &err),
	    AV_EINVAL);
	assert_string_equal(err.field, "start");
}

static void
test_tz_day_start_and_day_lengths(void **state)
{
	struct av_error err = {0};
	int64_t d30 = 0;
	int64_t d31 = 0;
	int64_t d26 = 0;
	int64_t d27 = 0;
	int64_t s = 0;
	struct tz_local l;

	(void)state;
	assert_int_equal(tz_day_start(OSLO, 2025, 3, 30, &d30, &err), AV_OK);
	assert_int_equal(tz_day_start(OSLO, 2025, 3, 31, &d31, &err), AV_OK);
	assert_string_equal(utc_str(d30), "2025-03-29T23:00:00Z");
	assert_string_equal(utc_str(d31), "2025-03-30T22:00:00Z");
	assert_int_equal(d31 - d30, 23 * HOUR);
	assert_int_equal(tz_day_start(OSLO, 2025, 10, 26, &d26, &err), AV_OK);
	assert_int_equal(tz_day_start(OSLO, 2025, 10, 27, &d27, &err), AV_OK);
	assert_int_equal(d27 - d26, 25 * HOUR);
	/* Santiago skips midnight: the day starts at 01:00 -03 */
	assert_int_equal(tz_day_start("America/Santiago", 2025, 9, 7, &s, &err),
			 AV_OK);
	assert_string_equal(utc_str(s), "2025-09-07T04:00:00Z");
	assert_int_equal(tz_utc_to_local("America/Santiago", s, &l, NULL, &err),
			 AV_OK);
	assert_int_equal(l.day, 7);
	assert_int_equal(l.hour, 1);
	/* errors */
	assert_int_equal(tz_day_start(OSLO, 2025, 2, 29, &s, &err), AV_EINVAL);
	assert_string_equal(err.field, "date");
	assert_int_equal(tz_day_start("Nowhere/Zone", 2025, 2, 28, &s, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
}

static void
test_tz_week_and_month_start(void **state)
{
	struct av_error err = {0};
	int64_t out = 0;

	(void)state;
	/* Sunday 2025-03-30 14:00 CEST: the week began Monday 24 in CET */
	assert_int_equal(
	    tz_week_start(OSLO, at("2025-03-30T12:00:00Z"), &out, &err), AV_OK);
	assert_string_equal(utc_str(out), "2025-03-23T23:00:00Z");
	/* a Monday's own start */
	assert_int_equal(
	    tz_week_start(OSLO, at("2025-03-31T08:00:00Z"), &out, &err), AV_OK);
	assert_string_equal(utc_str(out), "2025-03-30T22:00:00Z");
	/* 2025-03-31T22:30Z is 1 April 00:30 CEST in Oslo, still March UTC */
	assert_int_equal(
	    tz_month_start(OSLO, at("2025-03-31T22:30:00Z"), &out, &err),
	    AV_OK);
	assert_string_equal(utc_str(out), "2025-03-31T22:00:00Z");
	assert_int_equal(
	    tz_month_start(OSLO, at("2025-03-30T12:00:00Z"), &out, &err),
	    AV_OK);
	assert_string_equal(utc_str(out), "2025-02-28T23:00:00Z");
	assert_int_equal(
	    tz_month_start("UTC", at("2025-03-31T22:30:00Z"), &out, &err),
	    AV_OK);
	assert_string_equal(utc_str(out), "2025-03-01T00:00:00Z");
	/* the week of 2026-01-01 starts in 2025 */
	assert_int_equal(
	    tz_week_start(OSLO, at("2026-01-01T12:00:00Z"), &out, &err), AV_OK);
	assert_string_equal(utc_str(out), "2025-12-28T23:00:00Z");
}

static void
test_tz_iso_weeks_and_weekdays(void **state)
{
	static const struct {
		int y, m, d;
		int week;
		int iso_year;
		int weekday;
	} cases[] = {
	    {2025, 12, 29, 1, 2026, 1},	 {2021, 1, 3, 53, 2020, 7},
	    {2020, 12, 31, 53, 2020, 4}, {2026, 1, 1, 1, 2026, 4},
	    {2024, 12, 30, 1, 2025, 1},	 {2027, 1, 1, 53, 2026, 5},
	    {2025, 3, 30, 13, 2025, 7},	 {2025, 1, 1, 1, 2025, 3},
	    {1900, 1, 1, 1, 1900, 1},	 {2200, 12, 31, 1, 2201, 3},
	    {2008, 12, 28, 52, 2008, 7}, {2008, 12, 29, 1, 2009, 1},
	    {2010, 1, 3, 53, 2009, 7},	 {1970, 1, 1, 1, 1970, 4},
	};
	int iso_year = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
		    tz_iso_week(cases[i].y, cases[i].m, cases[i].d, &iso_year),
		    cases[i].week);
		assert_int_equal(iso_year, cases[i].iso_year);
		assert_int_equal(tz_weekday(cases[i].y, cases[i].m, cases[i].d),
				 cases[i].weekday);
	}
	assert_int_equal(tz_iso_week(2025, 2, 29, NULL), 0);
	assert_int_equal(tz_weekday(2025, 13, 1), 0);
	assert_int_equal(tz_iso_week(1899, 12, 31, NULL), 0);
	assert_true(tz_date_valid(2024, 2, 29));
	assert_false(tz_date_valid(2100, 2, 29));
	assert_true(tz_date_valid(2000, 2, 29));
}

/* Read DTSTART and DTEND of the floating-times fixture. */
static size_t
read_floating(struct tz_local *out, size_t max)
{
	FILE *f = fopen(FLOAT_ICS, "r");
	char line[256];
	size_t n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		const char *v = NULL;
		struct tz_local *l;

		if (strncmp(line, "DTSTART:", 8) == 0)
			v = line + 8;
		else if (strncmp(line, "DTEND:", 6) == 0)
			v = line + 6;
		if (!v || n == max)
			continue;
		l = &out[n++];
		assert_int_equal(sscanf(v, "%4d%2d%2dT%2d%2d%2d", &l->year,
					&l->month, &l->day, &l->hour,
					&l->minute, &l->second),
				 6);
	}
	fclose(f);
	return n;
}

/* ics-floating-time: owner's zone applied, and the process's TZ never
 * enters the computation. */
static void
test_tz_floating_times_in_owner_zone_under_any_process_tz(void **state)
{
	static const char *const oslo[] = {
	    "2026-03-16T08:00:00Z", "2026-03-16T09:00:00Z",
	    "2026-07-01T07:00:00Z", "2026-07-01T07:30:00Z"};
	static const char *const ny[] = {
	    "2026-03-16T13:00:00Z", "2026-03-16T14:00:00Z",
	    "2026-07-01T13:00:00Z", "2026-07-01T13:30:00Z"};
	static const char *const process_tz[] = {"UTC", "Asia/Tokyo",
						 "America/Los_Angeles"};
	const char *saved = getenv("TZ");
	char saved_copy[128] = "";
	struct tz_local times[4];

	(void)state;
	if (saved)
		snprintf(saved_copy, sizeof(saved_copy), "%s", saved);
	assert_int_equal(read_floating(times, 4), 4);
	for (size_t k = 0; k < sizeof(process_tz) / sizeof(process_tz[0]);
	     k++) {
		set_tz(process_tz[k]);
		for (size_t i = 0; i < 4; i++) {
			struct av_error err = {0};
			enum tz_adjust how;
			int64_t u = 0;

			assert_int_equal(
			    tz_local_to_utc(OSLO, &times[i], &u, &how, &err),
			    AV_OK);
			assert_string_equal(utc_str(u), oslo[i]);
			assert_int_equal(how, TZ_EXACT);
			assert_int_equal(tz_local_to_utc(NEW_YORK, &times[i],
							 &u, &how, &err),
					 AV_OK);
			assert_string_equal(utc_str(u), ny[i]);
		}
		/* and the rest of the module, too */
		assert_string_equal(
		    utc_str(resolve(OSLO, 2025, 3, 30, 2, 30, NULL)),
		    "2025-03-30T01:30:00Z");
		assert_string_equal(local_str(OSLO, at("2026-03-16T08:00:00Z")),
				    "2026-03-16T09:00:00+01:00");
		assert_int_equal(at("2026-03-16T09:00:00+01:00"),
				 at("2026-03-16T08:00:00Z"));
	}
	set_tz(saved ? saved_copy : NULL);
}

static void
test_tz_format_utc_and_rfc3339(void **state)
{
	char buf[TZ_RFC3339_SIZE];
	char small[10];

	(void)state;
	assert_true(tz_format_utc(1743298200, buf, sizeof(buf)));
	assert_string_equal(buf, "2025-03-30T01:30:00Z");
	assert_true(tz_format_utc(0, buf, sizeof(buf)));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_true(tz_format_utc(-1, buf, sizeof(buf)));
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_true(tz_format_rfc3339(OSLO, 1743298200, buf, sizeof(buf)));
	assert_string_equal(buf, "2025-03-30T03:30:00+02:00");
	assert_true(tz_format_rfc3339("UTC", 1743298200, buf, sizeof(buf)));
	assert_string_equal(buf, "2025-03-30T01:30:00Z");
	assert_true(tz_format_rfc3339(
	    "Europe/London", at("2025-01-10T12:00:00Z"), buf, sizeof(buf)));
	assert_string_equal(buf, "2025-01-10T12:00:00+00:00");
	assert_true(tz_format_rfc3339("Asia/Kolkata", 0, buf, sizeof(buf)));
	assert_string_equal(buf, "1970-01-01T05:30:00+05:30");
	assert_true(tz_format_rfc3339(NEW_YORK, 0, buf, sizeof(buf)));
	assert_string_equal(buf, "1969-12-31T19:00:00-05:00");
	/* too small, unknown zone, out of range: false and empty */
	assert_false(tz_format_rfc3339(OSLO, 0, small, sizeof(small)));
	assert_string_equal(small, "");
	assert_false(tz_format_utc(0, small, sizeof(small)));
	assert_false(tz_format_rfc3339("Bogus/Zone", 0, buf, sizeof(buf)));
	assert_string_equal(buf, "");
	assert_false(tz_format_utc(INT64_MAX, buf, sizeof(buf)));
	assert_false(tz_format_utc(INT64_MIN, buf, sizeof(buf)));
	assert_true(
	    tz_format_utc(at("2200-12-31T23:59:59Z"), buf, TZ_UTC_SIZE));
	assert_string_equal(buf, "2200-12-31T23:59:59Z");
}

static void
test_tz_parse_instant_forms(void **state)
{
	struct av_error err = {0};
	enum tz_adjust how = TZ_GAP_SHIFTED;
	int64_t u = 0;

	(void)state;
	assert_int_equal(at("2025-03-30T01:30:00Z"), 1743298200);
	assert_int_equal(at("2025-03-30T03:30:00+02:00"), 1743298200);
	assert_int_equal(at("2025-03-29T21:30:00-04:00"), 1743298200);
	assert_int_equal(at("2025-03-30t01:30:00z"), 1743298200);
	assert_int_equal(at("2025-03-30T01:30:00.999Z"), 1743298200);
	assert_int_equal(at("2025-03-30T01:30Z"), 1743298200);
	assert_int_equal(at("2025-03-30 01:30:00Z"), 1743298200);
	assert_int_equal(at("2025-03-30T01:30:00-00:00"), 1743298200);
	/* no offset: wall time in the default zone */
	assert_int_equal(
	    tz_parse_instant("2025-03-30 02:30", "start", OSLO, &u, &how, &err),
	    AV_OK);
	assert_string_equal(utc_str(u), "2025-03-30T01:30:00Z");
	assert_int_equal(how, TZ_GAP_SHIFTED);
	assert_int_equal(tz_parse_instant("2025-10-26T02:30:00", "start", OSLO,
					  &u, &how, &err),
			 AV_OK);
	assert_string_equal(utc_str(u), "2025-10-26T00:30:00Z");
	assert_int_equal(how, TZ_AMBIGUOUS_FIRST);
	assert_int_equal(
	    tz_parse_instant("2025-03-30", "date", OSLO, &u, &how, &err),
	    AV_OK);
	assert_string_equal(utc_str(u), "2025-03-29T23:00:00Z");
	assert_int_equal(how, TZ_EXACT);
	/* an explicit offset needs no zone */
	assert_int_equal(tz_parse_instant("2025-03-30T03:30:00+02:00", "start",
					  NULL, &u, NULL, &err),
			 AV_OK);
	assert_int_equal(u, 1743298200);
	/* without one, the zone must be known */
	assert_int_equal(tz_parse_instant("2025-03-30 03:30", "start",
					  "Bogus/Zone", &u, &how, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
	assert_int_equal(
	    tz_parse_instant("2025-03-30 03:30", "start", NULL, &u, &how, &err),
	    AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
}

static void
test_tz_rfc3339_round_trips(void **state)
{
	static const char *const zones[] = {
	    OSLO, NEW_YORK, "UTC", "Asia/Kolkata", "Australia/Adelaide"};
	int64_t first = at("2025-01-01T00:00:00Z");

	(void)state;
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		for (int64_t u = first; u < first + 366 * 86400; u += 7919) {
			char buf[TZ_RFC3339_SIZE];
			struct av_error err = {0};
			enum tz_adjust how;
			int64_t back = 0;

			assert_true(
			    tz_format_rfc3339(zones[z], u, buf, sizeof(buf)));
			assert_int_equal(tz_parse_instant(buf, "start", "UTC",
							  &back, &how, &err),
					 AV_OK);
			assert_int_equal(back, u);
		}
	}
}

static void
test_tz_parse_local_forms(void **state)
{
	struct tz_local l;
	struct av_error err = {0};

	(void)state;
	assert_int_equal(tz_parse_local("2025-03-30 02:30", "start", &l, &err),
			 AV_OK);
	assert_int_equal(l.year, 2025);
	assert_int_equal(l.month, 3);
	assert_int_equal(l.day, 30);
	assert_int_equal(l.hour, 2);
	assert_int_equal(l.minute, 30);
	assert_int_equal(l.second, 0);
	assert_int_equal(
	    tz_parse_local("2025-03-30T02:30:45", "start", &l, &err), AV_OK);
	assert_int_equal(l.second, 45);
	assert_int_equal(tz_parse_local("2025-03-30", "start", &l, &err),
			 AV_OK);
	assert_int_equal(l.hour, 0);
	assert_int_equal(l.minute, 0);
	assert_int_equal(tz_parse_local("1900-01-01 00:00", "start", &l, &err),
			 AV_OK);
	assert_int_equal(
	    tz_parse_local("2200-12-31 23:59:59", "start", &l, &err), AV_OK);
	assert_int_equal(tz_parse_local("2024-02-29", "start", &l, &err),
			 AV_OK);
}

static void
test_tz_parse_rejects_bad_text(void **state)
{
	static const struct {
		const char *text;
		const char *msg_part;
	} bad[] = {
	    {"2025-02-30 10:00", "day 30 out of range for 2025-02"},
	    {"2025-02-29", "day 29"},
	    {"2100-02-29", "day 29"},
	    {"2025-13-01", "month 13"},
	    {"2025-00-10", "month 00"},
	    {"2025-01-00", "day 00"},
	    {"2025-01-01 24:00", "hour 24"},
	    {"2025-01-01 10:60", "minute 60"},
	    {"2025-01-01 10:59:60", "second 60"},
	    {"1899-12-31", "year 1899 out of range 1900..2200"},
	    {"2201-01-01", "year 2201"},
	    {"0000-01-01", "year 0"},
	    {"2025-1-01", "expected YYYY-MM-DD"},
	    {"25-01-01", "expected YYYY-MM-DD"},
	    {" 2025-01-01", "expected YYYY-MM-DD"},
	    {"2025/01/01", "expected YYYY-MM-DD"},
	    {"2025-01-01 10", "expected HH:MM"},
	    {"2025-01-01 10:5", "expected HH:MM"},
	    {"2025-01-01T", "expected HH:MM"},
	    {"2025-01-01 10:00 ", "unexpected text"},
	    {"2025-01-01 10:00junk", "unexpected text"},
	    {"2025-01-01 10:00:0", "seconds"},
	    {"2025-01-01 10:00:00.", "fraction"},
	    {"2025-01-01 10:00:00.1234567890", "fraction"},
	    {"2025-01-01\n", "unexpected text"},
	    {"garbage", "expected YYYY-MM-DD"},
	    {"", "missing"},
	};
	struct tz_local l = {1, 2, 3, 4, 5, 6};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct av_error err = {0};

		assert_int_equal(tz_parse_local(bad[i].text, "start", &l, &err),
				 AV_EINVAL);
		assert_string_equal(err.field, "start");
		if (!strstr(err.msg, bad[i].msg_part))
			fail_msg("'%s': message '%s' lacks '%s'", bad[i].text,
				 err.msg, bad[i].msg_part);
		/* the same text is no instant either */
		assert_int_equal(tz_parse_instant(bad[i].text, "end", OSLO,
						  &(int64_t){0}, NULL, &err),
				 AV_EINVAL);
		assert_string_equal(err.field, "end");
	}
	/* nothing was written */
	assert_int_equal(l.year, 1);
	assert_int_equal(l.second, 6);
	{
		struct av_error err = {0};

		assert_int_equal(tz_parse_local(NULL, "start", &l, &err),
				 AV_EINVAL);
	}
}

static void
test_tz_parse_instant_rejects_bad_offsets(void **state)
{
	static const char *const bad[] = {
	    "2025-01-01T10:00+2:00",   "2025-01-01T10:00+0200",
	    "2025-01-01T10:00+24:00",  "2025-01-01T10:00+02:60",
	    "2025-01-01T10:00+02",     "2025-01-01T10:00Z ",
	    "2025-01-01T10:00ZZ",      "2025-01-01Z",
	    "2025-01-01+01:00",	       "2025-01-01T10:00 +01:00",
	    "2025-01-01T10:00+01:00x",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct av_error err = {0};
		int64_t u = 42;

		assert_int_equal(
		    tz_parse_instant(bad[i], "start", OSLO, &u, NULL, &err),
		    AV_EINVAL);
		assert_string_equal(err.field, "start");
		assert_int_equal(u, 42);
	}
}

static void
test_tz_conversion_errors_name_fields(void **state)
{
	struct tz_local feb30 = {2025, 2, 30, 10, 0, 0};
	struct tz_local h24 = {2025, 2, 3, 24, 0, 0};
	struct tz_local ok = {2025, 2, 3, 10, 0, 0};
	struct tz_local early = {1800, 1, 1, 0, 0, 0};
	struct av_error err = {0};
	struct tz_local l;
	int64_t u = 7;

	(void)state;
	assert_int_equal(tz_local_to_utc("Bogus/Zone", &ok, &u, NULL, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
	assert_non_null(strstr(err.msg, "Bogus/Zone"));
	assert_int_equal(tz_local_to_utc(OSLO, &feb30, &u, NULL, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "start");
	assert_non_null(strstr(err.msg, "2025-02-30"));
	assert_int_equal(tz_local_to_utc(OSLO, &h24, &u, NULL, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "start");
	assert_int_equal(tz_local_to_utc(OSLO, &early, &u, NULL, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "start");
	assert_int_equal(u, 7);
	assert_int_equal(tz_utc_to_local("Bogus/Zone", 0, &l, NULL, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "time_zone");
	assert_int_equal(tz_utc_to_local(OSLO, INT64_MAX, &l, NULL, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "start");
	assert_int_equal(tz_utc_to_local(OSLO, INT64_MIN, &l, NULL, &err),
			 AV_EINVAL);
	/* control bytes in a zone name never reach the message */
	assert_int_equal(
	    tz_local_to_utc("Bad\n\"Zone\x01", &ok, &u, NULL, &err), AV_EINVAL);
	assert_null(strchr(err.msg, '\n'));
	assert_null(strchr(err.msg, '\x01'));
}

/* Four threads convert in many zones at once, starting from an empty
 * libical zone cache so that lazy zone loading races too; US/Pacific and
 * Etc/GMT-3 are not in zone.tab, so libical appends them on first use. */
static const char *const thread_zones[] = {
    "Australia/Sydney",	   "America/Sao_Paulo", "Asia/Kolkata",
    "Pacific/Auckland",	   "Africa/Cairo",	"America/Los_Angeles",
    "Europe/London",	   "Asia/Tehran",	"America/Santiago",
    "Europe/Berlin",	   "America/Chicago",	"Asia/Tokyo",
    "Pacific/Chatham",	   "America/Halifax",	"Europe/Helsinki",
    "Australia/Lord_Howe", "US/Pacific",	"Etc/GMT-3",
    "Asia/Kathmandu",	   "America/St_Johns",
};
#define N_THREAD_ZONES (sizeof(thread_zones) / sizeof(thread_zones[0]))
#define N_INSTANTS     400

struct thread_job {
	size_t first_zone;			 /* where to start */
	int64_t out[N_THREAD_ZONES][N_INSTANTS]; /* local -> utc */
	int offsets[N_THREAD_ZONES][N_INSTANTS]; /* offset at utc */
	int failures;				 /* round-trip misses */
};

static int64_t
thread_instant(size_t i)
{
	/* spread over 2024-2026 with an odd step */
	return 1704067200 + (int64_t)i * 236519;
}

static void *
thread_main(void *arg)
{
	struct thread_job *job = arg;

	for (size_t k = 0; k < N_THREAD_ZONES; k++) {
		size_t z = (job->first_zone + k) % N_THREAD_ZONES;

		for (size_t i = 0; i < N_INSTANTS; i++) {
			struct av_error err = {0};
			struct tz_local l;
			enum tz_adjust how;
			int64_t u = thread_instant(i);
			int64_t back = 0;
			int off = 0;

			if (tz_utc_to_local(thread_zones[z], u, &l, &off,
					    &err) != AV_OK ||
			    tz_local_to_utc(thread_zones[z], &l, &back, &how,
					    &err) != AV_OK)
				job->failures++;
			else if (back != u && how != TZ_AMBIGUOUS_FIRST)
				job->failures++;
			job->out[z][i] = back;
			job->offsets[z][i] = off;
		}
	}
	return NULL;
}

static void
test_tz_four_threads_agree_with_one(void **state)
{
	static struct thread_job jobs[N_THREADS];
	pthread_t th[N_THREADS];

	(void)state;
	tz_free_zones();
	for (size_t t = 0; t < N_THREADS; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].first_zone = t * (N_THREAD_ZONES / N_THREADS);
		assert_int_equal(
		    pthread_create(&th[t], NULL, thread_main, &jobs[t]), 0);
	}
	for (size_t t = 0; t < N_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	for (size_t t = 0; t < N_THREADS; t++) {
		assert_int_equal(jobs[t].failures, 0);
		for (size_t z = 0; z < N_THREAD_ZONES; z++)
			for (size_t i = 0; i < N_INSTANTS; i++) {
				int64_t u = thread_instant(i);

				assert_int_equal(
				    jobs[t].offsets[z][i],
				    tz_offset_at(thread_zones[z], u));
				assert_int_equal(jobs[t].out[z][i],
						 jobs[0].out[z][i]);
			}
	}
}

/* After tz_free_zones the module loads zones again. */
static void
test_tz_works_after_free_zones(void **state)
{
	(void)state;
	assert_true(tz_valid(OSLO));
	tz_free_zones();
	assert_true(tz_valid(OSLO));
	assert_string_equal(utc_str(resolve(OSLO, 2025, 3, 30, 2, 30, NULL)),
			    "2025-03-30T01:30:00Z");
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
	    cmocka_unit_test(test_tz_valid_keeps_known_zones_and_refuses_paths),
	    cmocka_unit_test(test_tz_for_country_gives_valid_zones),
	    cmocka_unit_test(
		test_tz_libical_offset_of_utc_time_across_transitions),
	    cmocka_unit_test(test_tz_gap_uses_offset_before_gap),
	    cmocka_unit_test(test_tz_gap_neighbours_are_exact),
	    cmocka_unit_test(test_tz_gap_rfc5545_example_and_libical_1402),
	    cmocka_unit_test(test_tz_repeated_hour_takes_first_occurrence),
	    cmocka_unit_test(test_tz_round_trip_every_quarter_hour_of_2025),
	    cmocka_unit_test(test_tz_add_days_keeps_wall_time_across_changes),
	    cmocka_unit_test(test_tz_day_start_and_day_lengths),
	    cmocka_unit_test(test_tz_week_and_month_start),
	    cmocka_unit_test(test_tz_iso_weeks_and_weekdays),
	    cmocka_unit_test(
		test_tz_floating_times_in_owner_zone_under_any_process_tz),
	    cmocka_unit_test(test_tz_format_utc_and_rfc3339),
	    cmocka_unit_test(test_tz_parse_instant_forms),
	    cmocka_unit_test(test_tz_rfc3339_round_trips),
	    cmocka_unit_test(test_tz_parse_local_forms),
	    cmocka_unit_test(test_tz_parse_rejects_bad_text),
	    cmocka_unit_test(test_tz_parse_instant_rejects_bad_offsets),
	    cmocka_unit_test(test_tz_conversion_errors_name_fields),
	    cmocka_unit_test(test_tz_four_threads_agree_with_one),
	    cmocka_unit_test(test_tz_works_after_free_zones),
	};

	return cmocka_run_group_tests(tests, NULL, teardown_group);
}
