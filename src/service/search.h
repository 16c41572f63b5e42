/* SPDX-License-Identifier: MIT */
/*
 * Finding the record: one query string, any of phone number (any written
 * form, or its last digits), customer number (exact or prefix), contact or
 * company name (substring), case- and accent-insensitive. Hits are ranked:
 * 0 exact customer number or phone, 1 prefix, 2 substring, 3 matches that
 * hold only after folding (ø->o, æ->ae, ...). Used by the API and the CLI.
 */
#ifndef AV_SEARCH_H
#define AV_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/model.h"
#include "store/store.h"

enum {
	SEARCH_LIMIT_DEFAULT = 20,
	SEARCH_LIMIT_MAX = 100,
	SEARCH_QUERY_MAX = 200
};

struct search_hit {
	int64_t customer_id;	     /* the record */
	const char *customer_number; /* arena */
	const char *name;	     /* company name, arena */
	enum customer_status status; /* prospect, customer, former */
	int64_t contact_id;	     /* the matched person, 0 if none */
	const char *contact;	     /* the matched person's name or NULL */
	const char *phone;	     /* matched phone, else the customer's */
	const char *matched;	     /* "phone", "customer_number", "name",
					"contact", "email" */
	int rank;		     /* 0 best .. 3 */
};

/* Whose customers a search may return: all when both are 0; else those
 * owned by owner_id or (when set) in territory_id. */
struct search_scope {
	int64_t owner_id;
	int64_t territory_id;
};

/*
 * Run 'query' and return at most 'limit' hits (best first) in the arena.
 * AV_EINVAL (field "q") for an empty, over-long or non-UTF-8 query.
 */
enum av_err search_run(struct store *s, const char *query, size_t limit,
		       struct arena *a, struct search_hit **out, size_t *n_out,
		       struct av_error *err);
/* The same, returning only customers within 'scope' (NULL: all). */
enum av_err search_run_scoped(struct store *s, const char *query, size_t limit,
			      const struct search_scope *scope, struct arena *a,
			      struct search_hit **out, size_t *n_out,
			      struct av_error *err);

/* The JSON form of a hit, with the field names scripts rely on. */
json_t *search_hit_to_json(const struct search_hit *h);

#endif
