/* SPDX-License-Identifier: MIT */
/*
 * The store: every read and write of Avtale's records, spoken in domain
 * terms. One struct store is one database connection and belongs to one
 * thread at a time (the server opens one per worker thread). Strings in
 * results are copied into the caller's arena. Writes that belong together
 * run inside store_begin/store_commit; every write function also keeps the
 * search index and the audit log up to date in the same transaction.
 *
 * Backends: SQLite ("sqlite:PATH", a plain path, or ":memory:") today; the
 * PostgreSQL backend will implement this same header.
 */
#ifndef AV_STORE_H
#define AV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/appointment.h"
#include "domain/model.h"

struct store;

enum store_flags {
	STORE_READONLY = 1 << 0,    /* open an existing database for reading */
	STORE_NO_MIGRATE = 1 << 1,  /* fail instead of upgrading the schema */
	STORE_FAST_UNSAFE = 1 << 2, /* synchronous=OFF: bulk loads only */
};

/*
 * Open (and create or upgrade, unless STORE_NO_MIGRATE) the database at
 * 'url'. On success *out is a new connection owned by the caller.
 */
enum av_err store_open(const char *url, unsigned flags, struct store **out,
		       struct av_error *err);
/* Close the connection; NULL is a no-op. */
void store_close(struct store *s);

/* Schema version of the open database. */
int store_schema_version(struct store *s);
/* The newest schema version this program knows. */
int store_schema_latest(void);

/* Transactions; begin is IMMEDIATE so a writer never deadlocks later. */
enum av_err store_begin(struct store *s, struct av_error *err);
enum av_err store_commit(struct store *s, struct av_error *err);
/* A read transaction: one consistent snapshot and one WAL read lock for
 * many statements (a search runs dozens). End it with store_rollback. */
enum av_err store_begin_read(struct store *s, struct av_error *err);
/* Rollback never fails in a way the caller can act on. */
void store_rollback(struct store *s);

/* Settings: small key/value configuration stored in the database. */
enum av_err store_setting_get(struct store *s, const char *key, struct arena *a,
			      const char **out, struct av_error *err);
enum av_err store_setting_set(struct store *s, const char *key,
			      const char *value, struct av_error *err);

/* ---- users ---- */
enum av_err store_user_insert(struct store *s, struct user *u,
			      struct av_error *err);
enum av_err store_user_get(struct store *s, int64_t id, struct arena *a,
			   struct user *out, struct av_error *err);
enum av_err store_user_by_email(struct store *s, const char *email,
				struct arena *a, struct user *out,
				struct av_error *err);
/* Change a user's display zone (validated by the caller). */
enum av_err store_user_set_zone(struct store *s, const char *email,
				const char *zone, struct av_error *err);
enum av_err store_user_list(struct store *s, struct arena *a, struct user **out,
			    size_t *n_out, struct av_error *err);

/* ---- territories ---- */
enum av_err store_territory_insert(struct store *s, struct territory *t,
				   struct av_error *err);
enum av_err store_territory_get(struct store *s, int64_t id, struct arena *a,
				struct territory *out, struct av_error *err);
/* Find by code (case-insensitive) or by name (folded). */
enum av_err store_territory_find(struct store *s, const char *code_or_name,
				 struct arena *a, struct territory *out,
				 struct av_error *err);
enum av_err store_territory_list(struct store *s, struct arena *a,
				 struct territory **out, size_t *n_out,
				 struct av_error *err);

/* ---- customers ---- */
struct customer_filter {
	int64_t after_id;     /* cursor: only ids greater than this */
	size_t limit;	      /* page size, 1..1000 */
	int status;	      /* enum customer_status, or -1 for any */
	int64_t owner_id;     /* 0 for any */
	int64_t territory_id; /* 0 for any */
};

/*
 * Insert 'c' (already checked by customer_prepare); sets c->id,
 * c->version, timestamps. AV_ECONFLICT when the customer number is taken.
 * 'actor' is the user doing it, for the audit log and history.
 */
enum av_err store_customer_insert(struct store *s, struct customer *c,
				  int64_t actor, struct av_error *err);
/*
 * Replace the stored fields of customer c->id when its version equals
 * 'expected_version' (0 = do not check); AV_ESTALE otherwise. Raises
 * c->version. A change of owner or territory starts a new history period.
 */
