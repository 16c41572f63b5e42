/* SPDX-License-Identifier: MIT */
/*
 * Reports: period boundaries from core/tz.h in the viewer's zone (never
 * "+86400"), one indexed range count per period from the store, and the
 * territory a customer had when an appointment was held. Exports escape by
 * construction: CSV cells are neutralised against formula injection, SVG
 * text goes through report_xml_escape. No I/O besides the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/tz.h"
#include "domain/appointment.h"
#include "service/report.h"

#include "core/banned.h"

static const char *const group_names[RG__MAX] = {
    [RG_DAY] = "day",	[RG_WEEK] = "week",	  [RG_MONTH] = "month",
    [RG_YEAR] = "year", [RG_REP] = "rep",	  [RG_TERRITORY] = "territory",
    [RG_TYPE] = "type", [RG_CHANNEL] = "channel", [RG_OUTCOME] = "outcome",
};
_Static_assert(sizeof(group_names) / sizeof(group_names[0]) == RG__MAX,
	       "one name per grouping");

const char report_appt_definition[] =
    "Appointments report: every appointment whose start lies in [from, to), "
    "counted by status (scheduled, completed = held, cancelled, no_show) "
    "and outcome. Periods (day, ISO week starting Monday, month, year) are "
    "cut in the report's time zone, so an appointment counts on the local "
    "day it starts. Territory = the customer's territory when the "
    "appointment started (its first recorded territory for appointments "
    "before the record existed); rep = the user holding it. Reschedules = times "
    "the appointments were moved. Average lead time = mean of (start - "
    "booked), in days. Only stored appointments count: single ones and "
    "changed occurrences of a series; occurrences of a recurring series "
    "that were never changed are scheduled-only and not counted.";

const char report_contact_definition[] =
    "Contact rate: contacts = appointments held (status completed) that "
    "started in [from, to) with customers of the territory, each counted "
    "for the territory (and owner) its customer had when it was held (its "
    "first recorded one for appointments before the record existed), so "
    "moving a customer later does not rewrite history. customers = "
    "customers (not prospects, unless asked) that belonged to the "
    "territory at the end of the period (its last second), by current "
    "status. contact rate = contacts / customers. coverage = customers "
    "with at least one contact for the territory / customers. A territory "
    "without customers shows no rate. Per rep: the same with the "
    "customer's owner. Uncontacted: customers of the territory at the end "
    "of the period without a contact for it. Only stored appointments "
    "count (never-changed occurrences of a series are scheduled-only).";

const char *
report_group_name(enum report_group g)
{
	return (unsigned)g < RG__MAX ? group_names[g] : "?";
}

bool
report_group_parse(const char *s, enum report_group *out)
{
	for (int i = 0; s && i < RG__MAX; i++) {
		if (strcmp(s, group_names[i]) == 0) {
			*out = (enum report_group)i;
			return true;
		}
	}
	return false;
}

/* ---- periods ---- */

static bool
is_time_group(enum report_group g)
{
	return g == RG_DAY || g == RG_WEEK || g == RG_MONTH || g == RG_YEAR;
}

/* The local date 'days' after y-m-d (pure calendar arithmetic). */
static void
date_add(int *y, int *m, int *d, int days)
{
	struct tz_local l = {.year = *y, .month = *m, .day = *d};

	tz_local_from_seconds(tz_local_seconds(&l) + (int64_t)days * 86400, &l);
	*y = l.year;
	*m = l.month;
	*d = l.day;
}

/*
 * The period of 'by' that contains instant 't' in 'zone': its first
 * instant, the next period's first instant and its label.
 */
static enum av_err
period_of(const char *zone, enum report_group by, int64_t t, int64_t *start,
	  int64_t *next, char *label, size_t size, struct av_error *err)
{
	struct tz_local l;
	int y, m, d, wy, w;

	if (tz_utc_to_local(zone, t, &l, NULL, err))
		return err->code;
	y = l.year;
	m = l.month;
	d = l.day;
	switch (by) {
	case RG_DAY:
		str_printf(label, size, "%04d-%02d-%02d", y, m, d);
		break;
	case RG_WEEK:
		w = tz_iso_week(y, m, d, &wy);
		str_printf(label, size, "%04d-W%02d", wy, w);
		date_add(&y, &m, &d, 1 - tz_weekday(y, m, d));
		break;
	case RG_MONTH:
		str_printf(label, size, "%04d-%02d", y, m);
		d = 1;
		break;
	default:
		str_printf(label, size, "%04d", y);
		m = d = 1;
		break;
	}
	if (tz_day_start(zone, y, m, d, start, err))
		return err->code;
	switch (by) {
	case RG_DAY:
		date_add(&y, &m, &d, 1);
		break;
	case RG_WEEK:
		date_add(&y, &m, &d, 7);
		break;
	case RG_MONTH:
		if (++m > 12) {
			m = 1;
			y++;
		}
		break;
	default:
		y++;
		break;
	}
	return tz_day_start(zone, y, m, d, next, err);
}

