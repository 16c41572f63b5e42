/* SPDX-License-Identifier: MIT */
/*
 * fold_case and fold_search: the queries of the search-case-nonascii case,
 * read from tests/data at run time (tests run from the repository root),
 * plus NFD input, Nordic spellings, whitespace and invalid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <utf8proc.h>

#include "core/arena.h"
#include "core/fold.h"

#include "core/banned.h"

#define CASE_DIR       "tests/data/cases/search-case-nonascii/"
#define MAX_CUSTOMERS  16
#define MAX_QUERIES    32
#define MAX_IDS	       8
#define FOLD_CASE_FN   0
#define FOLD_SEARCH_FN 1

struct customer {
	int id;
	const char *text; /* contact name and company, space-separated */
};

struct query {
	const char *q;
	int ids[MAX_IDS];
	size_t nids;
};

static int
setup(void **state)
{
	struct arena *a = malloc(sizeof(*a));

	if (!a)
		return -1;
	arena_init(a, 0);
	*state = a;
	return 0;
}

static int
teardown(void **state)
{
	arena_release(*state);
	free(*state);
	return 0;
}

static char *
fs(struct arena *a, const char *s)
{
	return fold_search(a, s, strlen(s));
}

static char *
fc(struct arena *a, const char *s)
{
	return fold_case(a, s, strlen(s));
}

static char *
fold_with(struct arena *a, int fn, const char *s)
{
	return fn == FOLD_CASE_FN ? fc(a, s) : fs(a, s);
}

/* Whole file into the arena, NUL-terminated; fails the test if unreadable. */
static char *
slurp(struct arena *a, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s (run tests from the repo root)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = arena_alloc(a, (size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Next line of *p (CR/LF stripped, cut in place), NULL at the end. */
static char *
next_line(char **p)
{
	char *line = *p;
	char *nl;
	size_t len;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	len = strlen(line);
	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	return line;
}

/* Field 'idx' of a 'sep'-separated line, as an arena copy. */
static char *
field(struct arena *a, const char *line, char sep, int idx)
{
	const char *start = line;

	for (int i = 0; i < idx; i++) {
		start = strchr(start, sep);
		if (!start)
			return NULL;
		start++;
	}
	const char *end = strchr(start, sep);
	return arena_strndup(a, start,
			     end ? (size_t)(end - start) : strlen(start));
}

static int
parse_int(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	assert_true(end != s);
	return (int)v;
}

static size_t
load_customers(struct arena *a, struct customer *c)
{
	char *text = slurp(a, CASE_DIR "customers.csv");
	char *line;
	size_t n = 0;

	assert_non_null(next_line(&text)); /* header */
	while ((line = next_line(&text)) != NULL) {
		if (!*line)
			continue;
		assert_true(n < MAX_CUSTOMERS);
		c[n].id = parse_int(field(a, line, ';', 0));
		c[n].text = arena_printf(a, "%s %s", field(a, line, ';', 1),
					 field(a, line, ';', 2));
		n++;
	}
	assert_int_equal(n, 6);
	return n;
}

static size_t
load_queries(struct arena *a, struct query *qs)
{
	char *text = slurp(a, CASE_DIR "queries.tsv");
	char *line;
	size_t n = 0;

	assert_non_null(next_line(&text)); /* header */
	while ((line = next_line(&text)) != NULL) {
		const char *ids;

		if (!*line)
			continue;
		assert_true(n < MAX_QUERIES);
		qs[n].q = field(a, line, '\t', 0);
		ids = field(a, line, '\t', 1);
		assert_non_null(ids);
		qs[n].nids = 0;
		for (const char *p = ids; *p;) {
			assert_true(qs[n].nids < MAX_IDS);
			qs[n].ids[qs[n].nids++] = parse_int(p);
			p = strchr(p, ',');
			if (!p)
				break;
			p++;
		}
		n++;
	}
	assert_int_equal(n, 9);
	return n;
}

/* The ids whose folded text contains the folded query, in file order. */
static size_t
search(struct arena *a, int fn, const struct customer *c, size_t nc,
       const char *q, int *ids)
{
	const char *fq = fold_with(a, fn, q);
	size_t n = 0;

	assert_non_null(fq);
	for (size_t i = 0; i < nc; i++) {
		const char *ft = fold_with(a, fn, c[i].text);
		assert_non_null(ft);
		if (strstr(ft, fq))
			ids[n++] = c[i].id;
	}
	return n;
}

static void
assert_query_hits(struct arena *a, int fn, const struct customer *c, size_t nc,
		  const char *q, const struct query *want)
{
	int got[MAX_CUSTOMERS];
	size_t n = search(a, fn, c, nc, q, got);

	if (n != want->nids)
		fail_msg("query '%s' (%s): %zu hits, expected %zu", q,
			 fn == FOLD_CASE_FN ? "fold_case" : "fold_search", n,
			 want->nids);
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want->ids[i])
			fail_msg("query '%s': hit %d, expected %d", q, got[i],
				 want->ids[i]);
	}
}

/* The query with every code point mapped through 'map' (upper or lower). */
static char *
recase(struct arena *a, const char *s,
       utf8proc_int32_t (*map)(utf8proc_int32_t))
{
	size_t len = strlen(s);
	char *out = arena_alloc(a, len * 4 + 1);
	size_t o = 0;

	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k =
		    utf8proc_iterate((const utf8proc_uint8_t *)s + i,
				     (utf8proc_ssize_t)(len - i), &cp);
		assert_true(k > 0);
		o += (size_t)utf8proc_encode_char(map(cp),
						  (utf8proc_uint8_t *)out + o);
		i += (size_t)k;
	}
	out[o] = '\0';
	return out;
}

