/* SPDX-License-Identifier: MIT */
/*
 * Scheduling rules over the store: booking with the conflict check in the
 * same transaction (SQLite's BEGIN IMMEDIATE serialises writers, so two
 * parallel bookings of one slot cannot both win), moving, completing,
 * cancelling, and turning rows into occurrences. Series expand in the zone
 * they were booked in (core/recur.h); a changed occurrence is a row of its
 * own that replaces the generated instance with the same original start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/random.h"
#include "core/recur.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/customer.h"
#include "service/appointments.h"

#include "core/banned.h"

/* How far the tab looks back and ahead for instances of a series. */
enum { TAB_SERIES_SPAN = 2 * 366 * 86400 };

static int
cmp_occ(const void *pa, const void *pb)
{
	const struct occurrence *a = pa;
	const struct occurrence *b = pb;

	if (a->start_utc != b->start_utc)
		return (a->start_utc > b->start_utc) -
		       (a->start_utc < b->start_utc);
	return (a->appt->id > b->appt->id) - (a->appt->id < b->appt->id);
}

static int
cmp_occ_desc(const void *pa, const void *pb)
{
	return cmp_occ(pb, pa);
}

/* Whole local days of an all-day appointment (at least 1). */
static int
all_day_days(const struct appointment *p)
{
	int64_t d = (p->end_utc - p->start_utc + 43200) / 86400;

	return d < 1 ? 1 : (int)d;
}

/* End of the instance of 'p' that starts at 'start'. */
static int64_t
instance_end(const struct appointment *p, int64_t start)
{
	int64_t end;

	/* all-day instances span calendar days: 23 or 25 hours across DST */
	if (p->all_day && tz_add_days(p->time_zone, start, all_day_days(p),
				      &end, NULL) == AV_OK)
		return end;
	return start + (p->end_utc - p->start_utc);
}

struct occ_list {
	struct occurrence *v; /* arena */
	size_t n;	      /* used */
	size_t cap;	      /* allocated */
	size_t limit;	      /* AV_ETOOBIG beyond this */
};

static enum av_err
occ_add(struct occ_list *l, struct arena *a, const struct appointment *p,
	int64_t start, int64_t end, int64_t recurrence_id, struct av_error *err)
{
	if (l->n == l->limit)
		return av_errorf(err, AV_ETOOBIG,
				 "more than %zu appointments in the range; "
				 "ask for a shorter one",
				 l->limit);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct occurrence *v = arena_alloc(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].appt = p;
	l->v[l->n].start_utc = start;
	l->v[l->n].end_utc = end;
	l->v[l->n].recurrence_id = recurrence_id;
	l->n++;
	return AV_OK;
}

/* Instances of series 'm' whose span touches [from, to), minus the ones a
 * changed occurrence replaces (those rows are returned as singles). */
static enum av_err
expand_series(struct store *s, const struct appointment *m, int64_t from,
	      int64_t to, struct arena *a, struct occ_list *l,
	      struct av_error *err)
{
	struct appointment *ov;
	size_t n_ov, n_ex, n_starts = 0;
	int64_t *ex, *starts;
	int64_t dur = m->end_utc - m->start_utc;
	size_t room = l->limit - l->n + 1;
	enum av_err rc;

	rc = store_appt_overrides(s, m->id, a, &ov, &n_ov, err);
	if (rc)
		return rc;
	n_ex = appt_exdates_parse(m->exdates, a, &ex);
	starts = arena_alloc(a, room * sizeof(*starts));
	/* an instance that began before 'from' may still be running */
	rc = recur_expand(m->rrule, m->time_zone, m->start_utc, ex, n_ex,
			  from - dur - (m->all_day ? 2 * 3600 : 0), to, room,
			  starts, &n_starts, err);
	if (rc == AV_ETOOBIG)
		return av_errorf(err, AV_ETOOBIG,
				 "more than %zu appointments in the range; "
				 "ask for a shorter one",
				 l->limit);
	if (rc)
		return rc;
	for (size_t i = 0; i < n_starts; i++) {
		int64_t end = instance_end(m, starts[i]);
		bool replaced = false;

		if (!appt_overlaps(starts[i], end, from, to) &&
		    !(starts[i] == end && starts[i] >= from && starts[i] < to))
			continue;
		for (size_t k = 0; k < n_ov && !replaced; k++)
			replaced = ov[k].recurrence_id == starts[i];
		if (replaced)
			continue;
		rc = occ_add(l, a, m, starts[i], end, starts[i], err);
		if (rc)
			return rc;
	}
	return AV_OK;
}

