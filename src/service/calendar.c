/* SPDX-License-Identifier: MIT */
/*
 * Calendars: compute the range of a view in the viewer's zone (day starts
 * from tz_day_start, never by adding 86400), collect the occurrences of the
 * scope through appt_occurrences, filter them and group them by local day.
 * No printing and no HTTP here.
 */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "service/calendar.h"

#include "core/banned.h"

static const char *const view_names[CAL__MAX] = {
    [CAL_DAY] = "day",
    [CAL_WEEK] = "week",
    [CAL_MONTH] = "month",
    [CAL_AGENDA] = "agenda",
};

static const char *const scope_names[CAL_SCOPE__MAX] = {
    [CAL_SCOPE_BOTH] = "both",
    [CAL_SCOPE_HELD] = "held",
    [CAL_SCOPE_CUSTOMERS] = "customers",
    [CAL_SCOPE_TEAM] = "team",
};

_Static_assert(sizeof(view_names) / sizeof(view_names[0]) == CAL__MAX,
	       "one name per view");
_Static_assert(sizeof(scope_names) / sizeof(scope_names[0]) == CAL_SCOPE__MAX,
	       "one name per scope");

const char *
cal_view_name(enum cal_view v)
{
	return (unsigned)v < CAL__MAX ? view_names[v] : "?";
}

bool
cal_view_parse(const char *s, enum cal_view *out)
{
	for (int i = 0; s && i < CAL__MAX; i++)
		if (strcmp(s, view_names[i]) == 0) {
			*out = (enum cal_view)i;
			return true;
		}
	return false;
}

const char *
cal_scope_name(enum cal_scope s)
{
	return (unsigned)s < CAL_SCOPE__MAX ? scope_names[s] : "?";
}

bool
cal_scope_parse(const char *s, enum cal_scope *out)
{
	for (int i = 0; s && i < CAL_SCOPE__MAX; i++)
		if (strcmp(s, scope_names[i]) == 0) {
			*out = (enum cal_scope)i;
			return true;
		}
	return false;
}

/* The start of the local day after the one starting at 'day_start'. */
static enum av_err
next_day(const char *zone, int64_t day_start, int64_t *out,
	 struct av_error *err)
{
	struct tz_local l;
	int64_t t;
	enum av_err rc;

	/* one calendar day on, then back to that date's first instant (the
	   day may have started after a midnight gap) */
	if ((rc = tz_add_days(zone, day_start, 1, &t, err)) ||
	    (rc = tz_utc_to_local(zone, t, &l, NULL, err)))
		return rc;
	return tz_day_start(zone, l.year, l.month, l.day, out, err);
}

/* The first instant of the local date of 'utc'. */
static enum av_err
day_of(const char *zone, int64_t utc, int64_t *out, struct av_error *err)
{
	struct tz_local l;
	enum av_err rc;

	if ((rc = tz_utc_to_local(zone, utc, &l, NULL, err)))
		return rc;
	return tz_day_start(zone, l.year, l.month, l.day, out, err);
}

/* [from, to) of the query, whole local days. */
static enum av_err
range_of(const struct cal_query *q, int64_t *from, int64_t *to,
	 struct av_error *err)
{
	const char *z = q->zone;
	struct tz_local l;
	int64_t anchor, t;
	enum av_err rc;
	int days;

	if (q->to > q->from) {
		if ((rc = day_of(z, q->from, from, err)) ||
		    (rc = day_of(z, q->to - 1, &t, err)) ||
		    (rc = next_day(z, t, to, err)))
			return rc;
		if (*to - *from > (int64_t)(CAL_DAYS_MAX + 1) * 86400)
			return av_field_errorf(err, AV_EINVAL, "to",
					       "the range is at most %d days",
					       CAL_DAYS_MAX);
		return AV_OK;
	}
	if (q->year == 0) {
		if ((rc = tz_utc_to_local(z, store_now(), &l, NULL, err)))
			return rc;
	} else {
		l.year = q->year;
		l.month = q->month;
		l.day = q->day;
	}
	if ((rc = tz_day_start(z, l.year, l.month, l.day, &anchor, err)))
		return rc;
	switch (q->view) {
	case CAL_WEEK:
		if ((rc = tz_week_start(z, anchor, from, err)))
			return rc;
		days = 7;
		break;
	case CAL_MONTH:
		if ((rc = tz_month_start(z, anchor, from, err)))
			return rc;
		days = 0; /* until the month changes */
		break;
	case CAL_AGENDA:
		*from = anchor;
		days = 7;
		break;
	case CAL_DAY:
	case CAL__MAX:
	default:
		*from = anchor;
		days = 1;
		break;
	}
	t = *from;
	if (days == 0) {
		struct tz_local m;
		if ((rc = tz_utc_to_local(z, *from, &m, NULL, err)))
			return rc;
		do {
			if ((rc = next_day(z, t, &t, err)) ||
			    (rc = tz_utc_to_local(z, t, &l, NULL, err)))
				return rc;
		} while (l.month == m.month);
	} else {
		for (int i = 0; i < days; i++)
			if ((rc = next_day(z, t, &t, err)))
				return rc;
	}
	*to = t;
	return AV_OK;
}

