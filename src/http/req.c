/* SPDX-License-Identifier: MIT */
/*
 * The request object: lookups, percent-decoding, query parsing and the one
 * checked way to read a JSON body. Knows nothing about sockets or
 * libmicrohttpd; the server fills a struct req and handlers read it.
 */
#include <string.h>

#include "core/str.h"
#include "http/req.h"

#include "core/banned.h"

static const char *const method_names[HTTP_METHOD__MAX] = {
    [HTTP_GET] = "GET",		[HTTP_HEAD] = "HEAD",
    [HTTP_POST] = "POST",	[HTTP_PUT] = "PUT",
    [HTTP_PATCH] = "PATCH",	[HTTP_DELETE] = "DELETE",
    [HTTP_OPTIONS] = "OPTIONS",
};

_Static_assert(sizeof(method_names) / sizeof(method_names[0]) ==
		   HTTP_METHOD__MAX,
	       "one name per method");

const char *
http_method_name(enum http_method method)
{
	if ((unsigned)method >= HTTP_METHOD__MAX)
		return "?";
	return method_names[method];
}

bool
http_method_parse(const char *s, enum http_method *out)
{
	for (int i = 0; i < HTTP_METHOD__MAX; i++) {
		if (strcmp(s, method_names[i]) == 0) {
			*out = (enum http_method)i;
			return true;
		}
	}
	return false;
}

void
req_init(struct req *req, struct arena *arena)
{
	memset(req, 0, sizeof(*req));
	req->method = HTTP_GET;
	req->path = "/";
	req->query = "";
	req->body = "";
	req->arena = arena;
	req->id = "-";
	req->client = "";
	av_error_clear(&req->err);
}

void
req_release(struct req *req)
{
	json_decref(req->json);
	req->json = NULL;
}

static void
kvs_add(struct arena *arena, struct req_kvs *kvs, const char *name,
	const char *value)
{
	if (kvs->n == kvs->cap) {
		size_t cap = kvs->cap ? kvs->cap * 2 : 8;
		struct req_kv *v = arena_alloc(arena, cap * sizeof(*v));

		if (kvs->n)
			memcpy(v, kvs->v, kvs->n * sizeof(*v));
		kvs->v = v;
		kvs->cap = cap;
	}
	kvs->v[kvs->n].name = name;
	kvs->v[kvs->n].value = value;
	kvs->n++;
}

void
req_add_header(struct req *req, const char *name, const char *value)
{
	kvs_add(req->arena, &req->headers, arena_strdup(req->arena, name),
		arena_strdup(req->arena, value));
}

void
req_add_param(struct req *req, const char *name, const char *value)
{
	kvs_add(req->arena, &req->params, arena_strdup(req->arena, name),
		arena_strdup(req->arena, value));
}

const char *
req_param(const struct req *req, const char *name)
{
	for (size_t i = 0; i < req->params.n; i++)
		if (strcmp(req->params.v[i].name, name) == 0)
			return req->params.v[i].value;
	return NULL;
}

const char *
req_query(const struct req *req, const char *name)
{
	for (size_t i = 0; i < req->queries.n; i++)
		if (strcmp(req->queries.v[i].name, name) == 0)
			return req->queries.v[i].value;
	return NULL;
}

const char *
req_header(const struct req *req, const char *name)
{
	for (size_t i = 0; i < req->headers.n; i++)
		if (str_ieq(req->headers.v[i].name, name))
			return req->headers.v[i].value;
	return NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
req_unescape(struct arena *arena, const char *s, size_t len, bool plus_is_space)
{
	char *out = arena_alloc(arena, len + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi;
			int lo;

			if (len - i < 3)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		out[o++] = c;
	}
	out[o] = '\0';
	/* str_valid_utf8 also rejects NUL, so %00 ends here. */
	if (!str_valid_utf8(out, o))
		return NULL;
	return out;
}

enum av_err
req_parse_query(struct req *req, const char *raw, size_t len,
		struct av_error *err)
{
	const char *p = raw;
	const char *end = raw + len;

	req->query = arena_strndup(req->arena, raw, len);
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pend = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pend - p));
		const char *nend = eq ? eq : pend;
		char *name;
		char *value;

		if (pend == p) { /* "a=1&&b=2": skip the empty pair */
			p = pend + 1;
			continue;
		}
		name = req_unescape(req->arena, p, (size_t)(nend - p), true);
		if (!name)
			return av_errorf(err, AV_EINVAL,
					 "query parameter name is not valid "
					 "percent-encoded UTF-8");
		value = eq ? req_unescape(req->arena, eq + 1,
					  (size_t)(pend - eq - 1), true)
			   : arena_strdup(req->arena, "");
		if (!value)
			return av_field_errorf(err, AV_EINVAL, name,
					       "query parameter '%s' is not "
					       "valid percent-encoded UTF-8",
					       name);
		kvs_add(req->arena, &req->queries, name, value);
		p = pend + 1;
	}
	return AV_OK;
}

