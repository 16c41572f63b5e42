/* SPDX-License-Identifier: MIT */
/* `avtale serve`: the JSON API and the web UI over HTTP. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api.h"
#include "cli/cli.h"
#include "core/str.h"
#include "http/server.h"
#include "service/mail.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale serve [--listen HOST:PORT] [--threads N] "
    "[--static DIR] [--no-access-log]",
    "                    [--insecure-cookie] [--session-idle MIN] "
    "[--session-max MIN]",
    "                    [--timeout SECONDS] [--public-url URL]",
    "                    [--smtp-url URL] [--smtp-from EMAIL] [--smtp-user USER]",
    "                    [--mail-interval SECONDS] [--mail-retry SECONDS]",
    "",
    "Serves the JSON API under /api/v1/ and the web UI. The first line on",
    "stdout is the address it listens on (port 0 picks a free port).",
    "Default --listen 127.0.0.1:8080; the static files come from --static,",
    "$AVTALE_STATIC or ./static when it exists. Stops on SIGINT/SIGTERM.",
    "",
    "Sign-in sessions use a Secure cookie, so browsers send it over HTTPS",
    "only (put a TLS proxy in front). --insecure-cookie drops Secure for",
    "plain HTTP and is accepted only on a loopback address. A session ends",
    "after --session-idle minutes without a request (default 240) and",
    "--session-max minutes after sign-in (default 720). A connection that",
    "sends nothing for --timeout seconds (default 30) is closed.",
    "--public-url (https://crm.example) is the address in the links the",
    "server hands out, such as calendar feeds; default: the request's Host.",
    "",
    "Invitations and reminders are queued in the database; a thread sends",
    "them every --mail-interval seconds (default 30) through --smtp-url",
    "(smtp://host:587, smtps://host:465; without it they stay queued),",
    "from --smtp-from (default the rep's own address), with --smtp-user and",
    "the password in $AVTALE_SMTP_PASSWORD. A failed send is tried again",
    "after --mail-retry seconds (default 60), doubling up to an hour.",
    NULL,
};

static const char *
default_static_dir(void)
{
	const char *env = getenv("AVTALE_STATIC");
	struct stat st;

	if (env && *env)
		return env;
	if (stat("static/index.html", &st) == 0)
		return "static";
	return NULL;
}

/* True for 127.x.y.z, [::1] and localhost listen addresses. */
static bool
is_loopback(const char *listen)
{
	return strncmp(listen, "127.", 4) == 0 ||
	       strncmp(listen, "[::1]:", 6) == 0 ||
	       strncmp(listen, "localhost:", 10) == 0;
}

int
cmd_serve(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"threads", required_argument, NULL, 't'},
	    {"static", required_argument, NULL, 's'},
	    {"no-access-log", no_argument, NULL, 'q'},
	    {"insecure-cookie", no_argument, NULL, 'i'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"session-idle", required_argument, NULL, 'I'},
	    {"session-max", required_argument, NULL, 'M'},
	    {"public-url", required_argument, NULL, 'U'},
	    {"smtp-url", required_argument, NULL, 'S'},
	    {"smtp-from", required_argument, NULL, 'F'},
	    {"smtp-user", required_argument, NULL, 'u'},
	    {"mail-interval", required_argument, NULL, 'm'},
	    {"mail-retry", required_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct http_config cfg = {0};
	struct api_config api = {.db_url = ctx->db_path};
	struct http_server *srv;
	struct mail_config mail = {0};
	struct mail_worker *worker;
	int mail_interval = 30;
	struct av_error err = {0};
	int64_t threads = 0, minutes;
	int o;

	cfg.listen = "127.0.0.1:8080";
	cfg.static_dir = default_static_dir();
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "hl:t:s:q", opts, NULL)) != -1) {
		switch (o) {
		case 'h':
			return cli_usage(usage, false, EXIT_OK);
		case 'l':
			cfg.listen = optarg;
			break;
		case 't':
			if (!str_to_i64(optarg, 1, 256, &threads))
				return cli_errorf(EXIT_USAGE,
						  "--threads must be 1..256");
			break;
		case 's':
			cfg.static_dir = optarg;
			break;
		case 'q':
			cfg.access_log_off = true;
			break;
		case 'i':
			api.insecure_cookie = true;
			break;
		case 'T':
			if (!str_to_i64(optarg, 1, 3600, &minutes))
				return cli_errorf(EXIT_USAGE,
						  "--timeout must be 1 to 3600 "
						  "seconds");
			cfg.timeout_s = (unsigned)minutes;
			break;
		case 'S':
			if (strncmp(optarg, "smtp://", 7) != 0 &&
			    strncmp(optarg, "smtps://", 8) != 0)
				return cli_errorf(EXIT_USAGE,
						  "--smtp-url must start with "
						  "smtp:// or smtps://");
			mail.smtp_url = optarg;
			break;
		case 'F':
			mail.from = optarg;
			break;
		case 'u':
			mail.user = optarg;
			mail.password = getenv("AVTALE_SMTP_PASSWORD");
			break;
		case 'm':
		case 'r':
			if (!str_to_i64(optarg, 1, 86400, &minutes))
				return cli_errorf(
				    EXIT_USAGE,
				    "--mail-%s must be 1 to 86400 "
				    "seconds",
				    o == 'm' ? "interval" : "retry");
			if (o == 'm')
				mail_interval = (int)minutes;
			else
				mail.retry_s = (int)minutes;
			break;
		case 'U':
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0)
				return cli_errorf(
				    EXIT_USAGE, "--public-url must start with "
						"http:// or https://");
			api.public_url = optarg;
			if (optarg[strlen(optarg) - 1] == '/')
				api.public_url = arena_strndup(
				    &ctx->arena, optarg, strlen(optarg) - 1);
			break;
		case 'I':
		case 'M':
			if (!str_to_i64(optarg, 1, 60 * 24 * 31, &minutes))
				return cli_errorf(EXIT_USAGE,
						  "--session-%s must be 1 to "
						  "44640 minutes",
						  o == 'I' ? "idle" : "max");
			if (o == 'I')
				api.auth.idle_s = minutes * 60;
			else
				api.auth.max_s = minutes * 60;
			break;
		default:
			return cli_errorf(EXIT_USAGE, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_errorf(EXIT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	if (api.insecure_cookie && !is_loopback(cfg.listen))
		return cli_errorf(EXIT_USAGE,
				  "--insecure-cookie is only for a loopback "
				  "address (127.0.0.1, [::1], localhost): "
				  "serve HTTPS through a proxy instead");
	/* Create or upgrade the schema once, before any worker opens it. */
	if (!cli_store(ctx))
		return EXIT_FAIL;
	store_close(ctx->store);
	ctx->store = NULL;

	cfg.routes = api_routes(&cfg.n_routes);
	cfg.threads = (unsigned)threads;
	cfg.thread_state_open = api_thread_open;
	cfg.thread_state_close = api_thread_close;
	cfg.thread_state_ctx = &api;
	cfg.authorize = api_authorize;
	srv = http_server_new(&cfg, &err);
	if (!srv)
		return cli_fail(&err);
	worker = mail_worker_start(ctx->db_path, &mail, mail_interval, &err);
	if (!worker) {
		http_server_free(srv);
		return cli_fail(&err);
	}
	printf("http://%s/\n", http_server_address(srv));
	fflush(stdout);
	(void)http_server_run_until_signal(srv);
	http_server_free(srv);
	mail_worker_stop(worker);
	return EXIT_OK;
}
