/* SPDX-License-Identifier: MIT */
/*
 * Time zone conversions through libical's built-in zone database. libical
 * is asked only for the offset in force at a UTC instant; calendar
 * arithmetic (days_from_civil) and the local -> UTC resolution of gaps and
 * repeated hours are done here. Never reads TZ, localtime or mktime.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "core/tz.h"

#include "core/banned.h"

#define DAY_S		86400
#define ZONE_NAME_MAX	64 /* longest IANA name is 32 bytes */
#define ZONE_CACHE_SIZE 64 /* per thread, direct-mapped by name hash */
#define QUOTE_MAX	40 /* bytes of user text echoed in a message */
#define ADD_DAYS_MAX	(400 * 366)

/* One cached name -> zone lookup. */
struct zone_slot {
	unsigned gen;		  /* zone_gen when filled; 0 = empty */
	icaltimezone *zone;	  /* borrowed from libical's built-in array */
	char name[ZONE_NAME_MAX]; /* the name looked up, NUL-terminated */
};

/* Each thread caches its own lookups, so a hit takes no lock. tz_free_zones
 * bumps the generation, which empties every thread's cache at once. */
static _Thread_local struct zone_slot zone_cache[ZONE_CACHE_SIZE];
static atomic_uint zone_gen = 1;

/*
 * Held around every libical built-in zone lookup and first load. libical
 * 3.0.16 searches its zone array without a lock while loading a zone
 * rewrites that zone's location string (a use-after-free under
 * ThreadSanitizer) and appends zones missing from zone.tab to the array;
 * its own locks cover only the loading and the offset tables. A zone is
 * loaded here, under this lock, before any thread can cache it, so the
 * offset lookups that follow never load anything.
 */
static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- calendar arithmetic (proleptic Gregorian, no zones) ---- */

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

/* Days since 1970-01-01 of a valid date (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	int64_t yoe;
	int64_t doy;
	int64_t doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The inverse of days_from_civil. */