/* Case-insensitive prefix and suffix tests on a slice. */
static bool
starts_with(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.len >= n && str_eq_nocase((struct str){s.p, n}, prefix);
}

static bool
ends_with(struct str s, const char *suffix)
{
	size_t n = strlen(suffix);

	return s.len >= n &&
	       str_eq_nocase((struct str){s.p + s.len - n, n}, suffix);
}

/* The slice from p up to the next ';' (or the end), trimmed. */
static struct str
next_part(const char *p, const char **end)
{
	const char *semi = strchr(p, ';');
	size_t len = semi ? (size_t)(semi - p) : strlen(p);

	*end = semi;
	return str_trim((struct str){p, len});
}

/*
 * True if the Content-Type names JSON: application/json or
 * application/<x>+json (RFC 6839), whose charset parameter, if any, is
 * utf-8.
 */
static bool
content_type_is_json(const char *ct)
{
	const char *end;
	struct str type;

	if (!ct)
		return false;
	type = next_part(ct, &end);
	if (!str_eq_nocase(type, "application/json") &&
	    !(starts_with(type, "application/") && ends_with(type, "+json") &&
	      type.len > strlen("application/+json")))
		return false;
	while (end) {
		struct str param = next_part(end + 1, &end);

		if (!starts_with(param, "charset="))
			continue;
		param.p += strlen("charset=");
		param.len -= strlen("charset=");
		if (param.len >= 2 && param.p[0] == '"' &&
		    param.p[param.len - 1] == '"') {
			param.p++;
			param.len -= 2;
		}
		if (!str_eq_nocase(param, "utf-8"))
			return false;
	}
	return true;
}

/* No request needs more than this: deeper or bigger is refused before
 * any handler looks at it. */
static enum av_err
json_within_limits(json_t *v, int depth, struct av_error *err)
{
	const char *key;
	json_t *item;
	size_t i;

	if (depth > REQ_JSON_MAX_DEPTH)
		return av_errorf(err, AV_EINVAL,
				 "JSON nested deeper than %d levels",
				 REQ_JSON_MAX_DEPTH);
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v) > REQ_JSON_MAX_STRING)
			return av_errorf(err, AV_ETOOBIG,
					 "a JSON string is longer than %d "
					 "bytes",
					 REQ_JSON_MAX_STRING);
		return AV_OK;
	case JSON_ARRAY:
		if (json_array_size(v) > REQ_JSON_MAX_ITEMS)
			return av_errorf(err, AV_ETOOBIG,
					 "a JSON list has more than %d items",
					 REQ_JSON_MAX_ITEMS);
		json_array_foreach(v, i, item)
		{
			if (json_within_limits(item, depth + 1, err))
				return err->code;
		}
		return AV_OK;
	case JSON_OBJECT:
		if (json_object_size(v) > REQ_JSON_MAX_ITEMS)
			return av_errorf(err, AV_ETOOBIG,
					 "a JSON object has more than %d "
					 "members",
					 REQ_JSON_MAX_ITEMS);
		json_object_foreach(v, key, item)
		{
			if (strlen(key) > REQ_JSON_MAX_KEY)
				return av_errorf(err, AV_EINVAL,
						 "a JSON member name is longer "
						 "than %d bytes",
						 REQ_JSON_MAX_KEY);
			if (json_within_limits(item, depth + 1, err))
				return err->code;
		}
		return AV_OK;
	default:
		return AV_OK;
	}
}

enum av_err
req_json(struct req *req, json_t **out, struct av_error *err)
{
	json_error_t jerr;

	*out = NULL;
	if (req->json) {
		*out = req->json;
		return AV_OK;
	}
	if (!content_type_is_json(req_header(req, "Content-Type")))
		return av_errorf(err, AV_EUNSUPPORTED,
				 "request body must be application/json "
				 "(utf-8)");
	if (req->body_len == 0)
		return av_errorf(err, AV_EINVAL, "request body is empty");
	if (!str_valid_utf8(req->body, req->body_len))
		return av_errorf(err, AV_EINVAL,
				 "request body is not valid UTF-8 or holds a "
				 "NUL byte");
	req->json =
	    json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!req->json)
		return av_errorf(err, AV_EINVAL,
				 "invalid JSON at line %d column %d: %s",
				 jerr.line, jerr.column, jerr.text);
	if (json_within_limits(req->json, 1, err)) {
		json_decref(req->json);
		req->json = NULL;
		return err->code;
	}
	*out = req->json;
	return AV_OK;
}
