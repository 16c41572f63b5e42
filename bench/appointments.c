/* SPDX-License-Identifier: MIT */
/*
 * The appointments benchmark (BENCHMARKS.md; driven by
 * bench/appointments.sh). It bulk-loads a fixture of appointments into a
 * demo database with plain SQL, then times the record's tab and a rep's
 * week through the library beside the same reads as one indexed SQLite
 * query, durable bookings through appt_book beside the disk's raw
 * fdatasync rate, and the same reads and bookings over HTTP with one
 * libcurl keep-alive client beside a static file of the same size. It
 * prints figures and never fails because a number is slow.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "bench.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rng.h"
#include "core/str.h"
#include "core/tz.h"
#include "core/xalloc.h"
#include "domain/appointment.h"
#include "domain/codec.h"
#include "service/appointments.h"
#include "store/store.h"

#include "core/banned.h"

#define ZONE	     "Europe/Oslo"
#define FIXTURE_KEY  "bench.fixture_max_id"
#define BOOK_SUBJECT "Benchmark booking"
#define PROBE_NAME   "fsync-probe.tmp"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PICK(r, a)   ((a)[rng_below((r), ARRAY_LEN(a))])
#define DAY_S	     INT64_C(86400)
#define QUARTER_S    INT64_C(900)

enum {
	DEFAULT_SAMPLES = 2000,
	DEFAULT_SECONDS = 3,
	TAB_LIMIT = 50,
	BATCH_ROWS = 100000, /* fixture rows per transaction */
	PAST_DAYS = 640,     /* the fixture: 21 months back ... */
	NEXT_DAYS = 90,	     /* ... and three months ahead */
	QUARTERS = 32,	     /* 08:00 .. 16:00 */
	PROBE_BLOCK = 4096,  /* fdatasync probe: bytes per write ... */
	PROBE_BLOCKS = 1024, /* ... over a 4 MiB file, like a WAL */
	BOOK_QUARTERS = 2,   /* bookings last 30 minutes */
	MAX_LINE = 1024,
};

/* ---- small helpers ---- */

/* Latencies in microseconds and the rows each answer held. */
struct series {
	double *v;     /* owned: one value per call */
	size_t n;      /* values */
	size_t cap;    /* allocated */
	uint64_t rows; /* rows (occurrences, items) over all calls */
	size_t errors; /* calls that failed */
};

static void
series_add(struct series *s, double us, size_t rows)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof(double));
	}
	s->v[s->n++] = us;
	s->rows += rows;
}

static void
series_sort(struct series *s)
{
	bench_sort(s->v, s->n);
}

/* Nearest-rank percentile 'p' (0..1) of the sorted values. */
static double
pct(const struct series *s, double p)
{
	return bench_pct(s->v, s->n, p);
}

static double
mean(const struct series *s)
{
	return bench_mean(s->v, s->n);
}

static double
mean_rows(const struct series *s)
{
	return s->n ? (double)s->rows / (double)s->n : 0;
}

static void
series_free(struct series *s)
{
	free(s->v);
	*s = (struct series){0};
}

static void
print_header(const char *what)
{
	printf("  %-34s %9s %9s %9s %8s %6s\n", what, "p50 us", "p99 us",
	       "mean us", "rows", "n");
}

/* Print one latency line and append it to 'rows' for the driver:
 * lat <key> <p50> <p99> <mean> <mean rows> <n> <errors>. */
static void
report(FILE *rows, const char *key, const char *label, struct series *s)
{
	series_sort(s);
	printf("  %-34s %9.0f %9.0f %9.0f %8.1f %6zu", label, pct(s, 0.50),
	       pct(s, 0.99), mean(s), mean_rows(s), s->n);
	if (s->errors)
		printf("  (%zu errors)", s->errors);
	printf("\n");
	if (rows)
		fprintf(rows, "lat\t%s\t%.0f\t%.0f\t%.0f\t%.1f\t%zu\t%zu\n",
			key, pct(s, 0.50), pct(s, 0.99), mean(s), mean_rows(s),
			s->n, s->errors);
}

/* rate <key> <per second> <count> <seconds> */
static void
report_rate(FILE *rows, const char *key, double count, double seconds)
{
	if (rows)
		fprintf(rows, "rate\t%s\t%.0f\t%.0f\t%.2f\n", key,
			seconds > 0 ? count / seconds : 0, count, seconds);
}

static int
usage(void)
{
	fputs("usage: appointments --load M DB\n"
	      "       appointments DB [--samples N] [--seed S] [--out FILE] "
	      "[--rows FILE]\n"
	      "       appointments --book DB [--seconds S] [--rows FILE]\n"
	      "       appointments --http URL --db DB --static-dir DIR "
	      "[--seconds S] [--rows FILE] SAMPLEFILE\n"
	      "       appointments --cleanup DB\n",
	      stderr);
	return 2;
}

static int
fail(const char *what, const struct av_error *err)
{
	fprintf(stderr, "appointments: %s: %s\n", what, err->msg);
	return 1;
}

static int
db_fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "appointments: %s: %s\n", what,
		db ? sqlite3_errmsg(db) : "cannot open");
	return 1;
}

/* One integer from 'sql' (with optional int parameter 'p1'), or 'dflt'. */
static int64_t
query_i64(sqlite3 *db, const char *sql, int64_t p1, int64_t dflt)
{
	sqlite3_stmt *st;
	int64_t v = dflt;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return dflt;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, p1);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static sqlite3 *
