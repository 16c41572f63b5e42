/* SPDX-License-Identifier: MIT */
/*
 * /api/v1/appointments and /api/v1/customers/{id}/appointments: booking,
 * changing, the life cycle actions, range queries and the record's tab.
 * Handlers read the body through one field table, resolve wall-clock times
 * in a zone (the body's time_zone, else the owner's) and leave every rule
 * to service/appointments.c. A 409 for an overlap carries the conflicting
 * appointments in a "conflicts" array next to the RFC 9457 members.
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "service/appointments.h"
#include "service/mail.h"

#include "core/banned.h"

enum {
	TAB_DEFAULT = 50,
	TAB_MAX = 500,
	LIST_DEFAULT = 5000,
	RANGE_MAX_S = 366 * 86400,
	DAYS_MAX = 31,
};

/* The same base resp_error uses for its "type" member. */
#define PROBLEM_TYPE "https://avtale.dev/problems/"

/* Which bodies accept a field. */
enum form {
	F_BOOK = 1 << 0,     /* POST /appointments */
	F_PATCH = 1 << 1,    /* PATCH /appointments/{id} */
	F_COMPLETE = 1 << 2, /* POST .../complete */
	F_CANCEL = 1 << 3,   /* POST .../cancel */
	F_NO_SHOW = 1 << 4,  /* POST .../no-show */
	F_FOLLOW = 1 << 5,   /* the follow_up object of a completion */
};

#define F_TIMES	 (F_BOOK | F_PATCH | F_FOLLOW)
#define F_ACTION (F_COMPLETE | F_CANCEL | F_NO_SHOW)

enum in_field {
	IN_START,
	IN_END,
	IN_DURATION,
	IN_DAYS,
	IN_TIME_ZONE,
	IN_ALL_DAY,
	IN_CUSTOMER,
	IN_CONTACT,
	IN_OWNER,
	IN_TYPE,
	IN_CHANNEL,
	IN_LOCATION,
	IN_VIDEO_URL,
	IN_SUBJECT,
	IN_NOTES,
	IN_RRULE,
	IN_REMINDER,
	IN_FORCE,
	IN_SCOPE,
	IN_OCCURRENCE,
	IN_OUTCOME,
	IN_NOTE,
	IN_REASON,
	IN_FOLLOW_UP,
	IN_STATUS,
	IN_OUTCOME_NOTE,
	IN_CANCEL_REASON,
	IN_INVITE,
	IN__MAX
};

enum in_kind {
	K_TEXT,	  /* string, or null to clear */
	K_INT,	  /* integer, or null to clear */
	K_BOOL,	  /* true or false */
	K_OBJECT, /* object, or null */
	K_STATE,  /* life cycle state: only the action endpoints change it */
};

struct in_spec {
	const char *name;  /* JSON member */
	enum in_kind kind; /* accepted JSON type */
	unsigned forms;	   /* enum form bits of the bodies that take it */
};

static const struct in_spec in_specs[IN__MAX] = {
    [IN_START] = {"start", K_TEXT, F_TIMES},
    [IN_END] = {"end", K_TEXT, F_TIMES},
    [IN_DURATION] = {"duration", K_INT, F_TIMES},
    [IN_DAYS] = {"days", K_INT, F_TIMES},
    [IN_TIME_ZONE] = {"time_zone", K_TEXT, F_TIMES},
    [IN_ALL_DAY] = {"all_day", K_BOOL, F_TIMES},
    [IN_CUSTOMER] = {"customer_id", K_INT, F_TIMES},
    [IN_CONTACT] = {"contact_id", K_INT, F_TIMES},
    [IN_OWNER] = {"owner", K_TEXT, F_TIMES},
    [IN_TYPE] = {"type", K_TEXT, F_TIMES},
    [IN_CHANNEL] = {"channel", K_TEXT, F_TIMES},
    [IN_LOCATION] = {"location", K_TEXT, F_TIMES},
    [IN_VIDEO_URL] = {"video_url", K_TEXT, F_TIMES},
    [IN_SUBJECT] = {"subject", K_TEXT, F_TIMES},
    [IN_NOTES] = {"notes", K_TEXT, F_TIMES},
    [IN_RRULE] = {"rrule", K_TEXT, F_BOOK | F_PATCH},
    [IN_REMINDER] = {"reminder_minutes", K_INT, F_TIMES},
    [IN_FORCE] = {"force", K_BOOL, F_BOOK | F_PATCH | F_COMPLETE},
    [IN_SCOPE] = {"scope", K_TEXT, F_PATCH},
    [IN_OCCURRENCE] = {"occurrence", K_TEXT, F_PATCH | F_ACTION},
    [IN_OUTCOME] = {"outcome", K_STATE, F_BOOK | F_PATCH | F_COMPLETE},
    [IN_NOTE] = {"note", K_TEXT, F_COMPLETE},
    [IN_REASON] = {"reason", K_TEXT, F_CANCEL},
    [IN_FOLLOW_UP] = {"follow_up", K_OBJECT, F_COMPLETE},
    [IN_STATUS] = {"status", K_STATE, F_BOOK | F_PATCH},
    [IN_OUTCOME_NOTE] = {"outcome_note", K_STATE, F_BOOK | F_PATCH},
    [IN_CANCEL_REASON] = {"cancel_reason", K_STATE, F_BOOK | F_PATCH},
    [IN_INVITE] = {"invite", K_BOOL, F_BOOK | F_PATCH | F_CANCEL},
};

_Static_assert(sizeof(in_specs) / sizeof(in_specs[0]) == IN__MAX,
	       "one spec per input field");

/* Members of an appointment's JSON that a client may echo back from a GET;
 * they are computed by the server and ignored on input. */
static const char *const read_only[] = {
    "id",	    "customer_number", "customer_name",
    "contact_name", "owner_id",	       "start_utc",
    "end_utc",	    "rep_time",	       "customer_time",
    "exdates",	    "series_id",       "follow_up_of",
    "uid",	    "sequence",	       "reschedule_count",
    "version",	    "created_at",      "updated_at",
    "adjusted",	    "occurrence",      "attendees",
};

