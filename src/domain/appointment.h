/* SPDX-License-Identifier: MIT */
/*
 * Appointments and the rules of their life cycle. An appointment is held by
 * a rep (owner) with a customer (absent for the rep's own busy time) and
 * optionally one of its contacts. Start and end are UTC instants; the zone
 * it was booked in is kept so recurrences expand in wall-clock time.
 * No SQL, no HTTP: the store keeps them, service/appointments.c applies
 * these rules inside a transaction.
 */
#ifndef AV_APPOINTMENT_H
#define AV_APPOINTMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

enum appt_status {
	APPT_SCHEDULED,
	APPT_COMPLETED,
	APPT_CANCELLED,
	APPT_NO_SHOW,
	APPT_STATUS__MAX
};

enum appt_channel {
	CHANNEL_PHONE,
	CHANNEL_VIDEO,
	CHANNEL_IN_PERSON,
	CHANNEL__MAX
};

/* Limits. A single appointment lasts at most 31 days (multi-day visits
 * and conferences); range queries rely on this bound. */
enum {
	APPT_MAX_DURATION_S = 31 * 86400,
	APPT_SUBJECT_MAX = 200,
	APPT_TYPE_MAX = 40,
	APPT_URL_MAX = 2000,
	APPT_REASON_MAX = 1000,
};

struct appointment {
	int64_t id;		   /* 0 until stored */
	int64_t customer_id;	   /* 0 = the rep's own busy time */
	int64_t contact_id;	   /* 0 = no particular person */
	int64_t owner_id;	   /* the rep who holds it */
	int64_t start_utc;	   /* UTC epoch seconds */
	int64_t end_utc;	   /* exclusive; >= start_utc */
	const char *time_zone;	   /* IANA zone it was booked in */
	bool all_day;		   /* whole local days [start, end) */
	const char *type;	   /* from the configured list */
	enum appt_channel channel; /* how they meet */
	const char *location;	   /* in_person: the place */
	const char *video_url;	   /* video: the https: join link */
	const char *subject;	   /* one line */
	const char *notes;	   /* the reason, free text */
	enum appt_status status;   /* life cycle state */
	const char *outcome;	   /* code from the configured list, or NULL */
	const char *outcome_note;  /* free text with the outcome */
	const char *cancel_reason; /* why it was cancelled */
	const char *rrule;	  /* RFC 5545 RRULE without "RRULE:", or NULL */
	const char *exdates;	  /* excluded occurrence starts: comma list of
				     UTC epoch seconds, or NULL */
	int64_t series_end_utc;	  /* end of the last occurrence; 0 = unbounded
				     or not a series (derived by the service) */
	int64_t parent_id;	  /* override: the series it belongs to */
	int64_t recurrence_id;	  /* override: original start it replaces */
	int64_t follow_up_of;	  /* booked when completing this one */
	const char *uid;	  /* iCalendar UID, stable */
	int64_t sequence;	  /* iCalendar SEQUENCE */
	int64_t reschedule_count; /* times a scheduled start was moved */
	int64_t reminder_minutes; /* minutes before start, -1 = none */
	int64_t created_by;	  /* user */
	int64_t created_at;	  /* UTC epoch seconds */
	int64_t updated_by;	  /* user */
	int64_t updated_at;	  /* UTC epoch seconds */
	int64_t version;	  /* optimistic lock */
	/* iCalendar: set by the import, kept by the store */
	bool floating;		     /* imported floating time: written back
					without TZID or Z */
	int64_t ical_dtstamp;	     /* DTSTAMP of the imported VEVENT, 0 when
					Avtale changed it since */
	const char *organizer_email; /* imported ORGANIZER, NULL = the owner */
	const char *organizer_name;  /* its CN, or NULL */
	/* read-only views filled by the store */
	const char *owner;	     /* owner's e-mail */
	const char *owner_zone;	     /* owner's display zone */
	const char *customer_name;   /* customer's name or NULL */
	const char *customer_number; /* customer's number or NULL */
	const char *customer_zone;   /* customer's zone or NULL */
	const char *contact_name;    /* contact's name or NULL */
	const char *contact_email;   /* contact's e-mail or NULL */
	const char *owner_name;	     /* owner's display name */
};

/* A person invited to an appointment, as iCalendar names them (RFC 5545
 * ATTENDEE with ROLE, PARTSTAT and RSVP). Strings are borrowed. */
struct appt_attendee {
	const char *email;    /* without "mailto:" */
	const char *name;     /* CN, or NULL */
	const char *role;     /* ROLE, NULL = REQ-PARTICIPANT */
	const char *partstat; /* PARTSTAT, NULL = NEEDS-ACTION */
	bool rsvp;	      /* an answer is asked for */
};

const char *appt_status_name(enum appt_status s);
bool appt_status_parse(const char *s, enum appt_status *out);
const char *appt_channel_name(enum appt_channel c);
bool appt_channel_parse(const char *s, enum appt_channel *out);

/* The default type and outcome code lists (NULL-terminated). */
extern const char *const appt_default_types[];
extern const char *const appt_default_outcomes[];

/* True if 'code' is in the NULL-terminated 'list'. */
bool appt_code_in(const char *const *list, const char *code);

/*
 * Validate and normalise fields of a new or changed appointment: subject
 * required, type in 'types', channel details (video needs an https: link,
 * in_person a location), duration > 0 (== 0 allowed only when 'allow_zero'
 * for imported point events) and at most APPT_MAX_DURATION_S, zone valid,
 * rrule valid. Errors name the field.
 */
enum av_err appt_prepare(struct appointment *a, const char *const *types,
			 struct arena *ar, struct av_error *err);

/* Life cycle: may an appointment in 'from' go to 'to'? Fills 'err'. */
enum av_err appt_transition_check(enum appt_status from, enum appt_status to,
				  struct av_error *err);

/* True if [s1,e1) and [s2,e2) overlap (zero-length ones overlap when
 * strictly inside the other). */
bool appt_overlaps(int64_t s1, int64_t e1, int64_t s2, int64_t e2);

/* Parse / format the exdates list (comma-separated UTC epoch seconds). */
size_t appt_exdates_parse(const char *list, struct arena *a, int64_t **out);
char *appt_exdates_format(const int64_t *v, size_t n, struct arena *a);

#endif
