/* SPDX-License-Identifier: MIT */
/*
 * Sign-in: password hashing (argon2id), tokens, sessions with idle and
 * absolute expiry, failed-sign-in limits, API tokens, the audit trail, and
 * the access policy table against the real route table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/api.h"
#include "api/policy.h"
#include "core/password.h"
#include "core/token.h"
#include "service/auth.h"
#include "service/users.h"
#include "store/store.h"

#define PW "riktig-hest-batteri-stift"
#define T0 1767225600 /* 2026-01-01T00:00:00Z */

struct fixture {
	struct store *s;
	struct arena a;
	struct user kari;
};

static void
set_now(int64_t t)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)t);
	setenv("AVTALE_NOW", v, 1);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct av_error err = {0};
	char generated[21];

	set_now(T0);
	assert_int_equal(store_open(":memory:", 0, &fx->s, &err), AV_OK);
	arena_init(&fx->a, 0);
	fx->kari.email = "kari@example.no";
	fx->kari.name = "Kari Nordmann";
	fx->kari.role = ROLE_REP;
	assert_int_equal(users_add(fx->s, &fx->kari, PW, 1, generated, &err),
			 AV_OK);
	assert_string_equal(generated, "");
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

static void
password_rules(void **state)
{
	struct av_error err = {0};
	char h[PASSWORD_HASH_MAX], weak[crypto_pwhash_STRBYTES], g[21];

	(void)state;
	assert_int_equal(password_check("kort", &err), AV_EINVAL);
	assert_string_equal(err.field, "password");
	assert_int_equal(password_check("tab\there-is-long", &err), AV_EINVAL);
	assert_int_equal(password_check("ugyldig \xff utf-8 tekst", &err),
			 AV_EINVAL);
	assert_int_equal(password_check("blåbærsyltetøy", &err), AV_OK);

	assert_int_equal(password_hash("blåbærsyltetøy", h, &err), AV_OK);
	assert_memory_equal(h, "$argon2id$", 10);
	assert_true(password_verify("blåbærsyltetøy", h));
	assert_false(password_verify("blabaersyltetoy", h));
	assert_false(password_verify("blåbærsyltetøy", NULL));
	assert_false(password_verify("blåbærsyltetøy", "$2y$10$bcrypt"));
	assert_false(password_needs_rehash(h));
	/* a hash made with weaker settings than today's is upgraded */
	assert_int_equal(crypto_pwhash_str_alg(
			     weak, "x", 1, crypto_pwhash_argon2id_OPSLIMIT_MIN,
			     crypto_pwhash_argon2id_MEMLIMIT_MIN,
			     crypto_pwhash_ALG_ARGON2ID13),
			 0);
	assert_true(password_needs_rehash(weak));

	password_generate(g);
	assert_int_equal(strlen(g), 20);
	assert_int_equal(password_check(g, &err), AV_OK);
}

static void
tokens(void **state)
{
	char a[TOKEN_TEXT_LEN + 1], b[TOKEN_TEXT_LEN + 1];
	char p[AUTH_TOKEN_SIZE], ha[TOKEN_HASH_LEN + 1], hb[TOKEN_HASH_LEN + 1];

	(void)state;
	token_new(a, sizeof(a), NULL);
	token_new(b, sizeof(b), NULL);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	assert_true(token_well_formed(a, NULL));
	token_hash(a, ha);
	token_hash(b, hb);
	assert_int_equal(strlen(ha), 64);
	assert_string_not_equal(ha, hb);
	/* BLAKE2b-256 of "abc" (RFC 7693 test vector family, 32-byte out) */
	token_hash("abc", ha);
	assert_string_equal(ha, "bddd813c634239723171ef3fee98579b"
				"94964e3bb1cb3e427262c8c068d52319");
	token_new(p, sizeof(p), AUTH_TOKEN_PREFIX);
	assert_true(token_well_formed(p, AUTH_TOKEN_PREFIX));
	assert_false(token_well_formed(p, NULL));
	assert_false(token_well_formed(a, AUTH_TOKEN_PREFIX));
	a[5] = '+';
	assert_false(token_well_formed(a, NULL));
	assert_false(token_well_formed("short", NULL));
	assert_false(token_well_formed(NULL, NULL));
}

