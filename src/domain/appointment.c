/* SPDX-License-Identifier: MIT */
/* Appointment validation, life cycle transitions and small helpers. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/recur.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/appointment.h"
#include "domain/customer.h"

#include "core/banned.h"

static const char *const status_names[APPT_STATUS__MAX] = {
    [APPT_SCHEDULED] = "scheduled",
    [APPT_COMPLETED] = "completed",
    [APPT_CANCELLED] = "cancelled",
    [APPT_NO_SHOW] = "no_show",
};

static const char *const channel_names[CHANNEL__MAX] = {
    [CHANNEL_PHONE] = "phone",
    [CHANNEL_VIDEO] = "video",
    [CHANNEL_IN_PERSON] = "in_person",
};

const char *const appt_default_types[] = {
    "meeting", "call", "demo", "follow-up", "service visit", NULL,
};

const char *const appt_default_outcomes[] = {
    "interested", "not_interested", "follow_up", "order_placed",
    "resolved",	  "no_decision",    NULL,
};

const char *
appt_status_name(enum appt_status s)
{
	return (unsigned)s < APPT_STATUS__MAX ? status_names[s] : NULL;
}

bool
appt_status_parse(const char *s, enum appt_status *out)
{
	for (int i = 0; s && i < APPT_STATUS__MAX; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum appt_status)i;
			return true;
		}
	}
	return false;
}

const char *
appt_channel_name(enum appt_channel c)
{
	return (unsigned)c < CHANNEL__MAX ? channel_names[c] : NULL;
}

bool
appt_channel_parse(const char *s, enum appt_channel *out)
{
	for (int i = 0; s && i < CHANNEL__MAX; i++) {
		if (strcmp(s, channel_names[i]) == 0) {
			*out = (enum appt_channel)i;
			return true;
		}
	}
	return false;
}

bool
appt_code_in(const char *const *list, const char *code)
{
	for (; code && list && *list; list++)
		if (strcmp(*list, code) == 0)
			return true;
	return false;
}

static const char *
clean(struct arena *a, const char *s)
{
	struct str t;

	if (!s)
		return NULL;
	t = str_trim(str_from(s));
	return t.len ? arena_strndup(a, t.p, t.len) : NULL;
}

/* An https: URL with a host, no spaces or control bytes. */
static bool
https_url(const char *u)
{
	const char *host;

	if (strncmp(u, "https://", 8) != 0)
		return false;
	host = u + 8;
	if (!*host || *host == '/' || *host == ':' || *host == '@')
		return false;
	for (const char *p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' ||
		    *p == '>' || *p == '\\' || (unsigned char)*p == 0x7f)
			return false;
	return true;
}

enum av_err
appt_prepare(struct appointment *a, const char *const *types, struct arena *ar,
	     struct av_error *err)
{
	int64_t dur;

