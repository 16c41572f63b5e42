/* SPDX-License-Identifier: MIT */
/* User administration (see users.h). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/password.h"
#include "domain/codec.h"
#include "domain/user.h"
#include "service/auth.h"
#include "service/users.h"

#include "core/banned.h"

enum av_err
users_add(struct store *s, struct user *u, const char *password, int64_t actor,
	  char generated[21], struct av_error *err)
{
	char hash[PASSWORD_HASH_MAX];
	struct audit_entry e = {0};
	char *after;
	enum av_err rc;

	generated[0] = '\0';
	if (!u->time_zone)
		u->time_zone = "Europe/Oslo";
	if (!u->locale)
		u->locale = "nb";
	if ((rc = user_prepare(u, err)))
		return rc;
	if (!password) {
		password_generate(generated);
		password = generated;
	} else if ((rc = password_check(password, err))) {
		return rc;
	}
	/* hash before the transaction: it takes a while */
	if ((rc = password_hash(password, hash, err)))
		return rc;
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_user_insert(s, u, err);
	if (rc == AV_ECONFLICT)
		av_field_errorf(err, AV_ECONFLICT, "email",
				"a user with e-mail '%s' already exists",
				u->email);
	if (!rc)
		rc = store_user_set_password(s, u->id, hash, err);
	if (!rc) {
		json_t *j = user_to_json(u);
		after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		e.actor_id = actor;
		e.action = "create";
		e.entity = "user";
		e.entity_id = u->id;
		e.after = after;
		rc = store_audit_add(s, &e, err);
		free(after);
	}
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

enum av_err
users_change(struct store *s, const struct user *u, int64_t actor,
	     struct av_error *err)
{
	enum av_err rc;

	if ((rc = user_prepare(u, err)))
		return rc;
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_user_update(s, u, actor, err);
	if (!rc && u->disabled)
		rc = store_session_delete_user(s, u->id, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

enum av_err
users_reset_password(struct store *s, int64_t user_id, int64_t actor,
		     char generated[21], struct av_error *err)
{
	password_generate(generated);
	return auth_set_password(s, user_id, generated, actor, err);
}

enum av_err
users_reassign(struct store *s, int64_t from, int64_t to, int64_t actor,
	       int64_t *n_out, struct av_error *err)
{
	struct arena a;
	struct user target;
	enum av_err rc;

	*n_out = 0;
	if (from == to)
		return av_field_errorf(err, AV_EINVAL, "to_user_id",
				       "give another user to take over");
	arena_init(&a, 0);
	rc = store_user_get(s, to, &a, &target, err);
	if (rc == AV_ENOTFOUND)
		rc = av_field_errorf(err, AV_EINVAL, "to_user_id",
				     "user %lld does not exist", (long long)to);
	else if (!rc && target.disabled)
		rc = av_field_errorf(err, AV_EINVAL, "to_user_id",
				     "user %lld is disabled", (long long)to);
	arena_release(&a);
	if (rc)
		return rc;
	if ((rc = store_begin(s, err)))
		return rc;
	rc = store_customers_reassign(s, from, to, actor, n_out, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}