/* One parsed member. */
struct in_value {
	bool present;	  /* the member was in the body */
	bool null;	  /* ... with the value null */
	const char *text; /* K_TEXT, K_STATE: arena copy, NULL when null */
	int64_t i;	  /* K_INT */
	bool b;		  /* K_BOOL */
	json_t *obj;	  /* K_OBJECT: borrowed from the body */
};

struct input {
	struct in_value v[IN__MAX]; /* indexed by enum in_field */
	const char *prefix;	    /* "follow_up." for the nested object */
};

/* The name of a field as the client wrote it ("follow_up.start"). */
static const char *
field_name(struct arena *a, const struct input *in, const char *name)
{
	return in->prefix ? arena_printf(a, "%s%s", in->prefix, name) : name;
}

static enum av_err
field_error(struct req *req, const struct input *in, const char *name,
	    const char *msg)
{
	return av_field_errorf(&req->err, AV_EINVAL,
			       field_name(req->arena, in, name), "%s", msg);
}

/* Read 'obj' into 'in' for the body 'form'; unknown members and wrong
 * types are AV_EINVAL naming the member. */
static enum av_err
parse_input(struct req *req, json_t *obj, unsigned form, const char *prefix,
	    struct input *in)
{
	const char *key;
	json_t *v;

	memset(in, 0, sizeof(*in));
	in->prefix = prefix;
	if (!json_is_object(obj))
		return av_field_errorf(&req->err, AV_EINVAL,
				       prefix ? "follow_up" : "",
				       "the %s must be a JSON object",
				       prefix ? "'follow_up'" : "body");
	json_object_foreach(obj, key, v)
	{
		const struct in_spec *sp = NULL;
		struct in_value *iv;
		size_t k;
		const char *name = field_name(req->arena, in, key);

		for (k = 0; k < IN__MAX; k++) {
			if (strcmp(in_specs[k].name, key) == 0 &&
			    (in_specs[k].forms & form)) {
				sp = &in_specs[k];
				break;
			}
		}
		if (!sp) {
			bool ro = false;
			for (size_t r = 0;
			     (form & (F_BOOK | F_PATCH)) &&
			     r < sizeof(read_only) / sizeof(read_only[0]);
			     r++)
				ro = ro || strcmp(read_only[r], key) == 0;
			if (ro)
				continue;
			return av_field_errorf(&req->err, AV_EINVAL, name,
					       "unknown field '%s'", name);
		}
		iv = &in->v[k];
		iv->present = true;
		iv->null = json_is_null(v);
		if (iv->null)
			continue;
		switch (sp->kind) {
		case K_TEXT:
		case K_STATE:
			if (!json_is_string(v))
				return av_field_errorf(
				    &req->err, AV_EINVAL, name,
				    "'%s' must be a string", name);
			if (strlen(json_string_value(v)) !=
			    json_string_length(v))
				return av_field_errorf(
				    &req->err, AV_EINVAL, name,
				    "'%s' contains a NUL character", name);
			iv->text =
			    arena_strndup(req->arena, json_string_value(v),
					  json_string_length(v));
			break;
		case K_INT:
			if (!json_is_integer(v))
				return av_field_errorf(
				    &req->err, AV_EINVAL, name,
				    "'%s' must be an integer", name);
			iv->i = json_integer_value(v);
			break;
		case K_BOOL:
			if (!json_is_boolean(v))
				return av_field_errorf(
				    &req->err, AV_EINVAL, name,
				    "'%s' must be true or false", name);
			iv->b = json_is_true(v);
			break;
		case K_OBJECT:
			if (!json_is_object(v))
				return av_field_errorf(
				    &req->err, AV_EINVAL, name,
				    "'%s' must be an object", name);
			iv->obj = v;
			break;
		}
	}
	return AV_OK;
}

/* The body, or an empty object when there is none (action endpoints). */
static enum av_err
optional_body(struct req *req, json_t **out)
{
	if (req->body_len == 0 && !req->json) {
		/* owned by the request like a parsed body (req_release) */
		req->json = json_object();
		*out = req->json;
		return AV_OK;
	}
	return req_json(req, out, &req->err);
}

/* Text present and not null. */
static const char *
text_of(const struct input *in, enum in_field f)
{
	return in->v[f].present && !in->v[f].null ? in->v[f].text : NULL;
}

/* The life cycle members may be echoed back unchanged, never changed. */
static enum av_err
check_state(struct req *req, const struct input *in,
	    const struct appointment *cur)
{
	static const struct {
		enum in_field f;
		const char *endpoints;
	} state[] = {
	    {IN_STATUS, "complete, cancel or no-show"},
	    {IN_OUTCOME, "complete"},
	    {IN_OUTCOME_NOTE, "complete"},
	    {IN_CANCEL_REASON, "cancel"},
	};

	for (size_t i = 0; i < sizeof(state) / sizeof(state[0]); i++) {
		const struct in_value *v = &in->v[state[i].f];
		const char *now = NULL;

		if (!v->present)
			continue;
		switch (state[i].f) {
		case IN_STATUS:
			now = appt_status_name(cur->status);
			break;
		case IN_OUTCOME:
			now = cur->outcome;
			break;
		case IN_OUTCOME_NOTE:
			now = cur->outcome_note;
			break;
		default:
			now = cur->cancel_reason;
			break;
		}
		if ((v->text == NULL) == (now == NULL) &&
		    (!now || strcmp(now, v->text) == 0))
			continue;
		return av_field_errorf(
		    &req->err, AV_EINVAL, in_specs[state[i].f].name,
		    "'%s' cannot be set here; use POST "
		    "/api/v1/appointments/{id}/%s",
		    in_specs[state[i].f].name, state[i].endpoints);
	}
	return AV_OK;
}

