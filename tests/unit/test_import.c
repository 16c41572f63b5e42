/* SPDX-License-Identifier: MIT */
/*
 * CSV import against the real-world cases in the tests/data/cases/csv-*
 * folders (read at run time from the repository root): every value their
 * expected.md lists is checked in the store after import, re-import must change
 * nothing, a bad row must leave the store empty, and search must find the
 * imported records by phone in another written form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/phone.h"
#include "domain/customer.h"
#include "service/import.h"
#include "service/search.h"
#include "store/store.h"

#include "core/banned.h"

#define CASES "tests/data/cases/"
#define SEMI  CASES "csv-semicolon-excel/excel-nb-semicolon.csv"
#define SEMI_SEP                                                               \
	CASES "csv-semicolon-excel/excel-nb-semicolon-with-sep-line.csv"
#define NEWLINES CASES "csv-quoted-newlines/multiline-cells.csv"
#define BOM	 CASES "csv-utf8-bom/excel-csv-utf8-with-bom.csv"
#define OUTLOOK	 CASES "csv-outlook-google-headers/outlook-contacts-en.csv"
#define GOOGLE	 CASES "csv-outlook-google-headers/google-contacts-legacy.csv"
#define THUNDER	 CASES "csv-outlook-google-headers/thunderbird-contacts.csv"

struct fixture {
	struct store *s; /* ":memory:" */
	struct arena a;	 /* everything a test reads */
};

static struct store *
open_store(void)
{
	struct store *s = NULL;
	struct av_error err = {0};

	assert_int_equal(store_open(":memory:", 0, &s, &err), AV_OK);
	return s;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->s = open_store();
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

static void
default_options(struct import_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->status = -1;
	opt->actor = 1; /* the built-in admin */
}

/* Import text; returns the result code, fills 'rep'. */
static enum av_err
import_text_opt(struct store *s, struct arena *a, const char *text, size_t len,
		const struct import_options *opt, struct import_report *rep)
{
	struct av_error err = {0};

	return import_customers(s, text, len, opt, a, rep, &err);
}

static enum av_err
import_text(struct fixture *fx, const char *text, struct import_report *rep)
{
	struct import_options opt;

	default_options(&opt);
	return import_text_opt(fx->s, &fx->a, text, strlen(text), &opt, rep);
}

static enum av_err
import_path_into(struct store *s, struct arena *a, const char *path,
		 struct import_report *rep)
{
	struct import_options opt;
	struct av_error err = {0};
	char *data;
	size_t len;
	enum av_err rc;

	assert_int_equal(import_read_file(path, &data, &len, &err), AV_OK);
	default_options(&opt);
	rc = import_customers(s, data, len, &opt, a, rep, &err);
	free(data);
	return rc;
}

static void
import_ok(struct fixture *fx, const char *path, struct import_report *rep)
{
	enum av_err rc = import_path_into(fx->s, &fx->a, path, rep);

	if (rc != AV_OK)
		fail_msg("import of %s failed (%d); first rejected: line %zu "
			 "%s",
			 path, rc, rep->n_rejected ? rep->rejected[0].line : 0,
			 rep->n_rejected ? rep->rejected[0].reason : "-");
	assert_true(rep->committed);
	assert_int_equal(rep->rejected_total, 0);
}

static struct customer
customer_by_number(struct fixture *fx, const char *number)
{
	struct customer c;
	struct av_error err = {0};

	if (store_customer_by_number(fx->s, number, &fx->a, &c, &err))
		fail_msg("customer %s not found: %s", number, err.msg);
	return c;
}

static struct customer
customer_by_name(struct fixture *fx, const char *name)
{
	struct customer c;
	struct av_error err = {0};

	if (store_customer_by_name(fx->s, name, &fx->a, &c, &err))
		fail_msg("customer '%s' not found: %s", name, err.msg);
	return c;
}

/* The contacts of a customer; *n set. */
static struct contact *
contacts_of(struct fixture *fx, int64_t customer_id, size_t *n)
{
	struct contact *v;
	struct av_error err = {0};

	assert_int_equal(
	    store_contact_list(fx->s, customer_id, &fx->a, &v, n, &err), AV_OK);
	return v;
}

/* The one contact of a customer. */
static struct contact
only_contact(struct fixture *fx, int64_t customer_id)
{
	size_t n;
	struct contact *v = contacts_of(fx, customer_id, &n);

	assert_int_equal(n, 1);
	return v[0];
}

static int64_t
count_customers(struct store *s)
{
	int64_t n;
	struct av_error err = {0};

	assert_int_equal(store_customer_count(s, &n, &err), AV_OK);
	return n;
}

static void
assert_str(const char *got, const char *want)
{
	if (!want) {
		if (got)
			fail_msg("expected NULL, got '%s'", got);
		return;
	}
	if (!got)
		fail_msg("expected '%s', got NULL", want);
	assert_string_equal(got, want);
}

/* A warning (or rejected row) whose column is 'column'. */
static const struct import_issue *
find_issue(const struct import_issue *v, size_t n, const char *column)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].column && strcmp(v[i].column, column) == 0)
			return &v[i];
	return NULL;
}

