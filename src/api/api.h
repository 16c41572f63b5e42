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

#include "http/req.h"
#include "http/resp.h"
#include "http/router.h"
#include "store/store.h"

/* What the server passes to api_thread_open. */
struct api_config {
	const char *db_url; /* borrowed: database to open per thread */
};

/* Per worker thread state: the thread's own database connection. */
struct api_thread {
	struct store *store; /* owned */
};

/* The route table (static, never NULL) and its length. */
const struct route *api_routes(size_t *n_out);

/* Thread state callbacks for struct http_config. */
void *api_thread_open(void *cfg);
void api_thread_close(void *state);

/* ---- helpers shared by the handler files ---- */

/* The thread's store; never NULL inside a handler. */
struct store *api_store(struct req *req);
/* The acting user's id. Until sign-in exists every request acts as the
 * built-in admin, which is why the server binds to loopback by default. */
int64_t api_actor(struct req *req);
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

#endif
