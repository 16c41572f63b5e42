/* SPDX-License-Identifier: MIT */
/*
 * The response a handler builds: status, a few extra headers and a body
 * buffer, plus the single place where errors become RFC 9457
 * application/problem+json bodies and AV_* codes become HTTP statuses.
 * Header text is checked here (no CR, LF or other control bytes), so user
 * input can never split a response. Knows nothing about libmicrohttpd.
 * Thread safety: a response belongs to one thread at a time.
 */
#ifndef AV_HTTP_RESP_H
#define AV_HTTP_RESP_H

#include <jansson.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"

#define RESP_MAX_HEADERS 16	     /* extra headers per response */
#define RESP_BODY_MAX	 (64u << 20) /* hard cap on a response body */

struct resp_header {
	const char *name;  /* arena copy */
	const char *value; /* arena copy */
};

struct resp {
	int status;		  /* 0 until a resp_* call sets it */
	const char *content_type; /* borrowed: static text or arena */
	struct buf body;	  /* owned: the body, max RESP_BODY_MAX */
	struct resp_header headers[RESP_MAX_HEADERS]; /* extra headers */
	size_t n_headers;			      /* headers used */
	struct arena *arena; /* borrowed: the request arena */
	const char *req_id;  /* borrowed: request id for log lines */
};

/*
 * Initialise an empty response (status 0) whose header copies go to 'arena'
 * (borrowed, must outlive the response); 'req_id' (borrowed, may be NULL)
 * tags the log lines of resp_error. Release with resp_release.
 */
void resp_init(struct resp *resp, struct arena *arena, const char *req_id);

/* Free the body buffer. The headers live in the arena. */
void resp_release(struct resp *resp);

/*
 * Answer 'status' with 'value' serialised compactly as application/json.
 * Steals the reference to 'value' (decref'd here, even on failure), as
 * jansson's *_new functions do, so `return resp_json(resp, 200,
 * json_pack(...));` is safe. AV_EINTERNAL if 'value' is NULL (a failed
 * json_pack) or the body would exceed RESP_BODY_MAX; the response is then
 * left unset (status 0). Replaces any earlier body.
 */
enum av_err resp_json(struct resp *resp, int status, json_t *value);

/*
 * Answer 'status' with a copy of text[0..len) as 'content_type' (borrowed:
 * a literal or arena string). AV_EINTERNAL if over RESP_BODY_MAX.
 */
enum av_err resp_text(struct resp *resp, int status, const char *content_type,
		      const char *text, size_t len);

/*
 * Add a header; both strings are copied into the arena. 'name' must be an
 * HTTP token and 'value' free of CR, LF and other control bytes (tab is
 * allowed): AV_EINVAL otherwise, and also for Content-Length,
 * Transfer-Encoding and Connection, which the server owns. "Content-Type"
 * sets resp->content_type instead. AV_ETOOBIG past RESP_MAX_HEADERS.
 */
enum av_err resp_header(struct resp *resp, const char *name, const char *value);

/*
 * Replace the response with an application/problem+json body for 'err':
 * {"type", "title", "status", "detail", "field" (when err->field is set),
 * "code"}. The status comes from http_status_for(err->code); the type is
 * "https://avtale.dev/problems/<code>". For 5xx the detail is generic and
 * err->msg goes to the log (error level, tagged with the request id)
 * instead, so SQL text or paths never reach a client. AV_OK is treated as
 * AV_EINTERNAL (a handler failed without saying why).
 */
void resp_error(struct resp *resp, const struct av_error *err);

/*
 * Replace the response with a problem+json body for an HTTP-level problem
 * that has no AV_* code (404 for an unknown path, 405, 414, 501...):
 * type "about:blank", title the status's reason phrase, 'code' (static
 * text, a stable machine name such as "method_not_allowed") and 'detail'
 * (may be NULL).
 */
void resp_problem(struct resp *resp, int status, const char *code,
		  const char *detail);

/*
 * The HTTP status for an error code. The one table:
 * EINVAL 400, ENOTFOUND 404, ECONFLICT 409, ETOOBIG 413, EDB 500, EIO 500,
 * EUNSUPPORTED 415, EINTERNAL 500, ESTALE 412, EUNAUTH 401, EFORBIDDEN 403.
 * AV_OK and unknown codes give 500.
 */
int http_status_for(enum av_err code);

/* The reason phrase of 'status' ("Not Found"); "Unknown" if not listed. */
const char *http_reason(int status);

#endif
