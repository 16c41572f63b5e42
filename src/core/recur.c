/* SPDX-License-Identifier: MIT */
/*
 * RRULE checking and expansion. The rule text is checked here first
 * (libical 3.0.16 silently drops parts after ";;", wraps a huge COUNT and
 * accepts BYMONTH=13); libical's iterator then generates occurrences in
 * floating local time, and tz_local_to_utc places each in the series'
 * zone. UNTIL and COUNT are applied here, because libical would compare a
 * UTC UNTIL with floating times as if they were UTC.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "core/recur.h"
#include "core/tz.h"

#include "core/banned.h"

/* MARGIN_S: how far a wall time and its instant can be apart, with room
 * to spare (every UTC offset is under a day). */
#define DAY_S	       86400
#define MARGIN_S       ((int64_t)2 * DAY_S)
#define INTERVAL_MAX   1000 /* largest accepted INTERVAL */
#define PART_QUOTE_MAX 40   /* bytes of a rule part quoted in a message */

/* Rule parts of RFC 5545 3.3.10, in the order of the seen[] flags. */
static const char *const part_names[] = {
    "FREQ",	"UNTIL",   "COUNT",    "INTERVAL",   "BYSECOND",
    "BYMINUTE", "BYHOUR",  "BYDAY",    "BYMONTHDAY", "BYYEARDAY",
    "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
};
#define N_PARTS (sizeof(part_names) / sizeof(part_names[0]))

enum until_kind {
	UNTIL_NONE,  /* no UNTIL */
	UNTIL_UTC,   /* "...Z": compare instants */
	UNTIL_LOCAL, /* floating date-time: compare wall times */
	UNTIL_DATE   /* a date: the whole local day is included */
};

/* A checked rule, ready for libical. */
struct rule {
	struct icalrecurrencetype rt; /* UNTIL and COUNT cleared */
	int count;		      /* COUNT, 0 when none */
	enum until_kind until_kind;   /* how 'until' compares */
	int64_t until; /* instant (UTC), wall seconds (LOCAL) or the wall
			  seconds of the day after (DATE) */
};

/* Collected occurrences of one expansion. */
struct expand {
	int64_t from;		/* range start, inclusive */
	int64_t to;		/* range end, exclusive */
	const int64_t *exdates; /* borrowed, unsorted */
	size_t n_exdates;	/* entries in exdates */
	int64_t *out;		/* borrowed, room for max */
	size_t max;		/* capacity of out */
	size_t n;		/* entries filled, sorted */
};

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* A date that exists, in any year; the year range is checked elsewhere. */
static bool
date_exists(int y, int m, int d)
{
	return tz_date_valid(is_leap(y) ? 2000 : 2001, m, d) && y > 0;
}

static enum av_err
rule_error(struct av_error *err, const char *msg)
{
	return av_field_errorf(err, AV_EINVAL, "rrule", "%s", msg);
}

/* Copy the rule part [p, p+len) for a message; the rule's characters are
 * already known to be safe. */
static void
part_text(const char *p, size_t len, char *buf, size_t size)
{
	if (len > PART_QUOTE_MAX)
		len = PART_QUOTE_MAX;
	if (len >= size)
		len = size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
}

/* A decimal number of at most 6 digits in [p, p+len), or -1. */
static long
small_number(const char *p, size_t len)
{
	long v = 0;

	if (len == 0 || len > 6)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

static bool
rule_char_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == ';' || c == '=' || c == ',' ||
	       c == '+' || c == '-';
}

/* Index in part_names of the name [p, p+len), or N_PARTS. */
static size_t
part_index(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < N_PARTS; i++)
		if (strlen(part_names[i]) == len &&
		    strncasecmp(part_names[i], p, len) == 0)
			break;
	return i;
}

/* COUNT and INTERVAL: a plain number in range. */
static enum av_err
check_number(const char *name, const char *v, size_t len, struct av_error *err)
{
	long lim;
	long n;

	if (strcmp(name, "COUNT") == 0)
		lim = RECUR_COUNT_MAX;
	else if (strcmp(name, "INTERVAL") == 0)
		lim = INTERVAL_MAX;
	else
		return AV_OK;
	n = small_number(v, len);
	if (n < 1 || n > lim)
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "%s must be a number from 1 to %ld",
				       name, lim);
	return AV_OK;
}