/* Append 'note' to the '; '-separated '*acc'. */
static void
add_note(struct arena *a, const char **acc, const char *note)
{
	if (!note)
		return;
	*acc = *acc ? arena_printf(a, "%s; %s", *acc, note) : note;
}

/* A local date "YYYY-MM-DD" in 'zone' to its first instant. */
static enum av_err
parse_day(struct req *req, const struct input *in, enum in_field f,
	  const char *zone, int64_t *out)
{
	const char *text = text_of(in, f);
	const char *name = in_specs[f].name;
	struct tz_local l;

	if (!text || strlen(text) != 10 || tz_parse_local(text, name, &l, NULL))
		return av_field_errorf(
		    &req->err, AV_EINVAL, field_name(req->arena, in, name),
		    "an all-day appointment gives '%s' as a date "
		    "(YYYY-MM-DD)",
		    name);
	if (tz_day_start(zone, l.year, l.month, l.day, out, &req->err))
		return av_field_errorf(&req->err, AV_EINVAL,
				       field_name(req->arena, in, name),
				       "'%s' is not a date in %s", name, zone);
	return AV_OK;
}

/* Parse a wall time or RFC 3339 instant of field 'f' in 'zone'. */
static enum av_err
parse_time(struct req *req, const struct input *in, enum in_field f,
	   const char *zone, int64_t *out, enum tz_adjust *how)
{
	const char *name = in_specs[f].name;
	enum av_err rc;

	if (!text_of(in, f))
		return av_field_errorf(&req->err, AV_EINVAL,
				       field_name(req->arena, in, name),
				       "'%s' cannot be empty", name);
	rc = tz_parse_instant(text_of(in, f), name, zone, out, how, &req->err);
	if (rc && in->prefix && strcmp(req->err.field, "time_zone") != 0)
		str_printf(req->err.field, sizeof(req->err.field), "%s",
			   field_name(req->arena, in, name));
	return rc;
}

/*
 * Resolve start, end, duration and days of 'in' into p->start_utc and
 * p->end_utc (p->all_day and p->time_zone already final). 'cur_start' is
 * the start a change keeps when no new one is given; 'is_new' makes start
 * and a length required. '*set' gets AF_START / AF_END; notes about
 * adjusted wall times are added to '*adjusted'.
 */
static enum av_err
resolve_times(struct req *req, const struct input *in, struct appointment *p,
	      int64_t cur_start, bool is_new, unsigned *set,
	      const char **adjusted)
{
	const struct in_value *start = &in->v[IN_START];
	const struct in_value *end = &in->v[IN_END];
	const struct in_value *dur = &in->v[IN_DURATION];
	const struct in_value *days = &in->v[IN_DAYS];
	const char *zone = p->time_zone;
	int64_t base = cur_start;
	enum tz_adjust how;

	if (is_new && !start->present)
		return field_error(req, in, "start", "'start' is required");
	if (end->present && dur->present)
		return field_error(req, in, "duration",
				   "give 'duration' or 'end', not both");
	if (p->all_day) {
		if (dur->present)
			return field_error(
			    req, in, "duration",
			    "an all-day appointment lasts whole days: give "
			    "'days' or an 'end' date");
		if (end->present && days->present)
			return field_error(req, in, "days",
					   "give 'days' or 'end', not both");
		if (start->present) {
			if (parse_day(req, in, IN_START, zone, &p->start_utc))
				return AV_EINVAL;
			*set |= AF_START;
			base = p->start_utc;
		}
		if (end->present) {
			if (parse_day(req, in, IN_END, zone, &p->end_utc))
				return AV_EINVAL;
			*set |= AF_END;
		} else if (days->present || is_new) {
			int64_t n = days->present ? days->i : 1;
			if (days->null || n < 1 || n > DAYS_MAX)
				return field_error(
				    req, in, "days",
				    "'days' must be 1..31 whole days");
			if (tz_add_days(zone, base, (int)n, &p->end_utc,
					&req->err))
				return req->err.code;
			*set |= AF_END;
		}
		return AV_OK;
	}
	if (days->present)
		return field_error(req, in, "days",
				   "'days' is for all-day appointments; give "
				   "'duration' in minutes or 'end'");
	if (is_new && !end->present && !dur->present)
		return field_error(req, in, "duration",
				   "give 'duration' (minutes) or 'end'");
	if (start->present) {
		if (parse_time(req, in, IN_START, zone, &p->start_utc, &how))
			return req->err.code;
		add_note(req->arena, adjusted,
			 appt_adjust_note(req->arena, text_of(in, IN_START),
					  zone, p->start_utc, how,
					  "booked at"));
		*set |= AF_START;
		base = p->start_utc;
	}
	if (end->present) {
		if (parse_time(req, in, IN_END, zone, &p->end_utc, &how))
			return req->err.code;
		add_note(req->arena, adjusted,
			 appt_adjust_note(req->arena, text_of(in, IN_END), zone,
					  p->end_utc, how, "it ends at"));
		*set |= AF_END;
	} else if (dur->present) {
		if (dur->null || dur->i < 1 ||
		    dur->i > APPT_MAX_DURATION_S / 60)
			return field_error(req, in, "duration",
					   "'duration' must be 1..44640 "
					   "minutes");
		p->end_utc = base + dur->i * 60;
		*set |= AF_END;
	}
	return AV_OK;
}

/* A user by e-mail, for the 'owner' member. */
static enum av_err
find_owner(struct req *req, const struct input *in, struct user *u)
{
	const char *email = text_of(in, IN_OWNER);
	const char *name = field_name(req->arena, in, "owner");

	if (!email || !*email)
		return av_field_errorf(&req->err, AV_EINVAL, name,
				       "'owner' cannot be empty: every "
				       "appointment has an owner");
	if (store_user_by_email(api_store(req), email, req->arena, u,
				&req->err))
		return av_field_errorf(&req->err, AV_EINVAL, name,
				       "user '%s' does not exist", email);
	return AV_OK;
}

