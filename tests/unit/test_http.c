/* SPDX-License-Identifier: MIT */
/*
 * Tests for http/: a real server on 127.0.0.1:0 with a small route table of
 * test handlers, driven over loopback with libcurl (kcgi's regress/ model),
 * plus a few direct checks of resp.c. Covers JSON in and out, every
 * problem+json path, security headers, keep-alive, the body limit, static
 * files, per-thread state and the access log.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "http/server.h"

#include "core/banned.h"

#define MIB ((size_t)1024 * 1024)

/* ---- per-thread state ----------------------------------------------- */

#define STATE_MAGIC 0x5eed

struct state_counters {
	atomic_int opened; /* thread_state_open calls */
	atomic_int closed; /* thread_state_close calls */
};

struct thread_state {
	int magic;			 /* STATE_MAGIC while alive */
	int serial;			 /* opened-th state */
	struct state_counters *counters; /* borrowed */
};

static void *
state_open(void *ctx)
{
	struct state_counters *c = ctx;
	struct thread_state *s = calloc(1, sizeof(*s));

	s->magic = STATE_MAGIC;
	s->serial = atomic_fetch_add(&c->opened, 1) + 1;
	s->counters = c;
	return s;
}

static void
state_close(void *state)
{
	struct thread_state *s = state;

	assert_int_equal(s->magic, STATE_MAGIC);
	s->magic = 0;
	atomic_fetch_add(&s->counters->closed, 1);
	free(s);
}

/* ---- test handlers ---------------------------------------------------- */

static enum av_err
h_echo(struct req *req, struct resp *resp)
{
	json_t *json;

	if (req_json(req, &json, &req->err) != AV_OK)
		return req->err.code;
	return resp_json(resp, 200, json_incref(json));
}

static enum av_err
h_item(struct req *req, struct resp *resp)
{
	const char *q = req_query(req, "q");

	return resp_json(resp, 200,
			 json_pack("{s:s, s:s?, s:b, s:s}", "id",
				   req_param(req, "id"), "q", q, "app",
				   req->app != NULL, "client", req->client));
}

static enum av_err
h_fail(struct req *req, struct resp *resp)
{
	(void)resp;
	return av_errorf(&req->err, AV_EDB,
			 "SELECT secret FROM customers failed: disk I/O");
}

static enum av_err
h_field(struct req *req, struct resp *resp)
{
	(void)resp;
	return av_field_errorf(&req->err, AV_EINVAL, "name",
			       "name must not be empty");
}

static enum av_err
h_stale(struct req *req, struct resp *resp)
{
	(void)resp;
	return av_errorf(&req->err, AV_ESTALE, "version 3 is not current");
}

static enum av_err
h_bare_code(struct req *req, struct resp *resp)
{
	(void)req;
	(void)resp;
	return AV_ECONFLICT; /* no message: the title stands in */
}

static enum av_err
h_raw(struct req *req, struct resp *resp)
{
	char text[64];

	(void)str_printf(text, sizeof(text), "len=%zu nul=%d", req->body_len,
			 req->body[req->body_len] == '\0');
	return resp_text(resp, 200, "text/plain; charset=utf-8", text,
			 strlen(text));
}

static enum av_err
h_state(struct req *req, struct resp *resp)
{
	const struct thread_state *s = req->app;

	if (!s || s->magic != STATE_MAGIC)
		return av_errorf(&req->err, AV_EINTERNAL, "no thread state");
	return resp_json(resp, 200,
			 json_pack("{s:i, s:s}", "serial", s->serial, "data",
				   (const char *)req->route->data));
}

static enum av_err
h_nothing(struct req *req, struct resp *resp)
{
	(void)req;
	(void)resp;
	return AV_OK;
}

static enum av_err
h_headers(struct req *req, struct resp *resp)
{
	bool crlf =
	    resp_header(resp, "X-Evil", "a\r\nSet-Cookie: x=1") == AV_EINVAL;
	bool name = resp_header(resp, "Bad Name", "x") == AV_EINVAL;
	bool reserved = resp_header(resp, "Content-Length", "1") == AV_EINVAL;
	bool ok = resp_header(resp, "X-Good", "v\t1") == AV_OK;
	bool cache = resp_header(resp, "Cache-Control", "max-age=60") == AV_OK;

	(void)req;
	return resp_json(resp, 200,
			 json_pack("{s:b, s:b, s:b, s:b, s:b}", "crlf", crlf,
				   "name", name, "reserved", reserved, "ok", ok,
				   "cache", cache));
}

static enum av_err
h_own_error(struct req *req, struct resp *resp)
{
	resp_problem(resp, 429, "slow_down", "too many requests");
	return av_errorf(&req->err, AV_EINVAL, "ignored");
}

static enum av_err
h_half_then_fail(struct req *req, struct resp *resp)
{
	(void)resp_header(resp, "ETag", "\"7\"");
	(void)resp_json(resp, 200, json_pack("{s:i}", "partial", 1));
	return av_errorf(&req->err, AV_ENOTFOUND, "customer '9' not found");
}

static const struct route test_routes[] = {
    {HTTP_POST, "/api/echo", h_echo, NULL},
    {HTTP_GET, "/api/items/{id}", h_item, NULL},
    {HTTP_GET, "/api/fail", h_fail, NULL},
    {HTTP_GET, "/api/field", h_field, NULL},
    {HTTP_GET, "/api/stale", h_stale, NULL},
    {HTTP_GET, "/api/bare", h_bare_code, NULL},
    {HTTP_POST, "/api/raw", h_raw, NULL},
    {HTTP_GET, "/api/state", h_state, "route-data"},
    {HTTP_GET, "/api/nothing", h_nothing, NULL},
    {HTTP_GET, "/api/headers", h_headers, NULL},
    {HTTP_GET, "/api/own-error", h_own_error, NULL},
    {HTTP_GET, "/api/half", h_half_then_fail, NULL},
    {HTTP_GET, "/page/{name}", h_item, NULL},
};

