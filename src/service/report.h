/* SPDX-License-Identifier: MIT */
/*
 * Reports on past appointments and the contact rate per territory, with
 * their exports (CSV safe against formula injection, JSON, SVG charts).
 * Periods are cut in the viewer's zone with core/tz.h and counted with
 * indexed range queries per period; nothing here groups by a date function.
 * Used by the API and the CLI alike; results live in the caller's arena.
 */
#ifndef AV_REPORT_H
#define AV_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

/* How the appointments report groups its rows. */
enum report_group {
	RG_DAY,
	RG_WEEK, /* ISO weeks, Monday first */
	RG_MONTH,
	RG_YEAR,
	RG_REP,
	RG_TERRITORY,
	RG_TYPE,
	RG_CHANNEL,
	RG_OUTCOME,
	RG__MAX
};

enum { REPORT_PERIODS_MAX = 4000 }; /* time buckets per report */

/* "day", "week", ...; parse is exact. */
const char *report_group_name(enum report_group g);
bool report_group_parse(const char *s, enum report_group *out);

/* The definitions printed with each report (static text). */
extern const char report_appt_definition[];
extern const char report_contact_definition[];

struct report_appt_query {
	int64_t from;	      /* UTC, inclusive */
	int64_t to;	      /* UTC, exclusive */
	const char *zone;     /* borrowed: the viewer's IANA zone */
	enum report_group by; /* grouping */
	int64_t territory_id; /* 0 = all; else only appointments whose
				 customer was in it at the time */
};

/* One row: a period or a group. */
struct report_appt_row {
	const char *key;      /* arena: "2025-03-30", "2025-W13", "2025-03",
				 "2025", a rep's e-mail, a territory code... */
	int64_t from, to;     /* the period's bounds (time groupings) */
	int64_t total;	      /* appointments counted */
	int64_t by_status[4]; /* indexed by enum appt_status */
	int64_t *by_outcome;  /* arena: n_outcomes counts */
	int64_t reschedules;  /* sum of reschedule counts */
	int64_t lead_sum_s;   /* sum of start - booked */
};

struct report_appt {
	struct report_appt_query q;   /* as asked */
	const char **outcomes;	      /* arena: outcome columns ("" = none) */
	size_t n_outcomes;	      /* columns */
	struct report_appt_row *rows; /* arena */
	size_t n_rows;		      /* rows */
	struct report_appt_row sum;   /* every row together (key "total") */
};

/*
 * Build the appointments report. AV_EINVAL for to <= from, an unknown
 * zone or too many periods (REPORT_PERIODS_MAX).
 */
enum av_err report_appointments(struct store *s,
				const struct report_appt_query *q,
				struct arena *a, struct report_appt *out,
				struct av_error *err);

struct report_contact_query {
	int64_t from;	      /* UTC, inclusive */
	int64_t to;	      /* UTC, exclusive */
	const char *zone;     /* borrowed: for display */
	int64_t territory_id; /* 0 = every territory */
	bool prospects;	      /* count prospects as customers too */
};

/* Rates of one territory, or of one rep inside a territory. */
struct report_rate {
	int64_t territory_id; /* the territory */
	const char *code;     /* arena: territory code */
	int64_t owner_id;     /* the rep (0 for the territory line) */
	const char *owner;    /* arena: rep's e-mail, NULL for territory */
	int64_t contacts;     /* held appointments attributed */
	int64_t customers;    /* customers at the end of the period */
	int64_t covered;      /* customers with at least one contact */
	bool has_rate;	      /* customers > 0 */
	double rate;	      /* contacts / customers when has_rate */
	double coverage;      /* covered / customers when has_rate */
};

/* A customer not contacted in the period (drill-down). */
struct report_uncontacted {
	int64_t territory_id;	     /* territory at the end */
	const char *code;	     /* arena: territory code */
	int64_t customer_id;	     /* the customer */
	const char *customer_number; /* arena */
	const char *name;	     /* arena */
	const char *owner;	     /* arena: owner's e-mail at the end */
};

struct report_contact {
	struct report_contact_query q;	 /* as asked */
	struct report_rate *territories; /* arena: one per territory */
	size_t n_territories;		 /* lines */
	struct report_rate *reps;	 /* arena: per rep in territory */
	size_t n_reps;			 /* lines */
	struct report_uncontacted *uncontacted; /* arena: drill-down */
	size_t n_uncontacted;			/* customers */
};

/* Build the contact-rate report. AV_EINVAL for to <= from. */
enum av_err report_contact_rate(struct store *s,
				const struct report_contact_query *q,
				struct arena *a, struct report_contact *out,
				struct av_error *err);

/*
 * Append one CSV cell to 'b': quoted when it holds 'sep', '"', CR or LF;
 * a cell starting with =, +, -, @, tab or CR gets a leading ' so that a
 * spreadsheet reads it as text (formula injection).
 */
void report_csv_cell(struct buf *b, const char *text, char sep);

/* Exports: CSV (UTF-8 BOM, CRLF lines, 'sep' ',' or ';'), JSON (new
 * reference), SVG (escaped text, no script). */
void report_appt_csv(const struct report_appt *r, char sep, struct buf *b);
json_t *report_appt_json(const struct report_appt *r);
void report_appt_svg(const struct report_appt *r, struct buf *b);
void report_contact_csv(const struct report_contact *r, char sep,
			struct buf *b);
void report_uncontacted_csv(const struct report_contact *r, char sep,
			    struct buf *b);
json_t *report_contact_json(const struct report_contact *r);
json_t *report_uncontacted_json(const struct report_contact *r);
void report_contact_svg(const struct report_contact *r, struct buf *b);

/* Append 'text' with & < > " ' escaped, for SVG and HTML. */
void report_xml_escape(struct buf *b, const char *text);

#endif
