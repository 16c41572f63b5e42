/* SPDX-License-Identifier: MIT */
/* Domain rules for customers and contacts: required fields, limits,
 * defaults from the country, and errors that name the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/customer.h"

static struct arena a;

static int
setup(void **state)
{
	(void)state;
	arena_init(&a, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_release(&a);
	return 0;
}

static void
test_customer_defaults_country_and_zone(void **state)
{
	struct customer c = {.customer_number = " 0150 ", .name = " Berg AS "};
	struct av_error err = {0};

	(void)state;
	assert_int_equal(customer_prepare(&c, &a, &err), AV_OK);
	assert_string_equal(c.customer_number, "0150");
	assert_string_equal(c.name, "Berg AS");
	assert_string_equal(c.country, "NO");
	assert_string_equal(c.time_zone, "Europe/Oslo");
}

static void
test_customer_zone_follows_country(void **state)
{
	struct customer c = {
	    .customer_number = "1", .name = "Svensk AB", .country = "se"};
	struct av_error err = {0};

	(void)state;
	assert_int_equal(customer_prepare(&c, &a, &err), AV_OK);
	assert_string_equal(c.country, "SE");
	assert_string_equal(c.time_zone, "Europe/Stockholm");
}

static void
test_customer_errors_name_the_field(void **state)
{
	static const struct {
		struct customer c;
		const char *field;
	} cases[] = {
	    {{.name = "Uten nummer"}, "customer_number"},
	    {{.customer_number = "1"}, "name"},
	    {{.customer_number = "1 2", .name = "X"}, "customer_number"},
	    {{.customer_number = "4,79123E+10", .name = "X"},
	     "customer_number"},
	    {{.customer_number = "1", .name = "X", .phone = "4,79123E+10"},
	     "phone"},
	    {{.customer_number = "1", .name = "X", .phone = "ring meg"},
	     "phone"},
	    {{.customer_number = "1", .name = "X", .email = "a@b"}, "email"},
	    {{.customer_number = "1", .name = "X", .country = "Norge"},
	     "country"},
	    {{.customer_number = "1", .name = "X", .time_zone = "Mars/Base"},
	     "time_zone"},
	    {{.customer_number = "1", .name = "X\x01Y"}, "name"},
	    {{.customer_number = "1", .name = "\xc3\x28"}, "name"},
	    {{.customer_number = "1", .name = "X", .status = 7}, "status"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct customer c = cases[i].c;
		struct av_error err = {0};
		assert_int_equal(customer_prepare(&c, &a, &err), AV_EINVAL);
		if (strcmp(err.field, cases[i].field) != 0)
			fail_msg("case %zu: field '%s', want '%s' (%s)", i,
				 err.field, cases[i].field, err.msg);
		assert_true(strlen(err.msg) > 0);
	}
}

static void
test_customer_address_may_have_line_breaks(void **state)
{
	struct customer c = {.customer_number = "30002",
			     .name = "Berg, Hansen & Co AS",
			     .address = "Postboks 12\nSentrum\n5003 Bergen"};
	struct av_error err = {0};

	(void)state;
	assert_int_equal(customer_prepare(&c, &a, &err), AV_OK);
	assert_string_equal(c.address, "Postboks 12\nSentrum\n5003 Bergen");
}

static void
test_customer_name_over_limit_is_refused(void **state)
{
	char name[NAME_MAX_LEN + 2];
	struct customer c = {.customer_number = "1", .name = name};
	struct av_error err = {0};

	(void)state;
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(customer_prepare(&c, &a, &err), AV_EINVAL);
	assert_string_equal(err.field, "name");
}

static void
test_contact_needs_name_and_valid_phones(void **state)
{
	struct contact ok = {.name = "Kari Nordmann",
			     .mobile = "+47 912 34 567",
			     .other_phones = "55 12 34 56\n+47 987 00 001"};
	struct contact bad = {.name = "Per", .other_phones = "55 12 34 56\nx"};
	struct contact noname = {.phone = "22 12 34 56"};
	struct av_error err = {0};

	(void)state;
	assert_int_equal(contact_prepare(&ok, "NO", &a, &err), AV_OK);
	assert_int_equal(contact_prepare(&bad, "NO", &a, &err), AV_EINVAL);
	assert_string_equal(err.field, "other_phones");
	assert_int_equal(contact_prepare(&noname, "NO", &a, &err), AV_EINVAL);
	assert_string_equal(err.field, "name");
}

static void
test_email_syntax(void **state)
{
	(void)state;
	assert_true(email_valid("kari.nordmann@example.com"));
	assert_true(email_valid("ase.as@example.no"));
	assert_false(email_valid("kari"));
	assert_false(email_valid("@example.com"));
	assert_false(email_valid("kari@@example.com"));
	assert_false(email_valid("kari@example"));
	assert_false(email_valid("kari nordmann@example.com"));
	assert_false(email_valid("kari@example.com\r\nBcc: x@y.z"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_customer_defaults_country_and_zone),
	    cmocka_unit_test(test_customer_zone_follows_country),
	    cmocka_unit_test(test_customer_errors_name_the_field),
	    cmocka_unit_test(test_customer_address_may_have_line_breaks),
	    cmocka_unit_test(test_customer_name_over_limit_is_refused),
	    cmocka_unit_test(test_contact_needs_name_and_valid_phones),
	    cmocka_unit_test(test_email_syntax),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
