/* SPDX-License-Identifier: MIT */
/*
 * The SQLite side of sign-in and user administration: password hashes,
 * sessions, API tokens, failed sign-ins, user and territory changes and the
 * bulk reassignment of a leaving rep's customers. Secrets never reach this
 * file: callers pass the hashes of tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/xalloc.h"
#include "domain/codec.h"
#include "store/sqlite_int.h"
#include "store/store.h"

#include "core/banned.h"

enum auth_stmt {
	AU_PASSWORD_GET,
	AU_PASSWORD_SET,
	AU_USER_UPDATE,
	AU_TERR_UPDATE,
	AU_SESSION_INSERT,
	AU_SESSION_GET,
	AU_SESSION_TOUCH,
	AU_SESSION_DELETE,
	AU_SESSION_DELETE_USER,
	AU_SESSION_PURGE,
	AU_TOKEN_INSERT,
	AU_TOKEN_BY_HASH,
	AU_TOKEN_LIST,
	AU_TOKEN_REVOKE,
	AU_TOKEN_TOUCH,
	AU_FAIL_ADD,
	AU_FAIL_COUNT,
	AU_FAIL_CLEAR,
	AU_FAIL_PURGE,
	AU_OWNED_BY,
	AU__MAX
};

#define TOKEN_COLS                                                             \
	"id, user_id, name, scope = 'write', created_at, "                     \
	"coalesce(last_used_at, 0), coalesce(revoked_at, 0) FROM api_tokens "

static const char *const sql[AU__MAX] = {
    [AU_PASSWORD_GET] = "SELECT password_hash FROM users WHERE id = ?1",
    [AU_PASSWORD_SET] = "UPDATE users SET password_hash = ?2, "
			"password_changed_at = ?3 WHERE id = ?1",
    [AU_USER_UPDATE] = "UPDATE users SET name = ?2, role = ?3, "
		       "time_zone = ?4, locale = ?5, territory_id = ?6, "
		       "disabled = ?7 WHERE id = ?1",
    [AU_TERR_UPDATE] = "UPDATE territories SET code = ?2, name = ?3, "
		       "name_fold = ?4 WHERE id = ?1",
    [AU_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, csrf, "
			  "created_at, last_seen_at, expires_at, address) "
			  "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)",
    [AU_SESSION_GET] = "SELECT id, user_id, csrf, created_at, last_seen_at, "
		       "expires_at FROM sessions WHERE token_hash = ?1",
    [AU_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1",
    [AU_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
    [AU_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1",
    [AU_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at < ?1",
    [AU_TOKEN_INSERT] = "INSERT INTO api_tokens (token_hash, user_id, name, "
			"scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
			"RETURNING id",
    [AU_TOKEN_BY_HASH] =
	"SELECT " TOKEN_COLS "WHERE token_hash = ?1 AND revoked_at IS NULL",
    [AU_TOKEN_LIST] =
	"SELECT " TOKEN_COLS "WHERE ?1 = 0 OR user_id = ?1 ORDER BY id DESC",
    [AU_TOKEN_REVOKE] = "UPDATE api_tokens SET revoked_at = ?3 "
			"WHERE id = ?1 AND (?2 = 0 OR user_id = ?2) "
			"AND revoked_at IS NULL",
    [AU_TOKEN_TOUCH] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1",
    [AU_FAIL_ADD] = "INSERT INTO login_failures (key, at) VALUES (?1, ?2)",
    [AU_FAIL_COUNT] =
	"SELECT count(*) FROM login_failures WHERE key = ?1 AND at >= ?2",
    [AU_FAIL_CLEAR] = "DELETE FROM login_failures WHERE key = ?1",
    [AU_FAIL_PURGE] = "DELETE FROM login_failures WHERE at < ?1",
    [AU_OWNED_BY] = "SELECT id FROM customers WHERE owner_id = ?1 "
		    "AND deleted_at IS NULL ORDER BY id",
};
_Static_assert(sizeof(sql) / sizeof(sql[0]) == AU__MAX, "sql[] covers stmt");

const struct sq_table sq_auth_table = {sql, AU__MAX, "auth"};

/* Failed sign-ins older than this are dropped as new ones arrive. */
#define FAILURE_KEEP_S (24 * 3600)

static sqlite3_stmt *
stmt(struct store *s, enum auth_stmt id)
{
	return sq_stmt(s, SQ_AUTH, (int)id);
}

/* ---- users and territories ---- */