enum av_err store_customer_update(struct store *s, struct customer *c,
				  int64_t expected_version, int64_t actor,
				  struct av_error *err);
/* Soft delete: the record leaves lists and search, history stays. */
enum av_err store_customer_delete(struct store *s, int64_t id,
				  int64_t expected_version, int64_t actor,
				  struct av_error *err);
enum av_err store_customer_get(struct store *s, int64_t id, struct arena *a,
			       struct customer *out, struct av_error *err);
/* By customer number, exact. Deleted records are not found. */
enum av_err store_customer_by_number(struct store *s, const char *number,
				     struct arena *a, struct customer *out,
				     struct av_error *err);
/* Find a customer without a number match: by folded company name. */
enum av_err store_customer_by_name(struct store *s, const char *name,
				   struct arena *a, struct customer *out,
				   struct av_error *err);
enum av_err store_customer_list(struct store *s,
				const struct customer_filter *f,
				struct arena *a, struct customer **out,
				size_t *n_out, struct av_error *err);
/* The highest all-digit customer number, deleted records included (their
 * numbers stay taken); 0 when there is none. */
enum av_err store_customer_max_number(struct store *s, int64_t *out,
				      struct av_error *err);
/*
 * Date a record back to 'since' (UTC epoch seconds): its creation and the
 * start of its first territory/owner period. For data describing customers
 * who existed before they were entered here (demo data, a migration from
 * another CRM), so reports count them in earlier periods.
 */
enum av_err store_customer_set_since(struct store *s, int64_t id, int64_t since,
				     struct av_error *err);
/* Number of live customers (for reports, demo, benchmarks). */
enum av_err store_customer_count(struct store *s, int64_t *out,
				 struct av_error *err);

/* One period of a customer's territory and owner. */
struct assignment {
	int64_t territory_id; /* 0 when none */
	int64_t owner_id;     /* the owner in this period */
	int64_t valid_from;   /* UTC epoch seconds, inclusive */
	int64_t valid_to;     /* exclusive; 0 = still current */
};
enum av_err store_customer_history(struct store *s, int64_t customer_id,
				   struct arena *a, struct assignment **out,
				   size_t *n_out, struct av_error *err);

/* ---- contacts ---- */
enum av_err store_contact_insert(struct store *s, struct contact *c,
				 int64_t actor, struct av_error *err);
enum av_err store_contact_update(struct store *s, struct contact *c,
				 int64_t expected_version, int64_t actor,
				 struct av_error *err);
enum av_err store_contact_delete(struct store *s, int64_t id, int64_t actor,
				 struct av_error *err);
enum av_err store_contact_get(struct store *s, int64_t id, struct arena *a,
			      struct contact *out, struct av_error *err);
enum av_err store_contact_list(struct store *s, int64_t customer_id,
			       struct arena *a, struct contact **out,
			       size_t *n_out, struct av_error *err);

/* ---- search candidates (ranked by service/search.c) ---- */
enum search_source {
	SRC_PHONE_EXACT,   /* E.164 key equal */
	SRC_PHONE_PART,	   /* digits inside a key */
	SRC_NUMBER_EXACT,  /* customer number equal (case-insensitive) */
	SRC_NUMBER_PREFIX, /* customer number starts with the query */
	SRC_NAME_PREFIX,   /* folded company name starts with the query */
	SRC_PERSON_PREFIX, /* folded contact name starts with the query */
	SRC_TEXT,	   /* trigram substring in name, people or e-mail */
	SRC__MAX
};

struct search_candidate {
	enum search_source source; /* which lookup found it */
	int64_t customer_id;	   /* the record */
	int64_t contact_id;	   /* the person, 0 when the company matched */
};

/*
 * Run one candidate lookup. 'key' is already normalised by the caller:
 * an E.164 key or digits for phones, the folded text for names. At most
 * 'limit' candidates are appended to the arena array *out (n_out counts).
 */
enum av_err store_search_lookup(struct store *s, enum search_source src,
				const char *key, size_t limit, struct arena *a,
				struct search_candidate **out, size_t *n_out,
				struct av_error *err);

/* ---- appointments ---- */

