/* SPDX-License-Identifier: MIT */
/* Sign-in, sessions and API tokens (see auth.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/password.h"
#include "core/random.h"
#include "core/str.h"
#include "service/auth.h"

#include "core/banned.h"

#define DEFAULT_IDLE_S (4 * 3600)
#define DEFAULT_MAX_S  (12 * 3600)
#define EMAIL_KEY_MAX  320

static int64_t
idle_s(const struct auth_config *cfg)
{
	return cfg && cfg->idle_s > 0 ? cfg->idle_s : DEFAULT_IDLE_S;
}

static int64_t
max_s(const struct auth_config *cfg)
{
	return cfg && cfg->max_s > 0 ? cfg->max_s : DEFAULT_MAX_S;
}

/* An audit row about sign-in; never holds a password or a token. */
static void
audit(struct store *s, int64_t actor, const char *action, int64_t user_id,
      const char *email, const char *address)
{
	struct audit_entry e = {0};
	struct av_error ignored = {0};
	json_t *j = json_object();
	char *text;

	if (email)
		json_object_set_new(j, "email", json_string(email));
	if (address)
		json_object_set_new(j, "address", json_string(address));
	text = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	e.actor_id = actor;
	e.action = action;
	e.entity = "user";
	e.entity_id = user_id;
	e.after = text;
	/* a failed audit write is logged by the store, never fatal here */
	(void)store_audit_add(s, &e, &ignored);
	free(text);
}

static void
failure_keys(const char *email, const char *address, char *ukey, size_t usize,
	     char *akey, size_t asize)
{
	char lower[EMAIL_KEY_MAX + 1];
	size_t i;

	for (i = 0; i < EMAIL_KEY_MAX && email[i]; i++)
		lower[i] = (email[i] >= 'A' && email[i] <= 'Z')
			       ? (char)(email[i] - 'A' + 'a')
			       : email[i];
	lower[i] = '\0';
	snprintf(ukey, usize, "user:%s", lower);
	snprintf(akey, asize, "addr:%s", address ? address : "-");
}

static enum av_err
check_limits(struct store *s, const char *ukey, const char *akey,
	     struct av_error *err)
{
	int64_t since = store_now() - AUTH_FAIL_WINDOW_S, nu = 0, na = 0;
	enum av_err rc;

	if ((rc = store_login_failures_since(s, ukey, since, &nu, err)) ||
	    (rc = store_login_failures_since(s, akey, since, &na, err)))
		return rc;
	if (nu >= AUTH_FAIL_MAX_USER || na >= AUTH_FAIL_MAX_ADDR)
		return av_errorf(err, AV_ELIMIT,
				 "too many failed sign-ins; try again in %d "
				 "minutes",
				 AUTH_FAIL_WINDOW_S / 60);
	return AV_OK;
}

static enum av_err
record_failure(struct store *s, const char *ukey, const char *akey,
	       struct av_error *err)
{
	int64_t now = store_now();
	enum av_err rc;

	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_login_failure_add(s, ukey, now, err);
	if (!rc)
		rc = store_login_failure_add(s, akey, now, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

enum av_err
auth_sign_in(struct store *s, const struct auth_config *cfg, const char *email,
	     const char *password, const char *address, const char *old_token,
	     struct arena *a, struct auth_session_new *out,
	     struct av_error *err)
{
	char ukey[EMAIL_KEY_MAX + 8], akey[80], hash[PASSWORD_HASH_MAX];
	char thash[TOKEN_HASH_LEN + 1];
	const char *stored = NULL;
	struct av_error lookup = {0};
	bool found, ok;
	enum av_err rc;

	memset(out, 0, sizeof(*out));
	if (!email || !*email || strlen(email) > EMAIL_KEY_MAX)
		return av_field_errorf(err, AV_EINVAL, "email",
				       "give the e-mail address you sign in "
				       "with");
	if (!password || !*password || strlen(password) > PASSWORD_MAX_LEN)
		return av_field_errorf(err, AV_EINVAL, "password",
				       "give a password of at most %d bytes",
				       PASSWORD_MAX_LEN);
	failure_keys(email, address, ukey, sizeof(ukey), akey, sizeof(akey));
	if ((rc = check_limits(s, ukey, akey, err)))
		return rc;

	found = store_user_by_email(s, email, a, &out->user, &lookup) == AV_OK;
	if (found && store_user_password(s, out->user.id, a, &stored, &lookup))
		stored = NULL;
	/* one full verification whatever was found: same time */
	ok = password_verify(password, found ? stored : NULL);
	if (!ok || !found || out->user.disabled) {
		if ((rc = record_failure(s, ukey, akey, err)))
			return rc;
		audit(s, 0, "sign_in_failed", found ? out->user.id : 0, email,
		      address);
		memset(&out->user, 0, sizeof(out->user));
		return av_errorf(err, AV_EUNAUTH, "wrong e-mail or password");
	}

	if ((rc = store_begin(s, err)))
		return rc;
	if (password_needs_rehash(stored) &&
	    password_hash(password, hash, err) == AV_OK)
		rc = store_user_set_password(s, out->user.id, hash, err);
	if (!rc)
		rc = store_login_failures_clear(s, ukey, err);
	if (!rc && old_token && token_well_formed(old_token, NULL)) {
		token_hash(old_token, thash);
		rc = store_session_delete(s, thash, err);
	}
	if (!rc) {
		token_new(out->token, sizeof(out->token), NULL);
		token_hash(out->token, thash);
		out->csrf = random_hex(a, 32);
		out->max_age_s = max_s(cfg);
		rc = store_session_insert(s, thash, out->user.id, out->csrf,
					  store_now() + out->max_age_s, address,
					  err);
	}
	if (!rc)
		rc = store_session_purge(s, store_now(), err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, err)))
		return rc;
	audit(s, out->user.id, "sign_in", out->user.id, NULL, address);
	return AV_OK;
}

