/* SPDX-License-Identifier: MIT */
/*
 * The search benchmark (BENCHMARKS.md; driven by bench/search.sh). It
 * samples customers of a demo database, builds the four kinds of query a
 * user types (phone, customer number, contact name, company name) and
 * times search_run, the CLI's core call, beside the same lookup written as
 * one indexed SQLite query. Other modes create the database, write an
 * import CSV and time the HTTP API with one libcurl client. It prints
 * figures and never fails because a number is slow.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "bench.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/fold.h"
#include "core/phone.h"
#include "core/rng.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "service/demo.h"
#include "service/search.h"
#include "store/store.h"

#include "core/banned.h"

enum { DEFAULT_QUERIES = 2000, HIT_LIMIT = 20, MAX_LINE = 1024 };

/* Candidate caps of service/search.c, for the breakdown. */
enum { LOOKUP_CAP = 60, TEXT_CAP = 200 };

enum kind { K_PHONE, K_NUMBER, K_CONTACT, K_COMPANY, K__MAX };

static const char *const kind_names[K__MAX] = {
    [K_PHONE] = "phone",
    [K_NUMBER] = "number",
    [K_CONTACT] = "contact",
    [K_COMPANY] = "company",
};
_Static_assert(sizeof(kind_names) / sizeof(kind_names[0]) == K__MAX,
	       "one name per kind");

/* The baseline statement of each kind: one indexed SQLite query. */
static const char *const baseline_sql[K__MAX] = {
    [K_PHONE] = "SELECT customer_id FROM phones WHERE key = ?1",
    [K_NUMBER] = "SELECT id FROM customers WHERE number_key = ?1",
    [K_CONTACT] = "SELECT rowid FROM search_text WHERE search_text MATCH ?1 "
		  "LIMIT 20",
    [K_COMPANY] = "SELECT rowid FROM search_text WHERE search_text MATCH ?1 "
		  "LIMIT 20",
};
_Static_assert(sizeof(baseline_sql) / sizeof(baseline_sql[0]) == K__MAX,
	       "one baseline per kind");

struct bquery {
	enum kind kind;	 /* what the user typed */
	const char *q;	 /* the query as typed (arena) */
	const char *key; /* the baseline's bound parameter (arena) */
	int64_t expect;	 /* the sampled customer */
};

/* Latencies in microseconds and what was found. */
struct series {
	double *v;    /* owned: one value per query */
	size_t n;     /* values */
	size_t cap;   /* allocated */
	size_t found; /* the expected customer was among the hits */
	size_t full;  /* the answer held HIT_LIMIT hits */
	size_t hits;  /* total hits, for the mean */
};

/* ---- small helpers ---- */

static void
series_add(struct series *s, double us)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xrealloc(s->v, s->cap * sizeof(double));
	}
	s->v[s->n++] = us;
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

static void
series_sort(struct series *s)
{
	bench_sort(s->v, s->n);
}