/* Sum of versions of every customer and contact: any update raises it. */
static int64_t
version_sum(struct fixture *fx)
{
	struct customer_filter f = {.limit = 1000, .status = -1};
	struct customer *v;
	struct av_error err = {0};
	size_t n;
	int64_t sum = 0;

	assert_int_equal(store_customer_list(fx->s, &f, &fx->a, &v, &n, &err),
			 AV_OK);
	for (size_t i = 0; i < n; i++) {
		size_t nc;
		struct contact *c = contacts_of(fx, v[i].id, &nc);

		sum += v[i].version * 1000;
		for (size_t k = 0; k < nc; k++)
			sum += c[k].version;
	}
	return sum;
}

/* ---- csv-semicolon-excel ---- */

static void
check_semicolon(struct fixture *fx, const struct import_report *rep)
{
	struct customer c;
	struct contact k;

	assert_int_equal(rep->delimiter, ';');
	assert_string_equal(rep->layout, "norwegian");
	assert_int_equal(rep->rows, 3); /* the sep= line is no header */
	assert_int_equal(count_customers(fx->s), 3);
	assert_string_equal(rep->columns[0].header, "Kundenummer");
	assert_string_equal(rep->columns[0].field, "customer_number");
	assert_string_equal(rep->columns[4].field, "amount");
	assert_non_null(
	    find_issue(rep->warnings, rep->n_warnings, "Omsetning"));

	c = customer_by_number(fx, "10001");
	assert_str(c.name, "Berg, Hansen & Co AS");
	assert_str(c.phone, "+47 912 34 567");
	assert_str(c.postcode, "0150");
	assert_str(c.city, "Oslo");
	assert_int_equal(c.status, CUSTOMER_CUSTOMER);
	assert_int_equal(c.owner_id, 1);
	k = only_contact(fx, c.id);
	assert_str(k.name, "Kari Nordmann");

	c = customer_by_number(fx, "10002");
	assert_str(c.name, "Fjordlys Regnskap AS");
	assert_str(c.phone, "22 12 34 56");
	assert_str(c.postcode, "5003");
	assert_str(c.city, "Bergen");
	assert_str(only_contact(fx, c.id).name, "Ola Nordmann");

	c = customer_by_number(fx, "10003");
	assert_str(c.name, "Ærø; Bygg AS");
	assert_str(c.phone, "987 65 432");
	assert_str(c.postcode, "7010");
	assert_str(c.city, "Trondheim");
	assert_str(only_contact(fx, c.id).name, "Per Hansen");
}

static void
test_import_semicolon_excel_without_sep_line(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;

	import_ok(fx, SEMI, &rep);
	assert_string_equal(rep.encoding, "utf-8");
	assert_int_equal(rep.customers_created, 3);
	assert_int_equal(rep.contacts_created, 3);
	check_semicolon(fx, &rep);
}

static void
test_import_semicolon_excel_with_sep_line(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;

	import_ok(fx, SEMI_SEP, &rep);
	assert_int_equal(rep.customers_created, 3);
	check_semicolon(fx, &rep);
	/* the other file holds the same data: nothing changes */
	import_ok(fx, SEMI, &rep);
	assert_int_equal(rep.customers_unchanged, 3);
	assert_int_equal(rep.contacts_unchanged, 3);
	assert_int_equal(rep.customers_created + rep.customers_updated, 0);
}

/* ---- csv-quoted-newlines ---- */

static void
test_import_quoted_newlines_keep_multiline_cells(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;

	import_ok(fx, NEWLINES, &rep);
	assert_int_equal(rep.rows, 3);
	assert_int_equal(rep.delimiter, ',');
	assert_int_equal(count_customers(fx->s), 3);

	c = customer_by_number(fx, "30001");
	assert_str(c.name, "Fjordlys Regnskap AS");
	assert_str(c.address, "Storgata 1\n0155 Oslo");
	assert_str(c.notes, "Sa: \"Ring meg etter lunsj\"");

	c = customer_by_number(fx, "30002");
	assert_str(c.name, "Berg, Hansen & Co AS");
	assert_str(c.address, "Postboks 12\nSentrum\n5003 Bergen");
	assert_str(c.notes, NULL);

	c = customer_by_number(fx, "30003");
	assert_str(c.name, "Østby Rør AS");
	assert_str(c.address, "Industriveien 5");
	assert_str(c.notes, "Linje 1\nLinje 2");
}

