/* SPDX-License-Identifier: MIT */
/*
 * The SQLite store through store.h: migrations, customers with optimistic
 * locking, soft delete, territory/owner history, contacts, the audit log.
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

#include "domain/customer.h"
#include "store/store.h"

struct fixture {
	struct store *s;
	struct arena a;
};

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
	unsetenv("AVTALE_NOW");
	return 0;
}

static int64_t
add(struct fixture *fx, const char *number, const char *name)
{
	struct customer c = {.customer_number = number,
			     .name = name,
			     .owner_id = 1,
			     .status = CUSTOMER_CUSTOMER};
	struct av_error err = {0};

	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err), AV_OK);
	assert_true(c.id > 0);
	assert_int_equal(c.version, 1);
	return c.id;
}

static void
test_store_new_database_has_admin_and_latest_schema(void **state)
{
	struct fixture *fx = *state;
	struct user u;
	struct av_error err = {0};

	assert_int_equal(store_schema_version(fx->s), store_schema_latest());
	assert_int_equal(store_user_by_email(fx->s, "admin", &fx->a, &u, &err),
			 AV_OK);
	assert_int_equal(u.id, 1);
	assert_int_equal(u.role, ROLE_ADMIN);
	assert_string_equal(u.time_zone, "Europe/Oslo");
}

static void
test_store_reopen_file_keeps_data_and_does_not_remigrate(void **state)
{
	char path[] = "/tmp/avtale-test-XXXXXX";
	int fd = mkstemp(path);
	struct store *s;
	struct av_error err = {0};
	struct customer c = {
	    .customer_number = "0042", .name = "Lagret AS", .owner_id = 1};
	struct arena a;
	char side[64];

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	arena_init(&a, 0);
	assert_int_equal(store_open(path, 0, &s, &err), AV_OK);
	assert_int_equal(customer_prepare(&c, &a, &err), AV_OK);
	assert_int_equal(store_customer_insert(s, &c, 1, &err), AV_OK);
	store_close(s);
	assert_int_equal(store_open(path, STORE_NO_MIGRATE, &s, &err), AV_OK);
	assert_int_equal(store_customer_by_number(s, "0042", &a, &c, &err),
			 AV_OK);
	assert_string_equal(c.name, "Lagret AS");
	assert_string_equal(c.customer_number, "0042");
	store_close(s);
	arena_release(&a);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static void
test_store_duplicate_customer_number_is_conflict(void **state)
{
	struct fixture *fx = *state;
	struct customer c = {
	    .customer_number = "10001", .name = "Andre AS", .owner_id = 1};
	struct av_error err = {0};

	add(fx, "10001", "Første AS");
	assert_int_equal(customer_prepare(&c, &fx->a, &err), AV_OK);
	assert_int_equal(store_customer_insert(fx->s, &c, 1, &err),
			 AV_ECONFLICT);
	assert_string_equal(err.field, "customer_number");
}

static void
test_store_update_with_stale_version_is_refused(void **state)
{
	struct fixture *fx = *state;
	int64_t id = add(fx, "1", "Versjon AS");
	struct customer c;
	struct av_error err = {0};

	assert_int_equal(store_customer_get(fx->s, id, &fx->a, &c, &err),
			 AV_OK);
	c.name = "Versjon To AS";
	assert_int_equal(store_customer_update(fx->s, &c, 1, 1, &err), AV_OK);
	assert_int_equal(c.version, 2);
	c.name = "Versjon Tre AS";
	assert_int_equal(store_customer_update(fx->s, &c, 1, 1, &err),
			 AV_ESTALE);
	assert_int_equal(store_customer_get(fx->s, id, &fx->a, &c, &err),
			 AV_OK);
	assert_string_equal(c.name, "Versjon To AS");
	assert_int_equal(c.version, 2);
}

static void
test_store_update_that_changes_nothing_keeps_the_version(void **state)
{
	struct fixture *fx = *state;
	int64_t id = add(fx, "8", "Uendret AS");
	struct customer c;
	struct audit_entry *log;
	struct av_error err = {0};
	size_t n;

	assert_int_equal(store_customer_get(fx->s, id, &fx->a, &c, &err),
			 AV_OK);
	assert_int_equal(store_customer_update(fx->s, &c, 1, 1, &err), AV_OK);
	assert_int_equal(c.version, 1);
	assert_int_equal(
	    store_audit_list(fx->s, "customer", id, 10, &fx->a, &log, &n, &err),
	    AV_OK);
	assert_int_equal(n, 1);
}

static void
test_store_soft_delete_hides_record_and_keeps_audit(void **state)
{
	struct fixture *fx = *state;
	int64_t id = add(fx, "7", "Borte AS");
	struct customer c;
	struct audit_entry *log;
	struct av_error err = {0};
	size_t n;
	int64_t count;

	assert_int_equal(store_customer_delete(fx->s, id, 0, 1, &err), AV_OK);
	assert_int_equal(store_customer_get(fx->s, id, &fx->a, &c, &err),
			 AV_ENOTFOUND);
	assert_int_equal(store_customer_count(fx->s, &count, &err), AV_OK);
	assert_int_equal(count, 0);
	assert_int_equal(
	    store_audit_list(fx->s, "customer", id, 10, &fx->a, &log, &n, &err),
	    AV_OK);
	assert_int_equal(n, 2);
	assert_string_equal(log[0].action, "delete");
	assert_non_null(log[0].before);
	assert_null(log[0].after);
	assert_string_equal(log[1].action, "create");
	assert_non_null(strstr(log[1].after, "\"Borte AS\""));
}

static void
test_store_territory_change_starts_new_history_period(void **state)
{
	struct fixture *fx = *state;
	struct territory osl = {.code = "OSL", .name = "Oslo"};
	struct territory ves = {.code = "VES", .name = "Vestland"};
	struct customer c;
	struct assignment *h;
	struct av_error err = {0};
	size_t n;
	int64_t id;

	assert_int_equal(store_territory_insert(fx->s, &osl, &err), AV_OK);
	assert_int_equal(store_territory_insert(fx->s, &ves, &err), AV_OK);
	setenv("AVTALE_NOW", "1735689600", 1); /* 2025-01-01T00:00Z */
	id = add(fx, "55", "Flyttar AS");
	assert_int_equal(store_customer_get(fx->s, id, &fx->a, &c, &err),
			 AV_OK);
	c.territory_id = osl.id;
	setenv("AVTALE_NOW", "1740787200", 1); /* 2025-03-01T00:00Z */
	assert_int_equal(store_customer_update(fx->s, &c, 0, 1, &err), AV_OK);
	c.territory_id = ves.id;
	setenv("AVTALE_NOW", "1746057600", 1); /* 2025-05-01T00:00Z */
	assert_int_equal(store_customer_update(fx->s, &c, 0, 1, &err), AV_OK);
	/* a change of notes only does not start a period */
	c.notes = "bare notater";
	assert_int_equal(store_customer_update(fx->s, &c, 0, 1, &err), AV_OK);
	assert_int_equal(
	    store_customer_history(fx->s, id, &fx->a, &h, &n, &err), AV_OK);
	assert_int_equal(n, 3);
	assert_int_equal(h[0].territory_id, 0);
	assert_int_equal(h[0].valid_from, 1735689600);
	assert_int_equal(h[0].valid_to, 1740787200);
	assert_int_equal(h[1].territory_id, osl.id);
	assert_int_equal(h[1].valid_to, 1746057600);
	assert_int_equal(h[2].territory_id, ves.id);
	assert_int_equal(h[2].valid_to, 0);
}

