/* SPDX-License-Identifier: MIT */
/*
 * Administration over the API (admins only, by the policy table): users
 * and their roles, territories, password resets, handing a leaving rep's
 * customers to a colleague, and the audit log.
 */
#include <string.h>

#include "api/api.h"
#include "domain/codec.h"
#include "domain/user.h"
#include "service/audit.h"
#include "service/users.h"

#include "core/banned.h"

/* Apply the members of 'body' a user may have changed; unknown members
 * and wrong types are refused by name. */
static enum av_err
user_apply(struct req *req, json_t *body, struct user *u, bool creating)
{
	const char *key;
	json_t *v;

	if (!json_is_object(body))
		return av_errorf(&req->err, AV_EINVAL,
				 "the body must be a JSON object");
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "territory_id") == 0) {
			if (json_is_null(v)) {
				u->territory_id = 0;
				continue;
			}
			if (!json_is_integer(v) || json_integer_value(v) < 1)
				return av_field_errorf(
				    &req->err, AV_EINVAL, key,
				    "'territory_id' must be an id or null");
			u->territory_id = json_integer_value(v);
			continue;
		}
		if (strcmp(key, "disabled") == 0) {
			if (!json_is_boolean(v))
				return av_field_errorf(
				    &req->err, AV_EINVAL, key,
				    "'disabled' must be true or false");
			u->disabled = json_is_true(v);
			continue;
		}
		if (!json_is_string(v))
			return av_field_errorf(&req->err, AV_EINVAL, key,
					       "'%s' must be a string", key);
		if (strcmp(key, "role") == 0) {
			if (!user_role_parse(json_string_value(v), &u->role))
				return av_field_errorf(
				    &req->err, AV_EINVAL, key,
				    "'role' must be rep, manager or admin");
		} else if (strcmp(key, "name") == 0) {
			u->name = json_string_value(v);
		} else if (strcmp(key, "locale") == 0) {
			u->locale = json_string_value(v);
		} else if (strcmp(key, "time_zone") == 0) {
			u->time_zone = json_string_value(v);
		} else if (creating && strcmp(key, "email") == 0) {
			u->email = json_string_value(v);
		} else {
			return av_field_errorf(&req->err, AV_EINVAL, key,
					       "'%s' cannot be set here", key);
		}
	}
	if (u->territory_id) {
		struct territory t;
		if (store_territory_get(api_store(req), u->territory_id,
					req->arena, &t, &req->err))
			return av_field_errorf(&req->err, AV_EINVAL,
					       "territory_id",
					       "territory %lld does not exist",
					       (long long)u->territory_id);
	}
	return AV_OK;
}

/* POST /users: answers the user and its one-time password. */
enum av_err
api_user_create(struct req *req, struct resp *resp)
{
	struct user u = {0};
	char generated[21];
	json_t *body, *out;

	u.role = ROLE_REP;
	if (req_json(req, &body, &req->err) ||
	    user_apply(req, body, &u, true) ||
	    users_add(api_store(req), &u, NULL, api_actor(req), generated,
		      &req->err))
		return req->err.code;
	out = json_pack("{so ss}", "user", user_to_json(&u), "password",
			generated);
	return resp_json(resp, 201, out);
}

enum av_err
api_user_update(struct req *req, struct resp *resp)
{
	struct user u;
	int64_t id;
	json_t *body;

	if (api_path_id(req, "id", &id) || req_json(req, &body, &req->err) ||
	    store_user_get(api_store(req), id, req->arena, &u, &req->err) ||
	    user_apply(req, body, &u, false))
		return req->err.code;
	if (u.id == api_actor(req) && (u.role != ROLE_ADMIN || u.disabled))
		return av_field_errorf(&req->err, AV_EINVAL,
				       u.disabled ? "disabled" : "role",
				       "you cannot remove your own admin "
				       "rights; ask another admin");
	if (users_change(api_store(req), &u, api_actor(req), &req->err))
		return req->err.code;
	return resp_json(resp, 200, user_to_json(&u));
}