/* ---- csv-utf8-bom ---- */

static bool
has_bom(const char *s)
{
	return s && strstr(s, "\xEF\xBB\xBF") != NULL;
}

struct bom_expect {
	const char *number;  /* Kundenummer */
	const char *company; /* Firmanavn */
	const char *person;  /* Fornavn Etternavn */
	const char *mobile;  /* Mobil */
	const char *email;   /* E-post */
};

static const struct bom_expect bom_rows[] = {
    {"10001", "Fjordlys Regnskap AS", "Kari Nordmann", "+47 912 34 567",
     "kari.nordmann@example.com"},
    {"10002", "Ærø Bygg AS", "Ola Nordmann", "987 65 432",
     "ola.nordmann@example.com"},
    {"10003", "Åsane Elektro AS", "Åse Ås", "+47 415 55 555",
     "ase.as@example.com"},
};

static void
check_bom(struct fixture *fx, const struct import_report *rep)
{
	assert_string_equal(rep->layout, "norwegian");
	assert_int_equal(rep->rows, 3);
	assert_string_equal(rep->columns[0].header, "Kundenummer");
	assert_string_equal(rep->columns[0].field, "customer_number");
	for (size_t i = 0; i < rep->n_columns; i++) {
		assert_false(has_bom(rep->columns[i].header));
		assert_non_null(rep->columns[i].field); /* all recognised */
	}
	assert_int_equal(rep->warnings_total, 0);
	assert_int_equal(count_customers(fx->s), 3);
	for (size_t i = 0; i < 3; i++) {
		struct customer c = customer_by_number(fx, bom_rows[i].number);
		struct contact k = only_contact(fx, c.id);

		assert_str(c.name, bom_rows[i].company);
		assert_str(c.email, bom_rows[i].email); /* customer layout */
		assert_str(k.name, bom_rows[i].person);
		assert_str(k.mobile, bom_rows[i].mobile);
		assert_int_equal(c.status, CUSTOMER_CUSTOMER);
		assert_false(has_bom(c.customer_number) || has_bom(c.name) ||
			     has_bom(c.email) || has_bom(k.name) ||
			     has_bom(k.mobile));
	}
}

static void
test_import_utf8_bom_first_column_recognised(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;

	import_ok(fx, BOM, &rep);
	assert_string_equal(rep.encoding, "utf-8-bom");
	check_bom(fx, &rep);
}

static void
test_import_utf8_without_bom_gives_identical_result(void **state)
{
	struct fixture *fx = *state;
	struct import_options opt;
	struct import_report rep;
	struct av_error err = {0};
	char *data;
	size_t len;

	assert_int_equal(import_read_file(BOM, &data, &len, &err), AV_OK);
	assert_memory_equal(data, "\xEF\xBB\xBF", 3);
	default_options(&opt);
	assert_int_equal(
	    import_text_opt(fx->s, &fx->a, data + 3, len - 3, &opt, &rep),
	    AV_OK);
	free(data);
	assert_string_equal(rep.encoding, "utf-8");
	check_bom(fx, &rep);
	/* and the file with BOM over it changes nothing */
	import_ok(fx, BOM, &rep);
	assert_int_equal(rep.customers_unchanged, 3);
	assert_int_equal(rep.contacts_unchanged, 3);
}

/* ---- csv-outlook-google-headers ---- */

static void
test_import_outlook_contacts(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;
	struct contact k;

	import_ok(fx, OUTLOOK, &rep);
	assert_string_equal(rep.layout, "outlook");
	assert_int_equal(rep.customers_created, 2);
	assert_int_equal(rep.contacts_created, 2);
	assert_int_equal(rep.warnings_total, 0);

	c = customer_by_name(fx, "Fjordlys Regnskap AS");
	assert_str(c.customer_number, "100001"); /* generated */
	assert_int_equal(c.status, CUSTOMER_PROSPECT);
	assert_str(c.address, "Storgata 1");
	assert_str(c.postcode, "0155");
	assert_str(c.city, "Oslo");
	assert_str(c.country, "NO");
	assert_str(c.phone, NULL);
	k = only_contact(fx, c.id);
	assert_str(k.name, "Kari Nordmann");
	assert_str(k.title, "Daglig leder");
	assert_str(k.phone, "22 12 34 56");
	assert_str(k.mobile, "+47 912 34 567");
	assert_str(k.email, "kari.nordmann@example.com");
	assert_str(k.notes, NULL);

	c = customer_by_name(fx, "Ærø Bygg AS");
	assert_str(c.customer_number, "100002");
	assert_str(c.address, "Industriveien 5");
	assert_str(c.postcode, "5003");
	assert_str(c.city, "Bergen");
	assert_str(c.country, "NO");
	k = only_contact(fx, c.id);
	assert_str(k.name, "Ola Johan Nordmann");
	assert_str(k.title, "Innkjøper");
	assert_str(k.phone, NULL);
	assert_str(k.mobile, "987 65 432");
	assert_str(k.email, "ola.nordmann@example.com");
	assert_str(k.notes, "Foretrekker e-post");
}