static void
sign_in_and_out(void **state)
{
	struct fixture *fx = *state;
	struct auth_session_new s1, s2;
	struct auth_caller c;
	struct av_error err = {0}, e2 = {0};

	assert_int_equal(auth_sign_in(fx->s, NULL, "KARI@example.no", PW,
				      "192.0.2.1", NULL, &fx->a, &s1, &err),
			 AV_OK);
	assert_int_equal(s1.user.id, fx->kari.id);
	assert_int_equal(s1.max_age_s, 12 * 3600);
	assert_int_equal(strlen(s1.csrf), 64);
	assert_int_equal(
	    auth_from_session(fx->s, NULL, s1.token, &fx->a, &c, &err), AV_OK);
	assert_int_equal(c.kind, AUTH_SESSION);
	assert_int_equal(c.user.id, fx->kari.id);
	assert_string_equal(c.csrf, s1.csrf);
	assert_true(c.may_write);

	/* signing in again with the old cookie ends the old session */
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no", PW,
				      "192.0.2.1", s1.token, &fx->a, &s2, &err),
			 AV_OK);
	assert_string_not_equal(s1.token, s2.token);
	assert_int_equal(
	    auth_from_session(fx->s, NULL, s1.token, &fx->a, &c, &err),
	    AV_EUNAUTH);

	/* wrong password and unknown user: the very same answer */
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no",
				      "feil-passord-123", "192.0.2.1", NULL,
				      &fx->a, &s1, &err),
			 AV_EUNAUTH);
	assert_int_equal(auth_sign_in(fx->s, NULL, "nobody@example.no", PW,
				      "192.0.2.1", NULL, &fx->a, &s1, &e2),
			 AV_EUNAUTH);
	assert_string_equal(err.msg, e2.msg);
	assert_string_equal(err.msg, "wrong e-mail or password");

	assert_int_equal(auth_sign_out(fx->s, s2.token, fx->kari.id, &err),
			 AV_OK);
	assert_int_equal(
	    auth_from_session(fx->s, NULL, s2.token, &fx->a, &c, &err),
	    AV_EUNAUTH);
	assert_int_equal(
	    auth_from_session(fx->s, NULL, "not a token", &fx->a, &c, &err),
	    AV_EUNAUTH);
}

static void
session_expiry(void **state)
{
	struct fixture *fx = *state;
	struct auth_config cfg = {.idle_s = 600, .max_s = 1800};
	struct auth_session_new s;
	struct auth_caller c;
	struct av_error err = {0};

	assert_int_equal(auth_sign_in(fx->s, &cfg, "kari@example.no", PW,
				      "192.0.2.1", NULL, &fx->a, &s, &err),
			 AV_OK);
	assert_int_equal(s.max_age_s, 1800);
	/* a request every 9 minutes keeps it alive, until the 30 minutes */
	for (int64_t t = T0 + 540; t < T0 + 1800; t += 540) {
		set_now(t);
		assert_int_equal(
		    auth_from_session(fx->s, &cfg, s.token, &fx->a, &c, &err),
		    AV_OK);
	}
	set_now(T0 + 1800);
	assert_int_equal(
	    auth_from_session(fx->s, &cfg, s.token, &fx->a, &c, &err),
	    AV_EUNAUTH);

	/* idle: 10 minutes without a request ends it */
	set_now(T0 + 5000);
	assert_int_equal(auth_sign_in(fx->s, &cfg, "kari@example.no", PW,
				      "192.0.2.1", NULL, &fx->a, &s, &err),
			 AV_OK);
	set_now(T0 + 5000 + 599);
	assert_int_equal(
	    auth_from_session(fx->s, &cfg, s.token, &fx->a, &c, &err), AV_OK);
	set_now(T0 + 5000 + 599 + 600);
	assert_int_equal(
	    auth_from_session(fx->s, &cfg, s.token, &fx->a, &c, &err),
	    AV_EUNAUTH);
}

