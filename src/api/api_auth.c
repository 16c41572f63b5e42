/* SPDX-License-Identifier: MIT */
/*
 * The gate in front of every route, and the routes of the caller's own
 * session: sign-in, sign-out, /me and API tokens.
 *
 * The gate: a public route runs for anyone. Any other finds its caller
 * from "Authorization: Bearer avt_..." or the session cookie (401
 * otherwise), refuses a role the policy table gives no reach (403), and for
 * writes refuses read-only tokens, a foreign Origin or Sec-Fetch-Site, a
 * missing or wrong X-CSRF-Token on cookie-authenticated requests (403) and
 * a body that is not JSON (415).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "core/password.h"
#include "core/str.h"
#include "domain/codec.h"
#include "domain/user.h"

#include "core/banned.h"

#define COOKIE_SECURE "__Host-avtale"
#define COOKIE_PLAIN  "avtale"

static const struct api_config *
config(struct req *req)
{
	const struct api_thread *t = req->app;

	return t ? t->cfg : NULL;
}

static const char *
cookie_name(struct req *req)
{
	const struct api_config *c = config(req);

	return c && c->insecure_cookie ? COOKIE_PLAIN : COOKIE_SECURE;
}

/* The value of cookie 'name' in the Cookie header(s), or NULL. */
static const char *
cookie_value(struct req *req, const char *name)
{
	size_t nlen = strlen(name);

	for (size_t i = 0; i < req->headers.n; i++) {
		const char *p = req->headers.v[i].value;
		if (!str_ieq(req->headers.v[i].name, "Cookie"))
			continue;
		while (*p) {
			const char *end;
			while (*p == ' ' || *p == ';')
				p++;
			end = strchr(p, ';');
			if (!end)
				end = p + strlen(p);
			if ((size_t)(end - p) > nlen &&
			    strncmp(p, name, nlen) == 0 && p[nlen] == '=')
				return arena_strndup(req->arena, p + nlen + 1,
						     (size_t)(end - p) - nlen -
							 1);
			p = end;
		}
	}
	return NULL;
}

const struct auth_caller *
api_caller(struct req *req)
{
	return req->caller;
}

int64_t
api_actor(struct req *req)
{
	const struct auth_caller *c = req->caller;

	return c ? c->user.id : 0;
}

enum policy_reach
api_reach(struct req *req, enum policy_resource res, enum policy_action act)
{
	const struct auth_caller *c = req->caller;

	return c ? policy_reach(c->user.role, res, act) : POLICY_NONE;
}

static bool
is_write(const struct req *req)
{
	return req->method != HTTP_GET && req->method != HTTP_HEAD &&
	       req->method != HTTP_OPTIONS;
}

/* The host[:port] part of an Origin such as "https://crm.example:8443". */
static bool
origin_matches_host(const char *origin, const char *host)
{
	const char *p = strstr(origin, "://");

	if (!p || !host)
		return false;
	return str_ieq(p + 3, host);
}

/* Cross-site writes: a browser names where the request came from. */
static enum av_err
check_origin(struct req *req)
{
	const char *origin = req_header(req, "Origin");
	const char *site = req_header(req, "Sec-Fetch-Site");

	if (site && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0)
		return av_errorf(&req->err, AV_EFORBIDDEN,
				 "cross-site requests may not change data");
	if (origin && !origin_matches_host(origin, req_header(req, "Host")))
		return av_errorf(&req->err, AV_EFORBIDDEN,
				 "the request's Origin is not this server");
	return AV_OK;
}

static enum av_err
check_body_type(struct req *req)
{
	const char *ct = req_header(req, "Content-Type");

	if (req->body_len == 0 || (req->route->flags & ROUTE_RAW_BODY))
		return AV_OK;
	if (!ct ||
	    (strncmp(ct, "application/json", 16) != 0 && !strstr(ct, "+json")))
		return av_errorf(&req->err, AV_EUNSUPPORTED,
				 "request bodies must be application/json");
	return AV_OK;
}

static enum av_err
identify(struct req *req, struct auth_caller *c)
{
	const char *authz = req_header(req, "Authorization");
	const char *cookie;
	const struct api_config *cfg = config(req);

	if (authz) {
		if (strncmp(authz, "Bearer ", 7) != 0)
			return av_errorf(&req->err, AV_EUNAUTH,
					 "use 'Authorization: Bearer <API "
					 "token>'");
		return auth_from_token(api_store(req), authz + 7, req->arena, c,
				       &req->err);
	}
	cookie = cookie_value(req, cookie_name(req));
	if (!cookie)
		return av_errorf(&req->err, AV_EUNAUTH,
				 "sign in first (POST /api/v1/session) or "
				 "send an API token");
	return auth_from_session(api_store(req), cfg ? &cfg->auth : NULL,
				 cookie, req->arena, c, &req->err);
}