static void
civil_from_days(int64_t z, int *y_out, int *m_out, int *d_out)
{
	int64_t era;
	int64_t doe;
	int64_t yoe;
	int64_t doy;
	int64_t mp;
	int64_t y;
	int m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*d_out = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m_out = m;
	*y_out = (int)(y + (m <= 2));
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* ISO weekday (1 = Monday) of a day count; 1970-01-01 was a Thursday. */
static int
weekday_of_days(int64_t z)
{
	int64_t r = ((z % 7) + 7) % 7;

	return (int)((r + 3) % 7) + 1;
}

/* First and one-past-last supported instants: UTC dates 1899-12-31 to
 * 2201-01-01, a day beyond the wall-time years on each side. */
static int64_t
span_min(void)
{
	return days_from_civil(TZ_YEAR_MIN - 1, 12, 31) * DAY_S;
}

static int64_t
span_end(void)
{
	return days_from_civil(TZ_YEAR_MAX + 1, 1, 2) * DAY_S;
}

static bool
in_span(int64_t utc)
{
	return utc >= span_min() && utc < span_end();
}

bool
tz_date_valid(int year, int month, int day)
{
	if (year < TZ_YEAR_MIN || year > TZ_YEAR_MAX)
		return false;
	if (month < 1 || month > 12)
		return false;
	return day >= 1 && day <= days_in_month(year, month);
}

bool
tz_local_valid(const struct tz_local *l)
{
	if (!l || !tz_date_valid(l->year, l->month, l->day))
		return false;
	return l->hour >= 0 && l->hour <= 23 && l->minute >= 0 &&
	       l->minute <= 59 && l->second >= 0 && l->second <= 59;
}

int64_t
tz_local_seconds(const struct tz_local *l)
{
	return days_from_civil(l->year, l->month, l->day) * DAY_S +
	       (int64_t)l->hour * 3600 + (int64_t)l->minute * 60 + l->second;
}

void
tz_local_from_seconds(int64_t s, struct tz_local *out)
{
	int64_t days = floor_div(s, DAY_S);
	int64_t rem = s - days * DAY_S;

	civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(rem / 3600);
	out->minute = (int)(rem % 3600 / 60);
	out->second = (int)(rem % 60);
}

int
tz_weekday(int year, int month, int day)
{
	if (!tz_date_valid(year, month, day))
		return 0;
	return weekday_of_days(days_from_civil(year, month, day));
}

/* 53 if ISO year 'y' has 53 weeks: it starts on a Thursday, or is a leap
 * year starting on a Wednesday. */
static int
iso_weeks_in_year(int64_t y)
{
	int jan1 = weekday_of_days(days_from_civil(y, 1, 1));

	if (jan1 == 4 || (jan1 == 3 && is_leap(y)))
		return 53;
	return 52;
}

int
tz_iso_week(int year, int month, int day, int *iso_year_out)
{
	int64_t doy;
	int64_t week;
	int wd;
	int iso_year = year;

	if (!tz_date_valid(year, month, day))
		return 0;
	wd = tz_weekday(year, month, day);
	doy =
	    days_from_civil(year, month, day) - days_from_civil(year, 1, 1) + 1;
	week = (doy - wd + 10) / 7;
	if (week < 1) {
		iso_year = year - 1;
		week = iso_weeks_in_year(iso_year);
	} else if (week > iso_weeks_in_year(year)) {
		iso_year = year + 1;
		week = 1;
	}
	if (iso_year_out)
		*iso_year_out = iso_year;
	return (int)week;
}

/* ---- zones ---- */

/* A plain IANA name: letters first, then letters, digits, '_', '+', '-'
 * and single '/' between non-empty components; not in the "posix/" or
 * "right/" trees, and not "localtime" (the host's zone) or "posixrules".
 * Keeps libical from opening arbitrary paths under the zoneinfo directory,
 * each of which it would keep in memory for good. */
static bool
name_ok(const char *name)
{
	size_t len;
	char prev = '/';

	if (!name)
		return false;
	len = strlen(name);
	if (len == 0 || len >= ZONE_NAME_MAX)
		return false;
	if (strncmp(name, "posix/", 6) == 0 ||
	    strncmp(name, "right/", 6) == 0 || strcmp(name, "localtime") == 0 ||
	    strcmp(name, "posixrules") == 0)
		return false;
	if (!((name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= 'a' && name[0] <= 'z')))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && c != '_' && c != '+' && c != '-' && c != '/')
			return false;
		if (c == '/' && prev == '/')
			return false;
		prev = c;
	}
	return prev != '/';
}

static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The libical zone for 'name', or NULL. The result is borrowed from
 * libical and stays valid until tz_free_zones. */
static icaltimezone *
zone_get(const char *name)
{
	struct zone_slot *slot;
	icaltimezone *zone;
	unsigned gen;

	if (!name_ok(name))
		return NULL;
	if (strcmp(name, "UTC") == 0)
		return icaltimezone_get_utc_timezone();
	gen = atomic_load_explicit(&zone_gen, memory_order_acquire);
	slot = &zone_cache[name_hash(name) % ZONE_CACHE_SIZE];
	if (slot->gen == gen && strcmp(slot->name, name) == 0)
		return slot->zone;
	pthread_mutex_lock(&zone_lock);
	zone = icaltimezone_get_builtin_timezone(name);
	if (zone)
		(void)icaltimezone_get_component(zone); /* loads it */
	pthread_mutex_unlock(&zone_lock);
	if (!zone)
		return NULL;
	slot->gen = gen;
	slot->zone = zone;
	memcpy(slot->name, name, strlen(name) + 1);
	return zone;
}

void
tz_free_zones(void)
{
	pthread_mutex_lock(&zone_lock);
	atomic_fetch_add_explicit(&zone_gen, 1, memory_order_acq_rel);
	icaltimezone_free_builtin_timezones();
	pthread_mutex_unlock(&zone_lock);
}

/* Offset east of UTC in force at 'utc', clamped to the supported span. */
static int
zone_offset(icaltimezone *zone, int64_t utc)
{
	struct icaltimetype tt = icaltime_null_time();
	struct tz_local f;

	if (zone == icaltimezone_get_utc_timezone())
		return 0;
	if (utc < span_min())
		utc = span_min();
	if (utc >= span_end())
		utc = span_end() - 1;
	tz_local_from_seconds(utc, &f);
	tt.year = f.year;
	tt.month = f.month;
	tt.day = f.day;
	tt.hour = f.hour;
	tt.minute = f.minute;
	tt.second = f.second;
	tt.is_date = 0;
	tt.zone = icaltimezone_get_utc_timezone();
	return icaltimezone_get_utc_offset_of_utc_time(zone, &tt, NULL);
}

