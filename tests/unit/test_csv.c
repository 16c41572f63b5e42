/* SPDX-License-Identifier: MIT */
/*
 * Tests for core/csv: the real-world fixtures in tests/data/cases/csv-*
 * (read at run time from the repository root) and synthetic inputs built
 * here for encodings, line ends, quoting errors and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/xalloc.h"

#include "core/banned.h"

#define CASES "tests/data/cases/"

/* The same content as UTF-8, used for every encoding test. */
static const char sample_utf8[] =
    "Navn;By;Notat\r\n"
    "\xC3\x86\xC3\x98\xC3\x85 \xC3\xA6\xC3\xB8"
    "\xC3\xA5;Bod\xC3\xB8;\"Pris: 5 \xE2\x82\xAC\"\r\n"
    "\xC3\x98ystein;\xC3\x85s;\r\n";

/* The same content as Windows-1252 (0xC6 0xD8 0xC5 are Æ Ø Å, 0x80 €). */
static const char sample_cp1252[] = "Navn;By;Notat\r\n"
				    "\xC6\xD8\xC5 \xE6\xF8\xE5;Bod\xF8;"
				    "\"Pris: 5 \x80\"\r\n"
				    "\xD8ystein;\xC5s;\r\n";

static int
setup_arena(void **state)
{
	struct arena *a = xmalloc(sizeof(*a));

	arena_init(a, 0);
	*state = a;
	return 0;
}

static int
teardown_arena(void **state)
{
	struct arena *a = *state;

	arena_release(a);
	free(a);
	return 0;
}

/* The bytes of a fixture file; the caller frees them. */
static char *
read_fixture(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;
	size_t n = 0;

	if (!f)
		fail_msg("cannot open %s (run the tests from the repo root)",
			 path);
	for (;;) {
		size_t got;

		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 8192;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	assert_int_equal(ferror(f), 0);
	assert_int_equal(fclose(f), 0);
	*len = n;
	return buf;
}

static void
parse_ok(struct arena *a, const char *data, size_t len, char delim,
	 struct csv_doc *doc)
{
	struct av_error err = {0};
	enum av_err rc = csv_parse(data, len, delim, a, doc, &err);

	if (rc != AV_OK)
		fail_msg("csv_parse failed: %s", err.msg);
}

static void
parse_fixture(struct arena *a, const char *path, struct csv_doc *doc)
{
	size_t len;
	char *data = read_fixture(path, &len);

	parse_ok(a, data, len, 0, doc);
	free(data);
}

static void
parse_str(struct arena *a, const char *s, char delim, struct csv_doc *doc)
{
	parse_ok(a, s, strlen(s), delim, doc);
}

static void
assert_record(const struct csv_doc *doc, size_t i, size_t n,
	      const char *const *want)
{
	assert_true(i < doc->n_records);
	assert_int_equal(doc->records[i].n_fields, n);
	for (size_t k = 0; k < n; k++)
		assert_string_equal(doc->records[i].fields[k], want[k]);
}

static void
assert_docs_equal(const struct csv_doc *x, const struct csv_doc *y)
{
	assert_int_equal(x->delimiter, y->delimiter);
	assert_int_equal(x->n_records, y->n_records);
	for (size_t i = 0; i < x->n_records; i++) {
		assert_int_equal(x->records[i].n_fields,
				 y->records[i].n_fields);
		for (size_t k = 0; k < x->records[i].n_fields; k++)
			assert_string_equal(x->records[i].fields[k],
					    y->records[i].fields[k]);
	}
}

static void
assert_no_field_contains(const struct csv_doc *doc, const char *needle)
{
	for (size_t i = 0; i < doc->n_records; i++) {
		for (size_t k = 0; k < doc->records[i].n_fields; k++)
			assert_null(strstr(doc->records[i].fields[k], needle));
	}
}

/* Expect failure 'code' with 'part' somewhere in the message. */
static void
assert_parse_fails(struct arena *a, const char *data, size_t len, char delim,
		   enum av_err code, const char *part)
{
	struct av_error err = {0};
	struct csv_doc doc;

	assert_int_equal(csv_parse(data, len, delim, a, &doc, &err), code);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, part))
		fail_msg("message '%s' lacks '%s'", err.msg, part);
}