enum av_err
api_authorize(struct req *req, struct resp *resp)
{
	const struct route *r = req->route;
	struct auth_caller *c;
	enum av_err rc;

	if (!api_store(req))
		return av_errorf(&req->err, AV_EINTERNAL, "no database");
	if (is_write(req) &&
	    ((rc = check_origin(req)) || (rc = check_body_type(req))))
		return rc;
	if (r->resource == RES_PUBLIC)
		return AV_OK;
	c = arena_alloc(req->arena, sizeof(*c));
	if ((rc = identify(req, c))) {
		if (rc == AV_EUNAUTH) {
			resp_error(resp, &req->err);
			(void)resp_header(resp, "WWW-Authenticate",
					  "Bearer realm=\"avtale\"");
		}
		return rc;
	}
	req->caller = c;
	if (policy_reach(c->user.role, (enum policy_resource)r->resource,
			 (enum policy_action)r->action) == POLICY_NONE)
		return av_errorf(
		    &req->err, AV_EFORBIDDEN, "your role (%s) may not %s %ss",
		    user_role_name(c->user.role),
		    policy_action_name((enum policy_action)r->action),
		    policy_resource_name((enum policy_resource)r->resource));
	if (!is_write(req))
		return AV_OK;
	if (!c->may_write)
		return av_errorf(&req->err, AV_EFORBIDDEN,
				 "this API token is read-only");
	if (c->kind == AUTH_SESSION) {
		const char *csrf = req_header(req, "X-CSRF-Token");

		if (!csrf || !c->csrf || strlen(csrf) != strlen(c->csrf) ||
		    sodium_memcmp(csrf, c->csrf, strlen(csrf)) != 0)
			return av_field_errorf(
			    &req->err, AV_EFORBIDDEN, "X-CSRF-Token",
			    "send the csrf_token of GET /api/v1/me in "
			    "X-CSRF-Token");
	}
	return AV_OK;
}

/* ---- session ---- */

static void
set_cookie(struct req *req, struct resp *resp, const char *value,
	   int64_t max_age)
{
	const struct api_config *c = config(req);
	char line[256];

	snprintf(line, sizeof(line),
		 "%s=%s; Path=/; Max-Age=%lld; %sHttpOnly; "
		 "SameSite=Lax",
		 cookie_name(req), value, (long long)max_age,
		 c && c->insecure_cookie ? "" : "Secure; ");
	(void)resp_header(resp, "Set-Cookie", line);
}

static json_t *
me_json(const struct user *u, const char *csrf)
{
	return json_pack("{so ss*}", "user", user_to_json(u), "csrf_token",
			 csrf);
}

enum av_err
api_session_create(struct req *req, struct resp *resp)
{
	const struct api_config *cfg = config(req);
	struct auth_session_new s;
	const char *email = NULL, *password = NULL;
	json_t *body;

	if (req_json(req, &body, &req->err))
		return req->err.code;
	if (json_unpack(body, "{s?s s?s}", "email", &email, "password",
			&password) != 0)
		return av_errorf(&req->err, AV_EINVAL,
				 "'email' and 'password' must be strings");
	if (auth_sign_in(api_store(req), cfg ? &cfg->auth : NULL, email,
			 password, req->client,
			 cookie_value(req, cookie_name(req)), req->arena, &s,
			 &req->err)) {
		if (req->err.code == AV_ELIMIT) {
			resp_error(resp, &req->err);
			(void)resp_header(resp, "Retry-After", "900");
		}
		return req->err.code;
	}
	set_cookie(req, resp, s.token, s.max_age_s);
	return resp_json(resp, 200, me_json(&s.user, s.csrf));
}

enum av_err
api_session_delete(struct req *req, struct resp *resp)
{
	const char *cookie = cookie_value(req, cookie_name(req));

	if (cookie &&
	    auth_sign_out(api_store(req), cookie, api_actor(req), &req->err))
		return req->err.code;
	set_cookie(req, resp, "", 0);
	resp->status = 204;
	return AV_OK;
}

enum av_err
api_me_get(struct req *req, struct resp *resp)
{
	const struct auth_caller *c = api_caller(req);

	return resp_json(resp, 200, me_json(&c->user, c->csrf));
}

