/* SPDX-License-Identifier: MIT */
/* Helpers shared by the SQLite store files (see sqlite_int.h). */
#include <stdlib.h>

#include "core/log.h"
#include "domain/codec.h"
#include "store/sqlite_int.h"
#include "store/store.h"

#include "core/banned.h"

sqlite3_stmt *
sq_stmt(struct store *s, enum sq_area area, int id)
{
	sqlite3_stmt *st = s->st[area][id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

enum av_err
sq_db_error(struct store *s, struct av_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);

	if ((code & 0xff) == SQLITE_CONSTRAINT)
		return av_errorf(err, AV_ECONFLICT, "%s: %s", what,
				 sqlite3_errmsg(s->db));
	log_err("sqlite: %s: %s (%d)", what, sqlite3_errmsg(s->db), code);
	return av_errorf(err, AV_EDB, "database error in %s", what);
}

void
sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void
sq_bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

const char *
sq_col_text(sqlite3_stmt *st, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	if (!t)
		return NULL;
	return arena_strndup(a, (const char *)t,
			     (size_t)sqlite3_column_bytes(st, i));
}

/* Run a statement that returns no rows (or ignores them). */
enum av_err
sq_exec_done(struct store *s, sqlite3_stmt *st, struct av_error *err,
	     const char *what)
{
	int rc = sqlite3_step(st);

	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		enum av_err e = sq_db_error(s, err, what);
		sqlite3_reset(st);
		return e;
	}
	sqlite3_reset(st);
	return AV_OK;
}

/* Step once expecting a row; AV_ENOTFOUND on none. */
enum av_err
sq_step_row(struct store *s, sqlite3_stmt *st, struct av_error *err,
	    const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return AV_OK;
	if (rc == SQLITE_DONE)
		return av_errorf(err, AV_ENOTFOUND, "%s not found", what);
	return sq_db_error(s, err, what);
}

/* One row of one integer (a count, a maximum): 0 when there is none. */
enum av_err
sq_step_int64(struct store *s, sqlite3_stmt *st, int64_t *out,
	      struct av_error *err, const char *what)
{
	enum av_err rc = sq_step_row(s, st, err, what);

	*out = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

/* A single write outside an explicit transaction gets its own. */
enum av_err
sq_auto_begin(struct store *s, int *started, struct av_error *err)
{
	*started = 0;
	if (s->in_tx)
		return AV_OK;
	if (store_begin(s, err))
		return err ? err->code : AV_EDB;
	*started = 1;
	return AV_OK;
}

enum av_err
sq_auto_end(struct store *s, int started, enum av_err rc, struct av_error *err)
{
	if (!started)
		return rc;
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

enum av_err
sq_audit_json(struct store *s, int64_t actor, const char *action,
	      const char *entity, int64_t id, json_t *before, json_t *after,
	      struct av_error *err)
{
	struct arena a;
	struct audit_entry e = {0};
	enum av_err rc;

	arena_init(&a, 0);
	e.actor_id = actor;
	e.action = action;
	e.entity = entity;
	e.entity_id = id;
	e.before = before ? json_to_arena(&a, before) : NULL;
	e.after = after ? json_to_arena(&a, after) : NULL;
	rc = store_audit_add(s, &e, err);
	json_decref(before);
	json_decref(after);
	arena_release(&a);
	return rc;
}
