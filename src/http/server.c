/* SPDX-License-Identifier: MIT */
/*
 * libmicrohttpd glue, and the only file that includes microhttpd.h. It
 * turns MHD's callbacks into one struct req / struct resp per request:
 * the URI callback creates the request context (arena, id, raw path and
 * query), the access handler collects headers and the body and dispatches,
 * the completion callback writes the access log line and frees everything.
 *
 * libmicrohttpd 0.9.75 drops keep-alive when a request is answered on the
 * first access-handler call, so the first call only records the request and
 * the answer is queued on a later call (when *upload_data_size is 0). The
 * one exception is a Content-Length over the body limit: that 413 goes out
 * at once and the connection closes, rather than reading the body. A
 * chunked body is counted as it arrives (see take_body).
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "http/server.h"
#include "http/static.h"

#include "core/banned.h"

#define LOG_PATH_MAX 256 /* access log shows at most this much of a path */

struct http_server {
	struct MHD_Daemon *daemon; /* owned */
	struct http_config cfg;	   /* copy; cfg.routes stays borrowed */
	char *static_root;	   /* owned: realpath(static_dir) or NULL */
	char address[INET6_ADDRSTRLEN + 16]; /* "127.0.0.1:43210" */
	uint16_t port;			     /* bound port */
	uint32_t id_salt;		     /* random, prefixes request ids */
	atomic_uint_fast32_t next_id;	     /* request counter */
	pthread_mutex_t states_mu; /* guards states, n_states, cap_states */
	void **states;		   /* owned array of opened thread states */
	size_t n_states;	   /* states used */
	size_t cap_states;	   /* states allocated */
	pthread_t starter;	   /* thread that ran MHD_start_daemon */
	bool capture_log;	   /* starter: keep MHD's messages */
	char start_error[256];	   /* MHD's last message while starting */
};

/* The per-thread application state of the worker running this code, and
 * the server it belongs to (a worker thread serves one server only). */
static _Thread_local const struct http_server *tls_srv;
static _Thread_local void *tls_state;

enum phase {
	PHASE_HEADERS, /* next handler call is the first for this request */
	PHASE_BODY,    /* collecting the body */
	PHASE_DONE,    /* a response is queued */
};

/* One request: MHD's per-request pointer (con_cls). */
struct http_ctx {
	struct http_server *srv; /* borrowed */
	struct arena arena;	 /* owned: everything of the request */
	struct req req;		 /* req.arena points at arena */
	struct resp resp;	 /* owned body buffer */
	struct buf body;	 /* owned: request body, max cfg.max_body */
	enum phase phase;	 /* progress through the callbacks */
	bool url_too_long;	 /* request target over HTTP_MAX_URL */
	bool method_known;	 /* req.method is meaningful */
	bool body_too_big;	 /* body went over cfg.max_body */
	size_t discarded;	 /* body bytes dropped after that */
	const char *method_text; /* arena: method as sent, for the log */
	struct timespec start;	 /* when the request line arrived */
	int status;		 /* status queued, 0 if none */
	size_t bytes;		 /* body bytes queued */
};

/* ---- request context ---------------------------------------------- */

static void
client_address(struct http_ctx *ctx, struct MHD_Connection *con)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN];
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *ok = NULL;

	if (sa && sa->sa_family == AF_INET)
		ok = inet_ntop(
		    AF_INET,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    text, sizeof(text));
	else if (sa && sa->sa_family == AF_INET6)
		ok = inet_ntop(
		    AF_INET6,
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    text, sizeof(text));
	ctx->req.client = arena_strdup(&ctx->arena, ok ? text : "");
}