static bool
in_range(const struct appointment *p, int64_t from, int64_t to)
{
	if (p->start_utc == p->end_utc)
		return p->start_utc >= from && p->start_utc < to;
	return appt_overlaps(p->start_utc, p->end_utc, from, to);
}

enum av_err
appt_occurrences(struct store *s, enum appt_scope scope, int64_t key,
		 int64_t from, int64_t to, size_t limit, struct arena *a,
		 struct occurrence **out, size_t *n_out, struct av_error *err)
{
	struct appointment *rows;
	struct occ_list l = {.limit = limit ? limit : OCC_MAX};
	size_t n;
	enum av_err rc;

	*out = NULL;
	*n_out = 0;
	if (to <= from)
		return av_field_errorf(err, AV_EINVAL, "to",
				       "'to' must be after 'from'");
	rc = store_appt_range(s, scope, key, from, to, l.limit + 1, a, &rows,
			      &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct appointment *p = &rows[i];
		if (p->rrule)
			rc = expand_series(s, p, from, to, a, &l, err);
		else if (in_range(p, from, to))
			rc = occ_add(&l, a, p, p->start_utc, p->end_utc,
				     p->parent_id ? p->recurrence_id : 0, err);
	}
	if (rc)
		return rc;
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_occ);
	*out = l.v;
	*n_out = l.n;
	return AV_OK;
}

enum av_err
appt_tab(struct store *s, int64_t customer_id, bool past, int64_t now,
	 size_t limit, struct arena *a, struct occurrence **out, size_t *n_out,
	 struct av_error *err)
{
	struct appointment *rows = NULL, *series = NULL;
	size_t n = 0, n_series = 0;
	struct occ_list l = {.limit = OCC_MAX};
	enum av_err rc;

	*out = NULL;
	*n_out = 0;
	rc =
	    store_appt_tab(s, customer_id, past, now, limit, a, &rows, &n, err);
	if (!rc)
		rc = store_appt_series_of_customer(s, customer_id, a, &series,
						   &n_series, err);
	for (size_t i = 0; i < n && !rc; i++)
		rc =
		    occ_add(&l, a, &rows[i], rows[i].start_utc, rows[i].end_utc,
			    rows[i].parent_id ? rows[i].recurrence_id : 0, err);
	for (size_t i = 0; i < n_series && !rc; i++) {
		int64_t from = past ? now - TAB_SERIES_SPAN : now;
		int64_t to = past ? now : now + TAB_SERIES_SPAN;
		size_t before = l.n;

		rc = expand_series(s, &series[i], from, to, a, &l, err);
		/* the tab splits on the start: keep instances on their side */
		for (size_t k = before; !rc && k < l.n;) {
			if ((l.v[k].start_utc < now) != past)
				l.v[k] = l.v[--l.n];
			else
				k++;
		}
	}
	if (rc)
		return rc;
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), past ? cmp_occ_desc : cmp_occ);
	*out = l.v;
	*n_out = l.n < limit ? l.n : limit;
	return AV_OK;
}

enum av_err
appt_series_end(const struct appointment *p, struct arena *a, int64_t *out,
		struct av_error *err)
{
	enum { SERIES_MAX = 5000 };
	int64_t *starts, *ex;
	size_t n = 0, n_ex;
	enum av_err rc;

	*out = 0;
	if (!p->rrule)
		return AV_OK;
	/* only COUNT or UNTIL bound a series */
	if (!strstr(p->rrule, "COUNT=") && !strstr(p->rrule, "UNTIL="))
		return AV_OK;
	n_ex = appt_exdates_parse(p->exdates, a, &ex);
	starts = arena_alloc(a, SERIES_MAX * sizeof(*starts));
	rc = recur_expand(p->rrule, p->time_zone, p->start_utc, ex, n_ex,
			  p->start_utc, INT64_C(7258118400) /* 2200 */,
			  SERIES_MAX, starts, &n, err);
	if (rc == AV_ETOOBIG)
		return AV_OK; /* longer than we track: treat as unbounded */
	if (rc) {
		if (err)
			snprintf(err->field, sizeof(err->field), "rrule");
		return rc;
	}
	*out = n ? instance_end(p, starts[n - 1]) : p->end_utc;
	return AV_OK;
}

