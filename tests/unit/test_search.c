/* SPDX-License-Identifier: MIT */
/*
 * Search against the real-world cases: tests/data/cases/search-* hold the
 * records and the queries with the ids each must return (from their
 * expected.md). Records are stored through the store, so folding, phone
 * keys and the trigram index are all exercised.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/customer.h"
#include "service/search.h"
#include "store/store.h"

struct fixture {
	struct store *s;
	struct arena a;
};

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Split 'line' at 'sep' into at most 'max' fields in place. */
static int
split(char *line, char sep, char **fields, int max)
{
	int n = 0;

	fields[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == sep) {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

static void
add_customer(struct fixture *fx, const char *number, const char *name,
	     const char *country, const char *phone, const char *person)
{
	struct customer c = {.customer_number = number,
			     .name = name,
			     .country = country,
			     .phone = phone,
			     .owner_id = 1,
			     .status = CUSTOMER_CUSTOMER};
	struct av_error err = {0};

	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err), AV_OK);
	if (person) {
		struct contact p = {.customer_id = c.id, .name = person};
		assert_int_equal(contact_prepare(&p, c.country, &fx->a, &err),
				 AV_OK);
		assert_int_equal(store_contact_insert(fx->s, &p, 1, &err),
				 AV_OK);
	}
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};

	assert_int_equal(store_open(":memory:", 0, &fx->s, &err), AV_OK);
	arena_init(&fx->a, 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(fx->s);
	arena_release(&fx->a);
	free(fx);
	return 0;
}

/* The customer numbers of the hits, sorted, comma-joined. */
static char *
hit_ids(struct fixture *fx, const char *query)
{
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;
	char *out = arena_alloc(&fx->a, 512);
	const char *ids[64];

	assert_int_equal(search_run(fx->s, query, 50, &fx->a, &h, &n, &err),
			 AV_OK);
	assert_true(n < 64);
	for (size_t i = 0; i < n; i++)
		ids[i] = h[i].customer_number;
	/* sort numerically-as-text for a stable comparison */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0;
		     j--) {
			const char *t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, 512 - len, "%s%s", i ? "," : "", ids[i]);
	}
	return out;
}

static void
run_queries(struct fixture *fx, const char *tsv_path)
{
	char *text = read_file(tsv_path);
	char *line;
	char *save = NULL;
	int checked = 0;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[3];
		if (strncmp(line, "query\t", 6) == 0)
			continue;
		assert_true(split(line, '\t', f, 3) >= 2);
		const char *got = hit_ids(fx, f[0]);
		if (strcmp(got, f[1]) != 0)
			fail_msg("query '%s': expected ids '%s', got '%s'",
				 f[0], f[1], got);
		checked++;
	}
	assert_true(checked >= 9);
	free(text);
}

/* search-case-nonascii: contact and company names, any case. */
static void
test_search_case_nonascii_queries_find_listed_ids(void **state)
{
	struct fixture *fx = *state;
	char *text = read_file("tests/data/cases/search-case-nonascii/"
			       "customers.csv");
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[3];
		if (strncmp(line, "id;", 3) == 0)
			continue;
		assert_int_equal(split(line, ';', f, 3), 3);
		add_customer(fx, f[0], f[2], "NO", NULL, f[1]);
	}
	free(text);
	run_queries(fx, "tests/data/cases/search-case-nonascii/queries.tsv");
}

/* search-phone-normalization: every written form, and partial digits. */
static void
test_search_phone_forms_find_listed_ids(void **state)
{
	struct fixture *fx = *state;
	char *text = read_file("tests/data/cases/search-phone-normalization/"
			       "contacts.csv");
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[4];
		if (strncmp(line, "id;", 3) == 0)
			continue;
		assert_int_equal(split(line, ';', f, 4), 4);
		add_customer(fx, f[0], f[1], f[2], f[3], NULL);
	}
	free(text);
	run_queries(fx,
		    "tests/data/cases/search-phone-normalization/queries.tsv");
}

