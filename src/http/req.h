/* SPDX-License-Identifier: MIT */
/*
 * The request a handler sees: method, path, route captures, query
 * parameters, headers, body, a per-request arena and the application's
 * per-thread state. It never exposes libmicrohttpd types, so handlers can be
 * tested with a request built by hand (req_init + req_add_*).
 *
 * Ownership: every string reachable from a struct req lives in its arena (or,
 * for the body, in memory owned by the server) and stays valid until the
 * request completes. Handlers never free anything they get from here.
 * Thread safety: a request belongs to one thread at a time.
 */
#ifndef AV_HTTP_REQ_H
#define AV_HTTP_REQ_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_PATCH,
	HTTP_DELETE,
	HTTP_OPTIONS,
	HTTP_METHOD__MAX
};

/* A name and a value, both NUL-terminated. */
struct req_kv {
	const char *name;  /* borrowed: arena string */
	const char *value; /* borrowed: arena string */
};

/* A growable array of pairs whose storage lives in the request arena. */
struct req_kvs {
	struct req_kv *v; /* arena: the pairs, in arrival order */
	size_t n;	  /* pairs used */
	size_t cap;	  /* pairs allocated */
};

/* Limits on a JSON request body beyond its size (see req_json). */
#define REQ_JSON_MAX_DEPTH  16	  /* nesting levels */
#define REQ_JSON_MAX_ITEMS  1000  /* members of one object or list */
#define REQ_JSON_MAX_STRING 65536 /* bytes of one string */
#define REQ_JSON_MAX_KEY    64	  /* bytes of one member name */

struct route; /* http/router.h */

struct req {
	enum http_method method;   /* HTTP_HEAD for HEAD, even on GET routes */
	const char *path;	   /* arena: raw path, still percent-encoded */
	const char *query;	   /* arena: raw query after '?', "" if none */
	const struct route *route; /* borrowed: matched route (->data for the
				      handler), NULL if none */
	struct req_kvs params;	   /* {name} captures, percent-decoded */
	struct req_kvs queries;	   /* query parameters, decoded, in order */
	struct req_kvs headers;	   /* request headers, in order */
	const char *body;	   /* borrowed: raw body, NUL-terminated */
	size_t body_len;	   /* bytes in body, not counting the NUL */
	json_t *json;		   /* owned: parsed body, see req_json */
	struct arena *arena;	   /* borrowed: per-request arena */
	const char *id;		   /* arena: request id, also X-Request-Id */
	const char *client;	   /* arena: client IP address, numeric */
	void *app;		   /* borrowed: per-thread application state */
	const void *caller;	   /* borrowed: who is calling, as the
				      application's authorize callback
				      found it (arena); NULL before */
	struct av_error err;	   /* a failing handler fills this */
};

/*
 * Initialise 'req' for a request whose memory lives in 'arena' (borrowed,
 * must outlive the request). Method GET, path "/", everything else empty.
 * Used by the server and by tests that build a fake request.
 */
void req_init(struct req *req, struct arena *arena);

/* Drop what 'req' owns (the parsed JSON body). The arena is not touched. */
void req_release(struct req *req);

/*
 * The value of the route capture 'name' ("id" for a "{id}" segment),
 * percent-decoded, valid UTF-8 without NUL; NULL if the route has no such
 * capture. The string lives in the request arena.
 */
const char *req_param(const struct req *req, const char *name);

/*
 * The first query parameter called 'name' (later duplicates are ignored),
 * percent-decoded with '+' as space, valid UTF-8 without NUL; "" for a bare
 * "?name", NULL if absent. The string lives in the request arena.
 */
const char *req_query(const struct req *req, const char *name);

/* The first request header called 'name' (ASCII case-insensitive); NULL if
 * absent. The string lives in the request arena. */
const char *req_header(const struct req *req, const char *name);

/*
 * Parse the body as JSON (RFC 8259) with duplicate object keys rejected.
 * Checks first that Content-Type is application/json or application/...+json
 * (charset, if given, must be utf-8) - AV_EUNSUPPORTED, which answers 415 -
 * and that the body is non-empty, valid UTF-8 and free of NUL - AV_EINVAL.
 * A syntax error is AV_EINVAL with the line and column; nesting deeper
 * than REQ_JSON_MAX_DEPTH is AV_EINVAL, a longer string or a bigger list
 * or object than the REQ_JSON_MAX_* limits AV_ETOOBIG (413), each naming
 * the limit.
 * On success *out is a borrowed reference: 'req' owns the value and releases
 * it in req_release; a second call returns the same value.
 * Fills 'err' (may be &req->err) on failure.
 */
enum av_err req_json(struct req *req, json_t **out, struct av_error *err);

/* Append a header (copied into the arena). For the server and for tests. */
void req_add_header(struct req *req, const char *name, const char *value);

/* Append a route capture (copied into the arena). For the router and for
 * tests. */
void req_add_param(struct req *req, const char *name, const char *value);

/*
 * Set req->query to a copy of the raw query 'raw'[0..len) and decode it into
 * req->queries: pairs split on '&', names and values percent-decoded with '+'
 * as space. AV_EINVAL (field = the parameter, when decodable) if a pair holds
 * a bad escape, %00 or invalid UTF-8; req->queries is then incomplete.
 */
enum av_err req_parse_query(struct req *req, const char *raw, size_t len,
			    struct av_error *err);

/*
 * Percent-decode s[0..len) into a NUL-terminated arena string ('+' becomes
 * a space when 'plus_is_space'). NULL if an escape is malformed, decodes to
 * NUL, or the result is not valid UTF-8.
 */
char *req_unescape(struct arena *arena, const char *s, size_t len,
		   bool plus_is_space);

/* "GET", "HEAD", ...; "?" for a value out of range. Static text. */
const char *http_method_name(enum http_method method);

/* Parse a method token (case-sensitive, as in RFC 9110); false if it is not
 * one of enum http_method. */
bool http_method_parse(const char *s, enum http_method *out);

#endif
