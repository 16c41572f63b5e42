/* SPDX-License-Identifier: MIT */
/*
 * Scheduling: the rules of booking, moving, completing and cancelling
 * appointments, applied in one transaction with the conflict check, and
 * the expansion of records into occurrences for the tab and calendars.
 * Used by the API and the CLI alike.
 */
#ifndef AV_APPOINTMENTS_H
#define AV_APPOINTMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/tz.h"
#include "domain/appointment.h"
#include "store/store.h"

/* Expansion never yields more than this many occurrences per call. */
enum { OCC_MAX = 20000, CONFLICTS_MAX = 20 };

/* One occurrence: a single appointment, or one instance of a series. */
struct occurrence {
	const struct appointment *appt; /* borrowed: the row (series master
					   for generated instances) */
	int64_t start_utc;		/* this instance's start */
	int64_t end_utc;		/* this instance's end */
	int64_t recurrence_id;		/* original start for instances of a
					   series (generated or changed), 0
					   for a plain single appointment */
};

/* Appointments that stand in the way of a booking. */
struct conflicts {
	struct occurrence *v; /* arena */
	size_t n;	      /* how many (at most CONFLICTS_MAX) */
};

/*
 * Occurrences in [from, to) for a scope (SCOPE_OWNER: held by user 'key';
 * SCOPE_CUSTOMER: with customer 'key'; SCOPE_CUSTOMER_OWNER: with customers
 * user 'key' owns), series expanded in the zone they were booked in,
 * changed occurrences in place of the generated ones, sorted by start.
 * AV_ETOOBIG when more than 'limit' would be returned.
 */
enum av_err appt_occurrences(struct store *s, enum appt_scope scope,
			     int64_t key, int64_t from, int64_t to,
			     size_t limit, struct arena *a,
			     struct occurrence **out, size_t *n_out,
			     struct av_error *err);

/*
 * The record's tab: past occurrences newest first or upcoming ones
 * soonest first, relative to 'now', at most 'limit'.
 */
enum av_err appt_tab(struct store *s, int64_t customer_id, bool past,
		     int64_t now, size_t limit, struct arena *a,
		     struct occurrence **out, size_t *n_out,
		     struct av_error *err);

/*
 * Book 'p' (fields set by the caller, times already resolved to UTC).
 * Checks customer, contact and owner, validates, and unless 'force' refuses
 * with AV_ECONFLICT (conflicts filled) when it overlaps a scheduled
 * appointment of the same owner. Check and write are one transaction.
 * On success p->id, uid, version are set.
 */
enum av_err appt_book(struct store *s, struct appointment *p, bool force,
		      int64_t actor, struct arena *a, struct conflicts *conf,
		      struct av_error *err);

/* Which part of a series a change applies to. */
enum appt_target {
	TARGET_ALL,	  /* the record itself (a single, or a whole series) */
	TARGET_ONE,	  /* one occurrence of a series */
	TARGET_FOLLOWING, /* this occurrence and every later one */
};

/* Fields a change sets; the others keep their stored values. */
enum appt_field {
	AF_START = 1 << 0, /* moving keeps the duration unless AF_END */
	AF_END = 1 << 1,
	AF_TIME_ZONE = 1 << 2,
	AF_ALL_DAY = 1 << 3,
	AF_CUSTOMER = 1 << 4,
	AF_CONTACT = 1 << 5,
	AF_OWNER = 1 << 6,
	AF_TYPE = 1 << 7,
	AF_CHANNEL = 1 << 8,
	AF_LOCATION = 1 << 9,
	AF_VIDEO_URL = 1 << 10,
	AF_SUBJECT = 1 << 11,
	AF_NOTES = 1 << 12,
	AF_RRULE = 1 << 13,
	AF_REMINDER = 1 << 14,
};

struct appt_patch {
	unsigned set;	      /* enum appt_field bits */
	struct appointment v; /* the new values of the fields in 'set' */
};

/*
 * Apply 'patch' to appointment 'id'. For a series, 'target' and
 * 'occurrence' (an instance's original start) choose what changes: one
 * instance becomes a changed occurrence of its own, "following" splits the
 * series. Moving a scheduled appointment counts a reschedule; a completed,
 * cancelled or no-show appointment cannot move (AV_ECONFLICT).
 * Calendar-visible changes raise SEQUENCE. 'expected_version' 0 skips the
 * If-Match check. Unless 'force', a new time that overlaps another
 * scheduled appointment of the owner is AV_ECONFLICT with 'conf' filled.
 * On success *result_id is the row that now holds the change.
 */
enum av_err appt_change(struct store *s, int64_t id,
			const struct appt_patch *patch, enum appt_target target,
			int64_t occurrence, int64_t expected_version,
			bool force, int64_t actor, struct arena *a,
			struct conflicts *conf, int64_t *result_id,
			struct av_error *err);

/* Outcome of a held meeting, with an optional follow-up booking. */
struct completion {
	const char *outcome;	       /* code from the outcome list */
	const char *note;	       /* free text or NULL */
	struct appointment *follow_up; /* or NULL: booked in the same
					  transaction (id set on success) */
};

/*
 * Mark an appointment (or occurrence 'occurrence' of a series) completed,
 * no-show or cancelled. Completing requires an outcome; cancelling a
 * reason. Only scheduled appointments change state (AV_ECONFLICT).
 * *result_id is the row that holds the new state.
 */
enum av_err appt_complete(struct store *s, int64_t id, int64_t occurrence,
			  const struct completion *c, int64_t expected_version,
			  bool force, int64_t actor, struct arena *a,
			  struct conflicts *conf, int64_t *result_id,
			  struct av_error *err);
enum av_err appt_cancel(struct store *s, int64_t id, int64_t occurrence,
			const char *reason, int64_t expected_version,
			int64_t actor, struct arena *a, int64_t *result_id,
			struct av_error *err);
enum av_err appt_no_show(struct store *s, int64_t id, int64_t occurrence,
			 int64_t expected_version, int64_t actor,
			 struct arena *a, int64_t *result_id,
			 struct av_error *err);

/*
 * The note for a wall time that was not taken as written, or NULL when it
 * was ('how' from tz_parse_instant of 'text' in 'zone'), for the
 * `adjusted` field and the CLI: "02:30 does not exist on 2025-03-30 in
 * Europe/Oslo (clocks go forward); booked at 03:30". 'verb' names the
 * result ("booked at", "it ends at").
 */
const char *appt_adjust_note(struct arena *a, const char *text,
			     const char *zone, int64_t utc, enum tz_adjust how,
			     const char *verb);

/* The end of the last occurrence of a bounded series, 0 if unbounded. */
enum av_err appt_series_end(const struct appointment *p, struct arena *a,
			    int64_t *out, struct av_error *err);

#endif
