/* SPDX-License-Identifier: MIT */
/* /api/v1/customers and /api/v1/contacts: records and their people. */
#include <string.h>

#include "api/api.h"
#include "core/str.h"
#include "domain/codec.h"
#include "domain/customer.h"

#include "core/banned.h"

enum { PAGE_DEFAULT = 50, PAGE_MAX = 500 };

/* Turn territory / owner names from JSON into ids on 'c'. */
static enum av_err
resolve_refs(struct req *req, struct customer *c, const char *territory,
	     const char *owner)
{
	struct store *s = api_store(req);
	struct territory t;
	struct user u;

	if (territory && !*territory) {
		c->territory_id = 0;
	} else if (territory) {
		if (store_territory_find(s, territory, req->arena, &t,
					 &req->err))
			return av_field_errorf(
			    &req->err, AV_EINVAL, "territory",
			    "territory '%s' does not exist", territory);
		c->territory_id = t.id;
	}
	if (owner && !*owner)
		return av_field_errorf(&req->err, AV_EINVAL, "owner",
				       "'owner' cannot be empty: every "
				       "customer has an owner");
	if (owner) {
		if (store_user_by_email(s, owner, req->arena, &u, &req->err))
			return av_field_errorf(&req->err, AV_EINVAL, "owner",
					       "user '%s' does not exist",
					       owner);
		c->owner_id = u.id;
	}
	return AV_OK;
}

static enum av_err
reply_customer(struct req *req, struct resp *resp, int status, int64_t id)
{
	struct customer c;

	if (store_customer_get(api_store(req), id, req->arena, &c, &req->err))
		return req->err.code;
	api_etag(resp, c.version);
	if (status == 201)
		resp_header(resp, "Location",
			    arena_printf(req->arena, "/api/v1/customers/%lld",
					 (long long)id));
	return resp_json(resp, status, customer_to_json(&c));
}

/* Narrow a list filter to the caller's reach; false when what was asked
 * for lies outside it (the answer is then an empty list). */
static bool
narrow_to_reach(struct req *req, struct customer_filter *f)
{
	int64_t owner, territory;

	api_list_scope(req, RES_CUSTOMER, &owner, &territory);
	if (owner) {
		if (f->owner_id && f->owner_id != owner)
			return false;
		f->owner_id = owner;
	}
	if (territory) {
		if (f->territory_id && f->territory_id != territory)
			return false;
		f->territory_id = territory;
	}
	return true;
}

/* Load customer 'id' if the caller may 'act' on it. */
static enum av_err
load_customer(struct req *req, int64_t id, struct customer *c,
	      enum policy_action act)
{
	if (store_customer_get(api_store(req), id, req->arena, c, &req->err))
		return req->err.code;
	return api_access_customer(req, c, act);
}

enum av_err
api_customers_list(struct req *req, struct resp *resp)
{
	struct store *s = api_store(req);
	struct customer_filter f = {.status = -1};
	struct customer *v = NULL;
	const char *q;
	int64_t limit, cursor;
	size_t n;
	json_t *items, *body;

	if (api_query_i64(req, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit) ||
	    api_query_i64(req, "cursor", 0, INT64_MAX, 0, &cursor))
		return AV_EINVAL;
	f.limit = (size_t)limit;
	f.after_id = cursor;
	q = req_query(req, "status");
	if (q) {
		enum customer_status st;
		if (!customer_status_parse(q, &st))
			return av_field_errorf(&req->err, AV_EINVAL, "status",
					       "'status' must be prospect, "
					       "customer or former");
		f.status = (int)st;
	}
	q = req_query(req, "owner");
	if (q) {
		struct user u;
		if (store_user_by_email(s, q, req->arena, &u, &req->err))
			return av_field_errorf(&req->err, AV_EINVAL, "owner",
					       "user '%s' does not exist", q);
		f.owner_id = u.id;
	}
	q = req_query(req, "territory");
	if (q) {
		struct territory t;
		if (store_territory_find(s, q, req->arena, &t, &req->err))
			return av_field_errorf(
			    &req->err, AV_EINVAL, "territory",
			    "territory '%s' does not exist", q);
		f.territory_id = t.id;
	}
	if (!narrow_to_reach(req, &f))
		n = 0;
	else if (store_customer_list(s, &f, req->arena, &v, &n, &req->err))
		return req->err.code;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, customer_to_json(&v[i]));
	body = json_object();
	json_object_set_new(body, "items", items);
	json_object_set_new(body, "next_cursor",
			    n == f.limit
				? json_sprintf("%lld", (long long)v[n - 1].id)
				: json_null());
	return resp_json(resp, 200, body);
}

enum av_err
api_customer_create(struct req *req, struct resp *resp)
{
	struct customer c = {.status = CUSTOMER_PROSPECT};
	const char *territory, *owner;
	json_t *body;

	if (req_json(req, &body, &req->err))
		return req->err.code;
	c.owner_id = api_actor(req);
	if (customer_from_json(body, &c, &territory, &owner, req->arena,
			       &req->err) ||
	    resolve_refs(req, &c, territory, owner))
		return req->err.code;
	if (api_access_customer(req, &c, ACT_CREATE))
		return av_field_errorf(&req->err, AV_EFORBIDDEN, "owner",
				       "you may only add customers that you "
				       "(or, for a manager, your territory) "
				       "own");
	if (customer_prepare(&c, req->arena, &req->err) ||
	    store_customer_insert(api_store(req), &c, api_actor(req),
				  &req->err))
		return req->err.code;
	return reply_customer(req, resp, 201, c.id);
}

enum av_err
api_customer_get(struct req *req, struct resp *resp)
{
	int64_t id;

	struct customer c;

	if (api_path_id(req, "id", &id) || load_customer(req, id, &c, ACT_READ))
		return req->err.code;
	return reply_customer(req, resp, 200, id);
}

