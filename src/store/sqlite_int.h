/* SPDX-License-Identifier: MIT */
/*
 * Inside the SQLite backend: the connection struct and the helpers every
 * store_*_sqlite.c file shares. Each file owns a table of statements (one
 * "area"); all areas are prepared when a connection opens, so a typo fails
 * at start-up and in the unit tests. Nothing outside src/store includes
 * this header.
 */
#ifndef AV_STORE_SQLITE_INT_H
#define AV_STORE_SQLITE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/appointment.h"

/* The statement tables, one per file. Add an area here and to sq_areas. */
enum sq_area {
	SQ_CORE, /* store_sqlite.c: customers, contacts, appointments */
	SQ_AUTH, /* store_auth_sqlite.c: sign-in, users, tokens */
	SQ_ICAL, /* store_ical_sqlite.c: feeds, attendees, mail, reminders */
	SQ__AREAS
};

/* An area's statements: sql[0..n), every entry non-empty. */
struct sq_table {
	const char *const *sql;
	int n;
	const char *name; /* for error messages */
};

extern const struct sq_table sq_core_table;
extern const struct sq_table sq_auth_table;
extern const struct sq_table sq_ical_table;

struct store {
	sqlite3 *db;		      /* owned connection */
	sqlite3_stmt **st[SQ__AREAS]; /* owned prepared statements */
	int64_t *dirty;		      /* owned: customers to re-index */
	size_t n_dirty;		      /* entries used in dirty */
	size_t cap_dirty;	      /* entries allocated */
	int in_tx;		      /* inside store_begin */
};

/* The columns of an appointment row with its read-only views, as
 * sq_read_appt reads them (a.* joined with owner, customer, contact). */
#define SQ_APPT_COLS                                                           \
	"a.id, coalesce(a.customer_id, 0), coalesce(a.contact_id, 0), "        \
	"a.owner_id, a.start_utc, a.end_utc, a.time_zone, a.all_day, a.type, " \
	"a.channel, a.location, a.video_url, a.subject, a.notes, a.status, "   \
	"a.outcome, a.outcome_note, a.cancel_reason, a.rrule, a.exdates, "     \
	"a.series_end_utc, coalesce(a.parent_id, 0), "                         \
	"coalesce(a.recurrence_id, 0), coalesce(a.follow_up_of, 0), a.uid, "   \
	"a.sequence, a.reschedule_count, a.reminder_minutes, "                 \
	"coalesce(a.created_by, 0), a.created_at, coalesce(a.updated_by, 0), " \
	"a.updated_at, a.version, u.email, u.time_zone, c.name, "              \
	"c.customer_number, c.time_zone, p.name, a.floating, a.ical_dtstamp, " \
	"a.organizer_email, a.organizer_name, p.email, u.name "                \
	"FROM appointments a JOIN users u ON u.id = a.owner_id "               \
	"LEFT JOIN customers c ON c.id = a.customer_id "                       \
	"LEFT JOIN contacts p ON p.id = a.contact_id "

/* Read one appointment row of SQ_APPT_COLS. */
void sq_read_appt(sqlite3_stmt *st, struct arena *a, struct appointment *p);
/* Append every row of a prepared SQ_APPT_COLS query (at most 'limit') to
 * the arena array *out of *n_out entries. */
enum av_err sq_appt_rows(struct store *s, sqlite3_stmt *st, size_t limit,
			 struct arena *a, struct appointment **out,
			 size_t *n_out, struct av_error *err);

/* Statement 'id' of 'area', reset and with its bindings cleared. */
sqlite3_stmt *sq_stmt(struct store *s, enum sq_area area, int id);

/* Map the connection's last error to AV_ECONFLICT (constraint) or AV_EDB,
 * naming 'what'; the SQLite text is logged, not shown to clients. */
enum av_err sq_db_error(struct store *s, struct av_error *err,
			const char *what);
/* Bind text, NULL for NULL; bind an id, NULL for 0. */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
void sq_bind_id(sqlite3_stmt *st, int i, int64_t id);
/* Column text copied into 'a'; NULL for SQL NULL. */
const char *sq_col_text(sqlite3_stmt *st, int i, struct arena *a);
/* Run a statement that returns no rows (or ignores them), then reset. */
enum av_err sq_exec_done(struct store *s, sqlite3_stmt *st,
			 struct av_error *err, const char *what);
/* Step once expecting a row; AV_ENOTFOUND naming 'what' on none. */
enum av_err sq_step_row(struct store *s, sqlite3_stmt *st, struct av_error *err,
			const char *what);
/* Step once expecting a row and read its first column into *out (0 on
 * none or an error), then reset. */
enum av_err sq_step_int64(struct store *s, sqlite3_stmt *st, int64_t *out,
			  struct av_error *err, const char *what);
/* A single write outside an explicit transaction gets its own: begin one
 * if none is open (*started tells), and end it with the outcome. */
enum av_err sq_auto_begin(struct store *s, int *started, struct av_error *err);
enum av_err sq_auto_end(struct store *s, int started, enum av_err rc,
			struct av_error *err);
/* Append an audit row; takes ownership of 'before' and 'after'. */
enum av_err sq_audit_json(struct store *s, int64_t actor, const char *action,
			  const char *entity, int64_t id, json_t *before,
			  json_t *after, struct av_error *err);

#endif
