/* SPDX-License-Identifier: MIT */
/*
 * Calendar interoperability over the store: exports (a rep's feed, a
 * range, one appointment) written by ical/write.h from stored rows, and the
 * import of calendar files read by ical/read.h, matched to stored
 * appointments by UID and SEQUENCE (RFC 5546) in one transaction. Shared by
 * the API and the CLI.
 */
#ifndef AV_SERVICE_ICAL_H
#define AV_SERVICE_ICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/token.h"
#include "ical/read.h"
#include "ical/write.h"
#include "store/store.h"

/* The feed covers appointments from this long ago on; clients are asked
 * to look again every FEED_REFRESH_MINUTES; an address that sends
 * FEED_FAIL_MAX wrong tokens within FEED_FAIL_WINDOW_S is refused. */
enum {
	FEED_PAST_S = 366 * 86400,
	FEED_REFRESH_MINUTES = 15,
	FEED_FAIL_MAX = 20,
	FEED_FAIL_WINDOW_S = 15 * 60,
};

/* A new feed token for 'user_id' into out (shown once; only its hash is
 * kept); the user's old feed link stops working. */
enum av_err feed_create(struct store *s, int64_t user_id,
			char out[TOKEN_TEXT_LEN + 1], struct av_error *err);
/* The user a feed token belongs to; AV_ENOTFOUND for a wrong, malformed,
 * revoked or disabled user's token. */
enum av_err feed_owner(struct store *s, const char *token, int64_t *user_id,
		       int64_t *created_at, struct av_error *err);
/* Has 'client' sent too many wrong tokens lately? And count one more. */
enum av_err feed_limited(struct store *s, const char *client, bool *limited,
			 struct av_error *err);
enum av_err feed_failed(struct store *s, const char *client,
			struct av_error *err);

struct ical_export_opts {
	int64_t owner_id;	/* whose appointments; 0 = everyone's */
	int64_t from, to;	/* [from, to); to 0 = no end */
	enum cal_method method; /* PUBLISH for feeds and exports */
	const char *name;	/* calendar name, or NULL */
	int refresh_minutes;	/* > 0 for a subscribed feed */
	bool with_notes;	/* DESCRIPTION from the notes */
};

/*
 * The calendar for 'o' into *out (malloc'd, the caller frees) of *len_out
 * bytes; *last_modified_out (may be NULL) gets the newest change among the
 * rows (0 when there are none).
 */
enum av_err ical_export(struct store *s, const struct ical_export_opts *o,
			char **out, size_t *len_out, int64_t *last_modified_out,
			struct av_error *err);

/*
 * One appointment as a calendar: a single one, a series with its changed
 * occurrences, or one changed occurrence. 'method' REQUEST or CANCEL with
 * 'dtstamp' (the sending time) makes an iTIP message.
 */
enum av_err ical_export_one(struct store *s, int64_t id, bool with_notes,
			    enum cal_method method, int64_t dtstamp, char **out,
			    size_t *len_out, struct av_error *err);

/* The attendees written for appointment 'p': the stored ones, else its
 * contact (if it has an e-mail). */
enum av_err ical_attendees_of(struct store *s, const struct appointment *p,
			      struct arena *a, struct appt_attendee **out,
			      size_t *n_out, struct av_error *err);

/* What the import did with one VEVENT. */
enum import_action {
	IMPORT_CREATED,
	IMPORT_UPDATED,
	IMPORT_CANCELLED, /* an update that cancelled it */
	IMPORT_ANSWERED,  /* a REPLY that set an attendee's answer */
	IMPORT_SKIPPED,
	IMPORT_FAILED, /* could not be stored: the file is refused */
	IMPORT__MAX
};

struct import_item {
	int line;		   /* BEGIN:VEVENT line */
	const char *uid;	   /* its UID */
	int64_t recurrence_id;	   /* its RECURRENCE-ID, 0 = none */
	enum import_action action; /* what happened */
	int64_t appointment_id;	   /* the row, 0 when none */
	int64_t customer_id;	   /* linked customer, 0 = own busy time */
	const char *reason;	   /* why (skips, failures), or NULL */
	const char *summary;	   /* the event's SUMMARY, or NULL */
	int64_t start_utc;	   /* its start as read */
	int64_t end_utc;	   /* its end as read */
};

struct ical_import_opts {
	int64_t owner_id;    /* the rep the appointments belong to */
	int64_t customer_id; /* link every event to this customer; 0 =
				match attendees' e-mails to contacts */
	bool dry_run;	     /* check and report, store nothing */
	int64_t actor;	     /* who imports, for the audit log */
	/* May the actor link to this customer? NULL: any. */
	bool (*visible)(void *ctx, const struct contact_match *m);
	void *visible_ctx;
	/* Called as events are processed; NULL: no progress. */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

struct ical_import_report {
	size_t counts[IMPORT__MAX];    /* items per action */
	struct import_item *items;     /* one per VEVENT, file order */
	size_t n_items;		       /* how many */
	struct ical_problem *problems; /* warnings and errors with lines */
	size_t n_problems;	       /* how many */
	bool stored; /* true when the changes were committed */
};

/*
 * Import the calendar text[0..len) for o->owner_id: all of it or nothing.
 * A file with errors (a value the event cannot do without, one that fails
 * validation) stores nothing and answers AV_EINVAL, the report saying
 * why; so does a dry run that would have succeeded, with AV_OK. Same UID
 * and RECURRENCE-ID updates the one appointment; an older SEQUENCE (or the
 * same SEQUENCE and DTSTAMP) is skipped; a cancelled appointment is never
 * brought back; METHOD:REPLY sets the attendees' answers. Everything lives
 * in 'a'.
 */
enum av_err ical_import(struct store *s, const char *text, size_t len,
			const struct ical_import_opts *o, struct arena *a,
			struct ical_import_report *rep, struct av_error *err);

/* The report as JSON: {"stored","created","updated","cancelled",
 * "answered","skipped","failed","items":[...],"warnings":[...],
 * "errors":[...]}. New reference. */
json_t *ical_import_report_json(const struct ical_import_report *r);

/* "created", "updated", ... */
const char *import_action_name(enum import_action a);

#endif