static void
test_import_google_contacts_multi_values(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;
	struct contact k;

	import_ok(fx, GOOGLE, &rep);
	assert_string_equal(rep.layout, "google");
	assert_int_equal(rep.customers_created, 2);
	assert_int_equal(rep.contacts_created, 2);

	c = customer_by_name(fx, "Åsane Elektro AS");
	k = only_contact(fx, c.id);
	assert_str(k.name, "Åse Ås");
	assert_str(k.title, "Salgssjef");
	assert_str(k.email, "ase.as@example.com");
	assert_str(k.mobile, "+47 415 55 555");
	assert_str(k.other_phones, "+47 987 00 001");
	assert_str(k.phone, "55 12 34 56");
	assert_str(k.tags, "myContacts\nKunder\nBergen");

	c = customer_by_name(fx, "Berg, Hansen & Co AS");
	k = only_contact(fx, c.id);
	assert_str(k.name, "Per Hansen");
	assert_str(k.mobile, "47 11 22 33");
	assert_str(k.phone, NULL);
	assert_str(k.other_phones, NULL);
	assert_str(k.tags, "myContacts");
	{
		char key[32];
		assert_true(
		    phone_normalize(k.mobile, c.country, key, sizeof(key)));
		assert_string_equal(key, "+4747112233");
	}
}

static void
test_import_thunderbird_trailing_column_ignored(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;
	struct contact k;

	import_ok(fx, THUNDER, &rep);
	assert_string_equal(rep.layout, "thunderbird");
	assert_int_equal(rep.customers_created, 1);
	assert_int_equal(rep.contacts_created, 1);
	/* the empty last column is read as nothing and not warned about */
	assert_string_equal(rep.columns[rep.n_columns - 1].header, "");
	assert_string_equal(rep.columns[rep.n_columns - 1].field, "ignore");
	for (size_t i = 0; i < rep.n_warnings; i++)
		assert_true(rep.warnings[i].column &&
			    rep.warnings[i].column[0]);

	c = customer_by_name(fx, "Østby Rør AS");
	assert_str(c.postcode, "7010");
	assert_str(c.city, "Trondheim");
	k = only_contact(fx, c.id);
	assert_str(k.name, "Øystein Ødegård");
	assert_str(k.email, "oystein.odegard@example.com");
	assert_str(k.mobile, "912 34 568");
}

/* ---- re-import ---- */

static void
test_import_again_changes_nothing(void **state)
{
	static const char *const files[] = {SEMI,    SEMI_SEP, NEWLINES, BOM,
					    OUTLOOK, GOOGLE,   THUNDER};
	struct fixture *fx = *state;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct import_report first, again;
		int64_t versions, n;

		store_close(fx->s);
		fx->s = open_store();
		import_ok(fx, files[i], &first);
		versions = version_sum(fx);
		n = count_customers(fx->s);
		import_ok(fx, files[i], &again);
		assert_int_equal(again.customers_created, 0);
		assert_int_equal(again.customers_updated, 0);
		assert_int_equal(again.customers_unchanged,
				 first.customers_created);
		assert_int_equal(again.contacts_created, 0);
		assert_int_equal(again.contacts_updated, 0);
		assert_int_equal(again.contacts_unchanged,
				 first.contacts_created);
		assert_int_equal(version_sum(fx), versions);
		assert_int_equal(count_customers(fx->s), n);
	}
}

static void
test_import_updates_only_columns_in_file(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;

	assert_int_equal(import_text(fx,
				     "Kundenummer;Firmanavn;E-post;Telefon\n"
				     "500;Alfa AS;post@alfa.no;22 00 00 00\n",
				     &rep),
			 AV_OK);
	c = customer_by_number(fx, "500");
	assert_int_equal(c.version, 1);
	assert_int_equal(import_text(fx,
				     "Kundenummer;Telefon;Firmanavn\n"
				     "500;22 00 00 01;Alfa AS\n",
				     &rep),
			 AV_OK);
	assert_int_equal(rep.customers_updated, 1);
	c = customer_by_number(fx, "500");
	assert_int_equal(c.version, 2);
	assert_str(c.phone, "22 00 00 01");
	assert_str(c.email, "post@alfa.no"); /* no column: kept */
}

