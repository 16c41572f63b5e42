/* SPDX-License-Identifier: MIT */
/*
 * Writing iCalendar (RFC 5545) through libical: appointments as VEVENTs in
 * one VCALENDAR, for the per-user feed, exports, one appointment's .ics and
 * iTIP invitations (RFC 5546). Every zone an event uses gets its VTIMEZONE
 * (from core/tz.h); text is cleaned of control characters and left to
 * libical to escape and fold, so no value can turn into a property of its
 * own. Output is deterministic: the same rows give the same bytes.
 */
#ifndef AV_ICAL_WRITE_H
#define AV_ICAL_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "domain/appointment.h"

/* One VEVENT to write. Everything is borrowed for the call. */
struct ical_out_event {
	const struct appointment *appt;	       /* the row */
	const char *master_zone;	       /* a changed occurrence: the
						  series' zone (RECURRENCE-ID
						  in its TZID form); NULL =
						  the row's own */
	const struct appt_attendee *attendees; /* may be NULL */
	size_t n_attendees;		       /* how many */
	bool with_notes;		       /* DESCRIPTION from the notes */
};

enum cal_method {
	CAL_METHOD_NONE,    /* no METHOD: a plain file */
	CAL_METHOD_PUBLISH, /* feeds and exports */
	CAL_METHOD_REQUEST, /* an invitation or its update */
	CAL_METHOD_CANCEL,  /* a cancellation */
	CAL_METHOD_REPLY,   /* an attendee's answer (read only) */
	CAL_METHOD__MAX
};

struct ical_out_calendar {
	enum cal_method method; /* METHOD */
	const char *name;	/* X-WR-CALNAME and NAME, or NULL */
	int refresh_minutes;	/* > 0: REFRESH-INTERVAL and
				   X-PUBLISHED-TTL (feeds) */
	int64_t dtstamp;	/* DTSTAMP of every event; 0 = each event's
				   own (ical_dtstamp, else updated_at) */
	int sequence_bump;	/* added to every SEQUENCE (iTIP) */
};

/*
 * The calendar of 'n' events as CRLF text into *out (malloc'd, NUL-
 * terminated; the caller frees it) and its length into *len_out.
 * Cancelled appointments (or every event under CAL_METHOD_CANCEL) carry
 * STATUS:CANCELLED. Errors: AV_EINVAL for an event whose zone is unknown.
 */
enum av_err ical_write(const struct ical_out_calendar *cal,
		       const struct ical_out_event *ev, size_t n, char **out,
		       size_t *len_out, struct av_error *err);

/* "PUBLISH", "REQUEST", "CANCEL", "REPLY"; NULL for CAL_METHOD_NONE. */
const char *cal_method_name(enum cal_method m);

#endif