/* ---- the appointments report ---- */

static size_t
outcome_col(struct report_appt *r, struct arena *a, const char *outcome,
	    size_t *cap)
{
	for (size_t i = 0; i < r->n_outcomes; i++)
		if (strcmp(r->outcomes[i], outcome) == 0)
			return i;
	if (r->n_outcomes == *cap)
		r->outcomes = arena_grow(a, r->outcomes, r->n_outcomes, cap,
					 sizeof(*r->outcomes));
	r->outcomes[r->n_outcomes] = arena_strdup(a, outcome);
	return r->n_outcomes++;
}

static void
row_init(struct report_appt_row *row, const char *key, struct arena *a,
	 size_t n_cols)
{
	memset(row, 0, sizeof(*row));
	row->key = key;
	row->by_outcome =
	    arena_alloc(a, (n_cols ? n_cols : 1) * sizeof(int64_t));
	memset(row->by_outcome, 0, (n_cols ? n_cols : 1) * sizeof(int64_t));
}

static void
row_add(struct report_appt_row *row, const struct report_count *c, size_t col)
{
	enum appt_status st;

	row->total += c->n;
	if (appt_status_parse(c->status, &st))
		row->by_status[st] += c->n;
	row->by_outcome[col] += c->n;
	row->reschedules += c->reschedules;
	row->lead_sum_s += c->lead_sum_s;
}

/* The group key of a count for the non-time groupings. */
static const char *
group_key(const struct report_count *c, enum report_group by,
	  const struct user *users, size_t n_users,
	  const struct territory *terrs, size_t n_terrs)
{
	switch (by) {
	case RG_REP:
		for (size_t i = 0; i < n_users; i++)
			if (users[i].id == c->owner_id)
				return users[i].email;
		return "?";
	case RG_TERRITORY:
		for (size_t i = 0; i < n_terrs; i++)
			if (terrs[i].id == c->territory_id)
				return terrs[i].code;
		return "(none)";
	case RG_TYPE:
		return c->type;
	case RG_CHANNEL:
		return c->channel;
	default:
		return *c->outcome ? c->outcome : "(none)";
	}
}

/* Counts of each period, kept until the outcome columns are known. */
struct period_counts {
	struct report_count *v; /* arena */
	size_t n;		/* entries */
};

static enum av_err
collect_periods(struct store *s, const struct report_appt_query *q,
		struct arena *a, struct report_appt *out,
		struct period_counts **pc_out, struct av_error *err)
{
	size_t cap = 64;
	struct period_counts *pc = arena_alloc(a, cap * sizeof(*pc));
	int64_t t = q->from;

	out->rows = arena_alloc(a, cap * sizeof(*out->rows));
	while (t < q->to) {
		int64_t start, next;
		char label[16];

		if (out->n_rows == REPORT_PERIODS_MAX)
			return av_field_errorf(err, AV_EINVAL, "to",
					       "a report has at most %d "
					       "periods",
					       REPORT_PERIODS_MAX);
		if (period_of(q->zone, q->by, t, &start, &next, label,
			      sizeof(label), err))
			return err->code;
		if (next <= t) /* cannot happen: periods are never empty */
			return av_errorf(err, AV_EINTERNAL, "empty period");
		if (out->n_rows == cap) {
			size_t pcap = cap; /* both arrays grow together */

			out->rows = arena_grow(a, out->rows, cap, &cap,
					       sizeof(*out->rows));
			pc = arena_grow(a, pc, pcap, &pcap, sizeof(*pc));
		}
		out->rows[out->n_rows].key = arena_strdup(a, label);
		out->rows[out->n_rows].from = start < q->from ? q->from : start;
		out->rows[out->n_rows].to = next > q->to ? q->to : next;
		if (store_report_appt_counts(s, out->rows[out->n_rows].from,
					     out->rows[out->n_rows].to, a,
					     &pc[out->n_rows].v,
					     &pc[out->n_rows].n, err))
			return err->code;
		out->n_rows++;
		t = next;
	}
	*pc_out = pc;
	return AV_OK;
}

