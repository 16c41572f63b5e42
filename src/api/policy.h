/* SPDX-License-Identifier: MIT */
/*
 * Who may do what: one table of role x resource x action -> reach. Every
 * route names its resource and action (routes.c); the gate (api_auth.c)
 * refuses a role whose reach is POLICY_NONE before the handler runs, and
 * handlers narrow records, lists, search hits, calendars and reports to the
 * reach (api_access.c). A route whose resource/action pair has no row in
 * the table fails `avtale routes --check`, which the build runs.
 */
#ifndef AV_API_POLICY_H
#define AV_API_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "domain/model.h"
#include "http/router.h"

enum policy_resource {
	RES_UNSET,  /* a route nobody classified: refused by the check */
	RES_PUBLIC, /* no sign-in: health, sign-in itself */
	RES_SELF,   /* the caller's own session, profile and tokens */
	RES_CUSTOMER,
	RES_CONTACT,
	RES_APPOINTMENT,
	RES_CALENDAR,
	RES_SEARCH,
	RES_REPORT,
	RES_USER,
	RES_TERRITORY,
	RES_AUDIT,
	RES__MAX
};

enum policy_action { ACT_READ, ACT_CREATE, ACT_UPDATE, ACT_DELETE, ACT__MAX };

/* How far a role reaches for one resource and action. */
enum policy_reach {
	POLICY_NONE,	  /* refused: 403 for the route */
	POLICY_OWN,	  /* the caller's own records */
	POLICY_TERRITORY, /* records in the caller's territory (and own) */
	POLICY_ALL,	  /* everything */
};

/* The reach of 'role' for (res, act); POLICY_NONE when there is no row. */
enum policy_reach policy_reach(enum user_role role, enum policy_resource res,
			       enum policy_action act);
/* True if the table has a row for (res, act). */
bool policy_has_row(enum policy_resource res, enum policy_action act);

const char *policy_resource_name(enum policy_resource r);
const char *policy_action_name(enum policy_action a);
const char *policy_reach_name(enum policy_reach r);

/* Check that every route of the table has a policy row; the message names
 * the first that has none. */
bool policy_check_routes(const struct route *routes, size_t n, char *msg,
			 size_t msg_size);

/* The route table with each route's policy, as JSON (for `avtale routes`
 * and the access-matrix test). */
json_t *policy_routes_json(const struct route *routes, size_t n);

#endif
