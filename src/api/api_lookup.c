/* SPDX-License-Identifier: MIT */
/* /api/v1/search, /api/v1/territories and /api/v1/users (read-only). */
#include "api/api.h"
#include "domain/codec.h"
#include "service/search.h"

#include "core/banned.h"

/* Hits only among the customers the caller may see. */
static void
search_scope_of(struct req *req, struct search_scope *sc)
{
	const struct auth_caller *c = api_caller(req);

	sc->owner_id = 0;
	sc->territory_id = 0;
	switch (api_reach(req, RES_SEARCH, ACT_READ)) {
	case POLICY_ALL:
		return;
	case POLICY_TERRITORY:
		sc->territory_id = c->user.territory_id;
		sc->owner_id = c->user.id;
		return;
	case POLICY_OWN:
	case POLICY_NONE:
		sc->owner_id = c ? c->user.id : -1;
		return;
	}
}

enum av_err
api_search(struct req *req, struct resp *resp)
{
	struct search_hit *hits;
	size_t n;
	int64_t limit;
	struct search_scope scope;
	json_t *items;

	if (api_query_i64(req, "limit", 1, SEARCH_LIMIT_MAX,
			  SEARCH_LIMIT_DEFAULT, &limit))
		return AV_EINVAL;
	if (!req_query(req, "q"))
		return av_field_errorf(&req->err, AV_EINVAL, "q",
				       "'q' is required");
	search_scope_of(req, &scope);
	if (search_run_scoped(api_store(req), req_query(req, "q"),
			      (size_t)limit, &scope, req->arena, &hits, &n,
			      &req->err))
		return req->err.code;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, search_hit_to_json(&hits[i]));
	return resp_json(resp, 200, json_pack("{so}", "items", items));
}

enum av_err
api_territories_list(struct req *req, struct resp *resp)
{
	struct territory *v;
	size_t n;
	json_t *items;

	if (store_territory_list(api_store(req), req->arena, &v, &n, &req->err))
		return req->err.code;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, territory_to_json(&v[i]));
	return resp_json(resp, 200, json_pack("{so}", "items", items));
}

enum av_err
api_territory_get(struct req *req, struct resp *resp)
{
	struct territory t;
	int64_t id;

	if (api_path_id(req, "id", &id) ||
	    store_territory_get(api_store(req), id, req->arena, &t, &req->err))
		return req->err.code;
	return resp_json(resp, 200, territory_to_json(&t));
}

enum av_err
api_users_list(struct req *req, struct resp *resp)
{
	struct user *v;
	size_t n;
	json_t *items;

	if (store_user_list(api_store(req), req->arena, &v, &n, &req->err))
		return req->err.code;
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, user_to_json(&v[i]));
	return resp_json(resp, 200, json_pack("{so}", "items", items));
}

enum av_err
api_user_get(struct req *req, struct resp *resp)
{
	struct user u;
	int64_t id;

	if (api_path_id(req, "id", &id) ||
	    store_user_get(api_store(req), id, req->arena, &u, &req->err))
		return req->err.code;
	return resp_json(resp, 200, user_to_json(&u));
}
