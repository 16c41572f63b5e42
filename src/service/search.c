/* SPDX-License-Identifier: MIT */
/*
 * Search: normalise the query once, ask the store for candidates from each
 * index (phone keys, customer numbers, name prefixes, trigram text), rank
 * them from the folded text stored with each record, and read contacts
 * only for the hits that are returned. All inside one read transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "core/fold.h"
#include "core/phone.h"
#include "core/str.h"
#include "service/search.h"

#include "core/banned.h"

/* Per-index candidate cap: prefix lists are short, substring lists long. */
enum { LOOKUP_CAP = 60, TEXT_CAP = 200 };

struct query {
	const char *raw;   /* trimmed query */
	const char *fcase; /* case-folded (NFC) */
	const char *fsrch; /* search-folded (accents, æøå) */
	char phone[32];	   /* E.164 key, "" if not a phone number */
	char part[32];	   /* digits for a partial phone match, or "" */
};

/* A hit while ranking: the public part and what finishing it needs. */
struct ranked {
	struct search_hit h;	    /* the answer */
	const struct search_row *r; /* borrowed: the record's row */
	int person;		    /* matching contact line, or -1 */
	enum search_source source;  /* the lookup that found it */
};

static bool
contains(const char *hay, const char *needle)
{
	return hay && needle && *needle && strstr(hay, needle);
}

static bool
starts(const char *hay, const char *needle)
{
	return hay && needle && strncmp(hay, needle, strlen(needle)) == 0;
}

