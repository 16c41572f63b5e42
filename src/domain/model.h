/* SPDX-License-Identifier: MIT */
/*
 * The records Avtale keeps: users (reps), territories, customers (one table
 * for prospects, customers and former customers) and their contacts.
 * Plain structs; string members are borrowed from whoever filled them (the
 * store copies into the caller's arena). Validation rules live in
 * domain/customer.c; storage in store/.
 */
#ifndef AV_MODEL_H
#define AV_MODEL_H

#include <stdbool.h>
#include <stdint.h>

enum user_role { ROLE_REP, ROLE_MANAGER, ROLE_ADMIN, ROLE__MAX };

struct user {
	int64_t id;	       /* 0 until stored */
	const char *email;     /* unique, lowercase; sign-in name */
	const char *name;      /* display name */
	enum user_role role;   /* what the user may do */
	const char *time_zone; /* IANA zone for display, e.g. Europe/Oslo */
	const char *locale;    /* "nb" or "en" */
	int64_t territory_id;  /* home territory, 0 when none */
	bool disabled;	       /* may not sign in or own new records */
};

struct territory {
	int64_t id;	  /* 0 until stored */
	const char *code; /* short unique code, e.g. "OSL" */
	const char *name; /* display name, e.g. "Oslo" */
};

enum customer_status {
	CUSTOMER_PROSPECT,
	CUSTOMER_CUSTOMER,
	CUSTOMER_FORMER,
	CUSTOMER_STATUS__MAX
};

struct customer {
	int64_t id;		     /* 0 until stored */
	const char *customer_number; /* unique, user-visible, text */
	const char *name;	     /* company (or person) name */
	enum customer_status status; /* prospect, customer, former */
	const char *phone;	     /* as written by the user */
	const char *email;	     /* may be NULL */
	const char *address;	     /* street lines, "\n" separated */
	const char *postcode;	     /* text: leading zeros matter */
	const char *city;	     /* post town */
	const char *country;	     /* ISO 3166 alpha-2, e.g. "NO" */
	const char *time_zone;	     /* IANA zone; default from country */
	int64_t territory_id;	     /* 0 when none */
	const char *territory;	     /* territory code, read-only view */
	int64_t owner_id;	     /* the rep who owns the record */
	const char *owner;	     /* owner's e-mail, read-only view */
	const char *notes;	     /* free text */
	int64_t version;	     /* optimistic lock, starts at 1 */
	int64_t created_at;	     /* UTC epoch seconds */
	int64_t updated_at;	     /* UTC epoch seconds */
};

struct contact {
	int64_t id;		  /* 0 until stored */
	int64_t customer_id;	  /* the customer the person works at */
	const char *name;	  /* full name */
	const char *title;	  /* job title */
	const char *phone;	  /* work phone as written */
	const char *mobile;	  /* mobile phone as written */
	const char *email;	  /* e-mail address */
	const char *notes;	  /* free text */
	const char *other_phones; /* more numbers, one per line, or NULL */
	const char *tags;	  /* groups/labels, one per line, or NULL */
	int64_t version;	  /* optimistic lock */
};

/* Names used in JSON, CSV and the CLI; NULL for out-of-range values. */
const char *customer_status_name(enum customer_status s);
const char *user_role_name(enum user_role r);
/* Parse a name; false if unknown. */
bool customer_status_parse(const char *s, enum customer_status *out);
bool user_role_parse(const char *s, enum user_role *out);

#endif
