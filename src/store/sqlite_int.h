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

/* The statement tables, one per file. Add an area here and to sq_areas. */
enum sq_area {
	SQ_CORE, /* store_sqlite.c: customers, contacts, appointments */
	SQ_AUTH, /* store_auth_sqlite.c: sign-in, users, tokens */
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

struct store {
	sqlite3 *db;		      /* owned connection */
	sqlite3_stmt **st[SQ__AREAS]; /* owned prepared statements */
	int64_t *dirty;		      /* owned: customers to re-index */
	size_t n_dirty;		      /* entries used in dirty */
	size_t cap_dirty;	      /* entries allocated */
	int in_tx;		      /* inside store_begin */
};

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