/* Scheduled instances of the owner's other appointments that overlap any
 * instance of 'p' within the next year of the series (or 'p' itself). */
static enum av_err
find_conflicts(struct store *s, const struct appointment *p, int64_t self_id,
	       int64_t self_series, struct arena *a, struct conflicts *conf,
	       struct av_error *err)
{
	int64_t one[1] = {p->start_utc};
	int64_t *mine = one;
	size_t n_mine = 1, n_occ;
	struct occurrence *occ;
	int64_t span_end;
	enum av_err rc;

	conf->v = NULL;
	conf->n = 0;
	if (p->rrule) {
		int64_t *ex;
		size_t n_ex = appt_exdates_parse(p->exdates, a, &ex);
		mine = arena_alloc(a, 400 * sizeof(*mine));
		rc =
		    recur_expand(p->rrule, p->time_zone, p->start_utc, ex, n_ex,
				 p->start_utc, p->start_utc + 366 * 86400, 400,
				 mine, &n_mine, err);
		if (rc && rc != AV_ETOOBIG)
			return rc;
		if (rc == AV_ETOOBIG)
			n_mine = 400;
		if (n_mine == 0)
			return AV_OK;
	}
	span_end = instance_end(p, mine[n_mine - 1]);
	if (span_end == mine[0])
		span_end++;
	rc = appt_occurrences(s, SCOPE_OWNER, p->owner_id, mine[0], span_end,
			      OCC_MAX, a, &occ, &n_occ, err);
	if (rc)
		return rc;
	conf->v = arena_alloc(a, CONFLICTS_MAX * sizeof(*conf->v));
	for (size_t i = 0; i < n_occ && conf->n < CONFLICTS_MAX; i++) {
		const struct appointment *o = occ[i].appt;
		if (o->status != APPT_SCHEDULED || o->id == self_id ||
		    (self_series &&
		     (o->id == self_series || o->parent_id == self_series)))
			continue;
		for (size_t k = 0; k < n_mine; k++) {
			int64_t end = instance_end(p, mine[k]);
			if (appt_overlaps(mine[k], end, occ[i].start_utc,
					  occ[i].end_utc)) {
				conf->v[conf->n++] = occ[i];
				break;
			}
		}
	}
	return AV_OK;
}

/* Customer, contact and owner exist and fit together. */
static enum av_err
check_refs(struct store *s, struct appointment *p, struct arena *a,
	   struct av_error *err)
{
	struct user u;

	if (p->customer_id) {
		struct customer c;
		if (store_customer_get(s, p->customer_id, a, &c, err))
			return av_field_errorf(err, AV_EINVAL, "customer_id",
					       "customer %lld does not exist",
					       (long long)p->customer_id);
	}
	if (p->contact_id) {
		struct contact c;
		if (store_contact_get(s, p->contact_id, a, &c, err) ||
		    c.customer_id != p->customer_id)
			return av_field_errorf(
			    err, AV_EINVAL, "contact_id",
			    "contact %lld is not a person at "
			    "this customer",
			    (long long)p->contact_id);
	}
	if (store_user_get(s, p->owner_id, a, &u, err))
		return av_field_errorf(err, AV_EINVAL, "owner",
				       "user %lld does not exist",
				       (long long)p->owner_id);
	if (u.disabled)
		return av_field_errorf(err, AV_EINVAL, "owner",
				       "user '%s' is disabled", u.email);
	return AV_OK;
}

/* Validate, derive the series end, check for conflicts. */
static enum av_err
ready(struct store *s, struct appointment *p, bool force, int64_t self_id,
      int64_t self_series, struct arena *a, struct conflicts *conf,
      struct av_error *err)
{
	const char **types;
	enum av_err rc;