#define N_TEST_ROUTES (sizeof(test_routes) / sizeof(test_routes[0]))

/* ---- the HTTP client -------------------------------------------------- */

struct result {
	long status;	    /* final HTTP status, 0 if none */
	struct buf body;    /* response body */
	struct buf headers; /* all header lines received */
	long connects;	    /* new connections this transfer opened */
	CURLcode rc;	    /* transfer result */
};

struct upload {
	size_t left; /* bytes still to send */
};

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	buf_add(ctx, p, size * n);
	return size * n;
}

static size_t
on_read(char *p, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t len = size * n < u->left ? size * n : u->left;

	memset(p, 'x', len);
	u->left -= len;
	return len;
}

struct fixture {
	struct http_server *srv;	/* owned */
	struct state_counters counters; /* thread state calls */
	char base[64];			/* "http://127.0.0.1:PORT" */
	char dir[64];			/* static files, removed at end */
	char outside[96];		/* a file outside dir */
	CURL *curl;			/* a handle kept for keep-alive */
};

static void
result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, 0);
	buf_init(&r->headers, 0);
}

static void
result_release(struct result *r)
{
	buf_release(&r->body);
	buf_release(&r->headers);
}

/*
 * One request on handle 'h' (reused between calls, so connections are
 * kept alive). 'body' NULL sends none; 'chunked' sends 'chunked' bytes of
 * generated data with chunked transfer encoding.
 */
static void
request_on(CURL *h, const struct fixture *f, const char *method,
	   const char *path, const char *ctype, const char *body, size_t len,
	   struct result *r)
{
	char url[16384];
	struct curl_slist *hdrs = NULL;

	result_init(r);
	curl_easy_reset(h);
	(void)str_printf(url, sizeof(url), "%s%s", f->base, path);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
				 (curl_off_t)len);
	}
	if (ctype) {
		char ct[128];

		(void)str_printf(ct, sizeof(ct), "Content-Type: %s", ctype);
		hdrs = curl_slist_append(hdrs, ct);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	}
	r->rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->connects);
	curl_slist_free_all(hdrs);
}

/* A request on the fixture's shared handle. */
static void
request(struct fixture *f, const char *method, const char *path,
	const char *ctype, const char *body, size_t len, struct result *r)
{
	request_on(f->curl, f, method, path, ctype, body, len, r);
}

/* The value of header 'name' in the final response, or NULL. */
static const char *
header(const struct result *r, const char *name, char *out, size_t size)
{
	const char *p = r->headers.p;
	const char *found = NULL;
	size_t nlen = strlen(name);

	while (p && *p) {
		const char *eol = strstr(p, "\r\n");
		size_t llen = eol ? (size_t)(eol - p) : strlen(p);

		if (strncmp(p, "HTTP/", 5) == 0)
			found = NULL; /* a new response starts */
		else if (llen > nlen && strncasecmp(p, name, nlen) == 0 &&
			 p[nlen] == ':') {
			struct str v = str_trim(
			    (struct str){p + nlen + 1, llen - nlen - 1});

			if (v.len >= size)
				v.len = size - 1;
			memcpy(out, v.p, v.len);
			out[v.len] = '\0';
			found = out;
		}
		p = eol ? eol + 2 : NULL;
	}
	return found;
}

static void
assert_header(const struct result *r, const char *name, const char *want)
{
	char v[256];
	const char *got = header(r, name, v, sizeof(v));

	if (!got)
		fail_msg("header '%s' missing", name);
	assert_string_equal(got, want);
}

static void
assert_no_header(const struct result *r, const char *name)
{
	char v[256];

	assert_null(header(r, name, v, sizeof(v)));
}

static void
assert_security_headers(const struct result *r)
{
	assert_header(
	    r, "Content-Security-Policy",
	    "default-src 'self'; base-uri 'none'; form-action 'self'; "
	    "object-src 'none'; frame-ancestors 'none'");
	assert_header(r, "X-Content-Type-Options", "nosniff");
	assert_header(r, "Referrer-Policy", "no-referrer");
}

/* Parse the body as JSON; the caller decrefs. */
static json_t *
body_json(const struct result *r)
{
	json_error_t jerr;
	json_t *j = json_loadb(r->body.p, r->body.len, 0, &jerr);

	if (!j)
		fail_msg("body is not JSON (%s): %s", jerr.text, r->body.p);
	return j;
}

/* Check a problem+json answer: status, code and (if set) field. */
static void
assert_problem(const struct result *r, long status, const char *code,
	       const char *field)
{
	json_t *j;

	assert_int_equal(r->rc, CURLE_OK);
	assert_int_equal(r->status, status);
	assert_header(r, "Content-Type", "application/problem+json");
	assert_security_headers(r);
	j = body_json(r);
	assert_int_equal(json_integer_value(json_object_get(j, "status")),
			 status);
	assert_string_equal(json_string_value(json_object_get(j, "code")),
			    code);
	assert_non_null(json_string_value(json_object_get(j, "type")));
	assert_non_null(json_string_value(json_object_get(j, "title")));
	if (field)
		assert_string_equal(
		    json_string_value(json_object_get(j, "field")), field);
	else
		assert_null(json_object_get(j, "field"));
	json_decref(j);
}

/* Send stderr to /dev/null (expected error log lines); returns the saved
 * descriptor for unmute_stderr. */