/*
 * Insert 'a' (checked by appt_prepare and the service's rules); sets id,
 * version 1, timestamps; a->uid must be set (core/random.h random_uid).
 * customer_owner_id is taken from the
 * customer. AV_ECONFLICT for a duplicate (uid, recurrence_id).
 */
enum av_err store_appt_insert(struct store *s, struct appointment *a,
			      int64_t actor, struct av_error *err);
/*
 * Replace every mutable field of appointment a->id when its version is
 * 'expected_version' (0 = do not check; AV_ESTALE otherwise); raises the
 * version. 'action' names the change in the audit log ("move", "cancel").
 */
enum av_err store_appt_update(struct store *s, struct appointment *a,
			      int64_t expected_version, int64_t actor,
			      const char *action, struct av_error *err);
enum av_err store_appt_get(struct store *s, int64_t id, struct arena *a,
			   struct appointment *out, struct av_error *err);
/* The changed occurrence of series 'parent_id' that replaces 'recurrence_id'.
 */
enum av_err store_appt_override(struct store *s, int64_t parent_id,
				int64_t recurrence_id, struct arena *a,
				struct appointment *out, struct av_error *err);
/* Add 'delta' seconds to the recurrence_id of every changed occurrence of
 * series 'parent_id' (the series itself moved). */
enum av_err store_appt_shift_instances(struct store *s, int64_t parent_id,
				       int64_t delta, struct av_error *err);
/* All changed occurrences of a series. */
enum av_err store_appt_overrides(struct store *s, int64_t parent_id,
				 struct arena *a, struct appointment **out,
				 size_t *n_out, struct av_error *err);

enum appt_scope {
	SCOPE_OWNER,	      /* appointments the user holds */
	SCOPE_CUSTOMER,	      /* appointments with one customer */
	SCOPE_CUSTOMER_OWNER, /* appointments with customers the user owns */
	SCOPE__MAX
};

/*
 * Rows that may have an occurrence in [from, to): single appointments
 * (and changed occurrences) starting in [from - 31 days, to) and ending
 * after 'from', plus every series whose span touches the range (the
 * caller expands them). 'key' is the user or customer id of the scope.
 * At most 'limit' singles; series are few and all returned.
 */
enum av_err store_appt_range(struct store *s, enum appt_scope scope,
			     int64_t key, int64_t from, int64_t to,
			     size_t limit, struct arena *a,
			     struct appointment **out, size_t *n_out,
			     struct av_error *err);
/*
 * Single appointments of a customer before 'before' (newest first) or from
 * 'after' on (soonest first), at most 'limit': the record's tab.
 */
enum av_err store_appt_tab(struct store *s, int64_t customer_id, bool past,
			   int64_t pivot, size_t limit, struct arena *a,
			   struct appointment **out, size_t *n_out,
			   struct av_error *err);
/* Series of a customer (for the tab). */
enum av_err store_appt_series_of_customer(struct store *s, int64_t customer_id,
					  struct arena *a,
					  struct appointment **out,
					  size_t *n_out, struct av_error *err);

/* A configurable code list ("appointment_type", "outcome"), in order,
 * NULL-terminated, in the arena. */
enum av_err store_code_list(struct store *s, const char *list, struct arena *a,
			    const char ***out, struct av_error *err);

/* What ranking a search candidate needs, read in one statement. */
struct search_row {
	int64_t id;		     /* customer id */
	const char *customer_number; /* arena */
	const char *name;	     /* company name as written */
	enum customer_status status; /* prospect, customer, former */
	const char *phone;	     /* company phone as written */
	const char *country;	     /* for phone keys */
	const char *name_fold;	     /* fold_search of the name */
	const char *people;	     /* fold_search of contact names, one
					per line in contact id order */
	const char *extra;	     /* folded number and e-mails */
	int64_t owner_id;	     /* for access checks */
	int64_t territory_id;	     /* 0 when none */
};
/* AV_ENOTFOUND for a deleted or missing customer. */
enum av_err store_search_row(struct store *s, int64_t id, struct arena *a,
			     struct search_row *out, struct av_error *err);

/* ---- reports ---- */

