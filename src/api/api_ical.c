/* SPDX-License-Identifier: MIT */
/*
 * Calendar routes: the subscribable feed GET /ical/<token>.ics (public:
 * the secret token in the path is the credential), the caller's feed link
 * under /api/v1/me/feed, one appointment as .ics and the import of
 * calendar files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "service/ical.h"

#include "core/banned.h"

#define ICS_TYPE "text/calendar; charset=utf-8"

static const char *const months[12] = {"Jan", "Feb", "Mar", "Apr",
				       "May", "Jun", "Jul", "Aug",
				       "Sep", "Oct", "Nov", "Dec"};

/* The instant of an IMF-fixdate; false if it is not one. */
static bool
parse_http_date(const char *s, int64_t *out)
{
	struct tz_local l = {0};
	char mon[4] = "";
	int n = 0;

	if (!s || strlen(s) != 29 ||
	    sscanf(s + 5, "%2d %3s %4d %2d:%2d:%2d GMT%n", &l.day, mon, &l.year,
		   &l.hour, &l.minute, &l.second, &n) != 6 ||
	    n != 24)
		return false;
	for (int m = 0; m < 12; m++)
		if (strcmp(mon, months[m]) == 0)
			l.month = m + 1;
	if (!tz_local_valid(&l))
		return false;
	*out = tz_local_seconds(&l);
	return true;
}