/* ---- rejected rows ---- */

static void
test_import_bad_rows_store_nothing(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	/* line 3 holds a quoted line break, so record 3 starts on line 4 */
	const char *csv = "Kundenummer;Firmanavn;Telefon;E-post;Adresse\n"
			  "1;Alfa AS;22 00 00 00;a@alfa.no;Gata 1\n"
			  "2;Beta AS;22 00 00 01;b@beta.no;\"Gata 2\n"
			  "0150 Oslo\"\n"
			  "3;Gamma AS;4,79123E+10;c@gamma.no;Gata 3\n"
			  "4;Delta AS;22 00 00 03;ikke-epost;Gata 4\n"
			  "5;Epsilon AS;22 00 00 04;e@eps.no;Gata 5\n";

	assert_int_equal(import_text(fx, csv, &rep), AV_EINVAL);
	assert_false(rep.committed);
	assert_int_equal(count_customers(fx->s), 0);
	assert_int_equal(rep.rejected_total, 2);
	assert_int_equal(rep.n_rejected, 2);
	assert_int_equal(rep.rejected[0].line, 5);
	assert_string_equal(rep.rejected[0].field, "phone");
	assert_string_equal(rep.rejected[0].column, "Telefon");
	assert_non_null(strstr(rep.rejected[0].reason, "spreadsheet"));
	assert_int_equal(rep.rejected[1].line, 6);
	assert_string_equal(rep.rejected[1].field, "email");
	assert_string_equal(rep.rejected[1].column, "E-post");
}

static void
test_import_bad_contact_phone_reported_on_its_line(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	const char *csv = "\"First Name\",\"Last Name\",\"Company\","
			  "\"Mobile Phone\"\r\n"
			  "Kari,Nordmann,Alfa AS,912 34 567\r\n"
			  "Ola,Nordmann,Beta AS,\"4,79123E+10\"\r\n";

	assert_int_equal(import_text(fx, csv, &rep), AV_EINVAL);
	assert_int_equal(count_customers(fx->s), 0);
	assert_int_equal(rep.rejected_total, 1);
	assert_int_equal(rep.rejected[0].line, 3);
	assert_string_equal(rep.rejected[0].field, "mobile");
	assert_string_equal(rep.rejected[0].column, "Mobile Phone");
}

static void
test_import_dry_run_stores_nothing(void **state)
{
	struct fixture *fx = *state;
	struct import_options opt;
	struct import_report rep;
	struct av_error err = {0};
	char *data;
	size_t len;

	assert_int_equal(import_read_file(SEMI, &data, &len, &err), AV_OK);
	default_options(&opt);
	opt.dry_run = true;
	assert_int_equal(import_text_opt(fx->s, &fx->a, data, len, &opt, &rep),
			 AV_OK);
	free(data);
	assert_true(rep.dry_run);
	assert_false(rep.committed);
	assert_int_equal(rep.customers_created, 3);
	assert_int_equal(rep.contacts_created, 3);
	assert_int_equal(count_customers(fx->s), 0);
}

/* ---- options and columns ---- */

static void
test_import_map_assigns_and_ignores_columns(void **state)
{
	struct fixture *fx = *state;
	struct import_options opt;
	struct import_report rep;
	struct import_map maps[2];
	struct av_error err = {0};
	const char *csv = "Kunde ID;Firmanavn;Omsetning\n"
			  "K-77;Alfa AS;1 234 567,50\n";

	/* without --map the column is unknown, and named in a warning */
	default_options(&opt);
	opt.dry_run = true;
	assert_int_equal(
	    import_text_opt(fx->s, &fx->a, csv, strlen(csv), &opt, &rep),
	    AV_OK);
	assert_non_null(find_issue(rep.warnings, rep.n_warnings, "Kunde ID"));
	assert_null(rep.columns[0].field);

	assert_int_equal(import_map_parse("Kunde ID=customer_number", &fx->a,
					  &maps[0], &err),
			 AV_OK);
	assert_int_equal(
	    import_map_parse("Omsetning=ignore", &fx->a, &maps[1], &err),
	    AV_OK);
	default_options(&opt);
	opt.maps = maps;
	opt.n_maps = 2;
	assert_int_equal(
	    import_text_opt(fx->s, &fx->a, csv, strlen(csv), &opt, &rep),
	    AV_OK);
	assert_int_equal(rep.warnings_total, 0);
	assert_string_equal(rep.columns[0].field, "customer_number");
	assert_string_equal(rep.columns[2].field, "ignore");
	assert_str(customer_by_number(fx, "K-77").name, "Alfa AS");

	assert_int_equal(
	    import_map_parse("Kunde ID=kundenr", &fx->a, &maps[0], &err),
	    AV_EINVAL);
	assert_int_equal(import_map_parse("no-equals", &fx->a, &maps[0], &err),
			 AV_EINVAL);
	assert_int_equal(
	    import_map_parse("Finnes ikke=name", &fx->a, &maps[0], &err),
	    AV_OK);
	opt.n_maps = 1;
	assert_int_equal(
	    import_text_opt(fx->s, &fx->a, csv, strlen(csv), &opt, &rep),
	    AV_EINVAL);
}

