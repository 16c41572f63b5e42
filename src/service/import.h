/* SPDX-License-Identifier: MIT */
/*
 * CSV import of customers and contacts, from the files users really have:
 * Avtale's own export, Norwegian spreadsheets, Outlook, Google Contacts
 * (legacy and current) and Thunderbird exports. Columns are recognised by
 * their header names; the layout decides whether a row is a customer (with
 * an optional contact person) or a person at a company. One file is one
 * transaction: every row is stored or none is. Importing the same file again
 * changes nothing. Used by `avtale import customers`; no I/O besides
 * import_read_file and the store.
 */
#ifndef AV_IMPORT_H
#define AV_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

enum {
	IMPORT_MAX_BYTES = 512 * 1024 * 1024, /* larger files are refused */
	IMPORT_MAX_LISTED = 1000, /* rejected rows / warnings kept in full */
	IMPORT_PROGRESS_EVERY = 1000, /* rows between progress callbacks */
	IMPORT_FIRST_NUMBER = 100001, /* lowest generated customer number */
};

/* One --map COLUMN=FIELD: the column header as written, the field name. */
struct import_map {
	const char *column; /* borrowed: header text (matched folded) */
	const char *field;  /* borrowed: "customer_number", ..., "ignore" */
};

/* Progress: 'done' of 'total' data rows are processed. */
typedef void (*import_progress_fn)(uint64_t done, uint64_t total, void *ctx);

struct import_options {
	char delimiter;		       /* 0 detect, or ';' ',' '\t' */
	bool dry_run;		       /* do everything, then roll back */
	const struct import_map *maps; /* borrowed: explicit mappings */
	size_t n_maps;		       /* entries in maps */
	int status;		       /* enum customer_status for new
					  customers, or -1 for the default
					  (customer if the file has customer
					  numbers, else prospect) */
	int64_t owner_id;	       /* default owner of new customers;
					  0 = the actor */
	int64_t actor;		       /* user doing the import (audit log) */
	import_progress_fn progress;   /* may be NULL */
	void *progress_ctx;	       /* borrowed: passed to progress */
};

/* A rejected row or a warning. Strings live in the report's arena. */
struct import_issue {
	size_t line;	    /* 1-based line in the file; 0 = whole file */
	const char *column; /* header of the column concerned, or NULL */
	const char *field;  /* Avtale field ("phone", "country"...) or NULL */
	const char *reason; /* lowercase, no final period */
};

/* How one column was understood. */
struct import_column {
	const char *header; /* as written in the file (arena) */
	const char *field;  /* field name, "ignore" or NULL when unknown */
};

/* A territory the import created. */
struct import_territory {
	const char *code; /* generated code (arena) */
	const char *name; /* the name as written (arena) */
};

struct import_report {
	const char *encoding;	    /* "utf-8", "windows-1252", ... (static) */
	char delimiter;		    /* ';' ',' or '\t'; 0 if not parsed */
	const char *layout;	    /* "avtale", "norwegian", "outlook",
				       "google", "thunderbird" or "custom" */
	bool dry_run;		    /* nothing was meant to be stored */
	bool committed;		    /* the transaction was committed */
	size_t rows;		    /* data rows (records after the header) */
	size_t empty_rows;	    /* rows with no value at all, skipped */
	size_t customers_created;   /* new customers */
	size_t customers_updated;   /* existing customers changed */
	size_t customers_unchanged; /* existing customers left as they were */
	size_t contacts_created;    /* new contacts */
	size_t contacts_updated;    /* existing contacts changed */
	size_t contacts_unchanged;  /* existing contacts left as they were */
	struct import_column *columns; /* arena: one per header column */
	size_t n_columns;	       /* entries in columns */
	struct import_issue *rejected; /* arena: sorted by line */
	size_t n_rejected;	       /* entries in rejected */
	size_t rejected_total; /* rejected rows, also past the list limit */
	struct import_issue *warnings; /* arena: file warnings first */
	size_t n_warnings;	       /* entries in warnings */
	size_t warnings_total;	       /* warnings, also past the list limit */
	struct import_territory *new_territories; /* arena */
	size_t n_new_territories; /* entries in new_territories */
	double seconds;		  /* wall-clock time of the import */
};

/*
 * Read a whole file (stdin when 'path' is "-") with fopen/fread. Files
 * over IMPORT_MAX_BYTES give AV_ETOOBIG, unreadable ones AV_EIO. On
 * success *data_out (NUL-terminated, owned by the caller: free() it) and
 * *len_out are set.
 */
enum av_err import_read_file(const char *path, char **data_out, size_t *len_out,
			     struct av_error *err);

/*
 * Split "COLUMN=FIELD" at its last '=' into 'out' (strings copied into
 * 'a') and check that FIELD is a field name; AV_EINVAL otherwise.
 */
enum av_err import_map_parse(const char *spec, struct arena *a,
			     struct import_map *out, struct av_error *err);

/* The field names --map accepts, NULL-terminated (static). */
const char *const *import_field_names(void);

/*
 * Import the CSV text data[0..len) into 's', which must not be inside a
 * transaction. Everything the report points to lives in 'a'; 'out' is
 * filled as far as the import got, also on failure.
 *
 * Returns AV_OK when every row was accepted (and committed unless
 * opt->dry_run). When rows are rejected, nothing is stored and the result
 * is AV_EINVAL with out->rejected listing them; a file that cannot be
 * imported at all (not CSV, no column giving a name, a bad --map) gives
 * AV_EINVAL or AV_ETOOBIG with the reason in 'err'; store failures give
 * their own code. Not thread-safe with respect to 's'.
 */
enum av_err import_customers(struct store *s, const char *data, size_t len,
			     const struct import_options *opt, struct arena *a,
			     struct import_report *out, struct av_error *err);

/* The JSON form of a report (new reference), for --json and the API. */
json_t *import_report_to_json(const struct import_report *r);

#endif
