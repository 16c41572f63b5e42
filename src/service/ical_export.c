/* SPDX-License-Identifier: MIT */
/* Stored appointments to iCalendar: feeds, exports and one appointment. */
#include <stdlib.h>
#include <string.h>

#include "service/ical.h"

#include "core/banned.h"

/* Far enough for "no end": the last instant tz.h converts. */
#define EXPORT_END INT64_C(7258118400)

enum av_err
ical_attendees_of(struct store *s, const struct appointment *p, struct arena *a,
		  struct appt_attendee **out, size_t *n_out,
		  struct av_error *err)
{
	enum av_err rc = store_attendees_get(s, p->id, a, out, n_out, err);

	if (rc || *n_out || !p->contact_email || !*p->contact_email)
		return rc;
	*out = arena_alloc(a, sizeof(**out));
	(*out)->email = p->contact_email;
	(*out)->name = p->contact_name;
	(*out)->role = "REQ-PARTICIPANT";
	(*out)->partstat = "NEEDS-ACTION";
	(*out)->rsvp = true;
	*n_out = 1;
	return AV_OK;
}

/* The zone of series 'parent_id': from the rows when it is among them. */
static const char *
series_zone(struct store *s, const struct appointment *rows, size_t n,
	    int64_t parent_id, struct arena *a)
{
	struct appointment m;
	struct av_error e = {0};

	for (size_t i = 0; i < n; i++)
		if (rows[i].id == parent_id)
			return rows[i].time_zone;
	if (store_appt_get(s, parent_id, a, &m, &e))
		return NULL;
	return m.time_zone;
}

static enum av_err
events_of(struct store *s, const struct appointment *rows, size_t n,
	  bool with_notes, struct arena *a, struct ical_out_event **out,
	  int64_t *last_modified, struct av_error *err)
{
	struct ical_out_event *ev = arena_alloc(a, (n + 1) * sizeof(*ev));
	int64_t last = 0;
	enum av_err rc = AV_OK;

	for (size_t i = 0; i < n && !rc; i++) {
		struct appt_attendee *at;
		size_t n_at;

		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].appt = &rows[i];
		ev[i].with_notes = with_notes;
		if (rows[i].parent_id)
			ev[i].master_zone =
			    series_zone(s, rows, n, rows[i].parent_id, a);
		rc = ical_attendees_of(s, &rows[i], a, &at, &n_at, err);
		ev[i].attendees = at;
		ev[i].n_attendees = n_at;
		if (rows[i].updated_at > last)
			last = rows[i].updated_at;
	}
	*out = ev;
	if (last_modified)
		*last_modified = last;
	return rc;
}

enum av_err
ical_export(struct store *s, const struct ical_export_opts *o, char **out,
	    size_t *len_out, int64_t *last_modified_out, struct av_error *err)
{
	struct arena a;
	struct appointment *rows;
	struct ical_out_event *ev;
	size_t n;
	struct ical_out_calendar cal = {
	    .method = o->method,
	    .name = o->name,
	    .refresh_minutes = o->refresh_minutes,
	};
	enum av_err rc;

	*out = NULL;
	*len_out = 0;
	arena_init(&a, 0);
	rc = store_begin_read(s, err);
	if (rc)
		goto out;
	rc = store_appt_export_rows(s, o->owner_id, o->from,
				    o->to ? o->to : EXPORT_END, &a, &rows, &n,
				    err);
	if (!rc)
		rc = events_of(s, rows, n, o->with_notes, &a, &ev,
			       last_modified_out, err);
	store_rollback(s);
	if (!rc)
		rc = ical_write(&cal, ev, n, out, len_out, err);
out:
	arena_release(&a);
	return rc;
}

enum av_err
ical_export_one(struct store *s, int64_t id, bool with_notes,
		enum cal_method method, int64_t dtstamp, char **out,
		size_t *len_out, struct av_error *err)
{
	struct arena a;
	struct appointment *rows, *ov = NULL;
	struct ical_out_event *ev;
	size_t n = 1, n_ov = 0;
	struct ical_out_calendar cal = {.method = method, .dtstamp = dtstamp};
	enum av_err rc;

	*out = NULL;
	*len_out = 0;
	arena_init(&a, 0);
	rows = arena_alloc(&a, sizeof(*rows));
	rc = store_appt_get(s, id, &a, rows, err);
	if (!rc && rows->rrule)
		rc = store_appt_overrides(s, id, &a, &ov, &n_ov, err);
	if (!rc && n_ov) {
		struct appointment *all =
		    arena_alloc(&a, (n_ov + 1) * sizeof(*all));
		all[0] = rows[0];
		memcpy(all + 1, ov, n_ov * sizeof(*all));
		rows = all;
		n += n_ov;
	}
	if (!rc)
		rc = events_of(s, rows, n, with_notes, &a, &ev, NULL, err);
	if (!rc)
		rc = ical_write(&cal, ev, n, out, len_out, err);
	arena_release(&a);
	return rc;
}