/* An id member: positive integer, or null for none. */
static enum av_err
id_of(struct req *req, const struct input *in, enum in_field f, int64_t *out)
{
	const struct in_value *v = &in->v[f];

	if (v->null) {
		*out = 0;
		return AV_OK;
	}
	if (v->i < 1)
		return av_field_errorf(
		    &req->err, AV_EINVAL,
		    field_name(req->arena, in, in_specs[f].name),
		    "'%s' must be a positive id", in_specs[f].name);
	*out = v->i;
	return AV_OK;
}

/*
 * Copy the descriptive members (customer, contact, type, channel,
 * location, link, subject, notes, rrule, reminder) of 'in' onto 'p' and
 * record them in '*set'.
 */
static enum av_err
apply_details(struct req *req, const struct input *in, struct appointment *p,
	      unsigned *set)
{
	static const struct {
		enum in_field f;
		unsigned bit;
		size_t off;
	} texts[] = {
	    {IN_TYPE, AF_TYPE, offsetof(struct appointment, type)},
	    {IN_LOCATION, AF_LOCATION, offsetof(struct appointment, location)},
	    {IN_VIDEO_URL, AF_VIDEO_URL,
	     offsetof(struct appointment, video_url)},
	    {IN_SUBJECT, AF_SUBJECT, offsetof(struct appointment, subject)},
	    {IN_NOTES, AF_NOTES, offsetof(struct appointment, notes)},
	    {IN_RRULE, AF_RRULE, offsetof(struct appointment, rrule)},
	};
	const struct in_value *v;

	if (in->v[IN_CUSTOMER].present) {
		if (id_of(req, in, IN_CUSTOMER, &p->customer_id))
			return AV_EINVAL;
		*set |= AF_CUSTOMER;
	}
	if (in->v[IN_CONTACT].present) {
		if (id_of(req, in, IN_CONTACT, &p->contact_id))
			return AV_EINVAL;
		*set |= AF_CONTACT;
	}
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		v = &in->v[texts[i].f];
		if (!v->present)
			continue;
		memcpy((char *)p + texts[i].off, &v->text, sizeof(v->text));
		*set |= texts[i].bit;
	}
	v = &in->v[IN_CHANNEL];
	if (v->present) {
		if (!v->text || !appt_channel_parse(v->text, &p->channel))
			return field_error(req, in, "channel",
					   "'channel' must be phone, video or "
					   "in_person");
		*set |= AF_CHANNEL;
	}
	v = &in->v[IN_REMINDER];
	if (v->present) {
		p->reminder_minutes = v->null ? -1 : v->i;
		if (!v->null && (v->i < 0 || v->i > 40320))
			return field_error(req, in, "reminder_minutes",
					   "'reminder_minutes' must be "
					   "0..40320 (four weeks)");
		*set |= AF_REMINDER;
	}
	return AV_OK;
}

/* "Meeting with Ærø Bygg AS", or "Meeting" for the rep's own time. */
static const char *
default_subject(struct req *req, const struct appointment *p)
{
	const char *type = p->type && *p->type ? p->type : "meeting";
	char *t;
	struct customer c;

	if (p->customer_id &&
	    store_customer_get(api_store(req), p->customer_id, req->arena, &c,
			       &req->err) == AV_OK)
		t = arena_printf(req->arena, "%s with %s", type, c.name);
	else
		t = arena_strdup(req->arena, type);
	av_error_clear(&req->err);
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

/* 'text' cut to at most 'max' bytes on a UTF-8 boundary. */
static const char *
cut_utf8(struct arena *a, const char *text, size_t max)
{
	size_t len = strlen(text);

	if (len <= max)
		return text;
	len = max;
	while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
		len--;
	return arena_strndup(a, text, len);
}

/*
 * Fill the booking 'p' (defaults already on it) from 'in': owner, zone,
 * details, times and a default subject.
 */
static enum av_err
build_booking(struct req *req, const struct input *in, struct appointment *p,
	      const char **adjusted)
{
	struct user u;
	unsigned set = 0;
	const char *zone = text_of(in, IN_TIME_ZONE);

	if (in->v[IN_OWNER].present) {
		if (find_owner(req, in, &u))
			return AV_EINVAL;
		p->owner_id = u.id;
	} else if (store_user_get(api_store(req), p->owner_id, req->arena, &u,
				  &req->err)) {
		return req->err.code;
	}
	if (zone && !tz_valid(zone))
		return field_error(req, in, "time_zone",
				   "'time_zone' is not a known IANA zone");
	if (!zone)
		zone =
		    u.time_zone && tz_valid(u.time_zone) ? u.time_zone : "UTC";
	p->time_zone = zone;
	if (in->v[IN_ALL_DAY].present)
		p->all_day = in->v[IN_ALL_DAY].b;
	if (apply_details(req, in, p, &set) ||
	    resolve_times(req, in, p, 0, true, &set, adjusted))
		return req->err.code;
	if (!p->subject || !*p->subject)
		p->subject = default_subject(req, p);
	return AV_OK;
}

/* The appointment as JSON at its own times. */
static json_t *
appt_json(const struct appointment *p)
{
	return appt_to_json(p, p->start_utc, p->end_utc,
			    p->parent_id ? p->recurrence_id : 0);
}

static enum av_err reply_appt_with(struct req *req, struct resp *resp,
				   int status, int64_t id, bool write,
				   const char *adjusted, const char *extra_name,
				   json_t *extra);

/* The invited people of 'p' (of its series for a changed occurrence),
 * with their answers. */
static json_t *
attendees_json(struct req *req, const struct appointment *p)
{
	struct appt_attendee *v = NULL;
	size_t n = 0;
	json_t *arr = json_array();
	struct av_error e = {0};

	if (store_attendees_get(api_store(req), p->id, req->arena, &v, &n,
				&e) == AV_OK &&
	    !n && p->parent_id)
		(void)store_attendees_get(api_store(req), p->parent_id,
					  req->arena, &v, &n, &e);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    arr,
		    json_pack("{ss ss* ss ss sb}", "email", v[i].email, "name",
			      v[i].name, "role", v[i].role, "partstat",
			      v[i].partstat, "rsvp", v[i].rsvp));
	return arr;
}