/* MHD_OPTION_URI_LOG_CALLBACK: the raw request target, before MHD decodes
 * it. The result becomes con_cls; NOTIFY_COMPLETED frees it. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
	struct http_server *srv = cls;
	struct http_ctx *ctx = xcalloc(1, sizeof(*ctx));
	size_t len = strlen(uri);
	const char *q = strchr(uri, '?');
	size_t path_len = q ? (size_t)(q - uri) : len;

	ctx->srv = srv;
	clock_gettime(CLOCK_MONOTONIC, &ctx->start);
	arena_init(&ctx->arena, 0);
	req_init(&ctx->req, &ctx->arena);
	ctx->req.id =
	    arena_printf(&ctx->arena, "%08x%08x", srv->id_salt,
			 (unsigned)atomic_fetch_add(&srv->next_id, 1));
	resp_init(&ctx->resp, &ctx->arena, ctx->req.id);
	buf_init(&ctx->body, srv->cfg.max_body);
	ctx->method_text = "-";
	if (len > HTTP_MAX_URL) {
		ctx->url_too_long = true;
		path_len = path_len < LOG_PATH_MAX ? path_len : LOG_PATH_MAX;
		ctx->req.path = arena_strndup(&ctx->arena, uri, path_len);
	} else {
		ctx->req.path = arena_strndup(&ctx->arena, uri, path_len);
		ctx->req.query = q ? arena_strdup(&ctx->arena, q + 1) : "";
	}
	client_address(ctx, con);
	return ctx;
}

static void
ctx_free(struct http_ctx *ctx)
{
	req_release(&ctx->req);
	resp_release(&ctx->resp);
	buf_release(&ctx->body);
	arena_release(&ctx->arena);
	free(ctx);
}

static long long
elapsed_us(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - start->tv_sec) * 1000000LL +
	       (now.tv_nsec - start->tv_nsec) / 1000;
}

/* MHD_OPTION_NOTIFY_COMPLETED: log the request and free its context. */
static void
on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
	     enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct http_ctx *ctx = *con_cls;

	(void)con;
	if (!ctx)
		return;
	if (!srv->cfg.access_log_off) {
		/*
		 * Never the query string, and never a path segment a client
		 * typed: both may hold names, e-mails or phone numbers. A
		 * routed request logs its pattern (/api/v1/customers/{id}), a
		 * served file its own path, anything else a placeholder.
		 */
		const char *path = ctx->req.route      ? ctx->req.route->pattern
				   : ctx->status < 400 ? ctx->req.path
						       : "(unrouted)";
		int plen = (int)strnlen(path ? path : "-", LOG_PATH_MAX);

		if (!path)
			path = "-";
		log_at(LOG_INFO, ctx->req.id, "%s %.*s %d %zu %lldus%s",
		       ctx->method_text, plen, path, ctx->status, ctx->bytes,
		       elapsed_us(&ctx->start),
		       toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
								  : " aborted");
	}
	*con_cls = NULL;
	ctx_free(ctx);
}

/* ---- per-thread application state --------------------------------- */

/* The calling worker's state, opened on first use; NULL if the open
 * callback failed (or there is none). */
static void *
thread_state(struct http_server *srv, bool *failed)
{
	void *state;

	*failed = false;
	if (!srv->cfg.thread_state_open)
		return NULL;
	if (tls_srv == srv && tls_state)
		return tls_state;
	state = srv->cfg.thread_state_open(srv->cfg.thread_state_ctx);
	if (!state) {
		*failed = true;
		return NULL;
	}
	pthread_mutex_lock(&srv->states_mu);
	if (srv->n_states == srv->cap_states) {
		srv->cap_states = srv->cap_states ? srv->cap_states * 2 : 16;
		srv->states = xrealloc(srv->states,
				       srv->cap_states * sizeof(*srv->states));
	}
	srv->states[srv->n_states++] = state;
	pthread_mutex_unlock(&srv->states_mu);
	tls_srv = srv;
	tls_state = state;
	return state;
}

/* ---- dispatch ----------------------------------------------------- */

static bool
is_api_path(const char *path)
{
	return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0;
}

/* API answers are never cached. Ask the matched pattern as well as the raw
 * path, since "/%61pi/..." routes like "/api/...". */
static bool
is_api_request(const struct req *req)
{
	return is_api_path(req->path) ||
	       (req->route && is_api_path(req->route->pattern));
}

static void
run_handler(struct http_ctx *ctx, const struct route *route)
{
	struct req *req = &ctx->req;
	struct resp *resp = &ctx->resp;
	bool failed;
	enum av_err rc;

	req->app = thread_state(ctx->srv, &failed);
	if (failed) {
		av_errorf(&req->err, AV_EINTERNAL,
			  "per-thread state could not be opened");
		resp_error(resp, &req->err);
		return;
	}
	av_error_clear(&req->err);
	rc = ctx->srv->cfg.authorize ? ctx->srv->cfg.authorize(req, resp)
				     : AV_OK;
	if (rc == AV_OK)
		rc = route->handler(req, resp);
	if (rc != AV_OK) {
		if (resp->status >= 400)
			return; /* the handler wrote its own error */
		/* Drop what a half-built success answer set (ETag...). */
		resp->n_headers = 0;
		req->err.code = rc;
		resp_error(resp, &req->err);
	} else if (resp->status == 0) {
		resp->status = 204;
		buf_reset(&resp->body);
	}
}