/* PATCH /me: the caller's own name, language and time zone. */
enum av_err
api_me_update(struct req *req, struct resp *resp)
{
	const struct auth_caller *c = api_caller(req);
	struct user u = c->user;
	const char *key;
	json_t *body, *v;

	if (req_json(req, &body, &req->err))
		return req->err.code;
	if (!json_is_object(body))
		return av_errorf(&req->err, AV_EINVAL,
				 "the body must be a JSON object");
	json_object_foreach(body, key, v)
	{
		const char **dst = strcmp(key, "name") == 0	? &u.name
				   : strcmp(key, "locale") == 0 ? &u.locale
				   : strcmp(key, "time_zone") == 0
				       ? &u.time_zone
				       : NULL;
		if (!dst)
			return av_field_errorf(&req->err, AV_EINVAL, key,
					       "'%s' cannot be changed here "
					       "(name, locale, time_zone)",
					       key);
		if (!json_is_string(v))
			return av_field_errorf(&req->err, AV_EINVAL, key,
					       "'%s' must be a string", key);
		*dst = json_string_value(v);
	}
	if (user_prepare(&u, &req->err) ||
	    store_user_update(api_store(req), &u, u.id, &req->err))
		return req->err.code;
	return resp_json(resp, 200, me_json(&u, c->csrf));
}

/* POST /me/password {current, new}: ends every session, this one too. */
enum av_err
api_me_password(struct req *req, struct resp *resp)
{
	const struct auth_caller *c = api_caller(req);
	const char *current = NULL, *next = NULL, *hash = NULL;
	json_t *body;

	if (req_json(req, &body, &req->err))
		return req->err.code;
	if (json_unpack(body, "{s:s s:s}", "current", &current, "new", &next))
		return av_errorf(&req->err, AV_EINVAL,
				 "give 'current' and 'new' as strings");
	if (store_user_password(api_store(req), c->user.id, req->arena, &hash,
				&req->err))
		return req->err.code;
	if (!password_verify(current, hash))
		return av_field_errorf(&req->err, AV_EFORBIDDEN, "current",
				       "the current password is wrong");
	if (auth_set_password(api_store(req), c->user.id, next, c->user.id,
			      &req->err))
		return req->err.code;
	if (c->kind == AUTH_SESSION)
		set_cookie(req, resp, "", 0);
	resp->status = 204;
	return AV_OK;
}

/* ---- API tokens ---- */

static json_t *
token_json(const struct api_token *t)
{
	return json_pack("{sI ss ss sI sI sI}", "id", (json_int_t)t->id, "name",
			 t->name, "scope", t->write ? "write" : "read",
			 "created_at", (json_int_t)t->created_at,
			 "last_used_at", (json_int_t)t->last_used_at,
			 "revoked_at", (json_int_t)t->revoked_at);
}

enum av_err
api_me_tokens_list(struct req *req, struct resp *resp)
{
	struct api_token *v;
	size_t n;
	json_t *items = json_array();

	if (store_token_list(api_store(req), api_actor(req), req->arena, &v, &n,
			     &req->err)) {
		json_decref(items);
		return req->err.code;
	}
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, token_json(&v[i]));
	return resp_json(resp, 200, json_pack("{so}", "items", items));
}

enum av_err
api_me_token_create(struct req *req, struct resp *resp)
{
	const char *name = NULL, *scope = "read";
	char secret[AUTH_TOKEN_SIZE];
	struct api_token t;
	json_t *body, *out;

	if (req_json(req, &body, &req->err))
		return req->err.code;
	if (json_unpack(body, "{s:s s?s}", "name", &name, "scope", &scope))
		return av_errorf(&req->err, AV_EINVAL,
				 "give 'name' (and 'scope': read or write)");
	if (strcmp(scope, "read") != 0 && strcmp(scope, "write") != 0)
		return av_field_errorf(&req->err, AV_EINVAL, "scope",
				       "'scope' must be read or write");
	if (auth_token_create(api_store(req), api_actor(req), name,
			      strcmp(scope, "write") == 0, api_actor(req),
			      secret, &t, &req->err))
		return req->err.code;
	out = token_json(&t);
	/* the secret is shown this once; only its hash is kept */
	json_object_set_new(out, "token", json_string(secret));
	return resp_json(resp, 201, out);
}

enum av_err
api_me_token_delete(struct req *req, struct resp *resp)
{
	int64_t id;

	if (api_path_id(req, "id", &id) ||
	    store_token_revoke(api_store(req), id, api_actor(req), &req->err))
		return req->err.code;
	resp->status = 204;
	return AV_OK;
}
