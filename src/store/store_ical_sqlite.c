/* SPDX-License-Identifier: MIT */
/*
 * The SQLite side of calendar interoperability: feed tokens (hashes only),
 * appointments by iCalendar UID, the rows an export or feed writes, what
 * an imported VEVENT carries beyond the appointment (floating flag,
 * DTSTAMP, organizer, attendees), contacts found by e-mail, the outbound
 * mail queue and the reminders already queued.
 */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_int.h"
#include "store/store.h"

#include "core/banned.h"

enum ical_stmt {
	IC_FEED_SET,
	IC_FEED_GET,
	IC_FEED_DELETE,
	IC_FEED_USER,
	IC_FEED_VERSION,
	IC_BY_UID,
	IC_EXPORT_ROWS,
	IC_SET_ICAL,
	IC_ADOPT,
	IC_ATT_CLEAR,
	IC_ATT_ADD,
	IC_ATT_GET,
	IC_ATT_ANSWER,
	IC_CONTACTS_BY_EMAIL,
	IC_MAIL_ADD,
	IC_MAIL_CLAIM,
	IC_MAIL_SENT,
	IC_MAIL_FAILED,
	IC_MAIL_COUNT,
	IC_REMIND_SINGLES,
	IC_REMIND_SERIES,
	IC_REMIND_CLAIM,
	IC__MAX
};