static void
test_fold_every_case_file_query_finds_exactly_its_ids(void **state)
{
	struct arena *a = *state;
	struct customer c[MAX_CUSTOMERS];
	struct query q[MAX_QUERIES];
	size_t nc = load_customers(a, c);
	size_t nq = load_queries(a, q);

	for (size_t i = 0; i < nq; i++) {
		assert_query_hits(a, FOLD_CASE_FN, c, nc, q[i].q, &q[i]);
		assert_query_hits(a, FOLD_SEARCH_FN, c, nc, q[i].q, &q[i]);
	}
}

static void
test_fold_case_file_queries_match_in_upper_and_lower_case(void **state)
{
	struct arena *a = *state;
	struct customer c[MAX_CUSTOMERS];
	struct query q[MAX_QUERIES];
	size_t nc = load_customers(a, c);
	size_t nq = load_queries(a, q);

	for (size_t i = 0; i < nq; i++) {
		const char *up = recase(a, q[i].q, utf8proc_toupper);
		const char *lo = recase(a, q[i].q, utf8proc_tolower);
		for (int fn = FOLD_CASE_FN; fn <= FOLD_SEARCH_FN; fn++) {
			assert_query_hits(a, fn, c, nc, up, &q[i]);
			assert_query_hits(a, fn, c, nc, lo, &q[i]);
		}
	}
}

static void
test_fold_search_upper_ostby_is_in_both_ostby_records(void **state)
{
	struct arena *a = *state;
	const char *q = fs(a, "ØSTBY");

	assert_string_equal(q, "ostby");
	assert_non_null(strstr(fs(a, "Østby Rør AS"), q));
	assert_non_null(strstr(fs(a, "Ærlig Østby"), q));
	assert_null(strstr(fs(a, "Øystein Ødegård"), q));
}

static void
test_fold_sharp_s_and_ss_fold_to_same_prefix(void **state)
{
	struct arena *a = *state;
	const char *name = "Großhandel Nord AS";

	assert_string_equal(fc(a, "GROß"), "gross");
	assert_string_equal(fc(a, name), "grosshandel nord as");
	assert_int_equal(strncmp(fc(a, name), fc(a, "GROß"), 5), 0);
	assert_int_equal(strncmp(fc(a, name), fc(a, "grosshandel"), 11), 0);
	assert_int_equal(strncmp(fs(a, name), fs(a, "GROß"), 5), 0);
	assert_int_equal(strncmp(fs(a, name), fs(a, "grosshandel"), 11), 0);
	/* capital sharp s (U+1E9E) too */
	assert_string_equal(fs(a, "GRO\xE1\xBA\x9E"), "gross");
}

static void
test_fold_nfd_input_gives_same_key_as_nfc(void **state)
{
	struct arena *a = *state;
	const char *nfd_ase = "A\xCC\x8A"
			      "se "
			      "A\xCC\x8A"
			      "s";
	const char *nfd_muller = "Mu\xCC\x88ller";

	assert_string_equal(fc(a, nfd_ase), fc(a, "Åse Ås"));
	assert_string_equal(fc(a, nfd_ase), "åse ås");
	assert_string_equal(fs(a, nfd_ase), fs(a, "Åse Ås"));
	assert_string_equal(fs(a, nfd_ase), "ase as");
	assert_string_equal(fc(a, nfd_muller), fc(a, "Müller"));
	assert_string_equal(fs(a, nfd_muller), "muller");
	/* NFD query inside NFC data */
	assert_non_null(strstr(fc(a, "Åsane Elektro AS"), fc(a, "a\xCC\x8A"
								"sane")));
}

static void
test_fold_search_spells_out_nordic_letters(void **state)
{
	struct arena *a = *state;

	assert_string_equal(fs(a, "osterbro"), fs(a, "Østerbro"));
	assert_string_equal(fs(a, "Bjørn"), "bjorn");
	assert_string_equal(fs(a, "ÆRØ BYGG AS"), "aero bygg as");
	assert_string_equal(fs(a, "ærø"), "aero");
	assert_string_equal(fs(a, "Øystein Ødegård"), "oystein odegard");
	assert_string_equal(fs(a, "Åsane"), "asane");
	assert_string_equal(fs(a, "MÜLLER & SÖHNE"), "muller & sohne");
}

static void
test_fold_search_spells_out_other_undecomposable_letters(void **state)
{
	struct arena *a = *state;

	assert_string_equal(fs(a, "Œuvre"), "oeuvre");
	assert_string_equal(fs(a, "Đorđe"), "dorde");
	assert_string_equal(fs(a, "Łódź"), "lodz");
	assert_string_equal(fs(a, "Þór"), "thor");
	assert_string_equal(fs(a, "Guðrún"), "gudrun");
	assert_string_equal(fs(a, "Ñandú Çağ"), "nandu cag");
}