static void
test_search_ranks_exact_number_before_prefix_and_substring(void **state)
{
	struct fixture *fx = *state;
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;

	add_customer(fx, "1234", "Fjordlys Regnskap AS", "NO", NULL, NULL);
	add_customer(fx, "12345", "Berg Bygg AS", "NO", NULL, NULL);
	add_customer(fx, "777", "Firma 1234 AS", "NO", NULL, NULL);
	assert_int_equal(search_run(fx->s, "1234", 10, &fx->a, &h, &n, &err),
			 AV_OK);
	assert_true(n >= 2);
	assert_string_equal(h[0].customer_number, "1234");
	assert_int_equal(h[0].rank, 0);
	assert_string_equal(h[0].matched, "customer_number");
	assert_string_equal(h[1].customer_number, "12345");
	assert_int_equal(h[1].rank, 1);
}

static void
test_search_folded_only_match_ranks_after_plain_match(void **state)
{
	struct fixture *fx = *state;
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;

	add_customer(fx, "1", "Østerbro Eiendom AS", "NO", NULL, NULL);
	add_customer(fx, "2", "Osterbro Data AS", "NO", NULL, NULL);
	assert_int_equal(
	    search_run(fx->s, "osterbro", 10, &fx->a, &h, &n, &err), AV_OK);
	assert_int_equal(n, 2);
	assert_string_equal(h[0].customer_number, "2");
	assert_int_equal(h[0].rank, 1);
	assert_string_equal(h[1].customer_number, "1");
	assert_int_equal(h[1].rank, 3);
	assert_string_equal(h[1].matched, "name");
}

static void
test_search_nfd_stored_name_found_by_nfc_query(void **state)
{
	struct fixture *fx = *state;
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;

	/* "Åsane" with A + COMBINING RING ABOVE, as macOS writes it */
	add_customer(fx, "9",
		     "A\xCC\x8A"
		     "sane Elektro AS",
		     "NO", NULL, NULL);
	assert_int_equal(
	    search_run(fx->s, "\xC3\x85sane", 10, &fx->a, &h, &n, &err), AV_OK);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].rank, 1);
}

static void
test_search_reports_matched_contact(void **state)
{
	struct fixture *fx = *state;
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;

	add_customer(fx, "5", "Fjordlys Regnskap AS", "NO", NULL,
		     "Kari Nordmann");
	assert_int_equal(search_run(fx->s, "nordm", 10, &fx->a, &h, &n, &err),
			 AV_OK);
	assert_int_equal(n, 1);
	assert_string_equal(h[0].matched, "contact");
	assert_string_equal(h[0].contact, "Kari Nordmann");
	assert_int_equal(h[0].rank, 2);
}

static void
test_search_rejects_empty_and_invalid_queries(void **state)
{
	struct fixture *fx = *state;
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;

	assert_int_equal(search_run(fx->s, "  ", 10, &fx->a, &h, &n, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "q");
	assert_int_equal(
	    search_run(fx->s, "\xff\xfe", 10, &fx->a, &h, &n, &err), AV_EINVAL);
}

static void
test_search_deleted_customer_is_not_found(void **state)
{
	struct fixture *fx = *state;
	struct search_hit *h;
	struct av_error err = {0};
	struct customer c;
	size_t n;

	add_customer(fx, "42", "Bortfløyet AS", "NO", "22 33 44 55", NULL);
	assert_int_equal(
	    store_customer_by_number(fx->s, "42", &fx->a, &c, &err), AV_OK);
	assert_int_equal(store_customer_delete(fx->s, c.id, 0, 1, &err), AV_OK);
	assert_int_equal(
	    search_run(fx->s, "bortfloyet", 10, &fx->a, &h, &n, &err), AV_OK);
	assert_int_equal(n, 0);
	assert_int_equal(
	    search_run(fx->s, "22334455", 10, &fx->a, &h, &n, &err), AV_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_search_case_nonascii_queries_find_listed_ids, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_search_phone_forms_find_listed_ids, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_search_ranks_exact_number_before_prefix_and_substring,
		setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_search_folded_only_match_ranks_after_plain_match, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_search_nfd_stored_name_found_by_nfc_query, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_search_reports_matched_contact,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_search_rejects_empty_and_invalid_queries, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_search_deleted_customer_is_not_found, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
