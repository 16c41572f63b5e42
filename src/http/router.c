/* SPDX-License-Identifier: MIT */
/*
 * Route matching. The request path is split and decoded once into the
 * request arena; each pattern is walked in place, so the table needs no
 * compilation step and the router holds no state.
 */
#include <stdbool.h>
#include <string.h>

#include "core/str.h"
#include "http/router.h"

#include "core/banned.h"

#define CAPTURE_NAME_MAX 63

/* Length of the pattern segment starting at p (up to '/' or the end). */
static size_t
seg_len(const char *p)
{
	const char *slash = strchr(p, '/');

	return slash ? (size_t)(slash - p) : strlen(p);
}

/* Length of the "{name}" part of a capture segment ("{id}" or, with a
 * literal suffix, "{id}.ics"); 0 for a literal segment. */
static size_t
capture_len(const char *p, size_t len)
{
	const char *close;

	if (len < 2 || p[0] != '{')
		return 0;
	close = memchr(p, '}', len);
	return close ? (size_t)(close - p) + 1 : 0;
}

static bool
is_capture(const char *p, size_t len)
{
	return capture_len(p, len) != 0;
}

static bool
valid_capture_name(const char *p, size_t len)
{
	if (len == 0 || len > CAPTURE_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		      (c >= 'A' && c <= 'Z') || c == '_'))
			return false;
	}
	return true;
}

/* True if the capture p[0..len) appears in 'pattern' before 'p'. */
static bool
capture_repeated(const char *pattern, const char *p, size_t len)
{
	for (const char *q = pattern + 1; q < p;) {
		size_t qlen = seg_len(q);

		if (qlen == len && memcmp(q, p, len) == 0)
			return true;
		q += qlen + 1;
	}
	return false;
}

static enum av_err
check_pattern(const char *pattern, struct av_error *err)
{
	const char *p;

	if (!pattern || pattern[0] != '/')
		return av_errorf(err, AV_EINVAL,
				 "route pattern '%s' must start with '/'",
				 pattern ? pattern : "(null)");
	if (pattern[1] == '\0')
		return AV_OK;
	for (p = pattern + 1;; p += seg_len(p) + 1) {
		size_t len = seg_len(p);

		if (len == 0)
			return av_errorf(err, AV_EINVAL,
					 "route pattern '%s' has an empty "
					 "segment",
					 pattern);
		if (is_capture(p, len)) {
			size_t clen = capture_len(p, len);

			if (!valid_capture_name(p + 1, clen - 2) ||
			    memchr(p + clen, '{', len - clen) ||
			    memchr(p + clen, '}', len - clen) ||
			    memchr(p + clen, '%', len - clen))
				return av_errorf(err, AV_EINVAL,
						 "route pattern '%s' has a bad "
						 "capture name",
						 pattern);
			if (capture_repeated(pattern, p, len))
				return av_errorf(err, AV_EINVAL,
						 "route pattern '%s' repeats a "
						 "capture",
						 pattern);
		} else if (memchr(p, '{', len) || memchr(p, '}', len) ||
			   memchr(p, '%', len)) {
			return av_errorf(err, AV_EINVAL,
					 "route pattern '%s' has a brace or "
					 "'%%' inside a literal segment",
					 pattern);
		}
		if (p[len] == '\0')
			break;
	}
	return AV_OK;
}

enum av_err
router_check(const struct route *routes, size_t n_routes, struct av_error *err)
{
	for (size_t i = 0; i < n_routes; i++) {
		enum av_err rc = check_pattern(routes[i].pattern, err);

		if (rc != AV_OK)
			return rc;
		if ((unsigned)routes[i].method >= HTTP_METHOD__MAX ||
		    !routes[i].handler)
			return av_errorf(err, AV_EINVAL,
					 "route %zu ('%s') has a bad method "
					 "or no handler",
					 i, routes[i].pattern);
	}
	return AV_OK;
}

struct segments {
	char *v[ROUTER_MAX_SEGMENTS]; /* arena: decoded segments */
	size_t n;		      /* segments used */
};