enum av_err
report_appointments(struct store *s, const struct report_appt_query *q,
		    struct arena *a, struct report_appt *out,
		    struct av_error *err)
{
	struct period_counts *pc = NULL;
	struct report_count *all = NULL;
	struct user *users = NULL;
	struct territory *terrs = NULL;
	size_t n_users = 0, n_terrs = 0, n_all = 0, cap = 16;
	const char **codes;
	enum av_err rc;

	memset(out, 0, sizeof(*out));
	out->q = *q;
	if (q->to <= q->from)
		return av_field_errorf(err, AV_EINVAL, "to",
				       "'to' must be after 'from'");
	if (!q->zone || !tz_valid(q->zone))
		return av_field_errorf(err, AV_EINVAL, "tz",
				       "unknown time zone '%s'",
				       q->zone ? q->zone : "");
	if ((unsigned)q->by >= RG__MAX)
		return av_field_errorf(err, AV_EINVAL, "group_by",
				       "unknown grouping");
	if ((rc = store_begin_read(s, err)))
		return rc;
	if ((rc = store_user_list(s, a, &users, &n_users, err)) ||
	    (rc = store_territory_list(s, a, &terrs, &n_terrs, err)) ||
	    (rc = store_code_list(s, "outcome", a, &codes, err)))
		goto out;
	if (is_time_group(q->by))
		rc = collect_periods(s, q, a, out, &pc, err);
	else
		rc = store_report_appt_counts(s, q->from, q->to, a, &all,
					      &n_all, err);
	if (rc)
		goto out;

	/* outcome columns: "" (none) first, the configured list, then any
	 * other stored code */
	out->outcomes = arena_alloc(a, cap * sizeof(*out->outcomes));
	outcome_col(out, a, "", &cap);
	for (size_t i = 0; codes[i]; i++)
		outcome_col(out, a, codes[i], &cap);
	for (size_t p = 0; pc && p < out->n_rows; p++)
		for (size_t i = 0; i < pc[p].n; i++)
			outcome_col(out, a, pc[p].v[i].outcome, &cap);
	for (size_t i = 0; i < n_all; i++)
		outcome_col(out, a, all[i].outcome, &cap);

	row_init(&out->sum, "total", a, out->n_outcomes);
	if (pc) {
		for (size_t p = 0; p < out->n_rows; p++) {
			struct report_appt_row *row = &out->rows[p];
			int64_t f = row->from, t = row->to;

			row_init(row, row->key, a, out->n_outcomes);
			row->from = f;
			row->to = t;
			for (size_t i = 0; i < pc[p].n; i++) {
				const struct report_count *c = &pc[p].v[i];
				size_t col;

				if (q->territory_id &&
				    c->territory_id != q->territory_id)
					continue;
				col = outcome_col(out, a, c->outcome, &cap);
				row_add(row, c, col);
				row_add(&out->sum, c, col);
			}
		}
	} else {
		size_t rcap = 16;

		out->rows = arena_alloc(a, rcap * sizeof(*out->rows));
		for (size_t i = 0; i < n_all; i++) {
			const struct report_count *c = &all[i];
			const char *key;
			size_t r, col;

			if (q->territory_id &&
			    c->territory_id != q->territory_id)
				continue;
			key =
			    group_key(c, q->by, users, n_users, terrs, n_terrs);
			for (r = 0; r < out->n_rows; r++)
				if (strcmp(out->rows[r].key, key) == 0)
					break;
			if (r == out->n_rows) {
				if (r == rcap)
					out->rows =
					    arena_grow(a, out->rows, r, &rcap,
						       sizeof(*out->rows));
				row_init(&out->rows[r], key, a,
					 out->n_outcomes);
				out->n_rows++;
			}
			col = outcome_col(out, a, c->outcome, &cap);
			row_add(&out->rows[r], c, col);
			row_add(&out->sum, c, col);
		}
	}
out:
	store_rollback(s);
	return rc;
}