/* UTF-8 to UTF-16 with a BOM; the caller frees the result. */
static char *
utf16_with_bom(const char *s, int big_endian, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s);
	unsigned char *out = xmalloc(4 * n + 2);
	size_t o = 0;
	int hi = big_endian ? 0 : 1;

	out[o + hi] = 0xFE;
	out[o + 1 - hi] = 0xFF;
	o += 2;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		unsigned units[2];
		size_t n_units = 1;

		if (u[i] < 0x80) {
			cp = u[i++];
		} else if (u[i] < 0xE0) {
			cp = (uint32_t)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F);
			i += 2;
		} else if (u[i] < 0xF0) {
			cp = (uint32_t)(u[i] & 0x0F) << 12 |
			     (uint32_t)(u[i + 1] & 0x3F) << 6 |
			     (u[i + 2] & 0x3F);
			i += 3;
		} else {
			cp = (uint32_t)(u[i] & 0x07) << 18 |
			     (uint32_t)(u[i + 1] & 0x3F) << 12 |
			     (uint32_t)(u[i + 2] & 0x3F) << 6 |
			     (u[i + 3] & 0x3F);
			i += 4;
		}
		units[0] = cp;
		if (cp >= 0x10000) {
			units[0] = 0xD800 | ((cp - 0x10000) >> 10);
			units[1] = 0xDC00 | ((cp - 0x10000) & 0x3FF);
			n_units = 2;
		}
		for (size_t k = 0; k < n_units; k++) {
			out[o + hi] = (unsigned char)(units[k] >> 8);
			out[o + 1 - hi] = (unsigned char)(units[k] & 0xFF);
			o += 2;
		}
	}
	*len = o;
	return (char *)out;
}

static void
test_csv_semicolon_excel_detects_semicolon(void **state)
{
	struct csv_doc doc;
	static const char *const header[] = {
	    "Kundenummer", "Firmanavn",	 "Kontaktperson", "Telefon",
	    "Omsetning",   "Postnummer", "Poststed"};
	static const char *const r1[] = {
	    "10001",	     "Berg, Hansen & Co AS",
	    "Kari Nordmann", "+47 912 34 567",
	    "1 234 567,50",  "0150",
	    "Oslo"};
	static const char *const r2[] = {"10002",	 "Fjordlys Regnskap AS",
					 "Ola Nordmann", "22 12 34 56",
					 "98 000,00",	 "5003",
					 "Bergen"};
	static const char *const r3[] = {
	    "10003",	  "\xC3\x86r\xC3\xB8; Bygg AS",
	    "Per Hansen", "987 65 432",
	    "0,00",	  "7010",
	    "Trondheim"};

	parse_fixture(*state,
		      CASES "csv-semicolon-excel/excel-nb-semicolon.csv", &doc);
	assert_int_equal(doc.delimiter, ';');
	assert_int_equal(doc.encoding, CSV_UTF8);
	assert_false(doc.had_sep_line);
	assert_int_equal(doc.n_records, 4);
	assert_record(&doc, 0, 7, header);
	assert_record(&doc, 1, 7, r1);
	assert_record(&doc, 2, 7, r2);
	assert_record(&doc, 3, 7, r3);
	assert_int_equal(doc.records[0].line, 1);
	assert_int_equal(doc.records[3].line, 4);
}

static void
test_csv_semicolon_sep_line_is_consumed(void **state)
{
	struct csv_doc plain;
	struct csv_doc sep;

	parse_fixture(
	    *state, CASES "csv-semicolon-excel/excel-nb-semicolon.csv", &plain);
	parse_fixture(
	    *state,
	    CASES "csv-semicolon-excel/excel-nb-semicolon-with-sep-line.csv",
	    &sep);
	assert_true(sep.had_sep_line);
	assert_int_equal(sep.delimiter, ';');
	assert_int_equal(sep.n_records, 4);
	assert_string_equal(sep.records[0].fields[0], "Kundenummer");
	assert_int_equal(sep.records[0].line, 2);
	assert_int_equal(sep.records[3].line, 5);
	assert_string_equal(sep.records[3].fields[1],
			    "\xC3\x86r\xC3\xB8; Bygg AS");
	assert_string_equal(sep.records[1].fields[4], "1 234 567,50");
	assert_string_equal(sep.records[1].fields[5], "0150");
	assert_docs_equal(&plain, &sep);
}