/*
 * Resolve the wall time 'wall' (tz_local_seconds form) in 'zone'. Any
 * instant showing that wall time is wall - o for an offset o in force
 * within a day of it, so the candidates are the offsets a day before and
 * after, and those at the instants they point to; a candidate counts when
 * the offset at its instant is the one it assumed. None: a gap, read with
 * the offset before it. Several: a repeated hour, take the earliest.
 */
static void
resolve(icaltimezone *zone, int64_t wall, int64_t *utc_out,
	enum tz_adjust *how_out)
{
	int cand[4] = {0};
	size_t n_cand = 0;
	int o_before = zone_offset(zone, wall - DAY_S);
	int o_after = zone_offset(zone, wall + DAY_S);
	int probe[4];
	size_t n_valid = 0;
	int64_t best = 0;

	probe[0] = o_before;
	probe[1] = o_after;
	probe[2] = zone_offset(zone, wall - o_before);
	probe[3] = zone_offset(zone, wall - o_after);
	for (size_t i = 0; i < 4; i++) {
		bool seen = false;

		for (size_t j = 0; j < n_cand; j++)
			if (cand[j] == probe[i])
				seen = true;
		if (!seen)
			cand[n_cand++] = probe[i];
	}
	for (size_t i = 0; i < n_cand; i++) {
		int64_t u = wall - cand[i];

		if (zone_offset(zone, u) != cand[i])
			continue;
		if (n_valid == 0 || u < best)
			best = u;
		n_valid++;
	}
	if (n_valid == 0) {
		*utc_out = wall - o_before;
		*how_out = TZ_GAP_SHIFTED;
	} else {
		*utc_out = best;
		*how_out = n_valid == 1 ? TZ_EXACT : TZ_AMBIGUOUS_FIRST;
	}
}

/* Copy at most QUOTE_MAX bytes of user text 's' into 'buf' for a message:
 * printable ASCII only, anything else (and quotes) shown as '?'. */
static void
quote(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	size_t i;

	for (i = 0; i < QUOTE_MAX && s[i] && n + 4 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\'')
			buf[n++] = s[i];
		else
			buf[n++] = '?';
	}
	if (s[i] && n + 4 <= size) {
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n] = '\0';
}

static enum av_err
zone_error(struct av_error *err, const char *zone)
{
	char q[QUOTE_MAX + 8];

	if (!zone)
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "missing time zone");
	quote(zone, q, sizeof(q));
	return av_field_errorf(err, AV_EINVAL, "time_zone",
			       "unknown time zone '%s'", q);
}

/* ---- conversions ---- */

bool
tz_valid(const char *name)
{
	return zone_get(name) != NULL;
}

int
tz_offset_at(const char *zone, int64_t utc)
{
	icaltimezone *z = zone_get(zone);

	return z ? zone_offset(z, utc) : 0;
}

/* tz_local_to_utc once the zone is known: the one local -> UTC path. */
static enum av_err
local_to_utc(icaltimezone *z, const struct tz_local *l, int64_t *utc_out,
	     enum tz_adjust *how_out, struct av_error *err)
{
	enum tz_adjust how;
	int64_t utc;

	if (!l)
		return av_field_errorf(err, AV_EINVAL, "start", "missing time");
	if (!tz_date_valid(l->year, l->month, l->day))
		return av_field_errorf(err, AV_EINVAL, "start",
				       "date %04d-%02d-%02d does not exist",
				       l->year, l->month, l->day);
	if (!tz_local_valid(l))
		return av_field_errorf(err, AV_EINVAL, "start",
				       "time %02d:%02d:%02d out of range",
				       l->hour, l->minute, l->second);
	resolve(z, tz_local_seconds(l), &utc, &how);
	*utc_out = utc;
	if (how_out)
		*how_out = how;
	return AV_OK;
}

