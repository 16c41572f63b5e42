/* SPDX-License-Identifier: MIT */
/*
 * Appointments to iCalendar through libical. libical escapes TEXT values
 * (\, \; \\ \n) and folds lines at 75 octets between characters; what it
 * does not do is refuse bare CR and other control characters, so every
 * text and parameter value is cleaned here first: CRLF and CR become LF
 * (escaped as \n), other controls a space, and a '"' in a parameter value
 * (which RFC 5545 cannot quote) becomes '\''.
 */
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/tz.h"
#include "ical/write.h"

#include "core/banned.h"

#define PRODID "-//Avtale//Avtale " AVTALE_VERSION "//EN"

const char *
cal_method_name(enum cal_method m)
{
	static const char *const names[CAL_METHOD__MAX] = {
	    [CAL_METHOD_NONE] = NULL,	      [CAL_METHOD_PUBLISH] = "PUBLISH",
	    [CAL_METHOD_REQUEST] = "REQUEST", [CAL_METHOD_CANCEL] = "CANCEL",
	    [CAL_METHOD_REPLY] = "REPLY",
	};
	return (unsigned)m < CAL_METHOD__MAX ? names[m] : NULL;
}

/* A copy of 's' fit for a TEXT value (param: for a parameter value). */
static char *
clean(struct arena *a, const char *s, bool param)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			if (s[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if (c == '\n' && !param)
			out[o++] = '\n';
		else if (c < 0x20 || c == 0x7f)
			out[o++] = (c == '\t' && !param) ? '\t' : ' ';
		else if (c == '"' && param)
			out[o++] = '\'';
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	return out;
}

static struct icaltimetype
utc_time(int64_t utc)
{
	struct icaltimetype t = icaltime_null_time();
	struct tz_local l;

	tz_local_from_seconds(utc, &l);
	t.year = l.year;
	t.month = l.month;
	t.day = l.day;
	t.hour = l.hour;
	t.minute = l.minute;
	t.second = l.second;
	t.zone = icaltimezone_get_utc_timezone();
	return t;
}

/* DTSTART, DTEND, RECURRENCE-ID or EXDATE of instant 'utc': a DATE for
 * all-day events, a wall time without zone for floating ones, UTC for
 * "UTC", otherwise the wall time with TZID. */
static icalproperty *
time_prop(icalproperty_kind kind, const char *zone, int64_t utc, bool all_day,
	  bool floating, struct av_error *err)
{
	struct icaltimetype t = icaltime_null_time();
	struct tz_local l;
	icalproperty *p;
	bool utc_zone = strcmp(zone, "UTC") == 0;

	if (utc_zone && !all_day && !floating) {
		t = utc_time(utc);
	} else {
		if (tz_utc_to_local(zone, utc, &l, NULL, err))
			return NULL;
		t.year = l.year;
		t.month = l.month;
		t.day = l.day;
		if (all_day) {
			t.is_date = 1;
		} else {
			t.hour = l.hour;
			t.minute = l.minute;
			t.second = l.second;
		}
	}
	p = icalproperty_new(kind);
	switch (kind) {
	case ICAL_DTSTART_PROPERTY:
		icalproperty_set_dtstart(p, t);
		break;
	case ICAL_DTEND_PROPERTY:
		icalproperty_set_dtend(p, t);
		break;
	case ICAL_RECURRENCEID_PROPERTY:
		icalproperty_set_recurrenceid(p, t);
		break;
	default:
		icalproperty_set_exdate(p, t);
		break;
	}
	if (all_day)
		icalproperty_add_parameter(
		    p, icalparameter_new_value(ICAL_VALUE_DATE));
	else if (!floating && !utc_zone)
		icalproperty_add_parameter(p, icalparameter_new_tzid(zone));
	return p;
}

static void
add_x(icalcomponent *c, const char *name, const char *value, struct arena *a)
{
	icalproperty *p = icalproperty_new_x(clean(a, value, true));

	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

static void
add_text(icalcomponent *c, icalproperty *(*make)(const char *),
	 const char *value, struct arena *a)
{
	if (value)
		icalcomponent_add_property(c, make(clean(a, value, false)));
}

static icalproperty *
person(icalproperty *(*make)(const char *), const char *email, const char *name,
       struct arena *a)
{
	icalproperty *p =
	    make(arena_printf(a, "mailto:%s", clean(a, email, true)));

	if (name && *name)
		icalproperty_add_parameter(
		    p, icalparameter_new_cn(clean(a, name, true)));
	return p;
}

static void
add_attendee(icalcomponent *c, const struct appt_attendee *at, struct arena *a)
{
	icalproperty *p =
	    person(icalproperty_new_attendee, at->email, at->name, a);
	icalparameter_role role = ICAL_ROLE_REQPARTICIPANT;
	icalparameter_partstat ps = ICAL_PARTSTAT_NEEDSACTION;

	if (at->role)
		role = icalparameter_string_to_enum(at->role) > 0
			   ? (icalparameter_role)icalparameter_string_to_enum(
				 at->role)
			   : role;
	if (at->partstat)
		ps = icalparameter_string_to_enum(at->partstat) > 0
			 ? (icalparameter_partstat)icalparameter_string_to_enum(
			       at->partstat)
			 : ps;
	icalproperty_add_parameter(p, icalparameter_new_role(role));
	icalproperty_add_parameter(p, icalparameter_new_partstat(ps));
	if (at->rsvp)
		icalproperty_add_parameter(
		    p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
	icalcomponent_add_property(c, p);
}

static void
add_alarm(icalcomponent *ev, int64_t minutes)
{
	icalcomponent *al = icalcomponent_new_valarm();
	struct icaltriggertype trig;

	memset(&trig, 0, sizeof(trig));
	trig.time = icaltime_null_time();
	trig.duration = icaldurationtype_from_int(-(int)(minutes * 60));
	icalcomponent_add_property(
	    al, icalproperty_new_action(ICAL_ACTION_DISPLAY));
	icalcomponent_add_property(al,
				   icalproperty_new_description("Reminder"));
	icalcomponent_add_property(al, icalproperty_new_trigger(trig));
	icalcomponent_add_component(ev, al);
}

static enum av_err
add_times(icalcomponent *c, const struct ical_out_event *e,
	  struct av_error *err)
{
	const struct appointment *p = e->appt;
	const char *zone = p->time_zone;
	icalproperty *prop;

	prop = time_prop(ICAL_DTSTART_PROPERTY, zone, p->start_utc, p->all_day,
			 p->floating, err);
	if (!prop)
		return err ? err->code : AV_EINVAL;
	icalcomponent_add_property(c, prop);
	prop = time_prop(ICAL_DTEND_PROPERTY, zone, p->end_utc, p->all_day,
			 p->floating, err);
	if (!prop)
		return err ? err->code : AV_EINVAL;
	icalcomponent_add_property(c, prop);
	if (p->recurrence_id) {
		const char *mz = e->master_zone ? e->master_zone : zone;
		prop =
		    time_prop(ICAL_RECURRENCEID_PROPERTY, mz, p->recurrence_id,
			      p->all_day, p->floating, err);
		if (!prop)
			return err ? err->code : AV_EINVAL;
		icalcomponent_add_property(c, prop);
	}
	if (p->rrule) {
		struct icalrecurrencetype r =
		    icalrecurrencetype_from_string(p->rrule);
		int64_t *ex;
		size_t n_ex = 0;
		struct arena a;

		if (r.freq != ICAL_NO_RECURRENCE)
			icalcomponent_add_property(c,
						   icalproperty_new_rrule(r));
		arena_init(&a, 0);
		n_ex = appt_exdates_parse(p->exdates, &a, &ex);
		for (size_t i = 0; i < n_ex; i++) {
			prop = time_prop(ICAL_EXDATE_PROPERTY, zone, ex[i],
					 p->all_day, p->floating, NULL);
			if (prop)
				icalcomponent_add_property(c, prop);
		}
		arena_release(&a);
	}
	return AV_OK;
}

static enum av_err
make_event(icalcomponent **out, const struct ical_out_calendar *oc,
	   const struct ical_out_event *e, struct arena *a,
	   struct av_error *err)
{
	const struct appointment *p = e->appt;
	icalcomponent *c = icalcomponent_new_vevent();
	int64_t stamp = oc->dtstamp	  ? oc->dtstamp
			: p->ical_dtstamp ? p->ical_dtstamp
					  : p->updated_at;
	bool cancelled =
	    p->status == APPT_CANCELLED || oc->method == CAL_METHOD_CANCEL;
	const char *org = p->organizer_email ? p->organizer_email : p->owner;
	const char *org_name =
	    p->organizer_email ? p->organizer_name : p->owner_name;
	enum av_err rc;

	icalcomponent_add_property(
	    c, icalproperty_new_uid(clean(a, p->uid, true)));
	icalcomponent_add_property(c,
				   icalproperty_new_dtstamp(utc_time(stamp)));
	icalcomponent_add_property(
	    c,
	    icalproperty_new_sequence((int)(p->sequence + oc->sequence_bump)));
	if ((rc = add_times(c, e, err))) {
		icalcomponent_free(c);
		return rc;
	}
	add_text(c, icalproperty_new_summary, p->subject, a);
	if (e->with_notes)
		add_text(c, icalproperty_new_description, p->notes, a);
	if (p->location)
		add_text(c, icalproperty_new_location, p->location, a);
	else if (p->channel == CHANNEL_VIDEO && p->video_url)
		add_text(c, icalproperty_new_location, p->video_url, a);
	if (p->video_url)
		icalcomponent_add_property(
		    c, icalproperty_new_url(clean(a, p->video_url, true)));
	icalcomponent_add_property(
	    c, icalproperty_new_status(cancelled ? ICAL_STATUS_CANCELLED
						 : ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(
	    c, icalproperty_new_transp(cancelled ? ICAL_TRANSP_TRANSPARENT
						 : ICAL_TRANSP_OPAQUE));
	if (org && strchr(org, '@'))
		icalcomponent_add_property(
		    c, person(icalproperty_new_organizer, org, org_name, a));
	for (size_t i = 0; i < e->n_attendees; i++)
		if (e->attendees[i].email && strchr(e->attendees[i].email, '@'))
			add_attendee(c, &e->attendees[i], a);
	if (p->type)
		add_x(c, "X-AVTALE-TYPE", p->type, a);
	add_x(c, "X-AVTALE-CHANNEL", appt_channel_name(p->channel), a);
	if (p->reminder_minutes >= 0 && !cancelled)
		add_alarm(c, p->reminder_minutes);
	*out = c;
	return AV_OK;
}

/*
 * libical 3.0.16 folds a line whose content ends exactly at a fold point
 * inside its own CRLF ("...\r" "\r\n " "\n") or after it (an empty
 * continuation line). Text values never hold a raw CR or LF (they are
 * escaped), so both shapes can only be that bug: put the CRLF back.
 */
static size_t
repair_folds(char *t, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		if (i + 5 <= len && memcmp(t + i, "\r\r\n \n", 5) == 0) {
			memcpy(t + o, "\r\n", 2);
			o += 2;
			i += 5;
		} else if (i + 5 <= len && memcmp(t + i, "\r\n \r\n", 5) == 0) {
			memcpy(t + o, "\r\n", 2);
			o += 2;
			i += 5;
		} else {
			t[o++] = t[i++];
		}
	}
	t[o] = '\0';
	return o;
}

/* Append libical's text of one component, ending it with CRLF. */
static void
add_text_block(struct buf *b, const char *text)
{
	size_t n = strlen(text);

	buf_add(b, text, n);
	if (n < 2 || memcmp(text + n - 2, "\r\n", 2) != 0)
		buf_adds(b, "\r\n");
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every zone the events name in a TZID, sorted, each once. */
static size_t
zones_used(const struct ical_out_event *ev, size_t n, struct arena *a,
	   const char ***out)
{
	const char **v = arena_alloc(a, (2 * n + 1) * sizeof(*v));
	size_t k = 0, u = 0;

	for (size_t i = 0; i < n; i++) {
		const struct appointment *p = ev[i].appt;

		if (p->all_day || p->floating || !p->time_zone)
			continue;
		v[k++] = p->time_zone;
		if (ev[i].master_zone && p->recurrence_id)
			v[k++] = ev[i].master_zone;
	}
	if (k)
		qsort(v, k, sizeof(*v), cmp_str);
	for (size_t i = 0; i < k; i++)
		if (strcmp(v[i], "UTC") != 0 &&
		    (u == 0 || strcmp(v[u - 1], v[i]) != 0))
			v[u++] = v[i];
	*out = v;
	return u;
}

enum av_err
ical_write(const struct ical_out_calendar *oc, const struct ical_out_event *ev,
	   size_t n, char **out, size_t *len_out, struct av_error *err)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	struct arena a;
	const char **zones;
	size_t n_zones;
	enum av_err rc = AV_OK;
	char *text, *end;
	struct buf b;

	*out = NULL;
	buf_init(&b, 0);
	*len_out = 0;
	arena_init(&a, 0);
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	switch (oc->method) {
	case CAL_METHOD_PUBLISH:
		icalcomponent_add_property(
		    cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
		break;
	case CAL_METHOD_REQUEST:
		icalcomponent_add_property(
		    cal, icalproperty_new_method(ICAL_METHOD_REQUEST));
		break;
	case CAL_METHOD_CANCEL:
		icalcomponent_add_property(
		    cal, icalproperty_new_method(ICAL_METHOD_CANCEL));
		break;
	default:
		break;
	}
	if (oc->name)
		add_x(cal, "X-WR-CALNAME", oc->name, &a);
	if (oc->refresh_minutes > 0) {
		char *d = arena_printf(&a, "PT%dM", oc->refresh_minutes);
		icalproperty *p = icalproperty_new_x(d);

		icalproperty_set_x_name(p, "REFRESH-INTERVAL");
		icalproperty_add_parameter(
		    p, icalparameter_new_value(ICAL_VALUE_DURATION));
		icalcomponent_add_property(cal, p);
		add_x(cal, "X-PUBLISHED-TTL", d, &a);
	}
	n_zones = zones_used(ev, n, &a, &zones);
	for (size_t i = 0; i < n_zones; i++) {
		icalcomponent *tz = (icalcomponent *)tz_vtimezone_new(zones[i]);

		if (!tz) {
			rc =
			    av_field_errorf(err, AV_EINVAL, "time_zone",
					    "unknown time zone '%s'", zones[i]);
			goto out;
		}
		icalcomponent_add_component(cal, tz);
	}
	/* the calendar's head, then one event at a time: libical would
	 * otherwise hold every event's tree and concatenate all their texts
	 * at once */
	text = icalcomponent_as_ical_string_r(cal);
	if (!text || !(end = strstr(text, "END:VCALENDAR"))) {
		free(text);
		rc = av_errorf(err, AV_EINTERNAL, "libical wrote nothing");
		goto out;
	}
	buf_add(&b, text, (size_t)(end - text));
	free(text);
	for (size_t i = 0; i < n && !rc; i++) {
		icalcomponent *c = NULL;

		if ((rc = make_event(&c, oc, &ev[i], &a, err)))
			break;
		text = icalcomponent_as_ical_string_r(c);
		icalcomponent_free(c);
		if (!text) {
			rc = av_errorf(err, AV_EINTERNAL,
				       "libical wrote nothing");
			break;
		}
		add_text_block(&b, text);
		free(text);
	}
	if (rc)
		goto out;
	buf_adds(&b, "END:VCALENDAR\r\n");
	if (buf_failed(&b)) {
		rc = av_errorf(err, AV_EINTERNAL, "out of memory");
		goto out;
	}
	*len_out = repair_folds(b.p, b.len);
	*out = buf_detach(&b, NULL);
out:
	buf_release(&b);
	icalcomponent_free(cal);
	arena_release(&a);
	return rc;
}