static void
test_csv_sep_line_forms(void **state)
{
	struct csv_doc doc;

	/* The hint wins over what detection would pick. */
	parse_str(*state, "sep=,\na;b,c\n1;2,3\n", 0, &doc);
	assert_true(doc.had_sep_line);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 2);
	assert_string_equal(doc.records[0].fields[0], "a;b");

	parse_str(*state, "\"SEP=\t\"\r\na\tb\r\n", 0, &doc);
	assert_true(doc.had_sep_line);
	assert_int_equal(doc.delimiter, '\t');
	assert_int_equal(doc.records[0].n_fields, 2);

	/* Consumed even when the caller names the delimiter. */
	parse_str(*state, "sep=;\na;b\n", ';', &doc);
	assert_true(doc.had_sep_line);
	assert_int_equal(doc.n_records, 1);

	/* Only a sep line: no records. */
	parse_str(*state, "sep=;", 0, &doc);
	assert_true(doc.had_sep_line);
	assert_int_equal(doc.delimiter, ';');
	assert_int_equal(doc.n_records, 0);

	/* Not a hint: "sep=" followed by more text is a header. */
	parse_str(*state, "sep=;x,y\n1,2\n", 0, &doc);
	assert_false(doc.had_sep_line);
	assert_int_equal(doc.delimiter, ',');
	assert_string_equal(doc.records[0].fields[0], "sep=;x");
}

static void
test_csv_quoted_newlines(void **state)
{
	struct csv_doc doc;
	static const char *const header[] = {"Kundenummer", "Firmanavn",
					     "Adresse", "Notat"};
	static const char *const r1[] = {"30001", "Fjordlys Regnskap AS",
					 "Storgata 1\n0155 Oslo",
					 "Sa: \"Ring meg etter lunsj\""};
	static const char *const r2[] = {"30002", "Berg, Hansen & Co AS",
					 "Postboks 12\nSentrum\n5003 Bergen",
					 ""};
	static const char *const r3[] = {"30003", "\xC3\x98stby R\xC3\xB8r AS",
					 "Industriveien 5", "Linje 1\nLinje 2"};

	parse_fixture(*state, CASES "csv-quoted-newlines/multiline-cells.csv",
		      &doc);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 4);
	assert_record(&doc, 0, 4, header);
	assert_record(&doc, 1, 4, r1);
	assert_record(&doc, 2, 4, r2);
	assert_record(&doc, 3, 4, r3);
	assert_int_equal(doc.records[1].line, 2);
	assert_int_equal(doc.records[2].line, 4);
	assert_int_equal(doc.records[3].line, 7);
	assert_no_field_contains(&doc, "\r");
}

static void
test_csv_utf8_bom_stripped(void **state)
{
	struct csv_doc doc;
	static const char *const header[] = {"Kundenummer", "Firmanavn",
					     "Fornavn",	    "Etternavn",
					     "Mobil",	    "E-post"};
	static const char *const r2[] = {
	    "10002",	  "\xC3\x86r\xC3\xB8 Bygg AS", "Ola", "Nordmann",
	    "987 65 432", "ola.nordmann@example.com"};
	static const char *const r3[] = {
	    "10003",	 "\xC3\x85sane Elektro AS", "\xC3\x85se",
	    "\xC3\x85s", "+47 415 55 555",	    "ase.as@example.com"};

	parse_fixture(*state, CASES "csv-utf8-bom/excel-csv-utf8-with-bom.csv",
		      &doc);
	assert_int_equal(doc.encoding, CSV_UTF8_BOM);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 4);
	assert_record(&doc, 0, 6, header);
	assert_string_equal(doc.records[1].fields[0], "10001");
	assert_record(&doc, 2, 6, r2);
	assert_record(&doc, 3, 6, r3);
	assert_no_field_contains(&doc, "\xEF\xBB\xBF");
}

static void
test_csv_utf8_without_bom_is_identical(void **state)
{
	struct csv_doc with;
	struct csv_doc without;
	size_t len;
	char *data = read_fixture(
	    CASES "csv-utf8-bom/excel-csv-utf8-with-bom.csv", &len);

	assert_true(len > 3);
	assert_memory_equal(data, "\xEF\xBB\xBF", 3);
	parse_ok(*state, data, len, 0, &with);
	parse_ok(*state, data + 3, len - 3, 0, &without);
	free(data);
	assert_int_equal(without.encoding, CSV_UTF8);
	assert_docs_equal(&with, &without);
}