open_raw(const char *path, bool write)
{
	sqlite3 *db = NULL;
	int flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;

	if (strncmp(path, "sqlite:", 7) == 0)
		path += 7;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		db_fail(db, path);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* 08:00 local in ZONE on 'days' days after the local date of 'utc'; 0 on
 * Saturdays and Sundays. */
static int64_t
workday_start(int64_t utc, int days)
{
	struct tz_local l;
	int64_t out = 0;

	if (tz_utc_to_local(ZONE, utc, &l, NULL, NULL))
		return 0;
	l.hour = l.minute = l.second = 0;
	tz_local_from_seconds(tz_local_seconds(&l) + days * DAY_S, &l);
	if (tz_weekday(l.year, l.month, l.day) > 5)
		return 0;
	l.hour = 8;
	if (tz_local_to_utc(ZONE, &l, &out, NULL, NULL))
		return 0;
	return out;
}

/* ---- --load: the fixture ---- */

static const char *const types[] = {"meeting", "call", "demo", "follow-up",
				    "service visit"};
static const char *const subjects[] = {
    "Årlig gjennomgang av avtalen", "Oppfølging av tilbud",
    "Demo av nytt system",	    "Oppfølging etter møtet",
    "Servicebesøk: feilretting",    "Budsjettmøte for neste år",
    "Avklaring av faktura",	    "Installasjon og opplæring",
};
static const char *const streets[] = {
    "Storgata 12, 0155 Oslo",	       "Strandkaien 3, 5013 Bergen",
    "Kongens gate 40, 7011 Trondheim", "Skippergata 8, 9008 Tromsø",
    "Torggata 21, 4611 Kristiansand",  "Kirkegata 5, 4006 Stavanger",
};
static const char *const outcomes[] = {"interested", "not_interested",
				       "follow_up",  "order_placed",
				       "resolved",   "no_decision"};
static const char *const reasons[] = {"Kunden er syk",
				      "Kunden ba om å utsette møtet",
				      "Kolliderte med et annet møte"};

static const char *const load_sql =
    "INSERT INTO appointments (customer_id, contact_id, owner_id, "
    "customer_owner_id, start_utc, end_utc, time_zone, type, channel, "
    "location, video_url, subject, notes, status, outcome, outcome_note, "
    "cancel_reason, uid, reminder_minutes, created_at, updated_at, "
    "territory_id) VALUES "
    "(?1, ?2, ?3, ?3, ?4, ?5, '" ZONE "', ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13, ?14, ?15, ?16, ?17, ?18, ?18, "
    /* the fixture's customers never move: their territory is the one */
    "(SELECT territory_id FROM customers WHERE id = ?1))";

struct fixture {
	int64_t *id;	  /* owned: live customers, ascending */
	int64_t *owner;	  /* owned: their owners */
	int64_t *contact; /* owned: their first contact, 0 for none */
	size_t n;	  /* customers */
};

static void
fixture_free(struct fixture *f)
{
	free(f->id);
	free(f->owner);
	free(f->contact);
}

static int
read_customers(sqlite3 *db, struct fixture *f)
{
	sqlite3_stmt *st;
	size_t cap = 1024, k = 0;

	*f = (struct fixture){0};
	if (sqlite3_prepare_v2(db,
			       "SELECT id, owner_id FROM customers WHERE "
			       "deleted_at IS NULL ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "customers");
	f->id = xmalloc(cap * sizeof(int64_t));
	f->owner = xmalloc(cap * sizeof(int64_t));
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (f->n == cap) {
			cap *= 2;
			f->id = xrealloc(f->id, cap * sizeof(int64_t));
			f->owner = xrealloc(f->owner, cap * sizeof(int64_t));
		}
		f->id[f->n] = sqlite3_column_int64(st, 0);
		f->owner[f->n] = sqlite3_column_int64(st, 1);
		f->n++;
	}
	sqlite3_finalize(st);
	f->contact = xcalloc(f->n ? f->n : 1, sizeof(int64_t));
	if (sqlite3_prepare_v2(db,
			       "SELECT customer_id, min(id) FROM contacts "
			       "GROUP BY customer_id ORDER BY customer_id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "contacts");
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t cid = sqlite3_column_int64(st, 0);

		while (k < f->n && f->id[k] < cid)
			k++;
		if (k < f->n && f->id[k] == cid)
			f->contact[k] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return 0;
}

/* The schema's indexes on appointments, to drop during the load and
 * build again after it (sorting once beats 10 million random inserts). */
struct saved_indexes {
	char *name[16]; /* owned */
	char *sql[16];	/* owned */
	size_t n;	/* entries */
};

static int
save_indexes(sqlite3 *db, struct saved_indexes *ix)
{
	sqlite3_stmt *st;

	*ix = (struct saved_indexes){0};
	if (sqlite3_prepare_v2(db,
			       "SELECT name, sql FROM sqlite_master WHERE "
			       "type = 'index' AND tbl_name = 'appointments' "
			       "AND sql IS NOT NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "indexes");
	while (sqlite3_step(st) == SQLITE_ROW && ix->n < ARRAY_LEN(ix->sql)) {
		ix->name[ix->n] =
		    xstrdup((const char *)sqlite3_column_text(st, 0));
		ix->sql[ix->n] =
		    xstrdup((const char *)sqlite3_column_text(st, 1));
		ix->n++;
	}
	sqlite3_finalize(st);
	return 0;
}

static int
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "appointments: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return 1;
	}
	return 0;
}

/* One planned appointment: the rows are inserted in the order they were
 * booked, as a live database grows, so a week's rows sit close together
 * and a customer's are spread over the table. */
struct plan {
	int64_t created; /* created_at: the insert order */
	int64_t start;	 /* start_utc */
	uint32_t k;	 /* customer index in the fixture */
	uint32_t len;	 /* quarter-hours */
};

static int
cmp_plan(const void *a, const void *b)
{
	const struct plan *x = a, *y = b;

	if (x->created != y->created)
		return (x->created > y->created) - (x->created < y->created);
	return (x->k > y->k) - (x->k < y->k);
}

/* When, how long and when booked: a weekday 08-16 in the fixture's span,
 * booked up to 30 days before (and never after now). */
static void
plan_one(struct rng *r, const int64_t *day_base, int64_t now, uint32_t k,
	 struct plan *out)
{
	static const unsigned lens[] = {2, 3, 4, 4, 6};
	unsigned len = PICK(r, lens);
	int d;

	do
		d = (int)rng_below(r, PAST_DAYS + NEXT_DAYS);
	while (!day_base[d]);
	out->k = k;
	out->len = len;
	out->start =
	    day_base[d] + (int64_t)rng_below(r, QUARTERS - len + 1) * QUARTER_S;
	out->created = out->start - (int64_t)rng_below(r, 30 * DAY_S);
	if (out->created > now)
		out->created = now - (int64_t)rng_below(r, 7 * DAY_S);
}

/* Bind and insert row 'i' (planned as 'pl') of the fixture. */
static int
load_row(sqlite3_stmt *st, const struct fixture *f, const struct plan *pl,
	 uint64_t i, int64_t now)
{
	struct rng rr = {i ^ UINT64_C(0x5eed)};
	struct rng *r = &rr;
	char uid[48];
	size_t k = pl->k;
	int64_t start = pl->start;
	int64_t end = start + (int64_t)pl->len * QUARTER_S;
	unsigned t = (unsigned)rng_below(r, ARRAY_LEN(types));
	const char *channel;
	unsigned ch = (unsigned)rng_below(r, 100);

	str_printf(uid, sizeof(uid), "bench-%llu@avtale",
		   (unsigned long long)i);
	sqlite3_bind_int64(st, 1, f->id[k]);
	if (f->contact[k] && rng_below(r, 100) < 85)
		sqlite3_bind_int64(st, 2, f->contact[k]);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, f->owner[k]);
	sqlite3_bind_int64(st, 4, start);
	sqlite3_bind_int64(st, 5, end);
	sqlite3_bind_text(st, 6, types[t], -1, SQLITE_STATIC);
	channel = t == 1 || ch < 30 ? "phone" : ch < 65 ? "video" : "in_person";
	sqlite3_bind_text(st, 7, channel, -1, SQLITE_STATIC);
	if (strcmp(channel, "in_person") == 0)
		sqlite3_bind_text(st, 8, PICK(r, streets), -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	if (strcmp(channel, "video") == 0) {
		char video[64];

		str_printf(video, sizeof(video),
			   "https://meet.avtale.no/%010llx",
			   (unsigned long long)(rng_next(r) >> 24));
		sqlite3_bind_text(st, 9, video, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_null(st, 9);
	}
	sqlite3_bind_text(st, 10, PICK(r, subjects), -1, SQLITE_STATIC);
	if (rng_below(r, 100) < 35)
		sqlite3_bind_text(st, 11, "Ta med prisliste og referanser.", -1,
				  SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 11);
	sqlite3_bind_null(st, 13);
	sqlite3_bind_null(st, 14);
	sqlite3_bind_null(st, 15);
	if (end > now) {
		sqlite3_bind_text(st, 12, "scheduled", -1, SQLITE_STATIC);
	} else {
		unsigned s = (unsigned)rng_below(r, 100);

		if (s < 10) {
			sqlite3_bind_text(st, 12, "cancelled", -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 15, PICK(r, reasons), -1,
					  SQLITE_STATIC);
		} else if (s < 15) {
			sqlite3_bind_text(st, 12, "no_show", -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(st, 12, "completed", -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(st, 13, PICK(r, outcomes), -1,
					  SQLITE_STATIC);
			if (rng_below(r, 2))
				sqlite3_bind_text(st, 14,
						  "Positiv, sender forslag "
						  "neste uke.",
						  -1, SQLITE_STATIC);
		}
	}
	sqlite3_bind_text(st, 16, uid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 17, rng_below(r, 2) ? 15 : -1);
	sqlite3_bind_int64(st, 18, pl->created);
	if (sqlite3_step(st) != SQLITE_DONE)
		return 1;
	sqlite3_reset(st);
	return 0;
}

/*
 * Load 'total' appointments into the (empty) appointments table of 'path':
 * about total/customers each (the pair of customers 2k, 2k+1 shares
 * 2*average, split at random, so counts spread from half to one and a
 * half times the average), held by the customer's owner, on weekdays
 * 08-16 Oslo time over the 21 months before now and the 3 after, inserted
 * in the order they were booked.
 */
static int
run_load(const char *count, const char *path)
{
	struct av_error err = {0};
	struct store *s = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct fixture f = {0};
	struct plan *plan = NULL;
	struct saved_indexes ix = {0};
	struct rng r = {UINT64_C(20250320)};
	int64_t total, now = store_now();
	int64_t *day_base = NULL;
	uint64_t done = 0, avg, rem;
	int64_t jitter = 0;
	double t0 = bench_now_us(), t_ins = 0, t_idx;
	int rc = 1;

	if (!str_to_i64(count, 1, INT64_C(1000000000), &total))
		return usage();
	/* migrate the copy to the current schema first */
	if (store_open(path, STORE_FAST_UNSAFE, &s, &err))
		return fail("open", &err);
	store_close(s);
	if (!(db = open_raw(path, true)))
		return 1;
	if (query_i64(db, "SELECT count(*) FROM appointments", 0, -1) != 0) {
		fprintf(stderr,
			"appointments: '%s' already has appointments; load "
			"into a fresh copy of the customer database\n",
			path);
		goto out;
	}
	if (exec(db, "PRAGMA synchronous = OFF") ||
	    exec(db, "PRAGMA cache_size = -1048576") ||
	    exec(db, "PRAGMA temp_store = MEMORY") ||
	    exec(db, "PRAGMA threads = 4") || read_customers(db, &f))
		goto out;
	if (!f.n) {
		fprintf(stderr, "appointments: no customers in '%s'\n", path);
		goto out;
	}
	day_base = xcalloc(PAST_DAYS + NEXT_DAYS, sizeof(int64_t));
	for (int d = 0; d < PAST_DAYS + NEXT_DAYS; d++)
		day_base[d] = workday_start(now, d - PAST_DAYS);
	if (save_indexes(db, &ix))
		goto out;
	for (size_t i = 0; i < ix.n; i++) {
		char sql[256];

		str_printf(sql, sizeof(sql), "DROP INDEX \"%s\"", ix.name[i]);
		if (exec(db, sql))
			goto out;
	}
	if (sqlite3_prepare_v2(db, load_sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(db, "prepare");
		goto out;
	}
	avg = (uint64_t)total / f.n;
	rem = (uint64_t)total % f.n;
	fprintf(stderr,
		"appointments: loading %lld appointments over %zu customers "
		"(%llu each on average)\n",
		(long long)total, f.n, (unsigned long long)avg);
	plan = xcalloc((size_t)total, sizeof(*plan));
	for (size_t k = 0; k < f.n; k++) {
		uint64_t n = avg;

		/* pairs share 2*avg; the remainder is spread evenly */
		if (k % 2 == 0 && k + 1 < f.n) {
			jitter = (int64_t)rng_below(&r, avg + 1) -
				 (int64_t)(avg / 2);
			n = (uint64_t)((int64_t)avg + jitter);
		} else if (k % 2 == 1) {
			n = (uint64_t)((int64_t)avg - jitter);
		}
		if ((k + 1) * rem / f.n > k * rem / f.n)
			n++;
		for (uint64_t j = 0; j < n && done < (uint64_t)total; j++)
			plan_one(&r, day_base, now, (uint32_t)k, &plan[done++]);
	}
	qsort(plan, (size_t)done, sizeof(*plan), cmp_plan);
	fprintf(stderr, "appointments: %llu rows planned in %.1f s\n",
		(unsigned long long)done, (bench_now_us() - t0) / 1e6);
	if (exec(db, "BEGIN"))
		goto out;
	for (uint64_t i = 0; i < done; i++) {
		if (load_row(st, &f, &plan[i], i, now)) {
			db_fail(db, "insert");
			goto out;
		}
		if ((i + 1) % BATCH_ROWS == 0) {
			if (exec(db, "COMMIT") || exec(db, "BEGIN"))
				goto out;
			if ((i + 1) % (10 * BATCH_ROWS) == 0)
				fprintf(stderr,
					"appointments: %llu rows in %.0f s\n",
					(unsigned long long)(i + 1),
					(bench_now_us() - t0) / 1e6);
		}
	}
	if (exec(db, "COMMIT"))
		goto out;
	t_ins = (bench_now_us() - t0) / 1e6;
	fprintf(stderr, "appointments: %llu rows inserted in %.1f s\n",
		(unsigned long long)done, t_ins);
	t_idx = bench_now_us();
	for (size_t i = 0; i < ix.n; i++) {
		double t1 = bench_now_us();

		if (exec(db, ix.sql[i]))
			goto out;
		fprintf(stderr, "appointments: index %s in %.1f s\n",
			ix.name[i], (bench_now_us() - t1) / 1e6);
	}
	{
		char sql[128];

		str_printf(sql, sizeof(sql),
			   "INSERT OR REPLACE INTO settings (key, value) "
			   "VALUES ('" FIXTURE_KEY "', '%lld')",
			   (long long)query_i64(
			       db, "SELECT max(id) FROM appointments", 0, 0));
		if (exec(db, sql) ||
		    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)"))
			goto out;
	}
	fprintf(stderr,
		"appointments: %llu appointments loaded in %.1f s (%.0f rows/s "
		"inserting, %.1f s for %zu indexes)\n",
		(unsigned long long)done, (bench_now_us() - t0) / 1e6,
		t_ins > 0 ? (double)done / t_ins : 0,
		(bench_now_us() - t_idx) / 1e6, ix.n);
	rc = 0;
out:
	if (rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < ix.n; i++) {
		free(ix.name[i]);
		free(ix.sql[i]);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	fixture_free(&f);
	free(plan);
	free(day_base);
	return rc;
}

/* ---- samples: customers, reps and weeks ---- */

struct rep {
	int64_t id;	/* user id */
	char email[96]; /* sign-in name */
};

struct reps {
	struct rep *v; /* owned */
	size_t n;      /* entries */
};

/* Reps that own customers. */
static int
read_reps(sqlite3 *db, struct reps *out)
{
	sqlite3_stmt *st;
	size_t cap = 64;

	*out = (struct reps){0};
	if (sqlite3_prepare_v2(db,
			       "SELECT u.id, u.email FROM users u WHERE "
			       "u.disabled = 0 AND EXISTS (SELECT 1 FROM "
			       "customers c WHERE c.owner_id = u.id) "
			       "ORDER BY u.id",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "users");
	out->v = xmalloc(cap * sizeof(*out->v));
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (out->n == cap) {
			cap *= 2;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n].id = sqlite3_column_int64(st, 0);
		str_printf(out->v[out->n].email, sizeof(out->v[out->n].email),
			   "%s", (const char *)sqlite3_column_text(st, 1));
		out->n++;
	}
	sqlite3_finalize(st);
	return out->n ? 0 : db_fail(db, "no reps own customers");
}

/* A random live customer id and its owner. */
static bool
random_customer(sqlite3_stmt *get, struct rng *r, int64_t lo, int64_t hi,
		int64_t *id_out, int64_t *owner_out)
{
	for (int tries = 0; tries < 1000; tries++) {
		int64_t id =
		    lo + (int64_t)rng_below(r, (uint64_t)(hi - lo + 1));
		bool ok;

		sqlite3_bind_int64(get, 1, id);
		ok = sqlite3_step(get) == SQLITE_ROW;
		if (ok)
			*owner_out = sqlite3_column_int64(get, 0);
		sqlite3_reset(get);
		if (ok) {
			*id_out = id;
			return true;
		}
	}
	return false;
}

/* ---- measure: the library beside bare SQLite ---- */

static const char *const base_tab_past =
    "SELECT * FROM appointments WHERE customer_id = ?1 AND rrule IS NULL "
    "AND start_utc < ?2 ORDER BY start_utc DESC LIMIT 50";
static const char *const base_tab_next =
    "SELECT * FROM appointments WHERE customer_id = ?1 AND rrule IS NULL "
    "AND start_utc >= ?2 ORDER BY start_utc LIMIT 50";
static const char *const base_week =
    "SELECT * FROM appointments WHERE owner_id = ?1 AND rrule IS NULL "
    "AND start_utc >= ?2 AND start_utc < ?3";
/* What the library's week reads: the same rows with the owner, customer
 * and contact joined in, as store_sqlite.c's APPT_COLS does; the store
 * binds ?2 = from - 31 days (the longest appointment) and ?4 = from. */
static const char *const join_week =
    "SELECT a.*, u.email, u.time_zone, c.name, c.customer_number, "
    "c.time_zone, p.name FROM appointments a JOIN users u ON u.id = "
    "a.owner_id LEFT JOIN customers c ON c.id = a.customer_id LEFT JOIN "
    "contacts p ON p.id = a.contact_id WHERE a.owner_id = ?1 AND a.rrule "
    "IS NULL AND a.start_utc >= ?2 AND a.start_utc < ?3 AND a.end_utc > "
    "?4 ORDER BY a.start_utc";

/* Step every row and read every column, as a caller would. */
static size_t
drain(sqlite3_stmt *st)
{
	size_t n = 0;
	int cols = sqlite3_column_count(st);

	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < cols; c++)
			if (sqlite3_column_type(st, c) == SQLITE_TEXT)
				(void)sqlite3_column_text(st, c);
			else
				(void)sqlite3_column_int64(st, c);
		n++;
	}
	sqlite3_reset(st);
	return n;
}

struct sample {
	int64_t customer; /* for the tab */
	size_t rep;	  /* index into reps, for the week */
	int64_t from;	  /* the week: Monday 00:00 Oslo time */
	int64_t to;	  /* the next Monday */
};

enum kind { K_PAST, K_NEXT, K_WEEK, K__MAX };

static const char *const kind_keys[K__MAX] = {"past", "upcoming", "week"};

struct measure_opts {
	const char *db;	       /* the database */
	int64_t samples;       /* calls of each kind */
	int64_t seed;	       /* sampling seed */
	const char *out;       /* sample file for the HTTP part */
	const char *rows_path; /* machine-readable rows, or NULL */
};

static void
explain(sqlite3 *db, const char *label, const char *sql)
{
	sqlite3_stmt *st;
	char q[2048];

	str_printf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
		return;
	printf("  plan of %s:", label);
	while (sqlite3_step(st) == SQLITE_ROW)
		printf(" [%s]", (const char *)sqlite3_column_text(st, 3));
	printf("\n");
	sqlite3_finalize(st);
}

/* The answer's JSON as the API writes it (appt_to_json per occurrence,
 * one compact dump), timed into 'js' when not NULL. */
static void
time_json(const struct occurrence *occ, size_t n, struct series *js)
{
	json_t *items;
	char *text;
	double t0;

	if (!js || n == SIZE_MAX)
		return;
	t0 = bench_now_us();
	items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    items, appt_to_json(occ[i].appt, occ[i].start_utc,
					occ[i].end_utc, occ[i].recurrence_id));
	text = json_dumps(items, JSON_COMPACT);
	series_add(js, bench_now_us() - t0, n);
	free(text);
	json_decref(items);
}

/* Mean microseconds of one tz_format_rfc3339 call (appt_to_json makes six
 * per occurrence: start and end in the booked, the rep's and the
 * customer's zone). */
static double
time_format(int64_t now)
{
	char buf[TZ_RFC3339_SIZE];
	double t0 = bench_now_us();
	int n = 20000;

	for (int i = 0; i < n; i++)
		(void)tz_format_rfc3339(ZONE, now + (int64_t)i * 3600, buf,
					sizeof(buf));
	return (bench_now_us() - t0) / n;
}

static double
time_tab(struct store *s, int64_t cid, bool past, int64_t now, size_t *rows,
	 struct series *js)
{
	struct arena a;
	struct av_error err = {0};
	struct occurrence *occ = NULL;
	size_t n = 0;
	double t0, t1;

	arena_init(&a, 0);
	t0 = bench_now_us();
	if (appt_tab(s, cid, past, now, TAB_LIMIT, &a, &occ, &n, &err))
		n = SIZE_MAX;
	t1 = bench_now_us();
	time_json(occ, n, js);
	arena_release(&a);
	*rows = n;
	return t1 - t0;
}

static double
time_week(struct store *s, int64_t owner, int64_t from, int64_t to,
	  size_t *rows, struct series *js)
{
	struct arena a;
	struct av_error err = {0};
	struct occurrence *occ = NULL;
	size_t n = 0;
	double t0, t1;

	arena_init(&a, 0);
	t0 = bench_now_us();
	if (appt_occurrences(s, SCOPE_OWNER, owner, from, to, OCC_MAX, &a, &occ,
			     &n, &err))
		n = SIZE_MAX;
	t1 = bench_now_us();
	time_json(occ, n, js);
	arena_release(&a);
	*rows = n;
	return t1 - t0;
}

static double
time_base(sqlite3_stmt *st, int64_t key, int64_t p2, int64_t p3, size_t *rows)
{
	double t0 = bench_now_us();

	sqlite3_bind_int64(st, 1, key);
	sqlite3_bind_int64(st, 2, p2);
	if (sqlite3_bind_parameter_count(st) >= 3)
		sqlite3_bind_int64(st, 3, p3);
	*rows = drain(st);
	return bench_now_us() - t0;
}

/* The joined week read from 'lo' (the week's start, or 31 days before). */
static double
time_join(sqlite3_stmt *st, int64_t owner, int64_t lo, int64_t from, int64_t to,
	  size_t *rows)
{
	double t0 = bench_now_us();

	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, to);
	sqlite3_bind_int64(st, 4, from);
	*rows = drain(st);
	return bench_now_us() - t0;
}

/* Index entries of 'owner' with a start in [lo, to). */
static size_t
count_scan(sqlite3_stmt *st, int64_t owner, int64_t lo, int64_t to)
{
	size_t n = 0;

	sqlite3_bind_int64(st, 1, owner);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, to);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Where the library's time goes: the store call alone (rows copied into
 * the arena) against the service call (series, expansion, sorting). */
static double
time_store_range(struct store *s, int64_t owner, int64_t from, int64_t to)
{
	struct arena a;
	struct av_error err = {0};
	struct appointment *rows;
	size_t n;
	double t0, t1;

	arena_init(&a, 0);
	t0 = bench_now_us();
	(void)store_appt_range(s, SCOPE_OWNER, owner, from, to, OCC_MAX + 1, &a,
			       &rows, &n, &err);
	t1 = bench_now_us();
	arena_release(&a);
	return t1 - t0;
}

static void
add_timed(struct series *s, double us, size_t rows)
{
	if (rows == SIZE_MAX)
		s->errors++;
	else
		series_add(s, us, rows);
}

static int
run_measure(const struct measure_opts *o)
{
	struct av_error err = {0};
	struct store *s = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *base[K__MAX] = {0}, *join = NULL, *get = NULL;
	sqlite3_stmt *scan = NULL;
	struct reps reps = {0};
	struct sample *v = NULL;
	struct series lib[K__MAX] = {0}, bs[K__MAX] = {0}, jw = {0};
	struct series jw31 = {0}, store_week = {0}, probe = {0};
	struct series js[K__MAX] = {0};
	struct rng r = {(uint64_t)o->seed};
	int64_t lo, hi, now = store_now(), customers, appts;
	FILE *rows = NULL, *out = NULL;
	size_t n = (size_t)o->samples, rows_n;
	int rc = 1;

	if (store_open(o->db, 0, &s, &err)) {
		fail("open", &err);
		goto out;
	}
	if (!(db = open_raw(o->db, false)) ||
	    exec(db, "PRAGMA cache_size = -65536"))
		goto out;
	if (sqlite3_prepare_v2(db, base_tab_past, -1, &base[K_PAST], NULL) ||
	    sqlite3_prepare_v2(db, base_tab_next, -1, &base[K_NEXT], NULL) ||
	    sqlite3_prepare_v2(db, base_week, -1, &base[K_WEEK], NULL) ||
	    sqlite3_prepare_v2(db, join_week, -1, &join, NULL) ||
	    sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM appointments WHERE "
			       "owner_id = ?1 AND rrule IS NULL AND start_utc "
			       ">= ?2 AND start_utc < ?3",
			       -1, &scan, NULL) ||
	    sqlite3_prepare_v2(db,
			       "SELECT owner_id FROM customers WHERE id = ?1 "
			       "AND deleted_at IS NULL",
			       -1, &get, NULL)) {
		db_fail(db, "prepare");
		goto out;
	}
	if (read_reps(db, &reps))
		goto out;
	lo = query_i64(db, "SELECT min(id) FROM customers", 0, 0);
	hi = query_i64(db, "SELECT max(id) FROM customers", 0, 0);
	customers = query_i64(db, "SELECT count(*) FROM customers", 0, 0);
	appts = query_i64(db, "SELECT max(id) FROM appointments", 0, 0);
	v = xcalloc(n, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		int64_t owner, at;

		if (!random_customer(get, &r, lo, hi, &v[i].customer, &owner)) {
			fprintf(stderr, "appointments: no customers\n");
			goto out;
		}
		v[i].rep = (size_t)rng_below(&r, reps.n);
		/* a week somewhere in the fixture's span */
		at =
		    now - PAST_DAYS * DAY_S +
		    (int64_t)rng_below(&r, (PAST_DAYS + NEXT_DAYS - 7) * DAY_S);
		if (tz_week_start(ZONE, at, &v[i].from, &err) ||
		    tz_add_days(ZONE, v[i].from, 7, &v[i].to, &err)) {
			fail("week", &err);
			goto out;
		}
	}
	if (o->out) {
		out = fopen(o->out, "w");
		if (!out) {
			fprintf(stderr, "appointments: cannot write '%s'\n",
				o->out);
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			char from[TZ_UTC_SIZE], to[TZ_UTC_SIZE];

			tz_format_utc(v[i].from, from, sizeof(from));
			tz_format_utc(v[i].to, to, sizeof(to));
			fprintf(out, "%lld\t%s\t%s\t%s\n",
				(long long)v[i].customer,
				reps.v[v[i].rep].email, from, to);
		}
		if (fclose(out) != 0) {
			out = NULL;
			goto out;
		}
		out = NULL;
	}
	if (o->rows_path && !(rows = fopen(o->rows_path, "a"))) {
		fprintf(stderr, "appointments: cannot write '%s'\n",
			o->rows_path);
		goto out;
	}
	fprintf(stderr,
		"appointments: %zu samples over %lld customers, %zu reps\n", n,
		(long long)customers, reps.n);

	/*
	 * The tabs, then the weeks, each kind after an untimed pass that
	 * warms SQLite's cache and the OS page cache; the library and its
	 * baseline alternate, so both see the same cache.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			int64_t c = v[i].customer;
			double us;

			us = time_tab(s, c, true, now, &rows_n,
				      pass ? &js[K_PAST] : NULL);
			if (pass)
				add_timed(&lib[K_PAST], us, rows_n);
			us = time_base(base[K_PAST], c, now, 0, &rows_n);
			if (pass)
				add_timed(&bs[K_PAST], us, rows_n);
			us = time_tab(s, c, false, now, &rows_n,
				      pass ? &js[K_NEXT] : NULL);
			if (pass)
				add_timed(&lib[K_NEXT], us, rows_n);
			us = time_base(base[K_NEXT], c, now, 0, &rows_n);
			if (pass)
				add_timed(&bs[K_NEXT], us, rows_n);
		}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			int64_t rid = reps.v[v[i].rep].id;
			int64_t from = v[i].from, to = v[i].to;
			int64_t back = from - APPT_MAX_DURATION_S;
			double us;

			us = time_week(s, rid, from, to, &rows_n,
				       pass ? &js[K_WEEK] : NULL);
			if (pass)
				add_timed(&lib[K_WEEK], us, rows_n);
			us = time_base(base[K_WEEK], rid, from, to, &rows_n);
			if (!pass)
				continue;
			add_timed(&bs[K_WEEK], us, rows_n);
			us = time_join(join, rid, from, from, to, &rows_n);
			add_timed(&jw, us, rows_n);
			us = time_join(join, rid, back, from, to, &rows_n);
			/* rows: the index entries the look-back visits */
			add_timed(&jw31, us, count_scan(scan, rid, back, to));
			series_add(&store_week,
				   time_store_range(s, rid, from, to), 0);
			/* what the conflict check reads for a half hour on
			 * Monday 10:00 inside the fixture's busy span */
			us = time_week(s, rid, from + 10 * 3600,
				       from + 10 * 3600 + 1800, &rows_n, NULL);
			add_timed(&probe, us, rows_n);
		}

	printf("appointments at %lld customers, %lld appointment rows, %zu "
	       "reps; %zu samples of each kind\n",
	       (long long)customers, (long long)appts, reps.n, n);
	print_header("library beside one SQLite query");
	report(rows, "lib_past", "tab past: appt_tab", &lib[K_PAST]);
	report(rows, "sql_past", "tab past: SQLite", &bs[K_PAST]);
	report(rows, "lib_upcoming", "tab upcoming: appt_tab", &lib[K_NEXT]);
	report(rows, "sql_upcoming", "tab upcoming: SQLite", &bs[K_NEXT]);
	report(rows, "lib_week", "rep's week: appt_occurrences", &lib[K_WEEK]);
	report(rows, "sql_week", "rep's week: SQLite", &bs[K_WEEK]);
	report(rows, "sqljoin_week", "rep's week: SQLite with joins", &jw);
	report(rows, "sqljoin31_week", "  ... reading from 31 days before",
	       &jw31);
	report(rows, "store_week", "rep's week: store_appt_range", &store_week);
	report(rows, "lib_probe", "conflict check: 30 min of a week", &probe);
	report(rows, "json_past", "JSON of the tab past (appt_to_json)",
	       &js[K_PAST]);
	report(rows, "json_upcoming", "JSON of the tab upcoming", &js[K_NEXT]);
	report(rows, "json_week", "JSON of the week", &js[K_WEEK]);
	explain(db, "tab past", base_tab_past);
	explain(db, "week", base_week);
	explain(db, "week with joins", join_week);
	printf("  a week's read starts 31 days early (the longest "
	       "appointment): %.0f index entries visited for %.0f rows\n",
	       mean_rows(&jw31), mean_rows(&jw));
	printf("  tz_format_rfc3339: %.2f us per call\n", time_format(now));
	if (lib[K_WEEK].rows && js[K_WEEK].rows)
		printf("  per row of a week: appt_occurrences %.2f us, SQLite "
		       "%.2f us, SQLite with joins %.2f us, JSON %.2f us\n",
		       mean(&lib[K_WEEK]) / mean_rows(&lib[K_WEEK]),
		       mean(&bs[K_WEEK]) / mean_rows(&bs[K_WEEK]),
		       mean(&jw) / mean_rows(&jw),
		       mean(&js[K_WEEK]) / mean_rows(&js[K_WEEK]));
	rc = 0;
out:
	if (rows)
		fclose(rows);
	if (out)
		fclose(out);
	for (int k = 0; k < K__MAX; k++) {
		sqlite3_finalize(base[k]);
		series_free(&lib[k]);
		series_free(&bs[k]);
		series_free(&js[k]);
	}
	series_free(&jw);
	series_free(&jw31);
	series_free(&store_week);
	series_free(&probe);
	sqlite3_finalize(join);
	sqlite3_finalize(scan);
	sqlite3_finalize(get);
	sqlite3_close(db);
	store_close(s);
	free(reps.v);
	free(v);
	return rc;
}

/* ---- free slots for bookings ---- */

/* Per rep: the next free half hour, past everything the rep holds. */
struct slots {
	int64_t *day_off;  /* owned: local days after 'from' */
	unsigned *quarter; /* owned: next quarter-hour of that day */
	int64_t from;	   /* the day after the latest start of anyone */
	size_t n;	   /* reps */
};

static void
slots_init(struct slots *sl, sqlite3 *db, const struct reps *reps)
{
	int64_t latest = store_now();

	for (size_t i = 0; i < reps->n; i++) {
		int64_t m = query_i64(db,
				      "SELECT max(start_utc) FROM appointments "
				      "WHERE owner_id = ?1 AND rrule IS NULL",
				      reps->v[i].id, 0);
		int64_t e = query_i64(db,
				      "SELECT max(series_end_utc) FROM "
				      "appointments WHERE owner_id = ?1 AND "
				      "rrule IS NOT NULL",
				      reps->v[i].id, 0);

		if (m > latest)
			latest = m;
		if (e > latest)
			latest = e;
	}
	sl->from = latest + 2 * DAY_S;
	sl->n = reps->n;
	sl->day_off = xcalloc(reps->n, sizeof(int64_t));
	sl->quarter = xcalloc(reps->n, sizeof(unsigned));
}

static void
slots_free(struct slots *sl)
{
	free(sl->day_off);
	free(sl->quarter);
}

/* The next free half hour of rep 'i': [start, end). */
static void
slots_take(struct slots *sl, size_t i, int64_t *start, int64_t *end)
{
	int64_t base;

	for (;;) {
		if (sl->quarter[i] + BOOK_QUARTERS > QUARTERS) {
			sl->day_off[i]++;
			sl->quarter[i] = 0;
		}
		base = workday_start(sl->from, (int)sl->day_off[i]);
		if (base)
			break;
		sl->day_off[i]++;
	}
	*start = base + (int64_t)sl->quarter[i] * QUARTER_S;
	*end = *start + BOOK_QUARTERS * QUARTER_S;
	sl->quarter[i] += BOOK_QUARTERS;
}

/* Customers to book for, each with the index of its owner in 'reps'. */
struct booking_pool {
	int64_t *customer; /* owned */
	size_t *rep;	   /* owned */
	size_t n;	   /* entries */
};

static int
pool_init(struct booking_pool *p, sqlite3 *db, const struct reps *reps,
	  size_t n)
{
	sqlite3_stmt *get;
	struct rng r = {7};
	int64_t lo = query_i64(db, "SELECT min(id) FROM customers", 0, 0);
	int64_t hi = query_i64(db, "SELECT max(id) FROM customers", 0, 0);

	*p = (struct booking_pool){0};
	if (sqlite3_prepare_v2(db,
			       "SELECT owner_id FROM customers WHERE id = ?1 "
			       "AND deleted_at IS NULL",
			       -1, &get, NULL) != SQLITE_OK)
		return db_fail(db, "prepare");
	p->customer = xcalloc(n, sizeof(int64_t));
	p->rep = xcalloc(n, sizeof(size_t));
	while (p->n < n) {
		int64_t id, owner;
		size_t k;

		if (!random_customer(get, &r, lo, hi, &id, &owner))
			break;
		for (k = 0; k < reps->n && reps->v[k].id != owner; k++)
			;
		if (k == reps->n)
			continue; /* owned by a disabled user */
		p->customer[p->n] = id;
		p->rep[p->n] = k;
		p->n++;
	}
	sqlite3_finalize(get);
	return p->n ? 0 : db_fail(db, "no customers to book for");
}

static void
pool_free(struct booking_pool *p)
{
	free(p->customer);
	free(p->rep);
}

/* ---- --book: durable bookings beside the raw fdatasync rate ---- */

/* Writes of 4 KiB + fdatasync over a 4 MiB file next to the database for
 * 'seconds': the most commits per second the disk allows. */
static double
fsync_rate(const char *db_path, double seconds, double *p50_us)
{
	char path[4096];
	const char *slash;
	char block[PROBE_BLOCK];
	struct series s = {0};
	double t0, rate;
	int fd;

	if (strncmp(db_path, "sqlite:", 7) == 0)
		db_path += 7;
	slash = strrchr(db_path, '/');
	if (slash)
		str_printf(path, sizeof(path), "%.*s/" PROBE_NAME,
			   (int)(slash - db_path), db_path);
	else
		str_printf(path, sizeof(path), PROBE_NAME);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "appointments: cannot write '%s': %s\n", path,
			strerror(errno));
		return 0;
	}
	memset(block, 'x', sizeof(block));
	for (int i = 0; i < PROBE_BLOCKS; i++)
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			break;
	(void)fsync(fd);
	t0 = bench_now_us();
	for (uint64_t i = 0; bench_now_us() - t0 < seconds * 1e6; i++) {
		double t1 = bench_now_us();
		off_t off = (off_t)(i % PROBE_BLOCKS) * PROBE_BLOCK;

		if (pwrite(fd, block, sizeof(block), off) !=
			(ssize_t)sizeof(block) ||
		    fdatasync(fd) != 0)
			break;
		series_add(&s, bench_now_us() - t1, 1);
	}
	rate = (double)s.n / ((bench_now_us() - t0) / 1e6);
	series_sort(&s);
	*p50_us = pct(&s, 0.5);
	series_free(&s);
	close(fd);
	unlink(path);
	return rate;
}

