/* SPDX-License-Identifier: MIT */
/* The route table of the JSON API, and the per-thread state. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"

#include "core/banned.h"

/* R(method, pattern, handler, resource, action): every route names the
 * policy row (policy.c) the gate checks before its handler runs. */
#define R(m, p, h, res, act)                                                   \
	{                                                                      \
		m, p, h, NULL, res, act, 0                                     \
	}
#define R_RAW(m, p, h, res, act)                                               \
	{                                                                      \
		m, p, h, NULL, res, act, ROUTE_RAW_BODY                        \
	}

static const struct route routes[] = {
    R(HTTP_GET, "/api/v1/health", api_health, RES_PUBLIC, ACT_READ),
    R(HTTP_POST, "/api/v1/session", api_session_create, RES_PUBLIC, ACT_CREATE),
    R(HTTP_DELETE, "/api/v1/session", api_session_delete, RES_SELF, ACT_DELETE),
    R(HTTP_GET, "/api/v1/me", api_me_get, RES_SELF, ACT_READ),
    R(HTTP_PATCH, "/api/v1/me", api_me_update, RES_SELF, ACT_UPDATE),
    R(HTTP_POST, "/api/v1/me/password", api_me_password, RES_SELF, ACT_UPDATE),
    R(HTTP_GET, "/api/v1/me/tokens", api_me_tokens_list, RES_SELF, ACT_READ),
    R(HTTP_POST, "/api/v1/me/tokens", api_me_token_create, RES_SELF,
      ACT_CREATE),
    R(HTTP_DELETE, "/api/v1/me/tokens/{id}", api_me_token_delete, RES_SELF,
      ACT_DELETE),
    R(HTTP_GET, "/api/v1/me/feed", api_me_feed_get, RES_SELF, ACT_READ),
    R(HTTP_POST, "/api/v1/me/feed", api_me_feed_create, RES_SELF, ACT_CREATE),
    R(HTTP_DELETE, "/api/v1/me/feed", api_me_feed_delete, RES_SELF, ACT_DELETE),
    /* the secret token in the path is the credential */
    R(HTTP_GET, "/ical/{token}.ics", api_feed, RES_PUBLIC, ACT_READ),
    R(HTTP_GET, "/api/v1/customers", api_customers_list, RES_CUSTOMER,
      ACT_READ),
    R(HTTP_POST, "/api/v1/customers", api_customer_create, RES_CUSTOMER,
      ACT_CREATE),
    R(HTTP_GET, "/api/v1/customers/{id}", api_customer_get, RES_CUSTOMER,
      ACT_READ),
    R(HTTP_PATCH, "/api/v1/customers/{id}", api_customer_update, RES_CUSTOMER,
      ACT_UPDATE),
    R(HTTP_DELETE, "/api/v1/customers/{id}", api_customer_delete, RES_CUSTOMER,
      ACT_DELETE),
    R(HTTP_GET, "/api/v1/customers/{id}/contacts", api_contacts_list,
      RES_CONTACT, ACT_READ),
    R(HTTP_POST, "/api/v1/customers/{id}/contacts", api_contact_create,
      RES_CONTACT, ACT_CREATE),
    R(HTTP_GET, "/api/v1/customers/{id}/appointments",
      api_customer_appointments, RES_APPOINTMENT, ACT_READ),
    R(HTTP_GET, "/api/v1/contacts/{id}", api_contact_get, RES_CONTACT,
      ACT_READ),
    R(HTTP_PATCH, "/api/v1/contacts/{id}", api_contact_update, RES_CONTACT,
      ACT_UPDATE),
    R(HTTP_DELETE, "/api/v1/contacts/{id}", api_contact_delete, RES_CONTACT,
      ACT_DELETE),
    R(HTTP_GET, "/api/v1/appointments", api_appointments_list, RES_APPOINTMENT,
      ACT_READ),
    R(HTTP_POST, "/api/v1/appointments", api_appointment_create,
      RES_APPOINTMENT, ACT_CREATE),
    R(HTTP_GET, "/api/v1/appointments/{id}.ics", api_appointment_ics,
      RES_APPOINTMENT, ACT_READ),
    R(HTTP_GET, "/api/v1/appointments/{id}", api_appointment_get,
      RES_APPOINTMENT, ACT_READ),
    R(HTTP_PATCH, "/api/v1/appointments/{id}", api_appointment_update,
      RES_APPOINTMENT, ACT_UPDATE),
    R(HTTP_POST, "/api/v1/appointments/{id}/complete", api_appointment_complete,
      RES_APPOINTMENT, ACT_UPDATE),
    R(HTTP_POST, "/api/v1/appointments/{id}/cancel", api_appointment_cancel,
      RES_APPOINTMENT, ACT_UPDATE),
    R(HTTP_POST, "/api/v1/appointments/{id}/no-show", api_appointment_no_show,
      RES_APPOINTMENT, ACT_UPDATE),
    R(HTTP_GET, "/api/v1/calendar", api_calendar, RES_CALENDAR, ACT_READ),
    R_RAW(HTTP_POST, "/api/v1/imports/ics", api_import_ics, RES_APPOINTMENT,
	  ACT_CREATE),
    R(HTTP_GET, "/api/v1/search", api_search, RES_SEARCH, ACT_READ),
    R(HTTP_GET, "/api/v1/territories", api_territories_list, RES_TERRITORY,
      ACT_READ),
    R(HTTP_POST, "/api/v1/territories", api_territory_create, RES_TERRITORY,
      ACT_CREATE),
    R(HTTP_GET, "/api/v1/territories/{id}", api_territory_get, RES_TERRITORY,
      ACT_READ),
    R(HTTP_PATCH, "/api/v1/territories/{id}", api_territory_update,
      RES_TERRITORY, ACT_UPDATE),
    R(HTTP_GET, "/api/v1/users", api_users_list, RES_USER, ACT_READ),
    R(HTTP_POST, "/api/v1/users", api_user_create, RES_USER, ACT_CREATE),
    R(HTTP_GET, "/api/v1/users/{id}", api_user_get, RES_USER, ACT_READ),
    R(HTTP_PATCH, "/api/v1/users/{id}", api_user_update, RES_USER, ACT_UPDATE),
    R(HTTP_POST, "/api/v1/users/{id}/reassign", api_user_reassign, RES_USER,
      ACT_UPDATE),
    R(HTTP_POST, "/api/v1/users/{id}/password", api_user_password_reset,
      RES_USER, ACT_UPDATE),
    R(HTTP_GET, "/api/v1/reports/appointments", api_report_appointments,
      RES_REPORT, ACT_READ),
    R(HTTP_GET, "/api/v1/reports/contact-rate", api_report_contact_rate,
      RES_REPORT, ACT_READ),
    R(HTTP_GET, "/api/v1/reports/contact-rate/uncontacted",
      api_report_uncontacted, RES_REPORT, ACT_READ),
    R(HTTP_GET, "/api/v1/audit", api_audit_list, RES_AUDIT, ACT_READ),
};