enum av_err
tz_local_to_utc(const char *zone, const struct tz_local *l, int64_t *utc_out,
		enum tz_adjust *how_out, struct av_error *err)
{
	icaltimezone *z = zone_get(zone);

	if (!z)
		return zone_error(err, zone);
	return local_to_utc(z, l, utc_out, how_out, err);
}

enum av_err
tz_file_local_to_utc(struct _icaltimezone *zone, const struct tz_local *l,
		     int64_t *utc_out, enum tz_adjust *how_out,
		     struct av_error *err)
{
	if (!zone)
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "no time zone definition");
	return local_to_utc(zone, l, utc_out, how_out, err);
}

int
tz_file_offset_at(struct _icaltimezone *zone, int64_t utc)
{
	return zone ? zone_offset(zone, utc) : 0;
}

struct icalcomponent_impl *
tz_vtimezone_new(const char *zone)
{
	icaltimezone *z;
	icalcomponent *c = NULL;
	icalproperty *p;

	if (!zone || strcmp(zone, "UTC") == 0 || !(z = zone_get(zone)))
		return NULL;
	pthread_mutex_lock(&zone_lock);
	if (icaltimezone_get_component(z))
		c = icalcomponent_new_clone(icaltimezone_get_component(z));
	pthread_mutex_unlock(&zone_lock);
	if (!c)
		return NULL;
	/* libical names its zones "/freeassociation.sourceforge.net/..."; a
	 * feed names them by their IANA name, as Outlook and Google expect */
	p = icalcomponent_get_first_property(c, ICAL_TZID_PROPERTY);
	if (p)
		icalproperty_set_tzid(p, zone);
	else
		icalcomponent_add_property(c, icalproperty_new_tzid(zone));
	return c;
}

enum av_err
tz_utc_to_local(const char *zone, int64_t utc, struct tz_local *out,
		int *offset_s_out, struct av_error *err)
{
	icaltimezone *z = zone_get(zone);
	int off;

	if (!z)
		return zone_error(err, zone);
	if (!in_span(utc))
		return av_field_errorf(err, AV_EINVAL, "start",
				       "instant %lld out of range",
				       (long long)utc);
	off = zone_offset(z, utc);
	tz_local_from_seconds(utc + off, out);
	if (offset_s_out)
		*offset_s_out = off;
	return AV_OK;
}

enum av_err
tz_add_days(const char *zone, int64_t utc, int days, int64_t *out,
	    struct av_error *err)
{
	struct tz_local l = {0, 0, 0, 0, 0, 0};
	enum tz_adjust how;
	enum av_err rc;

	rc = tz_utc_to_local(zone, utc, &l, NULL, err);
	if (rc != AV_OK)
		return rc;
	if (days == 0) {
		*out = utc;
		return AV_OK;
	}
	if (days > ADD_DAYS_MAX || days < -ADD_DAYS_MAX)
		return av_field_errorf(err, AV_EINVAL, "start",
				       "%d days out of range", days);
	tz_local_from_seconds(tz_local_seconds(&l) + (int64_t)days * DAY_S, &l);
	if (!tz_local_valid(&l))
		return av_field_errorf(err, AV_EINVAL, "start",
				       "result year %d out of range %d..%d",
				       l.year, TZ_YEAR_MIN, TZ_YEAR_MAX);
	return tz_local_to_utc(zone, &l, out, &how, err);
}

enum av_err
tz_day_start(const char *zone, int year, int month, int day, int64_t *out,
	     struct av_error *err)
{
	struct tz_local l = {year, month, day, 0, 0, 0};

	if (!zone_get(zone))
		return zone_error(err, zone);
	if (!tz_date_valid(year, month, day))
		return av_field_errorf(err, AV_EINVAL, "date",
				       "date %04d-%02d-%02d does not exist",
				       year, month, day);
	return tz_local_to_utc(zone, &l, out, NULL, err);
}

enum av_err
tz_week_start(const char *zone, int64_t utc, int64_t *out, struct av_error *err)
{
	struct tz_local l = {0, 0, 0, 0, 0, 0};
	enum av_err rc;
	int64_t days;

	rc = tz_utc_to_local(zone, utc, &l, NULL, err);
	if (rc != AV_OK)
		return rc;
	days = days_from_civil(l.year, l.month, l.day);
	days -= weekday_of_days(days) - 1;
	civil_from_days(days, &l.year, &l.month, &l.day);
	return tz_day_start(zone, l.year, l.month, l.day, out, err);
}