enum av_err
api_customer_update(struct req *req, struct resp *resp)
{
	struct customer c;
	const char *territory, *owner;
	int64_t id, version;
	json_t *body;

	if (api_path_id(req, "id", &id) ||
	    load_customer(req, id, &c, ACT_UPDATE))
		return req->err.code;
	if (api_if_match(req, resp, true, &version))
		return AV_ESTALE;
	if (req_json(req, &body, &req->err))
		return req->err.code;
	if (customer_from_json(body, &c, &territory, &owner, req->arena,
			       &req->err) ||
	    resolve_refs(req, &c, territory, owner))
		return req->err.code;
	/* a new owner or territory must stay within the caller's reach */
	if (api_access_customer(req, &c, ACT_UPDATE))
		return av_field_errorf(&req->err, AV_EFORBIDDEN,
				       owner ? "owner" : "territory",
				       "you may not hand this customer "
				       "outside your reach; ask a manager");
	if (customer_prepare(&c, req->arena, &req->err) ||
	    store_customer_update(api_store(req), &c, version, api_actor(req),
				  &req->err))
		return req->err.code;
	return reply_customer(req, resp, 200, id);
}

enum av_err
api_customer_delete(struct req *req, struct resp *resp)
{
	struct customer c;
	int64_t id, version;

	if (api_path_id(req, "id", &id) ||
	    load_customer(req, id, &c, ACT_DELETE))
		return req->err.code;
	if (api_if_match(req, resp, false, &version))
		return AV_EINVAL;
	if (store_customer_delete(api_store(req), id, version, api_actor(req),
				  &req->err))
		return req->err.code;
	return resp_text(resp, 204, "text/plain", "", 0);
}

enum av_err
api_contacts_list(struct req *req, struct resp *resp)
{
	struct customer c;
	struct contact *v;
	size_t n;
	int64_t id;
	json_t *items;

	if (api_path_id(req, "id", &id))
		return req->err.code;
	if (store_customer_get(api_store(req), id, req->arena, &c, &req->err) ||
	    api_access_contact(req, &c, 0, ACT_READ) ||
	    store_contact_list(api_store(req), id, req->arena, &v, &n,
			       &req->err))
		return req->err.code;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, contact_to_json(&v[i]));
	return resp_json(resp, 200, json_pack("{so}", "items", items));
}

/* Load contact 'id' and its customer if the caller may 'act' on it. */
static enum av_err
load_contact(struct req *req, int64_t id, struct contact *c,
	     struct customer *cu, enum policy_action act)
{
	if (store_contact_get(api_store(req), id, req->arena, c, &req->err) ||
	    store_customer_get(api_store(req), c->customer_id, req->arena, cu,
			       &req->err))
		return req->err.code;
	return api_access_contact(req, cu, id, act);
}

static enum av_err
reply_contact(struct req *req, struct resp *resp, int status, int64_t id)
{
	struct contact c;

	if (store_contact_get(api_store(req), id, req->arena, &c, &req->err))
		return req->err.code;
	api_etag(resp, c.version);
	if (status == 201)
		resp_header(resp, "Location",
			    arena_printf(req->arena, "/api/v1/contacts/%lld",
					 (long long)id));
	return resp_json(resp, status, contact_to_json(&c));
}

enum av_err
api_contact_create(struct req *req, struct resp *resp)
{
	struct customer cu;
	struct contact c = {0};
	int64_t id;
	json_t *body;

	if (api_path_id(req, "id", &id))
		return req->err.code;
	if (store_customer_get(api_store(req), id, req->arena, &cu,
			       &req->err) ||
	    api_access_contact(req, &cu, 0, ACT_CREATE) ||
	    req_json(req, &body, &req->err))
		return req->err.code;
	c.customer_id = id;
	if (contact_from_json(body, &c, req->arena, &req->err) ||
	    contact_prepare(&c, cu.country, req->arena, &req->err) ||
	    store_contact_insert(api_store(req), &c, api_actor(req), &req->err))
		return req->err.code;
	return reply_contact(req, resp, 201, c.id);
}

enum av_err
api_contact_get(struct req *req, struct resp *resp)
{
	struct customer cu;
	struct contact c;
	int64_t id;

	if (api_path_id(req, "id", &id) ||
	    load_contact(req, id, &c, &cu, ACT_READ))
		return req->err.code;
	return reply_contact(req, resp, 200, id);
}

enum av_err
api_contact_update(struct req *req, struct resp *resp)
{
	struct customer cu;
	struct contact c;
	int64_t id, version;
	json_t *body;

	if (api_path_id(req, "id", &id) ||
	    load_contact(req, id, &c, &cu, ACT_UPDATE))
		return req->err.code;
	if (api_if_match(req, resp, true, &version))
		return AV_ESTALE;
	if (req_json(req, &body, &req->err))
		return req->err.code;
	if (contact_from_json(body, &c, req->arena, &req->err) ||
	    contact_prepare(&c, cu.country, req->arena, &req->err) ||
	    store_contact_update(api_store(req), &c, version, api_actor(req),
				 &req->err))
		return req->err.code;
	return reply_contact(req, resp, 200, id);
}

enum av_err
api_contact_delete(struct req *req, struct resp *resp)
{
	struct customer cu;
	struct contact c;
	int64_t id;

	if (api_path_id(req, "id", &id) ||
	    load_contact(req, id, &c, &cu, ACT_DELETE))
		return req->err.code;
	if (store_contact_delete(api_store(req), id, api_actor(req), &req->err))
		return req->err.code;
	return resp_text(resp, 204, "text/plain", "", 0);
}
