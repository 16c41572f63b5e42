/* SPDX-License-Identifier: MIT */
/*
 * Calendar commands: `avtale import ics`, `avtale export ics` and
 * `avtale feed show|new|revoke`, through service/ical.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/str.h"
#include "core/tz.h"
#include "service/ical.h"
#include "service/import.h"

#include "core/banned.h"

static const char *const import_usage[] = {
    "usage: avtale import ics FILE --owner EMAIL [--customer ID|NUMBER]",
    "                          [--dry-run]",
    "",
    "Imports a calendar file ('-' reads stdin) as Outlook, Exchange, Google",
    "and Apple write them, into the appointments of the rep --owner. The",
    "same UID updates one appointment; an older SEQUENCE never overwrites",
    "a newer one; a cancellation is final; importing a file twice changes",
    "nothing; a METHOD:REPLY sets the attendees' answers. Each event goes",
    "to the customer whose contact's e-mail is among its attendees (or to",
    "--customer); one that matches none is the rep's own busy time.",
    "The file is one transaction: with any error nothing is stored, and",
    "every warning and error is listed with its line.",
    NULL,
};

static const char *const export_usage[] = {
    "usage: avtale export ics [--from DATE] [--to DATE] [--owner EMAIL]",
    "                         [--no-notes] [--output FILE]",
    "",
    "Writes appointments as one iCalendar file (METHOD:PUBLISH) to stdout",
    "or FILE: those overlapping [--from, --to) (dates in the owner's zone,",
    "default: all), of --owner (default: everyone's). Series come with",
    "their exceptions, cancelled appointments as STATUS:CANCELLED.",
    NULL,
};

static const char *const feed_usage[] = {
    "usage: avtale feed show [EMAIL]",
    "       avtale feed new [EMAIL] [--public-url URL]",
    "       avtale feed revoke [EMAIL]",
    "",
    "A user's calendar feed (default: the acting user): a secret link that",
    "Outlook ('subscribe from web'), Google, Apple and Thunderbird",
    "subscribe to. 'new' makes a link (the old one stops working) and",
    "prints it once: only its hash is kept. 'revoke' ends it.",
    NULL,
};

enum opt {
	O_OWNER = 256,
	O_CUSTOMER,
	O_DRY_RUN,
	O_FROM,
	O_TO,
	O_NO_NOTES,
	O_OUTPUT,
	O_PUBLIC_URL,
};

static void
bar_cb(void *ctx, size_t done, size_t total)
{
	cli_progress(ctx, done, total, "events");
}

static void
print_import(const char *path, const struct ical_import_report *r)
{
	fprintf(stderr,
		"import of '%s': %zu created, %zu updated, %zu cancelled, %zu "
		"answered, %zu skipped, %zu failed\n",
		path, r->counts[IMPORT_CREATED], r->counts[IMPORT_UPDATED],
		r->counts[IMPORT_CANCELLED], r->counts[IMPORT_ANSWERED],
		r->counts[IMPORT_SKIPPED], r->counts[IMPORT_FAILED]);
	for (size_t i = 0; i < r->n_items; i++)
		if (r->items[i].action == IMPORT_SKIPPED)
			fprintf(stderr, "  skipped: line %d: %s: %s\n",
				r->items[i].line,
				r->items[i].uid ? r->items[i].uid : "",
				r->items[i].reason ? r->items[i].reason : "");
	for (size_t i = 0; i < r->n_problems; i++)
		fprintf(stderr, "  %s: line %d: %s\n",
			r->problems[i].error ? "error" : "warning",
			r->problems[i].line, r->problems[i].message);
	if (r->stored)
		fprintf(stderr, "stored\n");
	else
		fprintf(stderr, "nothing was stored\n");
}

int
cmd_import_ics(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"owner", required_argument, NULL, O_OWNER},
	    {"customer", required_argument, NULL, O_CUSTOMER},
	    {"dry-run", no_argument, NULL, O_DRY_RUN},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *owner = NULL, *customer = NULL, *path;
	struct ical_import_opts o = {0};
	struct ical_import_report rep;
	struct cli_bar bar = {-1};
	struct av_error err = {0};
	const struct user *actor;
	char *data = NULL;
	size_t len = 0;
	enum av_err rc;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return cli_usage(import_usage, false, EXIT_OK);
		case O_OWNER:
			owner = optarg;
			break;
		case O_CUSTOMER:
			customer = optarg;
			break;
		case O_DRY_RUN:
			o.dry_run = true;
			break;
		default:
			return cli_errorf(EXIT_USAGE, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind != argc - 1 || !owner)
		return cli_usage(import_usage, true, EXIT_USAGE);
	path = argv[optind];
	if (!(actor = cli_actor(ctx)))
		return EXIT_FAIL;
	o.actor = actor->id;
	if (cli_find_user(ctx, owner, &o.owner_id, &err))
		return cli_fail(&err);
	if (customer) {
		struct customer cu;
		if (cli_find_customer(ctx, customer, &cu, &err))
			return cli_fail(&err);
		o.customer_id = cu.id;
	}
	if (import_read_file(path, &data, &len, &err))
		return cli_fail(&err);
	if (isatty(STDERR_FILENO)) {
		o.progress = bar_cb;
		o.progress_ctx = &bar;
	}
	rc = ical_import(ctx->store, data, len, &o, &ctx->arena, &rep, &err);
	free(data);
	if (bar.shown >= 0)
		fputc('\n', stderr);
	if (rc && rep.n_items == 0 && rep.n_problems == 0)
		return cli_fail(&err);
	if (ctx->json)
		cli_print_json(ical_import_report_json(&rep));
	print_import(path, &rep);
	if (rc)
		return cli_fail(&err);
	return EXIT_OK;
}

/* A date or time in 'zone' for --from/--to. */
static bool
parse_bound(const char *text, const char *field, const char *zone, int64_t *out,
	    struct av_error *err)
{
	return tz_parse_instant(text, field, zone, out, NULL, err) == AV_OK;
}

