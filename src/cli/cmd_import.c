/* SPDX-License-Identifier: MIT */
/*
 * `avtale import customers FILE`: CSV import through service/import.c.
 * The report goes to stderr as text, or to stdout as JSON with --json; a
 * progress bar is drawn on stderr only when it is a terminal.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/model.h"
#include "service/import.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale import customers FILE [--dry-run] [--delimiter D]",
    "       (calendar files: avtale import ics --help)",
    "                               [--map COLUMN=FIELD]... [--status S]",
    "                               [--owner EMAIL]",
    "",
    "Imports customers and contacts from a CSV file ('-' reads stdin):",
    "Avtale's own export, Norwegian spreadsheets (Kundenummer, Firmanavn,",
    "Kontaktperson, Telefon, Postnummer, ...), and the contact exports of",
    "Outlook, Google Contacts and Thunderbird. Columns are recognised by",
    "their headers; the encoding (UTF-8, UTF-16, Windows-1252) and the",
    "delimiter are detected.",
    "",
    "The file is one transaction: if any row is rejected nothing is stored",
    "and every rejected row is listed with its line. Customers are matched",
    "by customer number (rows without one: by company name, and get a new",
    "number); importing the same file again changes nothing. Empty cells",
    "never clear stored values.",
    "",
    "  --dry-run          do everything, then roll back and report",
    "  --delimiter D      ';', ',' or 'tab' instead of detecting it",
    "  --map COLUMN=FIELD read a column as FIELD (or 'ignore'); repeatable",
    "  --status S         status of new customers: prospect, customer or",
    "                     former (default: customer when the file has",
    "                     customer numbers, else prospect)",
    "  --owner EMAIL      owner of new customers (default: the acting user)",
    "",
    "FIELD is one of: customer_number name status phone mobile email",
    "  address address_2 postcode city country time_zone territory owner",
    "  notes contact_name contact_title contact_phone contact_mobile",
    "  contact_email contact_notes first_name middle_name last_name",
    "  full_name tags other_phones ignore",
    NULL,
};

enum opt {
	O_DRY_RUN = 256,
	O_DELIMITER,
	O_MAP,
	O_STATUS,
	O_OWNER,
};

static void
progress(uint64_t done, uint64_t total, void *ctx)
{
	cli_progress(ctx, done, total, "rows");
}

static const char *
delimiter_name(char d)
{
	switch (d) {
	case ';':
		return "';'";
	case ',':
		return "','";
	case '\t':
		return "tab";
	default:
		return "none";
	}
}

/*
 * File-level issues (line 0) with the same reason, one after another, go
 * on one line: "unknown column ignored (empty): 'A', 'B'".
 */
static size_t
print_merged(const char *what, const struct import_issue *v, size_t n, size_t i)
{
	size_t j = i + 1;

	while (j < n && v[j].line == 0 && v[j].column && !v[j].field &&
	       strcmp(v[j].reason, v[i].reason) == 0)
		j++;
	if (j - i < 2)
		return 0;
	fprintf(stderr, "  %s: %s: ", what, v[i].reason);
	for (size_t k = i; k < j; k++)
		fprintf(stderr, "%s'%s'", k > i ? ", " : "", v[k].column);
	fputc('\n', stderr);
	return j - i;
}

static void
print_issues(const char *what, const struct import_issue *v, size_t n,
	     size_t total)
{
	for (size_t i = 0; i < n; i++) {
		size_t merged = v[i].line == 0 && v[i].column && !v[i].field
				    ? print_merged(what, v, n, i)
				    : 0;

		if (merged) {
			i += merged - 1;
			continue;
		}
		fprintf(stderr, "  %s:", what);
		if (v[i].line)
			fprintf(stderr, " line %zu:", v[i].line);
		if (v[i].column)
			fprintf(stderr, " column '%s':", v[i].column);
		if (v[i].field)
			fprintf(stderr, " %s:", v[i].field);
		fprintf(stderr, " %s\n", v[i].reason);
	}
	if (total > n)
		fprintf(stderr, "  ... and %zu more (%s)\n", total - n, what);
}

static void
print_report(const char *path, const struct import_report *r)
{
	fprintf(stderr,
		"import of '%s': %s, delimiter %s, layout %s, %zu data "
		"row%s",
		path, r->encoding[0] ? r->encoding : "unknown encoding",
		delimiter_name(r->delimiter), r->layout, r->rows,
		r->rows == 1 ? "" : "s");
	if (r->empty_rows)
		fprintf(stderr, " (%zu empty, skipped)", r->empty_rows);
	fputc('\n', stderr);
	fprintf(
	    stderr, "  customers: %zu created, %zu updated, %zu unchanged\n",
	    r->customers_created, r->customers_updated, r->customers_unchanged);
	fprintf(
	    stderr, "  contacts:  %zu created, %zu updated, %zu unchanged\n",
	    r->contacts_created, r->contacts_updated, r->contacts_unchanged);
	for (size_t i = 0; i < r->n_new_territories; i++)
		fprintf(stderr, "  new territory: %s (%s)\n",
			r->new_territories[i].code, r->new_territories[i].name);
	print_issues("warning", r->warnings, r->n_warnings, r->warnings_total);
	print_issues("rejected", r->rejected, r->n_rejected, r->rejected_total);
	if (r->dry_run && !r->rejected_total)
		fprintf(stderr, "dry run: nothing was stored\n");
	else if (r->committed)
		fprintf(stderr, "done in %.2f s\n", r->seconds);
}