static void
answer_route_miss(struct http_ctx *ctx, enum router_status st, unsigned allow)
{
	struct req *req = &ctx->req;
	struct resp *resp = &ctx->resp;
	const char *root = ctx->srv->static_root;
	char methods[64];

	switch (st) {
	case ROUTER_BAD_METHOD:
		router_allow_header(allow, methods, sizeof(methods));
		if (req->method == HTTP_OPTIONS) {
			resp->status = 204;
		} else {
			resp_problem(resp, 405, "method_not_allowed",
				     "the resource does not accept this "
				     "method; see the Allow header");
		}
		(void)resp_header(resp, "Allow", methods);
		break;
	case ROUTER_BAD_PATH:
		av_errorf(&req->err, AV_EINVAL,
			  "the path is not valid percent-encoded UTF-8 or has "
			  "a '.' or '..' segment");
		resp_error(resp, &req->err);
		break;
	case ROUTER_NOT_FOUND:
	case ROUTER_MATCH:
		if (root && !is_api_path(req->path) &&
		    (req->method == HTTP_GET || req->method == HTTP_HEAD)) {
			http_static_serve(root, req, resp);
			break;
		}
		av_errorf(&req->err, AV_ENOTFOUND, "no such resource");
		resp_error(resp, &req->err);
		break;
	}
}

static void
dispatch(struct http_ctx *ctx)
{
	struct http_server *srv = ctx->srv;
	struct req *req = &ctx->req;
	struct resp *resp = &ctx->resp;
	struct route_match m;
	enum router_status st;

	if (ctx->url_too_long) {
		resp_problem(resp, 414, "uri_too_long",
			     "the request target is longer than 8192 bytes");
		return;
	}
	if (!ctx->method_known) {
		resp_problem(resp, 501, "not_implemented",
			     "the server does not support this method");
		return;
	}
	if (ctx->body_too_big) {
		av_errorf(&req->err, AV_ETOOBIG,
			  "request body is over %zu bytes", srv->cfg.max_body);
		resp_error(resp, &req->err);
		return;
	}
	req->body = ctx->body.p;
	req->body_len = ctx->body.len;
	if (req_parse_query(req, req->query, strlen(req->query), &req->err) !=
	    AV_OK) {
		resp_error(resp, &req->err);
		return;
	}
	st = router_match(srv->cfg.routes, srv->cfg.n_routes, req, &m);
	if (st == ROUTER_MATCH)
		run_handler(ctx, m.route);
	else
		answer_route_miss(ctx, st, m.allow);
}

/* ---- responses ---------------------------------------------------- */

static bool
resp_has_header(const struct resp *resp, const char *name)
{
	for (size_t i = 0; i < resp->n_headers; i++)
		if (str_ieq(resp->headers[i].name, name))
			return true;
	return false;
}