	if ((rc = check_refs(s, p, a, err)) ||
	    (rc = store_code_list(s, "appointment_type", a, &types, err)) ||
	    (rc = appt_prepare(p, types, a, err)) ||
	    (rc = appt_series_end(p, a, &p->series_end_utc, err)))
		return rc;
	if (force || p->status != APPT_SCHEDULED)
		return AV_OK;
	rc = find_conflicts(s, p, self_id, self_series, a, conf, err);
	if (rc)
		return rc;
	if (conf->n) {
		char when[40] = "";
		tz_format_rfc3339(p->time_zone, conf->v[0].start_utc, when,
				  sizeof(when));
		return av_field_errorf(err, AV_ECONFLICT, "start",
				       "the owner already has appointment "
				       "%lld at %s",
				       (long long)conf->v[0].appt->id, when);
	}
	return AV_OK;
}

/* Run 'rc' as the last step of a transaction begun by the caller. */
static enum av_err
finish(struct store *s, enum av_err rc, struct av_error *err)
{
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

enum av_err
appt_book(struct store *s, struct appointment *p, bool force, int64_t actor,
	  struct arena *a, struct conflicts *conf, struct av_error *err)
{
	enum av_err rc;

	conf->n = 0;
	p->status = APPT_SCHEDULED;
	p->sequence = 0;
	p->reschedule_count = 0;
	if (!p->uid)
		p->uid = random_uid(a);
	if ((rc = store_begin(s, err)))
		return rc;
	rc = ready(s, p, force, 0, 0, a, conf, err);
	if (!rc)
		rc = store_appt_insert(s, p, actor, err);
	return finish(s, rc, err);
}

/* Apply the set fields of 'patch' to 'base'; true if the time changed. */
static bool
apply(struct appointment *base, const struct appt_patch *patch)
{
	const struct appointment *v = &patch->v;
	int64_t old_start = base->start_utc, old_end = base->end_utc;
	unsigned set = patch->set;

	if (set & AF_ALL_DAY)
		base->all_day = v->all_day;
	if (set & AF_TIME_ZONE)
		base->time_zone = v->time_zone;
	if (set & AF_START) {
		int64_t end = v->start_utc + (old_end - old_start);
		if (base->all_day && !(set & AF_END))
			tz_add_days(base->time_zone, v->start_utc,
				    all_day_days(base), &end, NULL);
		base->start_utc = v->start_utc;
		base->end_utc = end;
	}
	if (set & AF_END)
		base->end_utc = v->end_utc;
	if (set & AF_CUSTOMER)
		base->customer_id = v->customer_id;
	if (set & AF_CONTACT)
		base->contact_id = v->contact_id;
	if (set & AF_OWNER)
		base->owner_id = v->owner_id;
	if (set & AF_TYPE)
		base->type = v->type;
	if (set & AF_CHANNEL)
		base->channel = v->channel;
	if (set & AF_LOCATION)
		base->location = v->location;
	if (set & AF_VIDEO_URL)
		base->video_url = v->video_url;
	if (set & AF_SUBJECT)
		base->subject = v->subject;
	if (set & AF_NOTES)
		base->notes = v->notes;
	if (set & AF_RRULE)
		base->rrule = v->rrule;
	if (set & AF_REMINDER)
		base->reminder_minutes = v->reminder_minutes;
	return base->start_utc != old_start || base->end_utc != old_end;
}

/* Fields a calendar shows: a change raises SEQUENCE (RFC 5546). */
static bool
visible_change(const struct appointment *a, const struct appointment *b)
{
#define DIFF(f)                                                                \
	((a->f == NULL) != (b->f == NULL) || (a->f && strcmp(a->f, b->f) != 0))
	return a->start_utc != b->start_utc || a->end_utc != b->end_utc ||
	       a->all_day != b->all_day || a->status != b->status ||
	       a->channel != b->channel || DIFF(subject) || DIFF(location) ||
	       DIFF(video_url) || DIFF(rrule) || DIFF(exdates) ||
	       DIFF(time_zone) || a->owner_id != b->owner_id;
#undef DIFF
}

/*
 * A changed time: only a scheduled appointment may change its time, and a
 * new start counts as a reschedule (a longer or shorter meeting does not).
 */
static enum av_err
moved(struct appointment *p, const struct appointment *old,
      struct av_error *err)
{
	if (old->status != APPT_SCHEDULED)
		return av_field_errorf(err, AV_ECONFLICT, "start",
				       "a %s appointment cannot be moved; book "
				       "a new one instead",
				       appt_status_name(old->status));
	if (p->start_utc != old->start_utc)
		p->reschedule_count++;
	return AV_OK;
}

/* Does the change touch what the conflict check looks at? */
static bool
needs_conflict_check(const struct appointment *p, const struct appointment *old)
{
	return p->start_utc != old->start_utc || p->end_utc != old->end_utc ||
	       p->owner_id != old->owner_id || p->all_day != old->all_day ||
	       (p->rrule == NULL) != (old->rrule == NULL) ||
	       (p->rrule && strcmp(p->rrule, old->rrule) != 0) || p->id == 0;
}

/* Is 'occurrence' an instance of series 'm' (before exdates)? */
static enum av_err
check_instance(const struct appointment *m, int64_t occurrence, struct arena *a,
	       struct av_error *err)
{
	int64_t got[2];
	size_t n = 0;
	enum av_err rc;

	(void)a;
	rc = recur_expand(m->rrule, m->time_zone, m->start_utc, NULL, 0,
			  occurrence, occurrence + 1, 2, got, &n, err);
	if (rc)
		return rc;
	if (n != 1 || got[0] != occurrence)
		return av_field_errorf(err, AV_ENOTFOUND, "occurrence",
				       "appointment %lld has no occurrence "
				       "starting at that time",
				       (long long)m->id);
	return AV_OK;
}

/* The row of one instance: its changed occurrence, or a new one copied
 * from the series (not yet stored: id 0). */
static enum av_err
instance_row(struct store *s, const struct appointment *m, int64_t occurrence,
	     struct arena *a, struct appointment *out, struct av_error *err)
{
	enum av_err rc = store_appt_override(s, m->id, occurrence, a, out, err);

	if (rc != AV_ENOTFOUND)
		return rc;
	if ((rc = check_instance(m, occurrence, a, err)))
		return rc;
	av_error_clear(err);
	*out = *m;
	out->id = 0;
	out->ical_dtstamp = 0; /* Avtale's own change, stamped when written */
	out->rrule = NULL;
	out->exdates = NULL;
	out->series_end_utc = 0;
	out->parent_id = m->id;
	out->recurrence_id = occurrence;
	out->start_utc = occurrence;
	out->end_utc = instance_end(m, occurrence);
	out->reschedule_count = 0;
	out->version = 0;
	return AV_OK;
}

/* Store 'p' (insert when new) after the rules ran. */
static enum av_err
save(struct store *s, struct appointment *p, const struct appointment *old,
     int64_t expected_version, int64_t actor, const char *action,
     struct av_error *err)
{
	if (old && visible_change(old, p))
		p->sequence++;
	if (p->id == 0)
		return store_appt_insert(s, p, actor, err);
	return store_appt_update(s, p, expected_version, actor, action, err);
}

/* Remove COUNT and UNTIL from a rule and bound it by UNTIL=until (UTC). */
static char *
rule_until(struct arena *a, const char *rrule, int64_t until)
{
	char stamp[32], compact[20];
	char *out = arena_alloc(a, strlen(rrule) + 1);
	size_t o = 0, k = 0;

	/* 2025-03-30T01:30:00Z -> 20250330T013000Z */
	tz_format_utc(until, stamp, sizeof(stamp));
	for (const char *p = stamp; *p && k + 1 < sizeof(compact); p++)
		if (*p != '-' && *p != ':')
			compact[k++] = *p;
	compact[k] = '\0';
	for (const char *p = rrule; *p;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);

		if (strncmp(p, "COUNT=", 6) != 0 &&
		    strncmp(p, "UNTIL=", 6) != 0) {
			if (o)
				out[o++] = ';';
			memcpy(out + o, p, len);
			o += len;
		}
		p = semi ? semi + 1 : p + len;
	}
	out[o] = '\0';
	return arena_printf(a, "%s;UNTIL=%s", out, compact);
}

