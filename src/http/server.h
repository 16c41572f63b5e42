/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server of `avtale serve`: libmicrohttpd with an internal thread
 * pool, hidden behind this header. It owns the listening socket, the worker
 * threads, one arena per request, the body limit, security headers, the
 * access log, static files and the per-thread application state; it routes
 * every request through a borrowed route table (http/router.h).
 * It prints nothing on stdout.
 */
#ifndef AV_HTTP_SERVER_H
#define AV_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "http/router.h"

/* Defaults for the zero values of struct http_config. */
#define HTTP_DEFAULT_LISTEN	     "127.0.0.1:8080"
#define HTTP_DEFAULT_MAX_CONNECTIONS 4096u
#define HTTP_DEFAULT_TIMEOUT_S	     30u
#define HTTP_DEFAULT_CONN_MEMORY     ((size_t)64 * 1024)
#define HTTP_DEFAULT_MAX_BODY	     ((size_t)1024 * 1024)
/* On every response: scripts, styles and images only from this server,
 * never inline; no plugins, no <base>, forms post here, no framing. */
#define HTTP_CSP                                                               \
	"default-src 'self'; base-uri 'none'; form-action 'self'; "            \
	"object-src 'none'; frame-ancestors 'none'"
#define HTTP_MAX_URL 8192u /* longer request targets: 414 */

/*
 * Server settings. A zeroed struct plus a route table is a valid
 * configuration; every 0 or NULL picks the default named beside it.
 */
struct http_config {
	const char *listen;	    /* "host:port", "[v6]:port"; port 0
				       picks a free one; NULL: default */
	const struct route *routes; /* borrowed: must outlive the server */
	size_t n_routes;	    /* entries in routes */
	unsigned threads;	    /* worker threads; 0: 2 x cores, >= 4 */
	unsigned max_connections;   /* concurrent connections; 0: 4096 */
	unsigned timeout_s;	    /* idle connection timeout; 0: 30 */
	size_t conn_memory_limit;   /* per-connection bytes for the request
				       line and headers; 0: 64 KiB */
	size_t max_body;	    /* request body limit (413); 0: 1 MiB */
	const char *static_dir;	    /* borrowed: directory served for GET
				       outside /api/; NULL: none */
	bool access_log_off;	    /* true: no access line per request */
	void *(*thread_state_open)(void *ctx);	 /* see below; may be NULL */
	void (*thread_state_close)(void *state); /* may be NULL */
	void *thread_state_ctx;			 /* borrowed: passed to open */
	/* Called after a route matched and before its handler, on the
	 * handler's thread (req->app set): AV_OK lets the handler run;
	 * otherwise the request is answered with the error (or with what
	 * the callback put in 'resp'). NULL: every route runs. */
	enum av_err (*authorize)(struct req *req, struct resp *resp);
};

/*
 * Per-thread application state (the database connection, typically):
 * the first time a worker thread runs a route handler it calls
 * thread_state_open(thread_state_ctx) on that thread, and the result becomes
 * req->app for every request that thread handles from then on; a state is
 * only ever used by the thread that opened it. If open returns NULL the
 * request gets a 500 (logged) and the thread's next request tries again.
 * Several workers may call open at once, so it must be thread-safe.
 * http_server_free calls thread_state_close(state) once for every state
 * opened, after all workers have stopped, on the thread calling
 * http_server_free.
 */

struct http_server;

/*
 * Check the config and the route table, bind the socket and start the
 * worker threads; requests are served from this moment. 'cfg' is copied;
 * of its pointers only routes and thread_state_ctx must outlive the server
 * (static_dir is resolved with realpath and kept). SIGINT and SIGTERM are
 * blocked in the workers so that http_server_run_until_signal gets them.
 * Raises the soft descriptor limit when max_connections needs it, and
 * points jansson at xmalloc (json_set_alloc_funcs); both are process-wide.
 * Returns NULL on failure with 'err' filled: AV_EINVAL for a bad config,
 * route table or static_dir, AV_EIO if the address cannot be bound.
 */
struct http_server *http_server_new(const struct http_config *cfg,
				    struct av_error *err);

/* The bound port (useful after port 0). Thread-safe. */
uint16_t http_server_port(const struct http_server *srv);

/*
 * The bound address as "127.0.0.1:43210" or "[::1]:43210"; owned by the
 * server, valid until http_server_free. Thread-safe.
 */
const char *http_server_address(const struct http_server *srv);

/*
 * Serve until SIGINT or SIGTERM arrives, then return the signal number.
 * Blocks both signals in the calling thread and waits for them with
 * sigwait; the old signal mask is restored before returning. Call it from
 * the thread that will later call http_server_free; other threads of the
 * program should keep SIGINT and SIGTERM blocked.
 */
int http_server_run_until_signal(struct http_server *srv);

/*
 * Stop accepting, close every connection (a request in flight is cut
 * off), join the workers, close every per-thread state and free the server.
 * NULL is a no-op. Not thread-safe with any other call on 'srv'.
 */
void http_server_free(struct http_server *srv);

#endif