static void
test_fold_case_keeps_accents_and_nordic_letters(void **state)
{
	struct arena *a = *state;

	assert_string_equal(fc(a, "ÆRØ BYGG AS"), "ærø bygg as");
	assert_string_equal(fc(a, "Åse"), "åse");
	assert_string_equal(fc(a, "MÜLLER"), "müller");
	assert_string_equal(fc(a, "Ola Nordmann"), "ola nordmann");
}

static void
test_fold_case_leaves_whitespace_alone(void **state)
{
	struct arena *a = *state;

	assert_string_equal(fc(a, " A  B\t"), " a  b\t");
}

static void
test_fold_search_collapses_unicode_whitespace_and_trims(void **state)
{
	struct arena *a = *state;

	assert_string_equal(fs(a, "  Ola\xC2\xA0\t Nordmann \r\n"),
			    "ola nordmann");
	assert_string_equal(fs(a, "Ola\xC2\xA0Nordmann"), "ola nordmann");
	assert_string_equal(fs(a, "Ola\tNordmann"), "ola nordmann");
	/* em space, narrow no-break space, ideographic space, line sep */
	assert_string_equal(fs(a, "a\xE2\x80\x83"
				  "b\xE2\x80\xAF"
				  "c\xE3\x80\x80"
				  "d\xE2\x80\xA8"
				  "e"),
			    "a b c d e");
	assert_string_equal(fs(a, " \t\xC2\xA0 "), "");
}

static void
test_fold_search_drops_invisible_and_control_characters(void **state)
{
	struct arena *a = *state;

	/* zero-width space, soft hyphen, BOM, a C0 control */
	assert_string_equal(fs(a, "Nord\xE2\x80\x8Bmann"), "nordmann");
	assert_string_equal(fs(a, "Nord\xC2\xADmann"), "nordmann");
	assert_string_equal(fs(a, "\xEF\xBB\xBFOla"), "ola");
	assert_string_equal(fs(a, "Ola\x01"), "ola");
}

static void
test_fold_invalid_utf8_gives_null(void **state)
{
	struct arena *a = *state;
	static const char *const bad[] = {
	    "\xFF",	       /* never valid */
	    "\xC3",	       /* truncated */
	    "abc\xC3(",	       /* bad continuation */
	    "\xC0\xAF",	       /* overlong "/" */
	    "\xED\xA0\x80",    /* surrogate */
	    "\xF4\x90\x80\x80" /* beyond U+10FFFF */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(fc(a, bad[i]));
		assert_null(fs(a, bad[i]));
	}
	/* Latin-1 "Østby", as a Windows export would write it */
	assert_null(fs(a, "\xD8stby"));
	/* an embedded NUL cannot be part of a key */
	assert_null(fold_case(a, "a\0b", 3));
	assert_null(fold_search(a, "a\0b", 3));
}

static void
test_fold_uses_explicit_length_not_nul(void **state)
{
	struct arena *a = *state;
	const char *s = "ØSTBY RØR";

	assert_string_equal(fold_search(a, s, 6), "ostby");
	assert_string_equal(fold_case(a, s, 6), "østby");
	/* a cut in the middle of a character is invalid */
	assert_null(fold_search(a, s, 1));
}

static void
test_fold_empty_input_gives_empty_string(void **state)
{
	struct arena *a = *state;

	assert_string_equal(fold_case(a, "", 0), "");
	assert_string_equal(fold_search(a, "", 0), "");
	assert_string_equal(fold_case(a, NULL, 0), "");
	assert_string_equal(fold_search(a, NULL, 0), "");
	assert_null(fold_search(a, NULL, 3));
}

static void
test_fold_result_lives_in_the_arena(void **state)
{
	struct arena *a = *state;
	size_t before = a->used;
	char *r = fs(a, "Ærlig Østby");

	assert_non_null(r);
	assert_true(a->used > before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(test_fold_every_case_file_query_finds_exactly_its_ids),
	    T(test_fold_case_file_queries_match_in_upper_and_lower_case),
	    T(test_fold_search_upper_ostby_is_in_both_ostby_records),
	    T(test_fold_sharp_s_and_ss_fold_to_same_prefix),
	    T(test_fold_nfd_input_gives_same_key_as_nfc),
	    T(test_fold_search_spells_out_nordic_letters),
	    T(test_fold_search_spells_out_other_undecomposable_letters),
	    T(test_fold_case_keeps_accents_and_nordic_letters),
	    T(test_fold_case_leaves_whitespace_alone),
	    T(test_fold_search_collapses_unicode_whitespace_and_trims),
	    T(test_fold_search_drops_invisible_and_control_characters),
	    T(test_fold_invalid_utf8_gives_null),
	    T(test_fold_uses_explicit_length_not_nul),
	    T(test_fold_empty_input_gives_empty_string),
	    T(test_fold_result_lives_in_the_arena),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
