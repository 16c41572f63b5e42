/* SPDX-License-Identifier: MIT */
/*
 * demo_generate into SQLite ":memory:": counts, that every record passes
 * the same rules as typed data, unique numbers, determinism by seed, the
 * territories and reps of the organisation, phone keys, and that a second
 * run adds customers with fresh numbers.
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
#include "core/phone.h"
#include "domain/customer.h"
#include "service/demo.h"
#include "store/store.h"

#include "core/banned.h"

#define N_CUSTOMERS 300
#define N_TERR	    10

/* Every live customer, in id order, copied into 'a'. */
static size_t
all_customers(struct store *s, struct arena *a, struct customer **out)
{
	struct customer *all = arena_alloc(a, sizeof(*all));
	size_t n_all = 0;
	struct customer_filter f = {0, 1000, -1, 0, 0};
	struct av_error err = {0};

	for (;;) {
		struct customer *page;
		size_t n;
		struct customer *grown;

		assert_int_equal(store_customer_list(s, &f, a, &page, &n, &err),
				 AV_OK);
		if (n == 0)
			break;
		grown = arena_alloc(a, (n_all + n) * sizeof(*grown));
		if (n_all)
			memcpy(grown, all, n_all * sizeof(*grown));
		memcpy(grown + n_all, page, n * sizeof(*grown));
		all = grown;
		n_all += n;
		f.after_id = page[n - 1].id;
	}
	*out = all;
	return n_all;
}

static struct store *
open_mem(void)
{
	struct store *s = NULL;
	struct av_error err = {0};

	assert_int_equal(store_open(":memory:", 0, &s, &err), AV_OK);
	return s;
}

static void
generate(struct store *s, uint64_t n, uint64_t seed, struct demo_report *rep)
{
	struct demo_options opt;
	struct av_error err = {0};
	enum av_err rc;

	demo_options_init(&opt);
	opt.customers = n;
	opt.seed = seed;
	rc = demo_generate(s, &opt, rep, &err);
	if (rc)
		fail_msg("demo_generate: %s (%s)", err.msg, err.field);
}

struct fixture {
	struct store *s;	/* owned */
	struct demo_report rep; /* of the one run */
	struct arena a;		/* owned */
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	fx->s = open_mem();
	arena_init(&fx->a, 0);
	generate(fx->s, N_CUSTOMERS, 42, &fx->rep);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	arena_release(&fx->a);
	store_close(fx->s);
	free(fx);
	return 0;
}

static void
test_demo_report_counts(void **state)
{
	struct fixture *fx = *state;
	struct av_error err = {0};
	int64_t n = 0;
	struct user *users;
	size_t n_users;

	assert_int_equal(fx->rep.territories, N_TERR);
	assert_int_equal(fx->rep.users, N_TERR * (DEMO_DEFAULT_REPS + 1));
	assert_int_equal(fx->rep.customers, N_CUSTOMERS);
	assert_int_equal(fx->rep.contacts, N_CUSTOMERS * DEMO_DEFAULT_CONTACTS);
	assert_string_equal(fx->rep.first_number, "100001");
	assert_string_equal(fx->rep.last_number, "100300");
	assert_true(fx->rep.seconds >= 0.0);
	assert_int_equal(store_customer_count(fx->s, &n, &err), AV_OK);
	assert_int_equal(n, N_CUSTOMERS);
	/* the admin of the migration plus the demo people */
	assert_int_equal(store_user_list(fx->s, &fx->a, &users, &n_users, &err),
			 AV_OK);
	assert_int_equal(n_users, 1 + N_TERR * (DEMO_DEFAULT_REPS + 1));
}