/* Appointments of one (rep, territory, type, channel, status, outcome). */
struct report_count {
	int64_t owner_id;     /* the rep holding them */
	int64_t territory_id; /* customer's territory at the start, 0 none */
	const char *type;     /* arena: appointment type */
	const char *channel;  /* arena: "phone", "video", "in_person" */
	const char *status;   /* arena: "scheduled", "completed", ... */
	const char *outcome;  /* arena: outcome code, "" when none */
	int64_t n;	      /* how many */
	int64_t reschedules;  /* sum of reschedule_count */
	int64_t lead_sum_s;   /* sum of start_utc - created_at */
};
/*
 * Counts of materialised appointments (single ones and changed
 * occurrences; never-materialised instances of series are not rows)
 * starting in [from, to), one entry per distinct group. Results in 'a'.
 */
enum av_err store_report_appt_counts(struct store *s, int64_t from, int64_t to,
				     struct arena *a, struct report_count **out,
				     size_t *n_out, struct av_error *err);

/* Held appointments with one customer, attributed to the territory and
 * owner the customer had when each was held. */
struct report_held {
	int64_t territory_id; /* territory at the time */
	int64_t owner_id;     /* the customer's owner at the time */
	int64_t customer_id;  /* the customer */
	int64_t n;	      /* completed appointments */
};
/* Completed appointments starting in [from, to) with customers (and
 * prospects if 'prospects'; by current status), ordered by territory and
 * customer. Results in 'a'. */
enum av_err store_report_held(struct store *s, int64_t from, int64_t to,
			      bool prospects, struct arena *a,
			      struct report_held **out, size_t *n_out,
			      struct av_error *err);

/* A customer's territory membership at an instant. */
struct report_member {
	int64_t territory_id;	     /* territory then */
	int64_t owner_id;	     /* owner then */
	int64_t customer_id;	     /* the customer */
	const char *customer_number; /* arena */
	const char *name;	     /* arena */
	const char *status;	     /* arena: current status */
};
/* Customers (and prospects if 'prospects') that belonged to a territory at
 * instant 'at', by territory then customer number. Results in 'a'. */
enum av_err store_report_customers_at(struct store *s, int64_t at,
				      bool prospects, struct arena *a,
				      struct report_member **out, size_t *n_out,
				      struct av_error *err);

/* ---- audit ---- */
struct audit_entry {
	int64_t id;	    /* sequence */
	int64_t at;	    /* UTC epoch seconds */
	int64_t actor_id;   /* user, 0 for the system */
	const char *action; /* "create", "update", "delete", ... */
	const char *entity; /* "customer", "contact", ... */
	int64_t entity_id;  /* id of the record */
	const char *before; /* JSON or NULL */
	const char *after;  /* JSON or NULL */
};
enum av_err store_audit_add(struct store *s, const struct audit_entry *e,
			    struct av_error *err);
enum av_err store_audit_list(struct store *s, const char *entity,
			     int64_t entity_id, size_t limit, struct arena *a,
			     struct audit_entry **out, size_t *n_out,
			     struct av_error *err);

/* ---- sign-in: passwords, sessions, API tokens, failed attempts ---- */

/* A signed-in browser session; the cookie's secret is stored hashed. */
struct session {
	int64_t id;
	int64_t user_id;
	const char *csrf;     /* the token writes must echo (X-CSRF-Token) */
	int64_t created_at;   /* UTC epoch seconds */
	int64_t last_seen_at; /* for the idle expiry */
	int64_t expires_at;   /* absolute expiry */
};

/* A script's token; 'write' false means read-only (GET and HEAD). */
struct api_token {
	int64_t id;
	int64_t user_id;
	const char *name; /* what the holder calls it */
	bool write;
	int64_t created_at;
	int64_t last_used_at; /* 0 when never used */
	int64_t revoked_at;   /* 0 when live */
};

/* The user's password hash (NULL when none is set). */
enum av_err store_user_password(struct store *s, int64_t user_id,
				struct arena *a, const char **hash_out,
				struct av_error *err);
/* Set the hash and the time it changed. Ends nothing by itself: the
 * caller also deletes the user's sessions when the password changed. */
enum av_err store_user_set_password(struct store *s, int64_t user_id,
				    const char *hash, struct av_error *err);
/* Change name, role, territory, zone, locale and disabled of u->id to the
 * values in 'u' (validated by the caller); audited with before/after. */