static enum av_err
change_following(struct store *s, struct appointment *m, int64_t occurrence,
		 const struct appt_patch *patch, bool force, int64_t actor,
		 struct arena *a, struct conflicts *conf, int64_t *result_id,
		 struct av_error *err)
{
	struct appointment old = *m;
	struct appointment next = *m;
	struct appointment *ov;
	int64_t *ex;
	size_t n_ov, n_ex, n_before = 0;
	int64_t *keep;
	size_t n_keep = 0;
	const char *count = strstr(m->rrule, "COUNT=");
	enum av_err rc;

	if ((rc = check_instance(m, occurrence, a, err)))
		return rc;
	/* the new series: from this occurrence on, with its own uid */
	next.id = 0;
	next.uid = random_uid(a);
	next.sequence = 0;
	next.reschedule_count = 0;
	next.start_utc = occurrence;
	next.end_utc = instance_end(m, occurrence);
	if (count) {
		int64_t total;
		int64_t *before = arena_alloc(a, 5000 * sizeof(*before));
		if (!str_to_i64_len(count + 6, strcspn(count + 6, ";"), 1,
				    100000, &total))
			total = 0;
		rc = recur_expand(m->rrule, m->time_zone, m->start_utc, NULL, 0,
				  m->start_utc, occurrence, 5000, before,
				  &n_before, err);
		if (rc)
			return rc;
		next.rrule = arena_printf(
		    a, "%.*s%s%lld%s", (int)(count + 6 - m->rrule), m->rrule,
		    "", (long long)(total - (int64_t)n_before),
		    count + 6 + strcspn(count + 6, ";"));
	}
	/* exdates and changed occurrences from here on belong to 'next' */
	n_ex = appt_exdates_parse(m->exdates, a, &ex);
	if ((rc = store_appt_overrides(s, m->id, a, &ov, &n_ov, err)))
		return rc;
	keep = arena_alloc(a, (n_ex + n_ov + 1) * sizeof(*keep));
	for (size_t i = 0; i < n_ex; i++)
		if (ex[i] >= occurrence)
			keep[n_keep++] = ex[i];
	for (size_t i = 0; i < n_ov; i++)
		if (ov[i].recurrence_id >= occurrence)
			keep[n_keep++] = ov[i].recurrence_id;
	next.exdates = appt_exdates_format(keep, n_keep, a);
	if (apply(&next, patch)) {
		struct appointment at = next;
		at.start_utc = occurrence;
		if ((rc = moved(&next, &at, err)))
			return rc;
	}
	if ((rc = ready(s, &next, force, 0, m->id, a, conf, err)))
		return rc;
	/* the old series ends just before this occurrence */
	m->rrule = rule_until(a, m->rrule, occurrence - 1);
	if ((rc = appt_series_end(m, a, &m->series_end_utc, err)) ||
	    (rc = save(s, m, &old, 0, actor, "split", err)) ||
	    (rc = store_appt_insert(s, &next, actor, err)))
		return rc;
	*result_id = next.id;
	return AV_OK;
}