/* True if 'word' is one of the comma-separated 'list'. */
static bool
in_list(const char *list, const char *word)
{
	size_t n = word ? strlen(word) : 0;

	if (!word)
		return false;
	for (const char *p = list; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		if (!e)
			break;
		p = e + 1;
	}
	return false;
}

/* Every word of 'list' must be accepted by 'ok'; AV_EINVAL names 'field'. */
static enum av_err
check_list(const char *list, const char *field, bool (*ok)(const char *),
	   struct av_error *err)
{
	for (const char *p = list; p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char word[64];
		if (len == 0 || len >= sizeof(word))
			return av_field_errorf(err, AV_EINVAL, field,
					       "'%s' is not a list of values",
					       field);
		memcpy(word, p, len);
		word[len] = '\0';
		if (!ok(word))
			return av_field_errorf(err, AV_EINVAL, field,
					       "unknown %s '%s'", field, word);
		p = e ? e + 1 : NULL;
	}
	return AV_OK;
}

static bool
channel_ok(const char *s)
{
	enum appt_channel c;

	return appt_channel_parse(s, &c);
}

static bool
status_ok(const char *s)
{
	enum appt_status st;

	return appt_status_parse(s, &st);
}

static bool
type_ok(const char *s)
{
	/* types are a configurable list: any code of sane shape */
	return *s != '\0';
}

/* A customer's current territory, looked up once per customer. */
struct terr_cache {
	int64_t *ids;  /* customer ids (heap) */
	int64_t *terr; /* their territories, -1 when gone */
	size_t n, cap; /* used, allocated */
};

static enum av_err
territory_of(struct store *s, struct terr_cache *tc, int64_t customer,
	     struct arena *a, int64_t *out, struct av_error *err)
{
	struct customer c;
	enum av_err rc;

	for (size_t i = 0; i < tc->n; i++)
		if (tc->ids[i] == customer) {
			*out = tc->terr[i];
			return AV_OK;
		}
	rc = store_customer_get(s, customer, a, &c, err);
	if (rc == AV_ENOTFOUND) {
		av_error_clear(err);
		c.territory_id = -1;
	} else if (rc) {
		return rc;
	}
	if (tc->n == tc->cap) {
		size_t cap = tc->cap ? tc->cap * 2 : 16;
		int64_t *ids = arena_alloc(a, cap * sizeof(*ids));
		int64_t *terr = arena_alloc(a, cap * sizeof(*terr));
		if (tc->n) {
			memcpy(ids, tc->ids, tc->n * sizeof(*ids));
			memcpy(terr, tc->terr, tc->n * sizeof(*terr));
		}
		tc->ids = ids;
		tc->terr = terr;
		tc->cap = cap;
	}
	tc->ids[tc->n] = customer;
	tc->terr[tc->n] = c.territory_id;
	tc->n++;
	*out = c.territory_id;
	return AV_OK;
}

/* Occurrences collected from several scopes. */
struct pile {
	struct occurrence *v; /* arena */
	size_t n, cap;	      /* used, allocated */
};

static enum av_err
pile_add(struct store *s, struct pile *p, enum appt_scope scope, int64_t key,
	 int64_t from, int64_t to, struct arena *a, struct av_error *err)
{
	struct occurrence *v;
	size_t n;
	enum av_err rc;

	if ((rc = appt_occurrences(s, scope, key, from, to, OCC_MAX, a, &v, &n,
				   err)))
		return rc;
	if (p->n + n > OCC_MAX)
		return av_errorf(err, AV_ETOOBIG,
				 "more than %d appointments in the range",
				 OCC_MAX);
	if (p->n + n > p->cap) {
		size_t cap = (p->n + n) * 2;
		struct occurrence *nv = arena_alloc(a, cap * sizeof(*nv));
		if (p->n)
			memcpy(nv, p->v, p->n * sizeof(*nv));
		p->v = nv;
		p->cap = cap;
	}
	if (n)
		memcpy(p->v + p->n, v, n * sizeof(*v));
	p->n += n;
	return AV_OK;
}