static int
run_book(const char *db_path, double seconds, const char *rows_path)
{
	struct av_error err = {0};
	struct store *s = NULL;
	sqlite3 *db = NULL;
	struct reps reps = {0};
	struct slots sl = {0};
	struct booking_pool pool = {0};
	struct series lat = {0};
	FILE *rows = NULL;
	double rate, probe_p50, t0, elapsed;
	size_t conflicts = 0;
	int rc = 1;

	rate = fsync_rate(db_path, seconds, &probe_p50);
	if (store_open(db_path, 0, &s, &err)) {
		fail("open", &err);
		goto out;
	}
	if (!(db = open_raw(db_path, false)) || read_reps(db, &reps) ||
	    pool_init(&pool, db, &reps, 4096))
		goto out;
	slots_init(&sl, db, &reps);
	if (rows_path && !(rows = fopen(rows_path, "a"))) {
		fprintf(stderr, "appointments: cannot write '%s'\n", rows_path);
		goto out;
	}
	t0 = bench_now_us();
	for (size_t i = 0; bench_now_us() - t0 < seconds * 1e6; i++) {
		struct arena a;
		struct conflicts conf = {0};
		struct appointment p = {0};
		size_t k = i % pool.n;
		double t1;

		arena_init(&a, 0);
		p.customer_id = pool.customer[k];
		p.owner_id = reps.v[pool.rep[k]].id;
		slots_take(&sl, pool.rep[k], &p.start_utc, &p.end_utc);
		p.time_zone = ZONE;
		p.type = "meeting";
		p.channel = CHANNEL_PHONE;
		p.subject = BOOK_SUBJECT;
		p.reminder_minutes = -1;
		t1 = bench_now_us();
		if (appt_book(s, &p, false, 1, &a, &conf, &err) == AV_OK) {
			series_add(&lat, bench_now_us() - t1, 1);
		} else {
			lat.errors++;
			conflicts += err.code == AV_ECONFLICT;
		}
		arena_release(&a);
	}
	elapsed = (bench_now_us() - t0) / 1e6;
	printf("durable bookings, one at a time, each its own transaction "
	       "(WAL, synchronous=FULL)\n");
	print_header("bookings");
	report_rate(rows, "book_lib", (double)lat.n, elapsed);
	report(rows, "book_lib", "appt_book (conflict check)", &lat);
	printf("  appt_book: %.0f bookings/s (%zu in %.1f s, %zu conflicts, "
	       "%zu errors); raw 4 KiB write+fdatasync: %.0f/s (p50 %.0f "
	       "us)\n",
	       (double)lat.n / elapsed, lat.n, elapsed, conflicts, lat.errors,
	       rate, probe_p50);
	report_rate(rows, "fsync", rate * seconds, seconds);
	if (rows)
		fprintf(rows, "info\tfsync_p50\t%.0f\n", probe_p50);
	if (err.code && lat.errors)
		fprintf(stderr, "appointments: last booking error: %s\n",
			err.msg);
	rc = 0;
out:
	if (rows)
		fclose(rows);
	series_free(&lat);
	slots_free(&sl);
	pool_free(&pool);
	free(reps.v);
	sqlite3_close(db);
	store_close(s);
	return rc;
}