enum av_err
api_user_reassign(struct req *req, struct resp *resp)
{
	struct user from;
	json_int_t to = 0;
	int64_t id, moved;
	json_t *body;

	if (api_path_id(req, "id", &id) || req_json(req, &body, &req->err) ||
	    store_user_get(api_store(req), id, req->arena, &from, &req->err))
		return req->err.code;
	if (json_unpack(body, "{s:I}", "to_user_id", &to))
		return av_field_errorf(&req->err, AV_EINVAL, "to_user_id",
				       "'to_user_id' must be a user id");
	if (users_reassign(api_store(req), id, (int64_t)to, api_actor(req),
			   &moved, &req->err))
		return req->err.code;
	return resp_json(resp, 200,
			 json_pack("{sI sI sI}", "from_user_id", (json_int_t)id,
				   "to_user_id", to, "customers",
				   (json_int_t)moved));
}

enum av_err
api_user_password_reset(struct req *req, struct resp *resp)
{
	struct user u;
	char generated[21];
	int64_t id;

	if (api_path_id(req, "id", &id) ||
	    store_user_get(api_store(req), id, req->arena, &u, &req->err) ||
	    users_reset_password(api_store(req), id, api_actor(req), generated,
				 &req->err))
		return req->err.code;
	return resp_json(resp, 200,
			 json_pack("{sI ss}", "user_id", (json_int_t)id,
				   "password", generated));
}

static enum av_err
territory_apply(struct req *req, json_t *body, struct territory *t)
{
	const char *code = t->code, *name = t->name;

	if (json_unpack(body, "{s?s s?s !}", "code", &code, "name", &name))
		return av_errorf(&req->err, AV_EINVAL,
				 "give 'code' and 'name' as strings, nothing "
				 "else");
	t->code = code;
	t->name = name;
	return territory_prepare(t, &req->err);
}

enum av_err
api_territory_create(struct req *req, struct resp *resp)
{
	struct territory t = {0};
	json_t *body;

	if (req_json(req, &body, &req->err) || territory_apply(req, body, &t))
		return req->err.code;
	if (store_territory_insert(api_store(req), &t, &req->err)) {
		if (req->err.code == AV_ECONFLICT)
			return av_field_errorf(&req->err, AV_ECONFLICT, "code",
					       "territory code '%s' is taken",
					       t.code);
		return req->err.code;
	}
	return resp_json(resp, 201, territory_to_json(&t));
}

enum av_err
api_territory_update(struct req *req, struct resp *resp)
{
	struct territory t;
	int64_t id;
	json_t *body;

	if (api_path_id(req, "id", &id) || req_json(req, &body, &req->err) ||
	    store_territory_get(api_store(req), id, req->arena, &t,
				&req->err) ||
	    territory_apply(req, body, &t))
		return req->err.code;
	if (store_territory_update(api_store(req), &t, api_actor(req),
				   &req->err)) {
		if (req->err.code == AV_ECONFLICT)
			return av_field_errorf(&req->err, AV_ECONFLICT, "code",
					       "territory code '%s' is taken",
					       t.code);
		return req->err.code;
	}
	return resp_json(resp, 200, territory_to_json(&t));
}

/* GET /audit?entity=&id=&limit=: newest first. */
enum av_err
api_audit_list(struct req *req, struct resp *resp)
{
	struct audit_entry *v;
	size_t n;
	int64_t id, limit;
	json_t *items;

	if (api_query_i64(req, "id", 0, INT64_MAX, 0, &id) ||
	    api_query_i64(req, "limit", 1, 1000, 100, &limit))
		return req->err.code;
	if (store_audit_list(api_store(req), req_query(req, "entity"), id,
			     (size_t)limit, req->arena, &v, &n, &req->err))
		return req->err.code;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, audit_entry_to_json(&v[i]));
	return resp_json(resp, 200, json_pack("{so}", "items", items));
}