static int
mute_stderr(void)
{
	int saved;
	int fd;

	(void)fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	dup2(fd, STDERR_FILENO);
	close(fd);
	return saved;
}

static void
unmute_stderr(int saved)
{
	(void)fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* ---- fixture ---------------------------------------------------------- */

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *fp;

	(void)str_printf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	assert_true(fputs(text, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

static void
make_static_dir(struct fixture *f)
{
	char path[256];
	char target[256];

	(void)str_printf(f->dir, sizeof(f->dir), "/tmp/avtale-http-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	write_file(f->dir, "index.html", "<!doctype html><title>a</title>");
	write_file(f->dir, "app.js", "console.log(1);");
	write_file(f->dir, "secret.txt", "not served");
	write_file(f->dir, ".hidden.html", "hidden");
	(void)str_printf(path, sizeof(path), "%s/sub", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	write_file(f->dir, "sub/style.css", "body{}");
	(void)str_printf(f->outside, sizeof(f->outside), "%s-outside.html",
			 f->dir);
	write_file("/", f->outside + 1, "outside");
	(void)str_printf(path, sizeof(path), "%s/escape.html", f->dir);
	assert_int_equal(symlink(f->outside, path), 0);
	(void)str_printf(path, sizeof(path), "%s/inside.html", f->dir);
	(void)str_printf(target, sizeof(target), "%s/index.html", f->dir);
	assert_int_equal(symlink(target, path), 0);
}

static void
remove_static_dir(struct fixture *f)
{
	static const char *const names[] = {
	    "index.html",    "app.js",	    "secret.txt",  ".hidden.html",
	    "sub/style.css", "escape.html", "inside.html", "sub",
	};
	char path[256];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		(void)str_printf(path, sizeof(path), "%s/%s", f->dir, names[i]);
		(void)remove(path);
	}
	(void)remove(f->dir);
	(void)remove(f->outside);
}

static int
group_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct http_config cfg = {0};
	struct av_error err = {0};

	make_static_dir(f);
	cfg.listen = "127.0.0.1:0";
	cfg.routes = test_routes;
	cfg.n_routes = N_TEST_ROUTES;
	cfg.static_dir = f->dir;
	cfg.access_log_off = true;
	cfg.thread_state_open = state_open;
	cfg.thread_state_close = state_close;
	cfg.thread_state_ctx = &f->counters;
	f->srv = http_server_new(&cfg, &err);
	if (!f->srv) {
		(void)fprintf(stderr, "server: %s\n", err.msg);
		return -1;
	}
	(void)str_printf(f->base, sizeof(f->base), "http://%s",
			 http_server_address(f->srv));
	f->curl = curl_easy_init();
	*state = f;
	return 0;
}

static int
group_teardown(void **state)
{
	struct fixture *f = *state;

	curl_easy_cleanup(f->curl);
	http_server_free(f->srv);
	/* Every state opened was closed exactly once. */
	assert_int_equal(atomic_load(&f->counters.opened),
			 atomic_load(&f->counters.closed));
	remove_static_dir(f);
	free(f);
	return 0;
}

/* ---- JSON and errors ---------------------------------------------------- */

static void
test_http_json_echo(void **state)
{
	struct fixture *f = *state;
	static const char in[] =
	    "{\"name\": \"Bj\xc3\xb8rn AS\", \"n\": [1, 2]}";
	struct result r;

	request(f, "POST", "/api/echo", "application/json; charset=UTF-8", in,
		strlen(in), &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Content-Type", "application/json");
	assert_string_equal(r.body.p,
			    "{\"name\":\"Bj\xc3\xb8rn AS\",\"n\":[1,2]}");
	assert_security_headers(&r);
	assert_header(&r, "Cache-Control", "no-store");
	result_release(&r);
}

static void
test_http_json_suffix_type_accepted(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "POST", "/api/echo", "application/merge-patch+json", "[]", 2,
		&r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.p, "[]");
	result_release(&r);
}

static void
test_http_404_is_problem_json(void **state)
{
	struct fixture *f = *state;
	struct result r;
	char id[64];

	request(f, "GET", "/api/nope", NULL, NULL, 0, &r);
	assert_problem(&r, 404, "not_found", NULL);
	assert_header(&r, "Cache-Control", "no-store");
	assert_non_null(header(&r, "X-Request-Id", id, sizeof(id)));
	assert_int_equal(strlen(id), 16);
	assert_non_null(strstr(r.body.p, "https://avtale.dev/problems/"));
	result_release(&r);
}

static void
test_http_405_lists_allowed_methods(void **state)
{
	struct fixture *f = *state;
	struct result r;
	json_t *j;

	request(f, "DELETE", "/api/echo", NULL, NULL, 0, &r);
	assert_problem(&r, 405, "method_not_allowed", NULL);
	assert_header(&r, "Allow", "POST, OPTIONS");
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "type")),
			    "about:blank");
	assert_string_equal(json_string_value(json_object_get(j, "title")),
			    "Method Not Allowed");
	json_decref(j);
	result_release(&r);
}

static void
test_http_options_answers_allow(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "OPTIONS", "/api/items/1", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 204);
	assert_header(&r, "Allow", "GET, HEAD, OPTIONS");
	assert_int_equal(r.body.len, 0);
	assert_security_headers(&r);
	result_release(&r);
}

static void
test_http_501_for_unknown_method(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "BREW", "/api/items/1", NULL, NULL, 0, &r);
	assert_problem(&r, 501, "not_implemented", NULL);
	result_release(&r);
}