/* ---- --cleanup: remove the bookings, keep the fixture ---- */

static int
run_cleanup(const char *db_path)
{
	sqlite3 *db = open_raw(db_path, true);
	sqlite3_stmt *st;
	int64_t max_id;
	int rc = 1;

	if (!db)
		return 1;
	max_id = query_i64(db,
			   "SELECT CAST(value AS INTEGER) FROM settings WHERE "
			   "key = '" FIXTURE_KEY "'",
			   0, -1);
	if (max_id < 0) {
		fprintf(stderr, "appointments: '%s' has no fixture mark\n",
			db_path);
		goto out;
	}
	if (exec(db, "BEGIN IMMEDIATE"))
		goto out;
	if (sqlite3_prepare_v2(db,
			       "DELETE FROM audit_log WHERE entity = "
			       "'appointment' AND entity_id > ?1",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, max_id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		goto fail;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "DELETE FROM appointments WHERE id > ?1", -1,
			       &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, max_id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		goto fail;
	}
	fprintf(stderr, "appointments: removed %d bookings\n",
		sqlite3_changes(db));
	sqlite3_finalize(st);
	if (exec(db, "COMMIT"))
		goto out;
	rc = 0;
	goto out;
fail:
	db_fail(db, "cleanup");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_close(db);
	return rc;
}

/* ---- --http: one keep-alive client against the server ---- */

struct http_client {
	CURL *h;		 /* owned: the easy handle, one connection */
	struct curl_slist *json; /* owned: Content-Type header */
	struct buf b;		 /* the last answer's body */
};

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;

	buf_add(b, p, size * n);
	return size * n;
}