static const char *const sql[IC__MAX] = {
    [IC_FEED_SET] = "INSERT INTO feed_tokens (user_id, token_hash, created_at) "
		    "VALUES (?1, ?2, ?3) ON CONFLICT (user_id) DO UPDATE SET "
		    "token_hash = ?2, created_at = ?3",
    [IC_FEED_GET] = "SELECT created_at FROM feed_tokens WHERE user_id = ?1",
    [IC_FEED_DELETE] = "DELETE FROM feed_tokens WHERE user_id = ?1",
    [IC_FEED_USER] = "SELECT f.user_id, f.created_at FROM feed_tokens f "
		     "JOIN users u ON u.id = f.user_id "
		     "WHERE f.token_hash = ?1 AND u.disabled = 0",
    [IC_FEED_VERSION] = "SELECT version, changed_at FROM calendar_versions "
			"WHERE user_id = ?1",
    [IC_BY_UID] = "SELECT " SQ_APPT_COLS "WHERE a.uid = ?1 "
		  "AND coalesce(a.recurrence_id, 0) = ?2",
    /* singles and changed occurrences overlapping [from, to), series
     * whose span touches it; deterministic order for identical exports */
    [IC_EXPORT_ROWS] =
	"SELECT " SQ_APPT_COLS "WHERE (?1 = 0 OR a.owner_id = ?1) AND "
	"a.start_utc < ?3 AND ((a.rrule IS NULL AND a.end_utc >= ?2) OR "
	"(a.rrule IS NOT NULL AND (a.series_end_utc = 0 OR "
	"a.series_end_utc > ?2))) "
	"ORDER BY a.start_utc, a.uid, coalesce(a.recurrence_id, 0)",
    [IC_SET_ICAL] = "UPDATE appointments SET floating = ?2, ical_dtstamp = ?3, "
		    "organizer_email = ?4, organizer_name = ?5 WHERE id = ?1",
    [IC_ADOPT] = "UPDATE appointments SET parent_id = ?2 WHERE uid = ?1 "
		 "AND parent_id IS NULL AND recurrence_id IS NOT NULL "
		 "AND id <> ?2",
    [IC_ATT_CLEAR] =
	"DELETE FROM appointment_attendees WHERE appointment_id = ?1",
    [IC_ATT_ADD] = "INSERT INTO appointment_attendees (appointment_id, "
		   "position, email, name, role, partstat, rsvp) "
		   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [IC_ATT_GET] = "SELECT email, name, role, partstat, rsvp "
		   "FROM appointment_attendees WHERE appointment_id = ?1 "
		   "ORDER BY position",
    [IC_ATT_ANSWER] = "UPDATE appointment_attendees SET partstat = ?3 "
		      "WHERE appointment_id = ?1 AND email = ?2 COLLATE NOCASE",
    [IC_CONTACTS_BY_EMAIL] =
	"SELECT p.id, c.id, c.owner_id, coalesce(c.territory_id, 0) "
	"FROM contacts p JOIN customers c ON c.id = p.customer_id "
	"WHERE p.email = ?1 COLLATE NOCASE AND c.deleted_at IS NULL "
	"ORDER BY c.id, p.id LIMIT ?2",
    [IC_MAIL_ADD] = "INSERT INTO mail_queue (kind, appointment_id, recipient, "
		    "message, created_at, next_attempt_at) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
    /* one statement: under SQLite's write lock no two senders can take
     * the same message */
    [IC_MAIL_CLAIM] =
	"UPDATE mail_queue SET claimed_until = ?1 + ?2, attempts = attempts + 1 "
	"WHERE id = (SELECT id FROM mail_queue WHERE sent_at IS NULL "
	"AND next_attempt_at <= ?1 AND claimed_until <= ?1 "
	"ORDER BY next_attempt_at, id LIMIT 1) "
	"RETURNING id, kind, coalesce(appointment_id, 0), recipient, message, "
	"attempts",
    [IC_MAIL_SENT] = "UPDATE mail_queue SET sent_at = ?2, last_error = NULL "
		     "WHERE id = ?1",
    [IC_MAIL_FAILED] = "UPDATE mail_queue SET last_error = ?2, "
		       "next_attempt_at = ?3, claimed_until = 0 WHERE id = ?1",
    [IC_MAIL_COUNT] = "SELECT count(*) FROM mail_queue WHERE sent_at IS NULL",
    /* scheduled appointments with a reminder whose start is in (now, to] */
    [IC_REMIND_SINGLES] =
	"SELECT " SQ_APPT_COLS
	"WHERE a.rrule IS NULL AND a.status = 'scheduled' "
	"AND a.reminder_minutes >= 0 AND a.start_utc > ?1 AND a.start_utc <= ?2 "
	"AND a.start_utc - a.reminder_minutes * 60 <= ?1 ORDER BY a.start_utc",
    [IC_REMIND_SERIES] =
	"SELECT " SQ_APPT_COLS "WHERE a.rrule IS NOT NULL "
	"AND a.status = 'scheduled' AND a.reminder_minutes >= 0 "
	"AND a.start_utc <= ?2 AND (a.series_end_utc = 0 OR "
	"a.series_end_utc > ?1)",
    [IC_REMIND_CLAIM] = "INSERT INTO reminders_sent (appointment_id, "
			"occurrence_utc, minutes, queued_at) "
			"VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
};
_Static_assert(sizeof(sql) / sizeof(sql[0]) == IC__MAX, "sql[] covers stmt");

const struct sq_table sq_ical_table = {sql, IC__MAX, "ical"};

static sqlite3_stmt *
stmt(struct store *s, enum ical_stmt id)
{
	return sq_stmt(s, SQ_ICAL, (int)id);
}

/* ---- feed tokens ---- */

enum av_err
store_feed_set(struct store *s, int64_t user_id, const char *token_hash,
	       struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_FEED_SET);

	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_text(st, 2, token_hash);
	sqlite3_bind_int64(st, 3, store_now());
	return sq_exec_done(s, st, err, "feed token");
}

enum av_err
store_feed_get(struct store *s, int64_t user_id, int64_t *created_at,
	       struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_FEED_GET);

	sqlite3_bind_int64(st, 1, user_id);
	return sq_step_int64(s, st, created_at, err, "feed");
}

enum av_err
store_feed_delete(struct store *s, int64_t user_id, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_FEED_DELETE);

	sqlite3_bind_int64(st, 1, user_id);
	return sq_exec_done(s, st, err, "feed token");
}

