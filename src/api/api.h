/* SPDX-License-Identifier: MIT */
/*
 * The JSON API under /api/v1/: the route table and its handlers. Handlers
 * are thin: parse and validate input, call service/store/domain, render
 * JSON. Each worker thread of the server has its own struct api_thread
 * (one database connection), reached through req->app.
 */
#ifndef AV_API_H
#define AV_API_H

#include <stddef.h>
#include <stdint.h>

#include "api/policy.h"
#include "domain/appointment.h"
#include "http/req.h"
#include "http/resp.h"
#include "http/router.h"
#include "service/auth.h"
#include "store/store.h"

/* What the server passes to api_thread_open. */
struct api_config {
	const char *db_url;	 /* borrowed: database to open per thread */
	bool insecure_cookie;	 /* plain-HTTP localhost only: the session
				    cookie without Secure (and so without
				    the __Host- prefix) */
	struct auth_config auth; /* session lifetimes */
	const char *public_url;	 /* borrowed: "https://crm.example" for
				    links the server hands out (feed URLs);
				    NULL: from the request's Host */
};

/* Per worker thread state: the thread's own database connection. */
struct api_thread {
	struct store *store;	      /* owned */
	const struct api_config *cfg; /* borrowed */
};

/* The route table (static, never NULL) and its length. */
const struct route *api_routes(size_t *n_out);

/* Thread state callbacks for struct http_config. */
void *api_thread_open(void *cfg);
void api_thread_close(void *state);

/* ---- helpers shared by the handler files ---- */

/* The thread's store; never NULL inside a handler. */
struct store *api_store(struct req *req);
/* The server's authorize callback: who is calling, may their role use
 * this route, CSRF and body type for writes (api_auth.c). */
enum av_err api_authorize(struct req *req, struct resp *resp);
/* The signed-in caller; NULL only on public routes. */
const struct auth_caller *api_caller(struct req *req);
/* The acting user's id (0 on public routes). */
int64_t api_actor(struct req *req);
/* The caller's reach for the resource and action (policy.h). */
enum policy_reach api_reach(struct req *req, enum policy_resource res,
			    enum policy_action act);

/*
 * Row-level access (api_access.c). Each answers AV_OK when the caller may
 * do 'act' on the record; AV_ENOTFOUND (the same answer as a missing id:
 * no existence oracle) when they may not even see it; AV_EFORBIDDEN when
 * they may see it but not change it. req->err is filled.
 */
enum av_err api_access_customer(struct req *req, const struct customer *c,
				enum policy_action act);
enum av_err api_access_customer_id(struct req *req, int64_t customer_id,
				   enum policy_action act);
/* A contact (contact_id) of customer 'c', or (contact_id 0) the customer's
 * list of contacts. */
enum av_err api_access_contact(struct req *req, const struct customer *c,
			       int64_t contact_id, enum policy_action act);
enum av_err api_access_appointment(struct req *req, const struct appointment *p,
				   enum policy_action act);
/* May the caller make 'owner_id' the holder or owner of a record? */
enum av_err api_access_owner(struct req *req, int64_t owner_id);
/* The filter a list must apply: *owner_id and *territory_id (0 = any). */
void api_list_scope(struct req *req, enum policy_resource res,
		    int64_t *owner_id, int64_t *territory_id);
/* Is a customer with this owner and territory visible to the caller? */
bool api_customer_visible(struct req *req, int64_t owner_id,
			  int64_t territory_id);
/* Path parameter {name} as a positive id; AV_ENOTFOUND if malformed (an
 * id that cannot exist is simply not found). */
enum av_err api_path_id(struct req *req, const char *name, int64_t *out);
/* Optional integer query parameter in [min,max]; AV_EINVAL names it. */
enum av_err api_query_i64(struct req *req, const char *name, int64_t min,
			  int64_t max, int64_t dflt, int64_t *out);
/*
 * The version in If-Match ("3", W/"3" or 3). 'required' makes a missing
 * header a 428 answer. Returns AV_OK and *out (0 when absent and not
 * required); on failure the response is already written and the return
 * value is non-zero.
 */
enum av_err api_if_match(struct req *req, struct resp *resp, bool required,
			 int64_t *out);
/* Set ETag for a record version. */
void api_etag(struct resp *resp, int64_t version);

/* Handlers, by resource. */
enum av_err api_customers_list(struct req *req, struct resp *resp);
enum av_err api_customer_create(struct req *req, struct resp *resp);
enum av_err api_customer_get(struct req *req, struct resp *resp);
enum av_err api_customer_update(struct req *req, struct resp *resp);
enum av_err api_customer_delete(struct req *req, struct resp *resp);
enum av_err api_contacts_list(struct req *req, struct resp *resp);
enum av_err api_contact_create(struct req *req, struct resp *resp);
enum av_err api_contact_get(struct req *req, struct resp *resp);
enum av_err api_contact_update(struct req *req, struct resp *resp);
enum av_err api_contact_delete(struct req *req, struct resp *resp);
enum av_err api_search(struct req *req, struct resp *resp);
enum av_err api_territories_list(struct req *req, struct resp *resp);
enum av_err api_territory_get(struct req *req, struct resp *resp);
enum av_err api_users_list(struct req *req, struct resp *resp);
enum av_err api_user_get(struct req *req, struct resp *resp);
enum av_err api_health(struct req *req, struct resp *resp);
enum av_err api_appointments_list(struct req *req, struct resp *resp);
enum av_err api_appointment_create(struct req *req, struct resp *resp);
enum av_err api_appointment_get(struct req *req, struct resp *resp);
enum av_err api_appointment_update(struct req *req, struct resp *resp);
enum av_err api_appointment_complete(struct req *req, struct resp *resp);
enum av_err api_appointment_cancel(struct req *req, struct resp *resp);
enum av_err api_appointment_no_show(struct req *req, struct resp *resp);
enum av_err api_customer_appointments(struct req *req, struct resp *resp);
enum av_err api_report_appointments(struct req *req, struct resp *resp);
enum av_err api_report_contact_rate(struct req *req, struct resp *resp);
enum av_err api_report_uncontacted(struct req *req, struct resp *resp);
enum av_err api_calendar(struct req *req, struct resp *resp);
enum av_err api_session_create(struct req *req, struct resp *resp);
enum av_err api_session_delete(struct req *req, struct resp *resp);
enum av_err api_me_get(struct req *req, struct resp *resp);
enum av_err api_me_update(struct req *req, struct resp *resp);
enum av_err api_me_password(struct req *req, struct resp *resp);
enum av_err api_me_tokens_list(struct req *req, struct resp *resp);
enum av_err api_me_token_create(struct req *req, struct resp *resp);
enum av_err api_me_token_delete(struct req *req, struct resp *resp);
enum av_err api_user_create(struct req *req, struct resp *resp);
enum av_err api_user_update(struct req *req, struct resp *resp);
enum av_err api_user_reassign(struct req *req, struct resp *resp);
enum av_err api_user_password_reset(struct req *req, struct resp *resp);
enum av_err api_territory_create(struct req *req, struct resp *resp);
enum av_err api_territory_update(struct req *req, struct resp *resp);
enum av_err api_audit_list(struct req *req, struct resp *resp);
enum av_err api_feed(struct req *req, struct resp *resp);
enum av_err api_me_feed_get(struct req *req, struct resp *resp);
enum av_err api_me_feed_create(struct req *req, struct resp *resp);
enum av_err api_me_feed_delete(struct req *req, struct resp *resp);
enum av_err api_appointment_ics(struct req *req, struct resp *resp);
enum av_err api_import_ics(struct req *req, struct resp *resp);

#endif
