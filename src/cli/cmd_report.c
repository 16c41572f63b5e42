/* SPDX-License-Identifier: MIT */
/*
 * `avtale report appointments|contact-rate`: the reports of
 * service/report.c as a tab-separated table (with the definition printed
 * first), CSV (--csv, formula injection neutralised) or JSON (--json).
 * Periods are cut in --tz, by default the acting user's zone.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tz.h"
#include "service/report.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale report appointments --from WHEN --to WHEN",
    "           [--group-by day|week|month|year|rep|territory|type|channel|"
    "outcome]",
    "           [--territory T] [--tz ZONE] [--csv [--sep ';']] [--json]",
    "       avtale report contact-rate --from WHEN --to WHEN [--territory T]",
    "           [--include-prospects] [--uncontacted] [--tz ZONE]",
    "           [--csv [--sep ';']] [--json]",
    "",
    "WHEN is a date or a wall-clock time in --tz (default: your zone), or",
    "RFC 3339; 'to' is exclusive. Periods and days are the zone's local",
    "ones (ISO weeks). --uncontacted lists the customers not contacted.",
    NULL,
};

enum opt {
	O_FROM = 256,
	O_TO,
	O_GROUP_BY,
	O_TERRITORY,
	O_TZ,
	O_CSV,
	O_SEP,
	O_JSON,
	O_PROSPECTS,
	O_UNCONTACTED,
};

static const struct option opts[] = {
    {"from", required_argument, NULL, O_FROM},
    {"to", required_argument, NULL, O_TO},
    {"group-by", required_argument, NULL, O_GROUP_BY},
    {"territory", required_argument, NULL, O_TERRITORY},
    {"tz", required_argument, NULL, O_TZ},
    {"csv", no_argument, NULL, O_CSV},
    {"sep", required_argument, NULL, O_SEP},
    {"json", no_argument, NULL, O_JSON},
    {"include-prospects", no_argument, NULL, O_PROSPECTS},
    {"uncontacted", no_argument, NULL, O_UNCONTACTED},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct ropts {
	const char *from, *to;	  /* --from, --to */
	const char *group_by;	  /* --group-by */
	const char *territory;	  /* --territory */
	const char *tz;		  /* --tz */
	bool csv, json;		  /* output */
	char sep;		  /* CSV separator */
	bool prospects;		  /* --include-prospects */
	bool uncontacted;	  /* --uncontacted */
	int64_t from_utc, to_utc; /* resolved */
	const char *zone;	  /* resolved zone */
	int64_t territory_id;	  /* resolved, 0 = all */
};