/* GET 'url' (or POST 'body' when not NULL); microseconds, or -1 when the
 * status is not 'want'. */
static double
http_call(struct http_client *c, const char *url, const char *body, long want)
{
	long status = 0;
	double t0, t1;

	buf_reset(&c->b);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	if (body) {
		curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, c->json);
	} else {
		curl_easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, NULL);
	}
	t0 = bench_now_us();
	if (curl_easy_perform(c->h) != CURLE_OK)
		return -1;
	t1 = bench_now_us();
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	return status == want ? t1 - t0 : -1;
}

/* Items in the answer's "items" array. */
static size_t
count_items(const struct buf *b)
{
	json_t *doc = json_loadb(b->p, b->len, 0, NULL);
	size_t n = json_array_size(json_object_get(doc, "items"));

	json_decref(doc);
	return n;
}

/* A JSON file of exactly 'size' bytes (at least 12). */
static int
write_static(const char *path, size_t size)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return 1;
	if (size < 12)
		size = 12;
	fputs("{\"pad\":\"", f);
	for (size_t i = 0; i < size - 10; i++)
		fputc('x', f);
	fputs("\"}", f);
	return fclose(f) != 0;
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a;
	size_t y = *(const size_t *)b;

	return (x > y) - (x < y);
}

struct http_opts {
	const char *url;	/* base URL, ends in '/' */
	const char *db;		/* the database (read-only: free slots) */
	const char *static_dir; /* the server's --static directory */
	const char *samples;	/* sample file from the measure mode */
	const char *rows_path;	/* machine-readable rows, or NULL */
	double seconds;		/* length of the booking run */
};