/*
 * The series moved by 'delta': its exdates and the original starts that
 * changed occurrences replace move with it, so each still names the same
 * instance (otherwise a changed occurrence would stand beside a generated
 * one at the new time).
 */
static enum av_err
shift_instances(struct store *s, struct appointment *m, int64_t delta,
		struct arena *a, struct av_error *err)
{
	int64_t *ex;
	size_t n_ex = appt_exdates_parse(m->exdates, a, &ex);

	for (size_t i = 0; i < n_ex; i++)
		ex[i] += delta;
	m->exdates = appt_exdates_format(ex, n_ex, a);
	return store_appt_shift_instances(s, m->id, delta, err);
}

enum av_err
appt_change(struct store *s, int64_t id, const struct appt_patch *patch,
	    enum appt_target target, int64_t occurrence,
	    int64_t expected_version, bool force, int64_t actor,
	    struct arena *a, struct conflicts *conf, int64_t *result_id,
	    struct av_error *err)
{
	struct appointment m, old, row;
	enum av_err rc;

	conf->n = 0;
	*result_id = id;
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_appt_get(s, id, a, &m, err);
	if (!rc && expected_version && m.version != expected_version)
		rc = av_errorf(err, AV_ESTALE,
			       "appointment %lld has version %lld, not %lld",
			       (long long)id, (long long)m.version,
			       (long long)expected_version);
	if (rc)
		return finish(s, rc, err);
	if (!m.rrule || target == TARGET_ALL ||
	    (target == TARGET_FOLLOWING && occurrence == m.start_utc)) {
		int64_t old_start = m.start_utc;
		old = m;
		if (apply(&m, patch) && (rc = moved(&m, &old, err)))
			return finish(s, rc, err);
		rc = ready(s, &m, force || !needs_conflict_check(&m, &old),
			   m.id, m.rrule ? m.id : 0, a, conf, err);
		/* instances keep their identity when the series moves */
		if (!rc && m.rrule && m.start_utc != old_start)
			rc = shift_instances(s, &m, m.start_utc - old_start, a,
					     err);
		if (!rc)
			rc = save(s, &m, &old, expected_version, actor,
				  m.start_utc != old_start ? "move" : "update",
				  err);
		return finish(s, rc, err);
	}
	if (target == TARGET_FOLLOWING) {
		rc = change_following(s, &m, occurrence, patch, force, actor, a,
				      conf, result_id, err);
		return finish(s, rc, err);
	}
	/* one instance of the series */
	if (patch->set & AF_RRULE) {
		rc = av_field_errorf(err, AV_EINVAL, "rrule",
				     "one occurrence cannot repeat; change "
				     "the whole series instead");
		return finish(s, rc, err);
	}
	rc = instance_row(s, &m, occurrence, a, &row, err);
	if (rc)
		return finish(s, rc, err);
	old = row;
	if (apply(&row, patch) && (rc = moved(&row, &old, err)))
		return finish(s, rc, err);
	rc = ready(s, &row, force || !needs_conflict_check(&row, &old), row.id,
		   m.id, a, conf, err);
	if (!rc)
		rc = save(s, &row, &old, 0, actor, "move", err);
	if (!rc)
		*result_id = row.id;
	return finish(s, rc, err);
}