/* ---- the contact rate ---- */

static const char *
territory_code(const struct territory *t, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].code;
	return "?";
}

static const char *
user_email(const struct user *u, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (u[i].id == id)
			return u[i].email;
	return "?";
}

/* True if 'held' (ordered by territory, customer) has a contact of
 * customer 'cust' in territory 'terr'. */
static bool
was_contacted(const struct report_held *held, size_t n, int64_t terr,
	      int64_t cust)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct report_held *h = &held[mid];

		if (h->territory_id < terr ||
		    (h->territory_id == terr && h->customer_id < cust))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && held[lo].territory_id == terr &&
	       held[lo].customer_id == cust;
}

static struct report_rate *
rate_line(struct report_rate **v, size_t *n, size_t *cap, struct arena *a,
	  int64_t terr, int64_t owner)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].territory_id == terr && (*v)[i].owner_id == owner)
			return &(*v)[i];
	if (*n == *cap)
		*v = arena_grow(a, *v, *n, cap, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].territory_id = terr;
	(*v)[*n].owner_id = owner;
	return &(*v)[(*n)++];
}

static void
rate_finish(struct report_rate *r)
{
	r->has_rate = r->customers > 0;
	if (r->has_rate) {
		r->rate = (double)r->contacts / (double)r->customers;
		r->coverage = (double)r->covered / (double)r->customers;
	}
}

static int
cmp_rep_line(const void *x, const void *y)
{
	const struct report_rate *a = x, *b = y;
	int c = strcmp(a->code, b->code);

	return c ? c : strcmp(a->owner, b->owner);
}

enum av_err
report_contact_rate(struct store *s, const struct report_contact_query *q,
		    struct arena *a, struct report_contact *out,
		    struct av_error *err)
{
	struct report_held *held;
	struct report_member *mem;
	struct user *users;
	struct territory *terrs;
	size_t n_held, n_mem, n_users, n_terrs, cap_r = 16, cap_u = 16;
	enum av_err rc;

	memset(out, 0, sizeof(*out));
	out->q = *q;
	if (q->to <= q->from)
		return av_field_errorf(err, AV_EINVAL, "to",
				       "'to' must be after 'from'");
	if ((rc = store_begin_read(s, err)))
		return rc;
	if ((rc = store_user_list(s, a, &users, &n_users, err)) ||
	    (rc = store_territory_list(s, a, &terrs, &n_terrs, err)) ||
	    (rc = store_report_held(s, q->from, q->to, q->prospects, a, &held,
				    &n_held, err)) ||
	    (rc = store_report_customers_at(s, q->to - 1, q->prospects, a, &mem,
					    &n_mem, err)))
		goto out;

	/* one line per territory (in code order), empty ones included */
	out->territories =
	    arena_alloc(a, (n_terrs ? n_terrs : 1) * sizeof(*out->territories));
	for (size_t i = 0; i < n_terrs; i++) {
		struct report_rate *t;

		if (q->territory_id && terrs[i].id != q->territory_id)
			continue;
		t = &out->territories[out->n_territories++];
		memset(t, 0, sizeof(*t));
		t->territory_id = terrs[i].id;
		t->code = terrs[i].code;
	}
	out->reps = arena_alloc(a, cap_r * sizeof(*out->reps));
	out->uncontacted = arena_alloc(a, cap_u * sizeof(*out->uncontacted));
	for (size_t i = 0; i < n_held; i++) {
		const struct report_held *h = &held[i];
		struct report_rate *rep;

		if (q->territory_id && h->territory_id != q->territory_id)
			continue;
		for (size_t t = 0; t < out->n_territories; t++)
			if (out->territories[t].territory_id == h->territory_id)
				out->territories[t].contacts += h->n;
		rep = rate_line(&out->reps, &out->n_reps, &cap_r, a,
				h->territory_id, h->owner_id);
		rep->contacts += h->n;
	}
	for (size_t i = 0; i < n_mem; i++) {
		const struct report_member *m = &mem[i];
		bool hit;
		struct report_rate *rep;

		if (q->territory_id && m->territory_id != q->territory_id)
			continue;
		hit = was_contacted(held, n_held, m->territory_id,
				    m->customer_id);
		for (size_t t = 0; t < out->n_territories; t++) {
			if (out->territories[t].territory_id != m->territory_id)
				continue;
			out->territories[t].customers++;
			out->territories[t].covered += hit;
		}
		rep = rate_line(&out->reps, &out->n_reps, &cap_r, a,
				m->territory_id, m->owner_id);
		rep->customers++;
		rep->covered += hit;
		if (!hit) {
			struct report_uncontacted *u;

			if (out->n_uncontacted == cap_u)
				out->uncontacted = arena_grow(
				    a, out->uncontacted, cap_u, &cap_u,
				    sizeof(*out->uncontacted));
			u = &out->uncontacted[out->n_uncontacted++];
			u->territory_id = m->territory_id;
			u->code =
			    territory_code(terrs, n_terrs, m->territory_id);
			u->customer_id = m->customer_id;
			u->customer_number = m->customer_number;
			u->name = m->name;
			u->owner = user_email(users, n_users, m->owner_id);
		}
	}
	for (size_t t = 0; t < out->n_territories; t++)
		rate_finish(&out->territories[t]);
	for (size_t r = 0; r < out->n_reps; r++) {
		out->reps[r].code =
		    territory_code(terrs, n_terrs, out->reps[r].territory_id);
		out->reps[r].owner =
		    user_email(users, n_users, out->reps[r].owner_id);
		rate_finish(&out->reps[r]);
	}
	if (out->n_reps > 1)
		qsort(out->reps, out->n_reps, sizeof(*out->reps), cmp_rep_line);
out:
	store_rollback(s);
	return rc;
}