/* The static baseline of one kind: a file of the median answer size. */
static int
static_baseline(struct http_client *c, const struct http_opts *o,
		struct arena *a, const char *name, size_t *sizes, size_t n,
		struct series *out, size_t *median_out)
{
	const char *path = arena_printf(a, "%s/%s.json", o->static_dir, name);
	const char *url = arena_printf(a, "%s%s.json", o->url, name);
	size_t median;

	if (!n)
		return 0;
	qsort(sizes, n, sizeof(*sizes), cmp_size);
	median = sizes[n / 2];
	*median_out = median;
	if (write_static(path, median)) {
		fprintf(stderr, "appointments: cannot write '%s'\n", path);
		return 1;
	}
	for (size_t i = 0; i < n && i < 200; i++)
		(void)http_call(c, url, NULL, 200);
	for (size_t i = 0; i < n; i++) {
		double us = http_call(c, url, NULL, 200);

		if (us < 0)
			out->errors++;
		else
			series_add(out, us, 0);
	}
	return 0;
}

static const char *
booking_body(struct arena *a, int64_t customer, const char *owner,
	     int64_t start, int64_t end)
{
	char s[TZ_UTC_SIZE], e[TZ_UTC_SIZE];

	tz_format_utc(start, s, sizeof(s));
	tz_format_utc(end, e, sizeof(e));
	return arena_printf(a,
			    "{\"customer_id\":%lld,\"owner\":\"%s\","
			    "\"start\":\"%s\",\"end\":\"%s\",\"time_zone\":"
			    "\"" ZONE "\",\"type\":\"meeting\",\"channel\":"
			    "\"phone\",\"subject\":\"" BOOK_SUBJECT "\"}",
			    (long long)customer, owner, s, e);
}