static void
test_http_415_for_wrong_content_type(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "POST", "/api/echo", "text/plain", "{}", 2, &r);
	assert_problem(&r, 415, "unsupported", NULL);
	result_release(&r);
	request(f, "POST", "/api/echo", "application/json; charset=latin1",
		"{}", 2, &r);
	assert_problem(&r, 415, "unsupported", NULL);
	result_release(&r);
	request(f, "POST", "/api/echo", NULL, "{}", 2, &r);
	assert_problem(&r, 415, "unsupported", NULL);
	result_release(&r);
}

static void
test_http_400_for_invalid_json(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "POST", "/api/echo", "application/json", "{\"a\":", 5, &r);
	assert_problem(&r, 400, "invalid", NULL);
	assert_non_null(strstr(r.body.p, "invalid JSON at line 1"));
	result_release(&r);
	request(f, "POST", "/api/echo", "application/json", "", 0, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
}

static void
test_http_400_for_duplicate_keys(void **state)
{
	struct fixture *f = *state;
	static const char in[] = "{\"a\":1,\"a\":2}";
	struct result r;

	request(f, "POST", "/api/echo", "application/json", in, strlen(in), &r);
	assert_problem(&r, 400, "invalid", NULL);
	assert_non_null(strstr(r.body.p, "duplicate"));
	result_release(&r);
}

static void
test_http_400_for_bad_utf8_or_nul_body(void **state)
{
	struct fixture *f = *state;
	static const char bad_utf8[] = "\"\xff\"";
	static const char with_nul[] = "\"a\0b\"";
	struct result r;

	request(f, "POST", "/api/echo", "application/json", bad_utf8,
		sizeof(bad_utf8) - 1, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
	request(f, "POST", "/api/echo", "application/json", with_nul,
		sizeof(with_nul) - 1, &r);
	assert_problem(&r, 400, "invalid", NULL);
	assert_non_null(strstr(r.body.p, "NUL"));
	result_release(&r);
}

static void
test_http_500_hides_the_message(void **state)
{
	struct fixture *f = *state;
	struct result r;
	int saved = mute_stderr(); /* the 5xx log line */

	request(f, "GET", "/api/fail", NULL, NULL, 0, &r);
	unmute_stderr(saved);
	assert_problem(&r, 500, "database", NULL);
	assert_null(strstr(r.body.p, "SELECT"));
	assert_null(strstr(r.body.p, "disk"));
	result_release(&r);
}

static void
test_http_field_error_names_field(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/field", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", "name");
	assert_non_null(strstr(r.body.p, "name must not be empty"));
	result_release(&r);
}

static void
test_http_status_table_on_the_wire(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/stale", NULL, NULL, 0, &r);
	assert_problem(&r, 412, "stale_version", NULL);
	result_release(&r);
	request(f, "GET", "/api/bare", NULL, NULL, 0, &r);
	assert_problem(&r, 409, "conflict", NULL);
	assert_non_null(strstr(r.body.p, "\"detail\":\"conflict\""));
	result_release(&r);
	request(f, "GET", "/api/own-error", NULL, NULL, 0, &r);
	assert_problem(&r, 429, "slow_down", NULL);
	result_release(&r);
}

static void
test_http_failure_replaces_partial_answer(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/half", NULL, NULL, 0, &r);
	assert_problem(&r, 404, "not_found", NULL);
	assert_non_null(strstr(r.body.p, "customer '9' not found"));
	assert_null(strstr(r.body.p, "partial"));
	assert_no_header(&r, "ETag");
	result_release(&r);
}

static void
test_http_encoded_api_path_still_no_store(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/%61pi/items/3", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Cache-Control", "no-store");
	result_release(&r);
}

static void
test_http_204_when_handler_sets_nothing(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/nothing", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 204);
	assert_int_equal(r.body.len, 0);
	assert_no_header(&r, "Content-Type");
	assert_security_headers(&r);
	result_release(&r);
}

static void
test_http_resp_header_checks(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/headers", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.p, "{\"crlf\":true,\"name\":true,"
				      "\"reserved\":true,\"ok\":true,"
				      "\"cache\":true}");
	assert_no_header(&r, "Set-Cookie");
	assert_no_header(&r, "X-Evil");
	assert_header(&r, "X-Good", "v\t1");
	/* A handler's Cache-Control replaces the /api/ default. */
	assert_header(&r, "Cache-Control", "max-age=60");
	result_release(&r);
}

/* ---- paths and queries ------------------------------------------------ */

static void
test_http_captures_and_query_decoded(void **state)
{
	struct fixture *f = *state;
	struct result r;
	json_t *j;

	request(f, "GET", "/api/items/a%20b?q=Bj%C3%B8rn+x&q=second", NULL,
		NULL, 0, &r);
	assert_int_equal(r.status, 200);
	j = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(j, "id")), "a b");
	assert_string_equal(json_string_value(json_object_get(j, "q")),
			    "Bj\xc3\xb8rn x");
	assert_string_equal(json_string_value(json_object_get(j, "client")),
			    "127.0.0.1");
	assert_true(json_is_true(json_object_get(j, "app")));
	json_decref(j);
	result_release(&r);
}

static void
test_http_400_for_bad_query(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/items/1?q=%FF", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", "q");
	result_release(&r);
}