static int
occ_cmp(const void *x, const void *y)
{
	const struct occurrence *a = x, *b = y;

	if (a->start_utc != b->start_utc)
		return a->start_utc < b->start_utc ? -1 : 1;
	if (a->appt->id != b->appt->id)
		return a->appt->id < b->appt->id ? -1 : 1;
	return 0;
}

static enum av_err
collect(struct store *s, const struct cal_query *q, int64_t from, int64_t to,
	struct arena *a, struct pile *p, struct av_error *err)
{
	enum av_err rc = AV_OK;

	switch (q->scope) {
	case CAL_SCOPE_HELD:
		return pile_add(s, p, SCOPE_OWNER, q->owner_id, from, to, a,
				err);
	case CAL_SCOPE_CUSTOMERS:
		return pile_add(s, p, SCOPE_CUSTOMER_OWNER, q->owner_id, from,
				to, a, err);
	case CAL_SCOPE_TEAM: {
		struct user *u;
		size_t n;
		if ((rc = store_user_list(s, a, &u, &n, err)))
			return rc;
		for (size_t i = 0; i < n && !rc; i++)
			if (u[i].territory_id == q->team_territory &&
			    !u[i].disabled)
				rc = pile_add(s, p, SCOPE_OWNER, u[i].id, from,
					      to, a, err);
		return rc;
	}
	case CAL_SCOPE_BOTH:
	case CAL_SCOPE__MAX:
	default:
		if ((rc = pile_add(s, p, SCOPE_OWNER, q->owner_id, from, to, a,
				   err)))
			return rc;
		return pile_add(s, p, SCOPE_CUSTOMER_OWNER, q->owner_id, from,
				to, a, err);
	}
}

/* Does the occurrence pass the filters of 'q'? */
static enum av_err
keep(struct store *s, const struct cal_query *q, const struct occurrence *o,
     struct terr_cache *tc, struct arena *a, bool *out, struct av_error *err)
{
	const struct appointment *p = o->appt;

	*out = false;
	if (q->types && !in_list(q->types, p->type))
		return AV_OK;
	if (q->channels && !in_list(q->channels, appt_channel_name(p->channel)))
		return AV_OK;
	if (q->statuses && !in_list(q->statuses, appt_status_name(p->status)))
		return AV_OK;
	if (q->territory_id) {
		int64_t terr;
		enum av_err rc;
		if (!p->customer_id)
			return AV_OK;
		if ((rc = territory_of(s, tc, p->customer_id, a, &terr, err)))
			return rc;
		if (terr != q->territory_id)
			return AV_OK;
	}
	*out = true;
	return AV_OK;
}

/* Does [start, end) touch the day [ds, de)? Zero-length ones by start. */
static bool
touches(int64_t start, int64_t end, int64_t ds, int64_t de)
{
	if (end == start)
		return start >= ds && start < de;
	return start < de && end > ds;
}

static enum av_err
make_days(const char *zone, int64_t from, int64_t to, struct calendar *c,
	  struct arena *a, struct av_error *err)
{
	size_t cap = CAL_DAYS_MAX + 2;
	int64_t t = from;

	c->days = arena_alloc(a, cap * sizeof(*c->days));
	c->n_days = 0;
	while (t < to && c->n_days < cap) {
		struct cal_day *d = &c->days[c->n_days];
		struct tz_local l;
		enum av_err rc;
		if ((rc = tz_utc_to_local(zone, t, &l, NULL, err)))
			return rc;
		d->year = l.year;
		d->month = l.month;
		d->day = l.day;
		d->weekday = tz_weekday(l.year, l.month, l.day);
		d->start = t;
		if ((rc = next_day(zone, t, &d->end, err)))
			return rc;
		t = d->end;
		c->n_days++;
	}
	return AV_OK;
}