/* Turn ctx->resp into an MHD response and queue it. */
static enum MHD_Result
queue(struct http_ctx *ctx, struct MHD_Connection *con)
{
	struct resp *resp = &ctx->resp;
	struct MHD_Response *r;
	enum MHD_Result ok;
	size_t len;
	char *body;
	bool bodiless = resp->status == 204 || resp->status == 304;

	if (resp->status < 100 || resp->status > 599) {
		struct av_error err;

		av_errorf(&err, AV_EINTERNAL, "handler set status %d",
			  resp->status);
		resp_error(resp, &err);
	}
	if (bodiless)
		buf_reset(&resp->body);
	body = buf_detach(&resp->body, &len);
	r = MHD_create_response_from_buffer_with_free_callback(len, body, free);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (resp->content_type && !bodiless)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
					resp->content_type);
	MHD_add_response_header(r, "Content-Security-Policy", HTTP_CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Request-Id", ctx->req.id);
	if (is_api_request(&ctx->req) &&
	    !resp_has_header(resp, "Cache-Control"))
		MHD_add_response_header(r, "Cache-Control", "no-store");
	for (size_t i = 0; i < resp->n_headers; i++)
		MHD_add_response_header(r, resp->headers[i].name,
					resp->headers[i].value);
	ctx->status = resp->status;
	ctx->bytes = len;
	ok = MHD_queue_response(con, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	ctx->phase = PHASE_DONE;
	return ok;
}

/* ---- the access handler ------------------------------------------- */

static enum MHD_Result
add_header(void *cls, enum MHD_ValueKind kind, const char *key,
	   const char *value)
{
	struct http_ctx *ctx = cls;

	(void)kind;
	if (key)
		req_add_header(&ctx->req, key, value ? value : "");
	return MHD_YES;
}

/* First call for a request: record method and headers. Returns true if
 * the request is already answered (declared body over the limit). */
static bool
begin(struct http_ctx *ctx, struct MHD_Connection *con, const char *method)
{
	const char *cl;
	int64_t n;

	ctx->method_known = http_method_parse(method, &ctx->req.method);
	ctx->method_text =
	    ctx->method_known ? http_method_name(ctx->req.method) : "OTHER";
	MHD_get_connection_values(con, MHD_HEADER_KIND, add_header, ctx);
	cl = req_header(&ctx->req, "Content-Length");
	if (cl && str_to_i64(cl, 0, INT64_MAX, &n) &&
	    (uint64_t)n > ctx->srv->cfg.max_body) {
		ctx->body_too_big = true;
		return true;
	}
	return false;
}

/*
 * Append a piece of the body. A body that crosses max_body without a
 * Content-Length (chunked) cannot be answered at once: libmicrohttpd 0.9.75
 * refuses MHD_queue_response while the body is still arriving. So the rest
 * is read and dropped, up to another max_body bytes, and the 413 goes out
 * when the body ends; a client that sends more loses the connection.
 */
static enum MHD_Result
take_body(struct http_ctx *ctx, const char *data, size_t len)
{
	if (!ctx->body_too_big) {
		buf_add(&ctx->body, data, len);
		if (!buf_failed(&ctx->body))
			return MHD_YES;
		ctx->body_too_big = true;
		ctx->discarded = len;
		buf_release(&ctx->body);
		buf_init(&ctx->body, 1);
		return MHD_YES;
	}
	ctx->discarded += len;
	return ctx->discarded > ctx->srv->cfg.max_body ? MHD_NO : MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *con, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **con_cls)
{
	struct http_ctx *ctx = *con_cls;

	(void)version;
	if (!ctx) { /* no URI callback ran: cannot happen with our options */
		ctx = on_uri(cls, url, con);
		*con_cls = ctx;
	}
	switch (ctx->phase) {
	case PHASE_HEADERS:
		ctx->phase = PHASE_BODY;
		if (begin(ctx, con, method)) {
			dispatch(ctx);
			return queue(ctx, con);
		}
		return MHD_YES;
	case PHASE_BODY:
		if (*upload_data_size > 0) {
			size_t n = *upload_data_size;

			*upload_data_size = 0;
			return take_body(ctx, upload_data, n);
		}
		dispatch(ctx);
		return queue(ctx, con);
	case PHASE_DONE:
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_NO;
}

/* ---- start and stop ----------------------------------------------- */

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct http_server *srv = cls;
	char msg[256];
	size_t len;

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	if (pthread_equal(pthread_self(), srv->starter) && srv->capture_log)
		(void)str_printf(srv->start_error, sizeof(srv->start_error),
				 "%s", msg);
	log_at(LOG_DEBUG, NULL, "libmicrohttpd: %s", msg);
}

/* Parse "host:port" or "[v6]:port" into 'ss'. */
static enum av_err
parse_listen(const char *listen, struct sockaddr_storage *ss, bool *v6,
	     struct av_error *err)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	const char *h = listen;
	size_t hlen;
	int64_t port;
	struct addrinfo hints = {0};
	struct addrinfo *res = NULL;
	int rc;

	if (!colon || !str_to_i64(colon + 1, 0, 65535, &port))
		return av_errorf(err, AV_EINVAL,
				 "listen address '%s' needs ':port'", listen);
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		return av_errorf(err, AV_EINVAL,
				 "listen address '%s' needs a host", listen);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || !res)
		return av_errorf(err, AV_EINVAL,
				 "listen address '%s' does not resolve: %s",
				 listen, gai_strerror(rc));
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	*v6 = ss->ss_family == AF_INET6;
	if (*v6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in *)(void *)ss)->sin_port =
		    htons((uint16_t)port);
	return AV_OK;
}