static void
test_import_without_name_column_fails_clearly(void **state)
{
	struct fixture *fx = *state;
	struct import_options opt;
	struct import_report rep;
	struct av_error err = {0};
	const char *csv = "Telefon;Postnummer\n22 00 00 00;0150\n";

	default_options(&opt);
	assert_int_equal(
	    import_customers(fx->s, csv, strlen(csv), &opt, &fx->a, &rep, &err),
	    AV_EINVAL);
	assert_non_null(strstr(err.msg, "'Telefon'"));
	assert_non_null(strstr(err.msg, "'Postnummer'"));
	assert_non_null(strstr(err.msg, "--map"));
	assert_int_equal(count_customers(fx->s), 0);
}

static void
test_import_unknown_territory_is_created(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct territory t = {.code = "OSL", .name = "Oslo"};
	struct av_error err = {0};
	struct customer c;

	assert_int_equal(store_territory_insert(fx->s, &t, &err), AV_OK);
	assert_int_equal(import_text(fx,
				     "Kundenummer;Firmanavn;Distrikt\n"
				     "1;Alfa AS;Vestlandet\n"
				     "2;Beta AS;vestlandet\n"
				     "3;Gamma AS;OSL\n"
				     "4;Delta AS;Oslo\n",
				     &rep),
			 AV_OK);
	assert_int_equal(rep.n_new_territories, 1);
	assert_string_equal(rep.new_territories[0].code, "VESTLAND");
	assert_string_equal(rep.new_territories[0].name, "Vestlandet");
	assert_str(customer_by_number(fx, "1").territory, "VESTLAND");
	assert_str(customer_by_number(fx, "2").territory, "VESTLAND");
	c = customer_by_number(fx, "3");
	assert_int_equal(c.territory_id, t.id);
	assert_int_equal(customer_by_number(fx, "4").territory_id, t.id);
	/* a second import finds the territory it created */
	assert_int_equal(import_text(fx,
				     "Kundenummer;Firmanavn;Distrikt\n"
				     "5;Eta AS;Vestlandet\n",
				     &rep),
			 AV_OK);
	assert_int_equal(rep.n_new_territories, 0);
}

static void
test_import_owner_status_and_country(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;

	assert_int_equal(
	    import_text(fx,
			"Kundenummer;Firmanavn;Selger;Status;Land\n"
			"1;Alfa AS;ADMIN;prospekt;Sverige\n"
			"2;Beta AS;;tidligere kunde;Storbritannia\n"
			"3;Gamma AS;;;dk\n"
			"4;Delta AS;;customer;Noreg\n",
			&rep),
	    AV_OK);
	c = customer_by_number(fx, "1");
	assert_int_equal(c.owner_id, 1);
	assert_int_equal(c.status, CUSTOMER_PROSPECT);
	assert_str(c.country, "SE");
	assert_str(c.time_zone, "Europe/Stockholm");
	c = customer_by_number(fx, "2");
	assert_int_equal(c.status, CUSTOMER_FORMER);
	assert_str(c.country, "GB");
	c = customer_by_number(fx, "3");
	assert_int_equal(c.status, CUSTOMER_CUSTOMER); /* file has numbers */
	assert_str(c.country, "DK");
	assert_str(customer_by_number(fx, "4").country, "NO");

	assert_int_equal(
	    import_text(fx,
			"Kundenummer;Firmanavn;Selger;Land;Status\n"
			"5;Eta AS;nobody@example.com;Norge;kunde\n"
			"6;Theta AS;admin;Atlantis;kunde\n"
			"7;Iota AS;admin;Norge;kanskje\n",
			&rep),
	    AV_EINVAL);
	assert_int_equal(rep.rejected_total, 3);
	assert_string_equal(rep.rejected[0].field, "owner");
	assert_int_equal(rep.rejected[0].line, 2);
	assert_string_equal(rep.rejected[1].field, "country");
	assert_int_equal(rep.rejected[1].line, 3);
	assert_string_equal(rep.rejected[2].field, "status");
	assert_int_equal(rep.rejected[2].line, 4);
	assert_int_equal(count_customers(fx->s), 4);
}

