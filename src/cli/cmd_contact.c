/* SPDX-License-Identifier: MIT */
/* `avtale contact add|list|update|rm`: the people at a customer. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/str.h"
#include "domain/codec.h"
#include "domain/customer.h"

#include "core/banned.h"

static const char *const usage[] = {
    "usage: avtale contact add CUSTOMER --name NAME [fields]",
    "       avtale contact list CUSTOMER",
    "       avtale contact update CONTACT-ID [fields] [--if-version V]",
    "       avtale contact rm CONTACT-ID",
    "",
    "fields: --name N --title T --phone P --mobile M --email E --notes X",
    "CUSTOMER is a customer number or id.",
    NULL,
};

static const struct option opts[] = {
    {"name", required_argument, NULL, 'n'},
    {"title", required_argument, NULL, 't'},
    {"phone", required_argument, NULL, 'p'},
    {"mobile", required_argument, NULL, 'm'},
    {"email", required_argument, NULL, 'e'},
    {"notes", required_argument, NULL, 'x'},
    {"if-version", required_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

static int
parse(int argc, char **argv, struct contact *c, int64_t *if_version)
{
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (o) {
		case 'n':
			c->name = optarg;
			break;
		case 't':
			c->title = optarg;
			break;
		case 'p':
			c->phone = optarg;
			break;
		case 'm':
			c->mobile = optarg;
			break;
		case 'e':
			c->email = optarg;
			break;
		case 'x':
			c->notes = optarg;
			break;
		case 'v':
			if (!str_to_i64(optarg, 1, INT64_MAX, if_version))
				return cli_errorf(-1, "--if-version must be a "
						      "positive integer");
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
	return 0;
}

static void
print_contact(const struct contact *c)
{
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)c->id, c->name,
	       c->title ? c->title : "", c->phone ? c->phone : "",
	       c->mobile ? c->mobile : "", c->email ? c->email : "");
}

static void
output(struct cli_ctx *ctx, const struct contact *c)
{
	if (ctx->json)
		cli_print_json(contact_to_json(c));
	else
		print_contact(c);
}

int
cmd_contact(int argc, char **argv, struct cli_ctx *ctx)
{
	struct av_error err = {0};
	struct customer cu;
	struct contact c = {0};
	int64_t ifv = 0, id;
	const struct user *me;

	if (argc >= 2 && cli_wants_help(argc, argv))
		return cli_usage(usage, false, EXIT_OK);
	if (argc < 3)
		return cli_usage(usage, true, EXIT_USAGE);
	me = cli_actor(ctx);
	if (!me)
		return EXIT_FAIL;
	if (strcmp(argv[1], "add") == 0) {
		if (cli_find_customer(ctx, argv[2], &cu, &err))
			return cli_fail(&err);
		if (parse(argc - 2, argv + 2, &c, &ifv))
			return EXIT_USAGE;
		c.customer_id = cu.id;
		if (contact_prepare(&c, cu.country, &ctx->arena, &err) ||
		    store_contact_insert(ctx->store, &c, me->id, &err))
			return cli_fail(&err);
		output(ctx, &c);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "list") == 0) {
		struct contact *v;
		size_t n;
		if (argc != 3)
			return cli_usage(usage, true, EXIT_USAGE);
		if (cli_find_customer(ctx, argv[2], &cu, &err) ||
		    store_contact_list(ctx->store, cu.id, &ctx->arena, &v, &n,
				       &err))
			return cli_fail(&err);
		if (ctx->json) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr,
						      contact_to_json(&v[i]));
			cli_print_json(arr);
		} else {
			for (size_t i = 0; i < n; i++)
				print_contact(&v[i]);
		}
		return EXIT_OK;
	}
	if (!str_to_i64(argv[2], 1, INT64_MAX, &id))
		return cli_errorf(EXIT_USAGE, "'%s' is not a contact id",
				  argv[2]);
	if (strcmp(argv[1], "update") == 0) {
		if (store_contact_get(ctx->store, id, &ctx->arena, &c, &err) ||
		    store_customer_get(ctx->store, c.customer_id, &ctx->arena,
				       &cu, &err))
			return cli_fail(&err);
		if (parse(argc - 2, argv + 2, &c, &ifv))
			return EXIT_USAGE;
		if (contact_prepare(&c, cu.country, &ctx->arena, &err) ||
		    store_contact_update(ctx->store, &c, ifv, me->id, &err))
			return cli_fail(&err);
		output(ctx, &c);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "rm") == 0) {
		if (argc != 3)
			return cli_usage(usage, true, EXIT_USAGE);
		if (store_contact_delete(ctx->store, id, me->id, &err))
			return cli_fail(&err);
		return EXIT_OK;
	}
	return cli_errorf(EXIT_USAGE, "unknown verb 'contact %s'", argv[1]);
}