enum av_err store_user_update(struct store *s, const struct user *u,
			      int64_t actor, struct av_error *err);
/* Rename a territory (code and name, validated by the caller); audited. */
enum av_err store_territory_update(struct store *s, const struct territory *t,
				   int64_t actor, struct av_error *err);

enum av_err store_session_insert(struct store *s, const char *token_hash,
				 int64_t user_id, const char *csrf,
				 int64_t expires_at, const char *address,
				 struct av_error *err);
/* The session with this token hash, expired or not (the caller decides). */
enum av_err store_session_get(struct store *s, const char *token_hash,
			      struct arena *a, struct session *out,
			      struct av_error *err);
enum av_err store_session_touch(struct store *s, int64_t id, int64_t now,
				struct av_error *err);
enum av_err store_session_delete(struct store *s, const char *token_hash,
				 struct av_error *err);
/* End every session of a user (password change, disabling). */
enum av_err store_session_delete_user(struct store *s, int64_t user_id,
				      struct av_error *err);
/* Drop sessions whose absolute expiry is before 'now'. */
enum av_err store_session_purge(struct store *s, int64_t now,
				struct av_error *err);

enum av_err store_token_insert(struct store *s, const char *token_hash,
			       struct api_token *t, struct av_error *err);
/* A live (not revoked) token by hash; AV_ENOTFOUND otherwise. */
enum av_err store_token_by_hash(struct store *s, const char *token_hash,
				struct arena *a, struct api_token *out,
				struct av_error *err);
/* Tokens of a user (0: of everyone), newest first. */
enum av_err store_token_list(struct store *s, int64_t user_id, struct arena *a,
			     struct api_token **out, size_t *n_out,
			     struct av_error *err);
/* Revoke token 'id' if it belongs to 'user_id' (0: to anyone). */
enum av_err store_token_revoke(struct store *s, int64_t id, int64_t user_id,
			       struct av_error *err);
enum av_err store_token_touch(struct store *s, int64_t id, int64_t now,
			      struct av_error *err);

/* Failed sign-ins under 'key' ("user:<email>", "addr:<ip>"). */
enum av_err store_login_failure_add(struct store *s, const char *key,
				    int64_t at, struct av_error *err);
enum av_err store_login_failures_since(struct store *s, const char *key,
				       int64_t since, int64_t *n_out,
				       struct av_error *err);
enum av_err store_login_failures_clear(struct store *s, const char *key,
				       struct av_error *err);

/* Customers owned by 'from' handed to 'to' (their history is kept as
 * closed owner periods); *n_out tells how many. Audited per customer. */
enum av_err store_customers_reassign(struct store *s, int64_t from, int64_t to,
				     int64_t actor, int64_t *n_out,
				     struct av_error *err);

/* ---- calendar interoperability (store_ical_sqlite.c) ---- */

/* A user's calendar feed: one live token per user, kept as its hash.
 * Setting replaces the old one (its link stops working). */
enum av_err store_feed_set(struct store *s, int64_t user_id,
			   const char *token_hash, struct av_error *err);
/* When the user's feed was made; AV_ENOTFOUND when they have none. */
enum av_err store_feed_get(struct store *s, int64_t user_id,
			   int64_t *created_at, struct av_error *err);
enum av_err store_feed_delete(struct store *s, int64_t user_id,
			      struct av_error *err);
/* The enabled user whose feed token has this hash; AV_ENOTFOUND else. */
enum av_err store_feed_user(struct store *s, const char *token_hash,
			    int64_t *user_id, int64_t *created_at,
			    struct av_error *err);

/* The version of a user's calendar, raised (by triggers) with every
 * change a feed shows, and when it last changed; both 0 before any. */
enum av_err store_calendar_version(struct store *s, int64_t user_id,
				   int64_t *version, int64_t *changed_at,
				   struct av_error *err);

/* The appointment with iCalendar UID 'uid' and RECURRENCE-ID
 * 'recurrence_id' (0 = the series or single itself); AV_ENOTFOUND. */
enum av_err store_appt_by_uid(struct store *s, const char *uid,
			      int64_t recurrence_id, struct arena *a,
			      struct appointment *out, struct av_error *err);
