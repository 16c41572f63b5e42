/* SPDX-License-Identifier: MIT */
/* `avtale customer add|list|show|update|rm`: customer records. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "domain/customer.h"
#include "service/appointments.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale customer add --number N --name NAME [fields]",
    "       avtale customer list [--status S] [--owner EMAIL] "
    "[--territory T] [--limit N] [--after ID]",
    "       avtale customer show ID|NUMBER",
    "       avtale customer update ID|NUMBER [fields] [--if-version V]",
    "       avtale customer rm ID|NUMBER",
    "",
    "fields: --status prospect|customer|former --phone P --email E",
    "        --address A --postcode P --city C --country CC --tz ZONE",
    "        --territory CODE|NAME --owner EMAIL --notes TEXT",
    "",
    "A customer is found by its customer number or its id. Records are",
    "owned by the acting user (--as) unless --owner says otherwise.",
    NULL,
};

enum opt {
	O_NUMBER = 256,
	O_NAME,
	O_STATUS,
	O_PHONE,
	O_EMAIL,
	O_ADDRESS,
	O_POSTCODE,
	O_CITY,
	O_COUNTRY,
	O_TZ,
	O_TERRITORY,
	O_OWNER,
	O_NOTES,
	O_IFVERSION,
	O_LIMIT,
	O_AFTER,
};

static const struct option field_opts[] = {
    {"number", required_argument, NULL, O_NUMBER},
    {"name", required_argument, NULL, O_NAME},
    {"status", required_argument, NULL, O_STATUS},
    {"phone", required_argument, NULL, O_PHONE},
    {"email", required_argument, NULL, O_EMAIL},
    {"address", required_argument, NULL, O_ADDRESS},
    {"postcode", required_argument, NULL, O_POSTCODE},
    {"city", required_argument, NULL, O_CITY},
    {"country", required_argument, NULL, O_COUNTRY},
    {"tz", required_argument, NULL, O_TZ},
    {"territory", required_argument, NULL, O_TERRITORY},
    {"owner", required_argument, NULL, O_OWNER},
    {"notes", required_argument, NULL, O_NOTES},
    {"if-version", required_argument, NULL, O_IFVERSION},
    {"limit", required_argument, NULL, O_LIMIT},
    {"after", required_argument, NULL, O_AFTER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct parsed {
	const char *territory; /* name given, or NULL */
	const char *owner;     /* e-mail given, or NULL */
	const char *status;    /* status given, or NULL */
	int64_t if_version;    /* --if-version, 0 if absent */
	int64_t limit;	       /* --limit */
	int64_t after;	       /* --after */
};

/* Parse options into 'c'; returns -1 after printing on a usage error. */
static int
parse_fields(int argc, char **argv, struct customer *c, struct parsed *p)
{
	int o;

	memset(p, 0, sizeof(*p));
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":h", field_opts, NULL)) != -1) {
		switch (o) {
		case O_NUMBER:
			c->customer_number = optarg;
			break;
		case O_NAME:
			c->name = optarg;
			break;
		case O_STATUS:
			p->status = optarg;
			break;
		case O_PHONE:
			c->phone = optarg;
			break;
		case O_EMAIL:
			c->email = optarg;
			break;
		case O_ADDRESS:
			c->address = optarg;
			break;
		case O_POSTCODE:
			c->postcode = optarg;
			break;
		case O_CITY:
			c->city = optarg;
			break;
		case O_COUNTRY:
			c->country = optarg;
			break;
		case O_TZ:
			c->time_zone = optarg;
			break;
		case O_TERRITORY:
			p->territory = optarg;
			break;
		case O_OWNER:
			p->owner = optarg;
			break;
		case O_NOTES:
			c->notes = optarg;
			break;
		case O_IFVERSION:
			if (!str_to_i64(optarg, 1, INT64_MAX, &p->if_version))
				return cli_errorf(-1, "--if-version must be a "
						      "positive integer");
			break;
		case O_LIMIT:
			if (!str_to_i64(optarg, 1, 1000, &p->limit))
				return cli_errorf(-1,
						  "--limit must be 1..1000");
			break;
		case O_AFTER:
			if (!str_to_i64(optarg, 0, INT64_MAX, &p->after))
				return cli_errorf(-1, "--after must be an id");
			break;
		case ':':
			return cli_errorf(-1, "option '%s' needs a value",
					  argv[optind - 1]);
		default:
			return cli_errorf(-1, "unknown option '%s'",
					  argv[optind - 1]);
		}
	}
	if (p->status && !customer_status_parse(p->status, &c->status))
		return cli_errorf(-1, "--status must be prospect, customer or "
				      "former");
	return 0;
}