/*
 * Queue the invitation mail of row 'id' when the body asked for it
 * ("invite": true), or, unless it said false, when the appointment was
 * invited before and changed ('changed'). Never fails the request: the
 * change is already stored. Returns {"queued": N} or NULL when nothing
 * was asked or due.
 */
static json_t *
maybe_invite(struct req *req, const struct input *in, int64_t id, bool changed,
	     enum cal_method method)
{
	struct appointment p;
	struct av_error e = {0};
	size_t n = 0;
	bool asked = in->v[IN_INVITE].present && in->v[IN_INVITE].b;
	bool refused = in->v[IN_INVITE].present && !in->v[IN_INVITE].b;

	if (refused)
		return NULL;
	if (!asked && (!changed ||
		       store_appt_get(api_store(req), id, req->arena, &p, &e) ||
		       !invite_has_attendees(api_store(req), &p)))
		return NULL;
	if (invite_queue(api_store(req), id, method, &n, &e))
		log_warn("invitation for appointment %lld not queued: %s",
			 (long long)id, e.msg);
	return json_pack("{si}", "queued", (json_int_t)n);
}

/*
 * Answer with appointment 'id' and its ETag. Write answers carry
 * "adjusted" (the note, or null); 'extra' (stolen, may be NULL) is added
 * as "follow_up".
 */
static enum av_err
reply_appt_with(struct req *req, struct resp *resp, int status, int64_t id,
		bool write, const char *adjusted, const char *extra_name,
		json_t *extra)
{
	struct appointment p;
	json_t *o;

	if (store_appt_get(api_store(req), id, req->arena, &p, &req->err)) {
		json_decref(extra);
		return req->err.code;
	}
	o = appt_json(&p);
	json_object_set_new(o, "attendees", attendees_json(req, &p));
	if (write)
		json_object_set_new(o, "adjusted",
				    adjusted ? json_string(adjusted)
					     : json_null());
	if (extra)
		json_object_set_new(o, extra_name, extra);
	api_etag(resp, p.version);
	if (status == 201)
		resp_header(resp, "Location",
			    arena_printf(req->arena,
					 "/api/v1/appointments/%lld",
					 (long long)id));
	return resp_json(resp, status, o);
}

static enum av_err
reply_appt(struct req *req, struct resp *resp, int status, int64_t id,
	   bool write, const char *adjusted, json_t *extra)
{
	return reply_appt_with(req, resp, status, id, write, adjusted,
			       "follow_up", extra);
}

/* reply_appt for a write that may have queued invitations: 'invite'
 * (stolen, may be NULL) becomes the "invite" member. */
static enum av_err
reply_appt_invite(struct req *req, struct resp *resp, int status, int64_t id,
		  const char *adjusted, json_t *invite)
{
	return reply_appt_with(req, resp, status, id, true, adjusted, "invite",
			       invite);
}

/* The SEQUENCE row 'id' has now (0 if unreadable). */
static int64_t
sequence_of(struct req *req, int64_t id)
{
	struct appointment p;
	struct av_error e = {0};

	return store_appt_get(api_store(req), id, req->arena, &p, &e)
		   ? 0
		   : p.sequence;
}

/* A local time string of 'utc' in 'zone', or null. */
static json_t *
time_json(const char *zone, int64_t utc)
{
	char buf[TZ_RFC3339_SIZE];

	if (!tz_format_rfc3339(zone ? zone : "UTC", utc, buf, sizeof(buf)))
		return json_null();
	return json_string(buf);
}

/*
 * After a failed write: for an overlap, answer 409 with the problem
 * members and the "conflicts" array; otherwise leave the answer to the
 * server (resp_error). Returns the error code either way.
 */
static enum av_err
reply_failure(struct req *req, struct resp *resp, const struct conflicts *c)
{
	json_t *o, *arr;

	if (req->err.code != AV_ECONFLICT || c->n == 0)
		return req->err.code ? req->err.code : AV_EINTERNAL;
	arr = json_array();
	for (size_t i = 0; i < c->n; i++) {
		const struct occurrence *oc = &c->v[i];
		const struct appointment *p = oc->appt;
		json_t *item = json_object();

		json_object_set_new(item, "id", json_integer(p->id));
		json_object_set_new(item, "start",
				    time_json(p->time_zone, oc->start_utc));
		json_object_set_new(item, "end",
				    time_json(p->time_zone, oc->end_utc));
		json_object_set_new(item, "start_utc",
				    time_json("UTC", oc->start_utc));
		json_object_set_new(item, "end_utc",
				    time_json("UTC", oc->end_utc));
		json_object_set_new(
		    item, "occurrence",
		    oc->recurrence_id
			? time_json(p->time_zone, oc->recurrence_id)
			: json_null());
		json_object_set_new(item, "customer_id",
				    p->customer_id
					? json_integer(p->customer_id)
					: json_null());
		json_object_set_new(item, "customer_name",
				    p->customer_name
					? json_string(p->customer_name)
					: json_null());
		json_object_set_new(item, "owner",
				    p->owner ? json_string(p->owner)
					     : json_null());
		json_object_set_new(item, "subject",
				    p->subject ? json_string(p->subject)
					       : json_null());
		json_array_append_new(arr, item);
	}
	o = json_object();
	json_object_set_new(o, "type", json_string(PROBLEM_TYPE "conflict"));
	json_object_set_new(o, "title", json_string(av_strerror(AV_ECONFLICT)));
	json_object_set_new(o, "status", json_integer(409));
	json_object_set_new(
	    o, "detail",
	    json_string(arena_printf(req->arena,
				     "%s; send \"force\": true to book anyway",
				     req->err.msg)));
	if (req->err.field[0])
		json_object_set_new(o, "field", json_string(req->err.field));
	json_object_set_new(o, "code", json_string(av_errname(AV_ECONFLICT)));
	json_object_set_new(o, "conflicts", arr);
	resp->n_headers = 0;
	if (resp_json(resp, 409, o) == AV_OK)
		resp_header(resp, "Content-Type", "application/problem+json");
	return AV_ECONFLICT;
}