static void
test_import_status_option_and_generated_numbers(void **state)
{
	struct fixture *fx = *state;
	struct import_options opt;
	struct import_report rep;
	struct customer c = {.customer_number = "100500",
			     .name = "Eksisterende AS",
			     .owner_id = 1};
	struct customer d = {
	    .customer_number = "ABC-9", .name = "Bokstaver AS", .owner_id = 1};
	struct av_error err = {0};
	const char *csv = "Company,First Name,Last Name\n"
			  "Ny AS,Kari,Nordmann\n"
			  "Ny AS,Ola,Nordmann\n"
			  ",Privat,Person\n"
			  "Eksisterende AS,Per,Hansen\n"
			  "Solo AS,Solo,AS\n";

	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err), AV_OK);
	assert_int_equal(customer_prepare(&d, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &d, 1, &err), AV_OK);
	default_options(&opt);
	opt.status = CUSTOMER_FORMER;
	assert_int_equal(
	    import_text_opt(fx->s, &fx->a, csv, strlen(csv), &opt, &rep),
	    AV_OK);
	assert_int_equal(rep.customers_created, 3);
	assert_int_equal(rep.customers_unchanged, 1);
	assert_int_equal(rep.contacts_created, 3);

	c = customer_by_name(fx, "Ny AS");
	assert_str(c.customer_number, "100501");
	assert_int_equal(c.status, CUSTOMER_FORMER);
	{
		size_t n;
		struct contact *k = contacts_of(fx, c.id, &n);
		assert_int_equal(n, 2);
		assert_str(k[0].name, "Kari Nordmann");
		assert_str(k[1].name, "Ola Nordmann");
	}
	/* no company: the person is the (private) customer, no contact */
	c = customer_by_name(fx, "Privat Person");
	assert_str(c.customer_number, "100502");
	{
		size_t n;
		(void)contacts_of(fx, c.id, &n);
		assert_int_equal(n, 0);
	}
	/* a company entered as a person: no contact named after it */
	c = customer_by_name(fx, "Solo AS");
	assert_str(c.customer_number, "100503");
	{
		size_t n;
		(void)contacts_of(fx, c.id, &n);
		assert_int_equal(n, 0);
	}
	c = customer_by_name(fx, "Eksisterende AS");
	assert_str(c.customer_number, "100500");
	assert_str(only_contact(fx, c.id).name, "Per Hansen");
}

static void
test_import_mobile_goes_to_contact_or_customer(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;
	struct contact k;

	assert_int_equal(import_text(fx,
				     "Kundenr;Firma;Kontakt;Tlf;Mobil\n"
				     "1;Alfa AS;Kari Nordmann;22 00 00 00;"
				     "912 34 567\n"
				     "2;Beta AS;;;913 34 567\n"
				     "2;Beta AS;Ola Nordmann;;914 34 567\n"
				     "2;Beta AS;Ola Nordmann;;\n",
				     &rep),
			 AV_OK);
	c = customer_by_number(fx, "1");
	assert_str(c.phone, "22 00 00 00");
	k = only_contact(fx, c.id);
	assert_str(k.mobile, "912 34 567");
	c = customer_by_number(fx, "2");
	assert_str(c.phone, "913 34 567"); /* no contact on that row */
	k = only_contact(fx, c.id);
	assert_str(k.name, "Ola Nordmann");
	assert_str(k.mobile, "914 34 567");
	assert_int_equal(rep.customers_created, 2);
	assert_int_equal(rep.contacts_created, 2);
}

