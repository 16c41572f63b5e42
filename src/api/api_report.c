/* SPDX-License-Identifier: MIT */
/*
 * /api/v1/reports/...: the appointments report, the contact rate per
 * territory and its drill-down, as JSON, CSV (text/csv with a UTF-8 BOM,
 * formula injection neutralised) or SVG (no script). Handlers only parse
 * the query; counting and rendering live in service/report.c.
 */
#include <string.h>

#include "api/api.h"
#include "core/tz.h"
#include "service/report.h"

#include "core/banned.h"

enum out_format { OUT_JSON, OUT_CSV, OUT_SVG };

/* The query parameters every report shares. */
struct common {
	int64_t from, to;     /* UTC */
	const char *zone;     /* tz=, default the user's zone */
	int64_t territory_id; /* territory=, 0 for all */
	enum out_format fmt;  /* format= */
	char sep;	      /* sep= ',' or ';' */
};

static enum av_err
instant(struct req *req, const char *name, const char *zone, int64_t *out)
{
	const char *v = req_query(req, name);

	if (!v || !*v)
		return av_field_errorf(&req->err, AV_EINVAL, name,
				       "'%s' is required (a date or an RFC "
				       "3339 time)",
				       name);
	return tz_parse_instant(v, name, zone, out, NULL, &req->err);
}

static enum av_err
parse_common(struct req *req, bool svg_ok, struct common *c)
{
	struct store *s = api_store(req);
	struct user me;
	const char *tz = req_query(req, "tz");
	const char *fmt = req_query(req, "format");
	const char *sep = req_query(req, "sep");
	const char *terr = req_query(req, "territory");

	memset(c, 0, sizeof(*c));
	me = api_caller(req)->user;
	c->zone = me.time_zone && tz_valid(me.time_zone) ? me.time_zone : "UTC";
	if (tz && *tz) {
		if (!tz_valid(tz))
			return av_field_errorf(&req->err, AV_EINVAL, "tz",
					       "unknown time zone '%s'", tz);
		c->zone = tz;
	}
	if (instant(req, "from", c->zone, &c->from) ||
	    instant(req, "to", c->zone, &c->to))
		return req->err.code;
	if (c->to <= c->from)
		return av_field_errorf(&req->err, AV_EINVAL, "to",
				       "'to' must be after 'from'");
	if (!fmt || strcmp(fmt, "json") == 0)
		c->fmt = OUT_JSON;
	else if (strcmp(fmt, "csv") == 0)
		c->fmt = OUT_CSV;
	else if (svg_ok && strcmp(fmt, "svg") == 0)
		c->fmt = OUT_SVG;
	else
		return av_field_errorf(&req->err, AV_EINVAL, "format",
				       svg_ok ? "'format' must be json, csv or "
						"svg"
					      : "'format' must be json or csv");
	c->sep = ',';
	if (sep && strcmp(sep, ";") == 0)
		c->sep = ';';
	else if (sep && strcmp(sep, ",") != 0)
		return av_field_errorf(&req->err, AV_EINVAL, "sep",
				       "'sep' must be ',' or ';'");
	if (terr && *terr) {
		struct territory t;

		if (store_territory_find(s, terr, req->arena, &t, &req->err))
			return av_field_errorf(
			    &req->err, AV_EINVAL, "territory",
			    "territory '%s' does not exist", terr);
		c->territory_id = t.id;
	}
	/* a manager's reports cover their own territory */
	if (api_reach(req, RES_REPORT, ACT_READ) == POLICY_TERRITORY) {
		if (c->territory_id && c->territory_id != me.territory_id)
			return av_field_errorf(&req->err, AV_EFORBIDDEN,
					       "territory",
					       "you may report on your own "
					       "territory only");
		if (!me.territory_id)
			return av_errorf(&req->err, AV_EFORBIDDEN,
					 "reports need a territory: ask an "
					 "admin to set yours");
		c->territory_id = me.territory_id;
	}
	return AV_OK;
}