static enum av_err
load_user(struct store *s, int64_t id, struct arena *a, struct user *u,
	  struct av_error *err)
{
	struct av_error e = {0};

	if (store_user_get(s, id, a, u, &e) || u->disabled)
		return av_errorf(err, AV_EUNAUTH, "sign in again");
	return AV_OK;
}

enum av_err
auth_from_session(struct store *s, const struct auth_config *cfg,
		  const char *token, struct arena *a, struct auth_caller *out,
		  struct av_error *err)
{
	char thash[TOKEN_HASH_LEN + 1];
	struct session ss;
	struct av_error e = {0};
	int64_t now = store_now();
	enum av_err rc;

	memset(out, 0, sizeof(*out));
	if (!token_well_formed(token, NULL))
		return av_errorf(err, AV_EUNAUTH, "sign in again");
	token_hash(token, thash);
	rc = store_session_get(s, thash, a, &ss, &e);
	if (rc == AV_ENOTFOUND ||
	    (!rc &&
	     (ss.expires_at <= now || ss.last_seen_at + idle_s(cfg) <= now))) {
		if (!rc)
			(void)store_session_delete(s, thash, &e);
		return av_errorf(err, AV_EUNAUTH,
				 "the session has ended; sign in again");
	}
	if (rc) {
		*err = e;
		return rc;
	}
	if ((rc = load_user(s, ss.user_id, a, &out->user, err)))
		return rc;
	if (ss.last_seen_at + AUTH_TOUCH_EVERY_S <= now)
		(void)store_session_touch(s, ss.id, now, &e);
	out->kind = AUTH_SESSION;
	out->may_write = true;
	out->csrf = ss.csrf;
	out->session_id = ss.id;
	return AV_OK;
}

enum av_err
auth_from_token(struct store *s, const char *token, struct arena *a,
		struct auth_caller *out, struct av_error *err)
{
	char thash[TOKEN_HASH_LEN + 1];
	struct api_token t;
	struct av_error e = {0};
	int64_t now = store_now();
	enum av_err rc;

	memset(out, 0, sizeof(*out));
	if (!token_well_formed(token, AUTH_TOKEN_PREFIX))
		return av_errorf(err, AV_EUNAUTH, "the API token is not valid");
	token_hash(token, thash);
	rc = store_token_by_hash(s, thash, a, &t, &e);
	if (rc == AV_ENOTFOUND)
		return av_errorf(err, AV_EUNAUTH,
				 "the API token is not valid or was revoked");
	if (rc) {
		*err = e;
		return rc;
	}
	if ((rc = load_user(s, t.user_id, a, &out->user, err)))
		return rc;
	if (t.last_used_at + AUTH_TOUCH_EVERY_S <= now)
		(void)store_token_touch(s, t.id, now, &e);
	out->kind = AUTH_TOKEN;
	out->may_write = t.write;
	return AV_OK;
}

enum av_err
auth_sign_out(struct store *s, const char *token, int64_t actor,
	      struct av_error *err)
{
	char thash[TOKEN_HASH_LEN + 1];
	enum av_err rc;

	if (!token_well_formed(token, NULL))
		return AV_OK;
	token_hash(token, thash);
	if ((rc = store_session_delete(s, thash, err)))
		return rc;
	audit(s, actor, "sign_out", actor, NULL, NULL);
	return AV_OK;
}

enum av_err
auth_set_password(struct store *s, int64_t user_id, const char *password,
		  int64_t actor, struct av_error *err)
{
	char hash[PASSWORD_HASH_MAX];
	enum av_err rc;

	if ((rc = password_check(password, err)) ||
	    (rc = password_hash(password, hash, err)))
		return rc;
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_user_set_password(s, user_id, hash, err);
	if (!rc)
		rc = store_session_delete_user(s, user_id, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, err)))
		return rc;
	audit(s, actor, "password_change", user_id, NULL, NULL);
	return AV_OK;
}

enum av_err
auth_token_create(struct store *s, int64_t user_id, const char *name,
		  bool write, int64_t actor, char out[AUTH_TOKEN_SIZE],
		  struct api_token *info, struct av_error *err)
{
	char thash[TOKEN_HASH_LEN + 1];
	enum av_err rc;

	if (!name || !*name || strlen(name) > 100 ||
	    !str_valid_utf8(name, strlen(name)))
		return av_field_errorf(err, AV_EINVAL, "name",
				       "name the token (1 to 100 characters) "
				       "so you can tell it apart later");
	memset(info, 0, sizeof(*info));
	token_new(out, AUTH_TOKEN_SIZE, AUTH_TOKEN_PREFIX);
	token_hash(out, thash);
	info->user_id = user_id;
	info->name = name;
	info->write = write;
	if ((rc = store_token_insert(s, thash, info, err)))
		return rc;
	audit(s, actor, write ? "token_create_write" : "token_create_read",
	      user_id, NULL, NULL);
	return AV_OK;
}