enum av_err
store_feed_user(struct store *s, const char *token_hash, int64_t *user_id,
		int64_t *created_at, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_FEED_USER);
	enum av_err rc;

	sq_bind_text(st, 1, token_hash);
	rc = sq_step_row(s, st, err, "feed");
	*user_id = rc ? 0 : sqlite3_column_int64(st, 0);
	*created_at = rc ? 0 : sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_calendar_version(struct store *s, int64_t user_id, int64_t *version,
		       int64_t *changed_at, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_FEED_VERSION);
	int rc;

	*version = 0;
	*changed_at = 0;
	sqlite3_bind_int64(st, 1, user_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int64(st, 0);
		*changed_at = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_db_error(s, err, "calendar version");
	return AV_OK;
}

/* ---- appointments as iCalendar sees them ---- */

enum av_err
store_appt_by_uid(struct store *s, const char *uid, int64_t recurrence_id,
		  struct arena *a, struct appointment *out,
		  struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_BY_UID);
	enum av_err rc;

	sq_bind_text(st, 1, uid);
	sqlite3_bind_int64(st, 2, recurrence_id);
	rc = sq_step_row(s, st, err, "appointment");
	if (!rc)
		sq_read_appt(st, a, out);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_appt_export_rows(struct store *s, int64_t owner_id, int64_t from,
		       int64_t to, struct arena *a, struct appointment **out,
		       size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_EXPORT_ROWS);

	*out = NULL;
	*n_out = 0;
	sqlite3_bind_int64(st, 1, owner_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return sq_appt_rows(s, st, SIZE_MAX, a, out, n_out, err);
}

enum av_err
store_appt_set_ical(struct store *s, const struct appointment *p,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_SET_ICAL);

	sqlite3_bind_int64(st, 1, p->id);
	sqlite3_bind_int(st, 2, p->floating);
	sqlite3_bind_int64(st, 3, p->ical_dtstamp);
	sq_bind_text(st, 4, p->organizer_email);
	sq_bind_text(st, 5, p->organizer_name);
	return sq_exec_done(s, st, err, "appointment");
}

enum av_err
store_appt_adopt_overrides(struct store *s, const char *uid, int64_t master_id,
			   struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_ADOPT);

	sq_bind_text(st, 1, uid);
	sqlite3_bind_int64(st, 2, master_id);
	return sq_exec_done(s, st, err, "appointment");
}

enum av_err
store_attendees_set(struct store *s, int64_t appt_id,
		    const struct appt_attendee *v, size_t n,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_ATT_CLEAR);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, appt_id);
	if ((rc = sq_exec_done(s, st, err, "attendees")))
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		st = stmt(s, IC_ATT_ADD);
		sqlite3_bind_int64(st, 1, appt_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sq_bind_text(st, 3, v[i].email);
		sq_bind_text(st, 4, v[i].name);
		sq_bind_text(st, 5, v[i].role ? v[i].role : "REQ-PARTICIPANT");
		sq_bind_text(st, 6,
			     v[i].partstat ? v[i].partstat : "NEEDS-ACTION");
		sqlite3_bind_int(st, 7, v[i].rsvp);
		rc = sq_exec_done(s, st, err, "attendees");
	}
	return rc;
}

enum av_err
store_attendees_get(struct store *s, int64_t appt_id, struct arena *a,
		    struct appt_attendee **out, size_t *n_out,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_ATT_GET);
	size_t n = 0, cap = 0;
	struct appt_attendee *v = NULL;
	int rc;

	sqlite3_bind_int64(st, 1, appt_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		v[n].email = sq_col_text(st, 0, a);
		v[n].name = sq_col_text(st, 1, a);
		v[n].role = sq_col_text(st, 2, a);
		v[n].partstat = sq_col_text(st, 3, a);
		v[n].rsvp = sqlite3_column_int(st, 4) != 0;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "attendees");
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_attendee_answer(struct store *s, int64_t appt_id, const char *email,
		      const char *partstat, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_ATT_ANSWER);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, appt_id);
	sq_bind_text(st, 2, email);
	sq_bind_text(st, 3, partstat);
	rc = sq_exec_done(s, st, err, "attendees");
	if (!rc && sqlite3_changes(s->db) == 0)
		return av_errorf(err, AV_ENOTFOUND,
				 "'%s' is not invited to this appointment",
				 email);
	return rc;
}