static void
apply_defaults(struct http_config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (!cfg->listen)
		cfg->listen = HTTP_DEFAULT_LISTEN;
	if (!cfg->threads) {
		cfg->threads = cores > 0 ? (unsigned)cores * 2 : 4;
		if (cfg->threads < 4)
			cfg->threads = 4;
	}
	if (!cfg->max_connections)
		cfg->max_connections = HTTP_DEFAULT_MAX_CONNECTIONS;
	if (!cfg->timeout_s)
		cfg->timeout_s = HTTP_DEFAULT_TIMEOUT_S;
	if (!cfg->conn_memory_limit)
		cfg->conn_memory_limit = HTTP_DEFAULT_CONN_MEMORY;
	if (!cfg->max_body)
		cfg->max_body = HTTP_DEFAULT_MAX_BODY;
}

/* Each connection is a descriptor: raise the soft limit if it is lower
 * than the connection limit needs (never above the hard limit). */
static void
raise_fd_limit(unsigned max_connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)max_connections + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
			  ? want
			  : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		log_warn("could not raise the descriptor limit to %llu",
			 (unsigned long long)want);
}

static enum av_err
start_daemon(struct http_server *srv, struct av_error *err)
{
	struct http_config *cfg = &srv->cfg;
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	sigset_t block;
	sigset_t old;
	bool v6 = false;
	enum av_err rc = parse_listen(cfg->listen, &ss, &v6, err);

	if (rc != AV_OK)
		return rc;
	flags |= MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES
		     ? MHD_USE_EPOLL
		     : MHD_USE_POLL;
	if (v6)
		flags |= MHD_USE_IPv6;
	/* Workers inherit the mask: signals go to run_until_signal. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	srv->starter = pthread_self();
	srv->capture_log = true;
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
	    MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
	    MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory_limit,
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_URI_LOG_CALLBACK,
	    on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv, MHD_OPTION_END);
	srv->capture_log = false;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!srv->daemon)
		return av_errorf(err, AV_EIO, "cannot listen on '%s': %s",
				 cfg->listen,
				 srv->start_error[0] ? srv->start_error
						     : "libmicrohttpd failed");
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : 0;
	if (v6) {
		char text[INET6_ADDRSTRLEN];

		inet_ntop(AF_INET6,
			  &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr,
			  text, sizeof(text));
		(void)str_printf(srv->address, sizeof(srv->address), "[%s]:%u",
				 text, srv->port);
	} else {
		char text[INET_ADDRSTRLEN];

		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)(void *)&ss)->sin_addr, text,
			  sizeof(text));
		(void)str_printf(srv->address, sizeof(srv->address), "%s:%u",
				 text, srv->port);
	}
	return AV_OK;
}

struct http_server *
http_server_new(const struct http_config *cfg, struct av_error *err)
{
	struct http_server *srv;

	if (router_check(cfg->routes, cfg->n_routes, err) != AV_OK)
		return NULL;
	json_set_alloc_funcs(xmalloc, free);
	srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	apply_defaults(&srv->cfg);
	pthread_mutex_init(&srv->states_mu, NULL);
	atomic_init(&srv->next_id, 1);
	if (getrandom(&srv->id_salt, sizeof(srv->id_salt), GRND_NONBLOCK) !=
	    (ssize_t)sizeof(srv->id_salt))
		srv->id_salt = (uint32_t)time(NULL) ^ (uint32_t)getpid();
	if (cfg->static_dir) {
		srv->static_root = realpath(cfg->static_dir, NULL);
		if (!srv->static_root) {
			av_errorf(err, AV_EINVAL,
				  "static directory '%s' does not exist",
				  cfg->static_dir);
			goto fail;
		}
	}
	srv->cfg.static_dir = srv->static_root;
	raise_fd_limit(srv->cfg.max_connections);
	if (start_daemon(srv, err) != AV_OK)
		goto fail;
	return srv;
fail:
	http_server_free(srv);
	return NULL;
}

uint16_t
http_server_port(const struct http_server *srv)
{
	return srv->port;
}

const char *
http_server_address(const struct http_server *srv)
{
	return srv->address;
}

int
http_server_run_until_signal(struct http_server *srv)
{
	sigset_t set;
	sigset_t old;
	int sig = 0;

	(void)srv;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	while (sigwait(&set, &sig) != 0)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return sig;
}

void
http_server_free(struct http_server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	/* Every worker has stopped: no state is in use any more. */
	for (size_t i = 0; i < srv->n_states; i++)
		if (srv->cfg.thread_state_close)
			srv->cfg.thread_state_close(srv->states[i]);
	free(srv->states);
	pthread_mutex_destroy(&srv->states_mu);
	free(srv->static_root);
	free(srv);
}
