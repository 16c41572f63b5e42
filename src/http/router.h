/* SPDX-License-Identifier: MIT */
/*
 * The router: a static table of {method, pattern, handler, data} and the
 * matching rules. Patterns are "/"-separated segments, each a literal or a
 * capture "{name}", which takes a whole segment or, written "{name}.ics",
 * a segment ending in that literal suffix (the capture without it). The
 * request path is split into segments,
 * each percent-decoded once; literals compare against the decoded text and
 * captures store it. The first route whose pattern and method match wins.
 * No state, no allocation outside the caller's arena; thread-safe.
 */
#ifndef AV_HTTP_ROUTER_H
#define AV_HTTP_ROUTER_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "http/req.h"
#include "http/resp.h"

#define ROUTER_MAX_SEGMENTS 32 /* longer paths match no route */

/*
 * A handler. On success it has set the response (resp_json, resp_text...);
 * if it sets nothing the answer is 204 No Content. On failure it returns the
 * code after filling req->err, typically in one line:
 *   return av_errorf(&req->err, AV_ENOTFOUND, "customer '%s' not found", id);
 * and the server answers resp_error(resp, &req->err), unless the handler has
 * already put an error status (>= 400) into 'resp' itself.
 */
typedef enum av_err (*route_fn)(struct req *req, struct resp *resp);

struct route {
	enum http_method method; /* HTTP_GET routes also answer HEAD */
	const char *pattern;	 /* borrowed: "/api/v1/customers/{id}" */
	route_fn handler;	 /* borrowed: the handler */
	const void *data;	 /* borrowed: handed to the handler as
				    req->route->data (field tables...) */
	int resource;		 /* opaque here: the application's access
				    policy keys (api/policy.h), checked
				    before the handler runs */
	int action;
	unsigned flags; /* ROUTE_* below */
};

/* The route takes a request body that is not JSON (a calendar file...). */
#define ROUTE_RAW_BODY 1u

enum router_status {
	ROUTER_MATCH,	   /* out->route is set, captures added to req */
	ROUTER_NOT_FOUND,  /* no pattern matches the path: 404 */
	ROUTER_BAD_METHOD, /* a pattern matches, not the method: 405 */
	ROUTER_BAD_PATH,   /* undecodable path, %00, bad UTF-8, "." or
			      ".." segment: 400 */
};

/* The outcome of router_match beyond the status. */
struct route_match {
	const struct route *route; /* borrowed: matched entry, or NULL */
	unsigned allow;		   /* for BAD_METHOD: bit (1u << method) for
				      each method the path accepts, with HEAD
				      for GET and always OPTIONS; else 0 */
};

/*
 * Check a route table once at start-up: patterns start with '/', captures
 * are whole segments with a non-empty [A-Za-z0-9_] name that is not repeated
 * in the pattern, handlers are set and methods in range. AV_EINVAL naming
 * the first bad pattern otherwise.
 */
enum av_err router_check(const struct route *routes, size_t n_routes,
			 struct av_error *err);

/*
 * Match req->method and req->path (raw, percent-encoded, without the query)
 * against routes[0..n_routes). A trailing '/' is ignored ("/a/" is "/a");
 * an empty segment elsewhere ("/a//b") matches nothing. HEAD matches a GET
 * route when no HEAD route matches first. On ROUTER_MATCH sets req->route
 * and adds the decoded captures to req->params (arena strings). Never
 * fails otherwise; 'out' is always filled.
 */
enum router_status router_match(const struct route *routes, size_t n_routes,
				struct req *req, struct route_match *out);

/*
 * Write the Allow header value for 'allow' ("GET, HEAD, POST, OPTIONS",
 * methods in enum order) into dst[0..size). Returns dst. 64 bytes always
 * suffice.
 */
char *router_allow_header(unsigned allow, char *dst, size_t size);

#endif