static void
test_csv_outlook_export(void **state)
{
	struct csv_doc doc;
	static const char *const r1[] = {"Kari",
					 "",
					 "Nordmann",
					 "Fjordlys Regnskap AS",
					 "Daglig leder",
					 "Storgata 1",
					 "Oslo",
					 "0155",
					 "Norge",
					 "22 12 34 56",
					 "+47 912 34 567",
					 "kari.nordmann@example.com",
					 ""};

	parse_fixture(
	    *state, CASES "csv-outlook-google-headers/outlook-contacts-en.csv",
	    &doc);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 3);
	for (size_t i = 0; i < doc.n_records; i++)
		assert_int_equal(doc.records[i].n_fields, 13);
	assert_string_equal(doc.records[0].fields[0], "First Name");
	assert_string_equal(doc.records[0].fields[11], "E-mail Address");
	assert_record(&doc, 1, 13, r1);
	assert_string_equal(doc.records[2].fields[1], "Johan");
	assert_string_equal(doc.records[2].fields[3],
			    "\xC3\x86r\xC3\xB8 Bygg AS");
	assert_string_equal(doc.records[2].fields[10], "987 65 432");
	assert_string_equal(doc.records[2].fields[12], "Foretrekker e-post");
}

static void
test_csv_google_export(void **state)
{
	struct csv_doc doc;

	parse_fixture(*state,
		      CASES
		      "csv-outlook-google-headers/google-contacts-legacy.csv",
		      &doc);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 3);
	for (size_t i = 0; i < doc.n_records; i++)
		assert_int_equal(doc.records[i].n_fields, 36);
	assert_string_equal(doc.records[0].fields[26], "Group Membership");
	assert_string_equal(doc.records[0].fields[35],
			    "Organization 1 - Title");
	assert_string_equal(doc.records[1].fields[0], "\xC3\x85se \xC3\x85s");
	assert_string_equal(doc.records[1].fields[26],
			    "* myContacts ::: Kunder ::: Bergen");
	assert_string_equal(doc.records[1].fields[30],
			    "+47 415 55 555 ::: +47 987 00 001");
	assert_string_equal(doc.records[1].fields[34],
			    "\xC3\x85sane Elektro AS");
	assert_string_equal(doc.records[2].fields[30], "47 11 22 33");
	assert_string_equal(doc.records[2].fields[34], "Berg, Hansen & Co AS");
	assert_string_equal(doc.records[2].fields[35], "");
}

static void
test_csv_thunderbird_trailing_comma(void **state)
{
	struct csv_doc doc;

	parse_fixture(
	    *state, CASES "csv-outlook-google-headers/thunderbird-contacts.csv",
	    &doc);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 2);
	/* 37 names plus the empty column after the trailing comma. */
	assert_int_equal(doc.records[0].n_fields, 38);
	assert_int_equal(doc.records[1].n_fields, 38);
	assert_string_equal(doc.records[0].fields[0], "First Name");
	assert_string_equal(doc.records[0].fields[36], "Notes");
	assert_string_equal(doc.records[0].fields[37], "");
	assert_string_equal(doc.records[1].fields[0], "\xC3\x98ystein");
	assert_string_equal(doc.records[1].fields[1], "\xC3\x98"
						      "deg\xC3\xA5rd");
	assert_string_equal(doc.records[1].fields[4],
			    "oystein.odegard@example.com");
	assert_string_equal(doc.records[1].fields[26],
			    "\xC3\x98stby R\xC3\xB8r AS");
	assert_string_equal(doc.records[1].fields[37], "");
}

static void
test_csv_utf16le_with_bom(void **state)
{
	struct csv_doc want;
	struct csv_doc doc;
	size_t len;
	char *data = utf16_with_bom(sample_utf8, 0, &len);

	assert_memory_equal(data, "\xFF\xFE", 2);
	parse_str(*state, sample_utf8, 0, &want);
	parse_ok(*state, data, len, 0, &doc);
	free(data);
	assert_int_equal(doc.encoding, CSV_UTF16LE);
	assert_docs_equal(&want, &doc);
	assert_string_equal(
	    doc.records[1].fields[0],
	    "\xC3\x86\xC3\x98\xC3\x85 \xC3\xA6\xC3\xB8\xC3\xA5");
}