/* One NAME=VALUE part [p, p+len); 'seen' marks the names met so far. */
static enum av_err
check_part(const char *p, size_t len, bool *seen, struct av_error *err)
{
	const char *eq = memchr(p, '=', len);
	size_t name_len = eq ? (size_t)(eq - p) : len;
	char text[PART_QUOTE_MAX + 1];
	size_t i;

	part_text(p, len, text, sizeof(text));
	if (len == 0)
		return rule_error(err, "empty part in recurrence rule");
	if (!eq || name_len + 1 == len)
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "rule part '%s' has no value", text);
	i = part_index(p, name_len);
	if (i == N_PARTS) {
		if ((name_len == 6 && strncasecmp(p, "RSCALE", 6) == 0) ||
		    (name_len == 4 && strncasecmp(p, "SKIP", 4) == 0))
			return rule_error(err, "RSCALE and SKIP (RFC 7529) "
					       "are not supported");
		part_text(p, name_len, text, sizeof(text));
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "unknown rule part '%s'", text);
	}
	if (seen[i])
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "rule part '%s' given twice",
				       part_names[i]);
	seen[i] = true;
	return check_number(part_names[i], eq + 1, len - name_len - 1, err);
}

/*
 * The checks libical does not do on the text: safe characters, NAME=VALUE
 * parts separated by single ';', known names, each at most once, FREQ
 * present, COUNT and INTERVAL in range.
 */
static enum av_err
check_text(const char *rrule, struct av_error *err)
{
	bool seen[N_PARTS] = {false};
	const char *p = rrule;

	if (!rrule || !*rrule)
		return rule_error(err, "missing recurrence rule");
	if (strlen(rrule) > RECUR_RULE_MAX)
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "recurrence rule longer than %d bytes",
				       RECUR_RULE_MAX);
	for (const char *c = rrule; *c; c++)
		if (!rule_char_ok(*c))
			return rule_error(
			    err, "invalid character in recurrence rule");
	for (;;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		enum av_err rc = check_part(p, len, seen, err);

		if (rc != AV_OK)
			return rc;
		if (!semi)
			break;
		p = semi + 1;
	}
	if (!seen[0])
		return rule_error(err, "recurrence rule has no FREQ");
	return AV_OK;
}

/* Entries of a libical BY* array, which ends at ICAL_RECURRENCE_ARRAY_MAX
 * or when full. */
static size_t
by_len(const short *a, size_t size)
{
	size_t n = 0;

	while (n < size && a[n] != ICAL_RECURRENCE_ARRAY_MAX)
		n++;
	return n;
}

#define BY_LEN(a) by_len((a), sizeof(a) / sizeof((a)[0]))

/* Whether one of the BYMONTHDAY values fits one of the BYMONTH months. */
static bool
monthday_fits(const struct icalrecurrencetype *rt)
{
	static const int longest[12] = {31, 29, 31, 30, 31, 30,
					31, 31, 30, 31, 30, 31};
	size_t n_md = BY_LEN(rt->by_month_day);
	size_t n_m = BY_LEN(rt->by_month);

	if (n_md == 0 || n_m == 0)
		return true;
	for (size_t i = 0; i < n_md; i++) {
		int d = rt->by_month_day[i] < 0 ? -rt->by_month_day[i]
						: rt->by_month_day[i];

		for (size_t j = 0; j < n_m; j++) {
			int m = rt->by_month[j];

			if (m >= 1 && m <= 12 && d <= longest[m - 1])
				return true;
		}
	}
	return false;
}

/* Whether every value v of the BY* array 'a' has 1 <= |v| <= 'lim'. */
static bool
by_in_range(const short *a, size_t n, int lim)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == 0 || a[i] > lim || a[i] < -lim)
			return false;
	return true;
}