enum av_err
store_user_password(struct store *s, int64_t user_id, struct arena *a,
		    const char **hash_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_PASSWORD_GET);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, user_id);
	rc = sq_step_row(s, st, err, "user");
	*hash_out = rc ? NULL : sq_col_text(st, 0, a);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_user_set_password(struct store *s, int64_t user_id, const char *hash,
			struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_PASSWORD_SET);

	sqlite3_bind_int64(st, 1, user_id);
	sq_bind_text(st, 2, hash);
	sqlite3_bind_int64(st, 3, store_now());
	return sq_exec_done(s, st, err, "password");
}

enum av_err
store_user_update(struct store *s, const struct user *u, int64_t actor,
		  struct av_error *err)
{
	struct arena a;
	struct user old;
	int started;
	enum av_err rc;

	if ((rc = sq_auto_begin(s, &started, err)))
		return rc;
	arena_init(&a, 0);
	rc = store_user_get(s, u->id, &a, &old, err);
	if (!rc) {
		sqlite3_stmt *st = stmt(s, AU_USER_UPDATE);
		sqlite3_bind_int64(st, 1, u->id);
		sq_bind_text(st, 2, u->name);
		sq_bind_text(st, 3, user_role_name(u->role));
		sq_bind_text(st, 4, u->time_zone);
		sq_bind_text(st, 5, u->locale);
		sq_bind_id(st, 6, u->territory_id);
		sqlite3_bind_int(st, 7, u->disabled ? 1 : 0);
		rc = sq_exec_done(s, st, err, "user");
	}
	if (!rc)
		rc = sq_audit_json(s, actor, "update", "user", u->id,
				   user_to_json(&old), user_to_json(u), err);
	arena_release(&a);
	return sq_auto_end(s, started, rc, err);
}

enum av_err
store_territory_update(struct store *s, const struct territory *t,
		       int64_t actor, struct av_error *err)
{
	struct arena a;
	struct territory old;
	int started;
	enum av_err rc;

	if ((rc = sq_auto_begin(s, &started, err)))
		return rc;
	arena_init(&a, 0);
	rc = store_territory_get(s, t->id, &a, &old, err);
	if (!rc) {
		sqlite3_stmt *st = stmt(s, AU_TERR_UPDATE);
		const char *fold = fold_search(&a, t->name, strlen(t->name));
		sqlite3_bind_int64(st, 1, t->id);
		sq_bind_text(st, 2, t->code);
		sq_bind_text(st, 3, t->name);
		sq_bind_text(st, 4, fold ? fold : t->name);
		rc = sq_exec_done(s, st, err, "territory");
	}
	if (!rc)
		rc = sq_audit_json(s, actor, "update", "territory", t->id,
				   territory_to_json(&old),
				   territory_to_json(t), err);
	arena_release(&a);
	return sq_auto_end(s, started, rc, err);
}

/* ---- sessions ---- */

enum av_err
store_session_insert(struct store *s, const char *token_hash, int64_t user_id,
		     const char *csrf, int64_t expires_at, const char *address,
		     struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_SESSION_INSERT);

	sq_bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, user_id);
	sq_bind_text(st, 3, csrf);
	sqlite3_bind_int64(st, 4, store_now());
	sqlite3_bind_int64(st, 5, expires_at);
	sq_bind_text(st, 6, address);
	return sq_exec_done(s, st, err, "session");
}

enum av_err
store_session_get(struct store *s, const char *token_hash, struct arena *a,
		  struct session *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_SESSION_GET);
	enum av_err rc;

	sq_bind_text(st, 1, token_hash);
	rc = sq_step_row(s, st, err, "session");
	if (!rc) {
		out->id = sqlite3_column_int64(st, 0);
		out->user_id = sqlite3_column_int64(st, 1);
		out->csrf = sq_col_text(st, 2, a);
		out->created_at = sqlite3_column_int64(st, 3);
		out->last_seen_at = sqlite3_column_int64(st, 4);
		out->expires_at = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_session_touch(struct store *s, int64_t id, int64_t now,
		    struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_SESSION_TOUCH);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return sq_exec_done(s, st, err, "session");
}

enum av_err
store_session_delete(struct store *s, const char *token_hash,
		     struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_SESSION_DELETE);

	sq_bind_text(st, 1, token_hash);
	return sq_exec_done(s, st, err, "session");
}

enum av_err
store_session_delete_user(struct store *s, int64_t user_id,
			  struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_SESSION_DELETE_USER);

	sqlite3_bind_int64(st, 1, user_id);
	return sq_exec_done(s, st, err, "session");
}

enum av_err
store_session_purge(struct store *s, int64_t now, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_SESSION_PURGE);

	sqlite3_bind_int64(st, 1, now);
	return sq_exec_done(s, st, err, "session");
}

/* ---- API tokens ---- */