static void
failure_limits(void **state)
{
	struct fixture *fx = *state;
	struct auth_session_new s;
	struct av_error err = {0};

	for (int i = 0; i < AUTH_FAIL_MAX_USER; i++)
		assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no",
					      "gjetter-feil-123", "192.0.2.7",
					      NULL, &fx->a, &s, &err),
				 AV_EUNAUTH);
	/* now even the right password waits */
	assert_int_equal(auth_sign_in(fx->s, NULL, "Kari@Example.no", PW,
				      "192.0.2.8", NULL, &fx->a, &s, &err),
			 AV_ELIMIT);
	set_now(T0 + AUTH_FAIL_WINDOW_S + 1);
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no", PW,
				      "192.0.2.8", NULL, &fx->a, &s, &err),
			 AV_OK);
}

static void
password_change_ends_sessions(void **state)
{
	struct fixture *fx = *state;
	struct auth_session_new s;
	struct auth_caller c;
	struct user u;
	struct av_error err = {0};

	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no", PW,
				      "192.0.2.1", NULL, &fx->a, &s, &err),
			 AV_OK);
	assert_int_equal(auth_set_password(fx->s, fx->kari.id,
					   "et-helt-nytt-passord", 1, &err),
			 AV_OK);
	assert_int_equal(
	    auth_from_session(fx->s, NULL, s.token, &fx->a, &c, &err),
	    AV_EUNAUTH);
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no", PW,
				      "192.0.2.1", NULL, &fx->a, &s, &err),
			 AV_EUNAUTH);

	/* disabling signs out and keeps out */
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no",
				      "et-helt-nytt-passord", "192.0.2.1", NULL,
				      &fx->a, &s, &err),
			 AV_OK);
	u = fx->kari;
	u.disabled = true;
	assert_int_equal(users_change(fx->s, &u, 1, &err), AV_OK);
	assert_int_equal(
	    auth_from_session(fx->s, NULL, s.token, &fx->a, &c, &err),
	    AV_EUNAUTH);
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no",
				      "et-helt-nytt-passord", "192.0.2.1", NULL,
				      &fx->a, &s, &err),
			 AV_EUNAUTH);
}

static void
api_tokens(void **state)
{
	struct fixture *fx = *state;
	char secret[AUTH_TOKEN_SIZE];
	struct api_token t;
	struct auth_caller c;
	struct av_error err = {0};

	assert_int_equal(auth_token_create(fx->s, fx->kari.id, "", false, 1,
					   secret, &t, &err),
			 AV_EINVAL);
	assert_int_equal(auth_token_create(fx->s, fx->kari.id, "rapport", false,
					   1, secret, &t, &err),
			 AV_OK);
	assert_memory_equal(secret, "avt_", 4);
	assert_int_equal(auth_from_token(fx->s, secret, &fx->a, &c, &err),
			 AV_OK);
	assert_int_equal(c.kind, AUTH_TOKEN);
	assert_false(c.may_write);
	assert_null(c.csrf);
	assert_int_equal(store_token_revoke(fx->s, t.id, 0, &err), AV_OK);
	assert_int_equal(auth_from_token(fx->s, secret, &fx->a, &c, &err),
			 AV_EUNAUTH);
	assert_int_equal(store_token_revoke(fx->s, t.id, 0, &err),
			 AV_ENOTFOUND);
}