/* Value ranges libical 3.0.16 leaves unchecked. */
static enum av_err
check_ranges(const struct icalrecurrencetype *rt, struct av_error *err)
{
	size_t n_m = BY_LEN(rt->by_month);

	for (size_t i = 0; i < n_m; i++)
		if (icalrecurrencetype_month_is_leap(rt->by_month[i]) ||
		    rt->by_month[i] < 1 || rt->by_month[i] > 12)
			return rule_error(err,
					  "BYMONTH values must be 1 to 12");
	if (!by_in_range(rt->by_year_day, BY_LEN(rt->by_year_day), 366))
		return rule_error(err, "BYYEARDAY values must be 1 to 366 or "
				       "-366 to -1");
	if (!by_in_range(rt->by_week_no, BY_LEN(rt->by_week_no), 53))
		return rule_error(err, "BYWEEKNO values must be 1 to 53 or "
				       "-53 to -1");
	if (!by_in_range(rt->by_set_pos, BY_LEN(rt->by_set_pos), 366))
		return rule_error(err, "BYSETPOS values must be 1 to 366 or "
				       "-366 to -1");
	return AV_OK;
}

/* Numbered BYDAY values (-1FR): MONTHLY or YEARLY only, in range. */
static enum av_err
check_byday(const struct icalrecurrencetype *rt, struct av_error *err)
{
	enum icalrecurrencetype_frequency f = rt->freq;
	size_t n_day = BY_LEN(rt->by_day);
	int lim =
	    (f == ICAL_MONTHLY_RECURRENCE || BY_LEN(rt->by_month) > 0) ? 5 : 53;

	for (size_t i = 0; i < n_day; i++) {
		int pos = icalrecurrencetype_day_position(rt->by_day[i]);

		if (pos == 0)
			continue;
		if (f != ICAL_MONTHLY_RECURRENCE && f != ICAL_YEARLY_RECURRENCE)
			return rule_error(err, "a numbered BYDAY needs "
					       "FREQ=MONTHLY or FREQ=YEARLY");
		if (BY_LEN(rt->by_week_no) > 0)
			return rule_error(err, "a numbered BYDAY cannot be "
					       "used with BYWEEKNO");
		if (pos > lim || pos < -lim)
			return av_field_errorf(err, AV_EINVAL, "rrule",
					       "BYDAY position %d out of range "
					       "-%d..%d",
					       pos, lim, lim);
	}
	return AV_OK;
}

/* Days a BYDAY list can select in one period: a numbered entry one, a
 * plain one up to 'per_weekday'. */
static size_t
byday_days(const struct icalrecurrencetype *rt, size_t per_weekday)
{
	size_t n = 0;

	for (size_t i = 0; i < BY_LEN(rt->by_day); i++)
		n += icalrecurrencetype_day_position(rt->by_day[i]) != 0
			 ? 1
			 : per_weekday;
	return n;
}

/* An upper bound on the days one period of the rule can select. */
static size_t
period_days_bound(const struct icalrecurrencetype *rt)
{
	size_t n_md = BY_LEN(rt->by_month_day);
	size_t n_m = BY_LEN(rt->by_month);
	size_t n_wn = BY_LEN(rt->by_week_no);
	size_t n_yd = BY_LEN(rt->by_year_day);

	switch (rt->freq) {
	case ICAL_WEEKLY_RECURRENCE:
		return BY_LEN(rt->by_day) > 0 ? byday_days(rt, 1) : 1;
	case ICAL_MONTHLY_RECURRENCE:
		if (n_md > 0)
			return n_md;
		return BY_LEN(rt->by_day) > 0 ? byday_days(rt, 5) : 1;
	case ICAL_YEARLY_RECURRENCE:
		if (n_yd > 0)
			return n_yd;
		if (n_md > 0)
			return n_md * (n_m > 0 ? n_m : 12);
		if (n_wn > 0)
			return 7 * n_wn;
		if (BY_LEN(rt->by_day) > 0)
			return byday_days(rt, n_m > 0 ? 5 * n_m : 53);
		return n_m > 0 ? n_m : 1;
	default:
		return 1;
	}
}

/* Whether some BYSETPOS value can select a member of the period's set,
 * whose size is at most days x hours x minutes x seconds. */
