/* SPDX-License-Identifier: MIT */
/*
 * Row-level access: which customers, appointments and lists a caller's
 * reach (policy.h) covers. A record outside the reach answers as if it did
 * not exist (404); one the caller may read but not change answers 403.
 */
#include "api/api.h"

#include "core/banned.h"

/* Does 'reach' cover a record with this owner and territory? */
static bool
covers(const struct auth_caller *c, enum policy_reach reach, int64_t owner_id,
       int64_t territory_id)
{
	switch (reach) {
	case POLICY_ALL:
		return true;
	case POLICY_TERRITORY:
		if (c->user.territory_id &&
		    territory_id == c->user.territory_id)
			return true;
		return owner_id == c->user.id;
	case POLICY_OWN:
		return owner_id == c->user.id;
	case POLICY_NONE:
		break;
	}
	return false;
}

bool
api_customer_visible(struct req *req, int64_t owner_id, int64_t territory_id)
{
	const struct auth_caller *c = api_caller(req);

	return c && covers(c, api_reach(req, RES_CUSTOMER, ACT_READ), owner_id,
			   territory_id);
}

static enum av_err
refuse(struct req *req, bool visible, const char *what, int64_t id)
{
	if (visible)
		return av_errorf(&req->err, AV_EFORBIDDEN,
				 "you may see %s %lld but not change it", what,
				 (long long)id);
	return av_errorf(&req->err, AV_ENOTFOUND, "%s %lld not found", what,
			 (long long)id);
}

/* A record of 'res' with this owner and territory: readable? changeable? */
static enum av_err
access_record(struct req *req, enum policy_resource res, int64_t owner_id,
	      int64_t territory_id, enum policy_action act, const char *what,
	      int64_t id)
{
	const struct auth_caller *c = api_caller(req);
	bool visible;

	if (!c)
		return av_errorf(&req->err, AV_EUNAUTH, "sign in first");
	visible =
	    covers(c, api_reach(req, res, ACT_READ), owner_id, territory_id);
	if (visible &&
	    covers(c, api_reach(req, res, act), owner_id, territory_id))
		return AV_OK;
	return refuse(req, visible, what, id);
}

enum av_err
api_access_customer(struct req *req, const struct customer *cu,
		    enum policy_action act)
{
	return access_record(req, RES_CUSTOMER, cu->owner_id, cu->territory_id,
			     act, "customer", cu->id);
}

enum av_err
api_access_contact(struct req *req, const struct customer *cu,
		   int64_t contact_id, enum policy_action act)
{
	return access_record(req, RES_CONTACT, cu->owner_id, cu->territory_id,
			     act, contact_id ? "contact" : "customer",
			     contact_id ? contact_id : cu->id);
}

enum av_err
api_access_customer_id(struct req *req, int64_t customer_id,
		       enum policy_action act)
{
	struct customer cu;

	if (store_customer_get(api_store(req), customer_id, req->arena, &cu,
			       &req->err))
		return req->err.code;
	return api_access_customer(req, &cu, act);
}

/* The territory a holder belongs to (their home territory). */
static int64_t
user_territory(struct req *req, int64_t user_id)
{
	struct user u;
	struct av_error e = {0};

	if (store_user_get(api_store(req), user_id, req->arena, &u, &e))
		return 0;
	return u.territory_id;
}

enum av_err
api_access_appointment(struct req *req, const struct appointment *p,
		       enum policy_action act)
{
	const struct auth_caller *c = api_caller(req);
	enum policy_reach read, want;
	struct customer cu = {0};
	struct av_error e = {0};
	int64_t cust_owner = 0, cust_terr = 0, holder_terr;
	bool visible, allowed;

	if (!c)
		return av_errorf(&req->err, AV_EUNAUTH, "sign in first");
	if (p->customer_id &&
	    store_customer_get(api_store(req), p->customer_id, req->arena, &cu,
			       &e) == AV_OK) {
		cust_owner = cu.owner_id;
		cust_terr = cu.territory_id;
	}
	read = api_reach(req, RES_APPOINTMENT, ACT_READ);
	want = api_reach(req, RES_APPOINTMENT, act);
	holder_terr = read == POLICY_TERRITORY || want == POLICY_TERRITORY
			  ? user_territory(req, p->owner_id)
			  : 0;
	/* held by the caller, or (to read) with a customer they own */
	visible = covers(c, read, p->owner_id, holder_terr) ||
		  (p->customer_id && covers(c, read, cust_owner, cust_terr));
	allowed = visible && (act == ACT_READ ||
			      covers(c, want, p->owner_id, holder_terr));
	if (!allowed && visible && want == POLICY_TERRITORY)
		allowed = covers(c, want, cust_owner, cust_terr);
	if (allowed)
		return AV_OK;
	return refuse(req, visible, "appointment", p->id);
}

enum av_err
api_access_owner(struct req *req, int64_t owner_id)
{
	const struct auth_caller *c = api_caller(req);
	enum policy_reach reach = api_reach(req, RES_APPOINTMENT, ACT_CREATE);

	if (!c)
		return av_errorf(&req->err, AV_EUNAUTH, "sign in first");
	if (owner_id == c->user.id || reach == POLICY_ALL)
		return AV_OK;
	if (reach == POLICY_TERRITORY && c->user.territory_id &&
	    user_territory(req, owner_id) == c->user.territory_id)
		return AV_OK;
	/* users are no secret (everyone may list them): say why */
	return av_field_errorf(&req->err, AV_EFORBIDDEN, "owner",
			       "you may not act for user %lld: reps for "
			       "themselves, managers for their territory",
			       (long long)owner_id);
}

void
api_list_scope(struct req *req, enum policy_resource res, int64_t *owner_id,
	       int64_t *territory_id)
{
	const struct auth_caller *c = api_caller(req);

	*owner_id = 0;
	*territory_id = 0;
	switch (api_reach(req, res, ACT_READ)) {
	case POLICY_ALL:
		return;
	case POLICY_TERRITORY:
		/* a manager without a territory sees only their own */
		if (c->user.territory_id)
			*territory_id = c->user.territory_id;
		else
			*owner_id = c->user.id;
		return;
	case POLICY_OWN:
	case POLICY_NONE:
		*owner_id = c ? c->user.id : -1;
		return;
	}
}