/* Send 'b' (released here) as CSV or SVG. */
static enum av_err
send_buf(struct req *req, struct resp *resp, struct buf *b, bool csv,
	 const char *filename)
{
	enum av_err rc;

	if (buf_failed(b)) {
		buf_release(b);
		return av_errorf(&req->err, AV_ETOOBIG,
				 "the report is too big");
	}
	if (csv)
		resp_header(resp, "Content-Disposition",
			    arena_printf(req->arena,
					 "attachment; filename=\"%s.csv\"",
					 filename));
	rc = resp_text(resp, 200,
		       csv ? "text/csv; charset=utf-8"
			   : "image/svg+xml; charset=utf-8",
		       b->p, b->len);
	buf_release(b);
	if (rc)
		return av_errorf(&req->err, rc, "the report is too big");
	return AV_OK;
}

enum av_err
api_report_appointments(struct req *req, struct resp *resp)
{
	struct common c;
	struct report_appt r;
	struct report_appt_query q;
	const char *by = req_query(req, "group_by");
	struct buf b;

	if (parse_common(req, true, &c))
		return req->err.code;
	memset(&q, 0, sizeof(q));
	q.from = c.from;
	q.to = c.to;
	q.zone = c.zone;
	q.territory_id = c.territory_id;
	q.by = RG_DAY;
	if (by && *by && !report_group_parse(by, &q.by))
		return av_field_errorf(&req->err, AV_EINVAL, "group_by",
				       "'group_by' must be day, week, month, "
				       "year, rep, territory, type, channel "
				       "or outcome");
	if (report_appointments(api_store(req), &q, req->arena, &r, &req->err))
		return req->err.code;
	if (c.fmt == OUT_JSON)
		return resp_json(resp, 200, report_appt_json(&r));
	buf_init(&b, RESP_BODY_MAX);
	if (c.fmt == OUT_CSV)
		report_appt_csv(&r, c.sep, &b);
	else
		report_appt_svg(&r, &b);
	return send_buf(req, resp, &b, c.fmt == OUT_CSV, "appointments");
}

static enum av_err
contact_report(struct req *req, struct common *c, bool svg_ok,
	       struct report_contact *r)
{
	struct report_contact_query q;
	const char *p = req_query(req, "prospects");

	if (parse_common(req, svg_ok, c))
		return req->err.code;
	memset(&q, 0, sizeof(q));
	q.from = c->from;
	q.to = c->to;
	q.zone = c->zone;
	q.territory_id = c->territory_id;
	if (p && (strcmp(p, "true") == 0 || strcmp(p, "1") == 0))
		q.prospects = true;
	else if (p && strcmp(p, "false") != 0 && strcmp(p, "0") != 0)
		return av_field_errorf(&req->err, AV_EINVAL, "prospects",
				       "'prospects' must be true or false");
	return report_contact_rate(api_store(req), &q, req->arena, r,
				   &req->err);
}

enum av_err
api_report_contact_rate(struct req *req, struct resp *resp)
{
	struct common c;
	struct report_contact r;
	struct buf b;

	if (contact_report(req, &c, true, &r))
		return req->err.code;
	if (c.fmt == OUT_JSON)
		return resp_json(resp, 200, report_contact_json(&r));
	buf_init(&b, RESP_BODY_MAX);
	if (c.fmt == OUT_CSV)
		report_contact_csv(&r, c.sep, &b);
	else
		report_contact_svg(&r, &b);
	return send_buf(req, resp, &b, c.fmt == OUT_CSV, "contact-rate");
}

enum av_err
api_report_uncontacted(struct req *req, struct resp *resp)
{
	struct common c;
	struct report_contact r;
	struct buf b;

	if (contact_report(req, &c, false, &r))
		return req->err.code;
	if (c.fmt == OUT_JSON) {
		json_t *o = json_object();

		json_object_set_new(o, "definition",
				    json_string(report_contact_definition));
		json_object_set_new(o, "items", report_uncontacted_json(&r));
		return resp_json(resp, 200, o);
	}
	buf_init(&b, RESP_BODY_MAX);
	report_uncontacted_csv(&r, c.sep, &b);
	return send_buf(req, resp, &b, true, "uncontacted");
}