/* Resolve --territory and --owner names into ids on 'c'. */
static int
resolve_refs(struct cli_ctx *ctx, struct customer *c, const struct parsed *p)
{
	struct av_error err = {0};

	if (p->territory) {
		if (!*p->territory)
			c->territory_id = 0;
		else if (cli_find_territory(ctx, p->territory, &c->territory_id,
					    &err))
			return cli_fail(&err);
	}
	if (p->owner && cli_find_user(ctx, p->owner, &c->owner_id, &err))
		return cli_fail(&err);
	return 0;
}

static void
print_customer(const struct customer *c)
{
	const char *f[6] = {
	    c->customer_number, c->name,      customer_status_name(c->status),
	    c->phone,		c->territory, c->owner};
	char id[24];
	const char *row[7];

	snprintf(id, sizeof(id), "%lld", (long long)c->id);
	row[0] = id;
	memcpy(row + 1, f, sizeof(f));
	cli_print_row(7, row);
}

static int
customer_add(int argc, char **argv, struct cli_ctx *ctx)
{
	struct customer c = {.status = CUSTOMER_PROSPECT};
	struct parsed p;
	struct av_error err = {0};
	const struct user *me;

	if (parse_fields(argc, argv, &c, &p))
		return EXIT_USAGE;
	if (optind < argc)
		return cli_errorf(EXIT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	c.owner_id = me->id;
	if (resolve_refs(ctx, &c, &p))
		return EXIT_FAIL;
	if (customer_prepare(&c, &ctx->arena, &err) ||
	    store_customer_insert(ctx->store, &c, me->id, &err))
		return cli_fail(&err);
	if (store_customer_get(ctx->store, c.id, &ctx->arena, &c, &err))
		return cli_fail(&err);
	if (ctx->json)
		cli_print_json(customer_to_json(&c));
	else
		print_customer(&c);
	return EXIT_OK;
}

static int
customer_list(int argc, char **argv, struct cli_ctx *ctx)
{
	struct customer dummy = {0};
	struct customer *v;
	struct customer_filter f = {.status = -1};
	struct parsed p;
	struct av_error err = {0};
	size_t n;

	if (parse_fields(argc, argv, &dummy, &p))
		return EXIT_USAGE;
	if (!cli_store(ctx))
		return EXIT_FAIL;
	if (p.status)
		f.status = (int)dummy.status;
	f.limit = p.limit ? (size_t)p.limit : 100;
	f.after_id = p.after;
	if (p.territory &&
	    cli_find_territory(ctx, p.territory, &f.territory_id, &err))
		return cli_fail(&err);
	if (p.owner && cli_find_user(ctx, p.owner, &f.owner_id, &err))
		return cli_fail(&err);
	if (store_customer_list(ctx->store, &f, &ctx->arena, &v, &n, &err))
		return cli_fail(&err);
	if (ctx->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, customer_to_json(&v[i]));
		cli_print_json(arr);
	} else {
		for (size_t i = 0; i < n; i++)
			print_customer(&v[i]);
	}
	return EXIT_OK;
}

static void
print_field(const char *label, const char *value)
{
	if (value)
		printf("%-16s %s\n", label, value);
}

/* The record's tab: how many appointments each side shows. */
enum { TAB_LIMIT = 50 };

static json_t *
tab_json(const struct occurrence *v, size_t n)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    arr, appt_to_json(v[i].appt, v[i].start_utc, v[i].end_utc,
				      v[i].recurrence_id));
	return arr;
}

/* One tab line in the viewer's zone: date, time, type, contact, channel,
 * status, outcome, id. */
static void
print_tab(struct cli_ctx *ctx, const char *title, const char *zone,
	  const struct occurrence *v, size_t n)
{
	printf("\n%s (%zu)\n", title, n);
	for (size_t i = 0; i < n; i++) {
		const struct appointment *p = v[i].appt;
		struct tz_local s, e;
		const char *row[8] = {"?", "?"};

		if (!tz_utc_to_local(zone, v[i].start_utc, &s, NULL, NULL) &&
		    !tz_utc_to_local(zone, v[i].end_utc, &e, NULL, NULL)) {
			row[0] = arena_printf(&ctx->arena, "%04d-%02d-%02d",
					      s.year, s.month, s.day);
			row[1] = p->all_day
				     ? "all day"
				     : arena_printf(
					   &ctx->arena, "%02d:%02d-%02d:%02d",
					   s.hour, s.minute, e.hour, e.minute);
		}
		row[2] = p->type;
		row[3] = p->contact_name;
		row[4] = appt_channel_name(p->channel);
		row[5] = appt_status_name(p->status);
		row[6] = p->outcome;
		row[7] = arena_printf(&ctx->arena, "%lld", (long long)p->id);
		cli_print_row(8, row);
	}
}