static void
test_demo_customers_pass_the_rules(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	size_t status[CUSTOMER_STATUS__MAX] = {0};
	size_t swedish = 0;

	assert_int_equal(n, N_CUSTOMERS);
	for (size_t i = 0; i < n; i++) {
		struct customer c = cs[i];
		struct av_error err = {0};

		if (customer_prepare(&c, &fx->a, &err) != AV_OK)
			fail_msg("customer %s '%s': %s", cs[i].customer_number,
				 cs[i].name, err.msg);
		assert_non_null(c.address);
		assert_non_null(c.city);
		assert_non_null(c.postcode);
		assert_true(cs[i].owner_id > 0);
		assert_true(cs[i].territory_id > 0);
		status[c.status]++;
		if (strcmp(c.country, "SE") == 0) {
			swedish++;
			assert_string_equal(c.time_zone, "Europe/Stockholm");
		} else {
			assert_string_equal(c.country, "NO");
			assert_string_equal(c.time_zone, "Europe/Oslo");
			/* four digits, leading zeros kept */
			assert_int_equal(strlen(c.postcode), 4);
		}
	}
	/* about 70 % customers, 25 % prospects, 5 % former */
	assert_true(status[CUSTOMER_CUSTOMER] > status[CUSTOMER_PROSPECT]);
	assert_true(status[CUSTOMER_PROSPECT] > status[CUSTOMER_FORMER]);
	assert_true(status[CUSTOMER_FORMER] > 0);
	assert_true(swedish > 0 && swedish < n / 10);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_demo_numbers_are_unique(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	const char **nums = arena_alloc(&fx->a, n * sizeof(*nums));

	for (size_t i = 0; i < n; i++)
		nums[i] = cs[i].customer_number;
	qsort(nums, n, sizeof(*nums), cmp_str);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(nums[i - 1], nums[i]);
}

static void
test_demo_territories_and_reps(void **state)
{
	static const char *const want[] = {"Oslo", "Vestland", "Trøndelag",
					   "Nord-Norge"};
	struct fixture *fx = *state;
	struct av_error err = {0};
	struct territory *ts;
	struct user *us;
	size_t n_t;
	size_t n_u;
	size_t managers = 0;
	size_t reps = 0;
	struct user kari;

	assert_int_equal(store_territory_list(fx->s, &fx->a, &ts, &n_t, &err),
			 AV_OK);
	assert_int_equal(n_t, N_TERR);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		bool found = false;
		for (size_t i = 0; i < n_t; i++)
			found |= strcmp(ts[i].name, want[w]) == 0;
		if (!found)
			fail_msg("territory '%s' missing", want[w]);
	}
	assert_int_equal(store_user_list(fx->s, &fx->a, &us, &n_u, &err),
			 AV_OK);
	for (size_t i = 0; i < n_u; i++) {
		const char *at = strchr(us[i].email, '@');
		if (us[i].role == ROLE_ADMIN)
			continue;
		assert_non_null(at);
		assert_string_equal(at, "@demo.avtale.no");
		assert_true(us[i].territory_id > 0);
		assert_non_null(strstr(us[i].time_zone, "Europe/"));
		managers += us[i].role == ROLE_MANAGER;
		reps += us[i].role == ROLE_REP;
	}
	assert_int_equal(managers, N_TERR);
	assert_int_equal(reps, N_TERR * DEMO_DEFAULT_REPS);
	assert_int_equal(store_user_by_email(fx->s,
					     "kari.nordmann@demo.avtale.no",
					     &fx->a, &kari, &err),
			 AV_OK);
	assert_int_equal(kari.role, ROLE_REP);
	assert_string_equal(kari.time_zone, "Europe/Oslo");
}

static void
test_demo_contacts_have_phone_keys(void **state)
{
	struct fixture *fx = *state;
	struct customer *cs;
	size_t n = all_customers(fx->s, &fx->a, &cs);
	size_t total = 0;
	size_t with_mobile = 0;
	size_t odd_forms = 0;

	for (size_t i = 0; i < n; i++) {
		struct contact *ps;
		size_t n_p;
		struct av_error err = {0};
		const char *want =
		    strcmp(cs[i].country, "SE") == 0 ? "+46" : "+47";

		assert_int_equal(store_contact_list(fx->s, cs[i].id, &fx->a,
						    &ps, &n_p, &err),
				 AV_OK);
		assert_int_equal(n_p, DEMO_DEFAULT_CONTACTS);
		total += n_p;
		for (size_t j = 0; j < n_p; j++) {
			struct contact c = ps[j];
			const char *ph =
			    ps[j].mobile ? ps[j].mobile : ps[j].phone;
			char key[32];

			if (contact_prepare(&c, cs[i].country, &fx->a, &err))
				fail_msg("contact '%s': %s", ps[j].name,
					 err.msg);
			assert_non_null(ph);
			assert_true(phone_normalize(ph, cs[i].country, key,
						    sizeof(key)));
			assert_memory_equal(key, want, 3);
			if (strcmp(want, "+47") == 0) {
				/* 8 national digits */
				assert_int_equal(strlen(key), 11);
				if (ps[j].mobile)
					assert_true(key[3] == '4' ||
						    key[3] == '9');
			}
			with_mobile += ps[j].mobile != NULL;
			odd_forms += ph[0] != '+';
		}
		if (cs[i].phone) {
			char key[32];
			assert_true(phone_normalize(cs[i].phone, cs[i].country,
						    key, sizeof(key)));
			assert_memory_equal(key, want, 3);
		}
	}
	assert_int_equal(total, N_CUSTOMERS * DEMO_DEFAULT_CONTACTS);
	assert_true(with_mobile > total * 8 / 10);
	/* numbers are written in more than one way */
	assert_true(odd_forms > 0 && odd_forms < total);
}