const struct route *
api_routes(size_t *n_out)
{
	*n_out = sizeof(routes) / sizeof(routes[0]);
	return routes;
}

void *
api_thread_open(void *cfg)
{
	const struct api_config *c = cfg;
	struct api_thread *t = xcalloc(1, sizeof(*t));

	t->cfg = c;
	struct av_error err = {0};

	/* The schema was migrated once by `serve` before threads start. */
	if (store_open(c->db_url, STORE_NO_MIGRATE, &t->store, &err)) {
		/* the server answers 500 and tries again next request */
		log_err("worker cannot open the database: %s", err.msg);
		free(t);
		return NULL;
	}
	return t;
}

void
api_thread_close(void *state)
{
	struct api_thread *t = state;

	if (!t)
		return;
	store_close(t->store);
	free(t);
}

struct store *
api_store(struct req *req)
{
	struct api_thread *t = req->app;

	return t ? t->store : NULL;
}

enum av_err
api_path_id(struct req *req, const char *name, int64_t *out)
{
	const char *v = req_param(req, name);

	if (!v || !str_to_i64(v, 1, INT64_MAX, out))
		return av_errorf(&req->err, AV_ENOTFOUND,
				 "no record with id "
				 "'%s'",
				 v ? v : "");
	return AV_OK;
}

enum av_err
api_query_i64(struct req *req, const char *name, int64_t min, int64_t max,
	      int64_t dflt, int64_t *out)
{
	const char *v = req_query(req, name);

	*out = dflt;
	if (!v)
		return AV_OK;
	if (!str_to_i64(v, min, max, out))
		return av_field_errorf(&req->err, AV_EINVAL, name,
				       "'%s' must be an integer from %lld to "
				       "%lld",
				       name, (long long)min, (long long)max);
	return AV_OK;
}

enum av_err
api_if_match(struct req *req, struct resp *resp, bool required, int64_t *out)
{
	const char *h = req_header(req, "If-Match");
	char digits[24];
	size_t n = 0;

	*out = 0;
	if (!h) {
		if (!required)
			return AV_OK;
		resp_problem(resp, 428, "precondition_required",
			     "send the record's version in If-Match (the ETag "
			     "of the last GET)");
		return AV_ESTALE;
	}
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	if (*h == '"')
		h++;
	while (*h >= '0' && *h <= '9' && n + 1 < sizeof(digits))
		digits[n++] = *h++;
	digits[n] = '\0';
	if (*h == '"')
		h++;
	if (*h || !str_to_i64(digits, 1, INT64_MAX, out)) {
		av_field_errorf(&req->err, AV_EINVAL, "If-Match",
				"If-Match must be the record's ETag, such as "
				"\"3\"");
		resp_error(resp, &req->err);
		return AV_EINVAL;
	}
	return AV_OK;
}

void
api_etag(struct resp *resp, int64_t version)
{
	char tag[32];

	str_printf(tag, sizeof(tag), "\"%lld\"", (long long)version);
	resp_header(resp, "ETag", tag);
}

enum av_err
api_health(struct req *req, struct resp *resp)
{
	(void)req;
	return resp_json(resp, 200, json_pack("{ss}", "status", "ok"));
}