static int
parse(int argc, char **argv, bool contact, struct ropts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->sep = ',';
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case O_FROM:
			o->from = optarg;
			break;
		case O_TO:
			o->to = optarg;
			break;
		case O_GROUP_BY:
			if (contact)
				goto not_here;
			o->group_by = optarg;
			break;
		case O_TERRITORY:
			o->territory = optarg;
			break;
		case O_TZ:
			o->tz = optarg;
			break;
		case O_CSV:
			o->csv = true;
			break;
		case O_SEP:
			if (strcmp(optarg, ";") && strcmp(optarg, ","))
				return cli_errorf(-1, "--sep must be ',' or "
						      "';'");
			o->sep = optarg[0];
			break;
		case O_JSON:
			o->json = true;
			break;
		case O_PROSPECTS:
		case O_UNCONTACTED:
			if (!contact)
				goto not_here;
			if (c == O_PROSPECTS)
				o->prospects = true;
			else
				o->uncontacted = true;
			break;
		case ':':
			return cli_errorf(-1, "option '%s' needs a value",
					  argv[optind - 1]);
		default:
			return cli_errorf(-1, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_errorf(-1, "unexpected argument '%s'", argv[optind]);
	if (!o->from || !o->to)
		return cli_errorf(-1, "--from and --to are required");
	return 0;
not_here:
	return cli_errorf(-1, "option '%s' does not apply here",
			  argv[optind - 1]);
}

/* Zone, instants and territory; prints the error itself. */
static int
resolve(struct cli_ctx *ctx, const struct user *me, struct ropts *o)
{
	struct av_error err = {0};

	o->zone =
	    o->tz ? o->tz
		  : (me->time_zone && tz_valid(me->time_zone) ? me->time_zone
							      : "UTC");
	if (!tz_valid(o->zone))
		return cli_errorf(EXIT_USAGE, "unknown time zone '%s' (--tz)",
				  o->zone);
	if (tz_parse_instant(o->from, "from", o->zone, &o->from_utc, NULL,
			     &err) ||
	    tz_parse_instant(o->to, "to", o->zone, &o->to_utc, NULL, &err))
		return cli_fail(&err);
	if (o->territory &&
	    cli_find_territory(ctx, o->territory, &o->territory_id, &err))
		return cli_errorf(EXIT_FAIL, "territory '%s' does not exist",
				  o->territory);
	return EXIT_OK;
}

/* Print a definition as "# " lines of at most about 76 columns. */
static void
print_definition(FILE *to, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = p, *cut = NULL;

		while (*end && end - p < 76) {
			if (*end == ' ')
				cut = end;
			end++;
		}
		if (!*end)
			cut = end;
		else if (!cut)
			cut = end;
		fprintf(to, "# %.*s\n", (int)(cut - p), p);
		p = *cut ? cut + 1 : cut;
	}
}

static int
write_buf(struct buf *b)
{
	bool bad = buf_failed(b);

	if (!bad)
		fwrite(b->p, 1, b->len, stdout);
	buf_release(b);
	return bad ? cli_errorf(EXIT_FAIL, "the report is too big") : EXIT_OK;
}

static void
appt_table_row(const struct report_appt *r, const struct report_appt_row *w)
{
	char num[8][32];
	const char *f[8];

	(void)r;
	f[0] = w->key;
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)w->total);
	for (int i = 0; i < 4; i++)
		snprintf(num[2 + i], sizeof(num[2 + i]), "%lld",
			 (long long)w->by_status[i]);
	snprintf(num[6], sizeof(num[6]), "%lld", (long long)w->reschedules);
	if (w->total)
		snprintf(num[7], sizeof(num[7]), "%.1f",
			 (double)w->lead_sum_s / (double)w->total / 86400.0);
	else
		num[7][0] = '\0';
	for (int i = 1; i < 8; i++)
		f[i] = num[i];
	cli_print_row(8, f);
}

static int
report_appt_cmd(struct cli_ctx *ctx, struct ropts *o)
{
	struct av_error err = {0};
	struct report_appt r;
	struct report_appt_query q = {.from = o->from_utc,
				      .to = o->to_utc,
				      .zone = o->zone,
				      .by = RG_DAY,
				      .territory_id = o->territory_id};
	static const char *const head[8] = {
	    "period",	 "total",   "scheduled",   "held",
	    "cancelled", "no_show", "reschedules", "avg_lead_days"};
	struct buf b;

	if (o->group_by && !report_group_parse(o->group_by, &q.by))
		return cli_errorf(EXIT_USAGE, "unknown --group-by '%s'",
				  o->group_by);
	if (report_appointments(ctx->store, &q, &ctx->arena, &r, &err))
		return cli_fail(&err);
	if (o->json || ctx->json) {
		cli_print_json(report_appt_json(&r));
		return EXIT_OK;
	}
	if (o->csv) {
		buf_init(&b, 0);
		report_appt_csv(&r, o->sep, &b);
		return write_buf(&b);
	}
	print_definition(stdout, report_appt_definition);
	{
		const char *h[8];

		memcpy(h, head, sizeof(h));
		h[0] = report_group_name(q.by);
		cli_print_row(8, h);
	}
	for (size_t i = 0; i < r.n_rows; i++)
		appt_table_row(&r, &r.rows[i]);
	appt_table_row(&r, &r.sum);
	return EXIT_OK;
}

