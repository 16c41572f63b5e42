/* SPDX-License-Identifier: MIT */
/*
 * GET /api/v1/calendar: a day, week, month or agenda of one scope in the
 * viewer's zone. The handler reads and checks the query string, resolves
 * users and territories, and leaves ranges, scopes, filters and grouping
 * to service/calendar.c.
 */
#include <stddef.h>
#include <string.h>

#include "api/api.h"
#include "core/tz.h"
#include "service/calendar.h"

#include "core/banned.h"

/* Optional territory parameter 'name' (code or name) into *out. */
static enum av_err
query_territory(struct req *req, const char *name, int64_t *out)
{
	const char *v = req_query(req, name);
	struct territory t;

	if (!v)
		return AV_OK;
	if (store_territory_find(api_store(req), v, req->arena, &t, &req->err))
		return av_field_errorf(&req->err, AV_EINVAL, name,
				       "territory '%s' does not exist", v);
	*out = t.id;
	return AV_OK;
}

/* Optional non-empty text parameter. */
static const char *
query_text(struct req *req, const char *name)
{
	const char *v = req_query(req, name);

	return v && *v ? v : NULL;
}

/* A team calendar or a territory filter beyond the caller's reach: a rep
 * sees no team's calendar, a manager only their own territory's. */
static enum av_err
team_out_of_reach(struct req *req, const struct cal_query *q)
{
	enum policy_reach reach = api_reach(req, RES_CALENDAR, ACT_READ);
	int64_t mine = api_caller(req)->user.territory_id;

	if (reach == POLICY_ALL)
		return AV_OK;
	if (q->scope == CAL_SCOPE_TEAM &&
	    (reach != POLICY_TERRITORY || q->team_territory != mine))
		return av_field_errorf(&req->err, AV_EFORBIDDEN, "team",
				       "you may see the team calendar of your "
				       "own territory only");
	if (q->territory_id && reach == POLICY_TERRITORY &&
	    q->territory_id != mine)
		return av_field_errorf(&req->err, AV_EFORBIDDEN, "territory",
				       "you may filter on your own territory "
				       "only");
	return AV_OK;
}

enum av_err
api_calendar(struct req *req, struct resp *resp)
{
	struct store *s = api_store(req);
	struct cal_query q = {0};
	struct calendar c;
	struct user me, owner;
	const char *view = req_query(req, "view");
	const char *scope = req_query(req, "scope");
	const char *date = req_query(req, "date");
	const char *from = req_query(req, "from");
	const char *to = req_query(req, "to");
	const char *who = req_query(req, "owner");
	const char *tz = req_query(req, "tz");

	me = api_caller(req)->user;
	owner = me;
	if (who && strcmp(who, "me") != 0 &&
	    store_user_by_email(s, who, req->arena, &owner, &req->err))
		return av_field_errorf(&req->err, AV_EINVAL, "owner",
				       "user '%s' does not exist", who);
	if (api_access_owner(req, owner.id))
		return req->err.code;
	q.zone = tz ? tz
		    : (me.time_zone && tz_valid(me.time_zone) ? me.time_zone
							      : "UTC");
	if (!tz_valid(q.zone))
		return av_field_errorf(&req->err, AV_EINVAL, "tz",
				       "unknown time zone '%s'", q.zone);
	q.view = CAL_WEEK;
	if (view && !cal_view_parse(view, &q.view))
		return av_field_errorf(&req->err, AV_EINVAL, "view",
				       "'view' must be day, week, month or "
				       "agenda");
	q.scope = CAL_SCOPE_BOTH;
	if (scope && !cal_scope_parse(scope, &q.scope))
		return av_field_errorf(&req->err, AV_EINVAL, "scope",
				       "'scope' must be both, held, customers "
				       "or team");
	if (date) {
		struct tz_local l;
		if (tz_parse_local(date, "date", &l, &req->err))
			return req->err.code;
		q.year = l.year;
		q.month = l.month;
		q.day = l.day;
	}
	if ((from != NULL) != (to != NULL))
		return av_field_errorf(&req->err, AV_EINVAL,
				       from ? "to" : "from",
				       "give both 'from' and 'to'");
	if (from) {
		if (date)
			return av_field_errorf(&req->err, AV_EINVAL, "date",
					       "give 'date' or 'from' and "
					       "'to', not both");
		if (tz_parse_instant(from, "from", q.zone, &q.from, NULL,
				     &req->err) ||
		    tz_parse_instant(to, "to", q.zone, &q.to, NULL, &req->err))
			return req->err.code;
		if (q.to <= q.from)
			return av_field_errorf(&req->err, AV_EINVAL, "to",
					       "'to' must be after 'from'");
	}
	q.owner_id = owner.id;
	q.team_territory = owner.territory_id;
	if (query_territory(req, "team", &q.team_territory) ||
	    query_territory(req, "territory", &q.territory_id))
		return req->err.code;
	if (q.scope == CAL_SCOPE_TEAM && !q.team_territory)
		return av_field_errorf(&req->err, AV_EINVAL, "team",
				       "the team view needs a territory "
				       "('team', or the owner's own)");
	if (team_out_of_reach(req, &q))
		return req->err.code;
	q.types = query_text(req, "type");
	q.channels = query_text(req, "channel");
	q.statuses = query_text(req, "status");
	if (calendar_build(s, &q, req->arena, &c, &req->err))
		return req->err.code;
	return resp_json(resp, 200, calendar_to_json(&c));
}
