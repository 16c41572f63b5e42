/* SPDX-License-Identifier: MIT */
/*
 * E-mail: iTIP invitations (RFC 6047: a multipart/alternative message with
 * text, HTML and a text/calendar part carrying METHOD REQUEST or CANCEL)
 * and reminders, queued in the database in the caller's transaction and
 * sent later by `avtale serve`'s background thread through libcurl's SMTP,
 * retried with a growing delay, so a mail server outage loses nothing and
 * never holds up a booking. Reminders are claimed per occurrence in the
 * database, so each is queued once even with several servers and across
 * restarts.
 */
#ifndef AV_SERVICE_MAIL_H
#define AV_SERVICE_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "ical/write.h"
#include "store/store.h"

/* Where and how `avtale serve` sends. Strings are borrowed. */
struct mail_config {
	const char *smtp_url; /* "smtp://host:port" (or smtps://); NULL:
				 keep everything queued */
	const char *from;     /* envelope sender and From (the rep goes in
				 Reply-To); NULL: the rep's own address */
	const char *user;     /* SMTP AUTH user, or NULL */
	const char *password; /* its password, or NULL */
	int retry_s;	      /* first retry after this many seconds, then
				 doubling up to an hour; 0: 60 */
	int timeout_s;	      /* one SMTP conversation; 0: 30 */
};

/*
 * Queue the invitation of appointment 'id' to each of its attendees (the
 * stored ones, else its contact, who is then stored as invited): METHOD
 * REQUEST for a new or changed appointment, CANCEL for a cancelled one.
 * The organizer is the rep. *n_out (may be NULL) gets how many were
 * queued; 0 when nobody invited has an e-mail address.
 */
enum av_err invite_queue(struct store *s, int64_t id, enum cal_method method,
			 size_t *n_out, struct av_error *err);

/* True if appointment 'p' (or its series) has invited attendees, whom a
 * change or a cancellation must then reach. */
bool invite_has_attendees(struct store *s, const struct appointment *p);

/*
 * The invitation message for 'to' (RFC 5322, CRLF): 'calendar' is the
 * iCalendar text. Header values are cleaned of CR, LF and controls and
 * encoded (RFC 2047) when not ASCII. In the arena.
 */
char *mail_invite_message(const struct appointment *p, enum cal_method method,
			  const char *calendar, const char *from_email,
			  const char *from_name, const char *to_email,
			  const char *to_name, int64_t now, struct arena *a);

/*
 * Queue the reminders that are due at 'now' (scheduled appointments, the
 * occurrences of series too) to their reps, each occurrence once whatever
 * the number of servers; *n_out (may be NULL) gets how many.
 */
enum av_err reminders_queue_due(struct store *s, int64_t now, size_t *n_out,
				struct av_error *err);

/*
 * Send the messages due at 'now', one after another, at most 'max';
 * a failure is kept for another try later. Returns how many went out.
 */
size_t mail_send_due(struct store *s, const struct mail_config *c, int64_t now,
		     size_t max);

/* The background thread of `avtale serve`: every 'interval_s' seconds it
 * queues due reminders and sends due mail, with its own connection to
 * 'db_url'. */
struct mail_worker;
struct mail_worker *mail_worker_start(const char *db_url,
				      const struct mail_config *c,
				      int interval_s, struct av_error *err);
/* Stop and join it (a send in progress finishes first). NULL is a no-op. */
void mail_worker_stop(struct mail_worker *w);

#endif