static void
read_token(sqlite3_stmt *st, struct arena *a, struct api_token *t)
{
	t->id = sqlite3_column_int64(st, 0);
	t->user_id = sqlite3_column_int64(st, 1);
	t->name = sq_col_text(st, 2, a);
	t->write = sqlite3_column_int(st, 3) != 0;
	t->created_at = sqlite3_column_int64(st, 4);
	t->last_used_at = sqlite3_column_int64(st, 5);
	t->revoked_at = sqlite3_column_int64(st, 6);
}

enum av_err
store_token_insert(struct store *s, const char *token_hash, struct api_token *t,
		   struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_TOKEN_INSERT);
	enum av_err rc;

	t->created_at = store_now();
	sq_bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, t->user_id);
	sq_bind_text(st, 3, t->name);
	sq_bind_text(st, 4, t->write ? "write" : "read");
	sqlite3_bind_int64(st, 5, t->created_at);
	rc = sq_step_row(s, st, err, "token");
	if (!rc)
		t->id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_token_by_hash(struct store *s, const char *token_hash, struct arena *a,
		    struct api_token *out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_TOKEN_BY_HASH);
	enum av_err rc;

	sq_bind_text(st, 1, token_hash);
	rc = sq_step_row(s, st, err, "token");
	if (!rc)
		read_token(st, a, out);
	sqlite3_reset(st);
	return rc;
}

enum av_err
store_token_list(struct store *s, int64_t user_id, struct arena *a,
		 struct api_token **out, size_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_TOKEN_LIST);
	size_t n = 0, cap = 8;
	struct api_token *v = arena_alloc(a, cap * sizeof(*v));
	int rc;

	sqlite3_bind_int64(st, 1, user_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap)
			v = arena_grow(a, v, n, &cap, sizeof(*v));
		read_token(st, a, &v[n++]);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_db_error(s, err, "tokens");
	*out = v;
	*n_out = n;
	return AV_OK;
}

enum av_err
store_token_revoke(struct store *s, int64_t id, int64_t user_id,
		   struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_TOKEN_REVOKE);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, store_now());
	rc = sq_exec_done(s, st, err, "token");
	if (!rc && sqlite3_changes(s->db) == 0)
		return av_errorf(err, AV_ENOTFOUND, "no live token %lld",
				 (long long)id);
	return rc;
}

enum av_err
store_token_touch(struct store *s, int64_t id, int64_t now,
		  struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_TOKEN_TOUCH);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	return sq_exec_done(s, st, err, "token");
}

/* ---- failed sign-ins ---- */

enum av_err
store_login_failure_add(struct store *s, const char *key, int64_t at,
			struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_FAIL_PURGE);
	enum av_err rc;

	sqlite3_bind_int64(st, 1, at - FAILURE_KEEP_S);
	if ((rc = sq_exec_done(s, st, err, "sign-in failures")))
		return rc;
	st = stmt(s, AU_FAIL_ADD);
	sq_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, at);
	return sq_exec_done(s, st, err, "sign-in failures");
}

enum av_err
store_login_failures_since(struct store *s, const char *key, int64_t since,
			   int64_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_FAIL_COUNT);

	sq_bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, since);
	return sq_step_int64(s, st, n_out, err, "sign-in failures");
}

enum av_err
store_login_failures_clear(struct store *s, const char *key,
			   struct av_error *err)
{
	sqlite3_stmt *st = stmt(s, AU_FAIL_CLEAR);

	sq_bind_text(st, 1, key);
	return sq_exec_done(s, st, err, "sign-in failures");
}

/* ---- bulk reassignment ---- */

enum av_err
store_customers_reassign(struct store *s, int64_t from, int64_t to,
			 int64_t actor, int64_t *n_out, struct av_error *err)
{
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int started, rc_step;
	enum av_err rc;

	*n_out = 0;
	if ((rc = sq_auto_begin(s, &started, err)))
		return rc;
	st = stmt(s, AU_OWNED_BY);
	sqlite3_bind_int64(st, 1, from);
	while ((rc_step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	rc = rc_step == SQLITE_DONE ? AV_OK : sq_db_error(s, err, "customers");
	/* one update per customer: it closes the owner period (history)
	 * and moves 'my customers' of the open appointments, audited */
	for (size_t i = 0; !rc && i < n; i++) {
		struct arena a;
		struct customer c;

		arena_init(&a, 0);
		rc = store_customer_get(s, ids[i], &a, &c, err);
		if (!rc) {
			c.owner_id = to;
			rc =
			    store_customer_update(s, &c, c.version, actor, err);
		}
		arena_release(&a);
	}
	free(ids);
	if (!rc)
		*n_out = (int64_t)n;
	return sq_auto_end(s, started, rc, err);
}
