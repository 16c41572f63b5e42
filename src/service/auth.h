/* SPDX-License-Identifier: MIT */
/*
 * Sign-in: who is calling, and the life of sessions and API tokens.
 *
 * A browser signs in with e-mail and password and gets a session: a random
 * 256-bit secret in a cookie, kept in the database only as its hash, with
 * an idle and an absolute expiry and a CSRF token that writes must echo.
 * Scripts use API tokens ("avt_" + 256 bits) scoped read or write. Failed
 * sign-ins are counted per account and per address in the database, so the
 * limits hold across server processes. Unknown e-mail and wrong password
 * get the same answer after the same work.
 */
#ifndef AV_SERVICE_AUTH_H
#define AV_SERVICE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/token.h"
#include "domain/model.h"
#include "store/store.h"

#define AUTH_TOKEN_PREFIX  "avt_"
#define AUTH_TOKEN_SIZE	   (sizeof(AUTH_TOKEN_PREFIX) + TOKEN_TEXT_LEN)
#define AUTH_FAIL_WINDOW_S (15 * 60) /* failures counted over this */
#define AUTH_FAIL_MAX_USER 5	     /* per account in the window */
#define AUTH_FAIL_MAX_ADDR 30	     /* per client address in the window */
#define AUTH_TOUCH_EVERY_S 60	     /* last-seen written at most this often */

/* Session lifetimes; zero fields take the defaults. */
struct auth_config {
	int64_t idle_s; /* 0: 4 hours without a request ends it */
	int64_t max_s;	/* 0: 12 hours after sign-in at the latest */
};

enum auth_kind { AUTH_NONE, AUTH_SESSION, AUTH_TOKEN };

/* The caller of a request, once identified. */
struct auth_caller {
	enum auth_kind kind;
	struct user user;   /* strings in the caller's arena */
	bool may_write;	    /* false for read-only tokens */
	const char *csrf;   /* the session's CSRF token; NULL for tokens */
	int64_t session_id; /* 0 unless kind == AUTH_SESSION */
};

/* What a successful sign-in gives the client. */
struct auth_session_new {
	char token[TOKEN_TEXT_LEN + 1]; /* for the cookie: shown once */
	const char *csrf;		/* arena */
	int64_t max_age_s;		/* for the cookie's Max-Age */
	struct user user;		/* arena strings */
};

/*
 * Check e-mail and password; on success start a session (ending the one
 * named by 'old_token', if any: a new session at every sign-in). AV_EUNAUTH
 * "wrong e-mail or password" for an unknown, disabled or passwordless user
 * and for a wrong password alike; AV_ELIMIT when the account or the address
 * had too many failures lately. Failures and sign-ins are audited.
 */
enum av_err auth_sign_in(struct store *s, const struct auth_config *cfg,
			 const char *email, const char *password,
			 const char *address, const char *old_token,
			 struct arena *a, struct auth_session_new *out,
			 struct av_error *err);

/* The caller behind a session cookie value; AV_EUNAUTH when it is unknown,
 * expired (idle or absolute) or its user is disabled. */
enum av_err auth_from_session(struct store *s, const struct auth_config *cfg,
			      const char *token, struct arena *a,
			      struct auth_caller *out, struct av_error *err);

/* The caller behind an "Authorization: Bearer" API token. */
enum av_err auth_from_token(struct store *s, const char *token, struct arena *a,
			    struct auth_caller *out, struct av_error *err);

/* End the session of this cookie value (no error if there is none). */
enum av_err auth_sign_out(struct store *s, const char *token, int64_t actor,
			  struct av_error *err);

/* Set a user's password (checked, hashed) and end all their sessions. */
enum av_err auth_set_password(struct store *s, int64_t user_id,
			      const char *password, int64_t actor,
			      struct av_error *err);

/* A new API token for 'user_id': out receives the secret (shown once). */
enum av_err auth_token_create(struct store *s, int64_t user_id,
			      const char *name, bool write, int64_t actor,
			      char out[AUTH_TOKEN_SIZE], struct api_token *info,
			      struct av_error *err);

#endif