static void
audit_holds_no_secrets(void **state)
{
	struct fixture *fx = *state;
	struct auth_session_new s;
	struct audit_entry *v;
	size_t n;
	struct av_error err = {0};
	bool failed = false, ok = false;

	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no",
				      "hemmelig-men-feil", "192.0.2.9", NULL,
				      &fx->a, &s, &err),
			 AV_EUNAUTH);
	assert_int_equal(auth_sign_in(fx->s, NULL, "kari@example.no", PW,
				      "192.0.2.9", NULL, &fx->a, &s, &err),
			 AV_OK);
	assert_int_equal(
	    store_audit_list(fx->s, "user", 0, 100, &fx->a, &v, &n, &err),
	    AV_OK);
	for (size_t i = 0; i < n; i++) {
		const char *texts[] = {v[i].before, v[i].after};
		failed |= strcmp(v[i].action, "sign_in_failed") == 0;
		ok |= strcmp(v[i].action, "sign_in") == 0;
		for (int k = 0; k < 2; k++) {
			if (!texts[k])
				continue;
			assert_null(strstr(texts[k], "hemmelig-men-feil"));
			assert_null(strstr(texts[k], PW));
			assert_null(strstr(texts[k], s.token));
			assert_null(strstr(texts[k], "argon2"));
		}
	}
	assert_true(failed);
	assert_true(ok);
}

static void
policy_table(void **state)
{
	const struct route *routes;
	size_t n;
	char msg[256];
	static const struct route unset[] = {
	    {HTTP_GET, "/api/v1/new", NULL, NULL, RES_UNSET, ACT_READ, 0}};
	static const struct route get_writes[] = {
	    {HTTP_GET, "/api/v1/x", NULL, NULL, RES_CUSTOMER, ACT_DELETE, 0}};
	static const struct route no_row[] = {{HTTP_DELETE, "/api/v1/audit",
					       NULL, NULL, RES_AUDIT,
					       ACT_DELETE, 0}};

	(void)state;
	routes = api_routes(&n);
	assert_true(n > 30);
	assert_true(policy_check_routes(routes, n, msg, sizeof(msg)));
	assert_false(policy_check_routes(unset, 1, msg, sizeof(msg)));
	assert_non_null(strstr(msg, "/api/v1/new"));
	assert_false(policy_check_routes(get_writes, 1, msg, sizeof(msg)));
	assert_false(policy_check_routes(no_row, 1, msg, sizeof(msg)));

	assert_int_equal(policy_reach(ROLE_REP, RES_REPORT, ACT_READ),
			 POLICY_NONE);
	assert_int_equal(policy_reach(ROLE_MANAGER, RES_REPORT, ACT_READ),
			 POLICY_TERRITORY);
	assert_int_equal(policy_reach(ROLE_ADMIN, RES_REPORT, ACT_READ),
			 POLICY_ALL);
	assert_int_equal(policy_reach(ROLE_REP, RES_CUSTOMER, ACT_READ),
			 POLICY_OWN);
	assert_int_equal(policy_reach(ROLE_REP, RES_CUSTOMER, ACT_DELETE),
			 POLICY_NONE);
	assert_int_equal(policy_reach(ROLE_MANAGER, RES_USER, ACT_UPDATE),
			 POLICY_NONE);
	assert_int_equal(policy_reach(ROLE_ADMIN, RES_AUDIT, ACT_READ),
			 POLICY_ALL);
	assert_int_equal(policy_reach(ROLE__MAX, RES_AUDIT, ACT_READ),
			 POLICY_NONE);
	assert_int_equal(policy_reach(ROLE_ADMIN, RES_AUDIT, ACT_DELETE),
			 POLICY_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(password_rules),
	    cmocka_unit_test(tokens),
	    cmocka_unit_test_setup_teardown(sign_in_and_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(session_expiry, setup, teardown),
	    cmocka_unit_test_setup_teardown(failure_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(password_change_ends_sessions,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(api_tokens, setup, teardown),
	    cmocka_unit_test_setup_teardown(audit_holds_no_secrets, setup,
					    teardown),
	    cmocka_unit_test(policy_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
