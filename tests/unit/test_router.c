/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for http/router.c and the request helpers it relies on
 * (percent-decoding, captures, query parsing): no sockets, fake requests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"

#include "core/banned.h"

static enum av_err
h_list(struct req *req, struct resp *resp)
{
	(void)req;
	(void)resp;
	return AV_OK;
}

static enum av_err
h_get(struct req *req, struct resp *resp)
{
	(void)req;
	(void)resp;
	return AV_OK;
}

static enum av_err
h_other(struct req *req, struct resp *resp)
{
	(void)req;
	(void)resp;
	return AV_OK;
}

static const struct route routes[] = {
    {HTTP_GET, "/", h_other, "root"},
    {HTTP_GET, "/api/v1/customers", h_list, "list"},
    {HTTP_POST, "/api/v1/customers", h_other, "create"},
    {HTTP_GET, "/api/v1/customers/search", h_other, "search"},
    {HTTP_GET, "/api/v1/customers/{id}.ics", h_get, "get-ics"},
    {HTTP_GET, "/api/v1/customers/{id}", h_get, "get"},
    {HTTP_DELETE, "/api/v1/customers/{id}", h_other, "delete"},
    {HTTP_GET, "/api/v1/customers/{id}/contacts/{cid}", h_other, "contact"},
    {HTTP_HEAD, "/ping", h_other, "ping-head"},
    {HTTP_GET, "/ping", h_other, "ping-get"},
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

struct fixture {
	struct arena arena;
	struct req req;
};

static int
setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	arena_init(&f->arena, 0);
	req_init(&f->req, &f->arena);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	req_release(&f->req);
	arena_release(&f->arena);
	test_free(f);
	return 0;
}

/* Route 'method' 'path' through the table; returns the status. */
static enum router_status
route(struct fixture *f, enum http_method method, const char *path,
      struct route_match *m)
{
	f->req.method = method;
	f->req.path = path;
	return router_match(routes, N_ROUTES, &f->req, m);
}

static const char *
matched(const struct route_match *m)
{
	return m->route ? m->route->data : NULL;
}

static void
test_router_matches_literal_paths(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/", &m), ROUTER_MATCH);
	assert_string_equal(matched(&m), "root");
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "list");
	assert_ptr_equal(f->req.route, m.route);
	assert_int_equal(route(f, HTTP_POST, "/api/v1/customers", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "create");
	assert_int_equal(f->req.params.n, 0);
}

static void
test_router_captures_segments(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/42", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "get");
	assert_string_equal(req_param(&f->req, "id"), "42");
	assert_null(req_param(&f->req, "cid"));
}

/* "{id}.ics" takes a segment ending in ".ics", without the suffix; the
 * plain capture after it still takes the rest. */
static void
test_router_captures_with_a_suffix(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/42.ics", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "get-ics");
	assert_string_equal(req_param(&f->req, "id"), "42");
	req_release(&f->req);
	req_init(&f->req, &f->arena);
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/.ics", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "get"); /* empty capture: no */
	assert_string_equal(req_param(&f->req, "id"), ".ics");
	req_release(&f->req);
	req_init(&f->req, &f->arena);
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/42.icsx", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "get");
}

static void
test_router_captures_two_segments(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(
	    route(f, HTTP_GET, "/api/v1/customers/7/contacts/9", &m),
	    ROUTER_MATCH);
	assert_string_equal(matched(&m), "contact");
	assert_string_equal(req_param(&f->req, "id"), "7");
	assert_string_equal(req_param(&f->req, "cid"), "9");
	assert_int_equal(f->req.params.n, 2);
}

static void
test_router_first_match_wins(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	/* "search" is listed before "{id}", so the literal wins. */
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/search", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "search");
	assert_int_equal(f->req.params.n, 0);
}

static void
test_router_404_for_unknown_paths(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/nope", &m), ROUTER_NOT_FOUND);
	assert_null(m.route);
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/1/x", &m),
			 ROUTER_NOT_FOUND);
	assert_int_equal(route(f, HTTP_GET, "/api/v1", &m), ROUTER_NOT_FOUND);
	/* An empty segment matches neither a literal nor a capture. */
	assert_int_equal(route(f, HTTP_GET, "/api//v1/customers", &m),
			 ROUTER_NOT_FOUND);
	assert_int_equal(
	    route(f, HTTP_GET, "/api/v1/customers//contacts/1", &m),
	    ROUTER_NOT_FOUND);
}