/* ---- CSV ---- */

void
report_csv_cell(struct buf *b, const char *text, char sep)
{
	const char *t = text ? text : "";
	bool quote = false;

	for (const char *p = t; *p; p++)
		if (*p == sep || *p == '"' || *p == '\r' || *p == '\n')
			quote = true;
	if (quote)
		buf_addc(b, '"');
	if (*t == '=' || *t == '+' || *t == '-' || *t == '@' || *t == '\t' ||
	    *t == '\r')
		buf_addc(b, '\'');
	for (const char *p = t; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	if (quote)
		buf_addc(b, '"');
}

static void
csv_i64(struct buf *b, int64_t v, char sep)
{
	buf_addc(b, sep);
	buf_addf(b, "%lld", (long long)v);
}

/* A number with a decimal point (never a locale's comma). */
static void
csv_num(struct buf *b, bool has, double v, char sep)
{
	buf_addc(b, sep);
	if (has)
		buf_addf(b, "%.4f", v);
}

static double
avg_lead_days(const struct report_appt_row *r)
{
	return r->total ? (double)r->lead_sum_s / (double)r->total / 86400.0
			: 0.0;
}

static const char *const status_cols[4] = {"scheduled", "completed",
					   "cancelled", "no_show"};

static void
appt_csv_row(struct buf *b, const struct report_appt *r,
	     const struct report_appt_row *row, char sep)
{
	report_csv_cell(b, row->key, sep);
	csv_i64(b, row->total, sep);
	for (int i = 0; i < 4; i++)
		csv_i64(b, row->by_status[i], sep);
	csv_i64(b, row->reschedules, sep);
	csv_num(b, row->total > 0, avg_lead_days(row), sep);
	for (size_t i = 0; i < r->n_outcomes; i++)
		csv_i64(b, row->by_outcome[i], sep);
	buf_adds(b, "\r\n");
}

void
report_appt_csv(const struct report_appt *r, char sep, struct buf *b)
{
	buf_adds(b, "\xEF\xBB\xBF");
	report_csv_cell(b, report_group_name(r->q.by), sep);
	buf_addc(b, sep);
	buf_adds(b, "total");
	for (int i = 0; i < 4; i++) {
		buf_addc(b, sep);
		buf_adds(b, status_cols[i]);
	}
	buf_addc(b, sep);
	buf_adds(b, "reschedules");
	buf_addc(b, sep);
	buf_adds(b, "avg_lead_days");
	for (size_t i = 0; i < r->n_outcomes; i++) {
		const char *o = *r->outcomes[i] ? r->outcomes[i] : "(none)";
		char name[128];

		buf_addc(b, sep);
		str_printf(name, sizeof(name), "outcome:%s", o);
		report_csv_cell(b, name, sep);
	}
	buf_adds(b, "\r\n");
	for (size_t i = 0; i < r->n_rows; i++)
		appt_csv_row(b, r, &r->rows[i], sep);
	appt_csv_row(b, r, &r->sum, sep);
}

static void
rate_csv_row(struct buf *b, const struct report_rate *t, char sep)
{
	report_csv_cell(b, t->code, sep);
	buf_addc(b, sep);
	report_csv_cell(b, t->owner ? t->owner : "", sep);
	csv_i64(b, t->contacts, sep);
	csv_i64(b, t->customers, sep);
	csv_i64(b, t->covered, sep);
	csv_num(b, t->has_rate, t->rate, sep);
	csv_num(b, t->has_rate, t->coverage, sep);
	buf_adds(b, "\r\n");
}

void
report_contact_csv(const struct report_contact *r, char sep, struct buf *b)
{
	static const char *const cols[] = {
	    "territory", "rep",	 "contacts", "customers",
	    "covered",	 "rate", "coverage",
	};

	buf_adds(b, "\xEF\xBB\xBF");
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		if (i)
			buf_addc(b, sep);
		buf_adds(b, cols[i]);
	}
	buf_adds(b, "\r\n");
	for (size_t i = 0; i < r->n_territories; i++) {
		rate_csv_row(b, &r->territories[i], sep);
		for (size_t k = 0; k < r->n_reps; k++)
			if (r->reps[k].territory_id ==
			    r->territories[i].territory_id)
				rate_csv_row(b, &r->reps[k], sep);
	}
}