/* Parse options; returns -1 (after printing) on a usage error. */
static int
parse_options(int argc, char **argv, struct cli_ctx *ctx,
	      struct import_options *opt, struct import_map **maps,
	      const char **owner)
{
	static const struct option opts[] = {
	    {"dry-run", no_argument, NULL, O_DRY_RUN},
	    {"delimiter", required_argument, NULL, O_DELIMITER},
	    {"map", required_argument, NULL, O_MAP},
	    {"status", required_argument, NULL, O_STATUS},
	    {"owner", required_argument, NULL, O_OWNER},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	size_t cap = 0;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		struct av_error err = {0};
		enum customer_status st;

		switch (o) {
		case O_DRY_RUN:
			opt->dry_run = true;
			break;
		case O_DELIMITER:
			if (strcmp(optarg, ";") == 0 ||
			    strcmp(optarg, ",") == 0)
				opt->delimiter = optarg[0];
			else if (strcmp(optarg, "tab") == 0 ||
				 strcmp(optarg, "\t") == 0 ||
				 strcmp(optarg, "\\t") == 0)
				opt->delimiter = '\t';
			else
				return cli_errorf(-1, "--delimiter must be "
						      "';', ',' or tab");
			break;
		case O_MAP:
			if (opt->n_maps == cap) {
				struct import_map *v;

				cap = cap ? 2 * cap : 8;
				v = arena_alloc(&ctx->arena, cap * sizeof(*v));
				if (opt->n_maps)
					memcpy(v, *maps,
					       opt->n_maps * sizeof(*v));
				*maps = v;
			}
			if (import_map_parse(optarg, &ctx->arena,
					     &(*maps)[opt->n_maps], &err))
				return cli_errorf(-1, "%s", err.msg);
			opt->n_maps++;
			break;
		case O_STATUS:
			if (!customer_status_parse(optarg, &st))
				return cli_errorf(-1, "--status must be "
						      "prospect, customer or "
						      "former");
			opt->status = (int)st;
			break;
		case O_OWNER:
			*owner = optarg;
			break;
		case 'h':
			cli_usage(usage, false, EXIT_OK);
			return 1;
		case ':':
			return cli_errorf(-1, "option '%s' needs a value",
					  argv[optind - 1]);
		default:
			return cli_errorf(-1, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	opt->maps = *maps;
	return 0;
}

static int
import_file(int argc, char **argv, struct cli_ctx *ctx)
{
	struct import_options opt = {.status = -1};
	struct import_map *maps = NULL;
	struct import_report rep;
	struct av_error err = {0};
	const struct user *me;
	const char *owner = NULL;
	const char *path;
	struct cli_bar bar = {-1};
	char *data = NULL;
	size_t len = 0;
	enum av_err rc;
	int prc;

	prc = parse_options(argc, argv, ctx, &opt, &maps, &owner);
	if (prc > 0)
		return EXIT_OK;
	if (prc < 0)
		return EXIT_USAGE;
	if (optind != argc - 1)
		return cli_usage(usage, true, EXIT_USAGE);
	path = argv[optind];
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	opt.actor = me->id;
	if (owner && cli_find_user(ctx, owner, &opt.owner_id, &err))
		return cli_fail(&err);
	if (import_read_file(path, &data, &len, &err))
		return cli_fail(&err);
	if (isatty(STDERR_FILENO)) {
		opt.progress = progress;
		opt.progress_ctx = &bar;
	}
	rc = import_customers(ctx->store, data, len, &opt, &ctx->arena, &rep,
			      &err);
	free(data);
	if (bar.shown >= 0)
		fputs("\r\033[K", stderr);
	if (ctx->json) {
		json_t *o = import_report_to_json(&rep);

		if (rc)
			json_object_set_new(o, "error", json_string(err.msg));
		cli_print_json(o);
	} else if (rc == AV_OK || rep.rejected_total) {
		/* a file that could not be read at all: the error says it */
		print_report(path, &rep);
	}
	return rc ? cli_fail(&err) : EXIT_OK;
}

int
cmd_import(int argc, char **argv, struct cli_ctx *ctx)
{
	if (argc < 2) {
		if (cli_wants_help(argc, argv))
			return cli_usage(usage, false, EXIT_OK);
		return cli_usage(usage, true, EXIT_USAGE);
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return cli_usage(usage, false, EXIT_OK);
	if (strcmp(argv[1], "ics") == 0)
		return cmd_import_ics(argc - 1, argv + 1, ctx);
	if (strcmp(argv[1], "customers") != 0)
		return cli_errorf(EXIT_USAGE,
				  "'import %s' is not known; try 'avtale "
				  "import customers FILE' or 'avtale import "
				  "ics FILE'",
				  argv[1]);
	return import_file(argc - 1, argv + 1, ctx);
}