static void
test_demo_same_seed_same_companies(void **state)
{
	struct store *a = open_mem();
	struct store *b = open_mem();
	struct store *c = open_mem();
	struct demo_report rep;
	struct arena ar;
	struct customer *ca;
	struct customer *cb;
	struct customer *cc;
	size_t na;
	size_t nb;
	size_t nc;
	size_t differ = 0;

	(void)state;
	arena_init(&ar, 0);
	generate(a, 20, 7, &rep);
	generate(b, 20, 7, &rep);
	generate(c, 20, 8, &rep);
	na = all_customers(a, &ar, &ca);
	nb = all_customers(b, &ar, &cb);
	nc = all_customers(c, &ar, &cc);
	assert_int_equal(na, 20);
	assert_int_equal(nb, 20);
	assert_int_equal(nc, 20);
	assert_string_equal(ca[0].name, cb[0].name);
	for (size_t i = 0; i < na; i++) {
		assert_string_equal(ca[i].name, cb[i].name);
		assert_string_equal(ca[i].address, cb[i].address);
		differ += strcmp(ca[i].name, cc[i].name) != 0;
	}
	assert_true(differ > 10);
	arena_release(&ar);
	store_close(a);
	store_close(b);
	store_close(c);
}

static void
test_demo_second_run_adds_fresh_numbers(void **state)
{
	struct store *s = open_mem();
	struct demo_report rep;
	struct av_error err = {0};
	struct customer taken = {0};
	struct arena a;
	int64_t n = 0;

	(void)state;
	arena_init(&a, 0);
	generate(s, 30, 1, &rep);
	/* someone else used the next demo number meanwhile */
	taken.customer_number = "100031";
	taken.name = "Manuell Kunde AS";
	taken.status = CUSTOMER_CUSTOMER;
	taken.owner_id = 1;
	assert_int_equal(customer_prepare(&taken, &a, &err), AV_OK);
	assert_int_equal(store_customer_insert(s, &taken, 1, &err), AV_OK);

	generate(s, 30, 1, &rep);
	assert_int_equal(rep.territories, 0);
	assert_int_equal(rep.users, 0);
	assert_int_equal(rep.customers, 30);
	assert_string_equal(rep.first_number, "100032");
	assert_string_equal(rep.last_number, "100061");
	assert_int_equal(store_customer_count(s, &n, &err), AV_OK);
	assert_int_equal(n, 61);

	/* a deleted customer keeps its number: the run goes past it */
	taken = (struct customer){0};
	taken.customer_number = "100062";
	taken.name = "Slettet Kunde AS";
	taken.owner_id = 1;
	assert_int_equal(customer_prepare(&taken, &a, &err), AV_OK);
	assert_int_equal(store_customer_insert(s, &taken, 1, &err), AV_OK);
	assert_int_equal(store_customer_delete(s, taken.id, 0, 1, &err), AV_OK);
	generate(s, 5, 1, &rep);
	assert_int_equal(rep.customers, 5);
	assert_string_equal(rep.first_number, "100063");
	assert_int_equal(store_customer_count(s, &n, &err), AV_OK);
	assert_int_equal(n, 66);
	arena_release(&a);
	store_close(s);
}

static void
count_calls(uint64_t done, uint64_t total, void *ctx)
{
	uint64_t *last = ctx;

	assert_true(done > *last);
	assert_true(done <= total);
	*last = done;
}

static void
test_demo_progress_and_options(void **state)
{
	struct store *s = open_mem();
	struct demo_options opt;
	struct demo_report rep;
	struct av_error err = {0};
	uint64_t last = 0;

	(void)state;
	demo_options_init(&opt);
	assert_int_equal(opt.customers, DEMO_DEFAULT_CUSTOMERS);
	assert_int_equal(opt.contacts_per_customer, 2);

	opt.contacts_per_customer = DEMO_MAX_CONTACTS + 1;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_EINVAL);
	assert_string_equal(err.field, "contacts");
	opt.contacts_per_customer = 0;
	opt.reps_per_territory = 0;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_EINVAL);
	opt.reps_per_territory = 1;
	opt.print_passwords = true;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_EUNSUPPORTED);
	opt.print_passwords = false;

	opt.customers = DEMO_BATCH + 10;
	opt.progress = count_calls;
	opt.progress_ctx = &last;
	assert_int_equal(demo_generate(s, &opt, &rep, &err), AV_OK);
	assert_int_equal(last, DEMO_BATCH + 10);
	assert_int_equal(rep.users, N_TERR * 2);
	assert_int_equal(rep.contacts, 0);
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest shared[] = {
	    cmocka_unit_test(test_demo_report_counts),
	    cmocka_unit_test(test_demo_customers_pass_the_rules),
	    cmocka_unit_test(test_demo_numbers_are_unique),
	    cmocka_unit_test(test_demo_territories_and_reps),
	    cmocka_unit_test(test_demo_contacts_have_phone_keys),
	};
	const struct CMUnitTest alone[] = {
	    cmocka_unit_test(test_demo_same_seed_same_companies),
	    cmocka_unit_test(test_demo_second_run_adds_fresh_numbers),
	    cmocka_unit_test(test_demo_progress_and_options),
	};
	int failed =
	    cmocka_run_group_tests_name("demo", shared, setup, teardown);

	failed += cmocka_run_group_tests_name("demo_runs", alone, NULL, NULL);
	return failed ? 1 : 0;
}