/* Change the state of a single appointment or one instance. */
static enum av_err
set_state(struct store *s, int64_t id, int64_t occurrence, enum appt_status to,
	  const char *outcome, const char *note, const char *reason,
	  int64_t expected_version, int64_t actor, struct arena *a,
	  struct appointment *row, struct av_error *err)
{
	static const char *const action[APPT_STATUS__MAX] = {
	    [APPT_COMPLETED] = "complete",
	    [APPT_CANCELLED] = "cancel",
	    [APPT_NO_SHOW] = "no_show",
	};
	struct appointment m, old;
	enum av_err rc;

	rc = store_appt_get(s, id, a, &m, err);
	if (!rc && expected_version && m.version != expected_version)
		rc = av_errorf(err, AV_ESTALE,
			       "appointment %lld has version %lld, not %lld",
			       (long long)id, (long long)m.version,
			       (long long)expected_version);
	if (rc)
		return rc;
	if (m.rrule && occurrence) {
		rc = instance_row(s, &m, occurrence, a, row, err);
		if (rc)
			return rc;
	} else if (m.rrule && to != APPT_CANCELLED) {
		return av_field_errorf(err, AV_EINVAL, "occurrence",
				       "appointment %lld repeats: say which "
				       "occurrence",
				       (long long)id);
	} else {
		*row = m;
	}
	old = *row;
	if ((rc = appt_transition_check(row->status, to, err)))
		return rc;
	if (to == APPT_NO_SHOW && row->start_utc > store_now())
		return av_field_errorf(err, AV_ECONFLICT, "status",
				       "an appointment that has not started "
				       "cannot be a no-show");
	row->status = to;
	row->outcome = outcome;
	row->outcome_note = note;
	row->cancel_reason = reason;
	return save(s, row, &old, row->id == m.id ? expected_version : 0, actor,
		    action[to], err);
}