static void
test_store_territory_found_by_code_or_folded_name(void **state)
{
	struct fixture *fx = *state;
	struct territory t = {.code = "TRO", .name = "Trøndelag"};
	struct territory got;
	struct av_error err = {0};

	assert_int_equal(store_territory_insert(fx->s, &t, &err), AV_OK);
	assert_int_equal(store_territory_find(fx->s, "tro", &fx->a, &got, &err),
			 AV_OK);
	assert_int_equal(got.id, t.id);
	assert_int_equal(
	    store_territory_find(fx->s, "TRONDELAG", &fx->a, &got, &err),
	    AV_OK);
	assert_int_equal(got.id, t.id);
	assert_int_equal(
	    store_territory_find(fx->s, "Vestland", &fx->a, &got, &err),
	    AV_ENOTFOUND);
}

static void
test_store_contacts_belong_to_customer_and_need_one(void **state)
{
	struct fixture *fx = *state;
	int64_t id = add(fx, "3", "Kontakt AS");
	struct contact p = {.customer_id = id, .name = "Åse Ås"};
	struct contact orphan = {.customer_id = 999, .name = "Ingen"};
	struct contact *v;
	struct av_error err = {0};
	size_t n;

	assert_int_equal(contact_prepare(&p, "NO", &fx->a, &err), AV_OK);
	assert_int_equal(store_contact_insert(fx->s, &p, 1, &err), AV_OK);
	assert_int_equal(store_contact_insert(fx->s, &orphan, 1, &err),
			 AV_ENOTFOUND);
	assert_int_equal(store_contact_list(fx->s, id, &fx->a, &v, &n, &err),
			 AV_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "Åse Ås");
	p.title = "Salgssjef";
	assert_int_equal(store_contact_update(fx->s, &p, 1, 1, &err), AV_OK);
	assert_int_equal(p.version, 2);
	assert_int_equal(store_contact_update(fx->s, &p, 1, 1, &err),
			 AV_ESTALE);
	assert_int_equal(store_contact_delete(fx->s, p.id, 1, &err), AV_OK);
	assert_int_equal(store_contact_list(fx->s, id, &fx->a, &v, &n, &err),
			 AV_OK);
	assert_int_equal(n, 0);
}