static bool
setpos_fits(const struct icalrecurrencetype *rt)
{
	size_t n_sp = BY_LEN(rt->by_set_pos);
	size_t h = BY_LEN(rt->by_hour);
	size_t mi = BY_LEN(rt->by_minute);
	size_t se = BY_LEN(rt->by_second);
	size_t bound =
	    period_days_bound(rt) * (h ? h : 1) * (mi ? mi : 1) * (se ? se : 1);

	if (n_sp == 0)
		return true;
	for (size_t i = 0; i < n_sp; i++) {
		int v = rt->by_set_pos[i];
		size_t a = (size_t)(v < 0 ? -v : v);

		if (a <= bound)
			return true;
	}
	return false;
}

/* RFC 5545 3.3.10 ranges and combinations, on libical's parsed rule. */
static enum av_err
check_parts(const struct icalrecurrencetype *rt, struct av_error *err)
{
	enum icalrecurrencetype_frequency f = rt->freq;
	size_t n_other = BY_LEN(rt->by_second) + BY_LEN(rt->by_minute) +
			 BY_LEN(rt->by_hour) + BY_LEN(rt->by_day) +
			 BY_LEN(rt->by_month_day) + BY_LEN(rt->by_year_day) +
			 BY_LEN(rt->by_week_no) + BY_LEN(rt->by_month);
	enum av_err rc;

	if (f == ICAL_SECONDLY_RECURRENCE || f == ICAL_MINUTELY_RECURRENCE ||
	    f == ICAL_HOURLY_RECURRENCE)
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "FREQ=%s is not supported: appointments "
				       "repeat at most daily",
				       icalrecur_freq_to_string(f));
	rc = check_ranges(rt, err);
	if (rc != AV_OK)
		return rc;
	if (BY_LEN(rt->by_year_day) > 0 && f != ICAL_YEARLY_RECURRENCE)
		return rule_error(err, "BYYEARDAY needs FREQ=YEARLY");
	if (BY_LEN(rt->by_week_no) > 0 && f != ICAL_YEARLY_RECURRENCE)
		return rule_error(err, "BYWEEKNO needs FREQ=YEARLY");
	if (BY_LEN(rt->by_month_day) > 0 && f == ICAL_WEEKLY_RECURRENCE)
		return rule_error(err, "BYMONTHDAY cannot be used with "
				       "FREQ=WEEKLY");
	if (BY_LEN(rt->by_set_pos) > 0 && n_other == 0)
		return rule_error(err, "BYSETPOS needs another BY rule part");
	rc = check_byday(rt, err);
	if (rc != AV_OK)
		return rc;
	if (!monthday_fits(rt))
		return rule_error(err, "recurrence rule never produces an "
				       "occurrence: no BYMONTHDAY fits a "
				       "BYMONTH");
	if (!setpos_fits(rt))
		return rule_error(err, "recurrence rule never produces an "
				       "occurrence: BYSETPOS is beyond every "
				       "set");
	return AV_OK;
}

/* Take UNTIL out of libical's hands into r->until_kind and r->until. */
static enum av_err
take_until(struct rule *r, struct av_error *err)
{
	struct icaltimetype u = r->rt.until;
	struct tz_local l;

	r->until_kind = UNTIL_NONE;
	r->rt.until = icaltime_null_time();
	if (icaltime_is_null_time(u))
		return AV_OK;
	if (!date_exists(u.year, u.month, u.day) ||
	    (!u.is_date && (u.hour < 0 || u.hour > 23 || u.minute < 0 ||
			    u.minute > 59 || u.second < 0 || u.second > 59)))
		return rule_error(err, "UNTIL is not a valid date-time");
	if (u.year < TZ_YEAR_MIN)
		return av_field_errorf(err, AV_EINVAL, "rrule",
				       "UNTIL year %d before %d", u.year,
				       TZ_YEAR_MIN);
	if (u.year > TZ_YEAR_MAX)
		return AV_OK; /* nothing is expanded past TZ_YEAR_MAX anyway */
	l.year = u.year;
	l.month = u.month;
	l.day = u.day;
	l.hour = u.is_date ? 0 : u.hour;
	l.minute = u.is_date ? 0 : u.minute;
	l.second = u.is_date ? 0 : u.second;
	r->until = tz_local_seconds(&l);
	if (u.is_date) {
		r->until_kind = UNTIL_DATE;
		r->until += DAY_S;
	} else if (icaltime_is_utc(u)) {
		r->until_kind = UNTIL_UTC;
	} else {
		r->until_kind = UNTIL_LOCAL;
	}
	return AV_OK;
}