static void
test_http_400_for_bad_path(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/api/items/a%00b", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
	request(f, "GET", "/api/items/%C3", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
	request(f, "GET", "/api/items/..", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
}

static void
test_http_414_for_long_url(void **state)
{
	struct fixture *f = *state;
	char path[9100];
	struct result r;

	memcpy(path, "/api/items/", 11);
	memset(path + 11, 'a', sizeof(path) - 12);
	path[sizeof(path) - 1] = '\0';
	request(f, "GET", path, NULL, NULL, 0, &r);
	assert_problem(&r, 414, "uri_too_long", NULL);
	result_release(&r);
}

static void
test_http_head_has_headers_no_body(void **state)
{
	struct fixture *f = *state;
	struct result r;
	char len[32];

	request(f, "HEAD", "/api/items/7", NULL, NULL, 0, &r);
	assert_int_equal(r.rc, CURLE_OK);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	assert_header(&r, "Content-Type", "application/json");
	assert_non_null(header(&r, "Content-Length", len, sizeof(len)));
	assert_true(strcmp(len, "0") != 0);
	assert_security_headers(&r);
	result_release(&r);
}

/* ---- bodies ------------------------------------------------------------ */

static void
test_http_body_at_limit_accepted(void **state)
{
	struct fixture *f = *state;
	char *body = malloc(MIB);
	struct result r;

	memset(body, 'x', MIB);
	request(f, "POST", "/api/raw", "application/octet-stream", body, MIB,
		&r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.p, "len=1048576 nul=1");
	result_release(&r);
	free(body);
}

static void
test_http_413_for_declared_length(void **state)
{
	struct fixture *f = *state;
	char *body = malloc(MIB + 1);
	struct result r;

	memset(body, 'x', MIB + 1);
	request(f, "POST", "/api/raw", "application/octet-stream", body,
		MIB + 1, &r);
	assert_problem(&r, 413, "too_large", NULL);
	result_release(&r);
	free(body);
}

/* POST 'size' bytes with chunked encoding; returns what is left unsent. */
static size_t
chunked_upload(const struct fixture *f, size_t size, struct result *r)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	struct upload up = {size};
	char url[128];

	result_init(r);
	(void)str_printf(url, sizeof(url), "%s/api/raw", f->base);
	hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
	hdrs = curl_slist_append(hdrs, "Content-Type: text/plain");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
	r->rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return up.left;
}

static void
test_http_chunked_body_within_limit(void **state)
{
	struct fixture *f = *state;
	struct result r;

	assert_int_equal(chunked_upload(f, 1000, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.p, "len=1000 nul=1");
	result_release(&r);
}

static void
test_http_413_for_chunked_body(void **state)
{
	struct fixture *f = *state;
	struct result r;

	/* Over the limit: the rest is drained and a 413 follows. */
	(void)chunked_upload(f, MIB + MIB / 2, &r);
	assert_problem(&r, 413, "too_large", NULL);
	result_release(&r);
}

static void
test_http_chunked_flood_drops_connection(void **state)
{
	struct fixture *f = *state;
	struct result r;
	size_t left = chunked_upload(f, 64 * MIB, &r);

	/* Far over the limit: the server hangs up instead of reading on. */
	assert_int_not_equal(r.rc, CURLE_OK);
	assert_true(left > 32 * MIB);
	result_release(&r);
}

/* ---- connections and threads ------------------------------------------ */

static void
test_http_keep_alive_reuses_connection(void **state)
{
	struct fixture *f = *state;
	CURL *h = curl_easy_init();
	long connects = 0;
	struct result r;

	for (int i = 0; i < 6; i++) {
		switch (i % 3) {
		case 0:
			request_on(h, f, "GET", "/api/items/1", NULL, NULL, 0,
				   &r);
			assert_int_equal(r.status, 200);
			break;
		case 1:
			request_on(h, f, "POST", "/api/echo",
				   "application/json", "{}", 2, &r);
			assert_int_equal(r.status, 200);
			break;
		default:
			/* Errors keep the connection too. */
			request_on(h, f, "GET", "/api/missing", NULL, NULL, 0,
				   &r);
			assert_int_equal(r.status, 404);
			break;
		}
		connects += r.connects;
		result_release(&r);
	}
	assert_int_equal(connects, 1);
	curl_easy_cleanup(h);
}

static void
test_http_thread_state_passed_to_handlers(void **state)
{
	struct fixture *f = *state;
	struct result r;
	int opened;

	for (int i = 0; i < 8; i++) {
		json_t *j;

		request(f, "GET", "/api/state", NULL, NULL, 0, &r);
		assert_int_equal(r.status, 200);
		j = body_json(&r);
		assert_true(json_integer_value(json_object_get(j, "serial")) >=
			    1);
		assert_string_equal(
		    json_string_value(json_object_get(j, "data")),
		    "route-data");
		json_decref(j);
		result_release(&r);
	}
	opened = atomic_load(&f->counters.opened);
	assert_true(opened >= 1);
	/* At most one state per worker thread (4 or more workers). */
	assert_true(opened <= 64);
	assert_int_equal(atomic_load(&f->counters.closed), 0);
}

static void
test_http_request_ids_differ(void **state)
{
	struct fixture *f = *state;
	struct result r;
	char a[64];
	char b[64];

	request(f, "GET", "/api/items/1", NULL, NULL, 0, &r);
	assert_non_null(header(&r, "X-Request-Id", a, sizeof(a)));
	result_release(&r);
	request(f, "GET", "/api/items/1", NULL, NULL, 0, &r);
	assert_non_null(header(&r, "X-Request-Id", b, sizeof(b)));
	result_release(&r);
	assert_string_not_equal(a, b);
}

/*
 * 256 clients at once, each on its own keep-alive connection, three rounds:
 * every request succeeds and later rounds reuse the first round's
 * connections.
 */
static void
test_http_256_concurrent_keep_alive_clients(void **state)
{
	enum { CLIENTS = 256, ROUNDS = 3 };
	struct fixture *f = *state;
	CURLM *multi = curl_multi_init();
	CURL **h = calloc(CLIENTS, sizeof(*h));
	struct buf *bodies = calloc(CLIENTS, sizeof(*bodies));
	char url[128];
	long connects = 0;
	int ok = 0;

	(void)str_printf(url, sizeof(url), "%s/api/items/42", f->base);
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)CLIENTS + 16);
	for (int i = 0; i < CLIENTS; i++) {
		buf_init(&bodies[i], 0);
		h[i] = curl_easy_init();
		curl_easy_setopt(h[i], CURLOPT_URL, url);
		curl_easy_setopt(h[i], CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(h[i], CURLOPT_WRITEDATA, &bodies[i]);
		curl_easy_setopt(h[i], CURLOPT_TIMEOUT, 30L);
	}
	for (int round = 0; round < ROUNDS; round++) {
		int running = 0;
		CURLMsg *msg;
		int left;

		for (int i = 0; i < CLIENTS; i++)
			curl_multi_add_handle(multi, h[i]);
		do {
			curl_multi_perform(multi, &running);
			if (running)
				curl_multi_poll(multi, NULL, 0, 1000, NULL);
		} while (running);
		while ((msg = curl_multi_info_read(multi, &left))) {
			long status = 0;
			long n = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle,
					  CURLINFO_RESPONSE_CODE, &status);
			curl_easy_getinfo(msg->easy_handle,
					  CURLINFO_NUM_CONNECTS, &n);
			connects += n;
			if (msg->data.result == CURLE_OK && status == 200)
				ok++;
		}
		for (int i = 0; i < CLIENTS; i++)
			curl_multi_remove_handle(multi, h[i]);
	}
	assert_int_equal(ok, CLIENTS * ROUNDS);
	/* Round one opens the connections; later rounds reuse them. */
	assert_true(connects <= CLIENTS + CLIENTS / 8);
	for (int i = 0; i < CLIENTS; i++) {
		curl_easy_cleanup(h[i]);
		buf_release(&bodies[i]);
	}
	curl_multi_cleanup(multi);
	free(h);
	free(bodies);
}