/* Split and decode 'path'; sets n to SIZE_MAX if there are too many. */
static enum router_status
split_path(struct arena *arena, const char *path, struct segments *segs)
{
	size_t len;
	const char *p;

	segs->n = 0;
	if (path[0] != '/')
		return ROUTER_BAD_PATH;
	len = strlen(path);
	if (len > 1 && path[len - 1] == '/')
		len--; /* a trailing slash is ignored */
	if (len == 1)
		return ROUTER_MATCH;
	for (p = path + 1; p <= path + len;) {
		const char *slash = memchr(p, '/', (size_t)(path + len - p));
		const char *end = slash ? slash : path + len;
		char *seg;

		seg = req_unescape(arena, p, (size_t)(end - p), false);
		if (!seg || strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return ROUTER_BAD_PATH;
		if (segs->n == ROUTER_MAX_SEGMENTS)
			return ROUTER_NOT_FOUND;
		segs->v[segs->n++] = seg;
		p = end + 1;
	}
	return ROUTER_MATCH;
}

/*
 * True if 'pattern' matches 'segs'. With 'req' set, also add the captures
 * to req->params.
 */
static bool
match_pattern(const char *pattern, const struct segments *segs, struct req *req)
{
	const char *p = pattern + 1;
	size_t i = 0;

	if (*p == '\0')
		return segs->n == 0;
	for (;; p += seg_len(p) + 1) {
		size_t len = seg_len(p);

		if (i == segs->n)
			return false;
		if (is_capture(p, len)) {
			size_t clen = capture_len(p, len);
			size_t slen = len - clen; /* literal suffix */
			size_t vlen = strlen(segs->v[i]);

			if (vlen <= slen || memcmp(segs->v[i] + vlen - slen,
						   p + clen, slen) != 0)
				return false;
			if (req) {
				char name[CAPTURE_NAME_MAX + 1];

				memcpy(name, p + 1, clen - 2);
				name[clen - 2] = '\0';
				req_add_param(req, name,
					      arena_strndup(req->arena,
							    segs->v[i],
							    vlen - slen));
			}
		} else if (strlen(segs->v[i]) != len ||
			   memcmp(segs->v[i], p, len) != 0) {
			return false;
		}
		i++;
		if (p[len] == '\0')
			break;
	}
	return i == segs->n;
}

static bool
method_fits(enum http_method want, enum http_method route)
{
	return want == route || (want == HTTP_HEAD && route == HTTP_GET);
}

enum router_status
router_match(const struct route *routes, size_t n_routes, struct req *req,
	     struct route_match *out)
{
	struct segments segs;
	enum router_status st;
	unsigned allow = 0;

	out->route = NULL;
	out->allow = 0;
	st = split_path(req->arena, req->path, &segs);
	if (st != ROUTER_MATCH)
		return st;
	for (size_t i = 0; i < n_routes; i++) {
		const struct route *r = &routes[i];

		if (!match_pattern(r->pattern, &segs, NULL))
			continue;
		if (method_fits(req->method, r->method)) {
			(void)match_pattern(r->pattern, &segs, req);
			req->route = r;
			out->route = r;
			return ROUTER_MATCH;
		}
		allow |= 1u << r->method;
		if (r->method == HTTP_GET)
			allow |= 1u << HTTP_HEAD;
	}
	if (!allow)
		return ROUTER_NOT_FOUND;
	out->allow = allow | 1u << HTTP_OPTIONS;
	return ROUTER_BAD_METHOD;
}

char *
router_allow_header(unsigned allow, char *dst, size_t size)
{
	size_t o = 0;

	if (size == 0)
		return dst;
	dst[0] = '\0';
	for (int m = 0; m < HTTP_METHOD__MAX; m++) {
		const char *name = http_method_name((enum http_method)m);
		size_t len = strlen(name);

		if (!(allow & (1u << m)))
			continue;
		if (o + len + 3 > size)
			break;
		if (o) {
			dst[o++] = ',';
			dst[o++] = ' ';
		}
		memcpy(dst + o, name, len);
		o += len;
		dst[o] = '\0';
	}
	return dst;
}