int
cmd_export(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, O_FROM},
	    {"to", required_argument, NULL, O_TO},
	    {"owner", required_argument, NULL, O_OWNER},
	    {"no-notes", no_argument, NULL, O_NO_NOTES},
	    {"output", required_argument, NULL, O_OUTPUT},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL, *owner = NULL, *output = NULL;
	struct ical_export_opts o = {.method = CAL_METHOD_PUBLISH,
				     .with_notes = true};
	const char *zone;
	struct av_error err = {0};
	const struct user *actor;
	struct user u;
	char *text = NULL;
	size_t len = 0;
	FILE *f = stdout;
	int c;

	if (argc < 2 || strcmp(argv[1], "ics") != 0) {
		if (cli_wants_help(argc, argv))
			return cli_usage(export_usage, false, EXIT_OK);
		return cli_usage(export_usage, true, EXIT_USAGE);
	}
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			return cli_usage(export_usage, false, EXIT_OK);
		case O_FROM:
			from = optarg;
			break;
		case O_TO:
			to = optarg;
			break;
		case O_OWNER:
			owner = optarg;
			break;
		case O_NO_NOTES:
			o.with_notes = false;
			break;
		case 'o':
		case O_OUTPUT:
			output = optarg;
			break;
		default:
			return cli_errorf(EXIT_USAGE, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_errorf(EXIT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	if (!(actor = cli_actor(ctx)))
		return EXIT_FAIL;
	zone = actor->time_zone;
	if (owner) {
		if (cli_find_user(ctx, owner, &o.owner_id, &err) ||
		    store_user_get(ctx->store, o.owner_id, &ctx->arena, &u,
				   &err))
			return cli_fail(&err);
		zone = u.time_zone;
	}
	o.from = INT64_C(-2208988800); /* 1900 */
	if ((from && !parse_bound(from, "from", zone, &o.from, &err)) ||
	    (to && !parse_bound(to, "to", zone, &o.to, &err)))
		return cli_fail(&err);
	if (ical_export(ctx->store, &o, &text, &len, NULL, &err))
		return cli_fail(&err);
	if (output && !(f = fopen(output, "wb"))) {
		free(text);
		return cli_errorf(EXIT_FAIL, "cannot write '%s'", output);
	}
	fwrite(text, 1, len, f);
	free(text);
	if (f != stdout && fclose(f) != 0)
		return cli_errorf(EXIT_FAIL, "cannot write '%s'", output);
	return EXIT_OK;
}

int
cmd_feed(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"public-url", required_argument, NULL, O_PUBLIC_URL},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *verb, *email = NULL, *base = "";
	struct av_error err = {0};
	const struct user *actor;
	int64_t user_id, created_at = 0;
	int c;

	if (argc < 2 || cli_wants_help(argc, argv))
		return cli_usage(feed_usage, argc >= 2 ? false : true,
				 argc >= 2 ? EXIT_OK : EXIT_USAGE);
	verb = argv[1];
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (c == O_PUBLIC_URL) {
			base = optarg;
			continue;
		}
		return cli_errorf(EXIT_USAGE, "unknown option '%s'",
				  argv[optind - 1]);
	}
	if (optind < argc)
		email = argv[optind++];
	if (optind < argc)
		return cli_errorf(EXIT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	if (!(actor = cli_actor(ctx)))
		return EXIT_FAIL;
	user_id = actor->id;
	if (email && cli_find_user(ctx, email, &user_id, &err))
		return cli_fail(&err);
	if (strcmp(verb, "show") == 0) {
		char when[TZ_UTC_SIZE] = "";
		enum av_err rc =
		    store_feed_get(ctx->store, user_id, &created_at, &err);
		if (rc && rc != AV_ENOTFOUND)
			return cli_fail(&err);
		if (!rc)
			tz_format_utc(created_at, when, sizeof(when));
		if (ctx->json)
			cli_print_json(json_pack(
			    "{sb s?}", "active", rc == 0, "created_at",
			    rc ? json_null() : json_string(when)));
		else
			printf("%s\t%s\n", rc ? "inactive" : "active", when);
		return EXIT_OK;
	}
	if (strcmp(verb, "new") == 0) {
		char token[TOKEN_TEXT_LEN + 1];
		size_t n = strlen(base);
		if (feed_create(ctx->store, user_id, token, &err))
			return cli_fail(&err);
		printf("%.*s/ical/%s.ics\n",
		       (int)(n && base[n - 1] == '/' ? n - 1 : n), base, token);
		return EXIT_OK;
	}
	if (strcmp(verb, "revoke") == 0) {
		if (store_feed_delete(ctx->store, user_id, &err))
			return cli_fail(&err);
		return EXIT_OK;
	}
	return cli_errorf(EXIT_USAGE,
			  "'feed %s' is not known: show, new or "
			  "revoke",
			  verb);
}
