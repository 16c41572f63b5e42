/* SPDX-License-Identifier: MIT */
/*
 * The demo data generator: an invented Norwegian sales organisation
 * (territories, a manager and reps in each, customers and prospects with
 * contacts, addresses and phone numbers written the many ways people write
 * them, and their appointments: a year of history and the next weeks).
 * `avtale demo`, `make run` and the benchmarks all use it. Every record
 * goes through customer_prepare/contact_prepare/appt_prepare and the
 * ordinary store inserts, so generated data obeys the same rules as typed
 * data.
 */
#ifndef AV_DEMO_H
#define AV_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

enum {
	DEMO_DEFAULT_CUSTOMERS = 2000,
	DEMO_MAX_CUSTOMERS = 10000000,
	DEMO_DEFAULT_REPS = 4, /* reps per territory, plus one manager */
	DEMO_MAX_REPS = 50,
	DEMO_DEFAULT_CONTACTS = 2,
	DEMO_MAX_CONTACTS = 8,
	DEMO_DEFAULT_APPOINTMENTS = 5, /* per customer, on average */
	DEMO_MAX_APPOINTMENTS = 50,
	DEMO_BATCH = 2000,	    /* customers per transaction */
	DEMO_FIRST_NUMBER = 100001, /* customer number of the first demo row */
};

/* Progress: 'done' of 'total' customers are committed. */
typedef void (*demo_progress_fn)(uint64_t done, uint64_t total, void *ctx);

struct demo_options {
	uint64_t customers; /* customers to add, 0..DEMO_MAX_CUSTOMERS */
	uint64_t seed;	    /* same seed, same companies and people */
	unsigned reps_per_territory;	/* 1..DEMO_MAX_REPS */
	unsigned contacts_per_customer; /* 0..DEMO_MAX_CONTACTS */
	unsigned
	    appointments_per_customer; /* average, 0..DEMO_MAX_APPOINTMENTS;
					* 0 = none */
	int64_t actor;		   /* user id for the audit log, 0 = system */
	demo_progress_fn progress; /* called after each batch, may be NULL */
	void *progress_ctx;	   /* borrowed: passed to 'progress' */
};

struct demo_report {
	uint64_t territories;  /* territories created (existing ones reused) */
	uint64_t users;	       /* managers and reps created */
	uint64_t customers;    /* customers created */
	uint64_t contacts;     /* contacts created */
	uint64_t appointments; /* appointment rows created (a series is one) */
	uint64_t series;       /* ... of which weekly series */
	uint64_t upcoming;     /* ... of which scheduled (series included) */
	char first_number[24]; /* customer number of the first new customer */
	char last_number[24];  /* ... and of the last; "" when none */
	double seconds;	       /* wall-clock time of the whole run */
};

/* Defaults: DEMO_DEFAULT_CUSTOMERS, seed 1, 4 reps, 2 contacts, 5
 * appointments per customer. */
void demo_options_init(struct demo_options *opt);

/*
 * Add the demo organisation and opt->customers customers to 's'.
 *
 * The organisation does not depend on the seed: territories are found by
 * code and users by e-mail, and reused when they exist, so running demo
 * again (with any seed) grows the same organisation. Customer numbers are
 * decimal text from DEMO_FIRST_NUMBER up; a run continues after the
 * highest number an earlier run used (kept in the setting
 * "demo.next_number") and skips numbers already taken by other customers,
 * so it never fails or overwrites because of existing data. The content
 * of the i-th customer of a run depends only on (seed, i), not on the
 * database: the same seed gives the same companies and people.
 *
 * Appointments (when opt->appointments_per_customer > 0): each customer
 * gets 0 to twice that many, held by its owner (sometimes a colleague in
 * the same territory), on weekdays between 08:00 and 16:00 in the rep's
 * zone: history over the year before store_now() (completed with an
 * outcome from the configured list, about 10 % cancelled with a reason,
 * 5 % no-show) and scheduled ones over the next eight weeks, plus a few
 * weekly series (FREQ=WEEKLY;COUNT=8). Each rep's time is handed out from
 * a calendar of quarter-hours that starts with the rep's appointments
 * already in the database, so scheduled appointments of one rep never
 * overlap (the conflict check would refuse them); when a rep's next weeks
 * are full the appointment goes to history instead, and when a year of
 * history is full too (tens of thousands of customers per rep) history
 * may overlap. UIDs are "demo-<seed>-<customer number>-<n>@avtale".
 * Appointments depend on (seed, i), on the time and on the calendar.
 *
 * Customers are inserted in transactions of DEMO_BATCH; on failure the
 * current batch is rolled back and earlier batches stay. Must be called
 * outside a transaction. 'out' is filled (also on failure, with what was
 * committed). Errors: AV_EINVAL for options out of range, AV_EUNSUPPORTED
 * for print_passwords, store errors otherwise.
 */
enum av_err demo_generate(struct store *s, const struct demo_options *opt,
			  struct demo_report *out, struct av_error *err);

#endif