enum av_err
store_contacts_by_email(struct store *s, const char *email,
			struct contact_match *out, size_t max, size_t *n_out,
			struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_CONTACTS_BY_EMAIL);
	size_t n = 0;
	int rc = SQLITE_DONE;

	sq_bind_text(st, 1, email);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[n].contact_id = sqlite3_column_int64(st, 0);
		out[n].customer_id = sqlite3_column_int64(st, 1);
		out[n].owner_id = sqlite3_column_int64(st, 2);
		out[n].territory_id = sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	*n_out = n;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq_db_error(s, err, "contacts");
	return AV_OK;
}

/* ---- outbound mail ---- */

enum av_err
store_mail_enqueue(struct store *s, const char *kind, int64_t appt_id,
		   const char *recipient, const char *message, int64_t *id_out,
		   struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_MAIL_ADD);
	enum av_err rc;

	sq_bind_text(st, 1, kind);
	sq_bind_id(st, 2, appt_id);
	sq_bind_text(st, 3, recipient);
	sq_bind_text(st, 4, message);
	sqlite3_bind_int64(st, 5, store_now());
	rc = sq_step_row(s, st, err, "mail queue");
	if (!rc && id_out)
		*id_out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_mail_claim(struct store *s, int64_t now, int64_t lease_s, struct arena *a,
		 struct mail_item *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_MAIL_CLAIM);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, lease_s);
	rc = sq_step_row(s, st, err, "mail");
	if (!rc) {
		out->id = sqlite3_column_int64(st, 0);
		out->kind = sq_col_text(st, 1, a);
		out->appointment_id = sqlite3_column_int64(st, 2);
		out->recipient = sq_col_text(st, 3, a);
		out->message = sq_col_text(st, 4, a);
		out->attempts = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_mail_sent(struct store *s, int64_t id, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_MAIL_SENT);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, store_now());
	return sq_exec_done(s, st, err, "mail queue");
}

enum av_err
store_mail_failed(struct store *s, int64_t id, const char *error,
		  int64_t next_attempt_at, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_MAIL_FAILED);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, error);
	sqlite3_bind_int64(st, 3, next_attempt_at);
	return sq_exec_done(s, st, err, "mail queue");
}

enum av_err
store_mail_pending(struct store *s, int64_t *n_out, struct av_error *err)
{
	return sq_step_int64(s, stmt(s, IC_MAIL_COUNT), n_out, err,
			     "mail queue");
}

/* ---- reminders ---- */

enum av_err
store_reminder_rows(struct store *s, int64_t now, int64_t horizon,
		    struct arena *a, struct appointment **out, size_t *n_out,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_REMIND_SINGLES);
	enum av_err rc;

	*out = NULL;
	*n_out = 0;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now + horizon);
	if ((rc = sq_appt_rows(s, st, SIZE_MAX, a, out, n_out, err)))
		return rc;
	st = stmt(s, IC_REMIND_SERIES);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now + horizon);
	return sq_appt_rows(s, st, SIZE_MAX, a, out, n_out, err);
}

enum av_err
store_reminder_claim(struct store *s, int64_t appt_id, int64_t occurrence,
		     int64_t minutes, bool *claimed, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, IC_REMIND_CLAIM);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, appt_id);
	sqlite3_bind_int64(st, 2, occurrence);
	sqlite3_bind_int64(st, 3, minutes);
	sqlite3_bind_int64(st, 4, store_now());
	rc = sq_exec_done(s, st, err, "reminders");
	*claimed = !rc && sqlite3_changes(s->db) == 1;
	return rc;
}