static void
test_router_405_lists_allowed_methods(void **state)
{
	struct fixture *f = *state;
	struct route_match m;
	char allow[64];

	assert_int_equal(route(f, HTTP_PUT, "/api/v1/customers", &m),
			 ROUTER_BAD_METHOD);
	assert_null(m.route);
	router_allow_header(m.allow, allow, sizeof(allow));
	assert_string_equal(allow, "GET, HEAD, POST, OPTIONS");

	assert_int_equal(route(f, HTTP_POST, "/api/v1/customers/3", &m),
			 ROUTER_BAD_METHOD);
	router_allow_header(m.allow, allow, sizeof(allow));
	assert_string_equal(allow, "GET, HEAD, DELETE, OPTIONS");
	/* No captures leak from a route that did not match. */
	assert_int_equal(f->req.params.n, 0);
}

static void
test_router_allow_header_truncates_safely(void **state)
{
	char small[12];

	(void)state;
	router_allow_header(~0u, small, sizeof(small));
	assert_string_equal(small, "GET, HEAD");
}

static void
test_router_head_served_by_get(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_HEAD, "/api/v1/customers/5", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "get");
	assert_string_equal(req_param(&f->req, "id"), "5");
	assert_int_equal(f->req.method, HTTP_HEAD);
}

static void
test_router_explicit_head_route_first(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_HEAD, "/ping", &m), ROUTER_MATCH);
	assert_string_equal(matched(&m), "ping-head");
	assert_int_equal(route(f, HTTP_GET, "/ping", &m), ROUTER_MATCH);
	assert_string_equal(matched(&m), "ping-get");
}

static void
test_router_ignores_trailing_slash(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "list");
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/8/", &m),
			 ROUTER_MATCH);
	assert_string_equal(req_param(&f->req, "id"), "8");
}

static void
test_router_decodes_captures(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(
	    route(f, HTTP_GET, "/api/v1/customers/Bj%C3%B8rn%20AS", &m),
	    ROUTER_MATCH);
	assert_string_equal(req_param(&f->req, "id"), "Bj\xc3\xb8rn AS");
}

static void
test_router_keeps_encoded_slash_in_capture(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/a%2Fb", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "get");
	assert_string_equal(req_param(&f->req, "id"), "a/b");
}

static void
test_router_decodes_literals(void **state)
{
	struct fixture *f = *state;
	struct route_match m;

	assert_int_equal(route(f, HTTP_GET, "/%61pi/v1/customers", &m),
			 ROUTER_MATCH);
	assert_string_equal(matched(&m), "list");
	/* '+' is a plain character in a path, not a space. */
	assert_int_equal(route(f, HTTP_GET, "/api/v1/customers/a+b", &m),
			 ROUTER_MATCH);
	assert_string_equal(req_param(&f->req, "id"), "a+b");
}

static void
test_router_rejects_bad_encoding(void **state)
{
	struct fixture *f = *state;
	struct route_match m;
	static const char *const bad[] = {
	    "/api/v1/customers/a%00b",	/* NUL */
	    "/api/v1/customers/%FF",	/* not UTF-8 */
	    "/api/v1/customers/%C0%AF", /* overlong '/' */
	    "/api/v1/customers/%G1",	/* bad hex */
	    "/api/v1/customers/%4",	/* truncated escape */
	    "/api/v1/customers/..",	/* dot segments */
	    "/api/v1/customers/%2e%2E", "/api/v1/./customers", "relative",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(route(f, HTTP_GET, bad[i], &m),
				 ROUTER_BAD_PATH);
		assert_null(m.route);
	}
}

static void
test_router_too_many_segments_not_found(void **state)
{
	struct fixture *f = *state;
	struct route_match m;
	char path[256] = "";
	size_t o = 0;

	for (int i = 0; i < ROUTER_MAX_SEGMENTS + 1; i++) {
		path[o++] = '/';
		path[o++] = 'a';
	}
	path[o] = '\0';
	assert_int_equal(route(f, HTTP_GET, path, &m), ROUTER_NOT_FOUND);
}

static void
test_router_check_accepts_table(void **state)
{
	struct av_error err;

	(void)state;
	assert_int_equal(router_check(routes, N_ROUTES, &err), AV_OK);
}