enum av_err
appt_complete(struct store *s, int64_t id, int64_t occurrence,
	      const struct completion *c, int64_t expected_version, bool force,
	      int64_t actor, struct arena *a, struct conflicts *conf,
	      int64_t *result_id, struct av_error *err)
{
	struct appointment row;
	const char **outcomes;
	enum av_err rc;
	struct str note = str_trim(str_from(c->note ? c->note : ""));

	conf->n = 0;
	if (!c->outcome || !*c->outcome)
		return av_field_errorf(err, AV_EINVAL, "outcome",
				       "completing an appointment needs an "
				       "'outcome'");
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_code_list(s, "outcome", a, &outcomes, err);
	if (!rc && !appt_code_in(outcomes, c->outcome)) {
		struct buf list;
		buf_init(&list, 200);
		for (size_t i = 0; outcomes[i]; i++)
			buf_addf(&list, "%s%s", i ? ", " : "", outcomes[i]);
		rc = av_field_errorf(err, AV_EINVAL, "outcome",
				     "'%s' is not a configured outcome; use "
				     "one of: %s",
				     c->outcome, list.p);
		buf_release(&list);
	}
	if (!rc && note.len &&
	    text_check("note", arena_strndup(a, note.p, note.len),
		       NOTES_MAX_LEN, true, err))
		rc = AV_EINVAL;
	if (!rc)
		rc = set_state(s, id, occurrence, APPT_COMPLETED, c->outcome,
			       note.len ? arena_strndup(a, note.p, note.len)
					: NULL,
			       NULL, expected_version, actor, a, &row, err);
	if (!rc)
		*result_id = row.id;
	if (!rc && c->follow_up) {
		struct appointment *f = c->follow_up;
		f->follow_up_of = row.id;
		f->status = APPT_SCHEDULED;
		f->uid = random_uid(a);
		rc = ready(s, f, force, 0, 0, a, conf, err);
		if (!rc)
			rc = store_appt_insert(s, f, actor, err);
	}
	return finish(s, rc, err);
}

enum av_err
appt_cancel(struct store *s, int64_t id, int64_t occurrence, const char *reason,
	    int64_t expected_version, int64_t actor, struct arena *a,
	    int64_t *result_id, struct av_error *err)
{
	struct appointment row;
	struct str r = str_trim(str_from(reason ? reason : ""));
	enum av_err rc;

	if (r.len == 0)
		return av_field_errorf(err, AV_EINVAL, "reason",
				       "cancelling needs a 'reason'");
	if (r.len > APPT_REASON_MAX)
		return av_field_errorf(err, AV_EINVAL, "reason",
				       "'reason' is longer than %d bytes",
				       APPT_REASON_MAX);
	if ((rc = store_begin(s, err)))
		return rc;
	rc = set_state(s, id, occurrence, APPT_CANCELLED, NULL, NULL,
		       arena_strndup(a, r.p, r.len), expected_version, actor, a,
		       &row, err);
	if (!rc)
		*result_id = row.id;
	return finish(s, rc, err);
}

enum av_err
appt_no_show(struct store *s, int64_t id, int64_t occurrence,
	     int64_t expected_version, int64_t actor, struct arena *a,
	     int64_t *result_id, struct av_error *err)
{
	struct appointment row;
	enum av_err rc;

	if ((rc = store_begin(s, err)))
		return rc;
	rc = set_state(s, id, occurrence, APPT_NO_SHOW, NULL, NULL, NULL,
		       expected_version, actor, a, &row, err);
	if (!rc)
		*result_id = row.id;
	return finish(s, rc, err);
}

const char *
appt_adjust_note(struct arena *a, const char *text, const char *zone,
		 int64_t utc, enum tz_adjust how, const char *verb)
{
	struct tz_local want, got;

	if (how == TZ_EXACT || tz_parse_local(text, "start", &want, NULL) ||
	    tz_utc_to_local(zone, utc, &got, NULL, NULL))
		return NULL;
	if (how == TZ_GAP_SHIFTED)
		return arena_printf(a,
				    "%02d:%02d does not exist on "
				    "%04d-%02d-%02d in %s (clocks go "
				    "forward); %s %02d:%02d",
				    want.hour, want.minute, want.year,
				    want.month, want.day, zone, verb, got.hour,
				    got.minute);
	return arena_printf(a,
			    "%02d:%02d occurs twice on %04d-%02d-%02d in %s "
			    "(clocks go back); the first one was used",
			    want.hour, want.minute, want.year, want.month,
			    want.day, zone);
}
