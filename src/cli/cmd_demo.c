/* SPDX-License-Identifier: MIT */
/*
 * `avtale demo`: fill the database with the invented sales organisation of
 * service/demo.c. A progress bar goes to stderr when it is a terminal; the
 * one-line summary (or JSON) goes to stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/str.h"
#include "service/demo.h"
#include "service/users.h"

#include "core/banned.h"

static const char *const demo_usage[] = {
    "usage: avtale demo [--customers N] [--seed S] [--contacts K] [--reps R]",
    "                   [--appointments A] [--passwords]",
    "",
    "Adds an invented Norwegian sales organisation: territories (Oslo,",
    "Vestland, Trøndelag, Nord-Norge, ... and Sverige), a manager and reps",
    "in each (kari.nordmann@demo.avtale.no, ...), and customers and",
    "prospects with contacts, addresses and phone numbers, and their",
    "appointments: a year of history (completed with an outcome, some",
    "cancelled or no-show) and the next eight weeks, on weekdays 08-16,",
    "never two scheduled at once for one rep, and a few weekly series.",
    "",
    "  -n, --customers N  customers to add (default 2000, at most 10000000)",
    "  -s, --seed S       same seed, same companies and people (default 1)",
    "  -c, --contacts K   contacts per customer (default 2, at most 8)",
    "  -r, --reps R       reps per territory (default 4, at most 50)",
    "  -a, --appointments A",
    "                     appointments per customer on average (default 5,",
    "                     at most 50; 0 for none)",
    "  -p, --passwords    give every user without a password (the admin",
    "                     too) a new random one and print them, once",
    "",
    "Running it again reuses the territories and users and adds customers",
    "with new numbers after the highest one an earlier run used.",
    NULL,
};

/* State of the progress bar on stderr. */
struct bar {
	int shown; /* last percentage drawn, -1 before the first */
};

static void
progress(uint64_t done, uint64_t total, void *ctx)
{
	struct bar *bar = ctx;
	int pct = total ? (int)(done * 100 / total) : 100;
	char cells[41];
	int filled = pct * 40 / 100;

	if (pct == bar->shown)
		return;
	bar->shown = pct;
	memset(cells, '#', (size_t)filled);
	memset(cells + filled, '.', (size_t)(40 - filled));
	cells[40] = '\0';
	(void)fprintf(stderr, "\ravtale: demo [%s] %3d%% %llu/%llu%s", cells,
		      pct, (unsigned long long)done, (unsigned long long)total,
		      done == total ? "\n" : "");
	(void)fflush(stderr);
}

/* Parse a whole number option into [min, max]; prints the usage error. */
static bool
number_opt(const char *name, const char *text, int64_t min, int64_t max,
	   int64_t *out)
{
	if (str_to_i64(text, min, max, out))
		return true;
	cli_errorf(EXIT_USAGE, "--%s '%s' must be a number from %lld to %lld",
		   name, text, (long long)min, (long long)max);
	return false;
}

static void
print_report(const struct cli_ctx *ctx, const struct demo_options *opt,
	     const struct demo_report *r)
{
	if (ctx->json) {
		cli_print_json(json_pack(
		    "{sIsIsIsIsIsIsIsssssfsI}", "customers",
		    (json_int_t)r->customers, "contacts",
		    (json_int_t)r->contacts, "appointments",
		    (json_int_t)r->appointments, "upcoming",
		    (json_int_t)r->upcoming, "series", (json_int_t)r->series,
		    "territories", (json_int_t)r->territories, "users",
		    (json_int_t)r->users, "first_number", r->first_number,
		    "last_number", r->last_number, "seconds", r->seconds,
		    "seed", (json_int_t)opt->seed));
		return;
	}
	if (r->customers)
		printf("added %llu customers (%s-%s), %llu contacts, "
		       "%llu appointments (%llu upcoming, %llu series), "
		       "%llu territories and %llu users in %.1f s\n",
		       (unsigned long long)r->customers, r->first_number,
		       r->last_number, (unsigned long long)r->contacts,
		       (unsigned long long)r->appointments,
		       (unsigned long long)r->upcoming,
		       (unsigned long long)r->series,
		       (unsigned long long)r->territories,
		       (unsigned long long)r->users, r->seconds);
	else
		printf("added 0 customers, %llu territories and %llu users "
		       "in %.1f s\n",
		       (unsigned long long)r->territories,
		       (unsigned long long)r->users, r->seconds);
}