void
report_uncontacted_csv(const struct report_contact *r, char sep, struct buf *b)
{
	buf_adds(b, "\xEF\xBB\xBF");
	buf_addf(b, "territory%ccustomer_id%ccustomer_number%cname%cowner\r\n",
		 sep, sep, sep, sep);
	for (size_t i = 0; i < r->n_uncontacted; i++) {
		const struct report_uncontacted *u = &r->uncontacted[i];

		report_csv_cell(b, u->code, sep);
		csv_i64(b, u->customer_id, sep);
		buf_addc(b, sep);
		report_csv_cell(b, u->customer_number, sep);
		buf_addc(b, sep);
		report_csv_cell(b, u->name, sep);
		buf_addc(b, sep);
		report_csv_cell(b, u->owner, sep);
		buf_adds(b, "\r\n");
	}
}

/* ---- JSON ---- */

static json_t *
time_json(const char *zone, int64_t t)
{
	char buf[TZ_RFC3339_SIZE];

	if (!tz_format_rfc3339(zone, t, buf, sizeof(buf)))
		return json_null();
	return json_string(buf);
}

static json_t *
appt_row_json(const struct report_appt *r, const struct report_appt_row *row)
{
	json_t *o = json_object(), *st = json_object(), *oc = json_object();

	json_object_set_new(o, "key", json_string(row->key));
	if (is_time_group(r->q.by) && row != &r->sum) {
		json_object_set_new(o, "from", time_json(r->q.zone, row->from));
		json_object_set_new(o, "to", time_json(r->q.zone, row->to));
	}
	json_object_set_new(o, "total", json_integer(row->total));
	for (int i = 0; i < 4; i++)
		json_object_set_new(st, status_cols[i],
				    json_integer(row->by_status[i]));
	json_object_set_new(o, "by_status", st);
	for (size_t i = 0; i < r->n_outcomes; i++)
		if (row->by_outcome[i])
			json_object_set_new(
			    oc, *r->outcomes[i] ? r->outcomes[i] : "(none)",
			    json_integer(row->by_outcome[i]));
	json_object_set_new(o, "by_outcome", oc);
	json_object_set_new(o, "held", json_integer(row->by_status[1]));
	json_object_set_new(o, "cancelled", json_integer(row->by_status[2]));
	json_object_set_new(o, "no_show", json_integer(row->by_status[3]));
	json_object_set_new(o, "reschedules", json_integer(row->reschedules));
	json_object_set_new(o, "avg_lead_days",
			    row->total ? json_real(avg_lead_days(row))
				       : json_null());
	return o;
}

