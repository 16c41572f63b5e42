/* SPDX-License-Identifier: MIT */
/* `avtale init`, `avtale territory add|list`, `avtale user list`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/tz.h"
#include "domain/codec.h"
#include "domain/customer.h"
#include "domain/user.h"

#include "core/banned.h"

static const char *const init_usage[] = {
    "usage: avtale init [--tz ZONE]",
    "",
    "Creates the database (--db) or upgrades its schema, and prints the",
    "schema version. --tz sets the time zone of the admin user (default",
    "Europe/Oslo).",
    NULL,
};

int
cmd_init(int argc, char **argv, struct cli_ctx *ctx)
{
	static const struct option opts[] = {
	    {"tz", required_argument, NULL, 't'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *zone = NULL;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "ht:", opts, NULL)) != -1) {
		if (o == 'h')
			return cli_usage(init_usage, false, EXIT_OK);
		if (o == 't') {
			zone = optarg;
			continue;
		}
		return cli_errorf(EXIT_USAGE, "unknown option '%s'",
				  argv[optind - 1]);
	}
	if (zone && !tz_valid(zone))
		return cli_errorf(EXIT_USAGE,
				  "--tz '%s' is not a known IANA zone", zone);
	ctx->may_create = true;
	if (!cli_store(ctx))
		return EXIT_FAIL;
	if (zone) {
		struct av_error err = {0};
		if (store_user_set_zone(ctx->store, "admin", zone, &err))
			return cli_fail(&err);
	}
	if (ctx->json)
		cli_print_json(json_pack("{sssi}", "database", ctx->db_path,
					 "schema",
					 store_schema_version(ctx->store)));
	else
		printf("%s: schema %d\n", ctx->db_path,
		       store_schema_version(ctx->store));
	return EXIT_OK;
}

static const char *const territory_usage[] = {
    "usage: avtale territory add CODE NAME",
    "       avtale territory list",
    NULL,
};

int
cmd_territory(int argc, char **argv, struct cli_ctx *ctx)
{
	struct av_error err = {0};

	if (argc < 2 || cli_wants_help(argc, argv))
		return cli_usage(territory_usage, argc >= 2 ? false : true,
				 argc >= 2 ? EXIT_OK : EXIT_USAGE);
	if (!cli_store(ctx))
		return EXIT_FAIL;
	if (strcmp(argv[1], "add") == 0) {
		struct territory t = {0};
		if (argc != 4)
			return cli_usage(territory_usage, true, EXIT_USAGE);
		t.code = argv[2];
		t.name = argv[3];
		if (territory_prepare(&t, &err))
			return cli_fail(&err);
		if (store_territory_insert(ctx->store, &t, &err)) {
			if (err.code == AV_ECONFLICT)
				return cli_errorf(EXIT_FAIL,
						  "territory code '%s' is "
						  "already taken",
						  t.code);
			return cli_fail(&err);
		}
		if (ctx->json)
			cli_print_json(territory_to_json(&t));
		else
			printf("%lld\t%s\t%s\n", (long long)t.id, t.code,
			       t.name);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "list") == 0) {
		struct territory *v;
		size_t n;
		if (store_territory_list(ctx->store, &ctx->arena, &v, &n, &err))
			return cli_fail(&err);
		if (ctx->json) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr,
						      territory_to_json(&v[i]));
			cli_print_json(arr);
			return EXIT_OK;
		}
		for (size_t i = 0; i < n; i++)
			printf("%lld\t%s\t%s\n", (long long)v[i].id, v[i].code,
			       v[i].name);
		return EXIT_OK;
	}
	return cli_errorf(EXIT_USAGE, "unknown verb 'territory %s'", argv[1]);
}
