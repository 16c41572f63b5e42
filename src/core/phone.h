/* SPDX-License-Identifier: MIT */
/*
 * Phone numbers to one E.164 key, so every written form of a number is one
 * number: "+47 912 34 567", "0047 91234567", "912-34-567", "(+47) 912..."
 * all become "+4791234567". The country of the record (ISO 3166 alpha-2,
 * default NO) decides how a national number is read: a Norwegian 8-digit
 * number keeps all 8 digits even when it starts with 47.
 */
#ifndef AV_PHONE_H
#define AV_PHONE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Write the E.164 key ("+" and digits) of 'text' into out[0..size).
 * 'country' is an ISO alpha-2 code ("NO", "SE", ...) or NULL for NO.
 * Returns false when the text is not a phone number (letters, too few or
 * too many digits, a spreadsheet-mangled value such as "4,79123E+10").
 */
bool phone_normalize(const char *text, const char *country, char *out,
		     size_t size);

/* Calling code for an ISO alpha-2 country ("NO" -> 47), 0 if unknown. */
int phone_country_code(const char *country);

/*
 * True if 'text' looks like something a user typed as a phone number:
 * digits with at most spaces, '+', '-', '.', '/', '(' and ')'.
 */
bool phone_looks_like(const char *text);

/* Digits of 'text' only, into out; false if none or out too small. */
bool phone_digits(const char *text, char *out, size_t size);

#endif
