/* SPDX-License-Identifier: MIT */
/* JSON of appointments and their occurrences, with times in the booked
 * zone, in UTC, in the rep's zone and in the customer's zone. */
#include <string.h>

#include "core/tz.h"
#include "domain/codec.h"

#include "core/banned.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *
local_time(const char *zone, int64_t utc)
{
	char buf[40];

	if (!zone || !tz_format_rfc3339(zone, utc, buf, sizeof(buf)))
		return json_null();
	return json_string(buf);
}

static json_t *
utc_time(int64_t utc)
{
	char buf[40];

	if (!tz_format_utc(utc, buf, sizeof(buf)))
		return json_null();
	return json_string(buf);
}

/* {"zone", "start", "end"} in 'zone', or null when there is none. */
static json_t *
zone_view(const char *zone, int64_t start, int64_t end)
{
	json_t *o;

	if (!zone)
		return json_null();
	o = json_object();
	json_object_set_new(o, "time_zone", json_string(zone));
	json_object_set_new(o, "start", local_time(zone, start));
	json_object_set_new(o, "end", local_time(zone, end));
	return o;
}

json_t *
appt_to_json(const struct appointment *p, int64_t start, int64_t end,
	     int64_t recurrence_id)
{
	json_t *o = json_object();
	json_t *ex = json_array();

	json_object_set_new(o, "id", json_integer(p->id));
	json_object_set_new(o, "customer_id", id_or_null(p->customer_id));
	json_object_set_new(o, "customer_number",
			    str_or_null(p->customer_number));
	json_object_set_new(o, "customer_name", str_or_null(p->customer_name));
	json_object_set_new(o, "contact_id", id_or_null(p->contact_id));
	json_object_set_new(o, "contact_name", str_or_null(p->contact_name));
	json_object_set_new(o, "owner", str_or_null(p->owner));
	json_object_set_new(o, "owner_id", json_integer(p->owner_id));
	json_object_set_new(o, "start", local_time(p->time_zone, start));
	json_object_set_new(o, "end", local_time(p->time_zone, end));
	json_object_set_new(o, "start_utc", utc_time(start));
	json_object_set_new(o, "end_utc", utc_time(end));
	json_object_set_new(o, "time_zone", str_or_null(p->time_zone));
	json_object_set_new(o, "all_day", json_boolean(p->all_day));
	json_object_set_new(o, "rep_time",
			    zone_view(p->owner_zone, start, end));
	json_object_set_new(o, "customer_time",
			    zone_view(p->customer_zone, start, end));
	json_object_set_new(o, "type", str_or_null(p->type));
	json_object_set_new(o, "channel",
			    str_or_null(appt_channel_name(p->channel)));
	json_object_set_new(o, "location", str_or_null(p->location));
	json_object_set_new(o, "video_url", str_or_null(p->video_url));
	json_object_set_new(o, "subject", str_or_null(p->subject));
	json_object_set_new(o, "notes", str_or_null(p->notes));
	json_object_set_new(o, "status",
			    str_or_null(appt_status_name(p->status)));
	json_object_set_new(o, "outcome", str_or_null(p->outcome));
	json_object_set_new(o, "outcome_note", str_or_null(p->outcome_note));
	json_object_set_new(o, "cancel_reason", str_or_null(p->cancel_reason));
	json_object_set_new(o, "rrule", str_or_null(p->rrule));
	for (const char *q = p->exdates; q && *q;) {
		const char *comma = strchr(q, ',');
		int64_t t = 0;
		size_t len = comma ? (size_t)(comma - q) : strlen(q);
		for (size_t i = 0; i < len; i++)
			t = t * 10 + (q[i] - '0');
		json_array_append_new(ex, local_time(p->time_zone, t));
		q = comma ? comma + 1 : NULL;
	}
	json_object_set_new(o, "exdates", ex);
	json_object_set_new(o, "occurrence",
			    recurrence_id
				? local_time(p->time_zone, recurrence_id)
				: json_null());
	json_object_set_new(o, "series_id", id_or_null(p->parent_id));
	json_object_set_new(o, "follow_up_of", id_or_null(p->follow_up_of));
	json_object_set_new(o, "uid", str_or_null(p->uid));
	json_object_set_new(o, "sequence", json_integer(p->sequence));
	json_object_set_new(o, "reschedule_count",
			    json_integer(p->reschedule_count));
	json_object_set_new(o, "reminder_minutes",
			    p->reminder_minutes >= 0
				? json_integer(p->reminder_minutes)
				: json_null());
	json_object_set_new(o, "version", json_integer(p->version));
	json_object_set_new(o, "created_at", utc_time(p->created_at));
	json_object_set_new(o, "updated_at", utc_time(p->updated_at));
	return o;
}
