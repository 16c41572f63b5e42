/* SPDX-License-Identifier: MIT */
/*
 * `avtale routes [--check]`: the API's routes with the access policy of
 * each role, as JSON (the access-matrix test is generated from it). With
 * --check, exit 1 naming the first route that has no policy row; the build
 * runs this, so a new route without a row fails `make`.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/policy.h"
#include "cli/cli.h"

#include "core/banned.h"

int
cmd_routes(int argc, char **argv, struct cli_ctx *ctx)
{
	const struct route *routes;
	size_t n;

	(void)ctx;
	routes = api_routes(&n);
	if (argc == 2 && strcmp(argv[1], "--check") == 0) {
		char msg[256];

		if (!policy_check_routes(routes, n, msg, sizeof(msg)))
			return cli_errorf(EXIT_FAIL, "%s", msg);
		return EXIT_OK;
	}
	if (argc != 1)
		return cli_errorf(EXIT_USAGE, "usage: avtale routes [--check]");
	cli_print_json(policy_routes_json(routes, n));
	return EXIT_OK;
}