static void
test_csv_utf16be_with_bom(void **state)
{
	struct csv_doc want;
	struct csv_doc doc;
	size_t len;
	char *data = utf16_with_bom(sample_utf8, 1, &len);

	assert_memory_equal(data, "\xFE\xFF", 2);
	parse_str(*state, sample_utf8, 0, &want);
	parse_ok(*state, data, len, 0, &doc);
	free(data);
	assert_int_equal(doc.encoding, CSV_UTF16BE);
	assert_docs_equal(&want, &doc);
	assert_string_equal(doc.records[1].fields[2], "Pris: 5 \xE2\x82\xAC");
}

static void
test_csv_utf16_surrogate_pair(void **state)
{
	struct csv_doc doc;
	size_t len;
	char *data = utf16_with_bom("a,b\n\xF0\x9F\x98\x80,x\n", 0, &len);

	parse_ok(*state, data, len, 0, &doc);
	free(data);
	assert_int_equal(doc.n_records, 2);
	assert_string_equal(doc.records[1].fields[0], "\xF0\x9F\x98\x80");
}

static void
test_csv_utf16_invalid(void **state)
{
	/* A lone high surrogate, then an odd trailing byte. */
	static const char lone[] = "\xFF\xFE"
				   "a\0\n\0\x00\xD8x\0";
	static const char odd[] = "\xFE\xFF\0a\0";

	assert_parse_fails(*state, lone, sizeof(lone) - 1, 0, AV_EINVAL,
			   "utf-16le");
	assert_parse_fails(*state, odd, sizeof(odd) - 1, 0, AV_EINVAL,
			   "utf-16be");
}

static void
test_csv_windows_1252(void **state)
{
	struct csv_doc want;
	struct csv_doc doc;

	parse_str(*state, sample_utf8, 0, &want);
	parse_str(*state, sample_cp1252, 0, &doc);
	assert_int_equal(doc.encoding, CSV_CP1252);
	assert_int_equal(doc.delimiter, ';');
	assert_docs_equal(&want, &doc);
	assert_string_equal(
	    doc.records[1].fields[0],
	    "\xC3\x86\xC3\x98\xC3\x85 \xC3\xA6\xC3\xB8\xC3\xA5");
	assert_string_equal(doc.records[2].fields[0], "\xC3\x98ystein");
}

static void
test_csv_neither_utf8_nor_1252(void **state)
{
	/* 0x81 is undefined in Windows-1252. */
	static const char bad[] = "a,b\nx\x81,c\n";
	/* A UTF-8 BOM promises UTF-8. */
	static const char bom[] = "\xEF\xBB\xBF"
				  "a\nb\n\xC6\n";

	assert_parse_fails(*state, bad, sizeof(bad) - 1, 0, AV_EINVAL,
			   "line 2");
	assert_parse_fails(*state, bom, sizeof(bom) - 1, 0, AV_EINVAL,
			   "invalid utf-8 on line 3");
}

static void
test_csv_tab_separated(void **state)
{
	struct csv_doc doc;
	static const char *const r1[] = {"Kari", "Berg, Hansen; Co", "Oslo"};

	parse_str(*state, "Navn\tFirma\tBy\nKari\tBerg, Hansen; Co\tOslo\n", 0,
		  &doc);
	assert_int_equal(doc.delimiter, '\t');
	assert_int_equal(doc.n_records, 2);
	assert_record(&doc, 1, 3, r1);
}

static void
test_csv_cr_only_line_ends(void **state)
{
	struct csv_doc doc;
	static const char *const r1[] = {"1", "x\ny"};
	static const char *const r2[] = {"2", "z"};

	parse_str(*state, "a,b\r1,\"x\ry\"\r\r2,z\r", 0, &doc);
	assert_int_equal(doc.n_records, 3);
	assert_record(&doc, 1, 2, r1);
	assert_record(&doc, 2, 2, r2);
	assert_int_equal(doc.records[1].line, 2);
	assert_int_equal(doc.records[2].line, 5);
}