static double
share(size_t part, size_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* One machine-readable row for bench/search.sh, appended to 'rows'. */
static void
put_row(FILE *rows, const char *section, const char *label,
	const struct series *s)
{
	if (!rows)
		return;
	fprintf(rows, "%s\t%s\t%.0f\t%.0f\t%.0f\t%.1f\t%.1f\t%.1f\n", section,
		label, pct(s, 0.50), pct(s, 0.99), mean(s),
		share(s->found, s->n), share(s->full, s->n),
		s->n ? (double)s->hits / (double)s->n : 0);
}

static void
print_series(const char *label, const struct series *s)
{
	printf("  %-28s %8.0f %8.0f %8.0f   %6.1f%% %6.1f%% %6.1f\n", label,
	       pct(s, 0.50), pct(s, 0.99), mean(s), share(s->found, s->n),
	       share(s->full, s->n), s->n ? (double)s->hits / (double)s->n : 0);
}

static void
print_header(const char *what)
{
	printf("  %-28s %8s %8s %8s   %7s %7s %6s\n", what, "p50 us", "p99 us",
	       "mean us", "found", "full", "hits");
}

static int
usage(void)
{
	fputs("usage: search DB [--queries N] [--seed S] [--out FILE] "
	      "[--rows FILE]\n"
	      "       search --generate N DB\n"
	      "       search --csv N DB FILE\n"
	      "       search --http URL --static-dir DIR [--rows FILE] "
	      "QUERYFILE\n",
	      stderr);
	return 2;
}

static int
fail(const char *what, const struct av_error *err)
{
	fprintf(stderr, "search: %s: %s\n", what, err->msg);
	return 1;
}

/* ---- --generate: the database ---- */

struct progress {
	double start;	/* bench_now_us() at the start */
	uint64_t shown; /* customers done at the last line printed */
};

static void
on_progress(uint64_t done, uint64_t total, void *ctx)
{
	struct progress *p = ctx;
	double s = (bench_now_us() - p->start) / 1e6;

	if (done != total && done - p->shown < total / 20)
		return;
	p->shown = done;
	fprintf(stderr,
		"search: generated %llu of %llu customers (%.0f%%) in %.0f s, "
		"%.0f customers/s\n",
		(unsigned long long)done, (unsigned long long)total,
		share(done, total), s, s > 0 ? (double)done / s : 0);
}

static int
run_generate(const char *count, const char *db)
{
	struct demo_options opt;
	struct demo_report rep = {0};
	struct av_error err = {0};
	struct progress p = {bench_now_us(), 0};
	struct store *s;
	int64_t n;

	if (!str_to_i64(count, 1, DEMO_MAX_CUSTOMERS, &n))
		return usage();
	if (store_open(db, STORE_FAST_UNSAFE, &s, &err))
		return fail("open", &err);
	demo_options_init(&opt);
	opt.appointments_per_customer = 0; /* customers only: search fixture */
	opt.customers = (uint64_t)n;
	opt.progress = on_progress;
	opt.progress_ctx = &p;
	if (demo_generate(s, &opt, &rep, &err)) {
		store_close(s);
		return fail("demo", &err);
	}
	store_close(s);
	fprintf(stderr,
		"search: %llu customers, %llu contacts in %.1f s "
		"(numbers %s..%s)\n",
		(unsigned long long)rep.customers,
		(unsigned long long)rep.contacts, rep.seconds, rep.first_number,
		rep.last_number);
	return 0;
}

/* ---- --csv: an import file in Avtale's own layout ---- */

static void
csv_field(FILE *f, const char *v, bool last)
{
	if (v && strpbrk(v, ";\"\r\n")) {
		fputc('"', f);
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else if (v) {
		fputs(v, f);
	}
	fputc(last ? '\n' : ';', f);
}

/*
 * The first 'count' customers of 'db', each with its first contact. The
 * owner stays empty: the fresh database the import goes into has none of
 * the demo reps (territories it creates from their codes).
 */
static int
run_csv(const char *count, const char *db, const char *path)
{
	struct av_error err = {0};
	struct customer_filter f = {.status = -1, .limit = 1000};
	struct store *s;
	int64_t want, done = 0;
	FILE *out;

	if (!str_to_i64(count, 1, INT64_MAX, &want))
		return usage();
	if (store_open(db, 0, &s, &err))
		return fail("open", &err);
	out = fopen(path, "w");
	if (!out) {
		store_close(s);
		fprintf(stderr, "search: cannot write '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	fputs("customer_number;name;status;phone;email;address;postcode;city;"
	      "country;territory;owner;contact_name;contact_title;"
	      "contact_phone;contact_mobile;contact_email\n",
	      out);
	while (done < want) {
		struct arena a;
		struct customer *v;
		size_t n;

		arena_init(&a, 0);
		if (store_customer_list(s, &f, &a, &v, &n, &err)) {
			arena_release(&a);
			break;
		}
		for (size_t i = 0; i < n && done < want; i++, done++) {
			struct contact *cs;
			size_t n_cs;
			const struct contact *k;

			if (store_contact_list(s, v[i].id, &a, &cs, &n_cs,
					       &err))
				break;
			k = n_cs ? &cs[0] : NULL;
			csv_field(out, v[i].customer_number, false);
			csv_field(out, v[i].name, false);
			csv_field(out, customer_status_name(v[i].status),
				  false);
			csv_field(out, v[i].phone, false);
			csv_field(out, v[i].email, false);
			csv_field(out, v[i].address, false);
			csv_field(out, v[i].postcode, false);
			csv_field(out, v[i].city, false);
			csv_field(out, v[i].country, false);
			csv_field(out, v[i].territory, false);
			csv_field(out, NULL, false);
			csv_field(out, k ? k->name : NULL, false);
			csv_field(out, k ? k->title : NULL, false);
			csv_field(out, k ? k->phone : NULL, false);
			csv_field(out, k ? k->mobile : NULL, false);
			csv_field(out, k ? k->email : NULL, true);
		}
		if (n)
			f.after_id = v[n - 1].id;
		arena_release(&a);
		if (err.code || n < f.limit)
			break;
	}
	store_close(s);
	if (fclose(out) != 0 || err.code) {
		fprintf(stderr, "search: writing '%s' failed: %s\n", path,
			err.code ? err.msg : strerror(errno));
		return 1;
	}
	fprintf(stderr, "search: wrote %lld customers to %s\n", (long long)done,
		path);
	return 0;
}

/* ---- building the queries ---- */

static bool
is_legal_form(const char *w)
{
	static const char *const forms[] = {"as",  "asa", "ab", "da", "ans",
					    "sa",  "og",  "&",	"i",  "ba",
					    "nuf", "hb",  "kb", "co", "and"};

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (str_ieq(w, forms[i]))
			return true;
	return false;
}

/* Code points in a UTF-8 string. */
static size_t
u8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Byte offset of code point 'cp' in 's'. */
static size_t
u8_offset(const char *s, size_t cp)
{
	size_t i = 0;

	while (s[i] && cp) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cp--;
	}
	return i;
}

/* The Norwegian letters typed without their keys: ø->o, æ->ae, å->a. */
static char *
ascii_nordic(struct arena *a, const char *s)
{
	struct buf b;
	char *r;

	buf_init(&b, 0);
	for (const char *p = s; *p; p++) {
		if ((unsigned char)p[0] == 0xC3 &&
		    (unsigned char)p[1] == 0xB8) {
			buf_addc(&b, 'o');
			p++;
		} else if ((unsigned char)p[0] == 0xC3 &&
			   (unsigned char)p[1] == 0xA6) {
			buf_adds(&b, "ae");
			p++;
		} else if ((unsigned char)p[0] == 0xC3 &&
			   (unsigned char)p[1] == 0xA5) {
			buf_addc(&b, 'a');
			p++;
		} else {
			buf_addc(&b, *p);
		}
	}
	r = arena_strndup(a, b.p, b.len);
	buf_release(&b);
	return r;
}

/* An FTS5 phrase over the columns the store's text lookup searches. */
static char *
fts_phrase(struct arena *a, const char *text)
{
	struct buf b;
	char *r;

	buf_init(&b, 0);
	buf_adds(&b, "{name people extra} : \"");
	for (const char *p = text; *p; p++) {
		if (*p == '"')
			buf_addc(&b, '"');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '"');
	r = arena_strndup(a, b.p, b.len);
	buf_release(&b);
	return r;
}

/*
 * The E.164 key of the number, written another way than it is stored:
 * digits only, +47 with spaces, 0047, or pairs.
 */
static const char *
phone_query(struct arena *a, struct rng *r, const char *stored, const char *key)
{
	const char *d = key + 1; /* digits with the country code */
	const char *forms[4];
	size_t n = 0;

	if (strncmp(key, "+47", 3) == 0 && strlen(key) == 11) {
		const char *nat = key + 3;

		forms[n++] = arena_printf(a, "%s", nat);
		forms[n++] = arena_printf(a, "+47 %.3s %.2s %.3s", nat, nat + 3,
					  nat + 5);
		forms[n++] = arena_printf(a, "0047 %s", nat);
		forms[n++] = arena_printf(a, "%.2s %.2s %.2s %.2s", nat,
					  nat + 2, nat + 4, nat + 6);
	} else {
		forms[n++] = arena_printf(a, "00%s", d);
		forms[n++] = arena_printf(a, "+%.2s %s", d, d + 2);
	}
	for (int tries = 0; tries < 8; tries++) {
		const char *f = forms[rng_below(r, n)];

		if (strcmp(f, stored) != 0)
			return f;
	}
	return forms[0];
}

/* The last word of a person's name. */
static const char *
surname(struct arena *a, const char *name)
{
	const char *sp = strrchr(name, ' ');

	return arena_strdup(a, sp ? sp + 1 : name);
}

/* Build the four queries for customer 'c'; false if it has no contact. */
static bool
build_queries(struct arena *a, struct rng *r, const struct customer *c,
	      const struct contact *cs, size_t n_cs, struct bquery *out)
{
	const struct contact *k;
	const char *stored, *sn;
	char key[32];
	char *words, *w, *save = NULL;
	char *pick[16];
	size_t n_pick = 0;

	if (!n_cs)
		return false;
	k = &cs[rng_below(r, n_cs)];

	/* phone: the contact's mobile, else the company's phone */
	stored = k->mobile && rng_below(r, 4) != 0 ? k->mobile : c->phone;
	if (!stored || !phone_normalize(stored, c->country, key, sizeof(key)))
		stored = k->mobile ? k->mobile : k->phone;
	if (!stored || !phone_normalize(stored, c->country, key, sizeof(key)))
		return false;
	out[K_PHONE].q = phone_query(a, r, stored, key);
	out[K_PHONE].key = arena_strdup(a, key);

	/* customer number, exact */
	out[K_NUMBER].q = c->customer_number;
	out[K_NUMBER].key =
	    fold_case(a, c->customer_number, strlen(c->customer_number));

	/* contact: the surname, or 5-8 characters of it */
	sn = surname(a, k->name);
	if (u8_len(sn) >= 6 && rng_below(r, 2)) {
		size_t len = u8_len(sn);
		size_t take = 5 + rng_below(r, 4);
		size_t from, b0, b1;

		if (take > len)
			take = len;
		from = rng_below(r, len - take + 1);
		b0 = u8_offset(sn, from);
		b1 = u8_offset(sn, from + take);
		sn = fold_case(a, sn + b0, b1 - b0);
	}
	out[K_CONTACT].q = sn;

	/* company: one word of the name, lower-case, sometimes without øæå */
	words = arena_strdup(a, c->name);
	for (w = strtok_r(words, " ", &save); w && n_pick < 16;
	     w = strtok_r(NULL, " ", &save))
		if (u8_len(w) >= 3 && !is_legal_form(w))
			pick[n_pick++] = w;
	if (!n_pick)
		return false;
	w = pick[rng_below(r, n_pick)];
	w = fold_case(a, w, strlen(w));
	out[K_COMPANY].q = rng_below(r, 2) ? ascii_nordic(a, w) : w;

	for (int i = 0; i < K__MAX; i++) {
		out[i].kind = (enum kind)i;
		out[i].expect = c->id;
		if (i == K_CONTACT || i == K_COMPANY)
			out[i].key = fts_phrase(
			    a, fold_search(a, out[i].q, strlen(out[i].q)));
		if (!out[i].q || !out[i].key || strpbrk(out[i].q, "\t\n"))
			return false;
	}
	return true;
}

/* ---- the breakdown: which lookups search_run makes, and their cost ---- */

struct lookup_cost {
	double us;	   /* total time in this lookup */
	size_t calls;	   /* times it ran */
	size_t candidates; /* candidates it returned */
};

struct breakdown {
	struct lookup_cost src[SRC__MAX]; /* per store lookup */
	double rows_us;			  /* store_search_row, all candidates */
	size_t rows;			  /* candidates read */
	size_t queries;			  /* queries measured */
};

static const char *const src_names[SRC__MAX] = {
    [SRC_PHONE_EXACT] = "phone=",   [SRC_PHONE_PART] = "phone~",
    [SRC_NUMBER_EXACT] = "number=", [SRC_NUMBER_PREFIX] = "number^",
    [SRC_NAME_PREFIX] = "name^",    [SRC_PERSON_PREFIX] = "person^",
    [SRC_TEXT] = "trigram",
};

/* Run one lookup, timed; returns the candidates it added. */
static size_t
timed_lookup(struct store *s, enum search_source src, const char *key,
	     size_t cap, struct arena *a, struct search_candidate **cand,
	     size_t *n_cand, struct breakdown *bd)
{
	struct av_error err = {0};
	size_t before = *n_cand;
	double t0 = bench_now_us();

	(void)store_search_lookup(s, src, key, cap, a, cand, n_cand, &err);
	bd->src[src].us += bench_now_us() - t0;
	bd->src[src].calls++;
	bd->src[src].candidates += *n_cand - before;
	return *n_cand - before;
}

/*
 * Replays the lookups search_run makes for 'q' (mirrors prepare_query and
 * gather in service/search.c, inside one read transaction as search_run
 * is) and times each, then reads the ranking row of every distinct
 * candidate. What remains of search_run's time is ranking, sorting and
 * reading the contacts of the hits returned.
 */
static void
breakdown_one(struct store *s, const char *q, struct breakdown *bd)
{
	struct arena a;
	struct av_error err = {0};
	struct search_candidate *cand = NULL;
	size_t n_cand = 0, exact;
	char phone[32] = "", part[32] = "";
	const char *fcase, *fsrch;

	arena_init(&a, 0);
	fcase = fold_case(&a, q, strlen(q));
	fsrch = fold_search(&a, q, strlen(q));
	if (phone_looks_like(q)) {
		char digits[32];

		if (phone_normalize(q, "NO", phone, sizeof(phone)) &&
		    (q[0] == '+' || strncmp(q, "00", 2) == 0 ||
		     strncmp(q, "(+", 2) == 0))
			str_printf(part, sizeof(part), "%s", phone + 1);
		else if (phone_digits(q, digits, sizeof(digits)))
			str_printf(part, sizeof(part), "%s", digits);
		if (strlen(part) < 4)
			part[0] = '\0';
	}
	if (store_begin_read(s, &err)) {
		arena_release(&a);
		return;
	}
	if (phone[0])
		timed_lookup(s, SRC_PHONE_EXACT, phone, LOOKUP_CAP, &a, &cand,
			     &n_cand, bd);
	timed_lookup(s, SRC_NUMBER_EXACT, fcase, LOOKUP_CAP, &a, &cand, &n_cand,
		     bd);
	timed_lookup(s, SRC_NUMBER_PREFIX, fcase, LOOKUP_CAP, &a, &cand,
		     &n_cand, bd);
	exact = n_cand;
	if (part[0] && exact == 0)
		timed_lookup(s, SRC_PHONE_PART, part, LOOKUP_CAP, &a, &cand,
			     &n_cand, bd);
	if (!phone[0] && !part[0]) {
		timed_lookup(s, SRC_NAME_PREFIX, fsrch, LOOKUP_CAP, &a, &cand,
			     &n_cand, bd);
		timed_lookup(s, SRC_PERSON_PREFIX, fsrch, LOOKUP_CAP, &a, &cand,
			     &n_cand, bd);
		if (n_cand < HIT_LIMIT && strlen(fsrch) >= 3)
			timed_lookup(s, SRC_TEXT, fsrch, TEXT_CAP, &a, &cand,
				     &n_cand, bd);
	}
	{
		double t0 = bench_now_us();

		for (size_t i = 0; i < n_cand; i++) {
			struct search_row r;
			size_t j;

			for (j = 0; j < i; j++)
				if (cand[j].customer_id == cand[i].customer_id)
					break;
			if (j < i)
				continue;
			(void)store_search_row(s, cand[i].customer_id, &a, &r,
					       &err);
			bd->rows++;
		}
		bd->rows_us += bench_now_us() - t0;
	}
	store_rollback(s);
	bd->queries++;
	arena_release(&a);
}

/* ---- the core run ---- */

struct core_opts {
	const char *db;	       /* the database */
	int64_t queries;       /* customers to sample */
	int64_t seed;	       /* sampling seed */
	const char *out;       /* query file for the HTTP part */
	const char *rows_path; /* machine-readable rows, or NULL */
};

static int
sample(struct store *s, sqlite3 *db, const struct core_opts *o, struct arena *a,
       struct bquery **out, size_t *n_out)
{
	sqlite3_stmt *st;
	int64_t lo = 0, hi = 0;
	struct rng r = {(uint64_t)o->seed};
	struct bquery *v = xcalloc((size_t)o->queries * K__MAX, sizeof(*v));
	size_t n = 0;
	size_t misses = 0;

	if (sqlite3_prepare_v2(db, "SELECT min(id), max(id) FROM customers", -1,
			       &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		fprintf(stderr, "search: %s\n", sqlite3_errmsg(db));
		free(v);
		return 1;
	}
	lo = sqlite3_column_int64(st, 0);
	hi = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	while (n < (size_t)o->queries * K__MAX && misses < 100000 && hi) {
		struct av_error err = {0};
		struct customer c;
		struct contact *cs;
		size_t n_cs;
		int64_t id =
		    lo + (int64_t)rng_below(&r, (uint64_t)(hi - lo + 1));

		if (store_customer_get(s, id, a, &c, &err) ||
		    store_contact_list(s, id, a, &cs, &n_cs, &err) ||
		    !build_queries(a, &r, &c, cs, n_cs, v + n)) {
			misses++;
			continue;
		}
		n += K__MAX;
	}
	*out = v;
	*n_out = n;
	return 0;
}

static int
write_queries(const char *path, const struct bquery *v, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "search: cannot write '%s': %s\n", path,
			strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\t%lld\n", kind_names[v[i].kind], v[i].q,
			(long long)v[i].expect);
	return fclose(f) != 0;
}

/* search_run once; returns microseconds, records found/full/hits. */
static double
time_core(struct store *s, const struct bquery *q, struct series *ser)
{
	struct arena a;
	struct av_error err = {0};
	struct search_hit *hits = NULL;
	size_t n = 0;
	double t0, t1;

	arena_init(&a, 0);
	t0 = bench_now_us();
	if (search_run(s, q->q, HIT_LIMIT, &a, &hits, &n, &err))
		n = 0;
	t1 = bench_now_us();
	if (ser) {
		for (size_t i = 0; i < n; i++)
			if (hits[i].customer_id == q->expect) {
				ser->found++;
				break;
			}
		ser->full += n == HIT_LIMIT;
		ser->hits += n;
	}
	arena_release(&a);
	return t1 - t0;
}

/* The baseline once: bind, step every row, reset. */
static double
time_base(sqlite3_stmt *st, const struct bquery *q, struct series *ser)
{
	double t0, t1;
	size_t n = 0;
	bool found = false;

	t0 = bench_now_us();
	sqlite3_bind_text(st, 1, q->key, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		found |= sqlite3_column_int64(st, 0) == q->expect;
		n++;
	}
	sqlite3_reset(st);
	t1 = bench_now_us();
	if (ser) {
		ser->found += found;
		ser->full += n >= HIT_LIMIT;
		ser->hits += n;
	}
	return t1 - t0;
}

static void
print_breakdown(const struct breakdown *bd, const struct series *core)
{
	double look = 0, q = bd->queries ? (double)bd->queries : 1;

	printf("   ");
	for (int i = 0; i < SRC__MAX; i++) {
		const struct lookup_cost *c = &bd->src[i];

		if (!c->calls)
			continue;
		look += c->us;
		printf(" %s %.0f us/%.1f cand", src_names[i], c->us / q,
		       (double)c->candidates / q);
		if (c->calls < bd->queries)
			printf(" (in %.0f%%)", share(c->calls, bd->queries));
		printf(";");
	}
	printf("\n    lookups %.0f us + reading %.1f ranking rows %.0f us; "
	       "search_run mean %.0f us (the rest: ranking, contacts of the "
	       "hits)\n",
	       look / q, (double)bd->rows / q, bd->rows_us / q, mean(core));
}

static int
run_core(const struct core_opts *o)
{
	struct av_error err = {0};
	struct store *s = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *base[K__MAX] = {0};
	struct arena a;
	struct bquery *v = NULL;
	size_t n = 0;
	int64_t customers = 0;
	struct series core[K__MAX] = {0}, bs[K__MAX] = {0};
	struct breakdown bd[K__MAX] = {0};
	FILE *rows = NULL;
	int rc = 1;

	arena_init(&a, 1 << 20);
	if (store_open(o->db, 0, &s, &err)) {
		fail("open", &err);
		goto out;
	}
	if (store_customer_count(s, &customers, &err)) {
		fail("count", &err);
		goto out;
	}
	if (sqlite3_open_v2(o->db, &db, SQLITE_OPEN_READONLY, NULL) !=
		SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA cache_size = -65536", NULL, NULL, NULL) !=
		SQLITE_OK) {
		fprintf(stderr, "search: %s\n", sqlite3_errmsg(db));
		goto out;
	}
	for (int k = 0; k < K__MAX; k++)
		if (sqlite3_prepare_v2(db, baseline_sql[k], -1, &base[k],
				       NULL) != SQLITE_OK) {
			fprintf(stderr, "search: %s\n", sqlite3_errmsg(db));
			goto out;
		}
	if (sample(s, db, o, &a, &v, &n))
		goto out;
	if (o->out && write_queries(o->out, v, n))
		goto out;
	if (o->rows_path) {
		rows = fopen(o->rows_path, "a");
		if (!rows) {
			fprintf(stderr, "search: cannot write '%s'\n",
				o->rows_path);
			goto out;
		}
	}
	fprintf(stderr, "search: %zu queries over %lld customers\n", n,
		(long long)customers);

	/* One untimed pass warms SQLite's cache and the OS page cache. */
	for (size_t i = 0; i < n; i++) {
		(void)time_core(s, &v[i], NULL);
		(void)time_base(base[v[i].kind], &v[i], NULL);
	}
	for (size_t i = 0; i < n; i++) {
		enum kind k = v[i].kind;

		series_add(&core[k], time_core(s, &v[i], &core[k]));
		series_add(&bs[k], time_base(base[k], &v[i], &bs[k]));
	}
	for (size_t i = 0; i < n; i++)
		breakdown_one(s, v[i].q, &bd[v[i].kind]);

	printf("search at %lld customers, %zu queries of each kind "
	       "(limit %d)\n",
	       (long long)customers, n / K__MAX, HIT_LIMIT);
	print_header("core call");
	for (int k = 0; k < K__MAX; k++) {
		char label[64];

		series_sort(&core[k]);
		series_sort(&bs[k]);
		str_printf(label, sizeof(label), "%s: search_run",
			   kind_names[k]);
		print_series(label, &core[k]);
		str_printf(label, sizeof(label), "%s: sqlite baseline",
			   kind_names[k]);
		print_series(label, &bs[k]);
		put_row(rows, "core", kind_names[k], &core[k]);
		put_row(rows, "sqlite", kind_names[k], &bs[k]);
	}
	printf("where search_run's time goes (mean per query; = exact, ~ "
	       "digits substring, ^ prefix; in: share of queries that ran "
	       "it):\n");
	for (int k = 0; k < K__MAX; k++) {
		printf("  %s:\n", kind_names[k]);
		print_breakdown(&bd[k], &core[k]);
	}
	printf("found: the sampled customer is among the hits; full: the "
	       "answer has %d hits\n",
	       HIT_LIMIT);
	rc = 0;
out:
	if (rows)
		fclose(rows);
	for (int k = 0; k < K__MAX; k++) {
		sqlite3_finalize(base[k]);
		free(core[k].v);
		free(bs[k].v);
	}
	sqlite3_close(db);
	store_close(s);
	free(v);
	arena_release(&a);
	return rc;
}

/* ---- --http: one keep-alive client against the server ---- */

struct http_client {
	CURL *h;       /* owned: the easy handle, one connection */
	struct buf b;  /* the last answer's body */
	long connects; /* new connections opened so far */
};

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;

	buf_add(b, p, size * n);
	return size * n;
}

/* GET 'url'; returns microseconds, or -1 when the answer is not 200. */
static double
http_get(struct http_client *c, const char *url)
{
	long status = 0, connects = 0;
	double t0, t1;

	buf_reset(&c->b);
	curl_easy_setopt(c->h, CURLOPT_URL, url);
	t0 = bench_now_us();
	if (curl_easy_perform(c->h) != CURLE_OK)
		return -1;
	t1 = bench_now_us();
	curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c->h, CURLINFO_NUM_CONNECTS, &connects);
	c->connects += connects;
	return status == 200 ? t1 - t0 : -1;
}