/* Load appointment 'id' if the caller may 'act' on it. */
static enum av_err
load_appt(struct req *req, int64_t id, struct appointment *m,
	  enum policy_action act)
{
	if (store_appt_get(api_store(req), id, req->arena, m, &req->err))
		return req->err.code;
	return api_access_appointment(req, m, act);
}

/* The holder and the customer a booking names must be within reach: a
 * customer the caller may not see gets the very answer a missing id
 * gets. */
static enum av_err
check_refs(struct req *req, int64_t owner_id, int64_t customer_id)
{
	if (api_access_owner(req, owner_id))
		return req->err.code;
	if (customer_id &&
	    api_access_customer_id(req, customer_id, ACT_READ) != AV_OK)
		return av_field_errorf(&req->err, AV_EINVAL, "customer_id",
				       "customer %lld does not exist",
				       (long long)customer_id);
	return AV_OK;
}

enum av_err
api_appointment_create(struct req *req, struct resp *resp)
{
	struct appointment p = {.reminder_minutes = -1};
	struct appointment cur = {.status = APPT_SCHEDULED};
	struct conflicts conf = {0};
	struct input in;
	const char *adjusted = NULL;
	json_t *body;

	if (req_json(req, &body, &req->err) ||
	    parse_input(req, body, F_BOOK, NULL, &in) ||
	    check_state(req, &in, &cur))
		return req->err.code;
	p.owner_id = api_actor(req);
	if (build_booking(req, &in, &p, &adjusted) ||
	    check_refs(req, p.owner_id, p.customer_id))
		return req->err.code;
	if (appt_book(api_store(req), &p, in.v[IN_FORCE].b, api_actor(req),
		      req->arena, &conf, &req->err))
		return reply_failure(req, resp, &conf);
	return reply_appt_invite(
	    req, resp, 201, p.id, adjusted,
	    maybe_invite(req, &in, p.id, false, CAL_METHOD_REQUEST));
}

enum av_err
api_appointment_get(struct req *req, struct resp *resp)
{
	struct appointment m;
	int64_t id;

	if (api_path_id(req, "id", &id) || load_appt(req, id, &m, ACT_READ))
		return req->err.code;
	return reply_appt(req, resp, 200, id, false, NULL, NULL);
}

/* 'occurrence' of 'in' in the zone of series 'm'; 0 when absent. */
static enum av_err
parse_occurrence(struct req *req, const struct input *in,
		 const struct appointment *m, int64_t *out)
{
	*out = 0;
	if (!in->v[IN_OCCURRENCE].present || in->v[IN_OCCURRENCE].null)
		return AV_OK;
	return tz_parse_instant(in->v[IN_OCCURRENCE].text, "occurrence",
				m->time_zone, out, NULL, &req->err);
}

/* The start a change of one instance (or the following ones) keeps. */
static int64_t
instance_start(struct req *req, const struct appointment *m,
	       enum appt_target target, int64_t occurrence)
{
	struct appointment ov;

	if (!m->rrule || target == TARGET_ALL)
		return m->start_utc;
	if (target == TARGET_ONE &&
	    store_appt_override(api_store(req), m->id, occurrence, req->arena,
				&ov, &req->err) == AV_OK)
		return ov.start_utc;
	av_error_clear(&req->err);
	return occurrence;
}

enum av_err
api_appointment_update(struct req *req, struct resp *resp)
{
	struct appt_patch patch = {0};
	struct appointment m;
	struct conflicts conf = {0};
	struct input in;
	const char *scope, *adjusted = NULL, *zone;
	enum appt_target target = TARGET_ALL;
	int64_t id, version, occurrence, result;
	json_t *body;

	if (api_path_id(req, "id", &id) || load_appt(req, id, &m, ACT_UPDATE))
		return req->err.code;
	if (api_if_match(req, resp, true, &version))
		return AV_ESTALE;
	if (req_json(req, &body, &req->err) ||
	    parse_input(req, body, F_PATCH, NULL, &in) ||
	    check_state(req, &in, &m) ||
	    parse_occurrence(req, &in, &m, &occurrence))
		return req->err.code;
	scope = text_of(&in, IN_SCOPE);
	if (!scope && occurrence && m.rrule)
		return av_field_errorf(&req->err, AV_EINVAL, "scope",
				       "say what changes with 'occurrence': "
				       "'scope' occurrence, following or all");
	if (scope && strcmp(scope, "occurrence") == 0)
		target = TARGET_ONE;
	else if (scope && strcmp(scope, "following") == 0)
		target = TARGET_FOLLOWING;
	else if (in.v[IN_SCOPE].present && (!scope || strcmp(scope, "all")))
		return av_field_errorf(&req->err, AV_EINVAL, "scope",
				       "'scope' must be all, occurrence or "
				       "following");
	if (target != TARGET_ALL && !occurrence)
		return av_field_errorf(&req->err, AV_EINVAL, "occurrence",
				       "'scope' %s needs the 'occurrence' (its "
				       "original start)",
				       scope);
	zone = m.time_zone;
	if (in.v[IN_TIME_ZONE].present) {
		zone = text_of(&in, IN_TIME_ZONE);
		if (!zone || !tz_valid(zone))
			return av_field_errorf(&req->err, AV_EINVAL,
					       "time_zone",
					       "'time_zone' is not a known "
					       "IANA zone");
		patch.set |= AF_TIME_ZONE;
	}
	patch.v.time_zone = zone;
	patch.v.all_day = m.all_day;
	if (in.v[IN_ALL_DAY].present) {
		patch.v.all_day = in.v[IN_ALL_DAY].b;
		patch.set |= AF_ALL_DAY;
		if (patch.v.all_day && !m.all_day && !in.v[IN_START].present)
			return av_field_errorf(&req->err, AV_EINVAL, "start",
					       "turning on 'all_day' needs the "
					       "'start' date");
	}
	if (in.v[IN_OWNER].present) {
		struct user u;
		if (find_owner(req, &in, &u))
			return AV_EINVAL;
		patch.v.owner_id = u.id;
		patch.set |= AF_OWNER;
	}
	patch.v.reminder_minutes = m.reminder_minutes;
	patch.v.channel = m.channel;
	if (apply_details(req, &in, &patch.v, &patch.set) ||
	    resolve_times(req, &in, &patch.v,
			  instance_start(req, &m, target, occurrence), false,
			  &patch.set, &adjusted) ||
	    check_refs(req,
		       (patch.set & AF_OWNER) ? patch.v.owner_id : m.owner_id,
		       (patch.set & AF_CUSTOMER) ? patch.v.customer_id : 0))
		return req->err.code;
	if (appt_change(api_store(req), id, &patch, target, occurrence, version,
			in.v[IN_FORCE].b, api_actor(req), req->arena, &conf,
			&result, &req->err))
		return reply_failure(req, resp, &conf);
	return reply_appt_invite(
	    req, resp, 200, result, adjusted,
	    maybe_invite(req, &in, result,
			 result != id || sequence_of(req, result) != m.sequence,
			 CAL_METHOD_REQUEST));
}