static void
test_csv_mixed_line_ends(void **state)
{
	struct csv_doc doc;

	parse_str(*state, "a,b\r\n1,\"x\r\ny\ny\rz\"\n2,w\r3,v", 0, &doc);
	assert_int_equal(doc.n_records, 4);
	assert_string_equal(doc.records[1].fields[1], "x\ny\ny\nz");
	assert_int_equal(doc.records[2].line, 6);
	assert_string_equal(doc.records[2].fields[1], "w");
	assert_int_equal(doc.records[3].line, 7);
	assert_string_equal(doc.records[3].fields[1], "v");
}

static void
test_csv_unterminated_quote_names_its_line(void **state)
{
	static const char lf[] = "a,b\n1,2\n3,\"open\nmore\n4,5\n";
	static const char crlf[] = "a,b\r\n1,\"x\r\ny\"\r\n\r\n\"open,b\r\n";

	assert_parse_fails(*state, lf, sizeof(lf) - 1, 0, AV_EINVAL, "line 3");
	assert_parse_fails(*state, crlf, sizeof(crlf) - 1, 0, AV_EINVAL,
			   "line 5");
	assert_parse_fails(*state, "\"", 1, 0, AV_EINVAL, "line 1");
}

static void
test_csv_no_trailing_newline(void **state)
{
	struct csv_doc doc;

	parse_str(*state, "a,b\n1,2", 0, &doc);
	assert_int_equal(doc.n_records, 2);
	assert_int_equal(doc.records[1].n_fields, 2);
	assert_string_equal(doc.records[1].fields[1], "2");

	parse_str(*state, "a,b\n1,\"2\"", 0, &doc);
	assert_int_equal(doc.n_records, 2);
	assert_string_equal(doc.records[1].fields[1], "2");

	/* A delimiter at the very end still yields an empty last field. */
	parse_str(*state, "a,b\n1,", 0, &doc);
	assert_int_equal(doc.records[1].n_fields, 2);
	assert_string_equal(doc.records[1].fields[1], "");
}

static void
test_csv_blank_lines_skipped(void **state)
{
	struct csv_doc doc;

	parse_str(*state, "\n\r\na,b\n\n\r\n1,2\r\r\n\n", 0, &doc);
	assert_int_equal(doc.n_records, 2);
	assert_int_equal(doc.records[0].line, 3);
	assert_int_equal(doc.records[1].line, 6);
	assert_string_equal(doc.records[1].fields[0], "1");

	/* A line of delimiters is a record of empty fields, not blank. */
	parse_str(*state, "a;b;c\n;;\n", 0, &doc);
	assert_int_equal(doc.n_records, 2);
	assert_int_equal(doc.records[1].n_fields, 3);
}

static void
test_csv_empty_input(void **state)
{
	struct csv_doc doc;

	parse_ok(*state, "", 0, 0, &doc);
	assert_int_equal(doc.n_records, 0);
	assert_int_equal(doc.delimiter, ',');
	parse_ok(*state, NULL, 0, ';', &doc);
	assert_int_equal(doc.n_records, 0);
	assert_int_equal(doc.delimiter, ';');
}

static void
test_csv_quotes_lenient_and_strict_parts(void **state)
{
	struct csv_doc doc;
	static const char *const r[] = {"a",  "b\"c", "d\"", " \"e\" ",
					"\"", "",     "xyz", "q,\"r"};

	parse_str(*state,
		  "a,b\"c,d\", \"e\" ,\"\"\"\",\"\",\"x\"yz,\"q,\"\"r\"\n", ',',
		  &doc);
	assert_int_equal(doc.n_records, 1);
	assert_record(&doc, 0, 8, r);
}

static void
test_csv_spaces_kept(void **state)
{
	struct csv_doc doc;
	static const char *const r[] = {" Kundenummer ", "  ", ""};

	parse_str(*state, " Kundenummer ;  ;\n", ';', &doc);
	assert_record(&doc, 0, 3, r);
}