static int
run_http(const struct http_opts *o)
{
	struct http_client c = {0};
	struct arena a;
	struct reps reps = {0};
	struct slots sl = {0};
	struct booking_pool pool = {0};
	sqlite3 *db = NULL;
	char line[MAX_LINE];
	FILE *f = NULL, *rows = NULL;
	const char **url[K__MAX] = {0};
	size_t n = 0, cap = 0, *sizes[K__MAX + 1] = {0}, n_book_sizes = 0;
	struct series lat[K__MAX] = {0}, st[K__MAX + 1] = {0}, book = {0};
	size_t median[K__MAX + 1] = {0};
	double t0, elapsed;
	long connects = 0;
	int rc = 1;

	arena_init(&a, 1 << 20);
	if (!(f = fopen(o->samples, "r"))) {
		fprintf(stderr, "appointments: cannot read '%s'\n", o->samples);
		goto out;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fld[4];
		char *p = line;
		int k = 0;

		line[strcspn(line, "\n")] = '\0';
		for (; k < 4 && p; k++) {
			fld[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (k < 4)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			for (int j = 0; j < K__MAX; j++)
				url[j] =
				    xrealloc(url[j], cap * sizeof(*url[j]));
		}
		url[K_PAST][n] =
		    arena_printf(&a,
				 "%sapi/v1/customers/%s/appointments?"
				 "when=past",
				 o->url, fld[0]);
		url[K_NEXT][n] =
		    arena_printf(&a,
				 "%sapi/v1/customers/%s/appointments?"
				 "when=upcoming",
				 o->url, fld[0]);
		url[K_WEEK][n] = arena_printf(
		    &a, "%sapi/v1/appointments?owner=%s&from=%s&to=%s", o->url,
		    fld[1], fld[2], fld[3]);
		n++;
	}
	fclose(f);
	f = NULL;
	if (!n) {
		fprintf(stderr, "appointments: no samples in '%s'\n",
			o->samples);
		goto out;
	}
	if (!(db = open_raw(o->db, false)) || read_reps(db, &reps) ||
	    pool_init(&pool, db, &reps, 4096))
		goto out;
	slots_init(&sl, db, &reps);
	buf_init(&c.b, 0);
	c.h = curl_easy_init();
	c.json = curl_slist_append(NULL, "Content-Type: application/json");
	curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &c.b);
	curl_easy_setopt(c.h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c.h, CURLOPT_NOPROXY, "*");
	for (int k = 0; k <= K__MAX; k++)
		sizes[k] = xcalloc(n + 1, sizeof(size_t));

	/* each kind: a warm-up pass that also measures the answer sizes,
	 * then the timed pass */
	for (int k = 0; k < K__MAX; k++) {
		for (size_t i = 0; i < n; i++) {
			(void)http_call(&c, url[k][i], NULL, 200);
			sizes[k][i] = c.b.len;
		}
		for (size_t i = 0; i < n; i++) {
			double us = http_call(&c, url[k][i], NULL, 200);

			if (us < 0)
				lat[k].errors++;
			else
				series_add(&lat[k], us, count_items(&c.b));
		}
	}
	curl_easy_getinfo(c.h, CURLINFO_NUM_CONNECTS, &connects);

	/* bookings into free slots, one after another, for o->seconds */
	{
		const char *post =
		    arena_printf(&a, "%sapi/v1/appointments", o->url);

		for (size_t i = 0; i < 20; i++) {
			size_t k = i % pool.n;
			int64_t s, e;

			slots_take(&sl, pool.rep[k], &s, &e);
			(void)http_call(&c, post,
					booking_body(&a, pool.customer[k],
						     reps.v[pool.rep[k]].email,
						     s, e),
					201);
		}
		t0 = bench_now_us();
		for (size_t i = 0; bench_now_us() - t0 < o->seconds * 1e6;
		     i++) {
			struct arena ba;
			size_t k = (i + 20) % pool.n;
			int64_t s, e;
			double us;

			arena_init(&ba, 0);
			slots_take(&sl, pool.rep[k], &s, &e);
			us = http_call(&c, post,
				       booking_body(&ba, pool.customer[k],
						    reps.v[pool.rep[k]].email,
						    s, e),
				       201);
			if (us < 0) {
				book.errors++;
				if (book.errors == 1)
					fprintf(stderr,
						"appointments: booking "
						"failed: %.*s\n",
						(int)(c.b.len < 300 ? c.b.len
								    : 300),
						c.b.p ? c.b.p : "");
			} else {
				series_add(&book, us, 1);
				if (n_book_sizes < n)
					sizes[K__MAX][n_book_sizes++] = c.b.len;
			}
			arena_release(&ba);
		}
		elapsed = (bench_now_us() - t0) / 1e6;
	}

	/* the static baselines: files the size of the median answers */
	for (int k = 0; k < K__MAX; k++)
		if (static_baseline(&c, o, &a, kind_keys[k], sizes[k], n,
				    &st[k], &median[k]))
			goto out;
	if (static_baseline(&c, o, &a, "booking", sizes[K__MAX], n_book_sizes,
			    &st[K__MAX], &median[K__MAX]))
		goto out;

	if (o->rows_path && !(rows = fopen(o->rows_path, "a"))) {
		fprintf(stderr, "appointments: cannot write '%s'\n",
			o->rows_path);
		goto out;
	}
	printf("HTTP, one keep-alive client (%ld new connections in the "
	       "read pass)\n",
	       connects);
	print_header("HTTP beside a static file");
	{
		static const char *const labels[K__MAX] = {
		    "GET tab when=past", "GET tab when=upcoming",
		    "GET appointments?owner=&from=&to="};
		char key[32], label[64];

		for (int k = 0; k < K__MAX; k++) {
			str_printf(key, sizeof(key), "http_%s", kind_keys[k]);
			report(rows, key, labels[k], &lat[k]);
			str_printf(key, sizeof(key), "static_%s", kind_keys[k]);
			str_printf(label, sizeof(label), "  static %zu bytes",
				   median[k]);
			report(rows, key, label, &st[k]);
			if (rows)
				fprintf(rows, "info\tsize_%s\t%zu\n",
					kind_keys[k], median[k]);
		}
		report(rows, "http_book", "POST appointments (book)", &book);
		str_printf(label, sizeof(label), "  static %zu bytes",
			   median[K__MAX]);
		report(rows, "static_book", label, &st[K__MAX]);
		if (rows)
			fprintf(rows, "info\tsize_book\t%zu\n", median[K__MAX]);
	}
	report_rate(rows, "book_http", (double)book.n, elapsed);
	printf("  POST bookings: %.0f/s (%zu in %.1f s, %zu errors)\n",
	       elapsed > 0 ? (double)book.n / elapsed : 0, book.n, elapsed,
	       book.errors);
	rc = 0;
out:
	if (f)
		fclose(f);
	if (rows)
		fclose(rows);
	for (int k = 0; k <= K__MAX; k++) {
		free(sizes[k]);
		series_free(&st[k]);
		if (k < K__MAX) {
			series_free(&lat[k]);
			free(url[k]);
		}
	}
	series_free(&book);
	slots_free(&sl);
	pool_free(&pool);
	free(reps.v);
	sqlite3_close(db);
	if (c.h)
		curl_easy_cleanup(c.h);
	curl_slist_free_all(c.json);
	buf_release(&c.b);
	arena_release(&a);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"samples", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 's'},
	    {"out", required_argument, NULL, 'o'},
	    {"rows", required_argument, NULL, 'r'},
	    {"http", required_argument, NULL, 'u'},
	    {"db", required_argument, NULL, 'b'},
	    {"static-dir", required_argument, NULL, 'd'},
	    {"seconds", required_argument, NULL, 't'},
	    {"book", required_argument, NULL, 'B'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct measure_opts mo = {.samples = DEFAULT_SAMPLES, .seed = 1};
	struct http_opts ho = {.seconds = DEFAULT_SECONDS};
	const char *book = NULL;
	int64_t secs;
	int c;

	if (argc == 4 && strcmp(argv[1], "--load") == 0)
		return run_load(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "--cleanup") == 0)
		return run_cleanup(argv[2]);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!str_to_i64(optarg, 1, 1000000, &mo.samples))
				return usage();
			break;
		case 's':
			if (!str_to_i64(optarg, 0, INT64_MAX, &mo.seed))
				return usage();
			break;
		case 'o':
			mo.out = optarg;
			break;
		case 'r':
			mo.rows_path = ho.rows_path = optarg;
			break;
		case 'u':
			ho.url = optarg;
			break;
		case 'b':
			ho.db = optarg;
			break;
		case 'd':
			ho.static_dir = optarg;
			break;
		case 't':
			if (!str_to_i64(optarg, 1, 3600, &secs))
				return usage();
			ho.seconds = (double)secs;
			break;
		case 'B':
			book = optarg;
			break;
		default:
			return usage();
		}
	}
	if (book)
		return optind == argc ? run_book(book, ho.seconds, ho.rows_path)
				      : usage();
	if (optind + 1 != argc)
		return usage();
	if (ho.url) {
		int rc;

		if (!ho.static_dir || !ho.db)
			return usage();
		ho.samples = argv[optind];
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = run_http(&ho);
		curl_global_cleanup();
		return rc;
	}
	mo.db = argv[optind];
	return run_measure(&mo);
}
