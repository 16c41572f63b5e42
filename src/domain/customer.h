/* SPDX-License-Identifier: MIT */
/*
 * Rules for customer and contact records: which fields are required, their
 * limits and defaults. Every path that stores a record (API, CLI, CSV
 * import, demo) calls these first, so bad input never reaches the store.
 */
#ifndef AV_CUSTOMER_H
#define AV_CUSTOMER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "domain/model.h"

/* Limits on text fields, in bytes of UTF-8. */
enum {
	CUSTOMER_NUMBER_MAX = 32,
	NAME_MAX_LEN = 200,
	EMAIL_MAX_LEN = 254,
	PHONE_MAX_LEN = 40,
	ADDRESS_MAX_LEN = 500,
	POSTCODE_MAX_LEN = 16,
	CITY_MAX_LEN = 100,
	TITLE_MAX_LEN = 100,
	NOTES_MAX_LEN = 10000,
};

/*
 * Check a text field: valid UTF-8, no NUL or control bytes (a line break
 * only when 'multiline'), at most 'max' bytes. NULL passes. Fills 'err'
 * naming 'field' on failure.
 */
enum av_err text_check(const char *field, const char *value, size_t max,
		       bool multiline, struct av_error *err);

/* A plausible e-mail address: local@domain.tld, no spaces, <= 254 bytes. */
bool email_valid(const char *s);

/*
 * Trim fields, apply defaults (country NO, time zone from the country,
 * status prospect stays as given) and validate. Empty strings become NULL
 * for optional fields. New strings come from 'a'. Fails with AV_EINVAL
 * naming the field.
 */
enum av_err customer_prepare(struct customer *c, struct arena *a,
			     struct av_error *err);

/* Same for a contact: a name is required, phones must be phone numbers. */
enum av_err contact_prepare(struct contact *c, const char *country,
			    struct arena *a, struct av_error *err);

#endif