json_t *
report_appt_json(const struct report_appt *r)
{
	json_t *o = json_object(), *rows = json_array();

	json_object_set_new(o, "report", json_string("appointments"));
	json_object_set_new(o, "definition",
			    json_string(report_appt_definition));
	json_object_set_new(o, "from", time_json(r->q.zone, r->q.from));
	json_object_set_new(o, "to", time_json(r->q.zone, r->q.to));
	json_object_set_new(o, "tz", json_string(r->q.zone));
	json_object_set_new(o, "group_by",
			    json_string(report_group_name(r->q.by)));
	for (size_t i = 0; i < r->n_rows; i++)
		json_array_append_new(rows, appt_row_json(r, &r->rows[i]));
	json_object_set_new(o, "rows", rows);
	json_object_set_new(o, "total", appt_row_json(r, &r->sum));
	return o;
}

static json_t *
rate_json(const struct report_rate *t)
{
	json_t *o = json_object();

	json_object_set_new(o, "territory", json_string(t->code));
	if (t->owner)
		json_object_set_new(o, "rep", json_string(t->owner));
	json_object_set_new(o, "contacts", json_integer(t->contacts));
	json_object_set_new(o, "customers", json_integer(t->customers));
	json_object_set_new(o, "covered", json_integer(t->covered));
	json_object_set_new(o, "rate",
			    t->has_rate ? json_real(t->rate) : json_null());
	json_object_set_new(o, "coverage",
			    t->has_rate ? json_real(t->coverage) : json_null());
	return o;
}

json_t *
report_uncontacted_json(const struct report_contact *r)
{
	json_t *v = json_array();

	for (size_t i = 0; i < r->n_uncontacted; i++) {
		const struct report_uncontacted *u = &r->uncontacted[i];

		json_array_append_new(
		    v, json_pack("{ss sI ss ss ss}", "territory", u->code,
				 "customer_id", (json_int_t)u->customer_id,
				 "customer_number", u->customer_number, "name",
				 u->name, "owner", u->owner));
	}
	return v;
}

json_t *
report_contact_json(const struct report_contact *r)
{
	json_t *o = json_object(), *terrs = json_array();

	json_object_set_new(o, "report", json_string("contact-rate"));
	json_object_set_new(o, "definition",
			    json_string(report_contact_definition));
	json_object_set_new(o, "from", time_json(r->q.zone, r->q.from));
	json_object_set_new(o, "to", time_json(r->q.zone, r->q.to));
	json_object_set_new(o, "tz", json_string(r->q.zone));
	json_object_set_new(o, "prospects", json_boolean(r->q.prospects));
	for (size_t i = 0; i < r->n_territories; i++) {
		json_t *t = rate_json(&r->territories[i]), *reps = json_array();

		for (size_t k = 0; k < r->n_reps; k++)
			if (r->reps[k].territory_id ==
			    r->territories[i].territory_id)
				json_array_append_new(reps,
						      rate_json(&r->reps[k]));
		json_object_set_new(t, "reps", reps);
		json_array_append_new(terrs, t);
	}
	json_object_set_new(o, "territories", terrs);
	return o;
}

/* ---- SVG ---- */

void
report_xml_escape(struct buf *b, const char *text)
{
	buf_add_xml_escaped(b, text);
}

static const char *const status_colours[4] = {"#9aa5b1", "#2e7d32", "#c62828",
					      "#f9a825"};

static void
svg_text(struct buf *b, int x, int y, const char *anchor, const char *text)
{
	buf_addf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\">", x, y,
		 anchor);
	report_xml_escape(b, text);
	buf_adds(b, "</text>\n");
}

static void
svg_open(struct buf *b, int w, int h, const char *title)
{
	buf_addf(b,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		 "height=\"%d\" viewBox=\"0 0 %d %d\" "
		 "font-family=\"sans-serif\" font-size=\"12\">\n<title>",
		 w, h, w, h);
	report_xml_escape(b, title);
	buf_adds(b, "</title>\n");
}

