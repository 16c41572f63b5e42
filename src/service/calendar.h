/* SPDX-License-Identifier: MIT */
/*
 * Calendars: the occurrences of one scope (held, customers owned, both, or
 * a territory's team) in a day, week, month or agenda range, filtered and
 * grouped by local day of the viewer's zone. Day boundaries come from
 * core/tz.h only (23- and 25-hour days on DST changes). Shared by the API
 * and the CLI; no HTTP, no printing.
 */
#ifndef AV_CALENDAR_H
#define AV_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "service/appointments.h"
#include "store/store.h"

/* What range a calendar covers. */
enum cal_view {
	CAL_DAY,    /* the anchor date */
	CAL_WEEK,   /* the ISO week (Monday..Sunday) of the anchor date */
	CAL_MONTH,  /* the month of the anchor date */
	CAL_AGENDA, /* 7 days from the anchor date, only days with items */
	CAL__MAX
};

/* Whose appointments. */
enum cal_scope {
	CAL_SCOPE_BOTH,	     /* held by the owner or with customers they own */
	CAL_SCOPE_HELD,	     /* held by the owner */
	CAL_SCOPE_CUSTOMERS, /* with customers the owner owns, whoever holds */
	CAL_SCOPE_TEAM,	     /* held by any user of a territory */
	CAL_SCOPE__MAX
};

/* Longest explicit range, in days. */
enum { CAL_DAYS_MAX = 366 };

/* The question. Strings are borrowed for the call. */
struct cal_query {
	const char *zone;	/* viewer's IANA zone (validated) */
	enum cal_view view;	/* which range */
	int year, month, day;	/* anchor date; year 0 = today in 'zone' */
	int64_t from, to;	/* explicit range when to > from: widened to
				   whole local days, overrides the view's */
	enum cal_scope scope;	/* whose appointments */
	int64_t owner_id;	/* the owner of the view (not TEAM) */
	int64_t team_territory; /* TEAM: the territory's users */
	const char *types;	/* comma list of types, NULL = any */
	const char *channels;	/* comma list of channels, NULL = any */
	const char *statuses;	/* comma list of statuses, NULL = any */
	int64_t territory_id;	/* customers' current territory, 0 = any */
};

/* One occurrence on one day. */
struct cal_item {
	const struct occurrence *occ; /* borrowed from struct calendar */
	bool continued;		      /* began before this day */
	bool continues;		      /* goes on after this day */
};

/* One local day. */
struct cal_day {
	int year, month, day;	/* the local date */
	int weekday;		/* 1 = Monday .. 7 = Sunday */
	int64_t start, end;	/* its first instant and the next day's */
	struct cal_item *items; /* arena; sorted by start */
	size_t n_items;		/* how many */
};

/* The answer; everything lives in the arena passed to calendar_build. */
struct calendar {
	enum cal_view view;	/* as asked */
	const char *zone;	/* the viewer's zone (arena copy) */
	int64_t from, to;	/* the range covered: whole local days */
	struct cal_day *days;	/* every day of the range, in order */
	size_t n_days;		/* how many */
	struct occurrence *occ; /* filtered, deduplicated, by start */
	size_t n_occ;		/* how many */
};

/* View names "day", "week", "month", "agenda" and scope names "both",
 * "held", "customers", "team". Parse returns false for unknown text. */
const char *cal_view_name(enum cal_view v);
bool cal_view_parse(const char *s, enum cal_view *out);
const char *cal_scope_name(enum cal_scope s);
bool cal_scope_parse(const char *s, enum cal_scope *out);

/*
 * Build the calendar for 'q'. Errors: AV_EINVAL naming the field ("date",
 * "to", "type", "channel", "status", "time_zone") for bad input,
 * AV_ETOOBIG when the range holds more than OCC_MAX occurrences, store
 * errors as they come. Not thread-safe for one store (as the store).
 */
enum av_err calendar_build(struct store *s, const struct cal_query *q,
			   struct arena *a, struct calendar *out,
			   struct av_error *err);

/*
 * The calendar as JSON: {"view","time_zone","from","to","days":[{"date",
 * "start","end","hours","items":[appointment...]}]}; agenda lists only
 * days with items. Items carry "continued"/"continues" for appointments
 * that span midnight. New reference.
 */
json_t *calendar_to_json(const struct calendar *c);

#endif