enum av_err
tz_month_start(const char *zone, int64_t utc, int64_t *out,
	       struct av_error *err)
{
	struct tz_local l = {0, 0, 0, 0, 0, 0};
	enum av_err rc;

	rc = tz_utc_to_local(zone, utc, &l, NULL, err);
	if (rc != AV_OK)
		return rc;
	return tz_day_start(zone, l.year, l.month, 1, out, err);
}

/* ---- formatting ---- */

static bool
put(char *buf, size_t size, const char *text, int len)
{
	if (len < 0 || (size_t)len >= size) {
		if (size > 0)
			buf[0] = '\0';
		return false;
	}
	memcpy(buf, text, (size_t)len + 1);
	return true;
}

bool
tz_format_utc(int64_t utc, char *buf, size_t size)
{
	struct tz_local l;
	char tmp[64];
	int len;

	if (!buf)
		return false;
	if (!in_span(utc))
		return put(buf, size, "", -1);
	tz_local_from_seconds(utc, &l);
	len = snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		       l.year, l.month, l.day, l.hour, l.minute, l.second);
	return put(buf, size, tmp, len);
}

bool
tz_format_rfc3339(const char *zone, int64_t utc, char *buf, size_t size)
{
	icaltimezone *z = zone_get(zone);
	struct tz_local l;
	char tmp[64];
	int off;
	int len;

	if (!buf)
		return false;
	if (!z || !in_span(utc))
		return put(buf, size, "", -1);
	off = zone_offset(z, utc);
	if (strcmp(zone, "UTC") == 0 || off % 60 != 0)
		return tz_format_utc(utc, buf, size);
	tz_local_from_seconds(utc + off, &l);
	len = snprintf(
	    tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    l.year, l.month, l.day, l.hour, l.minute, l.second,
	    off < 0 ? '-' : '+', abs(off) / 3600, abs(off) % 3600 / 60);
	return put(buf, size, tmp, len);
}

/* ---- parsing ---- */