/* The fields a follow-up booking takes from the completed appointment. */
static enum av_err
build_follow_up(struct req *req, json_t *obj, const struct appointment *m,
		struct appointment *f, const char **adjusted)
{
	struct input in;

	if (parse_input(req, obj, F_FOLLOW, "follow_up.", &in))
		return req->err.code;
	memset(f, 0, sizeof(*f));
	f->customer_id = m->customer_id;
	f->contact_id = m->contact_id;
	f->owner_id = m->owner_id;
	f->type = "follow-up";
	f->reminder_minutes = m->reminder_minutes;
	f->channel = m->channel;
	/* a different channel does not inherit the old place or link */
	if (!in.v[IN_CHANNEL].present || !in.v[IN_CHANNEL].text ||
	    strcmp(in.v[IN_CHANNEL].text, appt_channel_name(m->channel)) == 0) {
		f->location = m->location;
		f->video_url = m->video_url;
	}
	if (build_booking(req, &in, f, adjusted))
		return req->err.code;
	if (!text_of(&in, IN_SUBJECT))
		f->subject =
		    cut_utf8(req->arena,
			     arena_printf(req->arena, "Follow-up: %s",
					  m->subject ? m->subject : ""),
			     APPT_SUBJECT_MAX);
	return AV_OK;
}

/* Fields the follow-up booking can fail on: errors about them are given
 * as "follow_up.<field>". */
static bool
booking_field(const char *field)
{
	static const char *const names[] = {
	    "start",   "end",	"time_zone", "customer_id",	 "contact_id",
	    "owner",   "type",	"channel",   "location",	 "video_url",
	    "subject", "notes", "rrule",     "reminder_minutes",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], field) == 0)
			return true;
	return false;
}

enum av_err
api_appointment_complete(struct req *req, struct resp *resp)
{
	struct appointment m, f;
	struct completion c = {0};
	struct conflicts conf = {0};
	struct input in;
	const char *adjusted = NULL;
	int64_t id, version, occurrence, result;
	json_t *body, *extra = NULL;

	if (api_path_id(req, "id", &id) || load_appt(req, id, &m, ACT_UPDATE))
		return req->err.code;
	if (api_if_match(req, resp, false, &version))
		return AV_EINVAL; /* answered already */
	if (optional_body(req, &body) ||
	    parse_input(req, body, F_COMPLETE, NULL, &in) ||
	    parse_occurrence(req, &in, &m, &occurrence))
		return req->err.code;
	c.outcome = text_of(&in, IN_OUTCOME);
	c.note = text_of(&in, IN_NOTE);
	if (!c.outcome || !*c.outcome)
		return av_field_errorf(&req->err, AV_EINVAL, "outcome",
				       "completing an appointment needs an "
				       "'outcome'");
	if (in.v[IN_FOLLOW_UP].obj) {
		if (build_follow_up(req, in.v[IN_FOLLOW_UP].obj, &m, &f,
				    &adjusted))
			return req->err.code;
		c.follow_up = &f;
	}
	if (appt_complete(api_store(req), id, occurrence, &c, version,
			  in.v[IN_FORCE].b, api_actor(req), req->arena, &conf,
			  &result, &req->err)) {
		if (c.follow_up && booking_field(req->err.field)) {
			char field[sizeof(req->err.field)];
			str_printf(field, sizeof(field), "follow_up.%s",
				   req->err.field);
			str_printf(req->err.field, sizeof(req->err.field), "%s",
				   field);
		}
		return reply_failure(req, resp, &conf);
	}
	if (c.follow_up) {
		struct appointment fu;
		if (store_appt_get(api_store(req), f.id, req->arena, &fu,
				   &req->err))
			return req->err.code;
		extra = appt_json(&fu);
		json_object_set_new(extra, "adjusted",
				    adjusted ? json_string(adjusted)
					     : json_null());
	}
	return reply_appt(req, resp, 200, result, true, NULL, extra);
}

