/* SPDX-License-Identifier: MIT */
/* The access policy table (see policy.h). */
#include <stdio.h>

#include "api/policy.h"

#include "core/banned.h"

static const char *const methods[HTTP_METHOD__MAX] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

struct policy_row {
	enum policy_resource res;
	enum policy_action act;
	enum policy_reach reach[ROLE__MAX]; /* rep, manager, admin */
};

#define NONE POLICY_NONE
#define OWN  POLICY_OWN
#define TERR POLICY_TERRITORY
#define ALL  POLICY_ALL

/*
 * Reps work their own customers and appointments (and read colleagues'
 * appointments with customers they own); managers everything in their
 * territory, plus reports; admins everything, plus users, territories and
 * the audit log. Reps do not delete customers: a manager decides.
 */
static const struct policy_row table[] = {
    {RES_PUBLIC, ACT_READ, {ALL, ALL, ALL}},
    {RES_PUBLIC, ACT_CREATE, {ALL, ALL, ALL}},
    {RES_SELF, ACT_READ, {OWN, OWN, OWN}},
    {RES_SELF, ACT_CREATE, {OWN, OWN, OWN}},
    {RES_SELF, ACT_UPDATE, {OWN, OWN, OWN}},
    {RES_SELF, ACT_DELETE, {OWN, OWN, OWN}},
    {RES_CUSTOMER, ACT_READ, {OWN, TERR, ALL}},
    {RES_CUSTOMER, ACT_CREATE, {OWN, TERR, ALL}},
    {RES_CUSTOMER, ACT_UPDATE, {OWN, TERR, ALL}},
    {RES_CUSTOMER, ACT_DELETE, {NONE, TERR, ALL}},
    {RES_CONTACT, ACT_READ, {OWN, TERR, ALL}},
    {RES_CONTACT, ACT_CREATE, {OWN, TERR, ALL}},
    {RES_CONTACT, ACT_UPDATE, {OWN, TERR, ALL}},
    {RES_CONTACT, ACT_DELETE, {OWN, TERR, ALL}},
    {RES_APPOINTMENT, ACT_READ, {OWN, TERR, ALL}},
    {RES_APPOINTMENT, ACT_CREATE, {OWN, TERR, ALL}},
    {RES_APPOINTMENT, ACT_UPDATE, {OWN, TERR, ALL}},
    {RES_CALENDAR, ACT_READ, {OWN, TERR, ALL}},
    {RES_SEARCH, ACT_READ, {OWN, TERR, ALL}},
    {RES_REPORT, ACT_READ, {NONE, TERR, ALL}},
    {RES_USER, ACT_READ, {ALL, ALL, ALL}},
    {RES_USER, ACT_CREATE, {NONE, NONE, ALL}},
    {RES_USER, ACT_UPDATE, {NONE, NONE, ALL}},
    {RES_TERRITORY, ACT_READ, {ALL, ALL, ALL}},
    {RES_TERRITORY, ACT_CREATE, {NONE, NONE, ALL}},
    {RES_TERRITORY, ACT_UPDATE, {NONE, NONE, ALL}},
    {RES_AUDIT, ACT_READ, {NONE, NONE, ALL}},
};

#undef NONE
#undef OWN
#undef TERR
#undef ALL

static const struct policy_row *
find(enum policy_resource res, enum policy_action act)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].res == res && table[i].act == act)
			return &table[i];
	return NULL;
}

enum policy_reach
policy_reach(enum user_role role, enum policy_resource res,
	     enum policy_action act)
{
	const struct policy_row *r = find(res, act);

	if (!r || (unsigned)role >= ROLE__MAX)
		return POLICY_NONE;
	return r->reach[role];
}

bool
policy_has_row(enum policy_resource res, enum policy_action act)
{
	return find(res, act) != NULL;
}

const char *
policy_resource_name(enum policy_resource r)
{
	static const char *const names[RES__MAX] = {
	    [RES_UNSET] = "unset",	   [RES_PUBLIC] = "public",
	    [RES_SELF] = "self",	   [RES_CUSTOMER] = "customer",
	    [RES_CONTACT] = "contact",	   [RES_APPOINTMENT] = "appointment",
	    [RES_CALENDAR] = "calendar",   [RES_SEARCH] = "search",
	    [RES_REPORT] = "report",	   [RES_USER] = "user",
	    [RES_TERRITORY] = "territory", [RES_AUDIT] = "audit",
	};
	return (unsigned)r < RES__MAX ? names[r] : NULL;
}

const char *
policy_action_name(enum policy_action a)
{
	static const char *const names[ACT__MAX] = {
	    [ACT_READ] = "read",
	    [ACT_CREATE] = "create",
	    [ACT_UPDATE] = "update",
	    [ACT_DELETE] = "delete",
	};
	return (unsigned)a < ACT__MAX ? names[a] : NULL;
}

const char *
policy_reach_name(enum policy_reach r)
{
	static const char *const names[] = {"none", "own", "territory", "all"};
	return (unsigned)r <= POLICY_ALL ? names[r] : NULL;
}

bool
policy_check_routes(const struct route *routes, size_t n, char *msg,
		    size_t msg_size)
{

	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];
		if (r->resource <= RES_UNSET || r->resource >= RES__MAX ||
		    r->action < 0 || r->action >= ACT__MAX ||
		    !policy_has_row((enum policy_resource)r->resource,
				    (enum policy_action)r->action)) {
			snprintf(msg, msg_size,
				 "route %s %s has no access policy row "
				 "(resource %d, action %d)",
				 methods[r->method], r->pattern, r->resource,
				 r->action);
			return false;
		}
		/* reading must not change anything: GET routes read */
		if (r->method == HTTP_GET && r->action != ACT_READ) {
			snprintf(msg, msg_size,
				 "route GET %s must have the read action",
				 r->pattern);
			return false;
		}
	}
	return true;
}

json_t *
policy_routes_json(const struct route *routes, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct route *r = &routes[i];
		enum policy_resource res = (enum policy_resource)r->resource;
		enum policy_action act = (enum policy_action)r->action;
		json_t *reach = json_object();

		for (int role = 0; role < ROLE__MAX; role++)
			json_object_set_new(
			    reach, user_role_name((enum user_role)role),
			    json_string(policy_reach_name(
				policy_reach((enum user_role)role, res, act))));
		json_array_append_new(
		    arr,
		    json_pack("{ss ss ss* ss* so}", "method",
			      methods[r->method], "pattern", r->pattern,
			      "resource", policy_resource_name(res), "action",
			      policy_action_name(act), "reach", reach));
	}
	return arr;
}