/* True if needle[0..nlen) occurs in hay[0..len). */
static bool
span_contains(const char *hay, size_t len, const char *needle, size_t nlen)
{
	for (size_t i = 0; nlen && i + nlen <= len; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return true;
	return false;
}

/* Which line of 'lines' (one folded name per line) matches, and how:
 * 1 prefix, 2 substring, -1 none. */
static int
line_match(const char *lines, const char *needle, int *index_out)
{
	int best = -1, idx = 0;
	size_t nlen = strlen(needle);

	*index_out = -1;
	for (const char *p = lines; p && *p; idx++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		int r = -1;

		if (len >= nlen && strncmp(p, needle, nlen) == 0)
			r = 1;
		else if (span_contains(p, len, needle, nlen))
			r = 2;
		if (r > 0 && (best < 0 || r < best)) {
			best = r;
			*index_out = idx;
		}
		p = nl ? nl + 1 : NULL;
	}
	return best;
}

/*
 * First ranking, from the folded text stored with the record: no record or
 * contact is read and nothing is folded again. False if the candidate does
 * not match after all.
 */
static bool
rank_row(struct arena *a, const struct query *q,
	 const struct search_candidate *cand, const struct search_row *r,
	 struct ranked *out)
{
	struct search_hit *h = &out->h;
	int rn, rp, person = -1;

	memset(out, 0, sizeof(*out));
	out->r = r;
	out->person = -1;
	out->source = cand->source;
	h->customer_id = r->id;
	h->customer_number = r->customer_number;
	h->name = r->name;
	h->status = r->status;
	h->phone = r->phone;
	h->contact_id = cand->contact_id;
	switch (cand->source) {
	case SRC_PHONE_EXACT:
	case SRC_PHONE_PART:
		h->matched = "phone";
		h->rank = cand->source == SRC_PHONE_EXACT ? 0 : 2;
		return true;
	case SRC_NUMBER_EXACT:
	case SRC_NUMBER_PREFIX:
		h->matched = "customer_number";
		h->rank = cand->source == SRC_NUMBER_EXACT ? 0 : 1;
		return true;
	default:
		break;
	}
	rn = starts(r->name_fold, q->fsrch)	? 1
	     : contains(r->name_fold, q->fsrch) ? 2
						: -1;
	rp = line_match(r->people, q->fsrch, &person);
	if (rn > 0 && (rp < 0 || rn <= rp)) {
		h->matched = "name";
		h->rank = rn;
		return true;
	}
	if (rp > 0) {
		h->matched = "contact";
		h->rank = rp;
		out->person = person;
		return true;
	}
	if (contains(r->extra, q->fsrch)) {
		const char *num = fold_case(a, r->customer_number,
					    strlen(r->customer_number));
		h->matched =
		    contains(num, q->fcase) ? "customer_number" : "email";
		h->rank = 2;
		return true;
	}
	return false;
}

static int
cmp_ranked(const void *pa, const void *pb)
{
	const struct search_hit *a = &((const struct ranked *)pa)->h;
	const struct search_hit *b = &((const struct ranked *)pb)->h;
	int c;

	if (a->rank != b->rank)
		return a->rank - b->rank;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	return (a->customer_id > b->customer_id) -
	       (a->customer_id < b->customer_id);
}

/* A name hit that holds only after folding (ø typed as o...) ranks 3. */
static void
demote_if_folded_only(struct arena *a, const struct query *q, const char *name,
		      struct search_hit *h)
{
	const char *fc = fold_case(a, name, strlen(name));

	if (h->rank == 1 && !starts(fc, q->fcase))
		h->rank = contains(fc, q->fcase) ? 2 : 3;
	else if (h->rank == 2 && !contains(fc, q->fcase))
		h->rank = 3;
}

/* Does 'text' hold the phone the query asked for? */
static bool
phone_hit(const struct query *q, const char *text, const char *country)
{
	char key[32];

	if (!text || !phone_normalize(text, country, key, sizeof(key)))
		return false;
	return q->phone[0] ? strcmp(key, q->phone) == 0 ||
				 (q->part[0] && strstr(key, q->part))
			   : q->part[0] && strstr(key, q->part);
}

/* Fill in the contact of a returned hit and settle its rank. */
static enum av_err
finish_hit(struct store *s, struct arena *a, const struct query *q,
	   struct ranked *x, struct av_error *err)
{
	struct search_hit *h = &x->h;
	struct contact *cs;
	size_t n;
	enum av_err rc;

	if (x->source == SRC_NUMBER_EXACT || x->source == SRC_NUMBER_PREFIX)
		return AV_OK;
	if (h->matched[0] == 'n') { /* "name" */
		demote_if_folded_only(a, q, h->name, h);
		return AV_OK;
	}
	if (x->source != SRC_PHONE_EXACT && x->source != SRC_PHONE_PART &&
	    x->person < 0)
		return AV_OK;
	/* a person matched: read the customer's contacts once */
	rc = store_contact_list(s, h->customer_id, a, &cs, &n, err);
	if (rc)
		return rc;
	if (x->person >= 0 && (size_t)x->person < n) {
		h->contact = cs[x->person].name;
		h->contact_id = cs[x->person].id;
		/* the person's own number, the one an agent would dial */
		if (cs[x->person].mobile || cs[x->person].phone)
			h->phone = cs[x->person].mobile ? cs[x->person].mobile
							: cs[x->person].phone;
		demote_if_folded_only(a, q, h->contact, h);
		return AV_OK;
	}
	if (phone_hit(q, x->r->phone, x->r->country))
		return AV_OK; /* the company's own number */
	for (size_t i = 0; i < n; i++) {
		const char *nums[2] = {cs[i].phone, cs[i].mobile};
		for (int k = 0; k < 2; k++) {
			if (phone_hit(q, nums[k], x->r->country)) {
				h->contact = cs[i].name;
				h->contact_id = cs[i].id;
				h->phone = nums[k];
				return AV_OK;
			}
		}
		for (const char *p = cs[i].other_phones; p && *p;) {
			const char *nl = strchr(p, '\n');
			char *one = arena_strndup(
			    a, p, nl ? (size_t)(nl - p) : strlen(p));
			if (phone_hit(q, one, x->r->country)) {
				h->contact = cs[i].name;
				h->contact_id = cs[i].id;
				h->phone = one;
				return AV_OK;
			}
			p = nl ? nl + 1 : NULL;
		}
	}
	return AV_OK;
}

static enum av_err
prepare_query(struct arena *a, const char *query, struct query *q,
	      struct av_error *err)
{
	struct str t = str_trim(str_from(query ? query : ""));

	memset(q, 0, sizeof(*q));
	if (t.len == 0)
		return av_field_errorf(err, AV_EINVAL, "q",
				       "'q' must not be empty");
	if (t.len > SEARCH_QUERY_MAX)
		return av_field_errorf(err, AV_EINVAL, "q",
				       "'q' is longer than %d bytes",
				       SEARCH_QUERY_MAX);
	if (!str_valid_utf8(t.p, t.len))
		return av_field_errorf(err, AV_EINVAL, "q",
				       "'q' is not valid UTF-8");
	q->raw = arena_strndup(a, t.p, t.len);
	q->fcase = fold_case(a, t.p, t.len);
	q->fsrch = fold_search(a, t.p, t.len);
	if (!q->fcase || !q->fsrch)
		return av_field_errorf(err, AV_EINVAL, "q",
				       "'q' is not valid UTF-8");
	if (phone_looks_like(q->raw)) {
		char digits[32];
		if (phone_normalize(q->raw, "NO", q->phone, sizeof(q->phone)) &&
		    (q->raw[0] == '+' || starts(q->raw, "00") ||
		     starts(q->raw, "(+")))
			str_printf(q->part, sizeof(q->part), "%s",
				   q->phone + 1);
		else if (phone_digits(q->raw, digits, sizeof(digits)))
			str_printf(q->part, sizeof(q->part), "%s", digits);
		/* a partial number needs 4 digits to mean anything */
		if (strlen(q->part) < 4)
			q->part[0] = '\0';
	}
	return AV_OK;
}

/* Candidates of every lookup that applies, in rank order of the lookups. */
static enum av_err
gather(struct store *s, struct arena *a, const struct query *q, size_t limit,
       struct search_candidate **cand, size_t *n, struct av_error *err)
{
	enum av_err rc;
	size_t exact;

	if (q->phone[0] &&
	    (rc = store_search_lookup(s, SRC_PHONE_EXACT, q->phone, LOOKUP_CAP,
				      a, cand, n, err)))
		return rc;
	if ((rc = store_search_lookup(s, SRC_NUMBER_EXACT, q->fcase, LOOKUP_CAP,
				      a, cand, n, err)) ||
	    (rc = store_search_lookup(s, SRC_NUMBER_PREFIX, q->fcase,
				      LOOKUP_CAP, a, cand, n, err)))
		return rc;
	exact = *n;
	/* Digits inside numbers only when nothing matched exactly: the
	 * trigram lookup over millions of numbers is the slow one. */
	if (q->part[0] && exact == 0 &&
	    (rc = store_search_lookup(s, SRC_PHONE_PART, q->part, LOOKUP_CAP, a,
				      cand, n, err)))
		return rc;
	/* A phone-shaped query is not also a name. */
	if (q->phone[0] || q->part[0])
		return AV_OK;
	if ((rc = store_search_lookup(s, SRC_NAME_PREFIX, q->fsrch, LOOKUP_CAP,
				      a, cand, n, err)) ||
	    (rc = store_search_lookup(s, SRC_PERSON_PREFIX, q->fsrch,
				      LOOKUP_CAP, a, cand, n, err)))
		return rc;
	/* Substrings rank after prefixes: ask only if the page is not full. */
	if (*n < limit && strlen(q->fsrch) >= 3)
		return store_search_lookup(s, SRC_TEXT, q->fsrch, TEXT_CAP, a,
					   cand, n, err);
	return AV_OK;
}

static bool
in_scope(const struct search_scope *sc, const struct search_row *r)
{
	if (!sc || (!sc->owner_id && !sc->territory_id))
		return true;
	return r->owner_id == sc->owner_id ||
	       (sc->territory_id && r->territory_id == sc->territory_id);
}

static enum av_err
run(struct store *s, struct arena *a, const struct query *q, size_t limit,
    const struct search_scope *scope, struct search_hit **out, size_t *n_out,
    struct av_error *err)
{
	struct search_candidate *cand = NULL;
	struct ranked *hits;
	size_t n_cand = 0, n = 0;
	enum av_err rc;

	if ((rc = gather(s, a, q, limit, &cand, &n_cand, err)))
		return rc;
	hits = arena_alloc(a, (n_cand + 1) * sizeof(*hits));
	for (size_t i = 0; i < n_cand; i++) {
		struct search_row *r;
		struct ranked x;
		size_t j;

		/* earlier lookups rank at least as well: keep the first */
		for (j = 0; j < n; j++)
			if (hits[j].h.customer_id == cand[i].customer_id)
				break;
		if (j < n && hits[j].h.rank <= 1)
			continue;
		r = arena_alloc(a, sizeof(*r));
		rc = store_search_row(s, cand[i].customer_id, a, r, err);
		if (rc == AV_ENOTFOUND) {
			av_error_clear(err);
			continue;
		}
		if (rc)
			return rc;
		if (!in_scope(scope, r) || !rank_row(a, q, &cand[i], r, &x))
			continue;
		if (j < n) {
			if (x.h.rank < hits[j].h.rank)
				hits[j] = x;
		} else {
			hits[n++] = x;
		}
	}
	if (n)
		qsort(hits, n, sizeof(*hits), cmp_ranked);
	if (n > limit)
		n = limit;
	for (size_t i = 0; i < n; i++)
		if ((rc = finish_hit(s, a, q, &hits[i], err)))
			return rc;
	/* folding may have demoted a hit: order the page again */
	if (n)
		qsort(hits, n, sizeof(*hits), cmp_ranked);
	*out = arena_alloc(a, (n + 1) * sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = hits[i].h;
	*n_out = n;
	return AV_OK;
}

enum av_err
search_run(struct store *s, const char *query, size_t limit, struct arena *a,
	   struct search_hit **out, size_t *n_out, struct av_error *err)
{
	return search_run_scoped(s, query, limit, NULL, a, out, n_out, err);
}

enum av_err
search_run_scoped(struct store *s, const char *query, size_t limit,
		  const struct search_scope *scope, struct arena *a,
		  struct search_hit **out, size_t *n_out, struct av_error *err)
{
	struct query q;
	enum av_err rc;

	*out = NULL;
	*n_out = 0;
	if (limit == 0 || limit > SEARCH_LIMIT_MAX)
		limit = limit ? SEARCH_LIMIT_MAX : SEARCH_LIMIT_DEFAULT;
	if ((rc = prepare_query(a, query, &q, err)))
		return rc;
	/* one snapshot and one read lock for the dozens of statements */
	if ((rc = store_begin_read(s, err)))
		return rc;
	rc = run(s, a, &q, limit, scope, out, n_out, err);
	store_rollback(s);
	return rc;
}

json_t *
search_hit_to_json(const struct search_hit *h)
{
	json_t *o = json_object();

	json_object_set_new(o, "customer_id", json_integer(h->customer_id));
	json_object_set_new(o, "customer_number",
			    json_string(h->customer_number));
	json_object_set_new(o, "name", json_string(h->name));
	json_object_set_new(o, "status",
			    json_string(customer_status_name(h->status)));
	json_object_set_new(o, "contact",
			    h->contact ? json_string(h->contact) : json_null());
	json_object_set_new(o, "contact_id",
			    h->contact_id ? json_integer(h->contact_id)
					  : json_null());
	json_object_set_new(o, "phone",
			    h->phone ? json_string(h->phone) : json_null());
	json_object_set_new(o, "matched", json_string(h->matched));
	json_object_set_new(o, "rank", json_integer(h->rank));
	return o;
}