/* The shared part of cancel and no-show. */
static enum av_err
state_action(struct req *req, struct resp *resp, unsigned form)
{
	struct appointment m;
	struct input in;
	int64_t id, version, occurrence, result;
	json_t *body;
	enum av_err rc;

	if (api_path_id(req, "id", &id) || load_appt(req, id, &m, ACT_UPDATE))
		return req->err.code;
	if (api_if_match(req, resp, false, &version))
		return AV_EINVAL; /* answered already */
	if (optional_body(req, &body) ||
	    parse_input(req, body, form, NULL, &in) ||
	    parse_occurrence(req, &in, &m, &occurrence))
		return req->err.code;
	if (form == F_CANCEL)
		rc = appt_cancel(
		    api_store(req), id, occurrence, text_of(&in, IN_REASON),
		    version, api_actor(req), req->arena, &result, &req->err);
	else
		rc = appt_no_show(api_store(req), id, occurrence, version,
				  api_actor(req), req->arena, &result,
				  &req->err);
	if (rc)
		return rc;
	if (form == F_CANCEL)
		return reply_appt_invite(
		    req, resp, 200, result, NULL,
		    maybe_invite(req, &in, result, true, CAL_METHOD_CANCEL));
	return reply_appt(req, resp, 200, result, true, NULL, NULL);
}

enum av_err
api_appointment_cancel(struct req *req, struct resp *resp)
{
	return state_action(req, resp, F_CANCEL);
}

enum av_err
api_appointment_no_show(struct req *req, struct resp *resp)
{
	return state_action(req, resp, F_NO_SHOW);
}

/* Occurrences as a JSON array. */
static json_t *
occurrences_json(const struct occurrence *v, size_t n)
{
	json_t *items = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    items, appt_to_json(v[i].appt, v[i].start_utc, v[i].end_utc,
					v[i].recurrence_id));
	return items;
}

/* Required query instant 'name', resolved in 'zone'. */
static enum av_err
query_instant(struct req *req, const char *name, const char *zone, int64_t *out)
{
	const char *v = req_query(req, name);

	if (!v || !*v)
		return av_field_errorf(&req->err, AV_EINVAL, name,
				       "'%s' is required (a date or an RFC "
				       "3339 time)",
				       name);
	return tz_parse_instant(v, name, zone, out, NULL, &req->err);
}

enum av_err
api_appointments_list(struct req *req, struct resp *resp)
{
	struct store *s = api_store(req);
	struct user me, u;
	struct occurrence *v;
	enum appt_scope scope = SCOPE_OWNER;
	const char *owner = req_query(req, "owner");
	const char *customer = req_query(req, "customer");
	const char *sc = req_query(req, "scope");
	const char *zone;
	int64_t from, to, key, limit;
	char buf[TZ_UTC_SIZE];
	size_t n;
	json_t *body;

	me = api_caller(req)->user;
	zone = me.time_zone && tz_valid(me.time_zone) ? me.time_zone : "UTC";
	if (query_instant(req, "from", zone, &from) ||
	    query_instant(req, "to", zone, &to) ||
	    api_query_i64(req, "limit", 1, OCC_MAX, LIST_DEFAULT, &limit))
		return req->err.code;
	if (to <= from)
		return av_field_errorf(&req->err, AV_EINVAL, "to",
				       "'to' must be after 'from'");
	if (to - from > RANGE_MAX_S)
		return av_field_errorf(&req->err, AV_EINVAL, "to",
				       "the range is at most 366 days");
	if (sc && strcmp(sc, "customers") == 0)
		scope = SCOPE_CUSTOMER_OWNER;
	else if (sc && strcmp(sc, "held") != 0)
		return av_field_errorf(&req->err, AV_EINVAL, "scope",
				       "'scope' must be held or customers");
	key = me.id;
	if (customer) {
		struct customer c;
		if (owner || sc)
			return av_field_errorf(&req->err, AV_EINVAL, "customer",
					       "give 'customer' or 'owner' and "
					       "'scope', not both");
		if (!str_to_i64(customer, 1, INT64_MAX, &key) ||
		    store_customer_get(s, key, req->arena, &c, &req->err) ||
		    api_access_customer(req, &c, ACT_READ))
			return av_field_errorf(&req->err, AV_EINVAL, "customer",
					       "customer '%s' does not exist",
					       customer);
		scope = SCOPE_CUSTOMER;
	} else if (owner && strcmp(owner, "me") != 0) {
		if (store_user_by_email(s, owner, req->arena, &u, &req->err))
			return av_field_errorf(&req->err, AV_EINVAL, "owner",
					       "user '%s' does not exist",
					       owner);
		if (api_access_owner(req, u.id))
			return req->err.code;
		key = u.id;
	}
	if (appt_occurrences(s, scope, key, from, to, (size_t)limit, req->arena,
			     &v, &n, &req->err))
		return req->err.code;
	body = json_object();
	tz_format_utc(from, buf, sizeof(buf));
	json_object_set_new(body, "from", json_string(buf));
	tz_format_utc(to, buf, sizeof(buf));
	json_object_set_new(body, "to", json_string(buf));
	json_object_set_new(body, "items", occurrences_json(v, n));
	return resp_json(resp, 200, body);
}

enum av_err
api_customer_appointments(struct req *req, struct resp *resp)
{
	struct customer c;
	struct occurrence *v;
	const char *when = req_query(req, "when");
	bool past = false;
	int64_t id, limit;
	size_t n;

	if (api_path_id(req, "id", &id))
		return req->err.code;
	if (when && strcmp(when, "past") == 0)
		past = true;
	else if (when && strcmp(when, "upcoming") != 0)
		return av_field_errorf(&req->err, AV_EINVAL, "when",
				       "'when' must be past or upcoming");
	if (api_query_i64(req, "limit", 1, TAB_MAX, TAB_DEFAULT, &limit) ||
	    store_customer_get(api_store(req), id, req->arena, &c, &req->err) ||
	    api_access_customer(req, &c, ACT_READ) ||
	    appt_tab(api_store(req), id, past, store_now(), (size_t)limit,
		     req->arena, &v, &n, &req->err))
		return req->err.code;
	return resp_json(resp, 200,
			 json_pack("{sIssso}", "customer_id", (json_int_t)id,
				   "when", past ? "past" : "upcoming", "items",
				   occurrences_json(v, n)));
}