/* Check 'rrule' and parse it into '*r'. */
static enum av_err
parse_rule(const char *rrule, struct rule *r, struct av_error *err)
{
	enum av_err rc;

	rc = check_text(rrule, err);
	if (rc != AV_OK)
		return rc;
	icalerror_clear_errno();
	r->rt = icalrecurrencetype_from_string(rrule);
	if (r->rt.rscale) {
		/* libical 3.0.16 never frees it; check_text refuses RSCALE */
		icalmemory_free_buffer(r->rt.rscale);
		r->rt.rscale = NULL;
	}
	if (r->rt.freq == ICAL_NO_RECURRENCE)
		return rule_error(err, "recurrence rule not understood: check "
				       "the values of its parts");
	rc = check_parts(&r->rt, err);
	if (rc != AV_OK)
		return rc;
	r->count = r->rt.count;
	r->rt.count = 0;
	return take_until(r, err);
}

enum av_err
recur_validate(const char *rrule, struct av_error *err)
{
	struct rule r;

	return parse_rule(rrule, &r, err);
}

/* Add the occurrence at 'u' if it is in range and not excluded, keeping
 * ex->out sorted and unique. */
static enum av_err
emit(struct expand *ex, int64_t u, struct av_error *err)
{
	size_t pos;

	if (u < ex->from || u >= ex->to)
		return AV_OK;
	for (size_t i = 0; i < ex->n_exdates; i++)
		if (ex->exdates[i] == u)
			return AV_OK;
	pos = ex->n;
	while (pos > 0 && ex->out[pos - 1] > u)
		pos--;
	if (pos > 0 && ex->out[pos - 1] == u)
		return AV_OK;
	if (ex->n == ex->max) {
		/* one more than fits: keep the earliest 'max' */
		if (pos < ex->n) {
			memmove(ex->out + pos + 1, ex->out + pos,
				(ex->n - pos - 1) * sizeof(ex->out[0]));
			ex->out[pos] = u;
		}
		return av_field_errorf(err, AV_ETOOBIG, "rrule",
				       "more than %zu occurrences in the range",
				       ex->max);
	}
	memmove(ex->out + pos + 1, ex->out + pos,
		(ex->n - pos) * sizeof(ex->out[0]));
	ex->out[pos] = u;
	ex->n++;
	return AV_OK;
}

static struct icaltimetype
floating(const struct tz_local *l)
{
	struct icaltimetype t = icaltime_null_time();

	t.year = l->year;
	t.month = l->month;
	t.day = l->day;
	t.hour = l->hour;
	t.minute = l->minute;
	t.second = l->second;
	t.is_date = 0;
	t.zone = NULL;
	return t;
}

/* Jump the iterator close to 'from' when COUNT does not forbid it, so an
 * old series costs only its occurrences near the range. */
static bool
skip_ahead(icalrecur_iterator *it, const struct rule *r, int64_t ds_wall,
	   int64_t from)
{
	struct tz_local l;
	int64_t start = from - MARGIN_S;

	if (r->count > 0 || start <= ds_wall + DAY_S)
		return false;
	tz_local_from_seconds(start, &l);
	if (l.year > TZ_YEAR_MAX)
		return false;
	return icalrecur_iterator_set_start(it, floating(&l)) != 0;
}

/* True once wall time 'wall' is past the rule's UNTIL; for a UTC UNTIL,
 * once no offset can bring it back (the instant is checked in place). */
static bool
past_until(const struct rule *r, int64_t wall)
{
	switch (r->until_kind) {
	case UNTIL_LOCAL:
		return wall > r->until;
	case UNTIL_DATE:
		return wall >= r->until;
	case UNTIL_UTC:
		return wall - MARGIN_S > r->until;
	case UNTIL_NONE:
		break;
	}
	return false;
}

