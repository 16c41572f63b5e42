/* SPDX-License-Identifier: MIT */
/*
 * Helper of the reports benchmark (BENCHMARKS.md; driven by
 * bench/reports.sh). It cuts [from, to) into days, ISO weeks or months in
 * a zone with core/tz.h, as the report service does, and prints the
 * baseline "index ranges" query for the sqlite3 shell: one COUNT over
 * appt_owner_start per rep per period, summed per period. It also prints
 * the UTC bounds of local dates for the driver's other SQL baselines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/tz.h"

#include "core/banned.h"

enum { LABEL_MAX = 16, PERIODS_MAX = 4000 };

static int
usage(void)
{
	fputs("usage: reports --bounds ZONE FROM TO\n"
	      "       reports --sql day|week|month ZONE FROM TO\n"
	      "FROM and TO are local dates (YYYY-MM-DD) in ZONE; TO is "
	      "exclusive.\n",
	      stderr);
	return 2;
}

static int
parse(const char *zone, const char *text, int64_t *out)
{
	struct av_error err;

	if (tz_parse_instant(text, "date", zone, out, NULL, &err)) {
		fprintf(stderr, "reports: %s: %s\n", text, err.msg);
		return 1;
	}
	return 0;
}

/* The local date 'days' after y-m-d. */
static void
date_add(int *y, int *m, int *d, int days)
{
	struct tz_local l = {.year = *y, .month = *m, .day = *d};

	tz_local_from_seconds(tz_local_seconds(&l) + (int64_t)days * 86400, &l);
	*y = l.year;
	*m = l.month;
	*d = l.day;
}

/* The period of kind 'by' ('d', 'w' or 'm') holding instant 't': its
 * label, first instant and the next period's first instant. */
static int
period_of(const char *zone, char by, int64_t t, char *label, int64_t *start,
	  int64_t *next)
{
	struct av_error err;
	struct tz_local l;
	int y, m, d, wy, w;

	if (tz_utc_to_local(zone, t, &l, NULL, &err))
		return 1;
	y = l.year;
	m = l.month;
	d = l.day;
	if (by == 'd') {
		snprintf(label, LABEL_MAX, "%04d-%02d-%02d", y, m, d);
	} else if (by == 'w') {
		w = tz_iso_week(y, m, d, &wy);
		snprintf(label, LABEL_MAX, "%04d-W%02d", wy, w);
		date_add(&y, &m, &d, 1 - tz_weekday(y, m, d));
	} else {
		snprintf(label, LABEL_MAX, "%04d-%02d", y, m);
		d = 1;
	}
	if (tz_day_start(zone, y, m, d, start, &err))
		return 1;
	if (by == 'd') {
		date_add(&y, &m, &d, 1);
	} else if (by == 'w') {
		date_add(&y, &m, &d, 7);
	} else if (++m > 12) {
		m = 1;
		y++;
	}
	return tz_day_start(zone, y, m, d, next, &err) ? 1 : 0;
}

/* One statement: a VALUES table of the periods, and per period and rep a
 * correlated COUNT over the index range (owner_id = ?, start_utc in
 * [f, t)) of appt_owner_start, summed per period. */
static int
print_sql(const char *zone, char by, int64_t from, int64_t to)
{
	int64_t t = from;
	int n = 0;

	printf("WITH p(k, f, t) AS (VALUES");
	while (t < to) {
		char label[LABEL_MAX];
		int64_t start, next;

		if (n == PERIODS_MAX ||
		    period_of(zone, by, t, label, &start, &next) || next <= t) {
			fprintf(stderr, "reports: cannot cut the periods\n");
			return 1;
		}
		printf("%s\n  ('%s', %lld, %lld)", n ? "," : "", label,
		       (long long)(start < from ? from : start),
		       (long long)(next > to ? to : next));
		n++;
		t = next;
	}
	printf(")\nSELECT k, sum(n) FROM (SELECT p.k AS k, p.f AS f, "
	       "(SELECT count(*) FROM appointments a WHERE a.owner_id = u.id "
	       "AND a.rrule IS NULL AND a.start_utc >= p.f AND a.start_utc < "
	       "p.t) AS n FROM p, users u) GROUP BY k, f ORDER BY f;\n");
	return 0;
}

int
main(int argc, char **argv)
{
	int64_t from, to;

	if (argc == 5 && strcmp(argv[1], "--bounds") == 0) {
		if (parse(argv[2], argv[3], &from) ||
		    parse(argv[2], argv[4], &to))
			return 1;
		printf("%lld %lld\n", (long long)from, (long long)to);
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "--sql") == 0) {
		const char *by = argv[2];

		if (strcmp(by, "day") != 0 && strcmp(by, "week") != 0 &&
		    strcmp(by, "month") != 0)
			return usage();
		if (!tz_valid(argv[3])) {
			fprintf(stderr, "reports: unknown zone %s\n", argv[3]);
			return 1;
		}
		if (parse(argv[3], argv[4], &from) ||
		    parse(argv[3], argv[5], &to))
			return 1;
		return print_sql(argv[3], by[0], from, to);
	}
	return usage();
}