static void
test_router_check_rejects_bad_patterns(void **state)
{
	static const char *const bad[] = {
	    "api/v1", "/a//b",	    "/a/",  "/{}",	 "/{id",     "/x{id}",
	    "/{a-b}", "/{id}/{id}", "/%61", "/{id}.{x}", "/{id}%2e",
	};
	struct av_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct route r = {HTTP_GET, bad[i], h_get, NULL};

		av_error_clear(&err);
		assert_int_equal(router_check(&r, 1, &err), AV_EINVAL);
		assert_int_equal(err.code, AV_EINVAL);
		assert_non_null(strstr(err.msg, bad[i]));
	}
}

static void
test_router_check_rejects_missing_handler(void **state)
{
	struct route r = {HTTP_GET, "/x", NULL, NULL};
	struct av_error err;

	(void)state;
	assert_int_equal(router_check(&r, 1, &err), AV_EINVAL);
}

static void
test_req_query_decodes_and_first_wins(void **state)
{
	struct fixture *f = *state;
	static const char q[] = "q=Bj%C3%B8rn+AS&page=2&q=second&flag&&x=";
	struct av_error err;

	assert_int_equal(req_parse_query(&f->req, q, strlen(q), &err), AV_OK);
	assert_string_equal(req_query(&f->req, "q"), "Bj\xc3\xb8rn AS");
	assert_string_equal(req_query(&f->req, "page"), "2");
	assert_string_equal(req_query(&f->req, "flag"), "");
	assert_string_equal(req_query(&f->req, "x"), "");
	assert_null(req_query(&f->req, "missing"));
	assert_string_equal(f->req.query, q);
}

static void
test_req_query_rejects_bad_values(void **state)
{
	struct fixture *f = *state;
	static const char q[] = "ok=1&name=a%00b";
	struct av_error err;

	av_error_clear(&err);
	assert_int_equal(req_parse_query(&f->req, q, strlen(q), &err),
			 AV_EINVAL);
	assert_string_equal(err.field, "name");
	assert_int_equal(req_parse_query(&f->req, "%FF=1", 5, &err), AV_EINVAL);
}

static void
test_req_header_is_case_insensitive(void **state)
{
	struct fixture *f = *state;

	req_add_header(&f->req, "If-Match", "\"3\"");
	req_add_header(&f->req, "if-match", "\"4\"");
	assert_string_equal(req_header(&f->req, "IF-MATCH"), "\"3\"");
	assert_null(req_header(&f->req, "Content-Type"));
}

static void
test_req_unescape_edges(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(req_unescape(&f->arena, "a%2b+c", 6, false),
			    "a++c");
	assert_string_equal(req_unescape(&f->arena, "a%2b+c", 6, true), "a+ c");
	assert_string_equal(req_unescape(&f->arena, "", 0, true), "");
	assert_null(req_unescape(&f->arena, "%", 1, false));
	assert_null(req_unescape(&f->arena, "%ED%A0%80", 9, false));
}

static void
test_http_method_names_round_trip(void **state)
{
	(void)state;
	for (int m = 0; m < HTTP_METHOD__MAX; m++) {
		enum http_method out;

		assert_true(http_method_parse(
		    http_method_name((enum http_method)m), &out));
		assert_int_equal(out, m);
	}
	{
		enum http_method out;

		assert_false(http_method_parse("get", &out));
		assert_false(http_method_parse("TRACE", &out));
	}
	assert_string_equal(http_method_name(HTTP_METHOD__MAX), "?");
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_router_matches_literal_paths),
	    T(test_router_captures_segments),
	    T(test_router_captures_two_segments),
	    T(test_router_first_match_wins),
	    T(test_router_404_for_unknown_paths),
	    T(test_router_405_lists_allowed_methods),
	    cmocka_unit_test(test_router_allow_header_truncates_safely),
	    T(test_router_head_served_by_get),
	    T(test_router_explicit_head_route_first),
	    T(test_router_ignores_trailing_slash),
	    T(test_router_decodes_captures),
	    T(test_router_keeps_encoded_slash_in_capture),
	    T(test_router_decodes_literals),
	    T(test_router_rejects_bad_encoding),
	    T(test_router_too_many_segments_not_found),
	    cmocka_unit_test(test_router_check_accepts_table),
	    cmocka_unit_test_setup_teardown(test_router_captures_with_a_suffix,
					    setup, teardown),
	    cmocka_unit_test(test_router_check_rejects_bad_patterns),
	    cmocka_unit_test(test_router_check_rejects_missing_handler),
	    T(test_req_query_decodes_and_first_wins),
	    T(test_req_query_rejects_bad_values),
	    T(test_req_header_is_case_insensitive),
	    T(test_req_unescape_edges),
	    cmocka_unit_test(test_http_method_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