/* ---- static files ------------------------------------------------------ */

static void
test_http_static_index_and_types(void **state)
{
	struct fixture *f = *state;
	struct result r;

	request(f, "GET", "/", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Content-Type", "text/html; charset=utf-8");
	assert_string_equal(r.body.p, "<!doctype html><title>a</title>");
	assert_security_headers(&r);
	assert_header(&r, "Cache-Control", "no-cache");
	result_release(&r);
	request(f, "GET", "/app.js", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Content-Type", "text/javascript; charset=utf-8");
	result_release(&r);
	request(f, "GET", "/sub/style.css", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_header(&r, "Content-Type", "text/css; charset=utf-8");
	result_release(&r);
	request(f, "HEAD", "/index.html", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	result_release(&r);
	/* A symlink that stays inside the directory is fine. */
	request(f, "GET", "/inside.html", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	result_release(&r);
}

static void
test_http_static_refuses_unsafe_paths(void **state)
{
	static const char *const not_found[] = {
	    "/secret.txt",	/* extension not in the table */
	    "/.hidden.html",	/* hidden */
	    "/escape.html",	/* symlink out of the directory */
	    "/missing.html",	/* absent */
	    "/sub",		/* a directory */
	    "/sub/",		/* no index for subdirectories */
	    "/%2e%2fsecret.js", /* decodes to a hidden segment */
	    "/api/v1/nothing",	/* /api/ never falls back to files */
	};
	struct fixture *f = *state;
	struct result r;

	for (size_t i = 0; i < sizeof(not_found) / sizeof(not_found[0]); i++) {
		request(f, "GET", not_found[i], NULL, NULL, 0, &r);
		assert_problem(&r, 404, "not_found", NULL);
		result_release(&r);
	}
	request(f, "GET", "/../../etc/passwd", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
	request(f, "GET", "/sub/%2e%2e/index.html", NULL, NULL, 0, &r);
	assert_problem(&r, 400, "invalid", NULL);
	result_release(&r);
	request(f, "POST", "/index.html", "application/json", "{}", 2, &r);
	assert_problem(&r, 404, "not_found", NULL);
	result_release(&r);
}

/* ---- lifecycle --------------------------------------------------------- */

static void
test_http_server_new_rejects_bad_config(void **state)
{
	struct fixture *f = *state;
	struct route bad_route = {HTTP_GET, "no-slash", h_item, NULL};
	struct http_config cfg = {0};
	struct av_error err;

	cfg.routes = test_routes;
	cfg.n_routes = N_TEST_ROUTES;
	cfg.listen = "127.0.0.1";
	assert_null(http_server_new(&cfg, &err));
	assert_int_equal(err.code, AV_EINVAL);
	cfg.listen = "127.0.0.1:99999";
	assert_null(http_server_new(&cfg, &err));
	assert_int_equal(err.code, AV_EINVAL);
	cfg.listen = "127.0.0.1:0";
	cfg.static_dir = "/nonexistent/avtale";
	assert_null(http_server_new(&cfg, &err));
	assert_int_equal(err.code, AV_EINVAL);
	cfg.static_dir = NULL;
	cfg.routes = &bad_route;
	cfg.n_routes = 1;
	assert_null(http_server_new(&cfg, &err));
	assert_int_equal(err.code, AV_EINVAL);
	/* The port is taken by the fixture's server. */
	cfg.routes = test_routes;
	cfg.n_routes = N_TEST_ROUTES;
	cfg.listen = http_server_address(f->srv);
	assert_null(http_server_new(&cfg, &err));
	assert_int_equal(err.code, AV_EIO);
	assert_non_null(strstr(err.msg, cfg.listen));
}

static void
test_http_states_closed_at_free(void **state)
{
	struct state_counters counters = {0};
	struct http_config cfg = {0};
	struct fixture local = {0};
	struct av_error err;
	struct result r;

	(void)state;
	cfg.listen = "127.0.0.1:0";
	cfg.routes = test_routes;
	cfg.n_routes = N_TEST_ROUTES;
	cfg.threads = 4;
	cfg.access_log_off = true;
	cfg.thread_state_open = state_open;
	cfg.thread_state_close = state_close;
	cfg.thread_state_ctx = &counters;
	local.srv = http_server_new(&cfg, &err);
	assert_non_null(local.srv);
	(void)str_printf(local.base, sizeof(local.base), "http://%s",
			 http_server_address(local.srv));
	for (int i = 0; i < 12; i++) {
		CURL *h = curl_easy_init(); /* new connections: spread out */

		request_on(h, &local, "GET", "/api/state", NULL, NULL, 0, &r);
		assert_int_equal(r.status, 200);
		result_release(&r);
		curl_easy_cleanup(h);
	}
	assert_true(atomic_load(&counters.opened) >= 1);
	assert_true(atomic_load(&counters.opened) <= 4);
	http_server_free(local.srv);
	assert_int_equal(atomic_load(&counters.closed),
			 atomic_load(&counters.opened));
}

static void
test_http_ipv6_loopback(void **state)
{
	struct http_config cfg = {0};
	struct fixture local = {0};
	struct av_error err;
	struct result r;
	CURL *h;

	(void)state;
	cfg.listen = "[::1]:0";
	cfg.routes = test_routes;
	cfg.n_routes = N_TEST_ROUTES;
	cfg.access_log_off = true;
	local.srv = http_server_new(&cfg, &err);
	if (!local.srv)
		skip(); /* no IPv6 on this machine */
	assert_non_null(strstr(http_server_address(local.srv), "[::1]:"));
	(void)str_printf(local.base, sizeof(local.base), "http://%s",
			 http_server_address(local.srv));
	h = curl_easy_init();
	request_on(h, &local, "GET", "/api/items/6", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.p, "\"client\":\"::1\""));
	result_release(&r);
	curl_easy_cleanup(h);
	http_server_free(local.srv);
}

static void
test_http_access_log_omits_query(void **state)
{
	struct http_config cfg = {0};
	struct fixture local = {0};
	struct av_error err;
	struct result r;
	char log[4096];
	FILE *tmp = tmpfile();
	int saved = dup(STDERR_FILENO);
	size_t n;
	CURL *h;

	(void)state;
	assert_non_null(tmp);
	cfg.listen = "127.0.0.1:0";
	cfg.routes = test_routes;
	cfg.n_routes = N_TEST_ROUTES;
	local.srv = http_server_new(&cfg, &err);
	assert_non_null(local.srv);
	(void)str_printf(local.base, sizeof(local.base), "http://%s",
			 http_server_address(local.srv));
	(void)fflush(stderr);
	dup2(fileno(tmp), STDERR_FILENO);
	h = curl_easy_init();
	request_on(h, &local, "GET", "/api/items/5?q=%2B4722334455", NULL, NULL,
		   0, &r);
	curl_easy_cleanup(h);
	http_server_free(local.srv); /* the log line is written by now */
	(void)fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(r.status, 200);
	result_release(&r);
	rewind(tmp);
	n = fread(log, 1, sizeof(log) - 1, tmp);
	log[n] = '\0';
	(void)fclose(tmp);
	assert_non_null(strstr(log, " info "));
	/* the route pattern, never the segment the client typed */
	assert_non_null(strstr(log, "GET /api/items/{id} 200 "));
	assert_non_null(strstr(log, "us"));
	assert_null(strstr(log, "4722334455"));
	assert_null(strstr(log, "q="));
}

/* Connect to the fixture's server, send 'text', read the answer for up
 * to 'wait_ms' into out (NUL-terminated) and close. */
static void
raw_exchange(const struct fixture *f, const char *text, size_t len, int wait_ms,
	     char *out, size_t size)
{
	struct sockaddr_in sa = {0};
	struct pollfd pfd;
	size_t got = 0;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(http_server_port(f->srv));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	while (len > 0) {
		ssize_t n = send(fd, text, len, MSG_NOSIGNAL);

		if (n <= 0)
			break; /* the server may hang up first */
		text += n;
		len -= (size_t)n;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got + 1 < size && poll(&pfd, 1, wait_ms) == 1) {
		ssize_t n = recv(fd, out + got, size - 1 - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	out[got] = '\0';
	close(fd);
}

/* Requests that end early must still free their context (ASan checks). */
static void
test_http_aborted_requests_are_cleaned_up(void **state)
{
	static const char partial_headers[] =
	    "GET /api/items/1?q=x HTTP/1.1\r\nHost: a\r\n";
	static const char partial_body[] =
	    "POST /api/raw HTTP/1.1\r\nHost: a\r\nContent-Type: "
	    "text/plain\r\nContent-Length: 100\r\n\r\nabc";
	struct fixture *f = *state;
	size_t big = (size_t)100 * 1024;
	char *huge = malloc(big + 256);
	char reply[4096];
	struct result r;
	size_t o;

	raw_exchange(f, partial_headers, strlen(partial_headers), 50, reply,
		     sizeof(reply));
	assert_string_equal(reply, "");
	raw_exchange(f, partial_body, strlen(partial_body), 50, reply,
		     sizeof(reply));
	assert_string_equal(reply, "");
	/* Headers over the connection memory limit: libmicrohttpd answers
	 * by itself and the handler never runs. */
	o = (size_t)snprintf(huge, 256,
			     "GET /api/items/1 HTTP/1.1\r\n"
			     "Host: a\r\nX-Big: ");
	memset(huge + o, 'b', big);
	o += big;
	memcpy(huge + o, "\r\n\r\n", 4);
	raw_exchange(f, huge, o + 4, 2000, reply, sizeof(reply));
	assert_int_equal(strncmp(reply, "HTTP/1.1 4", 10), 0);
	free(huge);
	/* The server is still fine. */
	request(f, "GET", "/api/items/1", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	result_release(&r);
}

static void *
send_sigterm(void *arg)
{
	pthread_t *target = arg;

	usleep(50 * 1000);
	pthread_kill(*target, SIGTERM);
	return NULL;
}

static void
test_http_run_until_signal_returns_signal(void **state)
{
	struct fixture *f = *state;
	pthread_t self = pthread_self();
	pthread_t killer;
	sigset_t set;
	sigset_t old;

	/* Block first so an early signal stays pending instead of killing
	 * the test process. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	assert_int_equal(pthread_create(&killer, NULL, send_sigterm, &self), 0);
	assert_int_equal(http_server_run_until_signal(f->srv), SIGTERM);
	pthread_join(killer, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---- resp.c directly --------------------------------------------------- */

static void
test_resp_status_table(void **state)
{
	(void)state;
	assert_int_equal(http_status_for(AV_EINVAL), 400);
	assert_int_equal(http_status_for(AV_ENOTFOUND), 404);
	assert_int_equal(http_status_for(AV_ECONFLICT), 409);
	assert_int_equal(http_status_for(AV_ETOOBIG), 413);
	assert_int_equal(http_status_for(AV_EDB), 500);
	assert_int_equal(http_status_for(AV_EIO), 500);
	assert_int_equal(http_status_for(AV_EUNSUPPORTED), 415);
	assert_int_equal(http_status_for(AV_EINTERNAL), 500);
	assert_int_equal(http_status_for(AV_ESTALE), 412);
	assert_int_equal(http_status_for(AV_EUNAUTH), 401);
	assert_int_equal(http_status_for(AV_EFORBIDDEN), 403);
	assert_int_equal(http_status_for(AV_OK), 500);
	assert_int_equal(http_status_for(AV_ERR__MAX), 500);
	assert_string_equal(http_reason(404), "Not Found");
	assert_string_equal(http_reason(599), "Unknown");
}

static void
test_resp_json_null_and_truncated_utf8(void **state)
{
	struct arena arena;
	struct resp resp;
	struct av_error err;
	int saved;

	(void)state;
	arena_init(&arena, 0);
	resp_init(&resp, &arena, "test");
	saved = mute_stderr();
	assert_int_equal(resp_json(&resp, 200, NULL), AV_EINTERNAL);
	unmute_stderr(saved);
	assert_int_equal(resp.status, 0);
	/* A message cut inside a UTF-8 sequence still makes valid JSON. */
	av_field_errorf(&err, AV_EINVAL, "f\xc3", "bad \xc3");
	resp_error(&resp, &err);
	assert_int_equal(resp.status, 400);
	assert_string_equal(resp.content_type, "application/problem+json");
	assert_non_null(strstr(resp.body.p, "\"detail\":\"bad \""));
	assert_non_null(strstr(resp.body.p, "\"field\":\"f\""));
	resp_release(&resp);
	arena_release(&arena);
}

#define G(fn) cmocka_unit_test(fn)

int
main(void)
{
	const struct CMUnitTest server_tests[] = {
	    G(test_http_json_echo),
	    G(test_http_json_suffix_type_accepted),
	    G(test_http_404_is_problem_json),
	    G(test_http_405_lists_allowed_methods),
	    G(test_http_options_answers_allow),
	    G(test_http_501_for_unknown_method),
	    G(test_http_415_for_wrong_content_type),
	    G(test_http_400_for_invalid_json),
	    G(test_http_400_for_duplicate_keys),
	    G(test_http_400_for_bad_utf8_or_nul_body),
	    G(test_http_500_hides_the_message),
	    G(test_http_field_error_names_field),
	    G(test_http_status_table_on_the_wire),
	    G(test_http_failure_replaces_partial_answer),
	    G(test_http_encoded_api_path_still_no_store),
	    G(test_http_204_when_handler_sets_nothing),
	    G(test_http_resp_header_checks),
	    G(test_http_captures_and_query_decoded),
	    G(test_http_400_for_bad_query),
	    G(test_http_400_for_bad_path),
	    G(test_http_414_for_long_url),
	    G(test_http_head_has_headers_no_body),
	    G(test_http_body_at_limit_accepted),
	    G(test_http_413_for_declared_length),
	    G(test_http_chunked_body_within_limit),
	    G(test_http_413_for_chunked_body),
	    G(test_http_chunked_flood_drops_connection),
	    G(test_http_keep_alive_reuses_connection),
	    G(test_http_thread_state_passed_to_handlers),
	    G(test_http_request_ids_differ),
	    G(test_http_256_concurrent_keep_alive_clients),
	    G(test_http_static_index_and_types),
	    G(test_http_static_refuses_unsafe_paths),
	    G(test_http_server_new_rejects_bad_config),
	    G(test_http_states_closed_at_free),
	    G(test_http_ipv6_loopback),
	    G(test_http_access_log_omits_query),
	    G(test_http_aborted_requests_are_cleaned_up),
	    G(test_http_run_until_signal_returns_signal),
	};
	const struct CMUnitTest resp_tests[] = {
	    G(test_resp_status_table),
	    G(test_resp_json_null_and_truncated_utf8),
	};
	int failed;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	failed = cmocka_run_group_tests_name("http_server", server_tests,
					     group_setup, group_teardown);
	failed +=
	    cmocka_run_group_tests_name("http_resp", resp_tests, NULL, NULL);
	curl_global_cleanup();
	return failed;
}
