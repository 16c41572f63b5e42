/* SPDX-License-Identifier: MIT */
/*
 * Reading iCalendar files as Outlook, Exchange, Google and Apple write
 * them, through libical: BOM, CRLF, LF-only and CR-only lines, folds
 * inside multi-byte characters (unfolded on raw bytes before anything is
 * decoded), escaped text, Windows and display zone names, custom
 * VTIMEZONEs (their rules win over their names), floating times (read in
 * the owner's zone), all-day dates with exclusive ends, DURATION or no
 * end, recurrences with EXDATE and RECURRENCE-ID, iTIP methods and alarms.
 * Every VEVENT becomes one struct ical_in_event with its times resolved to
 * UTC through core/tz.h. Values libical could not read (it puts an
 * X-LIC-ERROR in their place) are reported with the line they were on.
 * No storage here: service/ical_import.c decides what to do with them.
 */
#ifndef AV_ICAL_READ_H
#define AV_ICAL_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "ical/write.h"

/* Longest file ical_read accepts. */
#define ICAL_READ_MAX ((size_t)256 << 20)

struct ical_in_attendee {
	const char *email;    /* without "mailto:", as written */
	const char *name;     /* CN or NULL */
	const char *role;     /* ROLE, "REQ-PARTICIPANT" when absent */
	const char *partstat; /* PARTSTAT, "NEEDS-ACTION" when absent */
	bool rsvp;	      /* RSVP=TRUE */
};

/* One VEVENT. Strings and arrays live in the arena given to ical_read. */
struct ical_in_event {
	int line;		    /* physical line of its BEGIN:VEVENT */
	bool usable;		    /* false: a required value is missing or
				       wrong (an error names it) */
	const char *uid;	    /* UID, unfolded */
	int64_t sequence;	    /* SEQUENCE, 0 when absent */
	int64_t dtstamp;	    /* DTSTAMP as UTC seconds, 0 when absent */
	bool cancelled;		    /* STATUS:CANCELLED */
	int64_t start_utc;	    /* DTSTART */
	int64_t end_utc;	    /* DTEND, or from DURATION, or DTSTART */
	bool all_day;		    /* DTSTART is a DATE */
	bool floating;		    /* wall time without zone */
	const char *time_zone;	    /* IANA zone to keep (mapped from the
				       TZID, else the owner's) */
	const char *tzid;	    /* the TZID as written, or NULL */
	const char *summary;	    /* SUMMARY, or NULL */
	const char *description;    /* DESCRIPTION, or NULL */
	const char *location;	    /* LOCATION ("" when empty), or NULL */
	const char *url;	    /* URL, or NULL */
	const char **categories;    /* CATEGORIES items */
	size_t n_categories;	    /* how many */
	const char *rrule;	    /* RRULE value, or NULL */
	int64_t *exdates;	    /* EXDATE instants */
	size_t n_exdates;	    /* how many */
	int64_t recurrence_id;	    /* RECURRENCE-ID instant, 0 = none */
	const char *organizer;	    /* ORGANIZER e-mail, or NULL */
	const char *organizer_name; /* its CN, or NULL */
	struct ical_in_attendee *attendees; /* ATTENDEEs */
	size_t n_attendees;		    /* how many */
	int64_t *reminders;		    /* VALARM triggers, minutes
					       before the start */
	size_t n_reminders;		    /* how many */
	const char *x_type;		    /* X-AVTALE-TYPE, or NULL */
	const char *x_channel;		    /* X-AVTALE-CHANNEL, or NULL */
};

/* A problem in the file: a warning (the event still imports) or an
 * error (it cannot). */
struct ical_problem {
	int line;	     /* physical line, 1-based; 0 when unknown */
	bool error;	     /* true: the file cannot be imported as is */
	const char *message; /* what and why */
};

struct ical_in_file {
	enum cal_method method;	       /* METHOD of the calendar */
	struct ical_in_event *events;  /* in file order */
	size_t n_events;	       /* how many */
	struct ical_problem *problems; /* in line order */
	size_t n_problems;	       /* how many */
	int lines;		       /* physical lines read */
};

/*
 * Read text[0..len) with 'owner_zone' (an IANA zone) for floating times
 * and unnamed zones. Everything goes into 'a'. AV_EINVAL only when the
 * text is no calendar at all (no VCALENDAR, over ICAL_READ_MAX, NUL
 * bytes); problems inside it are in out->problems.
 * Thread-safe (each call has its own parser and zones).
 */
enum av_err ical_read(const char *text, size_t len, const char *owner_zone,
		      struct arena *a, struct ical_in_file *out,
		      struct av_error *err);

#endif
