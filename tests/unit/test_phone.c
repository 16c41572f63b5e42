/* SPDX-License-Identifier: MIT */
/*
 * phone_normalize and friends: the contacts and queries of the
 * search-phone-normalization case, read from tests/data at run time (tests
 * run from the repository root), plus national forms of other countries and
 * the inputs that must be rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/phone.h"

#include "core/banned.h"

#define CASE_DIR     "tests/data/cases/search-phone-normalization/"
#define MAX_CONTACTS 16
#define MAX_QUERIES  32
#define MAX_IDS	     8
#define LINE_MAX_LEN 256
#define KEY_SIZE     32

struct contact {
	int id;
	char country[8];
	char phone[64];
	char key[KEY_SIZE];
};

struct query {
	char q[64];
	int ids[MAX_IDS];
	size_t nids;
	bool partial; /* the note says the query is a part of a number */
};

/* Copy field 'idx' of a 'sep'-separated line into out[0..size). */
static void
field(const char *line, char sep, int idx, char *out, size_t size)
{
	const char *start = line;
	const char *end;
	size_t len;

	for (int i = 0; i < idx; i++) {
		start = strchr(start, sep);
		if (!start) {
			out[0] = '\0';
			return;
		}
		start++;
	}
	end = strchr(start, sep);
	len = end ? (size_t)(end - start) : strlen(start);
	assert_true(len < size);
	memcpy(out, start, len);
	out[len] = '\0';
}

static int
parse_int(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	assert_true(end != s);
	return (int)v;
}

static FILE *
open_case(const char *name)
{
	char path[256];
	FILE *f;

	assert_true(snprintf(path, sizeof(path), CASE_DIR "%s", name) > 0);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run tests from the repo root)", path);
	return f;
}

/* Read one line without its CR/LF; false at the end of the file. */
static bool
read_line(FILE *f, char *line, size_t size)
{
	size_t len;

	if (!fgets(line, (int)size, f))
		return false;
	len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	return true;
}