static void
test_store_rollback_discards_everything(void **state)
{
	struct fixture *fx = *state;
	struct customer c;
	struct av_error err = {0};
	int64_t count;

	assert_int_equal(store_begin(fx->s, &err), AV_OK);
	add(fx, "100", "Midlertidig AS");
	add(fx, "101", "Også Midlertidig AS");
	store_rollback(fx->s);
	assert_int_equal(store_customer_count(fx->s, &count, &err), AV_OK);
	assert_int_equal(count, 0);
	assert_int_equal(
	    store_customer_by_number(fx->s, "100", &fx->a, &c, &err),
	    AV_ENOTFOUND);
}

static void
test_store_list_pages_by_cursor_and_filters(void **state)
{
	struct fixture *fx = *state;
	struct customer_filter f = {.status = -1, .limit = 2};
	struct customer *v;
	struct av_error err = {0};
	size_t n;
	int64_t last;

	for (int i = 0; i < 5; i++) {
		char num[16];
		snprintf(num, sizeof(num), "%d", 200 + i);
		add(fx, arena_strdup(&fx->a, num), "Side AS");
	}
	assert_int_equal(store_customer_list(fx->s, &f, &fx->a, &v, &n, &err),
			 AV_OK);
	assert_int_equal(n, 2);
	last = v[1].id;
	f.after_id = last;
	assert_int_equal(store_customer_list(fx->s, &f, &fx->a, &v, &n, &err),
			 AV_OK);
	assert_int_equal(n, 2);
	assert_true(v[0].id > last);
	f.status = CUSTOMER_PROSPECT;
	f.after_id = 0;
	assert_int_equal(store_customer_list(fx->s, &f, &fx->a, &v, &n, &err),
			 AV_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		test_store_new_database_has_admin_and_latest_schema, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_reopen_file_keeps_data_and_does_not_remigrate, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_duplicate_customer_number_is_conflict, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_update_with_stale_version_is_refused, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_update_that_changes_nothing_keeps_the_version, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_soft_delete_hides_record_and_keeps_audit, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_territory_change_starts_new_history_period, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_territory_found_by_code_or_folded_name, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_contacts_belong_to_customer_and_need_one, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_rollback_discards_everything, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_store_list_pages_by_cursor_and_filters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