static int
customer_show(int argc, char **argv, struct cli_ctx *ctx)
{
	struct customer c;
	struct contact *cs;
	struct occurrence *past, *next;
	size_t n, n_past, n_next;
	struct av_error err = {0};
	const struct user *me;
	const char *zone;
	int64_t now = store_now();

	if (argc != 2)
		return cli_usage(usage, true, EXIT_USAGE);
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	zone = me->time_zone && tz_valid(me->time_zone) ? me->time_zone : "UTC";
	if (cli_find_customer(ctx, argv[1], &c, &err) ||
	    store_contact_list(ctx->store, c.id, &ctx->arena, &cs, &n, &err) ||
	    appt_tab(ctx->store, c.id, true, now, TAB_LIMIT, &ctx->arena, &past,
		     &n_past, &err) ||
	    appt_tab(ctx->store, c.id, false, now, TAB_LIMIT, &ctx->arena,
		     &next, &n_next, &err))
		return cli_fail(&err);
	if (ctx->json) {
		json_t *o = customer_to_json(&c);
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, contact_to_json(&cs[i]));
		json_object_set_new(o, "contacts", arr);
		json_object_set_new(o, "past", tab_json(past, n_past));
		json_object_set_new(o, "upcoming", tab_json(next, n_next));
		cli_print_json(o);
		return EXIT_OK;
	}
	printf("%s  %s  (%s)\n", c.customer_number, c.name,
	       customer_status_name(c.status));
	print_field("id", arena_printf(&ctx->arena, "%lld", (long long)c.id));
	print_field("phone", c.phone);
	print_field("email", c.email);
	print_field("address", c.address);
	if (c.postcode || c.city)
		print_field("post", arena_printf(&ctx->arena, "%s %s",
						 c.postcode ? c.postcode : "",
						 c.city ? c.city : ""));
	print_field("country", c.country);
	print_field("time zone", c.time_zone);
	print_field("territory", c.territory);
	print_field("owner", c.owner);
	print_field("version",
		    arena_printf(&ctx->arena, "%lld", (long long)c.version));
	print_field("notes", c.notes);
	printf("\ncontacts (%zu)\n", n);
	for (size_t i = 0; i < n; i++) {
		const char *row[6] = {
		    arena_printf(&ctx->arena, "%lld", (long long)cs[i].id),
		    cs[i].name,
		    cs[i].title,
		    cs[i].phone ? cs[i].phone : cs[i].mobile,
		    cs[i].email,
		    NULL};
		cli_print_row(5, row);
	}
	print_tab(ctx, "past appointments", zone, past, n_past);
	print_tab(ctx, "upcoming appointments", zone, next, n_next);
	return EXIT_OK;
}

static int
customer_update(int argc, char **argv, struct cli_ctx *ctx)
{
	struct customer c;
	struct parsed p;
	struct av_error err = {0};
	const struct user *me;
	const char *who;

	if (argc < 2 || argv[1][0] == '-')
		return cli_usage(usage, true, EXIT_USAGE);
	who = argv[1];
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	if (cli_find_customer(ctx, who, &c, &err))
		return cli_fail(&err);
	if (parse_fields(argc - 1, argv + 1, &c, &p))
		return EXIT_USAGE;
	if (resolve_refs(ctx, &c, &p))
		return EXIT_FAIL;
	if (customer_prepare(&c, &ctx->arena, &err) ||
	    store_customer_update(ctx->store, &c, p.if_version, me->id, &err))
		return cli_fail(&err);
	if (store_customer_get(ctx->store, c.id, &ctx->arena, &c, &err))
		return cli_fail(&err);
	if (ctx->json)
		cli_print_json(customer_to_json(&c));
	else
		print_customer(&c);
	return EXIT_OK;
}

static int
customer_rm(int argc, char **argv, struct cli_ctx *ctx)
{
	struct customer c;
	struct av_error err = {0};
	const struct user *me;

	if (argc != 2)
		return cli_usage(usage, true, EXIT_USAGE);
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	if (cli_find_customer(ctx, argv[1], &c, &err) ||
	    store_customer_delete(ctx->store, c.id, 0, me->id, &err))
		return cli_fail(&err);
	if (!ctx->json)
		fprintf(stderr, "avtale: customer %s deleted\n",
			c.customer_number);
	else
		cli_print_json(json_pack("{sIss}", "id", (json_int_t)c.id,
					 "deleted", c.customer_number));
	return EXIT_OK;
}

int
cmd_customer(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct {
		const char *verb;
		cmd_fn fn;
	} verbs[] = {
	    {"add", customer_add},   {"list", customer_list},
	    {"show", customer_show}, {"update", customer_update},
	    {"rm", customer_rm},
	};

	if (argc < 2)
		return cli_usage(usage, true, EXIT_USAGE);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return cli_usage(usage, false, EXIT_OK);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(argv[1], verbs[i].verb) == 0) {
			if (cli_wants_help(argc - 1, argv + 1))
				return cli_usage(usage, false, EXIT_OK);
			return verbs[i].fn(argc - 1, argv + 1, ctx);
		}
	}
	return cli_errorf(EXIT_USAGE, "unknown verb 'customer %s'", argv[1]);
}