/* Rows an export of [from, to) writes, of 'owner_id' (0 = everyone's):
 * singles and changed occurrences overlapping it and series touching it,
 * ordered by start, UID and RECURRENCE-ID. */
enum av_err store_appt_export_rows(struct store *s, int64_t owner_id,
				   int64_t from, int64_t to, struct arena *a,
				   struct appointment **out, size_t *n_out,
				   struct av_error *err);
/* Store p->floating, p->ical_dtstamp, p->organizer_email and
 * p->organizer_name of appointment p->id. */
enum av_err store_appt_set_ical(struct store *s, const struct appointment *p,
				struct av_error *err);
/* Changed occurrences with 'uid' that came without their series become
 * occurrences of series 'master_id'. */
enum av_err store_appt_adopt_overrides(struct store *s, const char *uid,
				       int64_t master_id, struct av_error *err);
/* Replace the attendees of an appointment; read them in order. */
enum av_err store_attendees_set(struct store *s, int64_t appt_id,
				const struct appt_attendee *v, size_t n,
				struct av_error *err);
enum av_err store_attendees_get(struct store *s, int64_t appt_id,
				struct arena *a, struct appt_attendee **out,
				size_t *n_out, struct av_error *err);
/* An attendee's answer (PARTSTAT); AV_ENOTFOUND when 'email' is not
 * among the appointment's attendees. */
enum av_err store_attendee_answer(struct store *s, int64_t appt_id,
				  const char *email, const char *partstat,
				  struct av_error *err);

/* A contact with a given e-mail, and the customer it works at. */
struct contact_match {
	int64_t contact_id;   /* the person */
	int64_t customer_id;  /* their customer */
	int64_t owner_id;     /* the customer's owner */
	int64_t territory_id; /* the customer's territory, 0 when none */
};
/* Contacts of live customers whose e-mail is 'email' (case-insensitive),
 * at most 'max', by customer id. */
enum av_err store_contacts_by_email(struct store *s, const char *email,
				    struct contact_match *out, size_t max,
				    size_t *n_out, struct av_error *err);

/* A message waiting in the outbound mail queue. */
struct mail_item {
	int64_t id;		/* queue row */
	const char *kind;	/* "invite" or "reminder" */
	int64_t appointment_id; /* what it is about, 0 when none */
	const char *recipient;	/* envelope recipient (e-mail) */
	const char *message;	/* the whole RFC 5322 message, CRLF */
	int64_t attempts;	/* tries so far, this one included */
};
/* Queue a message (sent by the server's mail thread); *id_out may be
 * NULL. Part of the caller's transaction, if any. */
enum av_err store_mail_enqueue(struct store *s, const char *kind,
			       int64_t appt_id, const char *recipient,
			       const char *message, int64_t *id_out,
			       struct av_error *err);
/* Take the oldest message due at 'now' for 'lease_s' seconds (no other
 * sender gets it meanwhile, in any process); AV_ENOTFOUND when none. */
enum av_err store_mail_claim(struct store *s, int64_t now, int64_t lease_s,
			     struct arena *a, struct mail_item *out,
			     struct av_error *err);
enum av_err store_mail_sent(struct store *s, int64_t id, struct av_error *err);
/* The try failed: keep the message for another at 'next_attempt_at'. */
enum av_err store_mail_failed(struct store *s, int64_t id, const char *error,
			      int64_t next_attempt_at, struct av_error *err);
/* Messages not sent yet. */
enum av_err store_mail_pending(struct store *s, int64_t *n_out,
			       struct av_error *err);

/* Scheduled appointments with a reminder: singles starting in
 * (now, now + horizon] whose reminder time has come, and series that
 * touch that span (the caller expands them). */
enum av_err store_reminder_rows(struct store *s, int64_t now, int64_t horizon,
				struct arena *a, struct appointment **out,
				size_t *n_out, struct av_error *err);
/* Record that the reminder of one occurrence is queued; *claimed is false
 * when it already was (by this or another process). */
enum av_err store_reminder_claim(struct store *s, int64_t appt_id,
				 int64_t occurrence, int64_t minutes,
				 bool *claimed, struct av_error *err);

/* Current time used for timestamps: time(NULL), or AVTALE_NOW in tests. */
int64_t store_now(void);

#endif