static size_t
load_contacts(struct contact *c)
{
	FILE *f = open_case("contacts.csv");
	char line[LINE_MAX_LEN];
	char id[16];
	size_t n = 0;

	assert_true(read_line(f, line, sizeof(line))); /* header */
	while (read_line(f, line, sizeof(line))) {
		if (!*line)
			continue;
		assert_true(n < MAX_CONTACTS);
		field(line, ';', 0, id, sizeof(id));
		c[n].id = parse_int(id);
		field(line, ';', 2, c[n].country, sizeof(c[n].country));
		field(line, ';', 3, c[n].phone, sizeof(c[n].phone));
		if (!phone_normalize(c[n].phone, c[n].country, c[n].key,
				     sizeof(c[n].key)))
			fail_msg("contact %d: '%s' (%s) not normalized",
				 c[n].id, c[n].phone, c[n].country);
		n++;
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(n, 8);
	return n;
}

static size_t
load_queries(struct query *qs)
{
	FILE *f = open_case("queries.tsv");
	char line[LINE_MAX_LEN];
	char ids[64];
	char note[128];
	size_t n = 0;

	assert_true(read_line(f, line, sizeof(line))); /* header */
	while (read_line(f, line, sizeof(line))) {
		if (!*line)
			continue;
		assert_true(n < MAX_QUERIES);
		field(line, '\t', 0, qs[n].q, sizeof(qs[n].q));
		field(line, '\t', 1, ids, sizeof(ids));
		field(line, '\t', 2, note, sizeof(note));
		qs[n].partial = strncmp(note, "partial", 7) == 0;
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
	assert_int_equal(fclose(f), 0);
	assert_int_equal(n, 16);
	return n;
}

static void
assert_same_ids(const char *q, const int *got, size_t ngot,
		const struct query *want)
{
	if (ngot != want->nids)
		fail_msg("query '%s': %zu hits, expected %zu", q, ngot,
			 want->nids);
	for (size_t i = 0; i < ngot; i++) {
		if (got[i] != want->ids[i])
			fail_msg("query '%s': hit %d, expected %d", q, got[i],
				 want->ids[i]);
	}
}

static void
assert_key(const char *text, const char *country, const char *want)
{
	char out[KEY_SIZE];

	if (!phone_normalize(text, country, out, sizeof(out)))
		fail_msg("'%s' (%s) rejected, expected %s", text,
			 country ? country : "NULL", want);
	if (strcmp(out, want) != 0)
		fail_msg("'%s' (%s) gave %s, expected %s", text,
			 country ? country : "NULL", out, want);
}

static void
assert_rejected(const char *text, const char *country)
{
	char out[KEY_SIZE];

	if (phone_normalize(text, country, out, sizeof(out)))
		fail_msg("'%s' (%s) accepted as %s", text ? text : "NULL",
			 country ? country : "NULL", out);
	assert_string_equal(out, "");
}

static void
test_phone_case_contacts_normalize_to_their_e164_keys(void **state)
{
	static const char *const keys[] = {
	    "+4791234567",  "+4798765432", "+4722123456", "+4747112233",
	    "+46701234567", "+4741555555", "+4520123456", "+4748000001",
	};
	struct contact c[MAX_CONTACTS];
	size_t n = load_contacts(c);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(c[i].id, (int)i + 1);
		assert_string_equal(c[i].key, keys[i]);
	}
}

static void
test_phone_case_full_queries_equal_key_of_exactly_expected(void **state)
{
	struct contact c[MAX_CONTACTS];
	struct query q[MAX_QUERIES];
	size_t nc = load_contacts(c);
	size_t nq = load_queries(q);
	size_t full = 0;

	(void)state;
	for (size_t i = 0; i < nq; i++) {
		char key[KEY_SIZE];
		int got[MAX_CONTACTS];
		size_t ngot = 0;

		if (q[i].partial)
			continue;
		full++;
		assert_true(phone_looks_like(q[i].q));
		if (!phone_normalize(q[i].q, "NO", key, sizeof(key)))
			fail_msg("query '%s' not normalized", q[i].q);
		for (size_t k = 0; k < nc; k++) {
			if (strcmp(key, c[k].key) == 0)
				got[ngot++] = c[k].id;
		}
		assert_same_ids(q[i].q, got, ngot, &q[i]);
	}
	assert_int_equal(full, 14);
}

static void
test_phone_case_partial_queries_are_substrings_of_key_digits(void **state)
{
	struct contact c[MAX_CONTACTS];
	struct query q[MAX_QUERIES];
	size_t nc = load_contacts(c);
	size_t nq = load_queries(q);
	size_t partial = 0;

	(void)state;
	for (size_t i = 0; i < nq; i++) {
		char digits[KEY_SIZE];
		char key[KEY_SIZE];
		int got[MAX_CONTACTS];
		size_t ngot = 0;

		if (!q[i].partial)
			continue;
		partial++;
		assert_true(phone_digits(q[i].q, digits, sizeof(digits)));
		/* a part of a number never equals a whole key */
		if (phone_normalize(q[i].q, "NO", key, sizeof(key))) {
			for (size_t k = 0; k < nc; k++)
				assert_string_not_equal(key, c[k].key);
		}
		for (size_t k = 0; k < nc; k++) {
			if (strstr(c[k].key + 1, digits))
				got[ngot++] = c[k].id;
		}
		assert_same_ids(q[i].q, got, ngot, &q[i]);
	}
	assert_int_equal(partial, 2);
}

static void
test_phone_norwegian_forms_give_one_key(void **state)
{
	(void)state;
	assert_key("+47 912 34 567", "NO", "+4791234567");
	assert_key("0047 91234567", "NO", "+4791234567");
	assert_key("004791234567", "NO", "+4791234567");
	assert_key("912 34 567", "NO", "+4791234567");
	assert_key("912-34-567", "NO", "+4791234567");
	assert_key("912.34.567", "NO", "+4791234567");
	assert_key("(+47) 912 34 567", "NO", "+4791234567");
	assert_key("+47 (912) 34 567", "NO", "+4791234567");
	assert_key("tel:+47-912-34-567", "NO", "+4791234567");
	assert_key("  91234567  ", "NO", "+4791234567");
	assert_key("+47\xC2\xA0"
		   "912\xC2\xA0"
		   "34\xC2\xA0"
		   "567",
		   "NO", "+4791234567");
	assert_key("22 12 34 56", "NO", "+4722123456");
	assert_key("+47-415 55 555", "NO", "+4741555555");
	assert_key("(+47) 48 00 00 01", "NO", "+4748000001");
	assert_key("0047 987 65 432", "NO", "+4798765432");
}

static void
test_phone_norwegian_number_starting_with_47_keeps_8_digits(void **state)
{
	(void)state;
	assert_key("47 11 22 33", "NO", "+4747112233");
	assert_key("47112233", "NO", "+4747112233");
	assert_key("+4747112233", "NO", "+4747112233");
	assert_key("004747112233", "NO", "+4747112233");
	/* ten digits: the calling code written without "+" */
	assert_key("4747112233", "NO", "+4747112233");
	assert_key("4791234567", "NO", "+4791234567");
}

static void
test_phone_null_or_empty_country_means_norway(void **state)
{
	(void)state;
	assert_key("91234567", NULL, "+4791234567");
	assert_key("91234567", "", "+4791234567");
	assert_key("91234567", "no", "+4791234567");
}

static void
test_phone_trunk_zero_is_dropped_where_the_country_uses_it(void **state)
{
	(void)state;
	assert_key("070-123 45 67", "SE", "+46701234567");
	assert_key("0046 70 123 45 67", "SE", "+46701234567");
	assert_key("+46 (0)70 123 45 67", "SE", "+46701234567");
	assert_key("040 123 4567", "FI", "+358401234567");
	assert_key("030 1234567", "DE", "+49301234567");
	assert_key("+49 (0)30 1234567", "DE", "+49301234567");
	assert_key("020 7946 0000", "GB", "+442079460000");
	assert_key("+44 (0)20 7946 0000", "GB", "+442079460000");
	assert_key("06 12 34 56 78", "FR", "+33612345678");
	assert_key("020 123 4567", "NL", "+31201234567");
	assert_key("06 1 234 5678", "HU", "+3612345678");
	assert_key("(02) 9876 5432", "AU", "+61298765432");
}

static void
test_phone_countries_without_trunk_keep_every_digit(void **state)
{
	(void)state;
	assert_key("20 12 34 56", "DK", "+4520123456");
	assert_key("+45 20 12 34 56", "DK", "+4520123456");
	assert_key("06 1234 5678", "IT", "+390612345678");
	assert_key("612 345 678", "ES", "+34612345678");
	assert_key("512 345 678", "PL", "+48512345678");
}

static void
test_phone_north_american_trunk_1_and_011_prefix(void **state)
{
	(void)state;
	assert_key("(212) 555-0100", "US", "+12125550100");
	assert_key("1 212 555 0100", "US", "+12125550100");
	assert_key("1-416-555-0100", "CA", "+14165550100");
	assert_key("011 47 912 34 567", "US", "+4791234567");
	assert_key("+1 212 555 0100", "NO", "+12125550100");
	assert_key("8 495 123 45 67", "RU", "+74951234567");
}

static void
test_phone_international_number_ignores_record_country(void **state)
{
	(void)state;
	assert_key("+46 70 123 45 67", "NO", "+46701234567");
	assert_key("+47 912 34 567", "SE", "+4791234567");
	assert_key("+47 912 34 567", "XX", "+4791234567");
}

static void
test_phone_rejects_spreadsheet_scientific_notation(void **state)
{
	(void)state;
	assert_rejected("4,79123E+10", "NO");
	assert_rejected("4.79123e10", "NO");
	assert_rejected("4.79123E+10", "NO");
	assert_rejected("4,79123E10", NULL);
}

static void
test_phone_rejects_letters_and_extensions(void **state)
{
	(void)state;
	assert_rejected("abc", "NO");
	assert_rejected("912 34 567 x123", "NO");
	assert_rejected("+47 912 34 567 ext 12", "NO");
	assert_rejected("tel:+47-912-34-567;ext=12", "NO");
	assert_rejected("9123456O", "NO");
	assert_rejected("912,34,567", "NO");
}

static void
test_phone_rejects_too_few_or_too_many_digits(void **state)
{
	(void)state;
	assert_rejected("", "NO");
	assert_rejected("   ", "NO");
	assert_rejected("12", "NO");
	assert_rejected("1234", "NO");
	assert_rejected("+47 12", "NO");
	assert_rejected("+123", "NO");
	assert_rejected("1234567890123456", "NO");
	assert_rejected("+1234567890123456", "NO");
	assert_rejected("0047 1234567890123456", "NO");
	assert_rejected("+47 1234 5678 9012 34", "NO");
}

static void
test_phone_rejects_misplaced_plus_and_parentheses(void **state)
{
	(void)state;
	assert_rejected("912+34567", "NO");
	assert_rejected("++4791234567", "NO");
	assert_rejected("(47 91234567", "NO");
	assert_rejected("47) 91234567", "NO");
	assert_rejected("((47)) 91234567", "NO");
	assert_rejected("+0 91234567", "NO");
	assert_rejected("00 0 91234567", "NO");
}

static void
test_phone_rejects_national_number_of_unknown_country(void **state)
{
	(void)state;
	assert_rejected("91234567", "XX");
	assert_rejected("91234567", "NOR");
}

static void
test_phone_rejects_null_and_small_output(void **state)
{
	char small[8];

	(void)state;
	assert_rejected(NULL, "NO");
	assert_false(phone_normalize("91234567", "NO", small, sizeof(small)));
	assert_string_equal(small, "");
	assert_false(phone_normalize("91234567", "NO", NULL, 0));
	assert_false(phone_normalize("91234567", "NO", small, 0));
}

static void
test_phone_key_fits_in_exact_buffer(void **state)
{
	char out[12]; /* "+", ten digits, NUL */

	(void)state;
	assert_true(phone_normalize("91234567", "NO", out, sizeof(out)));
	assert_string_equal(out, "+4791234567");
	assert_false(phone_normalize("91234567", "NO", out, sizeof(out) - 1));
}

static void
test_phone_country_code_looks_up_iso_alpha2(void **state)
{
	(void)state;
	assert_int_equal(phone_country_code("NO"), 47);
	assert_int_equal(phone_country_code("no"), 47);
	assert_int_equal(phone_country_code("SE"), 46);
	assert_int_equal(phone_country_code("DK"), 45);
	assert_int_equal(phone_country_code("FI"), 358);
	assert_int_equal(phone_country_code("IS"), 354);
	assert_int_equal(phone_country_code("DE"), 49);
	assert_int_equal(phone_country_code("GB"), 44);
	assert_int_equal(phone_country_code("US"), 1);
	assert_int_equal(phone_country_code("CA"), 1);
	assert_int_equal(phone_country_code("XX"), 0);
	assert_int_equal(phone_country_code("NOR"), 0);
	assert_int_equal(phone_country_code(""), 0);
	assert_int_equal(phone_country_code(NULL), 0);
}

static void
test_phone_looks_like_accepts_only_digits_and_separators(void **state)
{
	(void)state;
	assert_true(phone_looks_like("912 34 567"));
	assert_true(phone_looks_like("+47 (912) 34.567/8-9"));
	assert_true(phone_looks_like("123"));
	assert_true(phone_looks_like("1-2-3"));
	assert_false(phone_looks_like("12"));
	assert_false(phone_looks_like("+ - ()"));
	assert_false(phone_looks_like("abc"));
	assert_false(phone_looks_like("912a"));
	assert_false(phone_looks_like("Ola 912"));
	assert_false(phone_looks_like("4,79123E+10"));
	assert_false(phone_looks_like(""));
	assert_false(phone_looks_like(NULL));
}

static void
test_phone_digits_keeps_only_digits(void **state)
{
	char out[16];
	char small[4];

	(void)state;
	assert_true(phone_digits("+47 912-34 567", out, sizeof(out)));
	assert_string_equal(out, "4791234567");
	assert_true(phone_digits("(+47) 48", out, sizeof(out)));
	assert_string_equal(out, "4748");
	assert_false(phone_digits("abc", out, sizeof(out)));
	assert_string_equal(out, "");
	assert_false(phone_digits("", out, sizeof(out)));
	assert_false(phone_digits(NULL, out, sizeof(out)));
	assert_false(phone_digits("12345", small, sizeof(small)));
	assert_string_equal(small, "");
	assert_true(phone_digits("123", small, sizeof(small)));
	assert_string_equal(small, "123");
	assert_false(phone_digits("123", small, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		test_phone_case_contacts_normalize_to_their_e164_keys),
	    cmocka_unit_test(
		test_phone_case_full_queries_equal_key_of_exactly_expected),
	    cmocka_unit_test(
		test_phone_case_partial_queries_are_substrings_of_key_digits),
	    cmocka_unit_test(test_phone_norwegian_forms_give_one_key),
	    cmocka_unit_test(
		test_phone_norwegian_number_starting_with_47_keeps_8_digits),
	    cmocka_unit_test(test_phone_null_or_empty_country_means_norway),
	    cmocka_unit_test(
		test_phone_trunk_zero_is_dropped_where_the_country_uses_it),
	    cmocka_unit_test(
		test_phone_countries_without_trunk_keep_every_digit),
	    cmocka_unit_test(test_phone_north_american_trunk_1_and_011_prefix),
	    cmocka_unit_test(
		test_phone_international_number_ignores_record_country),
	    cmocka_unit_test(
		test_phone_rejects_spreadsheet_scientific_notation),
	    cmocka_unit_test(test_phone_rejects_letters_and_extensions),
	    cmocka_unit_test(test_phone_rejects_too_few_or_too_many_digits),
	    cmocka_unit_test(test_phone_rejects_misplaced_plus_and_parentheses),
	    cmocka_unit_test(
		test_phone_rejects_national_number_of_unknown_country),
	    cmocka_unit_test(test_phone_rejects_null_and_small_output),
	    cmocka_unit_test(test_phone_key_fits_in_exact_buffer),
	    cmocka_unit_test(test_phone_country_code_looks_up_iso_alpha2),
	    cmocka_unit_test(
		test_phone_looks_like_accepts_only_digits_and_separators),
	    cmocka_unit_test(test_phone_digits_keeps_only_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
