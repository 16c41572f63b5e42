/* SPDX-License-Identifier: MIT */
/*
 * Slices and checked conversions. A struct str borrows bytes it does not
 * own; conversions reject trailing junk, overflow and empty input.
 */
#ifndef AV_STR_H
#define AV_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char *p; /* borrowed */
	size_t len;    /* bytes */
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

struct str str_from(const char *s);
bool str_eq(struct str a, const char *b);
bool str_eq_nocase(struct str a, const char *b);
struct str str_trim(struct str s);

/* Parse a whole decimal integer in [min,max]; false on junk or range. */
bool str_to_i64(const char *s, int64_t min, int64_t max, int64_t *out);
bool str_to_i64_len(const char *s, size_t len, int64_t min, int64_t max,
		    int64_t *out);

/* True if s[0..len) is valid UTF-8 with no NUL and no overlong forms. */
bool str_valid_utf8(const char *s, size_t len);

/* ASCII-only case-insensitive compare of NUL-terminated strings. */
bool str_ieq(const char *a, const char *b);

/* snprintf that reports truncation as false instead of hiding it. */
bool str_printf(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