static void
test_csv_explicit_delimiter(void **state)
{
	struct csv_doc doc;
	static const char *const r[] = {"a;b", "c"};
	struct av_error err = {0};

	parse_str(*state, "a;b,c\n", ',', &doc);
	assert_int_equal(doc.delimiter, ',');
	assert_record(&doc, 0, 2, r);
	assert_int_equal(csv_parse("a|b", 3, '|', *state, &doc, &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "delimiter");
}

static void
test_csv_delimiter_ties_and_fallback(void **state)
{
	struct csv_doc doc;

	/* Both consistent with two columns: ';' wins. */
	parse_str(*state, "a;b,c\n1;2,3\n", 0, &doc);
	assert_int_equal(doc.delimiter, ';');

	/* Consistent beats more columns on one line. */
	parse_str(*state, "Navn;Sum\nKari;1,5\nOla;2,25\n", 0, &doc);
	assert_int_equal(doc.delimiter, ';');

	/* Nothing consistent: most header columns, ',' first on ties. */
	parse_str(*state, "a,b;c\n1\n2,3,4;5;6\n", 0, &doc);
	assert_int_equal(doc.delimiter, ',');
	parse_str(*state, "a;b;c,d\n1\n", 0, &doc);
	assert_int_equal(doc.delimiter, ';');

	/* One column: ','. */
	parse_str(*state, "Navn\nKari\n", 0, &doc);
	assert_int_equal(doc.delimiter, ',');
	assert_int_equal(doc.n_records, 2);

	/* Quoted delimiters are not counted. */
	parse_str(*state, "\"a;b;c\",d\n\"1;2;3\",4\n", 0, &doc);
	assert_int_equal(doc.delimiter, ',');
}

static void
test_csv_nul_byte_refused(void **state)
{
	static const char data[] = "a,b\n1,\0\n";

	assert_parse_fails(*state, data, sizeof(data) - 1, 0, AV_EINVAL,
			   "line 2");
}

static void
test_csv_field_limit(void **state)
{
	size_t n = 1000000;
	char *line = xmalloc(n + 1);
	struct csv_doc doc;

	/* n - 1 delimiters make exactly n fields: allowed. */
	memset(line, ';', n - 1);
	parse_ok(*state, line, n - 1, ';', &doc);
	assert_int_equal(doc.records[0].n_fields, n);
	assert_string_equal(doc.records[0].fields[n - 1], "");

	memset(line, ';', n);
	assert_parse_fails(*state, line, n, ';', AV_ETOOBIG, "line 1");
	free(line);
}

static void
test_csv_size_limit(void **state)
{
	/* The length is refused before any byte is read. */
	static const char data[] = "a,b\n";

	assert_parse_fails(*state, data, (size_t)512 * 1024 * 1024 + 1, 0,
			   AV_ETOOBIG, "limit");
}

static void
test_csv_encoding_names(void **state)
{
	(void)state;
	assert_string_equal(csv_encoding_name(CSV_UTF8), "utf-8");
	assert_string_equal(csv_encoding_name(CSV_UTF8_BOM), "utf-8-bom");
	assert_string_equal(csv_encoding_name(CSV_UTF16LE), "utf-16le");
	assert_string_equal(csv_encoding_name(CSV_UTF16BE), "utf-16be");
	assert_string_equal(csv_encoding_name(CSV_CP1252), "windows-1252");
	assert_string_equal(csv_encoding_name((enum csv_encoding)99),
			    "unknown");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup_arena, teardown_arena)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_csv_semicolon_excel_detects_semicolon),
	    T(test_csv_semicolon_sep_line_is_consumed),
	    T(test_csv_sep_line_forms),
	    T(test_csv_quoted_newlines),
	    T(test_csv_utf8_bom_stripped),
	    T(test_csv_utf8_without_bom_is_identical),
	    T(test_csv_outlook_export),
	    T(test_csv_google_export),
	    T(test_csv_thunderbird_trailing_comma),
	    T(test_csv_utf16le_with_bom),
	    T(test_csv_utf16be_with_bom),
	    T(test_csv_utf16_surrogate_pair),
	    T(test_csv_utf16_invalid),
	    T(test_csv_windows_1252),
	    T(test_csv_neither_utf8_nor_1252),
	    T(test_csv_tab_separated),
	    T(test_csv_cr_only_line_ends),
	    T(test_csv_mixed_line_ends),
	    T(test_csv_unterminated_quote_names_its_line),
	    T(test_csv_no_trailing_newline),
	    T(test_csv_blank_lines_skipped),
	    T(test_csv_empty_input),
	    T(test_csv_quotes_lenient_and_strict_parts),
	    T(test_csv_spaces_kept),
	    T(test_csv_explicit_delimiter),
	    T(test_csv_delimiter_ties_and_fallback),
	    T(test_csv_nul_byte_refused),
	    T(test_csv_field_limit),
	    T(test_csv_size_limit),
	    T(test_csv_encoding_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