/* Does If-None-Match name 'etag' (or "*")? */
static bool
etag_matches(const char *inm, const char *etag)
{
	const char *p = inm;
	size_t n = strlen(etag);

	if (!inm)
		return false;
	while (*p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 &&
		    (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return true;
		while (*p && *p != ',')
			p++;
	}
	return false;
}

static const struct api_config *
config(struct req *req)
{
	const struct api_thread *t = req->app;

	return t ? t->cfg : NULL;
}

/* "https://crm.example" from --public-url, else from the request. */
static const char *
base_url(struct req *req)
{
	const struct api_config *c = config(req);
	const char *host = req_header(req, "Host");
	const char *proto = req_header(req, "X-Forwarded-Proto");

	if (c && c->public_url)
		return c->public_url;
	if (!proto || (strcmp(proto, "http") != 0 && strcmp(proto, "https")))
		proto = c && c->insecure_cookie ? "http" : "https";
	return arena_printf(req->arena, "%s://%s", proto,
			    host ? host : "localhost");
}

enum av_err
api_feed(struct req *req, struct resp *resp)
{
	struct store *s = api_store(req);
	const char *file = req_param(req, "token");
	int64_t user_id, created_at, version, changed_at, since, today, last;
	struct user u;
	bool limited = false;
	char *text = NULL, *etag;
	size_t len = 0;
	char date[40];
	struct ical_export_opts o = {
	    .method = CAL_METHOD_PUBLISH,
	    .refresh_minutes = FEED_REFRESH_MINUTES,
	};
	enum av_err rc;

	if (feed_limited(s, req->client, &limited, &req->err))
		return req->err.code;
	if (limited) {
		resp_problem(resp, 429, "too_many_requests",
			     "too many wrong feed links from this address; "
			     "try again later");
		(void)resp_header(resp, "Retry-After", "900");
		return AV_EUNAUTH;
	}
	if (feed_owner(s, file, &user_id, &created_at, &req->err)) {
		(void)feed_failed(s, req->client, NULL);
		return av_errorf(&req->err, AV_ENOTFOUND, "no such resource");
	}
	if (store_calendar_version(s, user_id, &version, &changed_at,
				   &req->err))
		return req->err.code;
	/*
	 * The body is a function of the calendar's version, the day (the
	 * window starts a whole UTC day FEED_PAST_S back), the link and the
	 * program, so those make the ETag and an unchanged feed answers 304
	 * without being built.
	 */
	today = store_now() / 86400 * 86400;
	etag = arena_printf(req->arena, "\"%lld-%lld-%lld-%s\"",
			    (long long)version, (long long)(today / 86400),
			    (long long)created_at, AVTALE_VERSION);
	last = changed_at > created_at ? changed_at : created_at;
	if (today > last)
		last = today;
	tz_format_imf(last, false, date, sizeof(date));
	(void)resp_header(resp, "ETag", etag);
	(void)resp_header(resp, "Last-Modified", date);
	(void)resp_header(resp, "Cache-Control", "private, no-cache");
	if (etag_matches(req_header(req, "If-None-Match"), etag) ||
	    (!req_header(req, "If-None-Match") &&
	     parse_http_date(req_header(req, "If-Modified-Since"), &since) &&
	     since >= last)) {
		resp->status = 304;
		return AV_OK;
	}
	if (store_user_get(s, user_id, req->arena, &u, &req->err))
		return req->err.code;
	o.owner_id = user_id;
	o.from = today - FEED_PAST_S;
	o.name = arena_printf(req->arena, "Avtale - %s", u.name);
	if ((rc = ical_export(s, &o, &text, &len, NULL, &req->err)))
		return rc;
	(void)resp_header(resp, "Content-Disposition",
			  "inline; filename=\"avtale.ics\"");
	rc = resp_text(resp, 200, ICS_TYPE, text, len);
	free(text);
	return rc;
}

static json_t *
feed_json(struct req *req, bool active, int64_t created_at, const char *token)
{
	char when[TZ_UTC_SIZE] = "";
	json_t *o = json_object();

	json_object_set_new(o, "active", json_boolean(active));
	json_object_set_new(
	    o, "created_at",
	    active && tz_format_utc(created_at, when, sizeof(when))
		? json_string(when)
		: json_null());
	if (token)
		json_object_set_new(
		    o, "url",
		    json_string(arena_printf(req->arena, "%s/ical/%s.ics",
					     base_url(req), token)));
	return o;
}

enum av_err
api_me_feed_get(struct req *req, struct resp *resp)
{
	int64_t created_at = 0;
	enum av_err rc = store_feed_get(api_store(req), api_actor(req),
					&created_at, &req->err);

	if (rc && rc != AV_ENOTFOUND)
		return rc;
	return resp_json(resp, 200,
			 feed_json(req, rc == AV_OK, created_at, NULL));
}

enum av_err
api_me_feed_create(struct req *req, struct resp *resp)
{
	char token[TOKEN_TEXT_LEN + 1];
	int64_t created_at = 0;

	if (feed_create(api_store(req), api_actor(req), token, &req->err) ||
	    store_feed_get(api_store(req), api_actor(req), &created_at,
			   &req->err))
		return req->err.code;
	return resp_json(resp, 201, feed_json(req, true, created_at, token));
}

enum av_err
api_me_feed_delete(struct req *req, struct resp *resp)
{
	(void)resp;
	return store_feed_delete(api_store(req), api_actor(req), &req->err);
}

enum av_err
api_appointment_ics(struct req *req, struct resp *resp)
{
	struct appointment m;
	int64_t id;
	char *text = NULL;
	size_t len = 0;
	enum av_err rc;

	if (api_path_id(req, "id", &id) ||
	    store_appt_get(api_store(req), id, req->arena, &m, &req->err) ||
	    api_access_appointment(req, &m, ACT_READ))
		return req->err.code;
	rc = ical_export_one(api_store(req), id, true, CAL_METHOD_PUBLISH, 0,
			     &text, &len, &req->err);
	if (rc)
		return rc;
	(void)resp_header(resp, "Content-Disposition",
			  arena_printf(req->arena,
				       "attachment; filename=\"appointment-%lld"
				       ".ics\"",
				       (long long)id));
	rc = resp_text(resp, 200, ICS_TYPE, text, len);
	free(text);
	return rc;
}

static bool
import_visible(void *ctx, const struct contact_match *m)
{
	return api_customer_visible(ctx, m->owner_id, m->territory_id);
}

/* ?owner=EMAIL|me (default me) within the caller's reach. */
static enum av_err
import_owner(struct req *req, int64_t *out)
{
	const char *owner = req_query(req, "owner");
	struct user u;

	*out = api_actor(req);
	if (!owner || !*owner || strcmp(owner, "me") == 0)
		return AV_OK;
	if (store_user_by_email(api_store(req), owner, req->arena, &u,
				&req->err))
		return av_field_errorf(&req->err, AV_EINVAL, "owner",
				       "no user '%s'", owner);
	if (api_access_owner(req, u.id))
		return req->err.code;
	*out = u.id;
	return AV_OK;
}

enum av_err
api_import_ics(struct req *req, struct resp *resp)
{
	const char *ct = req_header(req, "Content-Type");
	const char *dry = req_query(req, "dry_run");
	struct ical_import_opts o = {.actor = api_actor(req)};
	struct ical_import_report rep;
	json_t *body;
	enum av_err rc;

	if (!ct || strncmp(ct, "text/calendar", 13) != 0)
		return av_errorf(&req->err, AV_EUNSUPPORTED,
				 "send the calendar file as text/calendar");
	if (import_owner(req, &o.owner_id) ||
	    api_query_i64(req, "customer", 1, INT64_MAX, 0, &o.customer_id))
		return req->err.code;
	if (o.customer_id &&
	    api_access_customer_id(req, o.customer_id, ACT_READ) != AV_OK)
		return av_field_errorf(&req->err, AV_EINVAL, "customer",
				       "customer %lld does not exist",
				       (long long)o.customer_id);
	o.dry_run = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
	o.visible = import_visible;
	o.visible_ctx = req;
	if (req->body_len == 0)
		return av_errorf(&req->err, AV_EINVAL,
				 "the request body must be a calendar file");
	rc = ical_import(api_store(req), req->body, req->body_len, &o,
			 req->arena, &rep, &req->err);
	if (rc && rc != AV_EINVAL)
		return rc;
	if (rc && rep.n_items == 0 && rep.n_problems == 0)
		return rc;
	body = ical_import_report_json(&rep);
	if (rc) {
		json_object_set_new(body, "status", json_integer(400));
		json_object_set_new(body, "code", json_string("invalid"));
		json_object_set_new(body, "detail", json_string(req->err.msg));
		rc = resp_json(resp, 400, body);
		resp->content_type = "application/problem+json";
		return rc;
	}
	return resp_json(resp, 200, body);
}