static bool
answer_has(const struct buf *b, int64_t id, size_t *n_hits)
{
	json_t *doc = json_loadb(b->p, b->len, 0, NULL);
	json_t *items = json_object_get(doc, "items");
	bool found = false;
	size_t i;
	json_t *it;

	*n_hits = json_array_size(items);
	json_array_foreach(items, i, it)
	{
		if (json_integer_value(json_object_get(it, "customer_id")) ==
		    id)
			found = true;
	}
	json_decref(doc);
	return found;
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

static int
run_http(const char *base_url, const char *static_dir, const char *qpath,
	 const char *rows_path)
{
	struct http_client c = {0};
	struct bquery *v = NULL;
	size_t n = 0, cap = 0, n_err = 0, *sizes = NULL;
	struct series ser[K__MAX] = {0}, st = {0};
	struct arena a;
	char line[MAX_LINE];
	FILE *f = fopen(qpath, "r");
	FILE *rows = NULL;
	const char *static_url;
	long connects = 0;
	int rc = 1;

	arena_init(&a, 1 << 20);
	if (!f) {
		fprintf(stderr, "search: cannot read '%s'\n", qpath);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *k = line, *q = strchr(line, '\t'), *id;
		int64_t expect;
		int kind;

		if (!q)
			continue;
		*q++ = '\0';
		id = strchr(q, '\t');
		if (!id)
			continue;
		*id++ = '\0';
		id[strcspn(id, "\n")] = '\0';
		for (kind = 0; kind < K__MAX; kind++)
			if (strcmp(k, kind_names[kind]) == 0)
				break;
		if (kind == K__MAX || !str_to_i64(id, 1, INT64_MAX, &expect))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[n].kind = (enum kind)kind;
		v[n].expect = expect;
		v[n].key = NULL;
		{
			char *e = curl_easy_escape(NULL, q, 0);
			v[n].q =
			    arena_printf(&a, "%sapi/v1/search?q=%s&limit=%d",
					 base_url, e, HIT_LIMIT);
			curl_free(e);
		}
		n++;
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "search: no queries in '%s'\n", qpath);
		goto out;
	}
	buf_init(&c.b, 0);
	c.h = curl_easy_init();
	curl_easy_setopt(c.h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c.h, CURLOPT_WRITEDATA, &c.b);
	curl_easy_setopt(c.h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c.h, CURLOPT_NOPROXY, "*");
	sizes = xcalloc(n, sizeof(*sizes));

	/* Warm-up pass: also measures the answer sizes. */
	for (size_t i = 0; i < n; i++) {
		(void)http_get(&c, v[i].q);
		sizes[i] = c.b.len;
	}
	c.connects = 0;
	for (size_t i = 0; i < n; i++) {
		struct series *s = &ser[v[i].kind];
		double us = http_get(&c, v[i].q);
		size_t hits = 0;

		if (us < 0) {
			n_err++;
			continue;
		}
		series_add(s, us);
		s->found += answer_has(&c.b, v[i].expect, &hits);
		s->full += hits == HIT_LIMIT;
		s->hits += hits;
	}
	connects = c.connects;

	/* The static baseline: a file the size of the median answer. */
	qsort(sizes, n, sizeof(*sizes), cmp_size);
	{
		const char *path =
		    arena_printf(&a, "%s/answer.json", static_dir);

		if (write_static(path, sizes[n / 2])) {
			fprintf(stderr, "search: cannot write '%s'\n", path);
			goto out;
		}
	}
	static_url = arena_printf(&a, "%sanswer.json", base_url);
	for (size_t i = 0; i < n / K__MAX; i++)
		(void)http_get(&c, static_url);
	for (size_t i = 0; i < n / K__MAX; i++) {
		double us = http_get(&c, static_url);

		if (us < 0) {
			n_err++;
			continue;
		}
		series_add(&st, us);
		st.found++; /* "found" here: answered 200 */
	}

	if (rows_path)
		rows = fopen(rows_path, "a");
	printf("HTTP, one keep-alive client: GET /api/v1/search?q=...&limit=%d "
	       "(median answer %zu bytes; %zu errors; %ld new connections in "
	       "the timed pass)\n",
	       HIT_LIMIT, sizes[n / 2], n_err, connects);
	print_header("HTTP");
	for (int k = 0; k < K__MAX; k++) {
		char label[64];

		series_sort(&ser[k]);
		str_printf(label, sizeof(label), "%s: GET search",
			   kind_names[k]);
		print_series(label, &ser[k]);
		put_row(rows, "http", kind_names[k], &ser[k]);
	}
	series_sort(&st);
	{
		char label[64];

		str_printf(label, sizeof(label), "static %zu bytes",
			   sizes[n / 2]);
		print_series(label, &st);
		put_row(rows, "static", label, &st);
	}
	rc = 0;
out:
	if (rows)
		fclose(rows);
	for (int k = 0; k < K__MAX; k++)
		free(ser[k].v);
	free(st.v);
	free(sizes);
	free(v);
	if (c.h)
		curl_easy_cleanup(c.h);
	buf_release(&c.b);
	arena_release(&a);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"queries", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 's'},
	    {"out", required_argument, NULL, 'o'},
	    {"rows", required_argument, NULL, 'r'},
	    {"http", required_argument, NULL, 'u'},
	    {"static-dir", required_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct core_opts o = {.queries = DEFAULT_QUERIES, .seed = 1};
	const char *url = NULL, *static_dir = NULL;
	int c;

	if (argc == 4 && strcmp(argv[1], "--generate") == 0)
		return run_generate(argv[2], argv[3]);
	if (argc == 5 && strcmp(argv[1], "--csv") == 0)
		return run_csv(argv[2], argv[3], argv[4]);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (!str_to_i64(optarg, 1, 1000000, &o.queries))
				return usage();
			break;
		case 's':
			if (!str_to_i64(optarg, 0, INT64_MAX, &o.seed))
				return usage();
			break;
		case 'o':
			o.out = optarg;
			break;
		case 'r':
			o.rows_path = optarg;
			break;
		case 'u':
			url = optarg;
			break;
		case 'd':
			static_dir = optarg;
			break;
		default:
			return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	if (url) {
		int rc;

		if (!static_dir)
			return usage();
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = run_http(url, static_dir, argv[optind], o.rows_path);
		curl_global_cleanup();
		return rc;
	}
	o.db = argv[optind];
	return run_core(&o);
}