	a->subject = clean(ar, a->subject);
	a->notes = clean(ar, a->notes);
	a->location = clean(ar, a->location);
	a->video_url = clean(ar, a->video_url);
	a->type = clean(ar, a->type);
	a->rrule = clean(ar, a->rrule);
	a->outcome_note = clean(ar, a->outcome_note);
	a->cancel_reason = clean(ar, a->cancel_reason);
	if (!a->subject)
		return av_field_errorf(err, AV_EINVAL, "subject",
				       "'subject' is required");
	if (text_check("subject", a->subject, APPT_SUBJECT_MAX, false, err) ||
	    text_check("notes", a->notes, NOTES_MAX_LEN, true, err) ||
	    text_check("location", a->location, ADDRESS_MAX_LEN, true, err) ||
	    text_check("video_url", a->video_url, APPT_URL_MAX, false, err) ||
	    text_check("outcome_note", a->outcome_note, NOTES_MAX_LEN, true,
		       err) ||
	    text_check("cancel_reason", a->cancel_reason, APPT_REASON_MAX, true,
		       err))
		return AV_EINVAL;
	if (!a->type)
		a->type = types && types[0] ? types[0] : "meeting";
	if (!appt_code_in(types, a->type))
		return av_field_errorf(err, AV_EINVAL, "type",
				       "'type' must be one of the configured "
				       "appointment types, not '%s'",
				       a->type);
	if ((unsigned)a->channel >= CHANNEL__MAX)
		return av_field_errorf(err, AV_EINVAL, "channel",
				       "'channel' must be phone, video or "
				       "in_person");
	if (a->channel == CHANNEL_VIDEO) {
		if (!a->video_url)
			return av_field_errorf(err, AV_EINVAL, "video_url",
					       "a video meeting needs its join "
					       "link in 'video_url'");
		if (!https_url(a->video_url))
			return av_field_errorf(err, AV_EINVAL, "video_url",
					       "'video_url' must be an https: "
					       "link");
	} else if (a->video_url) {
		return av_field_errorf(err, AV_EINVAL, "video_url",
				       "'video_url' belongs to video meetings "
				       "only");
	}
	if (a->channel == CHANNEL_IN_PERSON && !a->location)
		return av_field_errorf(err, AV_EINVAL, "location",
				       "a face-to-face meeting needs a "
				       "'location'");
	if (!a->time_zone || !tz_valid(a->time_zone))
		return av_field_errorf(err, AV_EINVAL, "time_zone",
				       "'time_zone' is not a known IANA zone");
	dur = a->end_utc - a->start_utc;
	/* zero-length events exist only as imported busy time */
	if (dur < 0 || (dur == 0 && a->customer_id != 0))
		return av_field_errorf(err, AV_EINVAL, "end",
				       "'end' must be after 'start'");
	if (dur > APPT_MAX_DURATION_S)
		return av_field_errorf(err, AV_EINVAL, "end",
				       "an appointment lasts at most 31 days");
	if (a->rrule) {
		struct av_error why = {0};
		/* the reason is copied: formatting err->msg into itself
		 * would overlap */
		if (recur_validate(a->rrule, &why))
			return av_field_errorf(err, AV_EINVAL, "rrule",
					       "'rrule': %s", why.msg);
	}
	if (a->reminder_minutes < -1 || a->reminder_minutes > 40320)
		return av_field_errorf(err, AV_EINVAL, "reminder_minutes",
				       "'reminder_minutes' must be 0..40320 "
				       "(four weeks)");
	return AV_OK;
}

enum av_err
appt_transition_check(enum appt_status from, enum appt_status to,
		      struct av_error *err)
{
	if (from == to)
		return av_field_errorf(err, AV_ECONFLICT, "status",
				       "the appointment is already %s",
				       appt_status_name(from));
	if (from != APPT_SCHEDULED)
		return av_field_errorf(err, AV_ECONFLICT, "status",
				       "a %s appointment cannot become %s",
				       appt_status_name(from),
				       appt_status_name(to));
	return AV_OK;
}

bool
appt_overlaps(int64_t s1, int64_t e1, int64_t s2, int64_t e2)
{
	if (s1 == e1)
		return s1 > s2 && s1 < e2;
	if (s2 == e2)
		return s2 > s1 && s2 < e1;
	return s1 < e2 && s2 < e1;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a;
	int64_t y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

size_t
appt_exdates_parse(const char *list, struct arena *a, int64_t **out)
{
	size_t n = 0, cap = 1;
	int64_t *v;

	for (const char *p = list; p && *p; p++)
		if (*p == ',')
			cap++;
	v = arena_alloc(a, cap * sizeof(*v));
	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);
		int64_t t;

		if (str_to_i64_len(list, len, INT64_MIN / 2, INT64_MAX / 2, &t))
			v[n++] = t;
		list = comma ? comma + 1 : NULL;
	}
	qsort(v, n, sizeof(*v), cmp_i64);
	*out = v;
	return n;
}

char *
appt_exdates_format(const int64_t *v, size_t n, struct arena *a)
{
	struct buf b;
	char *r;

	if (n == 0)
		return NULL;
	buf_init(&b, 0);
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "%s%lld", i ? "," : "", (long long)v[i]);
	r = arena_strndup(a, b.p, b.len);
	buf_release(&b);
	return r;
}