static void
test_import_contact_matched_by_email_then_name(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	struct customer c;
	struct contact k;

	assert_int_equal(
	    import_text(fx,
			"Company,First Name,Last Name,E-mail "
			"Address,Job Title\n"
			"Alfa AS,Kari,Nordmann,kari@alfa.no,Sjef\n",
			&rep),
	    AV_OK);
	/* same e-mail in other case, new name spelling: same person */
	assert_int_equal(import_text(fx,
				     "Company,First Name,Last Name,E-mail "
				     "Address,Job Title\n"
				     "ALFA AS,Kari,Nordmann-Hansen,"
				     "KARI@alfa.no,Sjef\n"
				     "Alfa AS,ola,nordmann,,Selger\n",
				     &rep),
			 AV_OK);
	assert_int_equal(rep.customers_unchanged, 1);
	assert_int_equal(rep.contacts_updated, 1);
	assert_int_equal(rep.contacts_created, 1);
	c = customer_by_name(fx, "Alfa AS");
	assert_str(c.name, "Alfa AS"); /* first row's spelling wins ... */
	{
		size_t n;
		k = contacts_of(fx, c.id, &n)[0];
		assert_int_equal(n, 2);
	}
	assert_str(k.name, "Kari Nordmann-Hansen");
	assert_str(k.email, "KARI@alfa.no");
	/* ... and by folded name: "OLA NORDMANN" is ola nordmann */
	assert_int_equal(import_text(fx,
				     "Company,First Name,Last Name,Job Title\n"
				     "Alfa AS,OLA,NORDMANN,Selger\n",
				     &rep),
			 AV_OK);
	assert_int_equal(rep.contacts_updated, 1);
	assert_int_equal(rep.contacts_created, 0);
}

/* ---- search over imported records ---- */

/* True if 'query' finds the customer with 'number'. */
static bool
has_hit(struct fixture *fx, const char *query, const char *number)
{
	struct search_hit *h;
	struct av_error err = {0};
	size_t n;

	assert_int_equal(search_run(fx->s, query, 10, &fx->a, &h, &n, &err),
			 AV_OK);
	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i].customer_number, number) == 0)
			return true;
	return false;
}

static void
test_import_then_search_by_phone_in_other_forms(void **state)
{
	struct fixture *fx = *state;
	struct import_report rep;
	const char *kari, *per, *ase;

	import_ok(fx, SEMI, &rep);
	import_ok(fx, OUTLOOK, &rep);
	import_ok(fx, GOOGLE, &rep);
	kari = customer_by_name(fx, "Fjordlys Regnskap AS").customer_number;
	per = customer_by_name(fx, "Berg, Hansen & Co AS").customer_number;
	ase = customer_by_name(fx, "Åsane Elektro AS").customer_number;
	/* customer phones from the Excel file */
	assert_true(has_hit(fx, "0047 91234567", "10001"));
	assert_true(has_hit(fx, "+4722123456", "10002"));
	assert_true(has_hit(fx, "98765432", "10003"));
	/* contact phones from the Outlook and Google files */
	assert_true(has_hit(fx, "912-34-567", kari));
	assert_true(has_hit(fx, "(+47) 22 12 34 56", kari));
	assert_true(has_hit(fx, "+47 47 11 22 33", per));
	assert_true(has_hit(fx, "0047 41555555", ase));
	/* the second mobile, kept in other_phones, is found too */
	assert_true(has_hit(fx, "98700001", ase));
	assert_true(has_hit(fx, "55123456", ase));
	assert_false(has_hit(fx, "55123456", per));
}

/* ---- limits ---- */

static void
test_import_refuses_files_over_512_mib(void **state)
{
	struct fixture *fx = *state;
	struct import_options opt;
	struct import_report rep;
	struct av_error err = {0};
	char path[] = "/tmp/avtale-import-big-XXXXXX";
	char *data = NULL;
	size_t len = 0;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)IMPORT_MAX_BYTES + 1), 0);
	close(fd);
	assert_int_equal(import_read_file(path, &data, &len, &err), AV_ETOOBIG);
	assert_null(data);
	assert_non_null(strstr(err.msg, "512 MiB"));
	unlink(path);

	default_options(&opt);
	assert_int_equal(import_customers(fx->s, "x",
					  (size_t)IMPORT_MAX_BYTES + 1, &opt,
					  &fx->a, &rep, &err),
			 AV_ETOOBIG);
	assert_int_equal(
	    import_read_file("/nonexistent/x.csv", &data, &len, &err), AV_EIO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_import_semicolon_excel_without_sep_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_semicolon_excel_with_sep_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_quoted_newlines_keep_multiline_cells, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_utf8_bom_first_column_recognised, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_utf8_without_bom_gives_identical_result, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_import_outlook_contacts, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_google_contacts_multi_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_thunderbird_trailing_column_ignored, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_import_again_changes_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_updates_only_columns_in_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_import_bad_rows_store_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_bad_contact_phone_reported_on_its_line, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(test_import_dry_run_stores_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_map_assigns_and_ignores_columns, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_without_name_column_fails_clearly, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_unknown_territory_is_created, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_owner_status_and_country, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_status_option_and_generated_numbers, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_mobile_goes_to_contact_or_customer, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_contact_matched_by_email_then_name, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_then_search_by_phone_in_other_forms, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_import_refuses_files_over_512_mib, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