void
report_appt_svg(const struct report_appt *r, struct buf *b)
{
	int bar = 24, gap = 8, left = 50, top = 40, ch = 240;
	int w = left + (int)r->n_rows * (bar + gap) + 180;
	int64_t max = 1;
	char label[64];

	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].total > max)
			max = r->rows[i].total;
	if (w < 480)
		w = 480;
	svg_open(b, w, top + ch + 140, "Appointments by status");
	str_printf(label, sizeof(label), "Appointments per %s by status",
		   report_group_name(r->q.by));
	svg_text(b, left, 20, "start", label);
	/* stacked bars by status */
	for (size_t i = 0; i < r->n_rows; i++) {
		int x = left + (int)i * (bar + gap), y = top + ch;

		for (int k = 0; k < 4; k++) {
			int h = (int)(r->rows[i].by_status[k] * ch / max);

			if (!h)
				continue;
			y -= h;
			buf_addf(b,
				 "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				 "height=\"%d\" fill=\"%s\"><title>",
				 x, y, bar, h, status_colours[k]);
			str_printf(label, sizeof(label), " %s: %lld",
				   status_cols[k],
				   (long long)r->rows[i].by_status[k]);
			report_xml_escape(b, r->rows[i].key);
			report_xml_escape(b, label);
			buf_adds(b, "</title></rect>\n");
		}
		buf_addf(b,
			 "<text x=\"%d\" y=\"%d\" font-size=\"9\" "
			 "transform=\"rotate(60 %d %d)\">",
			 x + 4, top + ch + 12, x + 4, top + ch + 12);
		report_xml_escape(b, r->rows[i].key);
		buf_adds(b, "</text>\n");
	}
	str_printf(label, sizeof(label), "%lld", (long long)max);
	svg_text(b, left - 6, top + 4, "end", label);
	svg_text(b, left - 6, top + ch, "end", "0");
	for (int k = 0; k < 4; k++) {
		int x = w - 170, y = top + k * 18;

		buf_addf(b,
			 "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
			 "fill=\"%s\"/>\n",
			 x, y, status_colours[k]);
		svg_text(b, x + 18, y + 10, "start", status_cols[k]);
	}
	/* outcomes as a share of the held appointments */
	{
		int y = top + ch + 80, x = left, width = w - left - 20;
		int64_t all = 0;

		for (size_t i = 0; i < r->n_outcomes; i++)
			if (*r->outcomes[i])
				all += r->sum.by_outcome[i];
		svg_text(b, left, y - 8, "start", "Outcomes (share)");
		for (size_t i = 0; all && i < r->n_outcomes; i++) {
			int64_t n = r->sum.by_outcome[i];
			int part;

			if (!*r->outcomes[i] || !n)
				continue;
			part = (int)(n * width / all);
			buf_addf(b,
				 "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				 "height=\"20\" fill=\"hsl(%d,55%%,55%%)\" "
				 "stroke=\"#fff\"><title>",
				 x, y, part, (int)(i * 53 % 360));
			str_printf(label, sizeof(label), ": %lld (%.0f%%)",
				   (long long)n,
				   100.0 * (double)n / (double)all);
			report_xml_escape(b, r->outcomes[i]);
			report_xml_escape(b, label);
			buf_adds(b, "</title></rect>\n");
			if (part > 40)
				svg_text(b, x + 3, y + 34, "start",
					 r->outcomes[i]);
			x += part;
		}
	}
	buf_adds(b, "</svg>\n");
}

void
report_contact_svg(const struct report_contact *r, struct buf *b)
{
	int row = 26, left = 120, top = 40, width = 360;
	int h = top + (int)r->n_territories * row + 30;
	double scale = 1.0; /* the longest bar is the highest rate (>= 1) */
	char label[64];

	for (size_t i = 0; i < r->n_territories; i++)
		if (r->territories[i].has_rate &&
		    r->territories[i].rate > scale)
			scale = r->territories[i].rate;
	svg_open(b, left + width + 120, h, "Contact rate per territory");
	svg_text(b, left, 20, "start", "Contact rate per territory");
	for (size_t i = 0; i < r->n_territories; i++) {
		const struct report_rate *t = &r->territories[i];
		int y = top + (int)i * row;
		double v = t->has_rate ? t->rate : 0.0;
		int len = (int)(v * width / scale);

		svg_text(b, left - 8, y + 14, "end", t->code);
		if (t->has_rate) {
			buf_addf(b,
				 "<rect x=\"%d\" y=\"%d\" width=\"%d\" "
				 "height=\"18\" fill=\"#1565c0\"/>\n",
				 left, y, len);
			str_printf(label, sizeof(label), "%.2f (%lld/%lld)",
				   t->rate, (long long)t->contacts,
				   (long long)t->customers);
		} else {
			str_printf(label, sizeof(label), "no customers");
		}
		svg_text(b, left + len + 6, y + 14, "start", label);
	}
	buf_adds(b, "</svg>\n");
}
