/* SPDX-License-Identifier: MIT */
/*
 * Search keys through utf8proc: fold_case is NFC + full case folding,
 * fold_search also strips marks, spells out the letters that do not
 * decompose (æ, ø, œ, đ, ł, þ, ...), drops control characters and collapses
 * whitespace. Both validate UTF-8 first and copy the result into the arena;
 * utf8proc's own buffer is freed before returning.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/fold.h"
#include "core/str.h"

#include "core/banned.h"

#define FOLD_CASE_OPTS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)
/* Marks are stripped between decomposition and recomposition. */
#define FOLD_SEARCH_OPTS (FOLD_CASE_OPTS | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/* Case-folded letters with no decomposition, spelled as typed without them. */
static const struct {
	utf8proc_int32_t cp;
	const char *ascii;
} spell[] = {
    {0x00E6, "ae"}, /* æ */
    {0x00F8, "o"},  /* ø */
    {0x0153, "oe"}, /* œ */
    {0x0111, "d"},  /* đ */
    {0x00F0, "d"},  /* ð */
    {0x0142, "l"},  /* ł */
    {0x00FE, "th"}, /* þ */
    {0x0131, "i"},  /* dotless ı */
};

/*
 * Run utf8proc_map over s[0..len) with 'opts'. Returns utf8proc's malloc'd
 * buffer (caller frees) and its length in *out_len, or NULL when the input
 * is not valid UTF-8 (including a NUL byte) or utf8proc fails.
 */
static utf8proc_uint8_t *
map_utf8(const char *s, size_t len, utf8proc_option_t opts, size_t *out_len)
{
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t n;

	if (len > (size_t)PTRDIFF_MAX / 8 || !str_valid_utf8(s, len))
		return NULL;
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
			 &dst, opts);
	if (n < 0) {
		free(dst);
		return NULL;
	}
	*out_len = (size_t)n;
	return dst;
}

/* Whitespace for search: Unicode separators and the ASCII/C1 line breaks. */
static bool
is_fold_space(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return true;
	default:
		break;
	}
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85;
}

static const char *
spelled(utf8proc_int32_t cp)
{
	for (size_t i = 0; i < sizeof(spell) / sizeof(spell[0]); i++) {
		if (spell[i].cp == cp)
			return spell[i].ascii;
	}
	return NULL;
}

char *
fold_case(struct arena *a, const char *s, size_t len)
{
	utf8proc_uint8_t *m;
	size_t n = 0;
	char *r;

	if (!s)
		return len ? NULL : arena_strdup(a, "");
	if (len == 0)
		return arena_strdup(a, "");
	m = map_utf8(s, len, (utf8proc_option_t)FOLD_CASE_OPTS, &n);
	if (!m)
		return NULL;
	r = arena_strndup(a, (const char *)m, n);
	free(m);
	return r;
}

char *
fold_search(struct arena *a, const char *s, size_t len)
{
	utf8proc_uint8_t *m;
	size_t n = 0;
	size_t rd = 0;
	size_t wr = 0;
	bool pending_space = false;
	char *r;

	if (!s)
		return len ? NULL : arena_strdup(a, "");
	if (len == 0)
		return arena_strdup(a, "");
	m = map_utf8(s, len, (utf8proc_option_t)FOLD_SEARCH_OPTS, &n);
	if (!m)
		return NULL;
	/*
	 * Rewrite in place: every replacement is at most as long as the
	 * character it replaces, so wr <= rd holds throughout.
	 */
	while (rd < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k =
		    utf8proc_iterate(m + rd, (utf8proc_ssize_t)(n - rd), &cp);
		const char *sp;

		if (k <= 0) {
			free(m);
			return NULL;
		}
		if (is_fold_space(cp)) {
			pending_space = wr > 0;
			rd += (size_t)k;
			continue;
		}
		if (utf8proc_category(cp) == UTF8PROC_CATEGORY_CC) {
			rd += (size_t)k;
			continue;
		}
		if (pending_space) {
			m[wr++] = ' ';
			pending_space = false;
		}
		sp = spelled(cp);
		if (sp) {
			while (*sp)
				m[wr++] = (utf8proc_uint8_t)*sp++;
		} else {
			memmove(m + wr, m + rd, (size_t)k);
			wr += (size_t)k;
		}
		rd += (size_t)k;
	}
	r = arena_strndup(a, (const char *)m, wr);
	free(m);
	return r;
}