static void
fill_days(struct calendar *c, struct arena *a)
{
	for (size_t i = 0; i < c->n_days; i++) {
		struct cal_day *d = &c->days[i];
		size_t n = 0;
		for (size_t k = 0; k < c->n_occ; k++)
			if (touches(c->occ[k].start_utc, c->occ[k].end_utc,
				    d->start, d->end))
				n++;
		d->items = n ? arena_alloc(a, n * sizeof(*d->items)) : NULL;
		d->n_items = 0;
		for (size_t k = 0; k < c->n_occ; k++) {
			const struct occurrence *o = &c->occ[k];
			struct cal_item *it;
			if (!touches(o->start_utc, o->end_utc, d->start,
				     d->end))
				continue;
			it = &d->items[d->n_items++];
			it->occ = o;
			it->continued = o->start_utc < d->start;
			it->continues = o->end_utc > d->end;
		}
	}
}

enum av_err
calendar_build(struct store *s, const struct cal_query *q, struct arena *a,
	       struct calendar *out, struct av_error *err)
{
	struct pile p = {0};
	struct terr_cache tc = {0};
	int64_t from, to;
	enum av_err rc;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (!q->zone || !tz_valid(q->zone))
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "unknown time zone '%s'",
				       q->zone ? q->zone : "");
	if (q->year && !tz_date_valid(q->year, q->month, q->day))
		return av_field_errorf(err, AV_EINVAL, "date",
				       "'date' is not a valid date");
	if ((q->types && (rc = check_list(q->types, "type", type_ok, err))) ||
	    (q->channels &&
	     (rc = check_list(q->channels, "channel", channel_ok, err))) ||
	    (q->statuses &&
	     (rc = check_list(q->statuses, "status", status_ok, err))))
		return rc;
	if ((rc = range_of(q, &from, &to, err)) ||
	    (rc = collect(s, q, from, to, a, &p, err)))
		return rc;
	if (p.n > 1)
		qsort(p.v, p.n, sizeof(*p.v), occ_cmp);
	for (size_t i = 0; i < p.n; i++) {
		bool ok;
		/* both scopes may return one occurrence: keep the first */
		if (n && occ_cmp(&p.v[i], &p.v[n - 1]) == 0)
			continue;
		if ((rc = keep(s, q, &p.v[i], &tc, a, &ok, err)))
			return rc;
		if (!ok)
			continue;
		/* a dropped duplicate compares with the last kept one only,
		   and a filtered-out one has the same fate as its twin */
		p.v[n++] = p.v[i];
	}
	out->view = q->view;
	out->zone = arena_strdup(a, q->zone);
	out->from = from;
	out->to = to;
	out->occ = p.v;
	out->n_occ = n;
	if ((rc = make_days(q->zone, from, to, out, a, err)))
		return rc;
	fill_days(out, a);
	return AV_OK;
}

static json_t *
local_json(const char *zone, int64_t t)
{
	char buf[TZ_RFC3339_SIZE];

	tz_format_rfc3339(zone, t, buf, sizeof(buf));
	return json_string(buf);
}

json_t *
calendar_to_json(const struct calendar *c)
{
	json_t *o = json_object(), *days = json_array();
	char date[16];

	json_object_set_new(o, "view", json_string(cal_view_name(c->view)));
	json_object_set_new(o, "time_zone", json_string(c->zone));
	json_object_set_new(o, "from", local_json(c->zone, c->from));
	json_object_set_new(o, "to", local_json(c->zone, c->to));
	for (size_t i = 0; i < c->n_days; i++) {
		const struct cal_day *d = &c->days[i];
		json_t *day, *items;
		if (c->view == CAL_AGENDA && d->n_items == 0)
			continue;
		items = json_array();
		for (size_t k = 0; k < d->n_items; k++) {
			const struct occurrence *occ = d->items[k].occ;
			json_t *it =
			    appt_to_json(occ->appt, occ->start_utc,
					 occ->end_utc, occ->recurrence_id);
			json_object_set_new(
			    it, "continued",
			    json_boolean(d->items[k].continued));
			json_object_set_new(
			    it, "continues",
			    json_boolean(d->items[k].continues));
			json_array_append_new(items, it);
		}
		if (!str_printf(date, sizeof(date), "%04d-%02d-%02d", d->year,
				d->month, d->day))
			date[0] = '\0';
		day = json_object();
		json_object_set_new(day, "date", json_string(date));
		json_object_set_new(day, "weekday", json_integer(d->weekday));
		json_object_set_new(day, "start",
				    local_json(c->zone, d->start));
		json_object_set_new(day, "end", local_json(c->zone, d->end));
		json_object_set_new(day, "hours",
				    json_integer((d->end - d->start) / 3600));
		json_object_set_new(day, "items", items);
		json_array_append_new(days, day);
	}
	json_object_set_new(o, "days", days);
	return o;
}