static void
rate_row(const struct report_rate *t)
{
	char n[3][24], rate[24], cov[24];
	const char *f[7];

	snprintf(n[0], sizeof(n[0]), "%lld", (long long)t->contacts);
	snprintf(n[1], sizeof(n[1]), "%lld", (long long)t->customers);
	snprintf(n[2], sizeof(n[2]), "%lld", (long long)t->covered);
	if (t->has_rate) {
		snprintf(rate, sizeof(rate), "%.2f", t->rate);
		snprintf(cov, sizeof(cov), "%.0f%%", 100.0 * t->coverage);
	} else {
		snprintf(rate, sizeof(rate), "-");
		snprintf(cov, sizeof(cov), "-");
	}
	f[0] = t->code;
	f[1] = t->owner ? t->owner : "(all)";
	f[2] = n[0];
	f[3] = n[1];
	f[4] = n[2];
	f[5] = rate;
	f[6] = cov;
	cli_print_row(7, f);
}

static int
report_contact_cmd(struct cli_ctx *ctx, struct ropts *o)
{
	struct av_error err = {0};
	struct report_contact r;
	struct report_contact_query q = {.from = o->from_utc,
					 .to = o->to_utc,
					 .zone = o->zone,
					 .territory_id = o->territory_id,
					 .prospects = o->prospects};
	static const char *const head[7] = {"territory", "rep",	    "contacts",
					    "customers", "covered", "rate",
					    "coverage"};
	struct buf b;

	if (report_contact_rate(ctx->store, &q, &ctx->arena, &r, &err))
		return cli_fail(&err);
	if (o->json || ctx->json) {
		cli_print_json(o->uncontacted ? report_uncontacted_json(&r)
					      : report_contact_json(&r));
		return EXIT_OK;
	}
	if (o->csv) {
		buf_init(&b, 0);
		if (o->uncontacted)
			report_uncontacted_csv(&r, o->sep, &b);
		else
			report_contact_csv(&r, o->sep, &b);
		return write_buf(&b);
	}
	print_definition(stdout, report_contact_definition);
	if (o->uncontacted) {
		for (size_t i = 0; i < r.n_uncontacted; i++) {
			const struct report_uncontacted *u = &r.uncontacted[i];
			const char *f[4] = {u->code, u->customer_number,
					    u->name, u->owner};
			cli_print_row(4, f);
		}
		return EXIT_OK;
	}
	cli_print_row(7, head);
	for (size_t i = 0; i < r.n_territories; i++) {
		rate_row(&r.territories[i]);
		for (size_t k = 0; k < r.n_reps; k++)
			if (r.reps[k].territory_id ==
			    r.territories[i].territory_id)
				rate_row(&r.reps[k]);
	}
	return EXIT_OK;
}

int
cmd_report(int argc, char **argv, struct cli_ctx *ctx)
{
	const struct user *me;
	struct ropts o;
	bool contact;
	int rc;

	if (argc < 2)
		return cli_usage(usage, true, EXIT_USAGE);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    cli_wants_help(argc - 1, argv + 1))
		return cli_usage(usage, false, EXIT_OK);
	if (strcmp(argv[1], "contact-rate") == 0)
		contact = true;
	else if (strcmp(argv[1], "appointments") == 0)
		contact = false;
	else
		return cli_errorf(EXIT_USAGE, "unknown verb 'report %s'",
				  argv[1]);
	if (parse(argc - 1, argv + 1, contact, &o))
		return EXIT_USAGE;
	me = cli_actor(ctx);
	if (!me || !cli_store(ctx))
		return EXIT_FAIL;
	rc = resolve(ctx, me, &o);
	if (rc)
		return rc;
	return contact ? report_contact_cmd(ctx, &o) : report_appt_cmd(ctx, &o);
}