/* Convert the occurrence at wall time '*l' and collect it if it counts.
 * Occurrences far outside the range are skipped without converting. */
static enum av_err
place(struct expand *ex, const struct rule *r, const char *zone,
      const struct tz_local *l, struct av_error *err)
{
	int64_t wall = tz_local_seconds(l);
	int64_t u = 0;
	enum av_err rc;

	if (wall + MARGIN_S < ex->from)
		return AV_OK;
	rc = tz_local_to_utc(zone, l, &u, NULL, err);
	if (rc != AV_OK)
		return rc;
	if (r->until_kind == UNTIL_UTC && u > r->until)
		return AV_OK;
	return emit(ex, u, err);
}

/* Generate, convert and collect occurrences after DTSTART. */
static enum av_err
walk(icalrecur_iterator *it, const struct rule *r, const char *zone,
     int64_t ds_wall, bool skipped, struct expand *ex, struct av_error *err)
{
	int emitted = 1; /* DTSTART */
	bool produced = false;
	long steps = 0;

	for (;;) {
		struct icaltimetype t;
		struct tz_local l;
		int64_t wall;
		enum av_err rc;

		if (r->count > 0 && emitted >= r->count)
			return AV_OK;
		if (++steps > RECUR_STEPS_MAX)
			return av_field_errorf(
			    err, AV_EINVAL, "rrule",
			    "recurrence rule needs more than %d steps to "
			    "reach the range",
			    RECUR_STEPS_MAX);
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			return produced || skipped
				   ? AV_OK
				   : rule_error(err, "recurrence rule never "
						     "produces an occurrence");
		produced = true;
		l = (struct tz_local){t.year, t.month,	t.day,
				      t.hour, t.minute, t.second};
		if (l.year > TZ_YEAR_MAX)
			return AV_OK;
		wall = tz_local_seconds(&l);
		if (wall <= ds_wall)
			continue;
		if (past_until(r, wall))
			return AV_OK;
		emitted++;
		if (wall - MARGIN_S >= ex->to)
			return AV_OK;
		rc = place(ex, r, zone, &l, err);
		if (rc != AV_OK)
			return rc;
	}
}

enum av_err
recur_expand(const char *rrule, const char *zone, int64_t dtstart_utc,
	     const int64_t *exdates, size_t n_exdates, int64_t from_utc,
	     int64_t to_utc, size_t max, int64_t *starts_out, size_t *n_out,
	     struct av_error *err)
{
	struct expand ex = {from_utc,	to_utc, exdates, n_exdates,
			    starts_out, max,	0};
	icalrecur_iterator *it;
	struct tz_local ds;
	struct rule r;
	enum av_err rc;

	if (!n_out || (max > 0 && !starts_out) || (n_exdates > 0 && !exdates))
		return av_errorf(err, AV_EINTERNAL,
				 "recur_expand called with missing arrays");
	*n_out = 0;
	rc = parse_rule(rrule, &r, err);
	if (rc != AV_OK)
		return rc;
	rc = tz_utc_to_local(zone, dtstart_utc, &ds, NULL, err);
	if (rc != AV_OK)
		return rc;
	if (!tz_local_valid(&ds))
		return av_field_errorf(err, AV_EINVAL, "start",
				       "series start year %d out of range "
				       "%d..%d",
				       ds.year, TZ_YEAR_MIN, TZ_YEAR_MAX);
	if (from_utc >= to_utc)
		return AV_OK;
	it = icalrecur_iterator_new(r.rt, floating(&ds));
	if (!it)
		return rule_error(err, "recurrence rule cannot be expanded "
				       "from this start (it may never match)");
	rc = emit(&ex, dtstart_utc, err);
	if (rc == AV_OK) {
		bool skipped =
		    skip_ahead(it, &r, tz_local_seconds(&ds), from_utc);

		rc = walk(it, &r, zone, tz_local_seconds(&ds), skipped, &ex,
			  err);
	}
	icalrecur_iterator_free(it);
	if (rc != AV_OK && rc != AV_ETOOBIG)
		return rc;
	*n_out = ex.n;
	return rc;
}