/* Fill 'opt' from argv; EXIT_OK, or the exit status after a message. */
static int
parse_options(int argc, char **argv, struct demo_options *opt, bool *passwords)
{
	static const struct option opts[] = {
	    {"customers", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 's'},
	    {"contacts", required_argument, NULL, 'c'},
	    {"reps", required_argument, NULL, 'r'},
	    {"appointments", required_argument, NULL, 'a'},
	    {"passwords", no_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	int64_t v;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":n:s:c:r:a:p", opts, NULL)) !=
	       -1) {
		switch (o) {
		case 'n':
			if (!number_opt("customers", optarg, 0,
					DEMO_MAX_CUSTOMERS, &v))
				return EXIT_USAGE;
			opt->customers = (uint64_t)v;
			break;
		case 's':
			if (!number_opt("seed", optarg, 0, INT64_MAX, &v))
				return EXIT_USAGE;
			opt->seed = (uint64_t)v;
			break;
		case 'c':
			if (!number_opt("contacts", optarg, 0,
					DEMO_MAX_CONTACTS, &v))
				return EXIT_USAGE;
			opt->contacts_per_customer = (unsigned)v;
			break;
		case 'r':
			if (!number_opt("reps", optarg, 1, DEMO_MAX_REPS, &v))
				return EXIT_USAGE;
			opt->reps_per_territory = (unsigned)v;
			break;
		case 'a':
			if (!number_opt("appointments", optarg, 0,
					DEMO_MAX_APPOINTMENTS, &v))
				return EXIT_USAGE;
			opt->appointments_per_customer = (unsigned)v;
			break;
		case 'p':
			*passwords = true;
			break;
		case ':':
			return cli_errorf(EXIT_USAGE,
					  "option '%s' needs a value",
					  argv[optind - 1]);
		default:
			return cli_errorf(EXIT_USAGE, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_errorf(EXIT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	return EXIT_OK;
}

/* First start: a one-time password for each user who has none. */
static int
print_passwords(struct cli_ctx *ctx)
{
	struct av_error err = {0};
	struct user *v;
	size_t n;
	bool first = true;

	if (store_user_list(ctx->store, &ctx->arena, &v, &n, &err))
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++) {
		const char *hash = NULL;
		char pw[21];

		if (v[i].disabled ||
		    store_user_password(ctx->store, v[i].id, &ctx->arena, &hash,
					&err) ||
		    hash)
			continue;
		if (users_reset_password(ctx->store, v[i].id, ctx->actor.id, pw,
					 &err))
			return cli_fail(&err);
		if (first)
			printf("sign-in passwords (shown once; change them "
			       "with 'avtale user passwd EMAIL'):\n");
		first = false;
		printf("  %-40s %-8s %s\n", v[i].email,
		       user_role_name(v[i].role), pw);
	}
	return EXIT_OK;
}

int
cmd_demo(int argc, char **argv, struct cli_ctx *ctx)
{
	struct demo_options opt;
	struct demo_report report;
	struct av_error err = {0};
	struct bar bar = {-1};
	const struct user *actor;
	bool passwords = false;
	int rc;

	if (cli_wants_help(argc, argv))
		return cli_usage(demo_usage, false, EXIT_OK);
	demo_options_init(&opt);
	rc = parse_options(argc, argv, &opt, &passwords);
	if (rc != EXIT_OK)
		return rc;
	ctx->may_create = true; /* demo fills a new database too */
	if (!cli_store(ctx))
		return EXIT_FAIL;
	actor = cli_actor(ctx);
	if (!actor)
		return EXIT_FAIL;
	opt.actor = actor->id;
	if (isatty(STDERR_FILENO) && opt.customers > 0) {
		opt.progress = progress;
		opt.progress_ctx = &bar;
	}
	if (demo_generate(ctx->store, &opt, &report, &err)) {
		if (bar.shown >= 0 && bar.shown < 100)
			(void)fputc('\n', stderr);
		if (report.customers)
			cli_errorf(EXIT_FAIL,
				   "demo stopped after %llu customers",
				   (unsigned long long)report.customers);
		return cli_fail(&err);
	}
	print_report(ctx, &opt, &report);
	return passwords ? print_passwords(ctx) : EXIT_OK;
}
