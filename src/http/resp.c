/* SPDX-License-Identifier: MIT */
/*
 * Building responses: JSON and text bodies, checked headers, and the one
 * error family (resp_error, resp_problem) with the AV_* -> HTTP status table.
 * It never logs request data; only 5xx messages go to the log.
 */
#include <stdbool.h>
#include <string.h>

#include "core/log.h"
#include "core/str.h"
#include "http/resp.h"

#include "core/banned.h"

#define PROBLEM_BASE "https://avtale.dev/problems/"

/* The one AV_* -> HTTP status table (STYLE.md, "Error handling"). */
static const int err_status[AV_ERR__MAX] = {
    [AV_OK] = 500, /* a handler failed without saying why */
    [AV_EINVAL] = 400,
    [AV_ENOTFOUND] = 404,
    [AV_ECONFLICT] = 409,
    [AV_ETOOBIG] = 413,
    [AV_EDB] = 500,
    [AV_EIO] = 500,
    /* 415, not 501: over HTTP the only way to ask for something we do
     * not support is to send a media type or format we do not take. */
    [AV_EUNSUPPORTED] = 415,
    [AV_EINTERNAL] = 500,
    [AV_ESTALE] = 412,
    [AV_EUNAUTH] = 401,
    [AV_EFORBIDDEN] = 403,
    [AV_ELIMIT] = 429,
};

_Static_assert(sizeof(err_status) / sizeof(err_status[0]) == AV_ERR__MAX,
	       "one HTTP status per error code");

struct reason {
	int status;
	const char *text;
};

static const struct reason reasons[] = {
    {200, "OK"},
    {201, "Created"},
    {204, "No Content"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {409, "Conflict"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {503, "Service Unavailable"},
};

int
http_status_for(enum av_err code)
{
	if ((unsigned)code >= AV_ERR__MAX)
		return 500;
	return err_status[code];
}

const char *
http_reason(int status)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (reasons[i].status == status)
			return reasons[i].text;
	return "Unknown";
}

void
resp_init(struct resp *resp, struct arena *arena, const char *req_id)
{
	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->body, RESP_BODY_MAX);
	resp->arena = arena;
	resp->req_id = req_id;
}

void
resp_release(struct resp *resp)
{
	buf_release(&resp->body);
}

static int
dump_to_buf(const char *data, size_t len, void *ctx)
{
	struct buf *b = ctx;

	buf_add(b, data, len);
	return buf_failed(b) ? -1 : 0;
}

/* Serialise 'value' (reference stolen) into the body as 'content_type'. */
static enum av_err
set_json(struct resp *resp, int status, const char *content_type, json_t *value)
{
	int rc;

	buf_reset(&resp->body);
	resp->status = 0;
	if (!value)
		return AV_EINTERNAL;
	rc = json_dump_callback(value, dump_to_buf, &resp->body,
				JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(value);
	if (rc != 0 || buf_failed(&resp->body)) {
		buf_reset(&resp->body);
		return AV_EINTERNAL;
	}
	resp->status = status;
	resp->content_type = content_type;
	return AV_OK;
}

enum av_err
resp_json(struct resp *resp, int status, json_t *value)
{
	enum av_err rc = set_json(resp, status, "application/json", value);

	if (rc != AV_OK)
		log_at(LOG_ERR, resp->req_id,
		       "response JSON could not be serialised");
	return rc;
}

enum av_err
resp_text(struct resp *resp, int status, const char *content_type,
	  const char *text, size_t len)
{
	buf_reset(&resp->body);
	resp->status = 0;
	buf_add(&resp->body, text, len);
	if (buf_failed(&resp->body)) {
		buf_reset(&resp->body);
		log_at(LOG_ERR, resp->req_id, "response body over %u bytes",
		       RESP_BODY_MAX);
		return AV_EINTERNAL;
	}
	resp->status = status;
	resp->content_type = content_type;
	return AV_OK;
}

/* RFC 9110 token characters. */
static bool
is_token(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || strchr(extra, c)))
			return false;
	}
	return true;
}

static bool
is_field_value(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

enum av_err
resp_header(struct resp *resp, const char *name, const char *value)
{
	static const char *const reserved[] = {
	    "Content-Length", "Transfer-Encoding", "Connection"};

	if (!is_token(name) || !value || !is_field_value(value))
		return AV_EINVAL;
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (str_ieq(name, reserved[i]))
			return AV_EINVAL;
	if (str_ieq(name, "Content-Type")) {
		resp->content_type = arena_strdup(resp->arena, value);
		return AV_OK;
	}
	if (resp->n_headers >= RESP_MAX_HEADERS)
		return AV_ETOOBIG;
	resp->headers[resp->n_headers].name = arena_strdup(resp->arena, name);
	resp->headers[resp->n_headers].value = arena_strdup(resp->arena, value);
	resp->n_headers++;
	return AV_OK;
}

/*
 * A JSON string for s[0..len): messages are cut at a byte count by
 * vsnprintf, which may split a UTF-8 sequence, so drop a broken tail.
 */
static json_t *
json_text(const char *s)
{
	size_t len = strlen(s);

	for (int k = 0; k < 4 && len > 0; k++) {
		if (str_valid_utf8(s, len))
			return json_stringn(s, len);
		len--;
	}
	return json_string("");
}

/* The problem object; every member is a fresh reference. */
static void
set_problem(struct resp *resp, int status, const char *type, const char *title,
	    const char *code, const char *detail, const char *field)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "title", json_string(title));
	json_object_set_new(o, "status", json_integer(status));
	if (detail && *detail)
		json_object_set_new(o, "detail", json_text(detail));
	if (field && *field)
		json_object_set_new(o, "field", json_text(field));
	json_object_set_new(o, "code", json_string(code));
	/* Small and built from checked text: it cannot fail. */
	(void)set_json(resp, status, "application/problem+json", o);
}

void
resp_error(struct resp *resp, const struct av_error *err)
{
	enum av_err code = err ? err->code : AV_EINTERNAL;
	char type[96];
	int status;
	const char *detail;

	if (code == AV_OK || (unsigned)code >= AV_ERR__MAX)
		code = AV_EINTERNAL;
	status = http_status_for(code);
	detail = err && err->msg[0] ? err->msg : av_strerror(code);
	if (status >= 500) {
		log_at(LOG_ERR, resp->req_id, "%d %s: %s", status,
		       av_errname(code), err ? err->msg : "(no detail)");
		detail = "the server could not complete the request; the "
			 "request id is in the X-Request-Id header";
	}
	(void)str_printf(type, sizeof(type), PROBLEM_BASE "%s",
			 av_errname(code));
	set_problem(resp, status, type, av_strerror(code), av_errname(code),
		    detail, err && status < 500 ? err->field : NULL);
}

void
resp_problem(struct resp *resp, int status, const char *code,
	     const char *detail)
{
	set_problem(resp, status, "about:blank", http_reason(status), code,
		    detail, NULL);
}
