/* SPDX-License-Identifier: MIT */
/*
 * Search: normalise the query once, ask the store for candidates from each
 * index (phone keys, customer numbers, name prefixes, trigram text), then
 * rank and de-duplicate them here, so the rules live in one place.
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

/* Rank of a name match: prefix 1, substring 2; 3 when only the folded
 * forms match (the user typed o for ø, or left the accent off). */
static int
name_rank(struct arena *a, const struct query *q, const char *name)
{
	const char *fc = fold_case(a, name, strlen(name));
	const char *fs = fold_search(a, name, strlen(name));

	if (starts(fc, q->fcase))
		return 1;
	if (contains(fc, q->fcase))
		return 2;
	if (starts(fs, q->fsrch) || contains(fs, q->fsrch))
		return 3;
	return -1;
}

/* Rank one candidate; returns false if it does not really match. */
static bool
rank_hit(struct store *s, struct arena *a, const struct query *q,
	 const struct search_candidate *cand, struct search_hit *h,
	 struct av_error *err)
{
	struct customer c;
	struct contact *cs = NULL;
	size_t n = 0;
	int best = -1;

	if (store_customer_get(s, cand->customer_id, a, &c, err))
		return false;
	h->customer_id = c.id;
	h->customer_number = c.customer_number;
	h->name = c.name;
	h->status = c.status;
	h->phone = c.phone;
	h->contact = NULL;
	h->contact_id = 0;
	switch (cand->source) {
	case SRC_PHONE_EXACT:
	case SRC_PHONE_PART:
		h->matched = "phone";
		h->rank = cand->source == SRC_PHONE_EXACT ? 0 : 2;
		if (cand->contact_id || cand->source == SRC_PHONE_PART)
			break;
		return true;
	case SRC_NUMBER_EXACT:
		h->matched = "customer_number";
		h->rank = 0;
		return true;
	case SRC_NUMBER_PREFIX:
		h->matched = "customer_number";
		h->rank = 1;
		return true;
	default:
		break;
	}
	/* Names and phones of people: find which one matched. */
	if (store_contact_list(s, c.id, a, &cs, &n, err))
		return false;
	if (cand->source == SRC_PHONE_EXACT || cand->source == SRC_PHONE_PART) {
		for (size_t i = 0; i < n; i++) {
			const char *nums[2] = {cs[i].phone, cs[i].mobile};
			for (int k = 0; k < 2; k++) {
				char key[32];
				if (!nums[k] ||
				    !phone_normalize(nums[k], c.country, key,
						     sizeof(key)))
					continue;
				if (cand->source == SRC_PHONE_EXACT
					? strcmp(key, q->phone) == 0
					: contains(key, q->part)) {
					h->contact = cs[i].name;
					h->contact_id = cs[i].id;
					h->phone = nums[k];
					return true;
				}
			}
		}
		return true; /* the customer's own number */
	}
	best = name_rank(a, q, c.name);
	if (best >= 0)
		h->matched = "name";
	for (size_t i = 0; i < n; i++) {
		int r = name_rank(a, q, cs[i].name);
		if (r >= 0 && (best < 0 || r < best)) {
			best = r;
			h->matched = "contact";
			h->contact = cs[i].name;
			h->contact_id = cs[i].id;
		}
	}
	if (best < 0) {
		/* e-mail or a customer-number substring (trigram hit) */
		const char *fn =
		    fold_case(a, c.customer_number, strlen(c.customer_number));
		if (contains(fn, q->fcase)) {
			h->matched = "customer_number";
			best = 2;
		}
		if (best < 0 && c.email &&
		    contains(fold_search(a, c.email, strlen(c.email)),
			     q->fsrch)) {
			h->matched = "email";
			best = 2;
		}
		for (size_t i = 0; best < 0 && i < n; i++) {
			if (cs[i].email &&
			    contains(fold_search(a, cs[i].email,
						 strlen(cs[i].email)),
				     q->fsrch)) {
				h->matched = "email";
				h->contact = cs[i].name;
				h->contact_id = cs[i].id;
				best = 2;
			}
		}
	}
	if (best < 0)
		return false;
	h->rank = best;
	return true;
}

static int
cmp_hit(const void *pa, const void *pb)
{
	const struct search_hit *a = pa;
	const struct search_hit *b = pb;
	int c;

	if (a->rank != b->rank)
		return a->rank - b->rank;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	return (a->customer_id > b->customer_id) -
	       (a->customer_id < b->customer_id);
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

enum av_err
search_run(struct store *s, const char *query, size_t limit, struct arena *a,
	   struct search_hit **out, size_t *n_out, struct av_error *err)
{
	struct query q;
	struct search_candidate *cand = NULL;
	size_t n_cand = 0, n = 0;
	struct search_hit *hits;
	enum av_err rc;

	*out = NULL;
	*n_out = 0;
	if (limit == 0 || limit > SEARCH_LIMIT_MAX)
		limit = limit ? SEARCH_LIMIT_MAX : SEARCH_LIMIT_DEFAULT;
	if ((rc = prepare_query(a, query, &q, err)))
		return rc;
	if (q.phone[0] &&
	    (rc = store_search_lookup(s, SRC_PHONE_EXACT, q.phone, LOOKUP_CAP,
				      a, &cand, &n_cand, err)))
		return rc;
	if (q.part[0] &&
	    (rc = store_search_lookup(s, SRC_PHONE_PART, q.part, LOOKUP_CAP, a,
				      &cand, &n_cand, err)))
		return rc;
	if ((rc = store_search_lookup(s, SRC_NUMBER_EXACT, q.fcase, LOOKUP_CAP,
				      a, &cand, &n_cand, err)) ||
	    (rc = store_search_lookup(s, SRC_NUMBER_PREFIX, q.fcase, LOOKUP_CAP,
				      a, &cand, &n_cand, err)))
		return rc;
	/* A phone-shaped query is not also a name. */
	if (!q.phone[0] && !q.part[0]) {
		if ((rc = store_search_lookup(s, SRC_NAME_PREFIX, q.fsrch,
					      LOOKUP_CAP, a, &cand, &n_cand,
					      err)) ||
		    (rc = store_search_lookup(s, SRC_PERSON_PREFIX, q.fsrch,
					      LOOKUP_CAP, a, &cand, &n_cand,
					      err)))
			return rc;
		if (strlen(q.fsrch) >= 3 &&
		    (rc = store_search_lookup(s, SRC_TEXT, q.fsrch, TEXT_CAP, a,
					      &cand, &n_cand, err)))
			return rc;
	}
	hits = arena_alloc(a, (n_cand + 1) * sizeof(*hits));
	for (size_t i = 0; i < n_cand; i++) {
		struct search_hit h;
		size_t j;

		/* earlier lookups rank at least as well: keep the first */
		for (j = 0; j < n; j++)
			if (hits[j].customer_id == cand[i].customer_id)
				break;
		if (j < n && hits[j].rank <= 1)
			continue;
		if (!rank_hit(s, a, &q, &cand[i], &h, err)) {
			if (err && err->code && err->code != AV_ENOTFOUND)
				return err->code;
			av_error_clear(err);
			continue;
		}
		if (j < n) {
			if (h.rank < hits[j].rank)
				hits[j] = h;
		} else {
			hits[n++] = h;
		}
	}
	qsort(hits, n, sizeof(*hits), cmp_hit);
	*out = hits;
	*n_out = n < limit ? n : limit;
	return AV_OK;
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