/* Exactly 'n' ASCII digits at 'p' into '*out'. */
static bool
digits(const char *p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/* Skip an optional ".digits" fraction of a second (1 to 9 digits) at
 * '*p'. False for a malformed one. */
static bool
skip_fraction(const char **p)
{
	int nd = 0;

	if (**p != '.')
		return true;
	while ((*p)[1 + nd] >= '0' && (*p)[1 + nd] <= '9')
		nd++;
	if (nd < 1 || nd > 9)
		return false;
	*p += 1 + nd;
	return true;
}

/* The optional "[T ]HH:MM[:SS[.fff]]" at '*p' into '*l', advancing '*p'. */
static enum av_err
parse_clock(const char **p, const char *field, const char *q,
	    struct tz_local *l, bool *has_time_out, struct av_error *err)
{
	const char *c = *p;

	*has_time_out = false;
	if (*c != 'T' && *c != 't' && *c != ' ')
		return AV_OK;
	if (!digits(c + 1, 2, &l->hour) || c[3] != ':' ||
	    !digits(c + 4, 2, &l->minute))
		return av_field_errorf(err, AV_EINVAL, field,
				       "invalid time in '%s': expected "
				       "HH:MM[:SS]",
				       q);
	c += 6;
	*has_time_out = true;
	if (*c == ':') {
		if (!digits(c + 1, 2, &l->second))
			return av_field_errorf(err, AV_EINVAL, field,
					       "invalid seconds in '%s': "
					       "expected two digits",
					       q);
		c += 3;
		if (!skip_fraction(&c))
			return av_field_errorf(err, AV_EINVAL, field,
					       "invalid fraction of a second "
					       "in '%s'",
					       q);
	}
	*p = c;
	return AV_OK;
}

/* Every field of a parsed wall time in range, else an error naming it. */
static enum av_err
check_wall(const struct tz_local *l, const char *field, struct av_error *err)
{
	if (l->year < TZ_YEAR_MIN || l->year > TZ_YEAR_MAX)
		return av_field_errorf(err, AV_EINVAL, field,
				       "year %d out of range %d..%d", l->year,
				       TZ_YEAR_MIN, TZ_YEAR_MAX);
	if (l->month < 1 || l->month > 12)
		return av_field_errorf(err, AV_EINVAL, field,
				       "month %02d out of range 01..12",
				       l->month);
	if (l->day < 1 || l->day > days_in_month(l->year, l->month))
		return av_field_errorf(err, AV_EINVAL, field,
				       "day %02d out of range for %04d-%02d",
				       l->day, l->year, l->month);
	if (l->hour > 23)
		return av_field_errorf(err, AV_EINVAL, field,
				       "hour %02d out of range 00..23",
				       l->hour);
	if (l->minute > 59)
		return av_field_errorf(err, AV_EINVAL, field,
				       "minute %02d out of range 00..59",
				       l->minute);
	if (l->second > 59)
		return av_field_errorf(err, AV_EINVAL, field,
				       "second %02d out of range 00..59",
				       l->second);
	return AV_OK;
}

/*
 * Parse the wall-time part of 'text' into '*out'; '*end_out' points after
 * it and '*has_time_out' says whether a time followed the date. Errors
 * name 'field'.
 */
static enum av_err
parse_wall(const char *text, const char *field, struct tz_local *out,
	   const char **end_out, bool *has_time_out, struct av_error *err)
{
	struct tz_local l = {0, 0, 0, 0, 0, 0};
	const char *p = text;
	char q[QUOTE_MAX + 8];
	enum av_err rc;

	quote(text, q, sizeof(q));
	if (!digits(p, 4, &l.year) || p[4] != '-' ||
	    !digits(p + 5, 2, &l.month) || p[7] != '-' ||
	    !digits(p + 8, 2, &l.day))
		return av_field_errorf(
		    err, AV_EINVAL, field,
		    "invalid date-time '%s': expected YYYY-MM-DD[ HH:MM[:SS]]",
		    q);
	p += 10;
	rc = parse_clock(&p, field, q, &l, has_time_out, err);
	if (rc == AV_OK)
		rc = check_wall(&l, field, err);
	if (rc != AV_OK)
		return rc;
	*out = l;
	*end_out = p;
	return AV_OK;
}

static enum av_err
trailing_error(struct av_error *err, const char *field, const char *text)
{
	char q[QUOTE_MAX + 8];

	quote(text, q, sizeof(q));
	return av_field_errorf(err, AV_EINVAL, field,
			       "unexpected text after date-time in '%s'", q);
}

enum av_err
tz_parse_local(const char *text, const char *field, struct tz_local *out,
	       struct av_error *err)
{
	struct tz_local l = {0, 0, 0, 0, 0, 0};
	const char *end = text;
	bool has_time = false;
	enum av_err rc;

	if (!text || !*text)
		return av_field_errorf(err, AV_EINVAL, field,
				       "missing date-time");
	rc = parse_wall(text, field, &l, &end, &has_time, err);
	if (rc != AV_OK)
		return rc;
	if (*end)
		return trailing_error(err, field, text);
	*out = l;
	return AV_OK;
}

enum av_err
tz_parse_instant(const char *text, const char *field, const char *default_zone,
		 int64_t *utc_out, enum tz_adjust *how_out,
		 struct av_error *err)
{
	struct tz_local l = {0, 0, 0, 0, 0, 0};
	const char *end = text;
	bool has_time = false;
	enum av_err rc;
	int oh;
	int om;
	int off;
	char q[QUOTE_MAX + 8];

	if (!text || !*text)
		return av_field_errorf(err, AV_EINVAL, field,
				       "missing date-time");
	rc = parse_wall(text, field, &l, &end, &has_time, err);
	if (rc != AV_OK)
		return rc;
	if (*end == '\0')
		return tz_local_to_utc(default_zone, &l, utc_out, how_out, err);
	if (!has_time)
		return trailing_error(err, field, text);
	if ((*end == 'Z' || *end == 'z') && end[1] == '\0') {
		off = 0;
	} else if (*end == '+' || *end == '-') {
		quote(text, q, sizeof(q));
		if (!digits(end + 1, 2, &oh) || end[3] != ':' ||
		    !digits(end + 4, 2, &om) || end[6] != '\0')
			return av_field_errorf(
			    err, AV_EINVAL, field,
			    "invalid offset in '%s': expected Z or +HH:MM", q);
		if (oh > 23 || om > 59)
			return av_field_errorf(err, AV_EINVAL, field,
					       "offset out of range in '%s'",
					       q);
		off = (oh * 3600 + om * 60) * (*end == '-' ? -1 : 1);
	} else {
		return trailing_error(err, field, text);
	}
	*utc_out = tz_local_seconds(&l) - off;
	if (how_out)
		*how_out = TZ_EXACT;
	return AV_OK;
}

/* The zone most of a country's people live in; countries with several
 * zones get their capital's, and a record can always override it. */
static const struct {
	const char *country;
	const char *zone;
} country_zones[] = {
    {"NO", "Europe/Oslo"},	   {"SE", "Europe/Stockholm"},
    {"DK", "Europe/Copenhagen"},   {"FI", "Europe/Helsinki"},
    {"IS", "Atlantic/Reykjavik"},  {"DE", "Europe/Berlin"},
    {"GB", "Europe/London"},	   {"IE", "Europe/Dublin"},
    {"NL", "Europe/Amsterdam"},	   {"BE", "Europe/Brussels"},
    {"LU", "Europe/Luxembourg"},   {"FR", "Europe/Paris"},
    {"ES", "Europe/Madrid"},	   {"PT", "Europe/Lisbon"},
    {"IT", "Europe/Rome"},	   {"CH", "Europe/Zurich"},
    {"AT", "Europe/Vienna"},	   {"PL", "Europe/Warsaw"},
    {"CZ", "Europe/Prague"},	   {"SK", "Europe/Bratislava"},
    {"HU", "Europe/Budapest"},	   {"EE", "Europe/Tallinn"},
    {"LV", "Europe/Riga"},	   {"LT", "Europe/Vilnius"},
    {"GR", "Europe/Athens"},	   {"RO", "Europe/Bucharest"},
    {"BG", "Europe/Sofia"},	   {"HR", "Europe/Zagreb"},
    {"SI", "Europe/Ljubljana"},	   {"UA", "Europe/Kyiv"},
    {"TR", "Europe/Istanbul"},	   {"US", "America/New_York"},
    {"CA", "America/Toronto"},	   {"MX", "America/Mexico_City"},
    {"BR", "America/Sao_Paulo"},   {"AR", "America/Argentina/Buenos_Aires"},
    {"JP", "Asia/Tokyo"},	   {"CN", "Asia/Shanghai"},
    {"IN", "Asia/Kolkata"},	   {"SG", "Asia/Singapore"},
    {"AU", "Australia/Sydney"},	   {"NZ", "Pacific/Auckland"},
    {"ZA", "Africa/Johannesburg"}, {"AE", "Asia/Dubai"},
    {"FO", "Atlantic/Faroe"},	   {"GL", "America/Nuuk"},
    {"SJ", "Arctic/Longyearbyen"},
};

const char *
tz_for_country(const char *country)
{
	if (!country)
		return NULL;
	for (size_t i = 0; i < sizeof(country_zones) / sizeof(country_zones[0]);
	     i++)
		if (strcmp(country_zones[i].country, country) == 0)
			return country_zones[i].zone;
	return NULL;
}

bool
tz_format_imf(int64_t utc, bool numeric_zone, char *buf, size_t size)
{
	static const char *const wdays[7] = {"Mon", "Tue", "Wed", "Thu",
					     "Fri", "Sat", "Sun"};
	static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr",
					       "May", "Jun", "Jul", "Aug",
					       "Sep", "Oct", "Nov", "Dec"};
	struct tz_local l;
	int n;

	if (!in_span(utc)) {
		if (size)
			buf[0] = '\0';
		return false;
	}
	tz_local_from_seconds(utc, &l);
	n = snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d %s",
		     wdays[weekday_of_days(floor_div(utc, DAY_S)) - 1], l.day,
		     months[l.month - 1], l.year, l.hour, l.minute, l.second,
		     numeric_zone ? "+0000" : "GMT");
	return n > 0 && (size_t)n < size;
}
